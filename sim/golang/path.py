"""Go's ``path`` and ``path/filepath`` on Unix (they agree there): the
lexical path functions and the shell-pattern ``Match``.

``path.Match`` and ``filepath.Match`` are one algorithm on ``/``
paths: ``*`` and ``?`` never match ``/``, ``[a-z]`` / ``[^...]`` classes,
``\\`` escapes; a malformed pattern is ``ErrBadPattern`` (`PatternError`,
``syntax error in pattern``), reported even when the name already failed
to match.
"""

from __future__ import annotations

from .errors import GoError

__all__ = ["clean_path", "join_path", "base", "dir_of", "split_path", "rel_path",
           "ERR_BAD_PATTERN", "PatternError", "match"]


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


# --- Match ---------------------------------------------------------------------

#: The text of Go's ``path.ErrBadPattern`` / ``filepath.ErrBadPattern``.
ERR_BAD_PATTERN = "syntax error in pattern"


class PatternError(GoError):
    """Go's ``ErrBadPattern``."""

    def __init__(self):
        super().__init__(ERR_BAD_PATTERN)


def _scan_chunk(pattern: str) -> "tuple[bool, str, str]":
    """(led by a star, the run of non-star pattern after it, the rest)."""
    star = False
    while pattern.startswith("*"):
        pattern = pattern[1:]
        star = True
    in_range = False
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            if i + 1 < len(pattern):
                i += 1  # the escaped character belongs to the chunk
        elif c == "[":
            in_range = True
        elif c == "]":
            in_range = False
        elif c == "*" and not in_range:
            break
        i += 1
    return star, pattern[:i], pattern[i:]


def _get_esc(chunk: str) -> "tuple[str, str]":
    """One character of a class (``\\`` escapes allowed) and the rest."""
    if chunk == "" or chunk[0] in "-]":
        raise PatternError()
    if chunk[0] == "\\":
        chunk = chunk[1:]
        if chunk == "":
            raise PatternError()
    r, rest = chunk[0], chunk[1:]
    if 0xDC80 <= ord(r) <= 0xDCFF or rest == "":  # an invalid UTF-8 byte, or no "]" after it
        raise PatternError()
    return r, rest


def _match_chunk(chunk: str, s: str) -> "tuple[str, bool]":
    """Match ``chunk`` at the start of ``s``: (rest of s, matched).  The
    whole chunk is checked for syntax even once matching failed."""
    failed = False
    while chunk:
        if not failed and s == "":
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
            matched = False
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
                    matched = True
                ranges += 1
            if matched == negated:
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
                if chunk == "":
                    raise PatternError()
            if not failed:
                if chunk[0] != s[0]:
                    failed = True
                s = s[1:]
            chunk = chunk[1:]
    if failed:
        return "", False
    return s, True


def match(pattern: str, name: str) -> bool:
    """Go's ``path.Match`` (and ``filepath.Match`` on Unix): whether all of
    ``name`` matches ``pattern``.  Raises `PatternError` for a malformed
    pattern."""
    while pattern:
        star, chunk, pattern = _scan_chunk(pattern)
        if star and chunk == "":
            return "/" not in name  # a trailing star takes the rest, up to a "/"
        rest, ok = _match_chunk(chunk, name)
        if ok and (rest == "" or pattern):
            name = rest
            continue
        if star:
            advanced = False
            i = 0
            while i < len(name) and name[i] != "/":  # let the star take i + 1 characters
                rest, ok = _match_chunk(chunk, name[i + 1:])
                if ok and (rest == "" or pattern):
                    name = rest
                    advanced = True
                    break
                i += 1
            if advanced:
                continue
        while pattern:  # no match: the rest of the pattern must still be well formed
            _, chunk, pattern = _scan_chunk(pattern)
            _match_chunk(chunk, "")
        return False
    return name == ""
