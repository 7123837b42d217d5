"""The set of namespaces a task lives in (its nsproxy, in Linux terms).

Tasks created by fork share their parent's set; a container's first task
gets a new set (new PID, mount, UTS and network namespaces), and `docker
exec` joins an existing one (setns(2)).
"""

import attrs

from ..proc.pidns import PidNamespace
from .uts import UtsNamespace


@attrs.define(eq=False)
class NamespaceSet:
    pid: PidNamespace
    #: The mount namespace: a `sim.fs.vfs.Vfs`.
    mnt: object
    uts: UtsNamespace
    #: The network namespace (later: interfaces, sockets, port table).
    net: object = None
