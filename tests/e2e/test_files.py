"""`docker cp` both ways, `docker export`, and docker-py's get_archive /
put_archive, with the real CLI against the daemon."""

import io
import os
import tarfile

import pytest

from .helpers import docker_py, ok


def test_cp_into_and_out_of_a_running_container(docker, tmp_path):
    cid = ok(docker("run", "-d", "busybox", "sleep", "300")).stdout.strip()
    try:
        src = tmp_path / "notes.txt"
        src.write_text("written on the host\n")
        ok(docker("cp", str(src), f"{cid}:/tmp/"))
        assert ok(docker("exec", cid, "cat", "/tmp/notes.txt")).stdout == "written on the host\n"
        folder = tmp_path / "site"
        (folder / "css").mkdir(parents=True)
        (folder / "index.html").write_text("<h1>hi</h1>\n")
        (folder / "css" / "a.css").write_text("h1{}\n")
        ok(docker("cp", str(folder), f"{cid}:/srv"))
        assert ok(docker("exec", cid, "find", "/srv")).stdout.split() == [
            "/srv", "/srv/css", "/srv/css/a.css", "/srv/index.html"]
        ok(docker("exec", cid, "sh", "-c", "echo made inside > /made.txt"))
        out = tmp_path / "back"
        out.mkdir()
        ok(docker("cp", f"{cid}:/made.txt", str(out)))
        assert (out / "made.txt").read_text() == "made inside\n"
        ok(docker("cp", f"{cid}:/etc/.", str(out / "etc")))
        assert (out / "etc" / "passwd").read_text().startswith("root:x:0:0:")
        assert (out / "etc" / "hostname").read_text() == cid[:12] + "\n"  # the bind-mounted file
        # To stdout as a tar, and from stdin as a tar.
        tar_bytes = ok(docker("cp", f"{cid}:/made.txt", "-", input=b"")).stdout
        with tarfile.open(fileobj=io.BytesIO(tar_bytes)) as tf:
            assert tf.extractfile("made.txt").read() == b"made inside\n"
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w") as tf:
            info = tarfile.TarInfo("piped.txt")
            info.size = 6
            tf.addfile(info, io.BytesIO(b"piped\n"))
        ok(docker("cp", "-", f"{cid}:/tmp", input=buf.getvalue()))
        assert ok(docker("exec", cid, "cat", "/tmp/piped.txt")).stdout == "piped\n"
    finally:
        docker("rm", "-f", cid)


def test_cp_into_a_stopped_container_survives_in_its_writable_layer(docker, tmp_path):
    cid = ok(docker("create", "busybox", "cat", "/data/in.txt")).stdout.strip()
    try:
        src = tmp_path / "in.txt"
        src.write_text("before start\n")
        r = docker("cp", str(src), f"{cid}:/data/in.txt")
        # /data does not exist: the CLI says so, as Docker does.
        assert r.returncode != 0 and "Could not find the file /data in container" in r.stderr, r.stderr
        ok(docker("cp", str(src), f"{cid}:/in.txt"))
        diff = ok(docker("diff", cid)).stdout.split("\n")
        assert "A /in.txt" in diff
        ok(docker("cp", f"{cid}:/in.txt", str(tmp_path / "again.txt")))
        assert (tmp_path / "again.txt").read_text() == "before start\n"
    finally:
        docker("rm", "-f", cid)


def test_cp_errors_are_dockers(docker, tmp_path):
    cid = ok(docker("run", "-d", "busybox", "sleep", "300")).stdout.strip()
    try:
        r = docker("cp", f"{cid}:/nosuch", str(tmp_path))
        assert r.returncode == 1
        assert f"Could not find the file /nosuch in container {cid}" in r.stderr, r.stderr
        r = docker("cp", "nosuchcontainer:/etc/passwd", str(tmp_path))
        assert r.returncode == 1 and "No such container: nosuchcontainer" in r.stderr, r.stderr
        # Paths climbing out of the container stay inside it.
        ok(docker("cp", f"{cid}:/../../../etc/hostname", str(tmp_path / "h")))
        assert (tmp_path / "h").read_text() == cid[:12] + "\n"
        src = tmp_path / "evil.txt"
        src.write_text("x\n")
        ok(docker("cp", str(src), f"{cid}:../../etc/"))
        assert ok(docker("exec", cid, "cat", "/etc/evil.txt")).stdout == "x\n"
        assert not os.path.exists("/etc/evil.txt")
    finally:
        docker("rm", "-f", cid)


def test_export_is_the_flattened_filesystem(docker, tmp_path):
    cid = ok(docker("create", "busybox", "sh", "-c", "echo hi > /hello; rm /etc/group")).stdout.strip()
    ok(docker("start", "-a", cid))
    try:
        out = tmp_path / "fs.tar"
        ok(docker("export", "-o", str(out), cid))
        with tarfile.open(out) as tf:
            names = tf.getnames()
            assert tf.extractfile("hello").read() == b"hi\n"
        assert "bin/busybox" in names and "etc/passwd" in names
        assert "etc/group" not in names and not any(".wh." in n for n in names)
    finally:
        docker("rm", "-f", cid)


def test_docker_py_get_and_put_archive(docker_host):
    dpy = docker_py()
    client = dpy.DockerClient(base_url=docker_host)
    client.images.pull("busybox", tag="latest")
    container = client.containers.run("busybox", ["sleep", "300"], detach=True)
    try:
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w") as tf:
            info = tarfile.TarInfo("conf/app.ini")
            data = b"[app]\nname=demo\n"
            info.size, info.mode, info.uid, info.gid = len(data), 0o640, 1000, 1000
            tf.addfile(info, io.BytesIO(data))
        assert container.put_archive("/tmp", buf.getvalue()) is True
        stream, stat = container.get_archive("/tmp/conf/app.ini")
        assert stat["name"] == "app.ini" and stat["size"] == len(data)
        assert stat["mode"] == 0o640 and stat["linkTarget"] == ""
        with tarfile.open(fileobj=io.BytesIO(b"".join(stream))) as tf:
            member = tf.getmember("app.ini")
            assert (member.uid, member.mode) == (1000, 0o640)
            assert tf.extractfile(member).read() == data
        _, stat = container.get_archive("/bin")
        assert stat["mode"] & (1 << 31)  # Go's os.ModeDir
        with pytest.raises(dpy.errors.NotFound):
            container.get_archive("/nosuch")
    finally:
        container.remove(force=True)
        client.close()
