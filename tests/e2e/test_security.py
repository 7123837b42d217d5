"""Capabilities, --security-opt, --group-add, --ulimit, --oom-score-adj,
--device, --sysctl and --gpus with the real CLI and docker-py."""

import pytest

from .helpers import docker_py, ok

pytestmark = pytest.mark.e2e


def test_cap_drop_and_add(docker):
    ok(docker("pull", "busybox"))
    r = docker("run", "--rm", "--cap-drop", "CHOWN", "busybox", "chown", "1", "/tmp")
    assert r.returncode == 1 and r.stderr == "chown: /tmp: Operation not permitted\n"
    assert ok(docker("run", "--rm", "busybox", "chown", "1", "/tmp")).stdout == ""
    r = docker("run", "--rm", "busybox", "hostname", "foo")
    assert r.returncode == 1 and r.stderr == "hostname: sethostname: Operation not permitted\n"
    ok(docker("run", "--rm", "--cap-add", "sys_admin", "busybox", "hostname", "foo"))
    out = ok(docker("run", "--rm", "--privileged", "busybox", "grep", "CapEff", "/proc/self/status")).stdout
    assert out == "CapEff:\t000001ffffffffff\n"
    r = docker("run", "--rm", "--cap-add", "FOO", "busybox", "true")
    assert r.returncode == 125
    assert 'invalid CapAdd: unknown capability: "CAP_FOO"' in r.stderr


def test_security_opts(docker):
    out = ok(docker("run", "--rm", "--security-opt", "no-new-privileges", "busybox",
                    "grep", "NoNewPrivs", "/proc/self/status")).stdout
    assert out == "NoNewPrivs:\t1\n"
    out = ok(docker("run", "--rm", "--security-opt", "seccomp=unconfined", "busybox",
                    "grep", "Seccomp:", "/proc/self/status")).stdout
    assert out == "Seccomp:\t0\n"
    r = ok(docker("run", "--rm", "--security-opt", "apparmor=docker-default", "busybox", "true"))
    assert "WARNING: The AppArmor profile" in r.stderr
    r = docker("run", "--rm", "--security-opt", "foo=bar", "busybox", "true")
    assert r.returncode == 125 and 'invalid --security-opt 2: "foo=bar"' in r.stderr


def test_group_add_ulimit_oom_score(docker):
    assert ok(docker("run", "--rm", "--group-add", "1234", "busybox", "id")).stdout == \
        "uid=0(root) gid=0(root) groups=0(root),10(wheel),1234\n"
    r = docker("run", "--rm", "--group-add", "nosuch", "busybox", "id")
    assert r.returncode != 0 and "Unable to find group nosuch: no matching entries in group file" in r.stderr
    out = ok(docker("run", "--rm", "--ulimit", "nofile=1024:2048", "busybox", "sh", "-c",
                    "ulimit -n; ulimit -Hn; grep 'open files' /proc/self/limits")).stdout
    assert out == "1024\n2048\nMax open files            1024                 2048                 files     \n"
    assert ok(docker("run", "--rm", "--oom-score-adj", "300", "busybox", "cat",
                     "/proc/self/oom_score_adj")).stdout == "300\n"
    r = docker("run", "--rm", "--oom-score-adj", "1001", "busybox", "true")
    assert "Invalid value 1001, range for oom score adj is [-1000, 1000]" in r.stderr


def test_devices_sysctls_gpus(docker):
    out = ok(docker("run", "--rm", "--device", "/dev/null:/dev/mynull:rwm", "busybox",
                    "sh", "-c", "ls -l /dev/mynull | cut -c1")).stdout
    assert out == "c\n"
    r = docker("run", "--rm", "--device", "/dev/nosuch", "busybox", "true")
    assert 'error gathering device information while adding custom device "/dev/nosuch"' in r.stderr
    r = docker("run", "--rm", "--gpus", "all", "busybox", "true")
    assert 'could not select device driver "" with capabilities: [[gpu]]' in r.stderr
    r = docker("run", "--rm", "--sysctl", "net.ipv4.ip_unprivileged_port_start=1024", "--user", "1000",
               "busybox", "nc", "-l", "-p", "80")
    assert r.returncode != 0


def test_docker_py_cap_add_and_ulimits(docker_host):
    docker = docker_py()
    client = docker.DockerClient(base_url=docker_host)
    out = client.containers.run(
        "busybox", ["sh", "-c", "grep CapEff /proc/self/status; ulimit -n"], remove=True,
        cap_drop=["ALL"], cap_add=["NET_ADMIN"],
        ulimits=[docker.types.Ulimit(name="nofile", soft=512, hard=512)])
    assert out == b"CapEff:\t0000000000001000\n512\n"
