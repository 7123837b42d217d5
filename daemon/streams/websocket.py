"""The websocket attach (``GET /containers/{id}/attach/ws``): the same
connection interface as `Hijacked` (``read``, ``write``, ``close``,
``closed``, ``wait_closed``), carried in websocket frames.

dockerd serves it with golang.org/x/net/websocket's ``Server`` and no
``Handshake`` function, which gives these rules (moby v28.2.2,
api/server/router/container/container_routes.go ``wsContainersAttach``):

- The handshake is x/net's hybi-13 one: ``Upgrade: websocket``,
  ``Connection`` containing ``upgrade``, a ``Sec-WebSocket-Key`` and
  ``Sec-WebSocket-Version: 13``; anything else is a 400 (`handshake_error`).
  ``Origin`` is not checked (only x/net's ``Handler`` checks it, and moby
  uses ``Server``), so any page or none may attach.  One requested
  sub-protocol is echoed back; several are refused.  No extensions
  (no permessage-deflate).
- Output goes out one frame per write, unmultiplexed (``MuxStreams:
  false``): stdout and stderr are the same socket.  Binary frames from API
  1.28, text frames (carrying the same raw bytes, unchecked) before.
- Input is the payload of every text, binary or continuation frame, as one
  byte stream; pings are answered; the client's close frame is the end of
  its input (moby's ``Conn.Read`` returns EOF and sends no close of its
  own), so the output may go on after it.
- ``close()`` sends a close frame with status 1000 and closes the
  connection (x/net's ``Conn.Close``, run when the attach ends).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Optional

from aiohttp import WSMsgType, web

from .hijack import ConnectionEnd

__all__ = ["WebSocketStream", "handshake_error"]

log = logging.getLogger("dockersim.daemon.websocket")

#: Stop reading frames while this much unread input is buffered.
STDIN_HIGH_WATER = 1 << 20
#: How long ``close()`` waits for the client's answering close frame (x/net
#: does not wait at all; a well-behaved client answers at once).
CLOSE_WAIT = 1.0


def handshake_error(request: web.BaseRequest) -> Optional[str]:
    """x/net/websocket's ``hybiServerHandshaker.ReadHandshake`` and
    ``AcceptHandshake`` refusals, in their words; None for a good handshake.
    (x/net answers these with a plain-text 400; we answer Docker's JSON
    error with the same words.)"""
    headers = request.headers
    if headers.get("Upgrade", "").lower() != "websocket" or \
            "upgrade" not in headers.get("Connection", "").lower():
        return "not websocket protocol"
    if not headers.get("Sec-WebSocket-Key", ""):
        return "mismatch challenge/response"
    if headers.get("Sec-WebSocket-Version", "") != "13":
        return "missing or bad WebSocket Version"
    if len(_protocols(request)) > 1:
        return "missing or bad WebSocket-Protocol"
    return None


def _protocols(request: web.BaseRequest) -> list:
    text = request.headers.get("Sec-WebSocket-Protocol", "").strip()
    return [p.strip() for p in text.split(",")] if text else []


class WebSocketStream(ConnectionEnd):
    """One websocket attach.  Create with ``await WebSocketStream.start(request,
    binary=...)`` once `handshake_error` passed; the handler returns
    ``response``.

    A reader task takes every frame off the socket (so pings are answered
    and a vanished client is noticed even when nobody reads the input) and
    buffers the payloads for ``read()``, up to `STDIN_HIGH_WATER`."""

    tty = True  # what `HijackedConn` readers ask: the output is never framed

    def __init__(self, request: web.BaseRequest, ws: web.WebSocketResponse, *, binary: bool) -> None:
        self.request = request
        self.response = ws
        self.opcode = WSMsgType.BINARY if binary else WSMsgType.TEXT
        self._buffer = bytearray()
        self._eof = False  # the client sends no more input (close frame, or gone)
        self._init_end()
        self._changed = asyncio.Event()
        self._write_lock = asyncio.Lock()
        self._reader: Optional[asyncio.Task] = None

    @classmethod
    async def start(cls, request: web.BaseRequest, *, binary: bool) -> "WebSocketStream":
        ws = web.WebSocketResponse(
            autoclose=False,  # the client's close ends its input, not our output
            autoping=True, compress=False, max_msg_size=0, decode_text=False,
            protocols=_protocols(request), timeout=CLOSE_WAIT)
        await ws.prepare(request)
        stream = cls(request, ws, binary=binary)
        stream._reader = asyncio.ensure_future(stream._read_frames())
        return stream

    # -- input --------------------------------------------------------------

    async def _read_frames(self) -> None:
        ws = self.response
        try:
            while True:
                while len(self._buffer) >= STDIN_HIGH_WATER:
                    self._changed.clear()
                    await self._changed.wait()
                msg = await ws.receive()
                if msg.type in (WSMsgType.BINARY, WSMsgType.TEXT):
                    data = msg.data.encode() if isinstance(msg.data, str) else msg.data
                    self._buffer += data
                    self._changed.set()
                    continue
                if msg.type in (WSMsgType.CLOSE, WSMsgType.CLOSING):
                    break  # end of input; the output may go on
                self._mark_closed()  # CLOSED / ERROR: the connection is gone
                break
        except (OSError, RuntimeError) as exc:
            log.debug("websocket read failed, client gone: %r", exc)
            self._mark_closed()
        finally:
            self._eof = True
            self._changed.set()

    async def read(self, max_bytes: int = -1) -> bytes:
        """Input bytes as they arrive; ``b""`` once the client's input ended."""
        while not self._buffer and not self._eof:
            self._changed.clear()
            await self._changed.wait()
        if max_bytes <= 0 or max_bytes >= len(self._buffer):
            data = bytes(self._buffer)
            self._buffer.clear()
        else:
            data = bytes(self._buffer[:max_bytes])
            del self._buffer[:max_bytes]
        self._changed.set()  # room again for the reader
        return data

    # -- output -------------------------------------------------------------

    async def write(self, data: bytes) -> bool:
        """One frame of *data*.  False (and ``closed``) once the client is gone."""
        if self.closed:
            return False
        if not data:
            return True
        async with self._write_lock:
            try:
                await self.response.send_frame(bytes(data), self.opcode)
            except (OSError, RuntimeError) as exc:  # ClientConnectionResetError is an OSError
                log.debug("websocket write failed, client gone: %r", exc)
                self._mark_closed()
                return False
        return True

    async def write_frame(self, stream: int, data: bytes) -> bool:
        """Unmultiplexed: stdout and stderr are the same frames."""
        return await self.write(data)

    # -- end ----------------------------------------------------------------

    async def close(self) -> None:
        """A close frame (1000) and the end of the connection."""
        if self._reader is not None and not self._reader.done():
            self._reader.cancel()
            try:
                await self._reader
            except asyncio.CancelledError:
                pass
        if not self.response.closed:
            try:
                await self.response.close()
            except (OSError, RuntimeError):
                pass
        self._drop()

    async def wait_closed(self) -> None:
        """Return once the connection is gone (not merely the client's input)."""
        if not self.closed:
            await self._closed_event.wait()
