"""The namespaces a container gets, and ``--init``: moby's checks at
create (``verifyPlatformContainerSettings``, ``adaptContainerSettings``,
``adaptSharedNamespaceContainer``) and at start (``setupIPCDirs``,
``WithNamespaces``), turned into the runtime's `Namespaces`.

- ``PidMode``: "" (its own), ``host``, ``container:<name|id>``;
- ``IpcMode``: ``private`` (the default dockerd fills in), ``shareable``,
  ``host``, ``none``, ``container:<name|id>`` (only a ``shareable`` or
  ``host`` donor can be joined), with a /dev/shm of ``ShmSize`` bytes
  (64 MiB by default);
- ``UTSMode``: "" or ``host``;
- ``CgroupnsMode``: ``private`` (the default on a cgroup v2 host) or
  ``host``; ``CgroupParent``: a systemd slice (``x.slice``), since
  dockersim's daemon uses the systemd cgroup driver;
- ``Init``: docker-init (tini) as the first process.

A ``container:`` mode names its container by name or id at create; as
dockerd does, it is stored with the full id when the container exists.
"""

from __future__ import annotations

from ...sim.runtime.spec import DEFAULT_SHM_SIZE, Namespaces
from ..errors import Conflict, InvalidParameter, NotFound

_IPC_MODES = ("", "none", "private", "host", "shareable")


def _container_ref(mode: str) -> "str | None":
    """moby's ``containerID``: the part after ``container:``, None for
    another mode."""
    kind, sep, ref = mode.partition(":")
    return ref if sep and kind == "container" else None


def verify(host_config: dict) -> None:
    """moby's ``verifyPlatformContainerSettings`` for these fields, in its
    order and words."""
    ipc = host_config.get("IpcMode") or ""
    if ipc not in _IPC_MODES and _container_ref(ipc) is None:
        raise InvalidParameter(f"invalid IPC mode: {ipc}")
    pid = host_config.get("PidMode") or ""
    if pid not in ("", "host") and not _container_ref(pid):
        raise InvalidParameter(f"invalid PID mode: {pid}")
    if int(host_config.get("ShmSize") or 0) < 0:
        raise InvalidParameter("SHM size can not be less than 0")
    uts = host_config.get("UTSMode") or ""
    if uts not in ("", "host"):
        raise InvalidParameter(f"invalid UTS mode: {uts}")
    parent = host_config.get("CgroupParent") or ""
    if parent and (len(parent) <= 6 or not parent.endswith(".slice")):
        raise InvalidParameter('cgroup-parent for systemd cgroup should be a valid slice named as "xxx.slice"')
    cgroupns = host_config.get("CgroupnsMode") or ""
    if cgroupns not in ("", "private", "host"):
        raise InvalidParameter(f"invalid cgroup namespace mode: {cgroupns}")


def adapt(host_config: dict, records) -> None:
    """moby's ``adaptContainerSettings``: the daemon's defaults (ShmSize
    64 MiB, IpcMode ``private``, CgroupnsMode ``private``), and a
    ``container:`` mode's name replaced by the container's full id."""
    if not int(host_config.get("ShmSize") or 0):
        host_config["ShmSize"] = DEFAULT_SHM_SIZE
    if not host_config.get("IpcMode"):
        host_config["IpcMode"] = "private"
    if not host_config.get("CgroupnsMode"):
        host_config["CgroupnsMode"] = "private"
    for key in ("PidMode", "IpcMode"):
        ref = _container_ref(host_config.get(key) or "")
        if ref:
            try:
                host_config[key] = "container:" + records.resolve(ref).id
            except NotFound:
                pass  # left to start, as moby does


def _running(records, ref: str, what: str):
    """moby's ``getPIDContainer``/``getIPCContainer`` (their not-found,
    not-running and restarting errors, wrapped as moby wraps them)."""
    try:
        other = records.resolve(ref)
    except NotFound as err:
        raise InvalidParameter(f"failed to join {what} namespace: {err}") from None
    if other.state.status == "restarting":
        raise Conflict(f"failed to join {what} namespace: Container {ref} is restarting, "
                       "wait until the container is running")
    if not other.state.running or other.handle is None:
        raise Conflict(f"failed to join {what} namespace: container {ref} is not running")
    return other


def namespaces_of(container, records) -> Namespaces:
    """The runtime's `Namespaces` for a start of ``container``; a
    ``container:`` mode whose container is missing, stopped or (IPC) not
    shareable is refused with moby's words.  (dockerd answers 500 for a
    PID donor that is not running, as for any spec error; dockersim
    answers 409, as dockerd does for an IPC donor.)"""
    hc = container.host_config
    ipc = hc.get("IpcMode") or "shareable"  # a container from an older daemon
    ref = _container_ref(ipc)
    if ref is not None:
        donor = _running(records, ref, "IPC")
        if (donor.host_config.get("IpcMode") or "shareable") not in ("shareable", "host"):
            raise InvalidParameter(f"failed to join IPC namespace: container {ref}: non-shareable IPC "
                                   "(hint: use IpcMode:shareable for the donor container)")
        ipc = "container:" + donor.id
    pid = hc.get("PidMode") or ""
    ref = _container_ref(pid)
    if ref is not None:
        pid = "container:" + _running(records, ref, "PID").id
    return Namespaces(
        pid=pid, ipc=ipc, uts=hc.get("UTSMode") or "",
        cgroupns=hc.get("CgroupnsMode") or "private",
        shm_size=int(hc.get("ShmSize") or 0) or DEFAULT_SHM_SIZE,
        cgroup_parent=hc.get("CgroupParent") or "")


def wants_init(host_config: dict) -> bool:
    """``Init``: true runs docker-init; null is the daemon's default (no
    init, as dockerd without ``--init``)."""
    return bool(host_config.get("Init"))
