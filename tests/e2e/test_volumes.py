"""Bind mounts, named and anonymous volumes and tmpfs with the real CLI
and docker-py (issue 8: volumes and mounts)."""

import json
import os
import subprocess

from .helpers import docker_py, ok


def test_a_bind_mount_shows_host_files_live_both_ways(docker, tmp_path):
    host = tmp_path / "share"
    host.mkdir()
    (host / "from-host.txt").write_text("hello from the host\n")
    out = ok(docker("run", "--rm", "-v", f"{host}:/data", "busybox", "ls", "/data")).stdout
    assert out == "from-host.txt\n"
    ok(docker("run", "--rm", "-v", f"{host}:/data", "busybox", "sh", "-c",
              "echo made inside > /data/inside.txt; mkdir /data/d; cat /data/from-host.txt"))
    assert (host / "inside.txt").read_text() == "made inside\n" and (host / "d").is_dir()
    cid = ok(docker("run", "-d", "--mount", f"type=bind,source={host},target=/data",
                    "busybox", "sleep", "300")).stdout.strip()
    try:
        (host / "later.txt").write_text("written while it runs\n")
        assert ok(docker("exec", cid, "cat", "/data/later.txt")).stdout == "written while it runs\n"
        mounts = ok(docker("exec", cid, "grep", " /data ", "/proc/mounts")).stdout
        assert mounts == "/dev/sda1 /data ext4 rw,relatime 0 0\n"
        info = json.loads(ok(docker("inspect", cid)).stdout)[0]
        assert info["Mounts"] == [{"Type": "bind", "Source": str(host), "Destination": "/data",
                                   "Mode": "", "RW": True, "Propagation": "rprivate"}]
    finally:
        ok(docker("rm", "-f", cid))


def test_read_only_binds_and_escaping_links(docker, tmp_path):
    host, outside = tmp_path / "share", tmp_path / "outside"
    host.mkdir()
    outside.mkdir()
    (outside / "secret").write_text("do not read\n")
    (host / "up").symlink_to("../outside/secret")
    (host / "abs").symlink_to(outside)
    r = docker("run", "--rm", "-v", f"{host}:/data:ro", "busybox", "sh", "-c", "echo x > /data/new")
    assert r.returncode == 1 and "Read-only file system" in r.stderr
    assert not (host / "new").exists()
    r = docker("run", "--rm", "-v", f"{host}:/data", "busybox", "sh", "-c",
               "cat /data/up; cat /data/abs/secret; ls /data/../")
    assert "do not read" not in r.stdout
    assert r.stderr.count("No such file or directory") == 2
    r = docker("run", "--rm", "--mount", "type=bind,source=/nosuch-dockersim,target=/x", "busybox", "true")
    assert r.returncode == 125
    assert ('invalid mount config for type "bind": bind source path does not exist: '
            '/nosuch-dockersim') in r.stderr


def test_volume_commands_and_data_kept_across_containers(docker):
    ok(docker("volume", "create", "--label", "team=a", "e2e-keep"))
    try:
        assert "e2e-keep" in ok(docker("volume", "ls", "-q", "-f", "label=team=a")).stdout.split()
        info = json.loads(ok(docker("volume", "inspect", "e2e-keep")).stdout)[0]
        assert info["Mountpoint"] == "/var/lib/docker/volumes/e2e-keep/_data"
        ok(docker("run", "--rm", "-v", "e2e-keep:/v", "busybox", "sh", "-c", "echo kept > /v/f"))
        assert ok(docker("run", "--rm", "-v", "e2e-keep:/v", "busybox", "cat", "/v/f")).stdout == "kept\n"
        cid = ok(docker("run", "-d", "-v", "e2e-keep:/v", "busybox", "sleep", "300")).stdout.strip()
        r = docker("volume", "rm", "e2e-keep")
        assert r.returncode == 1 and f"volume is in use - [{cid}]" in r.stderr
        ok(docker("rm", "-f", cid))
    finally:
        ok(docker("volume", "rm", "-f", "e2e-keep"))
    assert "e2e-keep" not in ok(docker("volume", "ls", "-q")).stdout.split()


def test_anonymous_volumes_go_with_rm_v_and_prune(docker):
    before = set(ok(docker("volume", "ls", "-q")).stdout.split())
    ok(docker("run", "--name", "e2e-anon", "-v", "/scratch", "busybox", "touch", "/scratch/x"))
    (anon,) = set(ok(docker("volume", "ls", "-q")).stdout.split()) - before
    ok(docker("rm", "-v", "e2e-anon"))
    assert anon not in ok(docker("volume", "ls", "-q")).stdout.split()
    ok(docker("run", "--rm", "-v", "/scratch", "busybox", "true"))
    assert set(ok(docker("volume", "ls", "-q")).stdout.split()) == before
    ok(docker("create", "--name", "e2e-anon2", "-v", "/scratch", "busybox"))
    ok(docker("rm", "e2e-anon2"))
    pruned = ok(docker("volume", "prune", "-f")).stdout
    assert "Deleted Volumes:" in pruned


def test_tmpfs_is_a_tmpfs_in_df(docker):
    out = ok(docker("run", "--rm", "--tmpfs", "/run:size=64m", "busybox", "df", "/run")).stdout
    assert out.splitlines()[1].split()[:2] == ["tmpfs", "65536"]


def test_a_named_volume_survives_a_daemon_restart(fresh_daemon, docker_cli, tmp_path):
    def run(*args):
        env = dict(os.environ, DOCKER_HOST=f"unix://{fresh_daemon.sock}",
                   DOCKER_CONFIG=str(tmp_path / "cfg"))
        return subprocess.run([docker_cli, *args], capture_output=True, text=True, env=env,
                              timeout=60, stdin=subprocess.DEVNULL)

    fresh_daemon.start()
    ok(run("run", "--rm", "-v", "survivor:/v", "busybox", "sh", "-c", "echo still here > /v/f"))
    fresh_daemon.stop()
    fresh_daemon.start()
    assert ok(run("volume", "ls", "-q")).stdout.split() == ["survivor"]
    assert ok(run("run", "--rm", "-v", "survivor:/v", "busybox", "cat", "/v/f")).stdout == "still here\n"


def test_docker_py_volumes_and_binds(docker_host, tmp_path):
    docker = docker_py()
    client = docker.DockerClient(base_url=docker_host)
    (tmp_path / "x").write_text("host file\n")
    out = client.containers.run("busybox", "cat /mnt/x", remove=True,
                                volumes={str(tmp_path): {"bind": "/mnt", "mode": "ro"}})
    assert out == b"host file\n"
    try:
        client.containers.run("busybox", "sh -c 'echo y > /mnt/x'", remove=True,
                              volumes={str(tmp_path): {"bind": "/mnt", "mode": "ro"}})
        raise AssertionError("the write to a read-only bind succeeded")
    except docker.errors.ContainerError as err:
        assert b"Read-only file system" in err.stderr
    vol = client.volumes.create("pyvol", labels={"k": "v"})
    try:
        assert vol.attrs["Labels"] == {"k": "v"}
        client.containers.run("busybox", "sh -c 'echo py > /v/f'", remove=True,
                              volumes={"pyvol": {"bind": "/v", "mode": "rw"}})
        assert client.containers.run("busybox", "cat /v/f", remove=True,
                                     volumes=["pyvol:/v"]) == b"py\n"
    finally:
        vol.remove(force=True)


def test_single_file_binds_and_tmpfs_noexec(docker, tmp_path):
    conf = tmp_path / "app.conf"
    conf.write_text("a=1\n")
    ok(docker("run", "--rm", "-v", f"{conf}:/etc/app/app.conf", "busybox", "sh", "-c",
              "echo b=2 >> /etc/app/app.conf"))
    assert conf.read_text() == "a=1\nb=2\n"
    r = docker("run", "--rm", "-v", f"{conf}:/etc/app.conf:ro", "busybox", "sh", "-c", "echo x > /etc/app.conf")
    assert r.returncode == 1 and "Read-only file system" in r.stderr
    # Docker's tmpfs is noexec,nosuid,nodev unless asked for exec.
    r = docker("run", "--rm", "--tmpfs", "/run", "busybox", "sh", "-c",
               "grep ' /run ' /proc/mounts; cp /bin/busybox /run/bb; /run/bb true")
    assert r.returncode == 126 and "Permission denied" in r.stderr
    assert r.stdout == "tmpfs /run tmpfs rw,nosuid,nodev,noexec,relatime,inode64 0 0\n"
    r = docker("run", "--rm", "--tmpfs", "/run:exec", "busybox", "sh", "-c",
               "cp /bin/busybox /run/echo; /run/echo works")
    assert ok(r).stdout == "works\n"
