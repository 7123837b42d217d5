"""``docker start``: moby's daemon/start.go.

The container record becomes a `ContainerSpec` (process from Path/Args,
Env, WorkingDir, User, Tty, OpenStdin; root from the image's layers and
the writable layer; the network files as mounts; the hostname; an address
on the default bridge, or none with ``--network none``), the runtime
creates it, and `Processes` follows it until it exits (then
`Monitor.container_exited` runs).
"""

from ...sim.golang import quote as go_quote
from ...sim.runtime.sandbox import StartError
from ...sim.runtime.network import EndpointSpec
from ...sim.runtime.spec import ContainerSpec, ProcessSpec, RootSpec
from ...sim.net import NetError
from ..errors import Conflict, DockerError, InvalidParameter, NotFound, NotModified, SystemError
from .container import Container
from .netfiles import network_mounts


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


#: The networks there are until the networks issue: the default bridge
#: (``bridge``; ``default`` names it too) and ``none`` (loopback only).
NETWORKS = ("bridge", "none")


def check_network_mode(mode: str) -> None:
    """Refuse the network modes the simulation cannot honour yet (the
    host's network stack, another container's), rather than pretend."""
    if mode == "host" or mode.startswith("container:"):
        raise InvalidParameter(f"network mode {go_quote(mode)} is not supported by dockersim yet")


def network_name(container: Container) -> str:
    """The network the container joins at start: ``bridge`` or ``none``.
    Any other name is a network that does not exist (moby looks it up at
    start: ``network nosuchnet not found``, 404)."""
    mode = container.host_config.get("NetworkMode") or "bridge"
    check_network_mode(mode)
    name = "bridge" if mode == "default" else mode
    if name not in NETWORKS:
        raise NotFound(f"network {name} not found")
    return name


class Bridge:
    """The default bridge (docker0, 172.17.0.0/16, gateway .1): a network of
    the simulated stack, whose IPAM gives each running container its
    address.  The daemon builds the container's network sandbox here before
    the container starts (its /etc/hosts needs the address)."""

    KEY = "bridge"
    GATEWAY = "172.17.0.1"
    PREFIX_LEN = 16

    def __init__(self, records, machine):
        self.records = records
        self.runtime = machine.runtime
        machine.net.create_network(self.KEY, name="bridge", subnet="172.17.0.0/16",
                                   gateway=self.GATEWAY, bridge="docker0")

    def sandbox(self, container: Container):
        """The network sandbox of this run: on the bridge an endpoint (its
        address and MAC noted on the container), else only ``lo``."""
        if network_name(container) != "bridge":
            return self.runtime.network_sandbox()
        try:
            net = self.runtime.network_sandbox([EndpointSpec(self.KEY)])
        except NetError as err:
            raise Conflict(err.message) from None
        info = net.endpoints()[self.KEY]
        container.ip_address, container.mac_address = info.ip, info.mac
        return net

    @staticmethod
    def release(container: Container) -> None:
        container.ip_address = container.mac_address = ""


class Starter:
    def __init__(self, records, processes, machine, bridge, clock, ids):
        self.records = records
        self.processes = processes
        self.runtime = machine.runtime
        self.machine = machine
        self.bridge = bridge
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
        if container.state.status == "removing":
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

    def spec(self, container: Container, ip: str) -> ContainerSpec:
        cfg = container.config
        hostname = cfg.get("Hostname") or container.short_id
        process = ProcessSpec(
            args=[container.path] + list(container.args), env=cfg.get("Env") or [],
            cwd=cfg.get("WorkingDir") or "/", user=cfg.get("User") or "",
            terminal=bool(cfg.get("Tty")), stdin=bool(cfg.get("OpenStdin")))
        readonly = bool(container.host_config.get("ReadonlyRootfs"))
        root = RootSpec(container.diff_ids, self.records.writable_layer(container), readonly=readonly)
        mounts = network_mounts(hostname, ip, self.machine.read_host_file("/etc/resolv.conf"),
                                readonly=readonly, domainname=cfg.get("Domainname") or "",
                                extra_hosts=container.host_config.get("ExtraHosts") or ())
        return ContainerSpec(container.id, process, root, hostname,
                             domainname=cfg.get("Domainname") or "", mounts=mounts)

    def start(self, container: Container) -> None:
        """Start the container now (a client's start, a restart policy's,
        or the daemon's own at boot)."""
        if not container.state.can("start"):
            raise Conflict(f"cannot start container {container.id}: it is {container.state.status}")
        net = None
        try:
            net = self.bridge.sandbox(container)
            spec = self.spec(container, container.ip_address)
            handle = self.runtime.create(spec, stdin=self.stdin(container), net=net)
        except BaseException as exc:
            if net is not None:
                net.release()
            self.bridge.release(container)  # whatever failed, nothing of the run is kept
            if not isinstance(exc, Exception):
                raise
            exit_code, error = start_error(exc.message) if isinstance(exc, StartError) else (128, exc)
            self._start_failed(container, exit_code, str(error))
            if error is exc:
                raise
            raise error from None
        container.writable = handle.rootfs.writable
        container.handle = handle
        container.endpoint_id, container.sandbox_id = self.ids.hex_id(), self.ids.hex_id()
        state = container.state
        state.transition("start")
        state.pid = handle.pid
        state.exit_code = 0
        state.error = ""
        state.started_at = self.clock.now()
        state.finished_at = None
        self.records.save(container)
        self.records.save_network_files(container, spec.mounts)
        self.processes.follow(handle, self.records.hub(container),
                              lambda code: self.on_exit(container, code))

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
