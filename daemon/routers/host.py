"""``POST /dockersim/host/exec``: run a program on the simulated host
(dockersim's own route, for ``dockersim host COMMAND``)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ..errors import InvalidParameter
from ..support import supported
from ..wire import hostexec


def routes(backend: Any) -> list:
    async def host_exec(request: web.Request) -> web.Response:
        try:
            req = hostexec.decode_request(await request.read())
        except ValueError as exc:
            raise InvalidParameter(str(exc)) from None
        code, out, err = await backend.host_exec(req.cmd, req.stdin or b"")
        return web.Response(body=hostexec.encode_result(code, out, err),
                            headers={"Content-Type": "application/json"})

    return [supported("POST", hostexec.PATH, host_exec, "dockersim's own: run a program on the simulated host")]
