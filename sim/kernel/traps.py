"""Traps: how a program asks the kernel for something that may have to wait.

A program is a coroutine.  When it makes a blocking system call (read a
pipe, wait for a child, sleep) the system-call facade builds a *trap*, a
small object describing the call, and ``await trap(call)``: the coroutine
stops and hands the trap to the kernel, the way a real process enters the
kernel with a trap instruction.  The kernel then asks the trap whether the
call can complete:

- yes: the trap returns the result (or a `_Throw` carrying the error), and
  the scheduler sends it back into the coroutine, which goes on as if the
  ``await`` had simply returned (or raised);
- not yet: the trap registers the task wherever the thing it waits for
  lives (a description's wait queue, the parent's ``wait_waiters``, the
  timer queue) and answers `BLOCK`; the task goes to sleep, and when
  something wakes it the kernel asks the same trap again.  A wake-up is a
  hint, never a promise: the trap checks afresh every time;
- give the CPU away: `RESCHEDULE` puts the task at the back of the run
  queue (sched_yield(2)).

Each trap knows how to check itself (``check(kernel, task)``), so adding a
blocking call means adding a trap class here (or next to the thing it waits
for); the scheduler never learns what the calls are.

Signals interrupt: an ``interruptible`` trap ends with `Interrupted`
(EINTR) instead of being checked when a caught signal is pending
(`poll_trap`).

Preconditions of ``check(kernel, task)``: ``task`` is the running task
(RUNNABLE, not in any wait queue), and ``task.trap`` is this trap.  A check
that returns BLOCK has registered the task everywhere a wake-up may come
from; one that returns anything else has put it in no wait queue.
"""

import types

import attrs

from ..abi import Errno, Signal
from ..errors import Interrupted, SimError
from ..io.waiter import ALWAYS, POLLNVAL
from ..proc.task import TaskState, WaitStatus
from .cgroup import charge_disk_write, charge_memory
from .fdtable import desc_of


class _Block:
    """Sentinel: the trap cannot complete yet."""


#: What ``check`` answers when the call cannot complete yet.
BLOCK = _Block()


@attrs.frozen
class _Throw:
    """What ``check`` answers to make the ``await`` raise ``exc``."""

    exc: BaseException


class _Reschedule:
    """Sentinel: move the task to the back of the run queue."""


RESCHEDULE = _Reschedule()


@types.coroutine
def trap(call):
    """Yield ``call`` to the kernel and return what the kernel sends back."""
    return (yield call)


def poll_trap(kernel, task, t):
    """Ask trap ``t`` whether ``task``'s call can complete: its result, a
    `_Throw`, `BLOCK` or `RESCHEDULE`.  A pending caught signal ends an
    interruptible trap with EINTR before it is checked (the signals move
    from pending to delivered, where ``take_signals()`` finds them); a
    SimError raised by the check becomes the call's error."""
    if t.interruptible and task.pending_signals:
        task.delivered_signals.extend(task.pending_signals)
        task.pending_signals.clear()
        return _Throw(Interrupted())
    try:
        return t.check(kernel, task)
    except (SimError, Interrupted) as err:
        return _Throw(err)


def tty_stopped(kernel, task, desc, write: bool) -> bool:
    """A background task touching its controlling terminal: its group was
    sent SIGTTIN (SIGTTOU) and the task stopped; the trap is checked again
    once it is continued (`sim.kernel.jobctl.tty_access`)."""
    pty = getattr(desc, "pty", None)
    if pty is None:
        return False
    from .jobctl import tty_access

    return tty_access(kernel, task, pty, write) == "stopped"


def would_block(kernel, task, desc):
    """A non-blocking description fails with EAGAIN; a blocking one parks
    the task on its wait queue."""
    if desc.nonblocking:
        raise SimError(Errno.EAGAIN)
    kernel._block_on(task, desc.waitable().waiters)
    return BLOCK


@attrs.define(eq=False)
class ReadTrap:
    """read(2): some bytes, b"" at end of file, or sleep until there are."""

    fd: int
    n: int
    interruptible = True

    def check(self, kernel, task):
        desc = desc_of(task, self.fd)
        if desc.isatty() and tty_stopped(kernel, task, desc, write=False):
            return BLOCK
        data = desc.try_read(self.n)
        if data is None:
            return would_block(kernel, task, desc)
        return data


@attrs.define(eq=False)
class WriteTrap:
    """write(2) of everything (``done`` bytes written so far, kept across
    wake-ups); a closed reader raises SIGPIPE and EPIPE."""

    fd: int
    data: bytes
    done: int = 0
    interruptible = True

    def check(self, kernel, task):
        desc = desc_of(task, self.fd)
        if desc.isatty() and not self.done and tty_stopped(kernel, task, desc, write=True):
            return BLOCK
        while self.done < len(self.data):
            try:
                n = desc.try_write(self.data[self.done:])
            except BrokenPipeError:
                kernel.send_signal(task, Signal.SIGPIPE, sender=task)
                return _Throw(SimError(Errno.EPIPE))
            if n is None:
                if desc.nonblocking and self.done:
                    return self.done  # a short write, as write(2) on O_NONBLOCK
                return would_block(kernel, task, desc)
            self.done += n
        charge_disk_write(task, desc, self.done)
        charge_memory(kernel, task, desc)
        return self.done


@attrs.define(eq=False)
class WaitTrap:
    """wait4(2): reap a zombie child, lowest host PID first, or sleep on
    the caller's ``wait_waiters`` until a child exits.  With ``untraced``
    (WUNTRACED) a child that stopped is reported once (its status's
    ``stopped``), with ``continued`` (WCONTINUED) one that was continued."""

    pid: int  # -1: any child; >0: that child; 0: the caller's group; < -1: group -pid
    nohang: bool = False
    untraced: bool = False
    continued: bool = False
    interruptible = True

    def _matches(self, task, child) -> bool:
        ns = task.nsset.pid
        if self.pid == -1:
            return True
        if self.pid > 0:
            return ns.pid_of(child) == self.pid
        if self.pid == 0:
            return child.pgrp is task.pgrp
        return child.pgrp is not None and child.pgrp.ids.get(ns) == -self.pid

    def check(self, kernel, task):
        candidates = [c for c in task.children if self._matches(task, c)]
        if not candidates:
            raise SimError(Errno.ECHILD)
        ns = task.nsset.pid
        for child in sorted(candidates, key=lambda c: c.host_pid):
            if child.state is TaskState.ZOMBIE:
                pid = ns.pid_of(child)
                status = child.exit_status
                kernel._reap(child)
                return (pid, status)
            if self.untraced and child.state is TaskState.STOPPED and child.stop_report is not None:
                sig, child.stop_report = child.stop_report, None
                return (ns.pid_of(child), WaitStatus(stopped=sig))
            if self.continued and child.cont_report:
                child.cont_report = False
                return (ns.pid_of(child), WaitStatus(continued=True))
        if self.nohang:
            return None
        kernel._block_on(task, task.wait_waiters)
        return BLOCK


@attrs.define(eq=False)
class SleepTrap:
    """nanosleep(2) until ``deadline`` (kernel clock)."""

    deadline: float
    #: Set once the trap's timer is in the timer queue.
    armed: bool = False
    interruptible = True

    def check(self, kernel, task):
        if kernel.clock.now() >= self.deadline:
            return None
        kernel._arm_timer(task, self)
        return BLOCK


@attrs.define(eq=False)
class YieldTrap:
    """sched_yield(2): let the other runnable tasks go first."""

    interruptible = False

    def check(self, kernel, task):
        return RESCHEDULE


@attrs.define(eq=False)
class PauseTrap:
    """Wait for a caught signal (pause(2))."""

    interruptible = True

    def check(self, kernel, task):
        return BLOCK


@attrs.define(eq=False)
class PollTrap:
    """poll(2): wait until one of several descriptions is ready, or the
    deadline (kernel clock; None waits for ever) passes.

    ``fds`` is a list of (fd, events); the result is the list of (fd,
    revents) with a non-zero revents, in the order asked (empty when the
    deadline passed).  An fd that is not open reports POLLNVAL; POLLERR and
    POLLHUP are reported whether asked for or not (poll(2))."""

    fds: list
    deadline: "float | None" = None
    armed: bool = False
    interruptible = True

    def check(self, kernel, task):
        ready = []
        for fd, events in self.fds:
            desc = task.fds.get(fd)
            if desc is None:
                revents = POLLNVAL if fd >= 0 else 0
            else:
                revents = desc.readiness() & (events | ALWAYS)
            if revents:
                ready.append((fd, revents))
        if ready:
            return ready
        if self.deadline is not None and kernel.clock.now() >= self.deadline:
            return []
        for fd, _ in self.fds:
            desc = task.fds.get(fd)
            if desc is not None:
                kernel._block_on(task, desc.waitable().waiters)
        if self.deadline is not None:
            kernel._arm_timer(task, self)
        return BLOCK
