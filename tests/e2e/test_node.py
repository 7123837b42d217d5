"""node in the node images, with the real CLI: JavaScript runs (QuickJS),
the kubia app serves HTTP inside its container, node as PID 1 keeps
ignoring SIGTERM without a handler and exits through one with it, and a
JavaScript busy loop holds one host thread until the container is killed."""

import os
import pathlib
import time

import pytest

from .helpers import ok

pytestmark = pytest.mark.e2e

#: The seed's kubia app (a copy of shared/acceptance/kubia/app.js).
KUBIA = (pathlib.Path(__file__).resolve().parents[1] / "data" / "kubia" / "app.js").read_text()
GET = ("require('http').get('http://localhost:8080/', (r) => { r.setEncoding('utf8');"
       " r.on('data', (d) => process.stdout.write(d)); })")


def test_node_runs_javascript(docker):
    r = ok(docker("run", "--rm", "node:22", "node", "-e",
                  "console.log(process.version, [1, 2, 3], { a: 'x' }, require('os').platform())",
                  timeout=120))
    assert r.stdout == "v22.13.0 [ 1, 2, 3 ] { a: 'x' } linux\n"
    r = docker("run", "--rm", "node:22", "node", "-e", "throw new Error('boom')")
    assert r.returncode == 1
    assert r.stderr.startswith("[eval]:1\nthrow new Error('boom')\n^\n\nError: boom\n")
    assert r.stderr.endswith("\n\nNode.js v22.13.0\n")
    assert ok(docker("run", "--rm", "node:22", "npm", "--version")).stdout == "10.9.2\n"


def test_kubia_serves_inside_its_container(docker, tmp_path):
    (tmp_path / "app.js").write_text(KUBIA)
    (tmp_path / "Dockerfile").write_text('FROM node:22\nADD ./app.js /app.js\nENTRYPOINT ["node", "app.js"]\n')
    ok(docker("build", "-q", "-t", "kubia-e2e", str(tmp_path), timeout=120))
    cid = ok(docker("run", "-d", "kubia-e2e")).stdout.strip()
    try:
        for _ in range(2):
            assert ok(docker("exec", cid, "node", "-e", GET)).stdout == f"You've hit {cid[:12]}\n"
        logs = ok(docker("logs", cid)).stdout
        assert logs == "Kubia server starting...\n" + "Received request from ::ffff:127.0.0.1\n" * 2
        # PID 1 without a SIGTERM handler ignores it: stop waits, then kills.
        ok(docker("stop", "-t", "1", cid))
        assert ok(docker("inspect", "-f", "{{.State.ExitCode}}", cid)).stdout.strip() == "137"
    finally:
        docker("rm", "-f", cid)


def _wait_for_logs(docker, cid, text, seconds=10.0):
    """The container's logs once they are ``text`` (a started program may
    take a moment on a busy machine); the last logs read otherwise."""
    end = time.monotonic() + seconds
    while True:
        logs = ok(docker("logs", cid)).stdout
        if logs == text or time.monotonic() > end:
            assert logs == text
            return logs
        time.sleep(0.1)


def test_a_sigterm_handler_lets_node_exit_on_stop(docker):
    code = ("process.on('SIGTERM', () => { console.log('bye'); process.exit(0); });"
            "setInterval(() => {}, 1000); console.log('up');")
    cid = ok(docker("run", "-d", "node:22", "node", "-e", code)).stdout.strip()
    try:
        _wait_for_logs(docker, cid, "up\n")  # the handler is installed (else PID 1 ignores TERM)
        ok(docker("stop", cid))
        assert ok(docker("inspect", "-f", "{{.State.ExitCode}}", cid)).stdout.strip() == "0"
        assert ok(docker("logs", cid)).stdout == "up\nbye\n"
    finally:
        docker("rm", "-f", cid)


def _cpu_seconds(pid: int) -> float:
    """The process's user + system CPU time (/proc/<pid>/stat)."""
    fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _threads(pid: int) -> int:
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Threads:"):
            return int(line.split()[1])
    raise AssertionError("no Threads line")


def _cpu_over_a_second(pid: int) -> float:
    first = _cpu_seconds(pid)
    time.sleep(1.0)
    return _cpu_seconds(pid) - first


SPIN = "console.log('spinning'); while (true) {}"


def test_a_busy_loop_holds_one_thread_not_the_daemon_and_a_kill_ends_it(docker, fresh_daemon):
    # A daemon of its own, so the CPU it uses is this test's: a spinning
    # turn keeps one host thread busy (the daemon still answers), and
    # kill, stop and rm -f interrupt the turn, so that thread ends.
    fresh_daemon.start()
    pid = fresh_daemon.proc.pid
    env = {"DOCKER_HOST": f"unix://{fresh_daemon.sock}"}

    def docker(*args, timeout=60, _run=docker):
        return _run(*args, timeout=timeout, env=env)

    def spinning(name):
        cid = ok(docker("run", "-d", "--name", name, "node:22", "node", "-e", SPIN,
                        timeout=120)).stdout.strip()
        assert _wait_for_logs(docker, cid, "spinning\n")  # written though the turn never ends
        return cid

    try:
        cid = spinning("spin")
        assert cid[:12] in ok(docker("ps", "-q", timeout=20)).stdout
        assert ok(docker("run", "--rm", "node:22", "node", "-p", "6 * 7", timeout=20)).stdout == "42\n"
        busy, threads = _cpu_over_a_second(pid), _threads(pid)
        assert busy > 0.3, busy  # the spinning thread
        start = time.monotonic()
        ok(docker("kill", "spin", timeout=20))
        assert ok(docker("wait", "spin", timeout=20)).stdout == "137\n"
        assert time.monotonic() - start < 5
        time.sleep(0.2)
        idle = _cpu_over_a_second(pid)
        print(f"\nkill: daemon CPU over 1 s {busy:.2f} s spinning, {idle:.2f} s after; "
              f"threads {threads} -> {_threads(pid)}")
        assert idle < 0.15, idle  # the thread no longer spins
        assert _threads(pid) < threads

        spinning("spin2")
        start = time.monotonic()
        ok(docker("stop", "-t", "1", "spin2", timeout=20))  # PID 1 ignores TERM: killed after 1 s
        took = time.monotonic() - start
        assert ok(docker("wait", "spin2", timeout=20)).stdout == "137\n"
        assert 1.0 <= took < 5, took
        time.sleep(0.2)
        idle = _cpu_over_a_second(pid)
        print(f"stop -t 1: {took:.2f} s, daemon CPU over 1 s after: {idle:.2f} s")
        assert idle < 0.15, idle

        spinning("spin3")
        ok(docker("rm", "-f", "spin3", timeout=20))
        time.sleep(0.2)
        idle = _cpu_over_a_second(pid)
        print(f"rm -f: daemon CPU over 1 s after: {idle:.2f} s")
        assert idle < 0.15, idle
    finally:
        docker("rm", "-f", "spin", "spin2", "spin3")
