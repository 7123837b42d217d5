"""The built-in images of the simulated Docker Hub, generated on demand.

Every image here is built from code: its layer tars (deterministic, see
`tarball.TreeBuilder`), its config and its OCI manifest.  Generation is
pure, so the digests are real sha256 of the content and the same on every
machine and every run; `Catalog` caches what it built in memory.

What each image holds follows the real one: the distribution's
os-release, passwd/group/shadow of that release (`distro_files`), the
usual directories, and programs as marker files
(`sim.programs.table.marker`) where the real image has ELF binaries.
Layer structure and history follow the real images too: node is
debian:bookworm's layer exactly, buildpack-deps-like layers, then node's
own; bash and nginx's alpine variants are alpine's layer, then their own.
A base layer's tar is built once (`_cached_tar`), so every image on it
shares its diff id.

Manifests are OCI image manifests with *uncompressed* layers
(``application/vnd.oci.image.layer.v1.tar``), so a layer's digest equals
its DiffID.
"""

import datetime
import posixpath
from typing import Callable

import attrs

from ..ids import sha256_digest
from ..programs.table import marker
from . import distro_files as F
from .image_store import canonical_json
from .tarball import TreeBuilder

MEDIA_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
MEDIA_CONFIG = "application/vnd.oci.image.config.v1+json"
MEDIA_LAYER = "application/vnd.oci.image.layer.v1.tar"

DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

#: Applets the busybox images link to /bin/busybox.
BUSYBOX_APPLETS = (
    "sh ash echo printf cat ls ps hostname sleep true false env pwd id whoami "
    "mkdir touch rm cp mv ln head tail wc grep sed find date uname kill top seq "
    "sort uniq tee test [ [[ basename dirname which chmod stat xargs "
    "awk chown clear cut df diff du egrep expr fgrep free gunzip gzip hexdump "
    "httpd ifconfig ip less md5sum more mount netstat nc nproc nslookup od ping "
    "printenv readlink realpath reset rmdir sha256sum stty su sync tac tar "
    "timeout tr tty umount uptime usleep vi watch wget yes"
).split()

#: Alpine puts these applets in /usr/bin (the rest in /bin).
_ALPINE_USR_BIN = set(
    "env head tail wc which xargs seq sort uniq tee test [ [[ basename dirname "
    "id whoami top find awk cut du free less nc nslookup od printf readlink "
    "realpath reset timeout uptime wget yes diff md5sum sha256sum clear expr "
    "nproc tac hexdump vi tr".split()
)
_ALPINE_SBIN = {"ifconfig", "ip"}
#: Alpine's busybox leaves these to busybox-extras.
_NOT_IN_ALPINE = {"httpd"}

#: Tools the debian-like images carry in /usr/bin, each its own marker.
DEBIAN_TOOLS = (
    "cat echo printf ls ps hostname sleep true false env pwd id whoami mkdir "
    "touch rm cp mv ln head tail wc grep sed find date uname kill top seq sort "
    "uniq tee test [ basename dirname which chmod stat xargs "
    "chown chgrp cut df du expr readlink realpath rmdir sync tac tr yes nproc "
    "md5sum sha256sum od stty tty tar gzip gunzip mount umount su more less free "
    "uptime timeout mktemp dd login passwd apt apt-get dpkg"
).split()


def _epoch(rfc3339: str) -> int:
    return int(datetime.datetime.fromisoformat(rfc3339.replace("Z", "+00:00")).timestamp())


def _day(rfc3339: str) -> int:
    """The date as /etc/shadow counts it: days since the epoch."""
    return _epoch(rfc3339) // 86400


# -- built images -----------------------------------------------------------------------


@attrs.frozen
class Step:
    """One history entry: a layer (``tar`` set) or an empty layer."""

    created: str  # RFC 3339
    created_by: str
    tar: "bytes | None" = attrs.field(default=None, repr=False)
    comment: "str | None" = None


@attrs.frozen
class BuiltImage:
    """An image as the registry serves it.  Immutable."""

    config_bytes: bytes = attrs.field(repr=False)
    manifest_bytes: bytes = attrs.field(repr=False)
    layers: "tuple[bytes, ...]" = attrs.field(repr=False)  # tars, base first

    @property
    def digest(self) -> str:
        """The manifest digest (what ``Digest:`` and RepoDigests show)."""
        return sha256_digest(self.manifest_bytes)

    @property
    def config_digest(self) -> str:
        """The config digest = the image id."""
        return sha256_digest(self.config_bytes)

    @property
    def diff_ids(self) -> "list[str]":
        return [sha256_digest(t) for t in self.layers]

    def blobs(self) -> "dict[str, bytes]":
        out = {sha256_digest(t): t for t in self.layers}
        out[self.config_digest] = self.config_bytes
        return out


def make_manifest(config_bytes: bytes, layers: "list[bytes] | tuple[bytes, ...]") -> bytes:
    """The OCI image manifest for a config and uncompressed layer tars."""
    manifest = {
        "schemaVersion": 2,
        "mediaType": MEDIA_MANIFEST,
        "config": {"mediaType": MEDIA_CONFIG, "digest": sha256_digest(config_bytes), "size": len(config_bytes)},
        "layers": [
            {"mediaType": MEDIA_LAYER, "digest": sha256_digest(t), "size": len(t)} for t in layers
        ],
    }
    return canonical_json(manifest)


def build_image(steps: "list[Step]", config: dict, created: "str | None" = None,
                extra: "dict | None" = None) -> BuiltImage:
    """Assemble config and manifest from history steps."""
    layers = tuple(s.tar for s in steps if s.tar is not None)
    history = []
    for s in steps:
        h = {"created": s.created, "created_by": s.created_by}
        if s.comment:
            h["comment"] = s.comment
        if s.tar is None:
            h["empty_layer"] = True
        history.append(h)
    doc = {
        "architecture": "amd64",
        "config": config,
        "created": created or steps[-1].created,
        "history": history,
        "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": [sha256_digest(t) for t in layers]},
    }
    if extra:
        doc.update(extra)
    config_bytes = canonical_json(doc)
    return BuiltImage(config_bytes, make_manifest(config_bytes, layers), layers)


# -- trees ---------------------------------------------------------------------------------


def _busybox_tree(version: str) -> TreeBuilder:
    t = TreeBuilder()
    t.file("bin/busybox", marker("busybox"), 0o755)
    for applet in BUSYBOX_APPLETS:
        t.hardlink(f"bin/{applet}", "bin/busybox")
    t.dirs("dev", "etc", "etc/network", "etc/network/if-down.d", "etc/network/if-post-down.d",
           "etc/network/if-pre-up.d", "etc/network/if-up.d", "home", "lib", "proc", "sys",
           "usr", "usr/sbin", "var", "var/spool", "var/www")
    t.dir("root", 0o700)
    t.dir("tmp", 0o1777)
    t.dir("var/spool/mail", 0o755, 8, 8)
    t.symlink("lib64", "lib")
    t.file("etc/passwd", F.BUSYBOX_PASSWD)
    t.file("etc/group", F.BUSYBOX_GROUP)
    t.file("etc/shadow", F.shadow_for(F.BUSYBOX_PASSWD, root_locked=False), 0o600)
    t.file("etc/nsswitch.conf", F.BUSYBOX_NSSWITCH)
    t.file("etc/localtime", "TZif2\n", 0o644)
    t.file("etc/network/interfaces", "auto lo\niface lo inet loopback\n")
    return t


def _alpine_tree(version: str) -> TreeBuilder:
    """The x86_64 minirootfs of Alpine ``version`` (alpinelinux/docker-alpine):
    its directories, busybox with its applet links, apk, musl, and the
    alpine-baselayout files of that release."""
    minor = F.alpine_minor(version)
    t = TreeBuilder()
    t.file("bin/busybox", marker("busybox"), 0o755)
    for applet in BUSYBOX_APPLETS:
        if applet in _NOT_IN_ALPINE:
            continue
        where = "usr/bin" if applet in _ALPINE_USR_BIN else "sbin" if applet in _ALPINE_SBIN else "bin"
        t.symlink(f"{where}/{applet}", "/bin/busybox")
    t.file("sbin/apk", marker("apk"), 0o755)
    t.dirs("dev", "etc", "etc/apk", "etc/apk/keys", "etc/apk/protected_paths.d", "etc/crontabs",
           "etc/logrotate.d", "etc/modprobe.d", "etc/modules-load.d", "etc/network",
           "etc/network/if-down.d", "etc/network/if-post-down.d", "etc/network/if-post-up.d",
           "etc/network/if-pre-down.d", "etc/network/if-pre-up.d", "etc/network/if-up.d", "etc/opt",
           "etc/periodic", "etc/periodic/15min", "etc/periodic/daily", "etc/periodic/hourly",
           "etc/periodic/monthly", "etc/periodic/weekly", "etc/profile.d", "etc/sysctl.d", "home",
           "lib", "lib/apk", "lib/apk/db", "lib/firmware", "media", "media/cdrom", "media/floppy",
           "media/usb", "mnt", "opt", "run", "sbin", "srv", "sys", "usr", "usr/bin", "usr/lib",
           "usr/local", "usr/local/bin", "usr/local/lib", "usr/local/share", "usr/sbin", "usr/share",
           "usr/share/apk", "usr/share/man", "usr/share/misc", "var", "var/cache", "var/cache/apk",
           "var/cache/misc", "var/lib", "var/lib/misc", "var/local", "var/lock", "var/lock/subsys",
           "var/log", "var/opt", "var/spool", "var/spool/cron")
    if minor >= (3, 17):
        t.dirs("lib/apk/exec")
    t.dir("proc", 0o555)
    t.dir("var/empty", 0o555)
    t.dir("root", 0o700)
    t.dir("tmp", 0o1777)
    t.dir("var/tmp", 0o1777)
    t.symlink("var/run", "/run")
    t.symlink("var/spool/cron/crontabs", "/etc/crontabs")
    if minor >= (3, 11):
        t.dir("var/mail")
        t.symlink("var/spool/mail", "/var/mail")
    t.symlink("etc/mtab", "/proc/mounts")
    t.file("etc/alpine-release", version + "\n")
    t.file("etc/os-release", F.alpine_os_release(version))
    t.file("etc/issue", F.alpine_issue(version))
    t.file("etc/passwd", F.alpine_passwd(version))
    t.file("etc/group", F.alpine_group(version))
    t.file("etc/shadow", F.alpine_shadow(version), 0o640, 0, 42)
    t.file("etc/profile", F.alpine_profile(version))
    t.file("etc/shells", F.ALPINE_SHELLS)
    t.file("etc/motd", F.alpine_motd(version))
    t.file("etc/hostname", "localhost\n")
    t.file("etc/hosts", F.ALPINE_HOSTS)
    if minor >= (3, 16):
        t.file("etc/nsswitch.conf", F.ALPINE_NSSWITCH)
    t.file("etc/crontabs/root", F.ALPINE_CRONTAB, 0o600)
    t.file("etc/apk/arch", "x86_64\n")
    t.file("etc/apk/repositories", F.alpine_repositories(version))
    t.file("etc/apk/world", F.ALPINE_WORLD)
    t.file("lib/apk/db/installed", F.apk_installed(F.ALPINE_PACKAGES[version]))
    t.file("lib/ld-musl-x86_64.so.1", marker("ld-musl"), 0o755)
    t.symlink("lib/libc.musl-x86_64.so.1", "ld-musl-x86_64.so.1")
    return t


def alpine_base_tar(version: str) -> bytes:
    """The layer of alpine:``version`` (cached: every image built on it
    shares these bytes, so its diff id)."""
    return _cached_tar(f"alpine-{version}", lambda: _alpine_tree(version).tar(_epoch(_ALPINE[version])))


def _debian_like_tree(*, os_release: str, passwd: str, group: str, debian_version: str,
                      sources: "tuple[str, str]", shadow_day: int,
                      home_dirs: "tuple[tuple[str, int, int], ...]" = ()) -> TreeBuilder:
    """A usrmerged Debian/Ubuntu root: /bin -> usr/bin, /sbin -> usr/sbin,
    /lib -> usr/lib, /lib64 -> usr/lib64.  /etc/shadow and /etc/gshadow are
    what pwconv/grpconv make of ``passwd``/``group`` on ``shadow_day``."""
    t = TreeBuilder()
    t.symlink("bin", "usr/bin")
    t.symlink("sbin", "usr/sbin")
    t.symlink("lib", "usr/lib")
    t.symlink("lib64", "usr/lib64")
    t.dirs("boot", "dev", "etc", "etc/apt", "etc/apt/apt.conf.d", "etc/apt/sources.list.d",
           "etc/profile.d", "etc/skel", "home", "media", "mnt", "opt", "proc", "run", "srv", "sys",
           "usr", "usr/bin", "usr/games", "usr/include", "usr/lib", "usr/lib64", "usr/libexec",
           "usr/local", "usr/local/bin", "usr/local/etc", "usr/local/games", "usr/local/include",
           "usr/local/lib", "usr/local/sbin", "usr/local/share", "usr/local/src", "usr/sbin",
           "usr/share", "usr/share/doc", "usr/share/keyrings", "usr/src", "var", "var/backups",
           "var/cache", "var/cache/apt", "var/lib", "var/lib/apt", "var/lib/apt/lists",
           "var/lib/dpkg", "var/local", "var/log", "var/opt", "var/spool")
    t.dir("root", 0o700)
    t.dir("tmp", 0o1777)
    t.dir("var/tmp", 0o1777)
    t.dir("var/mail", 0o2775, 0, 8)
    t.symlink("var/run", "/run")
    t.symlink("var/lock", "/run/lock")
    t.symlink("usr/local/man", "share/man")
    for path, uid, gid in home_dirs:
        t.dir(path, 0o750, uid, gid)
    t.file("usr/bin/bash", marker("bash"), 0o755)
    t.symlink("usr/bin/rbash", "bash")
    t.file("usr/bin/dash", marker("sh"), 0o755)
    t.symlink("usr/bin/sh", "dash")
    for tool in DEBIAN_TOOLS:
        t.file(f"usr/bin/{tool}", marker(tool), 0o755)
    t.file("usr/sbin/nologin", marker("nologin"), 0o755)
    t.file("usr/lib/os-release", os_release)
    t.symlink("etc/os-release", "../usr/lib/os-release")
    t.file("etc/debian_version", debian_version + "\n")
    t.file("etc/passwd", passwd)
    t.file("etc/group", group)
    t.file("etc/shadow", F.pwconv_shadow(passwd, shadow_day), 0o640, 0, 42)
    t.file("etc/gshadow", F.grpconv_gshadow(group), 0o640, 0, 42)
    t.file("etc/shells", F.DEBIAN_SHELLS)
    t.file("etc/profile", F.DEBIAN_PROFILE)
    t.file("etc/bash.bashrc", F.DEBIAN_BASHRC)
    t.file("etc/nsswitch.conf", F.NSSWITCH)
    t.file("etc/host.conf", "multi on\n")
    t.file("etc/skel/.bashrc", F.SKEL_BASHRC)
    t.file("etc/skel/.profile", F.SKEL_PROFILE)
    t.file("etc/skel/.bash_logout", F.SKEL_BASH_LOGOUT)
    t.file("root/.bashrc", F.ROOT_BASHRC)
    t.file("root/.profile", F.ROOT_PROFILE)
    name, text = sources
    t.file(f"etc/apt/sources.list.d/{name}", text)
    t.file("var/lib/dpkg/status", "Package: base-files\nStatus: install ok installed\n"
                                  "Priority: required\nSection: admin\nArchitecture: amd64\n")
    return t


# -- image definitions -------------------------------------------------------------------

_BUSYBOX = {"1.37.0": "2024-09-26T21:31:42Z", "1.36.1": "2024-09-26T21:31:42Z"}


def _busybox(version: str) -> BuiltImage:
    created = _BUSYBOX[version]
    tar = _busybox_tree(version).tar(_epoch(created))
    steps = [
        Step(created, f"BusyBox {version} (glibc), Debian 12", tar),
        Step(created, 'CMD ["sh"]'),
    ]
    return build_image(steps, {"Env": [DEFAULT_PATH], "Cmd": ["sh"]})


#: version -> created.  3.17 and later were built with BuildKit, whose
#: SOURCE_DATE_EPOCH is the docker-alpine commit; earlier ones with the
#: classic builder at build time.
_ALPINE = {
    "3.10.9": "2021-04-14T19:19:39Z", "3.11.13": "2021-11-12T17:19:45Z",
    "3.12.12": "2022-04-05T00:19:59Z", "3.13.12": "2022-08-09T17:19:53Z",
    "3.14.10": "2023-03-29T18:19:24Z", "3.15.11": "2023-11-30T23:22:23Z",
    "3.16.9": "2024-01-27T00:30:56Z", "3.17.10": "2024-09-06T12:02:06Z",
    "3.18.9": "2024-09-06T12:03:22Z", "3.19.4": "2024-09-06T12:04:22Z",
    "3.20.3": "2024-09-06T12:05:36Z",
}

_BUILDKIT = "buildkit.dockerfile.v0"


def _alpine_steps(version: str) -> "list[Step]":
    """alpine:``version``'s history: ADD of the minirootfs, then CMD."""
    created = _ALPINE[version]
    tar = alpine_base_tar(version)
    if F.alpine_minor(version) >= (3, 17):
        return [
            Step(created, f"ADD alpine-minirootfs-{version}-x86_64.tar.gz / # buildkit", tar, _BUILDKIT),
            Step(created, 'CMD ["/bin/sh"]', None, _BUILDKIT),
        ]
    return [
        Step(created, f"/bin/sh -c #(nop) ADD file:{sha256_digest(tar)[7:]} in / ", tar),
        Step(created, '/bin/sh -c #(nop)  CMD ["/bin/sh"]'),
    ]


def _alpine_config(version: str) -> dict:
    config = {"Env": [DEFAULT_PATH], "Cmd": ["/bin/sh"]}
    if F.alpine_minor(version) >= (3, 17):
        config["WorkingDir"] = "/"  # BuildKit's default for an image FROM scratch
    return config


def _alpine(version: str) -> BuiltImage:
    return build_image(_alpine_steps(version), _alpine_config(version))


DEBIAN_BOOKWORM_CREATED = "2025-01-13T00:00:00Z"
DEBIAN_BOOKWORM_POINT = "12.9"


def debian_bookworm_tree() -> TreeBuilder:
    return _debian_like_tree(
        os_release=F.debian_os_release("12", "bookworm"),
        passwd=F.DEBIAN_PASSWD, group=F.DEBIAN_GROUP, debian_version=DEBIAN_BOOKWORM_POINT,
        sources=("debian.sources", F.debian_sources("bookworm")),
        shadow_day=_day(DEBIAN_BOOKWORM_CREATED),
    )


def _debian_bookworm_steps() -> "list[Step]":
    created = DEBIAN_BOOKWORM_CREATED
    tar = _cached_tar("debian-bookworm", lambda: debian_bookworm_tree().tar(_epoch(created)))
    return [
        Step(created, f"# debian.sh --arch 'amd64' out/ 'bookworm' '@{_epoch(created)}'", tar,
             "debuerreotype 0.15"),
        Step(created, 'CMD ["bash"]', None, "debuerreotype 0.15"),
    ]


def _debian_bookworm() -> BuiltImage:
    return build_image(_debian_bookworm_steps(), {"Env": [DEFAULT_PATH], "Cmd": ["bash"]})


_UBUNTU = {
    "22.04": ("22.04.5", "jammy", "Jammy Jellyfish", "2024-10-11T03:51:10Z", "bookworm/sid"),
    "24.04": ("24.04.1", "noble", "Noble Numbat", "2024-10-11T03:51:12Z", "trixie/sid"),
}


def _ubuntu(version: str) -> BuiltImage:
    point, codename, nickname, created, debver = _UBUNTU[version]
    if version == "24.04":
        passwd, group, homes = F.UBUNTU_2404_PASSWD, F.UBUNTU_2404_GROUP, (("home/ubuntu", 1000, 1000),)
    else:
        passwd, group, homes = F.UBUNTU_2204_PASSWD, F.UBUNTU_2204_GROUP, ()
    tree = _debian_like_tree(
        os_release=F.ubuntu_os_release(point, version, codename, nickname, logo=version == "24.04"),
        passwd=passwd, group=group, debian_version=debver,
        sources=("ubuntu.sources", F.ubuntu_sources(codename)), home_dirs=homes,
        shadow_day=_day(created),
    )
    if version == "24.04":
        tree.file("home/ubuntu/.bashrc", F.SKEL_BASHRC, 0o644, 1000, 1000)
        tree.file("home/ubuntu/.profile", F.SKEL_PROFILE, 0o644, 1000, 1000)
        tree.file("home/ubuntu/.bash_logout", F.SKEL_BASH_LOGOUT, 0o644, 1000, 1000)
    tree.file("etc/lsb-release", f"DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE={version}\n"
                                 f"DISTRIB_CODENAME={codename}\nDISTRIB_DESCRIPTION=\"Ubuntu {point} LTS\"\n")
    tar = tree.tar(_epoch(created))
    labels = {"org.opencontainers.image.ref.name": "ubuntu", "org.opencontainers.image.version": version}
    steps = [
        Step(created, "/bin/sh -c #(nop)  ARG RELEASE"),
        Step(created, "/bin/sh -c #(nop)  ARG LAUNCHPAD_BUILD_ARCH"),
        Step(created, "/bin/sh -c #(nop)  LABEL org.opencontainers.image.ref.name=ubuntu"),
        Step(created, f"/bin/sh -c #(nop)  LABEL org.opencontainers.image.version={version}"),
        Step(created, f"/bin/sh -c #(nop) ADD file:{sha256_digest(tar)[7:]} in / ", tar),
        Step(created, '/bin/sh -c #(nop)  CMD ["/bin/bash"]'),
    ]
    return build_image(steps, {"Env": [DEFAULT_PATH], "Cmd": ["/bin/bash"], "Labels": labels})


# buildpack-deps:bookworm (curl, scm, full), shared by node images.
_BUILDPACK_CREATED = "2025-01-13T02:11:04Z"


def _buildpack_steps() -> "list[Step]":
    created = _BUILDPACK_CREATED
    mt = _epoch(created)

    def curl() -> bytes:
        t = TreeBuilder()
        for tool in ("curl", "wget", "gpg", "gpgv", "sq"):
            t.file(f"usr/bin/{tool}", marker(tool), 0o755)
        t.dir("etc/ssl/certs")
        t.file("etc/ssl/certs/ca-certificates.crt", "# dockersim: no certificates are needed; "
                                                    "the simulated world has no TLS.\n")
        t.file("etc/protocols", "ip\t0\tIP\ntcp\t6\tTCP\nudp\t17\tUDP\n")
        t.file("etc/services", "http\t\t80/tcp\t\twww\nhttps\t\t443/tcp\n")
        return t.tar(mt)

    def scm() -> bytes:
        t = TreeBuilder()
        for tool in ("git", "hg", "ssh", "scp", "svn", "pgrep", "pkill", "watch", "free"):
            t.file(f"usr/bin/{tool}", marker(tool), 0o755)
        t.dir("etc/ssh")
        t.file("etc/ssh/ssh_config", "Host *\n    SendEnv LANG LC_*\n    HashKnownHosts yes\n")
        return t.tar(mt)

    def full() -> bytes:
        t = TreeBuilder()
        for tool in ("gcc-12", "g++-12", "make", "python3.11", "perl", "file", "patch", "pkg-config",
                     "autoconf", "automake", "bzip2", "unzip", "xz"):
            t.file(f"usr/bin/{tool}", marker(tool), 0o755)
        for link, target in (("gcc", "gcc-12"), ("g++", "g++-12"), ("cc", "gcc"), ("c++", "g++"),
                             ("python3", "python3.11")):
            t.symlink(f"usr/bin/{link}", target)
        t.dirs("usr/include", "usr/lib/gcc", "usr/lib/python3.11")
        return t.tar(mt)

    return [
        Step(created, "RUN /bin/sh -c set -eux; \tapt-get update; \tapt-get install -y --no-install-recommends "
                      "\t\tca-certificates \t\tcurl \t\tgnupg \t\tnetbase \t\tsq \t\twget \t; \t"
                      "rm -rf /var/lib/apt/lists/* # buildkit",
             _cached_tar("buildpack-curl", curl), "buildkit.dockerfile.v0"),
        Step(created, "RUN /bin/sh -c set -eux; \tapt-get update; \tapt-get install -y --no-install-recommends "
                      "\t\tgit \t\tmercurial \t\topenssh-client \t\tsubversion \t\t\t\tprocps \t; \t"
                      "rm -rf /var/lib/apt/lists/* # buildkit",
             _cached_tar("buildpack-scm", scm), "buildkit.dockerfile.v0"),
        Step(created, "RUN /bin/sh -c set -ex; \tapt-get update; \tapt-get install -y --no-install-recommends "
                      "\t\tautoconf \t\tautomake \t\tbzip2 \t\tdefault-libmysqlclient-dev \t\tdpkg-dev "
                      "\t\tfile \t\tg++ \t\tgcc \t\tmake \t\tpatch \t\tunzip \t\txz-utils \t\tzlib1g-dev "
                      "\t; \trm -rf /var/lib/apt/lists/* # buildkit",
             _cached_tar("buildpack-full", full), "buildkit.dockerfile.v0"),
    ]


_NODE = {
    # version: (npm version, created)
    "20.18.1": ("10.8.2", "2025-01-14T09:21:37Z"),
    "22.13.0": ("10.9.2", "2025-01-14T09:21:52Z"),
    "23.6.0": ("10.9.2", "2025-01-14T09:22:05Z"),
}
YARN_VERSION = "1.22.22"


def _add_debian_user(tree: "TreeBuilder", passwd_line: str, group_line: str, *, day: int,
                     system: bool) -> None:
    """The files ``groupadd`` and ``useradd`` rewrite on the Debian base:
    /etc/passwd, /etc/group, /etc/shadow and /etc/gshadow (root:shadow
    0640) with one more user and group, both locked, made on ``day``."""
    name = passwd_line.split(":", 1)[0]
    group = group_line.split(":", 1)[0]
    base_day = _day(DEBIAN_BOOKWORM_CREATED)
    tree.file("etc/passwd", F.DEBIAN_PASSWD + passwd_line + "\n")
    tree.file("etc/group", F.DEBIAN_GROUP + group_line + "\n")
    tree.file("etc/shadow", F.pwconv_shadow(F.DEBIAN_PASSWD, base_day)
              + F.useradd_shadow_line(name, day, system=system), 0o640, 0, 42)
    tree.file("etc/gshadow", F.grpconv_gshadow(F.DEBIAN_GROUP) + f"{group}:!::\n", 0o640, 0, 42)


def _node(version: str) -> BuiltImage:
    npm_version, created = _NODE[version]
    mt = _epoch(created)
    users = TreeBuilder()
    _add_debian_user(users, "node:x:1000:1000::/home/node:/bin/bash", "node:x:1000:", day=_day(created),
                     system=False)
    users.dir("home/node", 0o755, 1000, 1000)
    for name, text in ((".bashrc", F.SKEL_BASHRC), (".profile", F.SKEL_PROFILE),
                       (".bash_logout", F.SKEL_BASH_LOGOUT)):
        users.file(f"home/node/{name}", text, 0o644, 1000, 1000)

    node = TreeBuilder()
    node.file("usr/local/bin/node", marker("node"), 0o755)
    node.symlink("usr/local/bin/nodejs", "node")
    node.symlink("usr/local/bin/npm", "../lib/node_modules/npm/bin/npm-cli.js")
    node.symlink("usr/local/bin/npx", "../lib/node_modules/npm/bin/npx-cli.js")
    node.symlink("usr/local/bin/corepack", "../lib/node_modules/corepack/dist/corepack.js")
    npm = "usr/local/lib/node_modules/npm"
    node.file(f"{npm}/package.json", F.npm_package_json(npm_version))
    node.file(f"{npm}/bin/npm-cli.js", F.npm_cli_js(), 0o755)
    node.file(f"{npm}/bin/npx-cli.js", F.npx_cli_js(), 0o755)
    node.file(f"{npm}/lib/cli.js", F.npm_lib_cli_js(npm_version))
    node.file("usr/local/lib/node_modules/corepack/dist/corepack.js",
              "#!/usr/bin/env node\nconsole.log('0.30.0')\n", 0o755)
    node.file("usr/local/include/node/node_version.h",
              "#define NODE_MAJOR_VERSION {}\n#define NODE_MINOR_VERSION {}\n#define NODE_PATCH_VERSION {}\n"
              .format(*version.split(".")))
    node.file("usr/local/share/doc/node/gdbinit", "# node gdb helpers\n")

    yarn = TreeBuilder()
    ydir = f"opt/yarn-v{YARN_VERSION}"
    yarn.file(f"{ydir}/bin/yarn", F.yarn_sh(YARN_VERSION), 0o755)
    yarn.file(f"{ydir}/bin/yarnpkg", F.yarn_sh(YARN_VERSION), 0o755)
    yarn.file(f"{ydir}/bin/yarn.js", F.yarn_js(YARN_VERSION), 0o755)
    yarn.file(f"{ydir}/package.json", f'{{\n  "name": "yarn",\n  "version": "{YARN_VERSION}"\n}}\n')
    yarn.symlink("usr/local/bin/yarn", f"/{ydir}/bin/yarn")
    yarn.symlink("usr/local/bin/yarnpkg", f"/{ydir}/bin/yarnpkg")

    entry = TreeBuilder()
    entry.file("usr/local/bin/docker-entrypoint.sh", F.NODE_ENTRYPOINT, 0o755)

    bk = "buildkit.dockerfile.v0"
    steps = _debian_bookworm_steps() + _buildpack_steps() + [
        Step(created, "RUN /bin/sh -c groupadd --gid 1000 node   && useradd --uid 1000 --gid node "
                      "--shell /bin/bash --create-home node # buildkit", users.tar(mt), bk),
        Step(created, f"ENV NODE_VERSION={version}", None, bk),
        Step(created, 'RUN /bin/sh -c ARCH= && dpkgArch="$(dpkg --print-architecture)"   && case "${dpkgArch##*-}" '
                      'in     amd64) ARCH=\'x64\';;     *) echo "unsupported architecture"; exit 1 ;;   esac   '
                      '&& curl -fsSLO --compressed "https://nodejs.org/dist/v$NODE_VERSION/node-v$NODE_VERSION-'
                      'linux-$ARCH.tar.xz"   && tar -xJf "node-v$NODE_VERSION-linux-$ARCH.tar.xz" -C /usr/local '
                      '--strip-components=1 --no-same-owner   && ln -s /usr/local/bin/node /usr/local/bin/nodejs   '
                      '&& node --version   && npm --version # buildkit', node.tar(mt), bk),
        Step(created, f"ENV YARN_VERSION={YARN_VERSION}", None, bk),
        Step(created, 'RUN /bin/sh -c set -ex   && curl -fsSLO --compressed "https://yarnpkg.com/downloads/'
                      '$YARN_VERSION/yarn-v$YARN_VERSION.tar.gz"   && mkdir -p /opt   && tar -xzf '
                      'yarn-v$YARN_VERSION.tar.gz -C /opt/   && ln -s /opt/yarn-v$YARN_VERSION/bin/yarn '
                      '/usr/local/bin/yarn   && ln -s /opt/yarn-v$YARN_VERSION/bin/yarnpkg /usr/local/bin/yarnpkg   '
                      '&& yarn --version # buildkit', yarn.tar(mt), bk),
        Step(created, "COPY docker-entrypoint.sh /usr/local/bin/ # buildkit", entry.tar(mt), bk),
        Step(created, 'ENTRYPOINT ["docker-entrypoint.sh"]', None, bk),
        Step(created, 'CMD ["node"]', None, bk),
    ]
    config = {
        "Env": [DEFAULT_PATH, f"NODE_VERSION={version}", f"YARN_VERSION={YARN_VERSION}"],
        "Entrypoint": ["docker-entrypoint.sh"],
        "Cmd": ["node"],
    }
    return build_image(steps, config)


NGINX_VERSION = "1.27.3"
_NGINX_MAINTAINER = "NGINX Docker Maintainers <docker-maint@nginx.com>"


@attrs.frozen
class _NginxRelease:
    """One nginx release as nginxinc/docker-nginx built it: the commit's
    time (its SOURCE_DATE_EPOCH, so every step's created time), njs, the
    alpine release its alpine variants are FROM, and the RUN commands."""

    version: str
    created: str
    njs: str
    alpine: str
    slim_run: str
    alpine_run: str
    dynpkg_release: bool  # ENV DYNPKG_RELEASE (from 1.25.5 on)
    njs_release: bool  # ENV NJS_RELEASE in the alpine variant (from 1.25.5 on)


#: The nginx:1.27.3 images on the hub were built from docker-nginx d21b4f2
#: (njs 0.8.7) even after the repository moved to njs 0.8.8; 1.25.4 from
#: 1f22761.
_NGINX_RELEASES = {
    "1.27.3": _NginxRelease("1.27.3", "2024-11-26T18:42:08Z", "0.8.7", "3.20.3", F.NGINX_ALPINE_SLIM_RUN_1_27_3,
                            F.NGINX_ALPINE_RUN_1_27_3, dynpkg_release=True, njs_release=True),
    "1.25.4": _NginxRelease("1.25.4", "2024-02-14T18:24:57Z", "0.8.3", "3.18.9", F.NGINX_ALPINE_SLIM_RUN_1_25_4,
                            F.NGINX_ALPINE_RUN_1_25_4, dynpkg_release=False, njs_release=False),
}

#: The dynamic modules the nginx:*-alpine variant adds (xslt, geoip,
#: image-filter, njs), each with its -debug build.
_NGINX_ALPINE_MODULES = ("ngx_http_geoip_module", "ngx_http_image_filter_module", "ngx_http_js_module",
                         "ngx_http_xslt_filter_module", "ngx_stream_geoip_module", "ngx_stream_js_module")


def _nginx_files(t: TreeBuilder, envsubst: str) -> None:
    """What the nginx package (and the image's RUN) put in place, on any
    distribution: the binaries, /etc/nginx, the default site, the log
    links to the container's stdout/stderr, /docker-entrypoint.d."""
    t.file("usr/sbin/nginx", marker("nginx"), 0o755)
    t.file("usr/sbin/nginx-debug", marker("nginx"), 0o755)
    t.file(envsubst, marker("envsubst"), 0o755)
    t.file("etc/nginx/nginx.conf", F.NGINX_CONF)
    t.file("etc/nginx/conf.d/default.conf", F.NGINX_DEFAULT_CONF)
    t.file("etc/nginx/mime.types", F.NGINX_MIME_TYPES)
    t.symlink("etc/nginx/modules", "../../usr/lib/nginx/modules")
    t.dir("usr/lib/nginx/modules")
    t.file("usr/share/nginx/html/index.html", F.NGINX_INDEX_HTML)
    t.file("usr/share/nginx/html/50x.html", F.NGINX_50X_HTML)
    t.dir("var/cache/nginx")
    t.dir("var/log/nginx")
    t.symlink("var/log/nginx/access.log", "/dev/stdout")
    t.symlink("var/log/nginx/error.log", "/dev/stderr")
    t.dir("docker-entrypoint.d")


#: (file, destination directory, content) of the image's COPY steps, in order.
_NGINX_COPIES = (
    ("docker-entrypoint.sh", "/", F.NGINX_ENTRYPOINT),
    ("10-listen-on-ipv6-by-default.sh", "/docker-entrypoint.d", F.NGINX_LISTEN_IPV6),
    ("15-local-resolvers.envsh", "/docker-entrypoint.d", F.NGINX_LOCAL_RESOLVERS),
    ("20-envsubst-on-templates.sh", "/docker-entrypoint.d", F.NGINX_ENVSUBST),
    ("30-tune-worker-processes.sh", "/docker-entrypoint.d", F.NGINX_TUNE_WORKERS),
)


def _nginx_tail_steps(created: str) -> "list[Step]":
    """The steps after the install RUN, the same in every variant: one COPY
    layer per entrypoint file, then ENTRYPOINT, EXPOSE, STOPSIGNAL, CMD."""
    mt = _epoch(created)
    steps = []
    for name, dest, text in _NGINX_COPIES:
        path = posixpath.join(dest, name).lstrip("/")
        tar = _cached_tar(f"nginx-copy-{name}-{created}",
                          lambda path=path, text=text: TreeBuilder().file(path, text, 0o755).tar(mt))
        steps.append(Step(created, f"COPY {name} {dest} # buildkit", tar, _BUILDKIT))
    return steps + [
        Step(created, 'ENTRYPOINT ["/docker-entrypoint.sh"]', None, _BUILDKIT),
        Step(created, "EXPOSE map[80/tcp:{}]", None, _BUILDKIT),
        Step(created, "STOPSIGNAL SIGQUIT", None, _BUILDKIT),
        Step(created, 'CMD ["nginx" "-g" "daemon off;"]', None, _BUILDKIT),
    ]


def _nginx_config(env: "list[str]", **extra) -> dict:
    return {
        "Env": [DEFAULT_PATH] + env,
        "Entrypoint": ["/docker-entrypoint.sh"],
        "Cmd": ["nginx", "-g", "daemon off;"],
        "ExposedPorts": {"80/tcp": {}},
        "Labels": {"maintainer": _NGINX_MAINTAINER},
        "StopSignal": "SIGQUIT",
        **extra,
    }


def _nginx() -> BuiltImage:
    """nginx:1.27.3, the Debian variant (mainline/debian)."""
    release = _NGINX_RELEASES[NGINX_VERSION]
    created = release.created
    env = [f"NGINX_VERSION={NGINX_VERSION}", f"NJS_VERSION={release.njs}", "NJS_RELEASE=1~bookworm",
           "PKG_RELEASE=1~bookworm", "DYNPKG_RELEASE=1~bookworm"]

    def install() -> bytes:
        t = TreeBuilder()
        _add_debian_user(t, "nginx:x:101:101:nginx user:/nonexistent:/bin/false", "nginx:x:101:",
                         day=_day(created), system=True)
        _nginx_files(t, "usr/bin/envsubst")
        return t.tar(_epoch(created))

    steps = _debian_bookworm_steps() + [
        Step(created, f"LABEL maintainer={_NGINX_MAINTAINER}", None, _BUILDKIT),
        *(Step(created, f"ENV {e}", None, _BUILDKIT) for e in env),
        Step(created, f"RUN /bin/sh -c {F.NGINX_DEBIAN_RUN_1_27_3} # buildkit",
             _cached_tar("nginx-debian-install", install), _BUILDKIT),
    ] + _nginx_tail_steps(created)
    return build_image(steps, _nginx_config(env))


def _nginx_alpine_slim_parts(version: str) -> "tuple[list[Step], list[str]]":
    """The history (alpine's, then nginx's) and the Env of
    nginx:``version``-alpine-slim."""
    release = _NGINX_RELEASES[version]
    created = release.created
    alpine = release.alpine
    env = [f"NGINX_VERSION={version}", "PKG_RELEASE=1"] + (["DYNPKG_RELEASE=1"] if release.dynpkg_release else [])

    def install() -> bytes:
        t = TreeBuilder()
        # addgroup -g 101 -S nginx; adduser -S -D -H -u 101 -h /var/cache/nginx
        # -s /sbin/nologin -G nginx -g nginx nginx (busybox): the user joins
        # its group as a member too.
        t.file("etc/passwd", F.alpine_passwd(alpine) + "nginx:x:101:101:nginx:/var/cache/nginx:/sbin/nologin\n")
        t.file("etc/group", F.alpine_group(alpine) + "nginx:x:101:nginx\n")
        t.file("etc/shadow", F.alpine_shadow(alpine) + F.busybox_adduser_shadow_line("nginx", _day(created)),
               0o640, 0, 42)
        _nginx_files(t, "usr/local/bin/envsubst")
        return t.tar(_epoch(created))

    steps = _alpine_steps(alpine) + [
        Step(created, f"LABEL maintainer={_NGINX_MAINTAINER}", None, _BUILDKIT),
        *(Step(created, f"ENV {e}", None, _BUILDKIT) for e in env),
        Step(created, f"RUN /bin/sh -c {release.slim_run} # buildkit",
             _cached_tar(f"nginx-{version}-alpine-slim-install", install), _BUILDKIT),
    ] + _nginx_tail_steps(created)
    return steps, env


def _nginx_alpine_slim(version: str) -> BuiltImage:
    steps, env = _nginx_alpine_slim_parts(version)
    alpine = _NGINX_RELEASES[version].alpine
    return build_image(steps, _nginx_config(env, **_alpine_extra(alpine)))


def _nginx_alpine(version: str) -> BuiltImage:
    """nginx:``version``-alpine: FROM the -alpine-slim image, plus the
    xslt, geoip, image-filter and njs modules, curl and ca-certificates."""
    release = _NGINX_RELEASES[version]
    created = release.created
    steps, env = _nginx_alpine_slim_parts(version)
    own = [f"NJS_VERSION={release.njs}"] + (["NJS_RELEASE=1"] if release.njs_release else [])

    def modules() -> bytes:
        t = TreeBuilder()
        for module in _NGINX_ALPINE_MODULES:
            for suffix in ("", "-debug"):
                t.file(f"usr/lib/nginx/modules/{module}{suffix}.so", marker(module), 0o755)
        t.file("usr/bin/curl", marker("curl"), 0o755)
        return t.tar(_epoch(created))

    steps = steps + [
        *(Step(created, f"ENV {e}", None, _BUILDKIT) for e in own),
        Step(created, f"RUN /bin/sh -c {release.alpine_run} # buildkit",
             _cached_tar(f"nginx-{version}-alpine-modules", modules), _BUILDKIT),
    ]
    return build_image(steps, _nginx_config(env + own, **_alpine_extra(release.alpine)))


def _alpine_extra(alpine: str) -> dict:
    """The config keys an image inherits from alpine:``alpine`` besides Env
    and Cmd (WorkingDir on the BuildKit-built releases)."""
    return {k: v for k, v in _alpine_config(alpine).items() if k not in ("Env", "Cmd")}


# bash: docker-library/bash's 5.2 image (bash 5.2.37 on alpine 3.20).
BASH_VERSION = "5.2.37"
_BASH_ALPINE = "3.20.3"
#: The docker-library/bash commit time (the build's SOURCE_DATE_EPOCH).
_BASH_CREATED = "2024-09-23T22:17:43Z"


def _bash() -> BuiltImage:
    created = _BASH_CREATED
    mt = _epoch(created)
    major_minor = BASH_VERSION.rsplit(".", 1)[0]
    patch = BASH_VERSION.rsplit(".", 1)[1]
    env = [f"_BASH_VERSION={BASH_VERSION}", f"_BASH_BASELINE={BASH_VERSION}",
           f"_BASH_BASELINE_PATCH={patch}", f"_BASH_LATEST_PATCH={patch}"]

    def build() -> bytes:
        t = TreeBuilder()
        # GNU bash built from source (./configure; make install): the shell
        # and its loadable builtins' directory under /usr/local.
        t.file("usr/local/bin/bash", marker("bash"), 0o755)
        t.dirs("usr/local/include/bash", "usr/local/lib/bash", "usr/local/share/doc/bash")
        return t.tar(mt)

    def entrypoint() -> bytes:
        return TreeBuilder().file("usr/local/bin/docker-entrypoint.sh", F.BASH_ENTRYPOINT, 0o755).tar(mt)

    steps = _alpine_steps(_BASH_ALPINE) + [
        *(Step(created, f"ENV {e}", None, _BUILDKIT) for e in env),
        Step(created, f"RUN /bin/sh -c {F.BASH_RUN_5_2} # buildkit", _cached_tar(f"bash-{major_minor}", build),
             _BUILDKIT),
        Step(created, "COPY docker-entrypoint.sh /usr/local/bin/ # buildkit",
             _cached_tar(f"bash-{major_minor}-entrypoint", entrypoint), _BUILDKIT),
        Step(created, 'ENTRYPOINT ["docker-entrypoint.sh"]', None, _BUILDKIT),
        Step(created, 'CMD ["bash"]', None, _BUILDKIT),
    ]
    config = {"Env": [DEFAULT_PATH] + env, "Entrypoint": ["docker-entrypoint.sh"], "Cmd": ["bash"],
              **_alpine_extra(_BASH_ALPINE)}
    return build_image(steps, config)


_HELLO_CREATED = "2023-05-02T16:49:27Z"


def _hello_world() -> BuiltImage:
    created = _HELLO_CREATED
    t = TreeBuilder()
    t.file("hello", marker("hello"), 0o755)
    steps = [
        Step(created, "COPY hello / # buildkit", t.tar(_epoch(created)), "buildkit.dockerfile.v0"),
        Step(created, 'CMD ["/hello"]', None, "buildkit.dockerfile.v0"),
    ]
    return build_image(steps, {"Env": [DEFAULT_PATH], "Cmd": ["/hello"], "WorkingDir": "/"})


# -- the host ---------------------------------------------------------------------------------


def host_rootfs_tar() -> bytes:
    """The simulated host's own root filesystem: a Debian 12 system with the
    same /usr/bin tools as the images, plus init, dockerd and containerd."""
    return _cached_tar("host-rootfs", _host_tree_tar)


def _host_tree_tar() -> bytes:
    t = debian_bookworm_tree()
    for name in ("dockerd", "containerd", "containerd-shim-runc-v2", "docker", "runc", "ctr"):
        t.file(f"usr/bin/{name}", marker(name), 0o755)
    t.file("usr/sbin/init", marker("init"), 0o755)
    for name in ("ip", "iptables", "sysctl", "modprobe"):
        t.file(f"usr/sbin/{name}", marker(name), 0o755)
    t.dirs("etc/docker", "var/lib/docker", "var/lib/containerd", "run/docker", "run/containerd")
    t.file("etc/hostname", "dockersim\n")
    t.file("etc/hosts", "127.0.0.1\tlocalhost\n127.0.1.1\tdockersim\n"
                        "::1\t\tlocalhost ip6-localhost ip6-loopback\n")
    t.file("etc/resolv.conf", "nameserver 10.0.2.3\n")
    return t.tar(_epoch(DEBIAN_BOOKWORM_CREATED))


# -- the catalog -------------------------------------------------------------------------------

_TAR_CACHE: "dict[str, bytes]" = {}


def _cached_tar(key: str, make: Callable[[], bytes]) -> bytes:
    tar = _TAR_CACHE.get(key)
    if tar is None:
        tar = _TAR_CACHE[key] = make()
    return tar


#: image key -> builder
_BUILDERS: "dict[str, Callable[[], BuiltImage]]" = {
    **{f"busybox-{v}": (lambda v=v: _busybox(v)) for v in _BUSYBOX},
    **{f"alpine-{v}": (lambda v=v: _alpine(v)) for v in _ALPINE},
    "debian-bookworm": _debian_bookworm,
    **{f"ubuntu-{v}": (lambda v=v: _ubuntu(v)) for v in _UBUNTU},
    **{f"node-{v}": (lambda v=v: _node(v)) for v in _NODE},
    "nginx": _nginx,
    **{f"nginx-{v}-alpine-slim": (lambda v=v: _nginx_alpine_slim(v)) for v in _NGINX_RELEASES},
    **{f"nginx-{v}-alpine": (lambda v=v: _nginx_alpine(v)) for v in _NGINX_RELEASES},
    f"bash-{BASH_VERSION}": _bash,
    "hello-world": _hello_world,
}


def _nginx_tags() -> "dict[str, str]":
    """nginx's tags: the Debian variant of 1.27.3 is latest; its alpine
    variants take the floating alpine tags; 1.25.4's only its pinned ones."""
    tags = {t: "nginx" for t in ("latest", NGINX_VERSION, "1.27", "1", "mainline", "bookworm",
                                 f"{NGINX_VERSION}-bookworm", "1.27-bookworm", "mainline-bookworm")}
    for version, release in _NGINX_RELEASES.items():
        pinned = (version, f"{version}-alpine{'.'.join(release.alpine.split('.')[:2])}")
        floating = ("", "1.27", "1", "mainline") if version == NGINX_VERSION else ()
        alpine_minor = ".".join(release.alpine.split(".")[:2])
        for name in pinned[:1] + floating:
            prefix = f"{name}-" if name else ""
            tags[f"{prefix}alpine"] = f"nginx-{version}-alpine"
            tags[f"{prefix}alpine-slim"] = f"nginx-{version}-alpine-slim"
            tags[f"{prefix}alpine{alpine_minor}"] = f"nginx-{version}-alpine"
            tags[f"{prefix}alpine{alpine_minor}-slim"] = f"nginx-{version}-alpine-slim"
    return tags


def _bash_tags() -> "dict[str, str]":
    """bash's tags: 5.2.37 is latest, 5 and 5.2, with and without -alpine3.20."""
    alpine_minor = ".".join(_BASH_ALPINE.split(".")[:2])
    tags = {}
    for name in ("latest", "5", "5.2", BASH_VERSION):
        tags[name] = f"bash-{BASH_VERSION}"
        tags["alpine" + alpine_minor if name == "latest" else f"{name}-alpine{alpine_minor}"] = f"bash-{BASH_VERSION}"
    return tags

#: repository path -> tag -> image key.  Tags naming the same key are the
#: same image (one manifest).
TAGS: "dict[str, dict[str, str]]" = {
    "library/busybox": {"latest": "busybox-1.37.0", "1.37": "busybox-1.37.0", "1.37.0": "busybox-1.37.0",
                        "1.36": "busybox-1.36.1", "1.36.1": "busybox-1.36.1"},
    "library/alpine": {
        **{".".join(v.split(".")[:2]): f"alpine-{v}" for v in _ALPINE},
        **{v: f"alpine-{v}" for v in _ALPINE},
        "latest": "alpine-3.20.3",
    },
    "library/debian": {"bookworm": "debian-bookworm", "12": "debian-bookworm",
                       DEBIAN_BOOKWORM_POINT: "debian-bookworm", "latest": "debian-bookworm"},
    "library/ubuntu": {"22.04": "ubuntu-22.04", "jammy": "ubuntu-22.04", "24.04": "ubuntu-24.04",
                       "noble": "ubuntu-24.04", "latest": "ubuntu-24.04"},
    "library/node": {"20": "node-20.18.1", "20.18.1": "node-20.18.1", "22": "node-22.13.0",
                     "22.13.0": "node-22.13.0", "lts": "node-22.13.0", "23": "node-23.6.0",
                     "23.6.0": "node-23.6.0", "latest": "node-23.6.0"},
    "library/nginx": _nginx_tags(),
    "library/bash": _bash_tags(),
    "library/hello-world": {"latest": "hello-world"},
}


@attrs.frozen
class RepositoryFacts:
    """What Docker Hub shows about a repository besides its tags: the
    short description and the star count (what ``docker search`` lists)."""

    description: str
    star_count: int


#: repository path -> its facts, for every repository in `TAGS`.  The
#: descriptions are the official images' short descriptions on Docker Hub;
#: the star counts are what Hub showed around January 2025 (the catalog's
#: release dates), rounded to the hundred.
FACTS: "dict[str, RepositoryFacts]" = {
    "library/nginx": RepositoryFacts("Official build of Nginx.", 20700),
    "library/ubuntu": RepositoryFacts(
        "Ubuntu is a Debian-based Linux operating system based on free software.", 17500),
    "library/node": RepositoryFacts(
        "Node.js is a JavaScript-based platform for server-side and networking applications.", 13700),
    "library/alpine": RepositoryFacts(
        "A minimal Docker image based on Alpine Linux with a complete package index and only 5 MB "
        "in size!", 11100),
    "library/debian": RepositoryFacts(
        "Debian is a Linux distribution that's composed entirely of free and open-source software.",
        5100),
    "library/busybox": RepositoryFacts("Busybox base image.", 3400),
    "library/hello-world": RepositoryFacts("Hello World! (an example of minimal Dockerization)", 2400),
    "library/bash": RepositoryFacts("Bash is the GNU Project's Bourne Again SHell", 400),
}


#: Bumped whenever generation changes, so caches in a Store are rebuilt.
CATALOG_VERSION = 4

_IMAGE_CACHE: "dict[str, BuiltImage]" = {}


def build(key: str) -> BuiltImage:
    """The built image for a catalog key (cached for the process)."""
    img = _IMAGE_CACHE.get(key)
    if img is None:
        img = _IMAGE_CACHE[key] = _BUILDERS[key]()
    return img


def clear_cache() -> None:
    """Forget every built image and tar (tests use it to check that a fresh
    generation gives the same bytes)."""
    _IMAGE_CACHE.clear()
    _TAR_CACHE.clear()


def repositories() -> "list[str]":
    return sorted(TAGS)


def facts(repo_path: str) -> "RepositoryFacts | None":
    """The Hub facts of a built-in repository (None for any other path)."""
    return FACTS.get(repo_path)


def image_for(repo_path: str, tag: str) -> "BuiltImage | None":
    key = TAGS.get(repo_path, {}).get(tag)
    return build(key) if key else None
