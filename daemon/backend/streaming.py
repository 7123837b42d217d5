"""Copying between a process and a client: output chunks for attach,
exec and ``logs --follow``, and the client's input into a process's stdin.

Output is raw bytes with a TTY and stdcopy frames without one (the client
demultiplexes by the Tty it inspected).  Input is copied only while the
process's stdin pipe has room, so a large upload waits for the process as
it would on a real pipe; on a TTY it passes through the detach-key filter
(detachkeys.py), and `copy_streams` says what the end of input means.
"""

import asyncio

from ..wire.stdcopy import encode_frame
from .container import rfc3339
from .detachkeys import EscapeProxy
from .logdrivers import details_prefix


def encode(tty: bool, stream: int, data: bytes) -> bytes:
    return data if tty else encode_frame(stream, data)


async def pump_stdin(conn, stdin, poke, escape=None) -> bool:
    """Copy ``conn``'s input into ``stdin`` (an `InputStream`) until the
    client half-closes (False) or, through ``escape`` (an `EscapeProxy`,
    TTY attaches only), types the detach keys (True).  ``poke()`` runs the
    machine after each write.  ``stdin`` is left open: what its end means
    is the caller's to decide (`copy_streams`)."""
    room = asyncio.Event()
    stdin.on_change(room.set)
    try:
        while True:
            while not stdin.has_room:
                room.clear()
                await room.wait()
            data = await conn.read()
            if not data:
                return False
            if escape is not None:
                data = escape.feed(data)
            if data:
                stdin.write(data)
                poke()
            if escape is not None and escape.detached:
                return True
    finally:
        stdin.remove_listener(room.set)


async def copy_streams(conn, chunks, stdin, *, tty: bool, close_stdin: bool, detach_keys: bytes,
                       poke) -> bool:
    """moby's ``CopyStreams``: the client's input into ``stdin`` (None when
    it sends none) and ``chunks(gone)`` (the `output_chunks` of this
    attach, ending when ``gone()`` completes) to the client, until the
    output ends.  Returns True when the client detached.

    When the client's input ends -- a half-close, or the detach keys on a
    TTY -- the process's stdin is closed if ``close_stdin`` (StdinOnce, or
    an exec) and there is no TTY, and the output goes on until the process
    ends it; otherwise the stdin stays open and this attach's output ends
    at once (the process goes on: a TTY shell after ctrl-p ctrl-q)."""
    input_over = asyncio.Event()
    detached = False

    async def pump():
        nonlocal detached
        escape = EscapeProxy(detach_keys) if tty else None
        detached = await pump_stdin(conn, stdin, poke, escape)
        if close_stdin and not tty and not detached:
            stdin.close()
            poke()
        else:
            input_over.set()

    async def gone():
        waits = {asyncio.ensure_future(conn.wait_closed()), asyncio.ensure_future(input_over.wait())}
        try:
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for w in waits:
                w.cancel()

    pumping = asyncio.ensure_future(pump()) if stdin is not None else None
    try:
        async for chunk in chunks(gone):
            if not await conn.write(chunk):
                break
    finally:
        if pumping is not None:
            if pumping.done() and not pumping.cancelled():
                pumping.result()  # an error in the copy is not swallowed
            pumping.cancel()
    return detached


async def output_chunks(tty: bool, stored, listener, timestamps: bool, now, gone=None,
                        details: bool = False, live_attrs: "dict | None" = None):
    """Encoded output chunks: the stored json-file records first (as
    (stream, record) pairs), then live output from ``listener`` (if any)
    until the process stops, or until ``gone()`` (a coroutine function
    whose call ends when the client leaves) completes.  ``now()`` stamps
    live chunks that come without a timestamp.  ``details``: each line
    after its record's attributes (``docker logs --details``; live ones
    carry ``live_attrs``, the run's)."""
    for stream, rec in stored:
        data = rec.get("log", "").encode()
        if details:
            data = details_prefix(rec.get("attrs")) + data
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
            if details:
                data = details_prefix(live_attrs) + data
            if timestamps:
                data = (stamp or rfc3339(now())).encode() + b" " + data
            yield encode(tty, stream, data)
    finally:
        if watcher is not None:
            watcher.cancel()
