"""Build routes (moby's router/build): ``POST /build`` with the classic
builder.

The whole request body (the context tar; chunked from the CLI, with a
Content-Length from docker-py) is read before anything is written, as
dockerd buffers its output until the body is consumed: a chunk at a time
into a temporary file (`spool_body`), never whole in memory.  The response is a
JSON progress stream; errors found before its first message are ordinary
statuses, later ones in-band.  A client that leaves mid-build (the CLI
does on Ctrl-C) cancels it: the builder's generator is closed, which
stops the build and removes its containers.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ..middleware import api_version
from ..streams.progress import JsonStream, pump
from ..support import partial
from .params import spool_body


def routes(backend: Any) -> list:
    async def build(request: web.Request) -> web.StreamResponse:
        with await spool_body(request, backend.upload_file()) as body:
            query = {key: request.query.getall(key) for key in request.query.keys()}
            out = JsonStream(request)
            async with out:
                await pump(backend.build(body, query, dict(request.headers), api_version(request)), out)
            return out.response

    return [
        partial("POST", "/build", build,
                "classic builder (version=1): tar contexts, every Dockerfile instruction, "
                "the cache; remote contexts, BuildKit and squash are refused"),
    ]
