"""`docker run` and friends with the real docker CLI and docker-py against a
real `dockersim daemon`: what a user types and sees."""

from __future__ import annotations

import os
import re

import pytest

from .helpers import docker_py, ok

pytestmark = pytest.mark.e2e


def test_hello_world_prints_exactly_that(docker):
    result = ok(docker("run", "busybox", "echo", "Hello world", timeout=120))
    assert result.stdout == "Hello world\n"


def test_first_run_pulls_with_dockers_messages(docker):
    docker("rmi", "-f", "alpine:3.19")
    result = ok(docker("run", "--rm", "alpine:3.19", "cat", "/etc/alpine-release", timeout=120))
    assert result.stdout.startswith("3.19")
    assert "Unable to find image 'alpine:3.19' locally" in result.stderr
    assert "Pull complete" in result.stderr
    assert re.search(r"Digest: sha256:[0-9a-f]{64}", result.stderr)
    assert "Status: Downloaded newer image for alpine:3.19" in result.stderr


def test_exit_code_comes_back(docker):
    assert docker("run", "busybox", "sh", "-c", "exit 3").returncode == 3


def test_rm_removes_the_container(docker):
    result = ok(docker("run", "--rm", "--name", "gone-soon", "busybox", "true"))
    assert result.stdout == ""
    names = ok(docker("ps", "-a", "--format", "{{.Names}}")).stdout.split()
    assert "gone-soon" not in names


def test_env_workdir_user_entrypoint_hostname(docker):
    result = ok(docker("run", "--rm", "-e", "GREETING=hi there", "-w", "/tmp", "-u", "nobody",
                       "-h", "myhost", "busybox", "sh", "-c",
                       'echo "$GREETING"; pwd; id -un; hostname; echo "$HOME"'))
    assert result.stdout.splitlines() == ["hi there", "/tmp", "nobody", "myhost", "/home"]
    result = ok(docker("run", "--rm", "--entrypoint", "echo", "busybox", "from", "entrypoint"))
    assert result.stdout == "from entrypoint\n"


def test_workdir_that_does_not_exist_is_created(docker):
    result = ok(docker("run", "--rm", "-w", "/srv/app", "busybox", "pwd"))
    assert result.stdout == "/srv/app\n"


def test_a_workdir_runc_cannot_make_fails_and_rm_still_removes(docker):
    before = ok(docker("ps", "-aq")).stdout
    result = docker("run", "--rm", "-w", "/etc/passwd/sub", "busybox", "pwd", timeout=60)
    assert result.returncode == 125
    assert "error during container init: mkdir /etc/passwd: not a directory: unknown" in result.stderr
    assert ok(docker("ps", "-aq")).stdout == before


def test_stdin_is_forwarded(docker):
    result = ok(docker("run", "--rm", "-i", "busybox", "cat", input="hi\n"))
    assert result.stdout == "hi\n"
    result = ok(docker("run", "--rm", "-i", "busybox", "sh", "-c", "wc -l", input="a\nb\nc\n"))
    assert result.stdout.strip() == "3"


def test_stdout_and_stderr_stay_apart(docker):
    result = ok(docker("run", "--rm", "busybox", "sh", "-c", "echo out; echo err >&2"))
    assert (result.stdout, result.stderr) == ("out\n", "err\n")


def test_ps_inside_shows_itself_as_pid_1(docker):
    result = ok(docker("run", "--rm", "busybox", "ps"))
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["PID", "USER", "TIME", "COMMAND"]
    assert lines[1].split()[0] == "1" and lines[1].split()[-1] == "ps"
    assert len(lines) == 2  # nothing of the host or other containers


def test_hostname_is_the_short_id(docker):
    result = ok(docker("run", "--name", "named-host", "busybox", "hostname"))
    cid = ok(docker("inspect", "--format", "{{.Id}}", "named-host")).stdout.strip()
    assert result.stdout.strip() == cid[:12]
    docker("rm", "named-host")


def test_ps_a_shows_exited_and_logs_keep_output(docker):
    ok(docker("run", "--name", "was-here", "busybox", "sh", "-c", "echo one; echo two >&2"))
    rows = ok(docker("ps", "-a", "--filter", "name=was-here", "--format", "{{.Status}}")).stdout
    assert re.fullmatch(r"Exited \(0\) (Less than a second|\d+ seconds?) ago\n", rows), rows
    assert "was-here" not in ok(docker("ps", "--format", "{{.Names}}")).stdout
    logs = ok(docker("logs", "was-here"))
    assert (logs.stdout, logs.stderr) == ("one\n", "two\n")
    docker("rm", "was-here")


def test_unknown_command_fails_like_docker(docker):
    result = docker("run", "--rm", "busybox", "nosuch")
    assert result.returncode == 127
    assert 'exec: "nosuch": executable file not found in $PATH' in result.stderr


def test_unknown_image_and_tag(docker):
    result = docker("run", "--rm", "nosuchimage")
    assert result.returncode == 125
    assert "pull access denied for nosuchimage, repository does not exist or may require " \
           "'docker login'" in result.stderr
    result = docker("pull", "busybox:nosuch")
    assert result.returncode == 1
    assert "manifest for busybox:nosuch not found: manifest unknown" in result.stderr


def test_detached_run_then_exec_and_stop(docker):
    cid = ok(docker("run", "-d", "--name", "sleeper", "busybox", "sleep", "300")).stdout.strip()
    assert re.fullmatch(r"[0-9a-f]{64}", cid)
    try:
        status = ok(docker("ps", "--filter", "name=sleeper", "--format", "{{.Status}}")).stdout
        assert status.startswith("Up ")
        result = ok(docker("exec", "sleeper", "ps"))
        pids = {line.split()[0]: line.split()[-1] for line in result.stdout.splitlines()[1:]}
        assert pids["1"] == "300"  # sleep 300 is PID 1; ps is another PID
        result = docker("exec", "sleeper", "sh", "-c", "echo out; echo err >&2; exit 4")
        assert (result.returncode, result.stdout, result.stderr) == (4, "out\n", "err\n")
        top = ok(docker("top", "sleeper")).stdout
        host_pid = ok(docker("inspect", "--format", "{{.State.Pid}}", "sleeper")).stdout.strip()
        assert host_pid != "1" and host_pid in top
        # sleep as PID 1 installed no SIGTERM handler: only SIGKILL ends it.
        ok(docker("stop", "-t", "1", "sleeper"))
        code = ok(docker("inspect", "--format", "{{.State.ExitCode}}", "sleeper")).stdout.strip()
        assert code == "137"
    finally:
        docker("rm", "-f", "sleeper")


def test_exec_on_a_stopped_container_is_a_conflict(docker):
    ok(docker("run", "--name", "stopped-one", "busybox", "true"))
    result = docker("exec", "stopped-one", "ls")
    assert result.returncode != 0 and "is not running" in result.stderr
    docker("rm", "stopped-one")


def test_the_host_sees_container_processes_under_other_pids(docker, docker_host):
    import subprocess
    import sys

    ok(docker("run", "-d", "--name", "seen-from-host", "busybox", "sleep", "300"))
    try:
        host_pid = ok(docker("inspect", "--format", "{{.State.Pid}}", "seen-from-host")).stdout.strip()
        exe = os.path.join(os.path.dirname(sys.executable), "dockersim")
        out = subprocess.run([exe, "host", "ps", "aux"], capture_output=True, text=True,
                             env=dict(os.environ, DOCKER_HOST=docker_host), timeout=30)
        assert out.returncode == 0, out.stderr
        row = next(line for line in out.stdout.splitlines() if line.endswith("sleep 300"))
        assert row.split()[1] == host_pid
        assert any("containerd-shim-runc-v2" in line for line in out.stdout.splitlines())
    finally:
        docker("rm", "-f", "seen-from-host")


def test_state_survives_a_daemon_restart(fresh_daemon, docker_cli, tmp_path):
    import subprocess

    def run(*args, **kw):
        env = dict(os.environ, DOCKER_HOST=f"unix://{fresh_daemon.sock}",
                   DOCKER_CONFIG=str(tmp_path / "cfg"))
        return subprocess.run([docker_cli, *args], capture_output=True, text=True, env=env,
                              timeout=60, **kw)

    fresh_daemon.start()
    ok(run("run", "--name", "keeper", "busybox", "sh", "-c", "echo kept > /root/note; echo logged"))
    ok(run("run", "-d", "--name", "runner", "busybox", "sleep", "300"))
    ok(run("exec", "runner", "sh", "-c", "echo kept > /root/note; rm /etc/group"))
    ok(run("tag", "busybox", "mybox:v1"))
    ok(run("run", "-d", "--name", "keeps-up", "--restart", "always", "busybox", "sleep", "300"))
    ok(run("run", "-d", "--name", "left-down", "--restart", "unless-stopped", "busybox", "sleep", "300"))
    ok(run("stop", "-t", "0", "left-down"))
    fresh_daemon.stop()
    fresh_daemon.start()
    states = ok(run("ps", "-a", "--format", "{{.Names}} {{.State}}")).stdout.split("\n")
    assert "keeps-up running" in states and "left-down exited" in states  # restart policies
    ok(run("rm", "-f", "keeps-up", "left-down"))
    names = ok(run("ps", "-a", "--format", "{{.Names}} {{.State}}")).stdout.split("\n")
    assert "keeper exited" in names and "runner exited" in names
    assert ok(run("logs", "keeper")).stdout == "logged\n"
    assert "mybox:v1" in ok(run("images", "--format", "{{.Repository}}:{{.Tag}}")).stdout
    ok(run("start", "runner"))
    # the writable layer came back: the new file and the deletion
    assert ok(run("exec", "runner", "cat", "/root/note")).stdout == "kept\n"
    assert run("exec", "runner", "ls", "/etc/group").returncode == 1
    ok(run("rm", "-f", "runner"))
    result = ok(run("start", "-a", "keeper"))
    assert result.stdout == "logged\n"


def test_docker_py_run_returns_the_output(docker_host):
    dpy = docker_py()
    client = dpy.DockerClient(base_url=docker_host)
    try:
        assert client.containers.run("busybox", "echo hi", remove=True) == b"hi\n"
        container = client.containers.run("busybox", "sleep 300", detach=True)
        try:
            code, out = container.exec_run("sh -c 'echo $((6 * 7))'")
            assert (code, out) == (0, b"42\n")
            container.reload()
            assert container.attrs["State"]["Running"] is True
        finally:
            container.remove(force=True)
    finally:
        client.close()


def test_hello_world(docker):
    result = ok(docker("run", "--rm", "hello-world", timeout=120))
    assert result.stdout.startswith("\nHello from Docker!\n")
    assert "This message shows that your installation appears to be working correctly." in result.stdout


def test_the_init_layer_gives_every_container_its_mount_points(docker):
    names = ok(docker("run", "--rm", "busybox", "ls", "-a", "/")).stdout.split()
    assert ".dockerenv" in names and "proc" in names and "dev" in names
    hosts = ok(docker("run", "--rm", "-h", "web", "busybox", "cat", "/etc/hosts")).stdout
    assert hosts.startswith("127.0.0.1\tlocalhost\n") and hosts.rstrip().endswith("\tweb")


def test_logs_tail_timestamps_and_follow(docker):
    ok(docker("run", "-d", "--name", "talker", "busybox", "sh", "-c",
              "for i in 1 2 3; do echo line $i; sleep 0.2; done"))
    try:
        followed = ok(docker("logs", "-f", "talker", timeout=30)).stdout
        assert followed == "line 1\nline 2\nline 3\n"
        assert ok(docker("logs", "--tail", "1", "talker")).stdout == "line 3\n"
        stamped = ok(docker("logs", "-t", "talker")).stdout.splitlines()
        assert all(re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z line \d$", line) for line in stamped)
    finally:
        docker("rm", "-f", "talker")


def test_ps_filters_and_limit(docker):
    ok(docker("run", "--name", "lab-a", "--label", "team=a", "busybox", "true"))
    assert docker("run", "--name", "lab-b", "--label", "team=b", "busybox", "sh", "-c", "exit 2").returncode == 2
    try:
        def names(*args):
            return ok(docker("ps", *args, "--format", "{{.Names}}")).stdout.split()

        assert names("-a", "--filter", "label=team=a") == ["lab-a"]
        assert names("-a", "--filter", "exited=2") == ["lab-b"]
        assert names("-a", "--filter", "status=exited", "--filter", "name=lab-") == ["lab-b", "lab-a"]
        assert names("-n", "1") == ["lab-b"]  # the newest, running or not
        assert names("-a", "--filter", "ancestor=busybox", "--filter", "name=lab-a") == ["lab-a"]
    finally:
        docker("rm", "lab-a", "lab-b")


def test_diff_rename_and_prune(docker):
    ok(docker("run", "--name", "changer", "busybox", "sh", "-c",
              "echo hi > /root/new; rm /etc/group; echo x >> /etc/passwd"))
    try:
        diff = ok(docker("diff", "changer")).stdout.splitlines()
        assert diff == ["C /etc", "D /etc/group", "C /etc/passwd", "C /root", "A /root/new"]
        ok(docker("rename", "changer", "changed"))
        assert "changed" in ok(docker("ps", "-a", "--format", "{{.Names}}")).stdout.split()
        result = docker("rename", "changed", "bad name")
        assert result.returncode == 1 and "Invalid container name (bad name)" in result.stderr
        pruned = ok(docker("container", "prune", "-f", "--filter", "label=nosuch"))
        assert "changed" in ok(docker("ps", "-a", "--format", "{{.Names}}")).stdout.split()
        pruned = ok(docker("container", "prune", "-f"))
        assert "Deleted Containers:" in pruned.stdout and "Total reclaimed space:" in pruned.stdout
        assert ok(docker("ps", "-aq")).stdout == ""
    finally:
        docker("rm", "-f", "changed", "changer")


def test_start_attach_of_a_container_that_ran_before(docker):
    ok(docker("run", "--name", "twice", "busybox", "echo", "hi"))
    try:
        result = ok(docker("start", "-a", "twice"))
        assert result.stdout == "hi\n"
        assert ok(docker("logs", "twice")).stdout == "hi\nhi\n"
    finally:
        docker("rm", "twice")


def test_add_host_and_network_none(docker):
    result = ok(docker("run", "--rm", "--network", "none", "--add-host", "db=10.0.0.5",
                       "--add-host", "gw:host-gateway", "busybox", "tail", "-n", "2", "/etc/hosts"))
    assert result.stdout == "10.0.0.5\tdb\n172.17.0.1\tgw\n"
    result = docker("run", "--rm", "--network", "nosuchnet", "busybox", "true")
    assert result.returncode == 125 and "network nosuchnet not found" in result.stderr
    result = ok(docker("run", "--rm", "--network", "host", "busybox", "hostname"))
    assert result.stdout == "dockersim\n"  # the host's network and its name
