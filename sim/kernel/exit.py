"""Exit: how a task dies, who learns of it, and who reaps it.

A task ends by returning from its program, calling exit, failing
unhandled, or by a fatal signal (`terminate`).  `do_exit` then tears it
down in the order Linux's ``do_exit`` does:

1. it leaves every wait queue and closes every fd (the last reference to
   a pipe's write end gives its reader end of file);
2. it becomes a ZOMBIE holding its exit status, still occupying its PIDs
   so that its parent can ask what became of it;
3. if it was the init (PID 1) of a child PID namespace, every other task
   there is killed and the namespace takes no new PIDs (pid_namespaces(7));
4. its children are *reparented* to a reaper (`find_reaper`): the init of
   their namespace, or further up; with no reaper at all, zombie children
   are reaped on the spot;
5. the daemon hears of the exit (a `TaskExited` event) and the parent is
   told: its waiters wake (wait(2) will find the zombie) and, if it
   catches SIGCHLD, it gets one.  A parent that ignores SIGCHLD, or no
   parent at all, means nobody will wait: the zombie is reaped at once.

*Reaping* (`release_task`, what a successful wait(2) does) ends the
zombie: the task becomes DEAD, leaves its parent's children and gives its
PIDs back to every namespace it had one in.

Invariant: a live task's children are all in its ``children`` set and have
it as ``parent``; a reaped task is in no namespace and no ``children`` set.
"""

from ..abi import Signal
from ..proc.task import Task, TaskState, WaitStatus
from .events import TaskExited
from .fdtable import close_fd
from .jobctl import session_leader_exit
from .signals import send_signal


def terminate(kernel, task: Task) -> None:
    """Die of ``task.fatal_signal``: close the coroutine (its ``finally``
    blocks run) and exit with the signal as the status."""
    sig = task.fatal_signal
    if task.coro is not None:
        try:
            task.coro.close()
        except RuntimeError:
            pass
    do_exit(kernel, task, WaitStatus(signal=sig))


def do_exit(kernel, task: Task, status: WaitStatus) -> None:
    """End ``task`` with ``status`` (the steps in the module docstring).

    Preconditions: the task's coroutine will not run again: it returned,
    raised, or was closed.  A task that already exited is left alone."""
    if not task.alive:
        return
    task.coro = None
    task.trap = None
    for waiters in task.waiting_in:
        waiters.discard(task)
    task.waiting_in.clear()
    for fd in list(task.fds):
        close_fd(task, fd)
    task.exit_status = status
    task.end_time = kernel.clock.now()
    task.transition("exit")
    kernel.sched.task_exited(task)
    session_leader_exit(kernel, task)
    ns = task.nsset.pid
    if ns.level > 0 and ns.pid_of(task) == 1:
        # The namespace's init died: every other task in it is killed
        # and no new PID can be allocated there (pid_namespaces(7)).
        ns.init_dead = True
        for other in list(ns.tasks.values()):
            if other is not task and other.alive:
                other.fatal_signal = Signal.SIGKILL
                if other.state is TaskState.STOPPED:
                    other.transition("cont")
                kernel.sched.wake(other)
                kernel.sched.enqueue(other)
    reaper = find_reaper(task)
    for child in list(task.children):
        task.children.discard(child)
        child.parent = reaper
        if reaper is None:
            if child.state is TaskState.ZOMBIE:
                release_task(child)
            continue
        reaper.children.add(child)
        if child.state is TaskState.ZOMBIE:
            kernel.sched.wake_all(reaper.wait_waiters)
    parent = task.parent
    kernel.emit(TaskExited(task.host_pid, status, task.end_time))
    if parent is None or parent.sig_actions.get(Signal.SIGCHLD) == "ignore":
        release_task(task)  # nobody will wait: autoreap (SIGCHLD ignored)
    else:
        kernel.sched.wake_all(parent.wait_waiters)
        if parent.sig_actions.get(Signal.SIGCHLD) == "catch":
            send_signal(kernel, parent, Signal.SIGCHLD, sender=task)


def find_reaper(task: Task) -> "Task | None":
    """Who adopts ``task``'s children: the init of their namespace, or,
    when the dying task is that init, the nearest living ancestor's."""
    ns = task.nsset.pid
    while ns is not None:
        init = ns.lookup(1)
        if init is not None and init is not task and init.alive:
            return init
        ns = ns.parent
    return None


def release_task(task: Task) -> None:
    """Reap a zombie: it becomes DEAD and gives back its PIDs.

    Preconditions: ``task`` is a ZOMBIE (any other state is a kernel bug
    and raises)."""
    if task.parent is not None:
        task.parent.children.discard(task)
    task.transition("reap")
    task.nsset.pid.release(task)
