"""Exec instances: ``docker exec`` (moby's daemon/exec.go).

An exec instance is created against a running container, started once,
and runs as a new process in the container's namespaces (the runtime
handle's ``exec``), a child of the container's shim.  Its output goes only
to the client that started it (not to the container's log); its exit code
is set before the stream closes, as the CLI inspects right after the end
of the stream.
"""

import asyncio

import attrs

from ...sim.runtime.sandbox import StartError
from ...sim.runtime.spec import ProcessSpec
from ..errors import Conflict, InvalidParameter, NotFound
from .output import OutputHub
from .start import start_error
from .streaming import encode, output_chunks, pump_stdin


class _NoLog:
    """Exec output is not logged: a store that forgets."""

    def append_bytes(self, key, data):
        pass


@attrs.define(eq=False)
class ExecInstance:
    id: str
    container_id: str
    config: dict
    running: bool = False
    exit_code: "int | None" = None
    pid: int = 0
    started: bool = False
    hub: object = attrs.field(default=None, repr=False)
    stdin: object = attrs.field(default=None, repr=False)


class Execs:
    def __init__(self, records, processes, runtime, clock, ids):
        self.records = records
        self.processes = processes
        self.runtime = runtime
        self.clock = clock
        self.ids = ids
        self.by_id: "dict[str, ExecInstance]" = {}

    def exec_create(self, ref: str, body: dict) -> dict:
        container = self.records.resolve(ref)
        if not container.state.running:
            raise Conflict(f"container {container.id} is not running")
        if container.state.paused:  # moby's getActiveContainer: the name as given
            raise Conflict(f"Container {ref} is paused, unpause the container before exec")
        cmd = body.get("Cmd") or []
        if isinstance(cmd, str):
            cmd = [cmd]
        if not cmd:
            raise InvalidParameter("No exec command specified")
        eid = self.ids.hex_id()
        config = {
            "Cmd": list(cmd),
            "Tty": bool(body.get("Tty")),
            "AttachStdin": bool(body.get("AttachStdin")),
            "AttachStdout": bool(body.get("AttachStdout")),
            "AttachStderr": bool(body.get("AttachStderr")),
            "Env": list(body.get("Env") or []),
            "WorkingDir": body.get("WorkingDir") or "",
            "User": body.get("User") or "",
            "Privileged": bool(body.get("Privileged")),
            "DetachKeys": body.get("DetachKeys") or "",
        }
        exe = ExecInstance(eid, container.id, config)
        exe.hub = OutputHub(_NoLog(), "", self.clock.now)
        self.by_id[eid] = exe
        container.exec_ids.append(eid)
        return {"Id": eid}

    def forget_container(self, container) -> None:
        """The container is gone: so are its exec instances, finished ones
        included (``ExecIDs`` lists only the running)."""
        for eid in [eid for eid, exe in self.by_id.items() if exe.container_id == container.id]:
            del self.by_id[eid]

    def exec_get(self, eid: str) -> ExecInstance:
        exe = self.by_id.get(eid)
        if exe is None:
            raise NotFound(f"No such exec instance: {eid}")
        return exe

    def exec_start_check(self, eid: str) -> ExecInstance:
        """Validate and claim the exec instance: a second start, even one
        racing this one, is a conflict."""
        exe = self.exec_get(eid)
        if exe.started:
            raise Conflict(f"Error: Exec command {eid} has already run")
        self._running_container(exe)
        exe.started = True
        return exe

    def _running_container(self, exe: ExecInstance):
        container = self.records.get(exe.container_id)
        if container is None or not container.state.running:
            raise Conflict(f"container {exe.container_id} is not running")
        if container.state.paused:
            raise Conflict(f"Container {container.id} is paused, unpause the container before exec")
        return container

    def _spec(self, exe: ExecInstance, container) -> ProcessSpec:
        cfg = exe.config
        return ProcessSpec(
            args=cfg["Cmd"], env=list(container.config.get("Env") or []) + cfg["Env"],
            cwd=cfg["WorkingDir"] or container.config.get("WorkingDir") or "/",
            user=cfg["User"] or container.config.get("User") or "", terminal=cfg["Tty"],
            stdin=exe.stdin is not None)

    async def exec_start(self, exe: ExecInstance, *, detach: bool, conn) -> None:
        """Start the process and, unless detached, stream it over ``conn``."""
        cfg = exe.config
        try:
            container = self._running_container(exe)  # it may have exited since the check
        except Conflict as err:
            if conn is None:
                raise
            await conn.write(encode(cfg["Tty"], 1, (err.message + "\r\n").encode()))
            await conn.close()
            return
        if cfg["AttachStdin"] and not detach:
            exe.stdin = self.runtime.new_stdin()
        listener = None if detach else exe.hub.listen(
            {s for s, on in ((1, cfg["AttachStdout"]), (2, cfg["AttachStderr"])) if on})
        try:
            handle = container.handle.exec(self._spec(exe, container), stdin=exe.stdin)
        except StartError as err:
            exe.exit_code, error = start_error(err.exec_message)
            exe.running = False
            if exe.stdin is not None:
                exe.stdin.close()
            if listener is not None:
                exe.hub.unlisten(listener)
            if conn is None:  # detached: the client hears it as the answer
                raise error from None
            await conn.write(encode(cfg["Tty"], 1, (error.message + "\r\n").encode()))
            await conn.close()
            return
        exe.running = True
        exe.pid = handle.pid
        self.processes.follow(handle, exe.hub, lambda code: self._exited(exe, code))
        if detach or conn is None:
            return
        pump = None
        if exe.stdin is not None:
            pump = asyncio.ensure_future(pump_stdin(conn, exe.stdin, True, self.processes.poke))
        try:
            async for chunk in output_chunks(cfg["Tty"], [], listener, False, self.clock.now,
                                             gone=conn.wait_closed):
                if not await conn.write(chunk):
                    break
        finally:
            exe.hub.unlisten(listener)
            if pump is not None:
                pump.cancel()
            await conn.close()

    def _exited(self, exe: ExecInstance, exit_code: int) -> None:
        exe.exit_code = exit_code
        exe.running = False
        exe.hub.close()
        container = self.records.get(exe.container_id)
        if container is not None and exe.id in container.exec_ids:
            container.exec_ids.remove(exe.id)  # ExecIDs lists the running ones

    def exec_inspect(self, eid: str) -> dict:
        exe = self.exec_get(eid)
        cfg = exe.config
        return {
            "CanRemove": False,
            "ContainerID": exe.container_id,
            "DetachKeys": cfg["DetachKeys"],
            "ExitCode": exe.exit_code,
            "ID": exe.id,
            "OpenStderr": cfg["AttachStderr"],
            "OpenStdin": cfg["AttachStdin"],
            "OpenStdout": cfg["AttachStdout"],
            "ProcessConfig": self._process_config(cfg),
            "Running": exe.running,
            "Pid": exe.pid,
        }

    @staticmethod
    def _process_config(cfg: dict) -> dict:
        """swagger ``ProcessConfig`` as dockerd encodes it: ``user`` is
        ``omitempty`` there, so it is left out when the exec has none."""
        out = {"arguments": cfg["Cmd"][1:], "entrypoint": cfg["Cmd"][0],
               "privileged": cfg["Privileged"], "tty": cfg["Tty"]}
        if cfg["User"]:
            out["user"] = cfg["User"]
        return out

    def exec_resize(self, eid: str, height: int, width: int) -> None:
        exe = self.exec_get(eid)
        if not exe.running:
            raise Conflict(f"Exec {eid} is not running")
