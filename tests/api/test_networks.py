"""``/networks`` and containers on networks, in process: moby 28's status
codes and words (daemon/network.go, libnetwork/error.go, runconfig/errors.go,
api/types/network/ipam.go), NetworkSettings as dockerd fills it, and
published ports through real sockets into the simulated machine."""

import asyncio
import io
import json
import socket
import tarfile

import pytest

from dockersim.sim import abi
from dockersim.sim.programs.table import marker, register
from dockersim.daemon.backend.ports import PortProxy, Request, requests


def _filters(**kw) -> str:
    return "filters=" + json.dumps({k: {v: True} for k, v in kw.items()})


async def _json(resp, status=200):
    assert resp.status == status, await resp.text()
    return await resp.json()


async def _error(resp, status):
    assert resp.status == status, await resp.text()
    return (await resp.json())["message"]


async def test_the_predefined_networks_as_dockerd_shows_them(api):
    nets = await _json(await api.get("/v1.50/networks"))
    by_name = {n["Name"]: n for n in nets}
    assert sorted(by_name) == ["bridge", "host", "none"]
    assert [by_name[n]["Driver"] for n in ("bridge", "host", "none")] == ["bridge", "host", "null"]
    assert all(len(n["Id"]) == 64 and n["Scope"] == "local" for n in nets)
    bridge = by_name["bridge"]
    assert bridge["IPAM"] == {"Driver": "default", "Options": None,
                              "Config": [{"Subnet": "172.17.0.0/16", "Gateway": "172.17.0.1"}]}
    assert bridge["Options"]["com.docker.network.bridge.name"] == "docker0"
    assert bridge["Options"]["com.docker.network.bridge.default_bridge"] == "true"
    by_prefix = await _json(await api.get(f"/v1.50/networks/{bridge['Id'][:5]}"))
    assert by_prefix["Name"] == "bridge"
    assert await _error(await api.get("/v1.50/networks/nosuch"), 404) == "network nosuch not found"


async def test_create_inspect_and_remove_a_network(api):
    body = {"Name": "mynet", "Labels": {"team": "a"}, "IPAM": {"Driver": "default", "Config": []}}
    created = await _json(await api.post("/v1.50/networks/create", json=body), 201)
    assert set(created) == {"Id", "Warning"} and len(created["Id"]) == 64
    net = await _json(await api.get("/v1.50/networks/mynet"))
    assert (net["Driver"], net["Labels"], net["Containers"]) == ("bridge", {"team": "a"}, {})
    assert net["IPAM"]["Config"] == [{"Subnet": "172.18.0.0/16", "Gateway": "172.18.0.1"}]
    assert await _error(await api.post("/v1.50/networks/create", json=body), 409) == \
        "network with name mynet already exists"
    assert await _error(await api.post("/v1.50/networks/create", json={"Name": "bridge"}), 403) == \
        "operation is not permitted on predefined bridge network "
    assert (await api.delete(f"/v1.50/networks/{created['Id'][:12]}")).status == 204
    assert await _error(await api.get("/v1.50/networks/mynet"), 404) == "network mynet not found"


@pytest.mark.parametrize("name", ["bridge", "host", "none"])
async def test_predefined_networks_cannot_be_removed(api, name):
    assert await _error(await api.delete(f"/v1.50/networks/{name}"), 403) == \
        f"{name} is a pre-defined network and cannot be removed"


@pytest.mark.parametrize("body, status, message", [
    ({"Name": "n", "Driver": "foo"}, 404, 'plugin "foo" not found'),
    ({"Name": "n", "IPAM": {"Config": [{"Subnet": "10.1.0.0"}]}}, 400,
     "invalid network config:\ninvalid subnet 10.1.0.0: invalid CIDR block notation"),
    ({"Name": "n", "IPAM": {"Config": [{"Subnet": "10.1.0.5/24", "Gateway": "10.2.0.1"}]}}, 400,
     "invalid network config:\n* invalid subnet 10.1.0.5/24: it should be 10.1.0.0/24\n"
     "* invalid gateway 10.2.0.1: parent subnet 10.1.0.0/24 doesn't contain this address"),
    ({"Name": "n", "Driver": "host"}, 403, 'only one instance of "host" network is allowed'),
])
async def test_create_refuses_as_moby_does(api, body, status, message):
    assert await _error(await api.post("/v1.50/networks/create", json=body), status) == message


async def test_overlapping_subnets_are_refused(api):
    body = {"Name": "a", "IPAM": {"Config": [{"Subnet": "10.9.0.0/16"}]}}
    await _json(await api.post("/v1.50/networks/create", json=body), 201)
    body = {"Name": "b", "IPAM": {"Config": [{"Subnet": "10.9.1.0/24"}]}}
    assert await _error(await api.post("/v1.50/networks/create", json=body), 403) == \
        "Pool overlaps with other one on this address space"


async def test_list_filters(api):
    await _json(await api.post("/v1.50/networks/create", json={"Name": "front", "Labels": {"tier": "web"}}), 201)
    names = lambda nets: sorted(n["Name"] for n in nets)  # noqa: E731
    assert names(await _json(await api.get("/v1.50/networks?" + _filters(type="custom")))) == ["front"]
    assert names(await _json(await api.get("/v1.50/networks?" + _filters(type="builtin")))) == \
        ["bridge", "host", "none"]
    assert names(await _json(await api.get("/v1.50/networks?" + _filters(driver="null")))) == ["none"]
    assert names(await _json(await api.get("/v1.50/networks?" + _filters(name="ro")))) == ["front"]
    assert names(await _json(await api.get("/v1.50/networks?" + _filters(label="tier=web")))) == ["front"]
    assert names(await _json(await api.get("/v1.50/networks?" + _filters(dangling="true")))) == ["front"]
    assert await _error(await api.get("/v1.50/networks?" + _filters(type="x")), 400) == \
        "invalid filter: 'type'='x'"
    assert await _error(await api.get("/v1.50/networks?" + _filters(color="x")), 400) == \
        "invalid filter 'color'"


async def _create(api, name=None, **body):
    body = {"Image": "busybox", "Cmd": ["sleep", "1000"], **body}
    resp = await api.post("/v1.50/containers/create" + (f"?name={name}" if name else ""), json=body)
    return await _json(resp, 201)


async def test_a_container_on_a_user_network(api):
    await _json(await api.post("/v1.50/networks/create", json={
        "Name": "app", "IPAM": {"Config": [{"Subnet": "10.7.0.0/24", "IPRange": "10.7.0.128/25"}]}}), 201)
    await _create(api, "db", HostConfig={"NetworkMode": "app"}, NetworkingConfig={"EndpointsConfig": {
        "app": {"Aliases": ["database"], "IPAMConfig": {"IPv4Address": "10.7.0.200"}}}})
    info = await _json(await api.get("/v1.50/containers/db/json"))
    app = info["NetworkSettings"]["Networks"]["app"]
    assert (app["IPAddress"], app["EndpointID"], app["Aliases"]) == ("", "", ["database"])
    assert (await api.post("/v1.50/containers/db/start")).status == 204
    info = await _json(await api.get("/v1.50/containers/db/json"))
    settings = info["NetworkSettings"]
    app = settings["Networks"]["app"]
    assert (app["IPAddress"], app["IPPrefixLen"], app["Gateway"]) == ("10.7.0.200", 24, "10.7.0.1")
    assert app["DNSNames"] == ["db", "database", info["Id"][:12]]
    assert len(app["EndpointID"]) == 64
    assert (settings["IPAddress"], settings["Gateway"]) == ("", "")  # the legacy fields: bridge only
    net = await _json(await api.get("/v1.50/networks/app"))
    assert net["Containers"][info["Id"]]["IPv4Address"] == "10.7.0.200/24"
    assert net["Containers"][info["Id"]]["Name"] == "db"
    message = await _error(await api.delete("/v1.50/networks/app"), 403)
    assert message == (f'error while removing network: network app has active endpoints '
                       f'(name:"db" id:"{app["EndpointID"][:12]}")')
    listed = await _json(await api.get("/v1.50/containers/json"))
    assert listed[0]["NetworkSettings"]["Networks"]["app"]["IPAddress"] == "10.7.0.200"
    assert (await api.post("/v1.50/containers/db/kill")).status == 204
    await asyncio.sleep(0.05)
    info = await _json(await api.get("/v1.50/containers/db/json"))
    app = info["NetworkSettings"]["Networks"]["app"]
    assert (app["IPAddress"], app["EndpointID"]) == ("", "")
    assert app["NetworkID"] == net["Id"] and app["DNSNames"]  # kept, as moby keeps them
    assert (await _json(await api.post("/v1.50/networks/prune"))) == {"NetworksDeleted": ["app"]}


async def test_resolv_conf_and_hosts_on_a_user_network(api):
    from .test_containers import demux, run

    await _json(await api.post("/v1.50/networks/create", json={"Name": "n1"}), 201)
    cid, _ = await run(api, ["sh", "-c", "cat /etc/resolv.conf /etc/hosts"],
                       HostConfig={"NetworkMode": "n1", "Dns": ["9.9.9.9"]})
    out = demux(await (await api.get(f"/v1.50/containers/{cid}/logs?stdout=1")).read())[0].decode()
    assert "nameserver 127.0.0.11\noptions ndots:0\n" in out
    assert "# ExtServers: [9.9.9.9]\n# Overrides: [nameservers]\n" in out
    assert out.endswith(f"172.18.0.2\t{cid[:12]}\n")


@pytest.mark.parametrize("network, endpoint, message", [
    ("bridge", {"IPAMConfig": {"IPv4Address": "172.17.0.9"}},
     "invalid config for network bridge: invalid endpoint settings:\n"
     "user specified IP address is supported on user defined networks only"),
    ("bridge", {"Aliases": ["x"]},
     "invalid config for network bridge: invalid endpoint settings:\n"
     "network-scoped alias is supported only for containers in user defined networks"),
    ("auto", {"IPAMConfig": {"IPv4Address": "172.18.0.9"}},
     "invalid config for network auto: invalid endpoint settings:\n"
     "user specified IP address is supported only when connecting to networks with user "
     "configured subnets"),
    ("auto", {"IPAMConfig": {"IPv4Address": "1.2.3"}},
     "invalid config for network auto: invalid endpoint settings:\ninvalid IPv4 address: 1.2.3"),
    ("auto", {"IPAMConfig": {"IPv4Address": "0.0.0.0"}},
     "invalid config for network auto: invalid endpoint settings:\ninvalid IPv4 address: 0.0.0.0"),
    ("auto", {"IPAMConfig": {"IPv6Address": "::ffff:1.2.3.4"}},
     "invalid config for network auto: invalid endpoint settings:\ninvalid IPv6 address: ::ffff:1.2.3.4"),
    # the simulated networks have no IPv6 subnet: moby's words for that
    ("auto", {"IPAMConfig": {"IPv6Address": "fd00::5"}},
     "invalid config for network auto: invalid endpoint settings:\n"
     "user specified IP address is supported only when connecting to networks with user "
     "configured subnets"),
    ("auto", {"IPAMConfig": {"LinkLocalIPs": ["169.254.1.1", "::"]}},
     "invalid config for network auto: invalid endpoint settings:\ninvalid link-local IP address: ::"),
])
async def test_endpoint_settings_are_checked_at_create(api, network, endpoint, message):
    await _json(await api.post("/v1.50/networks/create", json={"Name": "auto"}), 201)
    resp = await api.post("/v1.50/containers/create", json={
        "Image": "busybox", "HostConfig": {"NetworkMode": network},
        "NetworkingConfig": {"EndpointsConfig": {network: endpoint}}})
    assert await _error(resp, 400) == message


async def _hosts(api, name: str) -> str:
    from .test_containers import demux

    resp = await api.post(f"/v1.50/containers/{name}/exec", json={"Cmd": ["cat", "/etc/hosts"],
                                                                  "AttachStdout": True})
    eid = (await _json(resp, 201))["Id"]
    resp = await api.post(f"/v1.50/exec/{eid}/start", json={"Detach": False, "Tty": False})
    return demux(await resp.read())[0].decode()


async def test_connect_and_disconnect(api):
    await _json(await api.post("/v1.50/networks/create", json={"Name": "extra"}), 201)
    await _create(api, "c1")
    # not running: the config is recorded, joined at start
    resp = await api.post("/v1.50/networks/extra/connect", json={"Container": "c1",
                                                                "EndpointConfig": {"Aliases": ["one"]}})
    assert resp.status == 200, await resp.text()
    assert (await api.post("/v1.50/containers/c1/start")).status == 204
    nets = (await _json(await api.get("/v1.50/containers/c1/json")))["NetworkSettings"]["Networks"]
    assert sorted(nets) == ["bridge", "extra"]
    assert nets["bridge"]["IPAddress"] == "172.17.0.2" and nets["extra"]["IPAddress"] == "172.18.0.2"
    resp = await api.post("/v1.50/networks/extra/connect", json={"Container": "c1"})
    assert await _error(resp, 403) == "endpoint with name c1 already exists in network extra"
    hosts = await _hosts(api, "c1")
    short = hosts.splitlines()[-1].split("\t")[1]
    assert hosts.endswith(f"172.17.0.2\t{short}\n172.18.0.2\t{short}\n")
    resp = await api.post("/v1.50/networks/extra/disconnect", json={"Container": "c1"})
    assert resp.status == 200, await resp.text()
    nets = (await _json(await api.get("/v1.50/containers/c1/json")))["NetworkSettings"]["Networks"]
    assert sorted(nets) == ["bridge"]
    assert (await _hosts(api, "c1")).endswith(f"172.17.0.2\t{short}\n")  # its line went
    resp = await api.post("/v1.50/networks/extra/connect", json={"Container": "c1"})
    assert resp.status == 200, await resp.text()
    net = await _json(await api.get("/v1.50/networks/extra"))
    assert [c["Name"] for c in net["Containers"].values()] == ["c1"]
    ip = next(iter(net["Containers"].values()))["IPv4Address"].split("/")[0]
    assert (await _hosts(api, "c1")).endswith(f"172.17.0.2\t{short}\n{ip}\t{short}\n")  # added
    resp = await api.post("/v1.50/networks/host/connect", json={"Container": "c1"})
    assert await _error(resp, 400) == ("cannot connect container to host network - container must "
                                       "be created in host network mode")
    resp = await api.post("/v1.50/networks/extra/connect", json={"Container": "nosuch"})
    assert await _error(resp, 404) == "No such container: nosuch"


async def test_network_host_and_container_modes(api):
    await _create(api, "hh", HostConfig={"NetworkMode": "host"})
    assert (await api.post("/v1.50/containers/hh/start")).status == 204
    info = await _json(await api.get("/v1.50/containers/hh/json"))
    assert list(info["NetworkSettings"]["Networks"]) == ["host"]
    assert info["NetworkSettings"]["Networks"]["host"]["IPAddress"] == ""
    await _create(api, "main")
    await _create(api, "side", HostConfig={"NetworkMode": "container:main"})
    assert await _error(await api.post("/v1.50/containers/side/start"), 409) == \
        "cannot join network namespace of a non running container: container main is created"
    assert (await api.post("/v1.50/containers/main/start")).status == 204
    assert (await api.post("/v1.50/containers/side/start")).status == 204
    info = await _json(await api.get("/v1.50/containers/side/json"))
    assert info["NetworkSettings"]["Networks"] == {}
    resp = await api.post("/v1.50/containers/create", json={
        "Image": "busybox", "HostConfig": {"NetworkMode": "container:main",
                                           "PortBindings": {"80/tcp": [{"HostPort": "80"}]}}})
    assert await _error(resp, 400) == ("conflicting options: port publishing and the container "
                                       "type network mode")


# -- ports -------------------------------------------------------------------------

@pytest.mark.parametrize("bindings, message", [
    ({"abc/tcp": [{"HostPort": "80"}]}, 'invalid port specification: "abc"'),
    ({"80/tcp": [{"HostPort": "x"}]}, 'invalid port specification: "x"'),
    ({"80/tcp": [{"HostPort": "99999"}]}, 'invalid port specification: "99999"'),
])
async def test_port_bindings_are_validated(api, bindings, message):
    resp = await api.post("/v1.50/containers/create", json={
        "Image": "busybox", "ExposedPorts": {"80/tcp": {}}, "HostConfig": {"PortBindings": bindings}})
    assert await _error(resp, 400) == message


def test_requests_follow_the_exposed_ports_in_libnetworks_order():
    config = {"ExposedPorts": {"90/tcp": {}, "80/tcp": {}, "81/tcp": {}}}
    host = {"PortBindings": {"80/tcp": [{"HostIp": "", "HostPort": "8080"}],
                             "81/tcp": [{"HostIp": "127.0.0.1", "HostPort": ""}],
                             "7/tcp": [{"HostPort": "7"}]},  # not exposed: ignored
            "PublishAllPorts": True}
    assert requests(config, host) == [Request(80, "tcp", "", 8080, 8080), Request(81, "tcp", "127.0.0.1"),
                                      Request(90, "tcp")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_published_ports_in_inspect_ps_and_conflicts(api):
    port = _free_port()
    await _create(api, "web", ExposedPorts={"80/tcp": {}, "443/tcp": {}},
                  HostConfig={"PortBindings": {"80/tcp": [{"HostIp": "127.0.0.1", "HostPort": str(port)}]}})
    info = await _json(await api.get("/v1.50/containers/web/json"))
    assert info["NetworkSettings"]["Ports"] == {}
    assert (await api.post("/v1.50/containers/web/start")).status == 204
    info = await _json(await api.get("/v1.50/containers/web/json"))
    assert info["NetworkSettings"]["Ports"] == {"80/tcp": [{"HostIp": "127.0.0.1", "HostPort": str(port)}],
                                                "443/tcp": None}
    row = (await _json(await api.get("/v1.50/containers/json")))[0]
    assert sorted(row["Ports"], key=lambda p: p["PrivatePort"]) == [
        {"IP": "127.0.0.1", "PrivatePort": 80, "PublicPort": port, "Type": "tcp"},
        {"PrivatePort": 443, "Type": "tcp"}]
    await _create(api, "web2", ExposedPorts={"80/tcp": {}},
                  HostConfig={"PortBindings": {"80/tcp": [{"HostIp": "127.0.0.1", "HostPort": str(port)}]}})
    message = await _error(await api.post("/v1.50/containers/web2/start"), 500)
    endpoint = (await _json(await api.get("/v1.50/containers/web2/json")))["State"]["Error"]
    assert message == endpoint
    assert message.startswith("failed to set up container networking: driver failed programming "
                              "external connectivity on endpoint web2 (")
    assert message.endswith(f"): Bind for 127.0.0.1:{port} failed: port is already allocated")
    # a port some other process holds
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        held = other.getsockname()[1]
        await _create(api, "web3", ExposedPorts={"80/tcp": {}},
                      HostConfig={"PortBindings": {"80/tcp": [{"HostIp": "127.0.0.1", "HostPort": str(held)}]}})
        message = await _error(await api.post("/v1.50/containers/web3/start"), 500)
        assert message.endswith(f"): failed to bind host port for 127.0.0.1:{held}:172.17.0.3:80/tcp: "
                                "address already in use")
    assert (await api.post("/v1.50/containers/web/kill")).status == 204
    await asyncio.sleep(0.05)
    info = await _json(await api.get("/v1.50/containers/web/json"))
    assert info["NetworkSettings"]["Ports"] == {}
    assert (await api.post("/v1.50/containers/web2/start")).status == 204  # the port was freed


async def _echo_server(proc, argv):
    """A test program: accepts on argv[1], sends back what it reads in
    upper case, closes after the peer's EOF."""
    fd = proc.socket(abi.AF_INET, abi.SOCK_STREAM)
    proc.bind(fd, ("0.0.0.0", int(argv[1])))
    proc.listen(fd)
    while True:
        conn, _ = await proc.accept(fd)
        while True:
            data = await proc.recv(conn, 65536)
            if not data:
                break
            await proc.send(conn, data.upper())
        proc.close(conn)


register("test-echo-server", _echo_server)


def _tar(name: str, data: bytes) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        info = tarfile.TarInfo(name)
        info.size, info.mode = len(data), 0o755
        tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


async def _roundtrip(port: int, payload: bytes) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(payload)
    await writer.drain()
    writer.write_eof()
    data = await asyncio.wait_for(reader.read(), 5)
    writer.close()
    return data


async def test_a_published_port_reaches_the_program_in_the_container(api):
    cid = (await _create(api, "echo", Cmd=["/echo", "7000"], ExposedPorts={"7000/tcp": {}},
                         HostConfig={"PortBindings": {"7000/tcp": [{"HostIp": "127.0.0.1"}]}}))["Id"]
    resp = await api.put(f"/v1.50/containers/{cid}/archive?path=/", data=_tar("echo", marker("test-echo-server")))
    assert resp.status == 200, await resp.text()
    assert (await api.post("/v1.50/containers/echo/start")).status == 204
    info = await _json(await api.get("/v1.50/containers/echo/json"))
    port = int(info["NetworkSettings"]["Ports"]["7000/tcp"][0]["HostPort"])
    assert 32768 <= port <= 60999
    assert await _roundtrip(port, b"hello") == b"HELLO"
    big = b"x" * 300_000  # more than the buffers hold: back-pressure both ways
    assert await _roundtrip(port, big) == big.upper()
    assert (await api.post("/v1.50/containers/echo/kill")).status == 204
    await asyncio.sleep(0.05)
    with pytest.raises(OSError):
        await _roundtrip(port, b"gone")


async def test_nothing_listening_inside_closes_the_client_at_once():
    proxy = PortProxy(connect=lambda ip, port: (_ for _ in ()).throw(OSError("ECONNREFUSED")))
    published = proxy.publish("c" * 64, [Request(80, "tcp", "127.0.0.1")], "172.17.0.2")
    port = int(published["80/tcp"][0]["HostPort"])
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    assert await asyncio.wait_for(reader.read(), 5) == b""
    writer.close()
    proxy.close()
    with pytest.raises(OSError):
        await asyncio.open_connection("127.0.0.1", port)


async def test_ps_filters_network_publish_and_expose(api):
    await _json(await api.post("/v1.50/networks/create", json={"Name": "flt"}), 201)
    await _create(api, "on-flt", HostConfig={"NetworkMode": "flt"}, ExposedPorts={"99/tcp": {}})
    await _create(api, "on-bridge", ExposedPorts={"80/tcp": {}},
                  HostConfig={"PortBindings": {"80/tcp": [{"HostIp": "127.0.0.1"}]}})
    for name in ("on-flt", "on-bridge"):
        assert (await api.post(f"/v1.50/containers/{name}/start")).status == 204

    async def names(**kw):
        rows = await _json(await api.get("/v1.50/containers/json?" + _filters(**kw)))
        return sorted(r["Names"][0][1:] for r in rows)

    assert await names(network="flt") == ["on-flt"]
    assert await names(network="bridge") == ["on-bridge"]
    assert await names(expose="90-100") == ["on-flt"]
    assert await names(expose="80/tcp") == ["on-bridge"]
    port = (await _json(await api.get("/v1.50/containers/on-bridge/json")))["NetworkSettings"]["Ports"]["80/tcp"][0]["HostPort"]
    assert await names(publish=port) == ["on-bridge"]
    assert await _error(await api.get("/v1.50/containers/json?" + _filters(publish="1:2")), 400) == \
        "filter for 'publish' should not contain ':': 1:2"


async def test_sctp_ports_are_refused_not_faked_and_udp_ports_publish(api):
    resp = await api.post("/v1.50/containers/create", json={
        "Image": "busybox", "ExposedPorts": {"9/sctp": {}},
        "HostConfig": {"PortBindings": {"9/sctp": [{"HostPort": "9999"}]}}})
    assert await _error(resp, 400) == "publishing sctp ports is not supported by dockersim yet"
    await _create(api, "sctp", ExposedPorts={"9/sctp": {}}, HostConfig={"PublishAllPorts": True})
    assert await _error(await api.post("/v1.50/containers/sctp/start"), 400) == \
        "failed to set up container networking: publishing sctp ports is not supported by dockersim yet"
    # exposed only: fine, and shown
    await _create(api, "dns2", ExposedPorts={"53/udp": {}})
    assert (await api.post("/v1.50/containers/dns2/start")).status == 204
    info = await _json(await api.get("/v1.50/containers/dns2/json"))
    assert info["NetworkSettings"]["Ports"] == {"53/udp": None}
    # UDP publishes: a real datagram socket on the host
    await _create(api, "dns", ExposedPorts={"53/udp": {}}, HostConfig={"PublishAllPorts": True})
    assert (await api.post("/v1.50/containers/dns/start")).status == 204
    info = await _json(await api.get("/v1.50/containers/dns/json"))
    port = int(info["NetworkSettings"]["Ports"]["53/udp"][0]["HostPort"])
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        with pytest.raises(OSError):
            probe.bind(("0.0.0.0", port))  # held by the proxy


async def test_prune_filters(api):
    for name, labels in (("keep", {"keep": "1"}), ("drop", {})):
        await _json(await api.post("/v1.50/networks/create", json={"Name": name, "Labels": labels}), 201)
    resp = await api.post("/v1.50/networks/prune?filters=" + json.dumps({"label!": ["keep"]}))
    assert await _json(resp) == {"NetworksDeleted": ["drop"]}
    resp = await api.post("/v1.50/networks/prune?filters=" + json.dumps({"until": ["2000-01-01"]}))
    assert await _json(resp) == {"NetworksDeleted": None}
    assert await _error(await api.post("/v1.50/networks/prune?filters=" + json.dumps({"x": ["1"]})), 400) == \
        "invalid filter 'x'"


async def test_networks_and_their_subnets_survive_a_daemon_restart(make_api_client, tmp_path):
    from dockersim.daemon.backend.engine import Engine

    engine = Engine(str(tmp_path / "data"), seed=3)
    api = await make_api_client(engine)
    await _json(await api.post("/v1.50/networks/create", json={"Name": "first"}), 201)
    await _json(await api.post("/v1.50/networks/create", json={"Name": "second"}), 201)
    assert (await api.delete("/v1.50/networks/first")).status == 204  # 172.18.0.0/16 is free again
    before = {n["Name"]: (n["Id"], n["IPAM"]["Config"]) for n in await _json(await api.get("/v1.50/networks"))}
    await engine.close()
    engine = Engine(str(tmp_path / "data"), seed=4)
    api = await make_api_client(engine)
    after = {n["Name"]: (n["Id"], n["IPAM"]["Config"]) for n in await _json(await api.get("/v1.50/networks"))}
    assert after == before
    assert after["second"][1] == [{"Subnet": "172.19.0.0/16", "Gateway": "172.19.0.1"}]
    created = await _json(await api.post("/v1.50/networks/create", json={"Name": "third"}), 201)
    third = await _json(await api.get(f"/v1.50/networks/{created['Id']}"))
    assert third["IPAM"]["Config"] == [{"Subnet": "172.18.0.0/16", "Gateway": "172.18.0.1"}]
    await engine.close()


async def test_link_local_ips_are_said_and_a_mapped_ipv4_is_unmapped(api, caplog):
    await _json(await api.post("/v1.50/networks/create", json={
        "Name": "ll", "IPAM": {"Config": [{"Subnet": "10.8.0.0/24"}]}}), 201)
    answer = await _create(api, "lnk", HostConfig={"NetworkMode": "ll"}, NetworkingConfig={
        "EndpointsConfig": {"ll": {"IPAMConfig": {"IPv4Address": "::ffff:10.8.0.9",
                                                  "LinkLocalIPs": ["169.254.1.1"]}}}})
    assert answer["Warnings"] == [
        "The link-local addresses 169.254.1.1 for network ll are recorded but not simulated: "
        "the container's interface has only its network address"]
    assert (await api.post("/v1.50/containers/lnk/start")).status == 204
    info = await _json(await api.get("/v1.50/containers/lnk/json"))
    assert info["NetworkSettings"]["Networks"]["ll"]["IPAddress"] == "10.8.0.9"
    await _json(await api.post("/v1.50/networks/create", json={"Name": "ll2"}), 201)
    resp = await api.post("/v1.50/networks/ll2/connect", json={
        "Container": "lnk", "EndpointConfig": {"IPAMConfig": {"LinkLocalIPs": ["169.254.2.2"]}}})
    assert resp.status == 200
    assert any("169.254.2.2 for network ll2 are recorded but not simulated" in r.getMessage()
               for r in caplog.records)
