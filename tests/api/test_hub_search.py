"""``GET /images/search`` and ``GET /distribution/{name}/json`` against
the simulated Docker Hub: results from the Hub's own repositories (the
catalog's facts, pushed repositories), moby's checks in moby's order,
its error texts and statuses, and the swagger's shapes."""

from __future__ import annotations

import json
import urllib.parse

import pytest

from dockersim.daemon.backend.engine import Engine
from dockersim.sim.images import catalog
from dockersim.sim.images import reference as refmod
from dockersim.sim.images.hub import Hub

from . import swagger
from .test_registry import World, creds
from .test_shapes import assert_shape


@pytest.fixture
async def world(make_api_client):
    engine = Engine(None, seed=7)
    w = World(engine, await make_api_client(engine))
    await w.pull("busybox")
    yield w
    await engine.close()


async def search(w, term, **query):
    query = {"term": term, **{k: (json.dumps(v) if k == "filters" else v) for k, v in query.items()}}
    return await w.client.get("/v1.50/images/search?" + urllib.parse.urlencode(query))


async def names(w, term, **query):
    resp = await search(w, term, **query)
    assert resp.status == 200, await resp.text()
    return [r["name"] for r in await resp.json()]


def official(term):
    """The catalog's official repositories a term matches, in Hub's order."""
    hits = [(path.split("/", 1)[1], f) for path, f in catalog.FACTS.items()
            if term in path.split("/", 1)[1] or term.lower() in f.description.lower()]
    return [name for name, f in sorted(hits, key=lambda h: (-h[1].star_count, h[0]))]


def test_every_catalog_repository_has_hub_facts():
    assert set(catalog.FACTS) == set(catalog.TAGS)
    for facts in catalog.FACTS.values():
        assert facts.description and facts.star_count > 0


# -- search --------------------------------------------------------------------

async def test_search_answers_moby_search_results(world):
    resp = await search(world, "busybox")
    assert resp.status == 200 and resp.headers["Content-Type"] == "application/json"
    body = await resp.json()
    facts = catalog.FACTS["library/busybox"]
    assert body == [{"star_count": facts.star_count, "is_official": True, "name": "busybox",
                     "is_automated": False, "description": facts.description}]
    assert list(body[0]) == ["star_count", "is_official", "name", "is_automated", "description"]
    assert_shape(body, swagger.response_schema("/images/search", "get"))


@pytest.mark.parametrize("term", ["linux", "LINUX", "n", "a", "x", "Node.js"])
async def test_search_matches_name_or_description_most_starred_first(world, term):
    assert await names(world, term) == official(term)
    assert await names(world, "linux") == ["ubuntu", "alpine", "debian"]


async def test_search_does_not_generate_the_catalog(world):
    assert await names(world, "node") == ["node"]
    assert world.engine.hub._repos.get("library/node") is None  # searched by its facts only


@pytest.mark.parametrize("term", ["library/nginx", "docker.io/nginx", "index.docker.io/library/nginx",
                                  "docker.io/library/nginx"])
async def test_search_on_docker_hub_trims_library(world, term):
    assert await names(world, term) == ["nginx"]


async def test_pushed_repositories_are_found_with_no_description_nor_stars(world):
    await world.login("museopkim", "secret")
    world.build("museopkim/busybox-app", "app")
    resp, messages = await world.push("/v1.50/images/museopkim/busybox-app/push?tag=latest",
                                      creds("museopkim", "secret"))
    assert "error" not in messages[-1]
    body = await (await search(world, "busybox")).json()
    assert [r["name"] for r in body] == ["busybox", "museopkim/busybox-app"]
    assert body[1] == {"star_count": 0, "is_official": False, "name": "museopkim/busybox-app",
                       "is_automated": False, "description": ""}
    assert await names(world, "museopkim/") == ["museopkim/busybox-app"]
    # the Hub's repositories persist: a hub over the same store finds it too
    again = Hub.load(world.engine.store)
    assert [r.name for r in again.search("busybox")] == ["busybox", "museopkim/busybox-app"]


async def test_limit_default_range_and_order(world):
    for i in range(30):
        world.engine.hub.create_repository(f"tester/app{i:02}", "tester")
    assert len(await names(world, "tester/")) == 25
    assert len(await names(world, "tester/", limit="0")) == 25
    assert await names(world, "tester/", limit="3") == ["tester/app00", "tester/app01", "tester/app02"]
    assert len(await names(world, "tester/", limit="100")) == 30
    for limit in ("101", "1000"):
        resp = await search(world, "tester/", limit=limit)
        assert resp.status == 400
        assert await resp.json() == {"message": f"limit {limit} is outside the range of [1, 100]"}


@pytest.mark.parametrize("limit,message", [
    ("abc", 'invalid limit specified: strconv.Atoi: parsing "abc": invalid syntax'),
    ("", None),
    ("1.5", 'invalid limit specified: strconv.Atoi: parsing "1.5": invalid syntax'),
    ("99999999999999999999", 'invalid limit specified: strconv.Atoi: parsing "99999999999999999999": '
                             "value out of range"),
])
async def test_bad_limits(world, limit, message):
    resp = await search(world, "busybox", limit=limit)
    if message is None:
        assert resp.status == 200
    else:
        assert resp.status == 400 and await resp.json() == {"message": message}


async def test_a_negative_limit_is_an_empty_200(world):
    """moby wraps a nil error (``errors.Wrap(nil, …)`` is nil), so its
    handler returns without writing anything."""
    resp = await search(world, "busybox", limit="-1")
    assert resp.status == 200
    assert await resp.read() == b""


async def test_filters(world):
    world.engine.hub.create_repository("tester/node-app", "tester")
    assert await names(world, "node") == ["node", "tester/node-app"]
    assert await names(world, "node", filters={"is-official": {"true": True}}) == ["node"]
    assert await names(world, "node", filters={"is-official": {"false": True}}) == ["tester/node-app"]
    assert await names(world, "node", filters={"is-automated": {"true": True}}) == []
    assert await names(world, "node", filters={"is-automated": {"false": True}}) == ["node", "tester/node-app"]
    stars = catalog.FACTS["library/node"].star_count
    assert await names(world, "node", filters={"stars": {str(stars): True}}) == ["node"]
    assert await names(world, "node", filters={"stars": {"1": True, str(stars + 1): True}}) == []
    # Hub answers the first `limit`, the filters drop some afterwards (moby's order)
    assert await names(world, "node", limit="1", filters={"is-official": {"false": True}}) == []


@pytest.mark.parametrize("filters,message", [
    ({"foo": {"x": True}}, "invalid filter 'foo'"),
    ({"is-official": {"maybe": True}}, "invalid filter 'is-official=[maybe]'"),
    ({"stars": {"many": True}}, "invalid filter 'stars=many': strconv.Atoi: parsing \"many\": invalid syntax"),
    ([1], "invalid filter"),
])
async def test_bad_filters(world, filters, message):
    resp = await search(world, "node", filters=filters)
    assert resp.status == 400 and await resp.json() == {"message": message}


@pytest.mark.parametrize("term,message", [
    ("quay.io/foo", 'invalid registry endpoint https://quay.io/v1/: Get "https://quay.io/v1/_ping": '
                    "dial tcp: lookup quay.io: no such host. If this private registry supports only "
                    "HTTP or HTTPS with an unknown CA certificate, please add `--insecure-registry "
                    "quay.io` to the daemon's arguments. In the case of HTTPS, if you have access to "
                    "the registry's CA certificate, no need for the flag; simply place the CA "
                    "certificate at /etc/docker/certs.d/quay.io/ca.crt"),
    ("localhost:5000/foo", 'invalid registry endpoint "http://localhost:5000/v1/". HTTPS attempt: Get '
                           '"https://localhost:5000/v1/_ping": dial tcp 127.0.0.1:5000: connect: '
                           'connection refused. HTTP attempt: Get "http://localhost:5000/v1/_ping": '
                           "dial tcp 127.0.0.1:5000: connect: connection refused"),
    ("https://docker.io/nginx", "invalid repository name: repository name (https://docker.io/nginx) "
                                "should not have a scheme"),
])
async def test_other_registries_fail_as_dockerds_v1_ping(world, term, message):
    resp = await search(world, term)
    assert resp.status == 400 and await resp.json() == {"message": message}


async def test_search_ignores_an_invalid_auth_header(world):
    resp = await world.client.get("/v1.50/images/search?term=busybox", headers={"X-Registry-Auth": "!!"})
    assert resp.status == 200 and [r["name"] for r in await resp.json()] == ["busybox"]


# -- distribution inspect ----------------------------------------------------------

async def distribution(w, name, auth=None):
    headers = {} if auth is None else {"X-Registry-Auth": auth}
    return await w.client.get(f"/v1.50/distribution/{name}/json", headers=headers)


async def test_distribution_is_the_pulled_manifest(world):
    resp = await distribution(world, "busybox")
    assert resp.status == 200 and resp.headers["Content-Type"] == "application/json"
    body = await resp.json()
    inspect = await (await world.client.get("/v1.50/images/busybox/json")).json()
    (repo_digest,) = inspect["RepoDigests"]
    manifest = world.engine.hub.lookup(refmod.parse("busybox"))
    assert body == {"Descriptor": {"mediaType": "application/vnd.oci.image.manifest.v1+json",
                                   "digest": repo_digest.split("@")[1], "size": len(manifest.raw)},
                    "Platforms": None}
    assert_shape(body, swagger.response_schema("/distribution/{name}/json", "get"))
    for name in ("docker.io/library/busybox:latest", f"busybox@{manifest.digest}",
                 f"busybox:1.36@{manifest.digest}"):
        assert await (await distribution(world, name)).json() == body


async def test_distribution_of_other_tags(world):
    body = await (await distribution(world, "busybox:1.36")).json()
    assert body["Descriptor"]["digest"] == world.engine.hub.lookup(refmod.parse("busybox:1.36")).digest
    assert body["Descriptor"]["digest"] != world.engine.hub.lookup(refmod.parse("busybox")).digest


async def test_distribution_of_a_pushed_image_lists_its_platform(world):
    await world.login("museopkim", "secret")
    world.build("museopkim/kubia:v1", "app")
    resp, messages = await world.push("/v1.50/images/museopkim/kubia/push?tag=v1", creds("museopkim", "secret"))
    digest = messages[-1]["aux"]["Digest"]
    body = await (await distribution(world, "museopkim/kubia:v1")).json()
    assert body == {"Descriptor": {"mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                                   "digest": digest, "size": messages[-1]["aux"]["Size"]},
                    "Platforms": [{"architecture": "amd64", "os": "linux"}]}
    assert_shape(body, swagger.response_schema("/distribution/{name}/json", "get"))
    with_creds = await distribution(world, "museopkim/kubia:v1", creds("museopkim", "secret"))
    assert await with_creds.json() == body


@pytest.mark.parametrize("name,status,message", [
    ("nosuchrepo", 403, "errors:\ndenied: requested access to the resource is denied\n"
                        "unauthorized: authentication required\n"),
    ("busybox:nosuch", 404, "manifest unknown: manifest unknown"),
    ("busybox@sha256:" + "0" * 64, 404, "manifest unknown: manifest unknown"),
    ("quay.io/foo/bar", 500, 'Get "https://quay.io/v2/": dial tcp: lookup quay.io: no such host'),
    ("localhost:5000/foo", 500, 'Get "http://localhost:5000/v2/": dial tcp 127.0.0.1:5000: connect: '
                                "connection refused"),
    ("scratch", 400, "'scratch' is a reserved name"),
    ("a" * 64, 400, "no manifest found for full image ID"),
    ("Busybox", 400, "invalid reference format: repository name (library/Busybox) must be lowercase"),
    ("busybox:", 400, "invalid reference format"),
])
async def test_distribution_errors(world, name, status, message):
    resp = await distribution(world, name)
    assert resp.status == status
    assert await resp.json() == {"message": message}


async def test_distribution_with_wrong_credentials_is_401(world):
    await world.login("museopkim", "secret")
    resp = await distribution(world, "busybox", creds("museopkim", "wrong"))
    assert resp.status == 401
    assert await resp.json() == {"message": 'Head "https://registry-1.docker.io/v2/library/busybox/manifests/'
                                            'latest": unauthorized: incorrect username or password'}
    digest = world.engine.hub.lookup(refmod.parse("busybox")).digest
    resp = await distribution(world, f"busybox@{digest}", creds("museopkim", "wrong"))
    assert resp.status == 401
    assert (await resp.json())["message"].startswith(
        f'Get "https://registry-1.docker.io/v2/library/busybox/manifests/{digest}": ')
    # an undecodable header counts as no credentials
    assert (await distribution(world, "busybox", "!!")).status == 200
