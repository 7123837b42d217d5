"""Uploaded tars (``docker cp`` in, ``docker build``'s context, ``docker
load``, ``docker import``) are read as streams: the daemon copies the body
a chunk at a time into a temporary file and unpacks from it, so a body of
any size is never held whole in memory (issue 8: "streamed for tars and
never held whole in memory"), while JSON bodies keep their 10 MiB limit.

The memory figures are Python's own (tracemalloc's peak while the request
runs, the test client's chunks included), for a 64 MiB tar generated as it
is sent: one large file of zeros and a few small ones."""

from __future__ import annotations

import gc
import io
import json
import os
import tarfile
import tracemalloc

import pytest

from dockersim.daemon.backend.engine import Engine

from .conftest import kill_running

MiB = 1 << 20
BIG = 64 * MiB
ZEROS = bytes(MiB)


def _header(name: str, size: int) -> bytes:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = size, 0o644, 1700000000
    return info.tobuf(format=tarfile.PAX_FORMAT)


def _pad(size: int) -> bytes:
    return bytes(-size % 512)


def tar_stream(big_name: str, small: "dict[str, bytes]"):
    """A tar generated as it is sent: the small files, then ``big_name``
    of `BIG` zeros, a MiB at a time (the same chunk object each time)."""
    async def gen():
        for name, data in small.items():
            yield _header(name, len(data)) + data + _pad(len(data))
        yield _header(big_name, BIG)
        for _ in range(BIG // MiB):
            yield ZEROS
        yield bytes(1024)
    return gen()


async def measured(call):
    """(the response, its body, tracemalloc's peak in MiB) of ``call()``."""
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        resp = await call()
        body = await resp.read()
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    return resp, body, peak / MiB


@pytest.fixture
async def disk_api(make_api_client, tmp_path):
    engine = Engine(str(tmp_path / "data"), seed=1)
    client = await make_api_client(engine)
    resp = await client.post("/v1.50/images/create?fromImage=docker.io%2Flibrary%2Fbusybox&tag=latest")
    assert resp.status == 200
    await resp.read()
    client.engine = engine
    yield client
    await kill_running(engine)
    await engine.close()


async def _create(api, body: dict) -> str:
    resp = await api.post("/v1.50/containers/create", json={"Image": "busybox", "Cmd": ["true"], **body})
    assert resp.status == 201, await resp.text()
    return (await resp.json())["Id"]


def _leftovers(root) -> list:
    return [os.path.join(d, n) for d, _, names in os.walk(root) for n in names if n.startswith(".tmp-")]


async def test_docker_cp_of_a_64_mib_file_into_a_bind_mount_streams(disk_api, tmp_path):
    """The file lands on the host through the bind mount; the daemon's
    peak is a few chunks, not the body."""
    host = tmp_path / "host"
    host.mkdir()
    cid = await _create(disk_api, {"HostConfig": {"Binds": [f"{host}:/data"]}})
    resp, body, peak = await measured(lambda: disk_api.put(
        f"/v1.50/containers/{cid}/archive?path=/data&noOverwriteDirNonDir=true",
        data=tar_stream("big", {"small": b"hello\n"})))
    assert resp.status == 200, body
    assert (host / "big").stat().st_size == BIG and (host / "small").read_bytes() == b"hello\n"
    with open(host / "big", "rb") as fh:
        assert fh.read(MiB) == ZEROS
    print(f"PUT archive (bind mount) peak: {peak:.1f} MiB for a {BIG // MiB} MiB body")
    assert peak < 12, f"peak {peak:.1f} MiB"
    assert _leftovers(tmp_path / "data") == []


async def test_docker_cp_into_the_container_holds_the_file_once(disk_api, tmp_path):
    """Into the container's own filesystem the simulated writable layer
    holds the file (in memory, as a layer's content is) and the daemon
    then writes that layer to the data root as one tar (bytes built in
    memory: two more copies, the layer's persistence, not the upload's).
    Before the body was streamed, the peak was four copies (259 MiB)."""
    cid = await _create(disk_api, {})
    resp, body, peak = await measured(lambda: disk_api.put(
        f"/v1.50/containers/{cid}/archive?path=/tmp", data=tar_stream("big", {})))
    assert resp.status == 200, body
    head = await disk_api.head(f"/v1.50/containers/{cid}/archive?path=/tmp/big")
    stat = json.loads(__import__("base64").b64decode(head.headers["X-Docker-Container-Path-Stat"]))
    assert stat["size"] == BIG
    print(f"PUT archive (container fs) peak: {peak:.1f} MiB for a {BIG // MiB} MiB body")
    assert peak < BIG / MiB * 3 + 8, f"peak {peak:.1f} MiB"


async def test_a_64_mib_build_context_streams(disk_api, tmp_path):
    """The context's large file, which the Dockerfile does not copy, waits
    in a temporary file; the image is built from the small ones."""
    dockerfile = b"FROM busybox\nCOPY small /small\n"
    resp, body, peak = await measured(lambda: disk_api.post(
        "/v1.50/build?t=bigctx", data=tar_stream("big", {"Dockerfile": dockerfile, "small": b"hi\n"}),
        headers={"Content-Type": "application/x-tar"}))
    assert resp.status == 200 and b"Successfully built" in body, body
    print(f"POST /build peak: {peak:.1f} MiB for a {BIG // MiB} MiB context")
    assert peak < 12, f"peak {peak:.1f} MiB"
    assert _leftovers(tmp_path / "data") == []


async def test_a_build_can_copy_a_large_context_file(disk_api):
    dockerfile = b"FROM busybox\nCOPY big /big\n"
    resp = await disk_api.post("/v1.50/build?t=bigcopy",
                               data=tar_stream("big", {"Dockerfile": dockerfile}),
                               headers={"Content-Type": "application/x-tar"})
    body = await resp.read()
    assert resp.status == 200 and b"Successfully built" in body, body
    cid = await _create(disk_api, {"Image": "bigcopy"})
    head = await disk_api.head(f"/v1.50/containers/{cid}/archive?path=/big")
    stat = json.loads(__import__("base64").b64decode(head.headers["X-Docker-Container-Path-Stat"]))
    assert stat["size"] == BIG


async def test_docker_load_of_a_64_mib_archive_streams_the_body(disk_api, tmp_path):
    """An archive with a 64 MiB entry besides a real image: load unpacks
    it (moby extracts the whole archive first; the simulation extracts
    into memory), so the peak is the entry once, never the body on top."""
    saved = await (await disk_api.get("/v1.50/images/busybox/get")).read()
    small = {}
    with tarfile.open(fileobj=io.BytesIO(saved)) as tf:
        for member in tf.getmembers():
            if member.isfile():
                small[member.name] = tf.extractfile(member).read()
    resp, body, peak = await measured(lambda: disk_api.post(
        "/v1.50/images/load?quiet=1", data=tar_stream("extra-big", small),
        headers={"Content-Type": "application/x-tar"}))
    assert resp.status == 200 and b"Loaded image" in body, body
    print(f"POST /images/load peak: {peak:.1f} MiB for a {BIG // MiB} MiB body")
    assert peak < BIG / MiB * 1.25 + 8, f"peak {peak:.1f} MiB"


async def test_docker_import_of_a_64_mib_layer_streams_the_body(disk_api):
    resp, body, peak = await measured(lambda: disk_api.post(
        "/v1.50/images/create?fromSrc=-&repo=bigimport", data=tar_stream("big", {"small": b"x"}),
        headers={"Content-Type": "application/x-tar"}))
    assert resp.status == 200 and b"sha256:" in body, body
    print(f"POST /images/create?fromSrc=- peak: {peak:.1f} MiB for a {BIG // MiB} MiB body")
    # the layer's bytes (its diff id and blob) and its unpacked check, no
    # copy of the body: 256 MiB before the body was streamed
    assert peak < BIG / MiB * 2 + 8, f"peak {peak:.1f} MiB"


async def test_json_bodies_keep_their_limit(disk_api):
    resp = await disk_api.post("/v1.50/containers/create", data=b"{" + b" " * (11 * MiB) + b"}",
                               headers={"Content-Type": "application/json"})
    assert resp.status == 413, await resp.text()
    assert "request body is too large" in (await resp.json())["message"]
