"""Wait queues and readiness: how a blocked task learns a file changed.

Linux's model (gVisor's ``waiter.Queue``, the kernel's ``wait_queue_head``
and ``poll_table``): every open file description has a wait queue and can
say, at any moment, which of the poll(2) events hold for it, its
*readiness mask*.  A task that cannot go on (a read on an empty pipe, an
accept with no pending connection, a poll over several sockets) registers
in the queues of every description it waits for and sleeps; whatever
changes a description notifies its queue, which wakes the registered tasks,
and each woken task checks its trap again (a wake-up is a hint, not a
promise: the data may be gone by the time the task runs).

Outsiders (the daemon copying a container's output, a published port's
proxy) hear the same changes through `listeners`: plain callbacks.

Invariant: a task sits in the queue of a description only while it is
BLOCKED on a trap that named that description; `Scheduler.wake`
(sim/kernel/sched.py) takes it out of every queue it joined.
"""

from typing import Callable

import attrs

# poll(2) event bits, Linux's values (asm-generic/poll.h).
POLLIN = 0x001
POLLPRI = 0x002
POLLOUT = 0x004
POLLERR = 0x008
POLLHUP = 0x010
POLLNVAL = 0x020
POLLRDHUP = 0x2000
#: Events poll(2) reports whether or not they were asked for.
ALWAYS = POLLERR | POLLHUP | POLLNVAL


@attrs.define(eq=False)
class WaitQueue:
    """The tasks waiting for one description, and outside listeners."""

    #: Tasks blocked on this queue; the kernel adds and removes them.
    waiters: set = attrs.field(factory=set, repr=False)
    #: Callbacks run on every `notify` (the daemon's side of a pipe or
    #: connection).
    listeners: list = attrs.field(factory=list, repr=False)
    #: Set by the kernel: wakes a set of tasks (injected so queues and the
    #: files that own them stay passive).
    wake: "Callable[[set], None] | None" = attrs.field(default=None, repr=False)

    def wake_waiters(self) -> None:
        """Wake the blocked tasks only (not the listeners)."""
        if self.wake is not None and self.waiters:
            self.wake(self.waiters)

    def notify(self) -> None:
        """Something changed: wake every waiting task, tell every listener."""
        self.wake_waiters()
        for callback in list(self.listeners):
            callback()
