"""``create_app(backend)``: the aiohttp application serving the Engine API.

The app is assembled from data:

- each router module in ``daemon.routers.ROUTER_MODULES`` returns its rows of
  the endpoint table (``routes(backend) -> list[Endpoint]``);
- ``support.complete_table`` adds an *unsupported* row (501) for every
  swagger endpoint nobody declared;
- every row is registered twice with aiohttp: bare (``/_ping``, meaning the
  latest API version) and under ``/v{X.Y}`` (``/v1.50/_ping``).  The version
  middleware validates the prefix and stores the version on the request.

Middlewares: ``error_middleware`` (outermost; kinds -> JSON) then
``version_middleware``.  ``on_response_prepare`` adds dockerd's standard
headers (``Api-Version``, ``Ostype``, ``Server``, ``Docker-Experimental``).
"""

from __future__ import annotations

from types import ModuleType
from typing import Any, Iterable, Optional, Sequence

from aiohttp import web

from .errors import InvalidParameter
from .middleware import add_standard_headers, api_version, error_middleware, version_middleware
from .routers import load_router_modules
from .streams import hijack as _hijack
from .support import API_VERSION, Endpoint, complete_table, display_path, version_less

__all__ = ["BACKEND", "ENDPOINTS", "API_VERSION", "VERSION_PREFIX", "CLIENT_MAX_SIZE", "create_app", "endpoint_table", "register_endpoints"]

#: The backend object, for handlers that prefer ``request.app[BACKEND]`` to a closure.
BACKEND = web.AppKey("dockersim_backend", object)
#: The endpoint table the app was built from (for introspection and tests).
ENDPOINTS = web.AppKey("dockersim_endpoints", list)

#: The aiohttp pattern of the version prefix (moby uses the same character class).
VERSION_PREFIX = "/v{api_version:[0-9.]+}"
#: Largest request body accepted (build contexts, image loads): 2 GiB.
CLIENT_MAX_SIZE = 2 * 1024**3


def endpoint_table(backend: Any = None, modules: Optional[Iterable[ModuleType]] = None) -> list[Endpoint]:
    """The complete endpoint table: every router's rows, then the swagger's
    undeclared endpoints as unsupported.  ``backend=None`` is fine for docs."""
    if modules is None:
        modules = load_router_modules()
    declared: list[Endpoint] = []
    for module in modules:
        declared.extend(module.routes(backend))
    return complete_table(declared)


def _gate(endpoint: Endpoint):
    """Wrap a handler with the endpoint's minimum-API-version check, if any."""
    handler = endpoint.handler
    assert handler is not None, f"{endpoint.method} {endpoint.path} has no handler"
    if endpoint.min_version is None:
        return handler
    minimum = endpoint.min_version

    async def gated(request: web.Request) -> web.StreamResponse:
        version = api_version(request)
        if version_less(version, minimum):
            raise InvalidParameter(
                f"{request.method} {display_path(endpoint.path)} requires API version {minimum}, "
                f"but the Docker daemon API version is {version}"
            )
        return await handler(request)

    gated.__name__ = getattr(handler, "__name__", "gated")
    return gated


def register_endpoints(router: web.UrlDispatcher, table: Sequence[Endpoint]) -> None:
    """Add every row of *table* to *router*, bare and version-prefixed."""
    for endpoint in table:
        handler = _gate(endpoint)
        router.add_route(endpoint.method, endpoint.path, handler)
        router.add_route(endpoint.method, VERSION_PREFIX + endpoint.path, handler)


def create_app(backend: Any, *, modules: Optional[Iterable[ModuleType]] = None,
               extra_endpoints: Iterable[Endpoint] = (), client_max_size: int = CLIENT_MAX_SIZE) -> web.Application:
    """Build the Engine API application around *backend*.

    *modules* overrides the router modules (tests); *extra_endpoints* are
    registered before them (first declaration of a method+path wins).
    """
    _hijack.install_eof_patch()
    app = web.Application(middlewares=[error_middleware, version_middleware], client_max_size=client_max_size)
    app[BACKEND] = backend
    if modules is None:
        modules = load_router_modules()
    declared: list[Endpoint] = list(extra_endpoints)
    for module in modules:
        declared.extend(module.routes(backend))
    table = complete_table(declared)
    app[ENDPOINTS] = table
    register_endpoints(app.router, table)
    app.on_response_prepare.append(add_standard_headers)
    end_streams = getattr(backend, "end_streams", None)
    if end_streams is not None:
        async def _end_streams(app: web.Application) -> None:
            end_streams()  # before the server waits for its handlers: endless streams end now
        app.on_shutdown.append(_end_streams)
    return app

