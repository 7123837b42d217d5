"""Races between lifecycle verbs and clients that go away: whatever the
order, a removed container leaves no process and no shim in the simulated
host's task table, and nothing is logged as an error (moby: removal marks
the container first, and a start of a container marked for removal is a
409 "container is marked for removal and cannot be started")."""

import asyncio
import logging

import pytest

from dockersim.daemon.backend.engine import Engine

from dockersim.sim.kernel.jobctl import live_tasks


def host_commands(engine) -> list:
    """``ps aux`` of the simulated host: each live task's argv."""
    return [" ".join(t.image.argv)
            for t in live_tasks(engine.machine.kernel)]


def container_tasks(engine, cid) -> list:
    return [c for c in host_commands(engine) if cid in c or "sleep 1000" in c]


async def create(api, cmd=("sleep", "1000"), **extra):
    resp = await api.post("/v1.50/containers/create",
                          json={"Image": "busybox", "Cmd": list(cmd), **extra})
    assert resp.status == 201, await resp.text()
    return (await resp.json())["Id"]


async def started(api, cmd=("sleep", "1000"), **extra):
    cid = await create(api, cmd, **extra)
    resp = await api.post(f"/v1.50/containers/{cid}/start")
    assert resp.status == 204, await resp.text()
    return cid


@pytest.fixture
async def engine():
    engine = Engine(None, seed=1)
    yield engine
    await engine.close()


@pytest.fixture
async def api(make_api_client, engine):
    client = await make_api_client(engine)
    resp = await client.post("/v1.50/images/create?fromImage=docker.io%2Flibrary%2Fbusybox&tag=latest")
    assert resp.status == 200
    await resp.read()
    return client


async def settle(engine, rounds=20):
    for _ in range(rounds):
        engine.processes.poke()
        await asyncio.sleep(0.01)


async def test_restart_abandoned_then_force_remove_leaves_nothing(api, engine, caplog):
    caplog.set_level(logging.WARNING)
    cid = await started(api)
    assert container_tasks(engine, cid)
    restart = asyncio.ensure_future(api.post(f"/v1.50/containers/{cid}/restart?t=-5"))
    await asyncio.sleep(0.1)
    restart.cancel()  # the client goes away; the handler goes on
    resp = await api.delete(f"/v1.50/containers/{cid}?force=1")
    assert resp.status == 204, await resp.text()
    await settle(engine)
    assert container_tasks(engine, cid) == []
    assert engine.records.get(cid) is None
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text


async def test_stop_raced_with_start_then_remove(api, engine, caplog):
    caplog.set_level(logging.WARNING)
    cid = await started(api)
    stop = asyncio.ensure_future(api.post(f"/v1.50/containers/{cid}/stop?t=-1"))
    await asyncio.sleep(0.05)
    start = asyncio.ensure_future(api.post(f"/v1.50/containers/{cid}/start"))
    await asyncio.sleep(0.05)
    resp = await api.delete(f"/v1.50/containers/{cid}?force=1")
    assert resp.status == 204, await resp.text()
    for task in (stop, start):
        (await task).release()
    await settle(engine)
    assert container_tasks(engine, cid) == []
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text


async def test_clients_leaving_mid_request_then_remove(api, engine, caplog):
    caplog.set_level(logging.WARNING)
    cids = [await create(api) for _ in range(3)]
    pending = []
    for cid in cids:
        pending.append(asyncio.ensure_future(api.post(f"/v1.50/containers/{cid}/start")))
        pending.append(asyncio.ensure_future(api.post(f"/v1.50/containers/{cid}/wait")))
        pending.append(asyncio.ensure_future(api.post(f"/v1.50/containers/{cid}/restart?t=-1")))
        pending.append(asyncio.ensure_future(
            api.post(f"/v1.50/containers/{cid}/attach?stream=1&stdout=1")))
    await asyncio.sleep(0.1)
    for task in pending:
        task.cancel()
    for cid in cids:
        resp = await api.delete(f"/v1.50/containers/{cid}?force=1")
        assert resp.status in (204, 404), await resp.text()
    await settle(engine, 40)
    for cid in cids:
        assert container_tasks(engine, cid) == []
        assert engine.records.get(cid) is None
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text


async def test_a_start_of_a_container_being_removed_is_409(api, engine):
    cid = await started(api)
    engine.records.get(cid).removal_in_progress = True
    resp = await api.post(f"/v1.50/containers/{cid}/restart?t=0")
    assert resp.status == 409
    assert "marked for removal" in (await resp.json())["message"]
    resp = await api.get(f"/v1.50/containers/{cid}/logs?stdout=1")  # moby's ContainerLogs
    assert (resp.status, (await resp.json())["message"]) == (
        409, "can not get logs from container which is dead or marked for removal")
    engine.records.get(cid).removal_in_progress = False


async def test_a_lone_surrogate_in_json_is_read_as_go_reads_it(api, engine):
    """Go's encoding/json decodes the escape of a lone surrogate as U+FFFD:
    the program gets that, and writes its UTF-8 (EF BF BD)."""
    body = b'{"Image": "busybox", "Cmd": ["echo", "a\\ud800b"]}'
    resp = await api.post("/v1.50/containers/create", data=body,
                          headers={"Content-Type": "application/json"})
    assert resp.status == 201, await resp.text()
    cid = (await resp.json())["Id"]
    assert engine.records.get(cid).args == ["a\ufffdb"]
    wait = asyncio.ensure_future(api.post(f"/v1.50/containers/{cid}/wait?condition=next-exit"))
    await asyncio.sleep(0.05)
    assert (await api.post(f"/v1.50/containers/{cid}/start")).status == 204
    assert await (await wait).json() == {"StatusCode": 0}
    resp = await api.get(f"/v1.50/containers/{cid}/logs?stdout=1")
    assert (await resp.read()).endswith("a\ufffdb\n".encode())


async def test_container_lifecycles_leave_no_kernel_state_behind(engine):
    """The leak bench/lifecycle_memory.py found: every shim's hour-long
    sleep stayed in the kernel's timer heap, holding the dead shim, until
    its deadline.  After many create/start/wait/remove cycles the host's
    tasks and timers are what they were."""
    async for _ in engine.pull("busybox"):
        pass
    kernel = engine.machine.kernel

    async def cycle():
        cid = engine.create_container(None, {"Image": "busybox", "Cmd": ["true"]})["Id"]
        waiter = engine.wait_container(cid, "next-exit")
        await engine.start_container(cid)
        await waiter
        await engine.remove_container(cid)

    await cycle()
    await settle(engine)
    tasks = len(kernel.root_pidns.tasks)
    for _ in range(300):
        await cycle()
    await settle(engine)
    assert len(kernel.root_pidns.tasks) <= tasks
    assert len(kernel.sched.timers._heap) < 100
    assert len(engine.records) == 0


async def test_finished_execs_are_collected_as_moby_does(api, engine):
    """moby's execCommandGC: a finished exec is marked at one pass and
    dropped at the next; a created or running one stays."""
    cid = await started(api)
    eids = []
    for cmd in (["true"], ["sleep", "1000"]):
        resp = await api.post(f"/v1.50/containers/{cid}/exec", json={"Cmd": cmd})
        eids.append((await resp.json())["Id"])
    resp = await api.post(f"/v1.50/exec/{eids[0]}/start", json={"Detach": True})
    assert resp.status == 200
    for _ in range(100):
        if not (await (await api.get(f"/v1.50/exec/{eids[0]}/json")).json())["Running"]:
            break
        await asyncio.sleep(0.01)
    assert (await (await api.get(f"/v1.50/exec/{eids[0]}/json")).json())["CanRemove"] is False
    assert engine.execs.collect_garbage() == 0
    resp = await api.get(f"/v1.50/exec/{eids[0]}/json")
    assert resp.status == 200
    assert (await resp.json())["CanRemove"] is True  # marked: the next pass drops it
    assert engine.execs.collect_garbage() == 1
    assert (await api.get(f"/v1.50/exec/{eids[0]}/json")).status == 404
    assert (await api.get(f"/v1.50/exec/{eids[1]}/json")).status == 200
