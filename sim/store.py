"""Where the simulated world keeps its bytes.

`Store` holds content-addressed blobs (layer tars, image configs,
manifests) and small JSON documents (image, tag, container metadata).
`MemoryStore` keeps them in dicts; `DirStore` keeps them under a data root
on the host, with every write atomic (temporary file, fsync, rename), so a
killed daemon leaves the old or the new state and never a torn file.

Keys are relative slash paths such as ``images/<hex>.json``; a key may not
climb out of the store (``..``, absolute paths), so nothing stored can
touch a host file outside the data root.
"""

import json
import os
import tempfile
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


def _check_key(key: str) -> str:
    parts = key.split("/")
    if not key or key.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise ValueError(f"invalid store key: {key!r}")
    return key


def _check_digest(digest: str) -> str:
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
        self.docs[_check_key(key)] = bytes(data)

    def get_bytes(self, key: str) -> "bytes | None":
        doc = self.docs.get(_check_key(key))
        return bytes(doc) if isinstance(doc, bytearray) else doc

    def exists(self, key: str) -> bool:
        """Is a document or log stored under ``key`` (without reading it)?"""
        return _check_key(key) in self.docs

    def append_bytes(self, key: str, data: bytes) -> None:
        doc = self.docs.get(_check_key(key))
        if not isinstance(doc, bytearray):  # appendable in place: no quadratic copying
            doc = self.docs[key] = bytearray(doc or b"")
        doc += data

    def delete(self, key: str) -> None:
        prefix = _check_key(key) + "/"
        for k in [k for k in self.docs if k == key or k.startswith(prefix)]:
            del self.docs[k]

    def keys(self, prefix: str) -> list:
        prefix = prefix.rstrip("/") + "/"
        return sorted(k for k in self.docs if k.startswith(prefix))


@attrs.define(eq=False)
class DirStore:
    """A store in a host directory (the data root)::

        <root>/blobs/sha256/<hex>     content-addressed bytes
        <root>/<key>                  JSON documents and appendable logs
    """

    root: str

    def __attrs_post_init__(self):
        self.root = os.path.abspath(self.root)
        os.makedirs(os.path.join(self.root, "blobs", "sha256"), exist_ok=True)

    def _blob_path(self, digest: str) -> str:
        return os.path.join(self.root, "blobs", "sha256", _check_digest(digest))

    def _path(self, key: str) -> str:
        return os.path.join(self.root, *_check_key(key).split("/"))

    def _atomic_write(self, path: str, data: bytes) -> None:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise

    def put_blob(self, data: bytes) -> str:
        digest = sha256_digest(data)
        path = self._blob_path(digest)
        if not os.path.exists(path):
            self._atomic_write(path, data)
        return digest

    def get_blob(self, digest: str) -> bytes:
        try:
            with open(self._blob_path(digest), "rb") as fh:
                return fh.read()
        except FileNotFoundError:
            raise KeyError(digest) from None

    def has_blob(self, digest: str) -> bool:
        return os.path.exists(self._blob_path(digest))

    def delete_blob(self, digest: str) -> None:
        try:
            os.unlink(self._blob_path(digest))
        except FileNotFoundError:
            pass

    def put_json(self, key: str, obj: Any) -> None:
        self.put_bytes(key, json.dumps(obj, sort_keys=True).encode())

    def get_json(self, key: str) -> Any:
        data = self.get_bytes(key)
        if data is None:
            return None
        try:
            return json.loads(data)
        except ValueError:
            return None  # a document that cannot be read counts as absent

    def put_bytes(self, key: str, data: bytes) -> None:
        self._atomic_write(self._path(key), data)

    def get_bytes(self, key: str) -> "bytes | None":
        try:
            with open(self._path(key), "rb") as fh:
                return fh.read()
        except (FileNotFoundError, NotADirectoryError):
            return None

    def exists(self, key: str) -> bool:
        """Is a document or log stored under ``key`` (a stat, no read)?"""
        return os.path.isfile(self._path(key))

    def append_bytes(self, key: str, data: bytes) -> None:
        path = self._path(key)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "ab") as fh:
            fh.write(data)

    def delete(self, key: str) -> None:
        path = self._path(key)
        if os.path.isdir(path):
            import shutil

            shutil.rmtree(path, ignore_errors=True)
        else:
            try:
                os.unlink(path)
            except FileNotFoundError:
                pass

    def keys(self, prefix: str) -> list:
        base = self._path(prefix.rstrip("/"))
        out = []
        for dirpath, _dirs, files in os.walk(base):
            for name in files:
                if name.startswith(".tmp-"):
                    continue
                rel = os.path.relpath(os.path.join(dirpath, name), self.root)
                out.append(rel.replace(os.sep, "/"))
        return sorted(out)
