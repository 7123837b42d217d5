"""A daemon killed with SIGKILL, then started again: what it left half done
is cleared (temporary files, a container folder without its record), the
``--rm`` container it was running is removed (moby's restore), the others
are listed and usable."""

import os
import signal
import subprocess

from tests.e2e.helpers import ok


def test_sigkilled_daemon_leaves_no_tmp_files_and_no_rm_containers(fresh_daemon, docker_cli, tmp_path):
    fresh_daemon.start()
    env = dict(os.environ, DOCKER_HOST=f"unix://{fresh_daemon.sock}",
               DOCKER_CONFIG=str(tmp_path / "cfg"))

    def docker(*args):
        return subprocess.run([docker_cli, *args], capture_output=True, text=True, timeout=60,
                              env=env, stdin=subprocess.DEVNULL)

    ok(docker("pull", "-q", "busybox"))
    ok(docker("run", "-d", "--rm", "--name", "gone", "busybox", "sleep", "1000"))
    ok(docker("create", "--name", "gone_too", "--rm", "busybox", "true"))
    ok(docker("run", "--name", "kept", "busybox", "echo", "hi"))
    fresh_daemon.proc.send_signal(signal.SIGKILL)
    fresh_daemon.proc.wait()

    containers = fresh_daemon.data_root / "containers"
    half = containers / ("a" * 64)
    half.mkdir()
    (half / ".tmp-config.v2.json1234").write_text('{"Id": "aaa')
    (fresh_daemon.data_root / ".tmp-engine-id.json99").write_text("")

    fresh_daemon.start()
    assert ok(docker("ps", "-a", "--format", "{{.Names}}")).stdout.split() == ["kept"]
    assert ok(docker("start", "-a", "kept")).stdout == "hi\n"
    leftovers = [f for _, _, files in os.walk(fresh_daemon.data_root) for f in files
                 if f.startswith(".tmp-")]
    assert leftovers == []
    assert not half.exists()
    assert "removed containers/" + "a" * 64 in fresh_daemon.log_path.read_text()
