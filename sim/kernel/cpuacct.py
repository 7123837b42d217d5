"""CPU time accounting: how much processor time each task has had.

The scheduler steps tasks as fast as the host lets it, so the number of
steps a task took says little about time: one step of a busy loop may be
a microsecond of the host's or a millisecond.  What a task has had of the
machine's CPUs is instead measured on the kernel clock, as a *fluid*
scheduler would share them (CFS's ideal): while ``n`` tasks are runnable
on ``ncpu`` CPUs, each of them runs at ``min(1, ncpu / n)`` of a CPU.
One busy task on an idle machine therefore gets one CPU-second per
second (``docker stats`` shows it at 100%), three busy tasks on two CPUs
two thirds of a CPU each, and a task that sleeps gets nothing.

Kept as a virtual clock, as CFS keeps ``vruntime``: ``v`` is the CPU time
one task runnable since boot would have had.  It advances with the clock
at the current share; a task that becomes runnable notes ``v``
(``acct_mark``) and, when it stops (blocks, exits, is frozen), adds what
``v`` gained meanwhile to its ``cpu_seconds``.  Every operation is O(1).

This is the CPU time everything reports: ``ps`` and ``top`` (TIME, %CPU),
/proc/<pid>/stat, /proc/uptime's idle time, the cgroup's cpu.stat and
``docker stats``.  (``Task.cpu_ticks``, the steps a task took, only says
how much work the simulator did for it.)

Which tasks accrue: RUNNABLE tasks not in a frozen cgroup (the scheduler
starts and stops them: `sim.kernel.sched`, `sim.kernel.cgroup`).
"""

import attrs


@attrs.define(eq=False)
class CpuAccounting:
    clock: object  # sim.clock.Clock
    ncpu: int = 1
    #: Tasks accruing CPU time now.
    running: int = 0
    #: CPU-seconds one task runnable all along would have had.
    v: float = 0.0
    #: When ``v`` was last brought up to date (kernel clock).
    at: float = attrs.field(default=None)
    #: CPU-seconds all tasks together have had since boot.
    busy: float = 0.0

    def __attrs_post_init__(self):
        if self.at is None:
            self.at = self.clock.now()

    def _advance(self) -> None:
        now = self.clock.now()
        if now > self.at:
            if self.running:
                self.v += (now - self.at) * min(1.0, self.ncpu / self.running)
                self.busy += (now - self.at) * min(self.running, self.ncpu)
            self.at = now

    def start(self, task) -> None:
        """``task`` is runnable (and not frozen) from now on."""
        if task.acct_mark is not None:
            return
        self._advance()
        self.running += 1
        task.acct_mark = self.v

    def stop(self, task) -> None:
        """``task`` stops competing for a CPU (blocked, exited, frozen)."""
        if task.acct_mark is None:
            return
        self._advance()
        self.running -= 1
        task.cpu_seconds += self.v - task.acct_mark
        task.acct_mark = None

    def busy_seconds(self) -> float:
        """CPU-seconds every task together has had since boot."""
        self._advance()
        return self.busy

    def cpu_time(self, task) -> float:
        """The CPU-seconds ``task`` has had, up to now."""
        if task.acct_mark is None:
            return task.cpu_seconds
        self._advance()
        return task.cpu_seconds + self.v - task.acct_mark
