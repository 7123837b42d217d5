"""``docker attach`` (and the attach ``docker run`` opens before it
starts the container): moby's daemon/attach.go.

The client gets the container's output from now on (and the stored log
first with ``logs``); with ``stdin`` its input goes to the container's
stdin stream, which exists before the start, so input sent early waits in
the pipe.  With ``StdinOnce`` the client's half-close is the container's
end of input.
"""

import asyncio

from ..errors import Conflict
from .container import Container
from .streaming import output_chunks, pump_stdin


class Attacher:
    def __init__(self, records, starter, logs, processes, clock):
        self.records = records
        self.starter = starter
        self.logs = logs
        self.processes = processes
        self.clock = clock

    def attach_check(self, ref: str) -> Container:
        container = self.records.resolve(ref)
        if container.state.status == "removing":
            raise Conflict(f"container {container.id} is being removed")
        if container.state.paused:
            raise Conflict(f"container {ref} is paused, unpause the container before attach")
        return container

    async def attach(self, container: Container, *, stdin: bool, stdout: bool, stderr: bool,
                     logs: bool, stream: bool, conn) -> None:
        """Copy the container's output to ``conn`` (multiplexed frames
        without a TTY, raw bytes with one) and ``conn``'s input to the
        container's stdin, until the container exits or the client leaves."""
        hub = self.records.hub(container)
        wanted = {s for s, on in ((1, stdout), (2, stderr)) if on}
        listener = hub.listen(wanted) if stream else None
        pump = None
        if stdin and container.config.get("OpenStdin"):
            pump = asyncio.ensure_future(pump_stdin(
                conn, self.starter.stdin(container), bool(container.config.get("StdinOnce")),
                self.processes.poke))
        stored = self.logs.stored(container, wanted) if logs else []
        try:
            async for chunk in output_chunks(container.tty, stored, listener, False,
                                             self.clock.now, gone=conn.wait_closed):
                if not await conn.write(chunk):
                    break
        finally:
            if listener is not None:
                hub.unlisten(listener)
            if pump is not None:
                pump.cancel()
            await conn.close()
