"""``docker logs``: moby's daemon/logs.go over the json-file log driver.

The stored records come first: those of the rotated files, oldest first,
then the current file's (logfile.files_of); as moby's LogFile reader does,
the last ``tail`` lines are taken first (of both streams), then the records
before ``since`` are skipped (until the first one at or after it) and the
reading stops at the first record after ``until``, then the unwanted
stream is dropped.  With ``follow`` live output follows until the
container stops or the client leaves.
"""

import json

from ...sim.images.image_store import parse_created
from ..errors import Conflict, InvalidParameter, NotImplementedYet
from . import logdrivers
from .container import Container
from ...sim.golang.strconv import atoi
from .output import log_lines
from .streaming import output_chunks


def stored_output(store, log_key: str, wanted, since: float = 0, until: float = 0,
                  tail: "str | None" = "all", max_files: int = 1) -> list:
    """The logged records of the wanted streams, as (stream, record):
    moby's tailFiles + forwarder over the json-file log."""
    lines = log_lines(store, log_key, max_files)
    try:
        n = atoi(tail or "")
    except ValueError:
        n = -1  # moby: a tail that is not a number means all
    if n == 0:
        return []
    if n > 0:
        lines = lines[-n:]
    selected = []
    for line in lines:
        try:
            rec = json.loads(line)
        except ValueError:
            continue  # a torn last line after a crash
        if since or until:
            text = rec.get("time", "")
            t = parse_created(text) if text else 0.0
            if since:
                if t < since:
                    continue
                since = 0  # moby: timestamps may not be monotonic; from here on, all
            if until and t > until:
                break
        stream = 1 if rec.get("stream") == "stdout" else 2
        if stream in wanted:
            selected.append((stream, rec))
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
        if container.removal_in_progress or container.state.status in ("dead", "removing"):
            raise Conflict("can not get logs from container which is dead or marked for removal")
        if not logdrivers.readable(container.host_config):  # moby: logger.ErrReadLogsNotSupported
            raise NotImplementedYet("configured logging driver does not support reading")
        if not container.state.running:  # moby's getLogger makes the driver: its error
            try:
                logdrivers.rotation(container.host_config)
            except logdrivers.LogDriverError as exc:
                raise InvalidParameter(exc.message) from None  # moby: 500 for json-file's
        return container

    def stored(self, container: Container, wanted, since: float = 0, until: float = 0,
               tail: "str | None" = "all") -> list:
        rotation = self.records.hub(container).rotation
        return stored_output(self.store, self.records.log_key(container), wanted, since, until, tail,
                             rotation.max_files)

    async def logs(self, container: Container, *, stdout: bool, stderr: bool, follow: bool,
                   timestamps: bool, tail: str = "all", since: float = 0, until: float = 0,
                   gone=None, details: bool = False):
        """Yield encoded log chunks: first the stored records, then, with
        ``follow``, live output until the container stops."""
        wanted = {s for s, on in ((1, stdout), (2, stderr)) if on}
        hub = self.records.hub(container)
        listener = hub.listen(wanted, records=True) if follow and container.state.running else None
        try:
            stored = self.stored(container, wanted, since, until, tail)
            async for chunk in output_chunks(container.tty, stored, listener, timestamps,
                                             self.clock.now, gone, details, hub.record_attrs):
                yield chunk
        finally:
            if listener is not None:
                hub.unlisten(listener)
