"""Go's ``encoding/json`` as dockerd uses it: one scanner with Go's error
texts, decoding into Go types with Go's type errors, and encoding in Go's
field order with its HTML-safe escaping.

Reading:

- `parse(data, stream=False)`: the JSON value, as `JObject` (a list of
  (key, value) pairs in document order), list, str, `JNumber` (the
  literal), bool or None.  ``stream=False`` is ``json.Unmarshal`` (the
  whole input is one value: ``unexpected end of JSON input``, ``invalid
  character 'x' after top-level value``); ``stream=True`` is a
  ``json.Decoder``'s ``Decode`` (the first value; ``EOF`` for nothing but
  white space, ``unexpected EOF`` for a value cut short).  Syntax errors
  are the scanner's: ``invalid character 'x' looking for beginning of
  value``, ``... after object key``, ``... in string literal``, ``...
  exceeded max depth``.  Strings are unescaped as Go does: lone
  surrogates and each invalid UTF-8 byte become U+FFFD.
- `unmarshal(data, type)`: decode into a Go type described with `Scalar`,
  `Slice`, `Map`, `Ptr`, `Struct` (fields matched case-insensitively),
  `Empty`, `TimeType` (RFC 3339) and `StrSlice`; the first type mismatch
  is reported after the whole value is read (``json: cannot unmarshal
  number into Go struct field Image.V1Image.os of type string``).
- `decode_struct`, `first_value`, `json_string_array`: short forms for a
  struct of strings, the first value of a stream, and buildkit's
  ``json.Unmarshal(&[]interface{})`` of a Dockerfile's JSON form.

Writing: `marshal_value(value, type)` (``json.Marshal`` of a decoded Go
value), `marshal(obj)` (of plain Python data), `encode_string`,
`compact` (``json.Compact`` with HTML escaping: a ``json.RawMessage``).
"""

from __future__ import annotations

import json as _pyjson

import attrs

from . import time as _gotime
from .errors import GoError
from .strconv import quote
from .text import encode

__all__ = [
    "JSONError", "JObject", "JNumber", "parse", "kind", "to_py", "from_py",
    "Type", "Scalar", "Slice", "Map", "Ptr", "Empty", "TimeType", "StrSlice", "Field", "Struct",
    "STRING", "INT64", "INT", "BOOL", "STRINGS", "STRING_MAP", "DURATION",
    "Decoder", "unmarshal", "decode_struct", "first_value",
    "encode_string", "is_empty", "marshal_value", "struct_pairs", "compact", "raw_pairs", "marshal",
    "NotJSON", "NotStringArray", "json_string_array",
]


class JSONError(GoError):
    """A decoding error; ``str(err)`` is Go's message."""


class JObject(list):
    """A JSON object: its (key, value) pairs in document order (Go lets a
    later duplicate key overwrite an earlier one)."""


@attrs.frozen
class JNumber:
    text: str  # the literal, e.g. "1.5e3"


# --- the scanner -------------------------------------------------------------------

_WS = b" \t\r\n"
_MAX_DEPTH = 10000


def _quote_char(c: int) -> str:
    """encoding/json ``quoteChar`` of one input byte."""
    if c == 0x27:
        return "'\\''"
    if c == 0x22:
        return "'\"'"
    return "'" + quote(chr(c))[1:-1] + "'"


def _text(raw: bytes) -> str:
    """Bytes as Go's decoder keeps them in a string: each invalid UTF-8
    byte becomes U+FFFD."""
    text = raw.decode("utf-8", "surrogateescape")
    if any(0xDC80 <= ord(ch) <= 0xDCFF for ch in text):
        text = "".join("\ufffd" if 0xDC80 <= ord(ch) <= 0xDCFF else ch for ch in text)
    return text


_SIMPLE_ESCAPES = {ord('"'): '"', ord("\\"): "\\", ord("/"): "/", ord("b"): "\b", ord("f"): "\f",
                   ord("n"): "\n", ord("r"): "\r", ord("t"): "\t"}


def _unquote(raw: bytes) -> str:
    """The text of a JSON string body (escapes decoded; invalid UTF-8 and
    lone surrogates become U+FFFD, as Go does)."""
    if b"\\" not in raw:
        return _text(raw)
    out: "list[str]" = []
    i, n = 0, len(raw)
    start = 0
    while i < n:
        if raw[i] != 0x5C:
            i += 1
            continue
        out.append(_text(raw[start:i]))
        e = raw[i + 1]
        if e != ord("u"):
            out.append(_SIMPLE_ESCAPES[e])
            i += 2
        else:
            cp = int(raw[i + 2:i + 6], 16)
            i += 6
            if 0xD800 <= cp < 0xDC00 and raw[i:i + 2] == b"\\u":
                lo = int(raw[i + 2:i + 6], 16)
                if 0xDC00 <= lo < 0xE000:
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00)
                    i += 6
            if 0xD800 <= cp < 0xE000:
                cp = 0xFFFD
            out.append(chr(cp))
        start = i
    out.append(_text(raw[start:]))
    return "".join(out)


def parse(data: "bytes | str", stream: bool = False, spans: "list | None" = None):
    """Parse one JSON value the way Go does (see the module's text); a
    ``str`` is read as its UTF-8 bytes (`text.encode`).  Raises JSONError.

    With ``spans``, (key, start, end) of each member of a top-level object
    is appended to it (the raw bytes ``json.RawMessage`` would keep)."""
    if isinstance(data, str):
        data = encode(data)
    n = len(data)

    def eof():
        raise JSONError("unexpected EOF" if stream else "unexpected end of JSON input")

    def bad(pos: int, context: str):
        raise JSONError(f"invalid character {_quote_char(data[pos])} {context}")

    def skip(i: int) -> int:
        while i < n and data[i] in _WS:
            i += 1
        return i

    def string(i: int) -> "tuple[str, int]":  # data[i] == '"'
        j = i + 1
        while True:
            if j >= n:
                eof()
            c = data[j]
            if c == 0x22:
                return _unquote(data[i + 1:j]), j + 1
            if c == 0x5C:
                if j + 1 >= n:
                    eof()
                e = data[j + 1]
                if e == ord("u"):
                    for k in range(j + 2, j + 6):
                        if k >= n:
                            eof()
                        if data[k] not in b"0123456789abcdefABCDEF":
                            bad(k, "in \\u hexadecimal character escape")
                    j += 6
                    continue
                if e not in b'"\\/bfnrt':
                    bad(j + 1, "in string escape code")
                j += 2
                continue
            if c < 0x20:
                bad(j, "in string literal")
            j += 1

    def digit(j: int) -> bool:
        return j < n and 0x30 <= data[j] <= 0x39

    def digits(j: int, context: str) -> int:
        """At least one digit at j (else Go's error in ``context``): past them."""
        if j >= n:
            eof()
        if not digit(j):
            bad(j, context)
        while digit(j):
            j += 1
        return j

    def number(i: int, top: bool) -> "tuple[JNumber, int]":
        j = i
        if data[j] == 0x2D:
            j += 1
            if j >= n:
                eof()
            if not digit(j):
                bad(j, "in numeric literal")
        if data[j] == 0x30:
            j += 1
        else:
            while digit(j):
                j += 1
        if j < n and data[j] == 0x2E:
            j = digits(j + 1, "after decimal point in numeric literal")
        if j < n and data[j] in b"eE":
            j += 1
            if j < n and data[j] in b"+-":
                j += 1
            j = digits(j, "in exponent of numeric literal")
        if j >= n and not top:
            eof()
        return JNumber(data[i:j].decode()), j

    def literal(i: int, word: bytes, value):
        for k in range(1, len(word)):
            if i + k >= n:
                eof()
            if data[i + k] != word[k]:
                bad(i + k, f"in literal {word.decode()} (expecting {_quote_char(word[k])})")
        return value, i + len(word)

    def key_colon(i: int) -> "tuple[str, int]":
        if data[i] != 0x22:
            bad(i, "looking for beginning of object key string")
        key, i = string(i)
        i = skip(i)
        if i >= n:
            eof()
        if data[i] != 0x3A:
            bad(i, "after object key")
        return key, i + 1

    # An explicit stack keeps deep nesting from exhausting Python's own;
    # each frame is [container, pending key, offset of its opening bracket].
    stack: list = []
    i = skip(0)
    if i >= n:
        if stream:
            raise JSONError("EOF")
        eof()
    while True:
        # -- a value starts at i
        i = skip(i)
        if i >= n:
            eof()
        start = i
        c = data[i]
        if c in b"{[":
            if len(stack) + 1 > _MAX_DEPTH:
                bad(i, "exceeded max depth")
            container = JObject() if c == 0x7B else []
            i = skip(i + 1)
            if i >= n:
                eof()
            if data[i] == (0x7D if c == 0x7B else 0x5D):
                value, i = container, i + 1
            else:
                stack.append([container, None, start])
                if c == 0x7B:
                    stack[-1][1], i = key_colon(i)
                continue
        elif c == 0x22:
            value, i = string(i)
        elif c == 0x2D or 0x30 <= c <= 0x39:
            value, i = number(i, top=not stack)
        elif c == ord("t"):
            value, i = literal(i, b"true", True)
        elif c == ord("f"):
            value, i = literal(i, b"false", False)
        elif c == ord("n"):
            value, i = literal(i, b"null", None)
        else:
            bad(i, "looking for beginning of value")
        # -- a value ended at i: attach it, then read what follows
        while stack:
            container, key, _ = stack[-1]
            if isinstance(container, JObject):
                container.append((key, value))
                if spans is not None and len(stack) == 1:
                    spans.append((key, start, i))
            else:
                container.append(value)
            i = skip(i)
            if i >= n:
                eof()
            c = data[i]
            if c == 0x2C:
                i = skip(i + 1)
                if i >= n:
                    eof()
                if isinstance(container, JObject):
                    stack[-1][1], i = key_colon(i)
                break
            if c == (0x7D if isinstance(container, JObject) else 0x5D):
                start = stack.pop()[2]
                value, i = container, i + 1
                continue
            bad(i, "after object key:value pair" if isinstance(container, JObject) else "after array element")
        if not stack:
            break
    if not stream:
        i = skip(i)
        if i < n:
            bad(i, "after top-level value")
    return value


def kind(value) -> str:
    """How Go's decoder names a JSON value in ``cannot unmarshal X`` (of a
    parsed value or of plain Python data)."""
    if isinstance(value, (JObject, dict)):
        return "object"
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "bool"
    if value is None:
        return "null"
    return "number"


def to_py(value):
    """A parsed value as plain Python data (what ``json.loads`` gives)."""
    if isinstance(value, JObject):
        return {key: to_py(item) for key, item in value}
    if isinstance(value, list):
        return [to_py(item) for item in value]
    if isinstance(value, JNumber):
        text = value.text
        return float(text) if any(c in text for c in ".eE") else int(text)
    return value


def from_py(obj):
    """A Python value as the JSON parser would give it."""
    if isinstance(obj, dict):
        return JObject((str(k), from_py(v)) for k, v in obj.items())
    if isinstance(obj, (list, tuple)):
        return [from_py(v) for v in obj]
    if isinstance(obj, bool) or obj is None or isinstance(obj, str):
        return obj
    if isinstance(obj, int):
        return JNumber(str(obj))
    if isinstance(obj, float):
        return JNumber(repr(obj))
    raise TypeError(f"not JSON: {type(obj).__name__}")


# --- Go types: decoding with Go's type errors, encoding in Go's field order --


class Type:
    """A Go type as encoding/json sees it.  ``name`` is its reflect
    ``String()`` (used in error messages)."""

    name = "?"


@attrs.frozen
class Scalar(Type):
    kind: str  # "string" | "int" | "bool"
    name: str


@attrs.frozen
class Slice(Type):
    elem: Type
    name: str


@attrs.frozen
class Map(Type):
    elem: Type
    name: str


@attrs.frozen
class Ptr(Type):
    elem: Type

    @property
    def name(self) -> str:
        return self.elem.name


@attrs.frozen
class Empty(Type):
    """``struct {}``."""
    name: str = "struct {}"


@attrs.frozen
class TimeType(Type):
    """``time.Time``: an RFC 3339 string (decoded to `time.Time`)."""
    name: str = "time.Time"


@attrs.frozen
class StrSlice(Type):
    """moby's ``strslice.StrSlice``: a string or an array of strings."""
    name: str = "strslice.StrSlice"


@attrs.frozen
class Field:
    key: str  # the JSON name
    type: Type
    omitempty: bool = False
    via: "tuple[str, ...]" = ()  # embedded struct names on the way (Go 1.24 error paths)


@attrs.frozen
class Struct(Type):
    short: str  # reflect Name(): "Image"
    name: str  # reflect String(): "image.Image"
    fields: "tuple[Field, ...]"


STRING = Scalar("string", "string")
INT64 = Scalar("int", "int64")
INT = Scalar("int", "int")
BOOL = Scalar("bool", "bool")
STRINGS = Slice(STRING, "[]string")
STRING_MAP = Map(STRING, "map[string]string")
DURATION = Scalar("int", "time.Duration")


def _fold(key: str) -> str:
    """encoding/json's case folding of field names (ASCII plus the two
    Unicode letters that fold onto ASCII)."""
    return key.replace("\u212a", "k").replace("\u017f", "s").lower()


def struct_field(t: "Struct", key: str) -> "Field | None":
    """The field a JSON object key fills, as encoding/json picks it: the
    field of that exact name, else the first whose name matches it
    case-insensitively (`_fold`); None for a key the struct ignores."""
    for f in t.fields:
        if f.key == key:
            return f
    folded = _fold(key)
    for f in t.fields:
        if _fold(f.key) == folded:
            return f
    return None


def canonical_keys(obj, t: Type):
    """Plain decoded JSON with every key of a struct-typed object renamed to
    the field it fills (``{"image": ...}`` -> ``{"Image": ...}``), as Go
    reads it; keys no field takes, map keys and other values unchanged.
    When two keys fill one field the later wins, as in Go."""
    if obj is None:
        return obj
    if isinstance(t, Ptr):
        return canonical_keys(obj, t.elem)
    if isinstance(t, Slice) and isinstance(obj, list):
        return [canonical_keys(x, t.elem) for x in obj]
    if isinstance(t, Map) and isinstance(obj, dict):
        return {k: canonical_keys(x, t.elem) for k, x in obj.items()}
    if isinstance(t, Struct) and isinstance(obj, dict):
        out = {}
        for key, x in obj.items():
            f = struct_field(t, key)
            if f is None:
                out.setdefault(key, x)
            else:
                out.pop(f.key, None)
                out[f.key] = canonical_keys(x, f.type)
        return out
    return obj


@attrs.define
class Decoder:
    """One Unmarshal: collects the first type error like Go's
    ``saveError``; Unmarshaler failures (time, StrSlice) raise at once."""

    saved: "str | None" = None

    def _ctx_message(self, value: str, typ: str, ctx) -> str:
        struct, stack = ctx
        if struct is not None or stack:
            return (f"json: cannot unmarshal {value} into Go struct field "
                    f"{struct or ''}.{'.'.join(stack)} of type {typ}")
        return f"json: cannot unmarshal {value} into Go value of type {typ}"

    def _type_error(self, value: str, t: Type, ctx) -> None:
        if self.saved is None:
            self.saved = self._ctx_message(value, t.name, ctx)

    def zero(self, t: Type):
        if isinstance(t, Scalar):
            return {"string": "", "int": 0, "bool": False}[t.kind]
        if isinstance(t, Struct):
            return {f.key: self.zero(f.type) for f in t.fields}
        if isinstance(t, Empty):
            return {}
        return None

    def decode(self, v, t: Type, ctx=(None, ()), current=None):
        """The Go value of JSON value ``v`` for type ``t``; ``current`` is
        what the target held before (null leaves non-nullable kinds alone)."""
        if current is None and not isinstance(t, (Ptr, Slice, Map, StrSlice, TimeType)):
            current = self.zero(t)
        if isinstance(t, TimeType):
            if v is None:
                return current
            if not isinstance(v, str):
                raise JSONError("Time.UnmarshalJSON: input is not a JSON string")
            try:
                return _gotime.parse(_gotime.RFC3339, v)
            except GoError as e:
                raise JSONError(str(e)) from None
        if isinstance(t, StrSlice):
            if v is None:
                return None
            if isinstance(v, str):
                return [v]
            if isinstance(v, list) and all(isinstance(x, str) or x is None for x in v):
                return ["" if x is None else x for x in v]
            raise JSONError(self._ctx_message(kind(v), "string", ctx))
        if v is None:
            if isinstance(t, (Ptr, Slice, Map)):
                return None
            return current
        if isinstance(t, Ptr):
            return self.decode(v, t.elem, ctx, current)
        k = kind(v)
        if isinstance(t, Scalar):
            if t.kind == "string" and k == "string":
                return v
            if t.kind == "bool" and k == "bool":
                return v
            if t.kind == "int" and k == "number":
                try:
                    n = int(v.text)
                except ValueError:
                    n = None
                if n is None or not -(1 << 63) <= n < (1 << 63):
                    self._type_error("number " + v.text, t, ctx)
                    return current
                return n
            self._type_error(k, t, ctx)
            return current
        if isinstance(t, Slice):
            if k != "array":
                self._type_error(k, t, ctx)
                return current
            return [self.decode(x, t.elem, ctx) for x in v]
        if isinstance(t, Map):
            if k != "object":
                self._type_error(k, t, ctx)
                return current
            out = dict(current) if isinstance(current, dict) else {}
            for key, x in v:
                out[key] = self.decode(x, t.elem, ctx)
            return out
        if isinstance(t, Empty):
            if k != "object":
                self._type_error(k, t, ctx)
            return {}
        if isinstance(t, Struct):
            if k != "object":
                self._type_error(k, t, ctx)
                return current
            out = dict(current)
            for key, x in v:
                f = struct_field(t, key)
                if f is None:
                    continue
                sub = (t.short, tuple(ctx[1]) + f.via + (f.key,))
                out[f.key] = self.decode(x, f.type, sub, out.get(f.key))
            return out
        raise AssertionError(t)


def unmarshal(data: "bytes | str", t: Type, stream: bool = False):
    """``json.Unmarshal`` (or ``Decoder.Decode`` with ``stream``) into a Go
    type: the decoded value, or JSONError with Go's message."""
    parsed = parse(data, stream)
    d = Decoder()
    value = d.decode(parsed, t)
    if d.saved is not None:
        raise JSONError(d.saved)
    return value


def decode_struct(text: "bytes | str", struct: str, fields: "tuple[str, ...]", *,
                  package: str = "") -> "dict[str, str] | None":
    """``json.NewDecoder(r).Decode(&v)`` with ``v`` a pointer to a Go
    struct (named ``package.struct`` in messages) whose ``fields`` are
    strings with these JSON names: {name: value} (every field, "" when
    absent), or None for a top-level ``null`` (a nil pointer).  Anything
    after the first value is not read.  Raises JSONError."""
    qualified = f"{package}.{struct}" if package else struct
    t = Struct(struct, qualified, tuple(Field(f, STRING) for f in fields))
    return unmarshal(text, Ptr(t), stream=True)


def first_value(text: "bytes | str"):
    """The first JSON value in ``text`` as plain Python data (a
    ``json.Decoder``'s ``Decode``: trailing data is not looked at).
    Raises JSONError."""
    return to_py(parse(text, stream=True))


# --- encoding ----------------------------------------------------------------------

_HTML_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def encode_string(s: str) -> str:
    """encoding/json's string encoding (HTML-safe, as Marshal does)."""
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch == '"' or ch == "\\":
            out.append("\\" + ch)
        elif o < 0x20:
            out.append({"\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(ch, "\\u%04x" % o))
        elif ch in _HTML_ESCAPES:
            out.append(_HTML_ESCAPES[ch])
        elif 0xD800 <= o <= 0xDFFF:
            out.append("\\ufffd")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def is_empty(v, t: Type) -> bool:
    """encoding/json's omitempty test."""
    if isinstance(t, (Struct, Empty, TimeType)):
        return False
    if isinstance(t, Ptr) or v is None:
        return v is None
    if isinstance(v, (list, dict, str)):
        return len(v) == 0
    return not v


def marshal_value(v, t: Type) -> str:
    """``json.Marshal`` of a Go value (as `Decoder.decode` returns it)."""
    if isinstance(t, Ptr):
        return "null" if v is None else marshal_value(v, t.elem)
    if isinstance(t, TimeType):
        return "null" if v is None else encode_string(v.rfc3339nano())
    if isinstance(t, Scalar):
        if t.kind == "string":
            return encode_string(v)
        if t.kind == "bool":
            return "true" if v else "false"
        return str(int(v))
    if isinstance(t, (Slice, StrSlice)):
        if v is None:
            return "null"
        elem = t.elem if isinstance(t, Slice) else STRING
        return "[" + ",".join(marshal_value(x, elem) for x in v) + "]"
    if isinstance(t, Map):
        if v is None:
            return "null"
        return "{" + ",".join(encode_string(k) + ":" + marshal_value(v[k], t.elem) for k in sorted(v)) + "}"
    if isinstance(t, Empty):
        return "{}"
    if isinstance(t, Struct):
        return "{" + ",".join(encode_string(k) + ":" + text for k, text in struct_pairs(v, t)) + "}"
    raise AssertionError(t)


def struct_pairs(v: dict, t: Struct) -> "list[tuple[str, str]]":
    """(key, encoded value) of a struct's fields in declaration order,
    omitempty fields left out when empty."""
    out = []
    for f in t.fields:
        value = v.get(f.key)
        if f.omitempty and is_empty(value, f.type):
            continue
        out.append((f.key, marshal_value(value, f.type)))
    return out


def compact(raw: bytes) -> str:
    """``json.Compact`` with HTML escaping: what Marshal does to a
    ``json.RawMessage`` (whitespace outside strings dropped; <, >, &,
    U+2028/2029 escaped inside them)."""
    text = raw.decode("utf-8", "replace")
    out = []
    in_str = False
    esc = False
    for ch in text:
        if in_str:
            if esc:
                esc = False
            elif ch == "\\":
                esc = True
            elif ch == '"':
                in_str = False
            elif ch in _HTML_ESCAPES:
                out.append(_HTML_ESCAPES[ch])
                continue
            out.append(ch)
        elif ch in " \t\r\n":
            continue
        else:
            if ch == '"':
                in_str = True
            out.append(ch)
    return "".join(out)


def raw_pairs(data: bytes) -> "list[tuple[str, bytes]]":
    """The top-level (key, raw value bytes) of a JSON object, as
    ``map[string]*json.RawMessage`` gets them (a later duplicate wins, in
    the place of the first)."""
    spans: list = []
    parsed = parse(data, spans=spans)
    if not isinstance(parsed, JObject):
        raise JSONError("json: cannot unmarshal " + kind(parsed)
                        + " into Go value of type map[string]*json.RawMessage")
    out: "dict[str, bytes]" = {}
    for key, a, b in spans:
        out[key] = data[a:b]
    return list(out.items())


def marshal(obj) -> str:
    """``json.Marshal``'s text of plain data: compact, non-ASCII kept, and
    ``<``, ``>``, ``&``, U+2028, U+2029 escaped as Go's HTML-safe encoder
    does.  (Key order is the dict's: Go writes struct fields in declaration
    order and map keys sorted.)"""
    if isinstance(obj, str):
        return encode_string(obj)
    if isinstance(obj, dict):
        return "{" + ",".join(encode_string(k if isinstance(k, str) else _pyjson.dumps(k)) + ":"
                              + marshal(v) for k, v in obj.items()) + "}"
    if isinstance(obj, (list, tuple)):
        return "[" + ",".join(marshal(v) for v in obj) + "]"
    return _pyjson.dumps(obj)  # numbers, booleans, null


# --- buildkit's JSON form of a Dockerfile instruction ------------------------------

class NotJSON(Exception):
    """The text is not a JSON array (Go's Unmarshal into []any failed)."""


class NotStringArray(Exception):
    """A JSON array with a non-string element."""


def _float_out_of_range(value) -> bool:
    """Whether a number somewhere in ``value`` does not fit a float64."""
    if isinstance(value, JNumber):
        return float(value.text) in (float("inf"), float("-inf"))
    if isinstance(value, JObject):
        return any(_float_out_of_range(item) for _, item in value)
    if isinstance(value, list):
        return any(_float_out_of_range(item) for item in value)
    return False


def json_string_array(text: str) -> list[str]:
    """Decode ``text`` the way Go's ``json.Unmarshal(&[]any)`` would and return
    its strings; raises :class:`NotJSON` or :class:`NotStringArray`.

    Go's decoder is strict JSON (no NaN/Infinity), rejects numbers that do not
    fit a float64, and turns lone ``\\uD800``-style surrogates into U+FFFD.
    """
    try:
        value = parse(text)
    except JSONError as e:
        raise NotJSON(str(e)) from None
    if isinstance(value, JObject) or not isinstance(value, list):
        raise NotJSON("not an array")
    if _float_out_of_range(value):
        raise NotJSON("number out of range")  # Go: cannot unmarshal into float64
    out = []
    for item in value:
        if not isinstance(item, str):
            raise NotStringArray()
        out.append(item)
    return out
