"""``docker run --platform`` and ``docker create`` of a foreign image with
the real CLI and docker-py: the daemon compares the image's platform as
moby does (the simulated hub serves linux/amd64 images only)."""

import tarfile

import pytest

from .helpers import docker_py, ok

pytestmark = pytest.mark.e2e


def test_run_with_another_platform_is_refused_after_the_pull(docker):
    ok(docker("pull", "busybox"))
    assert ok(docker("run", "--rm", "--platform", "linux/amd64", "busybox", "true")).returncode == 0
    r = docker("run", "--rm", "--platform", "linux/arm64", "busybox", "true")
    assert r.returncode == 125
    assert ("WARNING: image with reference busybox:latest was found but its platform (linux/amd64) "
            "does not match the specified platform (linux/arm64)") in r.stderr
    assert ("Error response from daemon: image with reference busybox was found but its platform "
            "(linux/amd64) does not match the specified platform (linux/arm64)") in r.stderr


def test_a_foreign_image_is_created_with_a_warning(docker, docker_host, tmp_path):
    (tmp_path / "x").write_text("x")
    with tarfile.open(tmp_path / "fs.tar", "w") as tar:
        tar.add(tmp_path / "x", arcname="x")
    ok(docker("import", "--platform", "linux/arm64", str(tmp_path / "fs.tar"), "armfile"))
    r = ok(docker("create", "armfile", "/x"))
    assert ("WARNING: The requested image's platform (linux/arm64) does not match the detected "
            "host platform (linux/amd64/v2) and no specific platform was requested") in r.stderr
    client = docker_py().DockerClient(base_url=docker_host)
    c = client.containers.create("armfile", "/x", platform="linux/arm64")
    assert c.attrs["Platform"] == "linux"
    with pytest.raises(docker_py().errors.NotFound, match="does not match the specified platform"):
        client.containers.create("armfile", "/x", platform="linux/amd64")
