"""Tasks: the kernel's processes.

A `Task` is one simulated process: a program coroutine, its fd table, its
credentials, its namespaces, its place in the process tree, and its state.

States are named as Linux names them (the letter is what ps shows in STAT)
and change only through `TRANSITIONS`::

    RUNNABLE --block--> BLOCKED --wake--> RUNNABLE
    RUNNABLE/BLOCKED --stop--> STOPPED --cont--> RUNNABLE
    RUNNABLE/BLOCKED/STOPPED --exit--> ZOMBIE --reap--> DEAD

A stopped task (job control: SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU) runs
nothing and sits in no wait queue; SIGCONT (or SIGKILL) makes it runnable
again, and it then checks the trap it was in afresh.
"""

import enum

import attrs

from ..abi import ALL_CAPS, Signal, exit_status_code
from .limits import HOST_DEFAULTS, Rlimits


class TaskState(enum.Enum):
    RUNNABLE = "R"  # on the run queue
    BLOCKED = "S"  # interruptible sleep: waiting for a pipe, a child, a timer
    STOPPED = "T"  # stopped by a job-control signal, until SIGCONT
    ZOMBIE = "Z"  # exited, waiting for its parent to reap it
    DEAD = "X"  # reaped: gone from every PID namespace


#: (state, event) -> next state.  Anything else is a kernel bug.
TRANSITIONS = {
    (TaskState.RUNNABLE, "block"): TaskState.BLOCKED,
    (TaskState.BLOCKED, "wake"): TaskState.RUNNABLE,
    (TaskState.RUNNABLE, "wake"): TaskState.RUNNABLE,
    (TaskState.RUNNABLE, "exit"): TaskState.ZOMBIE,
    (TaskState.BLOCKED, "exit"): TaskState.ZOMBIE,
    (TaskState.RUNNABLE, "stop"): TaskState.STOPPED,
    (TaskState.BLOCKED, "stop"): TaskState.STOPPED,
    (TaskState.STOPPED, "stop"): TaskState.STOPPED,
    (TaskState.STOPPED, "cont"): TaskState.RUNNABLE,
    (TaskState.STOPPED, "exit"): TaskState.ZOMBIE,
    (TaskState.ZOMBIE, "reap"): TaskState.DEAD,
}


@attrs.frozen
class WaitStatus:
    """What wait(2) reports about a child: an exit code or a killing
    signal (exactly one of them is set); or, with WUNTRACED/WCONTINUED,
    that it stopped (``stopped``: the signal) or continued."""

    code: "int | None" = None
    signal: "Signal | None" = None
    stopped: "Signal | None" = None
    continued: bool = False

    @property
    def exit_code(self) -> int:
        """What ``$?`` and Docker's ExitCode show: the code, or 128 + signal
        (128 + the stop signal for a stopped job, as shells report it)."""
        if self.stopped is not None:
            return 128 + int(self.stopped)
        return exit_status_code(self.signal, self.code or 0)


@attrs.frozen
class ProgramImage:
    """What exec loads: the program to run, its argv, the file it came
    from and the command name (comm, 15 characters at most)."""

    program: object  # sim.programs.table.Program
    argv: tuple
    path: str
    comm: str


@attrs.frozen
class TaskInfo:
    """One row of the process table, as a PID namespace sees it."""

    pid: int
    ppid: int
    uid: int
    gid: int
    state: str
    argv: tuple
    comm: str
    start_time: float
    cpu_time: float
    tty: "str | None"
    vsz_kb: int
    rss_kb: int
    host_pid: int
    #: Job control, as the viewing namespace numbers them (0: outside it).
    pgid: int = 0
    sid: int = 0
    #: The foreground process group of the controlling terminal (-1: none).
    tpgid: int = -1
    #: (major, minor) of the controlling terminal, None without one.
    tty_dev: "tuple | None" = None
    session_leader: bool = False
    #: In the terminal's foreground process group (ps's ``+``).
    foreground: bool = False


@attrs.define(eq=False)
class Task:
    #: The PID in the root (host) namespace.  immutable.
    host_pid: int
    image: ProgramImage
    nsset: object  # sim.ns.nsset.NamespaceSet
    parent: "Task | None"
    env: dict
    cwd: str
    uid: int = 0
    gid: int = 0
    umask: int = 0o022
    #: The capability bounding set (frozenset of `sim.abi.Cap`): every
    #: capability the task may ever hold.  Kept by fork and exec (no
    #: prctl(PR_CAPBSET_DROP) is simulated).  The task's effective set is
    #: this set when it runs as uid 0 and empty otherwise (`capable`), as
    #: for root and non-root after execve(2) without file capabilities.
    caps: frozenset = ALL_CAPS
    #: The inheritable and ambient sets (`sim.proc.caps`); empty for
    #: Docker's processes.
    cap_inheritable: frozenset = frozenset()
    cap_ambient: frozenset = frozenset()
    #: Supplementary group ids (getgroups(2)), in the order runc sets them.
    groups: tuple = ()
    #: prctl(PR_SET_NO_NEW_PRIVS); kept by fork and exec, never cleared.
    no_new_privs: bool = False
    #: The seccomp mode (0 disabled, 2 filter) and the number of filters:
    #: shown in /proc/<pid>/status; the filter's rules are not simulated.
    seccomp: int = 0
    seccomp_filters: int = 0
    #: getrlimit(2)'s limits (`sim.proc.limits`).
    rlimits: Rlimits = HOST_DEFAULTS
    #: /proc/<pid>/oom_score_adj.
    oom_score_adj: int = 0
    #: fd -> OpenDesc.
    fds: dict = attrs.field(factory=dict, repr=False)
    children: set = attrs.field(factory=set, repr=False)
    state: TaskState = TaskState.RUNNABLE
    #: The program coroutine; None once the task has exited.
    coro: object = attrs.field(default=None, repr=False)
    #: The trap the task is blocked in (or must re-poll when woken).
    trap: object = attrs.field(default=None, repr=False)
    #: The value or exception to resume the coroutine with.
    resume_value: object = attrs.field(default=None, repr=False)
    resume_exc: "BaseException | None" = attrs.field(default=None, repr=False)
    #: Signal -> "default" | "ignore" | "catch".
    sig_actions: dict = attrs.field(factory=dict, repr=False)
    #: Caught signals that arrived and were not yet reported by Interrupted.
    pending_signals: list = attrs.field(factory=list)
    #: Caught signals already reported, waiting for take_signals().
    delivered_signals: list = attrs.field(factory=list)
    #: A signal whose action kills the task, applied when it next runs.
    fatal_signal: "Signal | None" = None
    #: Tasks blocked in wait() on this task's children.
    wait_waiters: set = attrs.field(factory=set, repr=False)
    exit_status: "WaitStatus | None" = None
    start_time: float = 0.0
    end_time: "float | None" = None
    cpu_ticks: int = 0
    #: CPU-seconds had while runnable, on the kernel clock
    #: (`sim.kernel.cpuacct`); ``acct_mark`` is set while it accrues.
    cpu_seconds: float = 0.0
    acct_mark: "float | None" = attrs.field(default=None, repr=False)
    acct_clock: object = attrs.field(default=None, repr=False)  # a capped group's clock
    #: The control group (`sim.kernel.cgroup.Cgroup`); None: the root.
    cgroup: object = attrs.field(default=None, repr=False)
    #: The process group (`sim.proc.session.ProcessGroup`; its session
    #: holds the controlling terminal).
    pgrp: object = attrs.field(default=None, repr=False)
    #: Stopped or continued since the parent last asked (wait's
    #: WUNTRACED / WCONTINUED).
    stop_report: "Signal | None" = None
    cont_report: bool = False
    queued: bool = False
    #: The waiter sets this task is registered in while BLOCKED.
    waiting_in: list = attrs.field(factory=list, repr=False)

    def transition(self, event: str) -> None:
        try:
            self.state = TRANSITIONS[(self.state, event)]
        except KeyError:
            raise RuntimeError(f"task {self.host_pid}: no transition {self.state.name} --{event}-->") from None

    @property
    def effective_caps(self) -> frozenset:
        """The effective (and permitted) capabilities (`sim.proc.caps.effective`):
        the bounding set for root, the ambient set for any other uid."""
        from .caps import effective

        return effective(self.caps, self.cap_inheritable, self.cap_ambient, self.uid)

    def capable(self, cap) -> bool:
        """capable(9): does the task hold ``cap`` (a `sim.abi.Cap`)?"""
        return cap in self.effective_caps

    @property
    def alive(self) -> bool:
        return self.state in (TaskState.RUNNABLE, TaskState.BLOCKED, TaskState.STOPPED)

    @property
    def session(self):
        return self.pgrp.session if self.pgrp is not None else None

    @property
    def ctty(self):
        """The controlling terminal (a `sim.io.pty.Pty`), None without one."""
        session = self.session
        return session.tty if session is not None else None

    @property
    def tty(self) -> "str | None":
        """The controlling terminal's name (``pts/0``), as ps shows it."""
        ctty = self.ctty
        return ctty.name if ctty is not None else None

    @property
    def pid(self) -> int:
        """The PID in the task's own namespace."""
        return self.nsset.pid.pid_of(self)
