"""``POST /auth``, ``POST /images/{name}/push``, ``GET /images/json``
filters, ``POST /images/prune`` and ``GET /system/df``: status codes,
messages and shapes (validated against the v1.50 swagger)."""

from __future__ import annotations

import base64
import json

import aiohttp
import pytest

from dockersim.daemon.backend.engine import Engine
from dockersim.sim.images import reference as refmod
from dockersim.sim.images.image_store import canonical_json
from dockersim.sim.images.tarball import TreeBuilder

from . import swagger
from .test_shapes import assert_shape


def b64(obj, pad=True) -> str:
    text = base64.urlsafe_b64encode(json.dumps(obj, separators=(",", ":")).encode()).decode()
    return text if pad else text.rstrip("=")


class World:
    def __init__(self, engine: Engine, client):
        self.engine = engine
        self.client = client

    async def pull(self, name, tag="latest"):
        resp = await self.client.post(f"/v1.50/images/create?fromImage={name}&tag={tag}")
        assert resp.status == 200
        await resp.read()

    def build(self, name, content, labels=None, base=None, created="2024-05-01T10:00:00Z"):
        """An image with one fresh layer (on ``base``), tagged ``name``."""
        engine = self.engine
        tar = TreeBuilder().file("app/data", content).tar(1_700_000_000)
        parent, diff_ids = None, []
        if base is not None:
            img = engine.images.lookup(base)
            parent, diff_ids = img.top_chain_id, img.diff_ids
        layer = engine.layers.register(tar, parent)
        config = {"Cmd": ["sh"], "Labels": labels}
        doc = {"architecture": "amd64", "os": "linux", "created": created, "config": config,
               "rootfs": {"type": "layers", "diff_ids": diff_ids + [layer.diff_id]}}
        img = engine.images.create(canonical_json(doc))
        engine.layers.release(layer.chain_id)
        if name:
            engine.images.tag(img.id, refmod.parse(name))
        return img

    async def login(self, user, password):
        resp = await self.client.post("/v1.50/auth", json={"username": user, "password": password,
                                                          "serveraddress": "https://index.docker.io/v1/"})
        assert resp.status == 200, await resp.text()

    async def push(self, path, auth=None, **kw):
        headers = {} if auth is None else {"X-Registry-Auth": auth}
        resp = await self.client.post(path, headers=headers, **kw)
        body = await resp.read()
        messages = [json.loads(line) for line in body.split(b"\r\n") if line.strip()]
        return resp, messages


@pytest.fixture
async def world(make_api_client):
    engine = Engine(None, seed=7)
    client = await make_api_client(engine)
    w = World(engine, client)
    await w.pull("busybox")
    yield w
    await engine.close()


def creds(user, password):
    return b64({"username": user, "password": password, "serveraddress": "https://index.docker.io/v1/"})


# -- /auth -------------------------------------------------------------------

@pytest.mark.parametrize("address", [None, "https://index.docker.io/v1/", "docker.io", "index.docker.io",
                                     "http://index.docker.io/v1/", "registry-1.docker.io"])
async def test_login_succeeds_for_every_docker_hub_address(world, address):
    body = {"username": "museopkim", "password": "secret"}
    if address is not None:
        body["serveraddress"] = address
    resp = await world.client.post("/v1.50/auth", json=body)
    assert resp.status == 200
    assert resp.headers["Content-Type"] == "application/json"
    assert await resp.read() == b'{"IdentityToken": "", "Status": "Login Succeeded"}\n'
    assert_shape(json.loads(await resp.read()), swagger.response_schema("/auth", "post"))
    assert world.engine.hub.has_account("museopkim")


async def test_wrong_password_is_401(world):
    await world.login("museopkim", "secret")
    resp = await world.client.post("/v1.50/auth", json={"username": "museopkim", "password": "nope"})
    assert resp.status == 401
    body = await resp.json()
    assert body == {"message": 'Get "https://registry-1.docker.io/v2/": unauthorized: incorrect username or password'}
    assert_shape(body, "ErrorResponse")


async def test_without_a_password_the_login_is_anonymous(world):
    resp = await world.client.post("/v1.50/auth", json={"username": "ghost"})
    assert resp.status == 200 and (await resp.json())["Status"] == "Login Succeeded"
    assert not world.engine.hub.has_account("ghost")
    await world.login("ghost", "pw")
    assert world.engine.hub.has_account("ghost")


@pytest.mark.parametrize("body,status,message", [
    (b"", 500, "EOF"),
    (b"{", 500, "unexpected EOF"),
    (b"x", 500, "invalid character 'x' looking for beginning of value"),
    (b"[]", 500, "json: cannot unmarshal array into Go value of type registry.AuthConfig"),
    (b'{"username": 5}', 500, "json: cannot unmarshal number into Go struct field AuthConfig.username of type string"),
    (b'{"username":"a","password":"b","serveraddress":"ghcr.io"}', 500,
     'Get "https://ghcr.io/v2/": dial tcp: lookup ghcr.io: no such host'),
    (b'{"username":"a","password":"b","serveraddress":"localhost:5000"}', 500,
     'Get "http://localhost:5000/v2/": dial tcp 127.0.0.1:5000: connect: connection refused'),
    (b'{"username":"a","password":"b","serveraddress":"https://a b"}', 400,
     'unable to parse server address: parse "https://a b": invalid character " " in host name'),
])
async def test_bad_auth_bodies(world, body, status, message):
    resp = await world.client.post("/v1.50/auth", data=body, headers={"Content-Type": "application/json"})
    assert resp.status == status
    assert await resp.json() == {"message": message}


async def test_a_null_body_drops_the_connection(world):
    with pytest.raises(aiohttp.ClientError):
        resp = await world.client.post("/v1.50/auth", data=b"null")
        await resp.read()


# -- push ----------------------------------------------------------------------

def check_push_messages(messages):
    for i, message in enumerate(messages):
        errors, _extras = swagger.check(message, "PushImageInfo", f"[{i}]")
        assert errors == []
        # dockerd's messages carry "id" and "aux", which the swagger leaves out
        assert set(message) <= {"status", "progressDetail", "progress", "id", "aux", "error", "errorDetail"}


async def test_push_as_the_cli_sends_it(world):
    await world.login("museopkim", "secret")
    img = world.build("museopkim/kubia", "app")
    resp, messages = await world.push("/v1.50/images/docker.io/museopkim/kubia/push?tag=latest",
                                      creds("museopkim", "secret"))
    assert resp.status == 200 and resp.headers["Content-Type"] == "application/json"
    check_push_messages(messages)
    digest = world.engine.hub.lookup(refmod.parse("museopkim/kubia")).digest
    lid = img.diff_ids[0][7:19]
    assert messages[0] == {"status": "The push refers to repository [docker.io/museopkim/kubia]"}
    assert messages[1] == {"status": "Preparing", "progressDetail": {}, "id": lid}
    assert {"status": "Pushed", "progressDetail": {}, "id": lid} in messages
    size = len(world.engine.hub.get_blob(digest))
    assert messages[-2] == {"status": f"latest: digest: {digest} size: {size}"}
    assert messages[-1] == {"progressDetail": {}, "aux": {"Tag": "latest", "Digest": digest, "Size": size}}
    inspect = await (await world.client.get("/v1.50/images/museopkim/kubia/json")).json()
    assert inspect["RepoDigests"] == [f"museopkim/kubia@{digest}"]


async def test_push_as_docker_py_sends_it(world):
    await world.login("pyuser", "pw")
    world.build("pyuser/app", "py")
    auth = b64({"username": "pyuser", "password": "pw", "email": None, "serveraddress": None})
    resp, messages = await world.push("/v1.50/images/pyuser/app/push?tag=latest", auth, data=b"{}")
    assert resp.status == 200
    assert messages[-1]["aux"]["Tag"] == "latest"


async def test_push_platform(world):
    """API 1.46+: the image must be of the platform asked for (moby's
    GetImage with a platform), else a 404 before the stream."""
    await world.login("museopkim", "secret")
    world.build("museopkim/kubia", "app")  # linux/amd64
    auth = creds("museopkim", "secret")
    arm64 = json.dumps({"os": "linux", "architecture": "arm64"})
    resp, (message,) = await world.push(f"/v1.50/images/museopkim/kubia/push?tag=latest&platform={arm64}", auth)
    assert resp.status == 404
    assert message == {"message": "image with reference museopkim/kubia:latest was found but its platform "
                                  "(linux/amd64) does not match the specified platform (linux/arm64)"}
    resp, (message,) = await world.push(f"/v1.50/images/museopkim/nosuch/push?platform={arm64}", auth)
    assert (resp.status, message) == (404, {"message": "No such image: museopkim/nosuch:latest"})
    resp, (message,) = await world.push("/v1.50/images/museopkim/kubia/push?tag=latest&platform=linux/arm64", auth)
    assert resp.status == 400
    assert message["message"] == ("failed to parse platform: invalid character 'l' looking for "
                                  "beginning of value")
    resp, messages = await world.push(f"/v1.45/images/museopkim/kubia/push?tag=latest&platform={arm64}", auth)
    assert resp.status == 200 and "error" not in messages[-1]  # ignored before 1.46
    amd64 = json.dumps({"os": "linux", "architecture": "amd64"})
    resp, messages = await world.push(f"/v1.50/images/museopkim/kubia/push?tag=latest&platform={amd64}", auth)
    assert resp.status == 200 and "error" not in messages[-1]


async def test_push_denied_in_band(world):
    world.build("museopkim/kubia", "denied")
    resp, messages = await world.push("/v1.50/images/docker.io/museopkim/kubia/push?tag=latest", "e30=")
    assert resp.status == 200
    check_push_messages(messages)
    assert messages[-1] == {"errorDetail": {"message": "denied: requested access to the resource is denied"},
                            "error": "denied: requested access to the resource is denied"}
    assert messages[-2]["status"] == "Preparing"


async def test_push_to_library_and_other_namespaces_is_denied(world):
    await world.login("museopkim", "secret")
    for name in ("kubia", "someone/kubia"):
        world.build(name, "x" + name)
        _resp, messages = await world.push(f"/v1.50/images/{name}/push?tag=latest", creds("museopkim", "secret"))
        assert messages[-1]["error"] == "denied: requested access to the resource is denied"


async def test_push_with_a_wrong_password_is_unauthorized_in_band(world):
    await world.login("museopkim", "secret")
    world.build("museopkim/kubia", "pw")
    _resp, messages = await world.push("/v1.50/images/museopkim/kubia/push?tag=latest", creds("museopkim", "bad"))
    assert messages[-1]["error"] == "unauthorized: incorrect username or password"


async def test_registry_auth_padding(world):
    await world.login("abcd", "pw")
    world.build("abcd/app", "pad")
    padded = b64({"username": "abcd", "password": "pw"})
    assert padded.endswith("=")
    # Go's padded base64 decoder stops before an unpadded last group: the
    # JSON is cut short, the credentials are ignored, the push is anonymous
    _resp, messages = await world.push("/v1.50/images/abcd/app/push?tag=latest", padded.rstrip("="))
    assert messages[-1]["error"] == "denied: requested access to the resource is denied"
    _resp, messages = await world.push("/v1.50/images/abcd/app/push?tag=latest", padded)
    assert "aux" in messages[-1]
    email = next("x" * k for k in range(3)
                 if len(json.dumps({"username": "abcd", "password": "pw", "email": "x" * k},
                                   separators=(",", ":"))) % 3 == 0)
    exact = b64({"username": "abcd", "password": "pw", "email": email})  # a multiple of 3 bytes
    assert not exact.endswith("=")
    _resp, messages = await world.push("/v1.50/images/abcd/app/push?tag=latest", exact)
    assert "aux" in messages[-1]


async def test_push_request_errors_are_statuses(world):
    world.build("museopkim/kubia", "errors")
    resp, _ = await world.push("/v1.50/images/museopkim/kubia/push?tag=latest")
    assert resp.status == 400
    assert (await resp.json())["message"] == ("bad parameters and missing X-Registry-Auth: "
                                              "invalid X-Registry-Auth header: EOF")
    cases = {
        "/v1.50/images/museopkim/Kubia/push?tag=latest":
            "invalid reference format: repository name (museopkim/Kubia) must be lowercase",
        "/v1.50/images/museopkim/kubia/push?tag=no%20way": "invalid tag format",
        f"/v1.50/images/museopkim/kubia@sha256:{'a' * 64}/push?tag=latest": "cannot import digest reference",
    }
    for path, message in cases.items():
        resp, _ = await world.push(path, "e30=")
        assert resp.status == 400, path
        assert (await resp.json()) == {"message": message}


async def test_push_without_auth_header_reads_the_body(world):
    await world.login("old", "client")
    world.build("old/app", "body")
    resp, messages = await world.push("/v1.50/images/old/app/push?tag=latest",
                                      json={"username": "old", "password": "client"})
    assert resp.status == 200 and "aux" in messages[-1]


async def test_push_of_a_missing_image_and_tag(world):
    _resp, messages = await world.push("/v1.50/images/museopkim/nothing/push?tag=latest", "e30=")
    assert messages == [{"status": "The push refers to repository [docker.io/museopkim/nothing]"},
                        {"errorDetail": {"message": "An image does not exist locally with the tag: museopkim/nothing"},
                         "error": "An image does not exist locally with the tag: museopkim/nothing"}]
    world.build("museopkim/kubia", "tags")
    _resp, messages = await world.push("/v1.50/images/museopkim/kubia/push?tag=v9", "e30=")
    assert messages[-1]["error"] == "tag does not exist: museopkim/kubia:v9"


async def test_push_without_tag_pushes_every_tag(world):
    await world.login("museopkim", "secret")
    img = world.build("museopkim/kubia:v1", "all")
    world.engine.images.tag(img.id, refmod.parse("museopkim/kubia:v2"))
    _resp, messages = await world.push("/v1.50/images/docker.io/museopkim/kubia/push?tag=",
                                       creds("museopkim", "secret"))
    assert [m["aux"]["Tag"] for m in messages if "aux" in m] == ["v1", "v2"]


async def test_pull_platform(world):
    """The hub's images are single-platform (linux/amd64): as moby does
    for a single-arch image, a pull for another platform succeeds and
    ends with a warning (PullImage's GetImage check); a non-linux OS is
    refused in-band; a bad specifier is a 400."""
    async def pull(query):
        resp = await world.client.post(f"/v1.50/images/create?{query}")
        return resp.status, [json.loads(line) for line in (await resp.read()).split(b"\r\n") if line.strip()]

    status, messages = await pull("fromImage=alpine&tag=latest&platform=linux/arm64")
    assert status == 200 and messages[-2]["status"] == "Status: Downloaded newer image for alpine:latest"
    assert messages[-1] == {"status": "WARNING: image with reference alpine:latest was found but its "
                                      "platform (linux/amd64) does not match the specified platform "
                                      "(linux/arm64)"}
    _, messages = await pull("fromImage=alpine&tag=latest&platform=linux/arm64/v8")  # up to date
    assert messages[-1]["status"].endswith("(linux/arm64/v8)")
    _, messages = await pull("fromImage=alpine&tag=latest&platform=amd64")
    assert messages[-1] == {"status": "Status: Image is up to date for alpine:latest"}
    status, messages = await pull("fromImage=hello-world&tag=latest&platform=windows/amd64")
    assert status == 200 and messages[0]["status"] == "Pulling from library/hello-world"
    assert messages[-1]["error"] == "operating system is not supported" and len(messages) == 2
    status, (body,) = await pull("fromImage=alpine&tag=latest&platform=linux/x%20y")
    assert status == 400 and body["message"].startswith('"x y" is an invalid component of "linux/x y"')
    resp = await world.client.post("/v1.31/images/create?fromImage=alpine&tag=latest&platform=linux/arm64")
    assert b"WARNING" not in await resp.read()  # ignored before 1.32


async def test_image_service_pull_takes_a_platform(world):
    """What the builder calls: ``pull(ref, platform=Platform(…))``."""
    from dockersim.daemon.backend.platforms import Platform

    messages = [m async for m in world.engine.imageservice.pull("node:22", platform=Platform("linux", "arm64"))]
    assert messages[-1]["status"].startswith("WARNING: image with reference node:22 was found")


async def test_a_pull_that_stops_midway_keeps_the_metadata_of_its_layers(world):
    engine = world.engine
    node = [d.digest for d in engine.hub.lookup(refmod.parse("node:22")).layers]
    messages = engine.pull("node:22")
    async for message in messages:
        if message.get("status") == "Pull complete":
            break
    await messages.aclose()
    assert [m.source_repository for m in engine.distribution.get(node[0])] == ["docker.io/library/node"]
    assert engine.distribution.get(node[-1]) == []


async def test_pushed_image_pulls_back_after_rmi(world):
    await world.login("museopkim", "secret")
    img = world.build("museopkim/kubia", "roundtrip")
    _resp, messages = await world.push("/v1.50/images/museopkim/kubia/push?tag=latest",
                                       creds("museopkim", "secret"))
    digest = messages[-1]["aux"]["Digest"]
    resp = await world.client.delete("/v1.50/images/museopkim/kubia")
    assert {"Deleted": img.id} in await resp.json()
    await world.pull("museopkim/kubia")
    inspect = await (await world.client.get("/v1.50/images/museopkim/kubia/json")).json()
    assert inspect["Id"] == img.id and inspect["RepoDigests"] == [f"museopkim/kubia@{digest}"]


# -- image list filters -----------------------------------------------------------

async def list_images(world, filters=None, query=""):
    params = f"?filters={json.dumps(filters)}" if filters is not None else ""
    if query:
        params += ("&" if params else "?") + query
    resp = await world.client.get(f"/v1.50/images/json{params}")
    return resp.status, await resp.json()


async def test_list_shapes_and_defaults(world):
    world.build("app/labelled", "l", labels={"tier": "web"})
    status, rows = await list_images(world)
    assert status == 200
    for i, row in enumerate(rows):
        assert_shape(row, "ImageSummary", f"[{i}]")
        assert row["SharedSize"] == -1 and row["Containers"] == -1
    labelled = next(r for r in rows if r["RepoTags"] == ["app/labelled:latest"])
    assert labelled["Labels"] == {"tier": "web"}
    busybox = next(r for r in rows if "busybox:latest" in r["RepoTags"])
    assert busybox["Labels"] is None  # no labels in its config: Go's nil map


async def test_reference_filter(world):
    world.build("museopkim/kubia:v1", "r1")
    world.build("other/kubia", "r2")
    _, rows = await list_images(world, {"reference": {"busy*": True}})
    assert [r["RepoTags"] for r in rows] == [["busybox:latest"]]
    assert rows[0]["RepoDigests"][0].startswith("busybox@sha256:")  # * crosses "@" (not "/")
    _, rows = await list_images(world, {"reference": {"*/kubia": True}})
    assert sorted(t for r in rows for t in r["RepoTags"]) == ["museopkim/kubia:v1", "other/kubia:latest"]
    _, rows = await list_images(world, {"reference": {"*/kubia:v?": True}})
    assert [r["RepoTags"] for r in rows] == [["museopkim/kubia:v1"]]
    _, rows = await list_images(world, {"reference": ["busybox"]})  # the legacy list form
    assert [r["RepoTags"] for r in rows] == [["busybox:latest"]]


async def test_legacy_filter_parameter_before_api_1_41(world):
    world.build("museopkim/kubia:v1", "r1")
    resp = await world.client.get("/v1.40/images/json?filter=busy*")
    assert [r["RepoTags"] for r in await resp.json()] == [["busybox:latest"]]
    resp = await world.client.get("/v1.40/images/json?filter=busy*&filters=" + json.dumps(
        {"reference": {"*/kubia": True}}))  # added to the filters' references
    assert sorted(t for r in await resp.json() for t in r["RepoTags"]) == ["busybox:latest",
                                                                          "museopkim/kubia:v1"]
    resp = await world.client.get("/v1.40/images/json?filter=busy*&filters=nope")
    assert resp.status == 400 and (await resp.json())["message"] == "invalid filter"
    resp = await world.client.get("/v1.41/images/json?filter=busy*")  # ignored from 1.41 on
    assert len(await resp.json()) == 2


async def test_reference_filter_narrows_repo_tags(world):
    img = world.engine.images.lookup("busybox")
    world.engine.images.tag(img.id, refmod.parse("mybox:1"))
    _, rows = await list_images(world, {"reference": {"mybox": True}})
    assert [(r["RepoTags"], r["RepoDigests"]) for r in rows] == [(["mybox:1"], [])]


async def test_dangling_label_before_since(world):
    old = world.build("app/old", "o", labels={"tier": "db", "x": "1"}, created="2020-01-01T00:00:00Z")
    new = world.build("app/new", "n", labels={"tier": "web"}, created="2025-01-01T00:00:00Z")
    world.engine.images.tag(new.id, refmod.parse("app/old"))  # app/old moves: the old image dangles
    _, rows = await list_images(world, {"dangling": {"true": True}})
    assert [r["Id"] for r in rows] == [old.id] and rows[0]["RepoTags"] == []
    _, rows = await list_images(world, {"dangling": {"false": True}})
    assert old.id not in [r["Id"] for r in rows]
    _, rows = await list_images(world, {"label": {"tier": True}})
    assert sorted(r["Id"] for r in rows) == sorted([old.id, new.id])
    _, rows = await list_images(world, {"label": {"tier=web": True}})
    assert [r["Id"] for r in rows] == [new.id]
    _, rows = await list_images(world, {"label": {"tier=web": True, "x": True}})
    assert rows == []
    _, rows = await list_images(world, {"since": {"busybox": True}})
    assert [r["Id"] for r in rows] == [new.id]
    _, rows = await list_images(world, {"before": {"app/new": True}})
    assert new.id not in [r["Id"] for r in rows] and world.engine.images.lookup("busybox").id in [r["Id"] for r in rows]
    _, rows = await list_images(world, {"until": {"2021-01-01": True}})
    assert [r["Id"] for r in rows] == [old.id]  # dangling, but without children: listed


async def test_filter_errors(world):
    cases = [
        ({"foo": {"bar": True}}, 400, "invalid filter 'foo'"),
        ({"dangling": {"maybe": True}}, 400, "invalid filter 'dangling=[maybe]'"),
        ({"dangling": {"true": True, "false": True}}, 400, "invalid filter 'dangling=[false true]'"),
        ({"reference": {"[": True}}, 500, "syntax error in pattern"),
        ({"until": {"abc": True}}, 500, 'failed to parse value as time or duration: "abc"'),
        ({"before": {"nosuch": True}}, 404, "No such image: nosuch:latest"),
    ]
    for filters, status, message in cases:
        got, body = await list_images(world, filters)
        assert (got, body) == (status, {"message": message}), filters
    resp = await world.client.get("/v1.50/images/json?filters=%7Bnope")
    assert resp.status == 400 and await resp.json() == {"message": "invalid filter"}


async def test_shared_size_parameter(world):
    await world.pull("debian", "bookworm")
    await world.pull("node", "22")
    _, rows = await list_images(world, query="shared-size=1")
    debian = next(r for r in rows if "debian:bookworm" in r["RepoTags"])
    node = next(r for r in rows if "node:22" in r["RepoTags"])
    base = world.engine.layers.get(world.engine.images.lookup("debian:bookworm").chain_ids[0]).size
    assert debian["SharedSize"] == node["SharedSize"] == base
    _, rows = await list_images(world, query="shared-size=1")
    resp = await world.client.get("/v1.41/images/json?shared-size=1")
    assert all(r["SharedSize"] == -1 for r in await resp.json())  # API < 1.42 ignores it


# -- prune -------------------------------------------------------------------------

async def prune(world, filters=None):
    params = f"?filters={json.dumps(filters)}" if filters is not None else ""
    resp = await world.client.post(f"/v1.50/images/prune{params}")
    return resp.status, await resp.json()


async def test_prune_nothing(world):
    status, body = await prune(world)
    assert (status, body) == (200, {"ImagesDeleted": None, "SpaceReclaimed": 0})
    assert_shape(body, swagger.response_schema("/images/prune", "post"))


async def test_prune_dangling_only_by_default(world):
    old = world.build("app/x", "old")
    new = world.build("app/x", "new")  # app/x moves to the new image
    size = world.engine.layers.get(old.top_chain_id).size
    status, body = await prune(world)
    assert status == 200
    assert_shape(body, swagger.response_schema("/images/prune", "post"))
    assert body == {"ImagesDeleted": [{"Deleted": old.id}, {"Deleted": old.top_chain_id}], "SpaceReclaimed": size}
    assert new.id in world.engine.images


async def test_prune_all_spares_images_in_use(world):
    resp = await world.client.post("/v1.50/containers/create", json={"Image": "busybox", "Cmd": ["true"]})
    assert resp.status == 201
    unused = world.build("app/unused", "u", labels={"keep": "no"})
    kept = world.build("app/kept", "k", labels={"keep": "yes"})
    status, body = await prune(world, {"dangling": {"false": True}, "label!": {"keep=yes": True}})
    assert status == 200
    assert {"Untagged": "app/unused:latest"} in body["ImagesDeleted"]
    assert {"Deleted": unused.id} in body["ImagesDeleted"]
    assert kept.id in world.engine.images and world.engine.images.lookup("busybox")
    status, body = await prune(world, {"dangling": {"false": True}, "label": {"keep": True}})
    assert {"Deleted": kept.id} in body["ImagesDeleted"]


async def test_prune_until(world):
    world.build("app/recent", "r", created="2099-01-01T00:00:00Z")
    old = world.build("app/old", "o", created="2001-01-01T00:00:00Z")
    status, body = await prune(world, {"dangling": {"false": True}, "until": {"2010-01-01T00:00:00Z": True}})
    assert status == 200
    assert [d for d in body["ImagesDeleted"] if "Deleted" in d][0] == {"Deleted": old.id}
    assert world.engine.images.lookup("app/recent")
    status, body = await prune(world, {"dangling": {"false": True}, "until": {"24h": True}})
    assert world.engine.images.lookup("app/recent")  # created "in the future": after now-24h
    status, body = await prune(world, {"until": {"1h": True, "2h": True}})
    assert (status, body) == (500, {"message": "more than one until filter specified"})
    status, body = await prune(world, {"reference": {"x": True}})
    assert (status, body) == (400, {"message": "invalid filter 'reference'"})


# -- system df ---------------------------------------------------------------------

async def test_system_df(world):
    await world.pull("debian", "bookworm")
    await world.pull("node", "22")
    resp = await world.client.post("/v1.50/containers/create", json={"Image": "node:22", "Cmd": ["true"]})
    assert resp.status == 201
    resp = await world.client.get("/v1.50/system/df")
    assert resp.status == 200
    body = await resp.json()
    assert_shape(body, swagger.response_schema("/system/df", "get"))
    images = world.engine.images
    sizes = {name: images.size(images.lookup(name).id) for name in ("busybox", "debian:bookworm", "node:22")}
    base = world.engine.layers.get(images.lookup("debian:bookworm").chain_ids[0]).size
    assert body["LayersSize"] == sum(sizes.values()) - base  # debian's layer is node's base: counted once
    rows = {r["RepoTags"][0]: r for r in body["Images"]}
    assert rows["node:22"]["Containers"] == 1 and rows["debian:bookworm"]["Containers"] == 0
    assert rows["node:22"]["SharedSize"] == base and rows["busybox:latest"]["SharedSize"] == 0
    (container,) = body["Containers"]
    assert container["SizeRw"] == 0 and container["SizeRootFs"] == sizes["node:22"]
    assert body["Volumes"] == [] and body["BuildCache"] == []


async def test_system_df_types(world):
    resp = await world.client.get("/v1.50/system/df?type=image")
    body = await resp.json()
    assert_shape(body, swagger.response_schema("/system/df", "get"))
    assert body["Containers"] is None and body["Volumes"] is None and body["Images"]
    resp = await world.client.get("/v1.50/system/df?type=container&type=volume")
    body = await resp.json()
    assert body["Images"] is None and body["LayersSize"] == 0 and body["Volumes"] == []
    resp = await world.client.get("/v1.50/system/df?type=bogus")
    assert resp.status == 400 and await resp.json() == {"message": "unknown object type: bogus"}
    resp = await world.client.get("/v1.41/system/df?type=bogus")  # before 1.42: type is ignored
    body = await resp.json()
    assert resp.status == 200 and body["Images"] and body["Images"][0]["VirtualSize"] == body["Images"][0]["Size"]
