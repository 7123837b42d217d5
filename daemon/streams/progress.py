"""Streaming responses: JSON progress (pull, push, build, load) and raw output (logs).

An ``OutputStream`` prepares its ``200`` response lazily, on the first write,
and flushes every write.  Until something has been flushed, a failure can
still become an ordinary HTTP error status; after that the status line is
gone, so errors must travel in-band -- for JSON progress as
``{"errorDetail": {"message": …}, "error": …}`` (moby's ``output.Flushed()``
check in ``postImagesCreate``).

Clients vanish mid-stream (the CLI closes the connection on any in-band error,
and on Ctrl-C); writes then return False and set ``closed`` instead of raising.

Usage in a router::

    async def post_images_create(request):
        async with JsonStream(request) as out:
            await pump(backend.pull(ref), out)   # messages: dicts or bytes
        return out.response

`pump` writes until the messages end or the client goes away (noticed
even while the backend is busy between two messages), and then closes the
backend's async generator, so what it holds (layer references, build
containers) is released at once.

Inside the ``async with``, a ``DockerError`` raised before the first write
propagates (-> 404/500 JSON by the middleware); raised after it, it is
written in-band and swallowed.  Any other exception after the first write is
logged with its traceback and reported in-band as well.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Callable, Optional

from aiohttp import web

from ..errors import DockerError
from ..wire import jsonmessage

__all__ = ["OutputStream", "JsonStream", "pump", "MULTIPLEXED_STREAM", "RAW_STREAM"]

log = logging.getLogger("dockersim.daemon.streams")

RAW_STREAM = "application/vnd.docker.raw-stream"
MULTIPLEXED_STREAM = "application/vnd.docker.multiplexed-stream"


#: How often a streaming handler checks whether its client is still there (seconds).
DISCONNECT_POLL = 0.2


async def wait_disconnect(request: web.BaseRequest, closed: Callable[[], bool] = lambda: False) -> None:
    """Return once the client of *request* has gone away (or ``closed()``
    says a write already failed).  aiohttp does not cancel handlers when a
    client leaves, so long-lived streams race their work against this."""
    while not (closed() or request.transport is None or request.transport.is_closing()):
        await asyncio.sleep(DISCONNECT_POLL)


class OutputStream:
    """A lazily prepared 200 response whose body is written piece by piece.

    ``content_type`` is sent exactly as given (no charset appended).
    Invariant: ``flushed`` is True iff the status line and headers were sent.
    """

    def __init__(self, request: web.BaseRequest, *, content_type: str = "application/octet-stream",
                 status: int = 200, headers: "dict[str, str] | None" = None) -> None:
        self.request = request
        all_headers = {"Content-Type": content_type}
        all_headers.update(headers or {})
        self._response = web.StreamResponse(status=status, headers=all_headers)
        self._closed = False
        self._finished = False

    @property
    def flushed(self) -> bool:
        """True once headers (and possibly data) went out: errors are in-band from now on."""
        return self._response.prepared

    @property
    def closed(self) -> bool:
        """True once a write failed because the client went away."""
        return self._closed

    async def wait_disconnect(self) -> None:
        """Return when the client has gone away."""
        await wait_disconnect(self.request, lambda: self._closed)

    @property
    def response(self) -> web.StreamResponse:
        """The response for the handler to return (prepared by ``finish``)."""
        return self._response

    async def prepare(self) -> bool:
        """Send the headers now (normally the first write does it)."""
        if self._closed:
            return False
        if not self._response.prepared:
            try:
                await self._response.prepare(self.request)
            except (OSError, RuntimeError) as exc:
                self._gone(exc)
                return False
        return True

    async def write_bytes(self, data: bytes) -> bool:
        """Write *data* and flush.  Returns False if the client is gone."""
        if not await self.prepare():
            return False
        if not data:
            return True
        try:
            await self._response.write(data)  # straight to the transport (drains when its buffer is full)
        except (OSError, RuntimeError) as exc:  # includes ClientConnectionResetError
            self._gone(exc)
            return False
        return True

    async def finish(self) -> web.StreamResponse:
        """Prepare if nothing was written, end the body, return the response."""
        if not self._finished:
            self._finished = True
            if await self.prepare():
                try:
                    await self._response.write_eof()
                except (OSError, RuntimeError) as exc:
                    self._gone(exc)
        return self._response

    def _gone(self, exc: BaseException) -> None:
        if not self._closed:
            log.debug("client went away during %s %s: %r", self.request.method, self.request.path, exc)
        self._closed = True

    async def __aenter__(self) -> "OutputStream":
        return self

    async def __aexit__(self, exc_type: Any, exc: Optional[BaseException], tb: Any) -> bool:
        if exc is None:
            await self.finish()
            return False
        if not self.flushed or not isinstance(exc, Exception):
            return False  # still time for an HTTP status (or cancellation)
        if isinstance(exc, DockerError):
            message = exc.message
        else:
            message = str(exc) or type(exc).__name__
            log.error("error in stream %s %s", self.request.method, self.request.path, exc_info=exc)
        await self.write_error(message)
        await self.finish()
        return True

    async def write_error(self, message: str) -> bool:
        """Report an error after the headers went out.  Plain streams have no
        in-band error format; the message is logged and the body just ends."""
        log.warning("stream %s %s ended by error: %s", self.request.method, self.request.path, message)
        return False


class JsonStream(OutputStream):
    """A ``200 application/json`` stream of JSON messages, one per write, each
    followed by ``\\r\\n`` and flushed."""

    def __init__(self, request: web.BaseRequest, *, headers: "dict[str, str] | None" = None) -> None:
        super().__init__(request, content_type="application/json", headers=headers)

    async def write(self, message: "dict[str, Any] | bytes") -> bool:
        """Write one message (a dict, or pre-encoded bytes).  False if the client is gone."""
        data = message if isinstance(message, (bytes, bytearray)) else jsonmessage.encode(message)
        return await self.write_bytes(bytes(data))

    async def write_error(self, message: str, code: "int | None" = None) -> bool:
        """Write ``{"errorDetail": {"message": …}, "error": …}``: the in-band
        error that ends the stream on the client side."""
        return await self.write(jsonmessage.error_message(message, code))

    async def fail(self, exc: BaseException) -> None:
        """Report *exc*: re-raise it if nothing was flushed yet (so it becomes
        an HTTP status), otherwise write it in-band."""
        if not self.flushed:
            raise exc
        await self.write_error(exc.message if isinstance(exc, DockerError) else str(exc))


async def pump(messages, out: JsonStream) -> None:
    """Write ``messages`` (an async iterator of dicts or bytes) to ``out``
    until it ends or the client goes away; then close the iterator."""
    it = messages.__aiter__()
    gone = asyncio.ensure_future(out.wait_disconnect())
    try:
        while True:
            nxt = asyncio.ensure_future(it.__anext__())
            await asyncio.wait({nxt, gone}, return_when=asyncio.FIRST_COMPLETED)
            if not nxt.done():
                nxt.cancel()
                try:
                    await nxt
                except (asyncio.CancelledError, StopAsyncIteration, Exception):
                    pass
                return
            try:
                message = nxt.result()
            except StopAsyncIteration:
                return
            if not await out.write(message):
                return
    finally:
        gone.cancel()
        await it.aclose()
