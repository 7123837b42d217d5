"""The simulated Docker Hub: a registry of repositories -> tags -> manifest
digests, with blobs (configs, layer tars, manifests) by digest.

Repositories come from two places: the built-in `catalog` (the official
``library/*`` images, generated on first use) and pushes (repositories
that users create, owned by a namespace).  Both are the same `Repository`
model; a built-in one is marked ``builtin`` and is materialised lazily,
the first time it is looked up.

Only the domain ``docker.io`` exists in the simulated world; any other
registry domain is unreachable (RegistryUnavailable).

This is a simulation: nothing here contacts a real registry.  Accounts
are the hub's own: the first ``docker login`` with a username and a
non-empty password creates the account (`Hub.login`); later logins and
pushes check the password against a salted PBKDF2 hash (the password
itself is never stored).  What a caller may do follows Docker Hub's
rules: every repository here is public, so anyone (even anonymous) may
pull; pushing needs an account, and only into its own namespace
(``museopkim/…`` for the account ``museopkim``), never ``library/…``.
`Registry` is a caller's session: the registry operations a push makes
(stat a blob, mount one from another repository, upload, put a
manifest), each checked against the caller's access as Docker Hub's
token service grants it.

Store keys (owned by this module; the hub is a separate "remote", so it
keeps its own blob space instead of the daemon's content store):
    ``hub/blobs/<hex>``              blob bytes (configs, layer tars, manifests)
    ``hub/repositories/<path>.json`` {"path", "owner", "private", "builtin",
                                      "catalog_version", "tags": {tag: digest},
                                      "manifests": [digest], "blobs": [digest]}

Every repository has what Hub shows besides its tags: a short
description and a star count.  The built-in ones take theirs from the
catalog (`catalog.FACTS`); a pushed repository starts, as on Docker Hub,
with an empty description and no stars.  `Hub.search` is Hub's search
service over them.
    ``hub/accounts/<name>.json``     {"name", "salt", "hash", "iterations"}
"""

import hashlib
import hmac
import json
import re
from typing import Callable

import attrs

from ..ids import IdSource, sha256_digest
from ..store import Store
from . import catalog
from .errors import (AccessDenied, BlobUnknown, IncorrectCredentials, ManifestUnknown,
                     RegistryUnavailable, RepositoryNotFound)
from .reference import DEFAULT_DOMAIN, Reference

_BLOBS = "hub/blobs"
_REPOS = "hub/repositories"
_ACCOUNTS = "hub/accounts"

#: PBKDF2-HMAC-SHA256 rounds for stored passwords.
PASSWORD_ITERATIONS = 20_000

#: What an account name may be: a repository path component (a namespace).
_ACCOUNT_NAME = re.compile(r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*")

#: The actions a token may grant on a repository.
PULL = "pull"
PUSH = "push"


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
    # the config and layer blobs linked into this repository (uploaded,
    # mounted, or named by one of its manifests)
    blobs: "set[str]" = attrs.field(factory=set)

    @property
    def description(self) -> str:
        """What Hub shows under the name: the catalog's for a built-in
        repository; a pushed one has none."""
        return catalog.facts(self.path).description if self.builtin else ""

    @property
    def star_count(self) -> int:
        return catalog.facts(self.path).star_count if self.builtin else 0

    @property
    def official(self) -> bool:
        """An official image: Docker Hub's ``library/`` namespace."""
        return self.path.startswith("library/")

    @property
    def shown_name(self) -> str:
        """The name Hub shows: ``nginx`` for ``library/nginx``."""
        return self.path[len("library/"):] if self.official else self.path

    def to_json(self) -> dict:
        return {
            "path": self.path,
            "owner": self.owner,
            "private": self.private,
            "builtin": self.builtin,
            "catalog_version": catalog.CATALOG_VERSION if self.builtin else None,
            "tags": dict(sorted(self.tags.items())),
            "manifests": sorted(self.manifests | set(self.tags.values())),
            "blobs": sorted(self.blobs),
        }


@attrs.frozen
class SearchResult:
    """One repository as Hub's search lists it."""

    name: str  # as Hub shows it: "nginx", "museopkim/kubia"
    description: str
    star_count: int
    is_official: bool


#: The most results one search answers (Hub's page size limit; dockerd
#: refuses a larger limit before asking).
SEARCH_MAX = 100


@attrs.frozen
class Account:
    """A Docker Hub account: its name and the salted hash of its password."""

    name: str  # lower case, the namespace it owns
    salt: str  # hex
    hash: str = attrs.field(repr=False)  # hex PBKDF2-HMAC-SHA256 of the password
    iterations: int = PASSWORD_ITERATIONS

    @classmethod
    def create(cls, name: str, password: str, salt: str) -> "Account":
        return cls(name, salt, _hash_password(password, salt, PASSWORD_ITERATIONS))

    def check(self, password: str) -> bool:
        return hmac.compare_digest(_hash_password(password, self.salt, self.iterations), self.hash)

    def to_json(self) -> dict:
        return {"name": self.name, "salt": self.salt, "hash": self.hash, "iterations": self.iterations}


def _hash_password(password: str, salt: str, iterations: int) -> str:
    return hashlib.pbkdf2_hmac("sha256", password.encode(), bytes.fromhex(salt), iterations).hex()


def _new_salt() -> str:
    return IdSource().hex_id()[:32]


def namespace_of(path: str) -> "str | None":
    """The account that owns a Docker Hub repository path: its first
    component for ``user/repo``; None for ``library/…`` and for deeper
    paths, which Docker Hub has no owner for."""
    parts = path.split("/")
    if len(parts) != 2 or parts[0] == "library":
        return None
    return parts[0]


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
    _accounts: "dict[str, Account]" = attrs.field(factory=dict, alias="accounts")  # name -> account
    #: () -> hex: a fresh salt for each new account
    new_salt: "Callable[[], str]" = attrs.field(default=_new_salt, repr=False)

    @classmethod
    def load(cls, store: Store, new_salt: "Callable[[], str]" = _new_salt) -> "Hub":
        """A hub over ``store``, with the repositories pushed earlier and
        the accounts made so far.  Built-in repositories from an older
        catalog version are dropped (they are regenerated on first use)."""
        hub = cls(store, new_salt=new_salt)
        for key in store.keys(_REPOS):
            doc = store.get_json(key)
            if not isinstance(doc, dict) or "path" not in doc:
                continue
            if doc.get("builtin") and doc.get("catalog_version") != catalog.CATALOG_VERSION:
                continue
            repo = Repository(doc["path"], doc.get("owner"), bool(doc.get("private")),
                              bool(doc.get("builtin")), dict(doc.get("tags") or {}),
                              set(doc.get("manifests") or ()), set(doc.get("blobs") or ()))
            hub._repos[repo.path] = repo
        for key in store.keys(_ACCOUNTS):
            doc = store.get_json(key)
            if isinstance(doc, dict) and {"name", "salt", "hash"} <= doc.keys():
                hub._accounts[doc["name"]] = Account(doc["name"], doc["salt"], doc["hash"],
                                                     int(doc.get("iterations") or PASSWORD_ITERATIONS))
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
            repo.blobs.update(built.blobs())
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

    def search(self, query: str, n: int = 25) -> "list[SearchResult]":
        """Hub's search service (``GET /v1/search?q=<query>&n=<n>``):
        every public repository whose name as Hub shows it (``nginx``,
        ``museopkim/kubia``) or description contains ``query``, ignoring
        case (an empty query matches every one), official images first,
        then the most starred, then by name; the first ``n``.

        Built-in repositories are searched through their catalog facts,
        without generating their images.  Precondition: 1 <= n <= SEARCH_MAX."""
        needle = query.lower()
        found = []
        for path in self.repositories():
            repo = self._repos.get(path) or Repository(path, None, False, True)
            if repo.private:
                continue
            if needle in repo.shown_name.lower() or needle in repo.description.lower():
                found.append(SearchResult(repo.shown_name, repo.description, repo.star_count,
                                          repo.official))
        found.sort(key=lambda r: (not r.is_official, -r.star_count, r.name))
        return found[:n]

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

    def _tag_manifest(self, repo: Repository, tag: str, manifest_bytes: bytes) -> str:
        digest = self.put_blob(manifest_bytes)
        repo.tags[tag] = digest
        repo.manifests.add(digest)
        self._save(repo)
        return digest

    # -- accounts -------------------------------------------------------------------------

    def login(self, username: str, password: str) -> bool:
        """``docker login`` as the hub sees it (the token service asked
        with basic credentials): the first login of a name creates its
        account with this password; later ones must match it.  Returns
        True when the account was created.

        Preconditions: both non-empty (without them a client asks for an
        anonymous token, which the hub always grants).
        Raises IncorrectCredentials (also for a name no namespace can
        have, e.g. ``a/b``)."""
        name = username.lower()
        if not _ACCOUNT_NAME.fullmatch(name):
            raise IncorrectCredentials()
        account = self._accounts.get(name)
        if account is None:
            account = Account.create(name, password, self.new_salt())
            self._accounts[name] = account
            self.store.put_json(f"{_ACCOUNTS}/{name}.json", account.to_json())
            return True
        if not account.check(password):
            raise IncorrectCredentials()
        return False

    def authenticate(self, username: str, password: str) -> "str | None":
        """The account a request's credentials name: None (anonymous) when
        either is empty; the account name when they match.  Unlike
        `login` this never creates an account.  Raises IncorrectCredentials."""
        if not username or not password:
            return None
        account = self._accounts.get(username.lower())
        if account is None or not account.check(password):
            raise IncorrectCredentials()
        return account.name

    def has_account(self, name: str) -> bool:
        return name.lower() in self._accounts

    def access(self, account: "str | None", path: str) -> "frozenset[str]":
        """The actions Docker Hub's token service grants ``account`` (None:
        anonymous) on the repository ``path``: pull on every public
        repository (a private one only for its owner), push on the
        account's own namespace."""
        actions = set()
        repo = self._repo(path)
        owner = namespace_of(path)
        if account is not None and owner == account:
            actions.update((PULL, PUSH))
        elif repo is not None and not repo.private:
            actions.add(PULL)
        return frozenset(actions)

    def registry(self, username: str = "", password: str = "") -> "Registry":
        """A session with the caller's credentials (checked at its first
        call, as the token is fetched lazily)."""
        return Registry(self, username, password)


@attrs.define(eq=False)
class Registry:
    """One client's session with the hub: the registry API calls a push
    makes, each checked against the caller's access.

    The credentials are checked on the first call that needs a token, as
    distribution's token handler does: wrong ones raise
    IncorrectCredentials from that call."""

    hub: Hub
    username: str = ""
    password: str = attrs.field(default="", repr=False)
    _account: "str | None" = attrs.field(default=None, init=False)
    _checked: bool = attrs.field(default=False, init=False)

    def account(self) -> "str | None":
        if not self._checked:
            self._account = self.hub.authenticate(self.username, self.password)
            self._checked = True
        return self._account

    def _allowed(self, path: str, action: str) -> bool:
        return action in self.hub.access(self.account(), path)

    def manifest(self, ref: Reference) -> Manifest:
        """``GET /v2/<path>/manifests/<tag or digest>`` (a bare name means
        ``:latest``) with this session's token.

        Raises RegistryUnavailable (not docker.io; before any token),
        IncorrectCredentials, RepositoryNotFound (no pull access: the
        repository does not exist, or is private and not the caller's),
        ManifestUnknown."""
        if ref.domain != DEFAULT_DOMAIN:
            raise RegistryUnavailable(ref.domain)
        if not self._allowed(ref.path, PULL):
            raise RepositoryNotFound(ref.familiar)
        return self.hub.lookup(ref)

    def get_blob(self, path: str, digest: str) -> bytes:
        """``GET /v2/<path>/blobs/<digest>``.  Raises RepositoryNotFound
        without pull access, BlobUnknown when the repository lacks it."""
        if not self._allowed(path, PULL):
            raise RepositoryNotFound(path)
        repo = self.hub._repo(path)
        if repo is None or digest not in repo.blobs:
            raise BlobUnknown(digest)
        return self.hub.get_blob(digest)

    def stat_blob(self, path: str, digest: str) -> bool:
        """``HEAD /v2/<path>/blobs/<digest>``: whether the repository has
        the blob.  Raises AccessDenied without pull access to an existing
        repository."""
        repo = self.hub._repo(path)
        if repo is None:
            return False
        if not self._allowed(path, PULL):
            raise AccessDenied()
        return digest in repo.blobs

    def mount_blob(self, path: str, source: str, digest: str) -> bool:
        """``POST /v2/<path>/blobs/uploads/?mount=<digest>&from=<source>``:
        link a blob of ``source`` into ``path`` without uploading it.
        False when the caller may not read ``source`` or it lacks the blob
        (the registry then starts an ordinary upload).  Raises
        AccessDenied without push access to ``path``."""
        if not self._allowed(path, PUSH):
            raise AccessDenied()
        src = self.hub._repo(source)
        if src is None or digest not in src.blobs or not self._allowed(source, PULL):
            return False
        self._target(path).blobs.add(digest)
        self.hub._save(self._target(path))
        return True

    def start_upload(self, path: str) -> None:
        """``POST /v2/<path>/blobs/uploads/``.  Raises AccessDenied without
        push access."""
        if not self._allowed(path, PUSH):
            raise AccessDenied()

    def upload_blob(self, path: str, data: bytes) -> str:
        """Upload and commit a blob into ``path``; returns its digest.
        Raises AccessDenied without push access."""
        self.start_upload(path)
        digest = self.hub.put_blob(data)
        repo = self._target(path)
        repo.blobs.add(digest)
        self.hub._save(repo)
        return digest

    def put_manifest(self, path: str, tag: str, manifest_bytes: bytes) -> str:
        """``PUT /v2/<path>/manifests/<tag>``; returns the manifest digest.
        Raises AccessDenied without push access, BlobUnknown when a blob it
        names is not in the repository."""
        if not self._allowed(path, PUSH):
            raise AccessDenied()
        repo = self._target(path)
        doc = json.loads(manifest_bytes)
        for d in [doc["config"], *doc["layers"]]:
            if d["digest"] not in repo.blobs:
                raise BlobUnknown(d["digest"])
        return self.hub._tag_manifest(repo, tag, manifest_bytes)

    def _target(self, path: str) -> Repository:
        """The repository a push writes to, created (owned by the caller's
        namespace, public) on first use."""
        return self.hub.create_repository(path, namespace_of(path))
