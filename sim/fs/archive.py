"""``docker cp`` and ``docker export`` on the filesystem side: stat a path,
archive it, extract a tar into a directory, flatten a root filesystem.

What Docker Engine 28.2.2 does (moby ``daemon/archive*.go``,
``daemon/containerfs_linux.go``, ``daemon/export.go`` and the vendored
``github.com/moby/go-archive`` v0.1.0), in this module's words:

The copy view.  For ``HEAD``/``GET``/``PUT /containers/{id}/archive`` the
daemon does not enter the running container's mount namespace.  It mounts
the container's root filesystem (the overlay: image layers, init layer,
writable layer), bind-mounts the container's volumes and the three files
it manages (/etc/resolv.conf, /etc/hostname, /etc/hosts) over it in a
private namespace, and switches root into that.  What the OCI runtime
mounts itself is not there: no procfs on /proc, no tmpfs on /dev (nor
/dev/pts, /dev/shm, /dev/mqueue), no sysfs, no ``--tmpfs`` mounts; their
mount points show the plain directories of the root filesystem beneath.
So ``docker cp c:/proc/cpuinfo .`` is "Could not find the file", and a
``docker cp x c:/proc/`` lands in the writable layer's /proc directory,
hidden from the running container by its procfs.  `copy_view` builds that
view from a container's `Vfs`.  Every path walk happens inside it with the
kernel's rules (absolute symlinks resolve to the container's root, ``..``
stops there): that chroot is the containment; nothing can resolve above it.

Errors.  The daemon maps them (``daemon/archive.go``): an error for which
Go's ``os.IsNotExist`` holds (an ``lstat``/``open``/``link`` failing with
ENOENT, unwrapped) becomes ``Could not find the file <path> in container
<name>`` (404, ``path`` as the client sent it); invalid-parameter errors
(``extraction point is not a directory``, ``container rootfs is marked
read-only``, ``mounted volume is marked read-only``, a user the container's
/etc/passwd lacks) are 400; everything else is a system error (500) with
Go's own wording (``lstat /etc/passwd/x: not a directory``, ``cannot
overwrite directory "/tmp/d" with non-directory "/tmp"``,
``"../../etc/passwd" is outside of "/tmp"``, ``unlinkat /etc/hosts: device
or resource busy``).  `ArchiveError` carries message and kind.

``docker export`` (``daemon/export.go``) tars the root filesystem alone
(the overlay merged; no bind mounts, no /proc or /dev contents: the init
layer's empty /etc/hosts, /etc/hostname, /etc/resolv.conf and the empty
/proc, /sys, /dev/pts, /dev/shm directories), in directory-walk order,
entries named without a leading ``./``, the root itself left out.

The tar code itself (decompression, Go's tar reader and writer,
go-archive's ``TarWithOptions`` and ``Unpack``) is `sim.fs.goarchive`,
shared with ``docker save``/``load`` and the builder.
"""

from __future__ import annotations

import base64
import re

from typing import BinaryIO

import attrs

from ..abi import Errno
from ..errors import SimError
from ..golang import base as go_base
from ..golang import clean_path as go_clean
from ..golang import dir_of as go_dir
from ..golang import join_path as go_join
from ..golang import marshal as _go_json
from ..golang import quote as go_quote
from ..golang import rfc3339_nano
from ..golang import split_path as go_split
from ..golang.errors import GoError
from ..golang.symlink import follow_symlink_in_scope as go_follow_in_scope
from .goarchive import GoArchiveError, decompress_stream, mkdir_all, tar_with_options, unpack
from .goarchive import errno_text as _errno_text
from .goarchive import path_error as _path_error
from .vfs import Mount, Vfs

__all__ = [
    "ArchiveError", "PathStat", "STAT_HEADER", "archive_path", "copy_view", "export_rootfs",
    "extract_archive", "go_file_mode", "rfc3339_nano", "stat_path",
]

#: The response header that carries a `PathStat` (base64 of its JSON), on
#: ``HEAD`` and ``GET /containers/{id}/archive``.
STAT_HEADER = "X-Docker-Container-Path-Stat"

# --------------------------------------------------------------------------
# Go's os.FileMode

#: Go's ``os.FileMode`` bits (io/fs), from bit 31 down to bit 19: not
#: Unix's S_IF* values.
(MODE_DIR, MODE_APPEND, MODE_EXCLUSIVE, MODE_TEMPORARY, MODE_SYMLINK, MODE_DEVICE, MODE_NAMED_PIPE,
 MODE_SOCKET, MODE_SETUID, MODE_SETGID, MODE_CHAR_DEVICE, MODE_STICKY,
 MODE_IRREGULAR) = (1 << bit for bit in range(31, 18, -1))

_TYPE_TO_GO = {
    0o040000: MODE_DIR,                        # S_IFDIR
    0o120000: MODE_SYMLINK,                    # S_IFLNK
    0o060000: MODE_DEVICE,                     # S_IFBLK
    0o020000: MODE_DEVICE | MODE_CHAR_DEVICE,  # S_IFCHR
    0o010000: MODE_NAMED_PIPE,                 # S_IFIFO
    0o140000: MODE_SOCKET,                     # S_IFSOCK
    0o100000: 0,                               # S_IFREG
}


def go_file_mode(unix_mode: int) -> int:
    """A stat(2) ``st_mode`` as Go's ``os.Lstat`` reports it (os/stat_linux.go):
    the permission bits, the type as FileMode bits, and set-user-ID,
    set-group-ID and sticky as ModeSetuid/ModeSetgid/ModeSticky."""
    mode = unix_mode & 0o777 | _TYPE_TO_GO.get(unix_mode & 0o170000, 0)
    if unix_mode & 0o4000:
        mode |= MODE_SETUID
    if unix_mode & 0o2000:
        mode |= MODE_SETGID
    if unix_mode & 0o1000:
        mode |= MODE_STICKY
    return mode


def _go_string(s: str) -> str:
    """A name as Go holds it in a JSON string: invalid UTF-8 (our
    surrogate-escaped bytes) becomes U+FFFD."""
    return s.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


@attrs.frozen
class PathStat:
    """moby's ``container.PathStat``: what ``HEAD …/archive`` reports (in
    the `STAT_HEADER` header) about a path, from lstat(2): ``mode`` is a Go
    ``os.FileMode`` (`go_file_mode`), ``mtime`` seconds since the epoch,
    ``link_target`` the symlink's target resolved inside the container (""
    when the path is no symlink)."""

    name: str
    size: int
    mode: int
    mtime: float
    link_target: str = ""

    @property
    def is_dir(self) -> bool:
        return bool(self.mode & MODE_DIR)

    @property
    def is_symlink(self) -> bool:
        return bool(self.mode & MODE_SYMLINK)

    def to_json(self) -> dict:
        """The JSON object, fields named and ordered as Go marshals them."""
        return {"name": _go_string(self.name), "size": self.size, "mode": self.mode,
                "mtime": rfc3339_nano(self.mtime), "linkTarget": _go_string(self.link_target)}

    def header_value(self) -> str:
        """The `STAT_HEADER` value: base64 (standard, padded) of the JSON."""
        return base64.b64encode(_go_json(self.to_json()).encode("utf-8")).decode("ascii")


# --------------------------------------------------------------------------
# Errors


class ArchiveError(Exception):
    """A failed cp/export operation as the daemon reports it: ``message``
    shown verbatim (``Error response from daemon: <message>``) and ``kind``:
    ``not_found`` (404), ``invalid`` (400), ``conflict`` (409) or ``system``
    (500); `status` is the HTTP status moby's ``errdefs`` mapping gives."""

    STATUS = {"not_found": 404, "invalid": 400, "conflict": 409, "system": 500}

    def __init__(self, message: str, kind: str = "system"):
        if kind not in self.STATUS:
            raise ValueError(f"unknown kind {kind!r}")
        super().__init__(message)
        self.message = message
        self.kind = kind

    @property
    def status(self) -> int:
        return self.STATUS[self.kind]

    def __str__(self) -> str:
        return self.message


#: An error inside the copy view, worded as Go prints it, with ``not_exist``
#: (whether Go's ``os.IsNotExist`` holds for it): go-archive's.
_GoError = GoArchiveError


def _not_found(path: str, container: str) -> ArchiveError:
    return ArchiveError(f"Could not find the file {path} in container {container}", "not_found")


def _daemon_error(err: _GoError, path: str, container: str) -> ArchiveError:
    """What ``daemon/archive.go`` makes of an error: not-exist -> 404 with
    the client's path, the rest -> 500 (system) with Go's text."""
    if err.not_exist:
        return _not_found(path, container)
    return ArchiveError(err.text, "system")


#: moby api/server/httputils ``badParameterError`` (sic: no space).
EMPTY_PATH_MESSAGE = "bad parameter: pathcannot be empty"


def check_path_param(path: str) -> None:
    """moby's ``ArchiveFormValues``: the ``path`` of ``/containers/{id}/archive``
    is required (the daemon checks it before it looks the container up)."""
    if not path:
        raise ArchiveError(EMPTY_PATH_MESSAGE, "invalid")


# --------------------------------------------------------------------------
# Go's path/filepath, on "/" paths


def preserve_trailing_dot_or_separator(cleaned: str, original: str) -> str:
    """go-archive ``PreserveTrailingDotOrSeparator``: give a cleaned path
    back the trailing ``/.`` or ``/`` the original had."""
    if go_base(cleaned) != "." and go_base(original) == ".":
        if not cleaned.endswith("/"):
            cleaned += "/"
        cleaned += "."
    if not cleaned.endswith("/") and original.endswith("/"):
        cleaned += "/"
    return cleaned


# --------------------------------------------------------------------------
# The copy view

#: Filesystem types the OCI runtime mounts itself; the daemon's copy view
#: has none of them (it bind-mounts only volumes and the network files).
RUNTIME_FSTYPES = frozenset({"proc", "sysfs", "tmpfs", "devpts", "mqueue", "cgroup", "cgroup2"})

#: Mount points at or below these are the runtime's (/dev and its
#: submounts, /proc, /sys) and never in the copy view.
RUNTIME_DIRS = ("/proc", "/sys", "/dev")


def _is_runtime_mount(m: Mount) -> bool:
    if getattr(m.fs, "fstype", None) in RUNTIME_FSTYPES:
        return True
    return any(m.path == d or m.path.startswith(d + "/") for d in RUNTIME_DIRS)


def _root_mount(vfs: Vfs) -> Mount:
    return [m for m in vfs.mounts() if m.path == "/"][-1]


def copy_view(vfs: Vfs) -> Vfs:
    """The namespace the daemon's cp runs in (``openContainerFS``): the
    container's root filesystem, writable (whatever the container's own
    mount says: the read-only check is `extract_archive`'s), with the
    container's other mounts bind-mounted again with their read-only flags,
    except the runtime's own (`RUNTIME_FSTYPES`, `RUNTIME_DIRS`).

    A volume therefore has to be mounted as a filesystem whose ``fstype`` is
    not ``tmpfs`` (a bind mount shows as ext4 in /proc/mounts anyway).  A
    missing mount point is created in the root filesystem first, as the
    daemon does (``fileutils.CreateIfNotExists``)."""
    view = Vfs(_root_mount(vfs).fs)
    for m in vfs.mounts():
        if m.path == "/" or _is_runtime_mount(m):
            continue
        want_dir = m.fs.root_node().mode & 0o170000 == 0o040000
        try:
            mkdir_all(view, m.path if want_dir else go_dir(m.path), 0o755)
            view.mount(m.path, m.fs, readonly=m.readonly, create=True)
        except (SimError, _GoError):
            continue  # the daemon would fail to open the view; keep what we can
    return view


def _root_fs_of(target):
    if isinstance(target, Vfs):
        return _root_mount(target).fs
    return target


# --------------------------------------------------------------------------
# Stat (HEAD /containers/{id}/archive)


def follow_symlink_in_scope(view: Vfs, path: str) -> str:
    """moby/sys/symlink ``FollowSymlinkInScope(path, "/")``: the path with
    every symlink expanded, lexically: ``..`` is applied to the path built
    so far and never climbs above ``/``; an absolute target restarts at
    ``/``; a missing component is accepted as it is (a dangling link
    resolves as far as it can).  More than 255 steps is an error."""
    def read_link(inner: str, full: str) -> "str | None":
        try:
            st = view.lstat(full)
        except SimError as err:
            if err.errno_value == Errno.ENOENT:
                return None
            raise _path_error("lstat", full, err) from None
        if not st.is_symlink:
            return None
        try:
            return view.readlink(full)
        except SimError as err:
            raise _path_error("readlink", full, err) from None

    try:
        return go_follow_in_scope(path if path.startswith("/") else "/" + path, "/", read_link)
    except _GoError:
        raise
    except GoError as err:
        raise _GoError(str(err)) from None


def _stat(view: Vfs, path: str) -> PathStat:
    """``containerFSView.Stat``: lstat(2) of the path as given (relative to
    the root); a symlink's ``linkTarget`` from `follow_symlink_in_scope`."""
    try:
        st = view.lstat(path)
    except SimError as err:
        raise _path_error("lstat", path, err) from None
    target = follow_symlink_in_scope(view, path) if st.is_symlink else ""
    return PathStat(go_base(path), st.size, go_file_mode(st.mode), st.mtime, target)


def stat_path(vfs: Vfs, path: str, *, container: str = "") -> PathStat:
    """``HEAD /containers/{id}/archive?path=``: the `PathStat` of ``path`` in
    the container whose namespace is ``vfs``.  ``path`` is used as sent:
    relative to the root, a trailing ``/`` follows a final symlink (and
    needs a directory), ``/.`` names the directory itself; ``name`` is its
    last element (``.`` for ``dir/.``).  ``container`` is the name or ID as
    the client gave it, for the not-found message."""
    check_path_param(path)
    try:
        return _stat(copy_view(vfs), path)
    except _GoError as err:
        raise _daemon_error(err, path, container) from None


# --------------------------------------------------------------------------
# Writing tars (GET …/archive, GET …/export)


def archive_path(vfs: Vfs, path: str, *, container: str = "") -> "tuple[PathStat, bytes]":
    """``GET /containers/{id}/archive?path=``: the `PathStat` (of the path
    cleaned, with its trailing ``/`` or ``/.`` kept) and the uncompressed
    tar moby sends.  Entries are renamed so the top one is the path's base
    name: ``/etc`` gives ``etc/``, ``etc/passwd``…; ``/etc/.`` gives
    ``./``, ``./passwd``…; ``/`` gives ``/``, ``/bin/``…; a file or a
    symlink is one entry under its own name (the link itself, unless a
    trailing ``/`` follows it to a directory).  The view includes the
    bind-mounted /etc/hosts, /etc/hostname, /etc/resolv.conf (their
    current contents), not /proc or /dev's devices."""
    check_path_param(path)
    view = copy_view(vfs)
    abs_path = preserve_trailing_dot_or_separator(go_join("/", path), path)
    try:
        st = _stat(view, abs_path)
    except _GoError as err:
        raise _daemon_error(err, path, container) from None
    if st.is_dir:
        source_dir, source_base = abs_path, "."
    else:
        source_dir, source_base = go_split(abs_path)
    data = tar_with_options(view, source_dir, source_base, include_source_dir=True,
                             rebase=go_base(abs_path))
    return st, data


def export_rootfs(target) -> bytes:
    """``GET /containers/{id}/export``: the container's root filesystem
    flattened into one tar (no whiteouts: the overlay's merged view), in
    directory-walk order with names relative to the root (``bin/``,
    ``bin/sh``), the root itself not included.  ``target`` is the
    container's `Vfs` (its ``/`` filesystem is used; nothing mounted over
    it is) or the root filesystem itself."""
    view = Vfs(_root_fs_of(target))
    return tar_with_options(view, "/", ".", include_source_dir=False, rebase="")


# --------------------------------------------------------------------------
# Extracting (PUT /containers/{id}/archive)


def eval_symlinks(view: Vfs, path: str) -> str:
    """Go's ``filepath.EvalSymlinks`` for a rooted path, inside the view:
    every symlink resolved (the last one too); ENOENT for a missing
    component; a non-directory in the middle is a bare ``not a directory``."""
    vol = "/" if path.startswith("/") else ""
    vol_len = len(vol)
    dest = vol
    links = 0
    start = end = vol_len
    while start < len(path):
        while start < len(path) and path[start] == "/":
            start += 1
        end = start
        while end < len(path) and path[end] != "/":
            end += 1
        comp = path[start:end]
        if end == start:
            break
        if comp == ".":
            start = end
            continue
        if comp == "..":
            r = len(dest) - 1
            while r >= vol_len and dest[r] != "/":
                r -= 1
            if r < vol_len or dest[r + 1:] == "..":
                if len(dest) > vol_len:
                    dest += "/"
                dest += ".."
            else:
                dest = dest[:r]
            start = end
            continue
        if len(dest) > 0 and not dest.endswith("/"):
            dest += "/"
        dest += comp
        try:
            st = view.lstat(dest)
        except SimError as err:
            raise _path_error("lstat", dest, err) from None
        if not st.is_symlink:
            if not st.is_dir and end < len(path):
                raise _GoError(_errno_text(SimError(Errno.ENOTDIR)))
            start = end
            continue
        links += 1
        if links > 255:
            raise _GoError("EvalSymlinks: too many links")
        try:
            link = view.readlink(dest)
        except SimError as err:
            raise _path_error("readlink", dest, err) from None
        path = link + path[end:]
        if link.startswith("/"):
            vol, vol_len = "/", 1
            dest = vol
            end = 1
        else:
            r = len(dest) - 1
            while r >= vol_len and dest[r] != "/":
                r -= 1
            dest = vol if r < vol_len else dest[:r]
            end = 0
        start = end
    return go_clean(dest)


# passwd/group as moby/sys/user reads them


def _atoi(s: str) -> int:
    """Go's ``strconv.Atoi`` with the error ignored (0), as moby/sys/user
    parses numbers."""
    if not re.fullmatch(r"[+-]?[0-9]+", s) or not -(1 << 63) <= int(s) < 1 << 63:
        return 0
    return int(s)


@attrs.frozen
class PasswdEntry:
    """One line of /etc/passwd: name, uid, gid and home directory."""

    name: str
    uid: int
    gid: int
    home: str


@attrs.frozen
class GroupEntry:
    """One line of /etc/group: name and gid."""

    name: str
    gid: int
    #: The user names of the fourth field (the group's members).
    members: tuple = ()


def _colon_lines(view: Vfs, path: str, comments: bool) -> "list[list[str]]":
    """moby/sys/user's parsing: every line trimmed, blank ones (and, with
    ``comments``, those starting with ``#``) skipped, split at ``:``.  An
    unreadable file is Go's ``open <path>: <errno>``."""
    try:
        data = view.read_bytes(path)
    except SimError as err:
        raise _path_error("open", path, err) from None
    rows = []
    for line in data.decode("utf-8", "surrogateescape").split("\n"):
        line = line.strip()
        if line and not (comments and line.startswith("#")):
            rows.append(line.split(":") + [""] * 6)  # missing fields read as empty
    return rows


def read_passwd(view: Vfs) -> "list[PasswdEntry]":
    """The entries of ``view``'s /etc/passwd in file order (a field that
    is missing is empty, a number that does not parse 0).  Raises the
    Go error of an unreadable file (a `sim.golang.GoError`)."""
    return [PasswdEntry(row[0], _atoi(row[2]), _atoi(row[3]), row[5])
            for row in _colon_lines(view, "/etc/passwd", comments=False)]


def read_group(view: Vfs) -> "list[GroupEntry]":
    """The entries of ``view``'s /etc/group in file order (comment lines
    skipped, as glibc does).  Raises like `read_passwd`."""
    return [GroupEntry(row[0], _atoi(row[2]),
                       tuple(m for m in row[3].split(",") if m) if len(row) > 3 else ())
            for row in _colon_lines(view, "/etc/group", comments=True)]


def _id_or_name(text: str) -> "tuple[int, str]":
    if re.fullmatch(r"[0-9]+", text) and int(text) <= 0x7FFFFFFF:
        return int(text), ""
    return 0, text


def _entry_named(view: Vfs, what: str, name: str):
    """The entry of the container's /etc/passwd (``what`` "user") or
    /etc/group (``what`` "group") named ``name``; an unreadable file or no
    such entry is moby's ``failed to look up`` (400)."""
    file = "passwd" if what == "user" else "group"
    try:
        entries = read_passwd(view) if what == "user" else read_group(view)
    except _GoError as err:
        raise ArchiveError(f"failed to look up {what} {go_quote(name)} in container: {err.text}",
                           "invalid") from None
    for entry in entries:
        if entry.name == name:
            return entry
    raise ArchiveError(f"failed to look up {what} {go_quote(name)} in container: "
                       f"no matching entries in {file} file", "invalid")


def _lookup_user(view: Vfs, name_or_id: str) -> "tuple[int, int]":
    uid, name = _id_or_name(name_or_id)
    if name:
        entry = _entry_named(view, "user", name)
        return entry.uid, entry.gid
    try:
        entries = read_passwd(view)
    except _GoError:
        return uid, 0
    for entry in entries:
        if entry.uid == uid:
            return uid, entry.gid
    return uid, 0  # a numeric user need not exist; its group is then 0


def _lookup_gid(view: Vfs, name_or_id: str) -> int:
    gid, name = _id_or_name(name_or_id)
    return _entry_named(view, "group", name).gid if name else gid


def container_user_ids(view: Vfs, user: str) -> "tuple[int, int]":
    """moby ``getUIDGID``: the uid/gid of a container's ``Config.User``
    (``name``, ``uid``, ``name:group``, ``uid:gid``…) from the container's
    own /etc/passwd and /etc/group; an empty part means 0."""
    user_part, _, group_part = user.partition(":")
    uid = gid = 0
    if user_part:
        uid, gid = _lookup_user(view, user_part)
    if group_part:
        gid = _lookup_gid(view, group_part)
    return uid, gid


def _check_writable(view: Vfs, abs_path: str, readonly_rootfs: bool) -> None:
    """moby ``checkWritablePath``: inside a mount (a volume, a bind) its
    read-only flag decides; elsewhere the container's ReadonlyRootfs (its
    root mount's flag)."""
    mount = view.mount_of(abs_path)
    if mount.path != "/":
        if mount.readonly or getattr(mount.fs, "readonly", False):
            raise ArchiveError("mounted volume is marked read-only", "invalid")
        return
    if readonly_rootfs:
        raise ArchiveError("container rootfs is marked read-only", "invalid")


def extract_archive(vfs: Vfs, path: str, data: "BinaryIO | bytes", *, no_overwrite_dir_non_dir: bool,
                    copy_uid_gid: bool, user: str = "", container: str = "") -> None:
    """``PUT /containers/{id}/archive?path=``: extract ``data`` (a tar,
    possibly gzip/bzip2/xz-compressed) into the directory ``path``.

    As moby does, in this order: resolve ``path`` with every symlink
    followed (a missing path: 404 "Could not find the file"); it must be a
    directory (400 ``extraction point is not a directory``); it must be
    writable (400 ``container rootfs is marked read-only`` with a
    read-only ``/`` mount, ``mounted volume is marked read-only`` inside a
    read-only mount); then unpack.

    Ownership: the header's uid/gid (the daemon's ID mapping is the
    identity), or, with ``copy_uid_gid`` and a container ``user``
    (``Config.User``), that user's uid/gid from the container's
    /etc/passwd and /etc/group for every entry (with ``copy_uid_gid`` but
    no user: the header's).  Implied parent directories are 0755
    root:root.  ``no_overwrite_dir_non_dir`` (the CLI always sends it)
    refuses replacing a directory by a non-directory and back; otherwise an
    existing non-directory, or a directory a non-directory replaces, is
    removed first.  ``.wh.*`` entries are extracted as ordinary files.
    Entries whose cleaned name climbs above the destination, hard links
    to outside it and symlinks whose target (joined lexically with the
    link's directory) leaves it are refused; an absolute symlink target
    passes that check and later entries written through the link land
    wherever it points inside the container's root.  Entries before an
    error stay extracted."""
    check_path_param(path)
    view = copy_view(vfs)
    readonly_rootfs = _root_mount(vfs).readonly
    try:
        abs_path = eval_symlinks(view, go_join("/", path))
        abs_path = preserve_trailing_dot_or_separator(abs_path, path)
        try:
            st = view.lstat(abs_path)
        except SimError as err:
            raise _path_error("lstat", abs_path, err) from None
        if not st.is_dir:
            raise ArchiveError("extraction point is not a directory", "invalid")
        _check_writable(view, abs_path, readonly_rootfs)
        chown = container_user_ids(view, user) if copy_uid_gid and user else None
        unpack(view, go_clean(abs_path), decompress_stream(data),
               no_overwrite_dir_non_dir=no_overwrite_dir_non_dir, chown=chown)
    except _GoError as err:
        raise _daemon_error(err, path, container) from None
