"""docker save / docker load with the real CLI and docker-py: the Docker
25+ layout, blobs matching their digests, round trips, garbage."""

import gzip
import hashlib
import io
import json
import tarfile


from .helpers import docker_py, ok


def test_save_writes_the_oci_layout_and_every_blob_matches(docker, tmp_path):
    ok(docker("pull", "busybox:1.36", timeout=120))
    out = tmp_path / "bb.tar"
    ok(docker("save", "-o", str(out), "busybox:1.36"))
    with tarfile.open(out) as tf:
        names = tf.getnames()
        assert {"oci-layout", "index.json", "manifest.json", "repositories"} <= set(names)
        blobs = [n for n in names if n.startswith("blobs/sha256/") and tf.getmember(n).isfile()]
        for name in blobs:
            data = tf.extractfile(name).read()
            assert hashlib.sha256(data).hexdigest() == name.rsplit("/", 1)[1]
        manifest = json.loads(tf.extractfile("manifest.json").read())
        index = json.loads(tf.extractfile("index.json").read())
    image_id = ok(docker("image", "inspect", "-f", "{{.Id}}", "busybox:1.36")).stdout.strip()
    assert manifest[0]["RepoTags"] == ["busybox:1.36"]
    assert manifest[0]["Config"] == "blobs/sha256/" + image_id.split(":")[1]
    assert index["manifests"][0]["annotations"]["io.containerd.image.name"] == \
        "docker.io/library/busybox:1.36"


def test_save_rmi_load_round_trip(docker, tmp_path):
    ok(docker("pull", "alpine:3.19", timeout=120))
    ok(docker("tag", "alpine:3.19", "mine/alpine:kept"))
    image_id = ok(docker("image", "inspect", "-f", "{{.Id}}", "mine/alpine:kept")).stdout.strip()
    out = tmp_path / "a.tar"
    ok(docker("save", "-o", str(out), "mine/alpine:kept"))
    ok(docker("rmi", "mine/alpine:kept", "alpine:3.19"))
    assert docker("image", "inspect", image_id).returncode == 1
    loaded = ok(docker("load", "-i", str(out)))
    assert loaded.stdout == "Loaded image: mine/alpine:kept\n"
    assert ok(docker("image", "inspect", "-f", "{{.Id}}", "mine/alpine:kept")).stdout.strip() == image_id
    assert ok(docker("run", "--rm", "mine/alpine:kept", "cat", "/etc/alpine-release")).stdout.startswith("3.19")
    # From stdin, gzip-compressed.
    ok(docker("rmi", "mine/alpine:kept"))
    data = gzip.compress(out.read_bytes())
    loaded = ok(docker("load", input=data))
    assert b"Loaded image: mine/alpine:kept" in loaded.stdout


def test_load_of_garbage_is_a_clear_error(docker, tmp_path):
    r = docker("load", input=b"this is not an image archive\n" * 50)
    assert r.returncode == 1 and b"invalid tar header" in r.stderr, r.stdout + r.stderr
    r = docker("load", input=b"")
    assert r.returncode == 1, r.stdout + r.stderr
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tf:
        info = tarfile.TarInfo("../../escape.txt")
        info.size = 3
        tf.addfile(info, io.BytesIO(b"hi\n"))
    r = docker("load", input=buf.getvalue())
    assert r.returncode == 1 and b"repositories: no such file or directory" in r.stderr, r.stderr
    assert not (tmp_path.parent / "escape.txt").exists()
    assert ok(docker("version", "--format", "{{.Server.Version}}")).stdout.strip()


def test_docker_py_save_and_load(docker_host):
    dpy = docker_py()
    client = dpy.DockerClient(base_url=docker_host)
    try:
        image = client.images.pull("busybox", tag="1.37")
        data = b"".join(image.save(named=True))
        client.images.remove("busybox:1.37", force=True)
        loaded = client.images.load(data)
        assert [i.id for i in loaded] == [image.id]
        assert "busybox:1.37" in client.images.get(image.id).tags
        container = client.containers.create("busybox:1.37", ["true"])
        rootfs = b"".join(container.export())
        container.remove()
        result = client.api.import_image_from_data(rootfs, repository="dpy/imported", tag="t",
                                                   changes=["CMD [\"echo\", \"hi\"]"])
        assert json.loads(result)["status"].startswith("sha256:")
        assert client.containers.run("dpy/imported:t", remove=True) == b"hi\n"
    finally:
        client.close()


def test_export_then_import_with_changes(docker, tmp_path):
    cid = ok(docker("create", "busybox", "sh", "-c", "echo made > /made.txt")).stdout.strip()
    ok(docker("start", "-a", cid))
    out = tmp_path / "fs.tar"
    ok(docker("export", "-o", str(out), cid))
    r = ok(docker("import", "-c", 'CMD ["cat", "/made.txt"]', "-c", "ENV GREETING=hi",
                  "-m", "from an export", str(out), "imported/fs:v1"))
    image_id = r.stdout.strip()
    assert image_id.startswith("sha256:") and len(image_id) == 71
    info = json.loads(ok(docker("image", "inspect", "imported/fs:v1")).stdout)[0]
    assert info["Id"] == image_id and info["Comment"] == "from an export"
    assert info["Config"]["Cmd"] == ["cat", "/made.txt"] and "GREETING=hi" in info["Config"]["Env"]
    assert len(info["RootFS"]["Layers"]) == 1
    assert ok(docker("run", "--rm", "imported/fs:v1")).stdout == "made\n"
    history = ok(docker("history", "--format", "{{.Comment}}", "imported/fs:v1")).stdout
    assert history == "from an export\n"
    # From stdin, without a message: "Imported from -".
    r = ok(docker("import", "-", "imported/fs:v2", input=out.read_bytes()))
    assert r.stdout.strip().startswith(b"sha256:")
    assert ok(docker("image", "inspect", "-f", "{{.Comment}}", "imported/fs:v2")).stdout == "Imported from -\n"
    r = docker("import", "-c", "RUN true", str(out))
    assert r.returncode == 1 and "RUN is not a valid change command" in r.stderr, r.stderr
    r = docker("import", "http://example.invalid/fs.tar")
    assert r.returncode == 1 and "no such host" in r.stderr, r.stderr
    ok(docker("rm", cid))


def test_save_and_load_platform(docker, tmp_path):
    """The CLI sends --platform as the OCI platform in JSON: save refuses
    an image of another platform, load skips it."""
    ok(docker("pull", "busybox:1.36", timeout=120))
    r = docker("save", "--platform", "linux/arm64", "-o", str(tmp_path / "x.tar"), "busybox:1.36")
    assert r.returncode == 1
    assert "no suitable export target found for platform linux/arm64" in r.stderr, r.stderr
    out = tmp_path / "bb.tar"
    ok(docker("save", "--platform", "linux/amd64", "-o", str(out), "busybox:1.36"))
    ok(docker("rmi", "busybox:1.36"))
    r = ok(docker("load", "--platform", "linux/arm64", "-i", str(out)))
    assert docker("image", "inspect", "busybox:1.36").returncode == 1, r.stdout
    r = ok(docker("load", "--platform", "linux/amd64", "-i", str(out)))
    assert r.stdout == "Loaded image: busybox:1.36\n"
