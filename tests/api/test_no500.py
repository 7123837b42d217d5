"""No 500s from bad input (issue 8): every route of the endpoint table gets
wrongly typed query parameters, malformed and wrongly typed JSON bodies
(seeded, bounded), and answers a Docker-shaped error -- never a 500 unless
moby itself answers 500 there -- and the daemon still answers /_ping.
Plus the reliability probe's own requests, one by one."""

from __future__ import annotations

import asyncio
import json
import logging
import random
import urllib.parse

import aiohttp
import pytest

from dockersim.daemon.app import ENDPOINTS
from dockersim.daemon.routers.params import JSON_BODY_LIMIT
from dockersim.daemon.support import canonical_path, display_path

from .swagger import spec

CT = {"Content-Type": "application/json"}

# -- the probe's requests ---------------------------------------------------------

FILTER_ROUTES = [("GET", "/containers/json"), ("POST", "/containers/prune"), ("GET", "/images/json"),
                 ("POST", "/images/prune"), ("GET", "/images/search?term=x"), ("GET", "/networks"), ("POST", "/networks/prune"),
                 ("GET", "/volumes"), ("POST", "/volumes/prune"), ("GET", "/events?until=1")]


@pytest.mark.parametrize("value", ["[1]", '{"label":[5]}', '{"id":[1]}', "1", "{", "[" * 2000])
async def test_bad_filters_are_invalid_filter_everywhere(api, value):
    for method, path in FILTER_ROUTES:
        sep = "&" if "?" in path else "?"
        resp = await api.request(method, f"/v1.50{path}{sep}filters={urllib.parse.quote(value)}")
        assert resp.status == 400, (method, path)
        assert resp.headers["Content-Type"] == "application/json"
        assert await resp.json() == {"message": "invalid filter"}


async def test_parser_level_400s_are_quiet(api, caplog):
    """A request line past aiohttp's limit is refused by its parser with a
    plain 400 (Go's net/http answers a plain 400 or 431 too); the log
    gets no ERROR and no traceback."""
    caplog.set_level(logging.DEBUG)
    resp = await api.get("/v1.50/containers/json?filters=" + "%5B" * 4000)
    assert resp.status == 400
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert (await api.get("/_ping")).status == 200


async def test_a_null_in_a_filter_is_gos_zero_value(api):
    """Go decodes ``{"id":[null]}`` into the legacy ``map[string][]string``
    as ``id=""`` (a null string is ""): a filter that matches nothing."""
    resp = await api.get("/v1.50/containers/json?all=1&filters=" + urllib.parse.quote('{"id":[null]}'))
    assert resp.status == 200 and await resp.json() == []
    resp = await api.get("/v1.50/images/json?filters=" + urllib.parse.quote('{"label":{"a":null}}'))
    assert resp.status == 200


async def test_an_unknown_filter_is_named(api):
    for method, path in FILTER_ROUTES[:-1]:
        sep = "&" if "?" in path else "?"
        resp = await api.request(method, f"/v1.50{path}{sep}filters=" + urllib.parse.quote('{"nosuch":["1"]}'))
        assert resp.status == 400 and await resp.json() == {"message": "invalid filter 'nosuch'"}


@pytest.mark.parametrize("host_config, message", [
    ({"RestartPolicy": "always"}, "json: cannot unmarshal string into Go struct field "
     "HostConfig.HostConfig.RestartPolicy of type container.RestartPolicy"),
    ({"RestartPolicy": [1]}, "json: cannot unmarshal array into Go struct field "
     "HostConfig.HostConfig.RestartPolicy of type container.RestartPolicy"),
    ({"RestartPolicy": {"Name": 5}}, "json: cannot unmarshal number into Go struct field "
     "RestartPolicy.HostConfig.RestartPolicy.Name of type container.RestartPolicyMode"),
    ({"Memory": "1g"}, "json: cannot unmarshal string into Go struct field "
     "HostConfig.HostConfig.Resources.Memory of type int64"),
    ({"ConsoleSize": [-1, 2]}, "json: cannot unmarshal number -1 into Go struct field "
     "HostConfig.HostConfig.ConsoleSize of type uint"),
    ({"PortBindings": {"80/tcp": [{"HostPort": 8080}]}}, "json: cannot unmarshal number into Go struct "
     "field PortBinding.HostConfig.PortBindings.HostPort of type string"),
])
async def test_wrongly_typed_host_config_is_a_400_in_go_words(api, host_config, message):
    resp = await api.post("/v1.50/containers/create", json={"Image": "busybox", "HostConfig": host_config})
    assert resp.status == 400
    assert await resp.json() == {"message": "invalid JSON: " + message}


@pytest.mark.parametrize("raw, message", [
    (b"[" * 100_000 + b"]" * 100_000, "invalid JSON: invalid character '[' exceeded max depth"),
    (b'{"Image":"busybox","Labels":' + b'{"a":' * 20_000 + b"1" + b"}" * 20_001,
     "invalid JSON: invalid character '{' exceeded max depth"),
    (b"{", "invalid JSON: unexpected EOF"),
    (b'{"Image":}', "invalid JSON: invalid character '}' looking for beginning of value"),
    (b'{"Image":"busybox"} x', "unexpected content after JSON"),
    (b"[1]", "invalid JSON: json: cannot unmarshal array into Go value of type container.CreateRequest"),
])
async def test_malformed_create_bodies(api, raw, message):
    resp = await api.post("/v1.50/containers/create", data=raw, headers=CT)
    assert resp.status == 400
    assert await resp.json() == {"message": message}
    assert (await api.get("/_ping")).status == 200


async def test_a_json_body_past_the_limit_is_refused_early(api):
    async def chunks():
        for _ in range(JSON_BODY_LIMIT // 65536 + 4):
            yield b" " * 65536
    resp = await api.post("/v1.50/containers/create", data=chunks(), headers=CT)
    assert resp.status == 413
    assert "request body is too large" in (await resp.json())["message"]
    resp = await api.post("/v1.50/containers/create", data=b" " * (JSON_BODY_LIMIT + 1), headers=CT)
    assert resp.status == 413
    assert (await api.get("/_ping")).status == 200


async def running(api, name="fz"):
    resp = await api.post(f"/v1.50/containers/create?name={name}",
                          json={"Image": "busybox", "Cmd": ["sleep", "1000"]})
    assert resp.status == 201, await resp.text()
    cid = (await resp.json())["Id"]
    assert (await api.post(f"/v1.50/containers/{cid}/start")).status == 204
    return cid


@pytest.mark.parametrize("body, message", [
    ({"Cmd": ["ls"], "WorkingDir": 5}, "json: cannot unmarshal number into Go struct field "
     "ExecOptions.WorkingDir of type string"),
    ({"Cmd": [1]}, "json: cannot unmarshal number into Go struct field ExecOptions.Cmd of type string"),
    ({"Cmd": ["ls"], "Env": {}}, "json: cannot unmarshal object into Go struct field "
     "ExecOptions.Env of type []string"),
    ({"Cmd": "ls"}, "json: cannot unmarshal string into Go struct field ExecOptions.Cmd of type []string"),
    ({"Cmd": ["ls"], "ConsoleSize": [-1, 0]}, "json: cannot unmarshal number -1 into Go struct field "
     "ExecOptions.ConsoleSize of type uint"),
])
async def test_exec_create_checks_its_body_before_the_101(api, body, message):
    cid = await running(api)
    resp = await api.post(f"/v1.50/containers/{cid}/exec", json=body)
    assert resp.status == 400
    assert await resp.json() == {"message": "invalid JSON: " + message}
    # the same words for a container that does not exist: the body is read first
    resp = await api.post("/v1.50/containers/nosuch/exec", json=body)
    assert resp.status == 400


async def test_volume_create_checks_its_body_as_go_does(api):
    for body, message in [
        ({"Name": 5}, "json: cannot unmarshal number into Go struct field CreateOptions.Name of type string"),
        ({"Labels": {"a": 1}}, "json: cannot unmarshal number into Go struct field "
                               "CreateOptions.Labels of type string"),
        ({"DriverOpts": []}, "json: cannot unmarshal array into Go struct field "
                             "CreateOptions.DriverOpts of type map[string]string"),
    ]:
        resp = await api.post("/v1.50/volumes/create", json=body)
        assert resp.status == 400
        assert await resp.json() == {"message": "invalid JSON: " + message}


async def test_update_checks_its_body_as_go_does(api):
    cid = await running(api)
    for body, message in [
        ({"Memory": "1g"}, "json: cannot unmarshal string into Go struct field UpdateConfig.Resources.Memory "
                           "of type int64"),
        ({"IOMaximumBandwidth": "x"}, "json: cannot unmarshal string into Go struct field "
                                      "UpdateConfig.Resources.IOMaximumBandwidth of type uint64"),
        ({"RestartPolicy": "always"}, "json: cannot unmarshal string into Go struct field "
                                      "UpdateConfig.RestartPolicy of type container.RestartPolicy"),
    ]:
        resp = await api.post(f"/v1.50/containers/{cid}/update", json=body)
        assert resp.status == 400
        assert await resp.json() == {"message": "invalid JSON: " + message}


@pytest.mark.parametrize("t, message", [
    ("x", 'strconv.Atoi: parsing "x": invalid syntax'),
    ("1.5", 'strconv.Atoi: parsing "1.5": invalid syntax'),
    ("99999999999999999999", 'strconv.Atoi: parsing "99999999999999999999": value out of range'),
])
async def test_stop_and_restart_read_t_with_atoi(api, t, message):
    cid = await running(api)
    for verb in ("stop", "restart"):
        resp = await api.post(f"/v1.50/containers/{cid}/{verb}?t={t}")
        assert resp.status == 400 and await resp.json() == {"message": message}
    resp = await api.get(f"/v1.50/containers/json?limit={t}")
    assert resp.status == 400 and await resp.json() == {"message": message}


async def test_negative_and_huge_t(api):
    """A negative t waits for the container however long it takes (PID 1
    ignores SIGTERM: here until a kill comes); a t whose nanoseconds
    overflow int64 (``time.Duration(t) * time.Second``) is a deadline
    already past, so the container is killed at once, as on dockerd."""
    cid = await running(api)
    for t in ("9223372036854775807", "10000000000"):
        resp = await asyncio.wait_for(api.post(f"/v1.50/containers/{cid}/restart?t={t}"), 5)
        assert resp.status == 204, t
    stop = asyncio.ensure_future(api.post(f"/v1.50/containers/{cid}/stop?t=-5"))
    await asyncio.sleep(1.5)
    assert not stop.done()
    assert (await api.post(f"/v1.50/containers/{cid}/kill")).status == 204
    assert (await asyncio.wait_for(stop, 5)).status == 204


# -- the fuzz over the endpoint table --------------------------------------------

#: Where moby itself answers 500 for a bad input (its handler returns a
#: plain error): the registry's login body (tests/api/test_registry.py).
MOBY_500 = {("POST", "/auth"), ("POST", "/plugins/pull")}
#: Where moby answers 503 (errdefs.Unavailable) for any request that gets
#: past its parameters: the swarm routes of a node outside any swarm
#: (tests/api/test_swarm_plugins.py), and the update of a cluster volume.
MOBY_503 = {(m, canonical_path(p)) for m, p in [
    ("GET", "/swarm"), ("GET", "/swarm/unlockkey"), ("POST", "/swarm/update"), ("POST", "/swarm/unlock"),
    ("POST", "/swarm/leave"), ("PUT", "/volumes/{name}")]} | {(m, canonical_path(f"/{kind}{p}")) for kind in
                                  ("services", "nodes", "tasks", "secrets", "configs")
                                  for m, p in [("GET", ""), ("GET", "/{id}"), ("POST", "/create"),
                                               ("POST", "/{id}/update"), ("DELETE", "/{id}"),
                                               ("GET", "/{id}/logs")]}
#: Where moby drops the connection (a nil pointer it dereferences, which
#: net/http's recover turns into a closed connection): a ``null`` login.
MOBY_DROPS = {("POST", "/auth")}
#: Routes that stream or block until something happens; fuzzed with a
#: deadline and not awaited further.
SLOW = {("GET", "/events"), ("POST", "/containers/{}/wait"), ("GET", "/containers/{}/logs"),
        ("POST", "/containers/{}/attach"), ("GET", "/containers/{}/stats"), ("POST", "/exec/{}/start"),
        ("POST", "/session"), ("GET", "/containers/{}/attach/ws"), ("POST", "/build"),
        ("POST", "/images/create"), ("POST", "/images/{}/push"), ("GET", "/images/get"),
        ("GET", "/images/{}/get"), ("POST", "/images/load")}
BAD_SCALARS = {
    "integer": ["x", "-1", "1.5", "99999999999999999999", ""],
    "boolean": ["maybe", "", "2"],
    "string": ['[1]', '{"label":[5]}', '{"id":[null]}', "1", "{", "\x7f", "-1", "%ZZ"],
    "array": ["x", "[1]"],
}
BAD_BODIES = [b"{", b"[1]", b"1", b'"x"', b"null x", b"[" * 20_000, b'{"a":' * 600,
              b"\xff\xfe", b'{"Cmd":5,"Env":{},"Labels":[1],"HostConfig":{"RestartPolicy":"x"}}']
WRONG = {"string": 5, "integer": "x", "boolean": "x", "array": {"a": 1}, "object": [1], "number": "x"}


def _params(method: str, path: str) -> "list[dict]":
    for spath, ops in spec()["paths"].items():
        if canonical_path(spath) == canonical_path(path) and method.lower() in ops:
            return ops[method.lower()].get("parameters") or []
    return []


def _body_variants(param: dict, rng: random.Random) -> "list[bytes]":
    schema = param.get("schema") or {}
    props = {}
    for part in [schema, *schema.get("allOf", [])]:
        ref = part.get("$ref")
        if ref:
            part = spec()["definitions"][ref.rsplit("/", 1)[-1]]
        props.update(part.get("properties") or {})
        for sub in part.get("allOf", []):
            if "$ref" in sub:
                props.update(spec()["definitions"][sub["$ref"].rsplit("/", 1)[-1]].get("properties") or {})
    bodies = list(BAD_BODIES)
    for name in rng.sample(sorted(props), min(len(props), 6)):
        kind = props[name].get("type") or ("object" if "$ref" in props[name] else "string")
        bodies.append(json.dumps({name: WRONG.get(kind, 5)}).encode())
    return bodies


async def _send(api, method, url, **kw):
    try:
        resp = await asyncio.wait_for(api.request(method, url, **kw), 5)
    except asyncio.TimeoutError:
        return None, None
    except aiohttp.ClientError as exc:
        return exc, b""
    if resp.status >= 400:
        return resp, await asyncio.wait_for(resp.read(), 5)
    resp.close()
    return resp, b""


async def test_fuzz_every_route_answers_no_500(api, caplog):
    rng = random.Random(8)
    cid = await running(api)
    resp = await api.post(f"/v1.50/containers/{cid}/exec", json={"Cmd": ["true"]})
    eid = (await resp.json())["Id"]
    values = {"containers": cid, "exec": eid, "images": "busybox", "networks": "bridge",
              "volumes": "nosuch", "plugins": "nosuch", "distribution": "busybox"}
    table = api.server.app[ENDPOINTS]
    # destructive verbs last, so the container lives through the others
    order = sorted(table, key=lambda e: (e.method == "DELETE" or "prune" in e.path or "kill" in e.path,
                                         e.path, e.method))
    failures = []
    for endpoint in order:
        method, path = endpoint.method, display_path(endpoint.path)
        key = (method, canonical_path(endpoint.path))
        if key in SLOW:
            continue
        first = path.strip("/").split("/")[0]
        url_path = "/v1.50" + path
        for seg in set(__import__("re").findall(r"\{[^}]+\}", url_path)):
            url_path = url_path.replace(seg, rng.choice([values.get(first, "nosuch"), "nosuch"]))
        params = _params(method, endpoint.path)
        requests = []
        for p in params:
            if p.get("in") == "query":
                for bad in BAD_SCALARS.get(p.get("type", "string"), ["x"]):
                    requests.append({"params": {p["name"]: bad}})
            if p.get("in") == "body" and (p.get("schema") or {}).get("format") != "binary":
                for raw in _body_variants(p, rng):
                    requests.append({"data": raw, "headers": CT})
        for kw in rng.sample(requests, min(len(requests), 24)):
            resp, body = await _send(api, method, url_path, **kw)
            if resp is None:
                continue
            if isinstance(resp, Exception):
                if key not in MOBY_DROPS:
                    failures.append((method, url_path, kw, repr(resp)))
                continue
            if resp.status >= 500 and resp.status != 501 and key not in MOBY_500 \
                    and not (resp.status == 503 and key in MOBY_503):
                failures.append((method, url_path, kw, resp.status, body[:200]))
            if resp.status >= 400 and resp.status != 304 and method != "HEAD":
                if resp.headers.get("Content-Type") != "application/json" or "message" not in json.loads(body):
                    failures.append((method, url_path, kw, resp.status, "not Docker-shaped", body[:200]))
        assert (await api.get("/_ping")).status == 200, (method, path)
    for f in failures:
        print("FAIL", f)
    assert failures == []
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR and "unhandled" in r.getMessage()]


async def test_field_names_match_case_insensitively_as_in_go(api):
    """encoding/json fills a struct field from a key that matches its name
    in any case: a hand-written ``{"image": ...}`` works on dockerd."""
    resp = await api.post("/v1.50/containers/create?name=lower", json={
        "image": "busybox", "cmd": ["sleep", "100"], "LABELS": {"a": "b"},
        "hostconfig": {"memory": 8388608, "restartPolicy": {"NAME": "on-failure", "maximumretrycount": 2}}})
    assert resp.status == 201, await resp.text()
    info = await (await api.get("/v1.50/containers/lower/json")).json()
    assert (info["Config"]["Image"], info["Config"]["Cmd"], info["Config"]["Labels"]) == (
        "busybox", ["sleep", "100"], {"a": "b"})
    assert info["HostConfig"]["Memory"] == 8388608
    assert info["HostConfig"]["RestartPolicy"] == {"Name": "on-failure", "MaximumRetryCount": 2}
    resp = await api.post("/v1.50/containers/lower/update", json={"memory": 16777216, "memoryswap": -1})
    assert resp.status == 200, await resp.text()
    assert (await (await api.get("/v1.50/containers/lower/json")).json())["HostConfig"]["Memory"] == 16777216
    assert (await api.post("/v1.50/containers/lower/start")).status == 204
    resp = await api.post("/v1.50/containers/lower/exec", json={"cmd": ["true"], "attachstdout": True})
    assert resp.status == 201, await resp.text()
    exe = await (await api.get(f"/v1.50/exec/{(await resp.json())['Id']}/json")).json()
    assert exe["ProcessConfig"]["entrypoint"] == "true" and exe["OpenStdout"] is True
    resp = await api.post("/v1.50/volumes/create", json={"name": "lowvol", "labels": {"x": "y"}})
    assert (await resp.json())["Name"] == "lowvol"
    resp = await api.post("/v1.50/networks/create", json={"name": "lownet", "internal": True})
    assert resp.status == 201, await resp.text()
    assert (await (await api.get("/v1.50/networks/lownet")).json())["Internal"] is True
    await api.post("/v1.50/containers/lower/kill")
