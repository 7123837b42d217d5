"""JSON progress streams and the /wait helper."""

from __future__ import annotations

import asyncio
import json
import tempfile

import pytest

from dockersim.daemon import errors
from dockersim.daemon.routers import system
from dockersim.daemon.streams.progress import JsonStream, OutputStream
from dockersim.daemon.streams.wait import WaitResponse, wait_body
from dockersim.daemon.support import supported
from dockersim.daemon.wire import jsonmessage


@pytest.fixture
def gate():
    return {"release": asyncio.Event(), "results": []}


@pytest.fixture
async def client(make_api_client, stub_backend, gate):
    async def pull_ok(request):
        async with JsonStream(request) as out:
            await out.write(jsonmessage.status_message("Pulling from library/busybox", "latest"))
            await out.write(jsonmessage.status_message("Pull complete", "f1ae1cf8729f", progress_detail={}))
        return out.response

    async def fail_early(request):
        async with JsonStream(request) as out:
            raise errors.NotFound("pull access denied for nosuch")
        return out.response  # pragma: no cover

    async def fail_midway(request):
        async with JsonStream(request) as out:
            await out.write(jsonmessage.status_message("Pulling fs layer", "abc", progress_detail={}))
            raise errors.SystemError("manifest unknown: manifest unknown")
        return out.response

    async def bug_midway(request):
        async with JsonStream(request) as out:
            await out.write({"stream": "Step 1/1 : FROM x\n"})
            raise KeyError("oops")
        return out.response

    async def empty(request):
        async with JsonStream(request) as out:
            pass
        return out.response

    async def client_leaves(request):
        async with JsonStream(request) as out:
            results = []
            for i in range(400):
                results.append(await out.write({"status": f"line {i}"}))
                if not results[-1]:
                    break
                await asyncio.sleep(0.005)
            gate["results"].append((results[-1], out.closed))
        return out.response

    async def logs(request):
        async with OutputStream(request, content_type="application/vnd.docker.multiplexed-stream") as out:
            await out.write_bytes(b"\x01\x00\x00\x00\x00\x00\x00\x03hi\n")
        return out.response

    async def wait(request):
        async with WaitResponse(request) as wr:
            await gate["release"].wait()
            await wr.finish(wait_body(3))
        return wr.response

    async def wait_error(request):
        async with WaitResponse(request) as wr:
            raise errors.SystemError("container vanished")
        return wr.response

    async def wait_dropped(request):
        async def forever():
            try:
                await asyncio.sleep(3600)
            except asyncio.CancelledError:
                gate["results"].append("cancelled")
                raise

        async with WaitResponse(request) as wr:
            result = await wr.run(forever())
            gate["results"].append(result)
        gate["release"].set()
        return wr.response

    extra = [
        supported("POST", "/test/pull", pull_ok),
        supported("POST", "/test/early", fail_early),
        supported("POST", "/test/midway", fail_midway),
        supported("POST", "/test/bug", bug_midway),
        supported("POST", "/test/empty", empty),
        supported("POST", "/test/leave", client_leaves),
        supported("GET", "/test/logs", logs),
        supported("POST", "/test/wait", wait),
        supported("POST", "/test/waiterror", wait_error),
        supported("POST", "/test/waitdrop", wait_dropped),
    ]
    return await make_api_client(stub_backend, modules=[system], extra_endpoints=extra)


async def test_json_stream_messages(client):
    resp = await client.post("/v1.50/test/pull")
    assert resp.status == 200
    assert resp.headers["Content-Type"] == "application/json"
    body = await resp.read()
    assert body.count(b"\r\n") == 2
    assert list(jsonmessage.iter_messages(body)) == [
        {"status": "Pulling from library/busybox", "id": "latest"},
        {"status": "Pull complete", "progressDetail": {}, "id": "f1ae1cf8729f"},
    ]


async def test_error_before_first_write_is_http_status(client):
    resp = await client.post("/test/early")
    assert resp.status == 404
    assert resp.headers["Content-Type"] == "application/json"
    assert await resp.json() == {"message": "pull access denied for nosuch"}


async def test_error_after_first_write_is_in_band(client):
    resp = await client.post("/test/midway")
    assert resp.status == 200
    messages = list(jsonmessage.iter_messages(await resp.read()))
    assert messages[-1] == {
        "errorDetail": {"message": "manifest unknown: manifest unknown"},
        "error": "manifest unknown: manifest unknown",
    }


async def test_unexpected_error_midway_is_in_band_and_logged(client, caplog):
    resp = await client.post("/test/bug")
    messages = list(jsonmessage.iter_messages(await resp.read()))
    assert jsonmessage.is_error(messages[-1])
    assert any("oops" in str(r.exc_info) for r in caplog.records if r.exc_info)


async def test_empty_stream_is_200_with_empty_body(client):
    resp = await client.post("/test/empty")
    assert resp.status == 200
    assert await resp.read() == b""


async def test_client_leaving_midstream_is_quiet(client, gate):
    resp = await client.post("/test/leave")
    await resp.content.readline()
    resp.close()  # drop the connection, as the CLI does after an error message
    for _ in range(200):
        if gate["results"]:
            break
        await asyncio.sleep(0.02)
    assert gate["results"] == [(False, True)]
    assert (await client.get("/_ping")).status == 200


async def test_output_stream_has_exact_content_type(client):
    resp = await client.get("/test/logs")
    assert resp.headers["Content-Type"] == "application/vnd.docker.multiplexed-stream"
    assert await resp.read() == b"\x01\x00\x00\x00\x00\x00\x00\x03hi\n"


async def test_wait_headers_arrive_before_the_body(client, gate):
    resp = await asyncio.wait_for(client.post("/v1.50/test/wait"), 2)  # headers only
    assert resp.status == 200
    assert resp.headers["Content-Type"] == "application/json"
    assert not gate["release"].is_set()
    gate["release"].set()
    assert json.loads(await resp.read()) == {"StatusCode": 3}  # Error is omitempty in dockerd


async def test_wait_error_after_headers_goes_in_body(client):
    resp = await client.post("/test/waiterror")
    assert resp.status == 200
    assert json.loads(await resp.read()) == {"StatusCode": -1, "Error": {"Message": "container vanished"}}


async def test_dropped_wait_is_cancelled(client, gate):
    resp = await client.post("/test/waitdrop")
    assert resp.status == 200
    resp.close()
    await asyncio.wait_for(gate["release"].wait(), 5)
    assert gate["results"] == ["cancelled", None]


class _HangingImages:
    """An images backend whose streams send one message and then wait
    forever; each records when it is closed."""

    def __init__(self):
        self.closed: "list[str]" = []

    async def _stream(self, name):
        try:
            yield {"status": f"{name} started"}
            await asyncio.Event().wait()
        finally:
            self.closed.append(name)

    def pull_reference(self, from_image, tag=""):
        return from_image

    def pull(self, ref, *args, **kwargs):
        return self._stream("pull")

    def push_check(self, name, *args, **kwargs):
        return name

    def push(self, job):
        return self._stream("push")

    def load_images(self, data, quiet, *args, **kwargs):
        return self._stream("load")

    def upload_file(self):
        return tempfile.SpooledTemporaryFile()


@pytest.mark.parametrize("name, path", [("pull", "/v1.50/images/create?fromImage=busybox"),
                                        ("push", "/v1.50/images/x/push"),
                                        ("load", "/v1.50/images/load")])
async def test_a_client_leaving_closes_the_images_stream(make_api_client, name, path):
    """pull, push and load share build's pump: when the client goes away
    while the backend is busy, the backend's generator is closed (its
    layer references are released at once, not when the GC finds it)."""
    from dockersim.daemon.routers import images

    backend = _HangingImages()
    client = await make_api_client(backend, modules=[images])
    resp = await client.post(path, headers={"X-Registry-Auth": "e30="})
    assert resp.status == 200
    assert b"started" in await resp.content.readline()
    resp.close()
    for _ in range(100):
        if backend.closed:
            break
        await asyncio.sleep(0.05)
    assert backend.closed == [name]
