"""Large uploads with the real CLI: ``docker cp`` of a 64 MiB file into a
bind mount and ``docker build`` with a 64 MiB context (plain and
``--compress``, which gzips it), against a daemon process of the test's
own whose memory is read from /proc: its high-water mark (VmHWM) must
stay far below what holding the body would need (issue 8: tars are
"streamed ... and never held whole in memory")."""

import os
import subprocess

from tests.e2e.helpers import ok

MiB = 1 << 20
BIG = 64 * MiB


def _status(pid: int) -> "dict[str, int]":
    out = {}
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0]) * 1024
    return out


def _sparse(path, size: int) -> None:
    with open(path, "wb") as fh:
        fh.truncate(size)


def test_large_cp_and_build_context_are_streamed(fresh_daemon, docker_cli, tmp_path):
    fresh_daemon.start()
    pid = fresh_daemon.proc.pid
    env = dict(os.environ, DOCKER_HOST=f"unix://{fresh_daemon.sock}",
               DOCKER_CONFIG=str(tmp_path / "cfg"), DOCKER_BUILDKIT="0")

    def docker(*args):
        return subprocess.run([docker_cli, *args], capture_output=True, text=True, timeout=120,
                              env=env, stdin=subprocess.DEVNULL)

    ok(docker("pull", "-q", "busybox"))
    host = tmp_path / "host"
    host.mkdir()
    cid = ok(docker("create", "-v", f"{host}:/data", "busybox", "true")).stdout.strip()
    ctx = tmp_path / "ctx"
    ctx.mkdir()
    (ctx / "Dockerfile").write_text("FROM busybox\nCOPY small /small\nRUN cat /small\n")
    (ctx / "small").write_text("hello from a big context\n")
    _sparse(ctx / "big", BIG)
    _sparse(tmp_path / "big.bin", BIG)

    before = _status(pid)["VmRSS"]
    ok(docker("cp", str(tmp_path / "big.bin"), f"{cid}:/data/"))
    assert (host / "big.bin").stat().st_size == BIG
    built = ok(docker("build", "-t", "bigctx", str(ctx)))
    assert "hello from a big context" in built.stdout
    zipped = ok(docker("build", "--compress", "--no-cache", "-t", "bigctx2", str(ctx)))
    assert "hello from a big context" in zipped.stdout
    after = _status(pid)
    grew = (after["VmHWM"] - before) / MiB
    print(f"daemon RSS before {before / MiB:.1f} MiB, high-water mark after {after['VmHWM'] / MiB:.1f} MiB")
    # holding any one 64 MiB body would lift the high-water mark by 64 MiB
    assert grew < 32, f"the daemon's peak grew by {grew:.1f} MiB"
    leftovers = [f for _, _, files in os.walk(fresh_daemon.data_root) for f in files
                 if f.startswith(".tmp-")]
    assert leftovers == []
