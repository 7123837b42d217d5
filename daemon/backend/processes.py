"""Processes: the daemon's side of every process it started.

Between the simulation and the API there is one loop (moby's containerd
event monitor plus the shim's output copier): after every slice of kernel
time,

1. the output of the processes that wrote is moved into their hubs (the
   json-file log and the attached clients), unless a client is too far
   behind: then that process's pipes stay full and the process blocks, as
   with Docker's blocking log mode, until the client catches up;
2. the exits are handed out (`Machine.collect`): each process's last
   output is moved first, then its owner's exit handler runs.

`Processes.follow(handle, hub, on_exit)` puts a started process under this
loop.  The `Driver` (driver.py) runs the slices on the event loop.
"""

import asyncio
import logging

from .cores import ThreadCores
from .driver import Driver

log = logging.getLogger("dockersim.engine")


class Processes:
    def __init__(self, machine):
        self.machine = machine
        self.driver: "Driver | None" = None
        #: (handle, hub) pairs whose streams got output since the last slice.
        self._dirty: dict = {}
        #: Those left undrained because a client is too far behind.
        self._stalled: dict = {}

    # -- the event loop ------------------------------------------------------
    def attach_loop(self) -> bool:
        """Start driving the machine from the running event loop; True the
        first time."""
        if self.driver is not None:
            return False
        self.driver = Driver(self.machine)
        self.driver.after_run.append(self._after_run)
        self.machine.use_cores(ThreadCores(asyncio.get_running_loop(), self.driver.poke))
        self.driver.poke()
        return True

    def poke(self) -> None:
        """Run the machine soon (after input was fed, a process started, a
        signal sent)."""
        self.attach_loop()
        self.driver.poke()

    def close(self) -> None:
        if self.driver is not None:
            self.driver.close()

    # -- following processes -------------------------------------------------
    def follow(self, handle, hub, on_exit) -> None:
        """Move ``handle``'s output into ``hub`` (anything with ``emit``,
        ``backlogged`` and an ``on_space`` slot) and call ``on_exit(code)``
        once it exited and its last output is in the hub."""
        def mark():
            self._dirty[handle] = hub

        for stream in (handle.stdout, handle.stderr):
            if stream is not None:
                stream.on_change(mark)
        hub.on_space = lambda: self._resume(handle, hub)

        def exited(code: int) -> None:
            self._dirty.pop(handle, None)
            self._stalled.pop(handle, None)
            self.pump(handle, hub)
            on_exit(code)

        handle.on_exit(exited)
        self.poke()

    def _resume(self, handle, hub) -> None:
        """A client caught up: drain the stalled process again."""
        if self._stalled.pop(handle, None) is not None:
            self._dirty[handle] = hub
            self.poke()

    @staticmethod
    def pump(handle, hub) -> None:
        """Move whatever ``handle``'s streams hold into ``hub``."""
        for stream_no, stream in ((1, handle.stdout), (2, handle.stderr)):
            if stream is not None:
                data = stream.read()
                if data:
                    hub.emit(stream_no, data)

    def _after_run(self) -> None:
        dirty, self._dirty = self._dirty, {}
        for handle, hub in dirty.items():
            if hub.backlogged:
                self._stalled[handle] = hub  # its pipes fill up; the writer waits
            else:
                self.pump(handle, hub)
        try:
            crashes = self.machine.collect()
        except Exception:  # one failing exit handler must not stop the loop
            log.exception("handling a process exit failed")
            crashes = []
        for crash in crashes:
            log.error("simulated program %s (host pid %d) crashed:\n%s",
                      crash.comm, crash.host_pid, crash.text)
