"""busybox's network tools in containers on the default bridge, driven by
the real docker CLI: httpd in one container, wget, nc and ping from
another, ip and netstat inside."""

from __future__ import annotations

import pytest

from .helpers import ok

pytestmark = pytest.mark.e2e


def test_wget_fetches_from_httpd_in_another_container(docker):
    docker("rm", "-f", "bbweb")
    ok(docker("run", "-d", "--name", "bbweb", "busybox", "sh", "-c",
              "mkdir /www && echo hello > /www/index.html && exec httpd -f -p 80 -h /www",
              timeout=120))
    try:
        ip = ok(docker("inspect", "-f", "{{.NetworkSettings.IPAddress}}", "bbweb")).stdout.strip()
        assert ip.startswith("172.17.")
        got = ok(docker("run", "--rm", "busybox", "wget", "-qO-", f"http://{ip}/"))
        assert got.stdout == "hello\n"
        got = docker("run", "--rm", "busybox", "wget", "-q", f"http://{ip}/nosuch")
        assert got.returncode == 1
        assert got.stderr == "wget: server returned error: HTTP/1.1 404 Not Found\n"
        got = ok(docker("run", "--rm", "busybox", "ping", "-c", "1", ip))
        assert f"64 bytes from {ip}: seq=0 ttl=64" in got.stdout
        listening = ok(docker("exec", "bbweb", "netstat", "-tln")).stdout
        assert "tcp        0      0 :::80                   :::*                    LISTEN" in listening
        addr = ok(docker("exec", "bbweb", "ip", "addr", "show", "eth0")).stdout
        assert f"    inet {ip}/16 brd 172.17.255.255 scope global eth0\n" in addr
        assert ok(docker("exec", "bbweb", "hostname", "-i")).stdout == f"{ip}\n"
    finally:
        docker("rm", "-f", "bbweb")


def test_nc_pipes_between_containers(docker):
    docker("rm", "-f", "bbnc")
    ok(docker("run", "-d", "--name", "bbnc", "busybox", "sh", "-c",
              "echo pong | nc -l -p 1234", timeout=120))
    try:
        ip = ok(docker("inspect", "-f", "{{.NetworkSettings.IPAddress}}", "bbnc")).stdout.strip()
        got = ok(docker("run", "--rm", "-i", "busybox", "nc", ip, "1234", input="ping\n"))
        assert got.stdout == "pong\n"
        assert ok(docker("wait", "bbnc")).stdout.strip() == "0"
        assert ok(docker("logs", "bbnc")).stdout == "ping\n"
    finally:
        docker("rm", "-f", "bbnc")
