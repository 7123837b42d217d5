"""Events: what the kernel tells the world outside the simulation.

The kernel never calls the daemon.  It appends events to a list
(`Kernel.emit`) and the daemon, after each `Kernel.run`, takes them
(`Kernel.drain_events`) and acts: a container's main process exited, a
simulated program crashed with a Python exception (a bug in dockersim, to
be logged).  Events are values: frozen, compared by content.
"""

import attrs

from ..proc.task import WaitStatus


@attrs.frozen
class TaskExited:
    """Event: a task exited (whether or not anyone has reaped it)."""

    host_pid: int
    status: WaitStatus
    time: float


@attrs.frozen
class ProgramCrashed:
    """Event: a program raised an unexpected exception (a bug in dockersim,
    reported so the daemon can log it)."""

    host_pid: int
    comm: str
    text: str
