"""Go standard-library behaviours Docker's texts depend on.

dockerd is Go code; many of its error texts and formats come straight out
of Go's standard library (``strconv.Quote``, ``time.Duration``,
``time.ParseDuration``, ``strconv.ParseInt``, ``path/filepath``,
``unicode.IsSpace``, ``encoding/json``, ``time.RFC3339Nano``).  This
module re-states those rules once, in Python, for the Dockerfile front end
(`daemon/builder`), the archive code (`sim.fs.archive`,
`sim.images.archive`) and the daemon, so they all produce the bytes Docker
does.

Strings here are Python ``str``.  A Dockerfile read as bytes is decoded as
UTF-8 with ``surrogateescape`` (see :func:`decode`), so an invalid byte
``0xNN`` is the lone surrogate ``U+DCNN`` and is quoted as ``\\xNN`` the way
Go quotes the raw byte.
"""

from __future__ import annotations

import datetime
import json
import math
import re
import unicodedata

__all__ = [
    "GoError", "decode", "encode", "is_space", "trim_space", "trim_left_space",
    "quote", "quote_rune", "format_q_list", "format_v_list", "parse_duration",
    "format_duration", "parse_int", "parse_uint", "parse_bool", "clean_path",
    "join_path", "base", "dir_of", "split_path", "rel_path", "rfc3339_nano", "marshal",
    "levenshtein", "suggest", "with_suggestion", "json_string_array",
    "NotJSON", "NotStringArray",
]


class GoError(ValueError):
    """An error whose ``str()`` is the exact text Go would print."""


def decode(data: bytes) -> str:
    """Bytes as the Go code sees them: UTF-8, invalid bytes kept round-trippable."""
    return data.decode("utf-8", "surrogateescape")


def encode(text: str) -> bytes:
    """The inverse of :func:`decode`."""
    return text.encode("utf-8", "surrogateescape")


# --- unicode -----------------------------------------------------------------

_LATIN1_SPACES = frozenset("\t\n\v\f\r \x85\xa0")


def is_space(ch: str) -> bool:
    """Go's ``unicode.IsSpace`` (White_Space property)."""
    if ord(ch) < 0x100:
        return ch in _LATIN1_SPACES
    if 0xDC80 <= ord(ch) <= 0xDCFF:       # an undecodable byte
        return False
    return ch in "\u1680\u2028\u2029\u202f\u205f\u3000" or 0x2000 <= ord(ch) <= 0x200A


def trim_space(s: str) -> str:
    """Go's ``strings.TrimSpace``."""
    start, end = 0, len(s)
    while start < end and is_space(s[start]):
        start += 1
    while end > start and is_space(s[end - 1]):
        end -= 1
    return s[start:end]


def trim_left_space(s: str) -> str:
    """Go's ``strings.TrimLeftFunc(s, unicode.IsSpace)``."""
    i = 0
    while i < len(s) and is_space(s[i]):
        i += 1
    return s[i:]


def is_digit(ch: str) -> bool:
    """Go's ``unicode.IsDigit`` (category Nd)."""
    return unicodedata.category(ch) == "Nd"


def is_letter(ch: str) -> bool:
    """Go's ``unicode.IsLetter`` (category L*)."""
    return unicodedata.category(ch).startswith("L")


# --- quoting -------------------------------------------------------------------

_SIMPLE_ESCAPES = {"\a": r"\a", "\b": r"\b", "\f": r"\f", "\n": r"\n", "\r": r"\r",
                   "\t": r"\t", "\v": r"\v"}


def _quote_body(s: str, q: str) -> str:
    out = []
    for ch in s:
        o = ord(ch)
        if 0xDC80 <= o <= 0xDCFF:            # invalid UTF-8 byte
            out.append("\\x%02x" % (o - 0xDC00))
        elif ch == q or ch == "\\":
            out.append("\\" + ch)
        elif ch in _SIMPLE_ESCAPES:
            out.append(_SIMPLE_ESCAPES[ch])
        elif o < 0x20 or o == 0x7F:
            out.append("\\x%02x" % o)
        elif ch.isprintable():
            out.append(ch)
        elif 0xD800 <= o <= 0xDFFF:          # other lone surrogate: Go sees U+FFFD
            out.append("\ufffd")
        elif o < 0x10000:
            out.append("\\u%04x" % o)
        else:
            out.append("\\U%08x" % o)
    return "".join(out)


def quote(s: str) -> str:
    """Go's ``strconv.Quote`` (what ``%q`` prints for a string)."""
    return '"' + _quote_body(s, '"') + '"'


def quote_rune(r: int) -> str:
    """Go's ``strconv.QuoteRune`` (what ``%q`` prints for an integer)."""
    if r < 0 or r > 0x10FFFF or 0xD800 <= r <= 0xDFFF:
        r = 0xFFFD
    return "'" + _quote_body(chr(r), "'") + "'"


def format_q_list(items) -> str:
    """``fmt.Sprintf("%q", []string{...})``: ``["a" "b"]``; a nil/empty slice is ``[]``."""
    return "[" + " ".join(quote(i) for i in (items or ())) + "]"


def format_v_list(items) -> str:
    """``fmt.Sprintf("%v", []string{...})``: ``[a b]``."""
    return "[" + " ".join(items or ()) + "]"


# --- time.Duration -------------------------------------------------------------

_UNITS = {"ns": 1, "us": 1_000, "\u00b5s": 1_000, "\u03bcs": 1_000, "ms": 1_000_000,
          "s": 1_000_000_000, "m": 60_000_000_000, "h": 3_600_000_000_000}
_MAX = 1 << 63


def _time_quote(s: str) -> str:
    """``time``'s own quoting (non-ASCII and control bytes as ``\\xNN``)."""
    out = ['"']
    for ch in s:
        if ord(ch) >= 0x80 or ord(ch) < 0x20:
            out.extend("\\x%02x" % b for b in encode(ch))
        else:
            if ch in '"\\':
                out.append("\\")
            out.append(ch)
    out.append('"')
    return "".join(out)


def parse_duration(s: str) -> int:
    """Go's ``time.ParseDuration``; returns nanoseconds, raises :class:`GoError`."""
    orig = s
    invalid = GoError("time: invalid duration " + _time_quote(orig))
    neg = False
    if s and s[0] in "+-":
        neg = s[0] == "-"
        s = s[1:]
    if s == "0":
        return 0
    if s == "":
        raise invalid
    total = 0
    while s:
        if not (s[0] == "." or "0" <= s[0] <= "9"):
            raise invalid
        i = 0
        v = 0
        while i < len(s) and "0" <= s[i] <= "9":
            if v > _MAX // 10:
                raise invalid
            v = v * 10 + int(s[i])
            if v > _MAX:
                raise invalid
            i += 1
        pre = i > 0
        s = s[i:]
        post = False
        f, scale = 0, 1.0
        if s and s[0] == ".":
            s = s[1:]
            i = 0
            overflow = False
            while i < len(s) and "0" <= s[i] <= "9":
                if not overflow:
                    if f > (_MAX - 1) // 10:
                        overflow = True
                    else:
                        y = f * 10 + int(s[i])
                        if y > _MAX:
                            overflow = True
                        else:
                            f = y
                            scale *= 10
                i += 1
            post = i > 0
            s = s[i:]
        if not pre and not post:
            raise invalid
        i = 0
        while i < len(s) and not (s[i] == "." or "0" <= s[i] <= "9"):
            i += 1
        if i == 0:
            raise GoError("time: missing unit in duration " + _time_quote(orig))
        u, s = s[:i], s[i:]
        if u not in _UNITS:
            raise GoError("time: unknown unit " + _time_quote(u) + " in duration " + _time_quote(orig))
        unit = _UNITS[u]
        if v > _MAX // unit:
            raise invalid
        v *= unit
        if f > 0:
            v += int(float(f) * (float(unit) / scale))
            if v > _MAX:
                raise invalid
        total += v
        if total > _MAX:
            raise invalid
    if neg:
        return -total
    if total > _MAX - 1:
        raise invalid
    return total


def _fmt_frac(v: int, prec: int) -> tuple[str, int]:
    digits = []
    printed = False
    for _ in range(prec):
        digit = v % 10
        printed = printed or digit != 0
        if printed:
            digits.append(str(digit))
        v //= 10
    frac = ("." + "".join(reversed(digits))) if printed else ""
    return frac, v


def format_duration(ns: int) -> str:
    """Go's ``time.Duration.String``: ``1h2m3.5s``, ``1.5ms``, ``0s``."""
    if ns == 0:
        return "0s"
    neg = ns < 0
    u = -ns if neg else ns
    if u < 1_000_000_000:
        if u < 1_000:
            s = "%dns" % u
        elif u < 1_000_000:
            frac, whole = _fmt_frac(u, 3)
            s = "%d%s\u00b5s" % (whole, frac)
        else:
            frac, whole = _fmt_frac(u, 6)
            s = "%d%sms" % (whole, frac)
    else:
        frac, whole = _fmt_frac(u, 9)
        secs = whole % 60
        whole //= 60
        s = "%d%ss" % (secs, frac)
        if whole > 0:
            mins = whole % 60
            whole //= 60
            s = "%dm" % mins + s
            if whole > 0:
                s = "%dh" % whole + s
    return "-" + s if neg else s


# --- strconv -------------------------------------------------------------------

def parse_int(s: str, bits: int = 64) -> int:
    """Go's ``strconv.ParseInt(s, 10, bits)`` with its error texts."""
    fn = "ParseInt"
    if s == "":
        raise GoError("strconv.%s: parsing %s: invalid syntax" % (fn, quote(s)))
    body = s[1:] if s[0] in "+-" else s
    if body == "" or not all("0" <= c <= "9" for c in body):
        raise GoError("strconv.%s: parsing %s: invalid syntax" % (fn, quote(s)))
    n = int(s)
    if not -(1 << (bits - 1)) <= n <= (1 << (bits - 1)) - 1:
        raise GoError("strconv.%s: parsing %s: value out of range" % (fn, quote(s)))
    return n


def parse_uint(s: str, base: int = 10, bits: int = 64) -> int:
    """Go's ``strconv.ParseUint(s, base, bits)`` (bases 8 and 10)."""
    digits = "01234567" if base == 8 else "0123456789"
    if s == "" or not all(c in digits for c in s):
        raise GoError("strconv.ParseUint: parsing %s: invalid syntax" % quote(s))
    n = int(s, base)
    if n >= 1 << bits:
        raise GoError("strconv.ParseUint: parsing %s: value out of range" % quote(s))
    return n


_BOOLS = {"1": True, "t": True, "T": True, "TRUE": True, "true": True, "True": True,
          "0": False, "f": False, "F": False, "FALSE": False, "false": False, "False": False}


def parse_bool(s: str) -> bool:
    """Go's ``strconv.ParseBool``."""
    if s in _BOOLS:
        return _BOOLS[s]
    raise GoError("strconv.ParseBool: parsing %s: invalid syntax" % quote(s))


# --- paths ---------------------------------------------------------------------

def clean_path(p: str) -> str:
    """Go's ``path/filepath.Clean`` on Unix (lexical; ``""`` becomes ``"."``)."""
    if p == "":
        return "."
    rooted = p.startswith("/")
    out: list[str] = []
    for part in p.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if out and out[-1] != "..":
                out.pop()
            elif not rooted:
                out.append("..")
            continue
        out.append(part)
    s = "/".join(out)
    if rooted:
        return "/" + s
    return s or "."


def join_path(*elems: str) -> str:
    """``filepath.Join``: the non-empty elements joined by ``/``, cleaned."""
    parts = [e for e in elems if e]
    return clean_path("/".join(parts)) if parts else ""


def base(path: str) -> str:
    """``filepath.Base``: the last element, trailing slashes dropped."""
    if path == "":
        return "."
    path = path.rstrip("/")
    if path == "":
        return "/"
    return path.rsplit("/", 1)[-1]


def dir_of(path: str) -> str:
    """``filepath.Dir``: everything but the last element, cleaned."""
    i = path.rfind("/")
    return clean_path(path[:i + 1])


def split_path(path: str) -> "tuple[str, str]":
    """``filepath.Split``: (dir with its trailing slash, file)."""
    i = path.rfind("/")
    return path[:i + 1], path[i + 1:]


def rel_path(base_path: str, target: str) -> str:
    """``filepath.Rel`` for two rooted paths."""
    b = [p for p in clean_path(base_path).split("/") if p]
    t = [p for p in clean_path(target).split("/") if p]
    k = 0
    while k < len(b) and k < len(t) and b[k] == t[k]:
        k += 1
    parts = [".."] * (len(b) - k) + t[k:]
    return "/".join(parts) if parts else "."


# --- time ------------------------------------------------------------------------

def rfc3339_nano(t: "float | None", zero: str = "0001-01-01T00:00:00Z") -> str:
    """``t`` (seconds since the epoch) as Go's ``time.Time`` marshals to
    JSON in UTC: RFC 3339 with nanoseconds, trailing zeros of the fraction
    dropped (``2023-11-14T22:13:20.5Z``); ``zero`` (Go's zero time) for
    None."""
    if t is None:
        return zero
    whole = math.floor(t)
    nanos = int(round((t - whole) * 1e9))
    if nanos >= 1_000_000_000:
        whole, nanos = whole + 1, nanos - 1_000_000_000
    stamp = datetime.datetime.fromtimestamp(0, datetime.timezone.utc) + \
        datetime.timedelta(seconds=whole)
    frac = f".{nanos:09d}".rstrip("0") if nanos else ""
    return stamp.strftime("%Y-%m-%dT%H:%M:%S") + frac + "Z"


# --- encoding/json -----------------------------------------------------------------

_HTML_SAFE = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
              ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


def marshal(obj) -> str:
    """``json.Marshal``'s text of plain data: compact, non-ASCII kept, and
    ``<``, ``>``, ``&``, U+2028, U+2029 escaped as Go's HTML-safe encoder
    does.  (Key order is the dict's: Go writes struct fields in declaration
    order and map keys sorted.)"""
    text = json.dumps(obj, separators=(",", ":"), ensure_ascii=False)
    for ch, esc in _HTML_SAFE:
        text = text.replace(ch, esc)
    return text


# --- suggestions (buildkit util/suggest) --------------------------------------

def levenshtein(a: str, b: str) -> int:
    """Edit distance with unit costs, over code points."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def suggest(val: str, options, case_sensitive: bool) -> str | None:
    """The closest option (distance below 3), or None if none or ``val`` is one.

    buildkit walks a Go map here, so among equally close options Go picks one
    at random; we take the first in ``options`` order.
    """
    orig = val
    if not case_sensitive:
        val = val.lower()
    match = None
    mindist = 3
    for opt in options:
        if not case_sensitive:
            opt = opt.lower()
        if val == opt:
            return None
        dist = levenshtein(val, opt)
        if dist < mindist:
            if not case_sensitive:
                if orig == orig.lower():
                    match = opt.lower()
                elif orig == orig.upper():
                    match = opt.upper()
                else:
                    match = opt
            else:
                match = opt
            mindist = dist
    return match


def with_suggestion(message: str, val: str, options, case_sensitive: bool) -> str:
    """``message`` with buildkit's `` (did you mean X?)`` tail when one applies."""
    match = suggest(val, options, case_sensitive)
    return message if match is None else "%s (did you mean %s?)" % (message, match)


# --- encoding/json -------------------------------------------------------------

class NotJSON(Exception):
    """The text is not a JSON array (Go's Unmarshal into []any failed)."""


class NotStringArray(Exception):
    """A JSON array with a non-string element."""


def _reject_constant(name):
    raise ValueError(name)


def _go_float(text: str):
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError("number out of range")   # Go: cannot unmarshal into float64
    return value


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def json_string_array(text: str) -> list[str]:
    """Decode ``text`` the way Go's ``json.Unmarshal(&[]any)`` would and return
    its strings; raises :class:`NotJSON` or :class:`NotStringArray`.

    Go's decoder is strict JSON (no NaN/Infinity), rejects numbers that do not
    fit a float64, and turns lone ``\\uD800``-style surrogates into U+FFFD.
    """
    try:
        value = json.loads(text, parse_constant=_reject_constant,
                           parse_float=_go_float, parse_int=_go_float)
    except (ValueError, RecursionError) as e:
        raise NotJSON(str(e)) from None
    if not isinstance(value, list):
        raise NotJSON("not an array")
    out = []
    for item in value:
        if not isinstance(item, str):
            raise NotStringArray()
        out.append(_LONE_SURROGATE.sub("\ufffd", item))
    return out
