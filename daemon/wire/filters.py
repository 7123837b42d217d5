"""The ``filters`` query parameter, as moby's ``api/types/filters`` reads it,
and Go's ``path.Match`` (the wildcards of the ``reference`` filter).

``filters`` is JSON: ``{"dangling":{"true":true},"label":{"a=b":true}}``,
or the legacy form ``{"dangling":["true"]}``.  Anything else is
``invalid filter`` (400).  A key the endpoint does not accept is
``invalid filter 'foo'``; a ``dangling`` that is not one boolean is
``invalid filter 'dangling=[maybe]'``.

Pure (stdlib only).
"""

from __future__ import annotations

import json

__all__ = ["FilterError", "Filters", "PatternError", "path_match"]


class FilterError(ValueError):
    """moby's ``invalidFilter`` (an InvalidParameter, 400); ``str`` is its text."""

    def __init__(self, name: str = "", values: "list[str] | None" = None):
        message = "invalid filter"
        if name:
            message += " '" + name
            if values is not None:
                message += "=[" + " ".join(values) + "]"
            message += "'"
        super().__init__(message)


class Filters:
    """A parsed ``filters`` value: key -> {value: bool}."""

    def __init__(self, fields: "dict[str, dict[str, bool]] | None" = None):
        self.fields: "dict[str, dict[str, bool]]" = dict(fields or {})

    @classmethod
    def from_json(cls, text: str) -> "Filters":
        """``filters.FromJSON``: "" is no filter.  Raises FilterError."""
        if not text:
            return cls()
        try:
            doc = json.loads(text)
        except ValueError:
            raise FilterError() from None
        if doc is None:
            return cls()
        if not isinstance(doc, dict):
            raise FilterError()
        current = all(v is None or (isinstance(v, dict) and all(isinstance(b, bool) for b in v.values()))
                      for v in doc.values())
        if current:
            return cls({k: dict(v or {}) for k, v in doc.items()})
        legacy = all(v is None or (isinstance(v, list) and all(isinstance(s, str) for s in v))
                     for v in doc.values())
        if legacy:
            return cls({k: dict.fromkeys(v or (), True) for k, v in doc.items()})
        raise FilterError()

    def validate(self, accepted) -> None:
        """Raises FilterError for the first key not in ``accepted``."""
        for name in sorted(self.fields):
            if name not in accepted:
                raise FilterError(name)

    def contains(self, key: str) -> bool:
        return key in self.fields

    def get(self, key: str) -> "list[str]":
        """The values of a key (sorted, for a stable order)."""
        return sorted(self.fields.get(key) or {})

    def get_bool_or_default(self, key: str, default: bool) -> bool:
        """``GetBoolOrDefault``: "1"/"true" or "0"/"false", not both.
        Raises FilterError."""
        if key not in self.fields:
            return default
        values = self.fields[key]
        if not values:
            raise FilterError(key)
        is_false = bool(values.get("0") or values.get("false"))
        is_true = bool(values.get("1") or values.get("true"))
        if is_false == is_true:
            raise FilterError(key, self.get(key))
        return is_true

    def match_kv_list(self, key: str, labels: "dict[str, str] | None") -> bool:
        """``MatchKVList``: every ``k`` / ``k=v`` of the key is among the
        labels (True when the key has no values)."""
        wanted = self.fields.get(key) or {}
        if not wanted:
            return True
        if not labels:
            return False
        for value in wanted:
            k, eq, v = value.partition("=")
            if k not in labels or (eq and labels[k] != v):
                return False
        return True


class PatternError(ValueError):
    """Go's ``path.ErrBadPattern``."""

    def __init__(self):
        super().__init__("syntax error in pattern")


def _scan_chunk(pattern: str) -> "tuple[bool, str, str]":
    star = False
    while pattern.startswith("*"):
        pattern = pattern[1:]
        star = True
    in_range = False
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 1  # the escaped character is part of the chunk
        elif c == "[":
            in_range = True
        elif c == "]":
            in_range = False
        elif c == "*" and not in_range:
            break
        i += 1
    return star, pattern[:i], pattern[i:]


def _get_esc(chunk: str) -> "tuple[str, str]":
    if not chunk or chunk[0] in "-]":
        raise PatternError()
    if chunk[0] == "\\":
        chunk = chunk[1:]
        if not chunk:
            raise PatternError()
    r, rest = chunk[0], chunk[1:]
    if not rest:
        raise PatternError()
    return r, rest


def _match_chunk(chunk: str, s: str) -> "tuple[str, bool]":
    """Match ``chunk`` at the start of ``s``: (rest of s, matched).  The
    whole chunk is checked for syntax even once matching failed."""
    failed = False
    while chunk:
        if not failed and not s:
            failed = True
        c = chunk[0]
        if c == "[":
            r = ""
            if not failed:
                r, s = s[0], s[1:]
            chunk = chunk[1:]
            negated = False
            if chunk.startswith("^"):
                negated, chunk = True, chunk[1:]
            match = False
            ranges = 0
            while True:
                if chunk.startswith("]") and ranges > 0:
                    chunk = chunk[1:]
                    break
                lo, chunk = _get_esc(chunk)
                hi = lo
                if chunk[0] == "-":
                    hi, chunk = _get_esc(chunk[1:])
                if not failed and lo <= r <= hi:
                    match = True
                ranges += 1
            if match == negated:
                failed = True
        elif c == "?":
            if not failed:
                if s[0] == "/":
                    failed = True
                s = s[1:]
            chunk = chunk[1:]
        else:
            if c == "\\":
                chunk = chunk[1:]
                if not chunk:
                    raise PatternError()
            if not failed:
                if chunk[0] != s[0]:
                    failed = True
                s = s[1:]
            chunk = chunk[1:]
    if failed:
        return "", False
    return s, True


def path_match(pattern: str, name: str) -> bool:
    """Go's ``path.Match``: ``*`` and ``?`` never match ``/``; ``[a-z]``,
    ``[^…]`` and ``\\`` escapes.  Raises PatternError for a malformed
    pattern."""
    while pattern:
        star, chunk, pattern = _scan_chunk(pattern)
        if star and not chunk:
            return "/" not in name
        rest, ok = _match_chunk(chunk, name)
        if ok and (not rest or pattern):
            name = rest
            continue
        if star:
            matched = False
            i = 0
            while i < len(name) and name[i] != "/":
                rest, ok = _match_chunk(chunk, name[i + 1:])
                if ok and not (not pattern and rest):
                    name = rest
                    matched = True
                    break
                i += 1
            if matched:
                continue
        while pattern:
            _star, chunk, pattern = _scan_chunk(pattern)
            _match_chunk(chunk, "")
        return False
    return not name
