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

A control group may be capped (cpu.max's quota / period CPUs, or the
number of CPUs in its cpuset): its runnable tasks then share at most that
many CPUs (``docker run --cpus 0.5`` shows 50% in ``docker stats``), each
group with a virtual clock of its own (`GroupClock`).  What a capped group
leaves unused is not handed to the others (CFS would).

Which tasks accrue: RUNNABLE tasks not in a frozen cgroup (the scheduler
starts and stops them: `sim.kernel.sched`, `sim.kernel.cgroup`).
"""

import attrs


@attrs.define(eq=False)
class GroupClock:
    """The virtual clock of a control group whose CPU use is capped
    (cpu.max, or a cpuset of fewer CPUs than the machine has): its
    runnable tasks share at most ``cap`` CPUs."""

    cap: float
    v: float = 0.0
    running: int = 0


@attrs.define(eq=False)
class CpuAccounting:
    clock: object  # sim.clock.Clock
    ncpu: int = 1
    #: Tasks accruing CPU time now.
    running: int = 0
    #: CPU-seconds one uncapped task runnable all along would have had.
    v: float = 0.0
    #: When ``v`` was last brought up to date (kernel clock).
    at: float = attrs.field(default=None)
    #: CPU-seconds all tasks together have had since boot.
    busy: float = 0.0
    #: Capped control groups -> their clocks.
    groups: dict = attrs.field(factory=dict, repr=False)

    def __attrs_post_init__(self):
        if self.at is None:
            self.at = self.clock.now()

    def _advance(self) -> None:
        now = self.clock.now()
        if now > self.at:
            dt = now - self.at
            if self.running:
                share = min(1.0, self.ncpu / self.running)
                self.v += dt * share
                uncapped = self.running
                for g in self.groups.values():
                    if g.running:
                        rate = min(share, g.cap / g.running)
                        g.v += dt * rate
                        self.busy += dt * rate * g.running
                        uncapped -= g.running
                self.busy += dt * share * uncapped
            self.at = now

    def _clock_of(self, task):
        cgroup = task.cgroup
        return self.groups.get(cgroup) if cgroup is not None else None

    def start(self, task) -> None:
        """``task`` is runnable (and not frozen) from now on."""
        if task.acct_mark is not None:
            return
        self._advance()
        self.running += 1
        g = self._clock_of(task)
        task.acct_clock = g
        if g is None:
            task.acct_mark = self.v
        else:
            g.running += 1
            task.acct_mark = g.v

    def stop(self, task) -> None:
        """``task`` stops competing for a CPU (blocked, exited, frozen)."""
        if task.acct_mark is None:
            return
        self._advance()
        self.running -= 1
        g = task.acct_clock
        if g is None:
            task.cpu_seconds += self.v - task.acct_mark
        else:
            g.running -= 1
            task.cpu_seconds += g.v - task.acct_mark
        task.acct_mark = task.acct_clock = None

    def set_cap(self, cgroup, cap: "float | None") -> None:
        """A group's CPU cap changed (None: none, or as many CPUs as the
        machine has): its accruing tasks move to the new clock."""
        if cap is not None and cap >= self.ncpu:
            cap = None
        old = self.groups.get(cgroup)
        if (old.cap if old is not None else None) == cap:
            return
        moving = [t for t in cgroup.tasks if t.acct_mark is not None]
        for task in moving:
            self.stop(task)
        if cap is None:
            self.groups.pop(cgroup, None)
        else:
            self.groups[cgroup] = GroupClock(cap)
        for task in moving:
            self.start(task)

    def busy_seconds(self) -> float:
        """CPU-seconds every task together has had since boot."""
        self._advance()
        return self.busy

    def cpu_time(self, task) -> float:
        """The CPU-seconds ``task`` has had, up to now."""
        if task.acct_mark is None:
            return task.cpu_seconds
        self._advance()
        g = task.acct_clock
        return task.cpu_seconds + (self.v if g is None else g.v) - task.acct_mark
