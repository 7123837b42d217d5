"""Bad input from real clients: Docker's 400s with dockerd's words, never a
500, and the daemon goes on (issue 8)."""

from __future__ import annotations

import pytest

from .helpers import docker_py, ok


def test_an_unknown_filter_is_named_by_the_cli(docker):
    for args in (["ps", "--filter", "nosuch=1"], ["images", "--filter", "nosuch=1"],
                 ["network", "ls", "--filter", "nosuch=1"]):
        result = docker(*args)
        assert result.returncode != 0
        assert "Error response from daemon: invalid filter 'nosuch'" in result.stderr, result.stderr
    ok(docker("ps"))


def test_stop_with_a_huge_timeout_kills_at_once(docker):
    """``docker stop -t`` of a value whose nanoseconds overflow int64 is a
    deadline already past on dockerd: the container is killed at once."""
    cid = ok(docker("run", "-d", "busybox", "sleep", "1000")).stdout.strip()
    ok(docker("stop", "-t", "10000000000", cid, timeout=20))
    assert ok(docker("inspect", "-f", "{{.State.Running}}", cid)).stdout.strip() == "false"


def test_docker_py_wrongly_typed_bodies_are_400s(docker_host):
    dpy = docker_py()
    client = dpy.APIClient(base_url=docker_host)
    with pytest.raises(dpy.errors.APIError) as exc:
        client.create_container("busybox", "true", host_config={"RestartPolicy": "always"})
    assert exc.value.status_code == 400
    assert exc.value.explanation == (
        "invalid JSON: json: cannot unmarshal string into Go struct field "
        "HostConfig.HostConfig.RestartPolicy of type container.RestartPolicy")
    cid = client.create_container("busybox", ["sleep", "1000"])["Id"]
    client.start(cid)
    try:
        with pytest.raises(dpy.errors.APIError) as exc:
            client.exec_create(cid, ["ls"], workdir=5)
        assert exc.value.status_code == 400
        assert exc.value.explanation == ("invalid JSON: json: cannot unmarshal number into Go struct "
                                         "field ExecOptions.WorkingDir of type string")
        assert client.exec_start(client.exec_create(cid, ["echo", "hi"])["Id"]) == b"hi\n"
    finally:
        client.remove_container(cid, force=True)
    assert client.ping()
