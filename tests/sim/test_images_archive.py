"""docker save / docker load archives and the docker import config
(sim/images/archive.py), checked against what moby 28.2.2 writes and the
messages it refuses archives with."""

import bz2
import gzip
import hashlib
import io
import json
import lzma
import tarfile

import pytest

from dockersim.sim.ids import sha256_digest
from dockersim.sim.images import catalog
from dockersim.sim.images.archive import (
    ArchiveError,
    ArchiveImage,
    LoadResult,
    import_comment,
    import_config,
    inflate_layer,
    read_archive,
    write_archive,
)
from dockersim.sim.images.tarball import TreeBuilder

TMP = "/var/lib/docker/tmp/docker-import-1"
NOW = 1_750_000_000


@pytest.fixture(scope="module")
def busybox():
    return catalog.build("busybox-1.37.0")


@pytest.fixture(scope="module")
def debian():
    return catalog.build("debian-bookworm")


@pytest.fixture(scope="module")
def node():
    return catalog.build("node-22.13.0")


def members(data: bytes) -> "list[tarfile.TarInfo]":
    return tarfile.open(fileobj=io.BytesIO(data)).getmembers()


def member(data: bytes, name: str) -> bytes:
    return tarfile.open(fileobj=io.BytesIO(data)).extractfile(name).read()


def make_tar(entries, fmt=tarfile.PAX_FORMAT) -> bytes:
    """A tar from (name, content) pairs: bytes for a file, None for a
    directory, ("symlink", target), ("link", target) or ("type", flag)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=fmt) as tf:
        for name, content in entries:
            info = tarfile.TarInfo(name)
            info.mtime = 1_600_000_000
            if content is None:
                info.type = tarfile.DIRTYPE
                info.mode = 0o755
                tf.addfile(info)
            elif isinstance(content, tuple):
                kind, value = content
                if kind == "symlink":
                    info.type, info.linkname = tarfile.SYMTYPE, value
                elif kind == "link":
                    info.type, info.linkname = tarfile.LNKTYPE, value
                else:
                    info.type = value
                tf.addfile(info)
            else:
                info.size = len(content)
                tf.addfile(info, io.BytesIO(content))
    return buf.getvalue()


def layer(*files) -> bytes:
    t = TreeBuilder()
    for path, text in files:
        t.file(path, text)
    return t.tar(1_600_000_000)


def config_for(layers, created="2024-01-02T03:04:05Z", os="linux", history=None, extra=None) -> bytes:
    doc = {
        "architecture": "amd64",
        "config": {"Cmd": ["sh"], "Env": ["PATH=/bin"]},
        "created": created,
        "history": history if history is not None else [{"created": created, "created_by": "ADD x /"}
                                                        for _ in layers],
        "os": os,
        "rootfs": {"type": "layers", "diff_ids": [sha256_digest(t) for t in layers]},
    }
    doc.update(extra or {})
    return json.dumps(doc, separators=(",", ":"), sort_keys=True).encode()


def oci_archive(config: bytes, layers, repo_tags=("x:latest",), manifest=None, extra=()) -> bytes:
    """A minimal archive in the current layout, written by hand."""
    entries = [("blobs/", None), ("blobs/sha256/", None),
               (f"blobs/sha256/{sha256_digest(config)[7:]}", config)]
    for t in layers:
        entries.append((f"blobs/sha256/{sha256_digest(t)[7:]}", t))
    if manifest is None:
        manifest = json.dumps([{
            "Config": f"blobs/sha256/{sha256_digest(config)[7:]}",
            "RepoTags": list(repo_tags) if repo_tags is not None else None,
            "Layers": [f"blobs/sha256/{sha256_digest(t)[7:]}" for t in layers],
        }]).encode()
    entries.append(("manifest.json", manifest))
    entries.extend(extra)
    return make_tar(entries)


def error_of(data: bytes, **kw) -> str:
    result = read_archive(data, tmp_dir=TMP, **kw)
    assert result.error is not None, "the archive loaded"
    return str(result.error)


# ---------------------------------------------------------------- save: layout


def test_save_layout_order_modes_and_mtimes(busybox, debian):
    data = write_archive([ArchiveImage(busybox.config_bytes, busybox.layers, ["busybox:latest"]),
                          ArchiveImage(debian.config_bytes, debian.layers, ["debian:12"])], now=NOW + 0.9)
    ms = members(data)
    names = [m.name for m in ms]
    blob_names = [n for n in names if n.startswith("blobs/sha256/")]
    assert names == ["blobs", "blobs/sha256", *blob_names, "index.json", "manifest.json", "oci-layout",
                     "repositories"]
    assert blob_names == sorted(blob_names)
    by = {m.name: m for m in ms}
    assert by["blobs"].isdir() and by["blobs"].mode == 0o755
    # blobs/ keeps the created time of the last image, blobs/sha256/ the save time
    assert by["blobs"].mtime == catalog._epoch(catalog.DEBIAN_BOOKWORM_CREATED)
    assert by["blobs/sha256"].mtime == NOW
    for name in ("index.json", "manifest.json", "oci-layout", "repositories"):
        assert by[name].mtime == 0 and by[name].mode == 0o644
    for m in ms:
        assert (m.uid, m.gid, m.uname, m.gname) == (0, 0, "", "")
    config_hex = busybox.config_digest[7:]
    assert by[f"blobs/sha256/{config_hex}"].mtime == catalog._epoch("2024-09-26T21:31:42Z")
    layer_hex = busybox.diff_ids[0][7:]
    assert by[f"blobs/sha256/{layer_hex}"].mtime == catalog._epoch("2024-09-26T21:31:42Z")
    # Go's writer: USTAR headers, two zero blocks and no record padding
    assert data[257:265] == b"ustar\x0000"
    assert data.endswith(bytes(1024)) and not data.endswith(bytes(1536))
    assert member(data, "oci-layout") == b'{"imageLayoutVersion": "1.0.0"}'


def test_save_blobs_match_their_digests_and_manifests(busybox):
    data = write_archive([ArchiveImage(busybox.config_bytes, busybox.layers, ["busybox:latest"])], now=NOW)
    blobs = {m.name[13:]: member(data, m.name) for m in members(data) if m.name.startswith("blobs/sha256/")}
    for hex_name, content in blobs.items():
        assert hashlib.sha256(content).hexdigest() == hex_name
    index = json.loads(member(data, "index.json"))
    assert index["schemaVersion"] == 2 and index["mediaType"] == "application/vnd.oci.image.index.v1+json"
    (desc,) = index["manifests"]
    assert desc["annotations"] == {"io.containerd.image.name": "docker.io/library/busybox:latest",
                                   "org.opencontainers.image.ref.name": "latest"}
    manifest_bytes = blobs[desc["digest"][7:]]
    assert desc["size"] == len(manifest_bytes)
    assert list(json.loads(manifest_bytes)) == ["schemaVersion", "mediaType", "config", "layers"]
    manifest = json.loads(manifest_bytes)
    assert manifest["config"] == {"mediaType": "application/vnd.oci.image.config.v1+json",
                                  "digest": busybox.config_digest, "size": len(busybox.config_bytes)}
    assert manifest["layers"] == [{"mediaType": "application/vnd.oci.image.layer.v1.tar",
                                   "digest": busybox.diff_ids[0], "size": len(busybox.layers[0])}]
    # one config, one layer, one manifest, one legacy v1 json: like hello-world in moby#47065
    assert len(blobs) == 4


def test_save_manifest_json_and_repositories(busybox):
    data = write_archive([ArchiveImage(busybox.config_bytes, busybox.layers,
                                       ["busybox:latest", "busybox:1.37", "busybox"])], now=NOW)
    raw = member(data, "manifest.json")
    assert raw.endswith(b"}]\n")
    (item,) = json.loads(raw)
    assert list(item) == ["Config", "RepoTags", "Layers", "LayerSources"]
    assert item["Config"] == f"blobs/sha256/{busybox.config_digest[7:]}"
    assert item["RepoTags"] == ["busybox:latest", "busybox:1.37"]  # "busybox" is busybox:latest again
    assert item["Layers"] == [f"blobs/sha256/{busybox.diff_ids[0][7:]}"]
    assert item["LayerSources"] == {busybox.diff_ids[0]: {
        "mediaType": "application/vnd.oci.image.layer.v1.tar", "size": len(busybox.layers[0]),
        "digest": busybox.diff_ids[0]}}
    assert list(item["LayerSources"][busybox.diff_ids[0]]) == ["mediaType", "size", "digest"]
    top = busybox.diff_ids[0][7:]
    assert member(data, "repositories") == (
        '{"busybox":{"1.37":"%s","latest":"%s"}}\n' % (top, top)).encode()
    assert len(json.loads(member(data, "index.json"))["manifests"]) == 2


def test_save_untagged_image_by_id(busybox):
    data = write_archive([ArchiveImage(busybox.config_bytes, busybox.layers)], now=NOW)
    names = [m.name for m in members(data)]
    assert "repositories" not in names
    (item,) = json.loads(member(data, "manifest.json"))
    assert item["RepoTags"] is None
    (desc,) = json.loads(member(data, "index.json"))["manifests"]
    assert "annotations" not in desc


def test_save_untagged_after_tagged_is_left_out_of_the_index(busybox, debian):
    """moby checks the whole descriptor list, not the image's own (moby#51389)."""
    data = write_archive([ArchiveImage(debian.config_bytes, debian.layers, ["debian:12"]),
                          ArchiveImage(busybox.config_bytes, busybox.layers)], now=NOW)
    index = json.loads(member(data, "index.json"))["manifests"]
    assert [d["annotations"]["org.opencontainers.image.ref.name"] for d in index] == ["12"]
    assert len(json.loads(member(data, "manifest.json"))) == 2


def test_save_shared_layers_written_once(debian, node):
    data = write_archive([ArchiveImage(node.config_bytes, node.layers, ["node:22"]),
                          ArchiveImage(debian.config_bytes, debian.layers, ["debian:12"])], now=NOW)
    names = [m.name for m in members(data)]
    assert names.count(f"blobs/sha256/{debian.diff_ids[0][7:]}") == 1
    assert len(names) == len(set(names))
    layer_blobs = {d[7:] for d in node.diff_ids} | {d[7:] for d in debian.diff_ids}
    assert layer_blobs <= {n[13:] for n in names}
    # the base layer's legacy v1 json is shared too: same chain, same parent
    v1 = [json.loads(member(data, n)) for n in names
          if n.startswith("blobs/sha256/") and member(data, n).startswith(b'{"id"')]
    assert len(v1) == len(node.layers) + 1  # node's chain, plus debian's own top


def test_save_legacy_v1_json_per_layer(node):
    data = write_archive([ArchiveImage(node.config_bytes, node.layers, ["node:22"])], now=NOW)
    v1 = {}
    for m in members(data):
        content = member(data, m.name) if m.isfile() else b""
        if content.startswith(b'{"id"'):
            doc = json.loads(content)
            v1[doc["id"]] = doc
    assert len(v1) == len(node.layers)
    base = [d for d in v1.values() if "parent" not in d]
    assert len(base) == 1
    chain = [base[0]]
    children = {d["parent"]: d for d in v1.values() if "parent" in d}
    while chain[-1]["id"] in children:
        chain.append(children[chain[-1]["id"]])
    assert len(chain) == len(node.layers)
    assert list(chain[0]) == ["id", "created", "container_config", "os"]
    for doc in chain[1:-1]:
        assert list(doc) == ["id", "parent", "created", "container_config", "os"]
    for doc in chain[:-1]:
        assert doc["created"] == "1970-01-01T00:00:00Z"
        assert doc["container_config"]["Hostname"] == "" and doc["container_config"]["Env"] is None
    top = chain[-1]
    assert top["created"] == json.loads(node.config_bytes)["created"]
    assert top["config"]["Cmd"] == ["node"] and top["config"]["Image"] == ""
    assert list(top["config"])[:3] == ["Hostname", "Domainname", "User"]
    assert top["architecture"] == "amd64" and top["os"] == "linux"


def test_save_is_deterministic(busybox, node):
    images = [ArchiveImage(node.config_bytes, node.layers, ["node:22"]),
              ArchiveImage(busybox.config_bytes, busybox.layers, ["busybox:latest"])]
    assert write_archive(images, now=NOW) == write_archive(list(images), now=NOW)
    assert write_archive(images, now=NOW) != write_archive(images, now=NOW + 1)


def test_save_same_image_twice_merges_tags(busybox):
    data = write_archive([ArchiveImage(busybox.config_bytes, busybox.layers, ["busybox:latest"]),
                          ArchiveImage(busybox.config_bytes, busybox.layers, ["busybox:1.37", "busybox:latest"])],
                         now=NOW)
    (item,) = json.loads(member(data, "manifest.json"))
    assert item["RepoTags"] == ["busybox:latest", "busybox:1.37"]


def test_save_parent_only_when_saved_too():
    base = layer(("a", "1"))
    top = layer(("b", "2"))
    parent_cfg = config_for([base])
    child_cfg = config_for([base, top])
    parent = ArchiveImage(parent_cfg, [base], ["p:1"])
    child = ArchiveImage(child_cfg, [base, top], ["c:1"], parent=parent.id)
    both = json.loads(member(write_archive([child, parent], now=NOW), "manifest.json"))
    assert both[0]["Parent"] == parent.id and "Parent" not in both[1]
    assert list(both[0]) == ["Config", "RepoTags", "Layers", "Parent", "LayerSources"]
    alone = json.loads(member(write_archive([child], now=NOW), "manifest.json"))
    assert "Parent" not in alone[0]


def test_save_does_not_hash_layer_tars_again(busybox, monkeypatch):
    """The layer store is content addressed: save trusts each tar's diff id."""
    import dockersim.sim.images.archive as archive

    hashed = []
    monkeypatch.setattr(archive, "sha256_digest", lambda data: hashed.append(data) or sha256_digest(data))
    write_archive([ArchiveImage(busybox.config_bytes, busybox.layers, ["busybox:latest"])], now=NOW)
    assert hashed and not any(data in busybox.layers for data in hashed)


def test_save_image_without_layers_is_refused():
    cfg = config_for([])
    with pytest.raises(ArchiveError, match="^empty export - not implemented$"):
        write_archive([ArchiveImage(cfg, [])], now=NOW)


# ---------------------------------------------------------------- round trip


def test_round_trip(busybox, debian, node):
    images = [ArchiveImage(node.config_bytes, node.layers, ["node:22", "node:lts"]),
              ArchiveImage(busybox.config_bytes, busybox.layers, ["busybox:latest"]),
              ArchiveImage(debian.config_bytes, debian.layers, ["debian:12"])]
    result = read_archive(write_archive(images, now=NOW), tmp_dir=TMP)
    assert result.error is None and not result.legacy
    assert [img.config_bytes for img in result.images] == [i.config_bytes for i in images]
    assert [img.id for img in result.images] == [i.id for i in images]
    assert [[r.familiar_string for r in img.repo_tags] for img in result.images] == \
        [["node:22", "node:lts"], ["busybox:latest"], ["debian:12"]]
    assert result.images[0].layer_tars == node.layers
    assert result.images[1].layer_tars == busybox.layers
    # debian's only layer is node's base, registered a moment before: not read again
    assert result.images[2].layer_tars == (None,)
    assert result.print_ids is False  # the last image had tags
    first = result.images[0].layers[0]
    assert first.progress_id == node.diff_ids[0][7:19] and first.size == len(node.layers[0])


def test_load_skips_layers_the_store_has(busybox):
    data = write_archive([ArchiveImage(busybox.config_bytes, busybox.layers, ["busybox:latest"])], now=NOW)
    result = read_archive(data, tmp_dir=TMP, has_layer=lambda chain: chain == busybox.diff_ids[0])
    assert result.error is None
    assert result.images[0].layers[0].tar is None


def test_load_does_not_open_layers_the_store_has(busybox):
    cfg_hex = busybox.config_digest[7:]
    manifest = json.dumps([{"Config": f"{cfg_hex}.json", "RepoTags": ["b:1"],
                            "Layers": ["not/in/the/archive.tar"]}]).encode()
    data = make_tar([(f"{cfg_hex}.json", busybox.config_bytes), ("manifest.json", manifest)])
    assert error_of(data) == f"open {TMP}/not/in/the/archive.tar: no such file or directory"
    result = read_archive(data, tmp_dir=TMP, has_layer=lambda chain: True)
    assert result.error is None and result.images[0].layer_tars == (None,)


def test_save_nothing():
    data = write_archive([], now=NOW)
    assert [m.name for m in members(data)] == ["index.json", "manifest.json", "oci-layout"]
    assert member(data, "manifest.json") == b"null\n"
    assert json.loads(member(data, "index.json"))["manifests"] is None
    # and moby cannot load that back
    assert error_of(data) == "invalid manifest, manifest cannot be null (but can be [])"


def test_load_untagged_last_image_prints_every_id(busybox, debian):
    data = write_archive([ArchiveImage(debian.config_bytes, debian.layers, ["debian:12"]),
                          ArchiveImage(busybox.config_bytes, busybox.layers)], now=NOW)
    result = read_archive(data, tmp_dir=TMP)
    assert result.print_ids is True
    assert result.ids_text == (f"Loaded image ID: {debian.config_digest}\n"
                               f"Loaded image ID: {busybox.config_digest}\n")


def test_load_sets_valid_parent_links():
    base, top = layer(("a", "1")), layer(("b", "2"))
    h1 = [{"created": "2024-01-01T00:00:00Z", "created_by": "one"}]
    h2 = h1 + [{"created": "2024-01-02T00:00:00Z", "created_by": "two"}]
    parent = ArchiveImage(config_for([base], history=h1), [base], ["p:1"])
    child = ArchiveImage(config_for([base, top], history=h2), [base, top], ["c:1"], parent=parent.id)
    result = read_archive(write_archive([parent, child], now=NOW), tmp_dir=TMP)
    assert result.error is None
    assert [img.parent for img in result.images] == [None, parent.id]


def test_load_refuses_a_parent_with_another_history():
    base, top = layer(("a", "1")), layer(("b", "2"))
    parent = ArchiveImage(config_for([base], history=[{"created_by": "one"}]), [base], ["p:1"])
    child = ArchiveImage(config_for([base, top], history=[{"created_by": "x"}, {"created_by": "y"}]),
                         [base, top], ["c:1"], parent=parent.id)
    result = read_archive(write_archive([parent, child], now=NOW), tmp_dir=TMP)
    assert str(result.error) == f"image {parent.id} is not a valid parent for {child.id}"
    assert len(result.images) == 2  # both were loaded before


# ---------------------------------------------------------------- other layouts and compression


def old_layout_archive(busybox_like_layers, tags=("old:1",), symlink_shared=False):
    """What Docker 1.10-24 wrote: <v1 id>/{VERSION,json,layer.tar},
    <image id>.json, manifest.json, repositories."""
    cfg = config_for(busybox_like_layers)
    cfg_hex = sha256_digest(cfg)[7:]
    entries = []
    paths = []
    v1_ids = []
    for i, t in enumerate(busybox_like_layers):
        v1 = hashlib.sha256(b"v1-%d" % i).hexdigest()
        v1_ids.append(v1)
        entries += [(f"{v1}/", None), (f"{v1}/VERSION", b"1.0"),
                    (f"{v1}/json", json.dumps({"id": v1, "parent": v1_ids[i - 1] if i else ""}).encode())]
        if symlink_shared and i == 1:
            entries.append((f"{v1}/layer.tar", ("symlink", f"../{v1_ids[0]}/layer.tar")))
        else:
            entries.append((f"{v1}/layer.tar", t))
        paths.append(f"{v1}/layer.tar")
    entries.append((f"{cfg_hex}.json", cfg))
    entries.append(("manifest.json", json.dumps([{"Config": f"{cfg_hex}.json", "RepoTags": list(tags),
                                                  "Layers": paths}]).encode()))
    entries.append(("repositories", json.dumps({"old": {"1": v1_ids[-1]}}).encode()))
    return make_tar(entries, fmt=tarfile.GNU_FORMAT), cfg


def test_load_docker_1_10_to_24_layout():
    layers = [layer(("etc/a", "1")), layer(("etc/b", "2"))]
    data, cfg = old_layout_archive(layers)
    result = read_archive(data, tmp_dir=TMP)
    assert result.error is None
    (img,) = result.images
    assert img.config_bytes == cfg and img.layer_tars == tuple(layers)
    assert [r.familiar_string for r in img.repo_tags] == ["old:1"]
    assert img.layers[0].progress_id == sha256_digest(layers[0])[7:19]


def test_load_layer_behind_a_symlink():
    same = layer(("etc/a", "1"))
    data, cfg = old_layout_archive([same, same], symlink_shared=True)
    result = read_archive(data, tmp_dir=TMP)
    assert result.error is None and result.images[0].layer_tars == (same, same)


@pytest.mark.parametrize("compress", [gzip.compress, bz2.compress, lzma.compress],
                         ids=["gzip", "bzip2", "xz"])
def test_load_compressed_archive(busybox, compress):
    data = write_archive([ArchiveImage(busybox.config_bytes, busybox.layers, ["busybox:latest"])], now=NOW)
    result = read_archive(compress(data), tmp_dir=TMP)
    assert result.error is None and result.images[0].layer_tars == busybox.layers


def test_load_gzip_compressed_layer_blob():
    plain = layer(("hello", "world"))
    packed = gzip.compress(plain, mtime=0)
    cfg = config_for([plain])
    data = oci_archive(cfg, [], manifest=json.dumps([{
        "Config": f"blobs/sha256/{sha256_digest(cfg)[7:]}", "RepoTags": ["g:1"],
        "Layers": ["layer.tar.gz"]}]).encode(), extra=[("layer.tar.gz", packed)])
    result = read_archive(data, tmp_dir=TMP)
    assert result.error is None
    (loaded,) = result.images[0].layers
    assert loaded.tar == plain and loaded.size == len(packed)


def test_load_ignores_a_bad_gzip_trailer_after_a_complete_tar(busybox):
    """Go's tar reader stops at the end blocks, before gzip checks its CRC."""
    data = write_archive([ArchiveImage(busybox.config_bytes, busybox.layers, ["busybox:latest"])], now=NOW)
    packed = bytearray(gzip.compress(data))
    packed[-8] ^= 0xFF
    assert read_archive(bytes(packed), tmp_dir=TMP).error is None


def test_load_pre_1_10_layout_without_manifest():
    base, top = layer(("etc/a", "1")), layer(("etc/b", "2"))
    base_json = {"id": "a" * 64, "created": "2016-01-01T10:00:00.5+01:00", "docker_version": "1.9.1",
                 "container_config": {"Cmd": ["/bin/sh", "-c", "#(nop) ADD file"]}, "os": "linux",
                 "architecture": "amd64", "Size": 12}
    top_json = {"id": "b" * 64, "parent": "a" * 64, "created": "2016-01-02T00:00:00Z",
                "docker_version": "1.9.1", "container_config": {"Cmd": ["/bin/sh", "-c", "echo <hi>"]},
                "config": {"Cmd": ["sh"]}, "author": "me", "comment": "c", "throwaway": True}
    data = make_tar([
        ("b" * 64 + "/", None), ("b" * 64 + "/json", json.dumps(top_json).encode()),
        ("b" * 64 + "/layer.tar", top),
        ("a" * 64 + "/", None), ("a" * 64 + "/json", json.dumps(base_json).encode()),
        ("a" * 64 + "/layer.tar", base),
        ("repositories", json.dumps({"legacy": {"v1": "b" * 64, "v0": "a" * 64}}).encode()),
    ])
    result = read_archive(data, tmp_dir=TMP)
    assert result.error is None and result.legacy
    first, second = result.images
    assert first.parent is None and second.parent == first.id
    assert first.layer_tars == (base,) and second.layer_tars == (top,)
    assert second.layers[0].progress_id == "b" * 12
    cfg = json.loads(second.config_bytes)
    assert list(cfg) == sorted(cfg)
    assert "id" not in cfg and "parent" not in cfg and "throwaway" not in cfg and "Size" not in cfg
    assert cfg["rootfs"] == {"type": "layers", "diff_ids": [sha256_digest(base), sha256_digest(top)]}
    assert cfg["history"] == [
        {"created": "2016-01-01T10:00:00.5+01:00", "created_by": "/bin/sh -c #(nop) ADD file"},
        {"created": "2016-01-02T00:00:00Z", "created_by": "/bin/sh -c echo <hi>", "author": "me",
         "comment": "c"},
    ]
    assert b"\\u003chi\\u003e" in second.config_bytes  # Go escapes HTML in what it marshals
    assert [(image_id, ref.familiar_string) for image_id, ref in result.legacy_tags] == \
        [(first.id, "legacy:v0"), (second.id, "legacy:v1")]


def test_load_pre_1_8_3_json_is_normalised_through_v1image():
    """moby re-marshals the json of images from Docker < 1.8.3 through its
    V1Image struct: unknown keys go, container_config gets every field."""
    t = layer(("a", "1"))
    image_json = {"id": "c" * 64, "docker_version": "1.7.1", "created": "2015-06-01T00:00:00.000Z",
                  "unknown": 1, "config": {"Cmd": "sh"}, "os": "linux"}
    data = make_tar([("c" * 64 + "/json", json.dumps(image_json).encode()), ("c" * 64 + "/layer.tar", t),
                     ("repositories", b"{}")])
    result = read_archive(data, tmp_dir=TMP)
    assert result.error is None
    cfg = json.loads(result.images[0].config_bytes)
    assert "unknown" not in cfg and "id" not in cfg
    assert cfg["created"] == "2015-06-01T00:00:00Z"
    assert cfg["config"]["Cmd"] == ["sh"] and cfg["container_config"]["Hostname"] == ""
    assert cfg["history"] == [{"created": "2015-06-01T00:00:00Z"}]


def test_load_zstd_is_recognised_but_not_read():
    assert error_of(b"\x28\xb5\x2f\xfd" + bytes(20)) == "dockersim: zstd-compressed archives are not supported"


# ---------------------------------------------------------------- refusals, with moby's words


def test_refuse_non_tar_input():
    assert error_of(b"hello, world") == "unexpected EOF"
    assert error_of(b"x" * 1024) == "archive/tar: invalid tar header"
    assert error_of(bytes(512) + b"x" * 512) == "archive/tar: invalid tar header"


def test_empty_input_is_an_empty_legacy_archive():
    assert error_of(b"") == f"open {TMP}/repositories: no such file or directory"


def test_a_plain_rootfs_tar_is_no_image():
    data = make_tar([("bin/", None), ("bin/sh", b"x"), ("etc/", None)])
    assert error_of(data) == f"open {TMP}/bin/json: no such file or directory"


def test_truncated_archives(busybox):
    data = write_archive([ArchiveImage(busybox.config_bytes, busybox.layers, ["busybox:latest"])], now=NOW)
    assert error_of(data[:len(data) // 2 + 100]) == "unexpected EOF"
    assert error_of(gzip.compress(data)[:3000]) == "unexpected EOF"
    assert error_of(b"\x1f\x8b\x08\x00") == "unexpected EOF"
    assert error_of(lzma.compress(data)[:2000]) == "exit status 1: xz: (stdin): Unexpected end of input\n"


def test_refuse_corrupt_gzip_data(busybox):
    data = write_archive([ArchiveImage(busybox.config_bytes, busybox.layers, ["busybox:latest"])], now=NOW)
    packed = bytearray(gzip.compress(data))
    packed[40] ^= 0xFF
    message = error_of(bytes(packed))
    assert message.startswith("flate: corrupt input before offset ")
    assert int(message.rsplit(" ", 1)[1]) >= 30  # counted from the start of the deflate data


def test_refuse_broken_gzip_header():
    assert error_of(b"\x1f\x8b\x08\x04\x00\x00\x00\x00\x00\x03\xff") == "unexpected EOF"


@pytest.mark.parametrize("text, message", [
    (b"", "EOF"),
    (b"[{", "unexpected EOF"),
    (b"nope", "invalid character 'o' in literal null (expecting 'u')"),
    (b"[1 2]", "invalid character '2' after array element"),
    (b"{}", "json: cannot unmarshal object into Go value of type []tarexport.manifestItem"),
    (b"[3]", "json: cannot unmarshal number into Go value of type tarexport.manifestItem"),
    (b'[{"Config": 1}]', "json: cannot unmarshal number into Go struct field manifestItem.Config of type string"),
    (b'[{"RepoTags": "a"}]',
     "json: cannot unmarshal string into Go struct field manifestItem.RepoTags of type []string"),
    (b'[{"LayerSources": {"sha256:x": {"size": 1.5}}}]',
     "json: cannot unmarshal number 1.5 into Go struct field Descriptor.LayerSources.size of type int64"),
    (b"null", "invalid manifest, manifest cannot be null (but can be [])"),
    (b'[{"Config": ""}]', f"read {TMP}: is a directory"),
    (b'[{"Config": "nothing"}]', f"open {TMP}/nothing: no such file or directory"),
    (b'[{"Config": "../../../etc/passwd"}]',
     f"evalSymlinksInScope: /var/lib/etc/passwd is not in {TMP}"),
])
def test_refuse_bad_manifest_json(text, message):
    assert error_of(make_tar([("manifest.json", text)])) == message


def test_empty_manifest_loads_nothing():
    result = read_archive(make_tar([("manifest.json", b"[] trailing garbage is not read")]), tmp_dir=TMP)
    assert result.error is None and result.images == () and result.print_ids and result.ids_text == ""


def test_manifest_keys_match_case_insensitively():
    t = layer(("a", "1"))
    cfg = config_for([t])
    manifest = json.dumps([{"config": f"blobs/sha256/{sha256_digest(cfg)[7:]}", "repotags": ["ci:1"],
                            "LAYERS": [f"blobs/sha256/{sha256_digest(t)[7:]}"]}]).encode()
    result = read_archive(oci_archive(cfg, [t], manifest=manifest), tmp_dir=TMP)
    assert result.error is None and result.images[0].repo_tags[0].familiar_string == "ci:1"


def test_refuse_bad_configs():
    t = layer(("a", "1"))
    no_rootfs = json.dumps({"os": "linux"}).encode()
    assert error_of(oci_archive(no_rootfs, [], manifest=json.dumps([{
        "Config": f"blobs/sha256/{sha256_digest(no_rootfs)[7:]}"}]).encode())) == \
        "invalid image JSON, no RootFS key"
    assert error_of(oci_archive(config_for([t], os="windows"), [t])) == "cannot load windows image on linux"
    bad_time = config_for([t], created="yesterday")
    assert error_of(oci_archive(bad_time, [t])) == \
        'parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"'
    bad_month = config_for([t], created="2024-13-01T00:00:00Z")
    assert error_of(oci_archive(bad_month, [t])) == 'parsing time "2024-13-01T00:00:00Z": month out of range'
    bad_zone = config_for([t], created="2024-01-01T00:00:00")
    assert error_of(oci_archive(bad_zone, [t])) == \
        'parsing time "2024-01-01T00:00:00" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "Z07:00"'
    bad_type = config_for([t], extra={"rootfs": {"type": "layers", "diff_ids": [1]}})
    assert error_of(oci_archive(bad_type, [t])) == \
        "json: cannot unmarshal number into Go struct field RootFS.rootfs.diff_ids of type layer.DiffID"
    bad_os = config_for([t], extra={"os": 7})
    assert error_of(oci_archive(bad_os, [t])) == \
        "json: cannot unmarshal number into Go struct field Image.V1Image.os of type string"
    bad_cmd = config_for([t], extra={"config": {"Cmd": 3}})
    assert error_of(oci_archive(bad_cmd, [t])) == \
        "json: cannot unmarshal number into Go struct field Config.V1Image.config.Cmd of type string"
    trailing = config_for([t]) + b" x"
    assert error_of(oci_archive(trailing, [t])) == "invalid character 'x' after top-level value"


def test_refuse_layer_count_mismatch():
    t = layer(("a", "1"))
    cfg = config_for([t])
    manifest = json.dumps([{"Config": f"blobs/sha256/{sha256_digest(cfg)[7:]}", "Layers": []}]).encode()
    assert error_of(oci_archive(cfg, [t], manifest=manifest)) == \
        "invalid manifest, layers length mismatch: expected 0, got 1"


def test_refuse_layer_whose_digest_is_not_the_diff_id():
    t, other = layer(("a", "1")), layer(("a", "2"))
    cfg = config_for([t])
    manifest = json.dumps([{"Config": f"blobs/sha256/{sha256_digest(cfg)[7:]}", "RepoTags": ["x:1"],
                            "Layers": ["wrong.tar"]}]).encode()
    result = read_archive(oci_archive(cfg, [], manifest=manifest, extra=[("wrong.tar", other)]), tmp_dir=TMP)
    assert str(result.error) == (f'invalid diffID for layer 0: expected "{sha256_digest(t)}", '
                                 f'got "{sha256_digest(other)}"')
    assert result.images == ()
    assert [layer_.tar for layer_ in result.failed_layers] == [other]  # read, shown, then dropped


def test_refuse_garbage_layer():
    t = layer(("a", "1"))
    cfg = config_for([t])
    manifest = json.dumps([{"Config": f"blobs/sha256/{sha256_digest(cfg)[7:]}", "Layers": ["bad"]}]).encode()
    assert error_of(oci_archive(cfg, [], manifest=manifest, extra=[("bad", b"z" * 600)])) == \
        "archive/tar: invalid tar header"
    big = layer(("a", "x" * 3000))
    assert error_of(oci_archive(cfg, [], manifest=manifest, extra=[("bad", big[:2000])])) == "unexpected EOF"
    # a cut inside the last padding is a clean end for Go's reader: the layer loads (and mismatches)
    assert error_of(oci_archive(cfg, [], manifest=manifest, extra=[("bad", t[:700])])).startswith(
        "invalid diffID for layer 0")


def test_refuse_too_many_history_entries():
    t = layer(("a", "1"))
    cfg = config_for([t], history=[{"created_by": "a"}, {"created_by": "b"}])
    assert error_of(oci_archive(cfg, [t])) == "too many non-empty layers in History section"


def test_refuse_bad_tags_after_loading_the_image(busybox):
    t = layer(("a", "1"))
    cfg = config_for([t])
    for tag, message in (("busybox", 'invalid tag "busybox"'),
                         ("Busy:1", "invalid reference format: repository name (library/Busy) must be lowercase"),
                         ("busybox@sha256:" + "a" * 64, 'invalid tag "busybox@sha256:' + "a" * 64 + '"')):
        result = read_archive(oci_archive(cfg, [t], repo_tags=["ok:1", tag]), tmp_dir=TMP)
        assert str(result.error) == message
        (img,) = result.images  # the image was created and its first tag set
        assert [r.familiar_string for r in img.repo_tags] == ["ok:1"]


def test_images_before_a_failure_stay_loaded(busybox):
    t = layer(("a", "1"))
    good = config_for([t])
    manifest = json.dumps([
        {"Config": f"blobs/sha256/{sha256_digest(good)[7:]}", "RepoTags": ["good:1"],
         "Layers": [f"blobs/sha256/{sha256_digest(t)[7:]}"]},
        {"Config": "missing.json", "RepoTags": ["bad:1"], "Layers": []},
    ]).encode()
    result = read_archive(oci_archive(good, [t], manifest=manifest), tmp_dir=TMP)
    assert str(result.error) == f"open {TMP}/missing.json: no such file or directory"
    assert [img.id for img in result.images] == [sha256_digest(good)]


def test_legacy_refusals():
    base = layer(("a", "1"))
    image_json = json.dumps({"id": "a" * 64, "os": "linux"}).encode()
    ok = [("a" * 64 + "/json", image_json), ("a" * 64 + "/layer.tar", base)]
    assert error_of(make_tar(ok + [("repositories", b'{"x": {"1": "nope"}}')])) == "invalid target ID: nope"
    assert error_of(make_tar([("a" * 64 + "/json", b'{"os": "windows"}')])) == \
        "cannot load windows image on linux"
    assert error_of(make_tar([("a" * 64 + "/json", b'{"OS": 1}')])) == \
        "json: cannot unmarshal number into Go struct field .OS of type string"
    assert error_of(make_tar([("a" * 64 + "/json", b'{"parent": "../../../../etc"}')])) == \
        f"evalSymlinksInScope: /var/etc/json is not in {TMP}"
    assert error_of(make_tar([("a" * 64 + "/json", image_json)])) == \
        f"open {TMP}/{'a' * 64}/layer.tar: no such file or directory"
    result = read_archive(make_tar(ok), tmp_dir=TMP)  # the image is made before repositories is read
    assert str(result.error) == f"open {TMP}/repositories: no such file or directory"
    assert len(result.images) == 1 and result.legacy


# ---------------------------------------------------------------- names inside the archive


def test_dotdot_and_absolute_member_names_stay_inside(busybox):
    """Extraction is chrooted into the temporary directory: ``../x`` lands
    at ``x`` and ``/etc/passwd`` at ``etc/passwd``, neither refused.  (A
    path in manifest.json that climbs out is refused, see
    test_refuse_bad_manifest_json.)"""
    t = layer(("a", "1"))
    cfg = config_for([t])
    cfg_name = f"/etc/{sha256_digest(cfg)[7:]}"
    manifest = json.dumps([{"Config": cfg_name, "RepoTags": ["escape:1"], "Layers": ["layer"]}]).encode()
    data = make_tar([("../../../manifest.json", manifest), (cfg_name, cfg), ("../layer", t),
                     ("/etc/passwd", b"root:x:0:0::/root:/bin/sh\n")])
    result = read_archive(data, tmp_dir=TMP)
    assert result.error is None
    assert result.images[0].config_bytes == cfg and result.images[0].layer_tars == (t,)


def test_symlinks_resolve_inside_the_archive():
    t = layer(("a", "1"))
    cfg = config_for([t])
    manifest = json.dumps([{"Config": "cfg-link", "RepoTags": ["s:1"], "Layers": ["dir/up/layer"]}]).encode()
    data = make_tar([("manifest.json", manifest), ("real.json", cfg), ("cfg-link", ("symlink", "/../../real.json")),
                     ("dir/", None), ("dir/up", ("symlink", "../../..")), ("layer", t)])
    result = read_archive(data, tmp_dir=TMP)
    assert result.error is None and result.images[0].config_bytes == cfg
    outside = make_tar([("manifest.json", b'[{"Config": "c"}]'), ("c", ("symlink", "/etc/passwd"))])
    assert error_of(outside) == f"open {TMP}/etc/passwd: no such file or directory"


def test_links_and_special_members():
    assert error_of(make_tar([("x", ("link", "nothing"))])) == "link /nothing /x: no such file or directory"
    assert error_of(make_tar([("d/", None), ("x", ("link", "d"))])) == "link /d /x: operation not permitted"
    assert error_of(make_tar([("x", ("type", b"7"))])) == "unhandled tar header type 55"
    loop = make_tar([("manifest.json", ("symlink", "a")), ("a", ("symlink", "manifest.json"))])
    assert error_of(loop) == f"evalSymlinksInScope: too many links in {TMP}/manifest.json"
    assert error_of(make_tar([("manifest.json/", None)])) == f"read {TMP}/manifest.json: is a directory"
    assert error_of(make_tar([("f", b"x"), ("f/g", b"y")])) == "open /f/g: not a directory"
    assert error_of(make_tar([("d", ("symlink", "nowhere")), ("d/sub/x", b"y")])) == "mkdir /d: file exists"


def test_hard_links_share_content():
    t = layer(("a", "1"))
    cfg = config_for([t])
    manifest = json.dumps([{"Config": "c2", "RepoTags": ["h:1"], "Layers": ["l2"]}]).encode()
    data = make_tar([("manifest.json", manifest), ("c", cfg), ("c2", ("link", "c")), ("l", t), ("l2", ("link", "/l"))])
    result = read_archive(data, tmp_dir=TMP)
    assert result.error is None and result.images[0].config_bytes == cfg


# ---------------------------------------------------------------- layers alone


def test_inflate_layer():
    plain = layer(("x", "y"))
    assert inflate_layer(plain) == plain
    assert inflate_layer(gzip.compress(plain)) == plain
    assert inflate_layer(bz2.compress(plain)) == plain
    assert inflate_layer(lzma.compress(plain)) == plain
    assert inflate_layer(b"") == b""
    with pytest.raises(ArchiveError, match="^gzip: invalid header$"):
        inflate_layer(b"\x1f\x8b\x08\x10" + bytes(6) + b"x" * 600)


def test_load_reads_utf8_names_in_pax_records():
    """A PAX record's length counts bytes, so names beyond ASCII read
    (a layer and an archive entry named in UTF-8)."""
    lay = make_tar([("café/ü.txt", b"x")])
    assert inflate_layer(lay) == lay
    cfg = config_for([lay])
    data = oci_archive(cfg, [lay], extra=[("notes/été.txt", b"y")])
    result = read_archive(data, tmp_dir=TMP)
    assert result.error is None and [img.id for img in result.images] == [sha256_digest(cfg)]


def test_load_of_an_archive_entry_device_or_fifo():
    """The archive is unpacked into a simulated directory: a character
    device gets no driver (reading it: ENXIO), a FIFO is not made."""
    assert error_of(make_tar([("manifest.json", ("type", tarfile.CHRTYPE))])) == \
        f"read {TMP}/manifest.json: no such device or address"
    assert error_of(make_tar([("manifest.json", ("type", tarfile.FIFOTYPE))])) == \
        f"open {TMP}/repositories: no such file or directory"


# ---------------------------------------------------------------- import


def test_import_config_exact_bytes():
    diff = "sha256:" + "ab" * 32
    got = import_config(diff, 1_700_000_000.25, import_comment("-"))
    zero = ('{"Hostname":"","Domainname":"","User":"","AttachStdin":false,"AttachStdout":false,'
            '"AttachStderr":false,"Tty":false,"OpenStdin":false,"StdinOnce":false,"Env":null,"Cmd":null,'
            '"Image":"","Volumes":null,"WorkingDir":"","Entrypoint":null,"OnBuild":null,"Labels":null}')
    assert got.decode() == (
        '{"architecture":"amd64","comment":"Imported from -","config":' + zero + ',"container_config":' + zero
        + ',"created":"2023-11-14T22:13:20.25Z","docker_version":"28.2.2",'
        '"history":[{"created":"2023-11-14T22:13:20.25Z","comment":"Imported from -"}],'
        '"os":"linux","rootfs":{"type":"layers","diff_ids":["' + diff + '"]}}')


def test_import_config_with_changes_and_message():
    diff = "sha256:" + "cd" * 32
    got = json.loads(import_config(diff, 1_700_000_000, import_comment("example.com/x.tar", "my msg"),
                                   {"Cmd": ["/bin/sh"], "Env": ["A=b"], "ExposedPorts": {"80/tcp": {}},
                                    "StopTimeout": 0, "Labels": {"b": "2", "a": "1"}},
                                   architecture="arm64", variant="v8"))
    assert got["comment"] == "my msg" and got["history"] == [{"created": "2023-11-14T22:13:20Z",
                                                               "comment": "my msg"}]
    assert got["config"]["Cmd"] == ["/bin/sh"] and got["config"]["ExposedPorts"] == {"80/tcp": {}}
    assert got["config"]["StopTimeout"] == 0 and list(got["config"]["Labels"]) == ["a", "b"]
    assert got["architecture"] == "arm64" and got["variant"] == "v8"
    assert list(got) == sorted(got)
    assert import_comment("example.com/x.tar") == "Imported from example.com/x.tar"


def test_load_result_is_a_value():
    assert LoadResult() == LoadResult()
