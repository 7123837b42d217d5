"""Hijacked connections for attach and exec start (``101 UPGRADED``).

Docker's attach and exec-start take over the HTTP connection: the server
answers ``HTTP/1.1 101 UPGRADED`` (``Connection: Upgrade``, ``Upgrade: tcp``)
and from then on the socket carries raw bytes both ways -- stdin from the
client, and output to it (8-byte stdcopy frames without a TTY, raw bytes with
one).  A client that sent no ``Upgrade`` header gets ``200`` with the same
content type and the same raw stream.  See protocol.md sections 1.7 and 10.

How this is done on aiohttp 3.14.5 (pinned; these are internals):

- The response is a ``StreamResponse`` with status 101 (or 200 with body
  length checks off), so aiohttp adds no chunking or length framing and
  ``write`` puts bytes on the socket verbatim.
- ``request.protocol.set_parser(sink)`` makes aiohttp hand every later byte
  the client sends to our sink, which queues them as stdin.  (aiohttp's
  pure-Python parser treats ``Upgrade: tcp`` as an upgrade and replays bytes
  that came in the same packet as the request; its C parser, the default,
  only upgrades for websockets and *drops* such bytes.  Real clients send
  nothing before they have read the 101, so this does not matter in practice.)
- The docker CLI half-closes its side (``shutdown(SHUT_WR)``) right after the
  101, or after copying stdin.  aiohttp's ``RequestHandler.eof_received``
  returns None, so asyncio would then close the whole transport and the
  output would be lost.  ``RequestHandler`` has ``__slots__``, so we wrap the
  method on the class, once, at import: for a connection whose parser is our
  sink it records stdin EOF and returns True (keep the write side open); an
  ``Upgrade`` request not yet hijacked gets a half-closed sink to adopt;
  every other connection is closed as before (see ``install_eof_patch``).
- docker-py reads the hijacked socket through http.client's buffered reader
  and loses bytes that arrive together with the 101 headers, so the first
  output byte waits until ``first_write_delay`` (50 ms) after the 101.
- Writes after the client has gone are swallowed; ``closed`` turns True and
  ``wait_closed()`` returns, so the backend can stop producing.  A client
  that closes its socket entirely first looks exactly like a half-close
  (stdin EOF); the server only learns it is gone when a later write fails.

Simplest usage from a router: validate first (errors become plain HTTP
statuses), then ``conn = await Hijacked.start(request, tty=...)``, hand
``conn`` to the backend, ``return conn.response``.  Read the request body
before hijacking.  Or defer the decision to the backend (moby's
``GetStreams``)::

    async def post_attach(request):
        setup = stream_setup(request)              # nothing sent yet
        await backend.container_attach(name, options, setup)
        return setup.response                      # the 101, already sent

and in the backend::

    hj = await setup(tty=container.tty)            # sends the 101
    await hj.write_frame(1, b"hello\\n")            # stdout frame (raw if tty)
    data = await hj.read()                         # stdin bytes; b"" at EOF
    await hj.close()                               # end of stream
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Optional

from aiohttp import web, web_protocol

from ..wire.stdcopy import encode_frame

__all__ = [
    "RAW_STREAM",
    "MULTIPLEXED_STREAM",
    "Hijacked",
    "StreamSetup",
    "stream_setup",
    "install_eof_patch",
]

log = logging.getLogger("dockersim.daemon.hijack")

RAW_STREAM = "application/vnd.docker.raw-stream"
MULTIPLEXED_STREAM = "application/vnd.docker.multiplexed-stream"

#: Pause between the 101 and the first output byte (docker-py race, section 9).
FIRST_WRITE_DELAY = 0.05
#: Stop reading from the client when this much unread stdin is buffered.
STDIN_HIGH_WATER = 1 << 20


class _StdinSink:
    """The "payload parser" aiohttp feeds with the client's bytes after a hijack.

    aiohttp calls ``feed_data(data) -> (eof, tail)`` for incoming bytes and
    ``feed_eof()`` when the connection is lost; our ``eof_received`` wrapper
    calls ``half_close()`` when the client shuts down its write side.

    Invariant: once ``eof`` is True no more data is appended.
    """

    def __init__(self, transport: Any = None) -> None:
        self.buffer = bytearray()  # stdin not yet read by the backend
        self.eof = False  # the client will send no more bytes
        self.lost = False  # the connection is gone entirely
        self.transport = transport  # for pausing reads when the buffer is full
        self._paused = False
        self._wakeup: Optional[asyncio.Event] = None
        self._lost_event: Optional[asyncio.Event] = None

    # -- called by aiohttp / asyncio ------------------------------------------

    def feed_data(self, data: bytes) -> tuple[bool, bytes]:
        if data and not self.eof:
            self.buffer += data
            self._wake()
            if len(self.buffer) >= STDIN_HIGH_WATER and self.transport is not None and not self._paused:
                try:
                    self.transport.pause_reading()
                    self._paused = True
                except (RuntimeError, AttributeError):  # closing transport
                    pass
        return False, b""

    def feed_eof(self) -> None:
        """aiohttp: the connection was lost (full close, reset, or our own close)."""
        self.eof = True
        self.lost = True
        self._wake()
        if self._lost_event is not None:
            self._lost_event.set()

    def half_close(self) -> None:
        """The client shut down its write side: stdin EOF, output continues."""
        self.eof = True
        self._wake()

    # -- called by Hijacked -----------------------------------------------------

    def _wake(self) -> None:
        if self._wakeup is not None:
            self._wakeup.set()

    async def read(self, max_bytes: int) -> bytes:
        while not self.buffer and not self.eof:
            if self._wakeup is None:
                self._wakeup = asyncio.Event()
            self._wakeup.clear()
            await self._wakeup.wait()
        if not self.buffer:
            return b""
        if max_bytes <= 0 or max_bytes >= len(self.buffer):
            data = bytes(self.buffer)
            self.buffer.clear()
        else:
            data = bytes(self.buffer[:max_bytes])
            del self.buffer[:max_bytes]
        if self._paused and len(self.buffer) < STDIN_HIGH_WATER // 2 and self.transport is not None:
            self._paused = False
            try:
                self.transport.resume_reading()
            except (RuntimeError, AttributeError):
                pass
        return data

    async def wait_lost(self) -> None:
        if self.lost:
            return
        if self._lost_event is None:
            self._lost_event = asyncio.Event()
        await self._lost_event.wait()


class _RawStreamResponse(web.StreamResponse):
    """A response whose body is written verbatim: aiohttp's length checks
    (which would turn a 200 without Content-Length into chunked encoding) are
    off, as they are for websockets."""

    _length_check = False


class ConnectionEnd:
    """Whether an attach connection is over, as both transports (this
    hijacked one and the websocket's) keep it: `_mark_closed` when our
    side ends it or the client is seen gone; ``closed`` also notices a
    transport that is closing, or what `_lost` reports."""

    request: web.BaseRequest

    def _init_end(self) -> None:
        self._closed = False
        self._closed_event = asyncio.Event()

    def _mark_closed(self) -> None:
        self._closed = True
        self._closed_event.set()

    def _drop(self) -> None:
        """Close the connection itself (as dockerd does when an attach ends)."""
        transport = self.request.transport
        if transport is not None:
            transport.close()
        self._mark_closed()

    def _lost(self) -> bool:
        return False

    @property
    def closed(self) -> bool:
        """True once the stream ended (our ``close()``, or the client left)."""
        if not self._closed:
            transport = self.request.transport
            if self._lost() or transport is None or transport.is_closing():
                self._mark_closed()
        return self._closed


class Hijacked(ConnectionEnd):
    """One hijacked attach/exec connection.  Create with ``await Hijacked.start(request, tty=...)``.

    - ``read()``: next stdin bytes, ``b""`` once the client half-closed or left;
    - ``write(data)`` / ``write_frame(stream, data)``: output; return False
      (and set ``closed``) when the client is gone, never raise for that;
    - ``close()``: end the stream (closes the connection, as dockerd does);
    - ``closed``, ``wait_closed()``: whether / when the connection is over.

    ``multiplexed`` is True without a TTY: ``write_frame`` then wraps data in
    stdcopy frames; with a TTY it writes raw bytes and ignores the stream.
    """

    def __init__(self, request: web.BaseRequest, response: web.StreamResponse, sink: _StdinSink, *,
                 tty: bool, upgraded: bool, first_write_delay: float) -> None:
        self.request = request
        self.response = response  # the prepared 101 (or 200); the handler returns it
        self.tty = tty
        self.upgraded = upgraded  # False: the 200 form (client sent no Upgrade)
        self._sink = sink
        self._init_end()
        loop = asyncio.get_running_loop()
        self._first_write_at: Optional[float] = loop.time() + first_write_delay if first_write_delay > 0 else None
        self._write_lock = asyncio.Lock()

    @property
    def multiplexed(self) -> bool:
        """True when output must be framed (no TTY)."""
        return not self.tty

    @property
    def content_type(self) -> str:
        return RAW_STREAM if self.tty else MULTIPLEXED_STREAM

    @classmethod
    async def start(cls, request: web.BaseRequest, *, tty: bool, first_write_delay: float = FIRST_WRITE_DELAY) -> "Hijacked":
        """Take over *request*'s connection and send the 101 (or 200) headers.

        Read the request body (``await request.read()`` / ``json()``) before
        calling this; afterwards every incoming byte is stdin.
        """
        install_eof_patch()
        content_type = RAW_STREAM if tty else MULTIPLEXED_STREAM
        upgraded = "upgrade" in request.headers.get("Connection", "").lower() and bool(request.headers.get("Upgrade"))
        if upgraded:
            response: web.StreamResponse = _RawStreamResponse(
                status=101,
                reason="UPGRADED",
                headers={"Content-Type": content_type, "Connection": "Upgrade", "Upgrade": "tcp"},
            )
        else:
            response = _RawStreamResponse(status=200, headers={"Content-Type": content_type})
        response.force_close()

        protocol = request.protocol
        existing = getattr(protocol, "_payload_parser", None)
        if isinstance(existing, _StdinSink):  # the client half-closed before we got here
            sink = existing
            sink.transport = request.transport
        else:
            sink = _StdinSink(request.transport)
            protocol.set_parser(sink)  # also replays bytes that came after the request
        hijacked = cls(request, response, sink, tty=tty, upgraded=upgraded, first_write_delay=first_write_delay)
        try:
            await response.prepare(request)
        except OSError:
            hijacked._mark_closed()
        if request.transport is None or request.transport.is_closing():
            hijacked._mark_closed()
        return hijacked

    # -- input --------------------------------------------------------------

    async def read(self, max_bytes: int = -1) -> bytes:
        """Stdin bytes as they arrive (all buffered bytes by default, at most
        *max_bytes* otherwise); ``b""`` once the client half-closed or left."""
        return await self._sink.read(max_bytes)

    @property
    def stdin_eof(self) -> bool:
        """The client will send no more stdin (half-close or disconnect)."""
        return self._sink.eof and not self._sink.buffer

    # -- output -------------------------------------------------------------

    async def write(self, data: bytes) -> bool:
        """Send *data* verbatim.  Returns False (and marks ``closed``) if the
        client is gone; never raises for a vanished client."""
        if self._closed:
            return False
        if not data:
            return True
        async with self._write_lock:
            if self._first_write_at is not None:
                delay = self._first_write_at - asyncio.get_running_loop().time()
                self._first_write_at = None
                if delay > 0:
                    await asyncio.sleep(delay)
            if self._closed:
                return False
            try:
                await self.response.write(bytes(data))
            except (OSError, RuntimeError) as exc:  # ClientConnectionResetError is an OSError
                log.debug("hijacked write failed, client gone: %r", exc)
                self._mark_closed()
                return False
        return True

    async def write_frame(self, stream: int, data: bytes) -> bool:
        """Send *data* for *stream* (1 stdout, 2 stderr): a stdcopy frame
        without a TTY, raw bytes with one."""
        if self.tty:
            return await self.write(data)
        return await self.write(encode_frame(stream, data))

    async def write_stdout(self, data: bytes) -> bool:
        return await self.write_frame(1, data)

    async def write_stderr(self, data: bytes) -> bool:
        return await self.write_frame(2, data)

    # -- end of stream ------------------------------------------------------

    async def close(self) -> None:
        """End the stream: flush what was written and close the connection."""
        if self._closed:
            return
        try:
            await self.response.write_eof()
        except (OSError, RuntimeError):
            pass
        self._drop()

    def _lost(self) -> bool:
        return self._sink.lost

    async def wait_closed(self) -> None:
        """Return once the connection is over, whoever ended it."""
        if self.closed:
            return
        lost = asyncio.ensure_future(self._sink.wait_lost())
        ended = asyncio.ensure_future(self._closed_event.wait())
        try:
            await asyncio.wait({lost, ended}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            lost.cancel()
            ended.cancel()
        self._mark_closed()


class StreamSetup:
    """A deferred hijack for one request (moby's ``GetStreams`` closure).

    The router creates it and hands it to the backend; the backend calls
    ``await setup(tty=...)`` once the container/exec is validated.  Until
    then nothing is sent, so a ``NotFound`` still becomes a plain 404.
    Calling it twice returns the same ``Hijacked``.
    """

    def __init__(self, request: web.BaseRequest, *, first_write_delay: float = FIRST_WRITE_DELAY) -> None:
        self.request = request
        self.first_write_delay = first_write_delay
        self.hijacked: Optional[Hijacked] = None

    async def __call__(self, *, tty: bool) -> Hijacked:
        if self.hijacked is None:
            self.hijacked = await Hijacked.start(self.request, tty=tty, first_write_delay=self.first_write_delay)
        return self.hijacked

    @property
    def started(self) -> bool:
        return self.hijacked is not None

    @property
    def response(self) -> web.StreamResponse:
        """What the handler returns.  Raises if the backend never opened the
        stream (the handler should return its own response then)."""
        if self.hijacked is None:
            raise RuntimeError("stream was never set up")
        return self.hijacked.response


def stream_setup(request: web.BaseRequest, *, first_write_delay: float = FIRST_WRITE_DELAY) -> StreamSetup:
    """Shorthand for ``StreamSetup(request)``."""
    return StreamSetup(request, first_write_delay=first_write_delay)


# -- the half-close fix ----------------------------------------------------------

_PATCH_MARK = "_dockersim_hijack_patch"


def _request_pending(protocol: web_protocol.RequestHandler) -> "tuple[bool, bool]":
    """``(pending, upgrade)``: is *protocol* handling (or has it queued) a
    request, and does one of those requests carry an ``Upgrade`` header?"""
    messages: list[Any] = []
    current = getattr(protocol, "_current_request", None)
    if current is not None:
        messages.append(current)
    for message, _payload in getattr(protocol, "_messages", ()) or ():
        messages.append(message)
    pending = bool(messages) or bool(getattr(protocol, "_request_in_progress", False))
    upgrade = getattr(protocol, "_upgraded", False) or any(
        bool(getattr(m, "headers", {}).get("Upgrade")) for m in messages
    )
    return pending, upgrade


#: Event-loop turns to let pass before deciding what an EOF means: aiohttp
#: creates the handler task for a just-parsed request one turn later.
_SETTLE_TURNS = 2


def _settle_eof(protocol: web_protocol.RequestHandler, original: Any, turns: int) -> None:
    """Decide, slightly after the fact, what the client's EOF means."""
    transport = protocol.transport
    if transport is None:
        return  # already gone
    if turns > 0:
        asyncio.get_running_loop().call_soon(_settle_eof, protocol, original, turns - 1)
        return
    parser = getattr(protocol, "_payload_parser", None)
    if isinstance(parser, _StdinSink):
        parser.half_close()
        return
    pending, upgrade = _request_pending(protocol)
    if pending and upgrade and parser is None:
        sink = _StdinSink(transport)
        sink.half_close()
        protocol.set_parser(sink)  # Hijacked.start adopts it
        protocol.close()  # no further requests can come; close after the response
        return
    if not original(protocol):  # what asyncio would have done
        transport.close()


def install_eof_patch() -> None:
    """Wrap ``RequestHandler.eof_received`` so a client's half-close does not
    kill responses still owed to it.  Idempotent; done at import time.

    - hijacked connection (our sink is the parser): stdin EOF, keep writing;
    - otherwise the decision waits a couple of loop turns (aiohttp starts the
      handler for a just-parsed request one turn later), then: if an
      ``Upgrade`` request is being handled or queued, a half-closed sink is
      installed for ``Hijacked.start`` to adopt and the write side stays open.
      (aiohttp's pure-Python parser flags ``Upgrade: tcp`` requests as
      upgraded; its C parser, the default, only knows websockets, so the
      headers are checked directly.)  Any other connection is closed, as
      aiohttp would have done: like Go's net/http in dockerd, EOF on an
      ordinary request means the client is gone (a dropped ``/wait`` must be
      noticed).
    - a connection with some other payload parser (websockets): unchanged.
    """
    current = web_protocol.RequestHandler.eof_received
    if getattr(current, _PATCH_MARK, False):
        return
    original = current

    def eof_received(self: web_protocol.RequestHandler) -> Optional[bool]:
        parser = getattr(self, "_payload_parser", None)
        if isinstance(parser, _StdinSink):
            parser.half_close()
            return True  # keep the transport open for output
        if parser is not None or self.transport is None:
            return original(self)
        asyncio.get_running_loop().call_soon(_settle_eof, self, original, _SETTLE_TURNS)
        return True  # asyncio stops reading; _settle_eof closes if nothing is owed

    setattr(eof_received, _PATCH_MARK, True)
    eof_received.__wrapped__ = original  # type: ignore[attr-defined]
    web_protocol.RequestHandler.eof_received = eof_received  # type: ignore[method-assign]


install_eof_patch()
