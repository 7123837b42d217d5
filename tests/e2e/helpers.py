"""Helpers shared by the end-to-end tests."""

import os
import socket
import time
import urllib.request

import pytest


def ok(result):
    """The CompletedProcess of a command that must succeed (its output is
    the assertion message when it did not)."""
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def docker_py():
    """The docker-py module: skipped where it is missing, except with
    CI=true, where the end-to-end tests must run."""
    if os.environ.get("CI") == "true":
        import docker
        return docker
    return pytest.importorskip("docker")


def free_port() -> int:
    """A TCP port nothing on this machine listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(port: int, path: str = "/", tries: int = 100) -> str:
    """The body a GET on 127.0.0.1:port answers, retried while the server
    starts (the last error's repr if it never answers)."""
    last = ""
    for _ in range(tries):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2) as resp:
                return resp.read().decode()
        except OSError as exc:
            last = repr(exc)
            time.sleep(0.1)
    return last
