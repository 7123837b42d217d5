"""End-to-end fixtures: a real ``dockersim daemon`` process and the real docker CLI.

- ``daemon`` (session): starts ``dockersim daemon --socket <tmp>/docker.sock
  --data-root <tmp>/data`` as a subprocess, waits until ``/_ping`` answers,
  yields the socket path (str); SIGTERM at the end (the daemon must exit and
  remove its socket).  The daemon's stderr goes to ``<tmp>/daemon.log``; its
  tail is shown when start-up fails.
- ``docker_host`` (session): ``"unix://<socket>"``.
- ``docker`` (function): ``docker(*args, input=None, timeout=60, env=None)``
  runs ``/usr/local/bin/docker`` with ``DOCKER_HOST`` and a private
  ``DOCKER_CONFIG`` and returns ``subprocess.CompletedProcess`` (text mode;
  ``input`` may be str or bytes: bytes switch to binary mode).  It never
  raises on a non-zero exit; assert on ``.returncode``.

When the docker CLI is missing these tests are skipped, except with
``CI=true``, where that is a failure.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dockersim.client import transport

DOCKER_CLI = os.environ.get("DOCKERSIM_DOCKER_CLI", "/usr/local/bin/docker")
START_TIMEOUT = 30.0
STOP_TIMEOUT = 15.0


def pytest_collection_modifyitems(config, items):
    """Everything under tests/e2e carries the ``e2e`` marker."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)


def _require_docker_cli() -> str:
    path = DOCKER_CLI if os.path.exists(DOCKER_CLI) else shutil.which("docker")
    if path:
        return path
    message = f"docker CLI not found at {DOCKER_CLI} or on PATH"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + " (CI=true: e2e tests must run)")
    pytest.skip(message)


def _dockersim_command() -> list[str]:
    script = Path(sys.executable).parent / "dockersim"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "dockersim.client.cli"]


def _log_tail(path: Path, lines: int = 60) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


@pytest.fixture(scope="session")
def docker_cli() -> str:
    return _require_docker_cli()


class DaemonProcess:
    """A ``dockersim daemon`` subprocess on ``sock`` with ``data_root``."""

    def __init__(self, sock: Path, data_root: Path, log_path: Path):
        self.sock, self.data_root, self.log_path = sock, data_root, log_path
        self.proc = None

    def start(self) -> "DaemonProcess":
        env = dict(os.environ)
        env.pop("DOCKER_HOST", None)
        with open(self.log_path, "ab") as log_file:
            self.proc = subprocess.Popen(
                [*_dockersim_command(), "daemon", "--socket", str(self.sock), "--data-root",
                 str(self.data_root), "--log-level", os.environ.get("DOCKERSIM_LOG_LEVEL", "info")],
                stdout=subprocess.DEVNULL, stderr=log_file, stdin=subprocess.DEVNULL, env=env,
            )
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if self.proc.poll() is not None:
                pytest.fail(f"dockersim daemon exited with {self.proc.returncode} during start-up:\n"
                            f"{_log_tail(self.log_path)}")
            try:
                status, _, body = transport.request("GET", "/_ping", socket_path=str(self.sock), timeout=2)
                if status == 200 and body == b"OK":
                    return self
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"dockersim daemon did not answer /_ping within {START_TIMEOUT}s:\n"
                            f"{_log_tail(self.log_path)}")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture(scope="session")
def daemon(tmp_path_factory, docker_cli):
    root = tmp_path_factory.mktemp("dockersim")
    proc = DaemonProcess(root / "docker.sock", root / "data", root / "daemon.log").start()
    try:
        yield str(proc.sock)
    finally:
        proc.stop()


@pytest.fixture
def fresh_daemon(tmp_path, docker_cli):
    """A daemon of the test's own (for restarts), stopped at the end."""
    proc = DaemonProcess(tmp_path / "d.sock", tmp_path / "data", tmp_path / "daemon.log")
    try:
        yield proc
    finally:
        proc.stop()


@pytest.fixture(scope="session")
def docker_host(daemon) -> str:
    return f"unix://{daemon}"


@pytest.fixture
def docker(docker_cli, docker_host, tmp_path):
    config_dir = tmp_path / "docker-config"
    config_dir.mkdir()

    def run(*args, input=None, timeout: float = 60, env=None) -> subprocess.CompletedProcess:
        full_env = dict(os.environ)
        full_env.update({"DOCKER_HOST": docker_host, "DOCKER_CONFIG": str(config_dir)})
        for name in ("DOCKER_API_VERSION", "DOCKER_CONTEXT", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH"):
            full_env.pop(name, None)
        full_env.update(env or {})
        text = not isinstance(input, (bytes, bytearray))
        return subprocess.run(
            [docker_cli, *map(str, args)], input=input, capture_output=True, text=text,
            timeout=timeout, env=full_env, stdin=None if input is not None else subprocess.DEVNULL,
        )

    return run
