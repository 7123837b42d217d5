"""Serve the Engine API on a Unix socket: ``run(socket_path, data_root, log_level, make_backend)``.

- Refuses to start (exit code 1, clear message) when a daemon already answers
  on the socket; replaces a stale socket file nobody listens on.
- The socket gets mode 0660.  ``export DOCKER_HOST=unix://<abs path>`` is
  printed on stdout once the socket is ready.
- SIGINT/SIGTERM stop it cleanly: stop serving, ``await backend.close()`` if
  the backend has one, remove the socket.
- ``make_backend(data_root)`` builds the engine (it may return an awaitable);
  by default ``dockersim.daemon.backend.engine.Engine(data_root)``, or, while
  that module does not exist yet, ``StubBackend`` so the daemon still starts.
"""

from __future__ import annotations

import asyncio
import errno
import importlib
import inspect
import logging
import os
import signal
import socket
import stat
import sys
import uuid
from pathlib import Path
from typing import Any, Callable, Optional

from aiohttp import web

from .app import create_app

__all__ = ["run", "serve", "default_make_backend", "StubBackend", "SocketInUse", "check_socket_path"]

log = logging.getLogger("dockersim.daemon")

#: How long shutdown waits for open connections (waits, attaches) to finish.
SHUTDOWN_TIMEOUT = 2.0


class SocketInUse(RuntimeError):
    """Another daemon answers on the socket, or the path is not a socket."""


class StubBackend:
    """A minimal backend with nothing in it: enough for ping, version and info.

    Used by the API tests and as the daemon's fallback while the real engine
    (``daemon/backend/engine.py``) does not exist.
    """

    def __init__(self, data_root: "str | os.PathLike[str] | None" = None, *, name: str = "dockersim",
                 kernel_version: str = "6.8.0-dockersim", arch: str = "amd64") -> None:
        self.data_root = str(data_root) if data_root is not None else ""
        self.name = name
        self.kernel_version = kernel_version
        self.arch = arch
        self.id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"dockersim:{self.data_root}"))
        self.closed = False

    def system_info(self) -> dict[str, Any]:
        return {
            "Containers": 0,
            "ContainersRunning": 0,
            "ContainersPaused": 0,
            "ContainersStopped": 0,
            "Images": 0,
            "Name": self.name,
            "ID": self.id,
            "KernelVersion": self.kernel_version,
            "OperatingSystem": "dockersim (stub backend)",
            "NCPU": os.cpu_count() or 1,
            "MemTotal": 8 * 1024**3,
            "DockerRootDir": self.data_root,
        }

    def version_info(self) -> dict[str, Any]:
        return {"Arch": self.arch, "KernelVersion": self.kernel_version}

    async def close(self) -> None:
        self.closed = True


def default_make_backend(data_root: str) -> Any:
    """``Engine(data_root)`` from ``dockersim.daemon.backend.engine`` if that
    module exists, else ``StubBackend(data_root)`` (with a warning).

    ``DOCKERSIM_BACKEND=stub`` in the environment forces the stub.  An engine
    module that exists but fails to import is an error, not a fallback.
    """
    if os.environ.get("DOCKERSIM_BACKEND", "").lower() == "stub":
        log.warning("DOCKERSIM_BACKEND=stub: serving the stub backend (ping/version/info only)")
        return StubBackend(data_root)
    module_name = "dockersim.daemon.backend.engine"
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name not in (module_name, "dockersim.daemon.backend"):
            raise
        log.warning("%s not found; serving the stub backend (ping/version/info only)", module_name)
        return StubBackend(data_root)
    return module.Engine(data_root)


def _socket_answers(path: str, timeout: float = 1.0) -> bool:
    """True if something accepts connections on the Unix socket *path*."""
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    probe.settimeout(timeout)
    try:
        probe.connect(path)
    except (socket.timeout, TimeoutError):
        return True  # something is there but busy: do not steal the path
    except OSError as exc:
        if exc.errno not in (errno.ECONNREFUSED, errno.ENOENT, errno.ENOTSOCK):
            log.debug("probe of %s failed: %r", path, exc)
        return False
    else:
        return True
    finally:
        probe.close()


def _identity(path: str) -> "tuple[int, int, int]":
    """What tells one socket file from a later one at the same path."""
    st = os.stat(path)
    return (st.st_dev, st.st_ino, st.st_ctime_ns)


def check_socket_path(path: str) -> None:
    """Make *path* usable for a new listener.

    Raises ``SocketInUse`` if a daemon answers there or the path is some other
    kind of file; removes a stale socket; creates the parent directory.
    """
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        return
    if not stat.S_ISSOCK(st.st_mode):
        raise SocketInUse(f"{path} exists and is not a socket; refusing to replace it")
    if _socket_answers(path):
        raise SocketInUse(f"a daemon is already listening on {path}; stop it first or choose another --socket")
    log.info("removing stale socket %s", path)
    os.unlink(path)


async def _maybe_await(value: Any) -> Any:
    if inspect.isawaitable(value):
        return await value
    return value


async def serve(socket_path: str, data_root: str, make_backend: Callable[[str], Any],
                *, stop: Optional[asyncio.Event] = None, ready: Optional[Callable[[str], None]] = None,
                access_log: bool = False) -> None:
    """Run the daemon until *stop* is set (or SIGINT/SIGTERM when *stop* is None).

    *ready* is called with the absolute socket path once it accepts connections.
    """
    socket_path = os.path.abspath(socket_path)
    check_socket_path(socket_path)
    Path(data_root).mkdir(parents=True, exist_ok=True)

    backend = await _maybe_await(make_backend(data_root))
    app = create_app(backend)
    runner = web.AppRunner(app, handle_signals=False, access_log=log if access_log else None)
    await runner.setup()
    site = web.UnixSite(runner, socket_path, shutdown_timeout=SHUTDOWN_TIMEOUT)
    loop = asyncio.get_running_loop()
    installed: list[int] = []
    if stop is None:
        stop = asyncio.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(signum, stop.set)
                installed.append(signum)
            except (NotImplementedError, RuntimeError):  # not the main thread
                pass
    ours = None  # the inode of the socket this daemon bound
    try:
        await site.start()
        os.chmod(socket_path, 0o660)
        ours = _identity(socket_path)
        log.info("API listen on %s", socket_path)
        if ready is not None:
            ready(socket_path)
        await stop.wait()
        log.info("shutting down")
    finally:
        for signum in installed:
            loop.remove_signal_handler(signum)
        try:
            await runner.cleanup()
        finally:
            close = getattr(backend, "close", None)
            if close is not None:
                try:
                    await _maybe_await(close())
                except Exception:  # noqa: BLE001 - shutdown must finish
                    log.exception("backend close failed")
            # Remove the socket only if it is still ours: a daemon started
            # while this one was shutting down has bound a new one there
            # (and may have got the same inode number back), so a socket
            # that answers is not ours any more.
            try:
                if ours is not None and _identity(socket_path) == ours \
                        and not _socket_answers(socket_path):
                    os.unlink(socket_path)
            except FileNotFoundError:
                pass


def run(socket_path: str, data_root: str, log_level: str = "info",
        make_backend: Optional[Callable[[str], Any]] = None) -> int:
    """Blocking entry point of ``dockersim daemon``.  Returns the exit code."""
    logging.basicConfig(
        level=getattr(logging, str(log_level).upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    if make_backend is None:
        make_backend = default_make_backend

    def announce(path: str) -> None:
        print(f"export DOCKER_HOST=unix://{path}", flush=True)

    try:
        asyncio.run(serve(socket_path, data_root, make_backend, ready=announce,
                          access_log=str(log_level).lower() == "debug"))
    except SocketInUse as exc:
        print(f"dockersim daemon: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    return 0
