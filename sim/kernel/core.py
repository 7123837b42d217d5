"""The Kernel: the simulated host, and the one object the world talks to.

`Kernel` holds the machine's state: the task table (through the root PID
namespace), the host's namespaces, the scheduler with its run queue and
timers, the load averages, the events for the daemon, and the machine's
fixed properties (release, CPUs, memory, disk).  Each concern's rules live
in their own module of this package, and the Kernel's methods hand each
call to the one that holds it:

========================  ====================================================
``sched`` (`Scheduler`)   run queue, time slices, sleeping and waking
``timers``                deadlines that wake sleeping tasks
``traps``                 the blocking system calls and how they are checked
``signals``               sending signals and Linux's delivery rules
``exit``                  death, zombies, reaping and reparenting
``exec``                  finding and loading a program (execve)
``fork``                  creating tasks (fork, clone, spawn)
``fdtable``               file descriptors and their shared descriptions
``figures``, ``loadavg``  what sysinfo(2) and /proc report about the machine
``events``                what the daemon hears (exits, crashes)
========================  ====================================================

The method names are the kernel's public face for the system-call facade
(`sim.proc.syscalls`), /proc, the runtime and the tests; the underscored
ones (`_block_on`, `_arm_timer`, `_desc`, `_reap`, `_wake`) are the face
traps use, in this package and beside the objects they wait for.
"""

import attrs

from ..ns.nsset import NamespaceSet
from ..ns.uts import UtsNamespace
from ..proc.pidns import PidNamespace
from ..proc.task import ProgramImage, Task, TaskInfo
from . import exec as exec_
from . import figures, fork, jobctl
from .cgroup import Cgroup, CgroupLimits
from .exit import release_task
from .fdtable import close_fd, desc_of, install_fd
from .loadavg import LOAD_FREQ, LoadAverage
from .sched import Scheduler
from .signals import send_signal


def _job_fields(task: Task, ns) -> dict:
    """A task's process group, session and terminal as ``ns`` sees them
    (/proc/<pid>/stat fields 5-8, ps's PGID, SID, TPGID, TT and STAT)."""
    pgrp, session, ctty = task.pgrp, task.session, task.ctty
    fg = ctty.fg_pgrp if ctty is not None else None
    return {
        "pgid": pgrp.id_in(ns) if pgrp is not None else 0,
        "sid": session.id_in(ns) if session is not None else 0,
        "tpgid": (fg.id_in(ns) if fg is not None else 0) if ctty is not None else -1,
        "tty_dev": ctty.rdev if ctty is not None else None,
        "session_leader": session is not None and session.leader is task,
        "foreground": fg is not None and fg is pgrp,
    }


@attrs.define(eq=False)
class Kernel:
    """The simulated host.

    Owns the task table (through the root PID namespace), the scheduler
    (run queue and timers) and the host's namespaces.  Mutated only by its
    own methods and the modules of this package; the daemon drives it with
    `run()`.
    """

    clock: object  # sim.clock.Clock
    ids: object  # sim.ids.IdSource
    #: The host's mount namespace (a `sim.fs.vfs.Vfs`).
    host_vfs: object = attrs.field(repr=False)
    #: The host's name at boot; afterwards `hostname` is the host UTS
    #: namespace's, the one place it is kept.
    _boot_hostname: str = attrs.field(default="dockersim", alias="hostname", repr=False)
    release: str = "6.8.0-dockersim"
    version: str = "#1 SMP PREEMPT_DYNAMIC"
    machine: str = "x86_64"
    ncpu: int = 2
    mem_total_kb: int = 8 * 1024 * 1024
    #: The host's disk (KiB): the size statfs(2) reports for the root
    #: overlays and every file bind-mounted from the host (64 GiB).
    disk_size_kb: int = 64 * 1024 * 1024
    #: No swap device (as on most Docker hosts): SwapTotal is 0.
    swap_total_kb: int = 0
    root_pidns: PidNamespace = attrs.field(factory=PidNamespace)
    host_ns: NamespaceSet = attrs.field(init=False)
    boot_time: float = attrs.field(init=False)
    #: The run queue, the timers and CPU accounting.
    sched: Scheduler = attrs.field(init=False, repr=False)
    #: The load averages (`avenrun`), sampled at the start of each `run()`.
    load: LoadAverage = attrs.field(init=False, repr=False)
    #: Events for the daemon (TaskExited, ProgramCrashed), drained by it.
    events: list = attrs.field(factory=list, repr=False)
    #: Makes a core for code the kernel cannot step (`sim.proc.cpu`): None
    #: runs such code inline; the daemon injects host threads.
    cores: object = attrs.field(default=None, repr=False, kw_only=True)

    def __attrs_post_init__(self):
        self.host_ns = NamespaceSet(pid=self.root_pidns, mnt=self.host_vfs,
                                    uts=UtsNamespace(self._boot_hostname))
        self.boot_time = self.clock.now()
        self.sched = Scheduler(self.clock, self.ncpu)
        self.load = LoadAverage(next_sample=self.boot_time + LOAD_FREQ)

    @property
    def hostname(self) -> str:
        """The host's name: its UTS namespace's (what ``hostname`` on the
        host prints and sets, and docker info's Name)."""
        return self.host_ns.uts.hostname

    @hostname.setter
    def hostname(self, name: str) -> None:
        self.host_ns.uts.hostname = name

    # -- running (sched, timers) ---------------------------------------------
    def run(self, max_steps: int = 20000) -> bool:
        """Run tasks until none is runnable or ``max_steps`` steps were
        taken.  Returns True if runnable tasks remain (call again soon).

        The load averages catch up with the clock first, with the count of
        active tasks that held since the last run."""
        self.load.catch_up(self.clock.now())
        more = self.sched.run(self, max_steps)
        self.load.active = self.sched.active()
        return more

    def run_until_idle(self, max_steps: int = 10_000_000) -> None:
        """Run until no task is runnable (timers in the future stay armed)."""
        while self.run(max_steps=min(max_steps, 20000)):
            max_steps -= 20000
            if max_steps <= 0:
                raise RuntimeError("the simulation did not settle")

    def runnable(self) -> bool:
        return self.sched.runnable()

    def now(self) -> float:
        return self.clock.now()

    def next_deadline(self) -> "float | None":
        """The earliest pending timer, or None."""
        return self.sched.timers.next_deadline()

    def poke(self) -> None:
        """Re-check timers (the daemon calls this when its timer fires)."""
        self.sched.fire_timers()

    def wake_all(self, waiters: set) -> None:
        """Wake every task in a wait queue (what `WaitQueue.wake` and
        pipes are given)."""
        self.sched.wake_all(waiters)

    def _wake(self, task: Task) -> None:
        self.sched.wake(task)

    def _block_on(self, task: Task, waiters: set) -> None:
        self.sched.block_on(task, waiters)

    def _arm_timer(self, task: Task, t) -> None:
        self.sched.timers.arm(task, t)

    # -- tasks (fork, exec, signals, exit) -------------------------------------
    def spawn(self, *, argv, env: dict, cwd: str = "/", nsset: "NamespaceSet | None" = None,
              parent: "Task | None" = None, uid: int = 0, gid: int = 0,
              fds: "dict | None" = None, sig_actions: "dict | None" = None,
              caps: "frozenset | None" = None, cgroup=None) -> Task:
        """fork + execve from outside any program: see `fork.spawn`."""
        return fork.spawn(self, argv=argv, env=env, cwd=cwd, nsset=nsset, parent=parent,
                          uid=uid, gid=gid, fds=fds, sig_actions=sig_actions, caps=caps,
                          cgroup=cgroup)

    def create_task(self, *, parent: "Task | None", image: ProgramImage, nsset: NamespaceSet,
                    env: dict, cwd: str, uid: int = 0, gid: int = 0, fds: "dict | None" = None,
                    coro_fn=None, sig_actions: "dict | None" = None, umask: int = 0o022,
                    caps: "frozenset | None" = None) -> Task:
        """A new task (fork, clone): see `fork.create_task`."""
        return fork.create_task(self, parent=parent, image=image, nsset=nsset, env=env,
                                cwd=cwd, uid=uid, gid=gid, fds=fds, coro_fn=coro_fn,
                                sig_actions=sig_actions, umask=umask, caps=caps)

    def resolve_command(self, vfs, argv, env, cwd="/", uid=0) -> str:
        return exec_.resolve_command(vfs, argv, env, cwd, uid)

    def load_image(self, vfs, argv, env, cwd="/", uid=0) -> ProgramImage:
        """What execve(2) would run for ``argv``: see `exec.load_image`."""
        return exec_.load_image(vfs, argv, env, cwd, uid)

    # -- control groups (cgroup, cpuacct) -------------------------------------
    def new_cgroup(self, path: str, limits: "CgroupLimits | None" = None) -> Cgroup:
        """A control group for a container: see `cgroup.Cgroup`."""
        cgroup = Cgroup(path)
        cgroup.set_limits(self.sched, limits if limits is not None else CgroupLimits())
        return cgroup

    def set_cgroup_limits(self, cgroup: Cgroup, limits: CgroupLimits) -> None:
        cgroup.set_limits(self.sched, limits)

    def freeze(self, cgroup: Cgroup) -> None:
        cgroup.freeze(self.sched)

    def thaw(self, cgroup: Cgroup) -> None:
        cgroup.thaw(self.sched)

    def cgroup_cpu_seconds(self, cgroup: Cgroup) -> float:
        return cgroup.cpu_seconds(self.sched)

    def cpu_seconds(self, task: Task) -> float:
        """The CPU time ``task`` has had on the kernel clock (`cpuacct`)."""
        return self.sched.acct.cpu_time(task)

    def send_signal(self, target: Task, sig, sender: "Task | None" = None) -> None:
        """Deliver ``sig`` to ``target``: see `signals.send_signal`."""
        send_signal(self, target, sig, sender)

    # -- sessions, groups, terminals (jobctl) --------------------------------
    def setsid(self, task: Task) -> int:
        """setsid(2) for ``task``: see `jobctl.setsid`."""
        return jobctl.setsid(self, task)

    def set_ctty(self, task: Task, pty) -> None:
        """TIOCSCTTY: see `jobctl.set_ctty`."""
        jobctl.set_ctty(self, task, pty)

    def _reap(self, task: Task) -> None:
        release_task(task)

    # -- events --------------------------------------------------------------
    def emit(self, event) -> None:
        self.events.append(event)

    def drain_events(self) -> list:
        out, self.events = self.events, []
        return out

    # -- fds -----------------------------------------------------------------
    def install_fd(self, task: Task, desc, fd: "int | None" = None) -> int:
        return install_fd(task, desc, fd)

    def close_fd(self, task: Task, fd: int) -> None:
        close_fd(task, fd)

    def _desc(self, task: Task, fd: int):
        return desc_of(task, fd)

    # -- queries -------------------------------------------------------------
    def task_by_host_pid(self, host_pid: int) -> "Task | None":
        return self.root_pidns.lookup(host_pid)

    def task_infos(self, pidns: PidNamespace) -> "list[TaskInfo]":
        """Every task visible in ``pidns``, ordered by PID there."""
        rows = []
        for pid in sorted(pidns.tasks):
            task = pidns.tasks[pid]
            parent = task.parent
            ppid = pidns.pid_of(parent) if parent is not None else 0
            program = task.image.program  # every task runs a registered program
            rows.append(TaskInfo(
                pid=pid, ppid=ppid, uid=task.uid, gid=task.gid, state=_state_letter(task),
                argv=tuple(task.image.argv), comm=task.image.comm, start_time=task.start_time,
                cpu_time=self.sched.acct.cpu_time(task), tty=task.tty,
                vsz_kb=program.vsz_kb, rss_kb=program.rss_kb,
                host_pid=task.host_pid, **_job_fields(task, pidns)))
        return rows

    # -- machine figures (figures, loadavg) ----------------------------------
    @property
    def avenrun(self) -> list:
        """The 1, 5 and 15 minute load averages, FSHIFT fixed point."""
        return self.load.avenrun

    @property
    def cpu_ticks_total(self) -> int:
        """Steps every task ever ran (the simulator's work; CPU time is
        `cpu_seconds`)."""
        return self.sched.cpu_ticks_total

    def loadavg(self) -> "tuple[float, float, float]":
        """The 1, 5 and 15 minute load averages as numbers."""
        return self.load.as_floats()

    def uptime(self) -> float:
        return figures.uptime(self)

    def idle_time(self) -> float:
        return figures.idle_time(self)

    def nr_running(self) -> int:
        return figures.nr_running(self)

    def nr_threads(self) -> int:
        return figures.nr_threads(self)

    def mount_namespaces(self) -> list:
        return figures.mount_namespaces(self)

    def meminfo(self) -> dict:
        """/proc/meminfo's figures in KiB: see `figures.meminfo`."""
        return figures.meminfo(self)

    def statfs(self, fs):
        """statfs(2) of a mounted filesystem: see `figures.statfs`."""
        return figures.statfs(self, fs)


def _state_letter(task: Task) -> str:
    """What ps shows in STAT: the state's letter, R for a task whose
    turn runs on a core, and S for a runnable task of a frozen cgroup (the v2 freezer parks tasks in an
    interruptible sleep)."""
    letter = task.state.value
    if letter == "S" and getattr(task.trap, "computing", False):
        letter = "R"  # its turn runs on a core (sim.proc.cpu)
    if letter == "R" and task.cgroup is not None and task.cgroup.frozen:
        return "S"
    return letter
