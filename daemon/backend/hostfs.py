"""A host directory as a filesystem of the simulation: what a bind mount
and a volume's ``_data`` folder show inside a container.

This is the one place a simulated process touches real host files, so
every operation is confined to the directory it was made for:

- the VFS resolves paths itself, one component at a time, and reads a
  symbolic link's target with `readlink` to resolve it in the
  *container's* namespace; this filesystem never follows a link on the
  host: each directory on the way is opened relative to its parent with
  ``O_DIRECTORY|O_NOFOLLOW`` (a link swapped in for a directory fails
  with ELOOP/ENOTDIR instead of leading out), the last component is
  used through its parent's descriptor with ``follow_symlinks=False``,
  and a file is opened with ``O_NOFOLLOW``;
- names are single components (never ``..`` or containing ``/``), so no
  path built here climbs out of the root;
- ``readonly`` refuses every change with EROFS.

Nodes are looked up again on every call, so the host's changes show at
once inside and the container's writes land on the host at once.
"""

from __future__ import annotations

import errno
import os
import stat as pystat
import time
from typing import Callable

import attrs

from ...sim.abi import Errno
from ...sim.errors import SimError
from ...sim.runtime.fsapi import LiveFile, Stat, Usage

_DIRFLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


def _sim_error(err: OSError) -> SimError:
    try:
        return SimError(Errno(err.errno or errno.EIO))
    except ValueError:
        return SimError(Errno.EIO)


@attrs.frozen
class HostNode:
    """A host object: its components below the root and its stat
    attributes when looked up (the VFS reads ``mode``/``uid``/``gid``)."""

    parts: "tuple[str, ...]"
    mode: int
    uid: int
    gid: int


class HostFile(LiveFile):
    """An open host file: every read and write goes to the host at once."""

    def __init__(self, fs: "HostFs", parts, st: os.stat_result):
        self.mode = st.st_mode
        self.uid, self.gid, self.mtime = st.st_uid, st.st_gid, st.st_mtime
        self.nlink, self.ino = st.st_nlink, st.st_ino
        self._fs = fs
        self._parts = tuple(parts)

    def _open(self, flags: int) -> int:
        return self._fs._open_file(self._parts, flags)

    @property
    def size(self) -> int:
        try:
            return self._fs._lstat(self._parts).st_size
        except SimError:
            return 0

    def pread(self, pos: int, n: int) -> bytes:
        fd = self._open(os.O_RDONLY)
        try:
            if n < 0:
                out = bytearray()
                while True:
                    chunk = os.pread(fd, 1 << 20, pos + len(out))
                    if not chunk:
                        return bytes(out)
                    out += chunk
            return os.pread(fd, n, pos)
        except OSError as err:
            raise _sim_error(err) from None
        finally:
            os.close(fd)

    def pwrite(self, pos: int, data: bytes) -> None:
        self._fs._check_rw()
        fd = self._open(os.O_WRONLY)
        try:
            view = memoryview(data)
            while view:
                n = os.pwrite(fd, view, pos)
                view, pos = view[n:], pos + n
        except OSError as err:
            raise _sim_error(err) from None
        finally:
            os.close(fd)

    def resize(self, n: int) -> None:
        self._fs._check_rw()
        fd = self._open(os.O_WRONLY)
        try:
            os.ftruncate(fd, n)
        except OSError as err:
            raise _sim_error(err) from None
        finally:
            os.close(fd)


@attrs.define(eq=False)
class HostFs:
    """The host directory ``root`` (an absolute path that must be a real
    directory) as a `sim.fs.vfs.Filesystem`."""

    root: str
    readonly: bool = False
    now: Callable[[], float] = time.time
    #: A single-file bind mount: the file ``entry`` of the directory
    #: ``root`` is the whole filesystem (its root node, never a directory).
    entry: str = ""
    #: What /proc/mounts shows: a folder of the host's disk.
    fstype: str = "ext4"
    source: str = "/dev/sda1"

    def _check_rw(self) -> None:
        if self.readonly:
            raise SimError(Errno.EROFS)

    # -- confined access ------------------------------------------------------

    def _dirfd(self, parts) -> int:
        """A descriptor of the directory ``parts`` below the root, every
        component opened without following links."""
        try:
            fd = os.open(self.root, _DIRFLAGS)
        except OSError as err:
            raise _sim_error(err) from None
        try:
            for name in parts:
                _check_name(name)
                nfd = os.open(name, _DIRFLAGS, dir_fd=fd)
                os.close(fd)
                fd = nfd
        except OSError as err:
            os.close(fd)
            raise _sim_error(err) from None
        except BaseException:
            os.close(fd)
            raise
        return fd

    def _at(self, parts, fn):
        """Run ``fn(dirfd, name)`` on the last component of ``parts`` in
        its parent directory."""
        if not parts:
            raise SimError(Errno.EBUSY)
        _check_name(parts[-1])
        fd = self._dirfd(parts[:-1])
        try:
            return fn(fd, parts[-1])
        except OSError as err:
            raise _sim_error(err) from None
        finally:
            os.close(fd)

    def _lstat(self, parts) -> os.stat_result:
        if not parts:
            try:
                return os.lstat(self.root)
            except OSError as err:
                raise _sim_error(err) from None
        return self._at(parts, lambda fd, name: os.stat(name, dir_fd=fd, follow_symlinks=False))

    def _open_file(self, parts, flags: int) -> int:
        return self._at(parts, lambda fd, name: os.open(
            name, flags | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=fd))

    # -- the Filesystem protocol ---------------------------------------------------

    def root_node(self) -> HostNode:
        parts = (self.entry,) if self.entry else ()
        st = self._lstat(parts)
        return HostNode(parts, st.st_mode, st.st_uid, st.st_gid)

    def lookup(self, parent: HostNode, name: str) -> "HostNode | None":
        parts = parent.parts + (name,)
        try:
            st = self._lstat(parts)
        except SimError:
            return None
        return HostNode(parts, st.st_mode, st.st_uid, st.st_gid)

    def getattr(self, node: HostNode) -> Stat:
        st = self._lstat(node.parts)
        size = 4096 if pystat.S_ISDIR(st.st_mode) else st.st_size
        return Stat(mode=st.st_mode, ino=st.st_ino, nlink=st.st_nlink, uid=st.st_uid,
                    gid=st.st_gid, size=size, mtime=st.st_mtime)

    def listdir(self, node: HostNode) -> "list[str]":
        fd = self._dirfd(node.parts)
        try:
            return sorted(os.listdir(fd))
        except OSError as err:
            raise _sim_error(err) from None
        finally:
            os.close(fd)

    def readlink(self, node: HostNode) -> str:
        return self._at(node.parts, lambda fd, name: os.readlink(name, dir_fd=fd))

    def mknod(self, parent: HostNode, name: str, inode) -> HostNode:
        self._check_rw()
        parts = parent.parts + (name,)
        kind = inode.mode & 0o170000
        perm = inode.mode & 0o7777

        def make(fd, name):
            if kind == pystat.S_IFDIR:
                os.mkdir(name, perm, dir_fd=fd)
            elif kind == pystat.S_IFLNK:
                os.symlink(inode.target, name, dir_fd=fd)
            elif kind == pystat.S_IFREG:
                f = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
                            perm, dir_fd=fd)
                try:
                    data = bytes(inode.data)
                    if data:
                        os.write(f, data)
                    os.fchmod(f, perm)
                finally:
                    os.close(f)
            else:  # device nodes: no CAP_MKNOD towards the host
                raise OSError(errno.EPERM, "mknod")
            if kind == pystat.S_IFDIR:
                os.chmod(name, perm, dir_fd=fd)

        self._at(parts, make)
        return self.lookup(parent, name)

    def unlink(self, parent: HostNode, name: str) -> None:
        self._check_rw()
        self._at(parent.parts + (name,), lambda fd, n: os.unlink(n, dir_fd=fd))

    def rmdir(self, parent: HostNode, name: str) -> None:
        self._check_rw()
        self._at(parent.parts + (name,), lambda fd, n: os.rmdir(n, dir_fd=fd))

    def rename(self, oldparent: HostNode, oldname: str, newparent: HostNode, newname: str) -> None:
        self._check_rw()
        _check_name(oldname)
        _check_name(newname)
        self._between(oldparent.parts, newparent.parts,
                      lambda src, dst: os.rename(oldname, newname, src_dir_fd=src, dst_dir_fd=dst))

    def link(self, node: HostNode, newparent: HostNode, newname: str) -> None:
        self._check_rw()
        _check_name(newname)
        self._between(node.parts[:-1], newparent.parts,
                      lambda src, dst: os.link(node.parts[-1], newname, src_dir_fd=src,
                                               dst_dir_fd=dst, follow_symlinks=False))

    def _between(self, src_parts, dst_parts, op) -> None:
        """``op(src_fd, dst_fd)`` with both directories opened inside the
        root (rename, link); an OSError becomes the sim's."""
        src = self._dirfd(src_parts)
        try:
            dst = self._dirfd(dst_parts)
            try:
                op(src, dst)
            except OSError as err:
                raise _sim_error(err) from None
            finally:
                os.close(dst)
        finally:
            os.close(src)

    def setattr(self, node: HostNode, *, mode=None, uid=None, gid=None, mtime=None) -> None:
        self._check_rw()

        def apply(fd, name):
            st = os.stat(name, dir_fd=fd, follow_symlinks=False)
            if not pystat.S_ISLNK(st.st_mode) and mode is not None:
                os.chmod(name, mode & 0o7777, dir_fd=fd)  # not a link: nothing is followed
            if uid is not None or gid is not None:
                os.chown(name, -1 if uid is None else uid, -1 if gid is None else gid,
                         dir_fd=fd, follow_symlinks=False)
            if mtime is not None:
                os.utime(name, (mtime, mtime), dir_fd=fd, follow_symlinks=False)

        if not node.parts:
            fd = os.open(self.root, _DIRFLAGS)
            try:
                if mode is not None:
                    os.fchmod(fd, mode & 0o7777)
                if uid is not None or gid is not None:
                    os.fchown(fd, -1 if uid is None else uid, -1 if gid is None else gid)
                if mtime is not None:
                    os.utime(fd, (mtime, mtime))
            except OSError as err:
                raise _sim_error(err) from None
            finally:
                os.close(fd)
            return
        try:
            self._at(node.parts, apply)
        except SimError as err:
            # The simulated root may chown to any uid; the daemon's user
            # cannot: the host keeps its owner (a rootless bind mount).
            if err.errno != Errno.EPERM or mode is not None or mtime is not None:
                raise

    def open_inode(self, node: HostNode, *, write: bool):
        if write:
            self._check_rw()
        st = self._lstat(node.parts)
        if pystat.S_ISREG(st.st_mode):
            return HostFile(self, node.parts, st)
        from ...sim.runtime.fsapi import Dir, File
        if pystat.S_ISDIR(st.st_mode):
            return Dir(mode=st.st_mode & 0o7777, uid=st.st_uid, gid=st.st_gid)
        return File(mode=st.st_mode & 0o7777, uid=st.st_uid, gid=st.st_gid)

    def usage(self) -> Usage:
        return Usage()


def _check_name(name: str) -> None:
    if not name or name in (".", "..") or "/" in name or "\0" in name:
        raise SimError(Errno.EINVAL)
