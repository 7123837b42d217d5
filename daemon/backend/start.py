"""``docker start``: moby's daemon/start.go.

The container record becomes a `ContainerSpec` (process from Path/Args,
Env, WorkingDir, User, Tty, OpenStdin; root from the image's layers and
the writable layer; the network files as mounts; the hostname) in a
network sandbox `ContainerNetworking` made first (an endpoint on each of
its networks, its published ports bound); the runtime creates it, and
`Processes` follows it until it exits (then `Monitor.container_exited`
runs).
"""

import attrs

from ...sim.runtime.sandbox import SpecError, StartError, ValidationError
from ...sim.runtime.spec import ContainerSpec, FileMount, ProcessSpec, RootSpec
from ..errors import Conflict, DockerError, InvalidParameter, NotModified, SystemError
from .container import Container, merge_env
from .containernet import mode_of
from .netfiles import NETWORK_FILES, network_mounts
from .events import NO_EVENTS
from .namespaces import namespaces_of, wants_init
from .resources import resources_of
from . import links as legacy_links, logdrivers, security


#: What dockerd adds to a runtime error about a non-directory.
_NOT_A_DIRECTORY_HINT = (": Are you trying to mount a directory onto a file (or vice-versa)? "
                         "Check if the specified host path exists and is the expected type")

_INVALID_COMMAND = ("executable file not found", "no such file or directory",
                    "system cannot find the file specified", "failed to run runc create/exec call")


def start_error(message: str) -> "tuple[int, DockerError]":
    """moby's ``setExitCodeFromError``: the exit code Docker records for a
    start (or exec) the runtime refused, and the error it answers, both
    read from the runtime's message: permission denied 126, a directory
    run as a program 126, a non-directory 127 (with a hint about mounts),
    a command not found 127 (all 400); anything else 128 (500)."""
    low = message.lower()
    if "permission denied" in low:
        return 126, InvalidParameter(message)
    if "is a directory" in low:
        return 126, InvalidParameter(message + ": permission denied")
    if "not a directory" in low:
        return 127, InvalidParameter(message + _NOT_A_DIRECTORY_HINT)
    if any(text in low for text in _INVALID_COMMAND):
        return 127, InvalidParameter(message)
    return 128, SystemError(message)


def initial_console_size(host_config: dict) -> "tuple[int, int] | None":
    """moby's ``WithConsoleSize``: HostConfig.ConsoleSize [height, width]
    when either is set (the CLI sends its terminal's size); None leaves the
    terminal at the runtime's default until the first resize."""
    size = host_config.get("ConsoleSize") or [0, 0]
    height, width = (int(v) for v in size)
    if height > 0 or width > 0:
        return height, width
    return None


def check_network_mode(config: dict, host_config: dict) -> None:
    """runconfig's ``validateNetMode`` (the create body's Config and
    HostConfig, before the image's defaults)."""
    mode = host_config.get("NetworkMode") or ""
    if mode == "container" or mode.startswith("container:"):
        if not mode.partition(":")[2]:
            raise InvalidParameter("invalid network mode: invalid container format container:<name|id>")
        checks = ((config.get("Hostname"), "conflicting options: hostname and the network mode"),
                  (host_config.get("Links"), "conflicting options: container type network can't be "
                   "used with links. This would result in undefined behavior"),
                  (host_config.get("Dns"), "conflicting options: dns and the network mode"),
                  (host_config.get("ExtraHosts"), "conflicting options: custom host-to-IP mapping "
                   "and the network mode"),
                  (host_config.get("PortBindings") or host_config.get("PublishAllPorts"),
                   "conflicting options: port publishing and the container type network mode"),
                  (config.get("ExposedPorts"), "conflicting options: port exposing and the "
                   "container type network mode"))
        for value, message in checks:
            if value:
                raise InvalidParameter(message)
    if (host_config.get("UTSMode") == "host") and config.get("Hostname"):
        raise InvalidParameter("conflicting options: hostname and the UTS mode")
    if mode == "host" and host_config.get("Links"):
        raise InvalidParameter("conflicting options: host type networking can't be used with links. "
                               "This would result in undefined behavior")


class Starter:
    events = NO_EVENTS

    def __init__(self, records, processes, machine, networking, clock, ids):
        self.records = records
        self.processes = processes
        self.runtime = machine.runtime
        self.machine = machine
        self.networking = networking
        self.clock = clock
        self.ids = ids
        #: Set by the engine: the exit handler (`Monitor.container_exited`).
        self.on_exit = None
        #: Set by the engine: the restart manager (a start cancels a pending restart).
        self.restarts = None
        #: Set by the engine: removes a record (a --rm container whose start failed).
        self.on_remove = None

    async def start_container(self, ref: str) -> None:
        container = self.records.resolve(ref)
        if container.state.running:
            raise NotModified("container already started")
        if container.state.status == "removing" or container.removal_in_progress:
            raise Conflict(f"container {container.id} is marked for removal and cannot be started")
        self.restarts.cancel(container)
        container.manually_stopped = False
        container.restart_count = 0
        self.start(container)

    def stdin(self, container: Container):
        """The stream that will be (or is) this run's stdin: made by the
        first attach or by the start, dropped when the run ends."""
        hub = self.records.hub(container)
        if hub.stdin is None and container.config.get("OpenStdin"):
            hub.stdin = self.runtime.new_stdin()
        return hub.stdin

    def spec(self, container: Container, net) -> ContainerSpec:
        """The runtime's spec for a run in the network sandbox ``net``:
        the process, the root, and the network files written from the
        addresses the sandbox got (moby writes them once the sandbox is
        made)."""
        cfg = container.config
        hc = container.host_config
        mode = mode_of(hc)
        hostname = cfg.get("Hostname") or container.short_id
        process = ProcessSpec(
            args=[container.path] + list(container.args), env=cfg.get("Env") or [],
            cwd=cfg.get("WorkingDir") or "/", user=cfg.get("User") or "",
            terminal=bool(cfg.get("Tty")), stdin=bool(cfg.get("OpenStdin")),
            console_size=initial_console_size(hc) if cfg.get("Tty") else None)
        readonly = bool(hc.get("ReadonlyRootfs"))
        ns = namespaces_of(container, self.records)
        root = RootSpec(container.diff_ids, self.records.writable_layer(container), readonly=readonly)
        if mode.startswith("container:"):  # moby: the other container's files
            other = self.networking._joined(container, mode.partition(":")[2])
            files = self.records.network_files(other)
            mounts = tuple(FileMount(dest, files[name], readonly) for name, dest in NETWORK_FILES.items()
                           if name in files)
            return ContainerSpec(container.id, process, root, hostname,
                                 domainname=cfg.get("Domainname") or "", mounts=mounts,
                                 dir_mounts=self._dir_mounts(container),
                                 resources=resources_of(hc), namespaces=ns, init=wants_init(hc),
                                 **self._security(hc))
        addresses = [s.get("IPAddress") for s in container.networks.values() if s.get("IPAddress")]
        user_network = any(self.networking.networks.by_name(name) is not None
                           and self.networking.networks.by_name(name).user_defined
                           for name in container.networks)
        resolv_mode = "host" if mode == "host" else "internal" if user_network else "legacy"
        links = self._links(container) if "bridge" in container.networks else []
        if links:  # moby's CreateDaemonEnvironment: the container's Env overrides them
            process = attrs.evolve(process, env=merge_env(legacy_links.environment(self.records, container),
                                                          process.env))
        mounts = network_mounts(
            hostname, addresses, self.machine.read_host_file("/etc/resolv.conf"),
            readonly=readonly, domainname=cfg.get("Domainname") or "",
            extra_hosts=hc.get("ExtraHosts") or (), resolv_mode=resolv_mode,
            dns=hc.get("Dns") or (), dns_search=hc.get("DnsSearch") or (),
            dns_options=hc.get("DnsOptions") or (), links=links,
            host_hosts=(self.machine.read_host_file("/etc/hosts") or b"") if mode == "host" else None)
        return ContainerSpec(container.id, process, root, hostname,
                             domainname=cfg.get("Domainname") or "", mounts=mounts,
                             dir_mounts=self._dir_mounts(container),
                             resources=resources_of(hc), namespaces=ns, init=wants_init(hc),
                             **self._security(hc))

    @staticmethod
    def _security(hc: dict) -> dict:
        """The spec's security fields (`security`): capabilities, groups,
        rlimits, no_new_privs, seccomp, devices, masked paths, sysctls."""
        masked, readonly = security.paths_of(hc)
        return {"security": security.security_of(hc), "devices": security.devices_of(hc),
                "masked_paths": masked, "readonly_paths": readonly,
                "sysctls": hc.get("Sysctls") or {}, "host_network": mode_of(hc) == "host"}

    #: Set by the engine: the container's volumes, binds and tmpfs (mounts.py).
    mounts = None
    #: Set by the engine: the health-check monitors (health.py).
    health = None

    def _dir_mounts(self, container) -> tuple:
        return self.mounts.dir_mounts(container) if self.mounts is not None else ()

    def _links(self, container: Container) -> list:
        """``--link``: (address, names) of each linked container (moby's
        ``addLegacyLinks``: alias, hostname, and the name when it differs)."""
        out = []
        for child_name, alias in self.networking.check_links(container.host_config):
            child = self.records.resolve(child_name)
            if not child.state.running:
                raise InvalidParameter(f"Cannot link to a non running container: /{child.name} AS "
                                       f"/{container.name}/{alias}")
            if "bridge" not in child.networks:
                raise InvalidParameter(f"Cannot link to /{child.name}, as it does not belong to "
                                       "the default network")
            names = alias + " " + (child.config.get("Hostname") or child.short_id)
            if alias != child.name:
                names += " " + child.name
            ip = child.networks["bridge"].get("IPAddress")
            if ip:
                out.append((ip, names))
        return out

    def start(self, container: Container) -> None:
        """Start the container now (a client's start, a restart policy's,
        or the daemon's own at boot): its network sandbox first (addresses,
        published ports), then the container in it."""
        if container.removal_in_progress:
            raise Conflict(f"container {container.id} is marked for removal and cannot be started")
        if not container.state.can("start"):
            raise Conflict(f"cannot start container {container.id}: it is {container.state.status}")
        net = None
        try:
            net = self.networking.sandbox(container)
            spec = self.spec(container, net)
            self.networking.publish(container)
            logdrivers.rotation(container.host_config)  # moby's NewTask -> startLogging
            self.records.hub(container).use_attrs(logdrivers.record_attrs(
                container, self.machine.hostname))
            handle = self.runtime.create(spec, stdin=self.stdin(container), net=net)
        except BaseException as exc:
            if net is not None:
                net.release()
            self.networking.released(container)  # whatever failed, nothing of the run is kept
            if not isinstance(exc, Exception):
                raise
            if isinstance(exc, (SpecError, ValidationError)):  # bad input: 400, not moby's 500
                exit_code, error = 128, InvalidParameter(exc.message)
            elif isinstance(exc, StartError):
                exit_code, error = start_error(exc.message)
            elif isinstance(exc, logdrivers.LogDriverError):  # bad input: 400, not moby's 500
                exit_code, error = 128, InvalidParameter("failed to create task for container: failed "
                                                         f"to initialize logging driver: {exc.message}")
            else:
                exit_code, error = 128, exc
            self._start_failed(container, exit_code, str(error))
            if error is exc:
                raise
            raise error from None
        if self.mounts is not None:
            self.mounts.mounted(container)
        container.writable = handle.rootfs.writable
        container.handle = handle
        container.sandbox_id = self.ids.hex_id()
        state = container.state
        state.transition("start")
        state.pid = handle.pid
        state.exit_code = 0
        state.oom_killed = False  # moby's SetRunning
        state.error = ""
        state.started_at = self.clock.now()
        state.finished_at = None
        self.records.save(container)
        self.records.save_network_files(container, spec.mounts)
        self.events.container(container, "start")
        self.processes.follow(handle, self.records.hub(container),
                              lambda code: self.on_exit(container, code))
        if self.health is not None:
            self.health.started(container)  # moby's initHealthMonitor

    def _start_failed(self, container: Container, exit_code: int, message: str) -> None:
        """moby's start clean-up: the error and exit code are recorded, and
        a ``--rm`` container is removed."""
        container.restart_timer = None
        container.state.transition("start_failed")
        container.state.exit_code = exit_code
        container.state.error = message
        self.records.save(container)
        if container.host_config.get("AutoRemove"):
            self.on_remove(container)
