"""A dockerd outside any swarm, with no plugin installed, as the real
docker CLI and docker-py see it: ``docker service ls`` and friends fail
with dockerd's words, ``docker plugin ls`` is an empty table, ``docker
swarm init`` is refused in dockersim's words."""

from __future__ import annotations

import pytest

from .helpers import docker_py, ok

pytestmark = pytest.mark.e2e

NOT_MANAGER = ('Error response from daemon: This node is not a swarm manager. Use "docker swarm init" or '
               '"docker swarm join" to connect this node to swarm and try again.')


@pytest.mark.parametrize("args", [("service", "ls"), ("node", "ls"), ("secret", "ls"), ("config", "ls"),
                                  ("service", "inspect", "web"), ("service", "ps", "web"),
                                  ("swarm", "unlock-key")])
def test_swarm_commands_say_not_a_manager(docker, args):
    result = docker(*args)
    assert result.returncode == 1
    # (`docker swarm unlock-key` puts "could not fetch unlock key: " before it)
    assert result.stderr.strip().endswith(NOT_MANAGER), result.stderr


def test_swarm_leave(docker):
    result = docker("swarm", "leave")
    assert result.returncode == 1
    assert result.stderr.strip() == "Error response from daemon: This node is not part of a swarm"


def test_swarm_init_is_refused_clearly(docker):
    result = docker("swarm", "init")
    assert result.returncode == 1
    assert result.stderr.startswith("Error response from daemon: swarm mode is not simulated by dockersim: "
                                    "this node cannot initialize a swarm"), result.stderr


def test_info_says_inactive(docker):
    assert ok(docker("info", "--format", "{{.Swarm.LocalNodeState}}")).stdout.strip() == "inactive"
    assert "Swarm: inactive" in ok(docker("info")).stdout


def test_plugin_ls_is_empty(docker):
    lines = ok(docker("plugin", "ls")).stdout.splitlines()
    assert lines[0].split() == ["ID", "NAME", "DESCRIPTION", "ENABLED"]
    assert lines[1:] == []
    assert ok(docker("plugin", "ls", "--filter", "enabled=true", "-q")).stdout == ""
    result = docker("plugin", "ls", "--filter", "enable=true")
    assert result.returncode == 1 and "invalid filter 'enable'" in result.stderr


def test_plugin_inspect_and_rm_nosuch(docker):
    result = docker("plugin", "inspect", "nosuch")
    assert result.returncode == 1
    assert 'plugin "nosuch" not found' in result.stderr, result.stderr
    result = docker("plugin", "rm", "nosuch")
    assert result.returncode == 1
    assert result.stderr.strip() == 'Error response from daemon: plugin "nosuch" not found'
    result = docker("plugin", "enable", "nosuch")
    assert result.returncode == 1 and 'plugin "nosuch" not found' in result.stderr


def test_plugin_install_from_the_simulated_hub(docker):
    result = docker("plugin", "install", "--grant-all-permissions", "vieux/sshfs")
    assert result.returncode == 1
    assert result.stderr.strip().endswith(
        "error resolving plugin reference: pull access denied, repository does not exist or may require "
        "authorization: server message: insufficient_scope: authorization failed"), result.stderr


def test_docker_py(docker_host):
    docker = docker_py()
    client = docker.DockerClient(base_url=docker_host)
    try:
        with pytest.raises(docker.errors.APIError) as info:
            client.services.list()
        assert info.value.status_code == 503
        assert "This node is not a swarm manager" in str(info.value)
        assert client.plugins.list() == []
        with pytest.raises(docker.errors.NotFound):
            client.plugins.get("nosuch")
        assert client.info()["Swarm"]["LocalNodeState"] == "inactive"
        with pytest.raises(docker.errors.APIError) as info:
            client.swarm.init()
        assert info.value.status_code == 501
        with pytest.raises(docker.errors.APIError) as info:
            client.swarm.leave()
        assert info.value.status_code == 503 and "not part of a swarm" in str(info.value)
    finally:
        client.close()
