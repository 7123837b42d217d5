"""``docker logs``: moby's daemon/logs.go over the json-file log driver.

The stored records (filtered by ``since``/``until`` and cut to the last
``tail``) come first; with ``follow`` live output follows until the
container stops or the client leaves.
"""

from ...sim.images.image_store import parse_created
from ..errors import InvalidParameter, NotImplementedYet
from . import logdrivers
from .container import Container
from .output import read_log
from .streaming import output_chunks


def stored_output(store, log_key: str, wanted, since: float = 0, until: float = 0,
                  tail: "str | None" = "all") -> list:
    """The logged records of the wanted streams, as (stream, record),
    filtered by time and cut to the last ``tail`` (moby's json-file reader)."""
    selected = []
    for rec in read_log(store, log_key):
        stream = 1 if rec.get("stream") == "stdout" else 2
        if stream not in wanted:
            continue
        text = rec.get("time", "")
        t = parse_created(text) if text else 0.0
        if (since and t < since) or (until and t > until):
            continue
        selected.append((stream, rec))
    if tail not in ("", "all", None):
        try:
            n = int(tail)
        except ValueError:
            n = -1
        if n >= 0:
            selected = selected[-n:] if n else []
    return selected


class LogReader:
    def __init__(self, records, store, clock):
        self.records = records
        self.store = store
        self.clock = clock

    def logs_check(self, ref: str, stdout: bool, stderr: bool) -> Container:
        if not (stdout or stderr):
            raise InvalidParameter("Bad parameters: you must choose at least one stream")
        container = self.records.resolve(ref)
        if not logdrivers.readable(container.host_config):  # moby: logger.ErrReadLogsNotSupported
            raise NotImplementedYet("configured logging driver does not support reading")
        return container

    def stored(self, container: Container, wanted, since: float = 0, until: float = 0,
               tail: "str | None" = "all") -> list:
        return stored_output(self.store, self.records.log_key(container), wanted, since, until, tail)

    async def logs(self, container: Container, *, stdout: bool, stderr: bool, follow: bool,
                   timestamps: bool, tail: str = "all", since: float = 0, until: float = 0,
                   gone=None):
        """Yield encoded log chunks: first the stored records, then, with
        ``follow``, live output until the container stops."""
        wanted = {s for s, on in ((1, stdout), (2, stderr)) if on}
        hub = self.records.hub(container)
        listener = hub.listen(wanted, records=True) if follow and container.state.running else None
        try:
            stored = self.stored(container, wanted, since, until, tail)
            async for chunk in output_chunks(container.tty, stored, listener, timestamps,
                                             self.clock.now, gone):
                yield chunk
        finally:
            if listener is not None:
                hub.unlisten(listener)
