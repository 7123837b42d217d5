"""Log drivers, health checks, stop signal/timeout and the other create
options of hostopts.py, as a user of the real docker CLI and docker-py
sees them."""

import json
import time

from .helpers import docker_py, ok


def _until(check, limit: float = 15.0):
    end = time.monotonic() + limit
    while True:
        value = check()
        if value or time.monotonic() > end:
            return value
        time.sleep(0.2)


def test_log_driver_none_local_and_unknown(docker):
    name = "logs-none"
    docker("rm", "-f", name)
    ok(docker("run", "--name", name, "--log-driver", "none", "busybox", "echo", "hi"))
    result = docker("logs", name)
    assert result.returncode != 0
    assert "configured logging driver does not support reading" in result.stderr
    docker("rm", "-f", name)

    result = ok(docker("run", "--rm", "--log-driver", "local", "busybox", "sh", "-c", "echo kept"))
    assert result.stdout == "kept\n"
    ok(docker("run", "--name", "logs-local", "--log-driver", "local", "busybox", "echo", "local"))
    assert ok(docker("logs", "logs-local")).stdout == "local\n"
    assert ok(docker("inspect", "-f", "{{.LogPath}}|{{.HostConfig.LogConfig.Type}}",
                     "logs-local")).stdout == "|local\n"
    docker("rm", "-f", "logs-local")

    result = docker("run", "--rm", "--log-driver", "nosuch", "busybox", "true")
    assert result.returncode == 125
    assert "logger: no log driver named 'nosuch' is registered" in result.stderr
    result = docker("run", "--rm", "--log-opt", "foo=bar", "busybox", "true")
    assert "unknown log opt 'foo' for json-file log driver" in result.stderr


def test_remote_log_driver_warns_and_logs_reads_the_cache(docker):
    docker("rm", "-f", "logs-syslog")
    result = ok(docker("create", "--name", "logs-syslog", "--log-driver", "syslog", "busybox",
                       "echo", "via cache"))
    assert "WARNING: dockersim does not send to the syslog log driver" in result.stderr
    ok(docker("start", "-a", "logs-syslog"))
    assert ok(docker("logs", "logs-syslog")).stdout == "via cache\n"
    docker("rm", "-f", "logs-syslog")


def test_healthcheck_turns_healthy_and_shows_in_ps(docker):
    name = "hc-good"
    docker("rm", "-f", name)
    ok(docker("run", "-d", "--name", name, "--health-cmd", "true", "--health-interval", "1s",
              "busybox", "sleep", "300"))
    try:
        first = ok(docker("ps", "--filter", f"name={name}", "--format", "{{.Status}}")).stdout
        assert first.strip().endswith("(health: starting)"), first

        def healthy():
            out = ok(docker("inspect", "-f", "{{.State.Health.Status}}", name)).stdout.strip()
            return out == "healthy"
        assert _until(healthy)
        status = ok(docker("ps", "--filter", "health=healthy", "--format", "{{.Names}} {{.Status}}")).stdout
        assert f"{name} Up" in status and "(healthy)" in status
        log = json.loads(ok(docker("inspect", "-f", "{{json .State.Health}}", name)).stdout)
        assert log["FailingStreak"] == 0 and log["Log"][0]["ExitCode"] == 0
    finally:
        docker("rm", "-f", name)


def test_failing_healthcheck_turns_unhealthy(docker):
    name = "hc-bad"
    docker("rm", "-f", name)
    ok(docker("run", "-d", "--name", name, "--health-cmd", "echo nope; exit 1",
              "--health-interval", "200ms", "--health-retries", "2", "busybox", "sleep", "300"))
    try:
        def unhealthy():
            return ok(docker("inspect", "-f", "{{.State.Health.Status}}", name)).stdout.strip() == "unhealthy"
        assert _until(unhealthy)
        assert "(unhealthy)" in ok(docker("ps", "--filter", f"name={name}", "--format", "{{.Status}}")).stdout
        out = ok(docker("inspect", "-f", "{{(index .State.Health.Log 0).Output}}", name)).stdout
        assert out == "nope\n\n"
    finally:
        docker("rm", "-f", name)


def test_health_flag_validation(docker):
    result = docker("run", "--rm", "--health-cmd", "true", "--health-interval", "1us", "busybox", "true")
    assert result.returncode == 125
    assert "Interval in Healthcheck cannot be less than 1ms" in result.stderr


def test_stop_signal_and_stop_timeout(docker):
    name = "stop-usr1"
    docker("rm", "-f", name)
    ok(docker("run", "-d", "--name", name, "--stop-signal", "SIGUSR1", "busybox", "sh", "-c",
              "trap 'echo got usr1; exit 7' USR1; while true; do sleep 0.1; done"))
    try:
        assert ok(docker("inspect", "-f", "{{.Config.StopSignal}}", name)).stdout == "SIGUSR1\n"
        ok(docker("stop", name))
        assert ok(docker("inspect", "-f", "{{.State.ExitCode}}", name)).stdout == "7\n"
        assert "got usr1" in ok(docker("logs", name)).stdout
    finally:
        docker("rm", "-f", name)

    name = "stop-timeout"
    docker("rm", "-f", name)
    ok(docker("run", "-d", "--name", name, "--stop-timeout", "1", "busybox", "sleep", "300"))
    try:
        assert ok(docker("inspect", "-f", "{{.Config.StopTimeout}}", name)).stdout == "1\n"
        began = time.monotonic()
        ok(docker("stop", name))
        took = time.monotonic() - began
        assert 0.9 <= took < 5, took
        assert ok(docker("inspect", "-f", "{{.State.ExitCode}}", name)).stdout == "137\n"
    finally:
        docker("rm", "-f", name)

    result = docker("run", "--rm", "--stop-signal", "SIGFOO", "busybox", "true")
    assert result.returncode == 125
    assert "invalid signal: SIGFOO" in result.stderr


def test_runtime_isolation_storage_opt_volume_driver(docker):
    result = docker("run", "--rm", "--runtime", "nosuch", "busybox", "true")
    assert "unknown or invalid runtime name: nosuch" in result.stderr
    result = docker("run", "--rm", "--isolation", "hyperv", "busybox", "true")
    assert "invalid isolation 'hyperv' on linux" in result.stderr
    result = docker("run", "--rm", "--storage-opt", "size=1G", "busybox", "true")
    assert "--storage-opt is supported only for overlay over xfs with 'pquota' mount option" in result.stderr
    result = docker("run", "--rm", "--volume-driver", "nosuch", "-v", "/data", "busybox", "true")
    assert 'error looking up volume plugin nosuch: plugin "nosuch" not found' in result.stderr
    docker("rm", "-f", "opts-kept")
    ok(docker("create", "--name", "opts-kept", "--annotation", "com.example.a=b", "busybox", "true"))
    shown = ok(docker("inspect", "-f", "{{.HostConfig.Runtime}} {{json .HostConfig.Annotations}}",
                      "opts-kept")).stdout
    assert shown == 'runc {"com.example.a":"b"}\n'
    docker("rm", "-f", "opts-kept")


def test_cidfile_is_written_and_kept(docker, tmp_path):
    cidfile = tmp_path / "c.cid"
    ok(docker("run", "--name", "cid-file", "--cidfile", cidfile, "busybox", "true"))
    try:
        cid = cidfile.read_text()
        assert len(cid) == 64
        shown = ok(docker("inspect", "-f", "{{.Id}} {{.HostConfig.ContainerIDFile}}", "cid-file")).stdout
        assert shown == f"{cid} {cidfile}\n"
    finally:
        docker("rm", "-f", "cid-file")


def test_device_throttle_warns(docker):
    result = ok(docker("create", "--device-write-bps", "/dev/sda:1mb", "busybox", "true"))
    assert "WARNING: BlkioDeviceWriteBps is recorded but not enforced" in result.stderr
    docker("rm", "-f", result.stdout.strip())


def test_docker_py_healthcheck(docker_host):
    dpy = docker_py()
    client = dpy.DockerClient(base_url=docker_host)
    container = client.containers.run(
        "busybox", "sleep 300", detach=True,
        healthcheck={"test": ["CMD-SHELL", "echo fine"], "interval": 200_000_000})
    try:
        def healthy():
            container.reload()
            return container.attrs["State"].get("Health", {}).get("Status") == "healthy"
        assert _until(healthy)
        assert container.attrs["State"]["Health"]["Log"][0]["Output"] == "fine\n"
        assert container.health == "healthy"
    finally:
        container.remove(force=True)
        client.close()


def test_logs_details_shows_the_log_opt_attributes(docker):
    ok(docker("pull", "busybox"))
    ok(docker("run", "--name", "detailed", "--label", "team=web", "-e", "STAGE=dev",
              "--log-opt", "labels=team", "--log-opt", "env=STAGE",
              "--log-opt", "tag={{.Name}}", "busybox", "echo", "hi"))
    try:
        out = ok(docker("logs", "--details", "detailed")).stdout
        assert out == "STAGE=dev,tag=detailed,team=web hi\n"
        assert ok(docker("logs", "detailed")).stdout == "hi\n"
    finally:
        docker("rm", "detailed")
