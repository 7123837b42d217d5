"""Process control routes (moby's router/container: postContainersPause,
postContainersUnpause, postContainerUpdate, getContainersStats)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ..middleware import api_version
from ..streams.progress import OutputStream
from ..support import partial, supported, version_less
from .params import body_json, check_for_json, qbool
from .system import json_response


def routes(backend: Any) -> list:
    async def pause(request: web.Request) -> web.Response:
        backend.pause_container(request.match_info["name"])
        return web.Response(status=204)

    async def unpause(request: web.Request) -> web.Response:
        backend.unpause_container(request.match_info["name"])
        return web.Response(status=204)

    async def update(request: web.Request) -> web.Response:
        check_for_json(request)
        body = dict(await body_json(request, {}, go_type="container.UpdateConfig") or {})
        if version_less(api_version(request), "1.40"):
            body.pop("PidsLimit", None)  # moby ignores it before API 1.40
        return json_response(backend.update_container(request.match_info["name"], body))

    async def stats(request: web.Request) -> web.StreamResponse:
        stream = qbool(request, "stream", True)
        # one-shot exists since API 1.41; older clients never get it.
        one_shot = qbool(request, "one-shot", False) and not version_less(api_version(request), "1.41")
        container = backend.stats_check(request.match_info["name"], stream, one_shot)
        # dockerd sets a type only without streaming (Go sniffs the rest).
        ctype = "text/plain; charset=utf-8" if stream else "application/json"
        out = OutputStream(request, content_type=ctype)
        await out.prepare()
        async for chunk in backend.stats(container, stream=stream, one_shot=one_shot):
            if not await out.write_bytes(chunk):
                break
        return await out.finish()

    return [
        supported("POST", "/containers/{name:.*}/pause", pause),
        supported("POST", "/containers/{name:.*}/unpause", unpause),
        partial("POST", "/containers/{name:.*}/update", update,
                "restart policy and cgroup figures: pids.max enforced, CPU quota and cpuset cap "
                "the CPU time, memory.max enforced by the OOM killer; Block I/O weights warned about"),
        partial("GET", "/containers/{name:.*}/stats", stats,
                "CPU from the kernel's accounting, memory from the tasks' pages, pids, network "
                "counters, block I/O: bytes written to the writable layer"),
    ]
