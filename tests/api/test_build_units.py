"""The classic builder's pieces without an event loop: the context tree
(tar safety, symlinks in scope), tarsum against moby's own vectors, the
image config shape (NewChildImage), the cache's config comparison, the
query options and the copy rules."""

import gzip
import hashlib
import io
import json
import shutil
import subprocess
import tarfile
from types import SimpleNamespace

import pytest

from dockersim.daemon.backend.build import args as A
from dockersim.daemon.backend.build import context as C
from dockersim.daemon.backend.build import copy as CP
from dockersim.daemon.backend.build.cache import compare
from dockersim.daemon.backend.build.dispatch import (build_from_config, normalize_workdir,
                                                     parse_port_specs, parse_signal)
from dockersim.daemon.backend.build.options import BuildOptions, parse_platform
from dockersim.daemon.backend.commit import EMPTY_TAR, child_image, go_config, merge_configs
from dockersim.daemon.errors import InvalidParameter, NotImplementedYet
from dockersim.daemon.errors import SystemError as DockerSystemError
from dockersim.sim.clock import ManualClock
from dockersim.sim.golang import marshal
from dockersim.sim.runtime.sandbox import Runtime
from dockersim.sim.runtime.spec import RootSpec

MOBY = "/work/.mirror/moby+moby/repo"


def tar_of(entries, fmt=tarfile.PAX_FORMAT) -> bytes:
    """entries: (name, kind, data-or-target, mode)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=fmt) as tf:
        for name, kind, payload, mode in entries:
            ti = tarfile.TarInfo(name)
            ti.mode, ti.mtime = mode, 1_700_000_000
            if kind == "file":
                ti.size = len(payload)
                tf.addfile(ti, io.BytesIO(payload))
            elif kind == "dir":
                ti.type = tarfile.DIRTYPE
                tf.addfile(ti)
            elif kind == "symlink":
                ti.type, ti.linkname = tarfile.SYMTYPE, payload
                tf.addfile(ti)
            elif kind == "link":
                ti.type, ti.linkname = tarfile.LNKTYPE, payload
                tf.addfile(ti)
    return buf.getvalue()


# -- tarsum ----------------------------------------------------------------------------

def _moby_file(path: str) -> bytes:
    if shutil.which("git") is None:
        pytest.skip("git is needed to read moby's test data")
    try:
        return subprocess.run(["git", "-C", MOBY, "show", f"v28.2.2:pkg/tarsum/testdata/{path}"],
                              check=True, capture_output=True).stdout
    except (subprocess.CalledProcessError, FileNotFoundError):
        pytest.skip("the moby mirror is not available")


@pytest.mark.parametrize("layer, want", [
    ("46af0962ab5afeb5ce6740d4d91652e69206fc991fd5328c1a94d364ad00e457",
     "db56e35eec6ce65ba1588c20ba6b1ea23743b59e81fb6b7f358ccbde5580345c"),
    ("xattr", "6c58917892d77b3b357b0f9ad1e28e1f4ae4de3a8006bd3beb8beda214d8fd16"),
])
def test_tarsum_v1_matches_mobys_vectors(layer, want):
    """tarsum.dev (v1 header selection) of moby's test layers: the
    per-entry sums sorted, after the image json, hashed again."""
    raw = _moby_file(f"{layer}/layer.tar")
    tree = C.Tree.from_context(raw)
    # every entry's sum (the tree keeps the first sum per name: these tars
    # have one entry per name)
    sums = sorted(tree.sums.values())
    h = hashlib.sha256(_moby_file(f"{layer}/json"))
    for s in sums:
        h.update(s.encode())
    assert h.hexdigest() == want


def test_a_files_hash_ignores_mtime_but_not_mode_or_content():
    one = C.Tree.from_context(tar_of([("app.js", "file", b"x", 0o644)]))
    two = C.Tree.from_context(tar_of([("./app.js", "file", b"x", 0o644)]))
    assert one.hash("app.js") != two.hash("app.js")  # the name as sent counts
    same = C.Tree.from_context(tar_of([("app.js", "file", b"x", 0o644)]))
    assert one.hash("app.js") == same.hash("app.js")
    assert one.hash("app.js") != C.Tree.from_context(tar_of([("app.js", "file", b"x", 0o600)])).hash("app.js")
    assert one.hash("app.js") != C.Tree.from_context(tar_of([("app.js", "file", b"y", 0o644)])).hash("app.js")


# -- the context tree -----------------------------------------------------------------

def test_context_names_are_confined_to_the_root_as_in_mobys_chroot():
    data = tar_of([("../../escape", "file", b"e", 0o644), ("/etc/abs", "file", b"a", 0o644),
                   ("a/../../b", "file", b"b", 0o644), ("out", "symlink", "../../../etc/passwd", 0o777),
                   ("abslink", "symlink", "/etc/abs", 0o777)])
    tree = C.Tree.from_context(data)
    assert sorted(tree.root.children) == ["abslink", "b", "escape", "etc", "out"]
    assert tree.lookup("etc/abs").data == b"a"
    assert tree.follow("out") == "etc/passwd"  # never above the root
    assert tree.lookup("out") is None  # dangling inside the root
    assert tree.lookup("abslink").data == b"a"  # absolute targets restart at the root
    assert tree.outside("../x") and tree.outside("a/../../x") and not tree.outside("a/../x")


def test_entries_are_written_through_symlinked_parents_inside_the_root():
    data = tar_of([("d", "symlink", "/real", 0o777), ("d/f", "file", b"f", 0o644)])
    tree = C.Tree.from_context(data)
    assert tree.lookup("real/f").data == b"f"


def test_gzip_bzip2_and_xz_contexts_are_read_and_garbage_is_refused():
    plain = tar_of([("Dockerfile", "file", b"FROM x\n", 0o644)])
    import bz2
    import lzma
    for packed in (gzip.compress(plain), bz2.compress(plain), lzma.compress(plain)):
        assert C.Tree.from_context(packed).lookup("Dockerfile").data == b"FROM x\n"
    with pytest.raises(DockerSystemError, match="invalid tar header"):
        C.Tree.from_context(b"not a tar archive at all" * 40)
    assert C.Tree.from_context(b"").root.children == {}


def test_contexts_that_do_not_read_fail_with_go_archives_words():
    """The context goes through go-archive's DecompressStream and Go's tar
    reader, as moby's FromArchive does (sim/fs/goarchive.py)."""
    big = tar_of([("Dockerfile", "file", bytes(range(256)) * 40, 0o644)])
    gz = gzip.compress(big)
    with pytest.raises(DockerSystemError, match=r"^flate: corrupt input before offset \d+$"):
        C.Tree.from_context(gz[:40] + b"\xff\xff\xff\xff" + gz[44:])
    with pytest.raises(DockerSystemError, match="^dockersim: zstd-compressed archives are not supported$"):
        C.Tree.from_context(b"\x28\xb5\x2f\xfd" + bytes(40))
    cont = io.BytesIO()
    with tarfile.open(fileobj=cont, mode="w", format=tarfile.USTAR_FORMAT) as tf:
        ti = tarfile.TarInfo("c")
        ti.type = tarfile.CONTTYPE
        tf.addfile(ti)
    with pytest.raises(DockerSystemError, match="^unhandled tar header type 55$"):
        C.Tree.from_context(cont.getvalue())


def test_a_tar_that_stops_right_after_its_last_file_is_complete():
    """The CLI sends that when it adds a Dockerfile from outside the
    context (its tar writer's padding goes to a closed pipe)."""
    full = tar_of([("a", "file", b"abc", 0o644)], fmt=tarfile.USTAR_FORMAT)
    cut = full[:512 + 3]
    assert C.Tree.from_context(cut).lookup("a").data == b"abc"
    # Go's reader also ends cleanly part way through the padding ...
    assert C.Tree.from_context(full[:512 + 100]).lookup("a").data == b"abc"
    # ... but not inside the data.
    with pytest.raises(DockerSystemError, match="^unexpected EOF$"):
        C.Tree.from_context(full[:512 + 2])


def test_image_tree_applies_whiteouts_and_opaque_dirs():
    lower = tar_of([("etc/", "dir", None, 0o755), ("etc/a", "file", b"a", 0o644),
                    ("etc/b", "file", b"b", 0o644), ("var/", "dir", None, 0o755),
                    ("var/x", "file", b"x", 0o644)])
    upper = tar_of([("etc/.wh.a", "file", b"", 0o644), ("var/", "dir", None, 0o755),
                    ("var/.wh..wh..opq", "file", b"", 0o644), ("var/y", "file", b"y", 0o644)])
    tree = image_tree(lower, upper)
    assert sorted(tree.lookup("etc").children) == ["b"]
    assert sorted(tree.lookup("var").children) == ["y"]
    assert sorted(tree.root.children) == ["etc", "var"]  # no init layer: no /.dockerenv, /proc …
    node = tree.lookup("etc/b")
    assert (node.data, node.mode, node.mtime) == (b"b", 0o644, 1_700_000_000)


def image_tree(*layers) -> "C.Tree":
    """``COPY --from``'s view of an image made of ``layers`` (base first):
    the runtime's overlay of them, without the init layer, exported."""
    store = {f"sha256:{i}": tar for i, tar in enumerate(layers)}
    runtime = Runtime(SimpleNamespace(clock=ManualClock(0)), None, SimpleNamespace(tar=store.__getitem__))
    return C.Tree.from_image(runtime.rootfs(RootSpec(list(store), init_layer=False)).export())


def test_directory_hash_covers_every_entry_below():
    base = [("src/", "dir", None, 0o755), ("src/a", "file", b"a", 0o644)]
    one = C.Tree.from_context(tar_of(base))
    two = C.Tree.from_context(tar_of(base + [("src/b", "file", b"b", 0o644)]))
    assert one.dir_hash("src").startswith("dir:")
    assert one.dir_hash("src") != two.dir_hash("src")


# -- copy sources -----------------------------------------------------------------------

def copier(entries, cmd="COPY", image=False):
    return CP.Copier(C.Tree.from_context(tar_of(entries)), image_source=image, cmd_name=cmd)


def test_copy_sources_wildcards_and_mobys_errors():
    c = copier([("a.txt", "file", b"a", 0o644), ("b.txt", "file", b"b", 0o644),
                ("sub/", "dir", None, 0o755), ("sub/c.txt", "file", b"c", 0o644)])
    inst = c.create_copy_instruction(["*.txt"], "/dst/")
    assert [i.path for i in inst.infos] == ["a.txt", "b.txt"]  # * does not cross /
    assert CP.source_hash(inst.infos).startswith("multi:")
    assert c.create_copy_instruction(["/./a.txt"], "/x").infos[0].path == "a.txt"
    with pytest.raises(CP.BuildError, match="^When using COPY with more than one source file, "
                                            "the destination must be a directory and end with a /$"):
        c.create_copy_instruction(["*.txt"], "/dst")
    with pytest.raises(CP.BuildError, match=r"^COPY failed: no source files were specified$"):
        c.create_copy_instruction(["*.none"], "/dst/")
    with pytest.raises(CP.BuildError, match=r"^COPY failed: file not found in build context or "
                                            r"excluded by \.dockerignore: stat nope: file does not exist$"):
        c.create_copy_instruction(["nope"], "/dst")
    with pytest.raises(CP.BuildError, match=r"^COPY failed: forbidden path outside the build "
                                            r"context: \.\./x \(\)$"):
        c.create_copy_instruction(["../x"], "/dst")
    with pytest.raises(CP.BuildError, match="^COPY failed: source can't be a URL for COPY$"):
        c.create_copy_instruction(["http://example.com/f"], "/dst")
    with pytest.raises(CP.BuildError, match='^ADD failed: Get "https://example.com/f": '):
        copier([], cmd="ADD").create_copy_instruction(["https://example.com/f"], "/dst")
    image = copier([], image=True)
    with pytest.raises(CP.BuildError, match="^COPY failed: stat gone: file does not exist$"):
        image.create_copy_instruction(["gone"], "/d")


def test_destinations_are_relative_to_workdir_and_keep_their_slash():
    assert CP.normalize_dest("/app", "x") == "/app/x"
    assert CP.normalize_dest("/app", "x/") == "/app/x/"
    assert CP.normalize_dest("", ".") == "/"
    assert CP.normalize_dest("/app", "/abs/") == "/abs/"
    assert normalize_workdir("/a", "b/../c") == "/a/c"
    assert normalize_workdir("/a", "/x//y/") == "/x/y"
    with pytest.raises(CP.BuildError, match="cannot normalize nothing"):
        normalize_workdir("/a", "")


def test_an_archive_is_recognised_by_its_content():
    t = tar_of([("x", "file", b"x", 0o644)])
    assert C.is_archive(t) and C.is_archive(gzip.compress(t))
    assert not C.is_archive(gzip.compress(b"just text")) and not C.is_archive(b"plain text")


# -- image configs ------------------------------------------------------------------------

def test_child_image_has_mobys_shape():
    parent = {"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": ["sha256:a"]},
              "history": [{"created_by": "x", "created": "2024-01-01T00:00:00.500000000Z",
                           "empty_layer": False}],
              "config": {"Env": ["PATH=/bin"]}}
    doc = json.loads(child_image(parent, diff_id=None, created="2025-01-01T00:00:00Z",
                                 created_by="/bin/sh -c #(nop)  CMD [\"a\"]",
                                 config={"Cmd": ["a"]}, container_config={"Cmd": ["/bin/sh"]},
                                 container_id="c" * 64, author="me"))
    assert list(doc) == sorted(doc)
    assert doc["rootfs"] == {"type": "layers", "diff_ids": ["sha256:a"]}
    assert doc["history"] == [{"created": "2024-01-01T00:00:00.5Z", "created_by": "x"},
                              {"created": "2025-01-01T00:00:00Z",
                               "created_by": "/bin/sh -c #(nop)  CMD [\"a\"]", "author": "me",
                               "empty_layer": True}]
    assert doc["docker_version"] == "28.2.2" and doc["container"] == "c" * 64
    assert "parent" not in doc and "comment" not in doc
    assert list(doc["config"])[:6] == ["Hostname", "Domainname", "User", "AttachStdin",
                                       "AttachStdout", "AttachStderr"]
    assert doc["config"]["Env"] is None and doc["config"]["Cmd"] == ["a"]
    assert "Healthcheck" not in doc["config"] and "Shell" not in doc["config"]
    with_layer = json.loads(child_image(None, diff_id="sha256:b", created="2025-01-01T00:00:00Z",
                                        created_by="", config={}, container_config={}))
    assert with_layer["rootfs"] == {"type": "layers", "diff_ids": ["sha256:b"]}
    assert with_layer["history"] == [{"created": "2025-01-01T00:00:00Z"}]


def test_go_json_escapes_like_go():
    assert marshal({"a": "<&>", "b": "é"}).encode() == '{"a":"\\u003c\\u0026\\u003e","b":"é"}'.encode()
    assert EMPTY_TAR == bytes(1024)


def test_go_config_keeps_nil_and_empty_apart():
    c = go_config({"Env": [], "Labels": {}, "Volumes": None, "Cmd": "x", "ExposedPorts": {}})
    assert c["Env"] == [] and c["Labels"] == {} and c["Volumes"] is None and c["Cmd"] == ["x"]
    assert "ExposedPorts" not in c


def test_commit_merge_fills_from_the_container():
    user = go_config({"Cmd": ["x"]})
    image = go_config({"Env": ["A=1"], "Entrypoint": ["e"], "Labels": {"l": "v"}, "WorkingDir": "/w"})
    merged = merge_configs(user, image)
    assert merged["Env"] == ["A=1"] and merged["Entrypoint"] == ["e"] and merged["Cmd"] == ["x"]
    kept = merge_configs(go_config({"Entrypoint": []}), image)  # an empty, not nil, Entrypoint stays
    assert kept["Entrypoint"] == []
    assert merged["Labels"] == {"l": "v"} and merged["WorkingDir"] == "/w"
    assert merge_configs(go_config({}), go_config({}))["Labels"] == {}


def test_build_from_config_applies_changes_as_the_builder_would():
    base = go_config({"Env": ["PATH=/bin"], "Cmd": ["sh"]})
    out = build_from_config(base, ['CMD ["x"]', "ENV A=$PATH", "EXPOSE 80-81/udp", "WORKDIR rel",
                                   "ENTRYPOINT top", "LABEL k=v", "USER 5", "VOLUME /v",
                                   "STOPSIGNAL 9"])
    assert out["Cmd"] == ["x"]  # CMD came first: ENTRYPOINT keeps it
    assert out["Env"] == ["PATH=/bin", "A=/bin"]
    assert out["ExposedPorts"] == {"80/udp": {}, "81/udp": {}}
    assert out["WorkingDir"] == "/rel" and out["Entrypoint"] == ["/bin/sh", "-c", "top"]
    assert (out["User"], out["Volumes"], out["StopSignal"]) == ("5", {"/v": {}}, "9")
    assert base["Cmd"] == ["sh"]  # a copy was changed
    with pytest.raises(InvalidParameter, match="^RUN is not a valid change command$"):
        build_from_config(base, ["RUN x"])
    with pytest.raises(InvalidParameter, match="invalid signal: NOPE"):
        build_from_config(base, ["STOPSIGNAL NOPE"])


def test_ports_and_signals():
    assert parse_port_specs(["80", "443/UDP", "1-2"]) == ["80/tcp", "443/udp", "1/tcp", "2/tcp"]
    with pytest.raises(CP.BuildError, match="^invalid containerPort: x$"):
        parse_port_specs(["x"])
    with pytest.raises(CP.BuildError, match="^invalid proto: foo$"):
        parse_port_specs(["80/foo"])
    parse_signal("SIGKILL")
    parse_signal("rtmin+3")
    with pytest.raises(InvalidParameter, match="^invalid signal: 0$"):
        parse_signal("0")


# -- the cache -----------------------------------------------------------------------------

def test_cache_compare_ignores_image_and_hostname_only():
    a = go_config({"Cmd": ["x"], "Image": "sha256:1", "Hostname": "h1", "Env": ["A=1"]})
    b = go_config({"Cmd": ["x"], "Image": "sha256:2", "Hostname": "h2", "Env": ["A=1"]})
    assert compare(a, b)
    assert not compare(a, dict(b, Cmd=["y"]))
    assert not compare(a, dict(b, Labels={"a": "b"}))
    assert not compare(a, dict(b, Healthcheck={"Test": ["NONE"]}))
    assert not compare(a, dict(b, WorkingDir="/w"))


# -- build args ------------------------------------------------------------------------------

def test_build_args_defaults_overrides_and_proxies():
    args = A.BuildArgs({"X": "cli", "http_proxy": "p", "UNUSED": "u", "NOVAL": None})
    args.add_meta_arg("M", "meta")
    args.add_arg("X", "default")
    args.add_arg("Y", "y")
    args.add_arg("M", None)
    assert args.all_allowed() == {"M": "meta", "X": "cli", "Y": "y", "http_proxy": "p"}
    assert args.filter_allowed(["Y=env"]) == ["M=meta", "X=cli", "http_proxy=p"]
    assert not args.is_referenced_or_not_builtin("http_proxy")
    assert args.unused() == ["NOVAL", "UNUSED"]


# -- options --------------------------------------------------------------------------------

def q(**kw):
    return {k: v if isinstance(v, list) else [v] for k, v in kw.items()}


def test_options_as_dockerd_reads_them():
    o = BuildOptions.from_query(q(t=["kubia", "kubia:latest", "x/y:1"], rm="False", q="1",
                                  buildargs=json.dumps({"A": "1", "B": None})))
    assert [r.familiar_string for r in o.tags] == ["kubia:latest", "x/y:1"]
    assert (o.remove, o.force_remove, o.suppress_output) == (False, False, True)
    assert o.build_args == {"A": "1", "B": None}
    assert BuildOptions.from_query(q(forcerm="1", rm="0")).remove is True
    assert BuildOptions.from_query({}).remove is True
    with pytest.raises(InvalidParameter, match="^error reading build args: "):
        BuildOptions.from_query(q(buildargs="{nope"))
    with pytest.raises(InvalidParameter, match='^unsupported isolation: "hyperv"$'):
        BuildOptions.from_query(q(isolation="hyperv"))
    with pytest.raises(DockerSystemError, match='^strconv.ParseInt: parsing "x": invalid syntax$'):
        BuildOptions.from_query(q(shmsize="x"))
    with pytest.raises(DockerSystemError, match="^build tag cannot contain a digest$"):
        BuildOptions.from_query(q(t="a@sha256:" + "0" * 64))
    with pytest.raises(InvalidParameter, match='^invalid version "3"$'):
        BuildOptions.from_query(q(version="3"))
    with pytest.raises(NotImplementedYet):
        BuildOptions.from_query(q(version="2"))
    assert str(parse_platform("linux/x86_64")) == "linux/amd64"
    assert str(parse_platform("linux/arm64/v8")) == "linux/arm64/v8"  # containerd keeps a given v8
    with pytest.raises(InvalidParameter, match="unknown operating system or architecture"):
        parse_platform("plan10")  # only a lone os or arch must be known


def test_json_parameters_are_decoded_as_gos_decoder_decodes_them():
    """newImageBuildOptions unmarshals each JSON parameter into its Go type:
    the errors name that type (or the struct field) as encoding/json does."""
    # container.Ulimit is an alias of go-units' Ulimit: reflect names that one
    cases = [
        ("labels", '{"a":1}', "error reading labels: json: cannot unmarshal number into Go value "
                              "of type string"),
        ("labels", "[]", "error reading labels: json: cannot unmarshal array into Go value of "
                         "type map[string]string"),
        ("buildargs", '"x"', "error reading build args: json: cannot unmarshal string into Go "
                             "value of type map[string]*string"),
        ("buildargs", '{"A":"1"} x', "error reading build args: invalid character 'x' after "
                                     "top-level value"),
        ("cachefrom", "{}", "error reading cache-from: json: cannot unmarshal object into Go value "
                            "of type []string"),
        ("cachefrom", "[1]", "error reading cache-from: json: cannot unmarshal number into Go "
                             "value of type string"),
        ("ulimits", "{}", "error reading ulimit settings: json: cannot unmarshal object into Go "
                          "value of type []*units.Ulimit"),
        ("ulimits", '[{"Name":1}]', "error reading ulimit settings: json: cannot unmarshal number "
                                    "into Go struct field Ulimit.Name of type string"),
        ("outputs", "{}", "invalid outputs specified: json: cannot unmarshal object into Go value "
                          "of type []build.ImageBuildOutput"),
    ]
    for name, value, message in cases:
        with pytest.raises(InvalidParameter) as info:
            BuildOptions.from_query(q(**{name: value}))
        assert info.value.message == message, (name, value)
    o = BuildOptions.from_query(q(labels='{"a":"1","a":"2","b":null}', cachefrom='["x"]',
                                  buildargs='{"A":null}', ulimits='[{"Name":"nofile","Soft":1}]'))
    assert (o.labels, o.cache_from, o.build_args) == ({"a": "2", "b": ""}, ("x",), {"A": None})
    with pytest.raises(DockerSystemError, match='^strconv.ParseInt: parsing "99999999999999999999": '
                                                'value out of range$'):
        BuildOptions.from_query(q(shmsize="99999999999999999999"))
    assert BuildOptions.from_query(q(shmsize="+5")).shm_size == 5


def test_resource_options_as_dockerd_reads_them():
    o = BuildOptions.from_query(q(memory="8388608", memswap="junk", cpushares="512", cpuquota="-1",
                                  cpusetcpus="0", cgroupparent="b.slice",
                                  ulimits=json.dumps([{"Name": "nofile", "Soft": 10, "Hard": 20}])))
    assert o.resources == {"Memory": 8388608, "CpuShares": 512, "CpuQuota": -1, "CpusetCpus": "0",
                           "CgroupParent": "b.slice",
                           "Ulimits": [{"Name": "nofile", "Soft": 10, "Hard": 20}]}
    assert BuildOptions.from_query({}).resources == {}


async def test_build_prune_checks_its_parameters_as_moby(api):
    async def prune(query=""):
        resp = await api.post("/v1.50/build/prune" + query)
        return resp.status, await resp.json()

    assert await prune() == (200, {"CachesDeleted": None, "SpaceReclaimed": 0})
    assert await prune('?all=1&filters={"until":["24h"]}&keep-storage=10') == (
        200, {"CachesDeleted": None, "SpaceReclaimed": 0})
    assert await prune('?filters={"until":["x"]}') == (400, {"message": (
        "\"until\" filter expects a duration (e.g., '24h') or a timestamp: failed to parse value "
        "as time or duration: \"x\"")})
    assert await prune('?filters={"until":["1h"],"unused-for":["2h"]}') == (
        400, {"message": 'conflicting filters: "until" and "unused-for"'})
    assert await prune('?filters={"id":["a","b"]}') == (400, {"message": "filters expect only one value"})
    assert await prune('?filters={"mutable":["true"]}') == (400, {"message": "invalid filter 'mutable'"})
    assert await prune("?reserved-space=1mb") == (400, {"message": (
        'reserved-space is in bytes and expects an integer, got 1mb: strconv.Atoi: parsing "1mb": '
        "invalid syntax")})
    resp = await api.post("/v1.47/build/prune?reserved-space=x")  # read from API 1.48
    assert resp.status == 200
