"""Go's ``encoding/json`` as dockerd's handlers meet it: decoding one JSON
value from a request body with ``json.NewDecoder(r).Decode(&v)``, with
Go's error texts, which dockerd sends to the client unchanged.

- `first_value(text)`: the first JSON value of a stream (what a
  ``json.Decoder`` reads; anything after it is left unread), or a
  `GoJSONError` with Go's words: ``EOF`` (nothing but white space),
  ``unexpected EOF`` (the value is cut short), ``invalid character 'x'
  looking for beginning of value`` and the scanner's other contexts.
- `decode_struct(text, struct, fields)`: decode into a Go struct of
  string fields: keys match the JSON names case-insensitively, unknown
  keys are ignored, ``null`` leaves a field empty; a wrong type is
  ``json: cannot unmarshal number into Go struct field AuthConfig.username
  of type string`` (reported after the whole value is read, as Go does).

Pure (stdlib only).
"""

from __future__ import annotations

import json

__all__ = ["GoJSONError", "first_value", "decode_struct", "go_kind"]

_WS = " \t\r\n"


class GoJSONError(ValueError):
    """A decoding error; ``str(err)`` is Go's message."""


_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r",
            "\t": "\\t", "\v": "\\v", "\\": "\\\\"}


def _quote_char(c: str) -> str:
    """Go's ``quoteChar``: ``'x'``, ``'\\''``, ``'"'``, ``'\\n'``, ``'\\x00'``."""
    if c == "'":
        return "'\\''"
    if c == '"':
        return "'\"'"
    if c in _ESCAPES:
        return f"'{_ESCAPES[c]}'"
    if ord(c) < 0x20 or ord(c) == 0x7F:
        return "'\\x%02x'" % ord(c)
    return f"'{c}'"


class _Scanner:
    """A recursive-descent reading of one JSON value that reports the
    first error in the words of Go's ``scanner.go``."""

    def __init__(self, text: str):
        self.s = text
        self.i = 0

    def _peek(self) -> "str | None":
        return self.s[self.i] if self.i < len(self.s) else None

    def _skip_ws(self) -> None:
        while self.i < len(self.s) and self.s[self.i] in _WS:
            self.i += 1

    def _need(self) -> str:
        c = self._peek()
        if c is None:
            raise GoJSONError("unexpected EOF")
        return c

    def _bad(self, c: str, context: str) -> GoJSONError:
        return GoJSONError(f"invalid character {_quote_char(c)} {context}")

    def value(self) -> None:
        self._skip_ws()
        c = self._need()
        if c == "{":
            self.i += 1
            self._object()
        elif c == "[":
            self.i += 1
            self._array()
        elif c == '"':
            self.i += 1
            self._string()
        elif c == "-" or c.isdigit():
            self._number()
        elif c in "tfn":
            self._literal({"t": "true", "f": "false", "n": "null"}[c])
        else:
            raise self._bad(c, "looking for beginning of value")

    def _object(self) -> None:
        self._skip_ws()
        c = self._need()
        if c == "}":
            self.i += 1
            return
        while True:
            if c != '"':
                raise self._bad(c, "looking for beginning of object key string")
            self.i += 1
            self._string()
            self._skip_ws()
            c = self._need()
            if c != ":":
                raise self._bad(c, "after object key")
            self.i += 1
            self.value()
            self._skip_ws()
            c = self._need()
            if c == "}":
                self.i += 1
                return
            if c != ",":
                raise self._bad(c, "after object key:value pair")
            self.i += 1
            self._skip_ws()
            c = self._need()

    def _array(self) -> None:
        self._skip_ws()
        if self._need() == "]":
            self.i += 1
            return
        while True:
            self.value()
            self._skip_ws()
            c = self._need()
            if c == "]":
                self.i += 1
                return
            if c != ",":
                raise self._bad(c, "after array element")
            self.i += 1

    def _string(self) -> None:
        while True:
            c = self._need()
            self.i += 1
            if c == '"':
                return
            if c == "\\":
                e = self._need()
                self.i += 1
                if e == "u":
                    for _ in range(4):
                        h = self._need()
                        if h not in "0123456789abcdefABCDEF":
                            raise self._bad(h, "in \\u hexadecimal character escape")
                        self.i += 1
                elif e not in '"\\/bfnrt':
                    raise self._bad(e, "in string escape code")
            elif ord(c) < 0x20:
                raise self._bad(c, "in string literal")

    def _digits(self) -> int:
        start = self.i
        while self._peek() is not None and self._peek().isdigit():
            self.i += 1
        return self.i - start

    def _number(self) -> None:
        if self._peek() == "-":
            self.i += 1
            c = self._need()
            if not c.isdigit():
                raise self._bad(c, "in numeric literal")
        if self._peek() == "0":
            self.i += 1
        else:
            self._digits()
        if self._peek() == ".":
            self.i += 1
            c = self._need()
            if not c.isdigit():
                raise self._bad(c, "after decimal point in numeric literal")
            self._digits()
        if self._peek() in ("e", "E"):
            self.i += 1
            if self._peek() in ("+", "-"):
                self.i += 1
            c = self._need()
            if not c.isdigit():
                raise self._bad(c, "in exponent of numeric literal")
            self._digits()

    def _literal(self, word: str) -> None:
        self.i += 1
        for expected in word[1:]:
            c = self._need()
            if c != expected:
                raise self._bad(c, f"in literal {word} (expecting {_quote_char(expected)})")
            self.i += 1


def first_value(text: "str | bytes"):
    """The first JSON value in ``text`` (a ``json.Decoder``'s ``Decode``:
    trailing data is not looked at).  Raises GoJSONError."""
    if isinstance(text, (bytes, bytearray)):
        text = bytes(text).decode("utf-8", errors="replace")
    scanner = _Scanner(text)
    scanner._skip_ws()
    if scanner._peek() is None:
        raise GoJSONError("EOF")
    start = scanner.i
    scanner.value()
    return json.loads(text[start:scanner.i])


def go_kind(value) -> str:
    """How Go's decoder names a JSON value in "cannot unmarshal X"."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "null"


def decode_struct(text: "str | bytes", struct: str, fields: "tuple[str, ...]", *,
                  package: str = "") -> "dict[str, str] | None":
    """Decode the first value of ``text`` into a Go struct (named
    ``package.struct`` in messages) whose ``fields`` are strings with
    these JSON names.  Returns {name: value} (every field, "" when
    absent), or None for a top-level ``null`` (a nil pointer).

    Raises GoJSONError (syntax, or the first type mismatch)."""
    value = first_value(text)
    if value is None:
        return None
    qualified = f"{package}.{struct}" if package else struct
    if not isinstance(value, dict):
        raise GoJSONError(f"json: cannot unmarshal {go_kind(value)} into Go value of type {qualified}")
    out = dict.fromkeys(fields, "")
    first_error = None
    for key, item in value.items():
        name = key if key in out else next((f for f in fields if f.lower() == key.lower()), None)
        if name is None or item is None:
            continue
        if not isinstance(item, str):
            if first_error is None:
                first_error = (f"json: cannot unmarshal {go_kind(item)} into Go struct field "
                               f"{struct}.{name} of type string")
            continue
        out[name] = item
    if first_error is not None:
        raise GoJSONError(first_error)
    return out
