"""Volume subpaths (``--mount type=volume,…,volume-subpath=…``, API 1.45+):
moby's linux_parser.go validation (a named volume, a local relative
subpath), the router's version gate, and MountPoint.Setup at start
(``safepath.Join`` of the volume's path and the subpath, with its errors)."""

import json

import pytest

from dockersim.daemon.wire.stdcopy import demux

from .test_containers import start_and_wait

BASE = "/var/lib/docker/volumes/vs/_data"


async def _json(resp, status=200):
    body = await resp.read()
    assert resp.status == status, body
    return json.loads(body) if body else None


def _mount(subpath, source="vs", target="/d", **extra):
    return {"Type": "volume", "Source": source, "Target": target,
            "VolumeOptions": {"Subpath": subpath}, **extra}


async def _create(api, cmd, host_config, status=201, version="v1.50"):
    resp = await api.post(f"/{version}/containers/create", json={
        "Image": "busybox", "Cmd": cmd, "HostConfig": host_config})
    return await _json(resp, status)


async def _run(api, cmd, host_config):
    cid = (await _create(api, cmd, host_config))["Id"]
    code = (await start_and_wait(api, cid))["StatusCode"]
    out, err = demux(await (await api.get(f"/v1.50/containers/{cid}/logs?stdout=1&stderr=1")).read())
    return cid, code, out.decode(), err.decode()


async def _fill(api):
    """The volume ``vs`` with sub/x, a file f, links up -> .., abs -> /etc
    and in -> sub, written by a container mounting all of it."""
    _, code, _, err = await _run(api, ["sh", "-c", "mkdir /v/sub && echo hi > /v/sub/x && echo f > /v/f && "
                                                   "ln -s .. /v/up && ln -s /etc /v/abs && ln -s sub /v/in"],
                                 {"Binds": ["vs:/v"]})
    assert code == 0, err


async def test_a_subpath_mounts_that_directory_of_the_volume_live(api):
    await _fill(api)
    cid, code, out, err = await _run(api, ["sh", "-c", "ls /d; cat /d/x; echo new > /d/n"],
                                     {"Mounts": [_mount("sub")]})
    assert (code, out) == (0, "x\nhi\n"), err
    # the write is in the volume, below sub/: a container mounting all of it reads it
    _, code, out, _ = await _run(api, ["cat", "/v/sub/n"], {"Binds": ["vs:/v"]})
    assert (code, out) == (0, "new\n")
    info = await _json(await api.get(f"/v1.50/containers/{cid}/json"))
    # moby's Mounts show the volume's path (MountPoint.Path), the request keeps the subpath
    assert info["Mounts"] == [{"Type": "volume", "Name": "vs", "Source": BASE, "Destination": "/d",
                               "Driver": "local", "Mode": "z", "RW": True, "Propagation": ""}]
    assert info["HostConfig"]["Mounts"] == [_mount("sub")]
    # a link inside the volume is followed inside it; a file may be mounted
    _, code, out, err = await _run(api, ["sh", "-c", "cat /d/x /f"],
                                   {"Mounts": [_mount("in"), _mount("f", target="/f")]})
    assert (code, out) == (0, "hi\nf\n"), err


async def test_a_read_only_subpath_refuses_writes(api):
    await _fill(api)
    _, code, out, err = await _run(api, ["sh", "-c", "cat /d/x; touch /d/y"],
                                   {"Mounts": [_mount("sub", ReadOnly=True)]})
    assert code != 0 and out == "hi\n"
    assert "touch: /d/y: Read-only file system" in err


async def test_volumes_from_keeps_the_subpath(api):
    await _fill(api)
    src = (await _create(api, ["true"], {"Mounts": [_mount("sub")]}))["Id"]
    _, code, out, err = await _run(api, ["ls", "/d"], {"VolumesFrom": [src]})
    assert (code, out) == (0, "x\n"), err


async def test_a_missing_subpath_fails_the_start_as_moby(api):
    await _fill(api)
    cid = (await _create(api, ["true"], {"Mounts": [_mount("sub/nope/deeper")]}))["Id"]
    err = await _json(await api.post(f"/v1.50/containers/{cid}/start"), 404)
    assert err["message"] == (f"cannot access path {BASE}/sub/nope/deeper: "
                              f"lstat {BASE}/sub/nope: no such file or directory")
    info = await _json(await api.get(f"/v1.50/containers/{cid}/json"))
    assert info["State"]["Error"] == err["message"]
    assert info["State"]["Status"] == "created"


@pytest.mark.parametrize("subpath, status, message", [
    # up -> ..: above the volume's directory
    ("up", 400, f"path concatenation escapes the base directory, base: {BASE}, subpath: up"),
    # abs -> /etc: moby resolves an absolute link on the host, outside the volume
    ("abs", 400, f"path concatenation escapes the base directory, base: {BASE}, subpath: abs"),
    # a file in the middle: Go's EvalSymlinks says ENOTDIR (moby's 500; bad input, so a 400)
    ("f/x", 400, f'error while resolving symlinks in combined path "{BASE}/f/x": not a directory'),
])
async def test_subpaths_safepath_refuses(api, subpath, status, message):
    await _fill(api)
    cid = (await _create(api, ["true"], {"Mounts": [_mount(subpath)]}))["Id"]
    err = await _json(await api.post(f"/v1.50/containers/{cid}/start"), status)
    assert err["message"] == message


@pytest.mark.parametrize("mount, message", [
    ({"Type": "volume", "Target": "/d", "VolumeOptions": {"Subpath": "sub"}},
     'invalid mount config for type "volume": must not set Subpath when using anonymous volumes'),
    (_mount("../sub"), 'invalid mount config for type "volume": subpath must be a relative path within the volume'),
    (_mount("/sub"), 'invalid mount config for type "volume": subpath must be a relative path within the volume'),
    (_mount("a/../.."), 'invalid mount config for type "volume": subpath must be a relative path within the volume'),
])
async def test_subpath_refusals_at_create_are_mobys(api, mount, message):
    err = await _create(api, ["true"], {"Mounts": [mount]}, status=400)
    assert err["message"] == message


async def test_subpaths_need_api_1_45(api):
    err = await _create(api, ["true"], {"Mounts": [_mount("sub")]}, status=400, version="v1.44")
    assert err["message"] == "VolumeOptions.Subpath needs API v1.45 or newer"
    # the gate reads the field whatever the type (moby's check), before the parser
    err = await _create(api, ["true"], {"Mounts": [{"Type": "bind", "Source": "/tmp", "Target": "/x",
                                                    "VolumeOptions": {"Subpath": "a"}}]},
                        status=400, version="v1.44")
    assert err["message"] == "VolumeOptions.Subpath needs API v1.45 or newer"
    # Go reads field names in any case: so does the gate
    err = await _create(api, ["true"], {"mounts": [{"type": "volume", "source": "data", "target": "/d",
                                                    "volumeoptions": {"subpath": "a"}}]},
                        status=400, version="v1.44")
    assert err["message"] == "VolumeOptions.Subpath needs API v1.45 or newer"
    await _create(api, ["true"], {"Mounts": [_mount("sub")]}, version="v1.45")
    await _create(api, ["true"], {"Mounts": [_mount("")]}, version="v1.44")  # empty: not set


async def test_a_volume_copied_into_joins_its_subpath_at_create(api):
    """moby's populateVolumes: a destination the image has (/etc) and
    CopyData: the subpath is joined at create; an escape fails it, a
    missing one is let be (the start fails), volume-nocopy joins nothing."""
    await _fill(api)
    err = await _create(api, ["true"], {"Mounts": [_mount("up", target="/etc")]}, status=400)
    assert err["message"] == ("failed to populate volume: path concatenation escapes the base directory, "
                              f"base: {BASE}, subpath: up")
    # WorkingDir is made at create, so it counts as there too
    resp = await api.post("/v1.50/containers/create", json={
        "Image": "busybox", "Cmd": ["true"], "WorkingDir": "/w", "HostConfig": {"Mounts": [_mount("up", target="/w")]}})
    assert resp.status == 400, await resp.read()
    await _create(api, ["true"], {"Mounts": [_mount("up", target="/nothere")]})
    await _create(api, ["true"], {"Mounts": [_mount("nope", target="/etc")]})
    await _create(api, ["true"], {"Mounts": [{**_mount("up", target="/etc"),
                                              "VolumeOptions": {"Subpath": "up", "NoCopy": True}}]})
    # the image's files are copied into the (empty) subdirectory at the first start
    _, code, _, err = await _run(api, ["mkdir", "/v/etcsub"], {"Binds": ["vs:/v"]})
    assert code == 0, err
    _, code, out, err = await _run(api, ["cat", "/etc/group"], {"Mounts": [_mount("etcsub", target="/etc")]})
    assert code == 0 and out.startswith("root:"), err
    _, code, listing, err = await _run(api, ["ls", "/v/etcsub"], {"Binds": ["vs:/v"]})
    assert "group" in listing.split() and "passwd" in listing.split(), listing
