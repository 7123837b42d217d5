"""In-memory inodes, and `MemFs`, the tmpfs-like filesystem made of them.

An inode is an identity object (``attrs.define(eq=False)``): a hard link is a
second directory entry naming the *same* inode object, so writing through one
name is seen through the other (link(2)).  A directory is an ordered mapping
name -> inode; it holds no ``.`` or ``..`` entries: the VFS walk resolves
``..`` from the path it walked (path_resolution(7)), which is also how ``..``
at a mount root reaches the parent mount.

Every inode carries the fields of inode(7) the simulation needs: ``mode``
(file type bits ``S_IF*`` | permission bits), ``uid``, ``gid``, ``mtime``,
``nlink`` and ``ino``.  ``ino`` is unique within one filesystem instance and
comes from that filesystem's counter (`MemFs.alloc_ino`).  A directory's link
count is not stored: it is 2 + its number of subdirectories, computed when
stat()ed, as on Linux.

Two inode kinds exist only inside layer and overlay trees (see overlay.py):
`Whiteout`, which overlayfs stores as a 0/0 character device, and the
``opaque`` flag of a `Dir` (overlayfs's ``trusted.overlay.opaque`` xattr).

Ownership: a `MemFs` mutates its own inodes; the VFS calls it.  Inodes of a
`sim.fs.tar.LayerTree` are never mutated (they are shared by every container
of an image).
"""

from __future__ import annotations

from typing import Callable, ClassVar, Iterator, Protocol

import attrs

from ..abi import (
    Errno,
    S_IFCHR,
    S_IFDIR,
    S_IFLNK,
    S_IFREG,
)
from ..errors import SimError


#: The file-type bits of a mode (inode(7)'s S_IFMT; `sim.abi.S_IFMT` is the
#: stdlib's function of that name, not the mask).
S_IFMT_MASK = 0o170000


def _zero() -> float:
    return 0.0


def makedev(major: int, minor: int) -> int:
    """Encode a device number as Linux's ``new_encode_dev`` does (what
    ``st_rdev`` holds)."""
    return (minor & 0xFF) | (major << 8) | ((minor & ~0xFF) << 12)


# --------------------------------------------------------------------------
# Stat


@attrs.frozen
class Stat:
    """What stat(2) returns: an immutable snapshot of an inode's attributes.

    ``dev`` identifies the filesystem (filled in by the VFS from the mount);
    ``rdev`` the device of a character device (`makedev`)."""

    mode: int
    ino: int
    nlink: int
    uid: int
    gid: int
    size: int
    mtime: float
    rdev: int = 0
    dev: int = 0

    @property
    def is_dir(self) -> bool:
        return self.mode & S_IFMT_MASK == S_IFDIR

    @property
    def is_file(self) -> bool:
        return self.mode & S_IFMT_MASK == S_IFREG

    @property
    def is_symlink(self) -> bool:
        return self.mode & S_IFMT_MASK == S_IFLNK

    @property
    def is_chardev(self) -> bool:
        return self.mode & S_IFMT_MASK == S_IFCHR

    @property
    def perm(self) -> int:
        return self.mode & 0o7777


# --------------------------------------------------------------------------
# Inodes


def _mode_field():
    return attrs.field(default=None, kw_only=True)


@attrs.define(eq=False)
class Inode:
    """Base of every inode.  ``mode`` may be given as permission bits only
    (``0o755``); the type bits of the class are added.

    Invariant: ``mode & S_IFMT_MASK == type(self).TYPE``."""

    TYPE: ClassVar[int] = 0
    DEFAULT_PERM: ClassVar[int] = 0o644

    mode: int = _mode_field()
    uid: int = attrs.field(default=0, kw_only=True)
    gid: int = attrs.field(default=0, kw_only=True)
    mtime: float = attrs.field(default=0.0, kw_only=True)
    nlink: int = attrs.field(default=1, kw_only=True)
    ino: int = attrs.field(default=0, kw_only=True)

    def __attrs_post_init__(self) -> None:
        if self.mode is None:
            self.mode = self.TYPE | self.DEFAULT_PERM
        else:
            self.mode = self.TYPE | (self.mode & 0o7777)

    @property
    def perm(self) -> int:
        return self.mode & 0o7777

    @property
    def size(self) -> int:
        return 0

    @property
    def rdev(self) -> int:
        return 0

    def copy_meta(self, other: "Inode") -> None:
        """Take ``other``'s permission bits, owner and mtime (what overlayfs
        copy-up preserves)."""
        self.mode = self.TYPE | (other.mode & 0o7777)
        self.uid, self.gid, self.mtime = other.uid, other.gid, other.mtime


@attrs.define(eq=False)
class Dir(Inode):
    """A directory: ``entries`` maps name -> inode in insertion order.

    ``opaque`` (overlay trees only): entries of the same directory in lower
    layers are hidden (``.wh..wh..opq``)."""

    TYPE: ClassVar[int] = S_IFDIR
    DEFAULT_PERM: ClassVar[int] = 0o755

    entries: "dict[str, Inode]" = attrs.field(factory=dict)
    opaque: bool = attrs.field(default=False, kw_only=True)

    @property
    def size(self) -> int:
        return 4096

    def subdir_count(self) -> int:
        return sum(1 for e in self.entries.values() if isinstance(e, Dir))


def _to_bytearray(data) -> "bytearray | bytes":
    if isinstance(data, str):
        return bytearray(data.encode())
    if isinstance(data, (bytearray, bytes)):
        return data
    return bytearray(data)


@attrs.define(eq=False)
class File(Inode):
    """A regular file.  ``data`` is a bytearray; inodes of a read-only layer
    may hold immutable ``bytes`` instead (copy-up turns them into a
    bytearray)."""

    TYPE: ClassVar[int] = S_IFREG

    data: "bytearray | bytes" = attrs.field(factory=bytearray, converter=_to_bytearray)

    @property
    def size(self) -> int:
        return len(self.data)


class LiveFile(File):
    """A regular file whose content lives outside the simulation: the
    daemon's view of a host file in a bind mount or volume.  Subclasses
    implement `pread`, `pwrite`, `resize` and `size`; an open file reads
    and writes through them (`sim.fs.vfs.OpenFile`), so both sides see
    each other's changes at once.  ``data`` reads or replaces the whole
    content (for code that handles files whole: docker cp, exec).

    Not an attrs class: a subclass sets the inode fields itself."""

    def pread(self, pos: int, n: int) -> bytes:
        raise NotImplementedError

    def pwrite(self, pos: int, data: bytes) -> None:
        raise NotImplementedError

    def resize(self, n: int) -> None:
        raise NotImplementedError

    @property
    def data(self) -> bytes:  # type: ignore[override]
        return self.pread(0, -1)

    @data.setter
    def data(self, value) -> None:
        self.resize(0)
        if value:
            self.pwrite(0, bytes(value))


@attrs.define(eq=False)
class Symlink(Inode):
    """A symbolic link; its size is the length of the target (symlink(7))."""

    TYPE: ClassVar[int] = S_IFLNK
    DEFAULT_PERM: ClassVar[int] = 0o777

    target: str = ""

    @property
    def size(self) -> int:
        return len(self.target.encode("utf-8", "surrogateescape"))


class DeviceHandler(Protocol):
    """What a character device does when read or written."""

    def read(self, n: int) -> bytes: ...

    def write(self, data: bytes) -> int: ...


@attrs.define(eq=False)
class NullDevice:
    """/dev/null (null(4)): reads give end of file, writes are discarded."""

    def read(self, n: int) -> bytes:
        return b""

    def write(self, data: bytes) -> int:
        return len(data)


@attrs.define(eq=False)
class ZeroDevice:
    """/dev/zero (null(4)): reads give zero bytes, writes are discarded.
    ``read(-1)`` returns one 64 KiB chunk rather than never ending."""

    def read(self, n: int) -> bytes:
        return bytes(65536 if n < 0 else n)

    def write(self, data: bytes) -> int:
        return len(data)


@attrs.define(eq=False)
class CharDevice(Inode):
    """A character device.  ``handler`` does the I/O; ``None`` means no
    driver is attached (reads and writes fail with ENXIO): /dev/tty is such
    a placeholder, which the kernel resolves to the caller's controlling
    terminal by its (``major``, ``minor``) = (5, 0)."""

    TYPE: ClassVar[int] = S_IFCHR
    DEFAULT_PERM: ClassVar[int] = 0o666

    handler: "DeviceHandler | None" = None
    major: int = attrs.field(default=0, kw_only=True)
    minor: int = attrs.field(default=0, kw_only=True)

    @property
    def rdev(self) -> int:
        return makedev(self.major, self.minor)

    def read(self, n: int = -1) -> bytes:
        if self.handler is None:
            raise SimError(Errno.ENXIO)
        return self.handler.read(n)

    def write(self, data: bytes) -> int:
        if self.handler is None:
            raise SimError(Errno.ENXIO)
        return self.handler.write(data)


@attrs.define(eq=False)
class Whiteout(Inode):
    """An overlay whiteout: the name is deleted from the layers below.

    overlayfs stores it as a character device 0/0; the OCI layer format as
    an empty file ``.wh.NAME``.  Never visible through the VFS."""

    TYPE: ClassVar[int] = S_IFCHR
    DEFAULT_PERM: ClassVar[int] = 0


@attrs.frozen
class Usage:
    """The space a filesystem's content takes: the raw material of
    statfs(2) (``f_blocks - f_bfree``, ``f_files - f_ffree``) and of the
    page cache in /proc/meminfo.  ``bytes`` counts regular-file data (each
    inode once, however many names it has; directories and symbolic links
    are not counted, as ``LayerTree.size`` does not count them); ``inodes``
    every distinct inode, the root included."""

    bytes: int = 0
    inodes: int = 0

    def __add__(self, other: "Usage") -> "Usage":
        return Usage(self.bytes + other.bytes, self.inodes + other.inodes)


def tree_usage(root: Inode) -> Usage:
    """The `Usage` of a tree of inodes (hard links counted once)."""
    seen: "set[int]" = {id(root)}
    size = len(root.data) if isinstance(root, File) else 0
    if isinstance(root, Dir):
        for _, inode in iter_tree(root):
            if id(inode) in seen:
                continue
            seen.add(id(inode))
            if isinstance(inode, File):
                size += len(inode.data)
    return Usage(size, len(seen))


def stat_of(inode: Inode, ino: "int | None" = None) -> Stat:
    """The `Stat` of one inode (``ino`` overrides the inode's own number)."""
    nlink = 2 + inode.subdir_count() if isinstance(inode, Dir) else inode.nlink
    return Stat(
        mode=inode.mode,
        ino=inode.ino if ino is None else ino,
        nlink=nlink,
        uid=inode.uid,
        gid=inode.gid,
        size=inode.size,
        mtime=inode.mtime,
        rdev=inode.rdev,
    )


def clone_inode(inode: Inode) -> Inode:
    """A fresh inode with ``inode``'s type, metadata and content (a copy of
    the data; directories come back empty).  Used by copy-up."""
    if isinstance(inode, Dir):
        new: Inode = Dir()
    elif isinstance(inode, File):
        new = File(bytearray(inode.data))
    elif isinstance(inode, Symlink):
        new = Symlink(inode.target)
    elif isinstance(inode, CharDevice):
        new = CharDevice(inode.handler, major=inode.major, minor=inode.minor)
    else:
        raise TypeError(f"cannot copy {type(inode).__name__}")
    new.copy_meta(inode)
    return new


def iter_tree(root: Dir, prefix: str = "") -> "Iterator[tuple[str, Inode]]":
    """Yield (path, inode) depth first, each directory before its contents,
    names in sorted order.  Paths are relative (``etc/passwd``); the root
    itself is not yielded."""
    for name in sorted(root.entries):
        inode = root.entries[name]
        path = prefix + name
        yield path, inode
        if isinstance(inode, Dir):
            yield from iter_tree(inode, path + "/")


# --------------------------------------------------------------------------
# MemFs


def split_path(path: str) -> "list[str]":
    """Components of a tree path (leading, trailing and doubled slashes and
    ``.`` ignored).  Raises ValueError on ``..``: tree paths are literal."""
    parts = [p for p in path.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise ValueError(f"'..' in tree path {path!r}")
    return parts


def walk_literal(root: "Inode", parts: "list[str]") -> "Inode | None":
    """The raw inode at ``parts`` below ``root``, following directory
    entries literally (no symlinks, no ``..``; whiteouts are returned as
    they are), or None."""
    node = root
    for name in parts:
        if not isinstance(node, Dir):
            return None
        node = node.entries.get(name)
        if node is None:
            return None
    return node


@attrs.define(eq=False)
class MemFs:
    """A writable in-memory filesystem (tmpfs): the root `Dir` and an inode
    counter.  Implements the `sim.fs.vfs.Filesystem` protocol, where a node
    is the inode itself.

    Invariant: every inode reachable from ``root`` has a distinct ``ino``
    (hard links share one), all below ``_next_ino``.
    ``now`` gives mtimes for changes (seconds since the epoch).

    ``size_limit`` is tmpfs's ``size=`` option in bytes (None: the default,
    half of RAM, tmpfs(5)); statfs(2) reports it as the total size.  It is
    not enforced (writes never fail with ENOSPC).  ``fstype``/``source``
    are what /proc/mounts shows for it."""

    root: Dir = attrs.field(factory=Dir)
    now: Callable[[], float] = _zero
    readonly: bool = attrs.field(default=False, kw_only=True)
    size_limit: "int | None" = attrs.field(default=None, kw_only=True)
    fstype: str = attrs.field(default="tmpfs", kw_only=True)
    source: str = attrs.field(default="tmpfs", kw_only=True)
    _next_ino: int = attrs.field(default=1, init=False)

    def __attrs_post_init__(self) -> None:
        seen: set[int] = set()
        numbered = [self.root] + [i for _, i in iter_tree(self.root)]
        top = max((i.ino for i in numbered), default=0)
        self._next_ino = top + 1
        for inode in numbered:
            if inode.ino == 0 and id(inode) not in seen:
                inode.ino = self.alloc_ino()
            seen.add(id(inode))

    def alloc_ino(self) -> int:
        n = self._next_ino
        self._next_ino += 1
        return n

    # -- building trees (not the VFS protocol) -----------------------------

    def makedirs(self, path: str, mode: int = 0o755, uid: int = 0, gid: int = 0) -> Dir:
        """mkdir -p inside the tree (no permission checks); returns the Dir.
        A non-directory in the way is replaced by a directory."""
        d = self.root
        for name in split_path(path):
            nxt = d.entries.get(name)
            if not isinstance(nxt, Dir):
                nxt = Dir(mode=mode, uid=uid, gid=gid, mtime=self.now(), ino=self.alloc_ino())
                d.entries[name] = nxt
            d = nxt
        return d

    def put(self, path: str, inode: Inode) -> Inode:
        """Place ``inode`` at ``path``, creating parent directories; an
        existing entry is replaced.  Returns the inode."""
        parts = split_path(path)
        if not parts:
            raise ValueError("cannot replace the root")
        parent = self.makedirs("/".join(parts[:-1]))
        old = parent.entries.get(parts[-1])
        if isinstance(old, Dir) and isinstance(inode, Dir) and inode is not old:
            inode.entries = {**old.entries, **inode.entries}
        if inode.ino == 0:
            inode.ino = self.alloc_ino()
        parent.entries[parts[-1]] = inode
        return inode

    def get(self, path: str) -> "Inode | None":
        """The inode at a literal tree path (symlinks not followed)."""
        return walk_literal(self.root, split_path(path))

    # -- space (statfs(2), /proc/meminfo) -----------------------------------

    def usage(self) -> Usage:
        """The bytes and inodes the tree holds (tmpfs's used blocks and
        inodes)."""
        return tree_usage(self.root)

    def cached_parts(self) -> "list[tuple[object, Usage, str]]":
        """What this filesystem keeps in memory, for /proc/meminfo: one
        (identity key, usage, kind) per separately held tree.  A tmpfs's
        pages are shared memory (kind ``"shmem"``: counted in Shmem and
        Cached, proc(5))."""
        return [(self.root, self.usage(), "shmem")]

    # -- the Filesystem protocol -------------------------------------------

    def root_node(self) -> Dir:
        return self.root

    def lookup(self, parent: Dir, name: str) -> "Inode | None":
        e = parent.entries.get(name)
        return None if isinstance(e, Whiteout) else e

    def getattr(self, node: Inode) -> Stat:
        return stat_of(node)

    def listdir(self, node: Dir) -> "list[str]":
        return sorted(n for n, e in node.entries.items() if not isinstance(e, Whiteout))

    def readlink(self, node: Symlink) -> str:
        return node.target

    def _check_rw(self) -> None:
        if self.readonly:
            raise SimError(Errno.EROFS)

    def _touch(self, d: Dir) -> None:
        d.mtime = self.now()

    def mknod(self, parent: Dir, name: str, inode: Inode) -> Inode:
        self._check_rw()
        if name in parent.entries and not isinstance(parent.entries[name], Whiteout):
            raise SimError(Errno.EEXIST)
        if inode.ino == 0:
            inode.ino = self.alloc_ino()
        parent.entries[name] = inode
        self._touch(parent)
        return inode

    def unlink(self, parent: Dir, name: str) -> None:
        self._check_rw()
        inode = parent.entries.pop(name)
        inode.nlink = max(0, inode.nlink - 1)
        self._touch(parent)

    def rmdir(self, parent: Dir, name: str) -> None:
        self._check_rw()
        d = parent.entries[name]
        if not isinstance(d, Dir):
            raise SimError(Errno.ENOTDIR)
        if any(not isinstance(e, Whiteout) for e in d.entries.values()):
            raise SimError(Errno.ENOTEMPTY)
        del parent.entries[name]
        self._touch(parent)

    def rename(self, oldparent: Dir, oldname: str, newparent: Dir, newname: str) -> None:
        self._check_rw()
        inode = oldparent.entries[oldname]
        replaced = newparent.entries.get(newname)
        if replaced is inode:
            return
        if replaced is not None and not isinstance(replaced, (Dir, Whiteout)):
            replaced.nlink = max(0, replaced.nlink - 1)
        del oldparent.entries[oldname]
        newparent.entries[newname] = inode
        self._touch(oldparent)
        self._touch(newparent)

    def link(self, node: Inode, newparent: Dir, newname: str) -> None:
        self._check_rw()
        if newname in newparent.entries and not isinstance(newparent.entries[newname], Whiteout):
            raise SimError(Errno.EEXIST)
        newparent.entries[newname] = node
        node.nlink += 1
        self._touch(newparent)

    def setattr(self, node: Inode, *, mode=None, uid=None, gid=None, mtime=None) -> None:
        self._check_rw()
        _apply_attrs(node, mode, uid, gid, mtime)

    def open_inode(self, node: Inode, *, write: bool) -> Inode:
        if write:
            self._check_rw()
        return node


def _apply_attrs(node: Inode, mode, uid, gid, mtime) -> None:
    if mode is not None:
        node.mode = (node.mode & S_IFMT_MASK) | (mode & 0o7777)
    if uid is not None:
        node.uid = uid
    if gid is not None:
        node.gid = gid
    if mtime is not None:
        node.mtime = mtime


# --------------------------------------------------------------------------
# Building trees


def tree_from_dict(
    spec: "dict[str, object]",
    *,
    now: Callable[[], float] = _zero,
    mtime: "float | None" = None,
    uid: int = 0,
    gid: int = 0,
) -> MemFs:
    """Build a `MemFs` from ``{path: value}``.  Values:

    - ``bytes`` / ``str``: a regular file, mode 0644;
    - ``(data, mode)`` or ``(data, mode, uid, gid)``: a regular file;
    - an `Inode` (``Symlink("busybox")``, ``Dir(mode=0o1777)``, a `File`,
      a `CharDevice`): placed as given; the same `File` object under two
      paths is a hard link (``nlink`` is counted);
    - ``None`` or a path ending in ``/``: an empty directory, mode 0755.

    Files and directories made from plain values, and missing parents (mode
    0755), get ``mtime`` (default ``now()``) and ``uid``/``gid``; `Inode`
    values keep their own metadata, except that an mtime of 0 becomes
    ``mtime``.  Paths are processed in sorted order, so
    the result does not depend on the dict's order."""
    t = now() if mtime is None else mtime
    fs = MemFs(Dir(mtime=t, uid=uid, gid=gid), now=now)
    placed: "dict[int, int]" = {}
    given: "set[int]" = set()
    for path in sorted(spec, key=lambda p: split_path(p)):
        value = spec[path]
        if value is None or (path.endswith("/") and not isinstance(value, Inode)):
            inode: Inode = Dir(mtime=t, uid=uid, gid=gid)
        elif isinstance(value, Inode):
            inode = value
            given.add(id(inode))
            if inode.mtime == 0.0:
                inode.mtime = t
        elif isinstance(value, tuple):
            data, mode, *owner = value
            o_uid, o_gid = owner if owner else (uid, gid)
            inode = File(data, mode=mode, uid=o_uid, gid=o_gid, mtime=t)
        else:
            inode = File(value, uid=uid, gid=gid, mtime=t)
        if not split_path(path):
            if isinstance(inode, Dir):
                fs.root.copy_meta(inode)
            continue
        fs.makedirs("/".join(split_path(path)[:-1]), uid=uid, gid=gid)
        placed[id(inode)] = placed.get(id(inode), 0) + 1
        fs.put(path, inode)
    # Hard links: an inode placed n times has n names.
    for _, inode in iter_tree(fs.root):
        if not isinstance(inode, Dir) and id(inode) in placed:
            inode.nlink = placed[id(inode)]
    for _, inode in iter_tree(fs.root):
        if isinstance(inode, Dir) and id(inode) not in given:
            inode.mtime = t
    return fs


def make_tmpfs(now: Callable[[], float] = _zero, mode: int = 0o1777, uid: int = 0, gid: int = 0) -> MemFs:
    """An empty tmpfs; the root has ``mode`` (tmpfs's default is 1777)."""
    return MemFs(Dir(mode=mode, uid=uid, gid=gid, mtime=now()), now=now)


#: The size Docker gives a container's /dev tmpfs (``size=65536k``).
DEVFS_SIZE = 65536 * 1024

#: (major, minor) of the devices make_devfs creates (devices.txt).
DEV_NULL = (1, 3)
DEV_ZERO = (1, 5)
DEV_TTY = (5, 0)


def make_devfs(now: Callable[[], float] = _zero) -> MemFs:
    """The /dev a container gets: ``null``, ``zero``, ``tty`` (a placeholder
    with no handler; the kernel attaches the controlling terminal), runc's
    ``fd``, ``stdin``, ``stdout``, ``stderr`` links to /proc/self/fd, and empty
    ``pts`` and ``shm`` directories (``shm`` 1777, like Docker's tmpfs); a
    tmpfs of `DEVFS_SIZE`, as Docker mounts it."""
    t = now()
    fs = tree_from_dict(
        {
            "/null": CharDevice(NullDevice(), major=1, minor=3, mtime=t),
            "/zero": CharDevice(ZeroDevice(), major=1, minor=5, mtime=t),
            "/tty": CharDevice(None, major=5, minor=0, mtime=t),
            "/pts": Dir(mtime=t),
            "/shm": Dir(mode=0o1777, mtime=t),
            # runc's default links into the caller's fd table.
            "/fd": Symlink("/proc/self/fd", mtime=t),
            "/stdin": Symlink("/proc/self/fd/0", mtime=t),
            "/stdout": Symlink("/proc/self/fd/1", mtime=t),
            "/stderr": Symlink("/proc/self/fd/2", mtime=t),
        },
        now=now,
        mtime=t,
    )
    fs.size_limit = DEVFS_SIZE
    return fs
