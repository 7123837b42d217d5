"""The data root: where the daemon keeps its bytes on the host.

`DirStore` is the `sim.store.Store` the daemon injects into the simulation
(the layer and image stores, the hub) and uses for its own records
(containers, logs).  Layout::

    <root>/blobs/sha256/<hex>     content-addressed bytes
    <root>/<key>                  JSON documents and appendable logs

Every write is atomic (temporary file, fsync, rename), so a killed daemon
leaves the old or the new state and never a torn file.  Keys are checked
by `sim.store.check_key`: none can climb out of the root.
"""

import json
import os
import shutil
import tempfile
from typing import Any

import attrs

from ...sim.ids import sha256_digest
from ...sim.store import check_digest, check_key


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
        return os.path.join(self.root, "blobs", "sha256", check_digest(digest))

    def _path(self, key: str) -> str:
        return os.path.join(self.root, *check_key(key).split("/"))

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

    def rename(self, src: str, dst: str) -> None:
        """Move the document or log at ``src`` to ``dst`` (an atomic
        rename, replacing ``dst``; both inside the root)."""
        target = self._path(dst)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        os.replace(self._path(src), target)

    def delete(self, key: str) -> None:
        path = self._path(key)
        if os.path.isdir(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            try:
                os.unlink(path)
            except FileNotFoundError:
                pass

    def sweep(self) -> "list[str]":
        """Daemon start-up: remove what a killed daemon left half done, and
        return the keys removed: every temporary file of an atomic write
        (``.tmp-*``, moby's ioutils.AtomicWriteFile leftovers), then every
        container folder without its record (``config.v2.json``: a create
        cut short before its first save, which no later start could load)."""
        removed = []
        for dirpath, _dirs, files in os.walk(self.root):
            for name in files:
                if name.startswith(".tmp-"):
                    path = os.path.join(dirpath, name)
                    try:
                        os.unlink(path)
                    except OSError:
                        continue
                    removed.append(os.path.relpath(path, self.root).replace(os.sep, "/"))
        containers = os.path.join(self.root, "containers")
        try:
            entries = list(os.scandir(containers))
        except FileNotFoundError:
            entries = []
        for entry in entries:
            if entry.is_dir(follow_symlinks=False) and \
                    not os.path.isfile(os.path.join(entry.path, "config.v2.json")):
                shutil.rmtree(entry.path, ignore_errors=True)
                removed.append(f"containers/{entry.name}")
        return removed

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
