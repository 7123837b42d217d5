"""Control groups (cgroup v2): a container's tasks as one group, its
limits, its accounting and its freezer.

A `Cgroup` holds the tasks of one container (the runtime makes one per
container, ``/system.slice/docker-<id>.scope`` on the host as with
systemd's driver; tasks forked inside join their parent's group).  Tasks
of the host have no group (``task.cgroup is None``: the root).

What a group does:

- **freezer** (``cgroup.freeze``): `freeze` stops its tasks from being
  scheduled.  A frozen task keeps its state (its timers still fire, its
  pipes still fill); the scheduler sets a runnable one aside
  (``parked``) instead of running it, and `thaw` puts those back on the
  run queue, so what happened while frozen takes effect at thaw.  A task
  forked into a frozen group is frozen too.  Signals stay queued, except
  that a fatal signal (SIGKILL, or a signal whose default action kills)
  still ends the task, as Linux's v2 freezer lets it (the task leaves the
  freezer trap to die).  ``ps`` shows a frozen task as sleeping (``S``):
  the v2 freezer parks tasks in an interruptible sleep
  (``do_freezer_trap``).
- **accounting**: the CPU time of its tasks (`sim.kernel.cpuacct`, plus
  what tasks that left had), their number (``pids.current``), the memory
  charged to it (`memory_stat`: the tasks' resident pages as ``anon``, and
  the page cache of the files its container wrote, from ``file_usage``,
  as ``file``) and the bytes its tasks wrote to files of the writable
  layer (``io``, `charge_disk_write`; reads come from the page cache and
  count nothing).
- **limits** (`CgroupLimits`, the figures ``docker run``/``update`` set):
  ``pids.max`` is enforced (fork fails with EAGAIN past it); the CPU
  quota and cpuset cap the CPU time its tasks accrue (`sim.kernel.cpuacct`);
  memory.max is enforced by the OOM killer (`charge_memory`, below); the
  other memory figures are reported by the cgroup files and ``docker
  stats``.
- **the OOM killer**: after every write(2) by a task of a group with a
  memory.max, the memory the group cannot give back (its tasks' resident
  pages, its tmpfs pages: the container's /dev/shm and ``--tmpfs``
  mounts, and the kernel's per-task stacks) is compared with memory.max.
  Page cache of the writable layer is reclaimable (written back to the
  disk) and never counts.  The host has no swap, so memory.swap.max
  changes nothing.  Past the limit the largest task of the group (the
  biggest resident set; the oldest of equals, as Linux's scan keeps the
  first) gets SIGKILL, and memory.events counts ``oom`` and
  ``oom_kill``; the runtime reads `oom_kills` to tell the daemon
  (State.OOMKilled, the ``oom`` event).  Tmpfs pages stay charged after
  the kill (a file in /dev/shm outlives its writer), so every later
  write of the group's tasks kills again, as a full cgroup does.
"""

import attrs

from ..abi import Errno, Signal
from ..errors import SimError
from ..proc.task import TaskState

PAGE = 4096
#: The disk the writable layers live on (/dev/sda, 8:0), as io.stat names it.
DISK_DEVICE = (8, 0)


@attrs.frozen
class CgroupLimits:
    """A group's limits; None is "max" (no limit)."""

    #: memory.max, memory.low (Docker's MemoryReservation), memory.swap.max
    #: (bytes).
    memory_max: "int | None" = None
    memory_low: "int | None" = None
    swap_max: "int | None" = None
    #: cpu.max: quota and period (microseconds); quota None is "max".
    cpu_quota_us: "int | None" = None
    cpu_period_us: int = 100_000
    #: cpu.weight (1..10000, 100 by default; Docker maps CpuShares onto it).
    cpu_weight: int = 100
    #: pids.max.
    pids_max: "int | None" = None
    #: cpuset.cpus ("" = every CPU).
    cpuset_cpus: str = ""


@attrs.define(eq=False)
class IoCounters:
    """What a group read from and wrote to its disk (io.stat)."""

    rbytes: int = 0
    wbytes: int = 0
    rios: int = 0
    wios: int = 0


@attrs.define(eq=False)
class Cgroup:
    #: Where it sits in the host's hierarchy ("/system.slice/docker-<id>.scope").
    path: str
    limits: CgroupLimits = attrs.field(factory=CgroupLimits)
    #: Live tasks (not yet exited) in the group.
    tasks: set = attrs.field(factory=set, repr=False)
    frozen: bool = False
    #: Runnable tasks the scheduler set aside while frozen, in order.
    parked: list = attrs.field(factory=list, repr=False)
    #: CPU-seconds of tasks that have left (exited).
    retired_cpu: float = 0.0
    io: IoCounters = attrs.field(factory=IoCounters)
    #: Forks refused by pids.max (pids.events' ``max``).
    pids_refused: int = 0
    #: Bytes of page cache charged to the group (the files its container
    #: wrote), given by the runtime; None: nothing.
    file_usage: object = attrs.field(default=None, repr=False)
    #: Bytes its tmpfs mounts hold (shmem), given by the runtime; None: nothing.
    shmem_usage: object = attrs.field(default=None, repr=False)
    #: memory.events: times the group hit memory.max and could not get
    #: under it (``oom``), and tasks the OOM killer killed (``oom_kill``).
    oom_events: int = 0
    oom_kills: int = 0

    @property
    def cpu_cap(self) -> "float | None":
        """The CPUs its tasks may use at most: cpu.max's quota / period,
        and no more than its cpuset has; None: no cap."""
        caps = []
        if self.limits.cpu_quota_us is not None:
            caps.append(self.limits.cpu_quota_us / self.limits.cpu_period_us)
        if self.limits.cpuset_cpus:
            caps.append(float(_count_cpus(self.limits.cpuset_cpus)))
        return min(caps) if caps else None

    def set_limits(self, sched, limits: CgroupLimits) -> None:
        """New limits (``runc update``); the CPU cap applies from now on."""
        self.limits = limits
        sched.acct.set_cap(self, self.cpu_cap)

    # -- membership (fork, exit) -------------------------------------------
    def charge_fork(self) -> None:
        """A task is about to be forked into the group: EAGAIN past
        pids.max (what fork(2) answers when the pids controller refuses)."""
        limit = self.limits.pids_max
        if limit is not None and len(self.tasks) >= limit:
            self.pids_refused += 1
            raise SimError(Errno.EAGAIN)

    def join(self, task) -> None:
        self.tasks.add(task)

    def leave(self, task, cpu_seconds: float) -> None:
        if task in self.tasks:
            self.tasks.discard(task)
            self.retired_cpu += cpu_seconds

    @property
    def pids_current(self) -> int:
        return len(self.tasks)

    # -- the freezer ----------------------------------------------------------
    def freeze(self, sched) -> None:
        """cgroup.freeze 1: no task of the group runs until `thaw`."""
        if self.frozen:
            return
        self.frozen = True
        for task in self.tasks:
            sched.acct.stop(task)

    def thaw(self, sched) -> None:
        """cgroup.freeze 0: the group's runnable tasks go back on the run
        queue (those set aside first, in the order they were)."""
        if not self.frozen:
            return
        self.frozen = False
        parked, self.parked = self.parked, []
        for task in parked:
            if task.state is TaskState.RUNNABLE:
                sched.enqueue(task)
        for task in sorted(self.tasks, key=lambda t: t.host_pid):
            if task.state is TaskState.RUNNABLE or getattr(task.trap, "computing", False):
                sched.acct.start(task)

    def park(self, task) -> None:
        if task not in self.parked:
            self.parked.append(task)

    # -- accounting -------------------------------------------------------------
    def cpu_seconds(self, sched) -> float:
        """CPU-seconds every task of the group ever had (cpu.stat usage)."""
        return self.retired_cpu + sum(sched.acct.cpu_time(t) for t in self.tasks)

    def memory_stat(self) -> dict:
        """memory.stat's main figures in bytes: ``anon`` (the tasks'
        resident memory: each task's program's RSS), ``file`` (the page
        cache of what the container wrote; new pages sit on the inactive
        list, as Linux adds them), and their LRU split."""
        anon, shmem, kernel_stack = self._unreclaimable_parts()
        cache = self.file_usage() if self.file_usage is not None else 0
        cache = -(-cache // PAGE) * PAGE
        # tmpfs pages are ``file`` and ``shmem``, on the anon LRU (swap-backed).
        return {"anon": anon, "file": cache + shmem, "kernel": kernel_stack,
                "kernel_stack": kernel_stack, "shmem": shmem, "file_mapped": 0, "file_dirty": 0,
                "file_writeback": 0, "inactive_anon": shmem, "active_anon": anon,
                "inactive_file": cache, "active_file": 0, "unevictable": 0}

    def _unreclaimable_parts(self) -> "tuple[int, int, int]":
        """(anon, shmem, kernel stacks) in bytes: the tasks' resident pages,
        the tmpfs pages in whole pages, THREAD_SIZE per task."""
        anon = sum(_rss_bytes(t) for t in self.tasks)
        shmem = self.shmem_usage() if self.shmem_usage is not None else 0
        return anon, -(-shmem // PAGE) * PAGE, 16384 * len(self.tasks)

    def unreclaimable(self) -> int:
        """The bytes the group cannot give back without swap: resident
        pages, tmpfs pages and kernel stacks (page cache is written back,
        so the writable layer is not walked for it)."""
        return sum(self._unreclaimable_parts())

    def memory_current(self) -> int:
        """memory.current: every page charged to the group."""
        stat = self.memory_stat()
        return stat["anon"] + stat["file"] + stat["kernel"]


def charge_disk_write(task, desc, n: int) -> None:
    """A write(2) of ``n`` bytes went to a file of the container's
    writable layer (the only filesystem that reports its changes: a
    disk-backed overlay upper, unlike tmpfs, /proc or devices): its
    group's io.stat counts them, as the writeback of those pages would."""
    cgroup = task.cgroup
    if cgroup is None or n <= 0:
        return
    if getattr(getattr(desc, "file", None), "on_write", None) is not None:
        cgroup.io.wbytes += n
        cgroup.io.wios += 1


def charge_memory(kernel, task, desc=None) -> None:
    """The OOM check after ``task`` allocated (a write(2) to a file, which
    may have grown a tmpfs; ``desc`` is what it wrote to: a write to a pipe,
    socket or terminal allocates nothing that stays): past memory.max, the
    group's largest task is killed (see the module docstring)."""
    cgroup = task.cgroup
    if cgroup is None or cgroup.limits.memory_max is None:
        return
    if desc is not None and getattr(desc, "file", None) is None:
        return
    if cgroup.unreclaimable() <= cgroup.limits.memory_max:
        return
    cgroup.oom_events += 1
    victims = [t for t in cgroup.tasks if t.alive and t.fatal_signal is None]
    if not victims:
        return
    victim = min(victims, key=lambda t: (-_rss_bytes(t), t.host_pid))
    cgroup.oom_kills += 1
    kernel.send_signal(victim, Signal.SIGKILL)


def cpu_set(spec: str) -> "set[int]":
    """A cpuset list (``0-2,4``; checked by the daemon) as a set."""
    out = set()
    for part in spec.split(","):
        lo, _, hi = part.partition("-")
        out.update(range(int(lo), int(hi or lo) + 1))
    return out


def cpu_list(cpus: "set[int]") -> str:
    """The kernel's list form of a CPU set: ranges, ``0-1,3``."""
    out, run = [], []
    for n in sorted(cpus):
        if run and n == run[-1] + 1:
            run.append(n)
            continue
        if run:
            out.append(f"{run[0]}-{run[-1]}" if len(run) > 1 else str(run[0]))
        run = [n]
    if run:
        out.append(f"{run[0]}-{run[-1]}" if len(run) > 1 else str(run[0]))
    return ",".join(out)


def _count_cpus(spec: str) -> int:
    return len(cpu_set(spec))


def _rss_bytes(task) -> int:
    program = getattr(task.image, "program", None)
    return int(getattr(program, "rss_kb", 0) or 0) * 1024
