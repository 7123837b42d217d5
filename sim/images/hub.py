"""The simulated Docker Hub: a registry of repositories -> tags -> manifest
digests, with blobs (configs, layer tars, manifests) by digest.

Repositories come from two places: the built-in `catalog` (the official
``library/*`` images, generated on first use) and pushes (repositories
that users create, owned by a namespace).  Both are the same `Repository`
model; a built-in one is marked ``builtin`` and is materialised lazily,
the first time it is looked up.

Only the domain ``docker.io`` exists in the simulated world; any other
registry domain is unreachable (RegistryUnavailable).

Store keys (owned by this module; the hub is a separate "remote", so it
keeps its own blob space instead of the daemon's content store):
    ``hub/blobs/<hex>``              blob bytes (configs, layer tars, manifests)
    ``hub/repositories/<path>.json`` {"path", "owner", "private", "builtin",
                                      "catalog_version", "tags": {tag: digest}}
"""

import json

import attrs

from ..ids import sha256_digest
from ..store import Store
from . import catalog
from .errors import BlobUnknown, ManifestUnknown, RegistryUnavailable, RepositoryNotFound
from .reference import DEFAULT_DOMAIN, Reference

_BLOBS = "hub/blobs"
_REPOS = "hub/repositories"


@attrs.frozen
class Descriptor:
    """An OCI content descriptor."""

    media_type: str
    digest: str
    size: int


@attrs.frozen
class Manifest:
    """A manifest as served: its exact bytes and what they say.

    Invariant: ``digest == sha256(raw)``."""

    digest: str
    raw: bytes = attrs.field(repr=False)

    @property
    def doc(self) -> dict:
        return json.loads(self.raw)

    @property
    def config(self) -> Descriptor:
        c = self.doc["config"]
        return Descriptor(c["mediaType"], c["digest"], int(c["size"]))

    @property
    def layers(self) -> "list[Descriptor]":
        return [Descriptor(d["mediaType"], d["digest"], int(d["size"])) for d in self.doc["layers"]]

    @property
    def size(self) -> int:
        return len(self.raw)


@attrs.define(eq=False)
class Repository:
    """One repository on the hub.  Mutated only by its Hub.

    Invariant: every tag names a manifest in ``manifests``, whose blobs the
    hub holds."""

    path: str  # immutable; "library/busybox", "museopkim/kubia"
    owner: "str | None" = None  # namespace owner (None for built-in official images)
    private: bool = False
    builtin: bool = False
    tags: "dict[str, str]" = attrs.field(factory=dict)  # tag -> manifest digest
    # every manifest digest ever put here (pullable by digest even once untagged)
    manifests: "set[str]" = attrs.field(factory=set)

    def to_json(self) -> dict:
        return {
            "path": self.path,
            "owner": self.owner,
            "private": self.private,
            "builtin": self.builtin,
            "catalog_version": catalog.CATALOG_VERSION if self.builtin else None,
            "tags": dict(sorted(self.tags.items())),
            "manifests": sorted(self.manifests | set(self.tags.values())),
        }


def _repo_key(path: str) -> str:
    return f"{_REPOS}/{path}.json"


def _blob_key(digest: str) -> str:
    return f"{_BLOBS}/{digest.split(':', 1)[1]}"


@attrs.define(eq=False)
class Hub:
    """The registry at ``docker.io``.

    Invariant: ``_repos`` holds every repository loaded or created so far;
    the built-in catalog repositories not yet touched are absent from it
    and materialised by `_repo`.
    """

    store: Store
    _repos: "dict[str, Repository]" = attrs.field(factory=dict, alias="repos")  # path -> repo
    _blob_cache: "dict[str, bytes]" = attrs.field(factory=dict, repr=False)  # digest -> bytes

    @classmethod
    def load(cls, store: Store) -> "Hub":
        """A hub over ``store``, with the repositories pushed earlier.
        Built-in repositories from an older catalog version are dropped
        (they are regenerated on first use)."""
        hub = cls(store)
        for key in store.keys(_REPOS):
            doc = store.get_json(key)
            if not isinstance(doc, dict) or "path" not in doc:
                continue
            if doc.get("builtin") and doc.get("catalog_version") != catalog.CATALOG_VERSION:
                continue
            hub._repos[doc["path"]] = Repository(doc["path"], doc.get("owner"), bool(doc.get("private")),
                                                 bool(doc.get("builtin")), dict(doc.get("tags") or {}),
                                                 set(doc.get("manifests") or ()))
        return hub

    # -- repositories --------------------------------------------------------------

    def repositories(self) -> "list[str]":
        """Every repository path (built-in ones included, materialised or not)."""
        return sorted(set(self._repos) | set(catalog.repositories()))

    def repository(self, path: str) -> "Repository | None":
        return self._repo(path)

    def _repo(self, path: str) -> "Repository | None":
        repo = self._repos.get(path)
        if repo is not None:
            return repo
        if path in catalog.TAGS:
            return self._materialise(path)
        return None

    def _materialise(self, path: str) -> Repository:
        """Generate a built-in repository: every tag's image, its blobs and
        manifest, stored under ``hub/``."""
        repo = Repository(path, None, False, True)
        for tag in sorted(catalog.TAGS[path]):
            built = catalog.image_for(path, tag)
            for data in built.blobs().values():
                self.put_blob(data)
            repo.tags[tag] = self.put_blob(built.manifest_bytes)
            repo.manifests.add(repo.tags[tag])
        self._repos[path] = repo
        self._save(repo)
        return repo

    def _save(self, repo: Repository) -> None:
        self.store.put_json(_repo_key(repo.path), repo.to_json())

    def create_repository(self, path: str, owner: "str | None", private: bool = False) -> Repository:
        """A repository for pushes (``museopkim/kubia``).  Returns the
        existing one if there is one."""
        repo = self._repo(path)
        if repo is None:
            repo = Repository(path, owner, private, False)
            self._repos[path] = repo
            self._save(repo)
        return repo

    # -- lookups --------------------------------------------------------------------

    def resolve(self, ref: Reference) -> "tuple[Repository, str]":
        """The repository and manifest digest a reference names (a bare
        name means ``:latest``).

        Raises RegistryUnavailable (not docker.io), RepositoryNotFound
        (``pull access denied for …``; also for a private repository, which
        Docker cannot tell apart), ManifestUnknown (``manifest for
        busybox:nosuch not found: …``).
        """
        if ref.domain != DEFAULT_DOMAIN:
            raise RegistryUnavailable(ref.domain)
        repo = self._repo(ref.path)
        if repo is None or repo.private:
            raise RepositoryNotFound(ref.familiar)
        ref = ref.with_default_tag()
        if ref.digest is not None:
            if ref.digest not in repo.manifests and ref.digest not in repo.tags.values():
                raise ManifestUnknown(ref.familiar_string)
            return repo, ref.digest
        digest = repo.tags.get(ref.tag)
        if digest is None:
            raise ManifestUnknown(ref.familiar_string)
        return repo, digest

    def lookup(self, ref: Reference) -> Manifest:
        """The manifest a reference names.  Raises like `resolve`."""
        _repo, digest = self.resolve(ref)
        return Manifest(digest, self.get_blob(digest))

    def tags(self, path: str) -> "list[str]":
        repo = self._repo(path)
        return sorted(repo.tags) if repo else []

    # -- blobs ------------------------------------------------------------------------

    def put_blob(self, data: bytes) -> str:
        digest = sha256_digest(data)
        if digest not in self._blob_cache:
            if not self.store.exists(_blob_key(digest)):
                self.store.put_bytes(_blob_key(digest), data)
            self._blob_cache[digest] = bytes(data)
        return digest

    def has_blob(self, digest: str) -> bool:
        return digest in self._blob_cache or self.store.exists(_blob_key(digest))

    def get_blob(self, digest: str) -> bytes:
        """Raises BlobUnknown."""
        data = self._blob_cache.get(digest)
        if data is None:
            data = self.store.get_bytes(_blob_key(digest))
            if data is None:
                raise BlobUnknown(digest)
            self._blob_cache[digest] = data
        return data

    # -- pushes -------------------------------------------------------------------------

    def put_manifest(self, path: str, tag: str, manifest_bytes: bytes) -> str:
        """Tag a pushed manifest in a repository created with
        `create_repository`.  Preconditions: the config and layer blobs it
        names were put first.  Returns the manifest digest."""
        repo = self._repo(path)
        if repo is None:
            raise RepositoryNotFound(path)
        doc = json.loads(manifest_bytes)
        for d in [doc["config"], *doc["layers"]]:
            if not self.has_blob(d["digest"]):
                raise BlobUnknown(d["digest"])
        digest = self.put_blob(manifest_bytes)
        repo.tags[tag] = digest
        repo.manifests.add(digest)
        self._save(repo)
        return digest
