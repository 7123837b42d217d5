"""The endpoint table: every Engine API route, its handler and how well we support it.

Like gVisor's syscall table (``Supported`` / ``PartiallySupported`` /
``Error``), the table is data.  Routers declare their routes with
``supported`` / ``partial`` / ``unsupported``; ``daemon/app.py`` registers
them with aiohttp (bare and under ``/vX.Y``); every swagger endpoint nobody
declared is filled in as *unsupported* and answers
``501 {"message": "<METHOD> <path> is not implemented by dockersim yet"}``;
and ``render_markdown`` turns the whole table into ``docs/api-support.md``.

Regenerate the doc after changing any router::

    .venv/bin/python -m dockersim.daemon.support --write

This module is pure (stdlib + attrs); it does not import aiohttp.  The API
version constants live here too so the backend can read them.
"""

from __future__ import annotations

import enum
import re
from typing import Any, Awaitable, Callable, Iterable, Optional

import attrs

from .errors import NotFound, NotImplementedYet

__all__ = [
    "API_VERSION",
    "MIN_API_VERSION",
    "ENGINE_VERSION",
    "parse_version",
    "version_less",
    "Support",
    "Endpoint",
    "supported",
    "partial",
    "unsupported",
    "SPEC_ENDPOINTS",
    "canonical_path",
    "display_path",
    "complete_table",
    "render_markdown",
]

#: The API version we advertise (ping header, /version) and serve bare paths as.
API_VERSION = "1.50"
#: The oldest API version a client may ask for in a ``/vX.Y/`` prefix.
MIN_API_VERSION = "1.24"
#: The Docker Engine release we impersonate.
ENGINE_VERSION = "28.2.2"


def parse_version(text: str) -> tuple[int, ...]:
    """``"1.50"`` -> ``(1, 50)``.  Raises ``ValueError`` for junk such as ``"1..2"``."""
    parts = text.split(".")
    if not text or any(not p.isdigit() for p in parts):
        raise ValueError(f"invalid API version {text!r}")
    return tuple(int(p) for p in parts)


def version_less(a: str, b: str) -> bool:
    """True if API version *a* is older than *b* (numeric, per component)."""
    return parse_version(a) < parse_version(b)


class Support(enum.Enum):
    """How much of an endpoint dockersim implements."""

    SUPPORTED = "supported"
    PARTIAL = "partial"
    UNSUPPORTED = "unsupported"


Handler = Callable[[Any], Awaitable[Any]]


@attrs.frozen
class Endpoint:
    """One row of the table.  immutable.

    ``path`` is an aiohttp pattern *without* the version prefix, e.g.
    ``/containers/{id}/json`` or ``/images/{name:.+}/push``.
    """

    method: str  # upper case: GET, POST, PUT, DELETE, HEAD
    path: str
    handler: Optional[Handler] = attrs.field(eq=False, repr=False)  # None only for unsupported rows
    support: Support
    note: str = ""
    #: Oldest API version this endpoint answers; older prefixes get a 400.
    min_version: Optional[str] = None

    @property
    def key(self) -> tuple[str, str]:
        """Identity for de-duplication: method plus the canonical path."""
        return (self.method, canonical_path(self.path))


def supported(method: str, path: str, handler: Handler, note: str = "", *, min_version: "str | None" = None) -> Endpoint:
    """A fully implemented endpoint."""
    return Endpoint(method.upper(), path, handler, Support.SUPPORTED, note, min_version)


def partial(method: str, path: str, handler: Handler, note: str, *, min_version: "str | None" = None) -> Endpoint:
    """An endpoint that works for common use; *note* says what is missing."""
    return Endpoint(method.upper(), path, handler, Support.PARTIAL, note, min_version)


def unsupported(method: str, path: str, note: str = "", *, handler: "Handler | None" = None) -> Endpoint:
    """An endpoint dockersim does not implement.  Without a *handler* it
    answers 501 ``"<METHOD> <path> is not implemented by dockersim yet"``."""
    method = method.upper()
    return Endpoint(method, path, handler or not_implemented_handler(method, path), Support.UNSUPPORTED, note)


def not_implemented_handler(method: str, path: str) -> Handler:
    """A handler that always raises ``NotImplementedYet`` (501)."""
    text = f"{method} {display_path(path)} is not implemented by dockersim yet"

    async def handler(request: Any) -> Any:
        raise NotImplementedYet(text)

    handler.__name__ = f"not_implemented_{method.lower()}"
    return handler


def not_found_handler(template: str, param: str) -> Handler:
    """A handler that always answers 404 with ``template.format(<param value>)``.

    Used for object types we do not model (networks, volumes, plugins):
    ``docker inspect X`` probes them in turn and needs a clean 404 to move on.
    """

    async def handler(request: Any) -> Any:
        raise NotFound(template.format(request.match_info.get(param, "")))

    return handler


_PARAM = re.compile(r"\{([^}:]+)(?::[^}]*)?\}")


def canonical_path(path: str) -> str:
    """Replace every ``{param}`` / ``{param:regex}`` with ``{}``, so routers and
    the swagger agree whatever they name their parameters."""
    return _PARAM.sub("{}", path)


def display_path(path: str) -> str:
    """``/images/{name:.+}/push`` -> ``/images/{name}/push`` (for humans)."""
    return _PARAM.sub(lambda m: "{" + m.group(1) + "}", path)


# -- the swagger's endpoints ---------------------------------------------------
#
# (method, path, summary) for every operation under ``paths:`` in
# ``engine-api-v1.50.yaml``, in the swagger's order.  Extracted once by a
# line-based scan of the yaml (no yaml library); update it when the spec moves.

SPEC_ENDPOINTS: tuple[tuple[str, str, str], ...] = (
    ("GET", "/containers/json", "List containers"),
    ("POST", "/containers/create", "Create a container"),
    ("GET", "/containers/{id}/json", "Inspect a container"),
    ("GET", "/containers/{id}/top", "List processes running inside a container"),
    ("GET", "/containers/{id}/logs", "Get container logs"),
    ("GET", "/containers/{id}/changes", "Get changes on a container's filesystem"),
    ("GET", "/containers/{id}/export", "Export a container"),
    ("GET", "/containers/{id}/stats", "Get container stats based on resource usage"),
    ("POST", "/containers/{id}/resize", "Resize a container TTY"),
    ("POST", "/containers/{id}/start", "Start a container"),
    ("POST", "/containers/{id}/stop", "Stop a container"),
    ("POST", "/containers/{id}/restart", "Restart a container"),
    ("POST", "/containers/{id}/kill", "Kill a container"),
    ("POST", "/containers/{id}/update", "Update a container"),
    ("POST", "/containers/{id}/rename", "Rename a container"),
    ("POST", "/containers/{id}/pause", "Pause a container"),
    ("POST", "/containers/{id}/unpause", "Unpause a container"),
    ("POST", "/containers/{id}/attach", "Attach to a container"),
    ("GET", "/containers/{id}/attach/ws", "Attach to a container via a websocket"),
    ("POST", "/containers/{id}/wait", "Wait for a container"),
    ("DELETE", "/containers/{id}", "Remove a container"),
    ("HEAD", "/containers/{id}/archive", "Get information about files in a container"),
    ("GET", "/containers/{id}/archive", "Get an archive of a filesystem resource in a container"),
    ("PUT", "/containers/{id}/archive", "Extract an archive of files or folders to a directory in a container"),
    ("POST", "/containers/prune", "Delete stopped containers"),
    ("GET", "/images/json", "List Images"),
    ("POST", "/build", "Build an image"),
    ("POST", "/build/prune", "Delete builder cache"),
    ("POST", "/images/create", "Create an image"),
    ("GET", "/images/{name}/json", "Inspect an image"),
    ("GET", "/images/{name}/history", "Get the history of an image"),
    ("POST", "/images/{name}/push", "Push an image"),
    ("POST", "/images/{name}/tag", "Tag an image"),
    ("DELETE", "/images/{name}", "Remove an image"),
    ("GET", "/images/search", "Search images"),
    ("POST", "/images/prune", "Delete unused images"),
    ("POST", "/auth", "Check auth configuration"),
    ("GET", "/info", "Get system information"),
    ("GET", "/version", "Get version"),
    ("GET", "/_ping", "Ping"),
    ("HEAD", "/_ping", "Ping"),
    ("POST", "/commit", "Create a new image from a container"),
    ("GET", "/events", "Monitor events"),
    ("GET", "/system/df", "Get data usage information"),
    ("GET", "/images/{name}/get", "Export an image"),
    ("GET", "/images/get", "Export several images"),
    ("POST", "/images/load", "Import images"),
    ("POST", "/containers/{id}/exec", "Create an exec instance"),
    ("POST", "/exec/{id}/start", "Start an exec instance"),
    ("POST", "/exec/{id}/resize", "Resize an exec instance"),
    ("GET", "/exec/{id}/json", "Inspect an exec instance"),
    ("GET", "/volumes", "List volumes"),
    ("POST", "/volumes/create", "Create a volume"),
    ("GET", "/volumes/{name}", "Inspect a volume"),
    ("PUT", "/volumes/{name}", "Update a volume (cluster volumes)"),
    ("DELETE", "/volumes/{name}", "Remove a volume"),
    ("POST", "/volumes/prune", "Delete unused volumes"),
    ("GET", "/networks", "List networks"),
    ("GET", "/networks/{id}", "Inspect a network"),
    ("DELETE", "/networks/{id}", "Remove a network"),
    ("POST", "/networks/create", "Create a network"),
    ("POST", "/networks/{id}/connect", "Connect a container to a network"),
    ("POST", "/networks/{id}/disconnect", "Disconnect a container from a network"),
    ("POST", "/networks/prune", "Delete unused networks"),
    ("GET", "/plugins", "List plugins"),
    ("GET", "/plugins/privileges", "Get plugin privileges"),
    ("POST", "/plugins/pull", "Install a plugin"),
    ("GET", "/plugins/{name}/json", "Inspect a plugin"),
    ("DELETE", "/plugins/{name}", "Remove a plugin"),
    ("POST", "/plugins/{name}/enable", "Enable a plugin"),
    ("POST", "/plugins/{name}/disable", "Disable a plugin"),
    ("POST", "/plugins/{name}/upgrade", "Upgrade a plugin"),
    ("POST", "/plugins/create", "Create a plugin"),
    ("POST", "/plugins/{name}/push", "Push a plugin"),
    ("POST", "/plugins/{name}/set", "Configure a plugin"),
    ("GET", "/nodes", "List nodes"),
    ("GET", "/nodes/{id}", "Inspect a node"),
    ("DELETE", "/nodes/{id}", "Delete a node"),
    ("POST", "/nodes/{id}/update", "Update a node"),
    ("GET", "/swarm", "Inspect swarm"),
    ("POST", "/swarm/init", "Initialize a new swarm"),
    ("POST", "/swarm/join", "Join an existing swarm"),
    ("POST", "/swarm/leave", "Leave a swarm"),
    ("POST", "/swarm/update", "Update a swarm"),
    ("GET", "/swarm/unlockkey", "Get the unlock key"),
    ("POST", "/swarm/unlock", "Unlock a locked manager"),
    ("GET", "/services", "List services"),
    ("POST", "/services/create", "Create a service"),
    ("GET", "/services/{id}", "Inspect a service"),
    ("DELETE", "/services/{id}", "Delete a service"),
    ("POST", "/services/{id}/update", "Update a service"),
    ("GET", "/services/{id}/logs", "Get service logs"),
    ("GET", "/tasks", "List tasks"),
    ("GET", "/tasks/{id}", "Inspect a task"),
    ("GET", "/tasks/{id}/logs", "Get task logs"),
    ("GET", "/secrets", "List secrets"),
    ("POST", "/secrets/create", "Create a secret"),
    ("GET", "/secrets/{id}", "Inspect a secret"),
    ("DELETE", "/secrets/{id}", "Delete a secret"),
    ("POST", "/secrets/{id}/update", "Update a Secret"),
    ("GET", "/configs", "List configs"),
    ("POST", "/configs/create", "Create a config"),
    ("GET", "/configs/{id}", "Inspect a config"),
    ("DELETE", "/configs/{id}", "Delete a config"),
    ("POST", "/configs/{id}/update", "Update a Config"),
    ("GET", "/distribution/{name}/json", "Get image information from the registry"),
    ("POST", "/session", "Initialize interactive session"),
)

_SUMMARIES = {(m, canonical_path(p)): s for m, p, s in SPEC_ENDPOINTS}

#: Fallbacks for object types we do not model.  ``docker inspect X`` asks for a
#: container, then image, network, volume, (info), plugin, and only moves on
#: after a 404, so these answer 404 with dockerd's texts instead of 501
#: (plugins have their own router, routers/plugins.py; the fallback serves
#: tables built without it).
_NOT_FOUND_FALLBACKS: dict[tuple[str, str], tuple[str, str]] = {
    ("GET", "/networks/{}"): ("network {} not found", "id"),
    ("GET", "/volumes/{}"): ("get {}: no such volume", "name"),
    ("GET", "/plugins/{}/json"): ('plugin "{}" not found', "name"),
}


def spec_summary(method: str, path: str) -> str:
    """The swagger summary for an endpoint, or ``""`` if it is not in the spec."""
    return _SUMMARIES.get((method.upper(), canonical_path(path)), "")


def complete_table(declared: Iterable[Endpoint]) -> list[Endpoint]:
    """The full table: *declared* rows first (first declaration of a
    method+path wins), then one unsupported row per swagger endpoint nobody
    declared."""
    table: list[Endpoint] = []
    seen: set[tuple[str, str]] = set()
    for endpoint in declared:
        if endpoint.key in seen:
            continue
        seen.add(endpoint.key)
        table.append(endpoint)
    for method, path, _summary in SPEC_ENDPOINTS:
        key = (method, canonical_path(path))
        if key in seen:
            continue
        seen.add(key)
        fallback = _NOT_FOUND_FALLBACKS.get(key)
        if fallback is not None:
            table.append(
                unsupported(
                    method,
                    path,
                    "answers 404 so `docker inspect` can fall through",
                    handler=not_found_handler(*fallback),
                )
            )
        else:
            table.append(unsupported(method, path))
    return table


def _group(path: str) -> str:
    first = display_path(path).strip("/").split("/", 1)[0]
    return first or "/"


def render_markdown(table: Iterable[Endpoint]) -> str:
    """Render the table as the Markdown of ``docs/api-support.md``.

    Rows are grouped by the first path segment and keep table order inside a
    group; the output is deterministic so a test can compare it to the file.
    """
    rows = list(table)
    counts = {level: sum(1 for e in rows if e.support is level) for level in Support}
    lines = [
        "# Engine API support in dockersim",
        "",
        "<!-- Generated by `python -m dockersim.daemon.support --write`; do not edit by hand. -->",
        "",
        f"dockersim speaks Engine API v{API_VERSION} (also any `/vX.Y/` prefix from "
        f"v{MIN_API_VERSION} up, and bare paths). Unsupported endpoints answer "
        "`501 {\"message\": \"... is not implemented by dockersim yet\"}`.",
        "",
        f"Totals: {counts[Support.SUPPORTED]} supported, {counts[Support.PARTIAL]} partial, "
        f"{counts[Support.UNSUPPORTED]} unsupported.",
        "",
    ]
    groups: dict[str, list[Endpoint]] = {}
    for endpoint in rows:
        groups.setdefault(_group(endpoint.path), []).append(endpoint)
    for name in sorted(groups):
        lines.append(f"## {name}")
        lines.append("")
        lines.append("| Method | Path | Support | Summary | Note |")
        lines.append("|---|---|---|---|---|")
        for e in groups[name]:
            summary = spec_summary(e.method, e.path) or "(dockersim extension)"
            note = e.note.replace("|", "\\|").replace("\n", " ")
            if e.min_version:
                note = (note + " " if note else "") + f"(API >= {e.min_version})"
            lines.append(f"| {e.method} | `{display_path(e.path)}` | {e.support.value} | {summary} | {note} |")
        lines.append("")
    return "\n".join(lines)


def main(argv: "list[str] | None" = None) -> int:
    """``python -m dockersim.daemon.support [--write]``: print or write the doc."""
    import argparse
    from pathlib import Path

    import importlib

    # Under ``python -m`` this module runs as ``__main__``; use the canonical
    # module so the Support enum is the same one the routers used.
    this = importlib.import_module("dockersim.daemon.support")
    endpoint_table = importlib.import_module("dockersim.daemon.app").endpoint_table  # late: aiohttp

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--write", action="store_true", help="write docs/api-support.md instead of printing")
    args = parser.parse_args(argv)
    text = this.render_markdown(endpoint_table())
    if args.write:
        target = Path(__file__).resolve().parent.parent / "docs" / "api-support.md"
        target.write_text(text)
        print(f"wrote {target}")
    else:
        print(text, end="")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
