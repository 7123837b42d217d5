"""The network-options table (daemon/backend/netoptions.py): every field of
the spec's NetworkCreateRequest has a row, the doc is the table rendered,
each row's sample is treated as the row says, and the simulated options
show in the simulated world (internal, enable_icc, bridge name, MTU,
interface prefix, aux addresses, host_binding_ipv4)."""

from __future__ import annotations

import asyncio
import importlib
import logging
import socket
from pathlib import Path

import pytest
import yaml

from dockersim.daemon.backend import netoptions

from .test_containers import demux, run

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "tests" / "data" / "spec" / "engine-api-v1.50.yaml"
DOC = ROOT / "docs" / "network-options.md"


def test_every_request_field_has_a_row():
    paths = yaml.safe_load(SPEC.read_text())["paths"]
    params = paths["/networks/create"]["post"]["parameters"]
    fields = set(params[0]["schema"]["properties"]) | {"CheckDuplicate"}  # moby's Go struct has it
    have = {o.field for o in netoptions.NET_OPTIONS if o.section == "CreateRequest"}
    assert have == fields
    ipam = yaml.safe_load(SPEC.read_text())["definitions"]["IPAMConfig"]["properties"]
    ipam_rows = {o.field for o in netoptions.NET_OPTIONS if o.section == "IPAM"}
    assert {f"Config.{f}" for f in ipam} <= ipam_rows
    assert {o.field for o in netoptions.NET_OPTIONS if o.section == "Options"} >= set(netoptions.KNOWN_KEYS)


def test_rows_name_code_and_say_what_they_refuse_and_warn():
    for row in netoptions.NET_OPTIONS:
        importlib.import_module("dockersim." + row.where)
        if row.treatment is netoptions.REFUSED:
            assert row.refuses and row.sample is not None, row.field
        if row.treatment is netoptions.WARNED:
            assert row.warn is not None and row.sample is not None, row.field


def test_committed_doc_is_up_to_date():
    hint = "run: .venv/bin/python -m dockersim.daemon.backend.netoptions --write"
    assert DOC.exists(), hint
    assert DOC.read_text() == netoptions.render_markdown(), hint


SAMPLED = [o for o in netoptions.NET_OPTIONS if o.sample is not None]


@pytest.mark.parametrize("row", SAMPLED, ids=[f"{o.section}.{o.field}" for o in SAMPLED])
async def test_sample_is_treated_as_the_row_says(api, row, caplog):
    body = {"Name": "sampled", **row.sample}
    caplog.set_level(logging.WARNING, logger="dockersim.networks")
    resp = await api.post("/v1.50/networks/create", json=body)
    answer = await resp.json()
    if row.treatment is netoptions.WARNED:
        assert resp.status == 201, answer
        assert answer["Warning"], answer
        first = answer["Warning"].split("\n")[0]
        assert any(first in r.getMessage() for r in caplog.records)
        return
    assert 400 <= resp.status < 500, answer
    assert answer["message"]


async def test_a_plain_create_warns_of_nothing(api):
    answer = await (await api.post("/v1.50/networks/create", json={"Name": "plain"})).json()
    assert answer["Warning"] == ""


@pytest.mark.parametrize("body, status, message", [
    ({"Ingress": True}, 403, "Ingress network can only be global scope network"),
    ({"Scope": "swarm"}, 403, "cannot create a swarm scoped network when swarm is not active"),
    ({"ConfigOnly": True, "Internal": True}, 403,
     "configuration network can only contain network specific fields. Network operator fields like "
     "[ ingress | internal | attachable | scope ] are not supported."),
    ({"ConfigFrom": {"Network": "base"}, "Labels": {"a": "b"}}, 403,
     "user specified configurations are not supported if the network depends on a configuration network"),
    ({"ConfigFrom": {"Network": "base"}}, 404, 'configuration network "base" does not exist'),
    ({"Options": {"com.docker.network.driver.mtu": "abc"}}, 400,
     "failed to parse com.docker.network.driver.mtu value: abc (strconv.Atoi: parsing \"abc\": "
     "invalid syntax)"),
    ({"Options": {"com.docker.network.driver.mtu": "-1"}}, 400, "invalid MTU number: -1"),
    ({"Options": {"com.docker.network.bridge.enable_icc": "no"}}, 400,
     "failed to parse com.docker.network.bridge.enable_icc value: no (strconv.ParseBool: parsing "
     "\"no\": invalid syntax)"),
    ({"Options": {"com.docker.network.bridge.host_binding_ipv4": "1.2.3"}}, 400,
     "failed to parse com.docker.network.bridge.host_binding_ipv4 value: 1.2.3 (nil ip)"),
    ({"Options": {"com.docker.network.bridge.gateway_mode_ipv4": "isolated"}}, 400,
     "gateway mode 'isolated' can only be used for an internal network"),
    ({"IPAM": {"Config": [{"Subnet": "10.5.0.0/24", "AuxiliaryAddresses": {"r": "10.6.0.3"}}]}}, 400,
     "invalid network config:\ninvalid auxiliary address r: parent subnet 10.5.0.0/24 doesn't "
     "contain this address"),
    ({"Driver": "overlay"}, 403, 'This node is not a swarm manager. Use "docker swarm init" or '
     '"docker swarm join" to connect this node to swarm and try again.'),
])
async def test_refused_with_dockerds_words(api, body, status, message):
    resp = await api.post("/v1.50/networks/create", json={"Name": "nx", **body})
    assert resp.status == status, await resp.text()
    assert (await resp.json())["message"] == message


async def test_a_bridge_name_is_the_hosts_interface_and_unique(api):
    opts = {"com.docker.network.bridge.name": "br9"}
    created = await (await api.post("/v1.50/networks/create", json={"Name": "n9", "Options": opts})).json()
    resp = await api.post("/v1.50/networks/create", json={"Name": "n10", "Options": opts})
    assert resp.status == 403
    message = (await resp.json())["message"]
    assert message.endswith(f"(br9): conflicts with network {created['Id']} (br9): networks have same "
                            "bridge name")


async def _out(api, cmd, **extra) -> "tuple[str, int]":
    cid, result = await run(api, cmd, **extra)
    raw = await (await api.get(f"/v1.50/containers/{cid}/logs?stdout=1&stderr=1")).read()
    out, err = demux(raw)
    return out.decode() + err.decode(), result["StatusCode"]


async def test_mtu_and_interface_prefix_show_inside(api):
    opts = {"com.docker.network.driver.mtu": "1400", "com.docker.network.container_iface_prefix": "en"}
    assert (await api.post("/v1.50/networks/create", json={"Name": "small", "Options": opts})).status == 201
    out, code = await _out(api, ["ip", "link", "show"], HostConfig={"NetworkMode": "small"})
    assert code == 0, out
    assert "en0@" in out and "mtu 1400" in out and "eth0" not in out
    out, _ = await _out(api, ["ifconfig", "en0"], HostConfig={"NetworkMode": "small"})
    assert "MTU:1400" in out


async def test_aux_addresses_are_never_given(api):
    ipam = {"Config": [{"Subnet": "10.5.0.0/24", "AuxiliaryAddresses": {"router": "10.5.0.2"}}]}
    assert (await api.post("/v1.50/networks/create", json={"Name": "aux", "IPAM": ipam})).status == 201
    resp = await api.post("/v1.50/containers/create?name=c1", json={
        "Image": "busybox", "Cmd": ["sleep", "100"], "HostConfig": {"NetworkMode": "aux"}})
    assert resp.status == 201
    assert (await api.post("/v1.50/containers/c1/start")).status == 204
    info = await (await api.get("/v1.50/containers/c1/json")).json()
    assert info["NetworkSettings"]["Networks"]["aux"]["IPAddress"] == "10.5.0.3"
    resp = await api.post("/v1.50/containers/create?name=c2", json={
        "Image": "busybox", "Cmd": ["true"], "HostConfig": {"NetworkMode": "aux"},
        "NetworkingConfig": {"EndpointsConfig": {"aux": {"IPAMConfig": {"IPv4Address": "10.5.0.2"}}}}})
    assert resp.status == 201
    resp = await api.post("/v1.50/containers/c2/start")
    assert resp.status >= 400 and "Address already in use" in (await resp.json())["message"]
    net = await (await api.get("/v1.50/networks/aux")).json()
    assert net["IPAM"]["Config"][0]["AuxiliaryAddresses"] == {"router": "10.5.0.2"}
    await api.post("/v1.50/containers/c1/kill")


async def test_internal_network_has_no_way_out(api):
    assert (await api.post("/v1.50/networks/create", json={"Name": "open"})).status == 201
    assert (await api.post("/v1.50/networks/create", json={"Name": "closed", "Internal": True})).status == 201
    resp = await api.post("/v1.50/containers/create?name=srv", json={
        "Image": "busybox", "Cmd": ["httpd", "-f", "-p", "80"], "HostConfig": {"NetworkMode": "open"}})
    assert resp.status == 201
    assert (await api.post("/v1.50/containers/srv/start")).status == 204
    srv = (await (await api.get("/v1.50/containers/srv/json")).json())["NetworkSettings"]["Networks"]
    ip = srv["open"]["IPAddress"]
    out, code = await _out(api, ["sh", "-c", f"ip route; wget -T1 -qO- http://{ip}/; echo rc=$?"],
                           HostConfig={"NetworkMode": "closed"})
    assert "default" not in out and "Network is unreachable" in out and "rc=1" in out, out
    # the host's own address: refused (nothing listens) from an open network, unreachable here
    out, _ = await _out(api, ["sh", "-c", "wget -T1 -qO- http://192.168.65.3:9/; echo rc=$?"],
                        HostConfig={"NetworkMode": "open"})
    assert "rc=1" in out and "refused" in out, out
    out, _ = await _out(api, ["sh", "-c", "wget -T1 -qO- http://192.168.65.3:9/; echo rc=$?"],
                        HostConfig={"NetworkMode": "closed"})
    assert "rc=1" in out and "Network is unreachable" in out, out
    await api.post("/v1.50/containers/srv/kill")


async def test_internal_network_publishes_no_port_and_gives_no_gateway(api):
    assert (await api.post("/v1.50/networks/create", json={"Name": "closed", "Internal": True})).status == 201
    resp = await api.post("/v1.50/containers/create?name=pub", json={
        "Image": "busybox", "Cmd": ["sleep", "100"], "ExposedPorts": {"80/tcp": {}},
        "HostConfig": {"NetworkMode": "closed", "PortBindings": {"80/tcp": [{"HostPort": ""}]}}})
    assert resp.status == 201
    assert (await api.post("/v1.50/containers/pub/start")).status == 204
    info = await (await api.get("/v1.50/containers/pub/json")).json()
    assert info["NetworkSettings"]["Ports"] == {}  # no mapping on an internal network
    assert info["NetworkSettings"]["Networks"]["closed"]["Gateway"] == ""
    await api.post("/v1.50/containers/pub/kill")


async def test_icc_false_isolates_containers_but_not_the_gateway(api):
    opts = {"com.docker.network.bridge.enable_icc": "false"}
    assert (await api.post("/v1.50/networks/create", json={"Name": "noicc", "Options": opts})).status == 201
    resp = await api.post("/v1.50/containers/create?name=web", json={
        "Image": "busybox", "Cmd": ["httpd", "-f", "-p", "80"], "HostConfig": {"NetworkMode": "noicc"}})
    assert resp.status == 201
    assert (await api.post("/v1.50/containers/web/start")).status == 204
    nets = (await (await api.get("/v1.50/containers/web/json")).json())["NetworkSettings"]["Networks"]
    ip, gateway = nets["noicc"]["IPAddress"], nets["noicc"]["Gateway"]
    out, _ = await _out(api, ["sh", "-c", f"wget -T1 -qO- http://{ip}/; echo rc=$?; "
                              f"ping -c1 -W1 {gateway} >/dev/null; echo ping=$?"],
                        HostConfig={"NetworkMode": "noicc"})
    assert "rc=1" in out and "timed out" in out and "ping=0" in out, out
    # the same two containers on a network with icc reach each other
    assert (await api.post("/v1.50/networks/create", json={"Name": "icc"})).status == 201
    assert (await api.post("/v1.50/networks/icc/connect", json={"Container": "web"})).status == 200
    nets = (await (await api.get("/v1.50/containers/web/json")).json())["NetworkSettings"]["Networks"]
    out, _ = await _out(api, ["sh", "-c", f"wget -T1 -qO- http://{nets['icc']['IPAddress']}/ >/dev/null;"
                              " echo rc=$?"], HostConfig={"NetworkMode": "icc"})
    assert "rc=0" in out or "rc=1" in out and "404" in out, out
    await api.post("/v1.50/containers/web/kill")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_host_binding_ipv4_is_the_default_host_address(api):
    opts = {"com.docker.network.bridge.host_binding_ipv4": "127.0.0.1"}
    assert (await api.post("/v1.50/networks/create", json={"Name": "local", "Options": opts})).status == 201
    port = _free_port()
    resp = await api.post("/v1.50/containers/create?name=bound", json={
        "Image": "busybox", "Cmd": ["sleep", "100"], "ExposedPorts": {"80/tcp": {}},
        "HostConfig": {"NetworkMode": "local", "PortBindings": {"80/tcp": [{"HostPort": str(port)}]}}})
    assert resp.status == 201
    assert (await api.post("/v1.50/containers/bound/start")).status == 204
    info = await (await api.get("/v1.50/containers/bound/json")).json()
    assert info["NetworkSettings"]["Ports"]["80/tcp"] == [{"HostIp": "127.0.0.1", "HostPort": str(port)}]
    await api.post("/v1.50/containers/bound/kill")
    await asyncio.sleep(0.05)
