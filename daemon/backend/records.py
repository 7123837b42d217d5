"""The containers the daemon knows, and where their records live.

`ContainerRecords` is moby's container store plus its on-disk state: the
records by id, lookup by what a client typed (moby's ``GetContainer``),
names, and persistence in the data root::

    containers/<id>/config.v2.json     the record (`Container.to_doc`)
    containers/<id>/<id>-json.log      the json-file log
    containers/<id>/rw.tar             the writable layer
    containers/<id>/hosts, hostname, resolv.conf   the network files of its last run

Every verb reads and changes containers through this one service.
"""

import asyncio
import logging
import posixpath
import re

from ...sim.images.image_store import ContainerUse
from ...sim.runtime.handle import WritableLayer
from ..errors import Conflict, InvalidParameter, NotFound
from .container import Container
from .netfiles import NETWORK_FILES
from . import links, logdrivers
from .output import ContainerHub

log = logging.getLogger("dockersim.engine")

NAME_RE = re.compile(r"^/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$")


class ContainerRecords:
    def __init__(self, store, clock, ids):
        self.store = store
        self.clock = clock
        self.ids = ids
        self.by_id: "dict[str, Container]" = {}

    # -- lookups -------------------------------------------------------------
    def __iter__(self):
        return iter(list(self.by_id.values()))

    def __len__(self) -> int:
        return len(self.by_id)

    def __contains__(self, cid: str) -> bool:
        return cid in self.by_id

    def get(self, cid: str) -> "Container | None":
        return self.by_id.get(cid)

    def resolve(self, ref: str) -> Container:
        """moby's GetContainer: full id, then exact name, then unique id
        prefix, then a link name (`links`).  Raises NotFound("No such container: <ref>")."""
        ref = ref or ""
        if ref in self.by_id:
            return self.by_id[ref]
        name = ref.lstrip("/")
        for container in self.by_id.values():
            if container.name == name:
                return container
        if ref and all(c in "0123456789abcdef" for c in ref):
            found = [c for cid, c in self.by_id.items() if cid.startswith(ref)]
            if len(found) == 1:
                return found[0]
            if found:
                raise InvalidParameter(f"multiple IDs found with provided prefix: {ref}")
        child = links.resolve(self, ref)  # a legacy link's name, /parent/alias
        if child is not None:
            return child
        raise NotFound(f"No such container: {ref}")

    def using_image(self, image_id: str) -> "list[ContainerUse]":
        """The containers created from an image, and those that mount it
        (``--mount type=image``; `ContainerUse.mounted_only`): what
        ``rmi`` checks."""
        out = []
        for c in self.by_id.values():
            if c.image_id == image_id:
                out.append(ContainerUse(c.id, c.state.running))
            elif any(mp.get("Type") == "image" and mp.get("ImageID") == image_id
                     for mp in getattr(c, "mount_points", None) or ()):
                out.append(ContainerUse(c.id, c.state.running, mounted_only=True))
        return out

    # -- names ---------------------------------------------------------------
    def new_name(self, name: "str | None") -> str:
        """``name`` checked (Docker's pattern, unique), or a generated
        adjective_surname not in use."""
        if name:
            if not NAME_RE.match(name):
                raise InvalidParameter(
                    f"Invalid container name ({name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed")
            name = name.lstrip("/")
            for other in self.by_id.values():
                if other.name == name:
                    raise Conflict(
                        f'Conflict. The container name "/{name}" is already in use by container '
                        f'"{other.id}". You have to remove (or rename) that container to be able '
                        "to reuse that name.")
            return name
        taken = {c.name for c in self.by_id.values()}
        candidate = self.ids.name()
        attempt = 0
        while candidate in taken:
            attempt += 1
            candidate = self.ids.name_retry(attempt)
        return candidate

    # -- records -------------------------------------------------------------
    def add(self, container: Container) -> None:
        self.by_id[container.id] = container
        self.hub(container)
        self.save(container)

    def forget(self, container: Container) -> None:
        """Drop the record and everything stored for it."""
        self.by_id.pop(container.id, None)
        self.store.delete(f"containers/{container.id}")

    def save(self, container: Container) -> None:
        self.store.put_json(f"containers/{container.id}/config.v2.json", container.to_doc())

    def log_key(self, container: Container) -> str:
        """Where its log driver keeps its records ("": nowhere)."""
        return logdrivers.log_key(container)

    def hub(self, container: Container) -> ContainerHub:
        """The container's output hub (made on first use)."""
        if container.hub is None:
            container.hub = ContainerHub(self.store, self.log_key(container), self.clock.now,
                                         rotation=logdrivers.rotation_or_none(container.host_config))
        return container.hub

    def load(self) -> None:
        """Read every record of the data root.  A container that was running
        when the daemon went away comes back exited."""
        for key in self.store.keys("containers"):
            if not key.endswith("/config.v2.json"):
                continue
            doc = self.store.get_json(key)
            if not isinstance(doc, dict) or "id" not in doc:
                continue
            try:
                container = Container.from_doc(doc)
            except (TypeError, ValueError, KeyError) as exc:
                log.warning("skipping unreadable container record %s: %s", key, exc)
                continue
            # moby's restore: a removal the daemon did not finish is done now
            container.removal_in_progress = container.state.status == "removing"
            if container.state.status in ("running", "paused", "restarting", "removing"):
                container.state.status = "exited"
                container.state.pid = 0
                container.state.exit_code = container.state.exit_code or 255
                container.state.finished_at = container.state.finished_at or self.clock.now()
            self.by_id[container.id] = container
            self.hub(container)
            self.save(container)

    # -- the writable layer ----------------------------------------------------
    def _rw_key(self, container: Container) -> str:
        return f"containers/{container.id}/rw.tar"

    def writable_layer(self, container: Container) -> "WritableLayer | None":
        """The container's writable layer: kept in memory between runs, read
        back from the data root after a daemon restart (None: none yet)."""
        if container.writable is None:
            saved = self.store.get_bytes(self._rw_key(container))
            if saved:
                container.writable = WritableLayer.from_tar(saved)
        return container.writable

    def save_writable_layer(self, container: Container) -> None:
        """Write the container's writable layer to the data root if it
        changed since it was last written (nothing is written otherwise)."""
        writable = container.writable
        if writable is not None and writable.dirty:
            self.store.put_bytes(self._rw_key(container), writable.tar())
            writable.mark_saved()


    # -- the network files -----------------------------------------------------
    def network_files(self, container: Container) -> "dict[str, bytes]":
        """The network files of the container's last run, by name (none
        before its first start)."""
        if container.network_files is None:
            container.network_files = {}
            for name in NETWORK_FILES:
                data = self.store.get_bytes(f"containers/{container.id}/{name}")
                if data is not None:
                    container.network_files[name] = data
        return container.network_files

    def save_network_files(self, container: Container, mounts) -> None:
        """Keep the files of ``mounts`` (FileMounts) in the container's
        folder, writing those that changed."""
        kept = self.network_files(container)
        for mount in mounts:
            name = posixpath.basename(mount.destination)
            if kept.get(name) != mount.content:
                self.store.put_bytes(f"containers/{container.id}/{name}", mount.content)
                kept[name] = mount.content


class Ticker:
    """Calls ``tick()`` every ``period`` seconds on the event loop (moby's
    ``time.Tick`` goroutines: the exec garbage collector), until closed;
    an error is logged and the ticks go on."""

    def __init__(self, tick, period: float, what: str):
        self.tick, self.period, self.what = tick, period, what
        self._timer = None

    def start(self) -> None:
        if self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(self.period, self._fire)

    def _fire(self) -> None:
        self._timer = None
        try:
            self.tick()
        except Exception:
            log.exception("%s failed", self.what)
        self.start()

    def close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None


class LayerFlusher:
    """Saves the writable layers of running containers that changed, at
    most every ``period`` seconds, so a daemon that is killed loses at most
    that much of their files (moby's writable layers live on disk; ours in
    memory until saved).  A timer on the event loop, not the kernel's run:
    a container writing all the time costs one save per period."""

    def __init__(self, records: ContainerRecords, period: float = 2.0):
        self.records = records
        self.period = period
        self._timer = None

    def start(self) -> None:
        if self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(self.period, self._tick)

    def _tick(self) -> None:
        self._timer = None
        try:
            self.flush()
        except Exception:  # a full disk must not stop the daemon; try again later
            log.exception("saving the writable layers failed")
        self.start()

    def flush(self) -> None:
        for container in self.records:
            if container.handle is not None:
                self.records.save_writable_layer(container)

    def close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
