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
#
# Taken from the x86_64 minirootfs tarballs the official alpine images ADD
# (alpinelinux/docker-alpine, branches v3.10 … v3.20).  alpine-baselayout
# ships passwd and group; its APKBUILD generates shadow from passwd.  What
# changed between the releases in this catalog:
#   3.10          the long user list with postgres (70) and mail homes in
#                 /var/spool/mail; group has postgres (70), no www-data
#   3.11 – 3.19   postgres gone, mail homes in /var/mail; 3.14 adds the
#                 www-data group (82)
#   3.20          alpine-baselayout 3.6: the trimmed lists, root's shell /bin/sh
# root's shadow password is "!" up to 3.15 and "*" from 3.16.  No release
# has a user or group 1000.


def alpine_minor(version: str) -> "tuple[int, int]":
    """(3, 20) for "3.20.3"."""
    major, minor = version.split(".")[:2]
    return int(major), int(minor)


def alpine_os_release(version: str) -> str:
    minor = ".".join(version.split(".")[:2])
    bugs = ("https://gitlab.alpinelinux.org/alpine/aports/-/issues"
            if alpine_minor(version) >= (3, 16) else "https://bugs.alpinelinux.org/")
    return (
        'NAME="Alpine Linux"\n'
        "ID=alpine\n"
        f"VERSION_ID={version}\n"
        f'PRETTY_NAME="Alpine Linux v{minor}"\n'
        'HOME_URL="https://alpinelinux.org/"\n'
        f'BUG_REPORT_URL="{bugs}"\n'
    )


_ALPINE_PASSWD_LONG = """\
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

#: alpine-baselayout 3.1.2 (Alpine 3.10).
ALPINE_PASSWD_3_10 = (
    _ALPINE_PASSWD_LONG
    .replace("mail:x:8:12:mail:/var/mail:", "mail:x:8:12:mail:/var/spool/mail:")
    .replace("postmaster:x:14:12:postmaster:/var/mail:", "postmaster:x:14:12:postmaster:/var/spool/mail:")
    .replace("games:x:35:35:games:/usr/games:/sbin/nologin\n",
             "games:x:35:35:games:/usr/games:/sbin/nologin\n"
             "postgres:x:70:70::/var/lib/postgresql:/bin/sh\n")
)

#: alpine-baselayout 3.2.0 … 3.4.3 (Alpine 3.11 – 3.19).
ALPINE_PASSWD_3_11 = _ALPINE_PASSWD_LONG

#: alpine-baselayout 3.6.5 (Alpine 3.20).
ALPINE_PASSWD_3_20 = """\
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

#: alpine-baselayout 3.2.0 (Alpine 3.11 – 3.13).
ALPINE_GROUP_3_11 = """\
root:x:0:root
bin:x:1:root,bin,daemon
daemon:x:2:root,bin,daemon
sys:x:3:root,bin,adm
adm:x:4:root,adm,daemon
tty:x:5:
disk:x:6:root,adm
lp:x:7:lp
mem:x:8:
kmem:x:9:
wheel:x:10:root
floppy:x:11:root
mail:x:12:mail
news:x:13:news
uucp:x:14:uucp
man:x:15:man
cron:x:16:cron
console:x:17:
audio:x:18:
cdrom:x:19:
dialout:x:20:root
ftp:x:21:
sshd:x:22:
input:x:23:
at:x:25:at
tape:x:26:root
video:x:27:root
netdev:x:28:
readproc:x:30:
squid:x:31:squid
xfs:x:33:xfs
kvm:x:34:kvm
games:x:35:
shadow:x:42:
cdrw:x:80:
usb:x:85:
vpopmail:x:89:
users:x:100:games
ntp:x:123:
nofiles:x:200:
smmsp:x:209:smmsp
locate:x:245:
abuild:x:300:
utmp:x:406:
ping:x:999:
nogroup:x:65533:
nobody:x:65534:
"""

#: Alpine 3.10: postgres (70) still there.
ALPINE_GROUP_3_10 = ALPINE_GROUP_3_11.replace("shadow:x:42:\n", "shadow:x:42:\npostgres:x:70:\n")

#: Alpine 3.14 – 3.19: www-data (82) added.
ALPINE_GROUP_3_14 = ALPINE_GROUP_3_11.replace("cdrw:x:80:\n", "cdrw:x:80:\nwww-data:x:82:\n")

#: alpine-baselayout 3.6.5 (Alpine 3.20).
ALPINE_GROUP_3_20 = """\
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


def alpine_passwd(version: str) -> str:
    minor = alpine_minor(version)
    if minor >= (3, 20):
        return ALPINE_PASSWD_3_20
    return ALPINE_PASSWD_3_11 if minor >= (3, 11) else ALPINE_PASSWD_3_10


def alpine_group(version: str) -> str:
    minor = alpine_minor(version)
    if minor >= (3, 20):
        return ALPINE_GROUP_3_20
    if minor >= (3, 14):
        return ALPINE_GROUP_3_14
    return ALPINE_GROUP_3_11 if minor >= (3, 11) else ALPINE_GROUP_3_10


def alpine_shadow(version: str) -> str:
    """The shadow alpine-baselayout's APKBUILD writes: every account of
    passwd locked with "!" and no aging fields but a zero last change;
    root "*" from 3.16 on."""
    root = "*" if alpine_minor(version) >= (3, 16) else "!"
    lines = []
    for line in alpine_passwd(version).splitlines():
        name = line.split(":", 1)[0]
        lines.append(f"{name}:{root if name == 'root' else '!'}::0:::::")
    return "\n".join(lines) + "\n"


def busybox_adduser_shadow_line(name: str, day: int) -> str:
    """The line busybox ``adduser`` appends to /etc/shadow (locked, with
    the day it ran as last change)."""
    return f"{name}:!:{day}:0:99999:7:::\n"


def alpine_repositories(version: str) -> str:
    scheme = "https" if alpine_minor(version) >= (3, 13) else "http"
    branch = "v" + ".".join(version.split(".")[:2])
    return (f"{scheme}://dl-cdn.alpinelinux.org/alpine/{branch}/main\n"
            f"{scheme}://dl-cdn.alpinelinux.org/alpine/{branch}/community\n")


def alpine_issue(version: str) -> str:
    return f"Welcome to Alpine Linux {'.'.join(version.split('.')[:2])}\nKernel \\r on an \\m (\\l)\n\n"


def alpine_motd(version: str) -> str:
    scheme = "https" if alpine_minor(version) >= (3, 17) else "http"
    return ("Welcome to Alpine!\n\n"
            "The Alpine Wiki contains a large amount of how-to guides and general\n"
            "information about administrating Alpine systems.\n"
            f"See <{scheme}://wiki.alpinelinux.org/>.\n\n"
            "You can setup the system with the command: setup-alpine\n\n"
            "You may change this message by editing /etc/motd.\n\n")


#: /etc/apk/world of every minirootfs in the catalog.
ALPINE_WORLD = "alpine-baselayout\nalpine-keys\napk-tools\nbusybox\nlibc-utils\n"

#: /etc/crontabs/root (busybox crond's table, from alpine-baselayout).
ALPINE_CRONTAB = """\
# do daily/weekly/monthly maintenance
# min	hour	day	month	weekday	command
*/15	*	*	*	*	run-parts /etc/periodic/15min
0	*	*	*	*	run-parts /etc/periodic/hourly
0	2	*	*	*	run-parts /etc/periodic/daily
0	3	*	*	6	run-parts /etc/periodic/weekly
0	5	1	*	*	run-parts /etc/periodic/monthly

"""

ALPINE_SHELLS = "# valid login shells\n/bin/sh\n/bin/ash\n"

ALPINE_HOSTS = "127.0.0.1\tlocalhost localhost.localdomain\n::1\t\tlocalhost localhost.localdomain\n"

#: /etc/nsswitch.conf, shipped from Alpine 3.16 on.
ALPINE_NSSWITCH = """\
# musl itself does not support NSS, however some third-party DNS
# implementations use the nsswitch.conf file to determine what
# policy to follow.
# Editing this file is not recommended.
hosts: files dns
"""

#: The packages each minirootfs has installed (/lib/apk/db/installed), in
#: the database's order.
ALPINE_PACKAGES: "dict[str, tuple[tuple[str, str], ...]]" = {
    "3.10.9": (("musl", "1.1.22-r4"), ("busybox", "1.30.1-r5"), ("alpine-baselayout", "3.1.2-r0"),
               ("alpine-keys", "2.1-r2"), ("libcrypto1.1", "1.1.1k-r0"), ("libssl1.1", "1.1.1k-r0"),
               ("ca-certificates-cacert", "20191127-r2"), ("libtls-standalone", "2.9.1-r0"),
               ("ssl_client", "1.30.1-r5"), ("zlib", "1.2.11-r1"), ("apk-tools", "2.10.6-r0"),
               ("scanelf", "1.2.3-r0"), ("musl-utils", "1.1.22-r4"), ("libc-utils", "0.7.1-r0")),
    "3.11.13": (("musl", "1.1.24-r3"), ("busybox", "1.31.1-r11"), ("alpine-baselayout", "3.2.0-r3"),
                ("alpine-keys", "2.1-r2"), ("libcrypto1.1", "1.1.1l-r0"), ("libssl1.1", "1.1.1l-r0"),
                ("ca-certificates-cacert", "20191127-r2"), ("libtls-standalone", "2.9.1-r0"),
                ("ssl_client", "1.31.1-r11"), ("zlib", "1.2.11-r3"), ("apk-tools", "2.10.8-r0"),
                ("scanelf", "1.2.4-r0"), ("musl-utils", "1.1.24-r3"), ("libc-utils", "0.7.2-r0")),
    "3.12.12": (("musl", "1.1.24-r10"), ("busybox", "1.31.1-r22"), ("alpine-baselayout", "3.2.0-r7"),
                ("alpine-keys", "2.4-r0"), ("libcrypto1.1", "1.1.1n-r0"), ("libssl1.1", "1.1.1n-r0"),
                ("ca-certificates-bundle", "20211220-r0"), ("libtls-standalone", "2.9.1-r1"),
                ("ssl_client", "1.31.1-r22"), ("zlib", "1.2.12-r0"), ("apk-tools", "2.10.8-r1"),
                ("scanelf", "1.2.6-r0"), ("musl-utils", "1.1.24-r10"), ("libc-utils", "0.7.2-r3")),
    "3.13.12": (("musl", "1.2.2-r1"), ("busybox", "1.32.1-r9"), ("alpine-baselayout", "3.2.0-r8"),
                ("alpine-keys", "2.4-r0"), ("libcrypto1.1", "1.1.1q-r0"), ("libssl1.1", "1.1.1q-r0"),
                ("ca-certificates-bundle", "20220614-r0"), ("libtls-standalone", "2.9.1-r1"),
                ("ssl_client", "1.32.1-r9"), ("zlib", "1.2.12-r3"), ("apk-tools", "2.12.7-r0"),
                ("scanelf", "1.2.8-r0"), ("musl-utils", "1.2.2-r1"), ("libc-utils", "0.7.2-r3")),
    "3.14.10": (("musl", "1.2.2-r4"), ("busybox", "1.33.1-r8"), ("alpine-baselayout", "3.2.0-r16"),
                ("alpine-keys", "2.4-r0"), ("libcrypto1.1", "1.1.1t-r2"), ("libssl1.1", "1.1.1t-r2"),
                ("ca-certificates-bundle", "20220614-r0"), ("libretls", "3.3.3p1-r3"),
                ("ssl_client", "1.33.1-r8"), ("zlib", "1.2.12-r3"), ("apk-tools", "2.12.7-r0"),
                ("scanelf", "1.3.2-r0"), ("musl-utils", "1.2.2-r4"), ("libc-utils", "0.7.2-r3")),
    "3.15.11": (("musl", "1.2.2-r9"), ("busybox", "1.34.1-r7"), ("alpine-baselayout", "3.2.0-r18"),
                ("alpine-keys", "2.4-r1"), ("ca-certificates-bundle", "20230506-r0"),
                ("libcrypto1.1", "1.1.1w-r1"), ("libssl1.1", "1.1.1w-r1"), ("libretls", "3.3.4-r3"),
                ("ssl_client", "1.34.1-r7"), ("zlib", "1.2.12-r3"), ("apk-tools", "2.12.7-r3"),
                ("scanelf", "1.3.3-r0"), ("musl-utils", "1.2.2-r9"), ("libc-utils", "0.7.2-r3")),
    "3.16.9": (("alpine-baselayout-data", "3.2.0-r23"), ("musl", "1.2.3-r3"), ("busybox", "1.35.0-r17"),
               ("alpine-baselayout", "3.2.0-r23"), ("alpine-keys", "2.4-r1"),
               ("ca-certificates-bundle", "20230506-r0"), ("libcrypto1.1", "1.1.1w-r1"),
               ("libssl1.1", "1.1.1w-r1"), ("ssl_client", "1.35.0-r17"), ("zlib", "1.2.12-r3"),
               ("apk-tools", "2.12.9-r3"), ("scanelf", "1.3.4-r0"), ("musl-utils", "1.2.3-r3"),
               ("libc-utils", "0.7.2-r3")),
    "3.17.10": (("alpine-baselayout-data", "3.4.0-r0"), ("musl", "1.2.3-r5"), ("busybox", "1.35.0-r31"),
                ("busybox-binsh", "1.35.0-r31"), ("alpine-baselayout", "3.4.0-r0"), ("alpine-keys", "2.4-r1"),
                ("ca-certificates-bundle", "20240226-r0"), ("libcrypto3", "3.0.15-r0"),
                ("libssl3", "3.0.15-r0"), ("ssl_client", "1.35.0-r31"), ("zlib", "1.2.13-r0"),
                ("apk-tools", "2.12.14-r0"), ("scanelf", "1.3.5-r1"), ("musl-utils", "1.2.3-r5"),
                ("libc-utils", "0.7.2-r3")),
    "3.18.9": (("alpine-baselayout", "3.4.3-r1"), ("alpine-baselayout-data", "3.4.3-r1"),
               ("alpine-keys", "2.4-r1"), ("apk-tools", "2.14.4-r0"), ("busybox", "1.36.1-r7"),
               ("busybox-binsh", "1.36.1-r7"), ("ca-certificates-bundle", "20240226-r0"),
               ("libc-utils", "0.7.2-r5"), ("libcrypto3", "3.1.7-r0"), ("libssl3", "3.1.7-r0"),
               ("musl", "1.2.4-r2"), ("musl-utils", "1.2.4-r2"), ("scanelf", "1.3.7-r1"),
               ("ssl_client", "1.36.1-r7"), ("zlib", "1.2.13-r1")),
    "3.19.4": (("alpine-baselayout", "3.4.3-r2"), ("alpine-baselayout-data", "3.4.3-r2"),
               ("alpine-keys", "2.4-r1"), ("apk-tools", "2.14.4-r0"), ("busybox", "1.36.1-r19"),
               ("busybox-binsh", "1.36.1-r19"), ("ca-certificates-bundle", "20240226-r0"),
               ("libc-utils", "0.7.2-r5"), ("libcrypto3", "3.1.7-r0"), ("libssl3", "3.1.7-r0"),
               ("musl", "1.2.4_git20230717-r4"), ("musl-utils", "1.2.4_git20230717-r4"),
               ("scanelf", "1.3.7-r2"), ("ssl_client", "1.36.1-r19"), ("zlib", "1.3.1-r0")),
    "3.20.3": (("alpine-baselayout", "3.6.5-r0"), ("alpine-baselayout-data", "3.6.5-r0"),
               ("alpine-keys", "2.4-r1"), ("apk-tools", "2.14.4-r0"), ("busybox", "1.36.1-r29"),
               ("busybox-binsh", "1.36.1-r29"), ("ca-certificates-bundle", "20240705-r0"),
               ("libcrypto3", "3.3.2-r0"), ("libssl3", "3.3.2-r0"), ("musl", "1.2.5-r0"),
               ("musl-utils", "1.2.5-r0"), ("scanelf", "1.3.7-r2"), ("ssl_client", "1.36.1-r29"),
               ("zlib", "1.3.1-r1")),
}


# /etc/profile of alpine-baselayout, by release (composed from the pieces
# the releases share).
_PROFILE_LOOP_OLD = """\
for script in /etc/profile.d/*.sh ; do
        if [ -r $script ] ; then
                . $script
        fi
done
"""

_PROFILE_LOOP = """\
for script in /etc/profile.d/*.sh ; do
	if [ -r "$script" ] ; then
		. "$script"
	fi
done
unset script
"""

_PROFILE_APPEND_PATH = """\
# Append "$1" to $PATH when not already in.
# Copied from Arch Linux, see #12803 for details.
append_path () {
	case ":$PATH:" in
		*:"$1":*)
			;;
		*)
			PATH="${PATH:+$PATH:}$1"
			;;
	esac
}

append_path "/usr/local/sbin"
append_path "/usr/local/bin"
append_path "/usr/sbin"
append_path "/usr/bin"
append_path "/sbin"
append_path "/bin"
unset -f append_path

export PATH
export PAGER=less
umask 022

"""

_PROFILE_PS1 = """\
# use nicer PS1 for bash and busybox ash
if [ -n "$BASH_VERSION" -o "$BB_ASH_VERSION" ]; then
	PS1='\\h:\\w\\$ '
# use nicer PS1 for zsh
elif [ -n "$ZSH_VERSION" ]; then
	PS1='%m:%~%# '
# set up fallback default PS1
else
	: "${HOSTNAME:=$(hostname)}"
	PS1='${HOSTNAME%%.*}:$PWD'
	[ "$(id -u)" -eq 0 ] && PS1="${PS1}# " || PS1="${PS1}\\$ "
fi
"""

_PROFILE_PS1_3_14 = """\
# set up fallback default PS1
: "${HOSTNAME:=$(hostname)}"
PS1='${HOSTNAME%%.*}:$PWD'
[ "$(id -u)" = "0" ] && PS1="${PS1}# "
[ "$(id -u)" = "0" ] || PS1="${PS1}\\$ "

# use nicer PS1 for bash and busybox ash
[ -n "$BASH_VERSION" -o "$BB_ASH_VERSION" ] && PS1='\\h:\\w\\$ '

# use nicer PS1 for zsh
[ -n "$ZSH_VERSION" ] && PS1='%m:%~%# '

# export PS1 as before
export PS1

"""

_PROFILE_PATH = """\
export PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

export PAGER=less
umask 022

"""

_PROFILE_BASHRC_3_18 = """\
if [ -n "$BASH_VERSION" ] && [ "$BASH" != "/bin/sh" ]; then
	# if we're bash (and not /bin/sh bash), also source the bashrc
	# by default, bash sources the bashrc for non-login,
	# and only /etc/profile on login (-l). so, make it do both on login.
	# this ensures that login-shell bash (e.g. -bash or bash -l) still sources the
	# system bashrc, which e.g. loads bash-completion
	. /etc/bash/bashrc
fi

"""

_PROFILE_3_11 = ("export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n"
                 "export PAGER=less\nexport PS1='\\h:\\w\\$ '\numask 022\n\n" + _PROFILE_LOOP_OLD)


def alpine_profile(version: str) -> str:
    minor = alpine_minor(version)
    if minor >= (3, 19):
        return _PROFILE_PATH + _PROFILE_PS1 + "\n" + _PROFILE_LOOP
    if minor >= (3, 18):
        return _PROFILE_PATH + _PROFILE_PS1 + "\n" + _PROFILE_BASHRC_3_18 + _PROFILE_LOOP
    if minor >= (3, 17):
        return _PROFILE_APPEND_PATH + _PROFILE_PS1 + "\n" + _PROFILE_LOOP
    if minor >= (3, 16):
        return _PROFILE_APPEND_PATH + _PROFILE_PS1 + "export PS1\n\n" + _PROFILE_LOOP
    if minor >= (3, 14):
        return _PROFILE_APPEND_PATH + _PROFILE_PS1_3_14 + _PROFILE_LOOP
    if minor >= (3, 11):
        return _PROFILE_3_11
    return "export CHARSET=UTF-8\nexport LANG=C.UTF-8\n" + _PROFILE_3_11


def apk_installed(packages: "tuple[tuple[str, str], ...] | list[tuple[str, str]]") -> str:
    """An /lib/apk/db/installed naming ``packages`` (name, version): each a
    P:/V:/A: stanza.  The real database has more fields per package (files,
    checksums, dependencies); these three are what ``apk info -v`` reads."""
    return "".join(f"P:{name}\nV:{version}\nA:x86_64\n\n" for name, version in packages)

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


#: base-passwd 3.6.1 (Debian 12 bookworm): passwd.master as installed, the
#: password fields moved to /etc/shadow by pwconv.  Same in 3.6.3 (noble).
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

#: Ubuntu 22.04 (jammy): base-passwd 3.5.52, which still creates gnats (41)
#: and has no _apt; apt's postinst adds _apt as the first free system uid (100).
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

#: Ubuntu 24.04 (noble): base-passwd 3.6.3 (the same lists as bookworm) plus
#: the image's default ``ubuntu`` user and group 1000.  Its membership in
#: ``users`` is not verified against a real image.
UBUNTU_2404_PASSWD = DEBIAN_PASSWD + "ubuntu:x:1000:1000:Ubuntu:/home/ubuntu:/bin/bash\n"
UBUNTU_2404_GROUP = DEBIAN_GROUP.replace("users:x:100:\n", "users:x:100:ubuntu\n") + "ubuntu:x:1000:\n"

def pwconv_shadow(passwd: str, day: int) -> str:
    """The /etc/shadow ``pwconv`` makes of base-passwd's accounts (their
    password "*" moved over, aging from login.defs: 0/99999/7), ``day``
    being the last-change date (days since the epoch) it ran at."""
    return "".join(f"{line.split(':', 1)[0]}:*:{day}:0:99999:7:::\n" for line in passwd.splitlines())


def grpconv_gshadow(group: str) -> str:
    """The /etc/gshadow ``grpconv`` makes of base-passwd's groups."""
    lines = []
    for line in group.splitlines():
        name, _, _, members = line.split(":")
        lines.append(f"{name}:*::{members}\n")
    return "".join(lines)


def useradd_shadow_line(name: str, day: int, *, system: bool) -> str:
    """The line shadow's ``useradd`` writes for a new account without a
    password: locked ("!"); a system account gets no aging fields."""
    if system:
        return f"{name}:!:{day}::::::\n"
    return f"{name}:!:{day}:0:99999:7:::\n"


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

# -- bash (docker-library/bash) ------------------------------------------------------

#: /usr/local/bin/docker-entrypoint.sh of the bash image: with no arguments,
#: or an option first, the arguments go to bash; otherwise they are the
#: command.
BASH_ENTRYPOINT = """\
#!/usr/bin/env bash
set -Eeuo pipefail

# first arg is `-f` or `--some-option`
# or there are no args
if [ "$#" -eq 0 ] || [ "${1#-}" != "$1" ]; then
	# docker run bash -c 'echo hi'
	exec bash "$@"
fi

exec "$@"
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


# -- history text of the nginx and bash images ---------------------------------------

#: The shell commands of the RUN instructions, as the images' history
#: carries them (``RUN /bin/sh -c <command> # buildkit``): continuation
#: lines joined and comment lines dropped the way the Dockerfile parser
#: does.  nginx ones from nginxinc/docker-nginx at the commit named (the
#: text checked against docker-library/repo-info's record of
#: nginx:mainline-alpine-slim); bash's from docker-library/repo-info
#: (bash:5.2.37-alpine3.20, amd64).

#: mainline/debian/Dockerfile at d21b4f2 (nginx 1.27.3, njs 0.8.7).
NGINX_DEBIAN_RUN_1_27_3 = (
    'set -x     && groupadd --system --gid 101 nginx     && useradd --system --gid nginx '
    '--no-create-home --home /nonexistent --comment "nginx user" --shell /bin/false --uid '
    '101 nginx     && apt-get update     && apt-get install --no-install-recommends '
    '--no-install-suggests -y gnupg1 ca-certificates     &&     '
    'NGINX_GPGKEYS="573BFD6B3D8FBC641079A6ABABF5BD827BD9BF62 '
    '8540A6F18833A80E9C1653A42FD21310B49F6B46 9E9BE90EACBCDE69FE9B204CBCDCD8A38D88A2B3";     '
    'NGINX_GPGKEY_PATH=/etc/apt/keyrings/nginx-archive-keyring.gpg;     export '
    'GNUPGHOME="$(mktemp -d)";     found=\'\';     for NGINX_GPGKEY in $NGINX_GPGKEYS; do     '
    'for server in         hkp://keyserver.ubuntu.com:80         pgp.mit.edu     ; do        '
    ' echo "Fetching GPG key $NGINX_GPGKEY from $server";         gpg1 --keyserver "$server" '
    '--keyserver-options timeout=10 --recv-keys "$NGINX_GPGKEY" && found=yes && break;     '
    'done;     test -z "$found" && echo >&2 "error: failed to fetch GPG key $NGINX_GPGKEY" '
    '&& exit 1;     done;     gpg1 --export "$NGINX_GPGKEYS" > "$NGINX_GPGKEY_PATH" ;     rm '
    '-rf "$GNUPGHOME";     apt-get remove --purge --auto-remove -y gnupg1 && rm -rf '
    '/var/lib/apt/lists/*     && dpkgArch="$(dpkg --print-architecture)"     && '
    'nginxPackages="         nginx=${NGINX_VERSION}-${PKG_RELEASE}         '
    'nginx-module-xslt=${NGINX_VERSION}-${DYNPKG_RELEASE}         '
    'nginx-module-geoip=${NGINX_VERSION}-${DYNPKG_RELEASE}         '
    'nginx-module-image-filter=${NGINX_VERSION}-${DYNPKG_RELEASE}         '
    'nginx-module-njs=${NGINX_VERSION}+${NJS_VERSION}-${NJS_RELEASE}     "     && case '
    '"$dpkgArch" in         amd64|arm64)             echo "deb '
    '[signed-by=$NGINX_GPGKEY_PATH] https://nginx.org/packages/mainline/debian/ bookworm '
    'nginx" >> /etc/apt/sources.list.d/nginx.list             && apt-get update             '
    ';;         *)             tempDir="$(mktemp -d)"             && chmod 777 "$tempDir"    '
    '                     && savedAptMark="$(apt-mark showmanual)"                         '
    '&& apt-get update             && apt-get install --no-install-recommends '
    '--no-install-suggests -y                 curl                 devscripts                '
    ' equivs                 git                 libxml2-utils                 lsb-release   '
    '              xsltproc             && (                 cd "$tempDir"                 '
    '&& REVISION="${NGINX_VERSION}-${PKG_RELEASE}"                 && '
    'REVISION=${REVISION%~*}                 && curl -f -L -O '
    'https://github.com/nginx/pkg-oss/archive/${REVISION}.tar.gz                 && '
    'PKGOSSCHECKSUM="5617feecfb441cd972b9ac51a2fd78384a3d2bde2f399163be0746d44ec8f7d8c47234af4f6b0012667c3d0446cced521f55f8f71254415e3766c2e3802bf960 '
    '*${REVISION}.tar.gz"                 && if [ "$(openssl sha512 -r ${REVISION}.tar.gz)" '
    '= "$PKGOSSCHECKSUM" ]; then                     echo "pkg-oss tarball checksum '
    'verification succeeded!";                 else                     echo "pkg-oss '
    'tarball checksum verification failed!";                     exit 1;                 fi  '
    '               && tar xzvf ${REVISION}.tar.gz                 && cd pkg-oss-${REVISION} '
    '                && cd debian                 && for target in base module-geoip '
    'module-image-filter module-njs module-xslt; do                     make rules-$target;  '
    '                   mk-build-deps --install --tool="apt-get -o '
    'Debug::pkgProblemResolver=yes --no-install-recommends --yes"                         '
    'debuild-$target/nginx-$NGINX_VERSION/debian/control;                 done               '
    '  && make base module-geoip module-image-filter module-njs module-xslt             )    '
    '                     && apt-mark showmanual | xargs apt-mark auto > /dev/null           '
    '  && { [ -z "$savedAptMark" ] || apt-mark manual $savedAptMark; }                       '
    '  && ls -lAFh "$tempDir"             && ( cd "$tempDir" && dpkg-scanpackages . > '
    'Packages )             && grep \'^Package: \' "$tempDir/Packages"             && echo '
    '"deb [ trusted=yes ] file://$tempDir ./" > /etc/apt/sources.list.d/temp.list            '
    ' && apt-get -o Acquire::GzipIndexes=false update             ;;     esac         && '
    'apt-get install --no-install-recommends --no-install-suggests -y                        '
    ' $nginxPackages                         gettext-base                         curl     '
    '&& apt-get remove --purge --auto-remove -y && rm -rf /var/lib/apt/lists/* '
    '/etc/apt/sources.list.d/nginx.list         && if [ -n "$tempDir" ]; then         '
    'apt-get purge -y --auto-remove         && rm -rf "$tempDir" '
    '/etc/apt/sources.list.d/temp.list;     fi     && ln -sf /dev/stdout '
    '/var/log/nginx/access.log     && ln -sf /dev/stderr /var/log/nginx/error.log     && '
    'mkdir /docker-entrypoint.d'
)

#: mainline/alpine-slim/Dockerfile at d21b4f2 (nginx 1.27.3, alpine 3.20).
NGINX_ALPINE_SLIM_RUN_1_27_3 = (
    'set -x     && addgroup -g 101 -S nginx     && adduser -S -D -H -u 101 -h '
    '/var/cache/nginx -s /sbin/nologin -G nginx -g nginx nginx     && apkArch="$(cat '
    '/etc/apk/arch)"     && nginxPackages="         nginx=${NGINX_VERSION}-r${PKG_RELEASE}   '
    '  "     && apk add --no-cache --virtual .checksum-deps         openssl     && case '
    '"$apkArch" in         x86_64|aarch64)             set -x             && '
    'KEY_SHA512="e09fa32f0a0eab2b879ccbbc4d0e4fb9751486eedda75e35fac65802cc9faa266425edf83e261137a2f4d16281ce2c1a5f4502930fe75154723da014214f0655" '
    '            && wget -O /tmp/nginx_signing.rsa.pub '
    'https://nginx.org/keys/nginx_signing.rsa.pub             && if echo "$KEY_SHA512 '
    '*/tmp/nginx_signing.rsa.pub" | sha512sum -c -; then                 echo "key '
    'verification succeeded!";                 mv /tmp/nginx_signing.rsa.pub /etc/apk/keys/; '
    '            else                 echo "key verification failed!";                 exit '
    '1;             fi             && apk add -X '
    '"https://nginx.org/packages/mainline/alpine/v$(egrep -o \'^[0-9]+\\.[0-9]+\' '
    '/etc/alpine-release)/main" --no-cache $nginxPackages             ;;         *)          '
    '   set -x             && tempDir="$(mktemp -d)"             && chown nobody:nobody '
    '$tempDir             && apk add --no-cache --virtual .build-deps                 gcc    '
    '             libc-dev                 make                 openssl-dev                 '
    'pcre2-dev                 zlib-dev                 linux-headers                 bash   '
    '              alpine-sdk                 findutils                 curl             && '
    'su nobody -s /bin/sh -c "                 export HOME=${tempDir}                 && cd '
    '${tempDir}                 && curl -f -L -O '
    'https://github.com/nginx/pkg-oss/archive/${NGINX_VERSION}-${PKG_RELEASE}.tar.gz         '
    '        && '
    'PKGOSSCHECKSUM=\\"5617feecfb441cd972b9ac51a2fd78384a3d2bde2f399163be0746d44ec8f7d8c47234af4f6b0012667c3d0446cced521f55f8f71254415e3766c2e3802bf960 '
    '*${NGINX_VERSION}-${PKG_RELEASE}.tar.gz\\"                 && if [ \\"\\$(openssl sha512 '
    '-r ${NGINX_VERSION}-${PKG_RELEASE}.tar.gz)\\" = \\"\\$PKGOSSCHECKSUM\\" ]; then             '
    '        echo \\"pkg-oss tarball checksum verification succeeded!\\";                 else '
    '                    echo \\"pkg-oss tarball checksum verification failed!\\";             '
    '        exit 1;                 fi                 && tar xzvf '
    '${NGINX_VERSION}-${PKG_RELEASE}.tar.gz                 && cd '
    'pkg-oss-${NGINX_VERSION}-${PKG_RELEASE}                 && cd alpine                 && '
    'make base                 && apk index --allow-untrusted -o '
    '${tempDir}/packages/alpine/${apkArch}/APKINDEX.tar.gz '
    '${tempDir}/packages/alpine/${apkArch}/*.apk                 && abuild-sign -k '
    '${tempDir}/.abuild/abuild-key.rsa ${tempDir}/packages/alpine/${apkArch}/APKINDEX.tar.gz '
    '                "             && cp ${tempDir}/.abuild/abuild-key.rsa.pub '
    '/etc/apk/keys/             && apk del --no-network .build-deps             && apk add '
    '-X ${tempDir}/packages/alpine/ --no-cache $nginxPackages             ;;     esac     && '
    'apk del --no-network .checksum-deps     && if [ -n "$tempDir" ]; then rm -rf '
    '"$tempDir"; fi     && if [ -f "/etc/apk/keys/abuild-key.rsa.pub" ]; then rm -f '
    '/etc/apk/keys/abuild-key.rsa.pub; fi     && apk add --no-cache --virtual .gettext '
    'gettext     && mv /usr/bin/envsubst /tmp/         && runDeps="$(         scanelf '
    '--needed --nobanner /tmp/envsubst             | awk \'{ gsub(/,/, "\\nso:", $2); print '
    '"so:" $2 }\'             | sort -u             | xargs -r apk info --installed           '
    '  | sort -u     )"     && apk add --no-cache $runDeps     && apk del --no-network '
    '.gettext     && mv /tmp/envsubst /usr/local/bin/     && apk add --no-cache tzdata     '
    '&& ln -sf /dev/stdout /var/log/nginx/access.log     && ln -sf /dev/stderr '
    '/var/log/nginx/error.log     && mkdir /docker-entrypoint.d'
)

#: mainline/alpine/Dockerfile at d21b4f2 (njs 0.8.7).
NGINX_ALPINE_RUN_1_27_3 = (
    'set -x     && apkArch="$(cat /etc/apk/arch)"     && nginxPackages="         '
    'nginx=${NGINX_VERSION}-r${PKG_RELEASE}         '
    'nginx-module-xslt=${NGINX_VERSION}-r${DYNPKG_RELEASE}         '
    'nginx-module-geoip=${NGINX_VERSION}-r${DYNPKG_RELEASE}         '
    'nginx-module-image-filter=${NGINX_VERSION}-r${DYNPKG_RELEASE}         '
    'nginx-module-njs=${NGINX_VERSION}.${NJS_VERSION}-r${NJS_RELEASE}     "     && apk add '
    '--no-cache --virtual .checksum-deps         openssl     && case "$apkArch" in         '
    'x86_64|aarch64)             apk add -X '
    '"https://nginx.org/packages/mainline/alpine/v$(egrep -o \'^[0-9]+\\.[0-9]+\' '
    '/etc/alpine-release)/main" --no-cache $nginxPackages             ;;         *)          '
    '   set -x             && tempDir="$(mktemp -d)"             && chown nobody:nobody '
    '$tempDir             && apk add --no-cache --virtual .build-deps                 gcc    '
    '             libc-dev                 make                 openssl-dev                 '
    'pcre2-dev                 zlib-dev                 linux-headers                 '
    'libxslt-dev                 gd-dev                 geoip-dev                 '
    'libedit-dev                 bash                 alpine-sdk                 findutils   '
    '              curl             && su nobody -s /bin/sh -c "                 export '
    'HOME=${tempDir}                 && cd ${tempDir}                 && curl -f -L -O '
    'https://github.com/nginx/pkg-oss/archive/${NGINX_VERSION}-${PKG_RELEASE}.tar.gz         '
    '        && '
    'PKGOSSCHECKSUM=\\"5617feecfb441cd972b9ac51a2fd78384a3d2bde2f399163be0746d44ec8f7d8c47234af4f6b0012667c3d0446cced521f55f8f71254415e3766c2e3802bf960 '
    '*${NGINX_VERSION}-${PKG_RELEASE}.tar.gz\\"                 && if [ \\"\\$(openssl sha512 '
    '-r ${NGINX_VERSION}-${PKG_RELEASE}.tar.gz)\\" = \\"\\$PKGOSSCHECKSUM\\" ]; then             '
    '        echo \\"pkg-oss tarball checksum verification succeeded!\\";                 else '
    '                    echo \\"pkg-oss tarball checksum verification failed!\\";             '
    '        exit 1;                 fi                 && tar xzvf '
    '${NGINX_VERSION}-${PKG_RELEASE}.tar.gz                 && cd '
    'pkg-oss-${NGINX_VERSION}-${PKG_RELEASE}                 && cd alpine                 && '
    'make module-geoip module-image-filter module-njs module-xslt                 && apk '
    'index --allow-untrusted -o ${tempDir}/packages/alpine/${apkArch}/APKINDEX.tar.gz '
    '${tempDir}/packages/alpine/${apkArch}/*.apk                 && abuild-sign -k '
    '${tempDir}/.abuild/abuild-key.rsa ${tempDir}/packages/alpine/${apkArch}/APKINDEX.tar.gz '
    '                "             && cp ${tempDir}/.abuild/abuild-key.rsa.pub '
    '/etc/apk/keys/             && apk del --no-network .build-deps             && apk add '
    '-X ${tempDir}/packages/alpine/ --no-cache $nginxPackages             ;;     esac     && '
    'apk del --no-network .checksum-deps     && if [ -n "$tempDir" ]; then rm -rf '
    '"$tempDir"; fi     && if [ -f "/etc/apk/keys/abuild-key.rsa.pub" ]; then rm -f '
    '/etc/apk/keys/abuild-key.rsa.pub; fi     && apk add --no-cache curl ca-certificates'
)

#: mainline/alpine-slim/Dockerfile at 1f22761 (nginx 1.25.4, alpine 3.18).
NGINX_ALPINE_SLIM_RUN_1_25_4 = (
    'set -x     && addgroup -g 101 -S nginx     && adduser -S -D -H -u 101 -h '
    '/var/cache/nginx -s /sbin/nologin -G nginx -g nginx nginx     && apkArch="$(cat '
    '/etc/apk/arch)"     && nginxPackages="         nginx=${NGINX_VERSION}-r${PKG_RELEASE}   '
    '  "     && apk add --no-cache --virtual .checksum-deps         openssl     && case '
    '"$apkArch" in         x86_64|aarch64)             set -x             && '
    'KEY_SHA512="e09fa32f0a0eab2b879ccbbc4d0e4fb9751486eedda75e35fac65802cc9faa266425edf83e261137a2f4d16281ce2c1a5f4502930fe75154723da014214f0655" '
    '            && wget -O /tmp/nginx_signing.rsa.pub '
    'https://nginx.org/keys/nginx_signing.rsa.pub             && if echo "$KEY_SHA512 '
    '*/tmp/nginx_signing.rsa.pub" | sha512sum -c -; then                 echo "key '
    'verification succeeded!";                 mv /tmp/nginx_signing.rsa.pub /etc/apk/keys/; '
    '            else                 echo "key verification failed!";                 exit '
    '1;             fi             && apk add -X '
    '"https://nginx.org/packages/mainline/alpine/v$(egrep -o \'^[0-9]+\\.[0-9]+\' '
    '/etc/alpine-release)/main" --no-cache $nginxPackages             ;;         *)          '
    '   set -x             && tempDir="$(mktemp -d)"             && chown nobody:nobody '
    '$tempDir             && apk add --no-cache --virtual .build-deps                 gcc    '
    '             libc-dev                 make                 openssl-dev                 '
    'pcre2-dev                 zlib-dev                 linux-headers                 bash   '
    '              alpine-sdk                 findutils             && su nobody -s /bin/sh '
    '-c "                 export HOME=${tempDir}                 && cd ${tempDir}            '
    '     && curl -f -O '
    'https://hg.nginx.org/pkg-oss/archive/${NGINX_VERSION}-${PKG_RELEASE}.tar.gz             '
    '    && '
    'PKGOSSCHECKSUM=\\"79bf214256bf55700c776a87abfc3cf542323a267d879e89110aa44b551d12f6df7d56676a68f255ebbb54275185980d1fa37075f000d98e0ecac28db9e89fe3 '
    '*${NGINX_VERSION}-${PKG_RELEASE}.tar.gz\\"                 && if [ \\"\\$(openssl sha512 '
    '-r ${NGINX_VERSION}-${PKG_RELEASE}.tar.gz)\\" = \\"\\$PKGOSSCHECKSUM\\" ]; then             '
    '        echo \\"pkg-oss tarball checksum verification succeeded!\\";                 else '
    '                    echo \\"pkg-oss tarball checksum verification failed!\\";             '
    '        exit 1;                 fi                 && tar xzvf '
    '${NGINX_VERSION}-${PKG_RELEASE}.tar.gz                 && cd '
    'pkg-oss-${NGINX_VERSION}-${PKG_RELEASE}                 && cd alpine                 && '
    'make base                 && apk index -o '
    '${tempDir}/packages/alpine/${apkArch}/APKINDEX.tar.gz '
    '${tempDir}/packages/alpine/${apkArch}/*.apk                 && abuild-sign -k '
    '${tempDir}/.abuild/abuild-key.rsa ${tempDir}/packages/alpine/${apkArch}/APKINDEX.tar.gz '
    '                "             && cp ${tempDir}/.abuild/abuild-key.rsa.pub '
    '/etc/apk/keys/             && apk del --no-network .build-deps             && apk add '
    '-X ${tempDir}/packages/alpine/ --no-cache $nginxPackages             ;;     esac     && '
    'apk del --no-network .checksum-deps     && if [ -n "$tempDir" ]; then rm -rf '
    '"$tempDir"; fi     && if [ -f "/etc/apk/keys/abuild-key.rsa.pub" ]; then rm -f '
    '/etc/apk/keys/abuild-key.rsa.pub; fi     && if [ -f '
    '"/etc/apk/keys/nginx_signing.rsa.pub" ]; then rm -f '
    '/etc/apk/keys/nginx_signing.rsa.pub; fi     && apk add --no-cache --virtual .gettext '
    'gettext     && mv /usr/bin/envsubst /tmp/         && runDeps="$(         scanelf '
    '--needed --nobanner /tmp/envsubst             | awk \'{ gsub(/,/, "\\nso:", $2); print '
    '"so:" $2 }\'             | sort -u             | xargs -r apk info --installed           '
    '  | sort -u     )"     && apk add --no-cache $runDeps     && apk del --no-network '
    '.gettext     && mv /tmp/envsubst /usr/local/bin/     && apk add --no-cache tzdata     '
    '&& ln -sf /dev/stdout /var/log/nginx/access.log     && ln -sf /dev/stderr '
    '/var/log/nginx/error.log     && mkdir /docker-entrypoint.d'
)

#: mainline/alpine/Dockerfile at 1f22761 (njs 0.8.3).
NGINX_ALPINE_RUN_1_25_4 = (
    'set -x     && apkArch="$(cat /etc/apk/arch)"     && nginxPackages="         '
    'nginx=${NGINX_VERSION}-r${PKG_RELEASE}         '
    'nginx-module-xslt=${NGINX_VERSION}-r${PKG_RELEASE}         '
    'nginx-module-geoip=${NGINX_VERSION}-r${PKG_RELEASE}         '
    'nginx-module-image-filter=${NGINX_VERSION}-r${PKG_RELEASE}         '
    'nginx-module-njs=${NGINX_VERSION}.${NJS_VERSION}-r${PKG_RELEASE}     "     && apk add '
    '--no-cache --virtual .checksum-deps         openssl     && case "$apkArch" in         '
    'x86_64|aarch64)             set -x             && '
    'KEY_SHA512="e09fa32f0a0eab2b879ccbbc4d0e4fb9751486eedda75e35fac65802cc9faa266425edf83e261137a2f4d16281ce2c1a5f4502930fe75154723da014214f0655" '
    '            && wget -O /tmp/nginx_signing.rsa.pub '
    'https://nginx.org/keys/nginx_signing.rsa.pub             && if echo "$KEY_SHA512 '
    '*/tmp/nginx_signing.rsa.pub" | sha512sum -c -; then                 echo "key '
    'verification succeeded!";                 mv /tmp/nginx_signing.rsa.pub /etc/apk/keys/; '
    '            else                 echo "key verification failed!";                 exit '
    '1;             fi             && apk add -X '
    '"https://nginx.org/packages/mainline/alpine/v$(egrep -o \'^[0-9]+\\.[0-9]+\' '
    '/etc/alpine-release)/main" --no-cache $nginxPackages             ;;         *)          '
    '   set -x             && tempDir="$(mktemp -d)"             && chown nobody:nobody '
    '$tempDir             && apk add --no-cache --virtual .build-deps                 gcc    '
    '             libc-dev                 make                 openssl-dev                 '
    'pcre2-dev                 zlib-dev                 linux-headers                 '
    'libxslt-dev                 gd-dev                 geoip-dev                 '
    'libedit-dev                 bash                 alpine-sdk                 findutils   '
    '          && su nobody -s /bin/sh -c "                 export HOME=${tempDir}           '
    '      && cd ${tempDir}                 && curl -f -O '
    'https://hg.nginx.org/pkg-oss/archive/${NGINX_VERSION}-${PKG_RELEASE}.tar.gz             '
    '    && '
    'PKGOSSCHECKSUM=\\"79bf214256bf55700c776a87abfc3cf542323a267d879e89110aa44b551d12f6df7d56676a68f255ebbb54275185980d1fa37075f000d98e0ecac28db9e89fe3 '
    '*${NGINX_VERSION}-${PKG_RELEASE}.tar.gz\\"                 && if [ \\"\\$(openssl sha512 '
    '-r ${NGINX_VERSION}-${PKG_RELEASE}.tar.gz)\\" = \\"\\$PKGOSSCHECKSUM\\" ]; then             '
    '        echo \\"pkg-oss tarball checksum verification succeeded!\\";                 else '
    '                    echo \\"pkg-oss tarball checksum verification failed!\\";             '
    '        exit 1;                 fi                 && tar xzvf '
    '${NGINX_VERSION}-${PKG_RELEASE}.tar.gz                 && cd '
    'pkg-oss-${NGINX_VERSION}-${PKG_RELEASE}                 && cd alpine                 && '
    'make module-geoip module-image-filter module-njs module-xslt                 && apk '
    'index -o ${tempDir}/packages/alpine/${apkArch}/APKINDEX.tar.gz '
    '${tempDir}/packages/alpine/${apkArch}/*.apk                 && abuild-sign -k '
    '${tempDir}/.abuild/abuild-key.rsa ${tempDir}/packages/alpine/${apkArch}/APKINDEX.tar.gz '
    '                "             && cp ${tempDir}/.abuild/abuild-key.rsa.pub '
    '/etc/apk/keys/             && apk del --no-network .build-deps             && apk add '
    '-X ${tempDir}/packages/alpine/ --no-cache $nginxPackages             ;;     esac     && '
    'apk del --no-network .checksum-deps     && if [ -n "$tempDir" ]; then rm -rf '
    '"$tempDir"; fi     && if [ -f "/etc/apk/keys/abuild-key.rsa.pub" ]; then rm -f '
    '/etc/apk/keys/abuild-key.rsa.pub; fi     && if [ -f '
    '"/etc/apk/keys/nginx_signing.rsa.pub" ]; then rm -f '
    '/etc/apk/keys/nginx_signing.rsa.pub; fi     && apk add --no-cache curl ca-certificates'
)

#: docker-library/bash 5.2 (bash 5.2.37), built Sep 2024 on alpine 3.20.
BASH_RUN_5_2 = (
    'set -eux; \t\tapk add --no-cache --virtual .build-deps \t\tbison \t\tcoreutils \t\tdpkg-dev '
    'dpkg \t\tgcc \t\tlibc-dev \t\tmake \t\tncurses-dev \t\tpatch \t\ttar \t; \t\twget -O bash.tar.gz '
    '"https://ftp.gnu.org/gnu/bash/bash-$_BASH_BASELINE.tar.gz"; \twget -O bash.tar.gz.sig '
    '"https://ftp.gnu.org/gnu/bash/bash-$_BASH_BASELINE.tar.gz.sig"; \t\t: '
    '"${_BASH_BASELINE_PATCH:=0}" "${_BASH_LATEST_PATCH:=0}"; \tif [ "$_BASH_LATEST_PATCH" '
    '-gt "$_BASH_BASELINE_PATCH" ]; then \t\tmkdir -p bash-patches; \t\tfirst="$(printf \'%03d\' '
    '"$(( _BASH_BASELINE_PATCH + 1 ))")"; \t\tlast="$(printf \'%03d\' "$_BASH_LATEST_PATCH")"; '
    '\t\tmajorMinor="${_BASH_VERSION%.*}"; \t\tfor patch in $(seq -w "$first" "$last"); do '
    '\t\t\turl="https://ftp.gnu.org/gnu/bash/bash-$majorMinor-patches/bash${majorMinor//./}-$patch"; '
    '\t\t\twget -O "bash-patches/$patch" "$url"; \t\t\twget -O "bash-patches/$patch.sig" '
    '"$url.sig"; \t\tdone; \tfi; \t\tapk add --no-cache --virtual .gpg-deps gnupg; \texport '
    'GNUPGHOME="$(mktemp -d)"; \tgpg --batch --keyserver keyserver.ubuntu.com --recv-keys '
    '7C0135FB088AAF6C66C650B9BB5869F064EA74AB; \tgpg --batch --verify bash.tar.gz.sig '
    'bash.tar.gz; \trm bash.tar.gz.sig; \tif [ -d bash-patches ]; then \t\tfor sig in '
    'bash-patches/*.sig; do \t\t\tp="${sig%.sig}"; \t\t\tgpg --batch --verify "$sig" "$p"; \t\t\trm '
    '"$sig"; \t\tdone; \tfi; \tgpgconf --kill all; \trm -rf "$GNUPGHOME"; \tapk del --no-network '
    '.gpg-deps; \t\tmkdir -p /usr/src/bash; \ttar \t\t--extract \t\t--file=bash.tar.gz '
    '\t\t--strip-components=1 \t\t--directory=/usr/src/bash \t; \trm bash.tar.gz; \t\tif [ -d '
    'bash-patches ]; then \t\tapk add --no-cache --virtual .patch-deps patch; \t\tfor p in '
    'bash-patches/*; do \t\t\tpatch \t\t\t\t--directory=/usr/src/bash \t\t\t\t--input="$(readlink -f '
    '"$p")" \t\t\t\t--strip=0 \t\t\t; \t\t\trm "$p"; \t\tdone; \t\trmdir bash-patches; \t\tapk del '
    '--no-network .patch-deps; \tfi; \t\tcd /usr/src/bash; \tgnuArch="$(dpkg-architecture '
    '--query DEB_BUILD_GNU_TYPE)"; \t./configure \t\t--build="$gnuArch" \t\t--enable-readline '
    '\t\t--with-curses \t\t--without-bash-malloc \t|| { \t\tcat >&2 config.log; \t\tfalse; \t}; \tmake '
    '-j "$(nproc)"; \tmake install; \tcd /; \trm -r /usr/src/bash; \t\trm -rf '
    '\t\t/usr/local/share/doc/bash/*.html \t\t/usr/local/share/info \t\t/usr/local/share/locale '
    '\t\t/usr/local/share/man \t; \t\trunDeps="$( \t\tscanelf --needed --nobanner --format \'%n#p\' '
    '--recursive /usr/local \t\t\t| tr \',\' \'\\n\' \t\t\t| sort -u \t\t\t| awk \'system("[ -e '
    '/usr/local/lib/" $1 " ]") == 0 { next } { print "so:" $1 }\' \t)"; \tapk add --no-network '
    '--virtual .bash-rundeps $runDeps; \tapk del --no-network .build-deps; \t\t[ "$(which '
    'bash)" = \'/usr/local/bin/bash\' ]; \tbash --version; \t[ "$(bash -c \'echo '
    '"${BASH_VERSION%%[^0-9.]*}"\')" = "$_BASH_VERSION" ]; \tbash -c \'help\' > /dev/null'
)
