"""The driver: the only code that advances the simulator.

The simulated machine (`sim.runtime.machine.Machine`) is passive: it runs
its tasks when `run()` is called.  The driver connects it to asyncio:

- `poke()` asks for a run soon (after the daemon fed input, started a
  task, sent a signal).  Runs happen in slices; between slices the event
  loop serves HTTP, so a busy simulated program cannot stall the daemon.
- After every slice it calls the `after_run` hooks (`Processes` moves
  output and hands out exits there).
- When no task is runnable it arms one asyncio timer for the kernel's next
  deadline (a `sleep` in some program), mapping the kernel clock (wall
  time in production) onto the loop's clock.
"""

import asyncio
import logging

log = logging.getLogger("dockersim.driver")


class Driver:
    def __init__(self, machine, *, slice_steps: int = 5000):
        self.machine = machine
        self.slice_steps = slice_steps
        self.after_run = []  # callables run after each slice
        self._scheduled = False
        self._timer: "asyncio.TimerHandle | None" = None
        self._timer_deadline: "float | None" = None
        self._closed = False

    def poke(self) -> None:
        """Schedule a run of the kernel on the event loop, soon."""
        if self._scheduled or self._closed:
            return
        self._scheduled = True
        asyncio.get_running_loop().call_soon(self._run_slice)

    def _run_slice(self) -> None:
        self._scheduled = False
        if self._closed:
            return
        try:
            more = self.machine.run(max_steps=self.slice_steps)
        except Exception:  # a kernel bug must not kill the daemon
            log.exception("kernel run failed")
            more = False
        for hook in list(self.after_run):
            try:
                hook()
            except Exception:
                log.exception("after-run hook failed")
        if more or self.machine.runnable():
            self.poke()
        else:
            self._arm_timer()

    def _arm_timer(self) -> None:
        deadline = self.machine.next_deadline()
        if deadline is None or deadline == self._timer_deadline:
            return
        if self._timer is not None:
            self._timer.cancel()
        loop = asyncio.get_running_loop()
        delay = max(0.0, deadline - self.machine.now())
        self._timer_deadline = deadline
        self._timer = loop.call_later(delay + 0.0005, self._on_timer)

    def _on_timer(self) -> None:
        self._timer = None
        self._timer_deadline = None
        self.machine.fire_timers()
        self.poke()

    def close(self) -> None:
        self._closed = True
        if self._timer is not None:
            self._timer.cancel()
