"""Exec instances: ``docker exec`` (moby's daemon/exec.go).

An exec instance is created against a running container, started once,
and runs as a new process in the container's namespaces (the runtime
handle's ``exec``), a child of the container's shim.  Its output goes only
to the client that started it (not to the container's log); its exit code
is set before the stream closes, as the CLI inspects right after the end
of the stream.
"""

import asyncio
import base64

import attrs

from ...sim.runtime.sandbox import StartError
from ...sim.abi import ALL_CAPS, Signal
from ...sim.golang.json import canonical_keys
from ...sim.runtime.spec import ProcessSpec
from ..errors import Conflict, InvalidParameter, NotFound, SystemError
from . import links
from .container import merge_env
from .detachkeys import to_bytes
from .output import OutputHub
from .requests import EXEC_OPTIONS, check_go_types
from .start import start_error
from .events import NO_EVENTS
from .streaming import copy_streams, encode, output_chunks


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
    #: The detach keys as bytes (b"": the default, ctrl-p ctrl-q).
    detach_keys: bytes = b""
    #: The runtime's handle once started (None before, or when the start failed).
    handle: object = attrs.field(default=None, repr=False)
    #: Set once the start was tried (moby's ``ec.Started``).
    tried: asyncio.Event = attrs.field(factory=asyncio.Event, repr=False)
    #: Seen finished by the last garbage collection: the next one drops it.
    can_remove: bool = False


def _exec_action(action: str, cmd: list) -> str:
    """moby's ``exec_create: <entrypoint> <args...>`` (a space after the
    entrypoint even without arguments)."""
    return f"{action}: {cmd[0]} {' '.join(cmd[1:])}"


class Execs:
    events = NO_EVENTS

    def __init__(self, records, processes, runtime, clock, ids):
        self.records = records
        self.processes = processes
        self.runtime = runtime
        self.clock = clock
        self.ids = ids
        self.by_id: "dict[str, ExecInstance]" = {}

    def exec_create(self, ref: str, body: dict) -> dict:
        # moby's ReadJSON into container.ExecOptions, then its Cmd check,
        # before the container is looked up.
        go = check_go_types(body, EXEC_OPTIONS)
        body = canonical_keys(body, EXEC_OPTIONS)  # Go matches field names case-insensitively
        cmd = go["Cmd"] or []
        if not cmd:
            raise InvalidParameter("No exec command specified")
        body = dict(body, Cmd=cmd, Env=go["Env"])
        container = self.records.resolve(ref)
        if not container.state.running:
            raise Conflict(f"container {container.id} is not running")
        if container.state.paused:  # moby's getActiveContainer: the name as given
            raise Conflict(f"Container {ref} is paused, unpause the container before exec")
        keys = b""
        if body.get("DetachKeys"):
            try:
                keys = to_bytes(body["DetachKeys"])
            except ValueError:  # moby: a plain error, so a 500
                raise SystemError(f"Invalid escape keys ({body['DetachKeys']}) provided") from None
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
            "ConsoleSize": console_size_of(body.get("ConsoleSize")),
        }
        exe = ExecInstance(eid, container.id, config, detach_keys=keys)
        exe.hub = OutputHub(_NoLog(), "", self.clock.now)
        self.by_id[eid] = exe
        container.exec_ids.append(eid)
        self.events.container(container, _exec_action("exec_create", config["Cmd"]), execID=eid)
        return {"Id": eid}

    def forget_container(self, container) -> None:
        """The container is gone: so are its exec instances, finished ones
        included (``ExecIDs`` lists only the running)."""
        for eid in [eid for eid, exe in self.by_id.items() if exe.container_id == container.id]:
            del self.by_id[eid]

    def collect_garbage(self) -> int:
        """moby's ``execCommandGC`` (every 5 minutes): an instance that its
        container no longer lists (it exited, or the container is gone) is
        marked at one pass and dropped at the next, so ``exec inspect``
        answers for a few minutes after the exit and memory does not grow
        with every exec of a long-lived container.  Returns how many went."""
        cleaned = 0
        for eid, exe in list(self.by_id.items()):
            if exe.can_remove:
                del self.by_id[eid]
                cleaned += 1
            else:
                container = self.records.get(exe.container_id)
                if container is None or eid not in container.exec_ids:
                    exe.can_remove = True
        return cleaned

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

    def kill(self, exe: ExecInstance) -> None:
        """SIGKILL a running exec's process (a cancelled exec: a health
        probe past its timeout)."""
        if exe.handle is not None and exe.running:
            exe.handle.signal(Signal.SIGKILL)
            self.processes.poke()

    def _running_container(self, exe: ExecInstance):
        container = self.records.get(exe.container_id)
        if container is None or not container.state.running:
            raise Conflict(f"container {exe.container_id} is not running")
        if container.state.paused:
            raise Conflict(f"Container {container.id} is paused, unpause the container before exec")
        return container

    def _spec(self, exe: ExecInstance, container, size) -> ProcessSpec:
        cfg = exe.config
        return ProcessSpec(
            args=cfg["Cmd"], env=merge_env(self._base_env(container), cfg["Env"]),
            cwd=cfg["WorkingDir"] or container.config.get("WorkingDir") or "/",
            user=cfg["User"] or container.config.get("User") or "", terminal=cfg["Tty"],
            stdin=exe.stdin is not None, console_size=size if cfg["Tty"] else None,
            security=self._security(exe, container))

    def _base_env(self, container) -> list:
        """moby's ``CreateDaemonEnvironment`` for an exec: the link
        variables (on the default bridge), overridden by the container's Env."""
        base = links.environment(self.records, container) if "bridge" in container.networks else []
        return merge_env(base, container.config.get("Env"))

    @staticmethod
    def _security(exe: ExecInstance, container):
        """moby's execSetPlatformOpt: ``exec --privileged`` gets every
        capability; otherwise the container's settings (None)."""
        if not exe.config["Privileged"] or container.handle is None:
            return None
        base = container.handle.security
        return attrs.evolve(base, caps=ALL_CAPS) if base is not None else None

    async def exec_start(self, exe: ExecInstance, *, detach: bool, conn, tty: "bool | None" = None,
                         console_size=None) -> None:
        """Start the process and, unless detached, stream it over ``conn``.
        ``tty`` and ``console_size`` come from the start body: ``tty``
        chooses raw or multiplexed output (moby frames by the start's Tty,
        not the exec's), ``console_size`` (used with it only) overrides the
        create's."""
        cfg = exe.config
        owner = self.records.get(exe.container_id)
        if owner is not None:
            self.events.container(owner, _exec_action("exec_start", cfg["Cmd"]), execID=exe.id)
        tty = cfg["Tty"] if tty is None else tty
        size = console_size_of(console_size) if tty else None
        if size is None:
            size = cfg["ConsoleSize"]
        try:
            container = self._running_container(exe)  # it may have exited since the check
        except Conflict as err:
            exe.tried.set()
            if conn is None:
                raise
            await conn.write(encode(tty, 1, (err.message + "\r\n").encode()))
            await conn.close()
            return
        if cfg["AttachStdin"] and not detach:
            exe.stdin = self.runtime.new_stdin()
        wanted = {s for s, on in ((1, cfg["AttachStdout"]), (2, cfg["AttachStderr"] and not tty)) if on}
        listener = None if detach else exe.hub.listen(wanted)
        try:
            handle = container.handle.exec(self._spec(exe, container, size), stdin=exe.stdin)
        except StartError as err:
            exe.tried.set()
            exe.exit_code, error = start_error(err.exec_message)
            exe.running = False
            if exe.stdin is not None:
                exe.stdin.close()
            if listener is not None:
                exe.hub.unlisten(listener)
            if conn is None:  # detached: the client hears it as the answer
                raise error from None
            await conn.write(encode(tty, 1, (error.message + "\r\n").encode()))
            await conn.close()
            return
        exe.running = True
        exe.pid = handle.pid
        exe.handle = handle
        exe.tried.set()
        self.processes.follow(handle, exe.hub, lambda code: self._exited(exe, code))
        if detach or conn is None:
            return

        def chunks(gone):
            return output_chunks(tty, [], listener, False, self.clock.now, gone=gone)

        try:
            await copy_streams(conn, chunks, exe.stdin, tty=cfg["Tty"], close_stdin=True,
                               detach_keys=exe.detach_keys, poke=self.processes.poke)
        finally:
            exe.hub.unlisten(listener)
            await conn.close()

    def _exited(self, exe: ExecInstance, exit_code: int) -> None:
        exe.exit_code = exit_code
        exe.running = False
        exe.hub.close()
        if exe.stdin is not None:  # moby's CloseStreams: a detached client's stdin too
            exe.stdin.close()
        container = self.records.get(exe.container_id)
        if container is not None and exe.id in container.exec_ids:
            container.exec_ids.remove(exe.id)  # ExecIDs lists the running ones
        if container is not None:
            self.events.container(container, "exec_die", execID=exe.id, exitCode=str(exit_code))

    def exec_inspect(self, eid: str) -> dict:
        exe = self.exec_get(eid)
        cfg = exe.config
        return {
            "CanRemove": exe.can_remove,  # set by the first collection pass once it ended
            "ContainerID": exe.container_id,
            "DetachKeys": base64.b64encode(exe.detach_keys).decode(),  # Go's []byte
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

    async def exec_resize(self, eid: str, height: int, width: int) -> None:
        """moby's ContainerExecResize: the exec's container must run; a
        start not yet tried is waited for (10 s)."""
        exe = self.exec_get(eid)
        self._running_container(exe)
        try:
            await asyncio.wait_for(exe.tried.wait(), 10)
        except asyncio.TimeoutError:
            raise SystemError("timeout waiting for exec session ready") from None
        if exe.handle is None:
            raise InvalidParameter("exec process is not started")
        if not exe.running:  # containerd: the shim forgot the process
            raise NotFound(f"process does not exist {eid}: not found")
        exe.handle.resize(height, width)
        self.processes.poke()  # SIGWINCH: the foreground job runs now


def console_size_of(value) -> "tuple[int, int] | None":
    """A ``ConsoleSize`` ([height, width], or null) as the runtime takes it."""
    if not value:
        return None
    try:
        height, width = (int(v) for v in value)
    except (TypeError, ValueError):
        raise InvalidParameter("json: cannot unmarshal ConsoleSize into Go value of type [2]uint") \
            from None
    if height < 0 or width < 0:
        raise InvalidParameter("json: cannot unmarshal number into Go value of type uint")
    return height, width
