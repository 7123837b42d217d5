"""``docker attach`` (and the attach ``docker run`` opens before it
starts the container): moby's daemon/attach.go.

The client gets the container's output from now on (and the stored log
first with ``logs``; a TTY container's live terminal is never replayed
otherwise); with ``stdin`` its input goes to the container's stdin
stream, which exists before the start, so input sent early waits in the
pipe, and every attached client types into the same stream.  Without a
TTY and with ``StdinOnce`` the client's half-close is the container's end
of input; otherwise it ends the attach and the container goes on.  On a
TTY the detach keys (``detachKeys``, ctrl-p ctrl-q by default) end the
attach the same way.
"""

from ..errors import Conflict, InvalidParameter
from .container import Container
from .detachkeys import to_bytes
from .events import NO_EVENTS
from .streaming import copy_streams, output_chunks


class Attacher:
    events = NO_EVENTS

    def __init__(self, records, starter, logs, processes, clock):
        self.records = records
        self.starter = starter
        self.logs = logs
        self.processes = processes
        self.clock = clock

    def attach_check(self, ref: str, detach_keys: str = "") -> Container:
        """moby's ContainerAttach checks: the detach keys first, then the
        container."""
        detach_keys_bytes(detach_keys)
        container = self.records.resolve(ref)
        if container.state.status == "removing":
            raise Conflict(f"container {container.id} is being removed")
        if container.state.paused:
            raise Conflict(f"container {ref} is paused, unpause the container before attach")
        if container.state.status == "restarting":
            raise Conflict(f"container {ref} is restarting, wait until the container is running")
        return container

    async def attach(self, container: Container, *, stdin: bool, stdout: bool, stderr: bool,
                     logs: bool, stream: bool, conn, detach_keys: str = "",
                     multiplexed: bool = True) -> bool:
        """Copy the container's output to ``conn`` (multiplexed frames
        without a TTY, raw bytes with one or when not ``multiplexed``: moby's
        ``MuxStreams``, off for the websocket attach) and ``conn``'s input to
        the container's stdin, until the container exits, the client leaves,
        or (see `copy_streams`) the client's input ends.  True when the
        client detached with the detach keys."""
        self.events.container(container, "attach")
        hub = self.records.hub(container)
        wanted = {s for s, on in ((1, stdout), (2, stderr)) if on}
        listener = hub.listen(wanted) if stream else None
        cstdin = None
        if stdin and stream and container.config.get("OpenStdin"):
            cstdin = self.starter.stdin(container)
        stored = self.logs.stored(container, wanted) if logs else []

        raw = container.tty or not multiplexed

        def chunks(gone):
            return output_chunks(raw, stored, listener, False, self.clock.now, gone=gone)

        try:
            return await copy_streams(
                conn, chunks, cstdin, tty=container.tty,
                close_stdin=bool(container.config.get("StdinOnce")),
                detach_keys=detach_keys_bytes(detach_keys), poke=self.processes.poke)
        finally:
            if listener is not None:
                hub.unlisten(listener)
            await conn.close()


def detach_keys_bytes(keys: str) -> bytes:
    """The ``detachKeys`` of an attach as bytes (b"" for the default);
    moby's 400 when they do not parse."""
    if not keys:
        return b""
    try:
        return to_bytes(keys)
    except ValueError:
        raise InvalidParameter(f"Invalid detach keys ({keys}) provided") from None
