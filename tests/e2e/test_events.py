"""``docker events`` and docker-py's ``events()`` against a real daemon."""

from __future__ import annotations

import json
import os
import queue
import re
import subprocess
import threading
import time

import pytest

from .helpers import docker_py, ok

pytestmark = pytest.mark.e2e

STAMP = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z"


def _now() -> str:
    return f"{time.time():.6f}"


def test_docker_events_replays_a_lifecycle_in_the_clis_format(docker):
    ok(docker("pull", "busybox", timeout=120))
    since = _now()
    cid = ok(docker("create", "--name", "ev-life", "--label", "team=blue", "busybox",
                    "sh", "-c", "exit 4")).stdout.strip()
    assert docker("start", "-a", "ev-life").returncode == 4
    ok(docker("rm", "ev-life"))
    until = _now()
    out = ok(docker("events", "--since", since, "--until", until,
                    "--filter", f"container={cid}", env={"TZ": "UTC"})).stdout.splitlines()
    attrs = "image=busybox, name=ev-life, team=blue"
    expected = [
        f"container create {cid} ({attrs})",
        f"container attach {cid} ({attrs})",
        f"container start {cid} ({attrs})",
        f"container die {cid} (execDuration=0, exitCode=4, {attrs})",
        f"container destroy {cid} ({attrs})",
    ]
    assert [line.split(" ", 1)[1] for line in out] == expected, out
    assert all(re.match(STAMP + " ", line) for line in out), out
    # The network's side of it: connect before start, disconnect before die.
    both = ok(docker("events", "--since", since, "--until", until,
                     "--format", "{{.Type}} {{.Action}}")).stdout.splitlines()
    assert both == ["container create", "container attach", "network connect",
                    "container start", "network disconnect", "container die",
                    "container destroy"], both


def test_docker_events_streams_while_a_user_works(docker, docker_cli, docker_host, tmp_path):
    """``docker events`` run alongside create/start/stop/rm shows exactly
    those events, in order, as they happen."""
    env = dict(os.environ, DOCKER_HOST=docker_host, DOCKER_CONFIG=str(tmp_path / "cfg"))
    proc = subprocess.Popen(
        [docker_cli, "events", "--filter", "type=container", "--filter", "container=ev-live",
         "--format", "{{json .}}"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    lines: "queue.Queue[str]" = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout], daemon=True).start()
    try:
        time.sleep(0.5)  # the CLI subscribes
        cid = ok(docker("create", "--name", "ev-live", "busybox", "sleep", "100")).stdout.strip()
        first = json.loads(lines.get(timeout=10))
        assert (first["Type"], first["Action"], first["id"]) == ("container", "create", cid)
        ok(docker("start", "ev-live"))
        ok(docker("stop", "-t", "1", "ev-live"))
        ok(docker("rm", "ev-live"))
        got = [json.loads(lines.get(timeout=10)) for _ in range(6)]
        assert [e["Action"] for e in got] == ["start", "kill", "kill", "die", "stop", "destroy"]
        assert [e["Actor"]["Attributes"].get("signal") for e in got[1:3]] == ["15", "9"]
        assert got[3]["Actor"]["Attributes"]["exitCode"] == "137"
        assert all(e["Actor"]["ID"] == cid and e["scope"] == "local" for e in got)
        assert all(e["from"] == "busybox" and e["status"] == e["Action"] for e in got)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_docker_events_filter_die_with_json_format(docker):
    since = _now()
    assert docker("run", "--name", "ev-die", "busybox", "sh", "-c", "exit 7").returncode == 7
    cid = ok(docker("inspect", "-f", "{{.Id}}", "ev-die")).stdout.strip()
    ok(docker("rm", "ev-die"))
    out = ok(docker("events", "--since", since, "--until", _now(), "--filter", "event=die",
                    "--format", "{{json .}}")).stdout.splitlines()
    events = [json.loads(line) for line in out]
    assert [(e["Type"], e["Action"], e["Actor"]["ID"]) for e in events] == [("container", "die", cid)]
    assert events[0]["Actor"]["Attributes"]["exitCode"] == "7"
    assert events[0]["Actor"]["Attributes"]["name"] == "ev-die"


def test_docker_events_with_relative_times_and_exec_and_image_events(docker):
    ok(docker("run", "-d", "--name", "ev-exec", "busybox", "sleep", "100"))
    try:
        ok(docker("exec", "ev-exec", "true"))
        ok(docker("tag", "busybox", "ev-tagged:one"))
        ok(docker("rmi", "ev-tagged:one"))
        time.sleep(1.1)  # the CLI sends a duration as whole seconds: "0s" is the second begun
        out = ok(docker("events", "--since", "1m", "--until", "0s", "--filter", "container=ev-exec",
                        "--filter", "event=exec_start", "--format", "{{.Action}}")).stdout
        assert out.splitlines()[-1] == "exec_start: true "  # moby: entrypoint, a space, the args
        images = ok(docker("events", "--since", "1m", "--until", "0s", "--filter", "type=image",
                           "--format", "{{.Action}} {{.Actor.Attributes.name}}")).stdout.splitlines()
        assert images[-2:][0] == "tag ev-tagged:one"
        assert images[-1].startswith("untag sha256:")
    finally:
        docker("rm", "-f", "ev-exec")


def test_docker_py_events_decode_since_until(docker, docker_host):
    dpy = docker_py()
    client = dpy.DockerClient(base_url=docker_host)
    try:
        since = time.time()
        container = client.containers.create("busybox", "true", name="ev-py")
        container.start()
        container.wait()
        container.remove()
        until = time.time() + 0.01
        events = list(client.api.events(decode=True, since=since, until=until,
                                        filters={"container": container.id}))
        assert [e["Action"] for e in events] == ["create", "start", "die", "destroy"]
        assert events[0]["Actor"]["Attributes"] == {"image": "busybox", "name": "ev-py"}
        streamed = client.events(decode=True, filters={"event": "create"})
        other = client.containers.create("busybox", "true", name="ev-py2")
        try:
            event = next(iter(streamed))
            assert (event["Action"], event["id"]) == ("create", other.id)
        finally:
            streamed.close()
            other.remove()
    finally:
        client.close()


def test_docker_events_shows_pause_unpause_and_stop_in_order(docker):
    """The issue's sequence: create, start, pause, unpause, stop, rm."""
    since = _now()
    cid = ok(docker("create", "--name", "ev-pause", "busybox", "sleep", "1000")).stdout.strip()
    ok(docker("start", "ev-pause"))
    ok(docker("pause", "ev-pause"))
    ok(docker("unpause", "ev-pause"))
    ok(docker("stop", "-t", "1", "ev-pause"))
    ok(docker("rm", "ev-pause"))
    out = ok(docker("events", "--since", since, "--until", _now(), "--filter", f"container={cid}",
                    "--format", "{{.Action}}")).stdout.split()
    assert out == ["create", "start", "pause", "unpause", "kill", "kill", "die", "stop", "destroy"], out
