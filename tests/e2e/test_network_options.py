"""``docker network create`` options with the real CLI and docker-py: the
simulated ones seen from inside containers and on the simulated host, the
refused ones with dockerd's words (docs/network-options.md)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import docker_py, ok

pytestmark = pytest.mark.e2e


def _ip(docker, name: str, network: str) -> str:
    out = ok(docker("inspect", "-f", "{{json .NetworkSettings.Networks}}", name)).stdout
    return json.loads(out)[network]["IPAddress"]


def test_internal_network_cannot_reach_out(docker):
    ok(docker("pull", "busybox"))
    ok(docker("network", "create", "e2e-open"))
    ok(docker("network", "create", "--internal", "e2e-closed"))
    try:
        ok(docker("run", "-d", "--name", "e2e-srv", "--network", "e2e-open", "busybox",
                  "httpd", "-f", "-p", "80"))
        ip = _ip(docker, "e2e-srv", "e2e-open")
        # reachable from a container on its own network ...
        r = docker("run", "--rm", "--network", "e2e-open", "busybox", "wget", "-T1", "-S", "-qO-",
                   f"http://{ip}/")
        assert "HTTP/1.1" in r.stderr, r.stderr
        # ... not from the internal one: no route out at all
        r = docker("run", "--rm", "--network", "e2e-closed", "busybox", "wget", "-T1", "-qO-",
                   f"http://{ip}/")
        assert r.returncode == 1 and "Network is unreachable" in r.stderr, r.stdout + r.stderr
        routes = ok(docker("run", "--rm", "--network", "e2e-closed", "busybox", "ip", "route")).stdout
        assert "default" not in routes and routes.strip()
        info = json.loads(ok(docker("network", "inspect", "e2e-closed")).stdout)[0]
        assert info["Internal"] is True
    finally:
        docker("rm", "-f", "e2e-srv")
        docker("network", "rm", "e2e-open", "e2e-closed")


def test_icc_false_keeps_containers_apart(docker):
    ok(docker("pull", "busybox"))
    ok(docker("network", "create", "-o", "com.docker.network.bridge.enable_icc=false", "e2e-noicc"))
    try:
        ok(docker("run", "-d", "--name", "e2e-web", "--network", "e2e-noicc", "busybox",
                  "httpd", "-f", "-p", "80"))
        ip = _ip(docker, "e2e-web", "e2e-noicc")
        r = docker("run", "--rm", "--network", "e2e-noicc", "busybox", "wget", "-T1", "-qO-",
                   f"http://{ip}/")
        assert r.returncode == 1 and "timed out" in r.stderr, r.stdout + r.stderr
        gateway = json.loads(ok(docker("network", "inspect", "e2e-noicc")).stdout)[0]["IPAM"]["Config"][0]["Gateway"]
        ok(docker("run", "--rm", "--network", "e2e-noicc", "busybox", "ping", "-c1", "-W1", gateway))
    finally:
        docker("rm", "-f", "e2e-web")
        docker("network", "rm", "e2e-noicc")


def test_mtu_prefix_and_bridge_name(docker, docker_host):
    ok(docker("pull", "busybox"))
    ok(docker("network", "create", "-o", "com.docker.network.driver.mtu=1400",
              "-o", "com.docker.network.bridge.name=br9", "e2e-mtu"))
    ok(docker("network", "create", "-o", "com.docker.network.container_iface_prefix=en", "e2e-pfx"))
    try:
        out = ok(docker("run", "--rm", "--network", "e2e-mtu", "busybox", "ip", "link", "show", "eth0")).stdout
        assert "mtu 1400" in out, out
        out = ok(docker("run", "--rm", "--network", "e2e-pfx", "busybox", "ip", "link")).stdout
        assert "en0@" in out and "eth0" not in out, out
        env = dict(os.environ, DOCKER_HOST=docker_host)
        host = subprocess.run([str(Path(sys.executable).parent / "dockersim"), "host", "ip", "link"],
                              capture_output=True, text=True, timeout=30, env=env, stdin=subprocess.DEVNULL)
        assert host.returncode == 0, host.stderr
        line = next(ln for ln in host.stdout.splitlines() if ": br9:" in ln)
        assert "mtu 1400" in line
        dup = docker("network", "create", "-o", "com.docker.network.bridge.name=br9", "e2e-dup")
        assert dup.returncode == 1
        assert "networks have same bridge name" in dup.stderr
    finally:
        docker("network", "rm", "e2e-mtu", "e2e-pfx")


def test_aux_address_is_never_given(docker):
    ok(docker("pull", "busybox"))
    ok(docker("network", "create", "--subnet", "10.5.0.0/24", "--aux-address", "a=10.5.0.2", "e2e-aux"))
    try:
        out = ok(docker("run", "--rm", "--network", "e2e-aux", "busybox", "ip", "-4", "addr", "show",
                        "eth0")).stdout
        assert "10.5.0.3/24" in out, out
    finally:
        docker("network", "rm", "e2e-aux")


@pytest.mark.parametrize("args, message", [
    (["--ingress"], "Ingress network can only be global scope network"),
    (["--scope", "swarm"], "cannot create a swarm scoped network when swarm is not active"),
    (["--config-only", "--internal"], "configuration network can only contain network specific fields."),
    (["-o", "com.docker.network.driver.mtu=abc"],
     'failed to parse com.docker.network.driver.mtu value: abc (strconv.Atoi: parsing "abc": invalid syntax)'),
    # the CLI checks this one itself (the daemon's words are in the API tests)
    (["--subnet", "10.5.0.0/24", "--aux-address", "a=10.6.0.3"],
     "no matching subnet for aux-address 10.6.0.3"),
])
def test_refused_with_dockerds_words(docker, args, message):
    r = docker("network", "create", *args, "e2e-refused")
    assert r.returncode == 1, r.stdout
    assert message in r.stderr, r.stderr


def test_docker_py_internal_and_options(docker_host):
    dpy = docker_py()
    client = dpy.DockerClient(base_url=docker_host)
    net = client.networks.create("e2e-pyopts", internal=True, attachable=True,
                                 options={"com.docker.network.driver.mtu": "1400"})
    try:
        net.reload()
        assert net.attrs["Internal"] is True and net.attrs["Attachable"] is True
        assert net.attrs["Options"] == {"com.docker.network.driver.mtu": "1400"}
        out = client.containers.run("busybox", ["ip", "link", "show", "eth0"], network="e2e-pyopts",
                                    remove=True)
        assert b"mtu 1400" in out
        raw = client.api.create_network("e2e-pywarn", options={"com.docker.network.host_ipv4": "1.2.3.4"})
        try:
            assert "host_ipv4" in raw["Warning"]
        finally:
            client.api.remove_network(raw["Id"])
    finally:
        net.remove()
