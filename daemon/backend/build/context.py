"""File trees the builder reads: the build context and ``COPY --from``
images (moby's builder/remotecontext: ``FromArchive``, ``archiveContext``,
``lazySource``; pkg/tarsum).

A `Tree` lives in memory; nothing is written on the host.  It is built

- from the context tar (`Tree.from_context`), decompressed and read with
  go-archive's code (`sim.fs.goarchive`: gzip, bzip2, xz by their magic
  numbers, Go's tar reader and its error words), and unpacked the way moby
  unpacks it: inside a chroot at the context root.  So a name is cleaned
  against ``/`` before use: ``../x`` and ``/x`` both land at ``x``, a
  symlink or hard link may point anywhere (its target is read inside the
  root when used), and nothing can leave the root.  This is why moby has
  no error for such tars; its error comes later, when the Dockerfile names
  a path above the root: ``forbidden path outside the build context: ../x ()``;
- from the export of an image's root filesystem (`Tree.from_image`), for
  ``COPY --from=<stage|image>``: the image's layers as an overlay merges
  them, without Docker's init layer, as moby mounts the image
  (``NewRWLayer``).

Paths are relative to the root, slash-separated.  Lookups follow symlinks
the way moby's ``symlink.FollowSymlinkInScope`` does (`Tree.follow`):
absolute targets restart at the root and ``..`` never climbs above it.

Hashes (the build cache's key for ADD/COPY sources, shown in the history
as ``file:<hex>``): a context file's is its tarsum v1 entry, computed from
the tar header as sent (name, mode, uid, gid, size, typeflag, linkname,
device numbers, xattrs; not the mtime or owner names) and the content; an
image file's is the same sum over the header go-archive would write for
it (`Tree.hash`).
"""

from __future__ import annotations

import hashlib
from typing import Any

import attrs

from ....sim.golang import GoError
from ....sim.fs import goarchive
from ....sim.golang import clean_path as clean
from ....sim.golang.symlink import follow_symlink_in_scope
from ...errors import SystemError as DockerSystemError


class ContextError(Exception):
    """A tree operation failed; ``str()`` is Go's wording."""


@attrs.define(eq=False)
class Node:
    """One file, directory or symlink.  ``mode`` is the permission bits with
    set-user-ID, set-group-ID and sticky (``0o7777``)."""

    kind: str  # "dir", "file", "symlink"
    mode: int = 0o755
    uid: int = 0
    gid: int = 0
    mtime: float = 0.0
    _data: bytes = b""
    target: str = ""
    children: "dict | None" = None
    #: A large file's content, kept in the build's spill file rather than
    #: in memory (`Tree.from_context`); read when a COPY uses it.
    blob: "Blob | None" = None

    @property
    def data(self) -> bytes:
        return self._data if self.blob is None else self.blob.read()

    @classmethod
    def directory(cls, mode: int = 0o755, uid: int = 0, gid: int = 0, mtime: float = 0.0) -> "Node":
        return cls("dir", mode, uid, gid, mtime, children={})

    @property
    def is_dir(self) -> bool:
        return self.kind == "dir"

    @property
    def size(self) -> int:
        if self.kind != "file":
            return 0
        return len(self._data) if self.blob is None else self.blob.size


#: Context files larger than this are kept in a temporary file on the host
#: (the data root's tmp), not in memory: a context may be gigabytes.
SPILL_SIZE = 1 << 20


@attrs.define(eq=False)
class Blob:
    """``size`` bytes at ``offset`` of a temporary file."""

    file: Any
    offset: int
    size: int

    def read(self) -> bytes:
        self.file.seek(self.offset)
        return self.file.read(self.size)


def rel_in_root(name: str) -> str:
    """A name as the chroot sees it, relative to the root (``""`` for the
    root itself): ``filepath.Join("/", name)`` without the slash."""
    return clean("/" + name)[1:]


def _split(rel: str) -> "list[str]":
    return [p for p in rel.split("/") if p]


def is_archive(data: bytes) -> bool:
    """go-archive ``IsArchivePath``: (decompressed) data whose first tar
    header reads."""
    return goarchive.is_archive(data)


def headers(data: bytes):
    """(header, content) for each entry of a tar, plain or compressed, read
    with Go's tar reader (global PAX headers left out); raises
    `goarchive.GoArchiveError` with Go's words."""
    reader = goarchive.TarReader(goarchive.decompress_stream(data))
    for hdr in members(reader):
        yield hdr, reader.read() if hdr.typeflag == goarchive.TYPE_REG else b""


def members(reader):
    """The headers a tar reader gives, global PAX headers left out; the
    current entry's content is ``reader``'s to read."""
    while True:
        hdr = reader.next()
        if hdr is None:
            return
        if hdr.typeflag != goarchive.TYPE_XGLOBAL:
            yield hdr


def tarsum_v1(header: dict, content: bytes = b"") -> str:
    """pkg/tarsum's version-1 sum of one entry: sha256 of the selected
    header fields (name, mode, uid, gid, size, typeflag, linkname, uname
    and gname as empty strings, devmajor, devminor, then xattrs sorted)
    followed by the content."""
    h = _tarsum_header(header)
    h.update(content)
    return h.hexdigest()


def _tarsum_header(header: dict):
    """`tarsum_v1`'s hash with the header fed, the content still to come."""
    h = hashlib.sha256()
    for key in ("name", "mode", "uid", "gid", "size", "typeflag", "linkname"):
        h.update((key + str(header[key])).encode("utf-8", "surrogateescape"))
    h.update(b"uname")
    h.update(b"gname")
    h.update(("devmajor" + str(header.get("devmajor", 0))).encode())
    h.update(("devminor" + str(header.get("devminor", 0))).encode())
    for name, value in sorted(header.get("xattrs") or ()):
        h.update((name + value).encode("utf-8", "surrogateescape"))
    return h


@attrs.define(eq=False)
class Tree:
    """A file tree in memory.  ``sums``: the tarsum of each context entry
    by its cleaned name (first occurrence), None for an image tree (whose
    hashes are computed from the nodes)."""

    root: Node = attrs.field(factory=Node.directory)
    sums: "dict | None" = None
    _lazy: dict = attrs.field(factory=dict, repr=False)
    #: The temporary file holding the large files' contents (`Blob`).
    spill: Any = None

    # -- building -------------------------------------------------------------
    @classmethod
    def from_context(cls, data, now: float = 0.0, spill_file=None) -> "Tree":
        """moby's ``FromArchive``: decompress, sum, unpack in a chroot.
        ``data`` is bytes or a binary file, read as a stream; a file larger
        than `SPILL_SIZE` goes, a chunk at a time, to a temporary file that
        ``spill_file()`` opens (the tree's `spill`; `close` closes it)."""
        tree = cls(sums={})
        try:
            dirs = []
            reader = goarchive.TarReader(goarchive.decompress_stream(data))
            for hdr in members(reader):
                key = clean("/" + hdr.name)
                key = "." if key == "/" else key[1:]
                header = {"name": hdr.name, "mode": hdr.mode, "uid": hdr.uid, "gid": hdr.gid,
                          "size": hdr.size, "typeflag": hdr.typeflag.decode("latin-1"),
                          "linkname": hdr.linkname, "devmajor": hdr.devmajor,
                          "devminor": hdr.devminor, "xattrs": list(hdr.xattrs.items())}
                h = _tarsum_header(header)
                content, blob = b"", None
                if hdr.typeflag == goarchive.TYPE_REG:
                    if hdr.size > SPILL_SIZE and spill_file is not None:
                        blob = tree._spill_entry(reader, h, spill_file)
                    else:
                        content = reader.read()
                        h.update(content)
                tree.sums.setdefault(key, h.hexdigest())
                made = tree._unpack(hdr, rel_in_root(hdr.name), content, now, blob)
                if made is not None:
                    dirs.append(made)
            for node, mtime in dirs:
                node.mtime = mtime
            return tree
        except (ContextError, GoError) as err:
            tree.close()
            raise DockerSystemError(str(err)) from None
        except BaseException:
            tree.close()
            raise

    def _spill_entry(self, reader, h, spill_file) -> Blob:
        if self.spill is None:
            self.spill = spill_file()
        f = self.spill
        offset = f.seek(0, 2)
        while True:
            chunk = reader.read_some(SPILL_SIZE)
            if not chunk:
                break
            h.update(chunk)
            f.write(chunk)
        return Blob(f, offset, f.tell() - offset)

    def close(self) -> None:
        """Close the spill file (its large files can no longer be read)."""
        if self.spill is not None:
            self.spill.close()
            self.spill = None

    def _unpack(self, hdr, rel: str, content: bytes, now: float, blob: "Blob | None" = None):
        """One entry (a `goarchive.Header`), as go-archive's ``Unpack``
        makes it under ``/``: missing parents made (0755), an existing
        entry replaced unless both are directories, then the object with
        its owner, mode and mtime.  Returns (dir node, mtime) for
        directories, whose times are set last."""
        mode = hdr.mode & 0o7777
        typ = hdr.typeflag
        if rel == "":
            if typ == goarchive.TYPE_DIR:
                self.root.mode, self.root.uid, self.root.gid = mode, hdr.uid, hdr.gid
                return self.root, hdr.mtime
            return None
        parts = _split(rel)
        parent = self._make_dirs(parts[:-1], now)
        name = parts[-1]
        existing = parent.children.get(name)
        if typ == goarchive.TYPE_DIR:
            if existing is not None and existing.is_dir:
                existing.mode, existing.uid, existing.gid = mode, hdr.uid, hdr.gid
                return existing, hdr.mtime
            node = Node.directory(mode, hdr.uid, hdr.gid, hdr.mtime)
            parent.children[name] = node
            return node, hdr.mtime
        if typ == goarchive.TYPE_REG:
            node = Node("file", mode, hdr.uid, hdr.gid, hdr.mtime, data=bytes(content), blob=blob)
        elif typ == goarchive.TYPE_SYMLINK:
            node = Node("symlink", 0o777, hdr.uid, hdr.gid, hdr.mtime, target=hdr.linkname)
        elif typ == goarchive.TYPE_LINK:
            target = self.lookup(rel_in_root(hdr.linkname), follow_last=False)
            if target is None or target.is_dir:
                raise ContextError(f"link /{rel_in_root(hdr.linkname)} /{rel}: no such file or directory")
            node = target  # one inode, two names
        elif typ in (goarchive.TYPE_CHAR, goarchive.TYPE_BLOCK, goarchive.TYPE_FIFO):
            return None  # devices and FIFOs: nothing a build can copy
        else:
            raise ContextError(f"unhandled tar header type {typ[0] if typ else 0}")
        parent.children[name] = node
        return None

    def _make_dirs(self, parts: "list[str]", now: float) -> Node:
        """The directory at ``parts``, symlinks followed inside the root as
        the kernel follows them in the chroot, made (0755) where missing."""
        resolved = _split(self.follow("/".join(parts)))
        node = self.root
        for i, part in enumerate(resolved):
            child = node.children.get(part)
            if child is None:
                child = node.children[part] = Node.directory(0o755, 0, 0, now)
            elif not child.is_dir:
                raise ContextError(f"mkdir /{'/'.join(resolved[:i + 1])}: not a directory")
            node = child
        return node

    @classmethod
    def from_image(cls, export: bytes) -> "Tree":
        """An image's filesystem, for ``COPY --from=<stage|image>``, from
        the export of its root filesystem (``RootFs.export``: the layers
        merged by the overlay, whiteouts applied, no init layer; names
        relative to the root, each directory before its contents)."""
        try:
            tree = cls()
            for hdr, content in headers(export):
                made = tree._unpack(hdr, rel_in_root(hdr.name), content, 0.0)
                if made is not None:
                    made[0].mtime = made[1]
            return tree
        except (ContextError, GoError) as err:
            raise DockerSystemError(str(err)) from None

    # -- lookups ----------------------------------------------------------------
    def lookup(self, rel: str, follow_last: bool = True) -> "Node | None":
        """The node at ``rel`` (symlinks in the path followed in scope; the
        last one too with ``follow_last``), or None."""
        if follow_last:
            rel = self.follow(rel)
        else:
            parts = _split(rel)
            if parts:
                head = self.follow("/".join(parts[:-1])) if len(parts) > 1 else ""
                rel = (head + "/" if head else "") + parts[-1]
        node = self.root
        for part in _split(rel):
            if not node.is_dir:
                return None
            node = node.children.get(part)
            if node is None:
                return None
        return node

    def _child_path(self, base: "list[str]") -> "Node | None":
        node = self.root
        for part in base:
            if node is None or not node.is_dir:
                return None
            node = node.children.get(part)
        return node

    def follow(self, path: str) -> str:
        """``symlink.FollowSymlinkInScope`` relative to the root: the path
        (cleaned, no leading slash, ``""`` for the root) with every symlink
        replaced by its target, never above the root; a missing component
        is kept as it is."""
        def read_link(inner: str, _full: str) -> "str | None":
            node = self._child_path(_split(inner))
            return node.target if node is not None and node.kind == "symlink" else None

        try:
            return follow_symlink_in_scope("/" + path, "/", read_link)[1:]
        except GoError as err:
            raise ContextError(str(err)) from None

    def outside(self, path: str) -> bool:
        """Whether ``path`` (relative to the root) climbs above it: moby's
        ``FullPath`` refuses those."""
        return clean(path).split("/")[0] == ".."

    def remove(self, rel: str) -> None:
        """``os.RemoveAll`` of the entry (symlinks followed, as moby's
        ``archiveContext.Remove`` does)."""
        parts = _split(self.follow(rel))
        if not parts:
            return
        parent = self._child_path(parts[:-1])
        if parent is not None and parent.is_dir:
            parent.children.pop(parts[-1], None)

    def walk(self, rel: str = ""):
        """``filepath.WalkDir`` from ``rel`` (not following symlinks):
        (path, node) for it and everything below, depth first, names in
        byte order."""
        start = self.lookup(rel, follow_last=False)
        if start is None:
            return
        stack = [(clean(rel) if rel else "", start)]
        while stack:
            path, node = stack.pop()
            yield path, node
            if node.is_dir:
                names = sorted(node.children, key=lambda n: n.encode("utf-8", "surrogateescape"))
                for name in reversed(names):
                    stack.append(((path + "/" if path else "") + name, node.children[name]))

    # -- hashes -------------------------------------------------------------------
    def hash(self, path: str) -> str:
        """moby's ``Source.Hash``: the sum of the entry the path leads to
        (symlinks followed); the path itself when there is none."""
        rel = self.follow(path)
        if self.sums is not None:
            return self.sums.get(rel or ".", path)
        node = self.lookup(rel, follow_last=False)
        if node is None:
            return rel
        key = rel
        cached = self._lazy.get(key)
        if cached is None:
            name = rel + ("/" if node.is_dir else "")
            typeflag = {"dir": "5", "file": "0", "symlink": "2"}[node.kind]
            header = {"name": name, "mode": node.mode & 0o7777, "uid": node.uid, "gid": node.gid,
                      "size": node.size, "typeflag": typeflag,
                      "linkname": node.target if node.kind == "symlink" else ""}
            cached = self._lazy[key] = tarsum_v1(header, node.data if node.kind == "file" else b"")
        return cached

    def dir_hash(self, rel: str) -> str:
        """moby's ``walkSource`` + ``hashStringSlice("dir", …)``: the sorted
        hashes of the directory and everything below it."""
        fp = self.follow(rel)
        subfiles = []
        for path, _node in self.walk(fp):
            if path in ("", "."):
                continue
            try:
                subfiles.append(self.hash(path))
            except ContextError:
                continue  # moby skips what it cannot hash (a symlink loop)
        subfiles.sort()
        return "dir:" + hashlib.sha256(",".join(subfiles).encode("utf-8", "surrogateescape")).hexdigest()
