"""Daemon start-up after a crash, on a data root prepared by hand: the
temporary files of atomic writes are gone, so are container folders with
no record (a create cut short), and ``--rm`` containers (and removals under
way) are removed, as moby's restore does."""

import json
import os

from dockersim.daemon.backend.engine import Engine


async def test_startup_removes_leftovers(make_api_client, tmp_path):
    root = tmp_path / "data"
    engine = Engine(str(root), seed=1)
    api = await make_api_client(engine)
    resp = await api.post("/v1.50/images/create?fromImage=docker.io%2Flibrary%2Fbusybox&tag=latest")
    assert resp.status == 200
    await resp.read()
    ids = {}
    for name, extra in (("keep", {}), ("rm", {"HostConfig": {"AutoRemove": True}}),
                        ("rm_running", {"HostConfig": {"AutoRemove": True}}), ("removing", {})):
        resp = await api.post(f"/v1.50/containers/create?name={name}",
                              json={"Image": "busybox", "Cmd": ["true"], **extra})
        assert resp.status == 201, await resp.text()
        ids[name] = (await resp.json())["Id"]
    await engine.close()
    await api.close()

    containers = root / "containers"
    # as a SIGKILLed daemon leaves them
    for name, status in (("rm_running", "running"), ("removing", "removing")):
        path = containers / ids[name] / "config.v2.json"
        doc = json.loads(path.read_text())
        doc["state"]["status"] = status
        path.write_text(json.dumps(doc))
    (containers / ids["keep"] / ".tmp-config.v2.json123").write_text('{"half')
    half = containers / ("f" * 64)
    half.mkdir()
    (half / ".tmp-config.v2.json456").write_text('{"id"')
    empty = containers / ("e" * 64)
    empty.mkdir()
    (root / ".tmp-engine-id.json789").write_text("")
    (root / "blobs" / "sha256" / ".tmp-0001").write_bytes(b"x")

    engine = Engine(str(root), seed=2)
    try:
        assert sorted(c.name for c in engine.records) == ["keep"]
        leftovers = [os.path.join(d, f) for d, _, files in os.walk(root) for f in files
                     if f.startswith(".tmp-")]
        assert leftovers == []
        assert sorted(os.listdir(containers)) == [ids["keep"]]
        assert (containers / ids["keep"] / "config.v2.json").is_file()
    finally:
        await engine.close()
