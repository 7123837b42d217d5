"""Init, PidMode, IpcMode/ShmSize, UTSMode, CgroupnsMode, CgroupParent,
UsernsMode, NetworkDisabled, MacAddress and the OOM killer through the
API: moby's defaults in inspect, its refusals, and what the container sees."""

import asyncio
import json
import time

import pytest

from dockersim.daemon.wire.stdcopy import demux

from .test_containers import start_and_wait


async def _create(api, cmd, name="", **extra):
    body = {"Image": "busybox", "Cmd": cmd, **extra}
    resp = await api.post("/v1.50/containers/create" + (f"?name={name}" if name else ""), json=body)
    return resp.status, await resp.json()


async def _run(api, cmd, name="", **extra):
    status, answer = await _create(api, cmd, name, **extra)
    assert status == 201, answer
    cid = answer["Id"]
    code = (await start_and_wait(api, cid))["StatusCode"]
    out, err = demux(await (await api.get(f"/v1.50/containers/{cid}/logs?stdout=1&stderr=1")).read())
    return cid, code, out.decode(), err.decode()


async def _start(api, cmd, name, **extra):
    status, answer = await _create(api, cmd, name, **extra)
    assert status == 201, answer
    resp = await api.post(f"/v1.50/containers/{answer['Id']}/start")
    assert resp.status == 204, await resp.text()
    return answer["Id"]


async def _inspect(api, cid):
    return await (await api.get(f"/v1.50/containers/{cid}/json")).json()


async def test_defaults_in_inspect(api):
    status, answer = await _create(api, ["true"])
    hc = (await _inspect(api, answer["Id"]))["HostConfig"]
    assert hc["IpcMode"] == "private" and hc["CgroupnsMode"] == "private"
    assert hc["ShmSize"] == 64 * 1024 * 1024


@pytest.mark.parametrize("hc, message", [
    ({"IpcMode": "bogus"}, "invalid IPC mode: bogus"),
    ({"PidMode": "bogus"}, "invalid PID mode: bogus"),
    ({"PidMode": "container:"}, "invalid PID mode: container:"),
    ({"ShmSize": -1}, "SHM size can not be less than 0"),
    ({"UTSMode": "bogus"}, "invalid UTS mode: bogus"),
    ({"CgroupnsMode": "bogus"}, "invalid cgroup namespace mode: bogus"),
    ({"CgroupParent": "mygroup"}, 'cgroup-parent for systemd cgroup should be a valid slice named as "xxx.slice"'),
])
async def test_invalid_modes_are_refused_with_mobys_words(api, hc, message):
    status, answer = await _create(api, ["true"], HostConfig=hc)
    assert status == 400 and answer["message"] == message


async def test_uts_host_and_a_hostname_conflict(api):
    status, answer = await _create(api, ["true"], Hostname="x", HostConfig={"UTSMode": "host"})
    assert status == 400 and answer["message"] == "conflicting options: hostname and the UTS mode"
    _, code, out, _ = await _run(api, ["hostname"], HostConfig={"UTSMode": "host"})
    assert out == "dockersim\n"


async def test_init_runs_docker_init_as_pid_1(api):
    _, code, out, _ = await _run(api, ["ps", "-o", "pid,args"], HostConfig={"Init": True})
    rows = [" ".join(line.split()) for line in out.splitlines()[1:]]
    assert rows[0] == "1 /sbin/docker-init -- ps -o pid,args"
    assert rows[1].endswith(" ps -o pid,args")


async def test_pid_host_and_pid_container(api):
    donor = await _start(api, ["sleep", "1000"], "donor")
    _, _, out, _ = await _run(api, ["ps", "-o", "pid,args"], HostConfig={"PidMode": "host"})
    assert "/usr/bin/dockerd" in out and "sleep 1000" in out
    cid, _, out, _ = await _run(api, ["ps", "-o", "pid,args"], HostConfig={"PidMode": "container:donor"})
    assert " ".join(out.splitlines()[1].split()) == "1 sleep 1000"
    assert (await _inspect(api, cid))["HostConfig"]["PidMode"] == "container:" + donor
    await api.post(f"/v1.50/containers/{donor}/kill")
    await asyncio.sleep(0.05)
    resp = await api.post(f"/v1.50/containers/{cid}/start")
    assert resp.status == 409
    assert (await resp.json())["message"] == f"failed to join PID namespace: container {donor} is not running"


async def test_ipc_shareable_container_host_and_none(api):
    private = await _start(api, ["sleep", "1000"], "private")
    donor = await _start(api, ["sh", "-c", "echo hi > /dev/shm/note; sleep 1000"], "donor",
                         HostConfig={"IpcMode": "shareable"})
    await asyncio.sleep(0.05)
    _, _, out, _ = await _run(api, ["cat", "/dev/shm/note"], HostConfig={"IpcMode": "container:donor"})
    assert out == "hi\n"
    status, answer = await _create(api, ["true"], HostConfig={"IpcMode": "container:private"})
    resp = await api.post(f"/v1.50/containers/{answer['Id']}/start")
    assert resp.status == 400
    assert (await resp.json())["message"] == (f"failed to join IPC namespace: container {private}: non-shareable "
                                              "IPC (hint: use IpcMode:shareable for the donor container)")
    _, code, _, err = await _run(api, ["ls", "/dev/shm"], HostConfig={"IpcMode": "none"})
    assert code == 1 and "No such file or directory" in err
    _, _, out, _ = await _run(api, ["df", "-k", "/dev/shm"], HostConfig={"ShmSize": 16 * 1024 * 1024})
    assert out.splitlines()[1].split()[:2] == ["shm", "16384"]
    assert donor


async def test_cgroupns_host_and_cgroup_parent(api):
    cid, _, out, _ = await _run(api, ["cat", "/proc/self/cgroup"])
    assert out == "0::/\n"
    cid, _, out, _ = await _run(api, ["cat", "/proc/self/cgroup"],
                                HostConfig={"CgroupnsMode": "host", "CgroupParent": "my-app.slice"})
    assert out == f"0::/my.slice/my-app.slice/docker-{cid}.scope\n"


async def test_userns_mode_host_is_accepted(api):
    _, code, out, _ = await _run(api, ["id", "-u"], HostConfig={"UsernsMode": "host"})
    assert (code, out) == (0, "0\n")


async def test_network_disabled_leaves_only_lo(api):
    cid, code, out, _ = await _run(api, ["ip", "addr"], NetworkDisabled=True)
    assert code == 0 and "lo" in out and "eth0" not in out
    info = await _inspect(api, cid)
    assert info["Config"]["NetworkDisabled"] is True
    assert info["NetworkSettings"]["Networks"] == {}


async def test_mac_address_on_the_endpoint_and_the_deprecated_field(api):
    cid = await _start(api, ["sleep", "1000"], "mac", NetworkingConfig={
        "EndpointsConfig": {"bridge": {"MacAddress": "02:42:AC:11:00:99"}}})
    info = await _inspect(api, cid)
    assert info["NetworkSettings"]["Networks"]["bridge"]["MacAddress"] == "02:42:ac:11:00:99"
    assert info["NetworkSettings"]["MacAddress"] == "02:42:ac:11:00:99"
    status, answer = await _create(api, ["ip", "link"], MacAddress="02:42:ac:11:00:98")
    assert answer["Warnings"] == ["The container-wide MacAddress field is now deprecated. It should be "
                                  "specified in EndpointsConfig instead."]
    await api.post(f"/v1.50/containers/{answer['Id']}/start")
    info = await _inspect(api, answer["Id"])
    assert info["NetworkSettings"]["Networks"]["bridge"]["MacAddress"] == "02:42:ac:11:00:98"
    status, answer = await _create(api, ["true"], NetworkingConfig={
        "EndpointsConfig": {"bridge": {"MacAddress": "nope"}}})
    assert status == 400 and answer["message"] == "invalid config for network bridge: invalid MAC address nope"
    _, _, out, _ = await _run(api, ["ip", "link", "show", "eth0"], NetworkingConfig={
        "EndpointsConfig": {"bridge": {"MacAddress": "02:42:ac:11:00:97"}}})
    assert "link/ether 02:42:ac:11:00:97 " in out


async def test_oom_kill_sets_oomkilled_exit_137_and_the_oom_event(api):
    cid, code, out, _ = await _run(api, ["sh", "-c", "head -c 20000000 /dev/zero > /dev/shm/x"],
                                   HostConfig={"Memory": 8 * 1024 * 1024})
    assert code == 137
    state = (await _inspect(api, cid))["State"]
    assert state["OOMKilled"] is True and state["ExitCode"] == 137
    resp = await api.get("/v1.50/events", params={"since": "0", "until": f"{time.time():.9f}",
                                                   "filters": json.dumps({"container": [cid]})})
    actions = [json.loads(line)["Action"] for line in (await resp.read()).decode().splitlines() if line]
    assert actions.index("oom") == actions.index("die") - 1
    _, code, _, _ = await _run(api, ["true"], HostConfig={"Memory": 8 * 1024 * 1024})
    assert code == 0
