"""Host threads as CPU cores for embedded engines (see `sim.proc.cpu`).

A node program's JavaScript runs in QuickJS, which the kernel cannot
preempt: a turn that never ends would hold the event loop, and with it
every API request.  Here each such program gets a host thread of its own
(QuickJS wants every call on one runtime made from one thread), and a turn
runs there:

1. `ThreadCore.start` hands the turn to the thread and waits up to
   `BUDGET` seconds, serving the turn's system calls itself (a write, a
   socket, a file: they must run on the kernel's thread).  Almost every
   turn ends inside the budget, at the cost of two thread hand-offs.
2. A turn still running after the budget goes on alone: the task sleeps in
   a `ComputeTrap`, the event loop serves other requests, and each later
   call (or the end) reaches the kernel through ``call_soon_threadsafe``
   and a poke of the driver.

A killed program closes its core (a fatal signal closes the task's
coroutine, whose ``finally`` closes the core).  If a turn is still running
then, `close` stops it: the calls it makes back fail at once
(`CoreClosed`), and the engine the program attached (`attach`: its
QuickJS context) is interrupted from the kernel's thread (`jsstop`), so
even a ``while (true) {}`` that never calls back unwinds at its next
interrupt poll; the thread then ends.  Only an engine whose binding
`jsstop` does not know (logged at `attach`) keeps spinning until the
daemon exits (threads are daemonic).
"""

import logging
import queue
import threading
import time

from . import jsstop

log = logging.getLogger("dockersim.cores")

#: Seconds `start` waits for a turn before letting it run on alone.
BUDGET = 0.02


class CoreClosed(Exception):
    """The program this core served has ended."""


class ThreadCores:
    """The factory the kernel calls for a new core (`Kernel.cores`)."""

    def __init__(self, loop, poke):
        self.loop = loop
        self.poke = poke  # the driver's: run the kernel soon

    def __call__(self) -> "ThreadCore":
        return ThreadCore(self)


class ThreadCore:
    def __init__(self, owner: ThreadCores):
        self._owner = owner
        self._inbox: "queue.SimpleQueue" = queue.SimpleQueue()
        self._cond = threading.Condition()
        self._sync = False  # the kernel's thread is waiting in start()
        self._closed = False
        self._job = None
        self._stopper = None  # stops the attached engine's turns (jsstop)
        self._thread = threading.Thread(target=self._serve, name="dockersim-core", daemon=True)
        self._thread.start()

    # -- the kernel's side --------------------------------------------------------
    def start(self, fn, job):
        """Begin ``fn()`` as ``job`` (a `sim.proc.cpu.Job`); see the module
        docstring."""
        with self._cond:
            if self._closed:
                raise CoreClosed()
            self._job = job
            self._sync = True
        self._inbox.put((fn, job))
        end = time.monotonic() + BUDGET
        while True:
            with self._cond:
                while not job.done and not job.requests:
                    remaining = end - time.monotonic()
                    if remaining <= 0:
                        break
                    self._cond.wait(remaining)
                if not job.requests:
                    self._sync = False  # done, or on its own from now on
                    return job
            job.serve()

    @property
    def detached(self) -> bool:
        """A turn is running on alone (the kernel stopped waiting for it)."""
        job = self._job
        return job is not None and not job.done and not self._sync

    def call(self, fn):
        """Run ``fn`` on the kernel's thread (from inside a turn)."""
        if threading.current_thread() is not self._thread:
            return fn()
        done = threading.Event()
        box = []

        def reply(value, error):
            box.append((value, error))
            done.set()

        with self._cond:
            if self._closed:
                raise CoreClosed()
            job = self._job
            job.requests.append((fn, reply))
            self._cond.notify()
            alone = not self._sync
        if alone:
            self._owner.loop.call_soon_threadsafe(self._wake_kernel, job)
        done.wait()
        value, error = box[0]
        if error is not None:
            raise error
        return value

    def attach(self, engine) -> None:
        """The engine whose turns run here (a QuickJS context), which
        `close` interrupts if a turn is still running; None detaches it
        (the program frees its engine)."""
        stopper = jsstop.stopper(engine) if engine is not None else None
        if engine is not None and stopper is None:
            log.warning("cannot interrupt %s engines: a killed program's endless turn will keep "
                        "its host thread busy", type(engine).__qualname__)
        with self._cond:
            self._stopper = stopper

    def close(self) -> None:
        with self._cond:
            self._closed = True
            job = self._job
            if job is not None and not job.done and self._stopper is not None:
                self._stopper.stop()  # the turn unwinds at its next poll
            pending = list(job.requests) if job is not None else []
            if job is not None:
                job.requests.clear()
        for _, reply in pending:
            reply(None, CoreClosed())
        self._inbox.put(None)

    def _wake_kernel(self, job) -> None:
        job.queue.notify()
        self._owner.poke()

    # -- the core's thread -----------------------------------------------------------
    def _serve(self) -> None:
        while True:
            item = self._inbox.get()
            if item is None:
                with self._cond:
                    self._stopper = None  # the engine may be freed (on this thread)
                return
            fn, job = item
            try:
                result, error = fn(), None
            except BaseException as exc:  # noqa: BLE001 - handed to the waiting task
                result, error = None, exc
            with self._cond:
                job.finish(result, error)
                self._cond.notify()
                alone = not self._sync
            if alone:
                try:
                    self._owner.loop.call_soon_threadsafe(self._wake_kernel, job)
                except RuntimeError:  # the loop is closed: the daemon is stopping
                    return
