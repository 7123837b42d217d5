"""Exec routes (moby's router/container exec handlers)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ..middleware import api_version
from ..streams.hijack import Hijacked
from ..support import supported, version_less
from ..errors import InvalidParameter
from .params import _kind, body_json, check_flat_struct, check_for_json
from .system import json_response


def routes(backend: Any) -> list:
    async def create(request: web.Request) -> web.Response:
        check_for_json(request)
        body = await body_json(request, go_type="container.ExecOptions")
        if version_less(api_version(request), "1.42"):
            body.pop("ConsoleSize", None)  # moby ignores it before API 1.42
        return json_response(backend.exec_create(request.match_info["name"], body), status=201)

    async def start(request: web.Request) -> web.StreamResponse:
        check_for_json(request)
        body = await body_json(request, go_type="container.ExecStartOptions")
        body = check_flat_struct(body, "ExecStartOptions", {"Detach": ("bool", "bool"), "Tty": ("bool", "bool")})
        if body.get("ConsoleSize") is not None and not (
                isinstance(body["ConsoleSize"], list)
                and all(isinstance(n, int) and not isinstance(n, bool) and 0 <= n < 1 << 64
                        for n in body["ConsoleSize"])):
            raise InvalidParameter("invalid JSON: json: cannot unmarshal "
                                   f"{_kind(body['ConsoleSize'])} into Go struct field "
                                   "ExecStartOptions.ConsoleSize of type [2]uint")
        exe = backend.exec_start_check(request.match_info["id"])
        tty = bool(body.get("Tty"))
        size = body.get("ConsoleSize") if tty and not version_less(api_version(request), "1.42") else None
        if body.get("Detach"):
            await backend.exec_start(exe, detach=True, conn=None, tty=tty, console_size=size)
            return json_response({})
        conn = await Hijacked.start(request, tty=tty)  # moby frames by the start's Tty
        await backend.exec_start(exe, detach=False, conn=conn, tty=tty, console_size=size)
        return conn.response

    async def inspect(request: web.Request) -> web.Response:
        return json_response(backend.exec_inspect(request.match_info["id"]))

    async def resize(request: web.Request) -> web.Response:
        await backend.exec_resize(request.match_info["id"], request.query.get("h", ""),
                                 request.query.get("w", ""))
        return web.Response(status=200, content_type="text/plain")

    return [
        supported("POST", "/containers/{name:.*}/exec", create),
        supported("POST", "/exec/{id}/start", start),
        supported("GET", "/exec/{id}/json", inspect),
        supported("POST", "/exec/{id}/resize", resize),
    ]
