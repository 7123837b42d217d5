#!/usr/bin/env python3
"""Requests per second through a published port, end to end.

Starts a ``dockersim daemon`` on a temporary socket and data root, and with
the real docker CLI builds kubia (FROM node, ADD app.js, ENTRYPOINT node
app.js), runs it with ``-p <port>:8080``, and runs busybox ``httpd`` with a
page to serve.  Then a bounded load generator on loopback (this process,
asyncio) keeps ``--connections`` connections busy for ``--seconds`` seconds
with sequential GETs and counts the good answers:

- kubia: HTTP/1.1 keep-alive (node answers ``Connection: keep-alive``), so
  each connection carries many requests;
- busybox httpd: it closes after every answer, so every request is a new
  connection (as ``ab`` without -k would do).

Target (issue 6): at least 1,000 requests/s for kubia on a 2-core machine.

    python3 bench/http_serve.py [--seconds 5] [--connections 8] [--only kubia|httpd]
"""

import argparse
import asyncio
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

DOCKER = os.environ.get("DOCKER_BIN", "/usr/local/bin/docker")
KUBIA = pathlib.Path(__file__).resolve().parent.parent / "tests" / "data" / "kubia"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Daemon:
    def __init__(self, root: pathlib.Path):
        self.root = root
        self.sock = root / "docker.sock"
        self.env = dict(os.environ, DOCKER_HOST=f"unix://{self.sock}", DOCKER_BUILDKIT="0",
                        DOCKER_CONFIG=str(root / "cli"))
        script = pathlib.Path(sys.executable).parent / "dockersim"
        cmd = [str(script)] if script.exists() else [sys.executable, "-m", "dockersim.client.cli"]
        self.log = open(root / "daemon.log", "w")
        self.proc = subprocess.Popen(cmd + ["daemon", "--socket", str(self.sock),
                                            "--data-root", str(root / "data")],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        for _ in range(300):
            if self.docker("version", check=False).returncode == 0:
                return
            time.sleep(0.1)
        raise RuntimeError("the daemon did not start: see " + str(root / "daemon.log"))

    def docker(self, *args, check=True, cwd=None):
        result = subprocess.run([DOCKER, *args], env=self.env, cwd=cwd, capture_output=True,
                                text=True, timeout=300)
        if check and result.returncode != 0:
            raise RuntimeError(f"docker {' '.join(args)}: {result.stdout}{result.stderr}")
        return result

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


async def wait_ready(port: int, path: str = "/") -> None:
    for _ in range(200):
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
            data = await reader.read()
            writer.close()
            if data.startswith(b"HTTP/1."):
                return
        except OSError:
            pass
        await asyncio.sleep(0.05)
    raise RuntimeError(f"nothing answers on port {port}")


async def read_response(reader) -> "tuple[int, bool]":
    """(status, keep-alive?) of one response; reads its body."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            headers[k.strip().lower()] = v.strip()
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding") == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip(), 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    else:
        await reader.read()
        return status, False
    return status, headers.get("connection", "").lower() != "close"


async def load(port: int, path: str, seconds: float, connections: int) -> "tuple[int, int]":
    """(good answers, errors) in ``seconds`` over ``connections`` workers."""
    deadline = time.perf_counter() + seconds
    good = bad = 0
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()

    async def worker():
        nonlocal good, bad
        reader = writer = None
        while time.perf_counter() < deadline:
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.write(request)
                status, keep = await read_response(reader)
                if status == 200:
                    good += 1
                else:
                    bad += 1
                if not keep:
                    writer.close()
                    writer = None
            except (OSError, asyncio.IncompleteReadError, ValueError):
                bad += 1
                if writer is not None:
                    writer.close()
                writer = None
        if writer is not None:
            writer.close()

    await asyncio.gather(*(worker() for _ in range(connections)))
    return good, bad


def measure(name: str, port: int, path: str, args) -> None:
    asyncio.run(wait_ready(port, path))
    started = time.perf_counter()
    good, bad = asyncio.run(load(port, path, args.seconds, args.connections))
    took = time.perf_counter() - started
    print(f"{name}: {good / took:,.0f} requests/s ({good} answered, {bad} failed, "
          f"{took:.1f} s, {args.connections} connections)", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--only", choices=("kubia", "httpd"))
    args = parser.parse_args()
    root = pathlib.Path(tempfile.mkdtemp(prefix="bench-http-"))
    daemon = Daemon(root)
    try:
        if args.only in (None, "kubia"):
            ctx = root / "kubia"
            ctx.mkdir()
            for name in ("Dockerfile", "app.js"):
                shutil.copy(KUBIA / name, ctx)
            daemon.docker("build", "-q", "-t", "kubia", ".", cwd=ctx)
            port = free_port()
            daemon.docker("run", "-d", "--name", "kubia", "-p", f"{port}:8080", "kubia")
            measure("kubia (node http, keep-alive)", port, "/", args)
        if args.only in (None, "httpd"):
            port = free_port()
            daemon.docker("run", "-d", "--name", "httpd", "-p", f"{port}:80", "busybox", "sh", "-c",
                          "mkdir -p /www && echo hello > /www/index.html && httpd -f -p 80 -h /www")
            measure("busybox httpd (a connection per request)", port, "/index.html", args)
    finally:
        daemon.docker("rm", "-f", "kubia", "httpd", check=False)
        daemon.stop()
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
