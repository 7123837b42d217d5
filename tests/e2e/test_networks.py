"""``docker network``, ``docker run -p`` and ``docker port`` with the real
CLI and docker-py against a real ``dockersim daemon``: what a user types
and sees."""

from __future__ import annotations

import json
import socket

import pytest

from .helpers import docker_py, free_port, ok

pytestmark = pytest.mark.e2e



def test_network_ls_shows_the_predefined_networks(docker):
    out = ok(docker("network", "ls", "--filter", "type=builtin", "--format",
                    "{{.Name}} {{.Driver}} {{.Scope}}")).stdout
    assert out.splitlines() == ["bridge bridge local", "host host local", "none null local"]


def test_network_create_inspect_rm(docker):
    nid = ok(docker("network", "create", "--subnet", "10.42.0.0/24", "--label", "team=a", "e2enet")).stdout.strip()
    assert len(nid) == 64
    dup = docker("network", "create", "e2enet")
    assert dup.returncode == 1
    assert dup.stderr.strip() == "Error response from daemon: network with name e2enet already exists"
    info = json.loads(ok(docker("network", "inspect", "e2enet")).stdout)[0]
    assert info["Id"] == nid and info["Labels"] == {"team": "a"}
    assert info["IPAM"]["Config"] == [{"Subnet": "10.42.0.0/24"}]
    ls = ok(docker("network", "ls", "--filter", "label=team=a", "--format", "{{.ID}} {{.Name}}")).stdout
    assert ls == f"{nid[:12]} e2enet\n"
    ok(docker("run", "-d", "--name", "e2e-on-net", "--network", "e2enet", "--ip", "10.42.0.50",
              "--network-alias", "db", "busybox", "sleep", "1000"))
    try:
        ip = ok(docker("inspect", "-f", "{{.NetworkSettings.Networks.e2enet.IPAddress}}", "e2e-on-net")).stdout
        assert ip == "10.42.0.50\n"
        names = ok(docker("inspect", "-f", "{{json .NetworkSettings.Networks.e2enet.DNSNames}}",
                          "e2e-on-net")).stdout
        assert json.loads(names)[:2] == ["e2e-on-net", "db"]
        resolv = ok(docker("exec", "e2e-on-net", "cat", "/etc/resolv.conf")).stdout
        assert "nameserver 127.0.0.11\noptions ndots:0\n" in resolv
        rm = docker("network", "rm", "e2enet")
        assert rm.returncode == 1
        assert "error while removing network: network e2enet has active endpoints (name:\"e2e-on-net\"" in rm.stderr
        containers = json.loads(ok(docker("network", "inspect", "-f", "{{json .Containers}}", "e2enet")).stdout)
        assert [c["IPv4Address"] for c in containers.values()] == ["10.42.0.50/24"]
    finally:
        docker("rm", "-f", "e2e-on-net")
    assert ok(docker("network", "rm", "e2enet")).stdout == "e2enet\n"
    gone = docker("network", "inspect", "e2enet")
    assert gone.returncode == 1 and "network e2enet not found" in gone.stderr


def test_predefined_networks_cannot_be_removed(docker):
    rm = docker("network", "rm", "bridge")
    assert rm.returncode == 1
    assert "Error response from daemon: bridge is a pre-defined network and cannot be removed" in rm.stderr


def test_run_on_an_unknown_network(docker):
    result = docker("run", "--rm", "--network", "nosuchnet", "busybox", "true")
    assert result.returncode == 125
    assert "failed to set up container networking: network nosuchnet not found" in result.stderr


def test_connect_disconnect_and_prune(docker):
    ok(docker("network", "create", "e2e-side"))
    ok(docker("run", "-d", "--name", "e2e-conn", "busybox", "sleep", "1000"))
    try:
        ok(docker("network", "connect", "--alias", "side", "e2e-side", "e2e-conn"))
        nets = json.loads(ok(docker("inspect", "-f", "{{json .NetworkSettings.Networks}}", "e2e-conn")).stdout)
        assert sorted(nets) == ["bridge", "e2e-side"]
        assert nets["e2e-side"]["Aliases"] == ["side"] and nets["e2e-side"]["IPAddress"]
        again = docker("network", "connect", "e2e-side", "e2e-conn")
        assert "endpoint with name e2e-conn already exists in network e2e-side" in again.stderr
        ok(docker("network", "disconnect", "e2e-side", "e2e-conn"))
        nets = json.loads(ok(docker("inspect", "-f", "{{json .NetworkSettings.Networks}}", "e2e-conn")).stdout)
        assert sorted(nets) == ["bridge"]
    finally:
        docker("rm", "-f", "e2e-conn")
    out = ok(docker("network", "prune", "-f")).stdout
    assert "Deleted Networks:\ne2e-side\n" in out


def test_run_publish_ps_and_port(docker):
    port = free_port()
    ok(docker("run", "-d", "--name", "e2e-pub", "-p", f"{port}:80", "-p", "127.0.0.1::81", "--expose", "90",
              "busybox", "sleep", "1000"))
    try:
        ports = ok(docker("ps", "--filter", "name=e2e-pub", "--format", "{{.Ports}}")).stdout.strip()
        ephemeral = json.loads(ok(docker("inspect", "-f", "{{json .NetworkSettings.Ports}}", "e2e-pub")).stdout)
        assert ephemeral["90/tcp"] is None
        assert ephemeral["80/tcp"][0] == {"HostIp": "0.0.0.0", "HostPort": str(port)}
        local = ephemeral["81/tcp"][0]["HostPort"]
        assert 32768 <= int(local) <= 60999
        assert f"0.0.0.0:{port}->80/tcp" in ports and f"127.0.0.1:{local}->81/tcp" in ports
        assert "90/tcp" in ports
        assert ok(docker("port", "e2e-pub", "81")).stdout == f"127.0.0.1:{local}\n"
        # nothing listens inside: docker-proxy closes the connection at once
        with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
            assert conn.recv(10) == b""
        clash = docker("run", "-d", "--name", "e2e-pub2", "-p", f"{port}:80", "busybox", "sleep", "1000")
        assert clash.returncode == 125
        assert "driver failed programming external connectivity on endpoint e2e-pub2" in clash.stderr
        assert f"Bind for 0.0.0.0:{port} failed: port is already allocated" in clash.stderr
        ok(docker("stop", "-t", "0", "e2e-pub"))
        assert ok(docker("port", "e2e-pub")).stdout == ""
        ok(docker("start", "e2e-pub2"))  # the port is free again
    finally:
        docker("rm", "-f", "e2e-pub", "e2e-pub2")
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2)


@pytest.mark.parametrize("spec, message", [("abc:80", "invalid hostPort: abc"),
                                           ("80:abc", "invalid containerPort: abc"),
                                           ("1.2.3:80:80", "invalid IP address: 1.2.3")])
def test_invalid_publish_specs_are_refused_by_the_cli(docker, spec, message):
    result = docker("run", "--rm", "-p", spec, "busybox", "true")
    assert result.returncode == 125
    assert result.stderr.startswith(f"docker: {message}\n")


def test_docker_py_networks(docker_host):
    dpy = docker_py()
    client = dpy.DockerClient(base_url=docker_host)
    net = client.networks.create("e2e-py", driver="bridge", labels={"k": "v"})
    try:
        assert client.networks.get("e2e-py").id == net.id
        assert "e2e-py" in [n.name for n in client.networks.list()]
        container = client.containers.run("busybox", ["sleep", "1000"], detach=True, name="e2e-py-c",
                                          ports={"80/tcp": None})
        try:
            net.connect(container, aliases=["pyalias"])
            net.reload()
            assert [c.name for c in net.containers] == ["e2e-py-c"]
            container.reload()
            assert container.ports["80/tcp"][0]["HostIp"] == "0.0.0.0"
            net.disconnect(container)
            net.reload()
            assert net.containers == []
        finally:
            container.remove(force=True)
        with pytest.raises(dpy.errors.APIError) as err:
            client.networks.create("e2e-py")
        assert err.value.response.status_code == 409
    finally:
        net.remove()
    assert client.networks.prune() == {"NetworksDeleted": None}


def test_ip6_is_refused_and_link_local_ips_are_said(docker):
    ok(docker("pull", "busybox"))
    ok(docker("network", "create", "--subnet", "10.31.0.0/24", "v4only"))
    try:
        r = docker("run", "--rm", "--network", "v4only", "--ip6", "fd00::5", "busybox", "true")
        assert r.returncode == 125
        assert ("invalid config for network v4only: invalid endpoint settings:\nuser specified IP "
                "address is supported only when connecting to networks with user configured "
                "subnets") in r.stderr
        r = ok(docker("run", "--rm", "--network", "v4only", "--link-local-ip", "169.254.1.1",
                      "busybox", "sh", "-c", "ip -4 addr show eth0 | grep -c inet"))
        assert r.stdout == "1\n"
        assert ("WARNING: The link-local addresses 169.254.1.1 for network v4only are recorded "
                "but not simulated") in r.stderr
    finally:
        docker("network", "rm", "v4only")


def test_legacy_links_names_inspect_and_rm_link(docker):
    ok(docker("pull", "busybox"))
    ok(docker("run", "-d", "--name", "lkdb", "busybox", "sleep", "1000"))
    try:
        ok(docker("run", "-d", "--name", "lkweb", "--link", "lkdb:dbx", "busybox", "sleep", "1000"))
        out = ok(docker("exec", "lkweb", "sh", "-c", "grep -c dbx /etc/hosts; echo $DBX_NAME")).stdout
        assert out == "1\n/lkweb/dbx\n"
        assert ok(docker("inspect", "-f", "{{.HostConfig.Links}}", "lkweb")).stdout == "[/lkdb:/lkweb/dbx]\n"
        assert ok(docker("inspect", "-f", "{{.HostConfig.Links}}", "lkdb")).stdout == "[]\n"
        names = ok(docker("ps", "--no-trunc", "--format", "{{.Names}}")).stdout.split()
        assert "lkdb,lkweb/dbx" in names
        assert "lkdb" in ok(docker("ps", "--format", "{{.Names}}")).stdout.split()
        assert ok(docker("inspect", "-f", "{{.Name}}", "lkweb/dbx")).stdout == "/lkdb\n"
        r = docker("rm", "--link", "lkdb")
        assert r.returncode == 1
        assert "Conflict, cannot remove the default link name of the container" in r.stderr
        assert "No such container: lkweb/nosuch" in docker("rm", "--link", "lkweb/nosuch").stderr
        assert ok(docker("rm", "--link", "/lkweb/dbx")).stdout == "/lkweb/dbx\n"
        assert ok(docker("inspect", "-f", "{{.HostConfig.Links}}", "lkweb")).stdout == "[]\n"
        assert ok(docker("ps", "-q", "--filter", "name=lkdb")).stdout.strip()  # still there
    finally:
        docker("rm", "-f", "lkweb", "lkdb")
