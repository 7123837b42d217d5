""".dockerignore: reading the file (moby/patternmatcher v0.6.0
``ignorefile.ReadAll``) and matching paths (``patternmatcher``), plus the
two rules that keep the Dockerfile and .dockerignore around.

Reading (:func:`read_all`): a UTF-8 BOM on the first line is dropped; a
line starting with ``#`` (in its first column) is a comment; other lines
are trimmed, blank ones skipped; ``!`` marks an exception (spaces after it
allowed); the pattern is cleaned like a path (``./a/../b`` is ``b``) and a
leading ``/`` dropped.

Matching (:class:`PatternMatcher`): patterns apply in order, the last one
that matches decides; ``*`` and ``?`` do not cross ``/``; ``**`` crosses
any number of directories (``**/x``, ``x/**``, ``a/**/b``); ``[...]``
classes and ``\\`` escapes as in Go's ``filepath.Match``; a pattern also
matches everything under a directory it matches (``matches_or_parent_matches``).

Who keeps the Dockerfile and .dockerignore:

- the docker CLI (cli/command/image/build/dockerignore.go
  ``TrimBuildFilesFromExcludes``): when the excludes would drop
  ``.dockerignore`` or the Dockerfile, it appends ``!.dockerignore`` /
  ``!<dockerfile>`` so both travel in the context tar (not the Dockerfile
  when it came from stdin).  It decides with the old ``Matches`` rule
  (only the first parent directory level is tried): :func:`trim_build_files_from_excludes`.
- the daemon (moby builder/remotecontext/detect.go ``removeDockerfile``):
  after reading the Dockerfile it deletes ``.dockerignore`` and the
  Dockerfile from the context when the context's own .dockerignore
  matches them (``MatchesOrParentMatches``), so ``COPY . /`` does not
  copy them then: :func:`files_to_remove`.
"""

from __future__ import annotations

import re
from typing import Iterable, Sequence

import attrs

from ...sim import golang as gotext

__all__ = [
    "PatternError", "Pattern", "PatternMatcher", "MatchInfo", "read_all", "go_path_match",
    "matches", "matches_or_parent_matches", "trim_build_files_from_excludes", "files_to_remove",
]

BAD_PATTERN = gotext.path.ERR_BAD_PATTERN


class PatternError(ValueError):
    """A pattern Go refuses (``syntax error in pattern``, ``illegal
    exclusion pattern: "!"``), or an unreadable ignore file."""


def read_all(data: "str | bytes") -> list[str]:
    """The patterns of a .dockerignore file (``ignorefile.ReadAll``).  A line
    over 65536 bytes is ``bufio.Scanner: token too long`` (the CLI says
    ``error reading .dockerignore: <that>``)."""
    text = gotext.decode(data) if isinstance(data, (bytes, bytearray)) else data
    parts = text.split("\n")
    if parts and parts[-1] == "":
        parts.pop()
    out: list[str] = []
    for n, line in enumerate(parts):
        if len(line) > 16383 and len(gotext.encode(line)) >= 65536:
            raise PatternError("bufio.Scanner: token too long")
        if line.endswith("\r"):
            line = line[:-1]
        if n == 0 and line.startswith("\ufeff"):
            line = line[1:]
        if line.startswith("#"):
            continue
        pattern = gotext.trim_space(line)
        if pattern == "":
            continue
        invert = pattern[0] == "!"
        if invert:
            pattern = gotext.trim_space(pattern[1:])
        if pattern:
            pattern = gotext.clean_path(pattern)
            if len(pattern) > 1 and pattern[0] == "/":
                pattern = pattern[1:]
        out.append("!" + pattern if invert else pattern)
    return out


def go_path_match(pattern: str, name: str) -> bool:
    """Go's ``path/filepath.Match`` on Unix; raises :class:`PatternError`
    (``syntax error in pattern``) for a malformed pattern."""
    try:
        return gotext.path_match(pattern, name)
    except gotext.PatternError as e:
        raise PatternError(str(e)) from None


# --- patterns --------------------------------------------------------------------

_SHOULD_ESCAPE = frozenset(".+()|{}$")
_GO_ESCAPES_OUT = {"a": "\\x07", "f": "\\x0c", "t": "\\t", "n": "\\n", "r": "\\r", "v": "\\x0b",
                   "d": "[0-9]", "D": "[^0-9]", "s": "[\\t\\n\\f\\r ]", "S": "[^\\t\\n\\f\\r ]",
                   "w": "[0-9A-Za-z_]", "W": "[^0-9A-Za-z_]", "b": "\\b", "B": "\\B",
                   "A": "\\A", "z": "\\Z"}
_GO_ESCAPES_IN = {"a": "\\x07", "f": "\\x0c", "t": "\\t", "n": "\\n", "r": "\\r", "v": "\\x0b",
                  "d": "0-9", "s": "\\t\\n\\f\\r ", "w": "0-9A-Za-z_"}


def _compile(pattern: str) -> tuple[str, "re.Pattern[str] | None"]:
    """(match type, regex) for a cleaned pattern, as patternmatcher's compile
    decides: ``exact``, ``prefix`` (``x/**``), ``suffix`` (``**/x``) or
    ``regexp``.  Raises PatternError when Go's regexp would not compile."""
    out = ["^"]
    kind = "exact"
    in_class = False
    i = 0
    step = 0
    n = len(pattern)
    while i < n:
        ch = pattern[i]
        i += 1
        if ch == "*":
            if i < n and pattern[i] == "*":
                i += 1
                if i < n and pattern[i] == "/":
                    i += 1
                if i >= n:
                    if kind == "exact":
                        kind = "prefix"
                    else:
                        out.append(".*")
                        kind = "regexp"
                else:
                    out.append("(.*/)?")
                    kind = "regexp"
                if step == 0:
                    kind = "suffix"
            else:
                out.append("[^/]*")
                kind = "regexp"
        elif ch == "?":
            out.append("[^/]")
            kind = "regexp"
        elif ch in _SHOULD_ESCAPE:
            out.append("\\" + ch)
        elif ch == "\\":
            if i < n:
                nxt = pattern[i]
                i += 1
                kind = "regexp"
                if nxt.isascii() and nxt.isalnum():
                    table = _GO_ESCAPES_IN if in_class else _GO_ESCAPES_OUT
                    if nxt not in table:
                        raise PatternError(BAD_PATTERN)
                    out.append(table[nxt])
                else:
                    out.append(re.escape(nxt))
            else:
                out.append("\\\\")
        elif ch in "[]":
            if ch == "[" and in_class:
                out.append("\\[")
            else:
                out.append(ch)
                in_class = ch == "["
            kind = "regexp"
        elif ch == "^":
            out.append(ch)
        else:
            if in_class:
                out.append("\\" + ch if ch in "&~" else ch)
            else:
                out.append(re.escape(ch))
        step += 1
    if kind != "regexp":
        return kind, None
    out.append("\\Z")
    try:
        return "regexp", re.compile("".join(out))
    except re.error:
        raise PatternError(BAD_PATTERN) from None


@attrs.frozen
class Pattern:
    """One cleaned pattern; ``exclusion`` for a ``!`` pattern; ``dirs``: its
    ``/``-separated parts."""
    cleaned: str
    exclusion: bool
    dirs: tuple[str, ...]
    kind: str = attrs.field(eq=False, repr=False)
    regex: "re.Pattern[str] | None" = attrs.field(eq=False, repr=False)
    error: str | None = attrs.field(eq=False, repr=False)

    @classmethod
    def make(cls, cleaned: str, exclusion: bool) -> "Pattern":
        try:
            kind, regex = _compile(cleaned)
            error = None
        except PatternError as e:
            kind, regex, error = "regexp", None, str(e)
        return cls(cleaned, exclusion, tuple(cleaned.split("/")), kind, regex, error)

    def __str__(self) -> str:
        return self.cleaned

    def match(self, path: str) -> bool:
        """Whether ``path`` (slash-separated, cleaned) matches this pattern."""
        if self.error is not None:
            raise PatternError(self.error)
        if self.kind == "exact":
            return path == self.cleaned
        if self.kind == "prefix":
            return path.startswith(self.cleaned[:-2])
        if self.kind == "suffix":
            suffix = self.cleaned[2:]
            if path.endswith(suffix):
                return True
            return suffix.startswith("/") and path == suffix[1:]
        return self.regex.match(path) is not None


@attrs.frozen
class MatchInfo:
    """Per-pattern results for a directory, to pass down to its entries."""
    parent_matched: tuple[bool, ...] = ()


@attrs.frozen
class PatternMatcher:
    """A list of patterns (patternmatcher.New).  Build with
    :meth:`from_patterns`, which refuses a bad pattern."""
    patterns: tuple[Pattern, ...]

    @classmethod
    def from_patterns(cls, patterns: Iterable[str]) -> "PatternMatcher":
        out = []
        for p in patterns:
            p = gotext.trim_space(p)
            if p == "":
                continue
            p = gotext.clean_path(p)
            exclusion = False
            if p[0] == "!":
                if len(p) == 1:
                    raise PatternError('illegal exclusion pattern: "!"')
                exclusion = True
                p = p[1:]
            go_path_match(p, ".")
            out.append(Pattern.make(p, exclusion))
        return cls(tuple(out))

    @property
    def exclusions(self) -> bool:
        """Whether any pattern is a ``!`` exception."""
        return any(p.exclusion for p in self.patterns)

    def _decides(self, file: str, levels) -> bool:
        """Whether ``file`` is excluded: the last pattern that matches it,
        or the leading ``levels(pattern)`` directories of its parent (all
        of their prefixes for None), decides."""
        matched = False
        parent = gotext.dir_of(file)
        for p in self.patterns:
            if p.exclusion != matched:
                continue
            if p.match(file) or _parent_matches(p, parent, levels(p)):
                matched = not p.exclusion
        return matched

    def matches(self, file: str) -> bool:
        """The deprecated ``Matches``: the file, or its parent directory cut
        to as many levels as the pattern has (the CLI's keep rule uses this)."""
        return self._decides(file, lambda p: len(p.dirs))

    def matches_or_parent_matches(self, file: str) -> bool:
        """Whether ``file`` or any of its parent directories is excluded (and
        not re-included by a later ``!`` pattern)."""
        return self._decides(file, lambda p: None)

    def matches_using_parent_results(self, file: str, parent: MatchInfo = MatchInfo()) -> tuple[bool, MatchInfo]:
        """The walk-friendly form the context tar (go-archive) uses: pass each
        directory's MatchInfo to its entries."""
        pm = parent.parent_matched
        if pm and len(pm) != len(self.patterns):
            raise PatternError("wrong number of values in parentMatched")
        matched = False
        result = [False] * len(self.patterns)
        for i, p in enumerate(self.patterns):
            match = pm[i] if pm else False
            if not match:
                if p.exclusion != matched:
                    continue
                match = p.match(file) or (not pm and _parent_matches(p, gotext.dir_of(file), None))
            result[i] = match
            if match:
                matched = not p.exclusion
        return matched, MatchInfo(tuple(result))


def _parent_matches(p: Pattern, parent: str, levels: "int | None") -> bool:
    """Whether ``p`` matches the first ``levels`` directories of
    ``parent``, or (``levels`` None) any of its leading directories."""
    if parent == ".":
        return False
    dirs = parent.split("/")
    if levels is None:
        counts = range(1, len(dirs) + 1)
    else:
        counts = [levels] if levels <= len(dirs) else []
    return any(_quiet(p, "/".join(dirs[:n])) for n in counts)


def _quiet(p: Pattern, path: str) -> bool:
    try:
        return p.match(path)
    except PatternError:
        return False


def _test_cleaned(file: str, patterns: Sequence[str], test) -> bool:
    """``test(matcher, file)`` with ``file`` cleaned; ``.`` never matches."""
    pm = PatternMatcher.from_patterns(patterns)
    file = gotext.clean_path(file)
    return file != "." and test(pm, file)


def matches(file: str, patterns: Sequence[str]) -> bool:
    """patternmatcher.Matches (deprecated form); ``.`` never matches."""
    return _test_cleaned(file, patterns, PatternMatcher.matches)


def matches_or_parent_matches(file: str, patterns: Sequence[str]) -> bool:
    """patternmatcher.MatchesOrParentMatches; ``.`` never matches."""
    return _test_cleaned(file, patterns, PatternMatcher.matches_or_parent_matches)


def trim_build_files_from_excludes(excludes: Sequence[str], dockerfile: str,
                                   dockerfile_from_stdin: bool = False) -> list[str]:
    """The docker CLI's rule: excludes plus ``!.dockerignore`` and
    ``!<dockerfile>`` when those would be excluded."""
    out = list(excludes)
    if matches(".dockerignore", out):
        out.append("!.dockerignore")
    if matches(dockerfile, out) and not dockerfile_from_stdin:
        out.append("!" + dockerfile)
    return out


def files_to_remove(excludes: Sequence[str], dockerfile: str) -> list[str]:
    """The daemon's rule: which of ``.dockerignore`` and the Dockerfile path
    to delete from the received context (those its .dockerignore matches).
    With no .dockerignore in the context nothing is removed."""
    return [f for f in (".dockerignore", dockerfile) if matches_or_parent_matches(f, excludes)]
