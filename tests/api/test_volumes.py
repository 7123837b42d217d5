"""Volumes, bind mounts and tmpfs through the API (moby's router/volume,
volume/mounts/linux_parser.go) and the confined host filesystem."""

import json
import os

import pytest

from dockersim.daemon.backend.hostfs import HostFs
from dockersim.sim.errors import SimError


async def _json(resp, status=200):
    body = await resp.read()
    assert resp.status == status, body
    return json.loads(body) if body else None


async def _create(api, body, status=201):
    resp = await api.post("/v1.50/containers/create", json={"Image": "busybox", "Cmd": ["true"], **body})
    return await _json(resp, status)


async def test_volume_create_inspect_list_remove_and_prune(api):
    vol = await _json(await api.post("/v1.50/volumes/create",
                                     json={"Name": "data", "Labels": {"a": "b"}}), 201)
    assert vol["Mountpoint"] == "/var/lib/docker/volumes/data/_data"
    assert (vol["Driver"], vol["Scope"], vol["Labels"]) == ("local", "local", {"a": "b"})
    anon = await _json(await api.post("/v1.50/volumes/create", json={}), 201)
    assert len(anon["Name"]) == 64
    listed = await _json(await api.get("/v1.50/volumes", params={"filters": '{"label":["a=b"]}'}))
    assert [v["Name"] for v in listed["Volumes"]] == ["data"]
    assert (await _json(await api.get("/v1.50/volumes/data")))["Name"] == "data"
    err = await _json(await api.get("/v1.50/volumes/nosuch"), 404)
    assert err["message"] == "get nosuch: no such volume"
    cid = (await _create(api, {"HostConfig": {"Binds": ["data:/d"]}}))["Id"]
    err = await _json(await api.delete("/v1.50/volumes/data"), 409)
    assert err["message"] == f"remove data: volume is in use - [{cid}]"
    dangling = await _json(await api.get("/v1.50/volumes", params={"filters": '{"dangling":["true"]}'}))
    assert [v["Name"] for v in dangling["Volumes"]] == [anon["Name"]]
    # Prune: only anonymous volumes by default (API >= 1.42); ours has no label.
    pruned = await _json(await api.post("/v1.50/volumes/prune"))
    assert pruned["VolumesDeleted"] == []
    pruned = await _json(await api.post("/v1.50/volumes/prune", params={"filters": '{"all":["true"]}'}))
    assert pruned["VolumesDeleted"] == [anon["Name"]]
    await _json(await api.delete(f"/v1.50/containers/{cid}"), 204)
    await _json(await api.delete("/v1.50/volumes/data"), 204)
    await _json(await api.delete("/v1.50/volumes/data?force=1"), 204)


@pytest.mark.parametrize("body, status, message", [
    ({"Driver": "nfs4"}, 404, 'create xy: error looking up volume plugin nfs4: plugin "nfs4" not found'),
    ({"DriverOpts": {"foo": "1"}}, 400, 'create xy: invalid option: "foo"'),
    ({"DriverOpts": {"type": "tmpfs"}}, 400, 'create xy: missing required option: "device"'),
])
async def test_volume_create_refusals(api, body, status, message):
    err = await _json(await api.post("/v1.50/volumes/create", json={"Name": "xy", **body}), status)
    assert err["message"] == message


@pytest.mark.parametrize("host_config, message", [
    ({"Mounts": [{"Type": "bind", "Source": "/nosuch-dockersim", "Target": "/x"}]},
     'invalid mount config for type "bind": bind source path does not exist: /nosuch-dockersim'),
    ({"Mounts": [{"Type": "bind", "Source": "/tmp", "Target": "/"}]},
     "invalid mount config for type \"bind\": invalid specification: destination can't be '/'"),
    ({"Mounts": [{"Type": "volume", "Target": "/x", "ReadOnly": True}]},
     'invalid mount config for type "volume": must not set ReadOnly mode when using anonymous volumes'),
    ({"Mounts": [{"Type": "tmpfs", "Source": "a", "Target": "/x"}]},
     'invalid mount config for type "tmpfs": field Source must not be specified'),
    ({"Mounts": [{"Type": "what", "Target": "/x"}]}, 'invalid mount config for type "what": mount type unknown'),
    ({"Binds": ["/tmp:/x:rw:z"]}, "invalid volume specification: '/tmp:/x:rw:z'"),
    ({"Binds": ["/tmp:rw"]}, "invalid volume specification: '/tmp:rw'"),
    ({"Binds": ["/tmp:/x:bogus"]}, "invalid mode: bogus"),
    ({"Binds": ["/tmp:relative"]},
     "invalid volume specification: '/tmp:relative': invalid mount config for type \"bind\": "
     "invalid mount path: 'relative' mount path must be absolute"),
    ({"Binds": ["/tmp:/x", "/var:/x"]}, "Duplicate mount point: /x"),
])
async def test_mount_errors_are_mobys(api, host_config, message):
    err = await _json(await api.post("/v1.50/containers/create",
                                     json={"Image": "busybox", "HostConfig": host_config}), 400)
    assert err["message"] == message


async def test_inspect_shows_mounts_as_dockerd(api, tmp_path):
    cid = (await _create(api, {"Volumes": {"/anon": {}}, "HostConfig": {
        "Binds": [f"{tmp_path}:/h:ro", "named:/n"],
        "Mounts": [{"Type": "tmpfs", "Target": "/t", "TmpfsOptions": {"SizeBytes": 1 << 20}}]}}))["Id"]
    info = await _json(await api.get(f"/v1.50/containers/{cid}/json"))
    mounts = {m["Destination"]: m for m in info["Mounts"]}
    assert mounts["/h"] == {"Type": "bind", "Source": str(tmp_path), "Destination": "/h", "Mode": "ro",
                            "RW": False, "Propagation": "rprivate"}
    assert mounts["/n"] == {"Type": "volume", "Name": "named",
                            "Source": "/var/lib/docker/volumes/named/_data", "Destination": "/n",
                            "Driver": "local", "Mode": "z", "RW": True, "Propagation": ""}
    anon = mounts["/anon"]["Name"]
    assert len(anon) == 64 and mounts["/anon"]["Mode"] == ""
    assert mounts["/t"] == {"Type": "tmpfs", "Source": "", "Destination": "/t", "Mode": "", "RW": True,
                            "Propagation": ""}
    # rm -v takes the anonymous volume, never the named one.
    await _json(await api.delete(f"/v1.50/containers/{cid}?v=1"), 204)
    names = [v["Name"] for v in (await _json(await api.get("/v1.50/volumes")))["Volumes"]]
    assert "named" in names and anon not in names


def test_host_fs_never_leaves_its_root(tmp_path):
    root, outside = tmp_path / "root", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (outside / "secret").write_text("s")
    (root / "link").symlink_to(outside)
    fs = HostFs(str(root))
    link = fs.lookup(fs.root_node(), "link")
    assert link is not None and fs.readlink(link) == str(outside)
    with pytest.raises(SimError):  # a link is never entered as a directory on the host
        fs.lookup(link, "secret") or fs.listdir(link)
    for bad in ("..", ".", "a/b"):
        with pytest.raises(SimError):
            fs.mknod(fs.root_node(), bad, fs.open_inode(fs.root_node(), write=False))
    ro = HostFs(str(root), readonly=True)
    with pytest.raises(SimError):
        ro.unlink(ro.root_node(), "link")
    assert os.path.islink(root / "link")


async def test_volumes_from_copies_the_other_containers_mount_points(api, tmp_path):
    src = (await _create(api, {"HostConfig": {"Binds": [f"{tmp_path}:/h", "shared:/s"]}}))["Id"]
    cid = (await _create(api, {"HostConfig": {"VolumesFrom": [f"{src}:ro"]}}))["Id"]
    info = await _json(await api.get(f"/v1.50/containers/{cid}/json"))
    assert [(m["Destination"], m["RW"]) for m in info["Mounts"]] == [("/h", False), ("/s", False)]
    err = await _json(await api.post("/v1.50/containers/create", json={
        "Image": "busybox", "HostConfig": {"VolumesFrom": [f"{src}:rshared"]}}), 400)
    assert err["message"] == "invalid mode: rshared"
    err = await _json(await api.delete("/v1.50/volumes/shared"), 409)
    assert src in err["message"] and cid in err["message"]


async def test_tmpfs_options_not_simulated_are_refused(api):
    err = await _json(await api.post("/v1.50/containers/create", json={
        "Image": "busybox", "HostConfig": {"Tmpfs": {"/run": "uid=1000"}}}), 400)
    assert err["message"] == "tmpfs option uid=1000 is not simulated"
    await _create(api, {"HostConfig": {"Tmpfs": {"/run": "rw,noexec,nosuid,size=65536k"}}})


async def test_prune_before_api_1_42_takes_every_unused_volume(api):
    await _json(await api.post("/v1.50/volumes/create", json={"Name": "old"}), 201)
    assert (await _json(await api.post("/v1.50/volumes/prune")))["VolumesDeleted"] == []
    assert (await _json(await api.post("/v1.41/volumes/prune")))["VolumesDeleted"] == ["old"]


def test_volumes_reload_and_half_done_work_is_cleaned(tmp_path):
    from dockersim.daemon.backend.volumes import Volumes
    from dockersim.sim.clock import ManualClock
    from dockersim.sim.ids import IdSource

    vols = Volumes(str(tmp_path), ManualClock(), IdSource(seed=1), lambda: {})
    vols.create("keep", labels={"a": "b"})
    (tmp_path / "keep" / "_data" / "f").write_text("x")
    (tmp_path / "keep" / ".tmp-abc").write_text("")
    (tmp_path / "gone" / "_data").mkdir(parents=True)
    (tmp_path / "gone" / ".removing").write_text("{}")
    again = Volumes(str(tmp_path), ManualClock(), IdSource(seed=1), lambda: {})
    assert list(again.volumes) == ["keep"] and again.get("keep").labels == {"a": "b"}
    assert sorted(os.listdir(tmp_path)) == ["keep"]
    assert sorted(os.listdir(tmp_path / "keep")) == ["_data", "dockersim.json"]


async def test_updating_a_volume_needs_a_swarm(api):
    """``PUT /volumes/{name}`` updates cluster volumes only: a daemon in no
    swarm answers moby's 503, whatever the volume."""
    resp = await api.put("/v1.50/volumes/anything?version=1", json={})
    assert (resp.status, (await resp.json())["message"]) == (
        503, "volume update only valid for cluster volumes, but swarm is unavailable")
