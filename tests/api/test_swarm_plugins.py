"""Swarm and plugin endpoints of a dockerd outside any swarm, with no
plugin installed (routers/swarm.py, routers/plugins.py; moby v28.2.2's
daemon/cluster and plugin/ Manager): each endpoint's status and words."""

from __future__ import annotations

import urllib.parse

import pytest

from dockersim.daemon.backend.cluster import NO_SWARM, NOT_MANAGER
from dockersim.daemon.backend.plugins import HUB_REFUSAL

CT = {"Content-Type": "application/json"}
NOT_MANAGER_TEXT = ('This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" '
                    "to connect this node to swarm and try again.")


def test_the_texts_are_mobys():
    """cluster.go's errNoManager (no swarm node) and errors.go's errNoSwarm."""
    assert NOT_MANAGER == NOT_MANAGER_TEXT
    assert NO_SWARM == "This node is not part of a swarm"


async def _expect(resp, status, message):
    assert resp.status == status, await resp.text()
    assert resp.headers["Content-Type"] == "application/json"
    assert (await resp.json()) == {"message": message}


# -- swarm: every manager action is errNoManager (503) --------------------------

MANAGER_ACTIONS = [
    ("GET", "/swarm", None), ("GET", "/swarm/unlockkey", None),
    ("POST", "/swarm/update?version=1", {}), ("POST", "/swarm/unlock", {"UnlockKey": "x"}),
    ("GET", "/services", None), ("GET", "/services/web", None),
    ("POST", "/services/create", {"Name": "web", "TaskTemplate": {"ContainerSpec": {"Image": "busybox"}}}),
    ("POST", "/services/web/update?version=1", {}), ("DELETE", "/services/web", None),
    ("GET", "/services/web/logs?stdout=1", None),
    ("GET", "/nodes", None), ("GET", "/nodes/n1", None), ("DELETE", "/nodes/n1?force=1", None),
    ("POST", "/nodes/n1/update?version=3", {"Role": "manager"}),
    ("GET", "/tasks", None), ("GET", "/tasks/t1", None), ("GET", "/tasks/t1/logs?stderr=1", None),
    ("GET", "/secrets", None), ("POST", "/secrets/create", {"Name": "s", "Data": "eA=="}),
    ("GET", "/secrets/s", None), ("POST", "/secrets/s/update?version=1", {}), ("DELETE", "/secrets/s", None),
    ("GET", "/configs", None), ("POST", "/configs/create", {"Name": "c", "Data": "eA=="}),
    ("GET", "/configs/c", None), ("POST", "/configs/c/update?version=1", {}), ("DELETE", "/configs/c", None),
]


@pytest.mark.parametrize("method,path,body", MANAGER_ACTIONS, ids=[f"{m} {p}" for m, p, _ in MANAGER_ACTIONS])
async def test_manager_actions_are_unavailable(api, method, path, body):
    kw = {"json": body} if body is not None else {}
    await _expect(await api.request(method, "/v1.50" + path, **kw), 503, NOT_MANAGER_TEXT)


async def test_leave_is_not_part_of_a_swarm(api):
    for query in ("", "?force=1", "?force=true"):
        await _expect(await api.post("/v1.50/swarm/leave" + query), 503, NO_SWARM)


@pytest.mark.parametrize("verb,path", [("initialize", "/swarm/init"), ("join", "/swarm/join")])
async def test_init_and_join_are_refused_in_our_words(api, verb, path):
    resp = await api.post("/v1.50" + path, json={"ListenAddr": "0.0.0.0:2377"})
    assert resp.status == 501
    message = (await resp.json())["message"]
    assert message.startswith(f"swarm mode is not simulated by dockersim: this node cannot {verb} a swarm")
    assert "not implemented by dockersim yet" not in message


async def test_info_swarm_section_is_inactive(api):
    info = await (await api.get("/v1.50/info")).json()
    assert info["Swarm"] == {"NodeID": "", "NodeAddr": "", "LocalNodeState": "inactive",
                             "ControlAvailable": False, "Error": "", "RemoteManagers": None}
    assert (await api.get("/_ping")).headers["Swarm"] == "inactive"


# -- what the swarm router reads before it asks the cluster -----------------------

@pytest.mark.parametrize("path,message", [
    ("/swarm/update", "invalid swarm version '': strconv.ParseUint: parsing \"\": invalid syntax"),
    ("/swarm/update?version=-1", "invalid swarm version '-1': strconv.ParseUint: parsing \"-1\": invalid syntax"),
    ("/swarm/update?version=18446744073709551616",
     "invalid swarm version '18446744073709551616': strconv.ParseUint: parsing \"18446744073709551616\": "
     "value out of range"),
    ("/swarm/update?version=1&rotateWorkerToken=maybe", "invalid value for rotateWorkerToken: maybe"),
    ("/swarm/update?version=1&rotateManagerUnlockKey=2", "invalid value for rotateManagerUnlockKey: 2"),
    ("/services/web/update?version=x", "invalid service version 'x': strconv.ParseUint: parsing \"x\": "
     "invalid syntax"),
    ("/nodes/n1/update", "invalid node version '': strconv.ParseUint: parsing \"\": invalid syntax"),
    ("/secrets/s/update?version=x", "invalid secret version"),
    ("/configs/c/update", "invalid config version"),
])
async def test_versions_and_flags_are_read_first(api, path, message):
    await _expect(await api.post("/v1.50" + path, json={}), 400, message)


@pytest.mark.parametrize("path", ["/services", "/nodes", "/tasks", "/secrets", "/configs"])
async def test_list_filters_are_read_first(api, path):
    await _expect(await api.get(f"/v1.50{path}?filters=%7B"), 400, "invalid filter")
    # the keys are the manager's to check: an unknown one is still 503
    resp = await api.get(f"/v1.50{path}?filters=" + urllib.parse.quote('{"nosuch":{"x":true}}'))
    await _expect(resp, 503, NOT_MANAGER_TEXT)


async def test_service_status_and_insert_defaults_are_parsed(api):
    await _expect(await api.get("/v1.50/services?status=maybe"), 400,
                  'invalid value for status: maybe: strconv.ParseBool: parsing "maybe": invalid syntax')
    # below API 1.41 status is ignored
    await _expect(await api.get("/v1.40/services?status=maybe"), 503, NOT_MANAGER_TEXT)
    await _expect(await api.get("/v1.50/services/web?insertDefaults=x"), 400,
                  'invalid value for insertDefaults: x: strconv.ParseBool: parsing "x": invalid syntax')
    await _expect(await api.get("/v1.50/services?status=true"), 503, NOT_MANAGER_TEXT)


async def test_templating_below_1_37(api):
    body = {"Name": "s", "Templating": {"Name": "golang"}}
    await _expect(await api.post("/v1.36/secrets/create", json=body), 400,
                  "secret templating is not supported on the specified API version: 1.36")
    await _expect(await api.post("/v1.36/configs/create", json=body), 400,
                  "config templating is not supported on the specified API version: 1.36")
    await _expect(await api.post("/v1.37/secrets/create", json=body), 503, NOT_MANAGER_TEXT)


@pytest.mark.parametrize("path", ["/services/create", "/swarm/init", "/swarm/join", "/swarm/unlock",
                                  "/secrets/create", "/nodes/n1/update?version=1"])
async def test_bodies_are_read_first(api, path):
    resp = await api.post("/v1.50" + path, data=b"{", headers=CT)
    await _expect(resp, 400, "invalid JSON: unexpected EOF")
    resp = await api.post("/v1.50" + path, data=b"[1]", headers=CT)
    assert resp.status == 400 and "cannot unmarshal array into Go value of type swarm." in (await resp.json())["message"]
    resp = await api.post("/v1.50" + path, data=b"{}", headers={"Content-Type": "text/plain"})
    await _expect(resp, 400, "unsupported Content-Type header (text/plain): must be 'application/json'")


async def test_logs_need_a_stream(api):
    for path in ("/services/web/logs", "/tasks/t1/logs"):
        await _expect(await api.get("/v1.50" + path), 400, "Bad parameters: you must choose at least one stream")


# -- plugins ------------------------------------------------------------------------

async def test_plugin_list_is_empty(api):
    resp = await api.get("/v1.50/plugins")
    assert resp.status == 200 and await resp.json() == []
    for f in ('{"enabled":{"true":true}}', '{"enabled":{"0":true}}', '{"capability":{"volumedriver":true}}'):
        resp = await api.get("/v1.50/plugins?filters=" + urllib.parse.quote(f))
        assert resp.status == 200 and await resp.json() == [], f


@pytest.mark.parametrize("value,message", [
    ('{"enable":{"true":true}}', "invalid filter 'enable'"),
    ('{"nosuch":{"x":true}}', "invalid filter 'nosuch'"),
    ('{"enabled":{"maybe":true}}', "invalid filter 'enabled=[maybe]'"),
    ('{"enabled":{"true":true,"false":true}}', "invalid filter 'enabled=[false true]'"),
    ("{", "invalid filter"),
])
async def test_plugin_list_filters(api, value, message):
    await _expect(await api.get("/v1.50/plugins?filters=" + urllib.parse.quote(value)), 400, message)


@pytest.mark.parametrize("method,path", [
    ("GET", "/plugins/{}/json"), ("DELETE", "/plugins/{}"), ("POST", "/plugins/{}/enable?timeout=30"),
    ("POST", "/plugins/{}/disable"), ("POST", "/plugins/{}/push"), ("POST", "/plugins/{}/set"),
    ("POST", "/plugins/{}/upgrade?remote=vieux/sshfs"),
])
@pytest.mark.parametrize("name", ["nosuch", "vieux/sshfs:latest", "a" * 64, "NoSuch"])
async def test_unknown_plugin_is_not_found(api, method, path, name):
    kw = {"json": []} if path.endswith(("/set", "remote=vieux/sshfs")) else {}
    if "upgrade" in path and name in ("a" * 64, "NoSuch"):
        # the router's getName parses the name before the lookup (moby: an untyped 500)
        resp = await api.request(method, "/v1.50" + path.format(name), **kw)
        assert resp.status == 400 and "invalid" in (await resp.json())["message"]
        return
    await _expect(await api.request(method, "/v1.50" + path.format(name), **kw), 404, f'plugin "{name}" not found')


async def test_plugin_parameters_are_read_first(api):
    await _expect(await api.post("/v1.50/plugins/nosuch/enable"), 400,
                  'strconv.Atoi: parsing "": invalid syntax')
    await _expect(await api.post("/v1.50/plugins/nosuch/set", data=b'{"a":1}', headers=CT), 400,
                  "invalid JSON: json: cannot unmarshal object into Go value of type []string")
    await _expect(await api.post("/v1.50/plugins/nosuch/set", data=b"[1]", headers=CT), 400,
                  "invalid JSON: json: cannot unmarshal number into Go value of type string")
    await _expect(await api.post("/v1.50/plugins/nosuch/set", json=["DEBUG=1"]), 404, 'plugin "nosuch" not found')
    await _expect(await api.post("/v1.50/plugins/nosuch/upgrade?remote=Bad", json=[]), 400,
                  "invalid reference format: repository name (library/Bad) must be lowercase")


async def test_privileges_swallow_the_failed_fetch(api):
    resp = await api.get("/v1.50/plugins/privileges?remote=vieux/sshfs")
    assert resp.status == 200 and await resp.json() == []
    # ParseNormalizedNamed("") parses "docker.io/library/": not a reference
    await _expect(await api.get("/v1.50/plugins/privileges"), 400, "invalid reference format")


async def test_pull_fails_as_against_docker_hub(api):
    # busybox is an image on the simulated Hub, not a plugin: the same refusal
    for remote in ("nosuch", "vieux/sshfs:latest", "busybox"):
        resp = await api.post("/v1.50/plugins/pull?remote=" + urllib.parse.quote(remote), json=[])
        await _expect(resp, 500, HUB_REFUSAL)
    resp = await api.post("/v1.50/plugins/pull?remote=quay.io/x/y", json=[])
    await _expect(resp, 500, 'error resolving plugin reference: failed to do request: Head '
                  '"https://quay.io/v2/x/y/manifests/latest": dial tcp: lookup quay.io: no such host')
    await _expect(await api.post("/v1.50/plugins/pull?remote=x&name=y@sha256:" + "a" * 64, json=[]), 400,
                  "cannot use digest in plugin tag")
    await _expect(await api.post("/v1.50/plugins/pull?remote=x", json={}), 400,
                  "invalid JSON: json: cannot unmarshal object into Go value of type types.PluginPrivileges")


async def test_create_is_refused_in_our_words(api):
    resp = await api.post("/v1.50/plugins/create?name=myplugin", data=b"tar", headers={"Content-Type": "application/x-tar"})
    assert resp.status == 501
    message = (await resp.json())["message"]
    assert message.startswith("plugins are not simulated by dockersim: cannot create plugin myplugin:latest")
    await _expect(await api.post("/v1.50/plugins/create?name=Bad"), 400,
                  "failed to parse reference Bad: invalid reference format: repository name (library/Bad) "
                  "must be lowercase")
    await _expect(await api.post("/v1.50/plugins/create?name=x@sha256:" + "a" * 64), 400,
                  "canonical references are not permitted")


async def test_docker_inspect_falls_through_plugins(api):
    """`docker inspect X` asks for a plugin last and needs a clean 404."""
    await _expect(await api.get("/v1.50/plugins/nosuch/json"), 404, 'plugin "nosuch" not found')


@pytest.mark.parametrize("path,body,message", [
    ("/services/create", {"Name": 5}, "ServiceSpec.Annotations.Name of type string"),
    ("/services/create", {"TaskTemplate": [1]}, "ServiceSpec.TaskTemplate of type swarm.TaskSpec"),
    ("/secrets/create", {"Data": 5}, "SecretSpec.Data of type []uint8"),
    ("/configs/c/update?version=x", {"Labels": [1]}, "ConfigSpec.Annotations.Labels of type map[string]string"),
    ("/nodes/n1/update", {"Role": 1}, "NodeSpec.Role of type swarm.NodeRole"),
    ("/swarm/join", {"RemoteAddrs": "x"}, "JoinRequest.RemoteAddrs of type []string"),
    ("/swarm/unlock", {"UnlockKey": True}, "UnlockRequest.UnlockKey of type string"),
])
async def test_body_field_types_are_gos(api, path, body, message):
    """The body is decoded (with Go's type errors) before the version or
    the manager is looked at."""
    resp = await api.post("/v1.50" + path, json=body)
    assert resp.status == 400
    got = (await resp.json())["message"]
    assert got.startswith("invalid JSON: json: cannot unmarshal ") and got.endswith(message), got
