"""``docker save``, ``docker load`` and ``docker import`` over the API
(``GET /images/get``, ``POST /images/load``, ``POST /images/create`` with
``fromSrc``): statuses, messages and the platform parameters."""

from __future__ import annotations

import json

import pytest

from dockersim.daemon.backend.engine import Engine
from dockersim.sim.images import reference as refmod
from dockersim.sim.images.image_store import canonical_json


@pytest.fixture
async def engine_client(make_api_client):
    engine = Engine(None, seed=7)
    client = await make_api_client(engine)
    yield engine, client
    await engine.close()


def messages(body: bytes) -> list:
    return [json.loads(line) for line in body.split(b"\r\n") if line.strip()]


async def test_saving_an_image_without_layers_is_a_500(engine_client):
    engine, client = engine_client
    doc = {"architecture": "amd64", "os": "linux", "created": "2024-05-01T10:00:00Z",
           "config": {}, "rootfs": {"type": "layers", "diff_ids": []}}
    img = engine.images.create(canonical_json(doc))
    engine.images.tag(img.id, refmod.parse("empty:latest"))
    resp = await client.get("/v1.50/images/empty/get")
    assert resp.status == 500
    assert (await resp.json()) == {"message": "empty export - not implemented"}


async def test_create_without_from_image_imports(engine_client):
    """moby imports whenever ``fromImage`` is empty: with no ``fromSrc`` the
    source is "" and the URL ``http://`` has no host."""
    _engine, client = engine_client
    resp = await client.post("/v1.50/images/create")
    assert resp.status == 500
    assert (await resp.json()) == {"message": 'Get "http:": http: no Host in request URL'}
    resp = await client.post("/v1.50/images/create?fromImage=&repo=x")
    assert resp.status == 500


async def test_import_from_an_unknown_host_is_a_404(engine_client):
    """A resolver failure is errdefs.NotFound in GetWithStatusError."""
    _engine, client = engine_client
    resp = await client.post("/v1.50/images/create?fromSrc=example.invalid/fs.tar")
    assert resp.status == 404
    assert (await resp.json()) == {
        "message": 'Get "http://example.invalid/fs.tar": dial tcp: lookup example.invalid: no such host'}


async def test_load_hashes_each_layer_once(engine_client, monkeypatch):
    """The loader hashes a layer to check its diff id; the layer store
    takes that diff id instead of hashing the tar again."""
    import dockersim.sim.images.layer_store as layer_store

    engine, client = engine_client
    resp = await client.post("/v1.50/images/create?fromImage=busybox&tag=latest")
    await resp.read()
    resp = await client.get("/v1.50/images/busybox/get")
    archive = await resp.read()
    resp = await client.delete("/v1.50/images/busybox")
    assert resp.status == 200

    def no_hashing(data):
        raise AssertionError("the layer store hashed a loaded layer again")

    monkeypatch.setattr(layer_store, "sha256_digest", no_hashing)
    resp = await client.post("/v1.50/images/load?quiet=1", data=archive)
    assert messages(await resp.read()) == [{"stream": "Loaded image: busybox:latest\n"}]


async def test_image_sizes_are_the_size_of_their_files(engine_client):
    """A 3-byte import is 3B in docker images, history, inspect and
    system df (moby's DiffSize), not the 10kB of its tar; a layer of
    directories only is 0B."""
    from dockersim.sim.images.tarball import TreeBuilder

    _engine, client = engine_client
    for repo, tar in (("three", TreeBuilder().file("hello", "hi\n").tar(0)),
                      ("dirs", TreeBuilder().dir("app").tar(0))):
        resp = await client.post(f"/v1.50/images/create?fromSrc=-&repo={repo}", data=tar)
        assert resp.status == 200, await resp.text()
    for repo, size in (("three", 3), ("dirs", 0)):
        resp = await client.get(f"/v1.50/images/{repo}/history")
        assert [row["Size"] for row in await resp.json()] == [size]
        resp = await client.get(f"/v1.50/images/{repo}/json")
        assert (await resp.json())["Size"] == size
    resp = await client.get("/v1.50/images/json")
    assert sorted((r["RepoTags"], r["Size"]) for r in await resp.json()) == [
        (["dirs:latest"], 0), (["three:latest"], 3)]
    resp = await client.get("/v1.50/system/df")
    assert (await resp.json())["LayersSize"] == 3


@pytest.mark.parametrize("platform, status, want", [
    ("amd64", 200, ("linux", "amd64", None)),
    ("linux/arm64/v8", 200, ("linux", "arm64", "v8")),
    ("linux/arm64", 200, ("linux", "arm64", None)),
    ("windows/amd64", 400, "operating system is not supported"),
    ("linux/x y", 400, '"x y" is an invalid component of "linux/x y": platform specifier component '
                       'must match "^[A-Za-z0-9_.-]+$": invalid argument'),
])
async def test_import_platform(engine_client, platform, status, want):
    from dockersim.sim.images.tarball import TreeBuilder

    engine, client = engine_client
    resp = await client.post("/v1.50/images/create", params={"fromSrc": "-", "repo": "imp",
                                                             "platform": platform},
                             data=TreeBuilder().file("f", "x").tar(0))
    assert resp.status == status
    if status != 200:
        assert (await resp.json())["message"] == want
        return
    config = engine.images.lookup("imp").config
    assert (config["os"], config["architecture"], config.get("variant")) == want


async def test_import_platform_before_api_1_32_is_ignored(engine_client):
    from dockersim.sim.images.tarball import TreeBuilder

    engine, client = engine_client
    resp = await client.post("/v1.31/images/create", params={"fromSrc": "-", "repo": "imp",
                                                             "platform": "windows/amd64"},
                             data=TreeBuilder().file("f", "x").tar(0))
    assert resp.status == 200
    assert engine.images.lookup("imp").config["os"] == "linux"


ARM64 = json.dumps({"os": "linux", "architecture": "arm64"})
AMD64 = json.dumps({"os": "linux", "architecture": "amd64"})


async def test_save_platform(engine_client):
    _engine, client = engine_client
    resp = await client.post("/v1.50/images/create?fromImage=busybox&tag=latest")
    await resp.read()
    resp = await client.get("/v1.50/images/busybox/get", params={"platform": ARM64})
    assert resp.status == 500
    assert (await resp.json()) == {"message": "no suitable export target found for platform linux/arm64"}
    resp = await client.get("/v1.50/images/get", params=[("names", "busybox"), ("platform", ARM64),
                                                         ("platform", AMD64)])
    assert resp.status == 400
    assert (await resp.json()) == {"message": "multiple platform parameters not supported"}
    resp = await client.get("/v1.50/images/busybox/get", params={"platform": "linux/arm64"})
    assert resp.status == 400
    resp = await client.get("/v1.50/images/busybox/get", params={"platform": AMD64})
    assert resp.status == 200 and len(await resp.read()) > 1024
    resp = await client.get("/v1.47/images/busybox/get", params={"platform": ARM64})
    assert resp.status == 200  # ignored before 1.48


async def test_load_platform(engine_client):
    engine, client = engine_client
    resp = await client.post("/v1.50/images/create?fromImage=busybox&tag=latest")
    await resp.read()
    archive = await (await client.get("/v1.50/images/busybox/get")).read()
    assert (await client.delete("/v1.50/images/busybox")).status == 200
    resp = await client.post("/v1.50/images/load", params={"platform": ARM64}, data=archive)
    assert resp.status == 200
    assert messages(await resp.read()) == [{"stream": ""}]  # skipped: no image, no tag
    assert len(engine.images) == 0
    resp = await client.post("/v1.50/images/load", params=[("platform", ARM64), ("platform", AMD64)],
                             data=archive)
    assert resp.status == 400
    assert (await resp.json()) == {"message": "multiple platform parameters not supported"}
    resp = await client.post("/v1.50/images/load", params={"platform": '{"os":"linux"}'}, data=archive)
    assert (resp.status, await resp.json()) == (400, {"message": "both OS and Architecture must be provided"})
    resp = await client.post("/v1.50/images/load", params={"platform": AMD64}, data=archive)
    assert messages(await resp.read()) == [{"stream": "Loaded image: busybox:latest\n"}]


async def test_create_compares_the_image_platform_as_moby_does(engine_client):
    """``POST /containers/create?platform=`` (API 1.41+): an image of
    another platform is a 404 in moby's words; without the parameter a
    foreign image is created with moby's warning; before 1.41 the parameter
    is not read."""
    from dockersim.sim.images.tarball import TreeBuilder

    engine, client = engine_client
    resp = await client.post("/v1.50/images/create", params={"fromSrc": "-", "repo": "armimg",
                                                             "platform": "linux/arm64"},
                             data=TreeBuilder().file("bin/x", "x").tar(0))
    assert resp.status == 200
    await resp.read()
    body = {"Image": "armimg", "Cmd": ["/bin/x"]}
    resp = await client.post("/v1.50/containers/create?platform=linux/amd64", json=body)
    assert resp.status == 404
    assert (await resp.json())["message"] == (
        "image with reference armimg was found but its platform (linux/arm64) does not match "
        "the specified platform (linux/amd64)")
    resp = await client.post("/v1.50/containers/create?platform=linux/arm64/v8", json=body)
    assert resp.status == 201 and (await resp.json())["Warnings"] == []
    resp = await client.post("/v1.50/containers/create", json=body)
    assert (await resp.json())["Warnings"] == [
        "The requested image's platform (linux/arm64) does not match the detected host platform "
        "(linux/amd64/v2) and no specific platform was requested"]
    resp = await client.post("/v1.40/containers/create?platform=linux/amd64", json=body)
    assert resp.status == 201
    resp = await client.post("/v1.50/containers/create?platform=linux/x%20y", json=body)
    assert resp.status == 400
