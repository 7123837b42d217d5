"""Reading request parameters the way dockerd does (protocol.md §1.4)."""

from __future__ import annotations

import json
import re
from typing import Any, BinaryIO

from aiohttp import web

from ..errors import InvalidParameter

FALSE_WORDS = {"", "0", "no", "false", "none"}


def qbool(request: web.BaseRequest, name: str, default: bool = False) -> bool:
    """A query boolean: absent -> default; "", 0, no, false, none -> False;
    anything else -> True (dockerd's BoolValue)."""
    if name not in request.query:
        return default
    return request.query[name].strip().lower() not in FALSE_WORDS


def go_quote(s: str) -> str:
    """Go's ``strconv.Quote`` for the printable ASCII common case (other
    characters escaped as ``\\xNN`` / ``\\uNNNN``)."""
    out = []
    for ch in s:
        if ch in '"\\':
            out.append("\\" + ch)
        elif " " <= ch <= "~" or (ord(ch) > 0x7F and ch.isprintable()):
            out.append(ch)
        elif ch in "\a\b\f\n\r\t\v":
            out.append(repr(ch)[1:-1] if ch not in "\a\v" else {"\a": "\\a", "\v": "\\v"}[ch])
        elif ord(ch) < 0x80:
            out.append("\\x%02x" % ord(ch))
        else:
            out.append("\\u%04x" % ord(ch) if ord(ch) <= 0xFFFF else "\\U%08x" % ord(ch))
    return '"' + "".join(out) + '"'


def go_atoi(value: str) -> int:
    """Go's ``strconv.Atoi`` (a 64-bit int): InvalidParameter with its
    words, ``strconv.Atoi: parsing "x": invalid syntax`` / ``value out of
    range``.  (moby returns that error unwrapped, which its error mapping
    answers with a 500; dockersim says 400: it is the client's input.)"""
    body = value[1:] if value[:1] in ("+", "-") else value
    if not body or not all("0" <= c <= "9" for c in body):
        raise InvalidParameter(f"strconv.Atoi: parsing {go_quote(value)}: invalid syntax")
    n = int(value)
    if not -(1 << 63) <= n < (1 << 63):
        raise InvalidParameter(f"strconv.Atoi: parsing {go_quote(value)}: value out of range")
    return n


def qint(request: web.BaseRequest, name: str, default: "int | None" = None) -> "int | None":
    """An integer query parameter read with ``strconv.Atoi`` (absent or
    empty -> ``default``), as moby's routers read ``t`` and ``limit``."""
    value = request.query.get(name, "")
    if value == "":
        return default
    return go_atoi(value)


def stop_timeout(request: web.BaseRequest) -> "float | None":
    """The ``t`` of stop and restart as moby's ``containerStop`` uses it:
    absent -> None (the container's StopTimeout, or 10); negative -> wait
    for ever (-1); otherwise ``time.Duration(t) * time.Second``, which
    wraps around int64 nanoseconds: a huge ``t`` can come out negative,
    and a deadline already past means "kill at once" (0)."""
    t = qint(request, "t")
    if t is None or t < 0:
        return t if t is None else -1
    ns = (t * 1_000_000_000) & ((1 << 64) - 1)
    if ns >= 1 << 63:
        ns -= 1 << 64
    return max(ns, 0) / 1e9


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
    except (ValueError, RecursionError):
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


#: The largest JSON request body dockersim reads (docs/architecture.md,
#: "Request bodies").  dockerd has no limit of its own; 10 MiB is far above
#: any real create, exec or network body.
JSON_BODY_LIMIT = 10 * 1024 * 1024
#: The deepest nesting of a JSON body dockersim decodes.  Go's decoder
#: stops at 10000 (``exceeded max depth``); Python's decoder recurses, so
#: dockersim stops sooner, with the same words.  No real body comes near.
JSON_MAX_DEPTH = 500

_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')
_BRACKETS = re.compile(rb"[\[\]{}]")


class BodyTooLarge(InvalidParameter):
    """A request body past its route's limit (413)."""

    status = 413


async def read_body(request: web.BaseRequest, limit: int = JSON_BODY_LIMIT) -> bytes:
    """The request body, read in chunks and refused (413) as soon as it
    passes ``limit`` bytes, so a huge body is never held whole."""
    if request.content_length is not None and request.content_length > limit:
        raise BodyTooLarge(f"request body is too large: {request.content_length} bytes "
                           f"(the limit for this route is {limit} bytes)")
    chunks, size = [], 0
    while True:
        chunk = await request.content.read(65536)
        if not chunk:
            break
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge(f"request body is too large: more than {limit} bytes "
                               f"(the limit for this route is {limit} bytes)")
        chunks.append(chunk)
    return b"".join(chunks)


async def spool_body(request: web.BaseRequest, into: BinaryIO) -> BinaryIO:
    """The request body (a tar: no limit), copied a chunk at a time into
    the temporary file ``into`` and rewound, so a body of gigabytes is
    never held whole; ``into`` is closed if the copy fails."""
    try:
        while True:
            chunk = await request.content.read(65536)
            if not chunk:
                break
            into.write(chunk)
        into.seek(0)
    except BaseException:
        into.close()
        raise
    return into


def _too_deep(raw: bytes) -> "str | None":
    """The bracket that opens one level too many (Go's ``exceeded max
    depth``), found without parsing: strings removed, brackets counted."""
    if raw.count(b"[") + raw.count(b"{") <= JSON_MAX_DEPTH:
        return None
    depth = 0
    for m in _BRACKETS.finditer(_STRING.sub(b'""', raw)):
        c = m.group()
        if c in (b"[", b"{"):
            depth += 1
            if depth > JSON_MAX_DEPTH:
                return c.decode()
        else:
            depth -= 1
    return None


def _go_syntax_error(exc: json.JSONDecodeError, text: str) -> str:
    """Python's decoding error in Go's ``json.Decoder`` words."""
    pos = exc.pos
    if pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string"):
        return "unexpected EOF"
    if exc.msg.startswith("Invalid \\escape"):
        pos += 1  # Go names the character after the backslash
    c = go_quote(text[pos])[1:-1].replace("'", "\\'")
    context = {
        "Expecting value": "looking for beginning of value",
        "Expecting property name enclosed in double quotes": "looking for beginning of object key string",
        "Expecting ':' delimiter": "after object key",
        "Invalid control character at": "in string literal",
        "Invalid \\escape": "in string escape code",
    }
    for prefix, words in context.items():
        if exc.msg.startswith(prefix):
            return f"invalid character '{c}' {words}"
    if exc.msg.startswith("Expecting ',' delimiter"):
        opener = text.rfind("{", 0, pos) > text.rfind("[", 0, pos)
        return f"invalid character '{c}' " + ("after object key:value pair" if opener else "after array element")
    return f"invalid character '{c}' looking for beginning of value"


def decode_json(raw: bytes, go_type: str = "object", want: type = dict) -> Any:
    """moby's ``ReadJSON``: one JSON value decoded from the body (the
    first of a stream: content after it is ``unexpected content after
    JSON``), errors as ``invalid JSON: <Go's words>``.  The value must be
    an object (a struct in Go; ``go_type`` names it in the error), or a
    list when ``want`` is ``list`` (a Go slice, as the plugin routes read)."""
    if _too_deep(raw):
        raise InvalidParameter(f"invalid JSON: invalid character '{_too_deep(raw)}' exceeded max depth")
    text = raw.decode("utf-8", "replace")  # Go: each invalid byte is U+FFFD
    if "\\u" in text:
        text = _ESCAPE.sub(_lone_surrogate, text)  # and so is a lone surrogate
    try:
        value, end = json.JSONDecoder().raw_decode(text.lstrip(" \t\r\n"))
    except json.JSONDecodeError as exc:
        raise InvalidParameter("invalid JSON: " + _go_syntax_error(exc, text.lstrip(" \t\r\n"))) from None
    except RecursionError:
        raise InvalidParameter("invalid JSON: invalid character '[' exceeded max depth") from None
    rest = text.lstrip(" \t\r\n")[end:].lstrip(" \t\r\n")
    if rest and rest[0] not in "]}":
        raise InvalidParameter("unexpected content after JSON")
    if value is not None and not isinstance(value, want):
        kind = {list: "array", dict: "object", str: "string", bool: "bool"}.get(type(value), "number")
        raise InvalidParameter(f"invalid JSON: json: cannot unmarshal {kind} into Go value of type {go_type}")
    return value


async def body_json(request: web.BaseRequest, default: Any = None, go_type: str = "object") -> dict:
    """The JSON object in the request body (at most `JSON_BODY_LIMIT`
    bytes); an empty body (or ``null``) gives ``default`` (an empty
    object).  Anything but an object is a 400, as Go's decoder refuses to
    unmarshal it into the request struct."""
    raw = await read_body(request)
    if not raw.strip():
        return {} if default is None else default
    value = decode_json(raw, go_type)
    if value is None:
        return {} if default is None else default
    return value


_KINDS = {"string": str, "bool": bool, "object": dict}


def _kind(value) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return {str: "string", list: "array", dict: "object"}.get(type(value), "null")


def check_flat_struct(body: dict, struct: str, fields: "dict[str, tuple[str, str]]") -> dict:
    """Go's type errors for a request struct of scalar fields (and
    pointers to structs, kind ``object``): ``fields`` maps the JSON name to
    (kind, Go type name); a null leaves the zero value, as in Go.
    ``invalid JSON: json: cannot unmarshal number into Go struct field
    DisconnectOptions.Container of type string``.  Returns the body with
    its keys renamed to the fields they fill (Go matches names
    case-insensitively)."""
    folded = {name.lower(): name for name in fields}
    out = {}
    for key, value in body.items():
        name = folded.get(key.lower()) if key not in fields else key
        if name is None:
            out.setdefault(key, value)
            continue
        out.pop(name, None)
        out[name] = value
        if value is None:
            continue
        kind, go_type = fields[name]
        if not isinstance(value, _KINDS[kind]) or (kind != "bool" and isinstance(value, bool)):
            raise InvalidParameter(f"invalid JSON: json: cannot unmarshal {_kind(value)} into Go struct "
                                   f"field {struct}.{name} of type {go_type}")
    return out


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
