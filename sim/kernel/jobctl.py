"""Job control: sessions, process groups, the controlling terminal, and
stopping and continuing tasks.

The rules of credentials(7), setsid(2), setpgid(2), tcsetpgrp(3) and
signal(7)'s "stop" and "continue" actions:

- `setsid`: a task that leads no process group starts a session and a
  group of its own, with no controlling terminal;
- `setpgid`: a task (itself or a child that has not left its session) moves
  into a new group or another group of the same session;
- `set_ctty`: a session leader makes a terminal its controlling terminal
  (TIOCSCTTY); its group becomes the foreground group;
- `tcsetpgrp`: the foreground group changes (a member of a background
  group asking is sent SIGTTOU, unless it ignores it);
- `kill_pgrp`: a signal to every member of a group (kill(-pgid, sig));
- `stop_task` and `continue_task`: the STOPPED state, with what the parent
  hears through wait(2) (WUNTRACED, WCONTINUED) and SIGCHLD;
- `session_leader_exit`: the controlling process dies: the terminal's
  foreground group gets SIGHUP, the session loses its terminal, and groups
  left with stopped members get SIGHUP and SIGCONT;
- `tty_access`: a background group reading its terminal gets SIGTTIN (and
  writing it, with TOSTOP, SIGTTOU) instead of the data.
"""

from ..abi import Errno, Signal
from ..errors import Interrupted, SimError
from ..io import termios as T
from ..proc.session import ProcessGroup, Session, pid_numbers
from ..proc.task import Task, TaskState


def new_session(task: Task) -> None:
    """The first task of a tree (no parent): leads a session and group of
    its own."""
    session = Session(pid_numbers(task), task)
    task.pgrp = ProcessGroup(pid_numbers(task), session, task)


def live_tasks(kernel):
    return [t for t in kernel.root_pidns.tasks.values() if t.alive]


def members(kernel, pgrp) -> list:
    """The live tasks of a process group, by host PID."""
    return sorted((t for t in live_tasks(kernel) if t.pgrp is pgrp), key=lambda t: t.host_pid)


def find_pgrp(kernel, ns, pgid: int):
    """The process group numbered ``pgid`` in ``ns`` with a live member."""
    for task in live_tasks(kernel):
        if task.pgrp is not None and task.pgrp.ids.get(ns) == pgid:
            return task.pgrp
    return None


def setsid(kernel, task: Task) -> int:
    """setsid(2): EPERM for a process-group leader (a group whose ID is
    its PID still has members besides it, or it leads its own group)."""
    ns = task.nsset.pid
    pid = ns.pid_of(task)
    if task.pgrp is not None and task.pgrp.ids.get(ns) == pid:
        raise SimError(Errno.EPERM)
    session = Session(pid_numbers(task), task)
    task.pgrp = ProcessGroup(pid_numbers(task), session, task)
    return pid


def setpgid(kernel, caller: Task, pid: int, pgid: int) -> None:
    """setpgid(2) with IDs as the caller's namespace numbers them."""
    ns = caller.nsset.pid
    target = caller if pid == 0 else ns.lookup(pid)
    if target is None or not target.alive or (target is not caller and target.parent is not caller):
        raise SimError(Errno.ESRCH)
    if target.session is not caller.session:
        raise SimError(Errno.EPERM)
    target_pid = ns.pid_of(target)
    if target.session.ids.get(ns) == target_pid and target.session.leader is target:
        raise SimError(Errno.EPERM)  # a session leader stays where it is
    if pgid < 0:
        raise SimError(Errno.EINVAL)
    pgid = pgid or target_pid
    if target.pgrp is not None and target.pgrp.ids.get(ns) == pgid:
        return
    if pgid == target_pid:
        group = find_pgrp(kernel, ns, pgid)
        if group is None:
            group = ProcessGroup(pid_numbers(target), caller.session, target)
    else:
        group = find_pgrp(kernel, ns, pgid)
        if group is None or group.session is not caller.session:
            raise SimError(Errno.EPERM)
    target.pgrp = group


def set_ctty(kernel, task: Task, pty) -> None:
    """TIOCSCTTY: ``pty`` becomes the controlling terminal of ``task``'s
    session (``task`` must lead it) and its group the foreground."""
    session = task.session
    if session is None or session.leader is not task:
        raise SimError(Errno.EPERM)
    if session.tty is pty:
        return
    if session.tty is not None or (pty.session is not None and pty.session is not session):
        raise SimError(Errno.EPERM)
    session.tty = pty
    pty.session = session
    pty.fg_pgrp = task.pgrp
    pty.kill_pgrp = lambda pgrp, sig: kill_pgrp(kernel, pgrp, sig)
    pty.hangup_session = lambda p: hangup(kernel, p)


def tcsetpgrp(kernel, task: Task, pty, pgid: int) -> None:
    """tcsetpgrp(3) on ``pty``: ENOTTY unless it is the caller's
    controlling terminal; EPERM for a group of another session; a caller in
    a background group gets SIGTTOU unless it ignores it."""
    if task.ctty is not pty:
        raise SimError(Errno.ENOTTY)
    ns = task.nsset.pid
    group = find_pgrp(kernel, ns, pgid)
    if group is None:
        raise SimError(Errno.EPERM if pgid > 0 else Errno.EINVAL)
    if group.session is not task.session:
        raise SimError(Errno.EPERM)
    check_background(kernel, task, pty, Signal.SIGTTOU)
    pty.fg_pgrp = group


def tcgetpgrp(kernel, task: Task, pty) -> int:
    if task.ctty is not pty:
        raise SimError(Errno.ENOTTY)
    if pty.fg_pgrp is None:
        return 0
    return pty.fg_pgrp.ids.get(task.nsset.pid, 0)


def check_background(kernel, task: Task, pty, sig: Signal) -> None:
    """What __tty_check_change does: a task of a background group of the
    terminal's session touching it gets ``sig`` (its whole group does),
    unless it ignores the signal; the call then ends with EINTR after the
    group is continued (the shell's ``fg`` brings it back).  An orphaned
    group, which nobody could continue, gets EIO instead."""
    if task.ctty is not pty or pty.fg_pgrp is None or task.pgrp is pty.fg_pgrp:
        return
    if task.sig_actions.get(sig) == "ignore":
        if sig == Signal.SIGTTIN:
            raise SimError(Errno.EIO)
        return
    kill_pgrp(kernel, task.pgrp, sig)
    raise _Stopped()


class _Stopped(Exception):
    """The task touched its terminal from the background and was sent the
    signal: the call is retried once the task runs again."""


def tty_access(kernel, task: Task, pty, write: bool) -> "str | None":
    """Before a read (or a write, with TOSTOP) of a terminal: None to go
    on, "stopped" when the task's group was sent SIGTTIN/SIGTTOU (the
    trap waits and tries again), or raises Interrupted when the task
    catches the signal."""
    if write and not (pty.termios.lflag & T.TOSTOP):
        return None
    try:
        check_background(kernel, task, pty, Signal.SIGTTOU if write else Signal.SIGTTIN)
    except _Stopped:
        if task.pending_signals:
            task.delivered_signals.extend(task.pending_signals)
            task.pending_signals.clear()
            raise Interrupted() from None
        return "stopped"
    return None


def kill_pgrp(kernel, pgrp, sig, sender: "Task | None" = None) -> int:
    """Signal every member of ``pgrp``; the number signalled."""
    from .signals import send_signal

    targets = members(kernel, pgrp)
    for task in targets:
        send_signal(kernel, task, sig, sender)
    return len(targets)


# -- stopping and continuing -------------------------------------------------
def stop_task(kernel, task: Task, sig: Signal) -> None:
    """The default action of a stop signal: the task leaves every wait
    queue and stops; its parent hears of it (wait with WUNTRACED,
    SIGCHLD)."""
    if task.state is TaskState.STOPPED:
        return
    for waiters in task.waiting_in:
        waiters.discard(task)
    task.waiting_in.clear()
    if getattr(task.trap, "armed", False):
        task.trap.armed = False  # its timer is dropped as stale; re-armed on continue
    task.transition("stop")
    kernel.sched.acct.stop(task)  # a stopped task uses no CPU (enqueue restarts it)
    task.stop_report = Signal(sig)
    task.cont_report = False
    _tell_parent(kernel, task)


def continue_task(kernel, task: Task) -> None:
    """SIGCONT: a stopped task runs again (and checks its trap afresh)."""
    task.pending_signals = [s for s in task.pending_signals
                            if s not in (Signal.SIGSTOP, Signal.SIGTSTP, Signal.SIGTTIN, Signal.SIGTTOU)]
    if task.state is not TaskState.STOPPED:
        return
    task.transition("cont")
    task.stop_report = None
    task.cont_report = True
    kernel.sched.enqueue(task)
    _tell_parent(kernel, task)


def _tell_parent(kernel, task: Task) -> None:
    from .signals import send_signal

    parent = task.parent
    if parent is None or not parent.alive:
        return
    kernel.sched.wake_all(parent.wait_waiters)
    if parent.sig_actions.get(Signal.SIGCHLD) == "catch":
        send_signal(kernel, parent, Signal.SIGCHLD, sender=task)


# -- the end of a session's terminal -----------------------------------------
def session_leader_exit(kernel, task: Task) -> None:
    """The controlling process exited (disassociate_ctty): SIGHUP to the
    terminal's foreground group, the session loses its terminal; groups
    of the session with stopped members get SIGHUP and SIGCONT (they are
    orphaned: nobody is left to continue them)."""
    session = task.session
    if session is None or session.leader is not task:
        return
    pty = session.tty
    if pty is not None:
        fg = pty.fg_pgrp
        if fg is not None and fg is not task.pgrp:
            kill_pgrp(kernel, fg, Signal.SIGHUP)
        pty.session = None
        pty.fg_pgrp = None
        session.tty = None
    stopped = {id(t.pgrp): t.pgrp for t in live_tasks(kernel)
               if t.session is session and t.state is TaskState.STOPPED and t is not task}
    for pgrp in stopped.values():
        kill_pgrp(kernel, pgrp, Signal.SIGHUP)
        kill_pgrp(kernel, pgrp, Signal.SIGCONT)


def hangup(kernel, pty) -> None:
    """The terminal hung up (its master closed): SIGHUP and SIGCONT to
    the session leader (tty_signal_session_leader), and the foreground
    group hears SIGHUP too."""
    from .signals import send_signal

    session = pty.session
    if session is None:
        return
    leader = session.leader
    fg = pty.fg_pgrp
    if leader is not None and leader.alive:
        send_signal(kernel, leader, Signal.SIGHUP)
        send_signal(kernel, leader, Signal.SIGCONT)
    if fg is not None and fg is not getattr(leader, "pgrp", None):
        kill_pgrp(kernel, fg, Signal.SIGHUP)
