"""The JSON bodies we send have the shapes of the Engine API v1.50 contract
(tests/data/spec/engine-api-v1.50.yaml, moby's swagger.yaml vendored): every response validated against
its swagger schema with the small validator in ``swagger.py``.  Go's decoder
(the CLI) fails a whole command on one mistyped field, so each test asserts
the violation list is empty; unknown keys are checked separately."""

import asyncio

import pytest

from dockersim.daemon.wire.stdcopy import demux

from . import swagger


def assert_shape(instance, schema, where="$"):
    errors, extras = swagger.check(instance, schema, where, swagger.GO_NIL)
    assert (errors, extras) == ([], []), "\n".join(errors + ["unknown keys:"] + extras)


# -- the validator itself ------------------------------------------------------

def test_validator_types_required_nullable_refs():
    assert swagger.validate({"Id": "x", "Warnings": []}, "ContainerCreateResponse") == []
    assert swagger.validate({"Id": 1, "Warnings": None}, "ContainerCreateResponse") == [
        "$.Id: int 1, expected string", "$.Warnings: null, expected array (not x-nullable)"]
    assert swagger.validate({"StatusCode": True}, "ContainerWaitResponse") == [
        "$.StatusCode: bool True, expected integer"]
    assert swagger.validate({"StatusCode": 1.0}, "ContainerWaitResponse") == [
        "$.StatusCode: float 1.0, expected integer"]
    assert swagger.validate({}, "#/definitions/ContainerWaitResponse") == ["$: missing required key 'StatusCode'"]
    # $ref: ContainerWaitResponse.Error -> ContainerWaitExitError, not nullable
    assert swagger.validate({"StatusCode": 0, "Error": None}, "ContainerWaitResponse") == [
        "$.Error: null, expected object (not x-nullable)"]
    assert swagger.validate({"StatusCode": 0, "Error": {"Message": 1}}, "ContainerWaitResponse") == [
        "$.Error.Message: int 1, expected string"]
    assert swagger.validate("up", {"type": "string", "enum": ["running"]}) == [
        "$: 'up' not in enum ['running']"]
    assert swagger.validate(None, {"type": "string", "x-nullable": True}) == []
    assert swagger.validate(None, {"allOf": [{"$ref": "#/definitions/Health"}], "x-nullable": True}) == []
    assert swagger.validate({"a": "1", "b": 2}, {"type": "object", "additionalProperties": {"type": "string"}}) == [
        "$.b: int 2, expected string"]
    assert swagger.validate([["a"], ["b", 3]], {"type": "array", "items": {"type": "array", "items": {
        "type": "string"}}}) == ["$[1][1]: int 3, expected string"]
    assert swagger.unknown_keys({"Id": "x", "Warnings": [], "Oops": 1}, "ContainerCreateResponse") == ["$.Oops"]
    # allOf merges properties (HostConfig = Resources + its own) and $ref nests
    inspect = {"HostConfig": {"Memory": "1g", "Binds": None, "Nope": 1}, "Config": {"Tty": "no"}}
    assert swagger.check(inspect, "ContainerInspectResponse") == (
        ["$.HostConfig.Memory: str '1g', expected integer",
         "$.HostConfig.Binds: null, expected array (not x-nullable)",
         "$.Config.Tty: str 'no', expected boolean"],
        ["$.HostConfig.Nope"])
    # GO_NIL: null where dockerd sends a Go nil, named by definition.property
    assert swagger.validate(inspect["HostConfig"], "HostConfig", go_nil=swagger.GO_NIL) == [
        "$.Memory: str '1g', expected integer"]


#: GO_NIL owners that are inline response schemas (named by their title).
INLINE = {"ExecInspectResponse": ("/exec/{id}/json", "get"),
          "ImagePruneResponse": ("/images/prune", "post"),
          "SystemDataUsageResponse": ("/system/df", "get")}


def test_go_nil_names_non_nullable_swagger_fields():
    for field in swagger.GO_NIL:
        owner, name = field.split(".")
        schema = swagger.response_schema(*INLINE[owner]) if owner in INLINE else owner
        prop = swagger._flatten(schema)["properties"][name]
        assert not swagger._flatten(prop)["nullable"], field


# -- the engine ----------------------------------------------------------------

async def create(api, cmd, name=None, **extra):
    url = "/v1.50/containers/create" + (f"?name={name}" if name else "")
    resp = await api.post(url, json={"Image": "busybox", "Cmd": cmd, **extra})
    assert resp.status == 201, await resp.text()
    body = await resp.json()
    assert_shape(body, "ContainerCreateResponse")
    return body["Id"]


async def run_to_exit(api, cmd, **extra):
    cid = await create(api, cmd, **extra)
    wait = asyncio.ensure_future(api.post(f"/v1.50/containers/{cid}/wait?condition=next-exit"))
    await asyncio.sleep(0.05)
    assert (await api.post(f"/v1.50/containers/{cid}/start")).status == 204
    resp = await wait
    body = await resp.json()
    assert_shape(body, swagger.response_schema("/containers/{id}/wait", "post"))
    return cid, body


@pytest.fixture
async def world(api):
    """One exited container, one running ``sleep 100``, one running with
    ExposedPorts and a published port, and a finished exec."""
    exited, _ = await run_to_exit(api, ["sh", "-c", "exit 3"], name="exited")
    failed = await create(api, ["nosuch"], name="failed")
    assert (await api.post(f"/v1.50/containers/{failed}/start")).status == 400
    sleeper = await create(api, ["sleep", "100"], name="sleeper", Labels={"tier": "test"})
    assert (await api.post(f"/v1.50/containers/{sleeper}/start")).status == 204
    web = await create(api, ["sleep", "100"], name="web", ExposedPorts={"8080/tcp": {}, "53/udp": {}},
                       HostConfig={"PortBindings": {"8080/tcp": [{"HostIp": "127.0.0.1",
                                                                   "HostPort": ""}]}})
    assert (await api.post(f"/v1.50/containers/{web}/start")).status == 204
    resp = await api.post(f"/v1.50/containers/{sleeper}/exec", json={"Cmd": ["true"], "AttachStdout": True})
    assert resp.status == 201
    eid = (await resp.json())["Id"]
    resp = await api.post(f"/v1.50/exec/{eid}/start", json={"Detach": False, "Tty": False})
    demux(await resp.read())
    yield {"exited": exited, "failed": failed, "sleeper": sleeper, "web": web, "exec": eid}
    for cid in (sleeper, web):
        await api.post(f"/v1.50/containers/{cid}/kill")


# -- containers ----------------------------------------------------------------

async def test_wait_body_of_an_exit(api):
    _, body = await run_to_exit(api, ["sh", "-c", "exit 2"])
    assert body["StatusCode"] == 2


async def test_container_list(api, world):
    for query in ("all=1", "all=1&size=1", ""):
        rows = await (await api.get(f"/v1.50/containers/json?{query}")).json()
        assert rows
        for i, row in enumerate(rows):
            assert_shape(row, "ContainerSummary", f"[{query}][{i}]")


@pytest.mark.parametrize("which", ["exited", "failed", "sleeper", "web"])
async def test_container_inspect(api, world, which):
    for query in ("", "?size=1"):
        resp = await api.get(f"/v1.50/containers/{world[which]}/json{query}")
        assert resp.status == 200
        assert_shape(await resp.json(), "ContainerInspectResponse")


async def test_container_inspect_of_a_created_container(api):
    cid = await create(api, ["true"])
    assert_shape(await (await api.get(f"/v1.50/containers/{cid}/json")).json(), "ContainerInspectResponse")


async def test_container_top(api, world):
    resp = await api.get(f"/v1.50/containers/{world['sleeper']}/top")
    assert resp.status == 200
    assert_shape(await resp.json(), swagger.response_schema("/containers/{id}/top", "get"))


async def test_exec_inspect(api, world):
    resp = await api.get(f"/v1.50/exec/{world['exec']}/json")
    assert resp.status == 200
    assert_shape(await resp.json(), swagger.response_schema("/exec/{id}/json", "get"))


async def test_exec_inspect_before_start_and_while_running(api, world):
    resp = await api.post(f"/v1.50/containers/{world['sleeper']}/exec", json={"Cmd": ["sleep", "100"]})
    eid = (await resp.json())["Id"]
    info = await (await api.get(f"/v1.50/exec/{eid}/json")).json()
    assert_shape(info, swagger.response_schema("/exec/{id}/json", "get"))
    assert (await api.post(f"/v1.50/exec/{eid}/start", json={"Detach": True})).status == 200
    info = await (await api.get(f"/v1.50/exec/{eid}/json")).json()
    assert info["Running"] is True
    assert_shape(info, swagger.response_schema("/exec/{id}/json", "get"))


# -- images --------------------------------------------------------------------

async def test_image_list(api, world):
    for query in ("", "?all=1"):
        rows = await (await api.get(f"/v1.50/images/json{query}")).json()
        assert rows
        for i, row in enumerate(rows):
            assert_shape(row, "ImageSummary", f"[{i}]")


async def test_image_inspect(api):
    resp = await api.get("/v1.50/images/busybox/json")
    assert resp.status == 200
    assert_shape(await resp.json(), "ImageInspect")


async def test_image_history(api):
    resp = await api.get("/v1.50/images/busybox/history")
    assert resp.status == 200
    rows = await resp.json()
    assert rows
    schema = swagger.response_schema("/images/{name}/history", "get")
    assert_shape(rows, schema)


async def test_image_delete(api):
    assert (await api.post("/v1.50/images/busybox/tag?repo=mybox&tag=1")).status == 201
    resp = await api.delete("/v1.50/images/mybox:1")
    assert resp.status == 200
    untag = await resp.json()
    assert untag and "Untagged" in untag[0]
    resp = await api.delete("/v1.50/images/busybox")
    assert resp.status == 200
    gone = await resp.json()
    assert any("Deleted" in item for item in gone)
    schema = swagger.response_schema("/images/{name}", "delete")
    assert_shape(untag + gone, schema)


# -- system --------------------------------------------------------------------

async def test_version(api):
    for path in ("/version", "/v1.50/version"):
        assert_shape(await (await api.get(path)).json(), "SystemVersion")


async def test_info(api, world):
    assert_shape(await (await api.get("/v1.50/info")).json(), "SystemInfo")


# -- errors --------------------------------------------------------------------

async def test_error_bodies(api, world):
    cases = [
        (api.get("/v1.50/containers/nosuch/json"), 404),
        (api.post("/v1.50/containers/create", json={"Image": "nosuch"}), 404),
        (api.post("/v1.50/containers/create?name=sleeper", json={"Image": "busybox"}), 409),
        (api.delete(f"/v1.50/containers/{world['sleeper']}"), 409),
        (api.get(f"/v1.50/containers/{world['exited']}/top"), 409),
        (api.get("/v1.50/images/nosuch/json"), 404),
        (api.delete("/v1.50/images/nosuch"), 404),
        (api.get("/v1.50/exec/nosuch/json"), 404),
        (api.post(f"/v1.50/containers/{world['exited']}/exec", json={"Cmd": ["true"]}), 409),
        (api.post("/v1.50/containers/create", data=b"{", headers={"Content-Type": "application/json"}), 400),
    ]
    for request, status in cases:
        resp = await request
        body = await resp.json()
        assert resp.status == status, body
        assert_shape(body, "ErrorResponse", f"{resp.method} {resp.url.path}")
