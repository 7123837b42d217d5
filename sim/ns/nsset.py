"""The set of namespaces a task lives in (its nsproxy, in Linux terms).

Tasks created by fork share their parent's set; a container's first task
gets a new set (new PID, mount, UTS, IPC and network namespaces, and a
cgroup namespace rooted at its cgroup), unless it shares one of the
host's or another container's (``--pid``, ``--uts``, ``--ipc``,
``--cgroupns``, ``--network``), and `docker exec` joins an existing set
(setns(2)).
"""

import attrs

from ..proc.pidns import PidNamespace
from .ipc import IpcNamespace
from .uts import UtsNamespace


@attrs.define(eq=False)
class NamespaceSet:
    pid: PidNamespace
    #: The mount namespace: a `sim.fs.vfs.Vfs`.
    mnt: object
    uts: UtsNamespace
    #: The network namespace (later: interfaces, sockets, port table).
    net: object = None
    ipc: IpcNamespace = attrs.field(factory=IpcNamespace)
    #: The cgroup namespace: the cgroup path that is its root ("/" for the
    #: host's; a container's own group with Docker's private cgroupns).
    cgroup_root: str = "/"
