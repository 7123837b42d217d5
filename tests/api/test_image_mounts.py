"""Image mounts (``--mount type=image``, API 1.48+): moby's
volume/mounts/linux_parser.go validation, daemon/volumes.go
registerMountPoints (the image looked up, a layer made from it, read-only),
MountPoint.Setup (the subpath joined with safepath.Join) and ImageDelete
(a name mounted by a container is not untagged without force)."""

import json

import pytest

from dockersim.daemon.backend.engine import Engine
from dockersim.daemon.wire.stdcopy import demux

from .test_containers import start_and_wait

from .conftest import kill_running


async def _json(resp, status=200):
    body = await resp.read()
    assert resp.status == status, body
    return json.loads(body) if body else None


async def _pull(api, image, tag):
    resp = await api.post(f"/v1.50/images/create?fromImage=docker.io%2Flibrary%2F{image}&tag={tag}")
    assert resp.status == 200
    await resp.read()


def _mount(source="alpine:3.20", target="/alp", **extra):
    return {"Type": "image", "Source": source, "Target": target, **extra}


async def _create(api, cmd, mounts, status=201, version="v1.50"):
    resp = await api.post(f"/{version}/containers/create", json={
        "Image": "busybox", "Cmd": cmd, "HostConfig": {"Mounts": mounts}})
    return await _json(resp, status)


async def _run(api, cmd, mounts):
    answer = await _create(api, cmd, mounts)
    cid, _, code, out, err = await _run_existing(api, answer["Id"])
    return cid, answer["Warnings"], code, out, err


@pytest.fixture
async def alp(api):
    await _pull(api, "alpine", "3.20")
    return api


async def test_image_mount_shows_the_image_read_only(alp, api):
    cid, warnings, code, out, err = await _run(api, [
        "sh", "-c", "cat /alp/etc/alpine-release; touch /alp/x; grep ' /alp ' /proc/mounts; "
        "ls /alp/etc/apk | head -1; df /alp | tail -1"], [_mount()])
    assert warnings == ["Image mount is an experimental feature"]
    lines = out.splitlines()
    assert lines[0].startswith("3.20.")
    assert "touch: /alp/x: Read-only file system" in err
    assert lines[1] == "overlay /alp overlay ro,relatime 0 0"
    assert lines[2] == "arch"
    assert lines[3].startswith("overlay") and lines[3].endswith("/alp")
    assert code == 0
    info = await _json(await api.get(f"/v1.50/containers/{cid}/json"))
    (mount,) = info["Mounts"]
    source = mount.pop("Source")
    assert source.startswith("/var/lib/docker/overlay2/") and source.endswith("/merged")
    assert mount == {"Type": "image", "Name": "alpine:3.20", "Destination": "/alp", "Mode": "",
                     "RW": False, "Propagation": "rprivate"}
    assert info["HostConfig"]["Mounts"] == [_mount()]  # the request, as given
    # diff and export leave its content out, as every mount's (runc's
    # mount point is in the writable layer, as for a volume).
    changes = await _json(await api.get(f"/v1.50/containers/{cid}/changes"))
    assert [c for c in changes if c["Path"].startswith("/alp")] == [{"Path": "/alp", "Kind": 1}]
    tar = await (await api.get(f"/v1.50/containers/{cid}/export")).read()
    assert b"alpine-release" not in tar


async def test_image_subpath(alp, api):
    _, _, code, out, _ = await _run(api, ["cat", "/e/alpine-release"],
                                    [_mount(target="/e", ImageOptions={"Subpath": "etc"})])
    assert code == 0 and out.startswith("3.20.")
    # a link inside the image is followed inside it (bin/sh -> /bin/busybox
    # is absolute: moby resolves it on the host, so it escapes)
    _, _, code, out, _ = await _run(api, ["ls", "/s"], [_mount(target="/s", ImageOptions={"Subpath": "etc/apk"})])
    assert code == 0 and "arch" in out.split()


async def test_a_missing_subpath_fails_the_start_as_moby(alp, api):
    answer = await _create(api, ["true"], [_mount(ImageOptions={"Subpath": "etc/nope/deeper"})])
    err = await _json(await api.post(f"/v1.50/containers/{answer['Id']}/start"), 404)
    info = await _json(await api.get(f"/v1.50/containers/{answer['Id']}/json"))
    base = info["Mounts"][0]["Source"]
    assert err["message"] == (f"cannot access path {base}/etc/nope/deeper: "
                              f"lstat {base}/etc/nope: no such file or directory")
    assert info["State"]["Error"] == err["message"]


@pytest.mark.parametrize("subpath, status, message", [
    # a file in the middle: Go's EvalSymlinks says ENOTDIR (moby's 500; bad input, so a 400)
    ("etc/alpine-release/x", 400,
     'error while resolving symlinks in combined path "{base}/etc/alpine-release/x": not a directory'),
    # bin/sh -> /bin/busybox: moby resolves an absolute link on the host, outside the layer
    ("bin/sh", 400, "path concatenation escapes the base directory, base: {base}, subpath: bin/sh"),
])
async def test_subpaths_safepath_refuses(alp, api, subpath, status, message):
    answer = await _create(api, ["true"], [_mount(ImageOptions={"Subpath": subpath})])
    err = await _json(await api.post(f"/v1.50/containers/{answer['Id']}/start"), status)
    base = (await _json(await api.get(f"/v1.50/containers/{answer['Id']}/json")))["Mounts"][0]["Source"]
    assert err["message"] == message.format(base=base)


@pytest.mark.parametrize("mount, status, message", [
    (_mount(source="nosuch"), 404, "No such image: nosuch:latest"),
    (_mount(source=""), 400, 'invalid mount config for type "image": field Source must not be empty'),
    (_mount(BindOptions={}), 400, 'invalid mount config for type "image": field BindOptions must not be specified'),
    (_mount(VolumeOptions={}), 400,
     'invalid mount config for type "image": field VolumeOptions must not be specified'),
    (_mount(ImageOptions={"Subpath": "../etc"}), 400,
     'invalid mount config for type "image": subpath must be a relative path within the volume'),
    (_mount(ImageOptions={"Subpath": "/etc"}), 400,
     'invalid mount config for type "image": subpath must be a relative path within the volume'),
    ({"Type": "bind", "Source": "/tmp", "Target": "/x", "ImageOptions": {}}, 400,
     'invalid mount config for type "bind": field ImageOptions must not be specified'),
    ({"Type": "volume", "Target": "/x", "ImageOptions": {}}, 400,
     'invalid mount config for type "volume": field ImageOptions must not be specified'),
])
async def test_image_mount_refusals_are_mobys(alp, api, mount, status, message):
    err = await _create(api, ["true"], [mount], status=status)
    assert err["message"] == message


async def test_image_mounts_need_api_1_48(alp, api):
    err = await _create(api, ["true"], [_mount()], status=400, version="v1.47")
    assert err["message"] == 'Mount type "Image" needs API v1.48 or newer'
    await _create(api, ["true"], [_mount()], version="v1.48")


@pytest.fixture
async def engine_api(make_api_client):
    engine = Engine(None, seed=3)
    client = await make_api_client(engine)
    for image, tag in (("busybox", "latest"), ("alpine", "3.20")):
        await _pull(client, image, tag)
    yield engine, client
    await kill_running(engine)
    await engine.close()


async def test_the_mount_holds_the_image(engine_api):
    engine, api = engine_api
    alpine = engine.images.lookup("alpine:3.20")
    top = alpine.top_chain_id
    held = engine.layers.get(top).refcount
    answer = await _create(api, ["true"], [_mount()])
    assert engine.layers.get(top).refcount == held + 1
    err = await _json(await api.delete("/v1.50/images/alpine:3.20"), 409)
    assert err["message"] == (f'conflict: unable to remove repository reference "alpine:3.20" (must force) - '
                              f"container {answer['Id'][:12]} is using its referenced image "
                              f"{alpine.id[7:19]}")
    # Forced, the image goes (the mount is no delete conflict, moby checks
    # only the containers made from it); its layers stay, held by the mount.
    records = await _json(await api.delete("/v1.50/images/alpine:3.20?force=1"))
    assert records[-1] == {"Deleted": alpine.id} and "Untagged" in records[0]
    assert all("Untagged" in r for r in records[:-1])
    assert engine.layers.get(top).refcount == held
    _, _, code, out, _ = await _run_existing(api, answer["Id"])
    assert code == 0
    # The container goes: so do the layers.
    await _json(await api.delete(f"/v1.50/containers/{answer['Id']}"), 204)
    assert top not in engine.layers


async def test_commit_leaves_the_mount_out(engine_api):
    engine, api = engine_api
    answer = await _create(api, ["sh", "-c", "echo hi > /made"], [_mount()])
    await _run_existing(api, answer["Id"])
    img = await _json(await api.post(f"/v1.50/commit?container={answer['Id']}&repo=snap", json={}), 201)
    tar = engine.layers.tar(engine.images.lookup(img["Id"]).diff_ids[-1])
    assert b"made" in tar and b"alpine-release" not in tar


async def _run_existing(api, cid):
    code = (await start_and_wait(api, cid))["StatusCode"]
    out, err = demux(await (await api.get(f"/v1.50/containers/{cid}/logs?stdout=1&stderr=1")).read())
    return cid, None, code, out.decode(), err.decode()


async def test_volumes_from_copies_an_image_mount(engine_api):
    engine, api = engine_api
    top = engine.images.lookup("alpine:3.20").top_chain_id
    held = engine.layers.get(top).refcount
    src = (await _create(api, ["true"], [_mount()]))["Id"]
    resp = await api.post("/v1.50/containers/create", json={
        "Image": "busybox", "Cmd": ["cat", "/alp/etc/alpine-release"],
        "HostConfig": {"VolumesFrom": [src]}})
    cid = (await _json(resp, 201))["Id"]
    info = await _json(await api.get(f"/v1.50/containers/{cid}/json"))
    assert [(m["Type"], m["Name"], m["RW"]) for m in info["Mounts"]] == [("image", "alpine:3.20", False)]
    _, _, code, out, _ = await _run_existing(api, cid)
    assert code == 0 and out.startswith("3.20.")
    # the copy holds nothing (moby's copy has no layer): only the source's removal releases it
    assert engine.layers.get(top).refcount == held + 1
    await _json(await api.delete(f"/v1.50/containers/{cid}"), 204)
    assert engine.layers.get(top).refcount == held + 1
    await _json(await api.delete(f"/v1.50/containers/{src}"), 204)
    assert engine.layers.get(top).refcount == held


async def test_an_image_mount_survives_a_daemon_restart(make_api_client, tmp_path):
    root = str(tmp_path / "data")
    engine = Engine(root, seed=5)
    api = await make_api_client(engine)
    for image, tag in (("busybox", "latest"), ("alpine", "3.20")):
        await _pull(api, image, tag)
    cid = (await _create(api, ["ls", "/e/apk"], [_mount(target="/e", ImageOptions={"Subpath": "etc"})]))["Id"]
    top = engine.images.lookup("alpine:3.20").top_chain_id
    held = engine.layers.get(top).refcount
    await engine.close()
    await api.close()
    engine = Engine(root, seed=6)
    api = await make_api_client(engine)
    try:
        assert engine.layers.get(top).refcount == held
        _, _, code, out, _ = await _run_existing(api, cid)
        assert code == 0 and "arch" in out.split()
        await _json(await api.delete(f"/v1.50/containers/{cid}"), 204)
        assert engine.layers.get(top).refcount == held - 1
    finally:
        await engine.close()
