"""``POST /containers/{id}/wait``: headers now, body when the container exits.

The docker CLI's ``ContainerWait`` blocks until it sees the response headers,
*before* it sends ``start``; if the headers wait for the exit, ``docker run``
deadlocks (protocol.md section 3 step 5).  So: validate, send ``200
application/json`` at once (chunked), block, then write
``{"StatusCode": N}`` (``"Error"`` only when the wait failed) and end the body.

``docker run -d`` opens the wait and then drops the connection.  aiohttp does
not cancel the handler when that happens, so ``WaitResponse.run`` races the
wait against a disconnect watcher and cancels the wait when the client left.

Usage in a router::

    async def post_wait(request):
        waiter = backend.container_wait(name, condition)   # validates: 404 here
        async with WaitResponse(request) as wr:            # headers flushed
            result = await wr.run(waiter)                  # None if client left
            if result is not None:
                await wr.finish(wait_body(result.status_code, result.error))
        return wr.response
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any, Awaitable, Optional, TypeVar

from aiohttp import web

from ..errors import DockerError
from .progress import DISCONNECT_POLL, wait_disconnect

__all__ = ["WaitResponse", "wait_body", "DISCONNECT_POLL"]

log = logging.getLogger("dockersim.daemon.streams")

T = TypeVar("T")



def wait_body(status_code: int, error: "str | None" = None) -> dict[str, Any]:
    """The swagger ``ContainerWaitResponse``: ``{"StatusCode": n}``, plus
    ``"Error": {"Message": …}`` when the wait failed.  Like dockerd
    (``WaitResponse.Error`` is ``omitempty``), no ``"Error": null``."""
    body: dict[str, Any] = {"StatusCode": int(status_code)}
    if error is not None:
        body["Error"] = {"Message": error}
    return body


class WaitResponse:
    """A 200 ``application/json`` response whose headers are flushed at once
    and whose single JSON body is written later."""

    def __init__(self, request: web.BaseRequest) -> None:
        self.request = request
        self.response = web.StreamResponse(status=200, headers={"Content-Type": "application/json"})
        self._done = False
        self._closed = False

    async def start(self) -> "WaitResponse":
        """Send status line and headers now (chunked body follows)."""
        if not self.response.prepared:
            try:
                await self.response.prepare(self.request)  # StreamResponse sends headers at once
            except (OSError, RuntimeError):
                self._closed = True
        return self

    @property
    def client_gone(self) -> bool:
        """True once the client closed the connection (or a write failed)."""
        transport = self.request.transport
        return self._closed or transport is None or transport.is_closing()

    async def wait_disconnect(self) -> None:
        """Return when the client has gone away (polls the transport)."""
        await wait_disconnect(self.request, lambda: self._closed)

    async def run(self, awaitable: Awaitable[T]) -> Optional[T]:
        """Await *awaitable*, but give up (cancel it, return None) if the client leaves first."""
        task = asyncio.ensure_future(awaitable)
        watcher = asyncio.ensure_future(self.wait_disconnect())
        try:
            await asyncio.wait({task, watcher}, return_when=asyncio.FIRST_COMPLETED)
        except asyncio.CancelledError:
            task.cancel()
            raise
        finally:
            watcher.cancel()
        if task.done():
            return task.result()
        task.cancel()
        try:
            await task  # let it clean up before we return
        except asyncio.CancelledError:
            pass
        except Exception:  # noqa: BLE001 - nobody is left to report it to
            log.debug("abandoned wait on %s failed", self.request.path, exc_info=True)
        log.debug("wait abandoned by client on %s", self.request.path)
        return None

    async def finish(self, body: "dict[str, Any]") -> web.StreamResponse:
        """Write *body* as JSON plus ``\\n`` and end the response.  Quiet if the client left."""
        if self._done:
            return self.response
        self._done = True
        await self.start()
        if not self._closed:
            try:
                await self.response.write(json.dumps(body).encode() + b"\n")
                await self.response.write_eof()
            except (OSError, RuntimeError):
                self._closed = True
        return self.response

    async def __aenter__(self) -> "WaitResponse":
        return await self.start()

    async def __aexit__(self, exc_type: Any, exc: Optional[BaseException], tb: Any) -> bool:
        if exc is None:
            if not self._done:
                await self.finish(wait_body(-1, "wait ended without a result"))
            return False
        if not isinstance(exc, Exception):
            return False
        # Headers are out: report the failure in the body, as dockerd does.
        message = exc.message if isinstance(exc, DockerError) else (str(exc) or type(exc).__name__)
        if not isinstance(exc, DockerError):
            log.error("error while waiting on %s", self.request.path, exc_info=exc)
        await self.finish(wait_body(-1, message))
        return True
