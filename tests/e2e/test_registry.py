"""The simulated Docker Hub with the real docker CLI and docker-py: login,
push (denied, pushed, mounted, already there), pull back; image list
filters, image prune, system df.

Each test uses its own account names and base images, so the V2
metadata one test leaves (where layers live on the hub) cannot change
which repository another test's push mounts from.  ``DOCKER_CONFIG`` is
private to every test (the ``docker`` fixture, and ``monkeypatch`` for
docker-py), so ~/.docker is never touched.
"""

from __future__ import annotations

import json
import os
import re
import subprocess

import pytest

from dockersim.client import transport

from .helpers import docker_py, ok

pytestmark = pytest.mark.e2e

DENIED = "denied: requested access to the resource is denied"
DIGEST_LINE = re.compile(r"^(\S+): digest: (sha256:[0-9a-f]{64}) size: ([0-9]+)$", re.M)


def login(docker, user, password):
    return docker("login", "-u", user, "--password-stdin", input=password + "\n")


def layer_ids(docker, image):
    layers = json.loads(ok(docker("image", "inspect", image, "--format", "{{json .RootFS.Layers}}")).stdout)
    return [d[7:19] for d in layers]


def image_id(docker, image):
    return ok(docker("image", "inspect", image, "--format", "{{.Id}}")).stdout.strip()


def human(size: float, precision: int = 4) -> str:
    """go-units ``HumanSizeWithPrecision`` (decimal units)."""
    units = ["B", "kB", "MB", "GB", "TB"]
    i = 0
    while size >= 1000 and i < len(units) - 1:
        size /= 1000.0
        i += 1
    return "%.*g%s" % (precision, size, units[i])


def columns(text: str) -> "list[list[str]]":
    return [re.split(r"\s{2,}", line.strip()) for line in text.splitlines() if line.strip()]


# -- login -------------------------------------------------------------------

def test_login_with_password_stdin(docker, tmp_path):
    first = ok(login(docker, "e2elogin", "s3cret"))
    assert first.stdout == "Login Succeeded\n"
    assert "Your credentials are stored unencrypted" in first.stderr
    config = json.loads((tmp_path / "docker-config" / "config.json").read_text())
    assert "https://index.docker.io/v1/" in config["auths"]
    assert ok(login(docker, "e2elogin", "s3cret")).stdout == "Login Succeeded\n"
    wrong = login(docker, "e2elogin", "not-it")
    assert wrong.returncode == 1
    assert wrong.stderr.strip().endswith(
        'Error response from daemon: Get "https://registry-1.docker.io/v2/": '
        "unauthorized: incorrect username or password")


# -- push ----------------------------------------------------------------------

def test_push_without_login_is_denied(docker):
    ok(docker("pull", "alpine:3.11", timeout=120))
    ok(docker("tag", "alpine:3.11", "e2eanon/alp"))
    (lid,) = layer_ids(docker, "e2eanon/alp")
    result = docker("push", "e2eanon/alp")
    assert result.returncode == 1
    assert result.stdout == ("Using default tag: latest\n"
                             "The push refers to repository [docker.io/e2eanon/alp]\n"
                             f"{lid}: Preparing\n")
    assert result.stderr == DENIED + "\n"


def test_push_of_a_platform_the_image_lacks(docker):
    ok(login(docker, "e2eplat", "pw"))
    ok(docker("pull", "alpine:3.11", timeout=120))
    ok(docker("tag", "alpine:3.11", "e2eplat/alp"))
    result = docker("push", "--platform", "linux/arm64", "e2eplat/alp")
    assert result.returncode == 1
    assert "The push refers to repository" not in result.stdout  # refused before the stream
    assert ("image with reference e2eplat/alp:latest was found but its platform (linux/amd64) "
            "does not match the specified platform (linux/arm64)") in result.stderr, result.stderr


def test_push_to_library_is_denied_even_when_logged_in(docker):
    ok(login(docker, "e2ekubia", "pw"))
    ok(docker("pull", "alpine:3.10", timeout=120))
    ok(docker("tag", "alpine:3.10", "kubia"))
    try:
        result = docker("push", "kubia")
        assert result.returncode == 1
        assert "The push refers to repository [docker.io/library/kubia]" in result.stdout
        assert result.stderr == DENIED + "\n"
    finally:
        docker("rmi", "kubia")


def test_push_mounts_library_layers_then_finds_them_then_pulls_back(docker):
    ok(login(docker, "e2emount", "pw"))
    ok(docker("pull", "busybox:1.36", timeout=120))
    ok(docker("tag", "busybox:1.36", "e2emount/bb"))
    (lid,) = layer_ids(docker, "e2emount/bb")
    first = ok(docker("push", "e2emount/bb"))
    lines = first.stdout.splitlines()
    assert lines[:4] == ["Using default tag: latest", "The push refers to repository [docker.io/e2emount/bb]",
                         f"{lid}: Preparing", f"{lid}: Mounted from library/busybox"]
    tag, digest, size = DIGEST_LINE.search(first.stdout).groups()
    assert tag == "latest" and int(size) > 0
    second = ok(docker("push", "e2emount/bb"))
    assert f"{lid}: Layer already exists" in second.stdout
    assert f"latest: digest: {digest} size: {size}" in second.stdout
    repo_digests = json.loads(ok(docker("image", "inspect", "e2emount/bb", "--format",
                                        "{{json .RepoDigests}}")).stdout)
    assert f"e2emount/bb@{digest}" in repo_digests

    untag = ok(docker("rmi", "e2emount/bb")).stdout
    assert untag == f"Untagged: e2emount/bb:latest\nUntagged: e2emount/bb@{digest}\n"
    ok(docker("logout"))
    pulled = ok(docker("pull", "e2emount/bb"))  # public: no login needed
    assert f"Digest: {digest}" in pulled.stdout
    assert "Status: Downloaded newer image for e2emount/bb:latest" in pulled.stdout
    assert image_id(docker, "e2emount/bb") == image_id(docker, "busybox:1.36")


def test_another_users_repository(docker):
    ok(login(docker, "e2eowner", "pw"))
    ok(docker("pull", "alpine:3.14", timeout=120))
    ok(docker("tag", "alpine:3.14", "e2eowner/app"))
    digest = DIGEST_LINE.search(ok(docker("push", "e2eowner/app")).stdout).group(2)
    ok(login(docker, "e2eintruder", "pw"))
    denied = docker("push", "e2eowner/app")
    assert denied.returncode == 1 and denied.stderr == DENIED + "\n"
    ok(docker("rmi", "e2eowner/app"))
    assert f"Digest: {digest}" in ok(docker("pull", "e2eowner/app")).stdout


def test_docker_py_login_and_push(docker_host, tmp_path, monkeypatch):
    dpy = docker_py()

    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path / "py-config"))
    client = dpy.DockerClient(base_url=docker_host)
    try:
        assert client.login("e2epy", "pypw") == {"Status": "Login Succeeded", "IdentityToken": ""}
        image = client.images.pull("alpine", tag="3.13")
        assert image.tag("e2epy/alp", tag="v1")
        lid = image.attrs["RootFS"]["Layers"][0][7:19]
        messages = list(client.images.push("e2epy/alp", tag="v1", stream=True, decode=True))
        assert messages[0] == {"status": "The push refers to repository [docker.io/e2epy/alp]"}
        assert {"status": "Preparing", "progressDetail": {}, "id": lid} in messages
        assert {"status": "Mounted from library/alpine", "progressDetail": {}, "id": lid} in messages
        aux = messages[-1]["aux"]
        assert messages[-2] == {"status": f"v1: digest: {aux['Digest']} size: {aux['Size']}"}
        assert aux["Tag"] == "v1"
        assert f"e2epy/alp@{aux['Digest']}" in client.images.get("e2epy/alp:v1").attrs["RepoDigests"]
        with pytest.raises(dpy.errors.APIError) as exc:
            client.login("e2epy", "wrong", reauth=True)
        assert exc.value.status_code == 401
        assert "unauthorized: incorrect username or password" in str(exc.value)
    finally:
        client.close()


# -- fresh layers: Pushed, and the hub in the data root ---------------------------------

def seed_image(data_root, name: str, content: str) -> str:
    """Put an image with a layer nobody has pushed or pulled into a data
    root before its daemon starts (the way a build or commit would leave
    one); returns its id."""
    from dockersim.daemon.backend.datastore import DirStore
    from dockersim.sim.clock import ManualClock
    from dockersim.sim.images import reference as refmod
    from dockersim.sim.images.image_store import ImageStore, canonical_json
    from dockersim.sim.images.layer_store import LayerStore
    from dockersim.sim.images.tarball import TreeBuilder

    store = DirStore(str(data_root))
    layers = LayerStore.load(store)
    images = ImageStore.load(store, layers, ManualClock())
    layer = layers.register(TreeBuilder().file("app/message", content).tar(1_700_000_000))
    doc = {"architecture": "amd64", "os": "linux", "created": "2024-05-01T10:00:00Z",
           "config": {"Cmd": ["cat", "/app/message"]},
           "rootfs": {"type": "layers", "diff_ids": [layer.diff_id]}}
    img = images.create(canonical_json(doc))
    layers.release(layer.chain_id)
    images.tag(img.id, refmod.parse(name))
    return img.id


def test_fresh_layers_are_pushed_and_the_hub_survives_a_restart(fresh_daemon, docker_cli, tmp_path):
    def run(*args, input=None):
        env = dict(os.environ, DOCKER_HOST=f"unix://{fresh_daemon.sock}", DOCKER_CONFIG=str(tmp_path / "cfg"))
        return subprocess.run([docker_cli, *args], capture_output=True, text=True, env=env, timeout=60,
                              input=input, stdin=None if input is not None else subprocess.DEVNULL)

    seeded = seed_image(fresh_daemon.data_root, "seeduser/app", "hello from the hub\n")
    fresh_daemon.start()
    ok(run("login", "-u", "seeduser", "--password-stdin", input="pw\n"))
    (lid,) = layer_ids(run, "seeduser/app")
    first = ok(run("push", "seeduser/app"))
    digest, size = DIGEST_LINE.search(first.stdout).group(2, 3)
    assert first.stdout == ("Using default tag: latest\n"
                            "The push refers to repository [docker.io/seeduser/app]\n"
                            f"{lid}: Preparing\n"
                            f"{lid}: Pushed\n"
                            f"latest: digest: {digest} size: {size}\n")
    second = ok(run("push", "seeduser/app"))
    assert second.stdout == first.stdout.replace(f"{lid}: Pushed", f"{lid}: Layer already exists")

    fresh_daemon.stop()
    fresh_daemon.start()
    removed = ok(run("rmi", "seeduser/app")).stdout
    assert f"Deleted: {seeded}\n" in removed
    pulled = ok(run("pull", "seeduser/app"))
    assert f"{lid}: Pull complete" in pulled.stdout and f"Digest: {digest}" in pulled.stdout
    assert image_id(run, "seeduser/app") == seeded
    assert ok(run("login", "-u", "seeduser", "--password-stdin", input="pw\n")).stdout == "Login Succeeded\n"
    assert run("login", "-u", "seeduser", "--password-stdin", input="other\n").returncode == 1


# -- image list filters and prune ---------------------------------------------------------

def test_images_filters_and_prune(docker):
    ok(docker("pull", "busybox", timeout=120))
    ok(docker("pull", "alpine:3.15", timeout=120))
    alpine = image_id(docker, "alpine:3.15")
    ok(docker("tag", "busybox", "alpine:3.15"))  # the tag moves: alpine's image is left dangling
    try:
        dangling = ok(docker("images", "--filter", "dangling=true",
                             "--format", "{{.Repository}} {{.Tag}} {{.ID}}")).stdout.splitlines()
        assert f"alpine <none> {alpine[7:19]}" in dangling
        assert all(" <none> " in row for row in dangling)
        busy = ok(docker("images", "--filter", "reference=busy*", "--format", "{{.Repository}}:{{.Tag}}"))
        assert "busybox:latest" in busy.stdout.split()
        assert {row.split(":")[0] for row in busy.stdout.split()} == {"busybox"}
        bad = docker("images", "--filter", "nosuch=1")
        assert bad.returncode == 1 and bad.stderr.strip() == "Error response from daemon: invalid filter 'nosuch'"

        pruned = ok(docker("image", "prune", "-f")).stdout
        assert pruned.startswith("Deleted Images:\n")
        assert re.search(r"^untagged: alpine@sha256:[0-9a-f]{64}$", pruned, re.M)
        assert f"deleted: {alpine}\n" in pruned
        assert re.search(r"\nTotal reclaimed space: [0-9.]+[kM]?B\n$", pruned)
        assert alpine not in ok(docker("images", "-a", "-q", "--no-trunc")).stdout
        assert ok(docker("image", "prune", "-f")).stdout == "Total reclaimed space: 0B\n"
    finally:
        docker("rmi", "alpine:3.15")


# -- system df ----------------------------------------------------------------------------

def test_system_df_counts_a_shared_layer_once(fresh_daemon, docker_cli, tmp_path):
    env = dict(os.environ, DOCKER_HOST=f"unix://{fresh_daemon.sock}", DOCKER_CONFIG=str(tmp_path / "cfg"))

    def run(*args):
        return subprocess.run([docker_cli, *args], capture_output=True, text=True, env=env, timeout=120,
                              stdin=subprocess.DEVNULL)

    fresh_daemon.start()
    ok(run("pull", "debian:bookworm"))
    ok(run("pull", "node:22"))
    ok(run("create", "--name", "user", "node:22", "true"))
    status, _, body = transport.request("GET", "/v1.50/system/df", socket_path=str(fresh_daemon.sock))
    assert status == 200
    du = json.loads(body)
    images = {r["RepoTags"][0]: r for r in du["Images"]}
    node, debian = images["node:22"], images["debian:bookworm"]
    assert debian["SharedSize"] == debian["Size"]  # debian's one layer is node's base layer
    assert du["LayersSize"] == node["Size"] < node["Size"] + debian["Size"]

    table = columns(ok(run("system", "df")).stdout)
    total = du["LayersSize"]
    reclaimable = total - (node["Size"] - node["SharedSize"])
    assert table == [
        ["TYPE", "TOTAL", "ACTIVE", "SIZE", "RECLAIMABLE"],
        ["Images", "2", "1", human(total), f"{human(reclaimable)} ({reclaimable * 100 // total}%)"],
        ["Containers", "1", "0", "0B", "0B"],
        ["Local Volumes", "0", "0", "0B", "0B"],
        ["Build Cache", "0", "0", "0B", "0B"],
    ]
    verbose = ok(run("system", "df", "-v")).stdout
    rows = columns(verbose.split("Containers space usage:")[0])
    assert rows[0] == ["Images space usage:"]
    assert rows[1] == ["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE", "SHARED SIZE", "UNIQUE SIZE",
                       "CONTAINERS"]
    by_repo = {row[0]: row for row in rows[2:]}
    assert by_repo["node"][4:] == [human(node["Size"], 3), human(node["SharedSize"]),
                                   human(node["Size"] - node["SharedSize"]), "1"]
    assert by_repo["debian"][4:] == [human(debian["Size"], 3), human(debian["SharedSize"]), "0B", "0"]
