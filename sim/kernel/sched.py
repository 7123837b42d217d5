"""The scheduler: which task runs next, for how long, and how tasks sleep.

Every live task is RUNNABLE (it could run now) or BLOCKED (asleep until
something it waits for changes); see `sim.proc.task` for the state table.
Runnable tasks wait their turn in the *run queue*, first in, first out.
`Scheduler.run` takes the task at the head and runs it for one *time
slice*: at most `TIME_SLICE` steps, a step being one resumption of its
coroutine up to the next trap.  The slice ends early when the task blocks,
yields, exits or is killed; a task that used its whole slice goes to the
back of the queue, so a busy loop cannot starve the others (round robin,
the simplest preemptive policy; Linux's CFS picks by virtual runtime
instead).  Steps are counted (``cpu_ticks``), but CPU *time* is measured
on the kernel clock by `sim.kernel.cpuacct` (a runnable task's share of
the CPUs), which ``enqueue``, blocking and exit start and stop; a task of
a frozen cgroup (`sim.kernel.cgroup`) is set aside when popped, unless a
fatal signal waits for it, and goes back on the queue at thaw.

Sleeping and waking:

- *block*: a trap that cannot complete registers the task in one or more
  wait queues (`block_on`: a set of tasks, e.g. a pipe's waiters or a
  parent's ``wait_waiters``) and the task becomes BLOCKED;
- *wake*: whatever changes calls `wake_all` on the queue; each woken task
  leaves *every* queue it joined, becomes RUNNABLE and joins the run queue,
  where it will check its trap again.

Invariants (true whenever `run` is not in the middle of a step):

- ``task.queued`` is True exactly when the task is in `runq`, so the run
  queue holds each task at most once;
- every RUNNABLE task is in the run queue; a task in the run queue is
  RUNNABLE or has exited since it was queued (it is skipped when popped);
- a task is in a wait queue only while it is BLOCKED, and
  ``task.waiting_in`` lists exactly the queues it is in.

One call to `run` is deterministic: the same tasks, queue and clock give
the same steps.
"""

import collections
import traceback

import attrs

from ..errors import ExecReplace, ProgramExit, SimError
from ..proc.task import Task, TaskState, WaitStatus
from .cpuacct import CpuAccounting
from .events import ProgramCrashed
from .exec import start_image
from .exit import do_exit, terminate
from .fdtable import write_if_open
from .timers import TimerQueue
from .traps import BLOCK, RESCHEDULE, _Throw, poll_trap

#: Steps one task may take before the scheduler moves to the next one.
TIME_SLICE = 64
#: A step in seconds, for callers that need a nominal figure (CPU time
#: itself is `sim.kernel.cpuacct`'s).
TICK = 0.0001


@attrs.define(eq=False)
class Scheduler:
    """The run queue, the timers and the CPU accounting of one machine."""

    clock: object  # sim.clock.Clock
    ncpu: int = 1
    runq: collections.deque = attrs.field(factory=collections.deque, repr=False)
    timers: TimerQueue = attrs.field(factory=TimerQueue, repr=False)
    #: Steps every task ever ran (the simulator's work, not CPU time).
    cpu_ticks_total: int = 0
    #: CPU time on the kernel clock (`sim.kernel.cpuacct`).
    acct: CpuAccounting = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self):
        self.acct = CpuAccounting(self.clock, self.ncpu)
    #: The task whose program is running right now (None between steps):
    #: what /proc/self names.
    current: "Task | None" = attrs.field(default=None, repr=False)

    # -- the run queue -------------------------------------------------------
    def enqueue(self, task: Task) -> None:
        """Put ``task`` at the back of the run queue, unless it is there."""
        if not task.queued:
            task.queued = True
            self.runq.append(task)
        if task.state is TaskState.RUNNABLE and not _frozen(task):
            self.acct.start(task)

    def runnable(self) -> bool:
        return bool(self.runq)

    def active(self) -> int:
        """Runnable tasks waiting in the queue (the load average's count)."""
        return sum(1 for t in self.runq if t.state is TaskState.RUNNABLE and not _frozen(t))

    # -- sleeping and waking -------------------------------------------------
    def block_on(self, task: Task, waiters: set) -> None:
        """Register ``task`` in the wait queue ``waiters``.

        Preconditions: ``task`` is running a trap's check that will answer
        BLOCK (the scheduler then marks it BLOCKED)."""
        waiters.add(task)
        task.waiting_in.append(waiters)

    def wake(self, task: Task) -> None:
        """Make a BLOCKED task runnable: out of every wait queue, into the
        run queue.  Anything else is left as it is."""
        if task.state is TaskState.BLOCKED:
            for waiters in task.waiting_in:
                waiters.discard(task)
            task.waiting_in.clear()
            task.transition("wake")
            self.enqueue(task)

    def wake_all(self, waiters: set) -> None:
        """Wake every task in a wait queue."""
        for task in list(waiters):
            self.wake(task)

    def fire_timers(self) -> None:
        """Wake the tasks whose timers are due by the clock."""
        self.timers.fire(self.clock.now(), self.wake)

    def task_exited(self, task: Task) -> None:
        """``task`` exited: it stops accruing CPU time and leaves its
        control group, which keeps what it used."""
        self.acct.stop(task)
        if task.cgroup is not None:
            task.cgroup.leave(task, task.cpu_seconds)
            if not task.cgroup.tasks:
                self.acct.groups.pop(task.cgroup, None)  # its clock is not needed now

    # -- running -------------------------------------------------------------
    def run(self, kernel, max_steps: int) -> bool:
        """Run tasks until none is runnable or ``max_steps`` steps were
        taken.  Returns True if runnable tasks remain."""
        self.fire_timers()
        steps = 0
        while self.runq and steps < max_steps:
            task = self.runq.popleft()
            task.queued = False
            if task.state is TaskState.RUNNABLE:
                if _frozen(task) and task.fatal_signal is None:
                    task.cgroup.park(task)  # runs again at thaw
                    continue
                steps += self._run_slice(kernel, task)
            if not self.runq:
                self.fire_timers()
        return bool(self.runq)

    def _run_slice(self, kernel, task: Task) -> int:
        """Step ``task`` for up to one time slice; returns steps taken.

        Each step: a fatal signal ends the task; otherwise its pending trap
        (if any) is checked, and a completed trap's result is sent into the
        coroutine, which runs up to its next trap."""
        for step in range(1, TIME_SLICE + 1):
            if task.fatal_signal is not None:
                terminate(kernel, task)
                return step
            if task.trap is not None:
                result = poll_trap(kernel, task, task.trap)
                if result is BLOCK:
                    if task.state is TaskState.STOPPED:
                        return step  # stopped by its own call (SIGTTIN): retried on SIGCONT
                    task.transition("block")
                    if not getattr(task.trap, "computing", False):
                        self.acct.stop(task)  # a turn on a core still uses a CPU
                    return step
                task.trap = None
                if result is RESCHEDULE:
                    task.resume_value = None
                    self.enqueue(task)
                    return step
                if isinstance(result, _Throw):
                    task.resume_exc = result.exc
                else:
                    task.resume_value = result
                if task.fatal_signal is not None:  # e.g. SIGPIPE from this very write
                    terminate(kernel, task)
                    return step
            if not self._resume(kernel, task):
                return step
            if task.state is not TaskState.RUNNABLE:
                return step  # it stopped itself (kill -STOP $$)
        self.enqueue(task)
        return TIME_SLICE

    def _resume(self, kernel, task: Task) -> bool:
        """Send the pending value (or exception) into the coroutine and keep
        the trap it yields.  Returns False if the task exited."""
        task.cpu_ticks += 1
        self.cpu_ticks_total += 1
        self.current = task
        try:
            if task.resume_exc is not None:
                exc, task.resume_exc = task.resume_exc, None
                task.trap = task.coro.throw(exc)
            else:
                value, task.resume_value = task.resume_value, None
                task.trap = task.coro.send(value)
        except StopIteration as stop:
            value = stop.value
            do_exit(kernel, task, WaitStatus(code=int(value or 0) & 0xFF))
            return False
        except ProgramExit as done:
            do_exit(kernel, task, WaitStatus(code=done.code))
            return False
        except ExecReplace as replaced:
            start_image(kernel, task, replaced.image)
            return True
        except SimError as err:
            # An unhandled failed system call: report it like a C program
            # that checked the error and gave up.
            write_if_open(task, 2, f"{task.image.comm}: {err}\n".encode())
            do_exit(kernel, task, WaitStatus(code=1))
            return False
        except Exception:  # a bug in a simulated program
            text = traceback.format_exc()
            kernel.emit(ProgramCrashed(task.host_pid, task.image.comm, text))
            write_if_open(task, 2, f"{task.image.comm}: internal error (dockersim bug)\n".encode())
            do_exit(kernel, task, WaitStatus(code=70))
            return False
        finally:
            self.current = None
        return True


def _frozen(task: Task) -> bool:
    cgroup = task.cgroup
    return cgroup is not None and cgroup.frozen
