"""The instruction dispatchers: moby's builder/dockerfile/dispatchers.go
and evaluator.go (``dispatch``, ``dispatchState``), for what changes the
run config.  The build (`evaluator.Build`) adds what touches files,
containers and images (RUN, ADD, COPY, WORKDIR's directory, the commits);
``docker commit --change`` uses these alone (`build_from_config`, moby's
``BuildFromConfig``), with commits switched off.

Before an instruction runs, its words are expanded (`instructions.expand`)
against the stage's Env plus the build args it allows and Env does not
set; EXPOSE splits words (``EXPOSE $PORTS``).  Each dispatcher changes the
run config and asks for a commit with its history comment: ``ENV a=b``,
``CMD ["a" "b"]`` (Go's ``%q``), ``VOLUME [/a /b]`` (Go's ``%v``), ….
"""

import attrs

from ....sim import golang as gotext
from ...builder import instructions as I
from ...builder.parser import ParseError
from ...builder.shell import Lex, ShellError, env_from_list
from ...errors import DockerError, InvalidParameter
from ..commit import copy_config, go_config
from .args import BuildArgs
from .copy import BuildError

DEFAULT_SHELL = ("/bin/sh", "-c")
DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

#: moby/sys/signal's Linux SignalMap (names without SIG).
SIGNALS = frozenset(
    "ABRT ALRM BUS CHLD CLD CONT FPE HUP ILL INT IO IOT KILL PIPE POLL PROF PWR QUIT SEGV "
    "STKFLT STOP SYS TERM TRAP TSTP TTIN TTOU URG USR1 USR2 VTALRM WINCH XCPU XFSZ RTMIN RTMAX".split()
    + [f"RTMIN+{i}" for i in range(1, 16)] + [f"RTMAX-{i}" for i in range(1, 15)])


def shell_of(run_config: dict) -> "list[str]":
    """moby's ``getShell``: the stage's SHELL, or ``/bin/sh -c``."""
    return list(run_config.get("Shell") or DEFAULT_SHELL)


def truncate_id(image_id: str) -> str:
    """``stringid.TruncateID``."""
    return image_id.split(":", 1)[-1][:12]


def parse_signal(text: str) -> None:
    """moby/sys/signal ``ParseSignal``: a number (not 0) or a name."""
    if text.isdigit() or (text[:1] in "+-" and text[1:].isdigit()):
        if int(text) == 0:
            raise InvalidParameter(f"invalid signal: {text}")
        return
    name = text.upper()
    name = name[3:] if name.startswith("SIG") else name
    if name not in SIGNALS:
        raise InvalidParameter(f"invalid signal: {text}")


def _parse_port_range(text: str) -> "tuple[int, int]":
    def one(s):
        try:
            return gotext.parse_uint(s, 10, 16)
        except gotext.GoError as err:
            raise ValueError(str(err)) from None
    if text == "":
        raise ValueError("empty string specified for ports")
    if "-" not in text:
        n = one(text)
        return n, n
    parts = text.split("-")
    start, end = one(parts[0]), one(parts[1])
    if end < start:
        raise ValueError(f"invalid range specified for port: {text}")
    return start, end


def _split_proto_port(raw: str) -> "tuple[str, str]":
    parts = raw.split("/")
    if raw == "" or parts[0] == "":
        return "", ""
    if len(parts) == 1:
        return "tcp", raw
    if parts[1] == "":
        return "tcp", parts[0]
    return parts[1], parts[0]


def parse_port_specs(ports) -> "list[str]":
    """go-connections ``nat.ParsePortSpecs``, the exposed ports only
    (``80/tcp``, a range expanded), in first-seen order."""
    import ipaddress

    out: "list[str]" = []
    for raw in ports:
        parts = raw.split(":")
        container_port = parts[-1]
        ip = ":".join(parts[:-2]) if len(parts) >= 3 else ""
        host_port = parts[-2] if len(parts) >= 2 else ""
        proto, container_port = _split_proto_port(container_port)
        if ip.startswith("[") and ip.endswith("]"):
            ip = ip[1:-1]
        if ip:
            try:
                ipaddress.ip_address(ip)
            except ValueError:
                raise BuildError(f"invalid IP address: {ip}") from None
        if container_port == "":
            raise BuildError(f"no port specified: {raw}<empty>")
        try:
            start, end = _parse_port_range(container_port)
        except ValueError:
            raise BuildError(f"invalid containerPort: {container_port}") from None
        if host_port:
            try:
                _parse_port_range(host_port)
            except ValueError:
                raise BuildError(f"invalid hostPort: {host_port}") from None
        if proto.lower() not in ("tcp", "udp", "sctp"):
            raise BuildError(f"invalid proto: {proto}")
        for n in range(start, end + 1):
            key = f"{n}/{proto.lower()}"
            if key not in out:
                out.append(key)
    return out


def normalize_workdir(current: str, requested: str) -> str:
    """moby's Unix ``normalizeWorkdir``."""
    if requested == "":
        raise BuildError("cannot normalize nothing")
    if not requested.startswith("/"):
        return gotext.clean_path("/" + "/".join(p for p in (current, requested) if p))
    return gotext.clean_path(requested)


def health_dict(health: I.HealthConfig) -> dict:
    out = {"Test": list(health.test)}
    for key, value in (("Interval", health.interval), ("Timeout", health.timeout),
                       ("StartPeriod", health.start_period),
                       ("StartInterval", health.start_interval), ("Retries", health.retries)):
        if value:
            out[key] = value
    return out


@attrs.define(eq=False)
class DispatchState:
    """moby's ``dispatchState``: one stage's run config (a Go-shaped
    ``container.Config``) and where it stands."""

    build_args: BuildArgs
    run_config: dict = attrs.field(factory=lambda: go_config(None))
    maintainer: str = ""
    cmd_set: bool = False
    image_id: str = ""
    base_image: object = None  # the FROM image; None before FROM
    scratch: bool = False
    stage_name: str = ""
    operating_system: str = ""

    @classmethod
    def for_stage(cls, args: BuildArgs) -> "DispatchState":
        stage_args = args.clone()
        stage_args.reset_allowed()
        return cls(stage_args)

    def update_run_config(self) -> None:
        self.run_config["Image"] = self.image_id

    def has_from_image(self) -> bool:
        return self.image_id != "" or self.scratch

    def begin_stage(self, name: str, image, os_name: str) -> None:
        """``beginStage``: the base image's config, a default PATH, no
        stdin."""
        if os_name != "linux":
            raise InvalidParameter("operating system is not supported")
        self.stage_name = name
        self.image_id = image.id if image is not None else ""
        self.scratch = image is None
        self.operating_system = os_name
        self.base_image = image
        base = image.config.get("config") if image is not None else None
        self.run_config = go_config(base)
        env = self.run_config["Env"] or []
        if not any(e.partition("=")[0] == "PATH" for e in env):
            self.run_config["Env"] = list(env) + [DEFAULT_PATH]
        self.run_config["OpenStdin"] = False
        self.run_config["StdinOnce"] = False


class Dispatcher:
    """The dispatchers that change the run config.  ``commit(state,
    comment)`` is the build's (a no-op with ``disable_commit``)."""

    disable_commit = False

    def __init__(self, escape_token: str = "\\"):
        self.lex = Lex(escape_token)

    def out(self, text: str) -> None:  # the build's stdout
        pass

    async def commit(self, state: DispatchState, comment: str) -> None:
        pass

    async def dispatch(self, state: DispatchState, cmd) -> None:
        env = list(state.run_config.get("Env") or [])
        envs = env_from_list(env + state.build_args.filter_allowed(env))
        try:
            cmd = I.expand(cmd, lambda word: self.lex.process_word(word, envs))
        except (ShellError, I.InstructionError) as err:
            raise InvalidParameter(str(err)) from None
        handler = getattr(self, "dispatch_" + type(cmd).__name__[:-len("Instruction")].lower(), None)
        if handler is None:
            raise BuildError(f"unsupported command type: *instructions.{type(cmd).__name__}")
        await handler(state, cmd, envs)

    # -- run config only ------------------------------------------------------------
    async def dispatch_env(self, state, cmd: I.EnvInstruction, envs) -> None:
        rc = state.run_config
        env = list(rc.get("Env") or [])
        for kv in cmd.env:
            new = str(kv)
            for i, item in enumerate(env):
                if item.partition("=")[0] == kv.key:
                    env[i] = new
                    break
            else:
                env.append(new)
        rc["Env"] = env
        await self.commit(state, cmd.commit_comment())

    async def dispatch_maintainer(self, state, cmd: I.MaintainerInstruction, envs) -> None:
        state.maintainer = cmd.maintainer
        await self.commit(state, cmd.commit_comment())

    async def dispatch_label(self, state, cmd: I.LabelInstruction, envs) -> None:
        rc = state.run_config
        labels = dict(rc.get("Labels") or {})
        for kv in cmd.labels:
            labels[kv.key] = kv.value
        rc["Labels"] = labels
        await self.commit(state, cmd.commit_comment())

    async def dispatch_onbuild(self, state, cmd: I.OnbuildInstruction, envs) -> None:
        rc = state.run_config
        rc["OnBuild"] = list(rc.get("OnBuild") or []) + [cmd.expression]
        await self.commit(state, cmd.commit_comment())

    async def dispatch_workdir(self, state, cmd: I.WorkdirInstruction, envs) -> None:
        rc = state.run_config
        rc["WorkingDir"] = normalize_workdir(rc.get("WorkingDir") or "", cmd.path)
        if self.disable_commit:
            return
        await self.commit_workdir(state)

    async def commit_workdir(self, state) -> None:
        pass

    async def dispatch_cmd(self, state, cmd: I.CmdInstruction, envs) -> None:
        rc = state.run_config
        resolved = cmd.resolve(shell_of(rc))
        rc["Cmd"] = None if resolved is None else list(resolved)
        rc.pop("ArgsEscaped", None)
        await self.commit(state, "CMD " + gotext.format_q_list(rc["Cmd"] or []))
        if cmd.cmd_line:
            state.cmd_set = True

    async def dispatch_healthcheck(self, state, cmd: I.HealthcheckInstruction, envs) -> None:
        rc = state.run_config
        old = rc.get("Healthcheck")
        if old is not None:
            test = old.get("Test") or []
            if test and test[0] != "NONE":
                self.out("Note: overriding previous HEALTHCHECK: %s\n" % gotext.format_v_list(test))
        rc["Healthcheck"] = health_dict(cmd.health)
        await self.commit(state, cmd.commit_comment())

    async def dispatch_entrypoint(self, state, cmd: I.EntrypointInstruction, envs) -> None:
        rc = state.run_config
        resolved = cmd.resolve(shell_of(rc))
        rc["Entrypoint"] = None if resolved is None else list(resolved)
        rc.pop("ArgsEscaped", None)
        if not state.cmd_set:
            rc["Cmd"] = None
        await self.commit(state, "ENTRYPOINT " + gotext.format_q_list(rc["Entrypoint"] or []))

    async def dispatch_expose(self, state, cmd: I.ExposeInstruction, envs) -> None:
        ports: "list[str]" = []
        for p in cmd.ports:
            try:
                ports.extend(self.lex.process_words(p, envs))
            except ShellError as err:
                raise InvalidParameter(str(err)) from None
        rc = state.run_config
        exposed = dict(rc.get("ExposedPorts") or {})
        for port in parse_port_specs(ports):
            exposed[port] = {}
        rc["ExposedPorts"] = exposed
        await self.commit(state, "EXPOSE " + " ".join(ports))

    async def dispatch_user(self, state, cmd: I.UserInstruction, envs) -> None:
        state.run_config["User"] = cmd.user
        await self.commit(state, cmd.commit_comment())

    async def dispatch_volume(self, state, cmd: I.VolumeInstruction, envs) -> None:
        rc = state.run_config
        volumes = dict(rc.get("Volumes") or {})
        for v in cmd.volumes:
            if v == "":
                raise BuildError("VOLUME specified can not be an empty string")
            volumes[v] = {}
        rc["Volumes"] = volumes
        await self.commit(state, cmd.commit_comment())

    async def dispatch_stopsignal(self, state, cmd: I.StopSignalInstruction, envs) -> None:
        parse_signal(cmd.signal)
        state.run_config["StopSignal"] = cmd.signal
        await self.commit(state, cmd.commit_comment())

    async def dispatch_arg(self, state, cmd: I.ArgInstruction, envs) -> None:
        for kv in cmd.args:
            state.build_args.add_arg(kv.key, kv.value)
        await self.commit(state, cmd.commit_comment())

    async def dispatch_shell(self, state, cmd: I.ShellInstruction, envs) -> None:
        state.run_config["Shell"] = list(cmd.shell)
        await self.commit(state, cmd.commit_comment())


class _ConfigOnly(Dispatcher):
    disable_commit = True


def build_from_config(config: dict, changes) -> dict:
    """moby's ``BuildFromConfig``: ``docker commit --change`` lines applied
    to a copy of ``config`` (Go-shaped).  Raises InvalidParameter."""
    if not changes:
        return copy_config(config)
    try:
        commands = I.parse_changes(changes)
    except (ParseError, I.InstructionError) as err:
        raise InvalidParameter(str(err)) from None
    d = _ConfigOnly()
    state = DispatchState(BuildArgs())
    state.run_config = copy_config(go_config(config))
    state.image_id = config.get("Image") or ""
    state.operating_system = "linux"
    for cmd in commands:
        coro = d.dispatch(state, cmd)
        try:
            coro.send(None)  # no dispatcher here awaits anything real
        except StopIteration:
            pass
        except DockerError as err:
            raise InvalidParameter(err.message) from None
        else:
            coro.close()
            raise RuntimeError("a --change dispatcher suspended")
        state.update_run_config()
    return state.run_config
