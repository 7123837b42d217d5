"""PID namespaces (pid_namespaces(7)).

A task has one PID in its own namespace and one in every ancestor
namespace: a container's first process is PID 1 inside and, say, 4242 on
the host.  Each namespace is a bimap (pid -> task, task -> pid).

Invariant: a task visible in a namespace is visible in every ancestor of
that namespace (allocation walks from the task's namespace up to the root).
"""

import attrs

from ..abi import Errno
from ..errors import SimError

#: /proc/sys/kernel/pid_max on a 64-bit Linux.
PID_MAX = 4194304


@attrs.define(eq=False)
class PidNamespace:
    #: The parent namespace; None for the root (host) namespace.  immutable.
    parent: "PidNamespace | None" = None
    #: Depth: 0 for the root.  immutable.
    level: int = 0
    #: pid -> task.
    tasks: dict = attrs.field(factory=dict, repr=False)
    #: task -> pid (the reverse map).
    pids: dict = attrs.field(factory=dict, repr=False)
    #: The last PID handed out; allocation continues after it (and wraps).
    last_pid: int = 0
    #: Set when the namespace's init exits: no new PIDs can be allocated
    #: ("fork: Cannot allocate memory", pid_namespaces(7)).
    init_dead: bool = False

    @classmethod
    def child_of(cls, parent: "PidNamespace") -> "PidNamespace":
        return cls(parent=parent, level=parent.level + 1)

    def ancestors(self):
        """This namespace, then its parent, up to the root."""
        ns = self
        while ns is not None:
            yield ns
            ns = ns.parent

    def is_ancestor_of(self, other: "PidNamespace") -> bool:
        """True if ``self`` is ``other`` or one of its ancestors."""
        return any(ns is self for ns in other.ancestors())

    def _next_free(self) -> int:
        pid = self.last_pid
        for _ in range(PID_MAX):
            pid = pid + 1 if pid + 1 < PID_MAX else 1
            if pid not in self.tasks:
                return pid
        raise SimError(Errno.EAGAIN)

    def allocate(self, task) -> None:
        """Give ``task`` a PID here and in every ancestor, rolling back on
        failure (gVisor's assignTIDsLocked follows the same order)."""
        done = []
        try:
            for ns in self.ancestors():
                if ns.init_dead:
                    raise SimError(Errno.ENOMEM)
                pid = ns._next_free()
                ns.last_pid = pid
                ns.tasks[pid] = task
                ns.pids[task] = pid
                done.append(ns)
        except SimError:
            for ns in done:
                ns.tasks.pop(ns.pids.pop(task), None)
            raise

    def release(self, task) -> None:
        """Forget ``task`` here and in every ancestor (when it is reaped)."""
        for ns in self.ancestors():
            pid = ns.pids.pop(task, None)
            if pid is not None:
                ns.tasks.pop(pid, None)

    def pid_of(self, task) -> int:
        """The task's PID as seen from this namespace; 0 if it is not
        visible here (as getppid() returns 0 for a parent outside)."""
        return self.pids.get(task, 0)

    def lookup(self, pid: int):
        return self.tasks.get(pid)
