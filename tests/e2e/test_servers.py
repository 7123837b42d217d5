"""Servers people reach for, through the real CLI and docker-py: -P with an
image's EXPOSE, names on a user network (and not on the default bridge),
node keeping state across requests, its console and timers in docker logs."""

import json
import socket
import time

from .helpers import docker_py, free_port, http_get, ok




def test_publish_all_serves_nginx_expose_on_a_random_port(docker):
    cid = ok(docker("run", "-d", "-P", "nginx:alpine", timeout=120)).stdout.strip()
    try:
        lines = ok(docker("port", cid, "80")).stdout.splitlines()
        assert lines[0].startswith("0.0.0.0:")
        port = int(lines[0].rsplit(":", 1)[1])
        assert 32768 <= port <= 60999
        assert "<title>Welcome to nginx!</title>" in http_get(port)
        ports = json.loads(ok(docker("inspect", "-f", "{{json .NetworkSettings.Ports}}", cid)).stdout)
        assert ports["80/tcp"][0] == {"HostIp": "0.0.0.0", "HostPort": str(port)}
        for _ in range(50):
            logs = docker("logs", cid).stdout
            if '"GET / HTTP/1.1" 200' in logs:
                break
            time.sleep(0.1)
        assert logs.splitlines()[-1].startswith("172.17.0.1 - - [")  # via docker-proxy
    finally:
        docker("rm", "-f", cid)


def test_names_resolve_on_a_user_network_but_not_on_the_default_bridge(docker):
    ok(docker("network", "create", "e2e-names"))
    try:
        ok(docker("run", "-d", "--name", "e2e-web", "--network", "e2e-names",
                  "--network-alias", "www", "nginx:alpine", timeout=120))
        for name in ("e2e-web", "www"):
            r = ok(docker("run", "--rm", "--network", "e2e-names", "busybox",
                          "wget", "-qO-", f"http://{name}/"))
            assert "Welcome to nginx!" in r.stdout
        ip = ok(docker("inspect", "-f", '{{(index .NetworkSettings.Networks "e2e-names").IPAddress}}',
                       "e2e-web")).stdout.strip()
        assert ip.startswith("172.") and not ip.startswith("172.17.")
        r = docker("run", "--rm", "busybox", "wget", "-qO-", "http://e2e-web/")
        assert r.returncode == 1 and "wget: bad address 'e2e-web'" in r.stderr
        # the default bridge does not route to the user network's address
        r = docker("run", "--rm", "busybox", "wget", "-qO-", "-T", "2", f"http://{ip}/")
        assert r.returncode == 1
        # but a container reaches another by its bridge address
        web2 = ok(docker("run", "-d", "--name", "e2e-web2", "nginx:alpine")).stdout.strip()
        ip2 = ok(docker("inspect", "-f", "{{.NetworkSettings.IPAddress}}", web2)).stdout.strip()
        r = ok(docker("run", "--rm", "busybox", "wget", "-qO-", f"http://{ip2}/"))
        assert "Welcome to nginx!" in r.stdout
    finally:
        docker("rm", "-f", "e2e-web", "e2e-web2")
        docker("network", "rm", "e2e-names")


COUNTER = """
let hits = 0;
setInterval(() => console.log('tick ' + hits), 200);
require('http').createServer((req, res) => {
  hits += 1;
  res.end('hits=' + hits + '\\n');
}).listen(3000, () => console.log('listening'));
"""


def test_node_keeps_state_across_requests_and_its_timers_reach_the_logs(docker):
    port = free_port()
    cid = ok(docker("run", "-d", "-p", f"{port}:3000", "node:22", "node", "-e", COUNTER,
                    timeout=120)).stdout.strip()
    try:
        assert http_get(port) == "hits=1\n"
        assert http_get(port) == "hits=2\n"
        time.sleep(0.5)
        logs = ok(docker("logs", cid)).stdout.splitlines()
        assert logs[0] == "listening" and "tick 2" in logs
    finally:
        docker("rm", "-f", cid)


def test_docker_py_publishes_and_reads_ports(docker_host):
    dpy = docker_py()
    client = dpy.DockerClient(base_url=docker_host)
    container = client.containers.run("nginx:alpine", detach=True, ports={"80/tcp": ("127.0.0.1", None)})
    try:
        container.reload()
        binding = container.ports["80/tcp"][0]
        assert binding["HostIp"] == "127.0.0.1"
        assert "Welcome to nginx!" in http_get(int(binding["HostPort"]))
        assert client.api.port(container.id, 80) == [binding]
    finally:
        container.remove(force=True)


def test_a_udp_port_carries_datagrams_both_ways(docker):
    port = free_port()
    # busybox nc: wait for one datagram, answer it, print it
    cid = ok(docker("run", "-d", "-p", f"{port}:5353/udp", "busybox", "sh", "-c",
                    "echo pong | nc -u -l -p 5353")).stdout.strip()
    try:
        assert ok(docker("port", cid)).stdout.startswith(f"5353/udp -> 0.0.0.0:{port}\n")
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.settimeout(0.3)
            reply = b""
            for _ in range(30):
                s.sendto(b"ping\n", ("127.0.0.1", port))
                try:
                    reply = s.recv(100)
                    break
                except OSError:
                    continue
        assert reply == b"pong\n"
        for _ in range(50):
            logs = docker("logs", cid).stdout
            if "ping" in logs:
                break
            time.sleep(0.1)
        assert logs.startswith("ping\n")
    finally:
        docker("rm", "-f", cid)
