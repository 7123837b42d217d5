"""Process control with the real CLI and docker-py: pause/unpause,
update, stats."""

from __future__ import annotations

import json
import re
import time

import pytest

from .helpers import docker_py, ok

pytestmark = pytest.mark.e2e


def _stats_row(docker, name: str) -> dict:
    fmt = "{{json .}}"
    out = ok(docker("stats", "--no-stream", "--format", fmt, name, timeout=30)).stdout
    return json.loads(out.splitlines()[0])


def test_pause_unpause_ps_exec_and_errors(docker):
    cid = ok(docker("run", "-d", "--name", "pc-pause", "busybox", "sh", "-c",
                    "while true; do date; sleep 1; done")).stdout.strip()
    try:
        assert ok(docker("pause", "pc-pause")).stdout == "pc-pause\n"
        status = ok(docker("ps", "--filter", "name=pc-pause", "--format", "{{.Status}}")).stdout
        assert re.fullmatch(r"Up .* \(Paused\)\n", status)
        state = ok(docker("inspect", "-f", "{{.State.Status}} {{.State.Paused}} {{.State.Running}}",
                          "pc-pause")).stdout
        assert state == "paused true true\n"
        again = docker("pause", "pc-pause")
        assert again.returncode == 1
        assert f"Container {cid} is already paused" in again.stderr
        ex = docker("exec", "pc-pause", "true")
        assert ex.returncode == 1
        assert "Container pc-pause is paused, unpause the container before exec" in ex.stderr
        rm = docker("rm", "pc-pause")
        assert "container is paused and must be unpaused first" in rm.stderr
        before = ok(docker("logs", "pc-pause")).stdout
        assert ok(docker("unpause", "pc-pause")).stdout == "pc-pause\n"
        assert ok(docker("exec", "pc-pause", "cat", "/sys/fs/cgroup/cgroup.freeze")).stdout == "0\n"
        not_paused = docker("unpause", "pc-pause")
        assert f"Container {cid} is not paused" in not_paused.stderr
        assert before  # it had printed before the pause
    finally:
        docker("rm", "-f", "pc-pause")


def test_stop_and_kill_of_a_paused_container(docker):
    ok(docker("run", "-d", "--name", "pc-stop", "busybox", "sh", "-c",
              "trap 'exit 7' TERM; while true; do sleep 1; done"))
    ok(docker("pause", "pc-stop"))
    ok(docker("stop", "pc-stop", timeout=30))
    assert ok(docker("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", "pc-stop")).stdout \
        == "exited 7\n"
    ok(docker("start", "pc-stop"))
    ok(docker("pause", "pc-stop"))
    ok(docker("rm", "-f", "pc-stop"))
    assert "pc-stop" not in ok(docker("ps", "-a", "--format", "{{.Names}}")).stdout


def test_stats_shows_a_busy_container_near_100_percent(docker):
    ok(docker("run", "-d", "--name", "pc-busy", "busybox", "sh", "-c", "yes > /dev/null"))
    ok(docker("run", "-d", "--name", "pc-idle", "busybox", "sleep", "1000"))
    try:
        busy = _stats_row(docker, "pc-busy")
        idle = _stats_row(docker, "pc-idle")
        assert float(busy["CPUPerc"].rstrip("%")) > 50
        assert float(idle["CPUPerc"].rstrip("%")) < 5
        assert busy["Name"] == "pc-busy" and busy["PIDs"] == "2"
        assert re.fullmatch(r"[\d.]+[KM]iB / 8GiB", busy["MemUsage"])
        ok(docker("pause", "pc-busy"))
        assert float(_stats_row(docker, "pc-busy")["CPUPerc"].rstrip("%")) == 0
        table = ok(docker("stats", "--no-stream", "pc-busy", "pc-idle", timeout=30)).stdout
        header = table.splitlines()[0].split()
        assert header[:4] == ["CONTAINER", "ID", "NAME", "CPU"]
        assert len(table.splitlines()) == 3
    finally:
        docker("rm", "-f", "pc-busy", "pc-idle")


def test_stats_counts_network_bytes_of_a_wget(docker):
    ok(docker("run", "-d", "--name", "pc-web", "busybox", "httpd", "-f", "-p", "80", "-h", "/etc"))
    try:
        ip = ok(docker("inspect", "-f", "{{.NetworkSettings.IPAddress}}", "pc-web")).stdout.strip()
        assert _stats_row(docker, "pc-web")["NetIO"] == "0B / 0B"
        ok(docker("run", "--rm", "busybox", "wget", "-q", "-O", "/dev/null", f"http://{ip}/passwd"))
        rx, tx = _stats_row(docker, "pc-web")["NetIO"].split(" / ")
        assert rx != "0B" and tx != "0B"
        assert float(re.match(r"[\d.]+", tx).group()) > 0
    finally:
        docker("rm", "-f", "pc-web")


def test_update_restart_policy_and_memory(docker):
    ok(docker("run", "-d", "--name", "pc-upd", "busybox", "sleep", "1000"))
    try:
        assert ok(docker("update", "--restart", "always", "pc-upd")).stdout == "pc-upd\n"
        assert ok(docker("inspect", "-f", "{{.HostConfig.RestartPolicy.Name}}", "pc-upd")).stdout \
            == "always\n"
        # moby refuses a memory limit above the (unset) swap limit alone.
        bad = docker("update", "--memory", "64m", "pc-upd")
        assert bad.returncode == 1
        assert ("Memory limit should be smaller than already set memoryswap limit, update the "
                "memoryswap at the same time") in bad.stderr
        ok(docker("update", "--memory", "64m", "--memory-swap", "128m", "pc-upd"))
        assert _stats_row(docker, "pc-upd")["MemUsage"].endswith(" / 64MiB")
        out = ok(docker("exec", "pc-upd", "cat", "/sys/fs/cgroup/memory.max")).stdout
        assert out == f"{64 * 2**20}\n"
        conflict = docker("update", "--cpus", "0.5", "--cpu-quota", "50000", "pc-upd")
        assert "Conflicting options: Nano CPUs and CPU Quota cannot both be set" in conflict.stderr
        warned = ok(docker("update", "--blkio-weight", "300", "pc-upd"))
        assert "Block I/O weight" in warned.stdout
        ok(docker("update", "--cpus", "1.5", "pc-upd"))
        assert ok(docker("exec", "pc-upd", "cat", "/sys/fs/cgroup/cpu.max")).stdout == "150000 100000\n"
        small = docker("update", "--memory", "1m", "pc-upd")
        assert "Minimum memory limit allowed is 6MB" in small.stderr
    finally:
        docker("rm", "-f", "pc-upd")


def test_docker_py_pause_and_stats(docker_host, docker):
    dockerpy = docker_py()
    client = dockerpy.DockerClient(base_url=docker_host, version="1.50")
    container = client.containers.run("busybox", ["sh", "-c", "yes > /dev/null"], detach=True,
                                      name="pc-py")
    try:
        container.pause()
        container.reload()
        assert container.status == "paused"
        container.unpause()
        container.reload()
        assert container.status == "running"
        stats = container.stats(stream=False)
        assert stats["name"] == "/pc-py" and stats["id"] == container.id
        cpu = stats["cpu_stats"]["cpu_usage"]["total_usage"] - \
            stats["precpu_stats"]["cpu_usage"]["total_usage"]
        system = stats["cpu_stats"]["system_cpu_usage"] - stats["precpu_stats"]["system_cpu_usage"]
        assert cpu / system * stats["cpu_stats"]["online_cpus"] * 100 > 50
        assert stats["memory_stats"]["usage"] > 0 and stats["pids_stats"]["current"] == 2
        assert "eth0" in stats["networks"]
        one = container.stats(stream=False, one_shot=True)
        assert one["precpu_stats"]["cpu_usage"]["total_usage"] == 0
        assert container.update(restart_policy={"Name": "on-failure", "MaximumRetryCount": 3}) \
            == {"Warnings": []}
        container.reload()
        assert container.attrs["HostConfig"]["RestartPolicy"] == {"Name": "on-failure",
                                                                  "MaximumRetryCount": 3}
        stream = container.stats(stream=True, decode=True)
        first, second = next(stream), next(stream)
        assert second["precpu_stats"] == first["cpu_stats"]
        stream.close()
    finally:
        container.remove(force=True)
        client.close()


def test_stats_block_io_counts_writes_to_the_container_layer(docker):
    ok(docker("run", "-d", "--name", "pc-blk", "busybox", "sh", "-c",
              "head -c 3000000 /dev/zero > /data; sleep 1000"))
    try:
        for _ in range(50):
            row = _stats_row(docker, "pc-blk")
            if row["BlockIO"] != "0B / 0B":
                break
        assert row["BlockIO"] == "0B / 3MB"
    finally:
        docker("rm", "-f", "pc-blk")


def test_run_with_limits(docker):
    small = docker("run", "--rm", "--memory", "1m", "busybox", "true")
    assert small.returncode == 125
    assert "Error response from daemon: Minimum memory limit allowed is 6MB" in small.stderr
    many = docker("run", "--rm", "--cpus", "3", "busybox", "true")
    assert "range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available" in many.stderr
    limited = docker("run", "--rm", "--memory", "32m", "--cpus", "0.5", "--pids-limit", "3",
                     "busybox", "sh", "-c",
                     "cd /sys/fs/cgroup; cat memory.max memory.swap.max cpu.max pids.max; "
                     "sleep 5 & sleep 5 & sleep 5 & echo no more")
    assert limited.stdout.splitlines() == [str(32 * 2**20), str(32 * 2**20), "50000 100000", "3"]
    # sh and two sleeps fill pids.max: the third fork fails with EAGAIN.
    assert limited.returncode != 0 and "Resource temporarily unavailable" in limited.stderr
    ok(docker("run", "-d", "--name", "pc-lim", "--memory", "32m", "busybox", "sleep", "1000"))
    try:
        assert _stats_row(docker, "pc-lim")["MemUsage"].endswith(" / 32MiB")
        assert ok(docker("inspect", "-f", "{{.HostConfig.MemorySwap}}", "pc-lim")).stdout \
            == f"{64 * 2**20}\n"
    finally:
        docker("rm", "-f", "pc-lim")


def test_pause_unpause_update_are_events(docker):
    cid = ok(docker("run", "-d", "--name", "pc-ev", "busybox", "sleep", "1000")).stdout.strip()
    try:
        since = ok(docker("inspect", "-f", "{{.Created}}", "pc-ev")).stdout.strip()
        ok(docker("pause", "pc-ev"))
        ok(docker("unpause", "pc-ev"))
        ok(docker("update", "--restart", "always", "pc-ev"))
        until = str(int(time.time()) + 1)  # the stream ends within a second or two
        out = ok(docker("events", "--since", since, "--until", until, "--filter", f"container={cid}",
                        "--format", "{{.Action}} {{.Actor.Attributes.name}}")).stdout
        assert out.splitlines()[-3:] == ["pause pc-ev", "unpause pc-ev", "update pc-ev"], out
    finally:
        docker("rm", "-f", "pc-ev")


def test_cpus_caps_what_docker_stats_shows(docker):
    ok(docker("run", "-d", "--name", "pc-half", "--cpus", "0.5", "busybox", "sh", "-c",
              "yes > /dev/null"))
    try:
        percent = float(_stats_row(docker, "pc-half")["CPUPerc"].rstrip("%"))
        assert 45 < percent < 55
        ok(docker("update", "--cpus", "1", "pc-half"))
        percent = float(_stats_row(docker, "pc-half")["CPUPerc"].rstrip("%"))
        assert 90 < percent < 105
    finally:
        docker("rm", "-f", "pc-half")
