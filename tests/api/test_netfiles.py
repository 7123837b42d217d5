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
