"""``docker rm`` and ``docker container prune``: moby's daemon/delete.go
and prune.go.

Removing drops the record and everything stored for it (log, writable
layer), the container's reference on its image's layer chain and its exec
instances, and answers ``/wait?condition=removed`` callers.
"""

from ..errors import Conflict, InvalidParameter
from .container import Container
from .filters import Filters, parse_filters, prune_labels_match
from .timestamps import TimeError, get_timestamp, parse_timestamps
from .events import NO_EVENTS

#: What ``docker container prune`` accepts (moby's containersAcceptedFilters).
PRUNE_FILTERS = {"label", "label!", "until"}


def prune_until(filters: Filters, now: float) -> "float | None":
    """moby's ``getUntilFromPruneFilters``: the ``until`` time as epoch
    seconds (None without one); more than one, or one that is no time, is
    a 400 with moby's or Go's words."""
    values = filters.get("until")
    if not values:
        return None
    if len(values) > 1:
        raise InvalidParameter("more than one until filter specified")
    try:
        seconds, nanos = parse_timestamps(get_timestamp(values[0], now), 0)
    except TimeError as err:
        raise InvalidParameter(str(err)) from None
    return seconds + nanos / 1e9


class Remover:
    events = NO_EVENTS

    def __init__(self, records, layers, stopper, restarts, execs, clock):
        self.records = records
        self.clock = clock
        self.layers = layers
        self.stopper = stopper
        self.restarts = restarts
        self.execs = execs

    async def remove_container(self, ref: str, force: bool = False, volumes: bool = False) -> None:
        container = self.records.resolve(ref)
        if container.state.status == "removing" or container.removal_in_progress:
            raise Conflict(f"removal of container {container.id} is already in progress")
        if container.state.status == "restarting" and not force:
            raise Conflict(f'cannot remove container "/{container.name}": container is restarting: '
                           "stop the container before removing or force remove")
        if container.state.running and not force:
            if container.state.paused:
                raise Conflict(f'cannot remove container "/{container.name}": '
                               "container is paused and must be unpaused first")
            raise Conflict(
                f'cannot remove container "/{container.name}": container is running: '
                "stop the container before removing or force remove")
        # moby's SetRemovalInProgress: from here on nothing starts it again
        # (a restart whose stop the kill below ends, a restart policy).
        container.removal_in_progress = True
        try:
            self.restarts.cancel(container)
            while container.state.running:
                await self.stopper.kill_now(container)
        except BaseException:
            container.removal_in_progress = False  # moby's ResetRemovalInProgress
            raise
        if self.records.get(container.id) is not container:  # AutoRemove got there first
            return
        self.remove(container, volumes=volumes)

    #: Set by the engine: the container's mounts (anonymous volumes go with ``-v``).
    mounts = None

    def remove(self, container: Container, volumes: bool = False) -> None:
        """Remove a record that is not running (no checks).  ``volumes``
        (``rm -v``, and always for ``--rm``): its anonymous volumes go too."""
        container.state.transition("remove")
        self.records.forget(container)
        if self.mounts is not None:
            self.mounts.release(container, volumes or bool(container.host_config.get("AutoRemove")))
        top = self.layers.chain_ids(container.diff_ids)[-1:] if container.diff_ids else []
        for chain_id in top:
            if chain_id in self.layers:
                self.layers.release(chain_id)
        self.execs.forget_container(container)
        self.events.container(container, "destroy")
        self.records.hub(container).wake_removal_waiters(
            {"StatusCode": container.state.exit_code, "Error": None})

    def prune_containers(self, filters: str = "") -> dict:
        """``docker container prune`` (moby's ``ContainersPrune``): remove
        every stopped container created before ``until`` whose labels match
        (``filters``: the query parameter's JSON); report the ids and the
        bytes freed."""
        f = parse_filters(filters, PRUNE_FILTERS)
        until = prune_until(f, self.clock.now())
        deleted, reclaimed = [], 0
        for container in list(self.records):
            if container.state.running or (until is not None and container.created > until):
                continue
            if not prune_labels_match(f, container.config.get("Labels")):
                continue
            writable = self.records.writable_layer(container)
            reclaimed += writable.size if writable is not None else 0
            self.remove(container)
            deleted.append(container.id)
        self.events.emit("container", "prune", "", {"reclaimed": str(reclaimed)})
        return {"ContainersDeleted": deleted or None, "SpaceReclaimed": reclaimed}
