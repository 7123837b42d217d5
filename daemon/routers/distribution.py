"""``GET /distribution/{name}/json`` (moby's router/distribution): the
descriptor and platforms of the manifest a name has on the registry,
asked of the simulated Docker Hub (nothing leaves the machine)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ..support import partial
from .system import json_response

NAME = "{name:.+}"


def routes(backend: Any) -> list:
    async def inspect(request: web.Request) -> web.Response:
        return json_response(backend.distribution_inspect(request.match_info["name"],
                                                          request.headers.get("X-Registry-Auth", "")))

    return [
        partial("GET", f"/distribution/{NAME}/json", inspect,
                "the simulated Docker Hub's manifest for the tag or digest (the digest docker pull "
                "prints); Platforms as moby's switch gives them: null for the catalog's OCI "
                "manifests, the config's platform for pushed (schema2) ones; other registries are "
                "unreachable"),
    ]
