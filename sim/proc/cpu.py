"""CPU cores for code the kernel cannot step: an embedded engine's turns.

A simulated program is a coroutine, so the kernel preempts it at every
system call.  Code inside an embedded engine (node's JavaScript, run by
QuickJS) runs to the end of its turn without coming back: a ``while (true)
{}`` would hold the kernel, and with it the daemon, for ever.  So such
code runs *on a core*:

- `InlineCore` (the default, and the only one the simulation itself has)
  runs the turn at once, in the caller: deterministic, for tests and the
  deterministic mode.
- A host core (the daemon injects a factory, `Kernel.cores`) runs the turn
  on a host thread of its own, so a turn that never ends only keeps that
  thread busy while the kernel goes on.  The engine's calls back into the
  simulation (system calls: a write, a socket, a file) must run on the
  kernel's thread; the core queues them in the `Job` and the task, waiting
  in a `ComputeTrap`, carries them out and hands back the results.

The protocol a core offers (duck-typed):

``core.start(fn, job)``
    Begin ``fn()`` on the core as ``job`` (a `Job` the kernel made, whose
    queue wakes the waiting task).  May run part or all of it before
    returning (a host core waits a little, serving the calls itself, so
    short turns cost no trip through the event loop).
``core.call(fn)``
    From inside a running turn: run ``fn()`` where the kernel runs, and
    return its result (or raise its exception).
``core.detached``
    True while a turn runs on past the point where the kernel waited for
    it (output it makes should then be written at once, not at its end).
``core.attach(engine)``
    The engine whose turns run on the core (node's QuickJS context), or
    None when the program frees it.  A host core keeps it to stop a turn
    that is still running when the core is closed.
``core.close()``
    The program ended: let the core go.  The program may have been killed
    (a fatal signal closes its coroutine, whose ``finally`` closes the
    core) while a turn still runs on a host core: the core then stops the
    turn (its calls back fail, and the attached engine is interrupted at
    its next poll), so its thread ends too.  An inline core never has a
    turn running when the kernel closes it.

Preconditions: a core serves one program; `start` is never called while
a job of the same core is unfinished.
"""

import collections

import attrs

from ..io.waiter import WaitQueue
from ..kernel.traps import BLOCK, _Throw


@attrs.define(eq=False)
class Job:
    """One turn on a core: the calls it asks the kernel to make, and, at
    the end, its result or exception.  `queue` is notified (from whatever
    thread the core runs on, through the core's own thread-safe hook)
    whenever a call is queued or the job ends."""

    queue: WaitQueue
    requests: collections.deque = attrs.field(factory=collections.deque)
    done: bool = False
    result: object = None
    error: "BaseException | None" = None

    def finish(self, result=None, error: "BaseException | None" = None) -> None:
        self.result, self.error, self.done = result, error, True

    def serve(self) -> None:
        """Carry out the queued calls (on the kernel's thread).  Each
        request is (fn, reply) with ``reply(result, error)``."""
        while self.requests:
            fn, reply = self.requests.popleft()
            try:
                value = fn()
            except BaseException as exc:  # noqa: BLE001 - handed back to the turn
                reply(None, exc)
            else:
                reply(value, None)


@attrs.define(eq=False)
class InlineCore:
    """Runs every turn at once, in the kernel's thread."""

    detached = False

    def start(self, fn, job: Job) -> None:
        try:
            job.finish(fn())
        except BaseException as exc:  # noqa: BLE001 - re-raised by the waiter
            job.finish(error=exc)

    def call(self, fn):
        return fn()

    def attach(self, engine) -> None:
        pass  # its turns end before the kernel goes on: nothing to stop

    def close(self) -> None:
        pass


@attrs.define(eq=False)
class ComputeTrap:
    """Wait for a job: serve its calls as they come, return its result (or
    raise its exception) when it ends.  Not interruptible: a signal waits
    for the turn to end, as a signal waits for a process to leave a
    system call it cannot abandon."""

    job: Job
    interruptible = False
    #: The task is on a CPU while it waits here (its turn runs on the
    #: core): it keeps accruing CPU time and ps shows it running (R).
    computing = True

    def check(self, kernel, task):
        job = self.job
        job.serve()
        if job.done:
            if job.error is not None:
                return _Throw(job.error)
            return job.result
        kernel._block_on(task, job.queue.waiters)
        return BLOCK
