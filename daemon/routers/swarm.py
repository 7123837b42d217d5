"""Swarm routes (moby's router/swarm): ``/swarm``, ``/services``,
``/nodes``, ``/tasks``, ``/secrets``, ``/configs``.

dockersim's engine is never part of a swarm (``backend/cluster.py``):
these routes read their parameters and bodies as moby's handlers do, in
the same order, and then answer what dockerd answers on a node outside a
swarm (503 ``This node is not a swarm manager. Use "docker swarm init"
...``, or ``This node is not part of a swarm`` for leave).  ``swarm init``
and ``swarm join`` are refused with 501: a swarm is not simulated.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ..middleware import api_version
from ..support import partial, unsupported
from .params import body_json, check_for_json, qbool
from .system import json_response

#: moby's ``errNoManager`` situation, for the notes.
_NOTE = ("a node outside any swarm, as dockerd answers it: 503 `This node is not a swarm manager. "
         "Use \"docker swarm init\" ...`; swarm mode is not simulated")


def routes(backend: Any) -> list:
    async def body(request: web.Request, go_type: str) -> dict:
        check_for_json(request)
        return await body_json(request, go_type=go_type)

    async def init(request: web.Request) -> web.Response:
        return json_response(backend.swarm_init(await body(request, "swarm.InitRequest")))

    async def join(request: web.Request) -> web.Response:
        backend.swarm_join(await body(request, "swarm.JoinRequest"))
        return web.Response(status=200)

    async def leave(request: web.Request) -> web.Response:
        backend.swarm_leave(qbool(request, "force"))
        return web.Response(status=200)

    async def inspect(request: web.Request) -> web.Response:
        return json_response(backend.swarm_inspect())

    async def update(request: web.Request) -> web.Response:
        spec = await body(request, "swarm.Spec")
        rotations = {k: request.query.get(k, "")
                     for k in ("rotateWorkerToken", "rotateManagerToken", "rotateManagerUnlockKey")}
        backend.swarm_update(spec, request.query.get("version", ""), rotations)
        return web.Response(status=200)

    async def unlock_key(request: web.Request) -> web.Response:
        return json_response(backend.swarm_unlock_key())

    async def unlock(request: web.Request) -> web.Response:
        backend.swarm_unlock(await body(request, "swarm.UnlockRequest"))
        return web.Response(status=200)

    def object_routes(kind: str, spec_type: str, *, create: bool = True, update: bool = True,
                      remove: bool = True, logs: bool = False) -> list:
        async def list_(request: web.Request) -> web.Response:
            return json_response(backend.cluster_list(kind, request.query.get("filters", ""),
                                                      request.query.get("status", ""), api_version(request)))

        async def inspect_(request: web.Request) -> web.Response:
            return json_response(backend.cluster_inspect(kind, request.match_info["id"],
                                                         request.query.get("insertDefaults", "")))

        async def create_(request: web.Request) -> web.Response:
            spec = await body(request, spec_type)
            return json_response(backend.cluster_create(kind, spec, api_version(request)), status=201)

        async def update_(request: web.Request) -> web.Response:
            spec = await body(request, spec_type)
            return json_response(backend.cluster_update(kind, request.match_info["id"], spec,
                                                        request.query.get("version", "")))

        async def remove_(request: web.Request) -> web.Response:
            backend.cluster_remove(kind, request.match_info["id"], qbool(request, "force"))
            return web.Response(status=200)

        async def logs_(request: web.Request) -> web.Response:
            backend.cluster_logs(kind, request.match_info["id"], qbool(request, "stdout"),
                                 qbool(request, "stderr"))
            return web.Response(status=200)

        rows = [partial("GET", f"/{kind}", list_, _NOTE + "; `filters` is read first (`invalid filter`)"),
                partial("GET", f"/{kind}/{{id}}", inspect_, _NOTE)]
        if create:
            rows.append(partial("POST", f"/{kind}/create", create_,
                                _NOTE + f"; the body is read first as Go's decoder reads a {spec_type} "
                                "(the types of its top-level fields checked, nested specs not)"))
        if update:
            rows.append(partial("POST", f"/{kind}/{{id}}/update", update_,
                                _NOTE + "; the body and `version` are read first"))
        if remove:
            rows.append(partial("DELETE", f"/{kind}/{{id}}", remove_, _NOTE))
        if logs:
            rows.append(partial("GET", f"/{kind}/{{id}}/logs", logs_,
                                _NOTE + "; no stream chosen is a 400 first (moby: an untyped 500)"))
        return rows

    return [
        unsupported("POST", "/swarm/init", "swarm mode is not simulated: 501 in dockersim's words "
                    "(after the body is read as a swarm.InitRequest)", handler=init),
        unsupported("POST", "/swarm/join", "swarm mode is not simulated: 501 in dockersim's words "
                    "(after the body is read as a swarm.JoinRequest)", handler=join),
        partial("POST", "/swarm/leave", leave,
                "a node outside any swarm: 503 `This node is not part of a swarm`, as dockerd answers"),
        partial("GET", "/swarm", inspect, _NOTE),
        partial("GET", "/swarm/unlockkey", unlock_key, _NOTE),
        partial("POST", "/swarm/update", update, _NOTE + "; the body, `version` and the rotate flags "
                "are read first"),
        partial("POST", "/swarm/unlock", unlock, _NOTE + "; the body is read first"),
        *object_routes("services", "swarm.ServiceSpec", logs=True),
        *object_routes("nodes", "swarm.NodeSpec", create=False),
        *object_routes("tasks", "", create=False, update=False, remove=False, logs=True),
        *object_routes("secrets", "swarm.SecretSpec"),
        *object_routes("configs", "swarm.ConfigSpec"),
    ]
