"""The websocket attach against a real daemon: containers made and checked
with the real docker CLI, the websocket opened with aiohttp's client over
the daemon's unix socket (as a dashboard such as Portainer does over TCP).

docker-py's ``attach_socket(..., ws=True)`` cannot be used here: it needs
the optional websocket-client package (not installed), and for a unix
socket it builds an ``http+docker://`` URL that websocket-client refuses
(its ``ws://`` rewrite only matches ``http://``), so it only works against
a TCP daemon, which dockersim does not serve."""

from __future__ import annotations

import asyncio
import json

import aiohttp

from .helpers import docker_py, ok


async def _session(sock):
    return aiohttp.ClientSession(connector=aiohttp.UnixConnector(path=sock))


async def _frames(ws, until=None, timeout=10.0):
    """Frames until ``until`` shows (or, without it, the server's close);
    the bytes and the close code (None while open)."""
    got = bytearray()
    while until is None or until not in got:
        msg = await asyncio.wait_for(ws.receive(), timeout)
        if msg.type is aiohttp.WSMsgType.BINARY:
            got += msg.data
            continue
        assert msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED), msg
        return bytes(got), ws.close_code
    return bytes(got), None


def _running(docker, name) -> bool:
    return json.loads(ok(docker("inspect", "-f", "{{json .State.Running}}", name)).stdout)


def test_websocket_attach_types_into_cat_and_the_exit_closes_it(docker, daemon):
    ok(docker("run", "-d", "-i", "--name", "wse2e-cat", "busybox", "cat"))
    ok(docker("run", "-d", "-i", "--name", "wse2e-sh", "busybox", "sh", "-c",
              "read x; echo out $x; echo err $x >&2"))

    async def main():
        async with await _session(daemon) as session:
            ws = await session.ws_connect(
                "http://docker/v1.50/containers/wse2e-cat/attach/ws?stream=1&stdin=1&stdout=1&stderr=1")
            await ws.send_bytes(b"typed\n")
            assert await _frames(ws, b"typed\n") == (b"typed\n", None)
            await ws.close()
            ws = await session.ws_connect(
                "http://docker/v1.50/containers/wse2e-sh/attach/ws?stream=1&stdin=1&stdout=1&stderr=1")
            await ws.send_bytes(b"hi\n")
            assert await _frames(ws) == (b"out hi\nerr hi\n", 1000)  # the exit ends it
            # errors before the handshake are Docker's JSON
            resp = await session.get("http://docker/v1.50/containers/wse2e-none/attach/ws?stream=1")
            assert (resp.status, (await resp.json())["message"]) == (404, "No such container: wse2e-none")
            resp = await session.get("http://docker/v1.50/containers/wse2e-cat/attach/ws?stream=1")
            assert (resp.status, (await resp.json())["message"]) == (400, "not websocket protocol")

    asyncio.run(main())
    assert _running(docker, "wse2e-cat")  # the attach ended, not cat
    assert ok(docker("logs", "wse2e-cat")).stdout == "typed\n"
    assert ok(docker("wait", "wse2e-sh")).stdout.strip() == "0"
    ok(docker("rm", "-f", "wse2e-cat", "wse2e-sh"))


def test_websocket_attach_to_a_tty_detaches_and_replays_the_log(docker, daemon):
    ok(docker("run", "-d", "-i", "-t", "--name", "wse2e-tty", "busybox", "cat"))

    async def main():
        async with await _session(daemon) as session:
            ws = await session.ws_connect(
                "http://docker/v1.50/containers/wse2e-tty/attach/ws?stream=1&stdin=1&stdout=1"
                "&detachKeys=ctrl-x")
            await ws.send_bytes(b"abc\r")
            got, code = await _frames(ws, b"abc\r\nabc\r\n")  # echo, then cat's copy
            await ws.send_bytes(b"\x18")
            rest, code = await _frames(ws)
            assert code == 1000
            # logs=1 stream=0: the terminal's log, then the close
            ws = await session.ws_connect(
                "http://docker/v1.50/containers/wse2e-tty/attach/ws?logs=1&stream=0&stdout=1")
            return await _frames(ws)

    log, code = asyncio.run(main())
    assert (log, code) == (b"abc\r\nabc\r\n", 1000)
    assert _running(docker, "wse2e-tty")
    ok(docker("rm", "-f", "wse2e-tty"))


def test_docker_py_sees_the_output_a_websocket_client_typed(daemon, docker_host):
    dockerpy = docker_py()
    client = dockerpy.DockerClient(base_url=docker_host)
    try:
        container = client.containers.run("busybox", ["cat"], stdin_open=True, detach=True,
                                          name="wse2e-py")

        async def main():
            async with await _session(daemon) as session:
                ws = await session.ws_connect(
                    f"http://docker/v1.50/containers/{container.id}/attach/ws?stream=1&stdin=1&stdout=1")
                await ws.send_bytes(b"from ws\n")
                await _frames(ws, b"from ws\n")
                await ws.close()

        asyncio.run(main())
        assert container.logs() == b"from ws\n"
        container.reload()
        assert container.status == "running"
    finally:
        client.containers.get("wse2e-py").remove(force=True)
        client.close()
