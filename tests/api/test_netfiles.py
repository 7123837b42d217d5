"""The network files Docker writes for each container: /etc/resolv.conf
from the host's (localhost and IPv6 nameservers dropped), /etc/hosts with
the container's address, /etc/hostname."""

import pytest

from dockersim.daemon.backend.netfiles import container_resolv_conf, etc_hosts

from .test_containers import demux, run


@pytest.mark.parametrize("host_conf, expected", [
    (b"nameserver 192.168.1.1\nnameserver 127.0.0.1\n", b"nameserver 192.168.1.1\n"),
    (b"# comment\nnameserver 127.1.2.3\nnameserver ::1\n",
     b"# comment\nnameserver 8.8.8.8\nnameserver 8.8.4.4\n"),
    (b"nameserver 2001:4860:4860::8888\nnameserver 1.1.1.1\n", b"nameserver 1.1.1.1\n"),
    (b"", b"nameserver 8.8.8.8\nnameserver 8.8.4.4\n"),
    (b"search example.com\nnameserver\t10.0.0.2  \n", b"search example.com\nnameserver\t10.0.0.2  \n"),
])
def test_resolv_conf_drops_localhost_nameservers(host_conf, expected):
    assert container_resolv_conf(host_conf) == expected


def test_etc_hosts_names_the_container_at_its_address():
    text = etc_hosts("0b1c2d3e4f5a", "172.17.0.2").decode()
    assert text.startswith("127.0.0.1\tlocalhost\n")
    assert text.endswith("172.17.0.2\t0b1c2d3e4f5a\n")


async def _cat(api, path):
    cid, _ = await run(api, ["cat", path])
    return demux(await (await api.get(f"/v1.50/containers/{cid}/logs?stdout=1")).read())[0]


async def test_a_containers_resolv_conf_follows_the_simulated_hosts(api):
    out = await _cat(api, "/etc/resolv.conf")
    assert out == b"nameserver 10.0.2.3\n"  # the simulated host's own file
    resp = await api.post("/dockersim/host/exec", json={
        "Cmd": ["sh", "-c", "printf 'nameserver 127.0.0.53\\noptions edns0 trust-ad\\nsearch lan\\n'"
                            " > /etc/resolv.conf"]})
    assert resp.status == 200, await resp.text()
    out = await _cat(api, "/etc/resolv.conf")
    assert out == (b"options edns0 trust-ad\nsearch lan\n"
                   b"nameserver 8.8.8.8\nnameserver 8.8.4.4\n")


def test_etc_hosts_lists_extra_hosts_before_the_container_as_libnetwork_does():
    text = etc_hosts("web", "172.17.0.2", domainname="example.com",
                     extra_hosts=["db:10.0.0.5", "gw:host-gateway", "v6:2001:DB8::0001",
                                  "mapped:::ffff:10.1.2.3"]).decode()
    assert text == ("127.0.0.1\tlocalhost\n"
                    "::1\tlocalhost ip6-localhost ip6-loopback\n"
                    "fe00::\tip6-localnet\n"
                    "ff00::\tip6-mcastprefix\n"
                    "ff02::1\tip6-allnodes\n"
                    "ff02::2\tip6-allrouters\n"
                    "10.0.0.5\tdb\n"
                    "172.17.0.1\tgw\n"
                    "2001:db8::1\tv6\n"
                    "::ffff:10.1.2.3\tmapped\n"
                    "172.17.0.2\tweb.example.com web\n")
    assert etc_hosts("box", "").decode().endswith("ff02::2\tip6-allrouters\n")  # no network: no line


@pytest.mark.parametrize("extra, message", [
    ("nocolon", 'bad format for add-host: "nocolon"'),
    (":1.2.3.4", 'bad format for add-host: ":1.2.3.4"'),
    ("db:1.2.3", 'invalid IP address in add-host: "1.2.3"'),
])
async def test_bad_extra_hosts_are_refused_at_create(api, extra, message):
    resp = await api.post("/v1.50/containers/create", json={
        "Image": "busybox", "Cmd": ["true"], "HostConfig": {"ExtraHosts": [extra]}})
    assert resp.status == 400
    assert (await resp.json())["message"] == message


async def test_add_host_reaches_etc_hosts(api):
    cid, _ = await run(api, ["cat", "/etc/hosts"], HostConfig={"ExtraHosts": ["db:10.0.0.5"]})
    out = demux(await (await api.get(f"/v1.50/containers/{cid}/logs?stdout=1")).read())[0]
    assert out.endswith(b"ff02::2\tip6-allrouters\n10.0.0.5\tdb\n172.17.0.2\t" + cid[:12].encode() + b"\n")


async def test_network_none_has_no_address_anywhere(api):
    resp = await api.post("/v1.50/containers/create?name=offline", json={
        "Image": "busybox", "Cmd": ["sh", "-c", "cat /etc/hosts; sleep 100"],
        "HostConfig": {"NetworkMode": "none"}})
    assert resp.status == 201
    assert (await api.post("/v1.50/containers/offline/start")).status == 204
    info = await (await api.get("/v1.50/containers/offline/json")).json()
    settings = info["NetworkSettings"]
    assert list(settings["Networks"]) == ["none"]
    none = settings["Networks"]["none"]
    assert (none["IPAddress"], none["Gateway"], none["MacAddress"], none["IPPrefixLen"]) == ("", "", "", 0)
    assert len(none["NetworkID"]) == 64 and len(none["EndpointID"]) == 64
    assert (settings["IPAddress"], settings["EndpointID"], settings["Gateway"]) == ("", "", "")
    row = (await (await api.get("/v1.50/containers/json?filters=" + '{"name":["offline"]}')).json())[0]
    assert row["HostConfig"]["NetworkMode"] == "none" and list(row["NetworkSettings"]["Networks"]) == ["none"]
    assert (await api.post("/v1.50/containers/offline/kill")).status == 204
    out = demux(await (await api.get("/v1.50/containers/offline/logs?stdout=1")).read())[0]
    assert out.endswith(b"ff02::2\tip6-allrouters\n")


async def test_an_unknown_network_fails_the_start_as_moby_does(api):
    resp = await api.post("/v1.50/containers/create", json={
        "Image": "busybox", "Cmd": ["true"], "HostConfig": {"NetworkMode": "nosuchnet"}})
    assert resp.status == 201  # moby creates it: the network is looked up at start
    cid = (await resp.json())["Id"]
    resp = await api.post(f"/v1.50/containers/{cid}/start")
    assert resp.status == 404
    assert (await resp.json())["message"] == "network nosuchnet not found"
    info = await (await api.get(f"/v1.50/containers/{cid}/json")).json()
    assert (info["State"]["Status"], info["State"]["Error"]) == ("created", "network nosuchnet not found")


@pytest.mark.parametrize("mode", ["host", "container:abc"])
async def test_network_modes_not_simulated_yet_are_refused_not_faked(api, mode):
    resp = await api.post("/v1.50/containers/create", json={
        "Image": "busybox", "Cmd": ["true"], "HostConfig": {"NetworkMode": mode}})
    assert resp.status == 400
    assert (await resp.json())["message"] == f'network mode "{mode}" is not supported by dockersim yet'


async def test_build_containers_follow_network_none_and_add_host(api):
    from .test_build import build, stream_text

    dockerfile = b"FROM busybox\nRUN tail -n 2 /etc/hosts\n"
    status, messages = await build(api, {"Dockerfile": dockerfile}, networkmode="none",
                                   extrahosts=["db:10.0.0.5"])
    assert status == 200, messages
    assert "ff02::2\tip6-allrouters\n10.0.0.5\tdb\n" in stream_text(messages)
