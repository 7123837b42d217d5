"""The built-in catalog and the hub: deterministic content, real-image
layout, lookups."""

import io
import json
import os
import subprocess
import sys
import tarfile

import pytest

from dockersim.sim.ids import sha256_digest
from dockersim.sim.images import catalog
from dockersim.sim.images.errors import ManifestUnknown, RegistryUnavailable, RepositoryNotFound
from dockersim.sim.images.hub import Hub
from dockersim.sim.images.reference import parse
from dockersim.sim.programs.table import marker
from dockersim.daemon.backend.datastore import DirStore
from dockersim.sim.store import MemoryStore

#: Recorded once.  If this changes, every user's pulled busybox changes id:
#: bump catalog.CATALOG_VERSION and record the new value deliberately.
BUSYBOX_LATEST_DIGEST = "sha256:a01c40ff6a75a56c80fe598811fa51f4ff0b8f52245c0e142701028cc3df85fb"


def _members(tar: bytes) -> "dict[str, tarfile.TarInfo]":
    return {m.name: m for m in tarfile.open(fileobj=io.BytesIO(tar)).getmembers()}


def _read(tar: bytes, name: str) -> bytes:
    return tarfile.open(fileobj=io.BytesIO(tar)).extractfile(name).read()


def _all_digests() -> dict:
    return {(r, t): catalog.image_for(r, t).digest for r in catalog.repositories() for t in catalog.TAGS[r]}


def test_golden_busybox_digest():
    assert catalog.image_for("library/busybox", "latest").digest == BUSYBOX_LATEST_DIGEST


def test_two_fresh_generations_are_identical():
    first = _all_digests()
    host = sha256_digest(catalog.host_rootfs_tar())
    catalog.clear_cache()
    assert _all_digests() == first
    assert sha256_digest(catalog.host_rootfs_tar()) == host


def test_generation_does_not_depend_on_hash_seed():
    code = ("from dockersim.sim.images import catalog as c;"
            "print(c.image_for('library/busybox','latest').digest, c.image_for('library/node','22').digest)")
    env = dict(os.environ, PYTHONHASHSEED="12345")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == [BUSYBOX_LATEST_DIGEST, catalog.image_for("library/node", "22").digest]


def test_same_image_tags_share_the_manifest():
    assert catalog.image_for("library/busybox", "latest") is catalog.image_for("library/busybox", "1.37")
    assert catalog.image_for("library/busybox", "1.36").digest != BUSYBOX_LATEST_DIGEST
    assert catalog.image_for("library/alpine", "latest") is catalog.image_for("library/alpine", "3.20")


def test_node_shares_debian_base_layer():
    node = catalog.image_for("library/node", "22")
    debian = catalog.image_for("library/debian", "bookworm")
    nginx = catalog.image_for("library/nginx", "latest")
    assert node.diff_ids[0] == debian.diff_ids[0] == nginx.diff_ids[0]
    assert len(debian.layers) == 1 and len(node.layers) == 8 and len(nginx.layers) == 7  # RUN, 5 COPYs
    assert node.diff_ids[:4] == catalog.image_for("library/node", "20").diff_ids[:4]  # buildpack-deps too


def test_manifest_and_config_shape():
    img = catalog.image_for("library/busybox", "latest")
    m = json.loads(img.manifest_bytes)
    assert m["schemaVersion"] == 2 and m["mediaType"] == catalog.MEDIA_MANIFEST
    assert m["config"] == {"mediaType": catalog.MEDIA_CONFIG, "digest": img.config_digest,
                           "size": len(img.config_bytes)}
    assert [l["digest"] for l in m["layers"]] == img.diff_ids  # uncompressed: digest == diff id
    cfg = json.loads(img.config_bytes)
    assert cfg["config"]["Cmd"] == ["sh"] and cfg["os"] == "linux" and cfg["architecture"] == "amd64"
    assert cfg["rootfs"] == {"type": "layers", "diff_ids": img.diff_ids}
    assert cfg["history"][-1] == {"created": cfg["created"], "created_by": 'CMD ["sh"]', "empty_layer": True}


@pytest.mark.parametrize("repo, tag, cmd, entrypoint", [
    ("library/alpine", "latest", ["/bin/sh"], None),
    ("library/debian", "bookworm", ["bash"], None),
    ("library/ubuntu", "24.04", ["/bin/bash"], None),
    ("library/node", "22", ["node"], ["docker-entrypoint.sh"]),
    ("library/nginx", "latest", ["nginx", "-g", "daemon off;"], ["/docker-entrypoint.sh"]),
    ("library/hello-world", "latest", ["/hello"], None),
])
def test_configs(repo, tag, cmd, entrypoint):
    cfg = json.loads(catalog.image_for(repo, tag).config_bytes)["config"]
    assert cfg["Cmd"] == cmd and cfg.get("Entrypoint") == entrypoint
    assert cfg["Env"][0].startswith("PATH=")


def test_node_and_nginx_config_details():
    node = json.loads(catalog.image_for("library/node", "22").config_bytes)["config"]
    assert "NODE_VERSION=22.13.0" in node["Env"] and "YARN_VERSION=1.22.22" in node["Env"]
    nginx = json.loads(catalog.image_for("library/nginx", "latest").config_bytes)["config"]
    assert nginx["ExposedPorts"] == {"80/tcp": {}} and nginx["StopSignal"] == "SIGQUIT"
    assert "NGINX_VERSION=1.27.3" in nginx["Env"]


def test_busybox_layout():
    tar = catalog.image_for("library/busybox", "latest").layers[0]
    m = _members(tar)
    first = m["bin/["]
    assert first.isfile() and _read(tar, "bin/[") == marker("busybox") and first.mode == 0o755
    for applet in ("busybox", "sh", "ls", "echo", "[[", "xargs"):
        assert m[f"bin/{applet}"].islnk() and m[f"bin/{applet}"].linkname == "bin/["
    assert m["tmp"].mode == 0o1777 and m["root"].isdir()
    for d in ("proc", "sys", "dev", "home", "usr/bin" if "usr/bin" in m else "usr"):
        assert m[d].isdir()
    passwd = _read(tar, "etc/passwd").decode()
    assert [l.split(":")[0] for l in passwd.splitlines()] == [
        "root", "daemon", "bin", "sys", "sync", "mail", "www-data", "operator", "nobody"]
    assert "etc/hostname" not in m  # the runtime adds it


def test_alpine_layout():
    tar = catalog.image_for("library/alpine", "3.20").layers[0]
    m = _members(tar)
    assert m["bin/ls"].issym() and m["bin/ls"].linkname == "/bin/busybox"
    assert _read(tar, "bin/busybox") == marker("busybox") and _read(tar, "sbin/apk") == marker("apk")
    assert _read(tar, "etc/alpine-release") == b"3.20.3\n"
    assert b'PRETTY_NAME="Alpine Linux v3.20"' in _read(tar, "etc/os-release")
    old = catalog.image_for("library/alpine", "3.10").layers[0]
    assert _read(old, "etc/alpine-release") == b"3.10.9\n"


def test_debian_layout():
    tar = catalog.image_for("library/debian", "bookworm").layers[0]
    m = _members(tar)
    assert m["bin"].issym() and m["bin"].linkname == "usr/bin"
    assert m["sbin"].linkname == "usr/sbin" and m["lib"].linkname == "usr/lib"
    assert _read(tar, "usr/bin/bash") == marker("bash") and _read(tar, "usr/bin/dash") == marker("sh")
    assert m["usr/bin/sh"].issym() and m["usr/bin/sh"].linkname == "dash"
    for tool in ("ls", "cat", "[", "xargs", "which"):
        assert _read(tar, f"usr/bin/{tool}") == marker(tool)
    assert _read(tar, "etc/debian_version") == b"12.9\n"
    assert b'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"' in _read(tar, "usr/lib/os-release")
    users = [l.split(":")[0] for l in _read(tar, "etc/passwd").decode().splitlines()]
    assert users[0] == "root" and users[-2:] == ["_apt", "nobody"]


def test_node_layers():
    img = catalog.image_for("library/node", "22")
    users = _members(img.layers[4])
    assert "node:x:1000:1000::/home/node:/bin/bash" in _read(img.layers[4], "etc/passwd").decode()
    assert users["home/node"].uid == 1000
    node = _members(img.layers[5])
    assert _read(img.layers[5], "usr/local/bin/node") == marker("node")
    assert node["usr/local/bin/npm"].linkname == "../lib/node_modules/npm/bin/npm-cli.js"
    assert _read(img.layers[5], "usr/local/lib/node_modules/npm/bin/npm-cli.js").startswith(b"#!/usr/bin/env node")
    entry = _read(img.layers[7], "usr/local/bin/docker-entrypoint.sh")
    assert entry.startswith(b"#!/bin/sh") and b'exec "$@"' in entry


def test_nginx_and_hello():
    nginx = catalog.image_for("library/nginx", "latest")
    install = nginx.layers[1]
    assert _read(install, "usr/sbin/nginx") == marker("nginx")
    assert b"<h1>Welcome to nginx!</h1>" in _read(install, "usr/share/nginx/html/index.html")
    assert b"worker_processes" in _read(install, "etc/nginx/nginx.conf")
    assert "docker-entrypoint.sh" in _members(nginx.layers[2])
    hello = catalog.image_for("library/hello-world", "latest")
    assert len(hello.layers) == 1 and _read(hello.layers[0], "hello") == marker("hello")


def test_host_rootfs():
    tar = catalog.host_rootfs_tar()
    for path, name in (("usr/sbin/init", "init"), ("usr/bin/dockerd", "dockerd"),
                       ("usr/bin/containerd", "containerd"),
                       ("usr/bin/containerd-shim-runc-v2", "containerd-shim-runc-v2"),
                       ("usr/bin/ls", "ls")):
        assert _read(tar, path) == marker(name)
    assert _members(tar)["sbin"].linkname == "usr/sbin"


# -- hub ------------------------------------------------------------------------------


def test_hub_lookup_and_errors():
    hub = Hub(MemoryStore())
    m = hub.lookup(parse("busybox"))
    assert m.digest == BUSYBOX_LATEST_DIGEST == sha256_digest(m.raw)
    assert hub.lookup(parse("busybox:1.37")).digest == m.digest
    assert hub.lookup(parse(f"busybox@{m.digest}")).digest == m.digest
    with pytest.raises(RepositoryNotFound) as exc:
        hub.lookup(parse("nosuchimage"))
    assert str(exc.value) == ("pull access denied for nosuchimage, repository does not exist or may require "
                              "'docker login': denied: requested access to the resource is denied")
    with pytest.raises(ManifestUnknown) as exc:
        hub.lookup(parse("busybox:nosuch"))
    assert str(exc.value) == "manifest for busybox:nosuch not found: manifest unknown: manifest unknown"
    with pytest.raises(ManifestUnknown):
        hub.lookup(parse("busybox@sha256:" + "0" * 64))
    with pytest.raises(RegistryUnavailable):
        hub.lookup(parse("localhost:5000/x/y"))


def test_hub_persists_and_accepts_pushes(tmp_path):
    hub = Hub(DirStore(str(tmp_path)))
    built = catalog.image_for("library/hello-world", "latest")
    hub.lookup(parse("hello-world"))
    hub.create_repository("museopkim/kubia", owner="museopkim")
    hub.login("museopkim", "pw")
    session = hub.registry("museopkim", "pw")
    for data in built.blobs().values():
        session.upload_blob("museopkim/kubia", data)
    digest = session.put_manifest("museopkim/kubia", "latest", built.manifest_bytes)
    again = Hub.load(DirStore(str(tmp_path)))
    assert again.lookup(parse("museopkim/kubia")).digest == digest
    assert again.repository("museopkim/kubia").owner == "museopkim"
    assert again.get_blob(built.config_digest) == built.config_bytes
    assert "library/hello-world" in again.repositories()


@pytest.mark.parametrize("kind", ["memory", "dir"])
def test_store_exists_answers_without_reading(kind, tmp_path):
    store = MemoryStore() if kind == "memory" else DirStore(str(tmp_path))
    assert not store.exists("hub/blobs/abc")
    store.put_bytes("hub/blobs/abc", b"data")
    store.append_bytes("logs/c1", b"line\n")
    assert store.exists("hub/blobs/abc") and store.exists("logs/c1")
    assert not store.exists("hub/blobs") and not store.exists("hub/blobs/abd")  # a folder is no key
    store.delete("hub/blobs/abc")
    assert not store.exists("hub/blobs/abc")
    with pytest.raises(ValueError):
        store.exists("../etc/passwd")


class _NoBlobReads(MemoryStore):
    """A store that fails any read of a hub blob (to prove existence tests
    do not read whole blobs)."""

    def get_bytes(self, key):
        if "/blobs/" in key:
            raise AssertionError(f"read {key} just to test it exists")
        return super().get_bytes(key)


def test_hub_tests_blob_existence_without_reading_blobs():
    built = catalog.image_for("library/hello-world", "latest")
    store = _NoBlobReads()
    first = Hub(store)
    for data in built.blobs().values():
        first.put_blob(data)
    hub = Hub(store)  # a fresh hub: nothing cached, the blobs are in the store
    assert hub.has_blob(built.config_digest)
    assert not hub.has_blob("sha256:" + "0" * 64)
    hub.create_repository("someone/app", owner="someone")
    hub.login("someone", "pw")
    session = hub.registry("someone", "pw")
    for data in built.blobs().values():
        session.upload_blob("someone/app", data)  # already stored: neither read nor written again
    assert session.put_manifest("someone/app", "v1", built.manifest_bytes).startswith("sha256:")
