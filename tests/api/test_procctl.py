"""Pause, unpause, update and stats through the HTTP API (in process):
status codes, moby's words, and the StatsResponse shape."""

import json


async def started(api, cmd, **extra):
    resp = await api.post("/v1.50/containers/create", json={"Image": "busybox", "Cmd": cmd, **extra})
    assert resp.status == 201, await resp.text()
    cid = (await resp.json())["Id"]
    assert (await api.post(f"/v1.50/containers/{cid}/start")).status == 204
    return cid


async def message(resp) -> str:
    return (await resp.json())["message"]


async def test_pause_unpause_codes_and_words(api):
    resp = await api.post("/v1.50/containers/create", json={"Image": "busybox", "Cmd": ["true"]})
    created = (await resp.json())["Id"]
    resp = await api.post(f"/v1.50/containers/{created}/pause")
    assert resp.status == 409 and await message(resp) == f"container {created} is not running"
    cid = await started(api, ["sleep", "100"])
    assert (await api.post(f"/v1.50/containers/{cid}/pause")).status == 204
    resp = await api.post(f"/v1.50/containers/{cid}/pause")
    assert resp.status == 409 and await message(resp) == f"Container {cid} is already paused"
    state = (await (await api.get(f"/v1.50/containers/{cid}/json")).json())["State"]
    assert (state["Status"], state["Paused"], state["Running"]) == ("paused", True, True)
    listed = await (await api.get("/v1.50/containers/json?filters=" + json.dumps({"status": ["paused"]}))).json()
    assert [c["Id"] for c in listed] == [cid] and listed[0]["Status"].endswith("(Paused)")
    resp = await api.post(f"/v1.50/containers/{cid[:12]}/exec", json={"Cmd": ["true"]})
    assert resp.status == 409
    assert await message(resp) == f"Container {cid[:12]} is paused, unpause the container before exec"
    resp = await api.post(f"/v1.50/containers/{cid}/attach?stream=1&stdout=1")
    assert resp.status == 409
    info = await (await api.get("/v1.50/info")).json()
    assert info["ContainersPaused"] == 1
    assert (await api.post(f"/v1.50/containers/{cid}/unpause")).status == 204
    resp = await api.post(f"/v1.50/containers/{cid}/unpause")
    assert resp.status == 500 and await message(resp) == f"Container {cid} is not paused"
    assert (await api.delete(f"/v1.50/containers/{cid}?force=1")).status == 204


async def test_stats_one_shot_shape(api):
    cid = await started(api, ["sleep", "100"], HostConfig={"Memory": 64 * 2**20})
    resp = await api.get(f"/v1.50/containers/{cid}/stats?stream=0&one-shot=1")
    assert resp.status == 200 and resp.headers["Content-Type"] == "application/json"
    text = await resp.text()
    assert text.count("\n") == 1
    doc = json.loads(text)
    assert list(doc)[:8] == ["name", "id", "read", "preread", "pids_stats", "blkio_stats",
                             "num_procs", "storage_stats"]
    assert doc["preread"] == "0001-01-01T00:00:00Z"
    assert doc["pids_stats"]["current"] == 1
    assert doc["memory_stats"]["limit"] == 64 * 2**20
    assert set(doc["memory_stats"]["stats"]) >= {"anon", "file", "inactive_file", "active_file"}
    assert doc["cpu_stats"]["online_cpus"] == 2 and doc["cpu_stats"]["system_cpu_usage"] > 0
    assert doc["precpu_stats"]["cpu_usage"]["total_usage"] == 0
    assert doc["blkio_stats"]["io_service_bytes_recursive"] is None
    assert set(doc["networks"]) == {"eth0"}
    resp = await api.get(f"/v1.50/containers/{cid}/stats?stream=1&one-shot=1")
    assert resp.status == 400 and await message(resp) == "cannot have stream=true and one-shot=true"
    assert (await api.delete(f"/v1.50/containers/{cid}?force=1")).status == 204


async def test_stats_of_a_stopped_container_is_name_and_id(api):
    resp = await api.post("/v1.50/containers/create?name=idle", json={"Image": "busybox", "Cmd": ["true"]})
    cid = (await resp.json())["Id"]
    doc = await (await api.get(f"/v1.50/containers/{cid}/stats?stream=0")).json()
    assert doc["name"] == "/idle" and doc["id"] == cid
    assert doc["read"] == "0001-01-01T00:00:00Z" and doc["memory_stats"] == {}
    assert "networks" not in doc


async def test_stats_without_stream_primes_the_cpu_figures(api):
    cid = await started(api, ["sh", "-c", "yes > /dev/null"])
    doc = await (await api.get(f"/v1.50/containers/{cid}/stats?stream=0")).json()
    assert doc["preread"] != "0001-01-01T00:00:00Z"
    cpu = doc["cpu_stats"]["cpu_usage"]["total_usage"] - doc["precpu_stats"]["cpu_usage"]["total_usage"]
    system = doc["cpu_stats"]["system_cpu_usage"] - doc["precpu_stats"]["system_cpu_usage"]
    assert 50 < cpu / system * doc["cpu_stats"]["online_cpus"] * 100 < 110
    assert (await api.delete(f"/v1.50/containers/{cid}?force=1")).status == 204


async def test_update_answers_warnings_and_applies_to_the_cgroup(api):
    cid = await started(api, ["sleep", "100"])
    resp = await api.post(f"/v1.50/containers/{cid}/update",
                          json={"BlkioWeight": 300, "CpuShares": 512, "PidsLimit": 10,
                                "RestartPolicy": {"Name": "unless-stopped"}})
    assert resp.status == 200
    assert await resp.json() == {"Warnings": [
        "Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded."]}
    hc = (await (await api.get(f"/v1.50/containers/{cid}/json")).json())["HostConfig"]
    assert hc["CpuShares"] == 512 and hc["PidsLimit"] == 10
    assert hc["RestartPolicy"] == {"Name": "unless-stopped", "MaximumRetryCount": 0}
    assert not hc.get("BlkioWeight")
    doc = await (await api.get(f"/v1.50/containers/{cid}/stats?stream=0&one-shot=1")).json()
    assert doc["pids_stats"]["limit"] == 10
    resp = await api.post(f"/v1.50/containers/{cid}/update", json={"NanoCpus": 10**9, "CpuQuota": 50000})
    assert resp.status == 400
    assert await message(resp) == "Conflicting options: Nano CPUs and CPU Quota cannot both be set"
    assert (await api.post(f"/v1.50/containers/{cid}/update", json={"CpuQuota": 50000})).status == 200
    resp = await api.post(f"/v1.50/containers/{cid}/update", json={"NanoCpus": 10**9})
    assert resp.status == 409
    assert await message(resp) == (f"Cannot update container {cid}: Conflicting options: Nano CPUs "
                                   "cannot be updated as CPU Quota has already been set")
    resp = await api.post(f"/v1.50/containers/{cid}/update", json={"RestartPolicy": {"Name": "sometimes"}})
    assert resp.status == 400 and "invalid restart policy" in await message(resp)
    resp = await api.post("/v1.50/containers/nosuch/update", json={})
    assert resp.status == 404
    assert (await api.delete(f"/v1.50/containers/{cid}?force=1")).status == 204


async def test_a_stats_stream_sends_every_second_and_ends_with_the_container(api):
    cid = await started(api, ["sleep", "2"])
    resp = await api.get(f"/v1.50/containers/{cid}/stats")
    assert resp.status == 200
    docs = [json.loads(line) for line in (await resp.text()).splitlines()]
    assert 2 <= len(docs) <= 4
    assert docs[0]["precpu_stats"]["cpu_usage"]["total_usage"] == 0
    for before, after in zip(docs, docs[1:]):
        assert after["precpu_stats"] == before["cpu_stats"] and after["preread"] == before["read"]


async def test_an_updated_restart_policy_restarts_the_container(api):
    import asyncio

    cid = await started(api, ["sh", "-c", "sleep 0.3; exit 3"])
    resp = await api.post(f"/v1.50/containers/{cid}/update",
                          json={"RestartPolicy": {"Name": "on-failure", "MaximumRetryCount": 1}})
    assert resp.status == 200
    for _ in range(50):
        await asyncio.sleep(0.1)
        doc = await (await api.get(f"/v1.50/containers/{cid}/json")).json()
        if doc["RestartCount"] == 1:
            break
    assert doc["RestartCount"] == 1
    assert (await api.delete(f"/v1.50/containers/{cid}?force=1")).status == 204


async def test_one_shot_and_pids_limit_follow_the_api_version(api):
    cid = await started(api, ["sleep", "100"])
    doc = await (await api.get(f"/v1.40/containers/{cid}/stats?stream=0&one-shot=1")).json()
    assert doc["preread"] != "0001-01-01T00:00:00Z"  # one-shot unknown before 1.41: primed
    assert (await api.post(f"/v1.39/containers/{cid}/update", json={"PidsLimit": 5})).status == 200
    hc = (await (await api.get(f"/v1.50/containers/{cid}/json")).json())["HostConfig"]
    assert not hc.get("PidsLimit")
    assert (await api.delete(f"/v1.50/containers/{cid}?force=1")).status == 204


async def test_cpus_allowed_list_follows_the_cpuset(api):
    """/proc/<pid>/status's Cpus_allowed_list is the cgroup's cpuset in the
    kernel's list form, all CPUs without one."""
    from dockersim.daemon.wire.stdcopy import demux

    from .test_containers import run

    for cpuset, shown in (("", "0-1"), ("1", "1"), ("0,1", "0-1")):
        cid, _ = await run(api, ["grep", "Cpus_allowed_list", "/proc/self/status"],
                           HostConfig={"CpusetCpus": cpuset})
        out = demux(await (await api.get(f"/v1.50/containers/{cid}/logs?stdout=1")).read())[0]
        assert out == f"Cpus_allowed_list:\t{shown}\n".encode(), cpuset


def test_cpu_sets_count_each_cpu_once():
    from dockersim.sim.kernel.cgroup import _count_cpus, cpu_list

    assert _count_cpus("0,0-1") == 2
    assert cpu_list({0, 1, 3, 5, 6}) == "0-1,3,5-6"
