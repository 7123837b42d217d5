"""The read-only layer store (moby's ``layer.Store``): layers keyed by
ChainID, reference counted, their tars kept as blobs.

A layer's DiffID is the sha256 of its uncompressed tar; its ChainID is the
DiffID for a base layer, else ``sha256("<parent chain id> <diff id>")``
(`sim.ids.chain_id`), so the same tar on two different parents makes two
layers that share one blob.

Reference counting follows moby's ``roLayer``: `register` and `acquire`
hand out one reference each; a layer holds one reference on its parent
for as long as it exists; `release` drops one, and a layer whose count
reaches 0 is deleted and drops its reference on its parent in turn.  So
after a pull, a layer's count is the number of images whose top layer it
is plus the number of layers directly on top of it.

A layer's size is what moby's layer store keeps: the graph driver's
``DiffSize`` of the applied diff (`diff_size`), not the tar's length.
``docker images``, ``docker history``, ``system df`` and image inspect's
``Size`` are sums of it.

Store keys (owned by this module):
    ``layers/<chain hex>.json``  {"chain_id", "diff_id", "parent", "diff_size", "refcount"}
    blob ``<diff id>``            the layer tar (shared by layers with that diff id)
"""

import io
import tarfile
from typing import Iterable

import attrs

from ..ids import chain_id as compute_chain_id
from ..ids import sha256_digest
from ..store import Store
from .errors import LayerNotFound

_PREFIX = "layers"


@attrs.define(eq=False)
class Layer:
    """One registered layer.  Mutated only by its LayerStore.

    ``chain_id``, ``diff_id``, ``parent`` and ``size`` are immutable.
    Invariant: ``refcount > 0`` while the layer is in its store.
    """

    chain_id: str  # immutable; "sha256:<hex>"
    diff_id: str  # immutable; sha256 of the uncompressed tar
    parent: "str | None"  # immutable; the parent's chain id, None for a base layer
    size: int  # immutable; the diff's size (`diff_size`)
    refcount: int = 0

    def to_json(self) -> dict:
        return {
            "chain_id": self.chain_id,
            "diff_id": self.diff_id,
            "parent": self.parent,
            "diff_size": self.size,
            "refcount": self.refcount,
        }


_WHITEOUT = ".wh."
_OPAQUE = ".wh..wh..opq"


def diff_size(tar_bytes: bytes) -> int:
    """overlay2's ``DiffSize`` of a layer applied from this tar (Go's
    ``directory.Size`` of its diff directory): the ``Lstat`` size of every
    non-directory, a hard-linked inode counted once -- a file's content,
    a symlink's target length; a whiteout becomes a 0/0 device and an
    opaque marker an xattr, both 0; directories count 0.  As extraction
    does, a later entry replaces an earlier one at the same path (and what
    was under it, unless both are directories)."""
    nodes: "dict[str, int]" = {}  # path -> inode number
    sizes: "list[int]" = []  # inode number -> size
    dirs: "set[str]" = set()

    def put(path: str, size: "int | None", is_dir: bool = False) -> None:
        if path in dirs and not is_dir:
            dirs.discard(path)
            for other in [p for p in nodes if p.startswith(path + "/")]:
                del nodes[other]
            dirs.difference_update([d for d in dirs if d.startswith(path + "/")])
        if is_dir:
            dirs.add(path)
        if size is not None:
            nodes[path] = len(sizes)
            sizes.append(size)
        else:
            nodes.pop(path, None)

    with tarfile.open(fileobj=io.BytesIO(tar_bytes), mode="r:") as tf:
        for m in tf:
            path = _clean(m.name)
            head, _, name = path.rpartition("/")
            if name == _OPAQUE:
                continue
            if name.startswith(_WHITEOUT):
                put((head + "/" if head else "") + name[len(_WHITEOUT):], 0)
            elif m.isdir():
                put(path, None, is_dir=True)
            elif m.islnk():
                target = nodes.get(_clean(m.linkname))
                if target is not None:
                    put(path, None)
                    nodes[path] = target
            elif m.isreg():
                put(path, m.size)
            elif m.issym():
                put(path, len(m.linkname.encode()))
            else:
                put(path, 0)  # devices and FIFOs
    return sum(sizes[i] for i in set(nodes.values()))


def _clean(name: str) -> str:
    return "/".join(p for p in name.split("/") if p not in ("", "."))


def _key(chain_id: str) -> str:
    return f"{_PREFIX}/{chain_id.split(':', 1)[1]}.json"


@attrs.define(eq=False)
class LayerStore:
    """Layers by chain id, persisted in ``store``.

    Invariant: every layer's parent is in ``_layers``; the json document of
    each layer matches its in-memory state after every public call.
    """

    store: Store
    _layers: "dict[str, Layer]" = attrs.field(factory=dict, alias="layers")  # chain id -> layer
    #: Callbacks run with each layer `release` deletes, once it is gone
    #: (the runtime drops what it caches for the layer).
    on_delete: list = attrs.field(factory=list, init=False, repr=False)

    @classmethod
    def load(cls, store: Store) -> "LayerStore":
        """Reload every ``layers/*.json`` document from ``store``.  Documents
        whose blob is missing or that cannot be read are dropped."""
        ls = cls(store)
        for key in store.keys(_PREFIX):
            doc = store.get_json(key)
            if not isinstance(doc, dict) or not store.has_blob(doc.get("diff_id", "")):
                continue
            size = doc.get("diff_size")
            if size is None:  # written when the size was the tar's length
                size = diff_size(store.get_blob(doc["diff_id"]))
            layer = Layer(doc["chain_id"], doc["diff_id"], doc.get("parent"), int(size), int(doc["refcount"]))
            ls._layers[layer.chain_id] = layer
        return ls

    # -- queries ---------------------------------------------------------------

    def get(self, chain_id: str) -> Layer:
        """The layer (no reference taken).  Raises LayerNotFound."""
        try:
            return self._layers[chain_id]
        except KeyError:
            raise LayerNotFound(chain_id) from None

    def has(self, chain_id: str) -> bool:
        return chain_id in self._layers

    def __contains__(self, chain_id: str) -> bool:
        return chain_id in self._layers

    def __len__(self) -> int:
        return len(self._layers)

    def layers(self) -> "list[Layer]":
        return sorted(self._layers.values(), key=lambda l: l.chain_id)

    def chain(self, chain_id: str) -> "list[Layer]":
        """The layer and its ancestors, base first."""
        out = []
        cur: "str | None" = chain_id
        while cur is not None:
            layer = self.get(cur)
            out.append(layer)
            cur = layer.parent
        out.reverse()
        return out

    def chain_size(self, chain_id: str) -> int:
        """The sizes of a layer and its ancestors (an image's Size; moby's
        ``Layer.Size``)."""
        return sum(l.size for l in self.chain(chain_id))

    def tar(self, diff_id: str) -> bytes:
        """The uncompressed tar of any layer with this diff id."""
        try:
            return self.store.get_blob(diff_id)
        except KeyError:
            raise LayerNotFound(diff_id) from None

    @staticmethod
    def chain_ids(diff_ids: Iterable[str]) -> "list[str]":
        """The chain ids of a rootfs's diff ids (``RootFS.ChainID`` for each
        prefix)."""
        out: "list[str]" = []
        parent = None
        for d in diff_ids:
            parent = compute_chain_id(parent, d)
            out.append(parent)
        return out

    # -- references --------------------------------------------------------------

    def register(self, tar_bytes: bytes, parent_chain_id: "str | None" = None, *,
                 diff_id: "str | None" = None) -> Layer:
        """Register a layer tar on top of ``parent_chain_id`` and return it
        with one more reference.  Registering an existing (parent, diff)
        pair returns the existing layer.

        Preconditions: the parent, if given, is registered; ``diff_id``,
        when given, is the tar's sha256 (a caller that already hashed the
        tar to check it passes it, so it is not hashed again).
        """
        if parent_chain_id is not None:
            parent = self.get(parent_chain_id)
        if diff_id is None:
            diff_id = sha256_digest(tar_bytes)
        cid = compute_chain_id(parent_chain_id, diff_id)
        layer = self._layers.get(cid)
        if layer is not None:
            layer.refcount += 1
            self._save(layer)
            return layer
        self.store.put_blob(tar_bytes)
        layer = Layer(cid, diff_id, parent_chain_id, diff_size(tar_bytes), 1)
        if parent_chain_id is not None:
            parent.refcount += 1
            self._save(parent)
        self._layers[cid] = layer
        self._save(layer)
        return layer

    def acquire(self, chain_id: str) -> Layer:
        """One more reference on an existing layer (moby ``Get``)."""
        layer = self.get(chain_id)
        layer.refcount += 1
        self._save(layer)
        return layer

    def release(self, chain_id: str) -> "list[Layer]":
        """Drop one reference; delete the layer when none remain, then walk
        to its parent.  Returns the deleted layers, top first (dockerd
        reports their chain ids as ``{"Deleted": …}``)."""
        deleted: "list[Layer]" = []
        cur: "str | None" = chain_id
        while cur is not None:
            layer = self.get(cur)
            layer.refcount -= 1
            if layer.refcount > 0:
                self._save(layer)
                break
            del self._layers[cur]
            self.store.delete(_key(cur))
            if not any(l.diff_id == layer.diff_id for l in self._layers.values()):
                self.store.delete_blob(layer.diff_id)
            deleted.append(layer)
            for callback in list(self.on_delete):
                callback(layer)
            cur = layer.parent
        return deleted

    def _save(self, layer: Layer) -> None:
        self.store.put_json(_key(layer.chain_id), layer.to_json())
