"""Signals: asynchronous notices from one task (or the kernel) to another.

Every signal has a *disposition* in the target, set with sigaction(2)
(`Task.sig_actions`): "default", "ignore" or "catch".  `send_signal`
applies Linux's delivery rules (signal(7)):

- SIGKILL and SIGSTOP cannot be caught or ignored;
- an ignored signal is dropped;
- a caught signal is queued in ``pending_signals``; if the target sleeps
  in an interruptible trap it wakes, and the trap then ends with EINTR
  (`sim.kernel.traps.poll_trap` moves the signals to
  ``delivered_signals``, where the program's handler, ``take_signals()``,
  finds them).  This is the simulation's signal handler: the program
  learns of the signal when its blocking call fails with Interrupted;
- a default action of "terminate" (or "core dump") marks the task with a
  ``fatal_signal`` and wakes it; the next time it is scheduled it dies
  (`sim.kernel.exit.terminate`) instead of running;
- the init of a PID namespace (PID 1 there) is protected: it receives only
  signals it has a handler for, except SIGKILL/SIGSTOP sent from an
  ancestor namespace (pid_namespaces(7)); that is why ``docker kill``
  reaches a container's init but a ``kill -9 1`` inside it does not.

- job control (`sim.kernel.jobctl`): a stop signal's default action
  stops the task (STOPPED: it runs nothing until continued); SIGCONT
  continues a stopped task whatever its disposition, and discards pending
  stop signals (a stop signal discards a pending SIGCONT); a stopped task
  handles no signal but SIGKILL until it is continued.
"""

from ..abi import DEFAULT_ACTION, UNCATCHABLE, SigAction, Signal
from ..proc.task import Task, TaskState
from .jobctl import continue_task, stop_task

STOP_SIGNALS = frozenset({Signal.SIGSTOP, Signal.SIGTSTP, Signal.SIGTTIN, Signal.SIGTTOU})


def send_signal(kernel, target: Task, sig: Signal, sender: "Task | None" = None) -> None:
    """Deliver ``sig`` to ``target`` with Linux's rules (signal(7),
    pid_namespaces(7)).  ``sender`` None means the kernel or the daemon,
    which act from the root namespace."""
    if not target.alive:
        return
    sig = Signal(sig)
    if sig == Signal.SIGCONT:
        continue_task(kernel, target)
    elif sig in STOP_SIGNALS:
        target.pending_signals = [s for s in target.pending_signals if s != Signal.SIGCONT]
    action = "default" if sig in UNCATCHABLE else target.sig_actions.get(sig, "default")
    own_ns = target.nsset.pid
    if own_ns.pid_of(target) == 1 and action == "default":
        # A namespace's init gets only the signals it has a handler for,
        # except SIGKILL/SIGSTOP sent from an ancestor namespace.
        sender_ns = sender.nsset.pid if sender is not None else kernel.root_pidns
        from_ancestor = sender_ns is not own_ns and sender_ns.is_ancestor_of(own_ns)
        if not (sig in UNCATCHABLE and from_ancestor):
            return
    if action == "ignore":
        return
    if action == "catch":
        target.pending_signals.append(sig)
        if target.state is TaskState.BLOCKED and getattr(target.trap, "interruptible", False):
            kernel.sched.wake(target)
        return
    default = DEFAULT_ACTION.get(sig, SigAction.TERM)
    if default in (SigAction.TERM, SigAction.CORE):
        if target.fatal_signal is None or sig == Signal.SIGKILL:
            target.fatal_signal = sig
        if target.state is TaskState.STOPPED:
            if sig != Signal.SIGKILL:
                return  # dies when continued
            continue_task(kernel, target)
        kernel.sched.wake(target)
        if target.state is TaskState.RUNNABLE:
            kernel.sched.enqueue(target)
    elif default is SigAction.STOP:
        stop_task(kernel, target, sig)
    # IGN: dropped.  CONT: done above.
