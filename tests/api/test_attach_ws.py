"""``GET /containers/{id}/attach/ws``: moby's wsContainersAttach over
aiohttp's websocket client.  The output comes unmultiplexed, one frame per
write (binary from API 1.28, text before); the client's frames are the
container's input; the attach ends with a close frame (1000)."""

import asyncio

import aiohttp
import pytest

from dockersim.daemon.app import BACKEND


async def _create(api, name, **config):
    resp = await api.post(f"/v1.50/containers/create?name={name}", json={"Image": "busybox", **config})
    assert resp.status == 201, await resp.text()
    return (await resp.json())["Id"]


async def _start(api, name):
    assert (await api.post(f"/v1.50/containers/{name}/start")).status == 204


async def _running(api, name) -> bool:
    return (await (await api.get(f"/v1.50/containers/{name}/json")).json())["State"]["Running"]


async def _until(ws, pattern: bytes, got: bytearray, timeout=5.0):
    """Frames into ``got`` until ``pattern`` shows; the frames' types."""
    types = set()
    while pattern not in got:
        msg = await asyncio.wait_for(ws.receive(), timeout)
        assert msg.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT), (msg, bytes(got))
        types.add(msg.type)
        got += msg.data if isinstance(msg.data, bytes) else msg.data.encode()
    return types


async def _to_close(ws, got: bytearray, timeout=5.0, frames=None):
    """Frames into ``got`` (their types into ``frames``) until the
    server's close frame; its code."""
    while True:
        msg = await asyncio.wait_for(ws.receive(), timeout)
        if msg.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT):
            if frames is not None:
                frames.add(msg.type)
            got += msg.data if isinstance(msg.data, bytes) else msg.data.encode()
            continue
        assert msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED), msg
        return ws.close_code


WS_HEADERS = {"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13",
              "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}


async def test_errors_before_the_handshake_are_dockers_json(api):
    resp = await api.get("/v1.50/containers/nosuch/attach/ws?stream=1", headers=WS_HEADERS)
    assert (resp.status, (await resp.json())["message"]) == (404, "No such container: nosuch")
    resp = await api.get("/v1.50/containers/nosuch/attach/ws?detachKeys=ctrl-1", headers=WS_HEADERS)
    assert (resp.status, (await resp.json())["message"]) == (400, "Invalid detach keys (ctrl-1) provided")
    await _create(api, "ws-err", Cmd=["sleep", "100"])
    await _start(api, "ws-err")
    assert (await api.post("/v1.50/containers/ws-err/pause")).status == 204
    resp = await api.get("/v1.50/containers/ws-err/attach/ws?stream=1", headers=WS_HEADERS)
    assert (resp.status, (await resp.json())["message"]) == (
        409, "container ws-err is paused, unpause the container before attach")
    assert (await api.post("/v1.50/containers/ws-err/unpause")).status == 204
    # x/net/websocket's handshake refusals, after the container checks
    for headers, message in [
            ({}, "not websocket protocol"),
            ({**WS_HEADERS, "Connection": "keep-alive"}, "not websocket protocol"),
            ({**WS_HEADERS, "Sec-WebSocket-Key": ""}, "mismatch challenge/response"),
            ({**WS_HEADERS, "Sec-WebSocket-Version": "8"}, "missing or bad WebSocket Version"),
            ({**WS_HEADERS, "Sec-WebSocket-Protocol": "a, b"}, "missing or bad WebSocket-Protocol")]:
        resp = await api.get("/v1.50/containers/ws-err/attach/ws?stream=1", headers=headers)
        assert (resp.status, (await resp.json())["message"]) == (400, message), headers
    await api.delete("/v1.50/containers/ws-err?force=1")


async def test_stdin_typed_into_cat_echoes_back_unmultiplexed_in_binary_frames(api):
    await _create(api, "ws-cat", Cmd=["cat"], OpenStdin=True)
    await _start(api, "ws-cat")
    # no Origin check (dockerd uses x/net's Server without a Handshake);
    # one sub-protocol is echoed back
    ws = await api.ws_connect("/v1.50/containers/ws-cat/attach/ws?stream=1&stdin=1&stdout=1&stderr=1",
                              origin="http://elsewhere.example", protocols=("docker",))
    assert ws.protocol == "docker"
    await ws.send_bytes(b"hello\n")
    got = bytearray()
    assert await _until(ws, b"hello\n", got) == {aiohttp.WSMsgType.BINARY}
    assert bytes(got) == b"hello\n"  # raw: no stdcopy header
    await ws.send_str("text frames are input too\n")
    await _until(ws, b"input too\n", got)
    await ws.close()  # the end of this client's input: the attach ends, cat goes on
    await asyncio.sleep(0.1)
    assert await _running(api, "ws-cat")
    await api.delete("/v1.50/containers/ws-cat?force=1")


async def test_stdout_and_stderr_share_the_socket_and_the_exit_closes_it(api):
    await _create(api, "ws-sh", Cmd=["sh", "-c", "read x; echo out $x; echo err $x >&2"], OpenStdin=True)
    await _start(api, "ws-sh")
    ws = await api.ws_connect("/v1.50/containers/ws-sh/attach/ws?stream=1&stdin=1&stdout=1&stderr=1")
    await ws.send_bytes(b"go\n")
    got = bytearray()
    assert await _to_close(ws, got) == 1000
    assert bytes(got) == b"out go\nerr go\n"
    # stderr=0 (API 1.42+): stdout alone
    await _create(api, "ws-sh2", Cmd=["sh", "-c", "read x; echo out $x; echo err $x >&2"], OpenStdin=True)
    await _start(api, "ws-sh2")
    ws = await api.ws_connect("/v1.50/containers/ws-sh2/attach/ws?stream=1&stdin=1&stdout=1")
    await ws.send_bytes(b"go\n")
    got = bytearray()
    assert await _to_close(ws, got) == 1000
    assert bytes(got) == b"out go\n"
    for name in ("ws-sh", "ws-sh2"):
        await api.delete(f"/v1.50/containers/{name}?force=1")


async def test_logs_replay_and_stream_0_closes_after_the_log(api):
    await _create(api, "ws-log", Cmd=["sh", "-c", "echo one; echo two >&2"])
    await _start(api, "ws-log")
    assert (await (await api.post("/v1.50/containers/ws-log/wait")).json())["StatusCode"] == 0
    ws = await api.ws_connect("/v1.50/containers/ws-log/attach/ws?logs=1&stream=0&stdout=1&stderr=1")
    got = bytearray()
    assert await _to_close(ws, got) == 1000
    assert bytes(got) == b"one\ntwo\n"
    ws = await api.ws_connect("/v1.50/containers/ws-log/attach/ws?logs=1&stream=0&stderr=1")
    got = bytearray()
    assert await _to_close(ws, got) == 1000
    assert bytes(got) == b"two\n"
    ws = await api.ws_connect("/v1.50/containers/ws-log/attach/ws?stream=0&stdout=1")
    got = bytearray()
    assert await _to_close(ws, got) == 1000
    assert bytes(got) == b""
    # logs=1 and stream=1 on a running container: the log first, then live output
    await _create(api, "ws-live", Cmd=["sh", "-c", "echo before; read x; echo after $x"], OpenStdin=True)
    await _start(api, "ws-live")
    for _ in range(100):
        if b"before" in await (await api.get("/v1.50/containers/ws-live/logs?stdout=1")).read():
            break
        await asyncio.sleep(0.02)
    ws = await api.ws_connect("/v1.50/containers/ws-live/attach/ws?logs=1&stream=1&stdin=1&stdout=1")
    got = bytearray()
    await _until(ws, b"before\n", got)
    await ws.send_bytes(b"now\n")
    assert await _to_close(ws, got) == 1000
    assert bytes(got) == b"before\nafter now\n"
    for name in ("ws-log", "ws-live"):
        await api.delete(f"/v1.50/containers/{name}?force=1")


async def test_a_tty_attach_is_raw_and_ends_on_the_detach_keys_not_the_container(api):
    await _create(api, "ws-tty", Cmd=["cat"], Tty=True, OpenStdin=True)
    await _start(api, "ws-tty")
    ws = await api.ws_connect("/v1.50/containers/ws-tty/attach/ws?stream=1&stdin=1&stdout=1&stderr=1")
    await ws.send_bytes(b"abc\r")
    got = bytearray()
    await _until(ws, b"abc\r\nabc\r\n", got)  # the line discipline's echo, then cat's copy
    await ws.send_bytes(b"x\x10")  # ctrl-p held back
    await ws.send_bytes(b"\x11ignored")  # ctrl-q: detached
    assert await _to_close(ws, got) == 1000
    assert b"ignored" not in got
    await asyncio.sleep(0.1)
    assert await _running(api, "ws-tty")
    # its own keys
    ws = await api.ws_connect("/v1.50/containers/ws-tty/attach/ws?stream=1&stdin=1&stdout=1"
                              "&detachKeys=ctrl-a")
    await ws.send_bytes(b"\x01")
    assert await _to_close(ws, bytearray()) == 1000
    assert await _running(api, "ws-tty")
    await api.delete("/v1.50/containers/ws-tty?force=1")


async def test_stdin_once_the_clients_close_is_the_containers_eof(api):
    await _create(api, "ws-once", Cmd=["cat"], OpenStdin=True, StdinOnce=True)
    await _start(api, "ws-once")
    ws = await api.ws_connect("/v1.50/containers/ws-once/attach/ws?stream=1&stdin=1&stdout=1")
    await ws.send_bytes(b"bye\n")
    await _until(ws, b"bye\n", bytearray())
    await ws.close()
    resp = await api.post("/v1.50/containers/ws-once/wait")
    assert (await resp.json())["StatusCode"] == 0
    await api.delete("/v1.50/containers/ws-once?force=1")


@pytest.mark.parametrize("version, frame", [("1.27", aiohttp.WSMsgType.TEXT),
                                            ("1.41", aiohttp.WSMsgType.BINARY)])
async def test_old_api_versions_attach_every_stream_and_before_1_28_in_text_frames(api, version, frame):
    name = f"ws-v{version.replace('.', '')}"
    types = set()
    await _create(api, name, Cmd=["sh", "-c", "read x; echo out $x; echo err $x >&2"], OpenStdin=True)
    await _start(api, name)
    # before 1.42 stdin, stdout and stderr are on whatever the query says
    ws = await api.ws_connect(f"/v{version}/containers/{name}/attach/ws?stream=1")
    await ws.send_bytes(b"go\n")
    got = bytearray()
    assert await _to_close(ws, got, frames=types) == 1000
    assert types == {frame}
    assert bytes(got) == b"out go\nerr go\n"
    # bytes that are not UTF-8 are carried as they are, even in text frames
    await _create(api, name + "b", Cmd=["cat"], OpenStdin=True)
    await _start(api, name + "b")
    ws = await api.ws_connect(f"/v{version}/containers/{name}b/attach/ws?stream=1",
                              decode_text=False)
    await ws.send_bytes(b"\xff\xfe\n")
    got = bytearray()
    assert await _until(ws, b"\n", got) == {frame}
    assert bytes(got) == b"\xff\xfe\n"
    for each in (name, name + "b"):
        await api.delete(f"/v1.50/containers/{each}?force=1")


async def test_a_client_that_leaves_ends_the_attach(api):
    await _create(api, "ws-gone", Cmd=["sleep", "100"])
    await _start(api, "ws-gone")
    engine = api.server.app[BACKEND]
    hub = engine.records.hub(engine.records.resolve("ws-gone"))
    assert hub.listeners == []
    ws = await api.ws_connect("/v1.50/containers/ws-gone/attach/ws?stream=1&stdout=1")
    for _ in range(100):
        if hub.listeners:
            break
        await asyncio.sleep(0.02)
    assert len(hub.listeners) == 1
    ws._response.connection.transport.close()  # no close frame: the socket just goes
    for _ in range(100):
        if not hub.listeners:
            break
        await asyncio.sleep(0.02)
    assert hub.listeners == []
    assert await _running(api, "ws-gone")
    await api.delete("/v1.50/containers/ws-gone?force=1")
