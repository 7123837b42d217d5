"""Volume routes (moby's router/volume): parse, call the backend, encode."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ..errors import Unavailable
from ..middleware import api_version
from ..support import partial, supported, version_less
from .params import body_json, check_for_json, qbool
from .system import json_response


def routes(backend: Any) -> list:
    async def list_(request: web.Request) -> web.Response:
        return json_response(backend.list_volumes(request.query.get("filters", "")))

    async def inspect(request: web.Request) -> web.Response:
        return json_response(backend.inspect_volume(request.match_info["name"]))

    async def create(request: web.Request) -> web.Response:
        check_for_json(request)
        body = await body_json(request, go_type="volume.CreateOptions")
        return json_response(backend.create_volume(body), status=201)

    async def delete(request: web.Request) -> web.Response:
        backend.remove_volume(request.match_info["name"], force=qbool(request, "force"))
        return web.Response(status=204)

    async def prune(request: web.Request) -> web.Response:
        # API 1.42 made prune take only anonymous volumes; older clients get all.
        return json_response(backend.prune_volumes(request.query.get("filters", ""),
                                                   all_volumes=version_less(api_version(request), "1.42")))

    async def update(request: web.Request) -> web.Response:
        # moby checks for a swarm manager before anything else: only cluster
        # volumes can be updated, and this daemon is in no swarm.
        raise Unavailable("volume update only valid for cluster volumes, but swarm is unavailable")

    return [
        supported("GET", "/volumes", list_),
        supported("PUT", "/volumes/{name}", update),
        partial("POST", "/volumes/create", create,
                "the local driver: plain, tmpfs and bind (o=bind) volumes; other drivers and "
                "mount types are refused"),
        supported("POST", "/volumes/prune", prune),
        supported("GET", "/volumes/{name}", inspect),
        supported("DELETE", "/volumes/{name}", delete),
    ]
