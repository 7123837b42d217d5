"""Layer tars in and out: the OCI image layer format
(image-spec ``layer.md``) as Docker writes and reads it.

A layer tar is a ustar/pax archive of a filesystem change set:

- ``DIR/.wh.NAME`` (a *whiteout*) says NAME was deleted from the layers
  below; it is recorded as a `Whiteout` inode named NAME, never as a file;
- ``DIR/.wh..wh..opq`` (an *opaque marker*) says DIR hides the contents the
  layers below have for it; it is recorded as ``Dir.opaque``;
- a hard-link entry names an inode already in the archive: both names share
  one inode object.

`read_layer` turns a tar into a `LayerTree`; `write_tree` turns a tree (a
layer, a `MemFs`, or an overlay's upper `Dir`) back into a tar that depends
only on the tree, so equal trees give byte-identical tars and equal digests.
"""

from __future__ import annotations

import gzip
import io
import tarfile
from typing import Iterator

import attrs

from .memfs import (
    CharDevice,
    Dir,
    File,
    Inode,
    MemFs,
    Symlink,
    Whiteout,
    iter_tree,
    split_path,
    walk_literal,
)

WHITEOUT_PREFIX = ".wh."
#: The DiffID of an empty layer (a tar of two zero blocks): moby's
#: ``layer.DigestSHA256EmptyTar``.  An image step that changed no file
#: adds no layer, only an ``empty_layer`` history entry.
EMPTY_LAYER_DIFF_ID = "sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef"
OPAQUE_MARKER = ".wh..wh..opq"


@attrs.frozen(eq=False)
class LayerTree:
    """A read-only tree of inodes: one image layer, as overlayfs sees a lower
    directory (with whiteouts and opaque flags in place).

    Immutable: nothing mutates ``root`` or any inode below it after
    construction, so one LayerTree is shared by every container of every
    image that has the layer (the caller caches it per DiffID).  Overlay
    copy-up copies inodes out of it; it never writes into it.

    ``size`` is the total bytes of regular-file content (what Docker reports
    as a layer's size); ``count`` the number of entries."""

    root: Dir
    size: int = 0
    count: int = 0

    @classmethod
    def from_tree(cls, tree: "MemFs | Dir") -> "LayerTree":
        """Freeze a tree built in memory (e.g. by `tree_from_dict`) into a
        layer.  The caller hands the tree over and no longer mutates it.
        Inodes without a number are numbered in path order."""
        root = tree.root if isinstance(tree, MemFs) else tree
        return _finish(root)

    def get(self, path: str) -> "Inode | None":
        """The raw inode at a literal path (whiteouts included, symlinks not
        followed), or None."""
        return walk_literal(self.root, split_path(path))

    def walk(self) -> "Iterator[tuple[str, Inode]]":
        """(relative path, inode) for every entry, directories first, sorted."""
        return iter_tree(self.root)


def _finish(root: Dir) -> LayerTree:
    seen: "set[int]" = set()
    top = root.ino
    everything = list(iter_tree(root))
    for _, inode in everything:
        top = max(top, inode.ino)
    size = 0
    if root.ino == 0:
        top += 1
        root.ino = top
    for _, inode in everything:
        if id(inode) in seen:
            continue
        seen.add(id(inode))
        if inode.ino == 0:
            top += 1
            inode.ino = top
        if isinstance(inode, File):
            size += len(inode.data)
    return LayerTree(root, size=size, count=len(everything))


# --------------------------------------------------------------------------
# Reading


def normalise_member_path(name: str) -> "list[str] | None":
    """The components of a tar member name, relative to the layer root.

    A leading ``/`` is dropped and ``.`` components removed; ``..`` removes
    the component before it.  A name whose ``..`` would climb above the root
    returns None (the entry is dropped): nothing in a layer can land outside
    it (Docker refuses such archives as a "breakout")."""
    out: "list[str]" = []
    for part in name.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if not out:
                return None
            out.pop()
            continue
        out.append(part)
    return out


def _parent_dir(root: Dir, parts: "list[str]") -> Dir:
    """The directory at ``parts``, made (mode 0755) where missing.  A
    non-directory in the way is replaced by a directory: a later entry under
    a path overrides the earlier one, and a symlink in the tree is never
    followed while extracting, so no entry escapes through one."""
    d = root
    for name in parts:
        nxt = d.entries.get(name)
        if not isinstance(nxt, Dir):
            nxt = Dir(opaque=isinstance(nxt, Whiteout))
            d.entries[name] = nxt
        d = nxt
    return d


def _meta(m: tarfile.TarInfo) -> dict:
    return {
        "mode": m.mode & 0o7777,
        "uid": m.uid,
        "gid": m.gid,
        "mtime": float(m.mtime),
    }


def read_layer(data: bytes) -> LayerTree:
    """Read a layer tar (uncompressed, or gzip-compressed) into a LayerTree.

    Entries follow the archive order, a later entry for a path replacing an
    earlier one (as extracting would).  Names are made relative and
    confined to the root (`normalise_member_path`); whiteouts and opaque
    markers become `Whiteout` inodes and ``Dir.opaque``; hard links share
    the target's inode (dropped if the target is missing or a directory);
    block/character devices and FIFOs are skipped.  A whiteout and an entry
    of the same name in one layer mean the entry (over a directory: an
    opaque one)."""
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    view = memoryview(data)
    root = Dir(mode=0o755)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:", encoding="utf-8") as tf:
        for m in tf:
            parts = normalise_member_path(m.name)
            if parts is None:
                continue
            if not parts:
                if m.isdir():
                    root.mode, root.uid, root.gid = (root.mode & ~0o7777) | (m.mode & 0o7777), m.uid, m.gid
                    root.mtime = float(m.mtime)
                continue
            name = parts[-1]
            parent = _parent_dir(root, parts[:-1])
            existing = parent.entries.get(name)
            if name == OPAQUE_MARKER:
                parent.opaque = True
                continue
            if name.startswith(WHITEOUT_PREFIX):
                hidden = name[len(WHITEOUT_PREFIX):]
                if not hidden or hidden in (".", ".."):
                    continue
                current = parent.entries.get(hidden)
                if current is None:
                    parent.entries[hidden] = Whiteout(mtime=float(m.mtime))
                elif isinstance(current, Dir):
                    current.opaque = True
                continue
            inode: Inode
            if m.isdir():
                if isinstance(existing, Dir):
                    existing.mode = (existing.mode & ~0o7777) | (m.mode & 0o7777)
                    existing.uid, existing.gid, existing.mtime = m.uid, m.gid, float(m.mtime)
                    continue
                inode = Dir(**_meta(m), opaque=isinstance(existing, Whiteout))
            elif m.isreg():
                if m.sparse is not None:
                    content = tf.extractfile(m).read()
                else:
                    content = bytes(view[m.offset_data:m.offset_data + m.size])
                inode = File(content, **_meta(m))
            elif m.issym():
                inode = Symlink(m.linkname, **_meta(m))
            elif m.islnk():
                tparts = normalise_member_path(m.linkname)
                target = walk_literal(root, tparts) if tparts else None
                if target is None or isinstance(target, (Dir, Whiteout)):
                    continue
                if target is existing:
                    continue
                target.nlink += 1
                inode = target
            else:
                continue  # devices, FIFOs: not simulated in layers
            if existing is not None and not isinstance(existing, (Dir, Whiteout)):
                existing.nlink = max(1, existing.nlink - 1)
            if isinstance(existing, Dir) and isinstance(inode, Dir):
                inode.entries = existing.entries
            parent.entries[name] = inode
    return _finish(root)


# --------------------------------------------------------------------------
# Writing


def _root_of(tree) -> Dir:
    if isinstance(tree, Dir):
        return tree
    root = getattr(tree, "root", None)
    if isinstance(root, Dir):
        return root
    raise TypeError(f"not a tree: {type(tree).__name__}")


def _info(name: str, inode: Inode, type_: bytes) -> tarfile.TarInfo:
    ti = tarfile.TarInfo(name)
    ti.type = type_
    ti.mode = inode.mode & 0o7777
    ti.uid = inode.uid
    ti.gid = inode.gid
    ti.mtime = max(0, int(inode.mtime))
    ti.uname = ""
    ti.gname = ""
    return ti


def write_tree(tree: "LayerTree | MemFs | Dir", *, whiteouts: bool = True) -> bytes:
    """A deterministic, uncompressed pax tar of ``tree``.

    Order: depth first, each directory's header before its contents,
    entries sorted by their name in the archive; directory names end in
    ``/``; uid/gid and permission bits are kept, owner names are empty,
    mtimes are whole seconds from the inodes.  The second and later names of
    a hard-linked inode are written as hard links to the first.  The root
    directory itself is not written.

    With ``whiteouts`` (the default) a `Whiteout` is written as an empty
    ``.wh.NAME`` file and an opaque directory gets a ``.wh..wh..opq`` entry
    right after its header (OCI layer format); without, both are left out.
    The same tree always gives the same bytes; an empty tree gives Docker's
    empty layer (`EMPTY_LAYER_DIFF_ID`)."""
    root = _root_of(tree)
    buf = io.BytesIO()
    first_name: "dict[int, str]" = {}
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT, encoding="utf-8") as tf:

        def emit_dir(d: Dir, prefix: str) -> None:
            if whiteouts and d.opaque and prefix:
                tf.addfile(_info(prefix + OPAQUE_MARKER, d, tarfile.REGTYPE))
            named = []
            for name, inode in d.entries.items():
                if isinstance(inode, Whiteout):
                    if whiteouts:
                        named.append((WHITEOUT_PREFIX + name, inode))
                else:
                    named.append((name, inode))
            named.sort(key=lambda item: item[0])
            for name, inode in named:
                path = prefix + name
                if isinstance(inode, Whiteout):
                    ti = _info(path, inode, tarfile.REGTYPE)
                    tf.addfile(ti)
                elif isinstance(inode, Dir):
                    tf.addfile(_info(path + "/", inode, tarfile.DIRTYPE))
                    emit_dir(inode, path + "/")
                elif id(inode) in first_name:
                    ti = _info(path, inode, tarfile.LNKTYPE)
                    ti.linkname = first_name[id(inode)]
                    tf.addfile(ti)
                else:
                    first_name[id(inode)] = path
                    if isinstance(inode, File):
                        ti = _info(path, inode, tarfile.REGTYPE)
                        ti.size = len(inode.data)
                        tf.addfile(ti, io.BytesIO(inode.data))
                    elif isinstance(inode, Symlink):
                        ti = _info(path, inode, tarfile.SYMTYPE)
                        ti.linkname = inode.target
                        tf.addfile(ti)
                    elif isinstance(inode, CharDevice):
                        ti = _info(path, inode, tarfile.CHRTYPE)
                        ti.devmajor, ti.devminor = inode.major, inode.minor
                        tf.addfile(ti)

        if whiteouts and root.opaque:
            tf.addfile(_info(OPAQUE_MARKER, root, tarfile.REGTYPE))
        emit_dir(root, "")
        end = tf.offset
    # The two zero blocks that end an archive, without the record padding
    # Python adds after them (Go's archive/tar writes none): an empty tree
    # is then exactly Docker's empty layer (1024 zero bytes, DiffID
    # sha256:5f70bf18…).
    return buf.getvalue()[:end + 2 * tarfile.BLOCKSIZE]
