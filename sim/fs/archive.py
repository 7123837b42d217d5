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
"""

from __future__ import annotations

import base64
import bz2
import gzip
import io
import lzma
import math
import re
import tarfile
import zlib

import attrs

from ..abi import Errno, O_CREAT, O_WRONLY
from ..errors import SimError
from ..golang import base as go_base
from ..golang import clean_path as go_clean
from ..golang import dir_of as go_dir
from ..golang import join_path as go_join
from ..golang import marshal as _go_json
from ..golang import quote as go_quote
from ..golang import rel_path as go_rel
from ..golang import rfc3339_nano
from ..golang import split_path as go_split
from ..golang.errors import GoError
from ..golang.symlink import follow_symlink_in_scope as go_follow_in_scope
from .memfs import CharDevice
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


class _GoError(GoError):
    """An error inside the copy view, worded as Go prints it.  ``not_exist``
    is whether Go's ``os.IsNotExist`` holds for it (an ENOENT inside a
    PathError/LinkError/bare errno, never one wrapped by ``fmt.Errorf``)."""

    def __init__(self, text: str, not_exist: bool = False):
        super().__init__(text)
        self.text = text
        self.not_exist = not_exist


def _errno_text(err: SimError) -> str:
    """Go's text for an errno: Linux's strerror, lower case first."""
    text = err.errno_value.strerror
    return text[:1].lower() + text[1:]


def _path_error(op: str, path: str, err: SimError) -> _GoError:
    """Go's ``*os.PathError``: ``<op> <path>: <errno text>``."""
    return _GoError(f"{op} {path}: {_errno_text(err)}", err.errno_value == Errno.ENOENT)


def _link_error(op: str, old: str, new: str, err: SimError) -> _GoError:
    """Go's ``*os.LinkError``: ``<op> <old> <new>: <errno text>``."""
    return _GoError(f"{op} {old} {new}: {_errno_text(err)}", err.errno_value == Errno.ENOENT)


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


class _TarWriter:
    """go-archive's ``tarAppender``: headers from lstat(2) (PAX format,
    written as plain ustar when nothing needs PAX records), owner names
    empty, mtimes truncated to the second, permission bits with set-user-ID,
    set-group-ID and sticky; a non-directory with more than one link is
    written in full the first time and as a hard link to that name after;
    the archive ends with two zero blocks and no padding, as Go's
    ``tar.Writer`` closes."""

    def __init__(self) -> None:
        self.buf = io.BytesIO()
        self.tf = tarfile.open(fileobj=self.buf, mode="w", format=tarfile.PAX_FORMAT,
                               encoding="utf-8")
        self.seen: "dict[tuple[int, int], str]" = {}

    def add(self, view: Vfs, path: str, name: str) -> None:
        try:
            st = view.lstat(path)
        except SimError:
            return  # logged and skipped by the daemon
        ti = tarfile.TarInfo(name)
        ti.mode = st.mode & 0o7777
        ti.uid, ti.gid = st.uid, st.gid
        ti.uname = ti.gname = ""
        ti.mtime = math.floor(st.mtime)
        data = None
        if st.is_dir:
            ti.type = tarfile.DIRTYPE
            if not ti.name.endswith("/"):
                ti.name += "/"
        elif st.is_symlink:
            ti.type = tarfile.SYMTYPE
            try:
                ti.linkname = view.readlink(path)
            except SimError:
                return
        elif st.is_chardev:
            ti.type = tarfile.CHRTYPE
            ti.devmajor = (st.rdev >> 8) & 0xFFF
            ti.devminor = (st.rdev & 0xFF) | ((st.rdev >> 12) & 0xFFF00)
        elif st.is_file:
            ti.type = tarfile.REGTYPE
            ti.size = st.size
        else:
            return  # FIFOs, sockets: not simulated
        if not st.is_dir and st.nlink > 1:
            key = (st.dev, st.ino)
            if key in self.seen:
                ti.type = tarfile.LNKTYPE
                ti.linkname = self.seen[key]
                ti.size = 0
            else:
                self.seen[key] = name
        if ti.type == tarfile.REGTYPE and ti.size > 0:
            try:
                data = view.read_bytes(path)
            except SimError:
                return
            ti.size = len(data)
        self.tf.addfile(ti, io.BytesIO(data) if data else None)

    def finish(self) -> bytes:
        end = self.tf.offset
        self.tf.close()
        return self.buf.getvalue()[:end + 2 * tarfile.BLOCKSIZE]


def _by_bytes(name: str) -> bytes:
    return name.encode("utf-8", "surrogateescape")


def _walk_dir(view: Vfs, root: str):
    """``filepath.WalkDir``: (path, is_dir) for ``root`` and, depth first,
    everything below it, each directory's names in byte order; symlinks
    are not followed; children's paths are ``filepath.Join``ed."""
    try:
        st = view.lstat(root)
    except SimError:
        return
    stack = [(root, st.is_dir)]
    while stack:
        path, is_dir = stack.pop()
        yield path, is_dir
        if not is_dir:
            continue
        try:
            names = sorted(view.listdir(path), key=_by_bytes)
        except SimError:
            continue
        children = []
        for name in names:
            child = go_join(path, name)
            try:
                child_dir = view.lstat(child).is_dir
            except SimError:
                child_dir = False
            children.append((child, child_dir))
        stack.extend(reversed(children))


def _tar_with_options(view: Vfs, src: str, include: str, *, include_source_dir: bool,
                      rebase: str) -> bytes:
    """go-archive ``TarWithOptions`` with one include: walk ``src/include``;
    names are relative to ``src`` (``./x`` when including the source
    directory itself), the first occurrence of ``include`` replaced by
    ``rebase`` (``/`` rebases to the empty string)."""
    w = _TarWriter()
    try:
        st = view.lstat(src)
    except SimError:
        return w.finish()
    if not st.is_dir:
        src, include = _split_path_dir_entry(src)
    walk_root = (src[:-1] if src.endswith("/") else src) + "/" + include
    for file_path, is_dir in _walk_dir(view, walk_root):
        rel = go_rel(src, file_path)
        if not include_source_dir and rel == "." and is_dir:
            continue
        if include_source_dir and include == "." and rel != ".":
            rel = "./" + rel
        if rebase:
            rel = rel.replace(include, "" if rebase == "/" else rebase, 1)
        w.add(view, file_path, rel)
    return w.finish()


def _split_path_dir_entry(path: str) -> "tuple[str, str]":
    cleaned = go_clean(path)
    if go_base(path) == ".":
        cleaned += "/."
    return go_dir(cleaned), go_base(cleaned)


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
    data = _tar_with_options(view, source_dir, source_base, include_source_dir=True,
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
    return _tar_with_options(view, "/", ".", include_source_dir=False, rebase="")


# --------------------------------------------------------------------------
# Extracting (PUT /containers/{id}/archive)

#: The umask dockerd runs with (new files and directories before chmod).
DAEMON_UMASK = 0o022

#: Go's os.Chtimes limit on 64-bit: later times (and times before the
#: epoch) are replaced by the epoch (go-archive ``boundTime``).
_MAX_TIME = (1 << 63) / 1e9


def _bound_time(t: float) -> float:
    return 0.0 if t < 0 or t > _MAX_TIME else t


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
    return [GroupEntry(row[0], _atoi(row[2])) for row in _colon_lines(view, "/etc/group", comments=True)]


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


# decompression (go-archive compression.DecompressStream)

_XZ_MAGIC = b"\xfd7zXZ\x00"
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


def _decompress(data: bytes) -> bytes:
    """Detect bzip2, gzip, xz (and zstd) by magic number, as go-archive
    does, and decompress.  Corrupt data gives Go-like words; zstd is not
    simulated (Python 3.11 has no decoder)."""
    try:
        if data[:3] == b"BZh":
            return bz2.decompress(data)
        if data[:3] == b"\x1f\x8b\x08":
            return gzip.decompress(data)
        if data[:6] == _XZ_MAGIC:
            return lzma.decompress(data, format=lzma.FORMAT_XZ)
    except EOFError:
        raise _GoError("unexpected EOF") from None
    except (OSError, lzma.LZMAError, zlib.error) as err:
        kind = "bzip2" if data[:3] == b"BZh" else "gzip" if data[:1] == b"\x1f" else "xz"
        raise _GoError(f"{kind}: invalid data: {err}") from None
    if data[:4] == _ZSTD_MAGIC or (len(data) >= 8 and int.from_bytes(data[:4], "little") & 0xFFFFFFF0
                                   == 0x184D2A50):
        raise _GoError("zstd-compressed archives are not simulated")
    return data


def _tail_error(data: bytes, offset: int) -> "_GoError | None":
    """Why Go's tar reader would stop at ``offset`` where Python's stopped:
    None for a clean end (nothing left, or a zero block then a zero block
    or nothing), else Go's error."""
    block = data[offset:offset + tarfile.BLOCKSIZE]
    if not block:
        return None
    if len(block) < tarfile.BLOCKSIZE:
        return _GoError("unexpected EOF")
    if block == bytes(tarfile.BLOCKSIZE):
        nxt = data[offset + tarfile.BLOCKSIZE:offset + 2 * tarfile.BLOCKSIZE]
        if not nxt or nxt == bytes(tarfile.BLOCKSIZE):
            return None
        if len(nxt) < tarfile.BLOCKSIZE:
            return _GoError("unexpected EOF")
    return _GoError("archive/tar: invalid tar header")


@attrs.define(eq=False)
class _Unpacker:
    """go-archive ``Unpack`` into ``dest`` inside the copy view, with the
    options moby's cp uses: whiteout files are ordinary files (no whiteout
    conversion), owners from the headers (identity ID mapping) unless
    ``chown`` overrides them, implied parent directories 0755 root:root."""

    view: Vfs
    dest: str
    no_overwrite_dir_non_dir: bool
    chown: "tuple[int, int] | None"

    def run(self, data: bytes) -> None:
        if not data:
            return
        try:
            tf = tarfile.open(fileobj=io.BytesIO(data), mode="r:", encoding="utf-8")
        except tarfile.ReadError:
            raise _tail_error(data, 0) or _GoError("archive/tar: invalid tar header") from None
        dirs: "list[tuple[str, float]]" = []
        while True:
            try:
                m = tf.next()
            except tarfile.ReadError as err:
                if "end of data" in str(err):
                    raise _GoError("unexpected EOF") from None
                raise _GoError("archive/tar: invalid tar header") from None
            if m is None:
                break
            self.entry(tf, m, dirs)
        tail = _tail_error(data, tf.offset)
        if tail is not None:
            raise tail
        for name, mtime in dirs:
            path = go_join(self.dest, name)
            try:
                self.view.utime(path, _bound_time(mtime))
            except SimError as err:
                raise _path_error("chtimes", path, err) from None

    @staticmethod
    def _raw_name(m: tarfile.TarInfo) -> str:
        # Python's tarfile drops a directory name's trailing slashes; a
        # directory named only by slashes ("/") comes back empty.
        if m.isdir() and m.name == "":
            return "/"
        return m.name

    def entry(self, tf: tarfile.TarFile, m: tarfile.TarInfo, dirs: list) -> None:
        view, dest = self.view, self.dest
        name = go_clean(self._raw_name(m))
        self.implied_dirs(name)
        path = go_join(dest, name)
        if go_rel(dest, path).startswith("../"):
            raise _GoError(f"{go_quote(name)} is outside of {go_quote(dest)}")
        want_dir = m.type == tarfile.DIRTYPE
        try:
            fi = view.lstat(path)
        except SimError:
            fi = None
        if fi is not None:
            if self.no_overwrite_dir_non_dir and fi.is_dir and not want_dir:
                raise _GoError(f"cannot overwrite directory {go_quote(path)} with non-directory "
                               f"{go_quote(dest)}")
            if self.no_overwrite_dir_non_dir and not fi.is_dir and want_dir:
                raise _GoError(f"cannot overwrite non-directory {go_quote(path)} with directory "
                               f"{go_quote(dest)}")
            if fi.is_dir and name == ".":
                return
            if not fi.is_dir or not want_dir:
                remove_all(view, path)
        self.create(tf, m, path)
        if want_dir:
            dirs.append((name, float(m.mtime)))

    def implied_dirs(self, name: str) -> None:
        """go-archive ``createImpliedDirectories``: a missing parent of an
        entry is made (mkdir -p, 0755, root:root) before anything else,
        even for an entry then refused as a breakout."""
        if name.endswith("/"):
            return
        parent_path = go_join(self.dest, go_dir(name))
        try:
            self.view.lstat(parent_path)
            return
        except SimError as err:
            if err.errno_value != Errno.ENOENT:
                return
        made = mkdir_all(self.view, parent_path, 0o755 & ~DAEMON_UMASK)
        for p in made:
            try:
                st = self.view.stat(p)
                if st.mode & 0o777 != 0o755:
                    self.view.chmod(p, 0o755)
                if (st.uid, st.gid) != (0, 0):
                    self.view.chown(p, 0, 0)
            except SimError as err:
                raise _path_error("chmod", p, err) from None

    def create(self, tf: tarfile.TarFile, m: tarfile.TarInfo, path: str) -> None:
        """go-archive ``createTarFile``: make the object, then lchown, chmod
        (not for symlinks) and the mtime."""
        view, dest = self.view, self.dest
        mode = m.mode & 0o7777
        typ = m.type
        if typ == tarfile.DIRTYPE:
            try:
                st = view.lstat(path)
                exists_dir = st.is_dir
            except SimError:
                exists_dir = False
            if not exists_dir:
                try:
                    view.mkdir(path, mode & ~DAEMON_UMASK)
                except SimError as err:
                    raise _path_error("mkdir", path, err) from None
        elif typ in (tarfile.REGTYPE, tarfile.AREGTYPE, tarfile.GNUTYPE_SPARSE):
            try:
                f = view.open(path, O_WRONLY | O_CREAT, mode & ~DAEMON_UMASK)
            except SimError as err:
                raise _path_error("open", path, err) from None
            try:
                content = tf.extractfile(m).read()
            except tarfile.ReadError:
                raise _GoError("unexpected EOF") from None
            try:
                f.write(content)
            except SimError as err:
                raise _path_error("write", path, err) from None
        elif typ == tarfile.CHRTYPE:
            try:
                _mknod_char(view, path, mode & ~DAEMON_UMASK, m.devmajor, m.devminor)
            except SimError as err:
                raise _path_error("mknod", path, err) from None
        elif typ in (tarfile.BLKTYPE, tarfile.FIFOTYPE):
            return  # no such inodes in the simulation: skipped
        elif typ == tarfile.LNKTYPE:
            target = go_join(dest, m.linkname)
            if not target.startswith(dest):
                raise _GoError(f"invalid hardlink {go_quote(target)} -> {go_quote(m.linkname)}")
            try:
                view.link(target, path)
            except SimError as err:
                raise _link_error("link", target, path, err) from None
        elif typ == tarfile.SYMTYPE:
            target = go_join(go_dir(path), m.linkname)
            if not target.startswith(dest):
                raise _GoError(f"invalid symlink {go_quote(path)} -> {go_quote(m.linkname)}")
            try:
                view.symlink(m.linkname, path)
            except SimError as err:
                raise _link_error("symlink", m.linkname, path, err) from None
        else:
            raise _GoError(f"unhandled tar header type {typ[0] if typ else 0}")

        uid, gid = self.chown if self.chown is not None else (m.uid, m.gid)
        try:
            view.chown(path, uid, gid, follow=False)
        except SimError as err:
            raise _GoError(f"failed to Lchown {go_quote(path)} for UID {m.uid}, GID {m.gid}: "
                           f"lchown {path}: {_errno_text(err)}") from None

        # A hard link's mode and times are set only when its *link name*,
        # looked up from the view's root (not from dest), is no symlink:
        # go-archive checks ``os.Lstat(hdr.Linkname)`` as it stands.
        if typ == tarfile.LNKTYPE:
            try:
                plain_target = not view.lstat(m.linkname if m.linkname.startswith("/")
                                              else "/" + m.linkname).is_symlink
            except SimError:
                plain_target = False
        else:
            plain_target = typ != tarfile.SYMTYPE
        mtime = _bound_time(float(m.mtime))
        if plain_target:
            try:
                view.chmod(path, mode)
            except SimError as err:
                raise _path_error("chmod", path, err) from None
            try:
                view.utime(path, mtime)
            except SimError as err:
                raise _path_error("chtimes", path, err) from None
        elif typ == tarfile.SYMTYPE:
            try:
                _lutimes(view, path, mtime)
            except SimError as err:
                raise _GoError(_errno_text(err)) from None


def _lutimes(view: Vfs, path: str, mtime: float) -> None:
    """utimensat(AT_SYMLINK_NOFOLLOW): set a symlink's own mtime."""
    view.utime(path, mtime, follow=False)


def _mknod_char(view: Vfs, path: str, mode: int, major: int, minor: int) -> None:
    """mknod(2) of a character device (no driver attached: ENXIO on use)."""
    view.mknod(path, CharDevice(None, mode=mode, major=major, minor=minor))


def mkdir_all(view: Vfs, path: str, perm: int) -> "list[str]":
    """Go's ``os.MkdirAll``; returns the directories it made, top first.
    A non-directory in the way is ``mkdir <it>: not a directory``."""
    made: "list[str]" = []

    def run(p: str) -> None:
        try:
            st = view.stat(p)
            if st.is_dir:
                return
            raise _path_error("mkdir", p, SimError(Errno.ENOTDIR))
        except SimError:
            pass
        i = len(p) - 1
        while i >= 0 and p[i] == "/":
            i -= 1
        while i >= 0 and p[i] != "/":
            i -= 1
        parent = p[:max(i, 0)]
        if parent:
            run(parent)
        try:
            view.mkdir(p, perm)
            made.append(p)
        except SimError as err:
            try:
                if view.lstat(p).is_dir:
                    return
            except SimError:
                pass
            raise _path_error("mkdir", p, err) from None

    run(path)
    return made


def remove_all(view: Vfs, path: str) -> None:
    """Go's ``os.RemoveAll`` (removeall_at.go): unlink, or empty and remove
    a directory; a missing path is fine.  Errors are worded
    ``unlinkat <parent>/<name>: …`` (a mount point: device or resource
    busy)."""
    for remove in (view.unlink, view.rmdir):  # os.Remove first
        try:
            remove(path)
            return
        except SimError as err:
            if err.errno_value == Errno.ENOENT:
                return
    stripped = path
    while len(stripped) > 1 and stripped.startswith("//"):
        stripped = stripped[1:]
    while len(stripped) > 1 and stripped.endswith("/"):
        stripped = stripped[:-1]
    i = stripped.rfind("/")
    parent = "." if i < 0 else (stripped[:1] if i == 0 else stripped[:i])
    _remove_all_from(view, stripped, parent + "/" + stripped[i + 1:])


def _remove_all_from(view: Vfs, path: str, shown: str) -> None:
    try:
        view.unlink(path)
        return
    except SimError as err:
        uerr = err
    if uerr.errno_value == Errno.ENOENT:
        return
    is_dir = False
    if uerr.errno_value == Errno.EBUSY:  # Linux says EISDIR before EBUSY for a directory
        try:
            is_dir = view.lstat(path).is_dir
        except SimError:
            pass
    if uerr.errno_value not in (Errno.EISDIR, Errno.EPERM, Errno.EACCES) and not is_dir:
        raise _path_error("unlinkat", shown, uerr)
    try:
        names = view.listdir(path)
    except SimError as err:
        if err.errno_value == Errno.ENOENT:
            return
        if err.errno_value == Errno.ENOTDIR:
            raise _path_error("unlinkat", shown, uerr) from None
        raise _path_error("openfdat", shown, err) from None
    first: "_GoError | None" = None
    for name in names:
        try:
            _remove_all_from(view, path.rstrip("/") + "/" + name, shown + "/" + name)
        except _GoError as err:
            first = first or err
    try:
        view.rmdir(path)
        return
    except SimError as err:
        if err.errno_value == Errno.ENOENT:
            return
        if first is not None:
            raise first from None
        raise _path_error("unlinkat", shown, err) from None


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


def extract_archive(vfs: Vfs, path: str, data: bytes, *, no_overwrite_dir_non_dir: bool,
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
        _Unpacker(view, go_clean(abs_path), no_overwrite_dir_non_dir, chown).run(_decompress(data))
    except _GoError as err:
        raise _daemon_error(err, path, container) from None
