"""Pattern matching notation (POSIX 2.13).

Used by ``case``, the ``${name%pattern}`` family, pathname expansion and
bash's ``[[ x == pattern ]]``.  A pattern arrives as a list of
``(text, quoted)`` segments, because a quoted ``*`` matches only a star
(2.13.1: "a quoted character matches itself").  It is translated to a
Python regular expression: ``*`` -> ``.*``, ``?`` -> ``.``, bracket
expressions ``[abc] [!a-z] [[:digit:]]`` -> character classes.
"""

import re
from typing import Iterable, List, Tuple

Segments = List[Tuple[str, bool]]

_CLASSES = {
    "alpha": "a-zA-Z", "digit": "0-9", "alnum": "a-zA-Z0-9", "upper": "A-Z",
    "lower": "a-z", "space": r" \t\n\r\f\v", "blank": r" \t", "xdigit": "0-9a-fA-F",
    "punct": r"!-/:-@\[-`{-~", "print": r" -~", "graph": r"!-~", "cntrl": r"\x00-\x1f\x7f",
    "word": r"\w",
}


def has_magic(segments: "Iterable[Tuple[str, bool]]") -> bool:
    """Whether any unquoted ``*``, ``?`` or ``[`` appears."""
    return any(not q and any(c in text for c in "*?[") for text, q in segments)


def _bracket(text: str, i: int) -> "Tuple[str, int] | None":
    """Translate the bracket expression starting at ``text[i] == '['``;
    returns (regex, index after ``]``) or None if it is not closed."""
    j = i + 1
    negate = False
    if j < len(text) and text[j] in "!^":
        negate = True
        j += 1
    out = []
    first = True
    while j < len(text):
        c = text[j]
        if c == "]" and not first:
            body = "".join(out)
            return ("[^" if negate else "[") + body + "]", j + 1
        first = False
        if c == "[" and text.startswith("[:", j):
            end = text.find(":]", j + 2)
            if end > 0 and text[j + 2:end] in _CLASSES:
                out.append(_CLASSES[text[j + 2:end]])
                j = end + 2
                continue
        if c == "\\" and j + 1 < len(text):
            out.append(re.escape(text[j + 1]))
            j += 2
            continue
        if c == "-" and out and j + 1 < len(text) and text[j + 1] != "]":
            out.append("-")
            j += 1
            continue
        out.append(re.escape(c) if c not in "-" else r"\-")
        j += 1
    return None


def translate(segments: "Iterable[Tuple[str, bool]]") -> str:
    """The regular expression (without anchors) for a pattern."""
    out = []
    for text, quoted in segments:
        if quoted:
            out.append(re.escape(text))
            continue
        i = 0
        while i < len(text):
            c = text[i]
            if c == "*":
                out.append(".*")
            elif c == "?":
                out.append(".")
            elif c == "[":
                res = _bracket(text, i)
                if res is not None:
                    out.append(res[0])
                    i = res[1]
                    continue
                out.append(re.escape(c))
            elif c == "\\" and i + 1 < len(text):
                out.append(re.escape(text[i + 1]))
                i += 2
                continue
            else:
                out.append(re.escape(c))
            i += 1
    return "".join(out)


def compile_pattern(segments: "Iterable[Tuple[str, bool]]") -> "re.Pattern[str]":
    return re.compile(translate(segments), re.DOTALL)


def matches(segments: "Iterable[Tuple[str, bool]]", text: str) -> bool:
    """Whether the whole of ``text`` matches the pattern."""
    return compile_pattern(segments).fullmatch(text) is not None


def remove_affix(value: str, segments: Segments, op: str) -> str:
    """``${v%pat}`` (shortest suffix), ``%%`` (longest suffix), ``#``
    (shortest prefix), ``##`` (longest prefix) (2.6.2)."""
    rx = compile_pattern(segments)
    n = len(value)
    if op == "#":
        cuts = range(0, n + 1)
    elif op == "##":
        cuts = range(n, -1, -1)
    elif op == "%":
        cuts = range(n, -1, -1)
    else:  # "%%"
        cuts = range(0, n + 1)
    for k in cuts:
        if op in ("#", "##"):
            if rx.fullmatch(value[:k]):
                return value[k:]
        else:
            if rx.fullmatch(value[k:]):
                return value[:k]
    return value


def replace(value: str, segments: Segments, replacement: str, all_: bool) -> str:
    """bash's ``${v/pat/rep}`` and ``${v//pat/rep}`` (longest match at the
    leftmost position; ``#``/``%`` anchors at the start/end)."""
    anchor = ""
    if segments and not segments[0][1] and segments[0][0][:1] in ("#", "%"):
        anchor = segments[0][0][0]
        segments = [(segments[0][0][1:], False)] + list(segments[1:])
    body = translate(segments)
    if not body:
        return value
    if anchor == "#":
        rx = re.compile("^(?:" + body + ")", re.DOTALL)
    elif anchor == "%":
        rx = re.compile("(?:" + body + ")$", re.DOTALL)
    else:
        rx = re.compile(body, re.DOTALL)
    return rx.sub(lambda m: replacement, value, count=0 if all_ else 1)
