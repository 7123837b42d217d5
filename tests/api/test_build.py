"""``POST /build`` and ``POST /commit`` in process: the classic builder's
stream line by line, the cache, RUN in the simulated kernel, ADD/COPY,
multi-stage builds, errors before and after the stream starts, and a
client that leaves mid-build."""

import asyncio
import gzip
import io
import json
import re
import tarfile

import pytest

from dockersim.daemon.backend.build.context import Tree
from dockersim.daemon.backend.engine import Engine
from dockersim.sim.images.distro_files import ALPINE_HOSTS
from dockersim.sim.runtime.spec import RootSpec

KUBIA_DOCKERFILE = b'FROM node\nADD ./app.js /app.js\nENTRYPOINT ["node", "app.js"]\n'
APP_JS = b"console.log('hi');\n"


def context(files: dict, *, gz: bool = False) -> bytes:
    """A build context as the CLI sends it: regular files 0644, uid 0."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tf:
        for name, data in files.items():
            ti = tarfile.TarInfo(name)
            if isinstance(data, tuple):  # (kind, payload)
                kind, payload = data
                if kind == "symlink":
                    ti.type, ti.linkname = tarfile.SYMTYPE, payload
                elif kind == "dir":
                    ti.type, ti.mode = tarfile.DIRTYPE, 0o755
                tf.addfile(ti)
                continue
            ti.size, ti.mode, ti.mtime = len(data), 0o644, 1_700_000_000
            tf.addfile(ti, io.BytesIO(data))
    data = buf.getvalue()
    return gzip.compress(data) if gz else data


def params(**query):
    out = []
    for key, value in query.items():
        for v in value if isinstance(value, list) else [value]:
            out.append((key, v))
    return out


async def build(client, files, *, raw: "bytes | None" = None, **query):
    """(status, messages) of a build; messages are the decoded objects."""
    resp = await client.post("/v1.50/build", params=params(**query),
                             data=raw if raw is not None else context(files),
                             headers={"Content-Type": "application/x-tar"})
    body = await resp.read()
    if resp.status != 200:
        return resp.status, [json.loads(body)]
    text = body.decode()
    assert text.endswith("\r\n")
    return 200, [json.loads(line) for line in text.split("\r\n") if line]


def stream_text(messages) -> str:
    return "".join(m.get("stream", "") for m in messages)


@pytest.fixture
async def engine_api(make_api_client):
    engine = Engine(None, seed=7)
    client = await make_api_client(engine)
    for image in ("node", "busybox"):
        resp = await client.post(f"/v1.50/images/create?fromImage={image}&tag=latest")
        assert resp.status == 200
        await resp.read()
    yield engine, client
    await engine.close()


def files_of(engine, ref: str) -> Tree:
    """An image's files as ``COPY --from`` sees them (no init layer)."""
    img = engine.images.lookup(ref)
    root = engine.machine.runtime.rootfs(RootSpec(img.diff_ids, init_layer=False))
    return Tree.from_image(root.export())


async def test_kubia_stream_line_for_line(engine_api):
    engine, client = engine_api
    node_id = engine.images.lookup("node").id
    status, messages = await build(client, {"Dockerfile": KUBIA_DOCKERFILE, "app.js": APP_JS},
                                   dockerfile="Dockerfile", t="kubia", version="1")
    assert status == 200
    streams = [m["stream"] for m in messages if "stream" in m]
    assert streams[:3] == ["Step 1/3 : FROM node", "\n", f" ---> {node_id[7:19]}\n"]
    assert streams[3:5] == ["Step 2/3 : ADD ./app.js /app.js", "\n"]
    assert re.fullmatch(r" ---> [0-9a-f]{12}\n", streams[5])
    assert streams[6:8] == ['Step 3/3 : ENTRYPOINT ["node", "app.js"]', "\n"]
    running = re.fullmatch(r" ---> Running in ([0-9a-f]{12})\n", streams[8])
    assert running
    assert streams[9] == f" ---> Removed intermediate container {running.group(1)}\n"
    final = re.fullmatch(r" ---> ([0-9a-f]{12})\n", streams[10]).group(1)
    assert streams[11:] == [f"Successfully built {final}\n", "Successfully tagged kubia:latest\n"]
    aux = [m for m in messages if "aux" in m]
    kubia = engine.images.lookup("kubia")
    assert aux == [{"aux": {"ID": kubia.id}}] and kubia.id[7:19] == final
    # the image: node's layers, then the ADD's; ENTRYPOINT an empty layer
    node = engine.images.lookup("node")
    assert kubia.diff_ids[:-1] == node.diff_ids and len(kubia.diff_ids) == len(node.diff_ids) + 1
    history = kubia.config["history"]
    assert re.fullmatch(r"/bin/sh -c #\(nop\) ADD file:[0-9a-f]{64} in /app\.js ", history[-2]["created_by"])
    assert "empty_layer" not in history[-2]
    assert history[-1]["created_by"] == '/bin/sh -c #(nop)  ENTRYPOINT ["node" "app.js"]'
    assert history[-1]["empty_layer"] is True
    cfg = kubia.config["config"]
    assert cfg["Entrypoint"] == ["node", "app.js"] and cfg["Cmd"] is None
    assert cfg["Image"] == kubia.parent and engine.images.get(kubia.parent).parent == node.id
    assert kubia.config["container"] == running.group(1) + kubia.config["container"][12:]
    assert kubia.config["container_config"]["Cmd"] == ["/bin/sh", "-c", "#(nop) ",
                                                        'ENTRYPOINT ["node" "app.js"]']
    assert files_of(engine, "kubia").lookup("app.js").data == APP_JS
    assert list(engine.records) == []  # the ENTRYPOINT step's container is gone


async def test_rebuild_uses_the_cache_and_a_changed_file_reuses_only_from(engine_api):
    engine, client = engine_api
    files = {"Dockerfile": KUBIA_DOCKERFILE, "app.js": APP_JS}
    _, first = await build(client, files, t="k1")
    _, again = await build(client, files, t="k1")
    text = stream_text(again)
    assert text.count(" ---> Using cache\n") == 2 and "Running in" not in text
    assert [m for m in first if "aux" in m] == [m for m in again if "aux" in m]
    _, changed = await build(client, dict(files, **{"app.js": b"console.log('changed');\n"}), t="k1")
    text = stream_text(changed)
    assert "Using cache" not in text and "Running in" in text
    _, nocache = await build(client, files, nocache="1")
    assert "Using cache" not in stream_text(nocache)


async def test_run_output_stderr_and_failure(engine_api):
    engine, client = engine_api
    df = b"FROM busybox\nRUN echo out && echo err >&2\nRUN exit 3\n"
    status, messages = await build(client, {"Dockerfile": df})
    assert status == 200
    streams = [m.get("stream") for m in messages]
    i = streams.index("out\n")
    assert streams[i + 1] == "\x1b[91merr\n\x1b[0m"
    assert messages[-1] == {"errorDetail": {"code": 3, "message": "The command '/bin/sh -c exit 3' "
                                                                  "returned a non-zero code: 3"},
                            "error": "The command '/bin/sh -c exit 3' returned a non-zero code: 3"}
    # rm (the default) removes containers after steps that succeed only
    (left,) = list(engine.records)
    assert left.state.status == "exited" and left.state.exit_code == 3
    assert left.config["Cmd"] == ["/bin/sh", "-c", "exit 3"]
    _, forced = await build(client, {"Dockerfile": b"FROM busybox\nRUN exit 4\n"}, forcerm="1")
    assert stream_text(forced).count("Removed intermediate container") == 1
    assert len(engine.records) == 1
    _, kept = await build(client, {"Dockerfile": b"FROM busybox\nRUN true\n"}, rm="False")
    assert "Removed intermediate" not in stream_text(kept) and len(engine.records) == 2


async def test_run_changes_become_a_layer_with_whiteouts(engine_api):
    engine, client = engine_api
    df = b"FROM busybox\nRUN echo hi > /hello && rm /bin/vi\nRUN true\n"
    status, messages = await build(client, {"Dockerfile": df}, t="runs")
    assert status == 200, messages
    img = engine.images.lookup("runs")
    base = engine.images.lookup("busybox")
    assert len(img.diff_ids) == len(base.diff_ids) + 1  # `RUN true` changed nothing
    assert img.config["history"][-1] == {"created": img.config["history"][-1]["created"],
                                         "created_by": "/bin/sh -c true", "empty_layer": True}
    layer = engine.layers.tar(img.diff_ids[-1])
    names = tarfile.open(fileobj=io.BytesIO(layer)).getnames()
    assert "hello" in names and "bin/.wh.vi" in names
    tree = files_of(engine, "runs")
    assert tree.lookup("hello").data == b"hi\n" and tree.lookup("bin/vi") is None


async def test_quiet_prints_only_the_id_or_everything_then_the_error(engine_api):
    engine, client = engine_api
    status, messages = await build(client, {"Dockerfile": b"FROM busybox\nENV A=1\n"}, q="1", t="quiet")
    assert messages == [{"stream": engine.images.lookup("quiet").id + "\n"}]
    status, messages = await build(client, {"Dockerfile": b"FROM busybox\nRUN exit 2\n"}, q="1")
    assert messages[0] == {"stream": "Step 1/2 : FROM busybox"} and "error" in messages[-1]


async def test_errors_before_the_stream_are_statuses(engine_api):
    engine, client = engine_api

    async def err(files, **q):
        status, (body,) = await build(client, files, **q)
        return status, body["message"]

    assert await err({"Dockerfile": b"FROM busybox\nFOO bar\n"}) == (
        400, "dockerfile parse error on line 2: unknown instruction: FOO (did you mean FROM?)")
    assert await err({"x": b"y"}) == (500, "Cannot locate specified Dockerfile: Dockerfile")
    assert await err({"Dockerfile": b""}) == (400, "the Dockerfile (Dockerfile) cannot be empty")
    status, message = await err({"Dockerfile": b"# escape=x\nFROM busybox\n"})
    assert status == 400 and message.startswith("failed to parse Dockerfile: ")
    assert await err({"Dockerfile": b"FROM busybox\n"}, squash="1") == (
        400, "squash is only supported with experimental mode")
    assert await err({"Dockerfile": b"FROM busybox\n"}, target="nope") == (
        400, 'target stage "nope" could not be found')
    assert await err({"Dockerfile": b"FROM busybox\n"}, dockerfile="../Dockerfile") == (
        500, "forbidden path outside the build context: ../Dockerfile ()")
    # lower-case dockerfile is found when "Dockerfile" is not there
    status, messages = await build(client, {"dockerfile": b"FROM busybox\n"})
    assert status == 200 and "Successfully built" in stream_text(messages)
    assert list(engine.records) == []


async def test_errors_after_the_stream_starts_are_in_band(engine_api):
    engine, client = engine_api
    cases = [
        (b"FROM busybox\nADD http://example.com/f /f\n",
         'ADD failed: Get "http://example.com/f": dial tcp: lookup example.com: no such host'),
        (b"FROM busybox\nCOPY nothere /x\n",
         "COPY failed: file not found in build context or excluded by .dockerignore: "
         "stat nothere: file does not exist"),
        (b"FROM busybox\nRUN --network=none true\n",
         "the --network option requires BuildKit. Refer to https://docs.docker.com/go/buildkit/ "
         "to learn how to build images with BuildKit enabled"),
        (b"FROM busybox\nCOPY --chmod=755 Dockerfile /\n",
         "the --chmod option requires BuildKit. Refer to https://docs.docker.com/go/buildkit/ "
         "to learn how to build images with BuildKit enabled"),
        (b"FROM nosuchimage\n",
         "pull access denied for nosuchimage, repository does not exist or may require "
         "'docker login': denied: requested access to the resource is denied"),
        (b"FROM busybox\nCOPY --from=nostage /x /x\n",
         "invalid from flag value nostage: pull access denied for nostage, repository does not "
         "exist or may require 'docker login': denied: requested access to the resource is denied"),
        (b"FROM busybox\nCOPY --from=0 /x /x\n", "invalid from flag value 0: refers to current build stage"),
        (b"FROM scratch\n", "No image was generated. Is your Dockerfile empty?"),
        (b"FROM busybox\nCOPY <<EOF /x\nhi\nEOF\n", "COPY failed: no source files were specified"),
        (b"FROM busybox\nSTOPSIGNAL NOPE\n", "invalid signal: NOPE"),
        (b"FROM busybox\nWORKDIR /bin/sh\n", "Cannot mkdir: /bin/sh is not a directory"),
        (b"FROM busybox\nCOPY --chown=nobody:nosuchgroup Dockerfile /\n",
         "unable to convert uid/gid chown string to host mapping: can't find gid for group "
         "nosuchgroup: no such group: nosuchgroup"),
    ]
    for dockerfile, message in cases:
        status, messages = await build(client, {"Dockerfile": dockerfile})
        assert status == 200 and messages[0]["stream"].startswith("Step 1/")
        assert messages[-1]["error"] == message, dockerfile


async def test_dockerignore_keeps_or_drops_the_build_files(engine_api):
    engine, client = engine_api
    df = b"FROM busybox\nCOPY . /ctx/\n"
    files = {"Dockerfile": df, "keep.txt": b"k", ".dockerignore": b"Dockerfile\n.dockerignore\n"}
    status, messages = await build(client, files, t="ign")
    assert status == 200, messages
    ctx = files_of(engine, "ign").lookup("ctx")
    assert sorted(ctx.children) == ["keep.txt"]
    status, messages = await build(client, dict(files, **{".dockerignore": b"*.md\n"}), t="ign2")
    assert sorted(files_of(engine, "ign2").lookup("ctx").children) == [".dockerignore", "Dockerfile",
                                                                        "keep.txt"]


async def test_context_tars_with_dotdot_absolute_and_symlinks_stay_inside(engine_api, tmp_path):
    engine, client = engine_api
    outside = tmp_path / "escape"
    files = {"Dockerfile": b"FROM busybox\nCOPY . /ctx/\nCOPY link /l\n",
             f"../../../../../../..{outside}": b"dotdot", "/etc/abs-file": b"abs",
             "link": ("symlink", "../../../../etc/passwd")}
    status, messages = await build(client, files)
    assert status == 200
    assert messages[-1]["error"] == ("COPY failed: file not found in build context or excluded by "
                                     ".dockerignore: stat link: file does not exist")
    assert not outside.exists()
    files["Dockerfile"] = b"FROM busybox\nCOPY . /ctx/\n"
    status, messages = await build(client, files, t="confined")
    assert "error" not in messages[-1], messages[-1]
    ctx = files_of(engine, "confined")
    assert ctx.lookup("ctx/etc/abs-file").data == b"abs"
    assert ctx.lookup("ctx" + str(outside)).data == b"dotdot"
    assert ctx.lookup("ctx/link", follow_last=False).target == "../../../../etc/passwd"
    assert not outside.exists()


async def test_gzip_context_and_add_unpacks_local_archives(engine_api):
    engine, client = engine_api
    inner = io.BytesIO()
    with tarfile.open(fileobj=inner, mode="w:gz") as tf:
        for name in ("pkg/a", "../b"):
            ti = tarfile.TarInfo(name)
            ti.size, ti.uid = 1, 42
            tf.addfile(ti, io.BytesIO(b"x"))
    files = {"Dockerfile": b"FROM busybox\nADD a.tgz /opt/\nCOPY a.tgz /copied/\n",
             "a.tgz": inner.getvalue()}
    status, messages = await build(client, None, raw=context(files, gz=True), t="unpacked")
    assert "error" not in messages[-1], messages[-1]
    tree = files_of(engine, "unpacked")
    assert tree.lookup("opt/pkg/a").uid == 42 and tree.lookup("opt/b").data == b"x"
    assert tree.lookup("copied/a.tgz").data == inner.getvalue()


async def test_copy_rules_directories_wildcards_chown(engine_api):
    engine, client = engine_api
    df = (b"FROM busybox\nWORKDIR /app\nCOPY src .\nCOPY *.txt notes/\nCOPY --chown=1000:1000 one.txt owned\n"
          b"COPY one.txt /etc\n")
    files = {"Dockerfile": df, "src": ("dir", None), "src/main.js": b"m", "src/lib/": ("dir", None),
             "src/lib/x.js": b"x", "one.txt": b"1", "two.txt": b"2"}
    status, messages = await build(client, files, t="copies")
    assert "error" not in messages[-1], messages[-1]
    tree = files_of(engine, "copies")
    assert sorted(tree.lookup("app").children) == ["lib", "main.js", "notes", "owned"]
    assert sorted(tree.lookup("app/notes").children) == ["one.txt", "two.txt"]
    owned = tree.lookup("app/owned")
    assert (owned.uid, owned.gid, owned.data) == (1000, 1000, b"1")
    assert tree.lookup("etc/one.txt").data == b"1"  # /etc is a directory: the file goes in it
    history = [h["created_by"] for h in engine.images.lookup("copies").config["history"][-5:]]
    assert history[0] == "/bin/sh -c #(nop) WORKDIR /app"
    assert re.fullmatch(r"/bin/sh -c #\(nop\) COPY dir:[0-9a-f]{64} in \. ", history[1])
    assert re.fullmatch(r"/bin/sh -c #\(nop\) COPY multi:[0-9a-f]{64} in notes/ ", history[2])
    assert re.fullmatch(r"/bin/sh -c #\(nop\) COPY --chown=1000:1000 file:[0-9a-f]{64} in owned ",
                        history[3])


async def test_multi_stage_args_labels_target_and_onbuild(engine_api):
    engine, client = engine_api
    df = (b"ARG BASE=busybox\nFROM ${BASE} AS builder\nARG WHO=world\nRUN echo hello $WHO > /out\n"
          b"FROM busybox\nCOPY --from=builder /out /from-stage\nCOPY --from=busybox /bin/busybox /bb\n"
          b"ONBUILD RUN echo triggered > /t\n")
    status, messages = await build(client, {"Dockerfile": df}, t="multi", labels=json.dumps({"b": "2", "a": "1"}),
                                   buildargs=json.dumps({"WHO": "you", "UNUSED": "x"}))
    text = stream_text(messages)
    assert "error" not in messages[-1], messages[-1]
    assert "Step 1/10 : ARG BASE=busybox\n" in text and "Step 9/10 : LABEL a=1\n" in text
    assert "Step 10/10 : LABEL b=2\n" in text
    assert "[Warning] One or more build-args [UNUSED] were not consumed\n" in text
    assert len([m for m in messages if "aux" in m]) == 2
    multi = engine.images.lookup("multi")
    assert multi.config["config"]["Labels"] == {"a": "1", "b": "2"}
    assert multi.config["config"]["OnBuild"] == ["RUN echo triggered > /t"]
    tree = files_of(engine, "multi")
    assert tree.lookup("from-stage").data == b"hello you\n"
    assert tree.lookup("bb").data == files_of(engine, "busybox").lookup("bin/busybox").data
    first_stage = engine.images.get([m for m in messages if "aux" in m][0]["aux"]["ID"])
    assert first_stage.config["history"][-1]["created_by"] == "|1 WHO=you /bin/sh -c echo hello $WHO > /out"
    status, messages = await build(client, {"Dockerfile": df}, target="builder", t="only-builder")
    assert "Step 4/4 : RUN echo hello $WHO > /out\n" in stream_text(messages)
    builder = engine.images.lookup("only-builder")
    assert builder.config["history"][-1]["created_by"] == "|1 WHO=world /bin/sh -c echo hello $WHO > /out"
    status, messages = await build(client, {"Dockerfile": b"FROM multi\nRUN cat /t\n"}, t="child")
    text = stream_text(messages)
    assert "# Executing 1 build trigger\n" in text and "triggered\n" in text
    assert engine.images.lookup("child").config["config"]["OnBuild"] is None


async def test_metadata_instructions_fill_the_config(engine_api):
    engine, client = engine_api
    df = (b"FROM busybox\nENV A=1 B=\"two words\"\nEXPOSE 80 443/udp\nUSER nobody\nVOLUME /data\n"
          b"STOPSIGNAL SIGINT\nHEALTHCHECK --interval=30s --retries=3 CMD true\nSHELL [\"/bin/ash\", \"-c\"]\n"
          b"CMD echo $A\nMAINTAINER someone\nLABEL x=$A\n")
    status, messages = await build(client, {"Dockerfile": df}, t="meta")
    assert "error" not in messages[-1], messages[-1]
    img = engine.images.lookup("meta")
    cfg = img.config["config"]
    assert cfg["Env"][-2:] == ["A=1", "B=two words"]
    assert cfg["ExposedPorts"] == {"443/udp": {}, "80/tcp": {}} and cfg["Volumes"] == {"/data": {}}
    assert (cfg["User"], cfg["StopSignal"]) == ("nobody", "SIGINT")
    assert cfg["Healthcheck"] == {"Test": ["CMD-SHELL", "true"], "Interval": 30_000_000_000, "Retries": 3}
    assert cfg["Shell"] == ["/bin/ash", "-c"] and cfg["Cmd"] == ["/bin/ash", "-c", "echo $A"]
    assert cfg["Labels"] == {"x": "1"} and img.config["author"] == "someone"
    history = [h["created_by"] for h in img.config["history"][-10:]]
    assert history == [
        "/bin/sh -c #(nop)  ENV A=1 B=two words",
        "/bin/sh -c #(nop)  EXPOSE 443/udp 80",  # buildkit sorts the words
        "/bin/sh -c #(nop)  USER nobody",
        "/bin/sh -c #(nop)  VOLUME [/data]",
        "/bin/sh -c #(nop)  STOPSIGNAL SIGINT",
        "/bin/sh -c #(nop)  HEALTHCHECK &{[\"CMD-SHELL\" \"true\"] \"30s\" \"0s\" \"0s\" \"0s\" '\\x03'}",
        "/bin/ash -c #(nop)  SHELL [/bin/ash -c]",  # the new shell already
        "/bin/ash -c #(nop)  CMD [\"/bin/ash\" \"-c\" \"echo $A\"]",
        "/bin/ash -c #(nop)  MAINTAINER someone",
        "/bin/ash -c #(nop)  LABEL x=1",
    ]


async def test_a_client_leaving_mid_build_cancels_it_and_removes_its_container(engine_api):
    engine, client = engine_api
    resp = await client.post("/v1.50/build", data=context({"Dockerfile": b"FROM busybox\nRUN sleep 1000\n"}),
                             headers={"Content-Type": "application/x-tar"})
    seen = b""
    while b"Running in" not in seen:
        seen += await resp.content.readany()
    assert len(engine.records) == 1 and next(iter(engine.records)).state.running
    resp.close()
    for _ in range(100):
        if not len(engine.records) and not engine.builder.running:
            break
        await asyncio.sleep(0.05)
    assert list(engine.records) == [] and not engine.builder.running


async def test_commit_a_container(engine_api):
    engine, client = engine_api
    resp = await client.post("/v1.50/containers/create?name=c1", json={
        "Image": "busybox", "Cmd": ["sh", "-c", "echo data > /f"]})
    assert resp.status == 201
    resp = await client.post("/v1.50/containers/c1/start")
    assert resp.status == 204
    for _ in range(100):
        if not engine.records.resolve("c1").state.running:
            break
        await asyncio.sleep(0.02)
    resp = await client.post("/v1.50/commit", params=params(
        container="c1", repo="snap", tag="v1", author="me", comment="msg",
        changes=['CMD ["x"]', "ENV Z=9"]), data=b"null",
        headers={"Content-Type": "application/json"})
    assert resp.status == 201
    image_id = (await resp.json())["Id"]
    img = engine.images.lookup("snap:v1")
    assert img.id == image_id and img.parent == engine.images.lookup("busybox").id
    # moby's NewChildImage leaves the image's own comment empty: it is the
    # history entry's, and image inspect shows it from there.
    assert (img.config["author"], img.config.get("comment")) == ("me", None)
    assert img.config["config"]["Cmd"] == ["x"] and "Z=9" in img.config["config"]["Env"]
    assert img.config["config"]["Labels"] == {}
    assert img.config["container_config"]["Cmd"] == ["sh", "-c", "echo data > /f"]
    assert img.config["history"][-1]["created_by"] == "sh -c echo data > /f"
    assert img.config["history"][-1]["comment"] == "msg"
    assert engine.inspect_image("snap:v1")["Comment"] == "msg"
    assert files_of(engine, "snap:v1").lookup("f").data == b"data\n"
    resp = await client.post("/v1.50/commit", params=params(container="c1", changes="RUN x"),
                             skip_auto_headers=("Content-Type",))  # as the CLI
    assert resp.status == 400 and (await resp.json())["message"] == "RUN is not a valid change command"
    resp = await client.post("/v1.50/commit", params=params(container="nope"),
                             skip_auto_headers=("Content-Type",))  # as the CLI
    assert resp.status == 404
    resp = await client.post("/v1.50/commit", params=params(container="c1"),
                             skip_auto_headers=("Content-Type",))  # as the CLI
    assert resp.status == 201  # no repo: an untagged image


async def test_cache_from_an_image_without_its_build_history(engine_api):
    """``cachefrom``: a pulled image (no local parents) matches step by
    step through its history; the last step is the image itself."""
    engine, client = engine_api
    df = b"FROM busybox\nENV X=1\nRUN echo hi > /f\n"
    await build(client, {"Dockerfile": df}, t="cf-src")
    src = engine.images.lookup("cf-src")
    middle = src.parent
    engine.images.set_parent(src.id, None)  # as if pulled: no local build chain
    engine.images.delete(middle)
    assert engine.images.children(engine.images.lookup("busybox").id) == []
    _, plain = await build(client, {"Dockerfile": df})
    assert "Using cache" not in stream_text(plain)  # no local cache any more
    _, cached = await build(client, {"Dockerfile": df}, cachefrom=json.dumps(["cf-src"]), t="cf-new")
    text = stream_text(cached)
    assert text.count(" ---> Using cache\n") == 2 and "Running in" not in text
    assert engine.images.lookup("cf-new").id == src.id
    assert engine.images.get(src.id).parent is not None  # re-attached to the restored step


async def test_platform_option_and_from_platform(engine_api):
    engine, client = engine_api
    status, messages = await build(client, {"Dockerfile": b"FROM --platform=linux/amd64 busybox\nENV A=1\n"})
    assert "error" not in messages[-1]
    status, messages = await build(client, {"Dockerfile": b"FROM busybox\n"}, platform="linux/arm64")
    assert messages[-1]["error"] == ("image with reference busybox was found but its platform "
                                     "(linux/amd64) does not match the specified platform (linux/arm64)")
    status, (body,) = await build(client, {"Dockerfile": b"FROM busybox\n"}, platform="nope")
    assert status == 400 and "unknown operating system or architecture" in body["message"]


async def test_parser_warnings_come_first_on_stderr(engine_api):
    engine, client = engine_api
    status, messages = await build(client, {"Dockerfile": b"FROM busybox\nRUN echo a \\\n\n  b\n"})
    assert messages[0] == {"stream": "\x1b[91m[WARNING]: Empty continuation line found in: RUN echo a   b\n\x1b[0m"}
    assert messages[1] == {"stream": "\x1b[91m[WARNING]: Empty continuation lines will become errors "
                                     "in a future release.\n\x1b[0m"}
    assert messages[2] == {"stream": "Step 1/2 : FROM busybox"}


async def test_a_slow_client_holds_the_run_back(engine_api, monkeypatch):
    """A RUN writing faster than the client reads: its output is not piled
    up without bound (the build stops draining it, so the process blocks
    once its pipe is full), and all of it arrives, in order, once the
    client reads."""
    from dockersim.daemon.backend import build as build_module

    monkeypatch.setattr(build_module, "HIGH_WATER", 4)
    monkeypatch.setattr(build_module, "LOW_WATER", 1)
    engine, _client = engine_api
    df = b"FROM busybox\nRUN i=0; while [ $i -lt 300 ]; do echo line $i; i=$((i+1)); done\n"
    stream = engine.build(context({"Dockerfile": df}), {})
    first = await stream.__anext__()
    for _ in range(50):
        (job,) = engine.builder.running
        if not job.room.is_set():
            break
        await asyncio.sleep(0.02)
    assert not job.room.is_set()
    await asyncio.sleep(0.2)
    assert job in engine.builder.running and len(engine.records) == 1  # held back
    messages = [json.loads(first)] + [json.loads(m) async for m in stream]
    lines = [l for l in stream_text(messages).splitlines() if l.startswith("line ")]
    assert lines == [f"line {i}" for i in range(300)]
    assert "Successfully built" in stream_text(messages)


async def test_a_workdir_that_cannot_be_made_leaves_no_container(engine_api):
    """moby's create is all-or-nothing: a working directory it cannot make
    (``SetupWorkingDirectory``) undoes the container, so nothing is left
    for ``docker ps -a`` and its image layers are not held."""
    engine, client = engine_api
    busybox = engine.images.lookup("busybox")
    refs = engine.layers.get(busybox.top_chain_id).refcount
    for query in ({}, {"rm": "0"}):
        status, messages = await build(client, {"Dockerfile": b"FROM busybox\nWORKDIR /etc/passwd\n"},
                                       **query)
        assert messages[-1]["error"] == "Cannot mkdir: /etc/passwd is not a directory"
        assert "Running in" not in stream_text(messages)
        assert list(engine.records) == []
        assert engine.layers.get(busybox.top_chain_id).refcount == refs


async def test_symlink_loops_and_truncated_archives_are_worded_as_moby_words_them(engine_api):
    """A path that cannot be resolved in the context is moby's
    ``FullPath`` error (``forbidden path outside the build context: x
    ()``); a broken local archive fails the copy."""
    engine, client = engine_api
    loop = ("symlink", "loop")
    status, (body,) = await build(client, {"Dockerfile": ("symlink", "Dockerfile")})
    assert (status, body["message"]) == (500, "forbidden path outside the build context: Dockerfile ()")
    status, (body,) = await build(client, {"Dockerfile": b"FROM busybox\n",
                                           ".dockerignore": ("symlink", ".dockerignore")})
    assert (status, body["message"]) == (500, "forbidden path outside the build context: "
                                              ".dockerignore ()")
    status, messages = await build(client, {"Dockerfile": b"FROM busybox\nCOPY loop /x\n", "loop": loop})
    assert messages[-1]["error"] == "COPY failed: forbidden path outside the build context: loop ()"
    status, messages = await build(client, {"Dockerfile": b"FROM busybox\nCOPY lo* /x/\n", "loop": loop})
    assert messages[-1]["error"] == "COPY failed: forbidden path outside the build context: loop ()"
    # inside a copied directory a loop is copied as the symlink it is
    status, messages = await build(client, {"Dockerfile": b"FROM busybox\nCOPY . /ctx/\n", "loop": loop},
                                   t="loopy")
    assert "error" not in messages[-1], messages[-1]
    assert files_of(engine, "loopy").lookup("ctx/loop", follow_last=False).target == "loop"
    whole = io.BytesIO()
    with tarfile.open(fileobj=whole, mode="w", format=tarfile.USTAR_FORMAT) as tf:
        ti = tarfile.TarInfo("big")
        ti.size = 2000
        tf.addfile(ti, io.BytesIO(b"b" * 2000))
    status, messages = await build(client, {"Dockerfile": b"FROM busybox\nADD trunc.tar /t/\n",
                                            "trunc.tar": whole.getvalue()[:1024]})
    assert messages[-1]["error"] == "failed to copy files: unexpected EOF"


async def test_a_client_leaving_removes_only_the_container_being_run(engine_api):
    """moby's ``containerManager.Run`` force-removes the running container
    when the build is cancelled; with ``rm=0`` the earlier steps'
    containers stay, as they would after a finished build."""
    engine, client = engine_api
    df = b"FROM busybox\nRUN echo one\nENV A=1\nRUN sleep 1000\n"
    resp = await client.post("/v1.50/build", params={"rm": "0"}, data=context({"Dockerfile": df}),
                             headers={"Content-Type": "application/x-tar"})
    seen = b""
    while seen.count(b"Running in") < 3:
        seen += await resp.content.readany()
    assert len(engine.records) == 3
    running = [c for c in engine.records if c.state.running]
    assert len(running) == 1
    resp.close()
    for _ in range(100):
        if running[0].id not in engine.records and not engine.builder.running:
            break
        await asyncio.sleep(0.05)
    assert running[0].id not in engine.records and not engine.builder.running
    left = list(engine.records)
    assert len(left) == 2 and not any(c.state.running for c in left)


async def test_daemon_shutdown_cancels_running_builds(engine_api):
    """Shutting down cancels every build first (its request's context
    ends): the container it runs is removed, not stopped and kept, and the
    stream ends with the cancellation."""
    engine, _client = engine_api
    stream = engine.build(context({"Dockerfile": b"FROM busybox\nRUN sleep 1000\n"}), {"rm": ["0"]})
    seen = []
    async for message in stream:
        seen.append(json.loads(message))
        if "Running in" in seen[-1].get("stream", ""):
            break
    (container,) = list(engine.records)
    assert container.state.running
    await engine.close()
    assert list(engine.records) == []
    rest = [json.loads(m) async for m in stream]
    assert rest[-1]["error"] == "context canceled" and not engine.builder.running


async def test_cache_from_that_names_nothing_still_replaces_the_local_cache(engine_api):
    """moby makes an ``ImageCache`` whenever ``cachefrom`` is given, even if
    none of its images exists: a local child is then a hit only if a
    cache-from image descends from it, so nothing hits."""
    engine, client = engine_api
    df = {"Dockerfile": b"FROM busybox\nENV X=1\n"}
    await build(client, df)
    _, local = await build(client, df)
    assert "Using cache" in stream_text(local)
    _, messages = await build(client, df, cachefrom=json.dumps(["no-such-image"]))
    assert "Using cache" not in stream_text(messages) and "error" not in messages[-1]


async def test_copy_errors_carry_mobys_prefixes(engine_api):
    """performCopy wraps every copy error in ``failed to copy files``;
    copyFile's parent directory made for an owner (root's, or --chown's)
    adds ``failed to create new directory``, copyDirectory ``failed to
    copy directory``; COPY --from without --chown makes it plainly."""
    engine, client = engine_api
    cases = [
        (b"COPY a /etc/passwd/\n", "failed to copy files: failed to create new directory: "
                                   "mkdir /etc/passwd: not a directory"),
        (b"COPY --chown=1:1 a /etc/passwd/\n", "failed to copy files: failed to create new "
                                               "directory: mkdir /etc/passwd: not a directory"),
        (b"COPY --from=busybox /etc/group /etc/passwd/\n",
         "failed to copy files: mkdir /etc/passwd: not a directory"),
        # a destination below a file stops the in-scope walk (moby shows the
        # step root's host path before /etc)
        (b"COPY d /etc/passwd/sub/\n", "failed to copy files: lstat /etc/passwd/sub: not a directory"),
        (b"COPY d /etc/passwd\n", "failed to copy files: failed to copy directory: "
                                  "mkdir /etc/passwd: not a directory"),
    ]
    for line, message in cases:
        status, messages = await build(client, {"Dockerfile": b"FROM busybox\n" + line, "a": b"a",
                                                "d": ("dir", None), "d/f": b"f"})
        assert messages[-1]["error"] == message, line


async def test_a_step_containers_create_fills_the_committed_container_config(engine_api):
    """moby's create writes into the config it is given (newContainer's
    Hostname, merge's empty Labels): a metadata or WORKDIR step commits
    that config; RUN commits its probe config, which no create saw."""
    engine, client = engine_api
    df = b"FROM busybox\nENV A=1\nWORKDIR /w\nRUN true\n"
    status, messages = await build(client, {"Dockerfile": df}, t="hosts")
    assert "error" not in messages[-1], messages[-1]
    run = engine.images.lookup("hosts")
    workdir = engine.images.get(run.parent)
    env = engine.images.get(workdir.parent)
    for img in (env, workdir):
        cc = img.config["container_config"]
        assert cc["Hostname"] == img.config["container"][:12] and cc["Labels"] == {}
        assert img.config["config"]["Hostname"] == "" and img.config["config"]["Labels"] is None
    assert run.config["container_config"]["Hostname"] == ""
    assert run.config["container_config"]["Labels"] is None


async def test_invalid_utf8_in_the_config_is_marshalled_as_go_marshals_it(engine_api):
    """Go's encoder writes each invalid UTF-8 byte of a string as the
    escape ``\\ufffd`` (the image config goes through sim.golang's
    encoder, as docker load/import's do)."""
    engine, client = engine_api
    status, messages = await build(client, {"Dockerfile": b"FROM busybox\nLABEL a=x\xffy\n"}, t="bad-utf8")
    assert "error" not in messages[-1], messages[-1]
    data = engine.images.lookup("bad-utf8").config_bytes
    assert b'"Labels":{"a":"x\\ufffdy"}' in data


async def test_a_workdir_below_a_file_is_the_mkdir_error_itself(engine_api):
    """SetupWorkingDirectory says ``Cannot mkdir: … is not a directory``
    only when the directory itself exists as something else; when a file
    is on the way it returns MkdirAll's error (moby shows the step root's
    host path before /etc)."""
    engine, client = engine_api
    status, messages = await build(client, {"Dockerfile": b"FROM busybox\nWORKDIR /etc/passwd/x\n"})
    assert messages[-1]["error"] == "mkdir /etc/passwd: not a directory"
    assert list(engine.records) == []


async def test_chown_ids_are_numbers_only_when_atoi_reads_them(engine_api):
    """parseChownFlag: what strconv.Atoi reads is an id, used without
    reading /etc/passwd or /etc/group (FROM scratch has neither); anything
    else is a name looked up in those files."""
    engine, client = engine_api
    big = "99999999999999999999"
    status, messages = await build(client, {"Dockerfile": f"FROM busybox\nCOPY --chown={big} a /a\n".encode(),
                                            "a": b"a"})
    assert messages[-1]["error"] == ("unable to convert uid/gid chown string to host mapping: "
                                     f"can't find uid for user {big}: no such user: {big}")
    status, messages = await build(client, {"Dockerfile": b"FROM scratch\nCOPY --chown=+7:-0 a /a\n",
                                            "a": b"a"}, t="numeric-owner")
    assert "error" not in messages[-1], messages[-1]
    node = files_of(engine, "numeric-owner").lookup("a")
    assert (node.uid, node.gid) == (7, 0)
    status, messages = await build(client, {"Dockerfile": b"FROM scratch\nCOPY --chown=7:staff a /a\n",
                                            "a": b"a"})
    assert messages[-1]["error"] == ("unable to convert uid/gid chown string to host mapping: "
                                     "can't find gid for group staff: open /etc/group: no such file "
                                     "or directory")


async def test_the_creator_makes_a_build_steps_container_all_or_nothing(engine_api):
    """``Creator.create_for_build``: the builder's containers are made where
    ``docker create``'s are (id, name, Hostname written into the given
    config, path and args, the image's layers held), and ``prepare``
    failing leaves nothing behind."""
    from dockersim.daemon.errors import DockerError

    engine, _client = engine_api
    busybox = engine.images.lookup("busybox")
    refs = engine.layers.get(busybox.top_chain_id).refcount
    config = {"Cmd": ["sh", "-c", "true"], "Entrypoint": None, "Image": busybox.id}
    made = engine.creator.create_for_build(config, busybox, {"NetworkMode": "bridge"})
    assert config["Hostname"] == made.id[:12] and made.config["Hostname"] == made.id[:12]
    assert (made.path, made.args, made.image_id) == ("sh", ["-c", "true"], busybox.id)
    assert list(engine.records) == [made] and made.state.status == "created"
    assert engine.layers.get(busybox.top_chain_id).refcount == refs + 1

    def refuse(container):
        assert container.id not in engine.records
        raise DockerError("no")

    with pytest.raises(DockerError):
        engine.creator.create_for_build({"Cmd": ["x"]}, busybox, {}, prepare=refuse)
    assert list(engine.records) == [made]
    assert engine.layers.get(busybox.top_chain_id).refcount == refs + 1


async def test_commit_checks_its_config_body_as_create_does(engine_api):
    """POST /commit decodes its body into a container.CreateRequest, as
    create does: wrong JSON types are 400s, not a 500 or a stored image."""
    engine, client = engine_api
    resp = await client.post("/v1.50/containers/create?name=c2", json={"Image": "busybox", "Cmd": ["true"]})
    assert resp.status == 201
    images = len(engine.images.images())
    for body, message in [
        ({"Cmd": 5}, "invalid JSON: json: cannot unmarshal number into Go struct field "
                     "CreateRequest.Config.Cmd of type string"),
        ({"Env": "x"}, "invalid JSON: json: cannot unmarshal string into Go struct field "
                       "CreateRequest.Config.Env of type []string"),
        ({"Labels": {"a": 1}}, None),
    ]:
        resp = await client.post("/v1.50/commit", params={"container": "c2"}, json=body)
        assert resp.status == 400, body
        if message is not None:
            assert (await resp.json())["message"] == message
    assert len(engine.images.images()) == images


def layer_members(engine, diff_id: str) -> "dict[str, tarfile.TarInfo]":
    with tarfile.open(fileobj=io.BytesIO(engine.layers.tar(diff_id)), mode="r:") as tf:
        return {m.name: m for m in tf.getmembers()}


async def test_copy_works_on_the_image_without_the_init_layer(engine_api):
    """moby copies into a layer over the image alone, and reads ``--from``
    images the same way (``imageMount.NewRWLayer``): Docker's init layer
    (/.dockerenv, empty /etc/hosts, /etc/hostname, /etc/resolv.conf, the
    /etc/mtab link, /proc, /sys, /dev/pts, /dev/shm) is only under
    containers.  So the image's own /etc/hosts and the metadata of its
    directories are what COPY sees, and the layers and history say so."""
    engine, client = engine_api
    df = (b"FROM alpine:3.20\nCOPY x /etc/\nCOPY x /proc/\n"
          b"COPY --from=alpine:3.20 /etc/hosts /h\nCOPY --from=alpine:3.20 /etc/hostname /hn\n")
    status, messages = await build(client, {"Dockerfile": df, "x": b"x\n"}, t="noinit")
    assert status == 200 and "error" not in messages[-1], messages[-1]
    alpine = engine.images.lookup("alpine:3.20")
    img = engine.images.lookup("noinit")
    assert img.diff_ids[:1] == alpine.diff_ids and len(img.diff_ids) == 5
    base = layer_members(engine, alpine.diff_ids[0])
    etc, proc, hosts, hostname = (layer_members(engine, d) for d in img.diff_ids[1:])
    # COPY x /etc/: only etc/ (the image's, copied up) and the new file.
    assert sorted(etc) == ["etc", "etc/x"]
    assert (etc["etc"].mode, etc["etc"].uid, etc["etc"].gid) == (base["etc"].mode, 0, 0)
    # COPY x /proc/: alpine's /proc is 0555; the init layer's would be 0755.
    assert sorted(proc) == ["proc", "proc/x"] and proc["proc"].mode == base["proc"].mode == 0o555
    # COPY --from: alpine's files, not the init layer's empty ones.
    with tarfile.open(fileobj=io.BytesIO(engine.layers.tar(img.diff_ids[3]))) as tf:
        assert tf.extractfile("h").read() == ALPINE_HOSTS.encode() != b""
    with tarfile.open(fileobj=io.BytesIO(engine.layers.tar(img.diff_ids[4]))) as tf:
        assert tf.extractfile("hn").read() == b"localhost\n"
    files = files_of(engine, "noinit")
    assert files.lookup("etc/hosts").data == ALPINE_HOSTS.encode()
    assert files.lookup(".dockerenv") is None and files.lookup("etc/mtab") is None
    # docker history: one entry per step, sized by its layer.
    resp = await client.get("/v1.50/images/noinit/history")
    history = await resp.json()
    assert [h["Size"] for h in history[:4]] == [len(b"localhost\n"), len(ALPINE_HOSTS), 2, 2]
    assert history[2]["CreatedBy"].endswith(" in /proc/ ") and history[3]["CreatedBy"].endswith(" in /etc/ ")
    # docker save: the same layers, byte for byte.
    resp = await client.get("/v1.50/images/get", params={"names": "noinit"})
    with tarfile.open(fileobj=io.BytesIO(await resp.read())) as tf:
        manifest = json.loads(tf.extractfile("manifest.json").read())
        assert manifest[0]["Layers"] == [f"blobs/sha256/{d[7:]}" for d in img.diff_ids]
        for d in img.diff_ids:
            assert tf.extractfile(f"blobs/sha256/{d[7:]}").read() == engine.layers.tar(d)


async def test_copy_onto_scratch_sees_no_init_layer_directories(engine_api):
    """From scratch there is no /proc to copy into: the file is /proc."""
    engine, client = engine_api
    status, messages = await build(client, {"Dockerfile": b"FROM scratch\nCOPY x /proc\n", "x": b"x\n"},
                                   t="scratchproc")
    assert "error" not in messages[-1], messages[-1]
    (diff,) = engine.images.lookup("scratchproc").diff_ids
    assert sorted(layer_members(engine, diff)) == ["proc"] and layer_members(engine, diff)["proc"].isreg()
