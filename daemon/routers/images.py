"""Image routes (moby's router/image).  Image names arrive in many forms
and may contain slashes (``docker.io/museopkim/kubia``), so the name
parameter matches greedily (protocol.md §1.5)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ..errors import InvalidParameter
from ..middleware import api_version
from ..streams.progress import JsonStream, pump
from ..support import partial, supported, version_less
from .params import qbool, read_body, spool_body
from .system import json_response

NAME = "{name:.+}"


def _platform(request: web.Request, since: str, single: bool = False) -> str:
    """The ``platform`` parameter as sent (a specifier, or JSON for push,
    save and load), or "" before API ``since``.  ``single``: more than one
    is a 400, as moby's save and load say."""
    if version_less(api_version(request), since):
        return ""
    values = request.query.getall("platform", [])
    if single and len(values) > 1:
        raise InvalidParameter("multiple platform parameters not supported")
    return values[0] if values else ""


def routes(backend: Any) -> list:
    async def create(request: web.Request) -> web.StreamResponse:
        if not request.query.get("fromImage"):  # docker import (moby: whenever fromImage is empty)
            q = request.query
            with await spool_body(request, backend.upload_file()) as data:
                status = backend.import_image(q.get("fromSrc", ""), q.get("repo", ""), q.get("tag", ""),
                                              q.get("message", ""), q.getall("changes", []), data,
                                              _platform(request, "1.32"))
            out = JsonStream(request)
            async with out:
                await out.write(status)
            return out.response
        ref = backend.pull_reference(request.query.get("fromImage", ""), request.query.get("tag", ""))
        out = JsonStream(request)
        async with out:
            await pump(backend.pull(ref, _platform(request, "1.32")), out)
        return out.response

    async def list_(request: web.Request) -> web.Response:
        version = api_version(request)
        rows = backend.list_images(all=qbool(request, "all"), filters=request.query.get("filters", ""),
                                   shared_size=not version_less(version, "1.42")
                                   and qbool(request, "shared-size"),
                                   legacy_filter=request.query.get("filter", "")
                                   if version_less(version, "1.41") else "")
        for row in rows:  # moby's router adapts the summaries to older clients
            if version_less(version, "1.43") and not row["RepoTags"] and not row["RepoDigests"]:
                row["RepoTags"], row["RepoDigests"] = ["<none>:<none>"], ["<none>@<none>"]
            if version_less(version, "1.44"):
                row["VirtualSize"] = row["Size"]
        return json_response(rows)

    async def push(request: web.Request) -> web.StreamResponse:
        registry_auth = request.headers.get("X-Registry-Auth", "")
        body = b"" if registry_auth else await read_body(request)
        job = backend.push_check(request.match_info["name"], request.query.get("tag", ""),
                                 registry_auth, body, _platform(request, "1.46"))
        out = JsonStream(request)
        async with out:
            await pump(backend.push(job), out)
        return out.response

    async def prune(request: web.Request) -> web.Response:
        return json_response(backend.prune_images(request.query.get("filters", "")))

    async def inspect(request: web.Request) -> web.Response:
        return json_response(backend.inspect_image(request.match_info["name"], api_version(request)))

    async def history(request: web.Request) -> web.Response:
        return json_response(backend.image_history(request.match_info["name"]))

    async def tag(request: web.Request) -> web.Response:
        backend.tag_image(request.match_info["name"], request.query.get("repo", ""),
                          request.query.get("tag", ""))
        return web.Response(status=201)

    async def delete(request: web.Request) -> web.Response:
        return json_response(backend.remove_image(request.match_info["name"],
                                                  force=qbool(request, "force"),
                                                  noprune=qbool(request, "noprune")))

    async def save_one(request: web.Request) -> web.Response:
        data = backend.save_images([request.match_info["name"]], _platform(request, "1.48", single=True))
        return web.Response(body=data, headers={"Content-Type": "application/x-tar"})

    async def save_many(request: web.Request) -> web.Response:
        data = backend.save_images(request.query.getall("names", []),
                                   _platform(request, "1.48", single=True))
        return web.Response(body=data, headers={"Content-Type": "application/x-tar"})

    async def load(request: web.Request) -> web.StreamResponse:
        platform = _platform(request, "1.48", single=True)
        quiet = qbool(request, "quiet") if "quiet" in request.query else True
        with await spool_body(request, backend.upload_file()) as data:
            messages = backend.load_images(data, quiet, platform)  # a bad platform: a status
            out = JsonStream(request)
            async with out:
                await out.prepare()  # moby reports every load error in-band
                await pump(messages, out)
            return out.response

    async def search(request: web.Request) -> web.Response:
        q = request.query
        results = backend.search_images(q.get("term", ""), q.get("limit", ""), q.get("filters", ""),
                                        request.headers.get("X-Registry-Auth", ""))
        if results is None:  # dockerd's handler returned without writing
            return web.Response(status=200)
        return json_response(results)

    return [
        partial("POST", "/images/create", create, "pull from the simulated Docker Hub; import (fromSrc=-) from the request body; a URL source fails: the simulated world has no network"),
        supported("GET", "/images/json", list_),
        partial("GET", "/images/search", search,
                "searches the simulated Docker Hub: the catalog's official images (description and "
                "stars as Hub shows them) and pushed repositories (no description, 0 stars); the "
                "term matches name or description, official first, then most stars; other "
                "registries are unreachable (dockerd's 400)"),
        supported("POST", "/images/prune", prune),
        partial("POST", f"/images/{NAME}/push", push,
                "to the simulated Docker Hub; other registries are unreachable"),
        supported("GET", f"/images/{NAME}/json", inspect),
        supported("GET", f"/images/{NAME}/history", history),
        supported("POST", f"/images/{NAME}/tag", tag),
        supported("DELETE", f"/images/{NAME}", delete),
        supported("GET", "/images/get", save_many),
        supported("GET", f"/images/{NAME}/get", save_one),
        supported("POST", "/images/load", load),
    ]
