"""Go strings as bytes, ``unicode``'s classes, ``strings.TrimSpace`` and
buildkit's "did you mean" suggestions.

Strings in `dockersim.sim.golang` are Python ``str``.  Bytes read from a
file are decoded as UTF-8 with ``surrogateescape`` (:func:`decode`), so an
invalid byte ``0xNN`` is the lone surrogate ``U+DCNN`` and is quoted as
``\\xNN`` the way Go quotes the raw byte.
"""

from __future__ import annotations

import unicodedata

__all__ = ["decode", "encode", "is_space", "trim_space", "trim_left_space", "is_digit",
           "is_letter", "levenshtein", "suggest", "with_suggestion"]


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
