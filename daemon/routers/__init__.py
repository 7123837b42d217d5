"""HTTP routers, one module per resource (moby's ``router/<resource>``).

Each router module exposes ``routes(backend) -> list[Endpoint]`` (see
``dockersim.daemon.support``): the table rows it serves, with handlers bound
to *backend*.  ``routes(None)`` must work too (it is how the docs are
generated), so a router must not call the backend while building its table.

Routers import aiohttp, never ``sim``.  Add a new router by appending its
module name to ``ROUTER_MODULES``; order matters only when two routers declare
the same method and path (the first one wins).
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["ROUTER_MODULES", "load_router_modules"]

#: Router modules under ``dockersim.daemon.routers``, in registration order.
#: Names whose module does not exist yet are skipped (routers land one by one).
ROUTER_MODULES: tuple[str, ...] = (
    "system",
    "auth",
    "containers",
    "procctl",
    "attach",
    "exec",
    "images",
    "distribution",
    "build",
    "events",
    "networks",
    "volumes",
    "host",
    "swarm",
    "plugins",
)


def load_router_modules(names: "tuple[str, ...] | list[str]" = ROUTER_MODULES) -> list[ModuleType]:
    """Import the named router modules, skipping those that do not exist.

    An ``ImportError`` raised *inside* an existing router propagates: only a
    missing router module is skipped.
    """
    modules = []
    for name in names:
        full = f"{__name__}.{name}"
        try:
            modules.append(importlib.import_module(full))
        except ModuleNotFoundError as exc:
            if exc.name != full:
                raise
    return modules
