"""overlayfs: a writable upper tree over read-only lower layers.

Follows the kernel's Documentation/filesystems/overlayfs.rst:

- *Lookup* merges directories top-down.  A name is what the topmost layer
  that has it says: a whiteout hides it, a non-directory ends the search, a
  directory is merged with the same directory of the layers below unless it
  is *opaque* (then the layers below are not consulted for it).
- The layer order is upper, then ``lowers[0]`` (the top image layer) down to
  ``lowers[-1]`` (the base layer).
- *Copy-up*: before anything is modified, the object and its parent
  directories are copied into the upper tree, keeping mode, owner and mtime.
  A hard-linked lower file is copied per name (overlayfs without
  ``index=on`` breaks hard links on copy-up).
- Removing a name that a lower layer has leaves a whiteout in the upper
  directory; a directory created where a whiteout was is made opaque.
- Renaming a directory that exists in a lower layer copies up its whole
  subtree and makes it opaque (what overlayfs does with ``redirect_dir=off``
  when the caller, like mv(1), falls back to copying after EXDEV).

Invariant: the lower trees are never mutated (they are shared by every
container of the image); every mutation happens in the upper tree, owned by
this Overlay.

Inode numbers: a stat()ed object reports ``ino`` combined with the number of
the layer it lives in (the high bits, like overlayfs's ``xino``), so numbers
are unique within the overlay; a copied-up object keeps the number it had
(overlayfs keeps ``st_ino`` across copy-up).
"""

from __future__ import annotations

from typing import Callable

import attrs

from ..abi import Errno
from ..errors import SimError
from .memfs import (
    Dir,
    Inode,
    MemFs,
    Stat,
    Usage,
    Whiteout,
    _apply_attrs,
    _zero,
    clone_inode,
    stat_of,
    iter_tree,
    tree_usage,
)
from .tar import LayerTree, write_tree

_XINO_SHIFT = 40


@attrs.frozen(eq=False)
class OvlNode:
    """One looked-up overlay object (overlayfs's dentry): its path from the
    overlay root, its upper inode if any, and the lower inodes beneath, as
    (layer index, inode) pairs top first.  For a directory, ``lowers`` is
    every lower directory merged into it; for a non-directory at most one.

    A snapshot: valid until the next modification of the overlay, so the VFS
    holds nodes only within one operation (methods re-resolve by ``path``)."""

    path: "tuple[str, ...]"
    upper: "Inode | None"
    lowers: "tuple[tuple[int, Inode], ...]"

    @property
    def real(self) -> Inode:
        """The inode whose attributes the object shows (upper first)."""
        return self.upper if self.upper is not None else self.lowers[0][1]

    @property
    def mode(self) -> int:
        return self.real.mode

    @property
    def uid(self) -> int:
        return self.real.uid

    @property
    def gid(self) -> int:
        return self.real.gid

    @property
    def is_dir(self) -> bool:
        return isinstance(self.real, Dir)


@attrs.define(eq=False)
class Overlay:
    """An overlay mount: ``lowers`` top first, ``upper`` the writable tree
    (a fresh empty one by default; pass ``read_layer(tar).root`` of an
    unshared tree to restore a saved writable layer).  ``readonly``: an
    overlay with no writable upper (writes fail with EROFS).  ``on_change``
    is called before every change of the upper tree (and by files opened
    for writing, at each write): the owner of the writable layer learns
    that it has something new to save.

    Implements the `sim.fs.vfs.Filesystem` protocol with `OvlNode` nodes."""

    #: What /proc/mounts shows for an overlay mount.
    fstype = "overlay"
    source = "overlay"

    lowers: "list[LayerTree]"
    upper: "MemFs | Dir | None" = None
    now: Callable[[], float] = _zero
    readonly: bool = attrs.field(default=False, kw_only=True)
    on_change: "Callable[[], None] | None" = attrs.field(default=None, kw_only=True, repr=False)
    _upper_fs: MemFs = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        if isinstance(self.upper, MemFs):
            self._upper_fs = self.upper
        else:
            base = self.lowers[0].root if self.lowers else None
            root = self.upper
            if root is None:
                root = Dir()
                if base is not None:
                    root.copy_meta(base)
            self._upper_fs = MemFs(root, now=self.now)
        self.upper = self._upper_fs.root
        # Fresh upper objects number below the xino range (copied-up ones
        # keep their lower number, which lies inside it).
        fresh = [i.ino for _, i in iter_tree(self.upper) if i.ino < 1 << _XINO_SHIFT]
        self._upper_fs._next_ino = max(fresh + [self.upper.ino & ((1 << _XINO_SHIFT) - 1)]) + 1

    @property
    def upper_root(self) -> Dir:
        return self._upper_fs.root

    # -- space (statfs(2), /proc/meminfo) -----------------------------------

    def usage(self) -> Usage:
        """The space the overlay takes on disk: every lower layer as stored
        (``LayerTree.size``/``count``: files hidden by an upper layer still
        take their space) plus the upper tree."""
        total = tree_usage(self.upper_root)
        for layer in self.lowers:
            total += Usage(layer.size, layer.count)
        return total

    def cached_parts(self) -> "list[tuple[object, Usage, str]]":
        """The disk-backed trees whose file data the simulation holds in
        memory (kind ``"file"``: page cache): each lower layer (keyed by the
        shared `LayerTree`, so a layer used by many containers counts once)
        and the upper tree."""
        parts: "list[tuple[object, Usage, str]]" = [
            (layer, Usage(layer.size, layer.count), "file") for layer in self.lowers]
        parts.append((self.upper_root, tree_usage(self.upper_root), "file"))
        return parts

    # -- lookup ------------------------------------------------------------

    def root_node(self) -> OvlNode:
        lowers: "list[tuple[int, Inode]]" = []
        up = self.upper_root
        if not up.opaque:
            for i, layer in enumerate(self.lowers):
                lowers.append((i, layer.root))
                if layer.root.opaque:
                    break
        return OvlNode((), up, tuple(lowers))

    def lookup(self, parent: OvlNode, name: str) -> "OvlNode | None":
        path = parent.path + (name,)
        up = parent.upper.entries.get(name) if isinstance(parent.upper, Dir) else None
        if isinstance(up, Whiteout):
            return None
        if up is not None and not isinstance(up, Dir):
            return OvlNode(path, up, ())
        if isinstance(up, Dir) and up.opaque:
            return OvlNode(path, up, ())
        lowers: "list[tuple[int, Inode]]" = []
        for idx, ld in parent.lowers:
            e = ld.entries.get(name)  # type: ignore[attr-defined]
            if e is None:
                continue
            if isinstance(e, Whiteout):
                break
            if isinstance(e, Dir):
                lowers.append((idx, e))
                if e.opaque:
                    break
                continue
            # A non-directory: the object itself if nothing above has the
            # name, otherwise it ends the merge below a directory.
            if up is None and not lowers:
                return OvlNode(path, None, ((idx, e),))
            break
        if up is None and not lowers:
            return None
        return OvlNode(path, up, tuple(lowers))

    def resolve(self, path: "tuple[str, ...] | list[str]") -> "OvlNode | None":
        """The node at a literal path (no symlinks followed)."""
        node: "OvlNode | None" = self.root_node()
        for name in path:
            if node is None or not node.is_dir:
                return None
            node = self.lookup(node, name)
        return node

    def _lower_has(self, parent: OvlNode, name: str) -> bool:
        """Whether a lower layer shows ``name`` in ``parent`` (so removing it
        from the upper needs a whiteout)."""
        for _, ld in parent.lowers:
            e = ld.entries.get(name)  # type: ignore[attr-defined]
            if e is None:
                continue
            return not isinstance(e, Whiteout)
        return False

    def getattr(self, node: OvlNode) -> Stat:
        real = node.real
        st = stat_of(real, ino=self._ino(node))
        if isinstance(real, Dir) and node.lowers:
            nsub = sum(1 for n in self.listdir(node) if self.lookup(node, n).is_dir)  # type: ignore[union-attr]
            st = attrs.evolve(st, nlink=2 + nsub)
        return st

    def _ino(self, node: OvlNode) -> int:
        if node.upper is not None:
            return node.upper.ino
        idx, inode = node.lowers[0]
        return inode.ino | ((idx + 1) << _XINO_SHIFT)

    def listdir(self, node: OvlNode) -> "list[str]":
        decided: "dict[str, bool]" = {}
        dirs: "list[Inode]" = []
        if node.upper is not None:
            dirs.append(node.upper)
        dirs.extend(d for _, d in node.lowers)
        for d in dirs:
            for name, e in d.entries.items():  # type: ignore[attr-defined]
                if name not in decided:
                    decided[name] = not isinstance(e, Whiteout)
        return sorted(n for n, shown in decided.items() if shown)

    def readlink(self, node: OvlNode) -> str:
        return node.real.target  # type: ignore[attr-defined]

    # -- copy-up -----------------------------------------------------------

    def _check_rw(self) -> None:
        """Every change starts here: refused when read-only, else announced."""
        if self.readonly:
            raise SimError(Errno.EROFS)
        if self.on_change is not None:
            self.on_change()

    def copy_up(self, path: "tuple[str, ...]") -> Inode:
        """Make sure the object at ``path`` (and every parent directory)
        exists in the upper tree; return its upper inode.  A directory is
        copied without its contents (they stay merged from below); a file
        with its data; metadata is kept, and so is the inode number."""
        self._check_rw()
        node = self.resolve(path)
        if node is None:
            raise SimError(Errno.ENOENT, "/" + "/".join(path))
        if node.upper is not None:
            return node.upper
        parent_upper = self.copy_up(path[:-1])
        assert isinstance(parent_upper, Dir)
        copy = clone_inode(node.real)
        copy.ino = self._ino(node)
        parent_upper.entries[path[-1]] = copy
        return copy

    def copy_up_tree(self, path: "tuple[str, ...]") -> Inode:
        """Copy up a directory with everything visible in it, recursively,
        and mark it opaque: afterwards it no longer depends on the lower
        layers."""
        top = self.copy_up(path)
        if isinstance(top, Dir):
            node = self.resolve(path)
            assert node is not None
            for name in self.listdir(node):
                self.copy_up_tree(path + (name,))
            for name in [n for n, e in top.entries.items() if isinstance(e, Whiteout)]:
                del top.entries[name]
            top.opaque = True
        return top

    # -- modifications (the Filesystem protocol) ----------------------------

    def _upper_dir(self, parent: OvlNode) -> Dir:
        d = self.copy_up(parent.path)
        if not isinstance(d, Dir):
            raise SimError(Errno.ENOTDIR)
        return d

    def mknod(self, parent: OvlNode, name: str, inode: Inode) -> OvlNode:
        self._check_rw()
        if self.lookup(parent, name) is not None:
            raise SimError(Errno.EEXIST)
        d = self._upper_dir(parent)
        if isinstance(inode, Dir) and (isinstance(d.entries.get(name), Whiteout) or self._lower_has(parent, name)):
            inode.opaque = True
        if inode.ino == 0:
            inode.ino = self._upper_fs.alloc_ino()
        d.entries[name] = inode
        d.mtime = self.now()
        node = self.resolve(parent.path + (name,))
        assert node is not None
        return node

    def _remove_entry(self, parent: OvlNode, name: str) -> Dir:
        """Drop ``name`` from the upper directory, leaving a whiteout if a
        lower layer has it."""
        d = self._upper_dir(parent)
        parent = self.resolve(parent.path)  # type: ignore[assignment]
        old = d.entries.get(name)
        if old is not None and not isinstance(old, (Dir, Whiteout)):
            old.nlink = max(0, old.nlink - 1)
        if self._lower_has(parent, name):
            d.entries[name] = Whiteout(mtime=self.now())
        else:
            d.entries.pop(name, None)
        d.mtime = self.now()
        return d

    def unlink(self, parent: OvlNode, name: str) -> None:
        self._check_rw()
        node = self.lookup(parent, name)
        if node is None:
            raise SimError(Errno.ENOENT)
        if node.is_dir:
            raise SimError(Errno.EISDIR)
        self._remove_entry(parent, name)

    def rmdir(self, parent: OvlNode, name: str) -> None:
        self._check_rw()
        node = self.lookup(parent, name)
        if node is None:
            raise SimError(Errno.ENOENT)
        if not node.is_dir:
            raise SimError(Errno.ENOTDIR)
        if self.listdir(node):
            raise SimError(Errno.ENOTEMPTY)
        self._remove_entry(parent, name)

    def rename(self, oldparent: OvlNode, oldname: str, newparent: OvlNode, newname: str) -> None:
        self._check_rw()
        src = self.lookup(oldparent, oldname)
        if src is None:
            raise SimError(Errno.ENOENT)
        dst = self.lookup(newparent, newname)
        if dst is not None and dst.real is src.real:
            return
        oldpath = src.path
        if src.is_dir and src.lowers:
            moved = self.copy_up_tree(oldpath)
        else:
            moved = self.copy_up(oldpath)
        new_dir = self._upper_dir(newparent)
        old_dir = self._upper_dir(oldparent)
        # Take the object out of its old place (whiteout if a lower has it).
        del old_dir.entries[oldname]
        if self._lower_has(self.resolve(oldparent.path), oldname):  # type: ignore[arg-type]
            old_dir.entries[oldname] = Whiteout(mtime=self.now())
        replaced = new_dir.entries.get(newname)
        if replaced is not None and not isinstance(replaced, (Dir, Whiteout)):
            replaced.nlink = max(0, replaced.nlink - 1)
        if isinstance(moved, Dir):
            fresh_parent = self.resolve(newparent.path)
            if isinstance(replaced, Whiteout) or (
                fresh_parent is not None and self._lower_has(fresh_parent, newname)
            ):
                moved.opaque = True
        new_dir.entries[newname] = moved
        t = self.now()
        old_dir.mtime = new_dir.mtime = t

    def link(self, node: OvlNode, newparent: OvlNode, newname: str) -> None:
        self._check_rw()
        if self.lookup(newparent, newname) is not None:
            raise SimError(Errno.EEXIST)
        inode = self.copy_up(node.path)
        d = self._upper_dir(newparent)
        d.entries[newname] = inode
        inode.nlink += 1
        d.mtime = self.now()

    def setattr(self, node: OvlNode, *, mode=None, uid=None, gid=None, mtime=None) -> None:
        _apply_attrs(self.copy_up(node.path), mode, uid, gid, mtime)

    def open_inode(self, node: OvlNode, *, write: bool) -> Inode:
        """The inode an open file reads and writes: for writing, the
        copied-up one (so a lower layer is never written)."""
        if write:
            return self.copy_up(node.path)
        return node.real

    # -- the writable layer --------------------------------------------------

    def upper_diff_tar(self) -> bytes:
        """The layer the changes make, as `docker commit` records it: every
        upper object (with its parent directories), ``.wh.NAME`` for
        deletions, ``.wh..wh..opq`` for opaque directories; deterministic
        (`write_tree`)."""
        return write_tree(self.upper_root)

    def changes(self) -> "list[tuple[str, str]]":
        """What ``docker diff`` prints: (kind, absolute path) sorted by path,
        kind ``A`` (added), ``C`` (changed) or ``D`` (deleted).

        As Docker computes it for overlay2: an upper object a lower layer
        also has is ``C``, except a directory whose mode and mtime did not
        change, which is listed only when an entry directly inside it was
        added or deleted; a whiteout is ``D``; everything else ``A``.
        Names a lower layer has below an opaque directory are ``D``."""
        out: "dict[str, str]" = {}
        lower_view = Overlay(self.lowers, readonly=True)

        def walk(d: Dir, path: "tuple[str, ...]") -> None:
            lower_dir = lower_view.resolve(path)
            if d.opaque and lower_dir is not None and lower_dir.is_dir:
                for name in lower_view.listdir(lower_dir):
                    if name not in d.entries or isinstance(d.entries[name], Whiteout):
                        out["/" + "/".join(path + (name,))] = "D"
                        mark_parent(path)
            for name, e in d.entries.items():
                p = path + (name,)
                key = "/" + "/".join(p)
                low = lower_view.lookup(lower_dir, name) if lower_dir is not None and lower_dir.is_dir else None
                if isinstance(e, Whiteout):
                    if low is not None:
                        out[key] = "D"
                        mark_parent(path)
                    continue
                if low is None:
                    out[key] = "A"
                    mark_parent(path)
                elif isinstance(e, Dir) and low.is_dir:
                    r = low.real
                    if e.mode != r.mode or e.mtime != r.mtime:
                        out[key] = "C"
                else:
                    out[key] = "C"
                if isinstance(e, Dir):
                    walk(e, p)

        def mark_parent(path: "tuple[str, ...]") -> None:
            if path:
                out.setdefault("/" + "/".join(path), "C")

        walk(self.upper_root, ())
        return sorted(((k, p) for p, k in out.items()), key=lambda kp: kp[1])

    def upper_paths(self) -> "list[str]":
        """Relative paths of everything in the upper tree (for tests)."""
        return [p for p, _ in iter_tree(self.upper_root)]
