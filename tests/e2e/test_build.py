"""``docker build`` (the legacy builder: this CLI has no buildx) and
``docker commit`` with the real CLI and docker-py."""

from __future__ import annotations

import io
import json
import re
import shutil
import tarfile
from pathlib import Path

import pytest

from .helpers import docker_py, ok

pytestmark = pytest.mark.e2e

KUBIA = Path(__file__).resolve().parents[1] / "data" / "kubia"  # a copy of the seed's
if not KUBIA.exists():
    KUBIA = None

KUBIA_DOCKERFILE = 'FROM node\nADD ./app.js /app.js\nENTRYPOINT ["node", "app.js"]\n'
APP_JS = "console.log('kubia');\n"


def write(folder: Path, files: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return folder


def kubia_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "kubia"
    if KUBIA is not None:
        shutil.copytree(KUBIA, folder)
        return folder
    return write(folder, {"Dockerfile": KUBIA_DOCKERFILE, "app.js": APP_JS})


def build(docker, folder: Path, *args, **kwargs):
    return docker("build", *args, str(folder), timeout=180, **kwargs)


def steps(stdout: str) -> list:
    return [line for line in stdout.splitlines() if line.startswith("Step ")]


def test_kubia_build_history_and_cache(docker, tmp_path):
    folder = kubia_dir(tmp_path)
    first = ok(build(docker, folder, "-t", "kubia-e2e", env={"DOCKER_BUILDKIT": "0"}))
    out = first.stdout
    assert "BuildKit is currently disabled" in first.stderr
    assert out.startswith("Sending build context to Docker daemon")
    assert steps(out) == ["Step 1/3 : FROM node", "Step 2/3 : ADD ./app.js /app.js",
                          'Step 3/3 : ENTRYPOINT ["node", "app.js"]']
    built = re.search(r"^Successfully built ([0-9a-f]{12})$", out, re.M).group(1)
    assert out.rstrip().endswith(f"Successfully built {built}\nSuccessfully tagged kubia-e2e:latest")
    running = re.search(r"^ ---> Running in ([0-9a-f]{12})$", out, re.M).group(1)
    assert f" ---> Removed intermediate container {running}\n" in out
    assert "Using cache" not in out
    # unchanged: every step from the cache, the same image
    again = ok(build(docker, folder, "-t", "kubia-e2e")).stdout
    assert again.count(" ---> Using cache") == 2 and "Running in" not in again
    assert f"Successfully built {built}\n" in again
    # docker history: node's rows under the ADD and ENTRYPOINT ones
    history = ok(docker("history", "--no-trunc", "--format", "{{.CreatedBy}}", "kubia-e2e")).stdout
    rows = history.splitlines()
    assert rows[0] == '/bin/sh -c #(nop)  ENTRYPOINT ["node" "app.js"]'
    assert re.fullmatch(r"/bin/sh -c #\(nop\) ADD file:[0-9a-f]{64} in /app\.js ", rows[1])
    node_rows = ok(docker("history", "--no-trunc", "--format", "{{.CreatedBy}}", "node")).stdout.splitlines()
    assert rows[2:] == node_rows
    kubia = json.loads(ok(docker("image", "inspect", "kubia-e2e")).stdout)[0]
    node = json.loads(ok(docker("image", "inspect", "node")).stdout)[0]
    assert kubia["RootFS"]["Layers"][:-1] == node["RootFS"]["Layers"]
    assert kubia["Config"]["Entrypoint"] == ["node", "app.js"]
    # a changed app.js: only FROM comes from the cache
    (folder / "app.js").write_text(APP_JS + "// changed\n")
    changed = ok(build(docker, folder, "-t", "kubia-e2e")).stdout
    assert "Using cache" not in changed and "Running in" in changed
    assert f"Successfully built {built}" not in changed
    ps = ok(docker("ps", "-a", "--format", "{{.ID}}")).stdout
    assert running not in ps


def test_failing_run_reports_dockers_words_and_exit_code(docker, tmp_path):
    folder = write(tmp_path / "fail", {"Dockerfile": "FROM busybox\nRUN echo to-out; echo to-err >&2; exit 3\n"})
    result = build(docker, folder, "--force-rm")
    assert result.returncode == 3  # the CLI exits with the RUN's code (JSONError.Code)
    assert "to-out\n" in result.stdout and "to-err" in result.stdout
    assert result.stderr.rstrip().endswith(
        "The command '/bin/sh -c echo to-out; echo to-err >&2; exit 3' returned a non-zero code: 3")
    running = re.search(r" ---> Running in ([0-9a-f]{12})", result.stdout).group(1)
    assert running not in ok(docker("ps", "-a", "--format", "{{.ID}}")).stdout


def test_multi_stage_dockerignore_args_target_labels(docker, tmp_path):
    folder = write(tmp_path / "multi", {
        "Dockerfile": ("ARG BASE=busybox\n"
                       "FROM ${BASE} AS builder\nARG WHO=world\nWORKDIR /src\n"
                       "COPY . .\nRUN echo hello $WHO > greeting\n"
                       "FROM busybox\nCOPY --from=builder /src /app\nCOPY --from=alpine:3.19 /etc/alpine-release /\n"
                       "CMD [\"cat\", \"/app/greeting\"]\n"),
        "keep.txt": "keep\n", "secret.txt": "secret\n", ".dockerignore": "secret.txt\n"})
    result = ok(build(docker, folder, "-t", "multi-e2e", "--build-arg", "WHO=you",
                      "--label", "team=sim", "--no-cache"))
    assert "Step 11/11 : LABEL team=sim" in result.stdout
    assert ok(docker("run", "--rm", "multi-e2e")).stdout == "hello you\n"
    listing = ok(docker("run", "--rm", "multi-e2e", "ls", "-a", "/app")).stdout.split()
    assert "keep.txt" in listing and "secret.txt" not in listing and "Dockerfile" in listing
    assert ok(docker("run", "--rm", "multi-e2e", "cat", "/alpine-release")).stdout.strip()
    labels = json.loads(ok(docker("image", "inspect", "-f", "{{json .Config.Labels}}", "multi-e2e")).stdout)
    assert labels == {"team": "sim"}
    target = ok(build(docker, folder, "-t", "multi-builder-e2e", "--target", "builder"))
    assert steps(target.stdout)[-1] == "Step 6/6 : RUN echo hello $WHO > greeting"
    assert "[Warning]" not in target.stdout


def test_quiet_prints_only_the_id(docker, tmp_path):
    folder = write(tmp_path / "quiet", {"Dockerfile": "FROM busybox\nENV QUIET=1\n"})
    result = ok(build(docker, folder, "-q", "-t", "quiet-e2e"))
    assert re.fullmatch(r"sha256:[0-9a-f]{64}\n", result.stdout)
    image = json.loads(ok(docker("image", "inspect", "quiet-e2e")).stdout)[0]
    assert result.stdout.strip() == image["Id"]


def test_dockerfile_from_elsewhere_and_onbuild(docker, tmp_path):
    base = write(tmp_path / "base", {"Dockerfile": "FROM busybox\nONBUILD COPY note.txt /note\n"})
    ok(build(docker, base, "-t", "onbuild-base-e2e"))
    elsewhere = tmp_path / "elsewhere.Dockerfile"
    elsewhere.write_text("FROM onbuild-base-e2e\nRUN cat /note\n")
    context = write(tmp_path / "ctx", {"note.txt": "from the trigger\n"})
    result = ok(build(docker, context, "-f", str(elsewhere), "-t", "onbuild-child-e2e"))
    assert "# Executing 1 build trigger\n" in result.stdout
    assert "from the trigger\n" in result.stdout
    # the CLI shipped the Dockerfile under a random name, kept out of the image
    listing = ok(docker("run", "--rm", "onbuild-child-e2e", "ls", "-a", "/")).stdout.split()
    assert not [n for n in listing if n.startswith(".dockerfile")]


def test_bad_input_is_a_clear_error(docker, tmp_path):
    cases = [
        ("FROM busybox\nFOO bar\n",
         "Error response from daemon: dockerfile parse error on line 2: unknown instruction: FOO"),
        ("FROM busybox\nADD http://example.com/x /x\n", 'ADD failed: Get "http://example.com/x"'),
        ("FROM busybox\nCOPY ../x /x\n", "COPY failed: forbidden path outside the build context: ../x ()"),
        ("# escape=x\nFROM busybox\n",
         "Error response from daemon: failed to parse Dockerfile: invalid escape token 'x' does not match ` or \\"),
        ('FROM busybox\nHEALTHCHECK --interval=1ns CMD x\n',
         "Error response from daemon: dockerfile parse error on line 2: Interval \"interval\" cannot be less than 1ms"),
    ]
    for i, (dockerfile, words) in enumerate(cases):
        folder = write(tmp_path / f"bad{i}", {"Dockerfile": dockerfile})
        result = build(docker, folder)
        assert result.returncode == 1, result.stdout + result.stderr
        assert words in result.stderr, result.stderr
    squash = build(docker, write(tmp_path / "sq", {"Dockerfile": "FROM busybox\n"}), "--squash")
    assert squash.returncode == 1
    assert ok(docker("version", "--format", "{{.Server.Version}}")).stdout.strip() == "28.2.2"


def test_context_tar_with_dotdot_absolute_and_symlinks(docker_host, tmp_path):
    dpy = docker_py()

    escape = tmp_path / "escaped"
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tf:
        for name, data in (("Dockerfile", b"FROM busybox\nCOPY . /ctx/\n"),
                           ("../../../../../../.." + str(escape), b"x"), ("/abs.txt", b"a")):
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            tf.addfile(ti, io.BytesIO(data))
        link = tarfile.TarInfo("out")
        link.type, link.linkname = tarfile.SYMTYPE, "../../../../../../etc/shadow"
        tf.addfile(link)
    client = dpy.APIClient(base_url=docker_host)
    try:
        log = list(client.build(fileobj=io.BytesIO(buf.getvalue()), custom_context=True,
                                tag="confined-e2e", decode=True, rm=True))
        assert "Successfully tagged confined-e2e:latest\n" in [m.get("stream") for m in log], log
    finally:
        client.close()
    assert not escape.exists()
    high = dpy.DockerClient(base_url=docker_host)
    try:
        listing = high.containers.run("confined-e2e", ["find", "/ctx"], remove=True).decode().split()
        assert "/ctx/abs.txt" in listing and f"/ctx{escape}" in listing and "/ctx/out" in listing
    finally:
        high.close()


def test_docker_py_build_and_commit(docker_host, docker, tmp_path):
    dpy = docker_py()

    folder = kubia_dir(tmp_path)
    client = dpy.DockerClient(base_url=docker_host)
    try:
        image, logs = client.images.build(path=str(folder), tag="kubia-py-e2e")
        lines = [m.get("stream", "") for m in logs]
        built = re.search(r"Successfully built ([0-9a-f]{12})", "".join(lines)).group(1)
        assert image.id[7:19] == built and "kubia-py-e2e:latest" in image.tags
        with pytest.raises(dpy.errors.BuildError) as err:
            client.images.build(fileobj=io.BytesIO(b"FROM busybox\nRUN exit 5\n"), forcerm=True)
        assert err.value.msg == "The command '/bin/sh -c exit 5' returned a non-zero code: 5"
        container = client.containers.run("busybox", ["sh", "-c", "echo saved > /saved"], detach=True)
        container.wait()
        committed = container.commit(repository="committed-py-e2e", tag="v1",
                                     changes=["ENV FROM_PY=1", 'CMD ["cat", "/saved"]'],
                                     message="from docker-py", author="py")
        assert "committed-py-e2e:v1" in committed.tags
        assert committed.attrs["Comment"] == "from docker-py" and committed.attrs["Author"] == "py"
        assert "FROM_PY=1" in committed.attrs["Config"]["Env"]
        assert client.containers.run("committed-py-e2e:v1", remove=True) == b"saved\n"
        container.remove()
    finally:
        client.close()


def test_docker_commit_with_changes(docker):
    docker("rm", "-f", "commit-src-e2e")
    ok(docker("run", "--name", "commit-src-e2e", "busybox", "sh", "-c", "echo hi > /greeting"))
    image_id = ok(docker("commit", "-c", 'CMD ["cat", "/greeting"]', "-c", "EXPOSE 7000",
                         "-a", "me", "-m", "msg", "commit-src-e2e", "committed-e2e")).stdout.strip()
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", image_id)
    info = json.loads(ok(docker("image", "inspect", "committed-e2e")).stdout)[0]
    assert info["Id"] == image_id and info["Author"] == "me" and info["Comment"] == "msg"
    assert info["Config"]["Cmd"] == ["cat", "/greeting"]
    assert info["Config"]["ExposedPorts"] == {"7000/tcp": {}}
    assert ok(docker("run", "--rm", "committed-e2e")).stdout == "hi\n"
    history = ok(docker("history", "--format", "{{.CreatedBy}}|{{.Comment}}", "committed-e2e")).stdout
    assert history.splitlines()[0] == 'sh -c echo hi > /greeting|msg'
    bad = docker("commit", "-c", "RUN true", "commit-src-e2e", "never-e2e")
    assert bad.returncode == 1
    assert "Error response from daemon: RUN is not a valid change command" in bad.stderr
    ok(docker("rm", "commit-src-e2e"))


def test_build_resources_reach_the_run_containers(docker, tmp_path):
    """``docker build -m/--ulimit/--cpu-shares``: moby gives them to every
    RUN container (hostConfigFromOptions), so the kernel enforces them."""
    folder = write(tmp_path / "res", {"Dockerfile": (
        "FROM busybox\nRUN ulimit -n; cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/cpu.weight\n"
        "RUN head -c 20000000 /dev/zero > /dev/shm/x; echo survived\n")})
    result = build(docker, folder, "--no-cache", "-m", "8m", "--ulimit", "nofile=100:200",
                   "--cpu-shares", "512")
    assert "100\n8388608\n20\n" in result.stdout  # cpu.weight of 512 shares
    assert "\nsurvived\n" not in result.stdout
    assert result.returncode == 137  # the OOM killer's SIGKILL, as RUN's exit code
    result = build(docker, folder, "-m", "1m")
    assert result.returncode == 1
    assert result.stderr.rstrip().endswith("Minimum memory limit allowed is 6MB")
