"""Copying between a process and a client: output chunks for attach,
exec and ``logs --follow``, and the client's input into a process's stdin.

Output is raw bytes with a TTY and stdcopy frames without one (the client
demultiplexes by the Tty it inspected).  Input is copied only while the
process's stdin pipe has room, so a large upload waits for the process as
it would on a real pipe.
"""

import asyncio

from ..wire.stdcopy import encode_frame
from .container import rfc3339


def encode(tty: bool, stream: int, data: bytes) -> bytes:
    return data if tty else encode_frame(stream, data)


async def pump_stdin(conn, stdin, close_at_eof: bool, poke) -> None:
    """Copy ``conn``'s input into ``stdin`` (an `InputStream`) until the
    client half-closes; then close ``stdin`` if ``close_at_eof``.
    ``poke()`` runs the machine after each write."""
    room = asyncio.Event()
    stdin.on_change(room.set)
    try:
        while True:
            while not stdin.has_room:
                room.clear()
                await room.wait()
            data = await conn.read()
            if not data:
                break
            stdin.write(data)
            poke()
        if close_at_eof:
            stdin.close()
            poke()
    finally:
        stdin.remove_listener(room.set)


async def output_chunks(tty: bool, stored, listener, timestamps: bool, now, gone=None):
    """Encoded output chunks: the stored json-file records first (as
    (stream, record) pairs), then live output from ``listener`` (if any)
    until the process stops, or until ``gone()`` (a coroutine function
    whose call ends when the client leaves) completes.  ``now()`` stamps
    live chunks that come without a timestamp."""
    for stream, rec in stored:
        data = rec.get("log", "").encode()
        if timestamps:
            data = rec.get("time", "").encode() + b" " + data
        yield encode(tty, stream, data)
    if listener is None:
        return
    watcher = asyncio.ensure_future(gone()) if gone is not None else None
    try:
        while True:
            getter = asyncio.ensure_future(listener.queue.get())
            waiting = {getter} if watcher is None else {getter, watcher}
            await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
            if not getter.done():
                getter.cancel()
                return  # the client left
            item = getter.result()
            listener.took()
            if item is None:
                return
            stream, data, stamp = item
            if timestamps:
                data = (stamp or rfc3339(now())).encode() + b" " + data
            yield encode(tty, stream, data)
    finally:
        if watcher is not None:
            watcher.cancel()
