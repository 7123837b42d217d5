"""Helpers shared by the end-to-end tests."""

import os

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
