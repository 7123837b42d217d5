"""Terminals through the API: resize, detach keys, what the end of a
client's input means (moby's CopyStreams), the raw stream of a TTY.

Hijacked streams are driven over a raw socket, as the CLI does: the
request with ``Upgrade: tcp``, the 101, then bytes both ways and a
half-close."""

import asyncio

import pytest

from dockersim.daemon.app import BACKEND
from dockersim.daemon.backend.detachkeys import DEFAULT_DETACH_KEYS, EscapeProxy, to_bytes
from dockersim.daemon.wire.stdcopy import demux


def _engine(api):
    return api.server.app[BACKEND]


# -- detach keys (moby/term ToBytes and the escape proxy) ----------------------------------

@pytest.mark.parametrize("text, keys", [
    ("ctrl-p,ctrl-q", b"\x10\x11"), ("ctrl-@", b"\x00"), ("ctrl-a", b"\x01"), ("ctrl-z", b"\x1a"),
    ("ctrl-[", b"\x1b"), ("ctrl-\\", b"\x1c"), ("ctrl-]", b"\x1d"), ("ctrl-^", b"\x1e"),
    ("ctrl-_", b"\x1f"), ("a,b", b"ab"), ("DEL", b"\x7f"), ("ctrl-x,DEL,q", b"\x18\x7fq")])
def test_detach_keys_parse_as_moby_term(text, keys):
    assert to_bytes(text) == keys


@pytest.mark.parametrize("text, bad", [("ctrl-A", "ctrl-A"), ("ctrl-1", "ctrl-1"), ("ab", "ab"),
                                       ("ctrl-p,", ""), ("ctrl-p, ctrl-q", " ctrl-q")])
def test_bad_detach_keys_are_refused_with_moby_terms_words(text, bad):
    with pytest.raises(ValueError) as err:
        to_bytes(text)
    assert str(err.value) == f"Unknown character: '{bad}'"


def test_the_escape_proxy_holds_back_a_partial_match_and_forwards_it_when_broken():
    proxy = EscapeProxy()
    assert proxy.keys == DEFAULT_DETACH_KEYS
    assert proxy.feed(b"ls\x10") == b"ls"  # ctrl-p held back
    assert proxy.feed(b"x") == b"\x10x"  # broken: forwarded with the byte that broke it
    assert proxy.feed(b"ab\x10") == b"ab"
    assert proxy.feed(b"\x11rest") == b"" and proxy.detached
    assert proxy.feed(b"more") == b""


def test_the_byte_that_breaks_a_match_does_not_start_one_as_in_moby_term():
    proxy = EscapeProxy()
    assert proxy.feed(b"\x10\x10\x11") == b"\x10\x10\x11" and not proxy.detached
    proxy = EscapeProxy(to_bytes("ctrl-a"))
    assert proxy.feed(b"abc\x01def") == b"abc" and proxy.detached


# -- resize ------------------------------------------------------------------------------

async def _create(api, name, **config):
    body = {"Image": "busybox", **config}
    resp = await api.post(f"/v1.50/containers/create?name={name}", json=body)
    assert resp.status == 201, await resp.text()
    return (await resp.json())["Id"]


@pytest.mark.parametrize("query, message", [
    ("h=abc&w=80", 'invalid resize height "abc": invalid syntax'),
    ("w=80", 'invalid resize height "": invalid syntax'),
    ("h=%2B5&w=80", 'invalid resize height "+5": invalid syntax'),
    ("h=-1&w=80", 'invalid resize height "-1": value out of range'),
    ("h=24&w=4294967296", 'invalid resize width "4294967296": value out of range'),
    ("h=24&w=8x", 'invalid resize width "8x": invalid syntax'),
])
async def test_resize_sizes_are_uint32s_checked_before_the_container(api, query, message):
    for path in ("/v1.50/containers/nosuch/resize", "/v1.50/exec/nosuch/resize"):
        resp = await api.post(f"{path}?{query}")
        assert (resp.status, (await resp.json())["message"]) == (400, message)


async def test_resize_needs_a_running_container_and_a_live_exec(api):
    resp = await api.post("/v1.50/containers/nosuch/resize?h=24&w=80")
    assert (resp.status, (await resp.json())["message"]) == (404, "No such container: nosuch")
    cid = await _create(api, "rs", Cmd=["sleep", "100"])
    resp = await api.post("/v1.50/containers/rs/resize?h=24&w=80")
    assert (resp.status, (await resp.json())["message"]) == (409, f"container {cid} is not running")
    assert (await api.post("/v1.50/containers/rs/start")).status == 204
    resp = await api.post("/v1.50/containers/rs/resize?h=24&w=80")  # no terminal: nothing to do
    assert (resp.status, resp.content_type) == (200, "text/plain")
    resp = await api.post("/v1.50/exec/nosuch/resize?h=24&w=80")
    assert (resp.status, (await resp.json())["message"]) == (404, "No such exec instance: nosuch")
    eid = (await (await api.post("/v1.50/containers/rs/exec", json={"Cmd": ["true"]})).json())["Id"]
    assert (await api.post(f"/v1.50/exec/{eid}/start", json={"Detach": True})).status == 200
    for _ in range(100):
        if not (await (await api.get(f"/v1.50/exec/{eid}/json")).json())["Running"]:
            break
        await asyncio.sleep(0.02)
    resp = await api.post(f"/v1.50/exec/{eid}/resize?h=24&w=80")
    assert (resp.status, (await resp.json())["message"]) == (
        404, f"process does not exist {eid}: not found")
    await api.delete("/v1.50/containers/rs?force=1")


async def test_detach_keys_are_checked_on_attach_and_exec_create(api):
    resp = await api.post("/v1.50/containers/nosuch/attach?stream=1&detachKeys=ctrl-1")
    assert (resp.status, (await resp.json())["message"]) == (400, "Invalid detach keys (ctrl-1) provided")
    await _create(api, "dk", Cmd=["sleep", "100"])
    assert (await api.post("/v1.50/containers/dk/start")).status == 204
    resp = await api.post("/v1.50/containers/dk/exec", json={"Cmd": ["true"], "DetachKeys": "ctrl-1"})
    assert (resp.status, (await resp.json())["message"]) == (500, "Invalid escape keys (ctrl-1) provided")
    resp = await api.post("/v1.50/containers/dk/exec", json={"Cmd": ["true"], "DetachKeys": "ctrl-a,x"})
    eid = (await resp.json())["Id"]
    inspect = await (await api.get(f"/v1.50/exec/{eid}/json")).json()
    assert inspect["DetachKeys"] == "AXg="  # Go's []byte, base64
    eid = (await (await api.post("/v1.50/containers/dk/exec", json={"Cmd": ["true"]})).json())["Id"]
    assert (await (await api.get(f"/v1.50/exec/{eid}/json")).json())["DetachKeys"] == ""
    await api.delete("/v1.50/containers/dk?force=1")


# -- hijacked streams over a raw socket --------------------------------------------------

class Hijack:
    """A raw client of a hijacked endpoint."""

    def __init__(self, reader, writer):
        self.reader, self.writer = reader, writer
        self.data = b""

    @classmethod
    async def open(cls, api, path, body=b""):
        reader, writer = await asyncio.open_connection(api.server.host, api.server.port)
        head = (f"POST {path} HTTP/1.1\r\nHost: docker\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n")
        writer.write(head.encode() + body)
        await writer.drain()
        status = await reader.readuntil(b"\r\n\r\n")
        assert status.startswith(b"HTTP/1.1 101"), status
        hj = cls(reader, writer)
        hj.headers = status.decode()
        return hj

    async def send(self, data: bytes):
        self.writer.write(data)
        await self.writer.drain()

    def half_close(self):
        self.writer.transport.write_eof()

    async def read_until(self, pattern: bytes, timeout=5.0) -> bytes:
        end = asyncio.get_running_loop().time() + timeout
        while pattern not in self.data:
            left = end - asyncio.get_running_loop().time()
            if left <= 0:
                raise AssertionError(f"{pattern!r} not in {self.data!r}")
            chunk = await asyncio.wait_for(self.reader.read(4096), left)
            if not chunk:
                raise AssertionError(f"EOF before {pattern!r}; got {self.data!r}")
            self.data += chunk
        return self.data

    async def read_to_eof(self, timeout=5.0) -> bytes:
        while True:
            chunk = await asyncio.wait_for(self.reader.read(4096), timeout)
            if not chunk:
                return self.data
            self.data += chunk

    def close(self):
        self.writer.close()


async def _running(api, name) -> bool:
    return (await (await api.get(f"/v1.50/containers/{name}/json")).json())["State"]["Running"]


async def test_a_tty_attach_ends_on_the_detach_keys_and_the_container_goes_on(api):
    await _create(api, "tty-cat", Cmd=["cat"], Tty=True, OpenStdin=True, StdinOnce=True,
                  AttachStdin=True)
    hj = await Hijack.open(api, "/v1.50/containers/tty-cat/attach?stream=1&stdin=1&stdout=1&stderr=1")
    assert "application/vnd.docker.raw-stream" in hj.headers
    assert (await api.post("/v1.50/containers/tty-cat/start")).status == 204
    await hj.send(b"one\n")
    await hj.read_until(b"one")
    await hj.send(b"two\x10")  # ctrl-p: held back
    await hj.send(b"\x11ignored")  # ctrl-q: detach; the rest never reaches the container
    out = await hj.read_to_eof()
    assert b"ignored" not in out and b"\x10" not in out
    assert await _running(api, "tty-cat")
    hj.close()
    # a new attach with its own keys; a broken sequence goes through
    hj = await Hijack.open(api, "/v1.50/containers/tty-cat/attach?stream=1&stdin=1&stdout=1"
                                "&detachKeys=ctrl-a,ctrl-b")
    await hj.send(b"\x01x three\n")
    await hj.read_until(b"\x01x three")
    await hj.send(b"\x01\x02")
    await hj.read_to_eof()
    assert await _running(api, "tty-cat")
    hj.close()
    await api.delete("/v1.50/containers/tty-cat?force=1")


async def test_a_tty_attach_half_close_ends_the_attach_not_the_input(api):
    """StdinOnce with a TTY: the client's EOF is not the process's (moby
    closes the process's stdin only without a TTY)."""
    await _create(api, "tty-eof", Cmd=["cat"], Tty=True, OpenStdin=True, StdinOnce=True)
    assert (await api.post("/v1.50/containers/tty-eof/start")).status == 204
    hj = await Hijack.open(api, "/v1.50/containers/tty-eof/attach?stream=1&stdin=1&stdout=1")
    hj.half_close()
    await hj.read_to_eof()
    await asyncio.sleep(0.1)
    assert await _running(api, "tty-eof")
    hj.close()
    await api.delete("/v1.50/containers/tty-eof?force=1")


async def test_without_a_tty_half_close_is_eof_only_with_stdin_once(api):
    await _create(api, "once", Cmd=["cat"], OpenStdin=True, StdinOnce=True)
    hj = await Hijack.open(api, "/v1.50/containers/once/attach?stream=1&stdin=1&stdout=1&stderr=1")
    assert (await api.post("/v1.50/containers/once/start")).status == 204
    await hj.send(b"hello\n")
    hj.half_close()
    out = await hj.read_to_eof()  # cat got EOF, printed and exited: the stream ends with it
    assert demux(out)[0] == b"hello\n"
    assert (await (await api.post("/v1.50/containers/once/wait")).json())["StatusCode"] == 0
    hj.close()

    await _create(api, "open", Cmd=["cat"], OpenStdin=True)
    assert (await api.post("/v1.50/containers/open/start")).status == 204
    hj = await Hijack.open(api, "/v1.50/containers/open/attach?stream=1&stdin=1&stdout=1&stderr=1")
    await hj.send(b"hello\n")
    await hj.read_until(b"hello\n")
    hj.half_close()
    await hj.read_to_eof()  # the attach ends; cat still reads its open stdin
    await asyncio.sleep(0.1)
    assert await _running(api, "open")
    hj.close()
    # two attaches type into the same stdin
    first = await Hijack.open(api, "/v1.50/containers/open/attach?stream=1&stdin=1&stdout=1")
    second = await Hijack.open(api, "/v1.50/containers/open/attach?stream=1&stdin=1&stdout=1")
    await first.send(b"from-first\n")
    await second.send(b"from-second\n")
    for hj in (first, second):
        await hj.read_until(b"from-second\n")
        assert b"from-first\n" in hj.data
        hj.close()
    await api.delete("/v1.50/containers/open?force=1")


async def test_exec_frames_by_the_starts_tty_and_detaches_with_its_keys(api):
    await _create(api, "ex", Cmd=["sleep", "100"])
    assert (await api.post("/v1.50/containers/ex/start")).status == 204
    resp = await api.post("/v1.50/containers/ex/exec", json={
        "Cmd": ["cat"], "Tty": True, "AttachStdin": True, "AttachStdout": True,
        "DetachKeys": "ctrl-x", "ConsoleSize": [33, 101]})
    eid = (await resp.json())["Id"]
    hj = await Hijack.open(api, f"/v1.50/exec/{eid}/start",
                           b'{"Detach":false,"Tty":true,"ConsoleSize":[33,101]}')
    assert "application/vnd.docker.raw-stream" in hj.headers
    await hj.send(b"\x10\x11abc\n")  # not this exec's keys
    await hj.read_until(b"abc")
    await hj.send(b"\x18")
    await hj.read_to_eof()
    inspect = await (await api.get(f"/v1.50/exec/{eid}/json")).json()
    assert inspect["Running"] is True  # the process goes on after a detach
    hj.close()
    # the same kind of exec started without Tty in the body: multiplexed, as moby does
    resp = await api.post("/v1.50/containers/ex/exec", json={
        "Cmd": ["echo", "framed"], "Tty": True, "AttachStdout": True})
    eid = (await resp.json())["Id"]
    hj = await Hijack.open(api, f"/v1.50/exec/{eid}/start", b'{"Detach":false}')
    assert "application/vnd.docker.multiplexed-stream" in hj.headers
    out = await hj.read_to_eof()
    assert demux(out)[0].replace(b"\r\n", b"\n") == b"framed\n"
    hj.close()
    await api.delete("/v1.50/containers/ex?force=1")


