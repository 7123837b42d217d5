"""Volume subpaths (``--mount type=volume,…,volume-subpath=…``, API 1.45+)
with the real CLI and docker-py."""

import json

import pytest

from .helpers import docker_py, ok


@pytest.fixture
def volume(docker):
    """The volume e2e-vsub holding sub/x, written by a container."""
    docker("volume", "rm", "-f", "e2e-vsub")
    ok(docker("volume", "create", "e2e-vsub"))
    ok(docker("run", "--rm", "-v", "e2e-vsub:/v", "busybox", "sh", "-c",
              "mkdir /v/sub && echo from-one > /v/sub/x"))
    yield "e2e-vsub"
    docker("volume", "rm", "-f", "e2e-vsub")


def test_a_volume_subpath_mounts_that_directory_shared_live(docker, volume):
    r = ok(docker("run", "--rm", "--mount", f"type=volume,src={volume},dst=/d,volume-subpath=sub",
                  "busybox", "sh", "-c", "ls /d; cat /d/x; echo from-two > /d/y"))
    assert r.stdout == "x\nfrom-one\n"
    # written under /d, it is in the volume at sub/: another container mounting all of it reads it
    assert ok(docker("run", "--rm", "-v", f"{volume}:/v", "busybox", "cat", "/v/sub/y")).stdout == "from-two\n"
    r = docker("run", "--rm", "--mount", f"type=volume,src={volume},dst=/d,volume-subpath=sub,readonly",
               "busybox", "sh", "-c", "cat /d/x; touch /d/z")
    assert r.returncode == 1 and r.stdout == "from-one\n"
    assert "touch: /d/z: Read-only file system" in r.stderr
    cid = ok(docker("create", "--mount", f"type=volume,src={volume},dst=/d,volume-subpath=sub",
                    "busybox", "true")).stdout.strip()
    try:
        info = json.loads(ok(docker("inspect", cid)).stdout)[0]
        # Mounts show the volume's path; the request keeps the subpath (the
        # CLI sends an empty DriverConfig with any volume-* option)
        assert info["Mounts"] == [{"Type": "volume", "Name": volume,
                                   "Source": f"/var/lib/docker/volumes/{volume}/_data", "Destination": "/d",
                                   "Driver": "local", "Mode": "z", "RW": True, "Propagation": ""}]
        assert info["HostConfig"]["Mounts"] == [{"Type": "volume", "Source": volume, "Target": "/d",
                                                 "VolumeOptions": {"Subpath": "sub", "DriverConfig": {}}}]
    finally:
        ok(docker("rm", "-f", cid))


def test_volume_subpath_errors_are_mobys(docker, volume):
    base = f"/var/lib/docker/volumes/{volume}/_data"
    # missing: the start's 404, which the CLI's run answers with 127
    r = docker("run", "--rm", "--mount", f"type=volume,src={volume},dst=/d,volume-subpath=nope/deeper",
               "busybox", "true")
    assert r.returncode == 127, r.stderr
    assert (f"docker: Error response from daemon: cannot access path {base}/nope/deeper: "
            f"lstat {base}/nope: no such file or directory") in r.stderr
    ok(docker("run", "--rm", "-v", f"{volume}:/v", "busybox", "ln", "-s", "..", "/v/up"))
    r = docker("run", "--rm", "--mount", f"type=volume,src={volume},dst=/d,volume-subpath=up", "busybox", "true")
    assert r.returncode == 125, r.stderr
    assert ("docker: Error response from daemon: path concatenation escapes the base directory, "
            f"base: {base}, subpath: up") in r.stderr
    r = docker("run", "--rm", "--mount", f"type=volume,src={volume},dst=/d,volume-subpath=../x", "busybox", "true")
    assert r.returncode == 125
    assert 'invalid mount config for type "volume": subpath must be a relative path within the volume' in r.stderr
    r = docker("run", "--rm", "--mount", "type=volume,dst=/d,volume-subpath=sub", "busybox", "true")
    assert r.returncode == 125
    assert ('invalid mount config for type "volume": must not set Subpath when using anonymous volumes'
            in r.stderr)
    r = docker("run", "--rm", "--mount", f"type=volume,src={volume},dst=/d,volume-subpath=sub", "busybox", "true",
               env={"DOCKER_API_VERSION": "1.44"})
    assert r.returncode == 125
    assert "docker: Error response from daemon: VolumeOptions.Subpath needs API v1.45 or newer" in r.stderr


def test_docker_py_volume_subpath(docker_host, volume):
    docker = docker_py()
    client = docker.DockerClient(base_url=docker_host)
    mount = docker.types.Mount("/d", volume, type="volume", subpath="sub")
    assert client.containers.run("busybox", "cat /d/x", remove=True, mounts=[mount]) == b"from-one\n"
    old = docker.DockerClient(base_url=docker_host, version="1.44")
    with pytest.raises(docker.errors.APIError, match="VolumeOptions.Subpath needs API v1.45 or newer"):
        old.containers.create("busybox", "true", mounts=[mount])
