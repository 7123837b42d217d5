"""``docker kill``, ``docker stop`` and ``docker restart``: moby's
daemon/kill.go, stop.go and restart.go.

Signals go to the container's first process through its runtime handle,
sent from outside the container: an init without a handler for SIGTERM
ignores it, so ``docker stop`` waits out the grace period and then
SIGKILLs it (exit code 137).
"""

import asyncio

from ...sim.abi import Signal
from ..errors import Conflict, DockerError, InvalidParameter, NotModified
from .container import Container
from .events import NO_EVENTS


def parse_signal(text: "str | None", default: Signal) -> Signal:
    try:
        return Signal.parse(text) if text else default
    except ValueError:
        raise InvalidParameter(f"Invalid signal: {text}") from None


async def wait_exit(records, container: Container, timeout: "float | None") -> bool:
    """Wait until the container is not running (at most ``timeout``
    seconds; None: no limit).  True if it stopped."""
    if not container.state.running:
        return True
    fut = asyncio.get_running_loop().create_future()
    records.hub(container).exit_waiters.append(fut)
    try:
        await asyncio.wait_for(asyncio.shield(fut), timeout)
        return True
    except asyncio.TimeoutError:
        return False


class Stopper:
    events = NO_EVENTS

    def __init__(self, records, processes, restarts, starter):
        self.records = records
        self.processes = processes
        self.restarts = restarts
        self.starter = starter

    def _signal(self, container: Container, sig: Signal) -> None:
        """Send ``sig``; a paused container is then resumed when the
        signal is meant to end it (its StopSignal, SIGKILL, or any signal
        when it has no StopSignal), as moby's killWithSignal does."""
        container.handle.signal(sig)
        if container.state.paused:
            stop_signal = container.config.get("StopSignal")
            ends_it = (not stop_signal or sig == Signal.SIGKILL
                       or parse_signal(stop_signal, Signal.SIGTERM) == sig)
            if ends_it:
                self.resume(container)
        self.events.container(container, "kill", signal=str(int(sig)))
        self.processes.poke()

    def resume(self, container: Container) -> None:
        """Thaw a paused container (its record says running again)."""
        container.handle.resume()
        container.state.transition("unpause")
        self.records.save(container)
        self.events.container(container, "unpause")  # containerd's TaskResumed

    async def kill_container(self, ref: str, signal: "str | None" = None) -> None:
        container = self.records.resolve(ref)
        sig = parse_signal(signal, Signal.SIGKILL)
        if container.state.status == "restarting":
            raise Conflict(f"Cannot kill container: {ref}: Container {container.id} is restarting, "
                           "wait until the container is running")
        if not container.state.running:
            raise Conflict(f"Cannot kill container: {ref}: container {container.id} is not running")
        container.manually_stopped = True
        self._signal(container, sig)
        if sig == Signal.SIGKILL:
            await wait_exit(self.records, container, None)

    async def kill_now(self, container: Container) -> None:
        """SIGKILL and wait for the exit (``rm -f``)."""
        if container.state.running:
            self._signal(container, Signal.SIGKILL)
            await wait_exit(self.records, container, None)

    async def stop_container(self, ref: str, timeout: "int | None" = None,
                             signal: "str | None" = None) -> None:
        container = self.records.resolve(ref)
        if container.state.status == "restarting":
            container.manually_stopped = True
            self.restarts.cancel(container)
            return
        if not container.state.running:
            raise NotModified("container already stopped")
        container.manually_stopped = True
        await self.stop(container, timeout, signal)

    async def stop(self, container: Container, timeout: "int | None" = None,
                   signal: "str | None" = None) -> None:
        """SIGTERM (or the StopSignal), then SIGKILL after the grace period
        (moby's containerStop)."""
        if not container.state.running:
            return
        if timeout is None:
            timeout = container.config.get("StopTimeout")
        if timeout is None:
            timeout = 10
        sig = parse_signal(signal or container.config.get("StopSignal") or "SIGTERM", Signal.SIGTERM)
        self._signal(container, sig)
        if not await wait_exit(self.records, container, None if timeout < 0 else timeout):
            await self.kill_now(container)
        self.events.container(container, "stop")

    async def restart_container(self, ref: str, timeout: "int | None" = None) -> None:
        """Stop (if running) and start again; a --rm container is not
        removed by the stop in between (moby suspends AutoRemove too)."""
        container = self.records.resolve(ref)
        self.restarts.cancel(container)
        container.manually_stopped = False
        auto_remove = container.host_config.get("AutoRemove")
        container.host_config["AutoRemove"] = False
        try:
            await self.stop(container, timeout)
        finally:
            container.host_config["AutoRemove"] = auto_remove
        try:
            self.starter.start(container)
        except DockerError as err:  # moby: "Cannot restart container %s: %v"
            raise type(err)(f"Cannot restart container {ref}: {err}") from None
        self.events.container(container, "restart")
