"""Network routes (moby's router/network): parse, call the backend, encode."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ..errors import InvalidParameter
from ..support import partial, supported
from .params import body_json, check_flat_struct, check_for_json
from .system import json_response

_TRUE = {"1", "t", "T", "true", "TRUE", "True"}
_FALSE = {"0", "f", "F", "false", "FALSE", "False"}


def routes(backend: Any) -> list:
    async def list_(request: web.Request) -> web.Response:
        return json_response(backend.list_networks(request.query.get("filters", "")))

    async def inspect(request: web.Request) -> web.Response:
        verbose = request.query.get("verbose", "")
        if verbose and verbose not in _TRUE | _FALSE:  # strconv.ParseBool
            raise InvalidParameter(f'invalid value for verbose: {verbose}: strconv.ParseBool: '
                                   f'parsing "{verbose}": invalid syntax')
        return json_response(backend.inspect_network(request.match_info["id"],
                                                     verbose=verbose in _TRUE,
                                                     scope=request.query.get("scope", "")))

    async def create(request: web.Request) -> web.Response:
        check_for_json(request)
        body = await body_json(request, go_type="network.CreateRequest")
        body = check_flat_struct(body, "CreateRequest", {
            "Name": ("string", "string"), "Driver": ("string", "string"), "Scope": ("string", "string"),
            "Internal": ("bool", "bool"), "Attachable": ("bool", "bool"), "Ingress": ("bool", "bool"),
            "ConfigOnly": ("bool", "bool"), "EnableIPv4": ("bool", "bool"), "EnableIPv6": ("bool", "bool"),
            "CheckDuplicate": ("bool", "bool"), "ConfigFrom": ("object", "network.ConfigReference"),
            "IPAM": ("object", "network.IPAM"), "Options": ("object", "map[string]string"),
            "Labels": ("object", "map[string]string")})
        return json_response(backend.create_network(body), status=201)

    async def delete(request: web.Request) -> web.Response:
        backend.remove_network(request.match_info["id"])
        return web.Response(status=204)

    async def connect(request: web.Request) -> web.Response:
        check_for_json(request)
        body = await body_json(request, go_type="network.ConnectOptions")
        body = check_flat_struct(body, "ConnectOptions", {
            "Container": ("string", "string"), "EndpointConfig": ("object", "network.EndpointSettings")})
        await backend.connect_network(request.match_info["id"], body.get("Container") or "",
                                      body.get("EndpointConfig"))
        return web.Response(status=200)

    async def disconnect(request: web.Request) -> web.Response:
        check_for_json(request)
        body = await body_json(request, go_type="network.DisconnectOptions")
        body = check_flat_struct(body, "DisconnectOptions", {"Container": ("string", "string"),
                                                      "Force": ("bool", "bool")})
        await backend.disconnect_network(request.match_info["id"], body.get("Container") or "",
                                         bool(body.get("Force")))
        return web.Response(status=200)

    async def prune(request: web.Request) -> web.Response:
        return json_response(backend.prune_networks(request.query.get("filters", "")))

    return [
        supported("GET", "/networks", list_),
        supported("GET", "/networks/{id}", inspect),
        partial("POST", "/networks/create", create,
                "the bridge driver (IPv4, one subnet): --internal, enable_icc, bridge name, MTU, "
                "interface prefix, aux addresses, host_binding_ipv4 simulated; other drivers, IPv6, "
                "ingress, swarm scope, config-only refused; the rest answered in Warning "
                "(docs/network-options.md)"),
        supported("DELETE", "/networks/{id}", delete),
        supported("POST", "/networks/{id}/connect", connect),
        supported("POST", "/networks/{id}/disconnect", disconnect),
        supported("POST", "/networks/prune", prune),
    ]
