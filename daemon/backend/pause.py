"""``docker pause`` and ``docker unpause``: moby's daemon/pause.go and
unpause.go.  The container's cgroup is frozen (``runc pause``: every
process stops being scheduled, its timers and signals wait for the thaw)
and the record says ``paused`` (State.Paused, ``Up … (Paused)``)."""

from ..errors import Conflict, SystemError
from .events import NO_EVENTS


class Pauser:
    events = NO_EVENTS
    #: Set by the engine: the health-check monitors (health.py).
    health = None

    def __init__(self, records, processes):
        self.records = records
        self.processes = processes

    def pause_container(self, ref: str) -> None:
        container = self.records.resolve(ref)
        if not container.state.running:
            raise Conflict(f"container {container.id} is not running")
        if container.state.paused:
            raise Conflict(f"Container {container.id} is already paused")
        container.handle.pause()
        container.state.transition("pause")
        self.records.save(container)
        self.events.container(container, "pause")
        if self.health is not None:
            self.health.update(container)

    def unpause_container(self, ref: str) -> None:
        container = self.records.resolve(ref)
        if not container.state.paused:  # a plain error in moby: 500
            raise SystemError(f"Container {container.id} is not paused")
        container.handle.resume()
        container.state.transition("unpause")
        self.records.save(container)
        self.events.container(container, "unpause")
        if self.health is not None:
            self.health.update(container)
        self.processes.poke()
