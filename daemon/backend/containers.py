"""Containers: create, start, attach, wait, kill, stop, remove, logs, top.

Docker's rules (moby's daemon/create.go, start.go, attach.go, wait.go,
kill.go, stop.go, delete.go, logs.go), written over the simulated kernel.
"""

import asyncio
import logging
import re

from ...sim.abi import Signal
from ...sim.images.errors import ImageNotFound, InvalidReference
from ...sim.runtime.sandbox import StartError
from ..errors import Conflict, InvalidParameter, NotFound, NotModified, SystemError
from ..wire.stdcopy import encode_frame as frame
from .container import Container, rfc3339
from .output import OutputHub, read_log
from . import restart, views

log = logging.getLogger("dockersim.engine")

NAME_RE = re.compile(r"^/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$")
WAIT_CONDITIONS = ("not-running", "next-exit", "removed")


class ContainerHub(OutputHub):
    """A container's output hub plus the futures of ``/wait`` callers."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.exit_waiters: list = []
        self.removal_waiters: list = []
        self.stdin = None  # the stdin Pipe while the container can take input


#: The create body's fields whose JSON type Go's decoder would enforce:
#: field -> (accepted kinds, the Go type named in the error).
_STRINGS = ("strings", "[]string")
CREATE_FIELD_TYPES = {
    "Image": ("string", "string"), "Hostname": ("string", "string"),
    "Domainname": ("string", "string"), "User": ("string", "string"),
    "WorkingDir": ("string", "string"), "Env": _STRINGS,
    "Cmd": ("strslice", "string"), "Entrypoint": ("strslice", "string"),
    "Labels": ("stringmap", "map[string]string"), "ExposedPorts": ("object", "nat.PortSet"),
    "Volumes": ("object", "map[string]struct {}"), "HostConfig": ("object", "container.HostConfig"),
    "Tty": ("bool", "bool"), "OpenStdin": ("bool", "bool"), "StdinOnce": ("bool", "bool"),
    "AttachStdin": ("bool", "bool"), "AttachStdout": ("bool", "bool"),
    "AttachStderr": ("bool", "bool"), "StopSignal": ("string", "string"),
}


def _json_kind(value) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return {str: "string", list: "array", dict: "object"}.get(type(value), "value")


def check_create_body(body: dict) -> None:
    """Refuse what Go's decoder would refuse, with its words, instead of
    letting a string Env or a numeric Cmd reach the runtime."""
    def ok(kind, value):
        if value is None:
            return True
        if kind == "string":
            return isinstance(value, str)
        if kind == "bool":
            return isinstance(value, bool)
        if kind == "object":
            return isinstance(value, dict)
        if kind == "strings":
            return isinstance(value, list) and all(isinstance(v, str) for v in value)
        if kind == "strslice":  # a string or a list of strings (moby's StrSlice)
            return isinstance(value, str) or ok("strings", value)
        if kind == "stringmap":
            return isinstance(value, dict) and all(isinstance(v, str) for v in value.values())
        return True

    for field, (kind, go_type) in CREATE_FIELD_TYPES.items():
        value = body.get(field)
        if not ok(kind, value):
            shown = value
            if isinstance(value, list):
                shown = next((v for v in value if not isinstance(v, str)), value)
            elif isinstance(value, dict):
                shown = next((v for v in value.values() if not isinstance(v, str)), value)
            raise InvalidParameter(f"json: cannot unmarshal {_json_kind(shown)} into Go struct field "
                                   f"CreateRequest.{field} of type {go_type}")


def start_error(err: StartError):
    """The error kind dockerd answers a failed start with (400 for a
    command that cannot run, 500 for anything else)."""
    return (InvalidParameter if err.kind == "invalid" else SystemError)(err.message)


def merge_env(base, extra) -> list:
    """Image Env overridden by the client's, keyed by variable name."""
    out, index = [], {}
    for item in list(base or []) + list(extra or []):
        key = item.split("=", 1)[0]
        if key in index:
            out[index[key]] = item
        else:
            index[key] = len(out)
            out.append(item)
    return out


class ContainersMixin:
    # -- create --------------------------------------------------------------
    def create_container(self, name: "str | None", body: dict) -> dict:
        body = dict(body or {})
        check_create_body(body)
        image_ref = body.get("Image") or ""
        if not image_ref:
            raise InvalidParameter("config cannot be empty in order to create a container")
        try:
            image = self.images.lookup(image_ref)
        except ImageNotFound as err:
            raise NotFound(str(err)) from None
        except InvalidReference as err:
            raise InvalidParameter(str(err)) from None
        name = self._new_name(name)
        cid = self.ids.hex_id()
        config = self._merge_config(body, image.container_config, cid)
        entry = list(config.get("Entrypoint") or []) + list(config.get("Cmd") or [])
        if not entry:
            raise InvalidParameter("no command specified")
        host_config = self._host_config(body.get("HostConfig") or {})
        restart.validate(host_config)
        container = Container(
            id=cid, name=name, created=self.clock.now(), config=config, host_config=host_config,
            image_id=image.id, diff_ids=image.diff_ids, path=entry[0], args=entry[1:])
        if image.top_chain_id is not None:
            self.layers.acquire(image.top_chain_id)  # the writable layer's parent chain
        self.containers[cid] = container
        self._ensure_hub(container)
        self._save(container)
        return {"Id": cid, "Warnings": []}

    def _new_name(self, name: "str | None") -> str:
        if name:
            if not NAME_RE.match(name):
                raise InvalidParameter(
                    f"Invalid container name ({name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed")
            name = name.lstrip("/")
            for other in self.containers.values():
                if other.name == name:
                    raise Conflict(
                        f'Conflict. The container name "/{name}" is already in use by container '
                        f'"{other.id}". You have to remove (or rename) that container to be able '
                        "to reuse that name.")
            return name
        taken = {c.name for c in self.containers.values()}
        candidate = self.ids.name()
        attempt = 0
        while candidate in taken:
            attempt += 1
            candidate = self.ids.name_retry(attempt)
        return candidate

    @staticmethod
    def _merge_config(body: dict, image_cfg: dict, cid: str) -> dict:
        """Config as Docker stores it: the client's, with the image's
        defaults for what the client left out (moby's merge())."""
        if body.get("Entrypoint"):
            entrypoint = body.get("Entrypoint")
            cmd = body.get("Cmd") or []
        else:
            entrypoint = image_cfg.get("Entrypoint")
            cmd = body.get("Cmd") or image_cfg.get("Cmd") or []
        if isinstance(entrypoint, str):
            entrypoint = [entrypoint]
        if isinstance(cmd, str):
            cmd = [cmd]
        exposed = dict(image_cfg.get("ExposedPorts") or {})
        exposed.update(body.get("ExposedPorts") or {})
        labels = dict(image_cfg.get("Labels") or {})
        labels.update(body.get("Labels") or {})
        volumes = dict(image_cfg.get("Volumes") or {})
        volumes.update(body.get("Volumes") or {})
        config = {k: v for k, v in body.items() if k not in ("HostConfig", "NetworkingConfig")}
        config.update({
            "Hostname": body.get("Hostname") or cid[:12],
            "Domainname": body.get("Domainname") or "",
            "User": body.get("User") or image_cfg.get("User") or "",
            "AttachStdin": bool(body.get("AttachStdin")),
            "AttachStdout": bool(body.get("AttachStdout")),
            "AttachStderr": bool(body.get("AttachStderr")),
            "Tty": bool(body.get("Tty")),
            "OpenStdin": bool(body.get("OpenStdin")),
            "StdinOnce": bool(body.get("StdinOnce")),
            "Env": merge_env(image_cfg.get("Env"), body.get("Env")),
            "Cmd": list(cmd) if cmd else None,
            "Image": body.get("Image"),
            "Volumes": volumes or None,
            "WorkingDir": body.get("WorkingDir") or image_cfg.get("WorkingDir") or "",
            "Entrypoint": list(entrypoint) if entrypoint else None,
            "OnBuild": image_cfg.get("OnBuild"),
            "Labels": labels,
        })
        config.pop("ExposedPorts", None)
        config.pop("StopSignal", None)
        if exposed:
            config["ExposedPorts"] = exposed
        stop_signal = body.get("StopSignal") or image_cfg.get("StopSignal")
        if stop_signal:
            config["StopSignal"] = stop_signal
        if body.get("StopTimeout") is not None:
            config["StopTimeout"] = body["StopTimeout"]
        return config

    @staticmethod
    def _host_config(hc: dict) -> dict:
        """HostConfig as the client sent it, with the daemon's defaults
        filled in where inspect shows them (docker-py reads LogConfig.Type)."""
        out = dict(hc)
        if out.get("NetworkMode") in (None, "", "default"):
            out["NetworkMode"] = "bridge"
        log_config = dict(out.get("LogConfig") or {})
        if not log_config.get("Type"):
            log_config["Type"] = "json-file"
        log_config.setdefault("Config", {})
        out["LogConfig"] = log_config
        restart = dict(out.get("RestartPolicy") or {})
        restart.setdefault("Name", "no")
        restart.setdefault("MaximumRetryCount", 0)
        if not restart["Name"]:
            restart["Name"] = "no"
        out["RestartPolicy"] = restart
        out.setdefault("AutoRemove", False)
        out.setdefault("PortBindings", {})
        out.setdefault("Binds", None)
        out.setdefault("Privileged", False)
        out.setdefault("ConsoleSize", [0, 0])
        return out

    def _ensure_hub(self, container: Container) -> ContainerHub:
        if container.hub is None:
            container.hub = ContainerHub(self.store, self.log_key(container), self.clock.now,
                                         on_space=self._resume_output(container))
        return container.hub

    # -- start ---------------------------------------------------------------
    async def start_container(self, ref: str) -> None:
        container = self.resolve(ref)
        if container.state.running:
            raise NotModified("container already started")
        if container.state.status == "removing":
            raise Conflict(f"container {container.id} is marked for removal and cannot be started")
        self._cancel_restart(container)
        container.manually_stopped = False
        container.restart_count = 0
        self._start(container)

    def _stdin_pipe(self, container: Container):
        """The pipe that will be (or is) this run's stdin: made by the
        first attach or the start, dropped when the run ends."""
        hub = self._ensure_hub(container)
        if hub.stdin is None and container.config.get("OpenStdin"):
            hub.stdin = self.runtime.new_pipe(self.kernel, external_writer=True)
        return hub.stdin

    def _start(self, container: Container) -> None:
        if not container.state.can("start"):
            raise Conflict(f"cannot start container {container.id}: it is {container.state.status}")
        cfg = container.config
        try:
            rt = self.runtime.start(
                self.kernel, self.host, container_id=container.id, diff_ids=container.diff_ids,
                hostname=cfg.get("Hostname") or container.short_id,
                domainname=cfg.get("Domainname") or "",
                argv=[container.path] + list(container.args), env=cfg.get("Env") or [],
                workdir=cfg.get("WorkingDir") or "", user=cfg.get("User") or "",
                tty=bool(cfg.get("Tty")), stdin=self._stdin_pipe(container),
                ip_address=self._allocate_ip(container), upper=self._writable_layer(container))
        except StartError as err:
            container.ip_address = container.mac_address = ""
            container.restart_timer = None
            container.state.transition("start_failed")
            container.state.exit_code = err.exit_code
            container.state.error = err.message
            self._save(container)
            if container.host_config.get("AutoRemove"):
                self._remove(container)  # as moby cleans up a --rm container that failed
            raise start_error(err) from None
        container.upper = rt.upper
        container.runtime = rt
        self._track(container, rt)
        container.endpoint_id, container.sandbox_id = self.ids.hex_id(), self.ids.hex_id()
        state = container.state
        state.transition("start")
        state.pid = rt.task.host_pid
        state.exit_code = 0
        state.error = ""
        state.started_at = self.clock.now()
        state.finished_at = None
        self._save(container)
        self.poke()

    def image_layers_size(self, container: Container) -> int:
        """The bytes of the image layers under the container (its chain is
        held by the container, so this works even after ``rmi -f``)."""
        chain = self.layers.chain_ids(container.diff_ids)
        return self.layers.chain_size(chain[-1]) if chain and chain[-1] in self.layers else 0

    def _rw_key(self, container: Container) -> str:
        return f"containers/{container.id}/rw.tar"

    def _writable_layer(self, container: Container):
        """The container's upper tree: kept in memory between runs, and read
        back from the data root after a daemon restart."""
        if container.upper is None:
            saved = self.store.get_bytes(self._rw_key(container))
            if saved:
                container.upper = self.runtime.upper_from_tar(saved)
        return container.upper

    def _save_writable_layer(self, container: Container, rt) -> None:
        self.store.put_bytes(self._rw_key(container), rt.overlay.upper_diff_tar())

    def _allocate_ip(self, container: Container) -> str:
        """The lowest free address of the default bridge (172.17.0.0/16,
        the gateway being .1), held while the container runs, as Docker's
        IPAM hands them out; the MAC address is derived from it."""
        used = {c.ip_address for c in self.containers.values() if c.state.running}
        for host in range(2, 65534):
            ip = f"172.17.{host // 256}.{host % 256}"
            if ip not in used:
                container.ip_address = ip
                a, b, c, d = (int(x) for x in ip.split("."))
                container.mac_address = f"02:42:{a:02x}:{b:02x}:{c:02x}:{d:02x}"
                return ip
        raise Conflict("no available IPv4 addresses on the default bridge network")

    # -- exit ----------------------------------------------------------------
    def _container_exited(self, container: Container, status) -> None:
        rt, container.runtime = container.runtime, None
        self._pump_output(rt.stdout, rt.stderr, container.hub)
        self.runtime.stop(self.kernel, rt)
        state = container.state
        state.transition("exit")
        state.exit_code = status.exit_code
        state.pid = 0
        state.finished_at = self.clock.now()
        container.ip_address = container.mac_address = ""  # back to the bridge's pool
        container.endpoint_id = container.sandbox_id = ""
        container.hub.close()
        if not container.host_config.get("AutoRemove"):
            self._save_writable_layer(container, rt)
        container.hub.stdin = None  # the next run gets a new stdin
        self._save(container)
        result = {"StatusCode": state.exit_code, "Error": None}
        waiters, container.hub.exit_waiters = container.hub.exit_waiters, []
        for fut in waiters:
            if not fut.done():
                fut.set_result(result)
        if container.host_config.get("AutoRemove"):
            self._remove(container)
        elif not self.shutting_down and restart.should_restart(
                container.host_config, state.exit_code, container.manually_stopped,
                container.restart_count):
            self._schedule_restart(container)

    # -- restart policies ----------------------------------------------------
    def _schedule_restart(self, container: Container) -> None:
        """Start it again after the policy's back-off; meanwhile it is
        ``restarting``."""
        state = container.state
        ran_for = (state.finished_at or 0) - (state.started_at or 0)
        container.restart_delay = restart.next_delay(container.restart_delay, ran_for)
        state.transition("schedule_restart")
        container.restart_count += 1
        self._save(container)
        loop = asyncio.get_running_loop()
        container.restart_timer = loop.call_later(container.restart_delay, self._restart_now, container)

    def _restart_now(self, container: Container) -> None:
        container.restart_timer = None
        if self.containers.get(container.id) is not container or container.state.status != "restarting":
            return
        try:
            self._start(container)
        except Exception as err:  # a start error ends the policy's attempts, as in moby
            log.warning("restart of %s failed: %s", container.name, err)

    def _cancel_restart(self, container: Container) -> None:
        if container.restart_timer is not None:
            container.restart_timer.cancel()
            container.restart_timer = None
        if container.state.status == "restarting":
            container.state.transition("cancel_restart")
            self._save(container)

    def restart_at_boot(self) -> None:
        """After a daemon start: bring back what the policies say."""
        for container in list(self.containers.values()):
            if container.state.status in ("exited", "created") and container.state.finished_at \
                    and restart.restart_at_boot(container.host_config, container.manually_stopped):
                try:
                    self._start(container)
                except Exception as err:
                    log.warning("restart of %s at daemon start failed: %s", container.name, err)

    # -- wait ----------------------------------------------------------------
    def wait_container(self, ref: str, condition: str = "not-running"):
        """Validate now; return an awaitable of the wait body.  The router
        flushes its headers between the two (the CLI waits for them before
        it starts the container)."""
        condition = condition or "not-running"
        if condition not in WAIT_CONDITIONS:
            raise InvalidParameter(f"invalid condition: {condition!r}")
        container = self.resolve(ref)
        hub = self._ensure_hub(container)
        fut = asyncio.get_running_loop().create_future()
        if condition == "removed":
            hub.removal_waiters.append(fut)
        elif condition == "not-running" and not container.state.running:
            fut.set_result({"StatusCode": container.state.exit_code, "Error": None})
        else:
            hub.exit_waiters.append(fut)
        return fut

    # -- attach --------------------------------------------------------------
    def attach_check(self, ref: str) -> Container:
        container = self.resolve(ref)
        if container.state.status == "removing":
            raise Conflict(f"container {container.id} is being removed")
        return container

    async def attach(self, container: Container, *, stdin: bool, stdout: bool, stderr: bool,
                     logs: bool, stream: bool, conn) -> None:
        """Copy the container's output to ``conn`` (multiplexed frames
        without a TTY, raw bytes with one) and ``conn``'s input to the
        container's stdin, until the container exits or the client leaves."""
        hub = self._ensure_hub(container)
        wanted = {s for s, on in ((1, stdout), (2, stderr)) if on}
        listener = hub.listen(wanted) if stream else None
        pump = None
        if stdin and container.config.get("OpenStdin"):
            pump = asyncio.ensure_future(self._pump_stdin(conn, self._stdin_pipe(container),
                                                          bool(container.config.get("StdinOnce"))))
        stored = self._stored_output(container, wanted) if logs else []
        try:
            async for chunk in self._output(container.tty, stored, listener, timestamps=False,
                                            gone=conn.wait_closed):
                if not await conn.write(chunk):
                    break
        finally:
            if listener is not None:
                hub.unlisten(listener)
            if pump is not None:
                pump.cancel()
            await conn.close()

    @staticmethod
    def _encode(tty: bool, stream: int, data: bytes) -> bytes:
        return data if tty else frame(stream, data)

    async def _pump_stdin(self, conn, pipe, close_at_eof: bool) -> None:
        """Copy the client's input into the process's stdin pipe, reading
        more only while the pipe has room (so a large upload waits for the
        process, as it would on a real pipe)."""
        room = asyncio.Event()
        pipe.listeners.append(room.set)
        try:
            while True:
                while len(pipe.buffer) >= pipe.capacity and not pipe.reader_gone:
                    room.clear()
                    await room.wait()
                data = await conn.read()
                if not data:
                    break
                pipe.feed(data)
                self.poke()
            if close_at_eof:
                self.runtime.close_external_writer(pipe)
                self.poke()
        finally:
            pipe.listeners.remove(room.set)

    # -- signals, stop -------------------------------------------------------
    async def kill_container(self, ref: str, signal: "str | None" = None) -> None:
        container = self.resolve(ref)
        try:
            sig = Signal.parse(signal) if signal else Signal.SIGKILL
        except ValueError:
            raise InvalidParameter(f"Invalid signal: {signal}") from None
        if container.state.status == "restarting":
            raise Conflict(f"Cannot kill container: {ref}: Container {container.id} is restarting, "
                           "wait until the container is running")
        if not container.state.running:
            raise Conflict(f"Cannot kill container: {ref}: container {container.id} is not running")
        container.manually_stopped = True
        self.kernel.send_signal(container.runtime.task, sig)
        self.poke()
        if sig == Signal.SIGKILL:
            await self._wait_exit(container, None)

    async def stop_container(self, ref: str, timeout: "int | None" = None,
                             signal: "str | None" = None) -> None:
        container = self.resolve(ref)
        if container.state.status == "restarting":
            container.manually_stopped = True
            self._cancel_restart(container)
            return
        if not container.state.running:
            raise NotModified("container already stopped")
        container.manually_stopped = True
        await self.stop(container.id, timeout, signal)

    async def stop(self, cid: str, timeout: "int | None" = None, signal: "str | None" = None) -> None:
        """SIGTERM (or the StopSignal), then SIGKILL after the grace period
        (moby's containerStop)."""
        container = self.containers[cid]
        if not container.state.running:
            return
        if timeout is None:
            timeout = container.config.get("StopTimeout")
        if timeout is None:
            timeout = 10
        try:
            sig = Signal.parse(signal or container.config.get("StopSignal") or "SIGTERM")
        except ValueError:
            raise InvalidParameter(f"Invalid signal: {signal}") from None
        self.kernel.send_signal(container.runtime.task, sig)
        self.poke()
        if await self._wait_exit(container, None if timeout < 0 else timeout):
            return
        if container.state.running:
            self.kernel.send_signal(container.runtime.task, Signal.SIGKILL)
            self.poke()
            await self._wait_exit(container, None)

    async def _wait_exit(self, container: Container, timeout: "float | None") -> bool:
        if not container.state.running:
            return True
        fut = asyncio.get_running_loop().create_future()
        container.hub.exit_waiters.append(fut)
        try:
            await asyncio.wait_for(asyncio.shield(fut), timeout)
            return True
        except asyncio.TimeoutError:
            return False

    async def restart_container(self, ref: str, timeout: "int | None" = None) -> None:
        """Stop (if running) and start again; a --rm container is not
        removed by the stop in between (moby suspends AutoRemove too)."""
        container = self.resolve(ref)
        self._cancel_restart(container)
        container.manually_stopped = False
        auto_remove = container.host_config.get("AutoRemove")
        container.host_config["AutoRemove"] = False
        try:
            await self.stop(container.id, timeout)
        finally:
            container.host_config["AutoRemove"] = auto_remove
        self._start(container)

    # -- remove --------------------------------------------------------------
    async def remove_container(self, ref: str, force: bool = False, volumes: bool = False) -> None:
        container = self.resolve(ref)
        if container.state.status == "removing":
            raise Conflict(f"removal of container {container.id} is already in progress")
        if container.state.status == "restarting":
            if not force:
                raise Conflict(f'cannot remove container "/{container.name}": container is restarting: '
                               "stop the container before removing or force remove")
            self._cancel_restart(container)
        if container.state.running:
            if not force:
                raise Conflict(
                    f'cannot remove container "/{container.name}": container is running: '
                    "stop the container before removing or force remove")
            self.kernel.send_signal(container.runtime.task, Signal.SIGKILL)
            self.poke()
            await self._wait_exit(container, None)
            if container.id not in self.containers:  # AutoRemove got there first
                return
        self._remove(container)

    def _remove(self, container: Container) -> None:
        container.state.transition("remove")
        self.containers.pop(container.id, None)
        top = self.layers.chain_ids(container.diff_ids)[-1:] if container.diff_ids else []
        for chain_id in top:
            if chain_id in self.layers:
                self.layers.release(chain_id)
        for eid in list(container.exec_ids):
            self.execs.pop(eid, None)
        self.store.delete(f"containers/{container.id}")
        waiters, container.hub.removal_waiters = container.hub.removal_waiters, []
        for fut in waiters:
            if not fut.done():
                fut.set_result({"StatusCode": container.state.exit_code, "Error": None})

    # -- views ---------------------------------------------------------------
    def list_containers(self, all: bool = False, limit: int = -1, size: bool = False,
                        filters: "dict | None" = None) -> list:
        return views.list_containers(self, all=all, limit=limit, size=size, filters=filters or {})

    def inspect_container(self, ref: str, size: bool = False) -> dict:
        return views.inspect_container(self, self.resolve(ref), size=size)

    def resize_container(self, ref: str, height: int, width: int) -> None:
        container = self.resolve(ref)
        if not container.state.running:
            raise Conflict(f"container {container.id} is not running")

    # -- the filesystem ------------------------------------------------------
    CHANGE_KINDS = {"C": 0, "A": 1, "D": 2}

    def container_changes(self, ref: str) -> list:
        """``docker diff``: what the writable layer changed against the
        image, as [{"Path", "Kind"}] with Kind 0 modified, 1 added, 2 deleted."""
        container = self.resolve(ref)
        if container.runtime is not None:
            overlay = container.runtime.overlay
        else:
            overlay = self.runtime.rootfs(self.kernel, container.diff_ids,
                                          self._writable_layer(container))
        return [{"Path": path, "Kind": self.CHANGE_KINDS[kind]} for kind, path in overlay.changes()]

    # -- rename and prune ----------------------------------------------------
    def rename_container(self, ref: str, new_name: str) -> None:
        """``docker rename`` (moby's daemon/rename.go)."""
        container = self.resolve(ref)
        if not new_name:
            raise InvalidParameter("Neither old nor new names may be empty")
        if new_name.lstrip("/") == container.name:
            raise InvalidParameter("Renaming a container with the same name as its current name")
        container.name = self._new_name(new_name)
        self._save(container)

    def prune_containers(self, filters: "dict | None" = None) -> dict:
        """``docker container prune``: remove every stopped container (label
        filters honoured); report the ids and the bytes freed."""
        deleted, reclaimed = [], 0
        for container in list(self.containers.values()):
            if container.state.running or not views.matches_labels(container, filters or {}):
                continue
            reclaimed += self.runtime.upper_size(self._writable_layer(container))
            self._remove(container)
            deleted.append(container.id)
        return {"ContainersDeleted": deleted or None, "SpaceReclaimed": reclaimed}

    # -- logs ----------------------------------------------------------------
    def logs_check(self, ref: str, stdout: bool, stderr: bool) -> Container:
        if not (stdout or stderr):
            raise InvalidParameter("Bad parameters: you must choose at least one stream")
        return self.resolve(ref)

    async def logs(self, container: Container, *, stdout: bool, stderr: bool, follow: bool,
                   timestamps: bool, tail: str = "all", since: float = 0, until: float = 0,
                   gone=None):
        """Yield encoded log chunks: first the stored records (filtered by
        since/until/tail), then, with ``follow``, live output until the
        container stops."""
        wanted = {s for s, on in ((1, stdout), (2, stderr)) if on}
        running = follow and container.state.running
        listener = container.hub.listen(wanted, records=True) if running else None
        try:
            stored = self._stored_output(container, wanted, since, until, tail)
            async for chunk in self._output(container.tty, stored, listener, timestamps, gone):
                yield chunk
        finally:
            if listener is not None:
                container.hub.unlisten(listener)

    def _stored_output(self, container: Container, wanted, since: float = 0, until: float = 0,
                       tail: "str | None" = "all") -> list:
        """The logged records of the wanted streams, as (stream, record),
        filtered by time and cut to the last ``tail`` (moby's json-file reader)."""
        selected = []
        for rec in read_log(self.store, self.log_key(container)):
            stream = 1 if rec.get("stream") == "stdout" else 2
            if stream not in wanted:
                continue
            t = _parse_time(rec.get("time", ""))
            if (since and t < since) or (until and t > until):
                continue
            selected.append((stream, rec))
        if tail not in ("", "all", None):
            try:
                n = int(tail)
            except ValueError:
                n = -1
            if n >= 0:
                selected = selected[-n:] if n else []
        return selected

    async def _output(self, tty: bool, stored, listener, timestamps: bool, gone=None):
        """Encoded output chunks (raw with a TTY, framed without): the
        stored records first, then live output from ``listener`` (if any)
        until the process stops, or until ``gone()`` (a coroutine function
        whose call ends when the client leaves) completes."""
        for stream, rec in stored:
            data = rec.get("log", "").encode()
            if timestamps:
                data = rec.get("time", "").encode() + b" " + data
            yield self._encode(tty, stream, data)
        if listener is None:
            return
        watcher = asyncio.ensure_future(gone()) if gone is not None else None
        try:
            while True:
                getter = asyncio.ensure_future(listener.queue.get())
                waiting = {getter} if watcher is None else {getter, watcher}
                await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
                if not getter.done():
                    getter.cancel()
                    return  # the client left
                item = getter.result()
                listener.took()
                if item is None:
                    return
                stream, data, stamp = item
                if timestamps:
                    data = (stamp or rfc3339(self.clock.now())).encode() + b" " + data
                yield self._encode(tty, stream, data)
        finally:
            if watcher is not None:
                watcher.cancel()

    # -- top -----------------------------------------------------------------
    async def top_container(self, ref: str, ps_args: str = "") -> dict:
        """Run ``ps`` on the host and keep the rows of the container's
        processes, as moby does (daemon/top_unix.go)."""
        container = self.resolve(ref)
        if not container.state.running:
            raise Conflict(f"container {container.id} is not running")
        pids = {t.host_pid for t in self.kernel.task_infos(container.runtime.nsset.pid)}
        args = ps_args.split() if ps_args else ["-ef"]
        code, out, err = await self.host_exec(["ps"] + args)
        if code != 0:
            raise InvalidParameter(f"ps: {err.decode(errors='replace').strip()}")
        lines = out.decode(errors="replace").splitlines()
        if not lines:
            return {"Titles": [], "Processes": []}
        titles = lines[0].split()
        if "PID" not in titles:
            raise InvalidParameter("Couldn't find PID field in ps output")
        pid_col = titles.index("PID")
        processes = []
        for line in lines[1:]:
            fields = line.split(None, len(titles) - 1)
            if len(fields) > pid_col and fields[pid_col].isdigit() and int(fields[pid_col]) in pids:
                processes.append(fields)
        return {"Titles": titles, "Processes": processes}


def _parse_time(text: str) -> float:
    from ...sim.images.image_store import parse_created

    return parse_created(text) if text else 0.0
