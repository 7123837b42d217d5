"""Text files of the built-in images' distributions: os-release, the
system users and groups each distribution ships, and small configuration
files.  Pure data; `catalog.py` assembles the trees.
"""

# -- busybox (buildroot skeleton, as in the official busybox image) ---------------

BUSYBOX_PASSWD = """\
root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/bin/false
bin:x:2:2:bin:/bin:/bin/false
sys:x:3:3:sys:/dev:/bin/false
sync:x:4:100:sync:/bin:/bin/sync
mail:x:8:8:mail:/var/spool/mail:/bin/false
www-data:x:33:33:www-data:/var/www:/bin/false
operator:x:37:37:Operator:/var:/bin/false
nobody:x:65534:65534:nobody:/home:/bin/false
"""

BUSYBOX_GROUP = """\
root:x:0:
daemon:x:1:
bin:x:2:
sys:x:3:
adm:x:4:
tty:x:5:
disk:x:6:
lp:x:7:
mail:x:8:
kmem:x:9:
wheel:x:10:root
cdrom:x:11:
dialout:x:18:
floppy:x:19:
video:x:28:
audio:x:29:
tape:x:32:
www-data:x:33:
operator:x:37:
utmp:x:43:
plugdev:x:46:
staff:x:50:
lock:x:54:
netdev:x:82:
users:x:100:
nogroup:x:65534:
"""


def shadow_for(passwd: str, root_locked: bool = True) -> str:
    """An /etc/shadow with every account of ``passwd`` locked."""
    lines = []
    for line in passwd.splitlines():
        name = line.split(":", 1)[0]
        pw = "*" if (name != "root" or root_locked) else ""
        lines.append(f"{name}:{pw}:19000:0:99999:7:::")
    return "\n".join(lines) + "\n"


BUSYBOX_NSSWITCH = """\
passwd:     files
group:      files
shadow:     files

hosts:      files dns
networks:   files dns

protocols:  files
services:   files
ethers:     files
rpc:        files
"""

# -- alpine ----------------------------------------------------------------------

def alpine_os_release(version: str) -> str:
    minor = ".".join(version.split(".")[:2])
    major_minor = tuple(int(x) for x in minor.split("."))
    bugs = ("https://gitlab.alpinelinux.org/alpine/aports/-/issues"
            if major_minor >= (3, 14) else "https://bugs.alpinelinux.org/")
    return (
        'NAME="Alpine Linux"\n'
        "ID=alpine\n"
        f"VERSION_ID={version}\n"
        f'PRETTY_NAME="Alpine Linux v{minor}"\n'
        'HOME_URL="https://alpinelinux.org/"\n'
        f'BUG_REPORT_URL="{bugs}"\n'
    )


#: alpine-baselayout before 3.4 (Alpine ≤ 3.16): the long list, root in ash.
ALPINE_PASSWD_OLD = """\
root:x:0:0:root:/root:/bin/ash
bin:x:1:1:bin:/bin:/sbin/nologin
daemon:x:2:2:daemon:/sbin:/sbin/nologin
adm:x:3:4:adm:/var/adm:/sbin/nologin
lp:x:4:7:lp:/var/spool/lpd:/sbin/nologin
sync:x:5:0:sync:/sbin:/bin/sync
shutdown:x:6:0:shutdown:/sbin:/sbin/shutdown
halt:x:7:0:halt:/sbin:/sbin/halt
mail:x:8:12:mail:/var/mail:/sbin/nologin
news:x:9:13:news:/usr/lib/news:/sbin/nologin
uucp:x:10:14:uucp:/var/spool/uucppublic:/sbin/nologin
operator:x:11:0:operator:/root:/sbin/nologin
man:x:13:15:man:/usr/man:/sbin/nologin
postmaster:x:14:12:postmaster:/var/mail:/sbin/nologin
cron:x:16:16:cron:/var/spool/cron:/sbin/nologin
ftp:x:21:21::/var/lib/ftp:/sbin/nologin
sshd:x:22:22:sshd:/dev/null:/sbin/nologin
at:x:25:25:at:/var/spool/cron/atjobs:/sbin/nologin
squid:x:31:31:Squid:/var/cache/squid:/sbin/nologin
xfs:x:33:33:X Font Server:/etc/X11/fs:/sbin/nologin
games:x:35:35:games:/usr/games:/sbin/nologin
cyrus:x:85:12::/usr/cyrus:/sbin/nologin
vpopmail:x:89:89::/var/vpopmail:/sbin/nologin
ntp:x:123:123:NTP:/var/empty:/sbin/nologin
smmsp:x:209:209:smmsp:/var/spool/mqueue:/sbin/nologin
guest:x:405:100:guest:/dev/null:/sbin/nologin
nobody:x:65534:65534:nobody:/:/sbin/nologin
"""

#: alpine-baselayout 3.4+ (Alpine ≥ 3.17): the trimmed list.
ALPINE_PASSWD_NEW = """\
root:x:0:0:root:/root:/bin/sh
bin:x:1:1:bin:/bin:/sbin/nologin
daemon:x:2:2:daemon:/sbin:/sbin/nologin
lp:x:4:7:lp:/var/spool/lpd:/sbin/nologin
sync:x:5:0:sync:/sbin:/bin/sync
shutdown:x:6:0:shutdown:/sbin:/sbin/shutdown
halt:x:7:0:halt:/sbin:/sbin/halt
mail:x:8:12:mail:/var/mail:/sbin/nologin
news:x:9:13:news:/usr/lib/news:/sbin/nologin
uucp:x:10:14:uucp:/var/spool/uucppublic:/sbin/nologin
cron:x:16:16:cron:/var/spool/cron:/sbin/nologin
ftp:x:21:21::/var/lib/ftp:/sbin/nologin
sshd:x:22:22:sshd:/dev/null:/sbin/nologin
games:x:35:35:games:/usr/games:/sbin/nologin
ntp:x:123:123:NTP:/var/empty:/sbin/nologin
guest:x:405:100:guest:/dev/null:/sbin/nologin
nobody:x:65534:65534:nobody:/:/sbin/nologin
"""

ALPINE_GROUP = """\
root:x:0:root
bin:x:1:root,bin,daemon
daemon:x:2:root,bin,daemon
sys:x:3:root,bin
adm:x:4:root,daemon
tty:x:5:
disk:x:6:root
lp:x:7:lp
kmem:x:9:
wheel:x:10:root
floppy:x:11:root
mail:x:12:mail
news:x:13:news
uucp:x:14:uucp
cron:x:16:cron
console:x:17:
audio:x:18:
cdrom:x:19:
dialout:x:20:root
ftp:x:21:
sshd:x:22:
input:x:23:
tape:x:26:root
video:x:27:root
netdev:x:28:
kvm:x:34:kvm
games:x:35:
shadow:x:42:
www-data:x:82:
users:x:100:games
ntp:x:123:
abuild:x:300:
utmp:x:406:
ping:x:999:
nogroup:x:65533:
nobody:x:65534:
"""

ALPINE_PROFILE = """\
export PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
export PAGER=less
umask 022

# use nicer PS1 for bash and busybox ash
if [ -n "$BASH_VERSION" -o "$BB_ASH_VERSION" ]; then
	PS1='\\h:\\w\\$ '
else
	PS1='\\h:\\w\\$ '
fi

for script in /etc/profile.d/*.sh ; do
	if [ -r "$script" ] ; then
		. "$script"
	fi
done
unset script
"""

ALPINE_SHELLS = "# valid login shells\n/bin/sh\n/bin/ash\n"

# -- debian / ubuntu ----------------------------------------------------------------

def debian_os_release(major: str, codename: str) -> str:
    return (
        f'PRETTY_NAME="Debian GNU/Linux {major} ({codename})"\n'
        'NAME="Debian GNU/Linux"\n'
        f'VERSION_ID="{major}"\n'
        f'VERSION="{major} ({codename})"\n'
        f"VERSION_CODENAME={codename}\n"
        "ID=debian\n"
        'HOME_URL="https://www.debian.org/"\n'
        'SUPPORT_URL="https://www.debian.org/support"\n'
        'BUG_REPORT_URL="https://bugs.debian.org/"\n'
    )


def ubuntu_os_release(point: str, version_id: str, codename: str, nickname: str, logo: bool) -> str:
    return (
        f'PRETTY_NAME="Ubuntu {point} LTS"\n'
        'NAME="Ubuntu"\n'
        f'VERSION_ID="{version_id}"\n'
        f'VERSION="{point} LTS ({nickname})"\n'
        f"VERSION_CODENAME={codename}\n"
        "ID=ubuntu\n"
        "ID_LIKE=debian\n"
        'HOME_URL="https://www.ubuntu.com/"\n'
        'SUPPORT_URL="https://help.ubuntu.com/"\n'
        'BUG_REPORT_URL="https://bugs.launchpad.net/ubuntu/"\n'
        'PRIVACY_POLICY_URL="https://www.ubuntu.com/legal/terms-and-policies/privacy-policy"\n'
        f"UBUNTU_CODENAME={codename}\n"
        + ("LOGO=ubuntu-logo\n" if logo else "")
    )


#: base-passwd 3.6 (Debian 12 bookworm).
DEBIAN_PASSWD = """\
root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
bin:x:2:2:bin:/bin:/usr/sbin/nologin
sys:x:3:3:sys:/dev:/usr/sbin/nologin
sync:x:4:65534:sync:/bin:/bin/sync
games:x:5:60:games:/usr/games:/usr/sbin/nologin
man:x:6:12:man:/var/cache/man:/usr/sbin/nologin
lp:x:7:7:lp:/var/spool/lpd:/usr/sbin/nologin
mail:x:8:8:mail:/var/mail:/usr/sbin/nologin
news:x:9:9:news:/var/spool/news:/usr/sbin/nologin
uucp:x:10:10:uucp:/var/spool/uucp:/usr/sbin/nologin
proxy:x:13:13:proxy:/bin:/usr/sbin/nologin
www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin
backup:x:34:34:backup:/var/backups:/usr/sbin/nologin
list:x:38:38:Mailing List Manager:/var/list:/usr/sbin/nologin
irc:x:39:39:ircd:/run/ircd:/usr/sbin/nologin
_apt:x:42:65534::/nonexistent:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
"""

DEBIAN_GROUP = """\
root:x:0:
daemon:x:1:
bin:x:2:
sys:x:3:
adm:x:4:
tty:x:5:
disk:x:6:
lp:x:7:
mail:x:8:
news:x:9:
uucp:x:10:
man:x:12:
proxy:x:13:
kmem:x:15:
dialout:x:20:
fax:x:21:
voice:x:22:
cdrom:x:24:
floppy:x:25:
tape:x:26:
sudo:x:27:
audio:x:29:
dip:x:30:
www-data:x:33:
backup:x:34:
operator:x:37:
list:x:38:
irc:x:39:
src:x:40:
shadow:x:42:
utmp:x:43:
video:x:44:
sasl:x:45:
plugdev:x:46:
staff:x:50:
games:x:60:
users:x:100:
nogroup:x:65534:
"""

#: Ubuntu 22.04 (jammy): gnats still there, _apt at 100.
UBUNTU_2204_PASSWD = """\
root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
bin:x:2:2:bin:/bin:/usr/sbin/nologin
sys:x:3:3:sys:/dev:/usr/sbin/nologin
sync:x:4:65534:sync:/bin:/bin/sync
games:x:5:60:games:/usr/games:/usr/sbin/nologin
man:x:6:12:man:/var/cache/man:/usr/sbin/nologin
lp:x:7:7:lp:/var/spool/lpd:/usr/sbin/nologin
mail:x:8:8:mail:/var/mail:/usr/sbin/nologin
news:x:9:9:news:/var/spool/news:/usr/sbin/nologin
uucp:x:10:10:uucp:/var/spool/uucp:/usr/sbin/nologin
proxy:x:13:13:proxy:/bin:/usr/sbin/nologin
www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin
backup:x:34:34:backup:/var/backups:/usr/sbin/nologin
list:x:38:38:Mailing List Manager:/var/list:/usr/sbin/nologin
irc:x:39:39:ircd:/run/ircd:/usr/sbin/nologin
gnats:x:41:41:Gnats Bug-Reporting System (admin):/var/lib/gnats:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
_apt:x:100:65534::/nonexistent:/usr/sbin/nologin
"""

UBUNTU_2204_GROUP = DEBIAN_GROUP.replace("src:x:40:\n", "src:x:40:\ngnats:x:41:\n")

#: Ubuntu 24.04 (noble): Debian's list plus the default ``ubuntu`` user.
UBUNTU_2404_PASSWD = DEBIAN_PASSWD + "ubuntu:x:1000:1000:Ubuntu:/home/ubuntu:/bin/bash\n"
UBUNTU_2404_GROUP = DEBIAN_GROUP.replace("users:x:100:\n", "users:x:100:ubuntu\n") + "ubuntu:x:1000:\n"

DEBIAN_SHELLS = """\
# /etc/shells: valid login shells
/bin/sh
/usr/bin/sh
/bin/bash
/usr/bin/bash
/bin/rbash
/usr/bin/rbash
/bin/dash
/usr/bin/dash
"""

DEBIAN_PROFILE = """\
# /etc/profile: system-wide .profile file for the Bourne shell (sh(1))
# and Bourne compatible shells (bash(1), ksh(1), ash(1), ...).

if [ "$(id -u)" -eq 0 ]; then
  PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
else
  PATH="/usr/local/bin:/usr/bin:/bin:/usr/local/games:/usr/games"
fi
export PATH

if [ "${PS1-}" ]; then
  if [ "${BASH-}" ] && [ "$BASH" != "/bin/sh" ]; then
    if [ -f /etc/bash.bashrc ]; then
      . /etc/bash.bashrc
    fi
  else
    if [ "$(id -u)" -eq 0 ]; then
      PS1='# '
    else
      PS1='$ '
    fi
  fi
fi

if [ -d /etc/profile.d ]; then
  for i in /etc/profile.d/*.sh; do
    if [ -r $i ]; then
      . $i
    fi
  done
  unset i
fi
"""

DEBIAN_BASHRC = """\
# System-wide .bashrc file for interactive bash(1) shells.

# If not running interactively, don't do anything
[ -z "${PS1-}" ] && return

# check the window size after each command
shopt -s checkwinsize

# set a fancy prompt
PS1='${debian_chroot:+($debian_chroot)}\\u@\\h:\\w\\$ '
"""

ROOT_BASHRC = """\
# ~/.bashrc: executed by bash(1) for non-login shells.

# Note: PS1 and umask are already set in /etc/profile. You should not
# need this unless you want different defaults for root.
# PS1='${debian_chroot:+($debian_chroot)}\\h:\\w\\$ '
# umask 022

# You may uncomment the following lines if you want `ls' to be colorized:
# export LS_OPTIONS='--color=auto'
# alias ls='ls $LS_OPTIONS'
# alias ll='ls $LS_OPTIONS -l'
# alias l='ls $LS_OPTIONS -lA'
"""

ROOT_PROFILE = """\
# ~/.profile: executed by Bourne-compatible login shells.

if [ "$BASH" ]; then
  if [ -f ~/.bashrc ]; then
    . ~/.bashrc
  fi
fi

mesg n 2> /dev/null || true
"""

SKEL_BASH_LOGOUT = """\
# ~/.bash_logout: executed by bash(1) when login shell exits.
"""

SKEL_BASHRC = """\
# ~/.bashrc: executed by bash(1) for non-login shells.

# If not running interactively, don't do anything
case $- in
    *i*) ;;
      *) return;;
esac

HISTCONTROL=ignoreboth
shopt -s histappend
HISTSIZE=1000
HISTFILESIZE=2000
shopt -s checkwinsize

PS1='${debian_chroot:+($debian_chroot)}\\u@\\h:\\w\\$ '

alias ls='ls --color=auto'
alias grep='grep --color=auto'
"""

SKEL_PROFILE = """\
# ~/.profile: executed by the command interpreter for login shells.

# if running bash
if [ -n "$BASH_VERSION" ]; then
    # include .bashrc if it exists
    if [ -f "$HOME/.bashrc" ]; then
	. "$HOME/.bashrc"
    fi
fi

# set PATH so it includes user's private bin if it exists
if [ -d "$HOME/bin" ] ; then
    PATH="$HOME/bin:$PATH"
fi
"""

NSSWITCH = """\
# /etc/nsswitch.conf
#
# Example configuration of GNU Name Service Switch functionality.

passwd:         files
group:          files
shadow:         files
gshadow:        files

hosts:          files dns
networks:       files

protocols:      db files
services:       db files
ethers:         db files
rpc:            db files

netgroup:       nis
"""


def debian_sources(suite: str) -> str:
    return (
        "Types: deb\n"
        "URIs: http://deb.debian.org/debian\n"
        f"Suites: {suite} {suite}-updates\n"
        "Components: main\n"
        "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n"
        "\n"
        "Types: deb\n"
        "URIs: http://deb.debian.org/debian-security\n"
        f"Suites: {suite}-security\n"
        "Components: main\n"
        "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n"
    )


def ubuntu_sources(codename: str) -> str:
    return (
        "Types: deb\n"
        "URIs: http://archive.ubuntu.com/ubuntu/\n"
        f"Suites: {codename} {codename}-updates {codename}-backports\n"
        "Components: main universe restricted multiverse\n"
        "Signed-By: /usr/share/keyrings/ubuntu-archive-keyring.gpg\n"
        "\n"
        "Types: deb\n"
        "URIs: http://security.ubuntu.com/ubuntu/\n"
        f"Suites: {codename}-security\n"
        "Components: main universe restricted multiverse\n"
        "Signed-By: /usr/share/keyrings/ubuntu-archive-keyring.gpg\n"
    )


# -- nginx --------------------------------------------------------------------------

NGINX_CONF = """\

user  nginx;
worker_processes  auto;

error_log  /var/log/nginx/error.log notice;
pid        /var/run/nginx.pid;


events {
    worker_connections  1024;
}


http {
    include       /etc/nginx/mime.types;
    default_type  application/octet-stream;

    log_format  main  '$remote_addr - $remote_user [$time_local] "$request" '
                      '$status $body_bytes_sent "$http_referer" '
                      '"$http_user_agent" "$http_x_forwarded_for"';

    access_log  /var/log/nginx/access.log  main;

    sendfile        on;
    #tcp_nopush     on;

    keepalive_timeout  65;

    #gzip  on;

    include /etc/nginx/conf.d/*.conf;
}
"""

NGINX_DEFAULT_CONF = """\
server {
    listen       80;
    listen  [::]:80;
    server_name  localhost;

    #access_log  /var/log/nginx/host.access.log  main;

    location / {
        root   /usr/share/nginx/html;
        index  index.html index.htm;
    }

    #error_page  404              /404.html;

    # redirect server error pages to the static page /50x.html
    #
    error_page   500 502 503 504  /50x.html;
    location = /50x.html {
        root   /usr/share/nginx/html;
    }
}
"""

NGINX_MIME_TYPES = """\

types {
    text/html                                        html htm shtml;
    text/css                                         css;
    text/xml                                         xml;
    image/gif                                        gif;
    image/jpeg                                       jpeg jpg;
    application/javascript                           js;
    text/plain                                       txt;
    image/png                                        png;
    image/svg+xml                                    svg svgz;
    image/x-icon                                     ico;
    application/json                                 json;
    application/pdf                                  pdf;
    application/zip                                  zip;
    application/octet-stream                         bin exe dll;
}
"""

NGINX_INDEX_HTML = """\
<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
"""

NGINX_50X_HTML = """\
<!DOCTYPE html>
<html>
<head>
<title>Error</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>An error occurred.</h1>
<p>Sorry, the page you are looking for is currently unavailable.<br/>
Please try again later.</p>
<p>If you are the system administrator of this resource then you should check
the error log for details.</p>
<p><em>Faithfully yours, nginx.</em></p>
</body>
</html>
"""

#: The entrypoint of the nginx image: runs the executable scripts of
#: /docker-entrypoint.d/ in order before ``nginx``, logging as the official
#: one does, then execs the command.
NGINX_ENTRYPOINT = """\
#!/bin/sh
# Runs the configuration scripts in /docker-entrypoint.d/ before nginx starts.

set -e

log() {
    if [ -z "${NGINX_ENTRYPOINT_QUIET_LOGS:-}" ]; then
        echo "$@"
    fi
}

if [ "$1" = "nginx" ] || [ "$1" = "nginx-debug" ]; then
    scripts=$(find /docker-entrypoint.d/ -mindepth 1 -maxdepth 1 -type f | sort)
    if [ -n "$scripts" ]; then
        log "$0: /docker-entrypoint.d/ is not empty, will attempt to perform configuration"
        log "$0: Looking for shell scripts in /docker-entrypoint.d/"
        for f in $scripts; do
            case "$f" in
                *.envsh)
                    if [ -x "$f" ]; then
                        log "$0: Sourcing $f"
                        . "$f"
                    else
                        log "$0: Ignoring $f, not executable"
                    fi
                    ;;
                *.sh)
                    if [ -x "$f" ]; then
                        log "$0: Launching $f"
                        "$f"
                    else
                        log "$0: Ignoring $f, not executable"
                    fi
                    ;;
                *)
                    log "$0: Ignoring $f"
                    ;;
            esac
        done
        log "$0: Configuration complete; ready for start up"
    else
        log "$0: No files found in /docker-entrypoint.d/, skipping configuration"
    fi
fi

exec "$@"
"""

NGINX_LISTEN_IPV6 = """\
#!/bin/sh
# Enables listening on [::]:80 in default.conf when IPv6 is available.

set -e
ME=$(basename "$0")
DEFAULT_CONF_FILE="etc/nginx/conf.d/default.conf"

if [ ! -f "/proc/net/if_inet6" ]; then
    echo "$ME: info: ipv6 not available"
    exit 0
fi

if [ ! -f "/$DEFAULT_CONF_FILE" ]; then
    echo "$ME: info: /$DEFAULT_CONF_FILE is not a file or does not exist"
    exit 0
fi

echo "$ME: info: Getting the checksum of /$DEFAULT_CONF_FILE"
echo "$ME: info: Enabled listen on IPv6 in /$DEFAULT_CONF_FILE"
exit 0
"""

NGINX_LOCAL_RESOLVERS = """\
#!/bin/sh
# Exports NGINX_LOCAL_RESOLVERS from /etc/resolv.conf when asked to.

[ "${NGINX_ENTRYPOINT_LOCAL_RESOLVERS:-}" ] || return 0

NGINX_LOCAL_RESOLVERS=$(awk 'BEGIN{ORS=" "} $1=="nameserver" {print $2}' /etc/resolv.conf)
export NGINX_LOCAL_RESOLVERS
"""

NGINX_ENVSUBST = """\
#!/bin/sh
# Renders /etc/nginx/templates/*.template into /etc/nginx/conf.d/ with envsubst.

set -e
ME=$(basename "$0")

template_dir="${NGINX_ENVSUBST_TEMPLATE_DIR:-/etc/nginx/templates}"
suffix="${NGINX_ENVSUBST_TEMPLATE_SUFFIX:-.template}"
output_dir="${NGINX_ENVSUBST_OUTPUT_DIR:-/etc/nginx/conf.d}"

[ -d "$template_dir" ] || exit 0
if [ ! -w "$output_dir" ]; then
    echo "$ME: ERROR: $template_dir exists, but $output_dir is not writable"
    exit 0
fi
for template in $(find "$template_dir" -follow -type f -name "*$suffix"); do
    relative_path="${template#"$template_dir/"}"
    output_path="$output_dir/${relative_path%"$suffix"}"
    echo "$ME: Running envsubst on $template to $output_path"
    envsubst < "$template" > "$output_path"
done
exit 0
"""

NGINX_TUNE_WORKERS = """\
#!/bin/sh
# Sets worker_processes from the cgroup CPU quota when asked to.

set -eu
ME=$(basename "$0")

[ "${NGINX_ENTRYPOINT_WORKER_PROCESSES_AUTOTUNE:-}" ] || exit 0

ncpu=$(nproc)
echo "$ME: info: setting worker_processes to $ncpu"
sed -i.bak -r "s/^(worker_processes)(.*)$/\\1 $ncpu;/" /etc/nginx/nginx.conf
exit 0
"""

# -- node ---------------------------------------------------------------------------

#: The node image's entrypoint: run the command with node when the first
#: argument is an option or no command of that name exists.
NODE_ENTRYPOINT = """\
#!/bin/sh
set -e

# Prepend "node" when the first argument is an option (starts with "-"),
# names no command, or is a file that is not executable.
if [ "${1#-}" != "${1}" ] || [ -z "$(command -v "${1}")" ] || { [ -f "${1}" ] && ! [ -x "${1}" ]; }; then
  set -- node "$@"
fi

exec "$@"
"""


def npm_cli_js() -> str:
    return "#!/usr/bin/env node\nrequire('../lib/cli.js')(process)\n"


def npx_cli_js() -> str:
    return "#!/usr/bin/env node\nprocess.argv.splice(2, 0, 'exec')\nrequire('../lib/cli.js')(process)\n"


def npm_lib_cli_js(version: str) -> str:
    return (
        "'use strict'\n"
        "// dockersim: a small stand-in for npm's command line.\n"
        "module.exports = (process) => {\n"
        "  const args = process.argv.slice(2)\n"
        "  if (args[0] === '-v' || args[0] === '--version' || args[0] === 'version') {\n"
        f"    console.log('{version}')\n"
        "    return\n"
        "  }\n"
        "  if (args.length === 0 || args[0] === 'help' || args[0] === '-h') {\n"
        "    console.log('npm <command>\\n\\nUsage:\\n\\nnpm install        install all the dependencies in your project\\n'\n"
        "      + 'npm run <foo>      run the script named <foo>\\n'\n"
        f"      + 'npm <command> -h   quick help on <command>\\n\\nnpm@{version} /usr/local/lib/node_modules/npm')\n"
        "    return\n"
        "  }\n"
        "  console.error(`npm ERR! '${args[0]}' is not supported in dockersim`)\n"
        "  process.exitCode = 1\n"
        "}\n"
    )


def npm_package_json(version: str) -> str:
    return (
        "{\n"
        f'  "version": "{version}",\n'
        '  "name": "npm",\n'
        '  "description": "a package manager for JavaScript",\n'
        '  "bin": {\n'
        '    "npm": "bin/npm-cli.js",\n'
        '    "npx": "bin/npx-cli.js"\n'
        "  },\n"
        '  "main": "./index.js",\n'
        '  "license": "Artistic-2.0"\n'
        "}\n"
    )


def yarn_sh(version: str) -> str:
    return (
        "#!/bin/sh\n"
        "argv0=\"$0\"\n"
        "basedir=$(dirname \"$argv0\")\n"
        "exec node \"$basedir/yarn.js\" \"$@\"\n"
    )


def yarn_js(version: str) -> str:
    return (
        "#!/usr/bin/env node\n"
        "'use strict'\n"
        "const args = process.argv.slice(2)\n"
        "if (args[0] === '-v' || args[0] === '--version') {\n"
        f"  console.log('{version}')\n"
        "} else {\n"
        "  console.error('error: yarn commands are not supported in dockersim')\n"
        "  process.exitCode = 1\n"
        "}\n"
    )
