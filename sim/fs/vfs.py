"""The VFS: a mount namespace's view of the filesystems, and open files.

`Vfs` holds a mount table (mount point path -> stack of `Mount`s, the last
one visible) and resolves paths as path_resolution(7) describes:

- a path starting with ``/`` is resolved from the root, any other from
  ``cwd``; empty components and ``.`` are skipped;
- ``..`` goes to the parent directory of the path walked so far, and stays
  at ``/`` at the root; at the root of a mount it reaches the parent mount
  (the walk keeps the stack of directories it went through);
- every directory searched needs execute (search) permission, or EACCES;
  looking inside a non-directory is ENOTDIR, a missing component ENOENT;
- a symbolic link met before the last component is always followed, the
  last one only when asked (``stat`` vs ``lstat``, O_NOFOLLOW) or when the
  path ends in ``/``; more than 40 links in one resolution is ELOOP;
- a relative link target resolves from the link's directory, an absolute
  one from this namespace's root: nothing resolves above the root;
- a path ending in ``/`` must name a directory (ENOTDIR).

Credentials: every call takes the caller's ``uid``/``gid`` (default root).
uid 0 may do anything except execute a file with no execute bit; any other
uid gets the owner, group or other permission bits (inode(7)): search on
each directory walked, read to list a directory or read a file, write to
write it, write and search on the parent to create, remove or rename an
entry, and in a sticky directory (``/tmp``) only the owner of the entry or
of the directory may remove or rename it (EPERM).  The caller applies its
umask to ``mode`` before calling.

Filesystems plug in through the `Filesystem` protocol below (`MemFs`,
`Overlay`, `InodeFs`, `procfs.ProcFs`).
"""

from __future__ import annotations

from typing import Callable, Protocol

import attrs

from ..abi import (
    Errno,
    O_ACCMODE,
    O_APPEND,
    O_CREAT,
    O_DIRECTORY,
    O_EXCL,
    O_NOFOLLOW,
    O_RDONLY,
    O_RDWR,
    O_TRUNC,
    O_WRONLY,
    R_OK,
    S_IFDIR,
    S_IFLNK,
    S_ISGID,
    S_ISVTX,
    W_OK,
    X_OK,
)
from ..errors import SimError
from .memfs import (
    CharDevice,
    Dir,
    File,
    Inode,
    LiveFile,
    MemFs,
    S_IFMT_MASK,
    Stat,
    Symlink,
    Usage,
    _apply_attrs,
    _zero,
    stat_of,
)

#: Symbolic links followed in one path resolution before ELOOP
#: (path_resolution(7): "the maximum number of symbolic links that will be
#: followed is 40").
MAXSYMLINKS = 40


class Node(Protocol):
    """What the VFS reads from a filesystem's node while walking."""

    mode: int
    uid: int
    gid: int


class Filesystem(Protocol):
    """The interface between the VFS and one filesystem (gVisor's
    ``FilesystemImpl``).  A node is whatever the filesystem returns from
    `root_node`/`lookup`, with ``mode``, ``uid`` and ``gid`` attributes.

    The VFS has already resolved the path, checked permissions and the
    preconditions named below; the filesystem does the change.  Nodes are
    used within one call only (an overlay's nodes are snapshots).
    Errors are `SimError`; a read-only filesystem raises EROFS."""

    now: Callable[[], float]

    def root_node(self) -> Node: ...

    def lookup(self, parent: Node, name: str) -> "Node | None":
        """The entry ``name`` of directory ``parent``, or None."""

    def getattr(self, node: Node) -> Stat: ...

    def listdir(self, node: Node) -> "list[str]":
        """Sorted names of a directory, without ``.`` and ``..``."""

    def readlink(self, node: Node) -> str: ...

    def mknod(self, parent: Node, name: str, inode: Inode) -> Node:
        """Enter a fresh inode (File, Dir, Symlink) as ``name``.
        Precondition: ``name`` does not exist (else EEXIST)."""

    def unlink(self, parent: Node, name: str) -> None:
        """Precondition: ``name`` exists and is not a directory."""

    def rmdir(self, parent: Node, name: str) -> None:
        """Precondition: ``name`` is a directory; ENOTEMPTY unless empty."""

    def rename(self, oldparent: Node, oldname: str, newparent: Node, newname: str) -> None:
        """Move an entry, replacing ``newname`` (rename(2)).  Preconditions:
        types are compatible, a replaced directory is empty, ``newname`` is
        not inside the moved directory."""

    def link(self, node: Node, newparent: Node, newname: str) -> None:
        """Precondition: ``node`` is not a directory, ``newname`` is free."""

    def setattr(self, node: Node, *, mode=None, uid=None, gid=None, mtime=None) -> None: ...

    def open_inode(self, node: Node, *, write: bool) -> Inode:
        """The inode whose content an open file reads (and, with ``write``,
        writes: an overlay copies the object up first)."""

    # Optional, for statfs(2) and /proc (read with getattr and a default):
    #   fstype, source: str               what /proc/mounts shows
    #   usage() -> Usage                  bytes and inodes held (statfs's used space)
    #   cached_parts() -> [(key, Usage, "file" | "shmem")]   what it holds in
    #                                     memory, for /proc/meminfo
    #   size_limit: int | None            a tmpfs's size= (bytes)
    #   attach(vfs)                       called by `Vfs.mount` (procfs learns
    #                                     the namespace whose mounts it shows)


def _is_dir(node) -> bool:
    return node.mode & S_IFMT_MASK == S_IFDIR


def _is_link(node) -> bool:
    return node.mode & S_IFMT_MASK == S_IFLNK


@attrs.define(eq=False)
class InodeFs:
    """A filesystem of a single non-directory inode: what a single-file bind
    mount (``/etc/hosts``, ``/etc/hostname``, ``/etc/resolv.conf``) shows.
    Writes go to the inode itself, so the owner of the inode sees them."""

    inode: Inode
    now: Callable[[], float] = _zero
    readonly: bool = attrs.field(default=False, kw_only=True)

    #: What /proc/mounts shows: Docker bind-mounts these files from its own
    #: directory on the host's disk.
    fstype = "ext4"
    source = "/dev/sda1"

    def root_node(self) -> Inode:
        return self.inode

    def usage(self) -> Usage:
        return Usage(self.inode.size, 1)

    def cached_parts(self) -> "list[tuple[object, Usage, str]]":
        """The file's data, held in memory: page cache of a disk file."""
        return [(self.inode, self.usage(), "file")]

    def lookup(self, parent, name):
        return None

    def getattr(self, node: Inode) -> Stat:
        return stat_of(node)

    def listdir(self, node):
        raise SimError(Errno.ENOTDIR)

    def readlink(self, node) -> str:
        return node.target

    def _refuse(self, *args, **kwargs):
        raise SimError(Errno.ENOTDIR)

    mknod = unlink = rmdir = rename = link = _refuse

    def setattr(self, node, *, mode=None, uid=None, gid=None, mtime=None) -> None:
        if self.readonly:
            raise SimError(Errno.EROFS)
        _apply_attrs(node, mode, uid, gid, mtime)

    def open_inode(self, node, *, write: bool) -> Inode:
        if write and self.readonly:
            raise SimError(Errno.EROFS)
        return node


@attrs.define(eq=False)
class Mount:
    """One entry of the mount table: ``fs`` mounted at ``path`` (absolute,
    canonical).  ``dev`` is the filesystem's device number (``st_dev``);
    ``readonly`` a read-only mount (EROFS for changes)."""

    path: str
    fs: Filesystem
    dev: int
    readonly: bool = False
    #: Generic mount flags beyond rw/ro, in the order /proc/mounts lists
    #: them (``nosuid``, ``nodev``, ``noexec``, ``relatime``); ``noexec``
    #: refuses execve(2) of its files (EACCES).
    flags: "tuple[str, ...]" = ()


@attrs.frozen
class _Frame:
    path: str
    mount: Mount
    node: Node


@attrs.frozen
class _Walk:
    """A finished walk: ``stack`` ends at the object, or at its parent when
    the last component is ``missing``."""

    stack: "list[_Frame]"
    missing: "str | None"
    trailing_slash: bool

    @property
    def last(self) -> _Frame:
        return self.stack[-1]


def _join(parent: str, name: str) -> str:
    return "/" + name if parent == "/" else parent + "/" + name


def _last_component(path: str) -> str:
    parts = [p for p in path.split("/") if p]
    return parts[-1] if parts else "/"


@attrs.define(eq=False)
class Vfs:
    """A mount namespace: ``root_fs`` mounted at ``/`` plus what `mount`
    adds.  Every method takes a path and ``cwd`` (an absolute path) and the
    caller's ``uid``/``gid``, and raises `SimError`.

    Owned by the namespace (the kernel's mnt namespace object); `clone`
    gives the copy a new namespace starts with (CLONE_NEWNS: same
    filesystems, separate mount table)."""

    root_fs: Filesystem
    _mounts: "dict[str, list[Mount]]" = attrs.field(init=False, factory=dict)
    _devs: "dict[Filesystem, int]" = attrs.field(init=False, factory=dict)
    _next_dev: int = attrs.field(init=False, default=0x2A)

    def __attrs_post_init__(self) -> None:
        self._mounts["/"] = [Mount("/", self.root_fs, self._dev_for(self.root_fs))]

    # -- the mount table ------------------------------------------------------

    def _dev_for(self, fs) -> int:
        if fs not in self._devs:
            self._devs[fs] = self._next_dev
            self._next_dev += 1
        return self._devs[fs]

    def mount(
        self,
        path: str,
        target: "Filesystem | Inode",
        *,
        readonly: bool = False,
        create: bool = False,
        cwd: str = "/",
        flags: "tuple[str, ...]" = (),
    ) -> Mount:
        """Mount ``target`` over ``path`` (mount(2)).  ``target`` is a
        filesystem, a `Dir` (mounted as a `MemFs` sharing it: a bind mount of
        a volume directory) or a non-directory inode (a single-file bind
        mount, `InodeFs`).  The mount point must exist (ENOENT) unless
        ``create`` (then an empty directory or file is made for it), and be
        a directory exactly when the target's root is (ENOTDIR).  A later
        mount on the same path hides the earlier until `umount`."""
        if isinstance(target, Dir):
            target = MemFs(target, now=getattr(self.root_fs, "now", _zero))
        elif isinstance(target, Inode):
            target = InodeFs(target, now=getattr(self.root_fs, "now", _zero))
        want_dir = _is_dir(target.root_node())
        w = self._walk(path, cwd, 0, 0, follow=True)
        if w.missing is not None:
            if not create:
                raise SimError(Errno.ENOENT, path)
            if want_dir:
                self.mkdir(path, 0o755, cwd=cwd)
            else:
                self.open(path, O_WRONLY | O_CREAT, 0o644, cwd=cwd)
            w = self._walk(path, cwd, 0, 0, follow=True)
        frame = w.last
        if _is_dir(frame.node) != want_dir:
            raise SimError(Errno.ENOTDIR, path)
        m = Mount(frame.path, target, self._dev_for(target), readonly, tuple(flags))
        self._mounts.setdefault(frame.path, []).append(m)
        attach = getattr(target, "attach", None)
        if attach is not None:  # procfs: the namespace whose mounts it lists
            attach(self)
        return m

    def umount(self, path: str, cwd: str = "/") -> None:
        """Remove the topmost mount at ``path`` (umount(2)): EINVAL if it is
        no mount point, EBUSY for the root or a mount with mounts inside."""
        w = self._walk(path, cwd, 0, 0, follow=True)
        if w.missing is not None:
            raise SimError(Errno.ENOENT, path)
        where = w.last.path
        stack = self._mounts.get(where)
        if not stack or (where == "/" and len(stack) == 1):
            raise SimError(Errno.EINVAL if not stack else Errno.EBUSY, path)
        prefix = where.rstrip("/") + "/"
        if len(stack) == 1 and any(p.startswith(prefix) for p in self._mounts if p != where):
            raise SimError(Errno.EBUSY, path)
        stack.pop()
        if not stack:
            del self._mounts[where]

    def remount(self, path: str, *, readonly: bool, cwd: str = "/") -> None:
        """Change the read-only flag of the topmost mount at ``path``
        (mount(2) with MS_REMOUNT, as runc makes a read-only root): EINVAL
        if it is no mount point.  Other namespaces' copies of the mount
        table (`clone`) keep theirs."""
        w = self._walk(path, cwd, 0, 0, follow=True)
        if w.missing is not None:
            raise SimError(Errno.ENOENT, path)
        stack = self._mounts.get(w.last.path)
        if not stack:
            raise SimError(Errno.EINVAL, path)
        stack[-1] = attrs.evolve(stack[-1], readonly=readonly)

    def mounts(self) -> "list[Mount]":
        """Every mount, by path (a stack of mounts on one path in mount
        order): what /proc/self/mounts lists."""
        return [m for p in sorted(self._mounts) for m in self._mounts[p]]

    def clone(self) -> "Vfs":
        """A new namespace with a copy of this mount table."""
        other = Vfs(self.root_fs)
        other._mounts = {p: list(ms) for p, ms in self._mounts.items()}
        other._devs = dict(self._devs)
        other._next_dev = self._next_dev
        return other

    # -- the path walk --------------------------------------------------------

    def _root_frame(self) -> _Frame:
        m = self._mounts["/"][-1]
        return _Frame("/", m, m.fs.root_node())

    def _enter(self, parent: _Frame, name: str, child: Node) -> _Frame:
        path = _join(parent.path, name)
        stack = self._mounts.get(path)
        if stack:
            m = stack[-1]
            return _Frame(path, m, m.fs.root_node())
        return _Frame(path, parent.mount, child)

    def _start(self, path: str, cwd: str) -> "list[_Frame]":
        if path.startswith("/"):
            return [self._root_frame()]
        # The process is already in its cwd: no search permission is
        # re-checked on the way there (as with the kernel's held cwd).
        w = self._walk(cwd if cwd.startswith("/") else "/" + cwd, "/", 0, 0, follow=True)
        if w.missing is not None:
            raise SimError(Errno.ENOENT, path)
        if not _is_dir(w.last.node):
            raise SimError(Errno.ENOTDIR, path)
        return w.stack

    def _walk(self, path: str, cwd: str, uid: int, gid: int, *, follow: bool) -> _Walk:
        if not path:
            raise SimError(Errno.ENOENT, path)
        stack = self._start(path, cwd)
        todo = [c for c in reversed(path.split("/")) if c]
        trailing = path.endswith("/")
        links = 0
        while todo:
            name = todo.pop()
            cur = stack[-1]
            if not _is_dir(cur.node):
                raise SimError(Errno.ENOTDIR, path)
            if uid != 0 and not _permits(cur.node, X_OK, uid, gid):
                raise SimError(Errno.EACCES, path)
            if name == ".":
                continue
            if name == "..":
                if len(stack) > 1:
                    stack.pop()
                continue
            child = cur.mount.fs.lookup(cur.node, name)
            last = not todo
            if child is None:
                if last:
                    return _Walk(stack, name, trailing)
                raise SimError(Errno.ENOENT, path)
            frame = self._enter(cur, name, child)
            if _is_link(frame.node) and (not last or follow or trailing):
                links += 1
                if links > MAXSYMLINKS:
                    raise SimError(Errno.ELOOP, path)
                target = frame.mount.fs.readlink(frame.node)
                if not target:
                    raise SimError(Errno.ENOENT, path)
                if target.startswith("/"):
                    del stack[1:]
                todo.extend(c for c in reversed(target.split("/")) if c)
                continue
            stack.append(frame)
        if trailing and not _is_dir(stack[-1].node):
            raise SimError(Errno.ENOTDIR, path)
        return _Walk(stack, None, trailing)

    def _existing(self, path, cwd, uid, gid, follow=True) -> _Frame:
        w = self._walk(path, cwd, uid, gid, follow=follow)
        if w.missing is not None:
            raise SimError(Errno.ENOENT, path)
        return w.last

    # -- permission helpers ----------------------------------------------------

    def _need(self, node, want: int, uid: int, gid: int, path: str) -> None:
        if not _permits(node, want, uid, gid):
            raise SimError(Errno.EACCES, path)

    def _writable(self, frame: _Frame, path: str) -> None:
        if frame.mount.readonly or getattr(frame.mount.fs, "readonly", False):
            raise SimError(Errno.EROFS, path)

    def _sticky(self, parent: _Frame, child: Node, uid: int, path: str) -> None:
        """In a sticky directory only the owner of the entry or of the
        directory (or root) may remove or rename it (inode(7))."""
        if uid != 0 and parent.node.mode & S_ISVTX and uid not in (child.uid, parent.node.uid):
            raise SimError(Errno.EPERM, path)

    def _check_busy(self, frame: _Frame, path: str) -> None:
        if frame.path in self._mounts:
            raise SimError(Errno.EBUSY, path)

    def _creating(self, w: _Walk, path: str, uid: int, gid: int) -> "tuple[_Frame, int]":
        """Checks for creating ``w.missing`` in ``w.last``; returns the
        parent frame and the gid a new inode gets (the parent's when it is
        set-group-ID, as on Linux)."""
        parent = w.last
        if uid != 0:
            self._need(parent.node, W_OK | X_OK, uid, gid, path)
        self._writable(parent, path)
        new_gid = parent.node.gid if parent.node.mode & S_ISGID else gid
        return parent, new_gid

    @staticmethod
    def _now(fs) -> float:
        return getattr(fs, "now", _zero)()

    # -- queries ----------------------------------------------------------------

    def stat(self, path: str, cwd: str = "/", follow: bool = True, uid: int = 0, gid: int = 0) -> Stat:
        """stat(2) (``follow``) or lstat(2)."""
        f = self._existing(path, cwd, uid, gid, follow)
        st = f.mount.fs.getattr(f.node)
        return attrs.evolve(st, dev=f.mount.dev)

    def lstat(self, path: str, cwd: str = "/", uid: int = 0, gid: int = 0) -> Stat:
        return self.stat(path, cwd, follow=False, uid=uid, gid=gid)

    def exists(self, path: str, cwd: str = "/", follow: bool = True) -> bool:
        try:
            self.stat(path, cwd, follow)
        except SimError:
            return False
        return True

    def listdir(self, path: str, cwd: str = "/", uid: int = 0, gid: int = 0) -> "list[str]":
        """Names in a directory, sorted, without ``.`` and ``..``; needs read
        permission."""
        f = self._existing(path, cwd, uid, gid)
        if not _is_dir(f.node):
            raise SimError(Errno.ENOTDIR, path)
        if uid != 0:
            self._need(f.node, R_OK, uid, gid, path)
        names = set(f.mount.fs.listdir(f.node))
        prefix = f.path.rstrip("/") + "/"
        for p in self._mounts:  # mount points show even if their dentry is gone
            if p.startswith(prefix) and "/" not in p[len(prefix):] and p != "/":
                names.add(p[len(prefix):])
        return sorted(names)

    def mount_of(self, path: str, cwd: str = "/", uid: int = 0, gid: int = 0) -> Mount:
        """The mount the object at ``path`` lives on (symlinks followed):
        what statfs(2) reports on."""
        return self._existing(path, cwd, uid, gid).mount

    def readlink(self, path: str, cwd: str = "/", uid: int = 0, gid: int = 0) -> str:
        f = self._existing(path, cwd, uid, gid, follow=False)
        if not _is_link(f.node):
            raise SimError(Errno.EINVAL, path)
        return f.mount.fs.readlink(f.node)

    def realpath(self, path: str, cwd: str = "/", uid: int = 0, gid: int = 0) -> str:
        """The absolute path with every symlink, ``.`` and ``..`` resolved."""
        return self._existing(path, cwd, uid, gid).path

    def check_access(self, path: str, amode: int, cwd: str = "/", uid: int = 0, gid: int = 0) -> None:
        """access(2): raise unless the caller may ``amode`` (R_OK|W_OK|X_OK
        or F_OK) ``path``."""
        f = self._existing(path, cwd, uid, gid)
        if amode & W_OK:
            self._writable(f, path)
        if amode & (R_OK | W_OK | X_OK) and not _permits(f.node, amode & 7, uid, gid):
            raise SimError(Errno.EACCES, path)

    def access(self, path: str, amode: int, cwd: str = "/", uid: int = 0, gid: int = 0) -> bool:
        try:
            self.check_access(path, amode, cwd, uid, gid)
        except SimError:
            return False
        return True

    # -- open files ---------------------------------------------------------------

    def open(
        self, path: str, flags: int, mode: int = 0o666, cwd: str = "/", uid: int = 0, gid: int = 0
    ) -> "OpenFile":
        """open(2).  O_CREAT makes a regular file (``mode``, owner
        ``uid``/``gid``) if the last component is missing, following a
        dangling symlink to its target's place; O_CREAT|O_EXCL fails with
        EEXIST if the name exists (even as a symlink); O_NOFOLLOW fails with
        ELOOP on a symlink; O_DIRECTORY with ENOTDIR on a non-directory;
        a directory opens only read-only (EISDIR); O_TRUNC empties a regular
        file opened for writing; O_APPEND writes at the end."""
        acc = flags & O_ACCMODE
        if acc == O_ACCMODE:
            raise SimError(Errno.EINVAL, path)
        readable = acc in (O_RDONLY, O_RDWR)
        writable = acc in (O_WRONLY, O_RDWR)
        follow = not (flags & O_NOFOLLOW) and not (flags & O_CREAT and flags & O_EXCL)
        w = self._walk(path, cwd, uid, gid, follow=follow)
        created = False
        if w.missing is not None:
            if not flags & O_CREAT:
                raise SimError(Errno.ENOENT, path)
            if w.trailing_slash:
                raise SimError(Errno.EISDIR, path)
            parent, new_gid = self._creating(w, path, uid, gid)
            inode = File(mode=mode & 0o7777, uid=uid, gid=new_gid, mtime=self._now(parent.mount.fs))
            node = parent.mount.fs.mknod(parent.node, w.missing, inode)
            frame = _Frame(_join(parent.path, w.missing), parent.mount, node)
            created = True
        else:
            if flags & O_CREAT and flags & O_EXCL:
                raise SimError(Errno.EEXIST, path)
            frame = w.last
        node = frame.node
        if _is_link(node):
            raise SimError(Errno.ELOOP, path)
        is_dir = _is_dir(node)
        if flags & O_DIRECTORY and not is_dir:
            raise SimError(Errno.ENOTDIR, path)
        if is_dir and (writable or flags & O_CREAT):
            raise SimError(Errno.EISDIR, path)
        if not created and uid != 0:
            want = (R_OK if readable else 0) | (W_OK if writable or flags & O_TRUNC else 0)
            self._need(node, want, uid, gid, path)
        is_dev = node.mode & S_IFMT_MASK == CharDevice.TYPE
        write = (writable or bool(flags & O_TRUNC)) and not is_dir and not is_dev
        if write and not created:
            self._writable(frame, path)
        inode = frame.mount.fs.open_inode(node, write=write)
        fs = frame.mount.fs
        if flags & O_TRUNC and write and isinstance(inode, File) and inode.data:
            inode.data = bytearray()
            inode.mtime = self._now(fs)
        return OpenFile(inode, frame.path, flags, now=getattr(fs, "now", _zero),
                        on_write=getattr(fs, "on_change", None) if write else None)

    def read_bytes(self, path: str, cwd: str = "/", uid: int = 0, gid: int = 0) -> bytes:
        f = self.open(path, O_RDONLY, cwd=cwd, uid=uid, gid=gid)
        return f.read()

    def write_bytes(
        self,
        path: str,
        data: "bytes | str",
        cwd: str = "/",
        append: bool = False,
        mode: int = 0o644,
        uid: int = 0,
        gid: int = 0,
    ) -> int:
        """Create or replace (``append``: extend) a file's content."""
        flags = O_WRONLY | O_CREAT | (O_APPEND if append else O_TRUNC)
        return self.open(path, flags, mode, cwd=cwd, uid=uid, gid=gid).write(data)

    # -- changes -------------------------------------------------------------------

    def mkdir(self, path: str, mode: int = 0o755, cwd: str = "/", uid: int = 0, gid: int = 0) -> None:
        w = self._walk(path, cwd, uid, gid, follow=False)
        if w.missing is None:
            raise SimError(Errno.EEXIST, path)
        parent, new_gid = self._creating(w, path, uid, gid)
        perm = mode & 0o7777 | (S_ISGID if parent.node.mode & S_ISGID else 0)
        d = Dir(mode=perm, uid=uid, gid=new_gid, mtime=self._now(parent.mount.fs))
        parent.mount.fs.mknod(parent.node, w.missing, d)

    def mknod(self, path: str, inode: Inode, cwd: str = "/", uid: int = 0, gid: int = 0) -> None:
        """mknod(2): make ``inode`` (a device node built by the caller) at
        ``path``, which must not exist (EEXIST); its group follows the
        parent's set-group-ID bit as for any new file."""
        w = self._walk(path, cwd, uid, gid, follow=False)
        if w.missing is None:
            raise SimError(Errno.EEXIST, path)
        parent, new_gid = self._creating(w, path, uid, gid)
        inode.uid, inode.gid = uid, new_gid
        inode.mtime = self._now(parent.mount.fs)
        parent.mount.fs.mknod(parent.node, w.missing, inode)

    def symlink(self, target: str, linkpath: str, cwd: str = "/", uid: int = 0, gid: int = 0) -> None:
        if not target:
            raise SimError(Errno.ENOENT, linkpath)
        w = self._walk(linkpath, cwd, uid, gid, follow=False)
        if w.missing is None:
            raise SimError(Errno.EEXIST, linkpath)
        parent, new_gid = self._creating(w, linkpath, uid, gid)
        link = Symlink(target, uid=uid, gid=new_gid, mtime=self._now(parent.mount.fs))
        parent.mount.fs.mknod(parent.node, w.missing, link)

    def _removal(self, path, cwd, uid, gid) -> "tuple[_Frame, _Frame, str]":
        w = self._walk(path, cwd, uid, gid, follow=False)
        if w.missing is not None:
            raise SimError(Errno.ENOENT, path)
        if len(w.stack) < 2:
            raise SimError(Errno.EBUSY, path)
        child, parent = w.stack[-1], w.stack[-2]
        self._check_busy(child, path)
        if uid != 0:
            self._need(parent.node, W_OK | X_OK, uid, gid, path)
        self._sticky(parent, child.node, uid, path)
        self._writable(parent, path)
        return parent, child, child.path.rsplit("/", 1)[1]

    def unlink(self, path: str, cwd: str = "/", uid: int = 0, gid: int = 0) -> None:
        if _last_component(path) in (".", ".."):
            raise SimError(Errno.EISDIR, path)
        parent, child, name = self._removal(path, cwd, uid, gid)
        if _is_dir(child.node):
            raise SimError(Errno.EISDIR, path)
        parent.mount.fs.unlink(parent.node, name)

    def rmdir(self, path: str, cwd: str = "/", uid: int = 0, gid: int = 0) -> None:
        last = _last_component(path)
        if last == ".":
            raise SimError(Errno.EINVAL, path)
        if last == "..":
            raise SimError(Errno.ENOTEMPTY, path)
        parent, child, name = self._removal(path, cwd, uid, gid)
        if not _is_dir(child.node):
            raise SimError(Errno.ENOTDIR, path)
        parent.mount.fs.rmdir(parent.node, name)

    def rename(self, old: str, new: str, cwd: str = "/", uid: int = 0, gid: int = 0) -> None:
        """rename(2): replaces an existing ``new`` (a directory only by a
        directory, and only if empty); EXDEV across mounts; EINVAL when
        moving a directory into itself; EBUSY for mount points."""
        for p in (old, new):
            if _last_component(p) in (".", "..", "/"):
                raise SimError(Errno.EBUSY, p)
        wo = self._walk(old, cwd, uid, gid, follow=False)
        if wo.missing is not None:
            raise SimError(Errno.ENOENT, old)
        src, sparent = wo.stack[-1], wo.stack[-2]
        wn = self._walk(new, cwd, uid, gid, follow=False)
        if wn.missing is not None:
            dparent, dname, dst = wn.last, wn.missing, None
            if wn.trailing_slash and not _is_dir(src.node):
                raise SimError(Errno.ENOTDIR, new)
        else:
            dst, dparent = wn.stack[-1], wn.stack[-2]
            dname = dst.path.rsplit("/", 1)[1]
        self._check_busy(src, old)
        if dst is not None:
            self._check_busy(dst, new)
        if sparent.mount is not dparent.mount:
            raise SimError(Errno.EXDEV, new)
        fs = sparent.mount.fs
        src_is_dir = _is_dir(src.node)
        dst_path = _join(dparent.path, dname)
        if src_is_dir:
            if dst_path.startswith(src.path.rstrip("/") + "/"):
                raise SimError(Errno.EINVAL, new)
            inner = src.path.rstrip("/") + "/"
            if any(p.startswith(inner) for p in self._mounts):
                raise SimError(Errno.EBUSY, old)
        if dst is not None:
            if fs.getattr(dst.node).ino == fs.getattr(src.node).ino:
                return  # both names are the same file: nothing to do
            if src_is_dir and not _is_dir(dst.node):
                raise SimError(Errno.ENOTDIR, new)
            if not src_is_dir and _is_dir(dst.node):
                raise SimError(Errno.EISDIR, new)
            if _is_dir(dst.node) and fs.listdir(dst.node):
                raise SimError(Errno.ENOTEMPTY, new)
        if uid != 0:
            self._need(sparent.node, W_OK | X_OK, uid, gid, old)
            self._need(dparent.node, W_OK | X_OK, uid, gid, new)
        self._sticky(sparent, src.node, uid, old)
        if dst is not None:
            self._sticky(dparent, dst.node, uid, new)
        self._writable(sparent, old)
        fs.rename(sparent.node, src.path.rsplit("/", 1)[1], dparent.node, dname)

    def link(self, old: str, new: str, cwd: str = "/", uid: int = 0, gid: int = 0) -> None:
        """link(2): a second name for a non-directory (EPERM for a
        directory, EEXIST if ``new`` exists, EXDEV across mounts)."""
        src = self._existing(old, cwd, uid, gid, follow=False)
        if _is_dir(src.node):
            raise SimError(Errno.EPERM, old)
        wn = self._walk(new, cwd, uid, gid, follow=False)
        if wn.missing is None:
            raise SimError(Errno.EEXIST, new)
        if wn.trailing_slash:
            raise SimError(Errno.ENOENT, new)
        parent, _ = self._creating(wn, new, uid, gid)
        if parent.mount is not src.mount:
            raise SimError(Errno.EXDEV, new)
        parent.mount.fs.link(src.node, parent.node, wn.missing)

    def _owner_or_root(self, f: _Frame, uid: int, path: str) -> None:
        if uid != 0 and uid != f.node.uid:
            raise SimError(Errno.EPERM, path)

    def chmod(self, path: str, mode: int, cwd: str = "/", uid: int = 0, gid: int = 0) -> None:
        """chmod(2): the owner or root only (EPERM)."""
        f = self._existing(path, cwd, uid, gid)
        self._owner_or_root(f, uid, path)
        self._writable(f, path)
        f.mount.fs.setattr(f.node, mode=mode & 0o7777)

    def chown(
        self, path: str, owner: int, group: int, cwd: str = "/", uid: int = 0, gid: int = 0,
        follow: bool = True,
    ) -> None:
        """chown(2) (``follow=False``: lchown).  -1 leaves a field as is.
        Only root changes the owner; the owner may set the group to its own
        gid; anything else is EPERM."""
        f = self._existing(path, cwd, uid, gid, follow=follow)
        new_uid = None if owner == -1 else owner
        new_gid = None if group == -1 else group
        if uid != 0:
            if uid != f.node.uid or new_uid not in (None, f.node.uid) or new_gid not in (None, f.node.gid, gid):
                raise SimError(Errno.EPERM, path)
        self._writable(f, path)
        f.mount.fs.setattr(f.node, uid=new_uid, gid=new_gid)

    def utime(self, path: str, mtime: "float | None" = None, cwd: str = "/", uid: int = 0, gid: int = 0,
              follow: bool = True) -> None:
        """utime(2): set the mtime (``None``: now).  Setting it to now needs
        ownership or write permission (EACCES); to a given time, ownership
        (EPERM).  ``follow=False``: a final symlink's own mtime
        (utimensat with AT_SYMLINK_NOFOLLOW)."""
        f = self._existing(path, cwd, uid, gid, follow=follow)
        if uid != 0 and uid != f.node.uid:
            if mtime is not None:
                raise SimError(Errno.EPERM, path)
            self._need(f.node, W_OK, uid, gid, path)
        self._writable(f, path)
        t = self._now(f.mount.fs) if mtime is None else mtime
        f.mount.fs.setattr(f.node, mtime=t)


def _permits(node, want: int, uid: int, gid: int) -> bool:
    """Whether the caller may ``want`` (R_OK|W_OK|X_OK bits) on ``node``.
    Root may do anything, except execute a non-directory without any
    execute bit (inode(7), capabilities(7): CAP_DAC_OVERRIDE)."""
    mode = node.mode
    if uid == 0:
        if want & X_OK and not _is_dir(node):
            return bool(mode & 0o111)
        return True
    if uid == node.uid:
        bits = (mode >> 6) & 7
    elif gid == node.gid:
        bits = (mode >> 3) & 7
    else:
        bits = mode & 7
    return bits & want == want


@attrs.define(eq=False)
class OpenFile:
    """An open file description (open(2)): the inode, the offset, the flags.

    Holds the inode itself: a file opened for writing on an overlay holds
    the copied-up inode; one opened read-only before a copy-up keeps reading
    the lower one (as Linux overlayfs before 4.19 did).  Shared by every fd
    dup()ed from it (the kernel's fd table points here).  ``on_write``: the
    filesystem's change callback, run at each write or truncate."""

    inode: Inode
    path: str
    flags: int
    now: Callable[[], float] = _zero
    pos: int = 0
    closed: bool = False
    on_write: "Callable[[], None] | None" = attrs.field(default=None, repr=False)

    @property
    def readable(self) -> bool:
        return self.flags & O_ACCMODE in (O_RDONLY, O_RDWR)

    @property
    def writable(self) -> bool:
        return self.flags & O_ACCMODE in (O_WRONLY, O_RDWR)

    def read(self, n: int = -1) -> bytes:
        if not self.readable:
            raise SimError(Errno.EBADF, self.path)
        inode = self.inode
        if isinstance(inode, Dir):
            raise SimError(Errno.EISDIR, self.path)
        if isinstance(inode, CharDevice):
            return inode.read(n)
        if not isinstance(inode, File):
            raise SimError(Errno.EINVAL, self.path)
        if isinstance(inode, LiveFile):
            out = inode.pread(self.pos, n)
            self.pos += len(out)
            return out
        end = len(inode.data) if n < 0 else self.pos + n
        out = bytes(inode.data[self.pos:end])
        self.pos += len(out)
        return out

    def write(self, data: "bytes | str") -> int:
        if not self.writable:
            raise SimError(Errno.EBADF, self.path)
        if isinstance(data, str):
            data = data.encode()
        inode = self.inode
        if isinstance(inode, CharDevice):
            return inode.write(bytes(data))
        if not isinstance(inode, File):
            raise SimError(Errno.EISDIR if isinstance(inode, Dir) else Errno.EINVAL, self.path)
        if self.on_write is not None:
            self.on_write()
        if isinstance(inode, LiveFile):
            if self.flags & O_APPEND:
                self.pos = inode.size
            inode.pwrite(self.pos, bytes(data))
            self.pos += len(data)
            return len(data)
        buf = inode.data
        if not isinstance(buf, bytearray):
            buf = inode.data = bytearray(buf)
        if self.flags & O_APPEND:
            self.pos = len(buf)
        if self.pos > len(buf):
            buf.extend(bytes(self.pos - len(buf)))
        buf[self.pos:self.pos + len(data)] = data
        self.pos += len(data)
        inode.mtime = self.now()
        return len(data)

    def seek(self, pos: int, whence: int = 0) -> int:
        """lseek(2): whence 0 (SEEK_SET), 1 (SEEK_CUR), 2 (SEEK_END).
        Character devices ignore the offset (it stays 0)."""
        if isinstance(self.inode, CharDevice):
            return 0
        if whence == 0:
            new = pos
        elif whence == 1:
            new = self.pos + pos
        elif whence == 2:
            new = self.inode.size + pos
        else:
            raise SimError(Errno.EINVAL, self.path)
        if new < 0:
            raise SimError(Errno.EINVAL, self.path)
        self.pos = new
        return new

    def tell(self) -> int:
        return self.pos

    def truncate(self, n: int) -> None:
        """ftruncate(2): cut or zero-extend to ``n`` bytes (EINVAL unless
        open for writing)."""
        inode = self.inode
        if isinstance(inode, Dir):
            raise SimError(Errno.EISDIR, self.path)
        if not self.writable or n < 0 or not isinstance(inode, File):
            raise SimError(Errno.EINVAL, self.path)
        if self.on_write is not None:
            self.on_write()
        if isinstance(inode, LiveFile):
            inode.resize(n)
            return
        buf = inode.data if isinstance(inode.data, bytearray) else bytearray(inode.data)
        if n < len(buf):
            del buf[n:]
        else:
            buf.extend(bytes(n - len(buf)))
        inode.data = buf
        inode.mtime = self.now()

    def stat(self) -> Stat:
        """fstat(2) of the open inode (its own ``ino``; no ``dev``)."""
        return stat_of(self.inode)

    def close(self) -> None:
        self.closed = True
