"""``POST /auth`` (``docker login``; moby's system router postAuth).

The backend checks the credentials against the simulated hub (nothing
leaves the machine).  A ``null`` body crashes dockerd's handler (a nil
pointer): the connection is dropped without an answer, and so it is here.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ..support import supported
from .params import read_body
from .system import json_response


def routes(backend: Any) -> list:
    async def auth(request: web.Request) -> web.StreamResponse:
        body = await read_body(request)  # JSON: the 10 MiB limit of params.JSON_BODY_LIMIT
        try:
            answer = backend.login(body)
        except ConnectionAbortedError:
            if request.transport is not None:
                request.transport.abort()
            return web.Response(status=500)
        return json_response(answer)

    return [
        supported("POST", "/auth", auth,
                  "checks credentials against the simulated Docker Hub (an account is made at its "
                  "first login); other registries are unreachable"),
    ]
