"""``GET /events`` (moby's router/system ``getEvents``).

The response is a ``200`` with ``Content-Type: application/json`` sent at
once (headers flushed before any event), then one JSON message per line
as Go's ``json.Encoder`` writes it, flushed each: first the logged
messages between ``since`` and ``until``, then, unless ``until`` is past,
each new message as it is emitted, until ``until`` comes or the client
leaves (its subscription is dropped then).  The backend encodes each
message (``stream.encode``) as Go's encoder does.
"""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import web

from ..middleware import api_version
from ..streams.progress import OutputStream
from ..support import supported

__all__ = ["routes"]


def routes(backend: Any) -> list:
    async def get_events(request: web.Request) -> web.StreamResponse:
        q = request.query
        stream = backend.subscribe_events(q.get("since", ""), q.get("until", ""),
                                          q.get("filters", ""), api_version(request))
        sub = stream.subscription
        out = OutputStream(request, content_type="application/json")
        gone = None
        try:
            if not await out.prepare():
                return out.response
            for msg in stream.buffered:
                if not await out.write_bytes(stream.encode(msg)):
                    return out.response
            if stream.past_only:
                return await out.finish()
            loop = asyncio.get_running_loop()
            end = None if stream.deadline is None else loop.time() + stream.deadline
            gone = asyncio.ensure_future(out.wait_disconnect())
            while True:
                while sub.queue:
                    if not await out.write_bytes(stream.encode(sub.queue.popleft())):
                        return out.response
                wait = asyncio.ensure_future(sub.next())
                timeout = None if end is None else max(0.0, end - loop.time())
                done, _ = await asyncio.wait({wait, gone}, timeout=timeout,
                                             return_when=asyncio.FIRST_COMPLETED)
                if wait not in done:
                    wait.cancel()
                    break  # until has come, or the client left
                if wait.result() is None:
                    break  # the daemon stops
                if not await out.write_bytes(stream.encode(wait.result())):
                    return out.response
        finally:
            sub.close()
            if gone is not None:
                gone.cancel()
        return await out.finish()

    return [supported("GET", "/events", get_events)]
