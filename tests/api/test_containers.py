"""Containers through the HTTP API, in process (pytest-aiohttp), against the
real engine over an in-memory store: status codes, error texts and JSON
shapes the CLI and docker-py depend on."""

import io
import json
import tarfile

import pytest

from dockersim.daemon.wire.stdcopy import demux


async def start_and_wait(api, cid: str) -> dict:
    """Start a created container and wait for it to exit (the wait posted
    first, as ``docker run`` does); the wait's answer."""
    import asyncio

    wait = asyncio.ensure_future(api.post(f"/v1.50/containers/{cid}/wait?condition=next-exit"))
    await asyncio.sleep(0.05)
    resp = await api.post(f"/v1.50/containers/{cid}/start")
    assert resp.status == 204, await resp.text()
    return await (await wait).json()


async def run(api, cmd, **extra):
    body = {"Image": "busybox", "Cmd": cmd, **extra}
    resp = await api.post("/v1.50/containers/create", json=body)
    assert resp.status == 201, await resp.text()
    cid = (await resp.json())["Id"]
    return cid, await start_and_wait(api, cid)


async def test_create_start_wait_and_logs(api):
    cid, result = await run(api, ["sh", "-c", "echo out; echo err >&2; exit 3"])
    assert result == {"StatusCode": 3}
    resp = await api.get(f"/v1.50/containers/{cid}/logs?stdout=1&stderr=1")
    assert resp.headers["Content-Type"] == "application/vnd.docker.multiplexed-stream"
    out, err = demux(await resp.read())
    assert (out, err) == (b"out\n", b"err\n")


async def test_missing_image_is_404_with_dockers_text(api):
    resp = await api.post("/v1.50/containers/create", json={"Image": "nosuch"})
    assert resp.status == 404
    assert resp.headers["Content-Type"] == "application/json"
    assert (await resp.json()) == {"message": "No such image: nosuch:latest"}


async def test_name_conflict_is_409(api):
    body = {"Image": "busybox", "Cmd": ["true"]}
    first = await api.post("/v1.50/containers/create?name=dup", json=body)
    cid = (await first.json())["Id"]
    second = await api.post("/v1.50/containers/create?name=dup", json=body)
    assert second.status == 409
    message = (await second.json())["message"]
    assert message.startswith('Conflict. The container name "/dup" is already in use by container')
    assert cid in message


async def test_unknown_command_fails_start_with_runc_text(api):
    resp = await api.post("/v1.50/containers/create", json={"Image": "busybox", "Cmd": ["nosuch"]})
    cid = (await resp.json())["Id"]
    resp = await api.post(f"/v1.50/containers/{cid}/start")
    assert resp.status == 400
    assert 'exec: "nosuch": executable file not found in $PATH' in (await resp.json())["message"]
    info = await (await api.get(f"/v1.50/containers/{cid}/json")).json()
    assert info["State"]["ExitCode"] == 127 and info["State"]["Status"] == "created"


async def test_inspect_shape(api):
    cid, _ = await run(api, ["true"], Hostname="")
    info = await (await api.get(f"/v1.50/containers/{cid[:8]}/json")).json()
    assert info["Id"] == cid
    assert info["Config"]["Hostname"] == cid[:12]
    assert info["HostConfig"]["LogConfig"]["Type"] == "json-file"
    assert info["State"]["Status"] == "exited"
    assert info["State"]["StartedAt"].endswith("Z") and info["Created"].endswith("Z")
    assert info["Name"].startswith("/") and "_" in info["Name"]


async def test_list_hides_stopped_unless_all(api):
    await run(api, ["true"])
    assert await (await api.get("/v1.50/containers/json")).json() == []
    rows = await (await api.get("/v1.50/containers/json?all=1")).json()
    assert len(rows) == 1 and rows[0]["Status"].startswith("Exited (0)")
    filtered = await (await api.get("/v1.50/containers/json?all=1&filters=" +
                                    json.dumps({"status": ["running"]}))).json()
    assert filtered == []


async def test_remove_running_needs_force(api):
    resp = await api.post("/v1.50/containers/create?name=sleeper",
                          json={"Image": "busybox", "Cmd": ["sleep", "100"]})
    cid = (await resp.json())["Id"]
    assert (await api.post(f"/v1.50/containers/{cid}/start")).status == 204
    resp = await api.delete("/v1.50/containers/sleeper")
    assert resp.status == 409
    assert (await resp.json())["message"] == (
        'cannot remove container "/sleeper": container is running: stop the container before '
        "removing or force remove")
    top = await (await api.get("/v1.50/containers/sleeper/top")).json()
    assert top["Titles"][1] == "PID" and top["Processes"][0][-1] == "sleep 100"
    assert (await api.delete("/v1.50/containers/sleeper?force=1")).status == 204
    assert (await api.get(f"/v1.50/containers/{cid}/json")).status == 404


async def test_exec_runs_in_the_containers_namespaces(api):
    resp = await api.post("/v1.50/containers/create?name=box",
                          json={"Image": "busybox", "Cmd": ["sleep", "100"]})
    assert (await api.post("/v1.50/containers/box/start")).status == 204
    resp = await api.post("/v1.50/containers/box/exec", json={"Cmd": ["ps"], "AttachStdout": True})
    assert resp.status == 201
    eid = (await resp.json())["Id"]
    resp = await api.post(f"/v1.50/exec/{eid}/start", json={"Detach": False, "Tty": False})
    out, _ = demux(await resp.read())
    lines = out.decode().splitlines()
    assert lines[1].split()[0] == "1" and lines[1].split()[-2:] == ["sleep", "100"]
    info = await (await api.get(f"/v1.50/exec/{eid}/json")).json()
    assert info["ExitCode"] == 0 and info["Running"] is False
    await api.post("/v1.50/containers/box/kill")


async def test_stop_of_a_stopped_container_is_304(api):
    cid, _ = await run(api, ["true"])
    assert (await api.post(f"/v1.50/containers/{cid}/stop")).status == 304


@pytest.mark.parametrize("body, message", [
    # runconfig.loadJSON: "invalid JSON: " and Go 1.24's error path, which
    # names the embedded Config; a map's element is reported by its own type
    ([1, 2], "invalid JSON: json: cannot unmarshal array into Go value of type container.CreateRequest"),
    ({"Image": "busybox", "Env": "x"},
     "invalid JSON: json: cannot unmarshal string into Go struct field CreateRequest.Config.Env of type []string"),
    ({"Image": "busybox", "Cmd": [1, 2]},
     # StrSlice's UnmarshalJSON retries the array as a string; the decoder
     # then puts its field path on that error
     "invalid JSON: json: cannot unmarshal array into Go struct field CreateRequest.Config.Cmd of type string"),
    ({"Image": "busybox", "Labels": {"a": 1}},
     "invalid JSON: json: cannot unmarshal number into Go struct field CreateRequest.Config.Labels of type string"),
    ({"Image": "UPPER"}, "invalid reference format: repository name (library/UPPER) must be lowercase"),
])
async def test_bad_create_bodies_are_400s_and_the_daemon_goes_on(api, body, message):
    resp = await api.post("/v1.50/containers/create", data=json.dumps(body),
                          headers={"Content-Type": "application/json"})
    assert resp.status == 400
    assert (await resp.json()) == {"message": message}
    assert (await api.get("/_ping")).status == 200


async def test_a_string_cmd_is_one_argument(api):
    cid, result = await run(api, "true")
    assert result["StatusCode"] == 0


async def test_wait_conditions(api):
    cid, result = await run(api, ["sh", "-c", "exit 5"])
    # not-running on a stopped container answers at once with its exit code
    resp = await api.post(f"/v1.50/containers/{cid}/wait")
    assert (await resp.json())["StatusCode"] == 5
    resp = await api.post(f"/v1.50/containers/{cid}/wait?condition=bogus")
    assert resp.status == 400
    import asyncio

    waiting = await api.post(f"/v1.50/containers/{cid}/wait?condition=removed")
    assert waiting.status == 200  # headers at once, the body when it happens
    body = asyncio.ensure_future(waiting.json())
    await asyncio.sleep(0.05)
    assert not body.done()
    assert (await api.delete(f"/v1.50/containers/{cid}")).status == 204
    assert (await body)["StatusCode"] == 5


async def test_bridge_addresses_are_held_while_running(api):
    async def started(name):
        resp = await api.post(f"/v1.50/containers/create?name={name}",
                              json={"Image": "busybox", "Cmd": ["sleep", "100"]})
        assert resp.status == 201
        assert (await api.post(f"/v1.50/containers/{name}/start")).status == 204
        info = await (await api.get(f"/v1.50/containers/{name}/json")).json()
        return info["NetworkSettings"]["IPAddress"]

    first, second = await started("net-a"), await started("net-b")
    assert (first, second) == ("172.17.0.2", "172.17.0.3")
    await api.post("/v1.50/containers/net-a/kill")
    info = await (await api.get("/v1.50/containers/net-a/json")).json()
    assert info["NetworkSettings"]["IPAddress"] == ""
    assert await started("net-c") == "172.17.0.2"  # freed, handed out again
    assert (await api.post("/v1.50/containers/net-a/start")).status == 204
    info = await (await api.get("/v1.50/containers/net-a/json")).json()
    assert info["NetworkSettings"]["IPAddress"] == "172.17.0.4"
    for name in ("net-a", "net-b", "net-c"):
        await api.delete(f"/v1.50/containers/{name}?force=1")


async def test_restart_keeps_an_auto_remove_container(api):
    await api.post("/v1.50/containers/create?name=rm-me",
                          json={"Image": "busybox", "Cmd": ["sleep", "100"],
                                "HostConfig": {"AutoRemove": True}})
    assert (await api.post("/v1.50/containers/rm-me/start")).status == 204
    assert (await api.post("/v1.50/containers/rm-me/restart?t=0")).status == 204
    info = await (await api.get("/v1.50/containers/rm-me/json")).json()
    assert info["State"]["Running"] is True
    assert (await api.post("/v1.50/containers/rm-me/kill")).status == 204
    import asyncio

    for _ in range(50):  # --rm: gone once it exits
        if (await api.get("/v1.50/containers/rm-me/json")).status == 404:
            break
        await asyncio.sleep(0.02)
    else:
        raise AssertionError("an exited --rm container was not removed")


async def test_a_restarted_container_takes_stdin_again(api):
    await api.post("/v1.50/containers/create?name=cat-me",
                          json={"Image": "busybox", "Cmd": ["cat"], "OpenStdin": True})
    engine = api.server.app[__import__("dockersim.daemon.app", fromlist=["BACKEND"]).BACKEND]
    for word in (b"first\n", b"second\n"):
        container = engine.records.resolve("cat-me")
        assert (await api.post("/v1.50/containers/cat-me/start")).status == 204
        engine.starter.stdin(container).write(word)
        engine.starter.stdin(container).close()
        engine.poke()
        waited = await api.post("/v1.50/containers/cat-me/wait")
        assert (await waited.json())["StatusCode"] == 0
    logs = await (await api.get("/v1.50/containers/cat-me/logs?stdout=1")).read()
    assert demux(logs)[0] == b"first\nsecond\n"


async def test_a_container_keeps_its_layers_after_rmi_force(api):
    cid, _ = await run(api, ["true"])
    resp = await api.delete("/v1.50/images/busybox?force=1")
    assert resp.status == 200
    assert (await api.post(f"/v1.50/containers/{cid}/start")).status == 204
    changes = await api.get(f"/v1.50/containers/{cid}/changes")
    assert changes.status == 200


async def test_logs_tail_larger_than_the_log(api):
    cid, _ = await run(api, ["sh", "-c", "echo 1; echo 2; echo 3"])
    out = await (await api.get(f"/v1.50/containers/{cid}/logs?stdout=1&tail=5")).read()
    assert demux(out)[0] == b"1\n2\n3\n"
    bad = await api.get(f"/v1.50/containers/{cid}/logs?stdout=1&since=yesterday")
    assert bad.status == 400


async def test_rename_to_its_own_name_is_400(api):
    cid, _ = await run(api, ["true"])
    name = (await (await api.get(f"/v1.50/containers/{cid}/json")).json())["Name"][1:]
    resp = await api.post(f"/v1.50/containers/{cid}/rename?name={name}")
    assert resp.status == 400


async def test_exec_start_twice_is_a_conflict_and_detached_failures_are_errors(api):
    await api.post("/v1.50/containers/create?name=execbox",
                   json={"Image": "busybox", "Cmd": ["sleep", "100"]})
    await api.post("/v1.50/containers/execbox/start")
    eid = (await (await api.post("/v1.50/containers/execbox/exec", json={"Cmd": ["true"]})).json())["Id"]
    assert (await api.post(f"/v1.50/exec/{eid}/start", json={"Detach": True})).status == 200
    again = await api.post(f"/v1.50/exec/{eid}/start", json={"Detach": True})
    assert again.status == 409
    bad = (await (await api.post("/v1.50/containers/execbox/exec", json={"Cmd": ["nosuch"]})).json())["Id"]
    resp = await api.post(f"/v1.50/exec/{bad}/start", json={"Detach": True})
    assert resp.status == 400
    assert 'exec: "nosuch": executable file not found in $PATH' in (await resp.json())["message"]
    await api.delete("/v1.50/containers/execbox?force=1")


@pytest.mark.parametrize("host_config, message", [
    ({"RestartPolicy": {"Name": "sometimes"}},
     "invalid restart policy: unknown policy 'sometimes'; use one of 'no', 'always', "
     "'on-failure', or 'unless-stopped'"),
    ({"RestartPolicy": {"Name": "always", "MaximumRetryCount": 2}},
     "invalid restart policy: maximum retry count can only be used with 'on-failure'"),
    ({"RestartPolicy": {"Name": "always"}, "AutoRemove": True},
     "can't create 'AutoRemove' container with restart policy"),
])
async def test_invalid_restart_policies(api, host_config, message):
    resp = await api.post("/v1.50/containers/create",
                          json={"Image": "busybox", "Cmd": ["true"], "HostConfig": host_config})
    assert resp.status == 400
    assert (await resp.json())["message"] == message


async def inspect_when(api, name, predicate, tries=200):
    import asyncio

    for _ in range(tries):
        info = await (await api.get(f"/v1.50/containers/{name}/json")).json()
        if predicate(info):
            return info
        await asyncio.sleep(0.02)
    raise AssertionError(f"{name} never got there: {info['State']}")


async def test_on_failure_restarts_up_to_its_limit(api):
    await api.post("/v1.50/containers/create?name=flaky", json={
        "Image": "busybox", "Cmd": ["sh", "-c", "echo try; exit 3"],
        "HostConfig": {"RestartPolicy": {"Name": "on-failure", "MaximumRetryCount": 2}}})
    assert (await api.post("/v1.50/containers/flaky/start")).status == 204
    info = await inspect_when(api, "flaky", lambda i: i["RestartCount"] == 2
                              and i["State"]["Status"] == "exited")
    assert info["State"]["ExitCode"] == 3
    logs = await (await api.get("/v1.50/containers/flaky/logs?stdout=1")).read()
    assert demux(logs)[0] == b"try\ntry\ntry\n"  # the first run and two restarts


async def test_always_restarts_until_a_user_stops_it(api):
    await api.post("/v1.50/containers/create?name=phoenix", json={
        "Image": "busybox", "Cmd": ["sh", "-c", "sleep 0.05"],
        "HostConfig": {"RestartPolicy": {"Name": "always"}}})
    assert (await api.post("/v1.50/containers/phoenix/start")).status == 204
    await inspect_when(api, "phoenix", lambda i: i["RestartCount"] >= 2)
    rows = await (await api.get("/v1.50/containers/json?all=1")).json()
    assert any(r["Names"] == ["/phoenix"] for r in rows)
    assert (await api.post("/v1.50/containers/phoenix/stop?t=0")).status in (204, 304)
    info = await inspect_when(api, "phoenix", lambda i: i["State"]["Status"] == "exited")
    count = info["RestartCount"]
    import asyncio

    await asyncio.sleep(0.5)
    info = await (await api.get("/v1.50/containers/phoenix/json")).json()
    assert info["State"]["Status"] == "exited" and info["RestartCount"] == count
    assert (await api.delete("/v1.50/containers/phoenix")).status == 204


async def test_rmi_forgets_the_cached_layer_trees(api):
    engine = api.server.app[__import__("dockersim.daemon.app", fromlist=["BACKEND"]).BACKEND]
    cid, _ = await run(api, ["true"])
    assert engine.machine.runtime.cached_layers  # busybox's layer was read to run it
    assert (await api.delete(f"/v1.50/containers/{cid}")).status == 204
    assert (await api.delete("/v1.50/images/busybox")).status == 200
    assert engine.machine.runtime.cached_layers == []


def _engine(api):
    return api.server.app[__import__("dockersim.daemon.app", fromlist=["BACKEND"]).BACKEND]


async def test_a_working_directory_runc_cannot_make_fails_the_start_and_rm_removes_it(api):
    body = {"Image": "busybox", "Cmd": ["pwd"], "WorkingDir": "/etc/passwd/sub"}
    cid = (await (await api.post("/v1.50/containers/create?name=kept", json=body)).json())["Id"]
    resp = await api.post(f"/v1.50/containers/{cid}/start")
    assert resp.status == 400
    assert (await resp.json())["message"] == (
        "failed to create task for container: failed to create shim task: OCI runtime create "
        "failed: runc create failed: unable to start container process: error during container "
        "init: mkdir /etc/passwd: not a directory: unknown: Are you trying to mount a directory "
        "onto a file (or vice-versa)? Check if the specified host path exists and is the "
        "expected type")
    info = await (await api.get(f"/v1.50/containers/{cid}/json")).json()
    assert (info["State"]["Status"], info["State"]["ExitCode"]) == ("created", 127)
    assert info["NetworkSettings"]["IPAddress"] == ""
    body["HostConfig"] = {"AutoRemove": True}
    cid = (await (await api.post("/v1.50/containers/create", json=body)).json())["Id"]
    assert (await api.post(f"/v1.50/containers/{cid}/start")).status == 400
    assert (await api.get(f"/v1.50/containers/{cid}/json")).status == 404


async def test_any_failure_of_the_runtime_gives_back_the_address_and_removes_an_rm_container(
        api, monkeypatch):
    engine = _engine(api)

    class Broken:
        def __getattr__(self, name):
            return getattr(engine.machine.runtime, name)

        def create(self, spec, stdin=None, net=None):
            raise RuntimeError("the runtime broke")

    monkeypatch.setattr(engine.starter, "runtime", Broken())
    body = {"Image": "busybox", "Cmd": ["true"]}
    cid = (await (await api.post("/v1.50/containers/create", json=body)).json())["Id"]
    assert (await api.post(f"/v1.50/containers/{cid}/start")).status == 500
    container = engine.records.resolve(cid)
    assert (container.networks["bridge"]["IPAddress"], container.networks["bridge"]["MacAddress"]) == ("", "")
    assert engine.machine.net.network(engine.networks.by_name("bridge").id).endpoints == {}  # the address went back
    assert (container.state.status, container.state.exit_code) == ("created", 128)
    assert container.state.error == "the runtime broke"
    body["HostConfig"] = {"AutoRemove": True}
    cid = (await (await api.post("/v1.50/containers/create", json=body)).json())["Id"]
    assert (await api.post(f"/v1.50/containers/{cid}/start")).status == 500
    assert cid not in engine.records


async def test_removing_the_last_user_of_a_layer_forgets_its_cached_tree(api):
    engine = _engine(api)
    cid, _ = await run(api, ["true"])
    assert (await api.delete("/v1.50/images/busybox?force=1")).status == 200
    assert engine.machine.runtime.cached_layers  # the container still holds the layers
    assert (await api.delete(f"/v1.50/containers/{cid}")).status == 204
    assert engine.layers.layers() == [] and engine.machine.runtime.cached_layers == []


async def test_a_running_containers_changes_survive_a_killed_daemon(make_api_client, tmp_path,
                                                                   monkeypatch):
    import asyncio

    from dockersim.daemon.backend.datastore import DirStore
    from dockersim.daemon.backend.engine import Engine

    engine = Engine(str(tmp_path / "data"), seed=5)
    engine.flusher.period = 0.01
    api = await make_api_client(engine)
    await (await api.post("/v1.50/images/create?fromImage=busybox&tag=latest")).read()
    body = {"Image": "busybox", "Cmd": ["sh", "-c", "echo one > /new; read x; echo two >> /new; "
                                                    "sleep 100"], "OpenStdin": True}
    cid = (await (await api.post("/v1.50/containers/create", json=body)).json())["Id"]
    assert (await api.post(f"/v1.50/containers/{cid}/start")).status == 204
    rw = tmp_path / "data" / "containers" / cid / "rw.tar"

    async def saved(text):
        for _ in range(500):
            if rw.exists() and text in rw.read_bytes():
                return
            await asyncio.sleep(0.01)
        raise AssertionError(f"{text!r} never reached the data root")

    await saved(b"one\n")
    container = engine.records.resolve(cid)
    engine.starter.stdin(container).write(b"go\n")  # the file changes again through an open fd
    engine.poke()
    await saved(b"one\ntwo\n")
    # Nothing changed since: nothing is written.
    writes = []
    real_put = DirStore.put_bytes
    monkeypatch.setattr(DirStore, "put_bytes",
                        lambda store, key, data: writes.append(key) or real_put(store, key, data))
    engine.flusher.flush()
    assert writes == []
    # docker cp into the running container is saved at once.
    archive = io.BytesIO()
    with tarfile.open(fileobj=archive, mode="w") as tf:
        info = tarfile.TarInfo("copied")
        info.size = 3
        tf.addfile(info, io.BytesIO(b"cp\n"))
    assert (await api.put(f"/v1.50/containers/{cid}/archive?path=/tmp",
                          data=archive.getvalue())).status == 200
    assert writes == [f"containers/{cid}/rw.tar"]
    # A daemon killed now (no shutdown) and started again on the same data root:
    again = Engine(str(tmp_path / "data"), seed=6)
    try:
        assert {"Path": "/new", "Kind": 1} in again.container_changes(cid)
        assert {"Path": "/tmp/copied", "Kind": 1} in again.container_changes(cid)
        _, data = again.container_get_archive(cid, "/new")
        with tarfile.open(fileobj=io.BytesIO(data)) as tf:
            assert tf.extractfile("new").read() == b"one\ntwo\n"
    finally:
        await again.close()
        await engine.close()


async def test_a_containers_exec_instances_go_with_it_finished_or_not(api):
    engine = _engine(api)
    await api.post("/v1.50/containers/create?name=execs-go",
                   json={"Image": "busybox", "Cmd": ["sleep", "100"]})
    await api.post("/v1.50/containers/execs-go/start")
    done = (await (await api.post("/v1.50/containers/execs-go/exec", json={"Cmd": ["true"]})).json())["Id"]
    resp = await api.post(f"/v1.50/exec/{done}/start", json={"Detach": False})
    await resp.read()
    assert (await (await api.get(f"/v1.50/exec/{done}/json")).json())["Running"] is False
    never = (await (await api.post("/v1.50/containers/execs-go/exec", json={"Cmd": ["true"]})).json())["Id"]
    assert {done, never} <= set(engine.execs.by_id)
    assert (await api.delete("/v1.50/containers/execs-go?force=1")).status == 204
    assert engine.execs.by_id == {}
    assert (await api.get(f"/v1.50/exec/{done}/json")).status == 404


async def test_an_exec_that_cannot_start_closes_the_stdin_it_made(api):
    engine = _engine(api)
    await api.post("/v1.50/containers/create?name=execs-in",
                   json={"Image": "busybox", "Cmd": ["sleep", "100"]})
    await api.post("/v1.50/containers/execs-in/start")
    eid = engine.execs.exec_create("execs-in", {"Cmd": ["nosuch"], "AttachStdin": True,
                                                "AttachStdout": True})["Id"]
    written = []

    class Conn:
        async def write(self, data):
            written.append(data)
            return True

        async def close(self):
            pass

    exe = engine.execs.exec_start_check(eid)
    await engine.execs.exec_start(exe, detach=False, conn=Conn())
    assert b'exec: "nosuch": executable file not found' in b"".join(written)
    assert exe.stdin is not None and exe.stdin.closed and exe.exit_code == 127
    assert exe.handle is None  # nothing to resize: a resize answers "exec process is not started"
    await api.delete("/v1.50/containers/execs-in?force=1")


async def test_the_services_reach_the_runtime_from_the_engine_not_through_processes(api):
    import ast
    import pathlib

    from dockersim.daemon.backend import hostexec

    engine = _engine(api)
    assert not hasattr(engine.processes, "runtime")
    assert engine.execs.runtime is engine.hostexec.runtime is engine.machine.runtime
    imports = {node.module for node in ast.walk(ast.parse(pathlib.Path(hostexec.__file__).read_text()))
               if isinstance(node, ast.ImportFrom)}
    assert "sim.errors" not in {m.lstrip(".") for m in imports if m}
    assert await engine.host_exec(["nosuch"]) == (127, b"", b"nosuch: No such file or directory\n")


async def test_null_inside_string_lists_and_maps_decodes_as_go_does(api):
    body = {"Image": "busybox", "Cmd": ["echo", None, "x"], "Labels": {"a": None},
            "Entrypoint": None, "Env": None}
    resp = await api.post("/v1.50/containers/create", json=body)
    assert resp.status == 201, await resp.text()
    info = await (await api.get(f"/v1.50/containers/{(await resp.json())['Id']}/json")).json()
    assert info["Config"]["Cmd"] == ["echo", "", "x"] and info["Config"]["Labels"] == {"a": ""}
    # An Env entry that is null is "", which moby's ValidateEnv refuses.
    for env, shown in ((["A=1", None], ""), (["=x"], "=x")):
        resp = await api.post("/v1.50/containers/create", json={"Image": "busybox", "Env": env})
        assert resp.status == 400
        assert (await resp.json())["message"] == f"invalid environment variable: {shown}"


async def _created(api, name, labels=None):
    resp = await api.post(f"/v1.50/containers/create?name={name}",
                          json={"Image": "busybox", "Cmd": ["true"], "Labels": labels or {}})
    assert resp.status == 201
    return (await resp.json())["Id"]


async def test_container_list_filters_are_mobys_filters_args(api):
    await _created(api, "f-a", {"tier": "web"})
    await _created(api, "f-b", {"tier": "db"})

    async def names(filters):
        resp = await api.get("/v1.50/containers/json", params={"all": "1", "filters": filters})
        assert resp.status == 200, await resp.text()
        return sorted(r["Names"][0] for r in await resp.json())

    assert await names(json.dumps({"label": {"tier=web": True}})) == ["/f-a"]
    assert await names(json.dumps({"label": ["tier"]})) == ["/f-a", "/f-b"]  # the legacy form
    assert await names(json.dumps({"name": {"f-b": True}, "label": {"tier": True}})) == ["/f-b"]
    for filters, message in ((json.dumps({"colour": {"x": True}}), "invalid filter 'colour'"),
                             ("{nope", "invalid filter")):
        resp = await api.get("/v1.50/containers/json", params={"all": "1", "filters": filters})
        assert (resp.status, (await resp.json())["message"]) == (400, message)


async def test_container_prune_takes_label_not_label_and_until(api):
    keep = await _created(api, "p-keep", {"keep": "yes"})
    gone = await _created(api, "p-gone", {"keep": "no"})

    async def prune(filters):
        resp = await api.post("/v1.50/containers/prune", params={"filters": json.dumps(filters)})
        return resp.status, await resp.json()

    assert await prune({"nope": {"x": True}}) == (400, {"message": "invalid filter 'nope'"})
    assert await prune({"until": {"1h": True, "2h": True}}) == (
        400, {"message": "more than one until filter specified"})
    assert await prune({"until": {"abc": True}}) == (
        400, {"message": 'failed to parse value as time or duration: "abc"'})
    # Created just now: not before "an hour ago".
    assert await prune({"until": {"1h": True}}) == (200, {"ContainersDeleted": None, "SpaceReclaimed": 0})
    status, report = await prune({"label!": {"keep=yes": True}, "until": {"2999-01-01": True}})
    assert status == 200 and report["ContainersDeleted"] == [gone]
    assert [c.id for c in _engine(api).records] == [keep]


async def test_a_body_that_is_not_json_is_refused_as_moby_does(api):
    """moby's CheckForJSON: create, commit and exec want application/json
    when there is a body; no Content-Type is fine without one."""
    resp = await api.post("/v1.50/containers/create", data=b'{"Image": "busybox"}',
                          headers={"Content-Type": "text/plain"})
    assert resp.status == 400
    assert (await resp.json()) == {
        "message": "unsupported Content-Type header (text/plain): must be 'application/json'"}
    resp = await api.post("/v1.50/containers/create", data=b'{"Image": "busybox", "Cmd": ["true"]}',
                          headers={"Content-Type": "application/json; charset=utf-8"})
    assert resp.status == 201
    cid = (await resp.json())["Id"]
    resp = await api.post(f"/v1.50/commit?container={cid}", data=b"{}",
                          headers={"Content-Type": "application/x-tar"})
    assert resp.status == 400
    resp = await api.post(f"/v1.50/commit?container={cid}", skip_auto_headers=("Content-Type",))
    assert resp.status == 201  # the CLI sends no body and no Content-Type


async def test_a_relative_working_dir_is_refused_and_an_absolute_one_cleaned(api):
    resp = await api.post("/v1.50/containers/create", json={"Image": "busybox", "WorkingDir": "app"})
    assert resp.status == 400
    assert (await resp.json())["message"] == ("the working directory 'app' is invalid, it needs "
                                              "to be an absolute path")
    resp = await api.post("/v1.50/containers/create",
                          json={"Image": "busybox", "Cmd": ["pwd"], "WorkingDir": "/srv//app/./x/.."})
    cid = (await resp.json())["Id"]
    info = await (await api.get(f"/v1.50/containers/{cid}/json")).json()
    assert info["Config"]["WorkingDir"] == "/srv/app"


async def test_inspect_host_config_has_every_go_field_in_gos_order(api):
    """A sparse create (docker-py sends only what it was given): inspect's
    HostConfig still has every field dockerd encodes, at its Go zero value,
    in Go's declaration order; omitempty ones are left out when empty."""
    resp = await api.post("/v1.50/containers/create", json={"Image": "busybox", "Cmd": ["true"]})
    cid = (await resp.json())["Id"]
    hc = (await (await api.get(f"/v1.50/containers/{cid}/json")).json())["HostConfig"]
    keys = list(hc)
    assert keys[:10] == ["Binds", "ContainerIDFile", "LogConfig", "NetworkMode", "PortBindings",
                         "RestartPolicy", "AutoRemove", "VolumeDriver", "VolumesFrom", "ConsoleSize"]
    assert keys[-3:] == ["IOMaximumBandwidth", "MaskedPaths", "ReadonlyPaths"]
    assert (hc["Memory"], hc["CpuShares"], hc["Ulimits"], hc["OomScoreAdj"]) == (0, 0, None, 0)
    assert not {"Annotations", "StorageOpt", "Tmpfs", "Sysctls", "KernelMemory", "Mounts",
                "Init"} & set(hc)
    resp = await api.post("/v1.50/containers/create", json={
        "Image": "busybox", "HostConfig": {"Init": True, "Tmpfs": {"/t": ""}}})
    hc = (await (await api.get(f"/v1.50/containers/{(await resp.json())['Id']}/json")).json())["HostConfig"]
    assert (hc["Init"], hc["Tmpfs"]) == (True, {"/t": ""})


async def test_attach_to_a_restarting_container_is_a_conflict(api):
    """moby's ContainerAttach: a container waiting out its restart delay
    is refused (409) on both attach routes."""
    await api.post("/v1.50/containers/create?name=bouncer", json={
        "Image": "busybox", "Cmd": ["false"], "HostConfig": {"RestartPolicy": {"Name": "always"}}})
    assert (await api.post("/v1.50/containers/bouncer/start")).status == 204
    await inspect_when(api, "bouncer", lambda i: i["State"]["Status"] == "restarting")
    for path in ("attach?stream=1&stdout=1", "attach/ws?stream=1&stdout=1"):
        resp = await api.request("POST" if path.startswith("attach?") else "GET",
                                 f"/v1.50/containers/bouncer/{path}")
        assert (resp.status, (await resp.json())["message"]) == (
            409, "container bouncer is restarting, wait until the container is running"), path
    assert (await api.delete("/v1.50/containers/bouncer?force=1")).status == 204
