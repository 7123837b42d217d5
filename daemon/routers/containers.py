"""Container routes (moby's router/container): parse, call the backend,
encode.  The hijacked attach lives here too, as it is a container verb."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ..errors import InvalidParameter
from ..streams.hijack import Hijacked
from ..streams.progress import OutputStream
from ..streams.websocket import WebSocketStream, handshake_error
from ..streams.wait import WaitResponse, wait_body
from ..middleware import api_version
from ..support import partial, supported, version_less
from .params import body_json, check_for_json, decode_json, qbool, qint, qtime, read_body, spool_body, stop_timeout
from .system import json_response

RAW = "application/vnd.docker.raw-stream"
STAT_HEADER = "X-Docker-Container-Path-Stat"
MUX = "application/vnd.docker.multiplexed-stream"


def _field(obj: Any, name: str) -> Any:
    """A JSON object's value for the Go field ``name``: the key of that
    name, else one that matches it in another case (encoding/json)."""
    if not isinstance(obj, dict):
        return None
    if name in obj:
        return obj[name]
    return next((v for k, v in obj.items() if k.lower() == name.lower()), None)


def _mounts(body: Any) -> list:
    """A create body's HostConfig.Mounts entries (a body of the wrong
    shape is the backend's to refuse)."""
    mounts = _field(_field(body, "HostConfig"), "Mounts")
    return [m for m in mounts if isinstance(m, dict)] if isinstance(mounts, list) else []


def _image_mounts(body: Any) -> bool:
    """Whether a create body asks for an image mount."""
    return any(_field(m, "Type") == "image" for m in _mounts(body))


def _volume_subpaths(body: Any) -> bool:
    """Whether a create body sets a VolumeOptions.Subpath (whatever the
    mount's type: moby's check looks at the field alone)."""
    subpaths = [_field(_field(m, "VolumeOptions"), "Subpath") for m in _mounts(body)]
    return any(isinstance(sub, str) and sub for sub in subpaths)


def routes(backend: Any) -> list:
    async def create(request: web.Request) -> web.Response:
        check_for_json(request)
        body = await body_json(request, go_type="container.CreateRequest")
        platform = ""  # moby reads it from API 1.41
        if not version_less(api_version(request), "1.41"):
            platform = request.query.get("platform", "")
        if version_less(api_version(request), "1.45") and _volume_subpaths(body):
            raise InvalidParameter("VolumeOptions.Subpath needs API v1.45 or newer")
        if version_less(api_version(request), "1.48") and _image_mounts(body):
            raise InvalidParameter('Mount type "Image" needs API v1.48 or newer')
        result = backend.create_container(request.query.get("name") or None, body, platform)
        return json_response(result, status=201)

    async def list_(request: web.Request) -> web.Response:
        return json_response(backend.list_containers(
            all=qbool(request, "all"), limit=qint(request, "limit", -1) or -1,
            size=qbool(request, "size"), filters=request.query.get("filters", "")))

    async def inspect(request: web.Request) -> web.Response:
        return json_response(backend.inspect_container(request.match_info["name"],
                                                       size=qbool(request, "size")))

    async def start(request: web.Request) -> web.Response:
        await backend.start_container(request.match_info["name"])
        return web.Response(status=204)

    async def stop(request: web.Request) -> web.Response:
        await backend.stop_container(request.match_info["name"], stop_timeout(request),
                                     request.query.get("signal") or None)
        return web.Response(status=204)

    async def restart(request: web.Request) -> web.Response:
        await backend.restart_container(request.match_info["name"], stop_timeout(request))
        return web.Response(status=204)

    async def kill(request: web.Request) -> web.Response:
        await backend.kill_container(request.match_info["name"], request.query.get("signal") or None)
        return web.Response(status=204)

    async def wait(request: web.Request) -> web.StreamResponse:
        waiter = backend.wait_container(request.match_info["name"],
                                        request.query.get("condition") or "not-running")
        async with WaitResponse(request) as wr:
            result = await wr.run(waiter)
            if result is not None:
                await wr.finish(wait_body(result["StatusCode"],
                                          (result.get("Error") or {}).get("Message")))
        return wr.response

    async def delete(request: web.Request) -> web.Response:
        if qbool(request, "link"):
            backend.remove_link(request.match_info["name"])
            return web.Response(status=204)
        await backend.remove_container(request.match_info["name"], force=qbool(request, "force"),
                                       volumes=qbool(request, "v"))
        return web.Response(status=204)

    async def attach(request: web.Request) -> web.StreamResponse:
        detach_keys = request.query.get("detachKeys", "")
        container = backend.attach_check(request.match_info["name"], detach_keys)
        conn = await Hijacked.start(request, tty=container.tty)
        await backend.attach(container, stdin=qbool(request, "stdin"), stdout=qbool(request, "stdout"),
                             stderr=qbool(request, "stderr"), logs=qbool(request, "logs"),
                             stream=qbool(request, "stream"), conn=conn, detach_keys=detach_keys)
        return conn.response

    async def attach_ws(request: web.Request) -> web.StreamResponse:
        """moby's wsContainersAttach: the container checks first (plain
        Docker errors), then the websocket handshake, then one unmultiplexed
        attach; before API 1.42 stdin, stdout and stderr are always on,
        before 1.28 the output goes in text frames."""
        version = api_version(request)
        detach_keys = request.query.get("detachKeys", "")
        container = backend.attach_check(request.match_info["name"], detach_keys)
        problem = handshake_error(request)
        if problem is not None:
            raise InvalidParameter(problem)
        use = {name: True for name in ("stdin", "stdout", "stderr")}
        if not version_less(version, "1.42"):
            use = {name: qbool(request, name) for name in use}
        conn = await WebSocketStream.start(request, binary=not version_less(version, "1.28"))
        await backend.attach(container, **use, logs=qbool(request, "logs"),
                             stream=qbool(request, "stream"), conn=conn, detach_keys=detach_keys,
                             multiplexed=False)
        return conn.response

    async def logs(request: web.Request) -> web.StreamResponse:
        stdout, stderr = qbool(request, "stdout"), qbool(request, "stderr")
        container = backend.logs_check(request.match_info["name"], stdout, stderr)
        since, until = qtime(request, "since"), qtime(request, "until")
        out = OutputStream(request, content_type=RAW if container.tty else MUX)
        await out.prepare()
        async for chunk in backend.logs(
                container, stdout=stdout, stderr=stderr, follow=qbool(request, "follow"),
                timestamps=qbool(request, "timestamps"), tail=request.query.get("tail", "all"),
                since=since, until=until, gone=out.wait_disconnect, details=qbool(request, "details")):
            if not await out.write_bytes(chunk):
                break
        return await out.finish()

    async def top(request: web.Request) -> web.Response:
        return json_response(await backend.top_container(request.match_info["name"],
                                                         request.query.get("ps_args", "")))

    async def resize(request: web.Request) -> web.Response:
        backend.resize_container(request.match_info["name"], request.query.get("h", ""),
                                 request.query.get("w", ""))
        return web.Response(status=200, content_type="text/plain")

    async def changes(request: web.Request) -> web.Response:
        return json_response(backend.container_changes(request.match_info["name"]))

    async def archive_head(request: web.Request) -> web.Response:
        stat = backend.container_stat_path(request.match_info["name"], request.query.get("path", ""))
        return web.Response(status=200, headers={STAT_HEADER: stat})

    async def archive_get(request: web.Request) -> web.Response:
        stat, data = backend.container_get_archive(request.match_info["name"],
                                                   request.query.get("path", ""))
        return web.Response(status=200, body=data,
                            headers={STAT_HEADER: stat, "Content-Type": "application/x-tar"})

    async def archive_put(request: web.Request) -> web.Response:
        with await spool_body(request, backend.upload_file()) as data:
            backend.container_put_archive(
                request.match_info["name"], request.query.get("path", ""), data,
                no_overwrite_dir_non_dir=qbool(request, "noOverwriteDirNonDir"),
                copy_uid_gid=qbool(request, "copyUIDGID"))
        return web.Response(status=200)

    async def export(request: web.Request) -> web.Response:
        data = backend.export_container(request.match_info["name"])
        return web.Response(status=200, body=data, headers={"Content-Type": "application/x-tar"})

    async def rename(request: web.Request) -> web.Response:
        backend.rename_container(request.match_info["name"], request.query.get("name", ""))
        return web.Response(status=204)

    async def commit(request: web.Request) -> web.Response:
        check_for_json(request)
        raw = (await read_body(request)).strip()
        config = None
        if raw and raw != b"null":
            config = decode_json(raw, "container.CreateRequest")
        image_id = backend.commit_container(
            request.query.get("container", ""), repo=request.query.get("repo", ""),
            tag=request.query.get("tag", ""), author=request.query.get("author", ""),
            comment=request.query.get("comment", ""), pause=qbool(request, "pause", True),
            changes=request.query.getall("changes", []), config=config)
        return json_response({"Id": image_id}, status=201)

    async def prune(request: web.Request) -> web.Response:
        return json_response(backend.prune_containers(request.query.get("filters", "")))

    return [
        supported("POST", "/containers/create", create),
        supported("POST", "/commit", commit, "pause is accepted (nothing runs while the commit is taken)"),
        supported("GET", "/containers/{name:.*}/changes", changes),
        supported("HEAD", "/containers/{name:.*}/archive", archive_head),
        supported("GET", "/containers/{name:.*}/archive", archive_get),
        supported("PUT", "/containers/{name:.*}/archive", archive_put),
        supported("GET", "/containers/{name:.*}/export", export),
        supported("POST", "/containers/{name:.*}/rename", rename),
        supported("POST", "/containers/prune", prune),
        supported("GET", "/containers/json", list_),
        supported("GET", "/containers/{name:.*}/json", inspect),
        supported("POST", "/containers/{name:.*}/start", start),
        supported("POST", "/containers/{name:.*}/stop", stop),
        supported("POST", "/containers/{name:.*}/restart", restart),
        supported("POST", "/containers/{name:.*}/kill", kill),
        supported("POST", "/containers/{name:.*}/wait", wait),
        supported("DELETE", "/containers/{name:.*}", delete),
        supported("POST", "/containers/{name:.*}/attach", attach),
        supported("GET", "/containers/{name:.*}/attach/ws", attach_ws,
                  "x/net/websocket's handshake (no Origin check, as dockerd); output unmultiplexed, "
                  "binary frames from API 1.28; the client's close frame is the end of its input"),
        partial("GET", "/containers/{name:.*}/logs", logs, "json-file, local and the dual-logging cache, rotated as moby's drivers rotate"),
        supported("GET", "/containers/{name:.*}/top", top),
        supported("POST", "/containers/{name:.*}/resize", resize),
    ]
