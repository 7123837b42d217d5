"""aiohttp middlewares: API-version prefix, error kinds -> JSON, standard headers.

Order (outermost first): ``error_middleware`` -> ``version_middleware`` ->
handler.  So a version error is itself turned into JSON by the error
middleware, and every exception a handler raises ends up there.

Error bodies are always ``{"message": "..."}`` with ``Content-Type`` exactly
``application/json`` -- not ``web.json_response``, whose ``; charset=utf-8``
makes the docker CLI print the raw JSON instead of the message
(protocol.md section 1.3).
"""

from __future__ import annotations

import json
import logging
import re

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError

from . import errors
from .support import API_VERSION, ENGINE_VERSION, MIN_API_VERSION, parse_version

__all__ = [
    "API_VERSION_KEY",
    "api_version",
    "error_response",
    "error_middleware",
    "version_middleware",
    "add_standard_headers",
    "STANDARD_HEADERS",
    "quiet_parser_errors",
]

log = logging.getLogger("dockersim.daemon")

#: Where the version middleware stores the request's API version ("1.50").
API_VERSION_KEY = web.RequestKey("dockersim_api_version", str)

#: Headers dockerd puts on every response.
STANDARD_HEADERS = {
    "Api-Version": API_VERSION,
    "Ostype": "linux",
    "Server": f"Docker/{ENGINE_VERSION} (linux)",
    "Docker-Experimental": "false",
}

_VERSION_PREFIX = re.compile(r"^/v([0-9.]+)(?=/)")
_MIN = parse_version(MIN_API_VERSION)
_MAX = parse_version(API_VERSION)


def api_version(request: web.BaseRequest) -> str:
    """The API version of *request*: its ``/vX.Y`` prefix, or the latest."""
    return request.get(API_VERSION_KEY, API_VERSION)


def error_response(status: int, message: str) -> web.Response:
    """A Docker error response: ``{"message": …}`` as ``application/json``.

    A 304 carries no body at all (HTTP forbids one).
    """
    if status == 304:
        return web.Response(status=304)
    body = json.dumps({"message": message}).encode() + b"\n"
    return web.Response(status=status, body=body, headers={"Content-Type": "application/json"})


def _version_error(version: str) -> "errors.DockerError | None":
    try:
        parsed = parse_version(version)
    except ValueError:
        return errors.InvalidParameter(f"invalid API version: {version}")
    if parsed > _MAX:
        return errors.InvalidParameter(
            f"client version {version} is too new. Maximum supported API version is {API_VERSION}"
        )
    if parsed < _MIN:
        return errors.InvalidParameter(
            f"client version {version} is too old. Minimum supported API version is "
            f"{MIN_API_VERSION}, please upgrade your client to a newer version"
        )
    return None


@web.middleware
async def version_middleware(request: web.Request, handler):
    """Check a ``/vX.Y/`` prefix (1.24 <= X.Y <= 1.50) and record the version.

    Routes are registered both bare and with the prefix (see ``app.py``); a
    bare path means the latest version.
    """
    match = _VERSION_PREFIX.match(request.path)
    if match is None:
        request[API_VERSION_KEY] = API_VERSION
    else:
        version = match.group(1)
        problem = _version_error(version)
        if problem is not None:
            raise problem
        request[API_VERSION_KEY] = version
    return await handler(request)


def _response_started(request: web.BaseRequest) -> bool:
    """True once any byte of a response went out on this request's writer."""
    writer = request.writer
    return writer is not None and writer.output_size > 0


@web.middleware
async def error_middleware(request: web.Request, handler):
    """Turn every exception into a Docker JSON error response.

    - ``DockerError`` kinds -> ``status_for(exc)`` with their message;
    - aiohttp's own 404 / 405 (no such route / method) -> ``page not found``;
    - other aiohttp HTTP errors (413 body too large...) -> their text;
    - anything else -> 500, logged with its traceback.

    If the handler already sent headers (a stream that failed midway), a new
    response cannot be written; the error is logged and the connection is
    dropped instead.  Cancellation and client disconnects pass through.
    """
    try:
        return await handler(request)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        if exc.status in (404, 405):
            message = "page not found"
        else:
            message = exc.text or exc.reason
            if message.startswith(f"{exc.status}: "):
                message = message[len(f"{exc.status}: "):]
        status = exc.status
        cause: BaseException = exc
    except (ConnectionResetError, ConnectionAbortedError, BrokenPipeError):
        log.debug("client went away during %s %s", request.method, request.path)
        raise
    except Exception as exc:  # noqa: BLE001 - this is the last line of defence
        status = errors.status_for(exc)
        if isinstance(exc, errors.DockerError):
            message = exc.message
            if status == 501:
                log.info("%s %s: %s", request.method, request.path, message)
            elif status >= 500:
                log.error("%s %s: %s", request.method, request.path, message)
        else:
            message = str(exc) or type(exc).__name__
            log.exception("unhandled error in %s %s", request.method, request.path)
        cause = exc

    if _response_started(request):
        log.warning("error after response started on %s %s: %s", request.method, request.path, message)
        raise ConnectionResetError(f"response already started; dropping connection ({cause!r})")
    return error_response(status, message)


class _QuietParserErrors(logging.Filter):
    """aiohttp logs a request its HTTP parser refuses (a line past 8190
    bytes, a malformed header...) with a traceback at ERROR, though it is
    the client's fault and already answered with a plain ``400 Bad
    Request`` (as Go's net/http answers it).  Such records become one
    DEBUG line of the daemon's log."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, HttpProcessingError):
            log.debug("malformed request refused by the HTTP parser: %s", str(exc).replace("\n", " "))
            return False
        return True


_QUIET = _QuietParserErrors()


def quiet_parser_errors() -> None:
    """Install the filter on aiohttp's server logger (idempotent)."""
    logger = logging.getLogger("aiohttp.server")
    if _QUIET not in logger.filters:
        logger.addFilter(_QUIET)


async def add_standard_headers(request: web.BaseRequest, response: web.StreamResponse) -> None:
    """``on_response_prepare`` hook: dockerd's headers on every response
    (including errors, streams and the 101 of a hijack)."""
    for name, value in STANDARD_HEADERS.items():
        response.headers[name] = value
