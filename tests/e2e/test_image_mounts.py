"""Image mounts (``--mount type=image``, Docker Engine 28, API 1.48+) with
the real CLI and docker-py."""

import json

import pytest

from .helpers import docker_py, ok


@pytest.fixture
def alpine(docker):
    ok(docker("pull", "-q", "alpine"))
    return "alpine"


def test_an_image_mount_shows_another_images_files_read_only(docker, alpine):
    r = ok(docker("run", "--rm", "--mount", "type=image,src=alpine,dst=/alp", "busybox",
                  "cat", "/alp/etc/alpine-release"))
    assert r.stdout.strip()[:1].isdigit()
    assert "WARNING: Image mount is an experimental feature" in r.stderr
    alpine_version = ok(docker("run", "--rm", "alpine", "cat", "/etc/alpine-release")).stdout
    assert r.stdout == alpine_version
    r = docker("run", "--rm", "--mount", "type=image,src=alpine,dst=/alp", "busybox",
               "sh", "-c", "touch /alp/x")
    assert r.returncode == 1 and "touch: /alp/x: Read-only file system" in r.stderr
    out = ok(docker("run", "--rm", "--mount", "type=image,source=alpine,target=/alp,image-subpath=etc",
                    "busybox", "sh", "-c", "cat /alp/alpine-release; grep ' /alp ' /proc/mounts; "
                    "df /alp | tail -1")).stdout.splitlines()
    assert out[0] == alpine_version.strip()
    assert out[1] == "overlay /alp overlay ro,relatime 0 0"
    assert out[2].startswith("overlay ") and out[2].endswith(" /alp")


def test_image_mount_errors_are_mobys(docker, alpine):
    r = docker("run", "--rm", "--mount", "type=image,src=nosuch-e2e,dst=/x", "busybox", "true")
    # a 404 at create: the CLI pulls the container's image, tries again, and reports it
    assert r.returncode == 125
    assert "docker: Error response from daemon: No such image: nosuch-e2e:latest" in r.stderr
    r = docker("run", "--rm", "--mount", "type=image,src=alpine,dst=/x,image-subpath=nope", "busybox", "true")
    assert r.returncode == 127
    assert "docker: Error response from daemon: cannot access path /" in r.stderr
    assert "/merged/nope: lstat /" in r.stderr and "/merged/nope: no such file or directory" in r.stderr
    r = docker("run", "--rm", "--mount", "type=image,src=alpine,dst=/x,image-subpath=../etc", "busybox", "true")
    assert r.returncode == 125
    assert ('invalid mount config for type "image": subpath must be a relative path within the volume'
            in r.stderr)
    r = docker("run", "--rm", "--mount", "type=bind,src=/tmp,dst=/x,image-subpath=etc", "busybox", "true")
    assert r.returncode == 125 and "cannot mix 'image-*' options with mount type 'bind'" in r.stderr


def test_the_mounted_image_is_held_while_the_container_exists(docker):
    ok(docker("run", "--name", "e2e-imgsrc", "busybox", "sh", "-c", "echo made > /made"))
    ok(docker("commit", "e2e-imgsrc", "e2e-mounted:1"))
    ok(docker("rm", "e2e-imgsrc"))
    cid = ok(docker("create", "--mount", "type=image,src=e2e-mounted:1,dst=/m", "alpine",
                    "cat", "/m/made")).stdout.strip()
    try:
        info = json.loads(ok(docker("inspect", cid)).stdout)[0]
        (mount,) = info["Mounts"]
        assert mount["Source"].startswith("/") and mount["Source"].endswith("/merged")
        assert {k: v for k, v in mount.items() if k != "Source"} == {
            "Type": "image", "Name": "e2e-mounted:1", "Destination": "/m", "Mode": "", "RW": False,
            "Propagation": "rprivate"}
        # its only name cannot go without force (moby's ImageDelete) ...
        r = docker("rmi", "e2e-mounted:1")
        assert r.returncode == 1
        assert ('conflict: unable to remove repository reference "e2e-mounted:1" (must force) - '
                f"container {cid[:12]} is using its referenced image") in r.stderr
        # ... with it, the image goes, the layers stay while the mount holds them
        ok(docker("rmi", "-f", "e2e-mounted:1"))
        assert ok(docker("start", "-a", cid)).stdout == "made\n"
    finally:
        ok(docker("rm", "-f", cid))


def test_docker_py_image_mounts(docker_host, alpine):
    docker = docker_py()
    client = docker.DockerClient(base_url=docker_host)
    # docker-py 7.2's Mount type refuses "image" on the client side ...
    with pytest.raises(docker.errors.InvalidArgument, match='Unsupported mount type: "image"'):
        docker.types.Mount("/alp", "alpine", type="image")
    # ... the API takes the mount as a plain dict.
    out = client.containers.run("busybox", "cat /alp/alpine-release", remove=True, mounts=[
        {"Type": "image", "Source": "alpine", "Target": "/alp", "ImageOptions": {"Subpath": "etc"}}])
    assert out.strip()[:1].isdigit()
    old = docker.DockerClient(base_url=docker_host, version="1.47")
    with pytest.raises(docker.errors.APIError, match='Mount type "Image" needs API v1.48 or newer'):
        old.containers.create("busybox", "true", mounts=[{"Type": "image", "Source": "alpine",
                                                            "Target": "/alp"}])
