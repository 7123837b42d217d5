"""``docker push``: send an image's layers, config and manifest to the
hub, as a stream of `Progress` events shaped like dockerd's
(moby's ``distribution/push_v2.go`` and ``distribution/xfer/upload.go``).

The stream of ``docker push museopkim/kubia`` (tag ``latest``)::

    The push refers to repository [docker.io/museopkim/kubia]
    <layer12>: Preparing                      (one per layer, top layer first)
    <layer12>: Waiting                        (layers beyond 5 concurrent uploads)
    <layer12>: Pushing  [==>  ] 32.77kB/65.02kB   (uploads, with progressDetail)
    <layer12>: Pushed
    <layer12>: Layer already exists           (the repository has the blob)
    <layer12>: Mounted from library/busybox   (linked from another repository)
    latest: digest: sha256:<manifest digest> size: 527
    {"progressDetail":{},"aux":{"Tag":"latest","Digest":"sha256:…","Size":527}}

Each layer goes through moby's steps in order: a layer this push already
sent is "Layer already exists" at once; a layer with V2 metadata (a
pull or an earlier push recorded where it lives) is first looked up in
the target repository; then it is mounted from another repository of
the same registry where the metadata says it is (1 attempt for a small
layer, 3 for a middle one, 4 for a big one); then, for big layers, more
existence checks; else it is uploaded.  Every outcome is recorded as
metadata for the next push.  Without a tag every tag of the repository
is pushed, in the order of their fully qualified names.

Errors: the first event is always "The push refers to repository", so
every error here belongs in-band: ``An image does not exist locally with
the tag: museopkim/kubia`` (the repository has no local reference),
``tag does not exist: museopkim/kubia:v2``, ``denied: requested access
to the resource is denied`` (no push access: no credentials, the
``library`` namespace, another user's), ``unauthorized: incorrect
username or password`` (wrong password; raised by the first registry
call that needs a token, after the Preparing lines).

The simulated hub keeps layers uncompressed (as its catalog does), so a
pushed layer's blob digest is its DiffID and the manifest, a Docker
schema 2 manifest, names ``application/vnd.docker.image.rootfs.diff.tar``
layers where dockerd would gzip them (``…tar.gzip``).
"""

import json
from typing import Iterator

import attrs

from ..ids import sha256_digest
from . import reference as refmod
from .errors import AccessDenied, ImageError, IncorrectCredentials, PushError, RegistryUnavailable
from .hub import Hub, Registry
from .image_store import ImageStore
from .layer_store import LayerStore
from .progress import Progress
from .reference import DEFAULT_DOMAIN, Reference
from .v2metadata import V2Metadata, V2MetadataService, check_hmac, hmac_key

#: moby's default ``max-concurrent-uploads``.
MAX_CONCURRENT_UPLOADS = 5
#: Layer sizes that decide how hard a push tries to avoid an upload.
SMALL_LAYER_MAX = 100 * 1024
MIDDLE_LAYER_MAX = 10 * 1024 * 1024
#: The buffer ``io.Copy`` reads a layer with (what one progress step covers).
READ_CHUNK = 32 * 1024

MEDIA_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
MEDIA_CONFIG = "application/vnd.docker.container.image.v1+json"
MEDIA_LAYER = "application/vnd.docker.image.rootfs.diff.tar"


@attrs.frozen
class Credentials:
    """What ``X-Registry-Auth`` carried (moby's ``registry.AuthConfig``)."""

    username: str = ""
    password: str = attrs.field(default="", repr=False)
    auth: str = attrs.field(default="", repr=False)
    identity_token: str = attrs.field(default="", repr=False)
    registry_token: str = attrs.field(default="", repr=False)

    @property
    def has_auth_info(self) -> bool:
        return bool(self.registry_token) or bool(self.username and self.password)

    def hmac_key(self) -> bytes:
        return hmac_key(self.username, self.password, self.auth, self.identity_token,
                        self.registry_token)


@attrs.frozen
class BlobDescriptor:
    """A blob as a manifest names it."""

    media_type: str
    digest: str
    size: int

    def to_json(self) -> dict:
        # Go's field order in distribution.Descriptor: mediaType, size, digest
        return {"mediaType": self.media_type, "size": self.size, "digest": self.digest}


def schema2_manifest(config_bytes: bytes, layers: "list[BlobDescriptor]") -> bytes:
    """The Docker schema 2 manifest dockerd builds for a push, byte for
    byte as distribution serialises it (``json.MarshalIndent`` with three
    spaces)."""
    doc = {
        "schemaVersion": 2,
        "mediaType": MEDIA_MANIFEST,
        "config": BlobDescriptor(MEDIA_CONFIG, sha256_digest(config_bytes), len(config_bytes)).to_json(),
        "layers": [layer.to_json() for layer in layers],
    }
    return json.dumps(doc, indent=3, separators=(",", ": "), ensure_ascii=False).encode()


def progress_steps(size: int) -> "list[int]":
    """The byte counts a layer's "Pushing" updates report: the first
    buffer read, then the whole layer (moby's progress reader is rate
    limited to one update per 100ms, but always reports completion)."""
    if size <= READ_CHUNK:
        return [size]
    return [READ_CHUNK, size]


def layer_attempts(size: int) -> "tuple[int, int, bool]":
    """``getMaxMountAndExistenceCheckAttempts``: (mount attempts, existence
    checks, whether existence checks may use other repositories' digests)."""
    if size > MIDDLE_LAYER_MAX:
        return 4, 3, True
    if size > SMALL_LAYER_MAX:
        return 3, 1, False
    return 1, 1, False


def _matching_components(path: str, components: "list[str]") -> int:
    n = 0
    for mine, theirs in zip(path.split("/"), components):
        if mine != theirs:
            break
        n += 1
    return n


def sort_by_likeness_and_age(repo_name: str, key: bytes, entries: "list[V2Metadata]") -> "list[V2Metadata]":
    """``sortV2MetadataByLikenessAndAge``: newest first, then (stable)
    entries tagged with the same credentials first, then those sharing
    more leading path components with the target repository."""
    components = repo_name.split("/")
    newest_first = list(reversed(entries))
    return sorted(newest_first, key=lambda m: (not check_hmac(m, key),
                                               -_matching_components(m.source_repository, components)))


def mount_candidates(repo: Reference, key: bytes, limit: int,
                     entries: "list[V2Metadata]") -> "list[V2Metadata]":
    """``getRepositoryMountCandidates``: entries of the same registry but
    another repository, best first, at most ``limit``."""
    out = []
    for meta in entries:
        try:
            source = refmod.parse(meta.source_repository)
        except ImageError:
            continue
        if source.domain != repo.domain or meta.source_repository == repo.name:
            continue
        out.append(meta)
    out = sort_by_likeness_and_age(repo.name, key, out)
    return out[:limit] if limit >= 0 else out


def push(ref: "Reference | str", hub: Hub, layer_store: LayerStore, image_store: ImageStore,
         metadata: V2MetadataService, credentials: Credentials = Credentials()) -> Iterator[Progress]:
    """Push ``ref``: one tag (``museopkim/kubia:latest``), or every tag of
    the repository when ``ref`` is a bare name.

    Postconditions: the hub's repository holds the blobs and a manifest
    per pushed tag; each pushed image has the repo digest
    ``museopkim/kubia@sha256:…``; the V2 metadata knows where each layer
    now is.
    """
    if isinstance(ref, str):
        ref = refmod.parse(ref)
    repo = ref.repository()
    yield Progress.message(f"The push refers to repository [{repo.name}]")
    associations = image_store.references_by_name(repo)
    if not associations:
        raise PushError(f"An image does not exist locally with the tag: {repo.familiar}")
    if repo.domain != DEFAULT_DOMAIN:
        raise RegistryUnavailable(repo.domain)
    session = hub.registry(credentials.username, credentials.password)
    pusher = _Pusher(repo, session, layer_store, image_store, metadata, credentials)
    if ref.tag is not None:
        image_id = image_store.resolve_tag(ref)
        if image_id is None:
            raise PushError(f"tag does not exist: {ref.familiar_string}")
        yield from pusher.push_tag(ref, image_id)
        return
    if ref.digest is not None:
        raise PushError("cannot push a digest reference")
    pushed = 0
    for tagged, image_id in associations:
        if tagged.tag is not None and tagged.digest is None:
            pushed += 1
            yield from pusher.push_tag(tagged, image_id)
    if pushed == 0:
        raise PushError(f"no tags to push for {repo.familiar}")


@attrs.define(eq=False)
class _Transfer:
    """One layer's upload (deduplicated by DiffID within a push)."""

    diff_id: str
    size: int
    steps: Iterator[Progress]

    @property
    def id(self) -> str:
        return self.diff_id.split(":", 1)[1][:12]


@attrs.define(eq=False)
class _Pusher:
    """One push to one repository (moby's ``pusher`` and its
    ``pushState``)."""

    repo: Reference
    registry: Registry
    layer_store: LayerStore
    image_store: ImageStore
    metadata: V2MetadataService
    credentials: Credentials
    #: DiffID -> descriptor of layers known to be in the target repository
    remote_layers: "dict[str, BlobDescriptor]" = attrs.field(factory=dict)

    @property
    def key(self) -> bytes:
        return self.credentials.hmac_key()

    # -- one tag ---------------------------------------------------------------

    def push_tag(self, ref: Reference, image_id: str) -> Iterator[Progress]:
        img = self.image_store.get(image_id)
        sizes = {layer.diff_id: layer.size
                 for layer in (self.layer_store.chain(img.top_chain_id) if img.top_chain_id else [])}
        top_first = list(reversed(img.diff_ids))
        yield from self._upload_all(top_first, sizes)
        layers = [self.remote_layers[d] for d in img.diff_ids]
        manifest = schema2_manifest(img.config_bytes, layers)
        path = self.repo.path
        if not self.registry.stat_blob(path, img.id):
            self.registry.upload_blob(path, img.config_bytes)
        digest = self.registry.put_manifest(path, ref.tag, manifest)
        yield Progress.message(f"{ref.tag}: digest: {digest} size: {len(manifest)}")
        self.image_store.add_digest(image_id, ref, digest)
        yield Progress.auxiliary({"Tag": ref.tag, "Digest": digest, "Size": len(manifest)})

    def _upload_all(self, diff_ids: "list[str]", sizes: "dict[str, int]") -> Iterator[Progress]:
        """moby's ``LayerUploadManager.Upload``: "Preparing" for every
        layer, at most `MAX_CONCURRENT_UPLOADS` transfers at a time (the
        others "Waiting"), their events interleaved one each in turn."""
        transfers: "list[_Transfer]" = []
        seen = set()
        for diff_id in diff_ids:
            yield Progress(diff_id.split(":", 1)[1][:12], "Preparing")
            if diff_id in seen:
                continue
            seen.add(diff_id)
            transfers.append(_Transfer(diff_id, sizes[diff_id], self._upload(diff_id, sizes[diff_id])))
        waiting = transfers[MAX_CONCURRENT_UPLOADS:]
        active = transfers[:MAX_CONCURRENT_UPLOADS]
        for t in waiting:
            yield Progress(t.id, "Waiting")
        while active:
            for t in list(active):
                event = next(t.steps, None)
                if event is not None:
                    yield event
                    continue
                active.remove(t)
                if waiting:
                    active.append(waiting.pop(0))

    # -- one layer -------------------------------------------------------------

    def _upload(self, diff_id: str, size: int) -> Iterator[Progress]:
        """``pushDescriptor.Upload``: a generator of the layer's events;
        on success `remote_layers` has the layer."""
        lid = diff_id.split(":", 1)[1][:12]
        if diff_id in self.remote_layers:
            yield Progress(lid, "Layer already exists")
            return
        max_mounts, max_checks, check_other = layer_attempts(size)
        entries = self.metadata.get(diff_id)
        checked: "set[str]" = set()
        if entries:
            found = self._already_exists(diff_id, True, 1, entries, checked)
            if found:
                yield Progress(lid, "Layer already exists")
                return
        for candidate in mount_candidates(self.repo, self.key, max_mounts, entries):
            source = refmod.parse(candidate.source_repository).path
            unauthorized = False
            try:
                mounted = self.registry.mount_blob(self.repo.path, source, candidate.digest)
            except (AccessDenied, IncorrectCredentials):
                mounted, unauthorized = False, True
            if mounted:
                yield Progress(lid, f"Mounted from {source}")
                self._known(diff_id, candidate.digest, self._blob_size(diff_id))
                return
            if ((not unauthorized or self.credentials.has_auth_info)
                    and (check_hmac(candidate, self.key) or not candidate.hmac)):
                self.metadata.remove(candidate)
        if max_checks - len(checked) > 0:
            found = self._already_exists(diff_id, check_other, max_checks - len(checked),
                                         entries, checked)
            if found:
                yield Progress(lid, "Layer already exists")
                return
        self.registry.start_upload(self.repo.path)
        data = self.layer_store.tar(diff_id)
        for current in progress_steps(len(data)):
            yield Progress(lid, "Pushing", current, size)
        digest = self.registry.upload_blob(self.repo.path, data)
        yield Progress(lid, "Pushed")
        self._known(diff_id, digest, len(data))

    def _blob_size(self, diff_id: str) -> int:
        """The byte length of the layer's blob in the registry (what its
        descriptor says after a stat or a mount): the hub keeps layers
        uncompressed, so it is the local tar's length."""
        return len(self.layer_store.tar(diff_id))

    def _known(self, diff_id: str, digest: str, size: int) -> None:
        self.metadata.tag_and_add(diff_id, self.key, digest, self.repo.name)
        self.remote_layers[diff_id] = BlobDescriptor(MEDIA_LAYER, digest, size)

    def _already_exists(self, diff_id: str, check_other: bool, max_checks: int,
                        entries: "list[V2Metadata]", checked: "set[str]") -> bool:
        """``layerAlreadyExists``: stat the target repository for the
        digests the metadata knows (best candidates first); True when one
        is there (the layer is then recorded as known)."""
        name = self.repo.name
        candidates = [m for m in entries
                      if check_other or not m.source_repository or m.source_repository == name]
        candidates = sort_by_likeness_and_age(name, self.key, candidates)
        best: "dict[str, V2Metadata]" = {}
        for meta in candidates:
            if len(best) >= max_checks:
                break
            if meta.digest in best or meta.digest in checked:
                continue
            best[meta.digest] = meta
        for digest, meta in best.items():
            try:
                exists = self.registry.stat_blob(self.repo.path, digest)
            except (AccessDenied, IncorrectCredentials):
                checked.add(digest)
                continue
            checked.add(digest)
            if exists:
                if meta.source_repository != name or not check_hmac(meta, self.key):
                    self.metadata.tag_and_add(diff_id, self.key, digest, name)
                self.remote_layers[diff_id] = BlobDescriptor(MEDIA_LAYER, digest,
                                                             self._blob_size(diff_id))
                return True
            if meta.source_repository == name:
                self.metadata.remove(meta)
        return False
