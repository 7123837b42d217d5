"""Error kinds the backend raises, and the one place they become HTTP statuses.

The backend never builds HTTP responses; it raises one of the kinds below
(``raise NotFound("No such container: x")``) and the error middleware in
``daemon/middleware.py`` turns it into a status code plus a
``{"message": ...}`` body.  This mirrors moby's ``errdefs`` classes and its
``httpstatus.FromError``: the *kind* chooses the status, the *message* is shown
to the user verbatim (the CLI prints ``Error response from daemon: <message>``).

This module imports nothing outside the standard library, so ``sim``-facing
code in ``daemon/backend`` can raise these without pulling in aiohttp.

Adding a kind: subclass ``DockerError`` and give it a ``status``.  Do not add
per-situation subclasses (``ContainerNotFound``...): the kind is about what
the client should do, the message says what happened.
"""

from __future__ import annotations

__all__ = [
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
    "status_for",
]


class DockerError(Exception):
    """Base of every error kind the daemon reports to clients.

    ``message`` is the user-facing text, copied into ``{"message": ...}``.
    ``status`` is the HTTP status for this kind (class attribute).
    """

    status: int = 500

    def __init__(self, message: str):
        super().__init__(message)
        self.message = str(message)

    def __str__(self) -> str:
        return self.message


class NotFound(DockerError):
    """The named object (container, image, exec, network...) does not exist (404)."""

    status = 404


class InvalidParameter(DockerError):
    """The request is malformed or names an impossible configuration (400)."""

    status = 400


class Conflict(DockerError):
    """The request clashes with the current state: name in use, container
    running, image in use (409)."""

    status = 409


class Forbidden(DockerError):
    """The operation is not allowed on this object (403)."""

    status = 403


class Unauthorized(DockerError):
    """Registry credentials are missing or wrong (401)."""

    status = 401


class NotModified(DockerError):
    """Nothing to do: already started / already stopped (304, empty body)."""

    status = 304


class NotImplementedYet(DockerError):
    """The endpoint or option exists in Docker but dockersim does not
    implement it (501).  Named so it does not shadow the builtin
    ``NotImplementedError``."""

    status = 501


class Unavailable(DockerError):
    """The daemon cannot serve this right now (503), e.g. while shutting down."""

    status = 503


class SystemError(DockerError):  # noqa: A001 - deliberately Docker's name
    """Anything else that went wrong inside the daemon (500).

    Shadows the builtin ``SystemError`` only inside modules that import it by
    name; prefer ``errors.SystemError`` at call sites.
    """

    status = 500


#: Alias so ``NotImplemented_`` (the name some briefs use) also works.
NotImplemented_ = NotImplementedYet


def status_for(exc: BaseException) -> int:
    """Return the HTTP status for *exc*.

    A ``DockerError`` maps by its kind (404, 400, 409, 403, 401, 304, 501, 503,
    500); builtin ``NotImplementedError`` maps to 501; every other exception is
    a daemon bug and maps to 500.
    """
    if isinstance(exc, DockerError):
        return exc.status
    if isinstance(exc, NotImplementedError):
        return 501
    return 500
