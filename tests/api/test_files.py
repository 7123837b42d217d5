"""The archive and export routes: statuses, the stat header, errors."""

import base64
import io
import json
import tarfile

from .test_containers import demux, run


def _tar(name: str, data: bytes) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tf:
        info = tarfile.TarInfo(name)
        info.size = len(data)
        tf.addfile(info, io.BytesIO(data))
    return buf.getvalue()


async def test_head_archive_carries_the_path_stat(api):
    cid, _ = await run(api, ["true"])
    resp = await api.head(f"/v1.50/containers/{cid}/archive?path=/bin/sh")
    assert resp.status == 200
    stat = json.loads(base64.b64decode(resp.headers["X-Docker-Container-Path-Stat"]))
    assert list(stat) == ["name", "size", "mode", "mtime", "linkTarget"]
    assert stat["name"] == "sh"
    resp = await api.head(f"/v1.50/containers/{cid}/archive?path=/nosuch")
    assert resp.status == 404


async def test_archive_errors(api):
    cid, _ = await run(api, ["true"])
    resp = await api.get(f"/v1.50/containers/{cid}/archive")
    assert resp.status == 400
    assert (await resp.json())["message"] == "bad parameter: pathcannot be empty"
    resp = await api.put(f"/v1.50/containers/{cid}/archive?path=/etc/passwd", data=_tar("x", b"x"))
    assert resp.status == 400
    assert (await resp.json())["message"] == "extraction point is not a directory"
    resp = await api.put(f"/v1.50/containers/{cid}/archive?path=/tmp", data=b"not a tar at all" * 40)
    assert resp.status == 500
    resp = await api.get("/v1.50/containers/nosuch/export")
    assert resp.status == 404


async def test_put_then_get_on_a_stopped_container(api):
    cid, _ = await run(api, ["true"])
    resp = await api.put(f"/v1.50/containers/{cid}/archive?path=/tmp&noOverwriteDirNonDir=1",
                         data=_tar("greeting", b"hello\n"))
    assert resp.status == 200
    resp = await api.get(f"/v1.50/containers/{cid}/archive?path=/tmp/greeting")
    assert resp.status == 200 and resp.headers["Content-Type"] == "application/x-tar"
    with tarfile.open(fileobj=io.BytesIO(await resp.read())) as tf:
        assert tf.extractfile("greeting").read() == b"hello\n"
    changes = await (await api.get(f"/v1.50/containers/{cid}/changes")).json()
    assert {"Path": "/tmp/greeting", "Kind": 1} in changes


async def test_a_read_only_root_refuses_writes_in_the_container_and_docker_cp(api):
    script = "touch /x; echo > /etc/hosts; touch /dev/shm/ok && echo dev-ok"
    cid, result = await run(api, ["sh", "-c", script], HostConfig={"ReadonlyRootfs": True})
    out, err = demux(await (await api.get(f"/v1.50/containers/{cid}/logs?stdout=1&stderr=1")).read())
    assert (out, err) == (b"dev-ok\n", b"touch: /x: Read-only file system\n"
                                      b"sh: can't create /etc/hosts: Read-only file system\n")
    resp = await api.put(f"/v1.50/containers/{cid}/archive?path=/tmp", data=_tar("x", b"x"))
    assert resp.status == 400
    assert (await resp.json())["message"] == "container rootfs is marked read-only"


def _untar(data: bytes, name: str) -> bytes:
    with tarfile.open(fileobj=io.BytesIO(data)) as tf:
        return tf.extractfile(name).read()


async def test_a_stopped_containers_network_files_are_its_last_ones(make_api_client, tmp_path):
    from dockersim.daemon.backend.engine import Engine

    engine = Engine(str(tmp_path / "data"), seed=8)
    api = await make_api_client(engine)
    await (await api.post("/v1.50/images/create?fromImage=busybox&tag=latest")).read()
    cid, _ = await run(api, ["sh", "-c", "echo 10.1.1.1 extra >> /etc/hosts"], Hostname="web")
    hosts = await (await api.get(f"/v1.50/containers/{cid}/archive?path=/etc/hosts")).read()
    assert _untar(hosts, "hosts").endswith(b"172.17.0.2\tweb\n10.1.1.1 extra\n")
    hostname = await (await api.get(f"/v1.50/containers/{cid}/archive?path=/etc/hostname")).read()
    assert _untar(hostname, "hostname") == b"web\n"
    resolv = await (await api.get(f"/v1.50/containers/{cid}/archive?path=/etc/resolv.conf")).read()
    assert b"\nnameserver 10.0.2.3\n" in _untar(resolv, "resolv.conf")
    # Kept in the container's folder of the data root, as moby keeps them.
    info = await (await api.get(f"/v1.50/containers/{cid}/json")).json()
    assert open(info["HostsPath"], "rb").read() == _untar(hosts, "hosts")
    again = Engine(str(tmp_path / "data"), seed=9)
    try:
        _, data = again.container_get_archive(cid, "/etc/hosts")
        assert _untar(data, "hosts") == _untar(hosts, "hosts")
    finally:
        await again.close()
        await engine.close()


async def test_a_never_started_container_has_no_network_files_to_copy(api):
    cid = (await (await api.post("/v1.50/containers/create",
                                 json={"Image": "busybox", "Cmd": ["true"]})).json())["Id"]
    data = await (await api.get(f"/v1.50/containers/{cid}/archive?path=/etc/hosts")).read()
    assert _untar(data, "hosts") == b""  # the init layer's empty mount point


def test_the_empty_path_check_is_written_once():
    from pathlib import Path

    import dockersim

    root = Path(dockersim.__file__).parent
    holders = [p.relative_to(root).as_posix() for p in root.rglob("*.py")
               if ".venv" not in p.parts and "tests" not in p.parts
               and "pathcannot be empty" in p.read_text()]
    assert holders == ["sim/fs/archive.py"]
