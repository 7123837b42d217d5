"""--init, --pid, --ipc/--shm-size, --uts, --cgroupns/--cgroup-parent,
--mac-address, NetworkDisabled and the OOM killer with the real CLI and
docker-py."""

from __future__ import annotations

import time

import pytest

from .helpers import docker_py, ok

pytestmark = pytest.mark.e2e


def _rows(out: str) -> list:
    return [" ".join(line.split()) for line in out.splitlines()[1:]]


def test_run_init_ps_and_a_fast_stop(docker):
    rows = _rows(ok(docker("run", "--rm", "--init", "busybox", "ps")).stdout)
    assert rows[0] == "1 root 0:00 /sbin/docker-init -- ps"
    assert rows[1].endswith("root 0:00 ps")
    ok(docker("run", "-d", "--init", "--name", "ns-init", "busybox", "sh", "-c",
              "while true; do sleep 1; done"))
    try:
        started = time.monotonic()
        ok(docker("stop", "ns-init", timeout=30))
        assert time.monotonic() - started < 5  # SIGTERM forwarded to sh, which dies of it
        assert ok(docker("inspect", "-f", "{{.State.ExitCode}}", "ns-init")).stdout == "143\n"
    finally:
        docker("rm", "-f", "ns-init")


def test_pid_host_and_pid_container(docker):
    ok(docker("run", "-d", "--name", "ns-donor", "busybox", "sleep", "1000"))
    try:
        out = ok(docker("run", "--rm", "--pid", "host", "busybox", "ps")).stdout
        assert "sleep 1000" in out and "/usr/bin/dockerd" in out
        rows = _rows(ok(docker("run", "--rm", "--pid", "container:ns-donor", "busybox", "ps")).stdout)
        assert rows[0] == "1 root 0:00 sleep 1000"
        bad = docker("run", "--rm", "--pid", "bogus", "busybox", "true")
        assert bad.returncode != 0
        ok(docker("stop", "-t", "0", "ns-donor"))
        dead = docker("run", "--pid", "container:ns-donor", "busybox", "true")
        assert dead.returncode == 125 and "failed to join PID namespace: container" in dead.stderr
        assert "is not running" in dead.stderr
    finally:
        docker("rm", "-f", "ns-donor")


def test_ipc_container_shm_size_and_uts_host(docker):
    ok(docker("run", "-d", "--name", "ns-ipc", "--ipc", "shareable", "busybox", "sh", "-c",
              "echo shared > /dev/shm/note; sleep 1000"))
    try:
        time.sleep(0.3)
        out = ok(docker("run", "--rm", "--ipc", "container:ns-ipc", "busybox", "cat", "/dev/shm/note")).stdout
        assert out == "shared\n"
        out = ok(docker("run", "--rm", "busybox", "df", "-h", "/dev/shm")).stdout
        assert out.splitlines()[1].split()[:2] == ["shm", "64.0M"]
        out = ok(docker("run", "--rm", "--shm-size", "16m", "busybox", "df", "-k", "/dev/shm")).stdout
        assert out.splitlines()[1].split()[:2] == ["shm", "16384"]
        assert ok(docker("inspect", "-f", "{{.HostConfig.IpcMode}} {{.HostConfig.CgroupnsMode}}",
                         "ns-ipc")).stdout == "shareable private\n"
        info = ok(docker("info", "-f", "{{.Name}}")).stdout
        assert ok(docker("run", "--rm", "--uts", "host", "busybox", "hostname")).stdout == info
        bad = docker("run", "--rm", "--uts", "host", "-h", "x", "busybox", "true")
        assert "conflicting options: hostname and the UTS mode" in bad.stderr
    finally:
        docker("rm", "-f", "ns-ipc")


def test_cgroupns_host_and_cgroup_parent(docker):
    assert ok(docker("run", "--rm", "busybox", "cat", "/proc/self/cgroup")).stdout == "0::/\n"
    out = ok(docker("run", "--rm", "--cgroupns", "host", "--cgroup-parent", "my-app.slice",
                    "busybox", "cat", "/proc/self/cgroup")).stdout
    assert out.startswith("0::/my.slice/my-app.slice/docker-") and out.endswith(".scope\n")


def test_mac_address(docker):
    out = ok(docker("run", "--rm", "--mac-address", "02:42:ac:11:00:99", "busybox",
                    "ip", "link", "show", "eth0")).stdout
    assert "link/ether 02:42:ac:11:00:99 " in out
    ok(docker("run", "-d", "--name", "ns-mac", "--mac-address", "02:42:ac:11:00:98", "busybox",
              "sleep", "1000"))
    try:
        fmt = "{{.NetworkSettings.MacAddress}} {{.NetworkSettings.Networks.bridge.MacAddress}}"
        assert ok(docker("inspect", "-f", fmt, "ns-mac")).stdout == "02:42:ac:11:00:98 02:42:ac:11:00:98\n"
    finally:
        docker("rm", "-f", "ns-mac")


def test_oom_kill(docker):
    run = docker("run", "--name", "ns-oom", "-m", "8m", "busybox", "sh", "-c",
                 "head -c 20000000 /dev/zero > /dev/shm/x")
    try:
        assert run.returncode == 137
        out = ok(docker("inspect", "-f", "{{.State.OOMKilled}} {{.State.ExitCode}}", "ns-oom")).stdout
        assert out == "true 137\n"
        status = ok(docker("ps", "-a", "--filter", "name=ns-oom", "--format", "{{.Status}}")).stdout
        assert status.startswith("Exited (137)")
        events = ok(docker("events", "--since", "0", "--until", f"{time.time():.3f}",
                           "--filter", "container=ns-oom", "--format", "{{.Action}}")).stdout.split()
        assert events.index("oom") == events.index("die") - 1
    finally:
        docker("rm", "-f", "ns-oom")


def test_docker_py_network_disabled_init_and_oom(docker_host):
    dockerpy = docker_py()
    client = dockerpy.DockerClient(base_url=docker_host, version="1.50")
    out = client.containers.run("busybox", ["ip", "addr"], network_disabled=True, remove=True)
    assert b"lo" in out and b"eth0" not in out
    out = client.containers.run("busybox", ["ps", "-o", "pid,args"], init=True, remove=True)
    assert b"1 /sbin/docker-init -- ps -o pid,args" in out
    container = client.containers.run("busybox", ["sh", "-c", "head -c 20000000 /dev/zero > /dev/shm/x"],
                                      mem_limit="8m", detach=True, name="ns-py-oom")
    try:
        assert container.wait()["StatusCode"] == 137
        container.reload()
        assert container.attrs["State"]["OOMKilled"] is True
    finally:
        container.remove(force=True)
