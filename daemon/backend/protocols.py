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
