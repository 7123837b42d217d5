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

from ..errors import InvalidParameter
from ..middleware import api_version
from ..streams.progress import JsonStream, pump
from ..support import partial, supported, version_less
from .params import go_atoi, spool_body
from .system import json_response


def _bytes_param(request: web.Request, name: str) -> int:
    """moby's ``parseBytesFromFormValue``: an integer, 0 when absent."""
    value = request.query.get(name, "")
    if value == "":
        return 0
    try:
        return go_atoi(value)
    except InvalidParameter as err:
        raise InvalidParameter(f"{name} is in bytes and expects an integer, got {value}: {err}") from None


def routes(backend: Any) -> list:
    async def build(request: web.Request) -> web.StreamResponse:
        with await spool_body(request, backend.upload_file()) as body:
            query = {key: request.query.getall(key) for key in request.query.keys()}
            out = JsonStream(request)
            async with out:
                await pump(backend.build(body, query, dict(request.headers), api_version(request)), out)
            return out.response

    async def prune(request: web.Request) -> web.Response:
        names = ("keep-storage",)  # before 1.48 the only one read
        if not version_less(api_version(request), "1.48"):
            names = ("reserved-space", "keep-storage", "max-used-space", "min-free-space")
        for name in names:
            _bytes_param(request, name)
        return json_response(backend.prune_build_cache(request.query.get("filters", "")))

    return [
        supported("POST", "/build/prune", prune),
        partial("POST", "/build", build,
                "classic builder (version=1): tar contexts, every Dockerfile instruction, "
                "the cache; remote contexts, BuildKit and squash are refused"),
    ]
