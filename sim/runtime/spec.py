"""What the daemon asks the runtime for: the container's specification.

moby hands containerd an OCI runtime spec (config.json: process, root,
mounts, hostname, namespaces) and gets a task back.  These frozen values
are that spec in the simulation's own terms; `Runtime.create` turns one
into a running `ContainerHandle`, `ContainerHandle.exec` turns a
`ProcessSpec` into a process in the container's namespaces.

Everything here is a value: the same spec always describes the same
container, and nothing in it refers to kernel objects.  The writable
layer is the one exception, an identity object (`WritableLayer`) handed
back by an earlier run so the next one continues where it stopped.
"""

import attrs

from ..abi import DOCKER_DEFAULT_CAPS
from ..proc.caps import normalize as normalize_caps, tweak as tweak_caps
from ..proc.limits import NAMES as RLIMIT_NAMES

#: What the daemon computes a `Security` with (moby's capability rules,
#: the rlimit names), re-exported as part of the runtime's face.
__all__ = ["ProcessSpec", "Security", "Device", "RootSpec", "FileMount", "DirMount", "Resources",
           "ContainerSpec", "normalize_caps", "tweak_caps", "RLIMIT_NAMES"]


def _strings(value) -> "tuple[str, ...]":
    return tuple(str(v) for v in (value or ()))


@attrs.frozen
class ProcessSpec:
    """The process to run (OCI ``process``).

    ``env`` is ``KEY=value`` strings; the runtime adds what runc and Docker
    add when missing (PATH, HOSTNAME, HOME, TERM with a terminal).  ``user``
    is what Docker accepts (``name``, ``uid``, ``name:group``,
    ``uid:gid``), resolved against the container's own /etc/passwd and
    /etc/group.  ``cwd`` is made if missing for a container's first
    process (as runc does), not for an exec.  ``stdin``: the process reads from
    a stream the caller writes (else /dev/null).  ``terminal``: the
    process gets a new pseudo-terminal (the next free /dev/pts/N of the
    container) as fds 0-2 and as the controlling terminal of a session of
    its own; stdout is the master's screen (stderr goes there too) and the
    stdin stream is its keyboard.  ``console_size``: the terminal's initial
    (height, width), as the API's ConsoleSize; None leaves it 0x0, as runc
    does when the client sends none."""

    args: "tuple[str, ...]" = attrs.field(converter=_strings)
    env: "tuple[str, ...]" = attrs.field(default=(), converter=_strings)
    cwd: str = "/"
    user: str = ""
    terminal: bool = False
    stdin: bool = False
    console_size: "tuple[int, int] | None" = attrs.field(
        default=None, converter=lambda v: None if v is None else (int(v[0]), int(v[1])))
    #: None: the container's (an exec); a container's first process
    #: takes `ContainerSpec.security`.
    security: "Security | None" = None


@attrs.frozen
class Security:
    """What runc sets on a process besides its user (OCI ``process``'s
    capabilities, rlimits, noNewPrivileges, oomScoreAdj, the default
    seccomp profile, and ``user.additionalGids`` from ``group_add``).

    ``caps``: the bounding, effective and permitted set moby computed
    (`sim.proc.caps.tweak`).  ``group_add``: ``--group-add`` entries,
    names or numbers, looked up in the container's /etc/group.
    ``rlimits``: (name, soft, hard) overriding
    `sim.proc.limits.DOCKER_DEFAULTS`.  ``seccomp``: Docker's default
    profile is loaded (one filter; False: ``seccomp=unconfined`` or
    privileged)."""

    caps: frozenset = attrs.field(default=DOCKER_DEFAULT_CAPS, converter=frozenset)
    group_add: "tuple[str, ...]" = attrs.field(default=(), converter=_strings)
    no_new_privs: bool = False
    seccomp: bool = True
    rlimits: tuple = attrs.field(default=(), converter=tuple)
    oom_score_adj: int = 0


@attrs.frozen
class Device:
    """``--device host:container:perms``: the host's device node at
    ``host_path`` appears at ``container_path`` (runc's mknod)."""

    host_path: str
    container_path: str
    permissions: str = "rwm"


@attrs.frozen
class RootSpec:
    """The root filesystem (OCI ``root``): the image's layers by DiffID,
    base first, under a writable layer (a fresh one when None).
    ``readonly``: the root is mounted read-only (``--read-only``; runc
    remounts it once the working directory is made), and ``docker cp``
    refuses to write into it.  ``init_layer``: Docker's init layer lies
    between the image and the writable layer, as for every container;
    False for the builder's ADD/COPY step root and ``COPY --from``
    sources, which moby mounts from the image's layers alone
    (``NewRWLayer`` without an init function)."""

    layers: "tuple[str, ...]" = attrs.field(converter=_strings)
    writable: object = attrs.field(default=None, eq=False)  # WritableLayer | None
    readonly: bool = False
    init_layer: bool = True


@attrs.frozen
class FileMount:
    """A single file bind-mounted over ``destination`` (OCI ``mounts``), as
    Docker mounts the /etc/hostname, /etc/hosts and /etc/resolv.conf it
    writes for each container: ``content`` is the file when the container
    starts; writes inside the container change the mounted file, never the
    image's.  (Volumes and bind mounts of host folders come with the
    volumes issue.)"""

    destination: str
    content: bytes
    readonly: bool = False


@attrs.frozen
class DirMount:
    """A directory mounted at ``destination`` (OCI ``mounts``): a bind
    mount of a host directory or a volume (``kind`` ``bind`` or
    ``volume``; ``source`` is the filesystem object the daemon provides
    for it, implementing `sim.fs.vfs.Filesystem`), or a fresh tmpfs
    (``kind`` ``tmpfs``; ``source`` unused, ``size`` in bytes or None,
    ``mode`` of its root).  ``readonly``: EROFS for every change.
    ``copy_up``: before the mount, the image's content at the
    destination is copied into the (empty) source, as moby does for a
    new volume.  The mount point is made when missing.  ``noexec``: its
    files cannot be executed (Docker's default for a tmpfs).

    ``kind`` ``image``: an image's filesystem (``--mount type=image``),
    its ``layers`` by DiffID, base first, read from the layer store as a
    root's are, read-only.

    ``subpath`` (a volume's or an image's; resolved, no symlinks: see
    `sim.runtime.imagemount`) mounts that directory or file of the source
    instead of its root: the source's own files, so what is written there
    is in the volume."""

    destination: str
    source: object = attrs.field(default=None, eq=False)
    readonly: bool = False
    kind: str = "bind"
    size: "int | None" = None
    mode: int = 0o1777
    copy_up: bool = False
    noexec: bool = False
    layers: "tuple[str, ...]" = attrs.field(default=(), converter=_strings)
    subpath: str = ""


@attrs.frozen
class Resources:
    """The container's cgroup figures, in the Engine API's terms
    (HostConfig's ``Memory``, ``MemorySwap``, ``MemoryReservation``,
    ``NanoCpus``, ``CpuQuota``, ``CpuPeriod``, ``CpuShares``,
    ``CpusetCpus``, ``PidsLimit``); 0 is "not set".  The runtime turns them
    into cgroup v2 limits as runc does (`cgroup_limits`)."""

    memory: int = 0
    memory_swap: int = 0  # -1: unlimited swap
    memory_reservation: int = 0
    nano_cpus: int = 0
    cpu_quota: int = 0
    cpu_period: int = 0
    cpu_shares: int = 0
    cpuset_cpus: str = ""
    pids_limit: int = 0  # <= 0: unlimited


#: Docker's default /dev/shm size (moby's config.DefaultShmSize): 64 MiB.
DEFAULT_SHM_SIZE = 64 * 1024 * 1024


@attrs.frozen
class Namespaces:
    """Which namespaces the container gets (OCI ``linux.namespaces``, as
    moby's ``WithNamespaces`` fills them) and its cgroup's place.

    ``pid``: "" (a new PID namespace), "host", or ``container:<id>`` (the
    running container ``id``'s).  ``ipc``: "private" or "shareable" (a new
    namespace with a /dev/shm tmpfs of ``shm_size`` bytes; only a
    shareable one may be joined), "host" (the host's, its /dev/shm),
    "none" (a new namespace, no /dev/shm), ``container:<id>``.  ``uts``:
    "" (its own, named by the spec's hostname) or "host".  ``cgroupns``:
    "private" (rooted at its own group: /proc/self/cgroup reads ``0::/``)
    or "host".  ``cgroup_parent``: the group its cgroup sits under, as
    systemd names it (``x-y.slice``); "" is ``system.slice``."""

    pid: str = ""
    ipc: str = "private"
    uts: str = ""
    cgroupns: str = "private"
    shm_size: int = DEFAULT_SHM_SIZE
    cgroup_parent: str = ""


@attrs.frozen
class ContainerSpec:
    """One container: its id, first process, root filesystem, mounts and
    names (its network is a `sim.runtime.network.NetSandbox` made first),
    its namespaces and whether docker-init runs first.  ``id`` names the shim (``containerd-shim-runc-v2 -id <id>``)."""

    id: str
    process: ProcessSpec
    root: RootSpec
    hostname: str
    domainname: str = ""
    mounts: "tuple[FileMount, ...]" = attrs.field(default=(), converter=tuple)
    #: Directory mounts (volumes, binds, tmpfs), in the order given.
    dir_mounts: "tuple[DirMount, ...]" = attrs.field(default=(), converter=tuple)
    resources: Resources = Resources()
    security: Security = Security()
    #: ``--device`` mappings.
    devices: "tuple[Device, ...]" = attrs.field(default=(), converter=tuple)
    #: OCI ``maskedPaths`` and ``readonlyPaths`` (moby's defaults unless
    #: privileged or ``systempaths=unconfined``).
    masked_paths: "tuple[str, ...]" = attrs.field(default=(), converter=_strings)
    readonly_paths: "tuple[str, ...]" = attrs.field(default=(), converter=_strings)
    #: namespaced sysctls (runc's validation applies; see `Runtime.create`).
    sysctls: tuple = attrs.field(default=(), converter=lambda v: tuple(sorted(dict(v or {}).items())))
    #: The container shares the host's network namespace (runc refuses
    #: net.* sysctls then).
    host_network: bool = False
    namespaces: Namespaces = Namespaces()
    #: ``--init``: docker-init (tini) is bind-mounted at /sbin/docker-init
    #: and runs as the first process, ``/sbin/docker-init -- <args>``.
    init: bool = False
