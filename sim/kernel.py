"""The simulated kernel: tasks, the scheduler, exec, signals and exit.

Programs are coroutines (``async def main(proc, argv)``).  A blocking system
call awaits a *trap*: the coroutine yields the trap object to the kernel,
the kernel polls it, and either resumes the coroutine at once with the
result or parks the task until something the trap waits for changes (a
pipe, a child, a timer).  This is the way curio and trio drive coroutines,
with the kernel as the event loop.  Nothing here uses asyncio or the wall
clock: the daemon calls `run()` and reads `next_deadline()` and `events`.

One call to `run()` is deterministic: the same state and the same clock
give the same steps.
"""

import collections
import heapq
import math
import posixpath
import traceback
import types

import attrs

from .abi import (ALL_CAPS, DEFAULT_ACTION, O_RDONLY, UNCATCHABLE, Errno, SigAction, Signal,
                  S_ISDIR)
from .errors import ExecReplace, Interrupted, ProgramExit, SimError
from .fs.statfs import StatFs, statfs_of
from .io.waiter import ALWAYS, POLLNVAL
from .ns.nsset import NamespaceSet
from .ns.uts import UtsNamespace
from .proc.pidns import PidNamespace
from .proc.task import ProgramImage, Task, TaskInfo, TaskState, WaitStatus
from .programs import table

DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

#: Steps one task may take before the scheduler moves to the next one.
TIME_SLICE = 64
#: Seconds of simulated CPU time one step accounts for.
TICK = 0.0001

# -- machine figures ---------------------------------------------------------
#: The kernel's timer frequency (CONFIG_HZ): one jiffy is 1/HZ s.
HZ = 250
#: Load averages (kernel/sched/loadavg.c): sampled every LOAD_FREQ
#: (5 s and one tick), in fixed point with FSHIFT fractional bits, damped by
#: EXP_1/EXP_5/EXP_15 = FIXED_1 / exp(5s / (1, 5, 15 min)).
LOAD_FREQ = (5 * HZ + 1) / HZ
FSHIFT = 11
FIXED_1 = 1 << FSHIFT
EXP_1 = 1884
EXP_5 = 2014
EXP_15 = 2037
#: The memory the kernel itself keeps (KiB): its text and data, the
#: unreclaimable slab, page tables and per-CPU areas, about what an idle
#: small server's kernel uses.  Not reclaimable, never free.
KERNEL_BASE_KB = 192 * 1024
#: Bytes of "Buffers" per inode of a disk-backed filesystem: its on-disk
#: ext4 inode (256 bytes, mke2fs's default inode size) in the block device's
#: page cache.
BUFFER_BYTES_PER_INODE = 256
#: Bytes of reclaimable slab ("SReclaimable") per cached inode: a dentry
#: (192 bytes) plus the in-memory inode object (about 830 bytes).
SLAB_BYTES_PER_INODE = 1024
PAGE_KB = 4


def _fixed_power_int(x: int, n: int) -> int:
    """x**n in FSHIFT fixed point, rounding each step (loadavg.c)."""
    result = FIXED_1
    half = 1 << (FSHIFT - 1)
    while n:
        if n & 1:
            result = (result * x + half) >> FSHIFT
        n >>= 1
        if n:
            x = (x * x + half) >> FSHIFT
    return result


def calc_load(load: int, exp: int, active: int) -> int:
    """One damping step (loadavg.c ``calc_load``): ``active`` is the number
    of active tasks times FIXED_1."""
    newload = load * exp + active * (FIXED_1 - exp)
    if active >= load:
        newload += FIXED_1 - 1
    return newload // FIXED_1


def calc_load_n(load: int, exp: int, active: int, n: int) -> int:
    """``n`` damping steps at once, with the same ``active`` count
    (loadavg.c ``calc_load_n``, used after idle periods without ticks)."""
    return calc_load(load, _fixed_power_int(exp, n), active)


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


class _Block:
    """Sentinel: the trap cannot complete yet."""


BLOCK = _Block()


@attrs.frozen
class _Throw:
    exc: BaseException


class _Reschedule:
    """Sentinel: move the task to the back of the run queue."""


RESCHEDULE = _Reschedule()


@types.coroutine
def trap(call):
    """Yield ``call`` to the kernel and return what the kernel sends back."""
    return (yield call)


# -- traps -------------------------------------------------------------------
# Each trap is a small mutable object that knows how to check itself:
# ``check(kernel, task)`` completes it (returns the result, or a `_Throw`),
# or registers the task where the trap waits and returns BLOCK; the kernel
# calls it again after every wake-up.  ``interruptible`` traps end with
# Interrupted (EINTR) when a caught signal arrives.

def _desc_of(task, fd: int):
    desc = task.fds.get(fd)
    if desc is None:
        raise SimError(Errno.EBADF)
    return desc


def _would_block(kernel, task, desc):
    """A non-blocking description fails with EAGAIN; a blocking one parks
    the task on its wait queue."""
    if desc.nonblocking:
        raise SimError(Errno.EAGAIN)
    kernel._block_on(task, desc.waitable().waiters)
    return BLOCK


@attrs.define(eq=False)
class ReadTrap:
    fd: int
    n: int
    interruptible = True

    def check(self, kernel, task):
        desc = _desc_of(task, self.fd)
        data = desc.try_read(self.n)
        if data is None:
            return _would_block(kernel, task, desc)
        return data


@attrs.define(eq=False)
class WriteTrap:
    fd: int
    data: bytes
    done: int = 0
    interruptible = True

    def check(self, kernel, task):
        desc = _desc_of(task, self.fd)
        while self.done < len(self.data):
            try:
                n = desc.try_write(self.data[self.done:])
            except BrokenPipeError:
                kernel.send_signal(task, Signal.SIGPIPE, sender=task)
                return _Throw(SimError(Errno.EPIPE))
            if n is None:
                if desc.nonblocking and self.done:
                    return self.done  # a short write, as write(2) on O_NONBLOCK
                return _would_block(kernel, task, desc)
            self.done += n
        return self.done


@attrs.define(eq=False)
class WaitTrap:
    pid: int  # -1: any child; >0: that child (in the caller's namespace)
    nohang: bool = False
    interruptible = True

    def check(self, kernel, task):
        candidates = [c for c in task.children
                      if self.pid == -1 or task.nsset.pid.pid_of(c) == self.pid]
        if not candidates:
            raise SimError(Errno.ECHILD)
        for child in sorted(candidates, key=lambda c: c.host_pid):
            if child.state is TaskState.ZOMBIE:
                pid = task.nsset.pid.pid_of(child)
                status = child.exit_status
                kernel._reap(child)
                return (pid, status)
        if self.nohang:
            return None
        kernel._block_on(task, task.wait_waiters)
        return BLOCK


@attrs.define(eq=False)
class SleepTrap:
    deadline: float
    armed: bool = False
    interruptible = True

    def check(self, kernel, task):
        if kernel.clock.now() >= self.deadline:
            return None
        kernel._arm_timer(task, self)
        return BLOCK


@attrs.define(eq=False)
class YieldTrap:
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


@attrs.define(eq=False)
class Kernel:
    """The simulated host.

    Owns the task table (through the root PID namespace), the run queue,
    the timers and the host's namespaces.  Mutated only by its own methods;
    the daemon drives it with `run()`.
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
    runq: collections.deque = attrs.field(factory=collections.deque, repr=False)
    timers: list = attrs.field(factory=list, repr=False)
    _timer_seq: int = 0
    #: Events for the daemon (TaskExited, ProgramCrashed), drained by it.
    events: list = attrs.field(factory=list, repr=False)
    #: The 1, 5 and 15 minute load averages, FSHIFT fixed point (loadavg.c
    #: ``avenrun``); see `_update_load`.
    avenrun: list = attrs.field(factory=lambda: [0, 0, 0])
    #: When the next load sample is due (kernel clock).
    _load_next: float = attrs.field(init=False, default=0.0)
    #: Active tasks (runnable) at the end of the last `run()`: the count
    #: that held while no task ran.
    _load_active: int = attrs.field(init=False, default=0)
    #: Steps every task ever ran (CPU time, in TICKs), for /proc/uptime's idle.
    cpu_ticks_total: int = attrs.field(init=False, default=0)

    def __attrs_post_init__(self):
        self.host_ns = NamespaceSet(pid=self.root_pidns, mnt=self.host_vfs,
                                    uts=UtsNamespace(self._boot_hostname))
        self.boot_time = self.clock.now()
        self._load_next = self.boot_time + LOAD_FREQ

    @property
    def hostname(self) -> str:
        """The host's name: its UTS namespace's (what ``hostname`` on the
        host prints and sets, and docker info's Name)."""
        return self.host_ns.uts.hostname

    @hostname.setter
    def hostname(self, name: str) -> None:
        self.host_ns.uts.hostname = name

    # -- time ----------------------------------------------------------------
    def now(self) -> float:
        return self.clock.now()

    def next_deadline(self) -> "float | None":
        """The earliest pending timer, or None."""
        while self.timers and not self._timer_live(self.timers[0]):
            heapq.heappop(self.timers)
        return self.timers[0][0] if self.timers else None

    @staticmethod
    def _timer_live(entry) -> bool:
        _, _, task, trap_obj = entry
        return task.trap is trap_obj and task.state is TaskState.BLOCKED

    def _fire_timers(self) -> None:
        now = self.clock.now()
        while self.timers and self.timers[0][0] <= now:
            _, _, task, trap_obj = heapq.heappop(self.timers)
            if task.trap is trap_obj:
                self._wake(task)

    # -- scheduling ----------------------------------------------------------
    def _enqueue(self, task: Task) -> None:
        if not task.queued:
            task.queued = True
            self.runq.append(task)

    def _wake(self, task: Task) -> None:
        if task.state is TaskState.BLOCKED:
            for waiters in task.waiting_in:
                waiters.discard(task)
            task.waiting_in.clear()
            task.transition("wake")
            self._enqueue(task)

    def wake_all(self, waiters: set) -> None:
        for task in list(waiters):
            self._wake(task)

    def _block_on(self, task: Task, waiters: set) -> None:
        waiters.add(task)
        task.waiting_in.append(waiters)

    def runnable(self) -> bool:
        return bool(self.runq)

    def run(self, max_steps: int = 20000) -> bool:
        """Run tasks until none is runnable or ``max_steps`` steps were
        taken.  Returns True if runnable tasks remain (call again soon)."""
        self._update_load()
        self._fire_timers()
        steps = 0
        while self.runq and steps < max_steps:
            task = self.runq.popleft()
            task.queued = False
            if task.state is TaskState.RUNNABLE:
                steps += self._run_task(task)
            if not self.runq:
                self._fire_timers()
        self._load_active = sum(1 for t in self.runq if t.state is TaskState.RUNNABLE)
        return bool(self.runq)

    def run_until_idle(self, max_steps: int = 10_000_000) -> None:
        """Run until no task is runnable (timers in the future stay armed)."""
        while self.run(max_steps=min(max_steps, 20000)):
            max_steps -= 20000
            if max_steps <= 0:
                raise RuntimeError("the simulation did not settle")

    def _run_task(self, task: Task) -> int:
        """Step ``task`` for up to one time slice; returns steps taken."""
        for step in range(1, TIME_SLICE + 1):
            if task.fatal_signal is not None:
                self._terminate(task)
                return step
            if task.trap is not None:
                result = self._poll(task, task.trap)
                if result is BLOCK:
                    task.transition("block")
                    return step
                task.trap = None
                if result is RESCHEDULE:
                    task.resume_value = None
                    self._enqueue(task)
                    return step
                if isinstance(result, _Throw):
                    task.resume_exc = result.exc
                else:
                    task.resume_value = result
                if task.fatal_signal is not None:  # e.g. SIGPIPE from this very write
                    self._terminate(task)
                    return step
            if not self._resume(task):
                return step
        self._enqueue(task)
        return TIME_SLICE

    def _resume(self, task: Task) -> bool:
        """Send the pending value (or exception) into the coroutine and keep
        the trap it yields.  Returns False if the task exited or exec'd."""
        task.cpu_ticks += 1
        self.cpu_ticks_total += 1
        try:
            if task.resume_exc is not None:
                exc, task.resume_exc = task.resume_exc, None
                task.trap = task.coro.throw(exc)
            else:
                value, task.resume_value = task.resume_value, None
                task.trap = task.coro.send(value)
        except StopIteration as stop:
            value = stop.value
            self._exit(task, WaitStatus(code=int(value or 0) & 0xFF))
            return False
        except ProgramExit as done:
            self._exit(task, WaitStatus(code=done.code))
            return False
        except ExecReplace as replaced:
            self._start_image(task, replaced.image)
            return True
        except SimError as err:
            # An unhandled failed system call: report it like a C program
            # that checked the error and gave up.
            self._write_fd(task, 2, f"{task.image.comm}: {err}\n".encode())
            self._exit(task, WaitStatus(code=1))
            return False
        except Exception:  # a bug in a simulated program
            text = traceback.format_exc()
            self._emit(ProgramCrashed(task.host_pid, task.image.comm, text))
            self._write_fd(task, 2, f"{task.image.comm}: internal error (dockersim bug)\n".encode())
            self._exit(task, WaitStatus(code=70))
            return False
        return True

    def _write_fd(self, task: Task, fd: int, data: bytes) -> None:
        desc = task.fds.get(fd)
        if desc is None:
            return
        try:
            desc.try_write(data)
        except (SimError, BrokenPipeError):
            pass

    # -- polling traps -------------------------------------------------------
    def _poll(self, task: Task, t):
        if t.interruptible and task.pending_signals:
            task.delivered_signals.extend(task.pending_signals)
            task.pending_signals.clear()
            return _Throw(Interrupted())
        try:
            return t.check(self, task)
        except SimError as err:
            return _Throw(err)

    def _desc(self, task: Task, fd: int):
        return _desc_of(task, fd)

    def _arm_timer(self, task: Task, t) -> None:
        """Wake ``task`` at ``t.deadline`` unless ``t`` completes first
        (once per trap: ``t.armed``)."""
        if not t.armed:
            t.armed = True
            self._timer_seq += 1
            heapq.heappush(self.timers, (t.deadline, self._timer_seq, task, t))

    # -- exec ----------------------------------------------------------------
    def resolve_command(self, vfs, argv, env, cwd="/", uid=0):
        """Find the file ``argv[0]`` names: a path as given when it contains
        a slash, else the first match in ``$PATH`` (execvp(3)).  Raises
        ENOENT (not found), EACCES (not executable)."""
        name = argv[0] if argv else ""
        if not name:
            raise SimError(Errno.ENOENT, name)
        if "/" in name:
            return name
        denied = False
        for directory in (env.get("PATH", DEFAULT_PATH) or ".").split(":"):
            candidate = posixpath.join(directory or ".", name)
            try:
                st = vfs.stat(candidate, cwd=cwd)
            except SimError:
                continue
            if S_ISDIR(st.mode):
                continue
            if not self._executable(st, uid):
                denied = True
                continue
            return candidate
        raise SimError(Errno.EACCES if denied else Errno.ENOENT, name)

    @staticmethod
    def _executable(st, uid: int) -> bool:
        if uid == 0:
            return bool(st.mode & 0o111)
        if st.uid == uid:
            return bool(st.mode & 0o100)
        return bool(st.mode & 0o001) or bool(st.mode & 0o010)

    def load_image(self, vfs, argv, env, cwd="/", uid=0, _depth=0) -> ProgramImage:
        """What execve(2) would run for ``argv``: follows ``#!`` lines and
        marker files to a registered program."""
        argv = [str(a) for a in argv]
        path = self.resolve_command(vfs, argv, env, cwd, uid)
        st = vfs.stat(path, cwd=cwd)
        if S_ISDIR(st.mode) or not self._executable(st, uid):
            raise SimError(Errno.EACCES, path)
        head = vfs.open(path, O_RDONLY, cwd=cwd, uid=uid).read(512)
        if head.startswith(b"#!"):
            if _depth >= 4:
                raise SimError(Errno.ELOOP, path)
            line = head[2:].split(b"\n", 1)[0].decode(errors="replace").strip()
            interp, _, arg = line.partition(" ")
            if not interp:
                raise SimError(Errno.ENOEXEC, path)
            new_argv = [interp] + ([arg.strip()] if arg.strip() else []) + [path] + argv[1:]
            return self.load_image(vfs, new_argv, env, cwd, uid, _depth + 1)
        name = table.parse_marker(head)
        program = table.lookup(name) if name else None
        if program is None:
            raise SimError(Errno.ENOEXEC, path)
        absolute = path if path.startswith("/") else posixpath.normpath(posixpath.join(cwd, path))
        return ProgramImage(program, tuple(argv), absolute, posixpath.basename(path)[:15])

    def _start_image(self, task: Task, image: ProgramImage) -> None:
        """Make ``image`` the task's program (exec, or a new task's start).
        Caught signals revert to their default action; ignored ones stay
        ignored (execve(2))."""
        if task.coro is not None:
            try:
                task.coro.close()
            except RuntimeError:
                pass
        task.image = image
        task.sig_actions = {s: a for s, a in task.sig_actions.items() if a == "ignore"}
        from .proc.syscalls import Proc  # the syscall facade needs the kernel types

        task.coro = image.program.main(Proc(self, task), list(image.argv))
        task.trap = None
        task.resume_value = None
        task.resume_exc = None

    # -- creating tasks ------------------------------------------------------
    def create_task(self, *, parent: "Task | None", image: ProgramImage, nsset: NamespaceSet,
                    env: dict, cwd: str, uid: int = 0, gid: int = 0, fds: "dict | None" = None,
                    coro_fn=None, sig_actions: "dict | None" = None, umask: int = 0o022,
                    caps: "frozenset | None" = None) -> Task:
        """A new task: PIDs in its namespace and every ancestor, its fds
        (descriptions shared, refcounts taken), running either ``image``'s
        program or, for a forked subshell, ``coro_fn(proc)`` (``image`` then
        only names the task, as a fork keeps its parent's command line).
        ``caps`` is its capability bounding set (`Task.caps`); None inherits
        the parent's (every capability for a task without a parent)."""
        if caps is None:
            caps = parent.caps if parent is not None else ALL_CAPS
        task = Task(host_pid=0, image=image, nsset=nsset, parent=parent, env=dict(env),
                    cwd=cwd, uid=uid, gid=gid, umask=umask, start_time=self.clock.now(),
                    sig_actions=dict(sig_actions or {}), caps=frozenset(caps))
        nsset.pid.allocate(task)
        task.host_pid = self.root_pidns.pid_of(task)
        for fd, desc in (fds or {}).items():
            desc.refs += 1
            task.fds[fd] = desc
        if parent is not None:
            parent.children.add(task)
            task.tty = parent.tty
        if coro_fn is None:
            self._start_image(task, image)
        else:
            from .proc.syscalls import Proc

            task.coro = coro_fn(Proc(self, task))
        self._enqueue(task)
        return task

    def spawn(self, *, argv, env: dict, cwd: str = "/", nsset: "NamespaceSet | None" = None,
              parent: "Task | None" = None, uid: int = 0, gid: int = 0,
              fds: "dict | None" = None, sig_actions: "dict | None" = None,
              caps: "frozenset | None" = None) -> Task:
        """fork + execve from outside any program (the daemon starting a
        container's process, or a test).  ``caps``: the capability bounding
        set (None: the parent's, or all of them).  Raises SimError if
        ``argv`` cannot be executed, before any task exists."""
        nsset = nsset or self.host_ns
        image = self.load_image(nsset.mnt, argv, env, cwd, uid)
        return self.create_task(parent=parent, image=image, nsset=nsset, env=env, cwd=cwd,
                                uid=uid, gid=gid, fds=fds, sig_actions=sig_actions, caps=caps)

    # -- signals -------------------------------------------------------------
    def send_signal(self, target: Task, sig: Signal, sender: "Task | None" = None) -> None:
        """Deliver ``sig`` to ``target`` with Linux's rules (signal(7),
        pid_namespaces(7)).  ``sender`` None means the kernel or the daemon,
        which act from the root namespace."""
        if not target.alive:
            return
        sig = Signal(sig)
        action = "default" if sig in UNCATCHABLE else target.sig_actions.get(sig, "default")
        own_ns = target.nsset.pid
        if own_ns.pid_of(target) == 1 and action == "default":
            # A namespace's init gets only the signals it has a handler for,
            # except SIGKILL/SIGSTOP sent from an ancestor namespace.
            sender_ns = sender.nsset.pid if sender is not None else self.root_pidns
            from_ancestor = sender_ns is not own_ns and sender_ns.is_ancestor_of(own_ns)
            if not (sig in UNCATCHABLE and from_ancestor):
                return
        if action == "ignore":
            return
        if action == "catch":
            target.pending_signals.append(sig)
            if target.state is TaskState.BLOCKED and getattr(target.trap, "interruptible", False):
                self._wake(target)
            return
        default = DEFAULT_ACTION.get(sig, SigAction.TERM)
        if default in (SigAction.TERM, SigAction.CORE):
            if target.fatal_signal is None:
                target.fatal_signal = sig
            self._wake(target)
            if target.state is TaskState.RUNNABLE:
                self._enqueue(target)
        # IGN: dropped.  STOP/CONT: job control is not simulated yet.

    def _terminate(self, task: Task) -> None:
        sig = task.fatal_signal
        if task.coro is not None:
            try:
                task.coro.close()
            except RuntimeError:
                pass
        self._exit(task, WaitStatus(signal=sig))

    # -- exit and reaping ----------------------------------------------------
    def _exit(self, task: Task, status: WaitStatus) -> None:
        if not task.alive:
            return
        task.coro = None
        task.trap = None
        for waiters in task.waiting_in:
            waiters.discard(task)
        task.waiting_in.clear()
        for fd in list(task.fds):
            self.close_fd(task, fd)
        task.exit_status = status
        task.end_time = self.clock.now()
        task.transition("exit")
        ns = task.nsset.pid
        if ns.level > 0 and ns.pid_of(task) == 1:
            # The namespace's init died: every other task in it is killed
            # and no new PID can be allocated there (pid_namespaces(7)).
            ns.init_dead = True
            for other in list(ns.tasks.values()):
                if other is not task and other.alive:
                    other.fatal_signal = Signal.SIGKILL
                    self._wake(other)
                    self._enqueue(other)
        reaper = self._reaper_for(task)
        for child in list(task.children):
            task.children.discard(child)
            child.parent = reaper
            if reaper is None:
                if child.state is TaskState.ZOMBIE:
                    self._reap(child)
                continue
            reaper.children.add(child)
            if child.state is TaskState.ZOMBIE:
                self.wake_all(reaper.wait_waiters)
        parent = task.parent
        self._emit(TaskExited(task.host_pid, status, task.end_time))
        if parent is None or parent.sig_actions.get(Signal.SIGCHLD) == "ignore":
            self._reap(task)  # nobody will wait: autoreap (SIGCHLD ignored)
        else:
            self.wake_all(parent.wait_waiters)
            if parent.sig_actions.get(Signal.SIGCHLD) == "catch":
                self.send_signal(parent, Signal.SIGCHLD, sender=task)

    def _reaper_for(self, task: Task) -> "Task | None":
        """Who adopts ``task``'s children: the init of their namespace, or,
        when the dying task is that init, the nearest living ancestor's."""
        ns = task.nsset.pid
        while ns is not None:
            init = ns.lookup(1)
            if init is not None and init is not task and init.alive:
                return init
            ns = ns.parent
        return None

    def _reap(self, task: Task) -> None:
        if task.parent is not None:
            task.parent.children.discard(task)
        task.transition("reap")
        task.nsset.pid.release(task)

    def _emit(self, event) -> None:
        self.events.append(event)

    def drain_events(self) -> list:
        out, self.events = self.events, []
        return out

    # -- fds -----------------------------------------------------------------
    def install_fd(self, task: Task, desc, fd: "int | None" = None) -> int:
        if fd is None:
            fd = 0
            while fd in task.fds:
                fd += 1
        elif fd in task.fds:
            self.close_fd(task, fd)
        desc.refs += 1
        task.fds[fd] = desc
        return fd

    def close_fd(self, task: Task, fd: int) -> None:
        desc = task.fds.pop(fd, None)
        if desc is None:
            raise SimError(Errno.EBADF)
        desc.refs -= 1
        if desc.refs <= 0:
            desc.release()

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
                pid=pid, ppid=ppid, uid=task.uid, gid=task.gid, state=task.state.value,
                argv=tuple(task.image.argv), comm=task.image.comm, start_time=task.start_time,
                cpu_time=task.cpu_ticks * TICK, tty=task.tty,
                vsz_kb=program.vsz_kb, rss_kb=program.rss_kb,
                host_pid=task.host_pid))
        return rows

    # -- machine figures (sysinfo(2), /proc) ---------------------------------
    def uptime(self) -> float:
        """Seconds since boot, by the kernel clock (/proc/uptime)."""
        return self.clock.now() - self.boot_time

    def idle_time(self) -> float:
        """CPU-seconds all CPUs spent idle since boot (/proc/uptime's second
        figure): ncpu × uptime less the CPU time every task ran."""
        return max(0.0, self.ncpu * self.uptime() - self.cpu_ticks_total * TICK)

    def nr_running(self) -> int:
        """Runnable tasks on the machine (the running task included)."""
        return sum(1 for t in self.root_pidns.tasks.values() if t.state is TaskState.RUNNABLE)

    def nr_threads(self) -> int:
        """Every task not yet reaped (zombies included), as ``nr_threads``."""
        return len(self.root_pidns.tasks)

    def _update_load(self) -> None:
        """Bring `avenrun` up to the clock (kernel/sched/loadavg.c).

        Linux samples the number of active tasks (runnable plus
        uninterruptible; the simulation has no uninterruptible sleep) every
        LOAD_FREQ and folds it in: ``load = load·e + active·(1 − e)`` with
        e = exp(−5 s/1 min), exp(−5 s/5 min), exp(−5 s/15 min).  Between two
        calls to `run()` the task states do not change, so the count left at
        the end of the last run holds for every sample due since, and ``n``
        missed samples fold in at once (``calc_load_n``).  Only virtual time
        counts: the result depends on the clock, never on the wall."""
        now = self.clock.now()
        if now < self._load_next:
            return
        n = int((now - self._load_next) // LOAD_FREQ) + 1
        self._load_next += n * LOAD_FREQ
        active = self._load_active * FIXED_1
        self.avenrun = [calc_load_n(load, exp, active, n)
                        for load, exp in zip(self.avenrun, (EXP_1, EXP_5, EXP_15))]

    def loadavg(self) -> "tuple[float, float, float]":
        """The 1, 5 and 15 minute load averages as numbers."""
        return tuple(a / FIXED_1 for a in self.avenrun)

    def mount_namespaces(self) -> list:
        """Every mount namespace in use: the host's and each live task's."""
        seen = {id(self.host_vfs): self.host_vfs}
        for task in self.root_pidns.tasks.values():
            if task.alive:
                seen.setdefault(id(task.nsset.mnt), task.nsset.mnt)
        return list(seen.values())

    def _held_pages(self) -> "tuple[int, int, int, int]":
        """What the mounted filesystems keep in memory: (file KiB, shmem KiB,
        disk inodes, all inodes), each tree counted once however many mounts
        share it (a layer used by ten containers is cached once)."""
        parts = {}
        for vfs in self.mount_namespaces():
            for mount in vfs.mounts():
                held = getattr(mount.fs, "cached_parts", None)
                for key, usage, kind in (held() if held is not None else []):
                    parts.setdefault(id(key), (usage, kind))
        file_kb = shmem_kb = disk_inodes = inodes = 0
        for usage, kind in parts.values():
            kb = -(-usage.bytes // (PAGE_KB * 1024)) * PAGE_KB
            if kind == "shmem":
                shmem_kb += kb
            else:
                file_kb += kb
                disk_inodes += usage.inodes
            inodes += usage.inodes
        return file_kb, shmem_kb, disk_inodes, inodes

    def meminfo(self) -> dict:
        """The machine's memory in KiB, as /proc/meminfo names it (proc(5)).

        - MemTotal: `mem_total_kb`.
        - Cached: the page cache, i.e. the file data of every mounted
          filesystem (image layers, writable layers, bind-mounted files) plus
          tmpfs pages.  The simulation holds all of that data in memory, so
          all of it counts (a real kernel caches only what was read); it
          yields to task memory when memory runs short.
        - Shmem: the tmpfs pages (part of Cached, as on Linux).
        - Buffers: the disk-backed inodes' on-disk records
          (`BUFFER_BYTES_PER_INODE` each); SReclaimable: the dentry and inode
          caches (`SLAB_BYTES_PER_INODE` per inode).
        - MemFree: MemTotal less `KERNEL_BASE_KB`, the resident memory
          (``rss_kb``) of every live task, Cached, Buffers and SReclaimable.
        - MemAvailable: mm/page_alloc.c ``si_mem_available``: free memory
          less the reserve, plus the page cache and reclaimable slab each
          less the low watermark (or half of it).
        - SwapTotal/SwapFree: `swap_total_kb`; nothing is ever swapped out.
        """
        total = self.mem_total_kb
        rss = sum(t.image.program.rss_kb for t in self.root_pidns.tasks.values() if t.alive)
        file_kb, shmem, disk_inodes, inodes = self._held_pages()
        buffers = disk_inodes * BUFFER_BYTES_PER_INODE // 1024
        sreclaimable = inodes * SLAB_BYTES_PER_INODE // 1024
        fixed = KERNEL_BASE_KB + rss + buffers + sreclaimable
        # Page cache is evicted before task memory is refused; shmem stays.
        cached = min(file_kb, max(0, total - fixed - shmem)) + shmem
        free = max(0, total - fixed - cached)
        # calculate_min_free_kbytes (mm/page_alloc.c): sqrt(lowmem × 16).
        min_free = min(max(math.isqrt(total * 16), 128), 262144)
        wmark_low = min_free + min_free // 4
        reserve = min_free + min_free // 2  # the high watermark
        pagecache = cached - shmem + buffers
        available = (free - reserve
                     + pagecache - min(pagecache // 2, wmark_low)
                     + sreclaimable - min(sreclaimable // 2, wmark_low))
        return {
            "MemTotal": total, "MemFree": free, "MemAvailable": max(0, available),
            "Buffers": buffers, "Cached": cached, "SwapCached": 0,
            "SwapTotal": self.swap_total_kb, "SwapFree": self.swap_total_kb,
            "Shmem": shmem, "SReclaimable": sreclaimable,
        }

    def statfs(self, fs) -> StatFs:
        """statfs(2) of a mounted filesystem (see `sim.fs.statfs`): overlays
        on a disk of `disk_size_kb`, tmpfs sized from `mem_total_kb`."""
        return statfs_of(fs, disk_bytes=self.disk_size_kb * 1024,
                         ram_bytes=self.mem_total_kb * 1024,
                         host_fs=self.host_vfs.root_fs)

    def poke(self) -> None:
        """Re-check timers (the daemon calls this when its timer fires)."""
        self._fire_timers()
