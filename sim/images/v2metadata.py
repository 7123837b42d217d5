"""What the daemon remembers about where its layers live in registries
(moby's ``distribution/metadata`` V2 metadata service).

For every layer DiffID the daemon keeps a short list of ``V2Metadata``
entries: a blob digest the layer has in a registry and the repository it
was seen in (``docker.io/library/busybox``), newest last.  A pull adds one
per layer (with no HMAC); a push adds one per layer it pushed, mounted or
found (with an HMAC keyed by the credentials used).  Push reads them to
skip layers the target repository already has ("Layer already exists")
and to mount layers from another repository of the same registry
("Mounted from library/busybox").

The HMAC lets a push prefer entries made with the same credentials
without storing them: the key is the digest of the credential fields as
JSON, the HMAC covers the digest and the repository.

Store keys (owned by this module)::

    ``distribution/v2metadata-by-diffid/sha256/<hex>``  [{"Digest", "SourceRepository", "HMAC"}, …]
    ``distribution/diffid-by-digest/sha256/<hex>``      {"DiffID": diff id}
"""

import hashlib
import hmac

import attrs

from ..golang import marshal
from ..store import Store

#: Entries kept per DiffID (the oldest go first).
MAX_METADATA = 50

_BY_DIFFID = "distribution/v2metadata-by-diffid"
_BY_DIGEST = "distribution/diffid-by-digest"


@attrs.frozen
class V2Metadata:
    """One known location of a layer: its blob digest in a repository."""

    digest: str  # "sha256:…", the blob in the registry
    source_repository: str  # fully qualified: "docker.io/library/busybox"
    hmac: str = ""  # hex, "" when recorded without credentials (pulls)

    def to_json(self) -> dict:
        return {"Digest": self.digest, "SourceRepository": self.source_repository, "HMAC": self.hmac}


def hmac_key(username: str = "", password: str = "", auth: str = "", identity_token: str = "",
             registry_token: str = "") -> bytes:
    """``ComputeV2MetadataHMACKey``: the digest string (``sha256:<hex>``)
    of the credential fields as JSON (empty ones left out)."""
    fields = {"username": username, "password": password, "auth": auth,
              "identitytoken": identity_token, "registrytoken": registry_token}
    doc = {k: v for k, v in fields.items() if v}
    return ("sha256:" + hashlib.sha256(marshal(doc).encode()).hexdigest()).encode()


def compute_hmac(key: bytes, digest: str, source_repository: str) -> str:
    """``ComputeV2MetadataHMAC``: "" without a key."""
    if not key:
        return ""
    return _mac(key, digest, source_repository).hex()


def _mac(key: bytes, digest: str, source_repository: str) -> bytes:
    return hmac.new(key, (digest + source_repository).encode(), hashlib.sha256).digest()


def check_hmac(meta: V2Metadata, key: bytes) -> bool:
    """``CheckV2MetadataHMAC``: whether ``meta`` was tagged with ``key``
    (an entry without an HMAC matches only an empty key)."""
    if not meta.hmac or not key:
        return not meta.hmac and not key
    try:
        stored = bytes.fromhex(meta.hmac)  # Go's hex.DecodeString: either case
    except ValueError:
        return False
    return hmac.compare_digest(stored, _mac(key, meta.digest, meta.source_repository))


@attrs.define(eq=False)
class V2MetadataService:
    """DiffID -> known registry locations, persisted in ``store``."""

    store: Store

    @staticmethod
    def _diffid_key(diff_id: str) -> str:
        return f"{_BY_DIFFID}/sha256/{diff_id.split(':', 1)[1]}"

    @staticmethod
    def _digest_key(digest: str) -> str:
        return f"{_BY_DIGEST}/sha256/{digest.split(':', 1)[1]}"

    def get(self, diff_id: str) -> "list[V2Metadata]":
        """The entries for a layer, oldest first ([] when none)."""
        doc = self.store.get_json(self._diffid_key(diff_id))
        if not isinstance(doc, list):
            return []
        return [V2Metadata(d["Digest"], d["SourceRepository"], d.get("HMAC") or "")
                for d in doc if isinstance(d, dict) and "Digest" in d and "SourceRepository" in d]

    def diff_id(self, digest: str) -> "str | None":
        doc = self.store.get_json(self._digest_key(digest))
        return doc.get("DiffID") if isinstance(doc, dict) else None

    def add(self, diff_id: str, meta: V2Metadata) -> None:
        """Record ``meta`` as the newest entry of the layer (an equal entry
        moves to the end; past `MAX_METADATA` the oldest is dropped)."""
        entries = [m for m in self.get(diff_id) if m != meta]
        entries.append(meta)
        entries = entries[-MAX_METADATA:]
        self.store.put_json(self._diffid_key(diff_id), [m.to_json() for m in entries])
        self.store.put_json(self._digest_key(meta.digest), {"DiffID": diff_id})

    def tag_and_add(self, diff_id: str, key: bytes, digest: str, source_repository: str) -> None:
        """`add` an entry tagged with the HMAC of ``key``."""
        self.add(diff_id, V2Metadata(digest, source_repository,
                                     compute_hmac(key, digest, source_repository)))

    def remove(self, meta: V2Metadata) -> None:
        """Forget one entry (found through its digest's layer)."""
        diff_id = self.diff_id(meta.digest)
        if diff_id is None:
            return
        entries = [m for m in self.get(diff_id) if m != meta]
        if entries:
            self.store.put_json(self._diffid_key(diff_id), [m.to_json() for m in entries])
        else:
            self.store.delete(self._diffid_key(diff_id))
