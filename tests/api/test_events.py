"""``GET /events``: the bus, its filters, since/until, streaming and the
actions and attributes the services emit (moby's daemon/events and the
``Log*Event`` call sites)."""

from __future__ import annotations

import asyncio
import json
import time

import pytest

from dockersim.daemon.backend.events import BUFFER_SIZE, EVENTS_LIMIT, EventBus, encode_message
from dockersim.daemon.backend.filters import Filters
from dockersim.sim.clock import ManualClock


# -- the bus alone -----------------------------------------------------------------

class _C:
    def __init__(self, cid, name, image="busybox", labels=None):
        self.id, self.name = cid, name
        self.config = {"Image": image, "Labels": labels or {}}


def test_a_message_has_dockerds_shape_and_the_deprecated_fields():
    bus = EventBus(ManualClock(1700000000.25))
    msg = bus.container(_C("c1", "/web", labels={"a": "1", "name": "label-loses"}), "die",
                        exitCode="0")
    assert msg == {"status": "die", "id": "c1", "from": "busybox", "Type": "container",
                   "Action": "die",
                   "Actor": {"ID": "c1", "Attributes": {"a": "1", "exitCode": "0",
                                                        "image": "busybox", "name": "web"}},
                   "scope": "local", "time": 1700000000, "timeNano": 1700000000250000000}
    net = bus.emit("network", "prune", "", {"reclaimed": "0"})
    assert "status" not in net and "id" not in net
    img = bus.emit("image", "prune", "", {"reclaimed": "0"})
    assert img["status"] == "prune" and "id" not in img


def test_messages_are_encoded_as_gos_json_encoder_does():
    bus = EventBus(ManualClock(2.0))
    msg = bus.container(_C("c1", "x", image="a&b", labels={"z": "<1>", "b": "é"}), "start")
    assert encode_message(msg) == (
        '{"status":"start","id":"c1","from":"a\\u0026b","Type":"container","Action":"start",'
        '"Actor":{"ID":"c1","Attributes":{"b":"é","image":"a\\u0026b","name":"x",'
        '"z":"\\u003c1\\u003e"}},"scope":"local","time":2,"timeNano":2000000000}\n').encode()


def test_the_log_keeps_the_last_256_and_replays_between_since_and_until():
    clock = ManualClock(1000.0)
    bus = EventBus(clock)
    for i in range(EVENTS_LIMIT + 10):
        clock.advance(1)
        bus.emit("volume", "create", f"v{i}")
    assert len(bus.log) == EVENTS_LIMIT and bus.log[0]["Actor"]["ID"] == "v10"
    none, sub = bus.subscribe(None, None, Filters())
    assert none == []  # neither since nor until: no replay
    sub.close()
    since = int((1000 + 200) * 1e9)
    until = int((1000 + 202) * 1e9)
    replay, sub = bus.subscribe(since, until, Filters())
    assert [m["Actor"]["ID"] for m in replay] == ["v199", "v200", "v201"]
    sub.close()
    only_until, sub = bus.subscribe(None, int(1012 * 1e9), Filters())
    assert [m["Actor"]["ID"] for m in only_until] == ["v10", "v11"]  # since 0
    sub.close()
    assert bus.listeners() == 0


def test_a_slow_subscriber_misses_new_messages_and_never_blocks_the_daemon():
    bus = EventBus(ManualClock())
    _, sub = bus.subscribe(None, None, Filters())
    for i in range(BUFFER_SIZE + 5):
        bus.emit("volume", "create", f"v{i}")
    assert len(sub.queue) == BUFFER_SIZE and sub.skipped == 5
    assert sub.queue[0]["Actor"]["ID"] == "v0"


@pytest.mark.parametrize("filters, included", [
    ({"type": ["container"]}, True),
    ({"type": ["image"]}, False),
    ({"event": ["exec_start"]}, True),        # fuzzy: exec_start: sh -c ...
    ({"event": ["exec_start: sh -c"]}, False),  # a colon: exact
    ({"event": ["exec_start: sh -c true"]}, True),
    ({"container": ["web"]}, True),
    ({"container": ["we"]}, True),            # names and ids match by prefix
    ({"container": ["abc"]}, True),
    ({"container": ["other"]}, False),
    ({"image": ["busybox"]}, True),
    ({"image": ["busybox:latest"]}, False),   # exact on the attribute or its repository
    ({"label": ["tier"]}, True),
    ({"label": ["tier=db"]}, False),
    ({"network": ["x"]}, False),              # every name filter applies to every actor
    ({"network": ["we"]}, True),              # (moby's fuzzyMatchName ignores the type)
    ({"scope": ["swarm"]}, False),
    ({"nonsense": ["x"]}, True),              # dockerd ignores filters it does not know
])
def test_filters_include_as_moby_does(filters, included):
    bus = EventBus(ManualClock())
    _, sub = bus.subscribe(None, None, Filters({k: dict.fromkeys(v, True) for k, v in filters.items()}))
    bus.container(_C("abcdef", "web", labels={"tier": "web"}), "exec_start: sh -c true", execID="e1")
    assert bool(sub.queue) is included


def test_image_filter_matches_image_events_by_id_and_name():
    bus = EventBus(ManualClock())
    f = Filters({"image": {"busybox": True}})
    _, sub = bus.subscribe(None, None, f)
    bus.image("busybox:latest", "busybox", "pull")
    bus.image("sha256:1", "alpine:latest", "tag")
    assert [m["Action"] for m in sub.queue] == ["pull"]


# -- through the API ------------------------------------------------------------------

def _lines(body: bytes) -> list:
    return [json.loads(line) for line in body.decode().splitlines() if line]


def _brief(messages) -> list:
    return [(m["Type"], m["Action"]) for m in messages]


async def _run(api, name, cmd, **extra) -> str:
    body = {"Image": "busybox", "Cmd": cmd, **extra}
    resp = await api.post(f"/v1.50/containers/create?name={name}", json=body)
    assert resp.status == 201, await resp.text()
    cid = (await resp.json())["Id"]
    assert (await api.post(f"/v1.50/containers/{cid}/start")).status == 204
    return cid


async def _events(api, **query) -> list:
    resp = await api.get("/v1.50/events", params=query)
    assert resp.status == 200, await resp.text()
    assert resp.headers["Content-Type"] == "application/json"
    return _lines(await resp.read())


async def test_a_container_lifecycle_replayed_with_since_and_until(api):
    since = f"{time.time():.9f}"
    cid = await _run(api, "life", ["sh", "-c", "exit 3"], Labels={"app": "demo"})
    wait = await api.post(f"/v1.50/containers/{cid}/wait")
    assert (await wait.json())["StatusCode"] == 3
    assert (await api.delete(f"/v1.50/containers/{cid}")).status == 204
    events = await _events(api, since=since, until=f"{time.time():.9f}")
    assert _brief(events) == [("container", "create"), ("network", "connect"),
                              ("container", "start"), ("network", "disconnect"),
                              ("container", "die"), ("container", "destroy")]
    create, connect, start, disconnect, die, destroy = events
    assert create["Actor"] == {"ID": cid, "Attributes": {"app": "demo", "image": "busybox",
                                                         "name": "life"}}
    assert create["status"] == "create" and create["id"] == cid and create["from"] == "busybox"
    assert die["Actor"]["Attributes"]["exitCode"] == "3"
    assert die["Actor"]["Attributes"]["execDuration"] == "0"
    assert connect["Actor"]["Attributes"] == {"container": cid, "name": "bridge", "type": "bridge"}
    assert connect["Actor"]["ID"] == disconnect["Actor"]["ID"]
    assert "status" not in connect  # the deprecated fields are for containers and images
    assert all(e["scope"] == "local" for e in events)
    assert [e["timeNano"] for e in events] == sorted(e["timeNano"] for e in events)
    assert all(e["time"] == e["timeNano"] // 10 ** 9 for e in events)


async def test_events_stream_as_they_happen_and_the_subscription_goes_with_the_client(api):
    resp = await api.get("/v1.50/events", params={"filters": json.dumps({"type": ["container"]})})
    assert resp.status == 200
    info = await (await api.get("/v1.50/info")).json()
    assert info["NEventsListener"] == 1
    cid = await _run(api, "streamed", ["sleep", "100"])
    got = []
    while len(got) < 2:
        line = await asyncio.wait_for(resp.content.readline(), 5)
        got.append(json.loads(line))
    assert _brief(got) == [("container", "create"), ("container", "start")]
    assert (await api.post(f"/v1.50/containers/{cid}/kill?signal=SIGTERM")).status == 204
    line = await asyncio.wait_for(resp.content.readline(), 5)
    assert json.loads(line)["Action"] == "kill"
    assert json.loads(line)["Actor"]["Attributes"]["signal"] == "15"
    resp.close()
    for _ in range(50):
        info = await (await api.get("/v1.50/info")).json()
        if info["NEventsListener"] == 0:
            break
        await asyncio.sleep(0.1)
    assert info["NEventsListener"] == 0
    await api.delete(f"/v1.50/containers/{cid}?force=1")


async def test_a_future_until_ends_the_stream_then(api):
    start = time.monotonic()
    resp = await api.get("/v1.50/events", params={"until": f"{time.time() + 0.5:.9f}"})
    assert resp.status == 200
    await _run(api, "until", ["true"])
    body = await asyncio.wait_for(resp.read(), 5)
    assert time.monotonic() - start >= 0.4
    assert ("container", "create") in _brief(_lines(body))


async def test_a_past_until_returns_the_replay_and_ends(api):
    events = await _events(api, since="0", until=f"{time.time():.9f}")
    assert _brief(events) == [("image", "pull")]  # the fixture's busybox
    pull = events[0]
    assert pull["Actor"]["ID"] == "busybox:latest"
    assert pull["Actor"]["Attributes"]["name"] == "busybox"
    assert pull["id"] == "busybox:latest" and pull["status"] == "pull" and "from" not in pull


@pytest.mark.parametrize("query, status, message", [
    ({"since": "10m"}, 500, 'strconv.ParseInt: parsing "10m": invalid syntax'),
    ({"until": "1.x"}, 500, 'strconv.ParseInt: parsing "x": invalid syntax'),
    ({"since": "20", "until": "10"}, 400, "`since` time (20) cannot be after `until` time (10)"),
    ({"filters": "{bad"}, 400, "invalid filter"),
])
async def test_bad_parameters_are_refused_with_dockerds_words(api, query, status, message):
    resp = await api.get("/v1.50/events", params=query)
    assert resp.status == status
    assert (await resp.json())["message"] == message


async def test_exec_top_rename_and_the_event_filter(api):
    since = f"{time.time():.9f}"
    cid = await _run(api, "busy", ["sleep", "100"])
    resp = await api.post(f"/v1.50/containers/{cid}/exec", json={"Cmd": ["sh", "-c", "exit 2"]})
    eid = (await resp.json())["Id"]
    resp = await api.post(f"/v1.50/exec/{eid}/start", json={"Detach": True})
    assert resp.status == 200
    for _ in range(50):
        if (await (await api.get(f"/v1.50/exec/{eid}/json")).json())["ExitCode"] is not None:
            break
        await asyncio.sleep(0.05)
    assert (await api.get(f"/v1.50/containers/{cid}/top")).status == 200
    assert (await api.post(f"/v1.50/containers/{cid}/rename?name=renamed")).status == 204
    assert (await api.post(f"/v1.50/containers/{cid}/stop?t=0")).status == 204
    until = f"{time.time():.9f}"
    everything = await _events(api, since=since, until=until, filters=json.dumps({"type": ["container"]}))
    assert [e["Action"] for e in everything] == [
        "create", "start", "exec_create: sh -c exit 2", "exec_start: sh -c exit 2", "exec_die",
        "top", "rename", "kill", "kill", "die", "stop"]  # PID 1 ignores SIGTERM: SIGKILL after t=0
    by_action = {e["Action"]: e["Actor"]["Attributes"] for e in everything}
    assert by_action["exec_die"]["execID"] == eid and by_action["exec_die"]["exitCode"] == "2"
    assert by_action["exec_create: sh -c exit 2"]["execID"] == eid
    assert by_action["rename"]["oldName"] == "/busy" and by_action["rename"]["name"] == "renamed"
    assert [e["Actor"]["Attributes"]["signal"] for e in everything if e["Action"] == "kill"] == ["15", "9"]
    assert by_action["die"]["exitCode"] == "137"
    execs = await _events(api, since=since, until=until, filters=json.dumps({"event": ["exec_start"]}))
    assert [e["Action"] for e in execs] == ["exec_start: sh -c exit 2"]
    dies = await _events(api, since=since, until=until,
                         filters=json.dumps({"event": ["die", "exec_die"], "container": [cid[:12]]}))
    assert [e["Action"] for e in dies] == ["exec_die", "die"]
    await api.delete(f"/v1.50/containers/{cid}")


async def test_image_events_tag_untag_delete_and_commit(api):
    since = f"{time.time():.9f}"
    assert (await api.post("/v1.50/images/busybox/tag?repo=mine&tag=v1")).status == 201
    cid = await _run(api, "tocommit", ["true"])
    await api.post(f"/v1.50/containers/{cid}/wait")
    resp = await api.post(f"/v1.50/commit?container={cid}&repo=committed&tag=t&comment=hi", json={})
    assert resp.status == 201
    image_id = (await resp.json())["Id"]
    assert (await api.delete("/v1.50/images/mine:v1")).status == 200
    assert (await api.delete("/v1.50/images/committed:t")).status == 200
    until = f"{time.time():.9f}"
    images = await _events(api, since=since, until=until, filters=json.dumps({"type": ["image"]}))
    assert _brief(images) == [("image", "tag"), ("image", "create"), ("image", "tag"),
                              ("image", "untag"), ("image", "untag"), ("image", "delete")]
    tag = images[0]
    assert tag["Actor"]["Attributes"]["name"] == "mine:v1" and tag["Actor"]["ID"].startswith("sha256:")
    assert images[2]["Actor"] == {"ID": image_id, "Attributes": {"name": "committed:t"}}
    assert images[4]["Actor"]["Attributes"]["name"] == image_id  # moby names an untag by the id
    assert images[5]["Actor"] == {"ID": image_id, "Attributes": {"name": image_id}}
    commit = [e for e in await _events(api, since=since, until=until,
                                       filters=json.dumps({"event": ["commit"]}))]
    assert commit[0]["Actor"]["Attributes"]["imageID"] == image_id
    assert commit[0]["Actor"]["Attributes"]["imageRef"] == "committed:t"
    assert commit[0]["Actor"]["Attributes"]["comment"] == "hi"
    old = await api.get("/v1.45/events", params={"since": since, "until": until,
                                                 "filters": json.dumps({"type": ["image"]})})
    assert ("image", "create") not in _brief(_lines(await old.read()))  # API < 1.46


async def test_network_events(api):
    since = f"{time.time():.9f}"
    resp = await api.post("/v1.50/networks/create", json={"Name": "evnet"})
    nid = (await resp.json())["Id"]
    cid = await _run(api, "onnet", ["sleep", "100"])
    assert (await api.post(f"/v1.50/networks/{nid}/connect", json={"Container": cid})).status == 200
    assert (await api.post(f"/v1.50/networks/{nid}/disconnect", json={"Container": cid})).status == 200
    assert (await api.delete(f"/v1.50/networks/{nid}")).status == 204
    until = f"{time.time():.9f}"
    nets = await _events(api, since=since, until=until, filters=json.dumps({"network": ["evnet"]}))
    assert [(e["Action"], e["Actor"]["Attributes"].get("container")) for e in nets] == [
        ("create", None), ("connect", cid), ("disconnect", cid), ("destroy", None)]
    assert nets[0]["Actor"] == {"ID": nid, "Attributes": {"name": "evnet", "type": "bridge"}}
    await api.delete(f"/v1.50/containers/{cid}?force=1")


async def test_a_build_logs_its_containers_its_images_and_its_tag(api):
    import io
    import tarfile

    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        data = b"FROM busybox\nRUN echo hi > /f\nLABEL built=yes\n"
        info = tarfile.TarInfo("Dockerfile")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    since = f"{time.time():.9f}"
    resp = await api.post("/v1.50/build?t=built:ev", data=buf.getvalue(),
                          headers={"Content-Type": "application/x-tar"})
    assert resp.status == 200
    assert b"Successfully tagged built:ev" in await resp.read()
    events = await _events(api, since=since, until=f"{time.time():.9f}")
    brief = _brief(events)
    assert brief[:3] == [("container", "create"), ("network", "connect"), ("container", "start")]
    assert ("container", "die") in brief and ("container", "destroy") in brief
    assert brief.count(("image", "create")) == 2  # one per step that commits
    assert brief[-1] == ("image", "tag")
    assert events[-1]["Actor"]["Attributes"] == {"built": "yes", "name": "built:ev"}


async def test_streams_end_when_the_daemon_stops(api):
    from dockersim.daemon.app import BACKEND

    resp = await api.get("/v1.50/events")
    assert resp.status == 200
    api.server.app[BACKEND].end_streams()
    assert await asyncio.wait_for(resp.read(), 5) == b""
