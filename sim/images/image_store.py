"""The image store (moby's ``image.Store`` plus its ``reference.Store``).

An image is its config: the OCI/Docker image config JSON (architecture,
os, created, author, config{Env, Cmd, Entrypoint, WorkingDir, User, Labels,
ExposedPorts, Volumes, StopSignal}, rootfs{type: "layers", diff_ids},
history[…]), and its id is ``sha256`` of the exact config bytes.  The
store adds what is not in the config: the parent id (build intermediates),
the last tag time, and the references pointing at each image:

- tags: ``busybox:latest`` (familiar strings of tagged references), and
- repo digests: ``busybox@sha256:<manifest digest>`` (canonical references).

Each image holds one layer-store reference on its top layer (the chain id
of its last diff id), taken by `create` and dropped when it is deleted.

Store keys (owned by this module):
    blob ``<image id>``            the config bytes
    ``images/<hex>.json``          {"id", "parent", "last_tag_time", "created_at"}
    ``repositories.json``          {"Repositories": {familiar name: {familiar ref: image id}}}
                                   (moby's layout; tags and digests both)
"""

import datetime
import json
from typing import Callable, Iterable

import attrs

from ..clock import Clock
from ..ids import sha256_digest
from ..store import Store
from . import reference as refmod
from .errors import ImageConflict, ImageNotFound, InvalidReference, LayerNotFound
from .layer_store import LayerStore
from .reference import IdReference, Reference

_IMAGES = "images"
_REPOSITORIES = "repositories.json"


def canonical_json(obj) -> bytes:
    """The bytes the sim writes for an image config or manifest it builds:
    sorted keys, no spaces.  (Configs from elsewhere keep their own bytes.)"""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def short_id(image_id: str) -> str:
    """``stringid.TruncateID``: 12 hex, without ``sha256:``."""
    return image_id.split(":", 1)[-1][:12]


def parse_created(text: str) -> float:
    """RFC 3339 (with optional fractional seconds) -> epoch seconds."""
    if not text:
        return 0.0
    t = text.replace("Z", "+00:00")
    if "." in t:
        head, _, rest = t.partition(".")
        frac = ""
        i = 0
        while i < len(rest) and rest[i].isdigit():
            frac += rest[i]
            i += 1
        t = head + "." + (frac[:6].ljust(6, "0")) + rest[i:]
    try:
        return datetime.datetime.fromisoformat(t).timestamp()
    except ValueError:
        return 0.0


@attrs.frozen
class ContainerUse:
    """A container that uses an image, as `ImageStore.delete` needs to
    know it (the containers live elsewhere)."""

    id: str  # 64-hex container id
    running: bool
    #: It only mounts the image (``--mount type=image``): that keeps a
    #: name from being untagged without force, but is no delete conflict
    #: (moby's ImageDelete ``using`` against checkImageDeleteConflict).
    mounted_only: bool = False


@attrs.define(eq=False)
class Image:
    """One image.  ``id``, ``config_bytes`` and ``config`` are immutable;
    ``parent`` and ``last_tag_time`` are mutated only by the ImageStore."""

    id: str  # "sha256:<hex>" = sha256(config_bytes)
    config_bytes: bytes = attrs.field(repr=False)
    config: dict = attrs.field(repr=False)  # parsed config_bytes
    parent: "str | None" = None  # parent image id (builder intermediates)
    last_tag_time: "float | None" = None  # epoch seconds, Metadata.LastTagTime
    created_at: float = 0.0  # when this daemon stored it (epoch seconds)

    @property
    def short_id(self) -> str:
        return short_id(self.id)

    @property
    def diff_ids(self) -> "list[str]":
        return list((self.config.get("rootfs") or {}).get("diff_ids") or [])

    @property
    def chain_ids(self) -> "list[str]":
        return LayerStore.chain_ids(self.diff_ids)

    @property
    def top_chain_id(self) -> "str | None":
        ids = self.chain_ids
        return ids[-1] if ids else None

    @property
    def container_config(self) -> dict:
        """The ``config`` section (Env, Cmd, Entrypoint, …), never None."""
        return dict(self.config.get("config") or {})

    @property
    def created(self) -> str:
        """The config's RFC 3339 creation time."""
        return self.config.get("created") or "0001-01-01T00:00:00Z"

    @property
    def created_unix(self) -> int:
        return int(parse_created(self.config.get("created", "")))

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "parent": self.parent,
            "last_tag_time": self.last_tag_time,
            "created_at": self.created_at,
        }


ContainersUsing = Callable[[str], "Iterable[ContainerUse]"]


def _no_containers(_image_id: str) -> "list[ContainerUse]":
    return []


@attrs.define(eq=False)
class ImageStore:
    """Images by id, and the references (tags, digests) naming them.

    Invariant: every reference names an image in ``_images``; every image
    holds exactly one reference on its top layer in ``layers`` (none when
    it has no layers).
    """

    store: Store
    layers: LayerStore
    clock: Clock
    _images: "dict[str, Image]" = attrs.field(factory=dict, alias="images")  # id -> image
    # familiar ref string ("busybox:latest", "busybox@sha256:…") -> image id
    _refs: "dict[str, str]" = attrs.field(factory=dict, alias="refs")

    # -- persistence -------------------------------------------------------------

    @classmethod
    def load(cls, store: Store, layers: LayerStore, clock: Clock) -> "ImageStore":
        """Reload images and references.  An image whose config blob or top
        layer is missing is dropped, with the references to it."""
        s = cls(store, layers, clock)
        for key in store.keys(_IMAGES):
            doc = store.get_json(key)
            if not isinstance(doc, dict) or "id" not in doc:
                continue
            try:
                data = store.get_blob(doc["id"])
            except KeyError:
                continue
            img = Image(doc["id"], data, json.loads(data), doc.get("parent"),
                        doc.get("last_tag_time"), doc.get("created_at") or 0.0)
            if img.top_chain_id is not None and img.top_chain_id not in layers:
                continue
            s._images[img.id] = img
        repos = store.get_json(_REPOSITORIES) or {}
        for refs in (repos.get("Repositories") or {}).values():
            for ref, image_id in refs.items():
                if image_id in s._images:
                    s._refs[ref] = image_id
        return s

    def _save_image(self, img: Image) -> None:
        self.store.put_json(f"{_IMAGES}/{img.id.split(':', 1)[1]}.json", img.to_json())

    def _save_refs(self) -> None:
        repos: "dict[str, dict[str, str]]" = {}
        for ref, image_id in sorted(self._refs.items()):
            repos.setdefault(_repo_of(ref), {})[ref] = image_id
        self.store.put_json(_REPOSITORIES, {"Repositories": repos})

    # -- create ---------------------------------------------------------------------

    def create(self, config_bytes: bytes, parent: "str | None" = None) -> Image:
        """Store an image config and return the image (id = sha256 of the
        bytes).  An image already stored is returned as is.

        Preconditions: the layers of ``rootfs.diff_ids`` are registered in
        ``layers`` (the caller holds its own references on them, which it
        may release afterwards).  Raises LayerNotFound otherwise.
        """
        image_id = sha256_digest(config_bytes)
        img = self._images.get(image_id)
        if img is not None:
            return img
        config = json.loads(config_bytes)
        img = Image(image_id, bytes(config_bytes), config, parent, None, self.clock.now())
        top = img.top_chain_id
        if top is not None:
            if top not in self.layers:
                raise LayerNotFound(top)
            self.layers.acquire(top)
        self.store.put_blob(config_bytes)
        self._images[image_id] = img
        self._save_image(img)
        return img

    def set_parent(self, image_id: str, parent: "str | None") -> None:
        img = self.get(image_id)
        img.parent = parent
        self._save_image(img)

    # -- lookups ----------------------------------------------------------------------

    def __contains__(self, image_id: str) -> bool:
        return image_id in self._images

    def __len__(self) -> int:
        return len(self._images)

    def get(self, image_id: str) -> Image:
        """By full id (``sha256:<hex>``).  Raises ImageNotFound."""
        img = self._images.get(image_id)
        if img is None:
            raise ImageNotFound(image_id)
        return img

    def get_by_ref(self, ref: Reference) -> "Image | None":
        """The image a name reference points at (a bare name means
        ``:latest``; a reference with a digest is looked up by digest)."""
        if ref.digest is not None:
            image_id = self._refs.get(f"{ref.familiar}@{ref.digest}")
        else:
            image_id = self._refs.get(ref.with_default_tag().familiar_string)
        return self._images.get(image_id) if image_id else None

    def search(self, prefix: str) -> "Image | None":
        """The one image whose id starts with ``prefix`` (hex, with or
        without ``sha256:``); None when none or several match."""
        hexpart = prefix[len("sha256:"):] if prefix.startswith("sha256:") else prefix
        if not refmod.is_short_id(prefix):
            return None
        found = [img for iid, img in self._images.items() if iid[7:].startswith(hexpart)]
        return found[0] if len(found) == 1 else None

    def lookup(self, ref_or_id: str) -> Image:
        """moby's ``GetImage``: a full id (``sha256:…`` or 64 hex), then a
        name (``busybox``, ``busybox:1.36``, ``busybox@sha256:…``), then a
        unique id prefix.  Raises InvalidReference or ImageNotFound
        (``No such image: busybox:latest``)."""
        parsed = refmod.parse_any(ref_or_id)
        if isinstance(parsed, IdReference):
            img = self._images.get(parsed.digest)
            if img is None:
                raise ImageNotFound(parsed.digest)
            return img
        img = self.get_by_ref(parsed)
        if img is not None:
            return img
        img = self.search(ref_or_id)
        if img is not None:
            return img
        raise ImageNotFound(parsed.familiar_tagged)

    # -- references ----------------------------------------------------------------------

    def references(self, image_id: str) -> "list[str]":
        """Every reference to the image, tags and digests, sorted."""
        return sorted(r for r, i in self._refs.items() if i == image_id)

    def tags(self, image_id: str) -> "list[str]":
        """RepoTags: ``["busybox:1.37", "busybox:latest"]``."""
        return [r for r in self.references(image_id) if "@" not in r]

    def repo_digests(self, image_id: str) -> "list[str]":
        """RepoDigests: ``["busybox@sha256:<manifest digest>"]``."""
        return [r for r in self.references(image_id) if "@" in r]

    def references_by_name(self, name: Reference) -> "list[tuple[Reference, str]]":
        """moby's ``ReferencesByName``: every reference (tags and digests)
        in the repository ``name``, with the image each names, sorted by
        their fully qualified strings (``docker.io/u/bb:latest`` <
        ``docker.io/u/bb:v1`` < ``docker.io/u/bb@sha256:…``)."""
        familiar = name.familiar
        out = []
        for ref_text, image_id in self._refs.items():
            if _name_of(ref_text) != familiar:
                continue
            out.append((refmod.parse(ref_text), image_id))
        return sorted(out, key=lambda pair: str(pair[0]))

    def resolve_tag(self, ref: Reference) -> "str | None":
        """The image id a tag (or digest) reference names, if any."""
        img = self.get_by_ref(ref)
        return img.id if img else None

    def tag(self, image_id: str, ref: Reference, touch: bool = True) -> None:
        """Point ``ref`` (a tag; bare names get ``latest``) at the image.  A
        tag already on another image moves (that image may become
        dangling).  With ``touch`` (``docker tag``, ``build -t``) the
        image's LastTagTime becomes now; a pull tags without touching.

        Raises InvalidReference for a digest reference or a ``sha256`` name
        (moby's reference store refuses both)."""
        img = self.get(image_id)
        if ref.digest is not None:
            raise InvalidReference("refusing to create a tag with a digest reference")
        if ref.familiar == "sha256":
            raise InvalidReference("refusing to create an ambiguous tag using digest algorithm as name")
        self._refs[ref.with_default_tag().familiar_string] = img.id
        if touch:
            img.last_tag_time = self.clock.now()
            self._save_image(img)
        self._save_refs()

    def add_digest(self, image_id: str, ref: Reference, digest: str) -> None:
        """Record a repo digest (``busybox@sha256:…``) for the image."""
        img = self.get(image_id)
        self._refs[f"{ref.familiar}@{digest}"] = img.id
        self._save_refs()

    def untag(self, ref: Reference) -> str:
        """Remove one reference (tag or digest); returns the image id it
        named.  Raises ImageNotFound."""
        key = self._ref_key(ref)
        image_id = self._refs.pop(key, None)
        if image_id is None:
            raise ImageNotFound(ref.familiar_tagged)
        self._save_refs()
        return image_id

    @staticmethod
    def _ref_key(ref: Reference) -> str:
        if ref.digest is not None:
            return f"{ref.familiar}@{ref.digest}"
        return ref.with_default_tag().familiar_string

    # -- listing --------------------------------------------------------------------------

    def images(self) -> "list[Image]":
        """Every image, newest config first (then by id)."""
        return sorted(self._images.values(), key=lambda i: (-i.created_unix, i.id))

    def children(self, image_id: str) -> "list[Image]":
        return [i for i in self._images.values() if i.parent == image_id]

    def list(self, all: bool = False) -> "list[Image]":
        """What ``GET /images/json`` lists: every image, except untagged
        images that have children (build intermediates) unless ``all``."""
        out = []
        for img in self.images():
            if not all and not self.references(img.id) and self.children(img.id):
                continue
            out.append(img)
        return out

    def size(self, image_id: str) -> int:
        """Sum of the sizes of the image's layers."""
        top = self.get(image_id).top_chain_id
        return self.layers.chain_size(top) if top else 0

    # -- delete ---------------------------------------------------------------------------

    def delete(self, ref_or_id: str, force: bool = False, prune: bool = True,
               containers_using: ContainersUsing = _no_containers) -> "list[dict]":
        """``docker rmi``: moby's ``ImageDelete``.  Returns the records
        ``[{"Untagged": "busybox:latest"}, {"Untagged": "busybox@sha256:…"},
        {"Deleted": "sha256:<image id>"}, {"Deleted": "sha256:<chain id>"}, …]``.

        Given a name, the reference is removed first; if other references
        remain that is all (a name only untags).  Given an id (or unique
        prefix), all references go when they are one tag (plus digests) of
        one repository; several tags need ``force``.  Then the image is
        deleted unless a conflict stops it (see ImageConflict); with
        ``prune``, untagged parents follow quietly.
        """
        img = self.lookup(ref_or_id)
        image_id = img.id
        records: "list[dict]" = []
        repo_refs = self.references(image_id)
        users = list(containers_using(image_id))
        removed_repo_ref = False
        if not _is_id_prefix(image_id, ref_or_id):
            if not force and _is_single_reference(repo_refs) and users:
                raise ImageConflict(
                    f'conflict: unable to remove repository reference "{ref_or_id}" (must force) - '
                    f"container {users[0].id[:12]} is using its referenced image {short_id(image_id)}"
                )
            parsed = refmod.parse(ref_or_id)
            key = self._ref_key(parsed)
            if key not in self._refs:  # found by id prefix that is also a valid name
                raise ImageNotFound(parsed.familiar_tagged)
            del self._refs[key]
            records.append({"Untagged": key})
            repo_refs = self.references(image_id)
            if parsed.digest is None:
                name = parsed.familiar
                if not any(_name_of(r) == name and "@" not in r for r in repo_refs):
                    for r in list(repo_refs):
                        if "@" in r and _name_of(r) == name:
                            del self._refs[r]
                            records.append({"Untagged": r})
                    repo_refs = self.references(image_id)
            self._save_refs()
            if repo_refs:
                return records
            removed_repo_ref = True
        else:
            if _is_single_reference(repo_refs):
                conflict = self._conflict(image_id, users, hard=True, soft=not force, active_refs=False)
                if conflict:
                    raise conflict
                for r in repo_refs:
                    del self._refs[r]
                    records.append({"Untagged": r})
                self._save_refs()
        conflict = self._delete_helper(image_id, records, force, prune, removed_repo_ref, containers_using)
        if conflict is not None:
            raise conflict
        return records

    def _conflict(self, image_id: str, users: "list[ContainerUse]", hard: bool, soft: bool,
                  active_refs: bool = True) -> "ImageConflict | None":
        """moby ``checkImageDeleteConflict``.  ``hard``: dependent children,
        running containers; ``soft``: remaining references, stopped
        containers."""
        sid = short_id(image_id)
        users = [c for c in users if not c.mounted_only]
        if hard and self.children(image_id):
            return _conflict(sid, True, "image has dependent child images")
        if hard:
            for c in users:
                if c.running:
                    return _conflict(sid, True, f"image is being used by running container {c.id[:12]}", used=True)
        if soft and active_refs and self.references(image_id):
            return _conflict(sid, False, "image is referenced in multiple repositories")
        if soft:
            for c in users:
                if not c.running:
                    return _conflict(sid, False, f"image is being used by stopped container {c.id[:12]}", used=True)
        return None

    def _delete_helper(self, image_id: str, records: "list[dict]", force: bool, prune: bool,
                       quiet: bool, containers_using: ContainersUsing) -> "ImageConflict | None":
        """moby ``imageDeleteHelper``: returns the conflict to raise, or
        None (deleted, or quietly kept)."""
        users = list(containers_using(image_id))
        conflict = self._conflict(image_id, users, hard=True, soft=not force)
        if conflict is not None:
            if quiet and (self.references(image_id) or getattr(conflict, "used", False)):
                return None
            if quiet and self.children(image_id):
                return None
            return conflict
        img = self._images[image_id]
        parent = img.parent
        for r in self.references(image_id):
            del self._refs[r]
            records.append({"Untagged": r})
        self._save_refs()
        del self._images[image_id]
        self.store.delete(f"{_IMAGES}/{image_id.split(':', 1)[1]}.json")
        self.store.delete_blob(image_id)
        records.append({"Deleted": image_id})
        if img.top_chain_id is not None:
            for layer in self.layers.release(img.top_chain_id):
                records.append({"Deleted": layer.chain_id})
        if not prune or parent is None or parent not in self._images:
            return None
        return self._delete_helper(parent, records, False, True, True, containers_using)


def _conflict(sid: str, hard: bool, message: str, used: bool = False) -> ImageConflict:
    how = "cannot be forced" if hard else "must be forced"
    err = ImageConflict(f"conflict: unable to delete {sid} ({how}) - {message}")
    err.used = used
    return err


def _name_of(ref: str) -> str:
    """The familiar name of a stored reference string."""
    if "@" in ref:
        return ref.split("@", 1)[0]
    head, sep, tail = ref.rpartition(":")
    return head if sep and "/" not in tail else ref


def _repo_of(ref: str) -> str:
    return _name_of(ref)


def _is_id_prefix(image_id: str, text: str) -> bool:
    """moby ``isImageIDPrefix``."""
    return image_id.startswith(text) or image_id[len("sha256:"):].startswith(text)


def _is_single_reference(refs: "list[str]") -> bool:
    """moby ``isSingleReference``: at most one tag, and every reference in
    one repository."""
    if len(refs) <= 1:
        return len(refs) == 1
    single = None
    canonical_names = set()
    for r in refs:
        if "@" in r:
            canonical_names.add(_name_of(r))
        elif single is None:
            single = r
        else:
            return False
    if single is None:
        single = refs[0]
    return len(canonical_names) == 1 and _name_of(single) in canonical_names
