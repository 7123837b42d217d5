"""The seed's second act on a daemon of its own, with the real CLI:
`docker build -t kubia .`, the image as a stack of node's layers plus its
own (history, system df), `docker tag`, `docker login`, `docker push`, and
the image pulled back with the same id and digest."""

import json
import os
import shutil
import subprocess
from pathlib import Path

from dockersim.client import transport

from .helpers import ok

KUBIA = Path(__file__).resolve().parents[1] / "data" / "kubia"  # a copy of the seed's
DOCKERFILE = 'FROM node\nADD ./app.js /app.js\nENTRYPOINT ["node", "app.js"]\n'


def _context(tmp_path: Path) -> Path:
    folder = tmp_path / "kubia"
    if KUBIA.exists():
        shutil.copytree(KUBIA, folder)
    else:
        folder.mkdir()
        (folder / "Dockerfile").write_text(DOCKERFILE)
        (folder / "app.js").write_text("console.log('Kubia server starting...');\n")
    return folder


def test_build_history_df_tag_push_and_pull_back(fresh_daemon, docker_cli, tmp_path):
    fresh_daemon.start()
    env = dict(os.environ, DOCKER_HOST=f"unix://{fresh_daemon.sock}",
               DOCKER_CONFIG=str(tmp_path / "cfg"), DOCKER_BUILDKIT="0")

    def docker(*args, stdin=None):
        return subprocess.run([docker_cli, *args], capture_output=True, text=True, env=env,
                              timeout=180, input=stdin, cwd=tmp_path)

    folder = _context(tmp_path)
    out = ok(docker("build", "-t", "kubia", str(folder))).stdout
    assert "Step 1/3 : FROM node" in out and "Successfully tagged kubia:latest" in out
    kubia = ok(docker("image", "inspect", "-f", "{{.Id}}", "kubia")).stdout.strip()
    node = ok(docker("image", "inspect", "-f", "{{.Id}}", "node")).stdout.strip()

    # docker history: kubia's two rows on top of node's, ids walking the parents.
    rows = [line.split("\t") for line in ok(docker(
        "history", "--no-trunc", "--format", "{{.ID}}\t{{.CreatedBy}}", "kubia")).stdout.splitlines()]
    node_rows = ok(docker("history", "-q", "node")).stdout.split()
    assert len(rows) == len(node_rows) + 2
    assert rows[0][0] == kubia and "ENTRYPOINT" in rows[0][1]
    assert rows[1][0].startswith("sha256:") and rows[1][0] not in (kubia, node) and "ADD" in rows[1][1]
    assert rows[2][0] == node and all(r[0] == "<missing>" for r in rows[3:])

    # API 1.50 shows the OCI image config; older versions the container config.
    config = json.loads(ok(docker("image", "inspect", "-f", "{{json .Config}}", "kubia")).stdout)
    assert config["Entrypoint"] == ["node", "app.js"] and "Hostname" not in config
    status, _, body = transport.request("GET", "/v1.43/images/kubia/json",
                                        socket_path=str(fresh_daemon.sock))
    old = json.loads(body)
    assert status == 200 and old["Config"]["Hostname"] == "" and old["VirtualSize"] == old["Size"]

    # system df: node's layers count once for both images.
    status, _, body = transport.request("GET", "/v1.50/system/df", socket_path=str(fresh_daemon.sock))
    du = json.loads(body)
    sizes = {r["Id"]: r for r in du["Images"]}
    assert du["LayersSize"] == sizes[kubia]["Size"] < sizes[kubia]["Size"] + sizes[node]["Size"]
    assert sizes[node]["SharedSize"] == sizes[node]["Size"]

    # tag, login, push, rmi, pull back: the same image id and digest.
    ok(docker("tag", "kubia", "museopkim/kubia"))
    ok(docker("login", "-u", "museopkim", "--password-stdin", stdin="s3cret\n"))
    pushed = ok(docker("push", "museopkim/kubia"))
    assert "Pushed" in pushed.stdout and "Mounted from library/node" in pushed.stdout
    digest = [line for line in pushed.stdout.splitlines() if line.startswith("latest: digest: ")]
    digest = digest[0].split()[2]
    ok(docker("rmi", "kubia", "museopkim/kubia"))
    assert docker("image", "inspect", kubia).returncode == 1
    pulled = ok(docker("pull", "museopkim/kubia"))
    assert f"Digest: {digest}" in pulled.stdout
    again = ok(docker("image", "inspect", "-f", "{{.Id}} {{index .RepoDigests 0}}", "museopkim/kubia"))
    assert again.stdout.split() == [kubia, f"museopkim/kubia@{digest}"]
