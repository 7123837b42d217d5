"""Legacy links (daemon/backend/links.py): moby's link variables, the
link names, and ``DELETE /containers/{name}?link=1``."""

from __future__ import annotations

from dockersim.daemon.backend import links


def test_link_variables_as_moby_writes_them():
    env = links.env_vars("/web/db-1", "172.17.0.2", ["FOO=1", "PATH=/x", "HOME=/h", "BAR"],
                         {"53/udp": {}, "81/tcp": {}, "80/tcp": {}, "90/tcp": {}})
    assert env == [
        "DB_1_PORT=tcp://172.17.0.2:80",
        "DB_1_PORT_80_TCP=tcp://172.17.0.2:80", "DB_1_PORT_80_TCP_ADDR=172.17.0.2",
        "DB_1_PORT_80_TCP_PORT=80", "DB_1_PORT_80_TCP_PROTO=tcp",
        "DB_1_PORT_81_TCP=tcp://172.17.0.2:81", "DB_1_PORT_81_TCP_ADDR=172.17.0.2",
        "DB_1_PORT_81_TCP_PORT=81", "DB_1_PORT_81_TCP_PROTO=tcp",
        # the range 80-81 is written when the next port (90) breaks it, after 90's own
        "DB_1_PORT_90_TCP=tcp://172.17.0.2:90", "DB_1_PORT_90_TCP_ADDR=172.17.0.2",
        "DB_1_PORT_90_TCP_PORT=90", "DB_1_PORT_90_TCP_PROTO=tcp",
        "DB_1_PORT_80_TCP_START=tcp://172.17.0.2:80", "DB_1_PORT_80_TCP_PORT_START=80",
        "DB_1_PORT_80_TCP_END=tcp://172.17.0.2:81", "DB_1_PORT_80_TCP_PORT_END=81",
        "DB_1_PORT_53_UDP=udp://172.17.0.2:53", "DB_1_PORT_53_UDP_ADDR=172.17.0.2",
        "DB_1_PORT_53_UDP_PORT=53", "DB_1_PORT_53_UDP_PROTO=udp",
        "DB_1_NAME=/web/db-1", "DB_1_ENV_FOO=1"]
    assert links.env_vars("/a/b", "10.0.0.2", None, None) == ["B_NAME=/a/b"]


async def test_link_names_in_list_inspect_and_rm_link(api):
    async def create(name, **body):
        resp = await api.post(f"/v1.50/containers/create?name={name}",
                              json={"Image": "busybox", "Cmd": ["sleep", "1000"], **body})
        assert resp.status == 201, await resp.text()

    await create("child")
    await create("parent", HostConfig={"Links": ["child:kid"]})
    listed = {c["Names"][0]: c["Names"] for c in await (await api.get("/v1.50/containers/json?all=1")).json()}
    assert listed == {"/child": ["/child", "/parent/kid"], "/parent": ["/parent"]}
    info = await (await api.get("/v1.50/containers/parent/json")).json()
    assert info["HostConfig"]["Links"] == ["/child:/parent/kid"]
    assert (await (await api.get("/v1.50/containers/parent/kid/json")).json())["Name"] == "/child"
    resp = await api.delete("/v1.50/containers/child?link=1")
    assert (resp.status, (await resp.json())["message"]) == (
        409, "Conflict, cannot remove the default link name of the container")  # moby: a 500
    resp = await api.delete("/v1.50/containers/parent/nope?link=1")
    assert (resp.status, (await resp.json())["message"]) == (404, "No such container: parent/nope")
    assert (await api.delete("/v1.50/containers/parent/kid?link=1")).status == 204
    info = await (await api.get("/v1.50/containers/parent/json")).json()
    assert info["HostConfig"]["Links"] is None
    assert (await api.get("/v1.50/containers/child/json")).status == 200
