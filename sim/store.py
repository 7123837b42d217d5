"""Where the simulated world keeps its bytes.

`Store` holds content-addressed blobs (layer tars, image configs,
manifests) and small JSON documents (image, tag, container metadata).
`MemoryStore` keeps them in dicts.  The sim never touches host files: the
daemon injects a store, `MemoryStore` in tests or its `DirStore`
(`daemon/backend/datastore.py`), which keeps them in the data root.

Keys are relative slash paths such as ``images/<hex>.json``; a key may not
climb out of the store (``..``, absolute paths), so nothing stored can
touch a host file outside the data root.
"""

import json
from typing import Any, Protocol

import attrs

from .ids import sha256_digest


class Store(Protocol):
    def put_blob(self, data: bytes) -> str: ...
    def get_blob(self, digest: str) -> bytes: ...
    def has_blob(self, digest: str) -> bool: ...
    def delete_blob(self, digest: str) -> None: ...
    def put_json(self, key: str, obj: Any) -> None: ...
    def get_json(self, key: str) -> Any: ...
    def delete(self, key: str) -> None: ...
    def keys(self, prefix: str) -> list: ...
    def put_bytes(self, key: str, data: bytes) -> None: ...
    def get_bytes(self, key: str) -> "bytes | None": ...
    def exists(self, key: str) -> bool: ...
    def append_bytes(self, key: str, data: bytes) -> None: ...
    def rename(self, src: str, dst: str) -> None: ...


def check_key(key: str) -> str:
    parts = key.split("/")
    if not key or key.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise ValueError(f"invalid store key: {key!r}")
    return key


def check_digest(digest: str) -> str:
    algo, _, hexpart = digest.partition(":")
    if algo != "sha256" or len(hexpart) != 64 or any(c not in "0123456789abcdef" for c in hexpart):
        raise ValueError(f"invalid digest: {digest!r}")
    return hexpart


@attrs.define(eq=False)
class MemoryStore:
    """A store in memory: for tests and the ephemeral mode."""

    blobs: dict = attrs.field(factory=dict)
    docs: dict = attrs.field(factory=dict)  # key -> bytes

    def put_blob(self, data: bytes) -> str:
        digest = sha256_digest(data)
        self.blobs.setdefault(digest, bytes(data))
        return digest

    def get_blob(self, digest: str) -> bytes:
        return self.blobs[digest]

    def has_blob(self, digest: str) -> bool:
        return digest in self.blobs

    def delete_blob(self, digest: str) -> None:
        self.blobs.pop(digest, None)

    def put_json(self, key: str, obj: Any) -> None:
        self.put_bytes(key, json.dumps(obj, sort_keys=True).encode())

    def get_json(self, key: str) -> Any:
        data = self.get_bytes(key)
        return None if data is None else json.loads(data)

    def put_bytes(self, key: str, data: bytes) -> None:
        self.docs[check_key(key)] = bytes(data)

    def get_bytes(self, key: str) -> "bytes | None":
        doc = self.docs.get(check_key(key))
        return bytes(doc) if isinstance(doc, bytearray) else doc

    def exists(self, key: str) -> bool:
        """Is a document or log stored under ``key`` (without reading it)?"""
        return check_key(key) in self.docs

    def append_bytes(self, key: str, data: bytes) -> None:
        doc = self.docs.get(check_key(key))
        if not isinstance(doc, bytearray):  # appendable in place: no quadratic copying
            doc = self.docs[key] = bytearray(doc or b"")
        doc += data

    def rename(self, src: str, dst: str) -> None:
        """Move the document or log at ``src`` to ``dst`` (replacing it)."""
        self.docs[check_key(dst)] = self.docs.pop(check_key(src))

    def delete(self, key: str) -> None:
        prefix = check_key(key) + "/"
        for k in [k for k in self.docs if k == key or k.startswith(prefix)]:
            del self.docs[k]

    def keys(self, prefix: str) -> list:
        prefix = prefix.rstrip("/") + "/"
        return sorted(k for k in self.docs if k.startswith(prefix))
