"""The real docker CLI against a real ``dockersim daemon`` process: the plumbing."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
from pathlib import Path


def test_version_reports_api_1_50(docker):
    result = docker("version", "--format", "{{.Server.APIVersion}}")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "1.50"


def test_info_succeeds(docker):
    result = docker("info")
    assert result.returncode == 0, result.stderr
    assert "Server Version: 28.2.2" in result.stdout


def test_pinned_old_api_version_works(docker):
    result = docker("version", "--format", "{{.Server.APIVersion}}", env={"DOCKER_API_VERSION": "1.41"})
    assert result.returncode == 0, result.stderr


def test_too_old_api_version_is_a_clean_error(docker):
    result = docker("version", env={"DOCKER_API_VERSION": "1.12"})
    assert result.returncode == 1
    assert "client version 1.12 is too old. Minimum supported API version is 1.24" in result.stderr


def test_socket_mode_is_0660(daemon):
    assert stat.S_IMODE(os.stat(daemon).st_mode) == 0o660


def test_second_daemon_on_the_same_socket_refuses(daemon, tmp_path):
    cmd = [str(Path(sys.executable).parent / "dockersim"), "daemon", "--socket", daemon, "--data-root", str(tmp_path)]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
    assert result.returncode == 1
    assert "already listening" in result.stderr
    assert os.path.exists(daemon)


def _dockersim() -> str:
    return str(Path(sys.executable).parent / "dockersim")


def test_daemon_lifecycle_stale_socket_export_line_and_sigterm(tmp_path):
    """A stale socket file is replaced, the export line is printed, SIGTERM removes the socket."""
    import signal
    import socket

    from dockersim.client import transport

    sock_path = tmp_path / "run" / "docker.sock"
    sock_path.parent.mkdir()
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(str(sock_path))  # bound, never listening: a dead daemon's leftover
    stale.close()
    env = dict(os.environ, DOCKERSIM_BACKEND="stub")
    proc = subprocess.Popen([_dockersim(), "daemon", "--socket", str(sock_path), "--data-root", str(tmp_path / "data")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env, text=True)
    try:
        line = proc.stdout.readline()
        assert line == f"export DOCKER_HOST=unix://{sock_path}\n"
        assert transport.request("GET", "/_ping", socket_path=str(sock_path), timeout=5)[2] == b"OK"
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(15) == 0
        assert not sock_path.exists()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()


def test_path_that_is_not_a_socket_is_refused(tmp_path):
    path = tmp_path / "not-a-socket"
    path.write_text("precious")
    result = subprocess.run([_dockersim(), "daemon", "--socket", str(path), "--data-root", str(tmp_path / "d")],
                            capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL,
                            env=dict(os.environ, DOCKERSIM_BACKEND="stub"))
    assert result.returncode == 1
    assert "not a socket" in result.stderr
    assert path.read_text() == "precious"


def test_dockersim_host_runs_on_the_simulated_host(docker_host):
    env = dict(os.environ, DOCKER_HOST=docker_host)
    result = subprocess.run([_dockersim(), "host", "echo", "hello"], capture_output=True, timeout=30, env=env,
                            stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    assert result.stdout == b"hello\n"


def test_a_daemon_shutting_down_leaves_its_successors_socket_alone(tmp_path, docker_cli):
    """A daemon stopping a container that ignores SIGTERM takes a while to
    exit; a daemon started on the same path meanwhile must keep its socket."""
    import time

    from dockersim.client import transport

    from .conftest import DaemonProcess

    sock = tmp_path / "d.sock"
    first = DaemonProcess(sock, tmp_path / "data1", tmp_path / "log1").start()
    env = dict(os.environ, DOCKER_HOST=f"unix://{sock}", DOCKER_CONFIG=str(tmp_path / "cfg"))
    run = subprocess.run([docker_cli, "run", "-d", "busybox", "sleep", "100"], env=env,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    first.proc.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # until the first one stops answering
        try:
            transport.request("GET", "/_ping", socket_path=str(sock), timeout=1)
        except OSError:
            break
        time.sleep(0.02)
    second = DaemonProcess(sock, tmp_path / "data2", tmp_path / "log2").start()
    try:
        assert first.proc.poll() is None  # still stopping its container
        first.proc.wait(15)
        status, _, _ = transport.request("GET", "/_ping", socket_path=str(sock), timeout=2)
        assert status == 200
    finally:
        second.stop()
        first.stop()
