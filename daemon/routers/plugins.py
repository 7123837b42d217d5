"""Plugin routes (moby's router/plugin): ``docker plugin ls``, inspect,
rm, enable, disable, set, push, install (privileges + pull), upgrade,
create.  No plugin is ever installed (``backend/plugins.py``): the
routes read their parameters as moby's handlers do, then answer what
dockerd answers for an empty plugin store."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ..errors import InvalidParameter
from .params import check_for_json, decode_json, qbool, read_body
from .system import json_response

from ..support import partial, supported, unsupported

NAME = "{name:.*}"
_NOT_FOUND = "no plugin is ever installed: moby's `plugin \"x\" not found` (404)"


async def _json_list(request: web.Request, go_type: str, elements: "type | None" = None) -> list:
    """moby's ``ReadJSON`` into a Go slice (``types.PluginPrivileges``,
    ``[]string``): an empty body is an empty slice."""
    check_for_json(request)
    raw = await read_body(request)
    if not raw.strip():
        return []
    value = decode_json(raw, go_type, want=list) or []
    if elements is not None:
        for item in value:
            if item is not None and not isinstance(item, elements):
                kind = {list: "array", dict: "object", bool: "bool"}.get(type(item), "number")
                raise InvalidParameter(f"invalid JSON: json: cannot unmarshal {kind} into Go value of type "
                                       f"{go_type.removeprefix('[]')}")
    return value


def routes(backend: Any) -> list:
    async def list_(request: web.Request) -> web.Response:
        return json_response(backend.plugin_list(request.query.get("filters", "")))

    async def inspect(request: web.Request) -> web.Response:
        return json_response(backend.plugin_inspect(request.match_info["name"]))

    async def remove(request: web.Request) -> web.Response:
        backend.plugin_remove(request.match_info["name"], qbool(request, "force"))
        return web.Response(status=200)

    async def enable(request: web.Request) -> web.Response:
        backend.plugin_enable(request.match_info["name"], request.query.get("timeout", ""))
        return web.Response(status=200)

    async def disable(request: web.Request) -> web.Response:
        backend.plugin_disable(request.match_info["name"], qbool(request, "force"))
        return web.Response(status=200)

    async def set_(request: web.Request) -> web.Response:
        args = await _json_list(request, "[]string", str)
        backend.plugin_set(request.match_info["name"], args)
        return web.Response(status=204)

    async def push(request: web.Request) -> web.Response:
        backend.plugin_push(request.match_info["name"])
        return web.Response(status=200)

    async def privileges(request: web.Request) -> web.Response:
        return json_response(backend.plugin_privileges(request.query.get("remote", "")))

    async def pull(request: web.Request) -> web.Response:
        granted = await _json_list(request, "types.PluginPrivileges", dict)
        name = backend.plugin_pull(request.query.get("remote", ""), request.query.get("name", ""), granted)
        return web.Response(status=200, headers={"Docker-Plugin-Name": name})

    async def upgrade(request: web.Request) -> web.Response:
        granted = await _json_list(request, "types.PluginPrivileges", dict)
        backend.plugin_upgrade(request.match_info["name"], request.query.get("remote", ""), granted)
        return web.Response(status=200)

    async def create(request: web.Request) -> web.Response:
        backend.plugin_create(request.query.get("name", ""))
        return web.Response(status=204)

    return [
        supported("GET", "/plugins", list_,
                  "always `[]`: no plugin can be installed; `filters` checked as moby's Manager.List "
                  "(`enabled`, `capability`)"),
        partial("GET", "/plugins/privileges", privileges,
                "`[]`, as moby answers when the fetch fails (it swallows the error); the remote is "
                "parsed first"),
        partial("POST", "/plugins/pull", pull,
                "the simulated Docker Hub holds no plugin: dockerd's `error resolving plugin reference: "
                "pull access denied, ... insufficient_scope: authorization failed` (moby's 500); other "
                "registries do not exist in the simulated world"),
        partial("GET", f"/plugins/{NAME}/json", inspect, _NOT_FOUND),
        partial("DELETE", f"/plugins/{NAME}", remove, _NOT_FOUND),
        partial("POST", f"/plugins/{NAME}/enable", enable,
                _NOT_FOUND + "; `timeout` read with strconv.Atoi first (400)"),
        partial("POST", f"/plugins/{NAME}/disable", disable, _NOT_FOUND),
        partial("POST", f"/plugins/{NAME}/upgrade", upgrade,
                _NOT_FOUND + "; the privileges body and the remote are read first"),
        unsupported("POST", "/plugins/create",
                    "plugins are not simulated: after the name is checked as moby checks it, 501 in "
                    "dockersim's words", handler=create),
        partial("POST", f"/plugins/{NAME}/push", push, _NOT_FOUND),
        partial("POST", f"/plugins/{NAME}/set", set_, _NOT_FOUND + "; the `[]string` body is read first"),
    ]
