"""Reading request parameters the way dockerd does (protocol.md §1.4)."""

from __future__ import annotations

import json
import re
from typing import Any

from aiohttp import web

from ..errors import InvalidParameter

FALSE_WORDS = {"", "0", "no", "false", "none"}


def qbool(request: web.BaseRequest, name: str, default: bool = False) -> bool:
    """A query boolean: absent -> default; "", 0, no, false, none -> False;
    anything else -> True (dockerd's BoolValue)."""
    if name not in request.query:
        return default
    return request.query[name].strip().lower() not in FALSE_WORDS


def qint(request: web.BaseRequest, name: str, default: "int | None" = None) -> "int | None":
    value = request.query.get(name, "")
    if value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise InvalidParameter(f"invalid value for {name}: {value!r}") from None


#: A JSON escape: a surrogate pair, a lone surrogate, or any other.
_ESCAPE = re.compile(r"\\(u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}"
                     r"|u[dD][89a-fA-F][0-9a-fA-F]{2}|.)", re.S)


def _lone_surrogate(match) -> str:
    escape = match.group(1)
    return "\\ufffd" if len(escape) == 5 and escape[0] == "u" else match.group(0)


def go_json_loads(raw: "bytes | str"):
    """``json.loads`` that reads text as Go's encoding/json does: bytes
    that are not UTF-8 and a ``\\uD800``-style escape of a lone surrogate
    become U+FFFD (a surrogate pair stays one character), so no request
    carries text that cannot be written as UTF-8."""
    text = raw.decode("utf-8", "replace") if isinstance(raw, (bytes, bytearray)) else raw
    if "\\u" in text:
        text = _ESCAPE.sub(_lone_surrogate, text)
    return json.loads(text)


def qjson(request: web.BaseRequest, name: str, default: Any = None) -> Any:
    value = request.query.get(name, "")
    if not value:
        return default
    try:
        return go_json_loads(value)
    except ValueError:
        raise InvalidParameter(f"invalid {name} parameter: {value!r}") from None


def check_for_json(request: web.BaseRequest) -> None:
    """moby's ``CheckForJSON``: a request with a body must say it is JSON
    (``application/json``, parameters allowed); no Content-Type is fine
    only without a body."""
    ct = request.headers.get("Content-Type", "")
    if ct == "" and not request.content_length and not request.body_exists:
        return
    media = ct.split(";", 1)[0].strip().lower()
    if not media:
        raise InvalidParameter(f"malformed Content-Type header ({ct}): mime: no media type")
    if media != "application/json":
        raise InvalidParameter(f"unsupported Content-Type header ({ct}): must be 'application/json'")


async def body_json(request: web.BaseRequest, default: Any = None) -> dict:
    """The JSON object in the request body; an empty body gives ``default``
    (an empty object).  Anything but an object is a 400, as Go's decoder
    refuses to unmarshal it into the request struct."""
    raw = await request.read()
    if not raw.strip():
        return {} if default is None else default
    try:
        value = go_json_loads(raw)
    except ValueError as exc:
        raise InvalidParameter(f"invalid JSON: {exc}") from None
    if not isinstance(value, dict):
        kind = {list: "array", str: "string", bool: "bool"}.get(type(value), "number")
        raise InvalidParameter(f"json: cannot unmarshal {kind} into Go value of type object")
    return value


def qtime(request: web.BaseRequest, name: str) -> float:
    """A ``since``/``until`` timestamp: Unix seconds with an optional
    fraction (``1700000000.123456789``), as the CLI sends them; 0 if absent."""
    value = request.query.get(name, "")
    if value == "":
        return 0.0
    try:
        return float(value)
    except ValueError:
        raise InvalidParameter(f"invalid value for {name}: {value!r}") from None
