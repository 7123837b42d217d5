"""Image mounts (``--mount type=image``): another image's filesystem,
read-only, at a path of the container, or a directory inside it
(``image-subpath``); and the subpath of any mount (a volume's
``volume-subpath`` too: the daemon resolves it in the volume's files with
`resolve_subpath`, the runtime mounts it as a `SubtreeFs`).

moby (daemon/volumes.go ``registerMountPoints``) makes a layer from the
image and mounts it; at start ``MountPoint.Setup`` joins the subpath to the
layer's path with ``safepath.Join``: ``filepath.EvalSymlinks`` of the
joined path (every symlink resolved), which must stay below the layer's
root.  `resolve_subpath` is that walk inside the image's overlay, and
`SubtreeFs` the bind mount of the directory (or file) it finds.
"""

from __future__ import annotations

import posixpath

from ..abi import Errno
from ..errors import SimError

#: Go's EvalSymlinks gives up after this many links.
_MAX_LINKS = 255


class SubpathError(Exception):
    """A subpath ``safepath.Join`` refuses.  ``kind``: ``"missing"`` (a
    component is not there: ``failed`` is the path lstat(2) failed on,
    relative to the filesystem's root), ``"notdir"`` (a non-directory in the
    middle), ``"loop"`` (too many symlinks), ``"escapes"`` (it resolves
    outside the filesystem: ``..`` above its root, or an absolute symlink, which
    the host would resolve against its own root)."""

    def __init__(self, kind: str, failed: str = ""):
        super().__init__(kind, failed)
        self.kind = kind
        self.failed = failed


def resolve_subpath(fs, subpath: str, scoped: bool = False) -> "tuple[tuple[str, ...], object]":
    """Walk ``subpath`` from the root of ``fs`` as Go's EvalSymlinks walks
    the joined host path: returns (the resolved components, the node).
    Raises `SubpathError`.  ``scoped``: as moby's ``GetResourcePath``
    resolves a path in a container's root instead (an absolute link starts
    again at the root, ``..`` stops there)."""
    pending = [p for p in subpath.split("/") if p]
    done: "list[str]" = []
    nodes = [fs.root_node()]
    links = 0
    while pending:
        comp = pending.pop(0)
        if comp == ".":
            continue
        if comp == "..":
            if not done and scoped:
                continue
            if not done:
                raise SubpathError("escapes")
            done.pop()
            nodes.pop()
            continue
        parent = nodes[-1]
        if not fs.getattr(parent).is_dir:
            raise SubpathError("notdir")
        node = fs.lookup(parent, comp)
        if node is None:
            raise SubpathError("missing", "/".join(done + [comp]))
        st = fs.getattr(node)
        if st.is_symlink:
            links += 1
            if links > _MAX_LINKS:
                raise SubpathError("loop")
            target = fs.readlink(node)
            if target.startswith("/") and scoped:
                done, nodes = [], nodes[:1]
            elif target.startswith("/"):
                raise SubpathError("escapes")
            pending = [p for p in target.split("/") if p] + pending
            continue
        if not st.is_dir and pending:
            raise SubpathError("notdir")
        done.append(comp)
        nodes.append(node)
    return tuple(done), nodes[-1]


def clean_subpath(subpath: str) -> str:
    """The subpath as Go's ``filepath.Join`` leaves it (cleaned, relative)."""
    return posixpath.normpath(subpath).lstrip("/") if subpath else ""


class SubtreeFs:
    """``fs`` seen from ``node``: what a bind mount of a directory (or a
    file) inside a filesystem shows.  Everything but the root is the
    filesystem's own (its type, its usage, its read-only flag)."""

    def __init__(self, fs, node):
        self._fs = fs
        self._node = node

    def root_node(self):
        return self._node

    def __getattr__(self, name):
        return getattr(self._fs, name)


def lookup_path(fs, parts: "tuple[str, ...]"):
    """The node at resolved ``parts`` (no symlinks in them)."""
    node = fs.root_node()
    for name in parts:
        node = fs.lookup(node, name)
        if node is None:
            raise SimError(Errno.ENOENT, "/" + "/".join(parts))
    return node
