"""``docker system prune`` and ``docker builder prune`` with the real CLI
on a daemon of their own (a prune would take other tests' leftovers)."""

import os
import subprocess

import pytest

from .helpers import ok

pytestmark = pytest.mark.e2e


def test_system_prune_runs_every_step_and_builder_prune_checks_filters(fresh_daemon, docker_cli, tmp_path):
    fresh_daemon.start()
    env = dict(os.environ, DOCKER_HOST=f"unix://{fresh_daemon.sock}", DOCKER_CONFIG=str(tmp_path / "cfg"))

    def docker(*args):
        return subprocess.run([docker_cli, *args], capture_output=True, text=True, timeout=60,
                              env=env, stdin=subprocess.DEVNULL)

    ok(docker("pull", "-q", "busybox"))
    ok(docker("run", "--name", "done", "busybox", "true"))
    ok(docker("network", "create", "spare"))
    out = ok(docker("system", "prune", "-f")).stdout
    assert "Deleted Containers:\n" in out and "Deleted Networks:\nspare\n" in out
    assert out.rstrip().endswith("Total reclaimed space: 0B")
    assert ok(docker("ps", "-aq")).stdout == ""
    assert ok(docker("builder", "prune", "-f", "--filter", "until=24h")).stdout == "Total reclaimed space: 0B\n"
    r = docker("builder", "prune", "-f", "--filter", "mutable=true")
    assert r.returncode == 1 and "invalid filter 'mutable'" in r.stderr
