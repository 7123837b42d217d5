"""The backend's facets, one ``typing.Protocol`` each (moby's ``backend.go``).

Routers depend on these protocols, never on the concrete engine, so tests can
hand ``create_app`` a small fake.  Facets raise the error kinds from
``dockersim.daemon.errors`` (``NotFound``, ``Conflict``, ...); they never build
HTTP responses.

Other facets (containers, images, exec, ...) are added by their owners below
the system facet.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from ..errors import (  # re-exported: the kinds a backend raises
    Conflict,
    DockerError,
    Forbidden,
    InvalidParameter,
    NotFound,
    NotImplementedYet,
    NotModified,
    SystemError,
    Unauthorized,
    Unavailable,
)

__all__ = [
    "SystemBackend",
    "HijackedConn",
    "DockerError",
    "NotFound",
    "InvalidParameter",
    "Conflict",
    "Forbidden",
    "Unauthorized",
    "NotModified",
    "NotImplementedYet",
    "Unavailable",
    "SystemError",
]


@runtime_checkable
class SystemBackend(Protocol):
    """What ``GET /info`` and ``GET /version`` need from the engine.

    Both methods are synchronous and cheap (counts and host facts); the router
    fills every other field of ``SystemInfo`` / ``SystemVersion`` itself.
    """

    def system_info(self) -> dict[str, Any]:
        """Facts about the simulated host and the engine's objects.

        Keys (all optional; missing ones get neutral defaults):
        ``Containers``, ``ContainersRunning``, ``ContainersPaused``,
        ``ContainersStopped``, ``Images`` (ints); ``Name`` (host name), ``ID``
        (stable daemon id), ``KernelVersion``, ``OperatingSystem``,
        ``DockerRootDir`` (str); ``NCPU``, ``MemTotal`` (ints, bytes for
        memory).  Any other ``SystemInfo`` key given here overrides the
        router's default (e.g. ``Warnings``).
        """
        ...

    def version_info(self) -> dict[str, Any]:
        """``Arch`` (GOARCH spelling: ``amd64``, ``arm64``) and
        ``KernelVersion`` (``uname -r`` of the simulated host)."""
        ...


class HijackedConn(Protocol):
    """The hijacked attach/exec connection a router hands the backend
    (``daemon.streams.hijack.Hijacked``), typed here so the backend need not
    import the aiohttp-facing module.

    Output written after the client left is dropped quietly: ``write*``
    returns False and ``closed`` turns True.  Send nothing before ``start``
    has run the process (the client registered for output first), and set
    exit codes (exec ``ExitCode``/``Running``) *before* ``close()``.
    """

    tty: bool  # raw output when True, stdcopy frames when False

    async def read(self, max_bytes: int = -1) -> bytes:
        """Next stdin bytes; ``b""`` once the client half-closed or left."""
        ...

    async def write(self, data: bytes) -> bool:
        """Send bytes verbatim (already framed, or raw for a TTY)."""
        ...

    async def write_frame(self, stream: int, data: bytes) -> bool:
        """Send *data* for stream 1 (stdout) or 2 (stderr): framed without a TTY, raw with one."""
        ...

    async def close(self) -> None:
        """End the stream: the client sees EOF."""
        ...

    @property
    def closed(self) -> bool:
        """True once the stream ended or the client went away."""
        ...

    async def wait_closed(self) -> None:
        """Return once the connection is over."""
        ...
