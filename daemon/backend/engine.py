"""The engine: Docker's semantics over the simulated kernel.

`Engine` is the composition root of the backend: it owns the store (the
data root), the kernel, the image and layer stores, the simulated Hub and
the containers, and it implements the facets the routers call (system,
containers, exec, images, host).  Each facet lives in its own module as a
mixin; this module holds the shared plumbing: start-up, persistence,
lookups, and the loop that moves output and exit events from the kernel to
the containers.
"""

import asyncio
import logging
import os
import platform
import time

from ...sim.clock import WallClock
from ...sim.ids import IdSource
from ...sim.images.hub import Hub
from ...sim.images.image_store import ContainerUse, ImageStore
from ...sim.images.layer_store import LayerStore
from ...sim.kernel import ProgramCrashed, TaskExited
from ...sim.runtime.host import boot_host
from ...sim.runtime.sandbox import Runtime
from ...sim.store import DirStore, MemoryStore
from ..errors import InvalidParameter, NotFound
from ..support import API_VERSION, ENGINE_VERSION, MIN_API_VERSION
from .container import Container, rfc3339
from .containers import ContainersMixin
from .driver import Driver
from .exec import ExecMixin
from .hostexec import HostMixin
from .images import ImagesMixin

log = logging.getLogger("dockersim.engine")


class Engine(ContainersMixin, ExecMixin, ImagesMixin, HostMixin):
    """The backend behind every router.

    ``data_root`` None keeps everything in memory (tests).  ``seed`` makes
    ids repeatable; ``clock`` replaces the wall clock.
    """

    def __init__(self, data_root: "str | None" = None, *, seed: "int | None" = None, clock=None):
        self.data_root = os.path.abspath(data_root) if data_root else None
        self.store = DirStore(self.data_root) if self.data_root else MemoryStore()
        self.clock = clock or WallClock(time.time)
        self.ids = IdSource(seed)
        self.layers = LayerStore.load(self.store)
        self.images = ImageStore.load(self.store, self.layers, self.clock)
        self.hub = Hub.load(self.store)
        self.runtime = Runtime(self.layers)
        self.kernel, self.host = boot_host(self.clock, self.ids)
        self.driver: "Driver | None" = None
        self.shutting_down = False
        #: host PID -> the container or exec instance whose process it is.
        self._by_pid: dict = {}
        #: Containers and execs whose pipes got output since the last slice.
        self._dirty: set = set()
        #: Those left undrained because a client is too far behind.
        self._stalled: set = set()
        self.containers: "dict[str, Container]" = {}
        self.execs: dict = {}
        self.daemon_id = self._daemon_id()
        self._load_containers()
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            pass  # no loop yet: the server calls attach_loop() once it runs
        else:
            self.attach_loop()

    # -- life cycle ----------------------------------------------------------
    def attach_loop(self) -> None:
        """Bind to the running event loop (called once the loop runs)."""
        if self.driver is None:
            self.driver = Driver(self.kernel)
            self.driver.after_run.append(self._after_run)
            self.driver.poke()
            self.restart_at_boot()

    async def close(self) -> None:
        """Daemon shutdown: stop what runs (as dockerd does without
        live-restore: SIGTERM, then SIGKILL) and save every container.
        Restart policies rest meanwhile; they act again at the next start."""
        self.shutting_down = True
        for container in self.containers.values():
            self._cancel_restart(container)
        running = [c for c in self.containers.values() if c.state.running]
        await asyncio.gather(*(self.stop(c.id, timeout=2) for c in running), return_exceptions=True)
        for container in self.containers.values():
            self._save(container)
        if self.driver is not None:
            self.driver.close()

    def _daemon_id(self) -> str:
        doc = self.store.get_json("engine-id.json")
        if not doc:
            doc = {"ID": self.ids.hex_id()[:36]}
            self.store.put_json("engine-id.json", doc)
        return doc["ID"]

    # -- persistence ---------------------------------------------------------
    def _save(self, container: Container) -> None:
        self.store.put_json(f"containers/{container.id}/config.v2.json", container.to_doc())

    def _load_containers(self) -> None:
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
            if container.state.status in ("running", "restarting", "removing"):
                # The daemon went away under it: it is not running any more.
                container.state.status = "exited"
                container.state.pid = 0
                container.state.exit_code = container.state.exit_code or 255
                container.state.finished_at = container.state.finished_at or self.clock.now()
            self.containers[container.id] = container
            self._ensure_hub(container)
            self._save(container)

    def log_key(self, container: Container) -> str:
        return f"containers/{container.id}/{container.id}-json.log"

    # -- lookups -------------------------------------------------------------
    def resolve(self, ref: str) -> Container:
        """moby's GetContainer: full id, then exact name, then unique id
        prefix.  Raises NotFound("No such container: <ref>")."""
        ref = ref or ""
        if ref in self.containers:
            return self.containers[ref]
        name = ref.lstrip("/")
        for container in self.containers.values():
            if container.name == name:
                return container
        if ref and all(c in "0123456789abcdef" for c in ref):
            found = [c for cid, c in self.containers.items() if cid.startswith(ref)]
            if len(found) == 1:
                return found[0]
            if found:
                raise InvalidParameter(f"multiple IDs found with provided prefix: {ref}")
        raise NotFound(f"No such container: {ref}")

    def bridge_network_id(self) -> str:
        """The default bridge network's id: stable for this daemon."""
        import hashlib

        return hashlib.sha256(f"{self.daemon_id}/bridge".encode()).hexdigest()

    def _containers_using(self, image_id: str):
        return [ContainerUse(c.id, c.state.running) for c in self.containers.values()
                if c.image_id == image_id]

    # -- the kernel's side ---------------------------------------------------
    def poke(self) -> None:
        self.attach_loop()
        self.driver.poke()

    def _track(self, owner, rt) -> None:
        """Follow a started process (a container's or an exec's): its host
        PID leads back to ``owner`` at exit, and its pipes mark ``owner``
        as having output to move."""
        self._by_pid[rt.task.host_pid] = owner
        for pipe in (rt.stdout, rt.stderr):
            if pipe is not None:
                pipe.listeners.append(lambda owner=owner: self._dirty.add(owner))

    def _resume_output(self, owner):
        """The hub callback for a listener that caught up: drain again."""
        def resume():
            if owner in self._stalled:
                self._stalled.discard(owner)
                self._dirty.add(owner)
                self.poke()
        return resume

    def _after_run(self) -> None:
        """After each kernel slice: move output to the hubs of the processes
        that wrote some, then handle exits (in that order, so no output is
        lost at exit)."""
        dirty, self._dirty = self._dirty, set()
        for owner in dirty:
            rt = owner.runtime
            if rt is None:
                continue
            if owner.hub.backlogged:
                self._stalled.add(owner)  # its pipes fill up; the writer waits
            else:
                self._pump_output(rt.stdout, rt.stderr, owner.hub)
        for event in self.kernel.drain_events():
            if isinstance(event, TaskExited):
                try:
                    self._on_task_exit(event)
                except Exception:  # one failure must not lose the other exits
                    log.exception("handling the exit of host pid %d failed", event.host_pid)
            elif isinstance(event, ProgramCrashed):
                log.error("simulated program %s (host pid %d) crashed:\n%s",
                          event.comm, event.host_pid, event.text)

    @staticmethod
    def _pump_output(stdout, stderr, hub) -> None:
        for stream, pipe in ((1, stdout), (2, stderr)):
            if pipe is not None:
                data = pipe.drain()
                if data:
                    hub.emit(stream, data)

    def _on_task_exit(self, event: TaskExited) -> None:
        owner = self._by_pid.pop(event.host_pid, None)
        if owner is None or owner.runtime is None or owner.runtime.task.host_pid != event.host_pid:
            return  # not a container's or an exec's first process
        self._stalled.discard(owner)
        self._dirty.discard(owner)
        if owner.id in self.containers:
            self._container_exited(owner, event.status)
        else:
            self._exec_exited(owner, event.status)

    # -- system facet --------------------------------------------------------
    def version_info(self) -> dict:
        return {
            "Version": ENGINE_VERSION,
            "ApiVersion": API_VERSION,
            "MinAPIVersion": MIN_API_VERSION,
            "Os": "linux",
            "Arch": _arch(self.kernel.machine),
            "KernelVersion": self.kernel.release,
        }

    def system_info(self) -> dict:
        states = [c.state.status for c in self.containers.values()]
        try:
            open_fds = len(os.listdir("/proc/self/fd"))  # the daemon's own, as dockerd reports
        except OSError:
            open_fds = 0
        return {
            "NFd": open_fds,
            "NGoroutines": len(asyncio.all_tasks()) if self.driver is not None else 0,
            "SystemTime": rfc3339(self.clock.now()),
            "Containers": len(states),
            "ContainersRunning": states.count("running"),
            "ContainersPaused": states.count("paused"),
            "ContainersStopped": len(states) - states.count("running") - states.count("paused"),
            "Images": len(self.images.list(all=False)),
            "Name": self.kernel.hostname,
            "ID": self.daemon_id,
            "KernelVersion": self.kernel.release,
            "OperatingSystem": "dockersim (simulated Linux)",
            "NCPU": self.kernel.ncpu,
            "MemTotal": self.kernel.mem_total_kb * 1024,
            "DockerRootDir": self.data_root or "(memory)",
            "Architecture": self.kernel.machine,
        }


def _arch(machine: str) -> str:
    return {"x86_64": "amd64", "aarch64": "arm64"}.get(machine, machine or platform.machine())
