"""Log rotation (--log-opt max-size/max-file/compress) as a user of the
real docker CLI and docker-py sees it: the files in the container's
folder, docker logs across them, moby's words for a bad value."""

import gzip
import os

from .helpers import docker_py, ok

SEQ = "for i in $(seq 1 200); do echo line $i; done"


def test_max_size_and_max_file_keep_the_tail(docker):
    name = "rot-json"
    docker("rm", "-f", name)
    ok(docker("run", "--name", name, "--log-opt", "max-size=1k", "--log-opt", "max-file=2",
              "busybox", "sh", "-c", SEQ))
    try:
        lines = ok(docker("logs", name)).stdout.splitlines()
        assert lines[-1] == "line 200"
        first = int(lines[0].split()[1])
        assert 150 < first < 200 and lines == [f"line {i}" for i in range(first, 201)]
        log_path = ok(docker("inspect", "-f", "{{.LogPath}}", name)).stdout.strip()
        cid = ok(docker("inspect", "-f", "{{.Id}}", name)).stdout.strip()
        assert os.path.basename(log_path) == f"{cid}-json.log"
        folder = os.listdir(os.path.dirname(log_path))
        logs = sorted(f for f in folder if "-json.log" in f)
        assert logs == [f"{cid}-json.log", f"{cid}-json.log.1"]
        assert os.path.getsize(log_path + ".1") >= 1000
        assert ok(docker("logs", "--tail", "3", name)).stdout == "line 198\nline 199\nline 200\n"
        stamped = ok(docker("logs", "-t", "--tail", "1", name)).stdout
        assert stamped.endswith(" line 200\n") and stamped[:4].isdigit()
    finally:
        docker("rm", "-f", name)


def test_compress_and_local_driver(docker):
    name = "rot-gz"
    docker("rm", "-f", name)
    ok(docker("run", "--name", name, "--log-opt", "max-size=1k", "--log-opt", "max-file=3",
              "--log-opt", "compress=true", "busybox", "sh", "-c", SEQ))
    try:
        log_path = ok(docker("inspect", "-f", "{{.LogPath}}", name)).stdout.strip()
        assert os.path.exists(log_path + ".1.gz") and os.path.exists(log_path + ".2.gz")
        assert not os.path.exists(log_path + ".1")
        with open(log_path + ".1.gz", "rb") as fh:
            assert b'"log":"line ' in gzip.decompress(fh.read())
        lines = ok(docker("logs", name)).stdout.splitlines()
        assert lines[-1] == "line 200" and len(lines) < 200
    finally:
        docker("rm", "-f", name)
    ok(docker("run", "--name", "rot-local", "--log-driver", "local", "--log-opt", "max-size=1k",
              "busybox", "sh", "-c", SEQ))
    try:
        lines = ok(docker("logs", "rot-local")).stdout.splitlines()
        assert lines[-1] == "line 200" and 40 < len(lines) < 100  # 5 files of ~13 records
    finally:
        docker("rm", "-f", "rot-local")


def test_bad_values_fail_the_run_with_mobys_words(docker):
    result = docker("run", "--rm", "--log-opt", "max-size=1k", "--log-opt", "max-file=0",
                    "busybox", "true")
    assert result.returncode == 125
    assert ("failed to create task for container: failed to initialize logging driver: "
            "max-file cannot be less than 1") in result.stderr
    result = docker("run", "--rm", "--log-opt", "max-size=tiny", "busybox", "true")
    assert result.returncode == 125
    assert "failed to initialize logging driver: invalid size: 'tiny'" in result.stderr


def test_docker_py_log_config_max_size(docker_host):
    dpy = docker_py()
    client = dpy.DockerClient(base_url=docker_host)
    container = client.containers.run(
        "busybox", ["sh", "-c", SEQ], detach=True,
        log_config=dpy.types.LogConfig(type="json-file", config={"max-size": "1k"}))
    try:
        assert container.wait()["StatusCode"] == 0
        lines = container.logs().decode().splitlines()
        assert lines[-1] == "line 200" and len(lines) < 50  # max-file 1: the file starts again
        container.reload()
        assert container.attrs["HostConfig"]["LogConfig"] == {"Type": "json-file",
                                                              "Config": {"max-size": "1k"}}
    finally:
        container.remove(force=True)
        client.close()
