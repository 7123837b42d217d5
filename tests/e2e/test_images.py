"""Images with the real docker CLI and docker-py: pull, list, inspect,
history, tag, remove, against the simulated Docker Hub."""

from __future__ import annotations

import json
import re

import pytest

from .helpers import ok

pytestmark = pytest.mark.e2e


def test_pull_then_pull_again(docker):
    # alpine 3.17: no other image the tests pull is built on it (nginx:alpine
    # and bash are on 3.20), so its layer is new to the daemon.
    docker("rmi", "-f", "alpine:3.17")
    first = ok(docker("pull", "alpine:3.17", timeout=120))
    assert first.stdout.startswith("3.17: Pulling from library/alpine\n")
    assert "Pull complete" in first.stdout
    assert first.stdout.rstrip().endswith("docker.io/library/alpine:3.17")
    again = ok(docker("pull", "alpine:3.17"))
    assert "Status: Image is up to date for alpine:3.17" in again.stdout
    assert "Pull complete" not in again.stdout


def test_pull_for_another_platform_warns(docker):
    """A single-platform image of another platform is pulled anyway, with
    moby's warning as the last line."""
    out = ok(docker("pull", "--platform", "linux/arm64", "alpine:3.19", timeout=120)).stdout
    assert ("WARNING: image with reference alpine:3.19 was found but its platform (linux/amd64) "
            "does not match the specified platform (linux/arm64)\n") in out, out
    r = docker("pull", "--platform", "linux/x y", "alpine:3.19")
    assert r.returncode == 1 and '"x y" is an invalid component of "linux/x y"' in r.stderr, r.stderr


def test_shared_layers_say_already_exists(docker):
    docker("rmi", "-f", "node:22", "debian:bookworm")
    ok(docker("pull", "debian:bookworm", timeout=120))
    node = ok(docker("pull", "node:22", timeout=120)).stdout
    base = json.loads(ok(docker("image", "inspect", "debian:bookworm", "--format",
                                "{{json .RootFS.Layers}}")).stdout)
    layers = json.loads(ok(docker("image", "inspect", "node:22", "--format",
                                  "{{json .RootFS.Layers}}")).stdout)
    assert layers[0] == base[0]
    assert f"{base[0][7:19]}: Already exists" in node


def test_images_tag_and_rmi(docker):
    ok(docker("pull", "busybox", timeout=120))
    ok(docker("tag", "busybox", "museum/piece:v1"))
    rows = ok(docker("images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}")).stdout.splitlines()
    ids = dict(row.split() for row in rows)
    assert ids["museum/piece:v1"] == ids["busybox:latest"]
    assert re.fullmatch(r"[0-9a-f]{12}", ids["busybox:latest"])
    untag = ok(docker("rmi", "museum/piece:v1"))
    assert untag.stdout == "Untagged: museum/piece:v1\n"
    missing = docker("rmi", "nosuch")
    assert missing.returncode == 1
    assert "Error response from daemon: No such image: nosuch:latest" in missing.stderr


def test_rmi_of_an_image_in_use_is_a_conflict(docker):
    ok(docker("run", "--name", "user-of-3-12", "alpine:3.12", "true", timeout=120))
    try:
        result = docker("rmi", "alpine:3.12")
        assert result.returncode == 1
        assert "conflict: unable to remove repository reference \"alpine:3.12\" (must force)" \
            in result.stderr
    finally:
        docker("rm", "user-of-3-12")


def test_history_and_inspect(docker):
    ok(docker("pull", "nginx", timeout=120))
    history = ok(docker("history", "--no-trunc", "--format", "{{.CreatedBy}}", "nginx")).stdout
    assert "nginx" in history and len(history.strip().splitlines()) >= 4
    info = json.loads(ok(docker("image", "inspect", "nginx")).stdout)[0]
    assert info["Config"]["Cmd"] == ["nginx", "-g", "daemon off;"]
    assert info["Config"]["ExposedPorts"] == {"80/tcp": {}}
    assert info["RepoDigests"][0].startswith("nginx@sha256:")
    assert info["Os"] == "linux" and info["RootFS"]["Type"] == "layers"


def test_docker_py_images(docker_host):
    import docker as docker_py

    client = docker_py.DockerClient(base_url=docker_host)
    try:
        image = client.images.pull("alpine", tag="3.19")
        assert "alpine:3.19" in image.tags
        assert any("alpine:3.19" in i.tags for i in client.images.list())
        assert client.images.get(image.short_id.split(":")[1]).id == image.id
        out = client.containers.run("alpine:3.19", ["cat", "/etc/os-release"], remove=True)
        assert b'NAME="Alpine Linux"' in out
        container = client.containers.create("alpine:3.19", ["sh", "-c", "echo a; echo b >&2; exit 4"])
        try:
            container.start()
            assert container.wait()["StatusCode"] == 4
            assert container.logs(stdout=True, stderr=False) == b"a\n"
            assert container.logs(stdout=False, stderr=True) == b"b\n"
        finally:
            container.remove()
    finally:
        client.close()
