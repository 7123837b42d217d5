"""``docker pull``: fetch an image from the hub into the layer and image
stores, as a stream of `Progress` events shaped like dockerd's.

The stream for a fresh pull of ``busybox``::

    latest: Pulling from library/busybox            (id = tag or digest)
    <layer12>: Pulling fs layer                     (one per missing layer)
    <layer12>: Already exists                       (leading layers the store has)
    <layer12>: Waiting                              (queued behind 3 downloads)
    <layer12>: Downloading   [==>   ] 1.024kB/2.155kB   (a few steps)
    <layer12>: Verifying Checksum
    <layer12>: Download complete
    <layer12>: Extracting    [==>   ] …             (in layer order)
    <layer12>: Pull complete
    Digest: sha256:<manifest digest>
    Status: Downloaded newer image for busybox:latest   (or "Image is up to date for …")

As in moby's ``LayerDownloadManager``, only the *leading* layers already
in the store report "Already exists"; once one is missing, the rest are
downloaded (and deduplicated when registered).  When the image config is
already stored, no layer is touched at all.

Errors: lookup errors (RepositoryNotFound, ManifestUnknown,
RegistryUnavailable, InvalidReference) are raised by the first ``next()``,
before any event, so the caller can answer with an HTTP status; later
errors are raised mid-stream and belong in-band.
"""

import json
import math
from typing import Callable, Iterator

from ..clock import Clock
from ..ids import chain_id as compute_chain_id
from ..ids import sha256_digest
from . import reference as refmod
from .errors import ImageError
from .hub import Descriptor, Hub
from .image_store import ImageStore
from .layer_store import LayerStore
from .progress import Progress
from .reference import Reference
from .v2metadata import V2Metadata, V2MetadataService

#: moby's default ``max-concurrent-downloads``.
MAX_CONCURRENT_DOWNLOADS = 3


class LayerVerificationFailed(ImageError):
    """A blob whose content does not match its digest."""

    status_hint = 500
    kind = "system"

    def __init__(self, digest: str):
        super().__init__(f"filesystem layer verification failed for digest {digest}")


def _steps(total: int) -> "list[int]":
    """The byte counts the Downloading/Extracting updates report."""
    n = 3 if total >= 3 * 512 else 1
    return [math.ceil(total * k / n) for k in range(1, n + 1)]


def layer_id(digest: str) -> str:
    """The id a layer has in progress messages: 12 hex of its digest."""
    return digest.split(":", 1)[1][:12]


def pull(ref: "Reference | str", hub: Hub, layer_store: LayerStore, image_store: ImageStore,
         clock: Clock, metadata: V2MetadataService, *, os: str = "linux") -> Iterator[Progress]:
    """Pull ``ref`` (a bare name means ``:latest``), yielding the events.

    Postconditions: the layers are registered, the config stored as an
    image, the tag (if any) points at it and its repo digest
    (``busybox@sha256:…``) is recorded.  The pull itself holds no layer
    reference afterwards.  As each layer is registered (or found
    already there), ``metadata`` records where it came from (moby's
    ``Registered`` hook), so a pull that stops midway keeps what it
    recorded and a later push can mount those layers.  ``os`` is the
    operating system asked for: anything but linux fails (moby's
    ``image.CheckOS`` of the layer store's OS) once the image is known not
    to be here yet.
    """
    if isinstance(ref, str):
        ref = refmod.parse(ref)
    ref = ref.with_default_tag()
    manifest = hub.lookup(ref)  # raises before the first event
    # moby names the repository by its path in the registry: library/busybox
    yield Progress.message(f"Pulling from {ref.path}", id=ref.tag_or_digest)

    config_digest = manifest.config.digest
    if config_digest in image_store:
        image_id = config_digest
    else:
        if os.lower() != "linux":
            raise ImageError("operating system is not supported")
        config_bytes = hub.get_blob(config_digest)
        if sha256_digest(config_bytes) != config_digest:
            raise LayerVerificationFailed(config_digest)
        diff_ids = (json.loads(config_bytes).get("rootfs") or {}).get("diff_ids") or []
        if list(diff_ids) != [d.digest for d in manifest.layers]:
            raise ImageError("layers from manifest don't match image configuration")
        top = None  # chain id this pull holds a reference on
        try:
            def registered(d: Descriptor) -> None:
                # the hub's layers are uncompressed: a blob's digest is its DiffID
                metadata.add(d.digest, V2Metadata(d.digest, ref.name))

            top = yield from _fetch_layers(manifest.layers, hub, layer_store, registered)
            image_id = image_store.create(config_bytes).id
        finally:
            if top is not None:
                layer_store.release(top)

    updated = True
    if ref.digest is None:
        updated = image_store.resolve_tag(ref) != image_id
        if updated:
            image_store.tag(image_id, ref, touch=False)
        image_store.add_digest(image_id, ref, manifest.digest)
    else:
        updated = image_store.get_by_ref(ref) is None
        image_store.add_digest(image_id, ref, manifest.digest)

    yield Progress.message(f"Digest: {manifest.digest}")
    shown = ref.familiar_string
    if updated:
        yield Progress.message(f"Status: Downloaded newer image for {shown}")
    else:
        yield Progress.message(f"Status: Image is up to date for {shown}")


def _fetch_layers(layers: "list[Descriptor]", hub: Hub, layer_store: LayerStore,
                  registered: "Callable[[Descriptor], None]"):
    """Download and register the layers (a sub-generator of `pull`),
    calling ``registered`` for each one the store has (found or new).
    Returns the chain id of the top layer, on which the caller then holds
    one reference (None for an image without layers)."""
    top: "str | None" = None
    i = 0
    # Leading layers already present: "Already exists".
    while i < len(layers):
        cid = compute_chain_id(top, layers[i].digest)
        if cid not in layer_store:
            break
        layer_store.acquire(cid)
        if top is not None:
            layer_store.release(top)
        top = cid
        registered(layers[i])
        yield Progress(layer_id(layers[i].digest), "Already exists")
        i += 1
    missing = layers[i:]
    for d in missing:
        yield Progress(layer_id(d.digest), "Pulling fs layer")
    for d in missing[MAX_CONCURRENT_DOWNLOADS:]:
        yield Progress(layer_id(d.digest), "Waiting")

    queue = list(range(len(missing)))  # indexes not yet started
    active: "list[list]" = []  # [index, step position]
    downloaded: "dict[int, bytes]" = {}
    next_extract = 0

    def start_more() -> None:
        while queue and len(active) < MAX_CONCURRENT_DOWNLOADS:
            active.append([queue.pop(0), 0])

    try:
        start_more()
        while active or next_extract < len(missing):
            for slot in list(active):
                idx, pos = slot
                d = missing[idx]
                steps = _steps(d.size)
                yield Progress(layer_id(d.digest), "Downloading", steps[pos], d.size)
                slot[1] += 1
                if slot[1] == len(steps):
                    data = hub.get_blob(d.digest)
                    yield Progress(layer_id(d.digest), "Verifying Checksum")
                    if sha256_digest(data) != d.digest:
                        raise LayerVerificationFailed(d.digest)
                    yield Progress(layer_id(d.digest), "Download complete")
                    downloaded[idx] = data
                    active.remove(slot)
            start_more()
            while next_extract in downloaded:
                d = missing[next_extract]
                data = downloaded.pop(next_extract)
                for cur in _steps(len(data)):
                    yield Progress(layer_id(d.digest), "Extracting", cur, len(data))
                layer = layer_store.register(data, top, diff_id=d.digest)  # verified above
                if top is not None:
                    layer_store.release(top)
                top = layer.chain_id
                registered(d)
                yield Progress(layer_id(d.digest), "Pull complete")
                next_extract += 1
    except BaseException:
        if top is not None:
            layer_store.release(top)
        raise
    return top
