"""Log drivers, health checks and the other create options of
hostopts.py, through the HTTP API in process: moby's words for what it
refuses, the Warnings for what the simulation cannot do, and the effects
(docker logs per driver, State.Health, ps STATUS and filters, events)."""

import asyncio
import json

import pytest

from dockersim.daemon.wire.stdcopy import demux

from .test_containers import start_and_wait


async def create(api, cmd, name=None, **extra):
    body = {"Image": "busybox", "Cmd": cmd, **extra}
    url = "/v1.50/containers/create" + (f"?name={name}" if name else "")
    resp = await api.post(url, json=body)
    return resp.status, await resp.json()


async def run_to_end(api, cmd, **extra):
    status, answer = await create(api, cmd, **extra)
    assert status == 201, answer
    cid = answer["Id"]
    await start_and_wait(api, cid)
    return cid, answer


async def inspect(api, cid):
    return await (await api.get(f"/v1.50/containers/{cid}/json")).json()


# -- log drivers ----------------------------------------------------------------


@pytest.mark.parametrize("driver", ["json-file", "local"])
async def test_logs_read_back_with_json_file_and_local(api, driver):
    cid, answer = await run_to_end(api, ["sh", "-c", "echo out; echo err >&2"],
                                   HostConfig={"LogConfig": {"Type": driver}})
    assert answer["Warnings"] == []
    out, err = demux(await (await api.get(f"/v1.50/containers/{cid}/logs?stdout=1&stderr=1")).read())
    assert (out, err) == (b"out\n", b"err\n")
    info = await inspect(api, cid)
    assert info["HostConfig"]["LogConfig"]["Type"] == driver
    if driver == "json-file":
        assert info["LogPath"].endswith(f"/containers/{cid}/{cid}-json.log")
    else:
        assert info["LogPath"] == ""  # moby sets LogPath for json-file only


async def test_none_driver_keeps_nothing_and_logs_is_501(api):
    cid, _ = await run_to_end(api, ["echo", "hi"], HostConfig={"LogConfig": {"Type": "none"}})
    resp = await api.get(f"/v1.50/containers/{cid}/logs?stdout=1")
    assert resp.status == 501
    assert (await resp.json())["message"] == "configured logging driver does not support reading"
    assert (await inspect(api, cid))["LogPath"] == ""


async def test_remote_driver_is_warned_and_its_cache_is_read(api):
    cid, answer = await run_to_end(api, ["echo", "cached"],
                                   HostConfig={"LogConfig": {"Type": "syslog", "Config": {"tag": "x"}}})
    assert len(answer["Warnings"]) == 1 and "syslog" in answer["Warnings"][0]
    out, _ = demux(await (await api.get(f"/v1.50/containers/{cid}/logs?stdout=1")).read())
    assert out == b"cached\n"


async def test_remote_driver_with_cache_disabled_cannot_be_read(api):
    cid, answer = await run_to_end(api, ["echo", "gone"], HostConfig={"LogConfig": {
        "Type": "journald", "Config": {"cache-disabled": "true"}}})
    assert "cache-disabled" in answer["Warnings"][0]
    assert (await api.get(f"/v1.50/containers/{cid}/logs?stdout=1")).status == 501


@pytest.mark.parametrize("log_config, message", [
    ({"Type": "nosuch"}, "logger: no log driver named 'nosuch' is registered"),
    ({"Type": "etwlogs"}, "logger: no log driver named 'etwlogs' is registered"),
    ({"Type": "json-file", "Config": {"foo": "1"}}, "unknown log opt 'foo' for json-file log driver"),
    ({"Type": "local", "Config": {"tag": "x"}}, "unknown log opt 'tag' for log driver local"),
    ({"Type": "gelf", "Config": {"foo": "1"}}, 'unknown log opt "foo" for gelf log driver'),
    ({"Type": "json-file", "Config": {"mode": "fast"}}, "logger: logging mode not supported: fast"),
    ({"Type": "json-file", "Config": {"max-buffer-size": "4m"}},
     "logger: max-buffer-size option is only supported with 'mode=non-blocking'"),
    ({"Type": "awslogs"}, "must specify a value for log opt 'awslogs-group'"),
])
async def test_log_config_refused_with_mobys_words(api, log_config, message):
    status, answer = await create(api, ["true"], HostConfig={"LogConfig": log_config})
    assert (status, answer["message"]) == (400, message)


async def test_json_file_opts_are_accepted(api):
    status, answer = await create(api, ["true"], HostConfig={"LogConfig": {
        "Type": "json-file", "Config": {"max-size": "10m", "max-file": "3", "mode": "non-blocking",
                                        "max-buffer-size": "4m"}}})
    assert status == 201 and answer["Warnings"] == []


# -- the other options of hostopts.py ---------------------------------------------


@pytest.mark.parametrize("extra, message", [
    ({"StopSignal": "SIGFOO"}, "invalid signal: SIGFOO"),
    ({"StopSignal": "0"}, "invalid signal: 0"),
    ({"Healthcheck": {"Test": ["CMD", "true"], "Interval": 5}}, "Interval in Healthcheck cannot be less than 1ms"),
    ({"Healthcheck": {"Test": ["CMD", "true"], "Timeout": 5}}, "Timeout in Healthcheck cannot be less than 1ms"),
    ({"Healthcheck": {"Test": ["CMD", "true"], "Retries": -1}}, "Retries in Healthcheck cannot be negative"),
    ({"Healthcheck": {"Test": ["CMD", "true"], "StartPeriod": 5}}, "StartPeriod in Healthcheck cannot be less than 1ms"),
    ({"Healthcheck": {"Test": ["CMD", "true"], "StartInterval": 5}}, "StartInterval in Healthcheck cannot be less than 1ms"),
    ({"HostConfig": {"Isolation": "hyperv"}}, "invalid isolation 'hyperv' on linux"),
    ({"HostConfig": {"Runtime": "nosuch"}}, "unknown or invalid runtime name: nosuch"),
    ({"HostConfig": {"Annotations": {"": "x"}}},
     "invalid Annotations: the empty string is not permitted as an annotation key"),
    ({"HostConfig": {"StorageOpt": {"size": "1G"}}},
     "--storage-opt is supported only for overlay over xfs with 'pquota' mount option"),
    ({"HostConfig": {"StorageOpt": {"foo": "1"}}}, "Unknown option foo"),
])
async def test_refused_with_mobys_words(api, extra, message):
    status, answer = await create(api, ["true"], **extra)
    assert (status, answer["message"]) == (400, message)


async def test_volume_driver_refused_when_a_volume_is_made_with_it(api):
    status, answer = await create(api, ["true"], Volumes={"/data": {}}, HostConfig={"VolumeDriver": "nosuch"})
    assert status == 404
    assert answer["message"].endswith('error looking up volume plugin nosuch: plugin "nosuch" not found')
    # without a volume it changes nothing, as on dockerd
    status, answer = await create(api, ["true"], HostConfig={"VolumeDriver": "nosuch"})
    assert status == 201 and answer["Warnings"] == []


async def test_accepted_values_are_kept_for_inspect(api):
    status, answer = await create(api, ["true"], StopSignal="USR1", StopTimeout=3, HostConfig={
        "Isolation": "default", "Annotations": {"com.example.a": "b"},
        "ContainerIDFile": "/tmp/x.cid"})
    assert status == 201 and answer["Warnings"] == []
    info = await inspect(api, answer["Id"])
    assert info["Config"]["StopSignal"] == "USR1" and info["Config"]["StopTimeout"] == 3
    hc = info["HostConfig"]
    assert hc["Runtime"] == "runc"  # dockerd fills in its default runtime
    assert hc["Annotations"] == {"com.example.a": "b"}
    assert hc["ContainerIDFile"] == "/tmp/x.cid"
    status, answer = await create(api, ["true"], HostConfig={"Runtime": "io.containerd.runc.v2"})
    assert status == 201


@pytest.mark.parametrize("host_config, words", [
    ({"KernelMemoryTCP": 1 << 20}, "KernelMemoryTCP"),
    ({"CpuCount": 2}, "CpuCount"),
    ({"CpuRealtimeRuntime": 950000}, "CpuRealtime"),
    ({"BlkioDeviceWriteIOps": [{"Path": "/dev/sda", "Rate": 10}]}, "BlkioDeviceWriteIOps"),
])
async def test_warned_values(api, host_config, words):
    status, answer = await create(api, ["true"], HostConfig=host_config)
    assert status == 201
    assert len(answer["Warnings"]) == 1 and words in answer["Warnings"][0]


# -- health checks --------------------------------------------------------------


async def start(api, cmd, **extra):
    status, answer = await create(api, cmd, **extra)
    assert status == 201, answer
    assert (await api.post(f"/v1.50/containers/{answer['Id']}/start")).status == 204
    return answer["Id"]


async def health_of(api, cid, wanted, limit=8.0):
    """Poll State.Health until its Status is ``wanted``."""
    loop = asyncio.get_running_loop()
    end = loop.time() + limit
    while True:
        health = (await inspect(api, cid))["State"].get("Health")
        if (health and health["Status"] == wanted) or loop.time() > end:
            return health
        await asyncio.sleep(0.05)


MS = 1_000_000


async def test_a_passing_check_makes_it_healthy(api):
    cid = await start(api, ["sleep", "60"], Healthcheck={
        "Test": ["CMD-SHELL", "echo ok; exit 0"], "Interval": 100 * MS})
    first = (await inspect(api, cid))["State"]["Health"]
    assert first == {"Status": "starting", "FailingStreak": 0, "Log": []}
    health = await health_of(api, cid, "healthy")
    assert health["Status"] == "healthy" and health["FailingStreak"] == 0
    entry = health["Log"][0]
    assert entry["ExitCode"] == 0 and entry["Output"] == "ok\n"
    assert entry["Start"] <= entry["End"]
    ps = await (await api.get("/v1.50/containers/json?filters=" + json.dumps({"health": ["healthy"]}))).json()
    assert [c["Id"] for c in ps] == [cid]
    assert ps[0]["Status"].endswith("(healthy)")
    none = await (await api.get("/v1.50/containers/json?filters=" + json.dumps({"health": ["none"]}))).json()
    assert cid not in [c["Id"] for c in none]


async def test_a_failing_check_turns_unhealthy_after_retries(api):
    cid = await start(api, ["sleep", "60"], Healthcheck={
        "Test": ["CMD", "sh", "-c", "echo bad >&2; exit 1"], "Interval": 50 * MS, "Retries": 2})
    health = await health_of(api, cid, "unhealthy")
    assert health["Status"] == "unhealthy"
    assert health["FailingStreak"] >= 2
    assert health["Log"][-1]["ExitCode"] == 1 and health["Log"][-1]["Output"] == "bad\n"
    await asyncio.sleep(0.5)
    assert len((await inspect(api, cid))["State"]["Health"]["Log"]) <= 5


async def test_a_probe_past_its_timeout_is_killed(api):
    cid = await start(api, ["sleep", "60"], Healthcheck={
        "Test": ["CMD-SHELL", "echo slow; sleep 5"], "Interval": 50 * MS, "Timeout": 200 * MS,
        "Retries": 1})
    health = await health_of(api, cid, "unhealthy")
    entry = health["Log"][0]
    assert entry["ExitCode"] == -1
    assert entry["Output"] == "Health check exceeded timeout (200ms): slow\n"


async def test_health_events_and_probe_execs(api):
    since = (await (await api.get("/v1.50/info")).json())["SystemTime"]
    cid = await start(api, ["sleep", "60"], Healthcheck={"Test": ["CMD", "true"], "Interval": 50 * MS})
    await health_of(api, cid, "healthy")
    await asyncio.sleep(0.1)
    resp = await api.get("/v1.50/events?" + "since=0&until=" + str(int(__import__("time").time()) + 1)
                         + "&filters=" + json.dumps({"container": [cid]}))
    actions = [json.loads(line)["Action"] for line in (await resp.read()).splitlines() if line]
    assert "health_status: healthy" in actions
    assert actions.count("health_status: healthy") == 1
    assert "exec_create: true " in actions and "exec_start: true " in actions
    assert any(a == "exec_die" for a in actions)
    del since


async def test_none_test_and_the_images_healthcheck(api):
    cid = await start(api, ["sleep", "60"], Healthcheck={"Test": ["NONE"]})
    info = await inspect(api, cid)
    assert "Health" not in info["State"]
    ps = await (await api.get("/v1.50/containers/json?filters=" + json.dumps({"health": ["none"]}))).json()
    assert cid in [c["Id"] for c in ps]
    resp = await api.get("/v1.50/containers/json?filters=" + json.dumps({"health": ["sick"]}))
    assert resp.status == 400
    assert (await resp.json())["message"] == ("invalid filter 'health=sick': invalid value for health "
                                              "(sick): must be one of none, starting, healthy, unhealthy")


async def test_health_stops_with_the_container_and_restarts_with_it(api):
    cid = await start(api, ["sleep", "60"], Healthcheck={"Test": ["CMD", "true"], "Interval": 50 * MS})
    await health_of(api, cid, "healthy")
    assert (await api.post(f"/v1.50/containers/{cid}/kill")).status == 204
    await asyncio.sleep(0.2)
    info = await inspect(api, cid)
    assert info["State"]["Running"] is False
    assert info["State"]["Health"]["Status"] == "unhealthy"  # moby's CloseMonitorChannel
    log_len = len(info["State"]["Health"]["Log"])
    await asyncio.sleep(0.3)
    assert len((await inspect(api, cid))["State"]["Health"]["Log"]) == log_len  # no probe ran
    assert (await api.post(f"/v1.50/containers/{cid}/start")).status == 204
    assert (await inspect(api, cid))["State"]["Health"]["Status"] == "starting"
    assert (await health_of(api, cid, "healthy"))["Status"] == "healthy"


async def test_a_running_probe_shows_in_top_and_exec_ids(api):
    cid = await start(api, ["sleep", "60"], Healthcheck={
        "Test": ["CMD", "sleep", "3"], "Interval": 50 * MS, "Timeout": 10_000 * MS})
    loop = asyncio.get_running_loop()
    end = loop.time() + 5
    while loop.time() < end:
        info = await inspect(api, cid)
        if info["ExecIDs"]:
            break
        await asyncio.sleep(0.05)
    assert len(info["ExecIDs"]) == 1
    top = await (await api.get(f"/v1.50/containers/{cid}/top")).json()
    commands = [row[-1] for row in top["Processes"]]
    assert "sleep 3" in commands and "sleep 60" in commands
