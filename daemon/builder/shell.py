"""Variable substitution in Dockerfile instructions: buildkit's shell lexer
(frontend/dockerfile/shell, v0.22.0) as the classic builder uses it.

What it understands:

- ``$NAME``, ``${NAME}``; a name is letters, digits and ``_``; a name that
  starts with a digit is all the digits that follow (``$12x`` reads ``12``);
  the special parameters ``@ * # ? - $ ! 0`` are one-character names (never
  set in a build);
- ``${NAME:-word}`` / ``${NAME-word}`` (default), ``${NAME:+word}`` /
  ``${NAME+word}`` (alternative), ``${NAME:?msg}`` / ``${NAME?msg}``
  (error ``NAME: msg``, or ``NAME: is not allowed to be unset`` /
  ``... to be empty``);
- ``${NAME#pat}``, ``${NAME##pat}``, ``${NAME%pat}``, ``${NAME%%pat}``
  (shortest/longest prefix/suffix removal) and ``${NAME/pat/repl}``,
  ``${NAME//pat/repl}``; a pattern knows ``*``, ``?`` and escapes, no
  brackets;
- single quotes (literal), double quotes (``$`` expands; the escape token
  escapes only ``"``, ``$`` and itself), the escape token outside quotes.

Errors are raised as :class:`ShellError` whose text is buildkit's, e.g.
``failed to process "${x": syntax error: missing '}'``.

buildkit quirk kept on purpose: its word splitter shares one buffer between
nested ``${...}`` words, so for :meth:`Lex.process_words` the text before a
``${NAME<modifier>...}`` in the same word is lost (``ab${x:-y}`` splits as
``["y"]``).  :meth:`Lex.process_word` (what the classic builder uses for
every instruction except EXPOSE) is not affected.
"""

from __future__ import annotations

import re
from typing import Mapping

import attrs

from ...sim import golang as gotext

__all__ = ["Lex", "ShellError", "WordResult", "env_from_list", "process_word", "process_words"]

_EOF = None
_SPECIAL_PARAMS = frozenset("@*#?-$!0")


class ShellError(ValueError):
    """A variable-substitution error; ``str()`` is buildkit's text."""


class _Inner(Exception):
    """An error inside the lexer, before ``failed to process`` is put around it."""


def env_from_list(env) -> dict[str, str]:
    """``["K=V", ...]`` (a container's Env) as a mapping; a later key wins,
    an entry without ``=`` is the key with an empty value (buildkit's
    ``EnvsFromSlice``)."""
    out: dict[str, str] = {}
    for entry in env:
        key, _, value = entry.partition("=")
        out[key] = value
    return out


@attrs.frozen
class WordResult:
    """What :meth:`Lex.process_word_with_matches` returns.

    ``matched``: names that were looked up and set; ``unmatched``: names
    looked up and not set.  (buildkit records these for its linter; the
    classic builder does not use them: its build-arg cache key comes from the
    allowed build args, not from what a word referenced.)
    """
    result: str
    words: tuple[str, ...]
    matched: frozenset[str]
    unmatched: frozenset[str]


class _Buffer:
    """A string builder that nested words share (Go's ``wordsBuffer``)."""

    def __init__(self):
        self.text = ""


class _Words:
    """buildkit's word splitter over a (possibly shared) buffer."""

    def __init__(self, buf: _Buffer):
        self.buf = buf
        self.words: list[str] = []
        self.in_word = False

    def add_char(self, ch: str) -> None:
        if gotext.is_space(ch):
            if self.in_word and self.buf.text:
                self.words.append(self.buf.text)
                self.buf.text = ""
                self.in_word = False
        else:
            self.add_raw_char(ch)

    def add_raw_char(self, ch: str) -> None:
        self.buf.text += ch
        self.in_word = True

    def add_string(self, s: str) -> None:
        for ch in s:
            self.add_char(ch)

    def add_raw_string(self, s: str) -> None:
        self.buf.text += s
        self.in_word = True

    def get_words(self) -> list[str]:
        if self.buf.text:
            self.words.append(self.buf.text)
            self.buf.text = ""
            self.in_word = False
        return self.words


class _ShellWord:
    """One run of the lexer over one word (Go's ``shellWord``)."""

    def __init__(self, lex: "Lex", word: str, env: Mapping[str, str], capture: bool):
        self.lex = lex
        # text/scanner skips a byte-order mark at the very start.
        self.src = word[1:] if word.startswith("\ufeff") else word
        self.pos = 0
        self.env = env
        self.capture = capture
        self.raw_escapes = lex.raw_escapes
        self.words_buffer = _Buffer()
        self.matches: set[str] = set()
        self.nonmatches: set[str] = set()

    # text/scanner
    def peek(self):
        return self.src[self.pos] if self.pos < len(self.src) else _EOF

    def next(self):
        if self.pos < len(self.src):
            ch = self.src[self.pos]
            self.pos += 1
            return ch
        return _EOF

    def get_env(self, name: str) -> tuple[str, bool]:
        if name in self.env:
            if self.capture:
                self.matches.add(name)
            return self.env[name], True
        if self.capture:
            self.nonmatches.add(name)
        return "", False

    def process_stop_on(self, stop, raw_escapes: bool) -> tuple[str, list[str]]:
        result: list[str] = []
        self.words_buffer.text = ""
        words = _Words(self.words_buffer)
        handlers = {"$": self.process_dollar, "<": self.process_possible_heredoc}
        if not self.lex.skip_process_quotes:
            handlers["'"] = self.process_single_quote
            handlers['"'] = self.process_double_quote
        saved = self.raw_escapes
        self.raw_escapes = raw_escapes
        try:
            while self.peek() is not _EOF:
                ch = self.peek()
                if stop is not _EOF and ch == stop:
                    self.next()
                    return "".join(result), words.get_words()
                fn = handlers.get(ch)
                if fn is not None:
                    tmp = fn()
                    result.append(tmp)
                    if ch == "$":
                        words.add_string(tmp)
                    else:
                        words.add_raw_string(tmp)
                    continue
                ch = self.next()
                if ch == self.lex.escape_token:
                    if self.raw_escapes:
                        words.add_raw_char(ch)
                        result.append(ch)
                    ch = self.next()
                    if ch is _EOF:
                        break
                    words.add_raw_char(ch)
                else:
                    words.add_char(ch)
                result.append(ch)
            if stop is not _EOF:
                raise _Inner("unexpected end of statement while looking for matching %s" % stop)
            return "".join(result), words.get_words()
        finally:
            self.raw_escapes = saved

    def process_single_quote(self) -> str:
        out = []
        ch = self.next()
        if self.lex.raw_quotes:
            out.append(ch)
        while True:
            ch = self.next()
            if ch is _EOF:
                raise _Inner("unexpected end of statement while looking for matching single-quote")
            if ch == "'":
                if self.lex.raw_quotes:
                    out.append(ch)
                return "".join(out)
            out.append(ch)

    def process_double_quote(self) -> str:
        out = []
        ch = self.next()
        if self.lex.raw_quotes:
            out.append(ch)
        while True:
            nxt = self.peek()
            if nxt is _EOF:
                raise _Inner("unexpected end of statement while looking for matching double-quote")
            if nxt == '"':
                ch = self.next()
                if self.lex.raw_quotes:
                    out.append(ch)
                return "".join(out)
            if nxt == "$":
                out.append(self.process_dollar())
                continue
            ch = self.next()
            if ch == self.lex.escape_token:
                if self.raw_escapes:
                    out.append(ch)
                after = self.peek()
                if after is _EOF:
                    continue
                if after in ('"', "$", self.lex.escape_token):
                    ch = self.next()
            out.append(ch)

    def process_name(self) -> str:
        name: list[str] = []
        while self.peek() is not _EOF:
            ch = self.peek()
            if not name and gotext.is_digit(ch):
                while self.peek() is not _EOF and gotext.is_digit(self.peek()):
                    name.append(self.next())
                return "".join(name)
            if not name and ch in _SPECIAL_PARAMS:
                return self.next()
            if not (gotext.is_letter(ch) or gotext.is_digit(ch) or ch == "_"):
                break
            name.append(self.next())
        return "".join(name)

    def process_possible_heredoc(self) -> str:
        self.next()
        if self.peek() != "<":
            return "<"
        self.next()
        space = []
        while self.peek() in ("\t", "\r", " "):
            space.append(self.next())
        return "<<" + "".join(space)

    def process_dollar(self) -> str:
        self.next()
        if self.peek() != "{":
            name = self.process_name()
            if name == "":
                return "$"
            value, found = self.get_env(name)
            if not found and self.lex.skip_unset_env:
                return "$" + name
            return value

        self.next()
        nxt = self.peek()
        if nxt is _EOF:
            raise _Inner("syntax error: missing '}'")
        if nxt in ("{", "}", ":"):
            raise _Inner("syntax error: bad substitution")
        name = self.process_name()
        ch = self.next()
        chs = "\ufffd" if ch is _EOF else ch
        null_is_unset = False

        if ch == "}":
            value, found = self.get_env(name)
            if not found and self.lex.skip_unset_env:
                return "${%s}" % name
            return value

        if ch == ":" or ch in ("+", "-", "?", "#", "%"):
            if ch == ":":
                null_is_unset = True
                ch = self.next()
                chs += "\ufffd" if ch is _EOF else ch
            raw = ch in ("#", "%")
            if null_is_unset and raw:
                raise _Inner("unsupported modifier (%s) in substitution" % chs)
            try:
                word, _ = self.process_stop_on("}", raw)
            except _Inner:
                if self.peek() is _EOF:
                    raise _Inner("syntax error: missing '}'") from None
                raise
            value, found = self.get_env(name)
            if self.lex.skip_unset_env and not found:
                return "${%s%s%s}" % (name, chs, word)
            unset = not found or (null_is_unset and value == "")
            if ch == "-":
                return word if unset else value
            if ch == "+":
                return "" if unset else word
            if ch == "?":
                if not found:
                    raise _Inner("%s: %s" % (name, word or "is not allowed to be unset"))
                if null_is_unset and value == "":
                    raise _Inner("%s: %s" % (name, word or "is not allowed to be empty"))
                return value
            if ch in ("%", "#"):
                greedy = False
                if word and word[0] == ch:
                    greedy = True
                    word = word[1:]
                if ch == "%":
                    return _trim_suffix(word, value, greedy)
                return _trim_prefix(word, value, greedy)
            raise _Inner("unsupported modifier (%s) in substitution" % chs)

        if ch == "/":
            replace_all = self.peek() == "/"
            if replace_all:
                self.next()
            try:
                pattern, _ = self.process_stop_on("/", True)
            except _Inner:
                if self.peek() is _EOF:
                    raise _Inner("syntax error: missing '/' in ${}") from None
                raise
            try:
                replacement, _ = self.process_stop_on("}", True)
            except _Inner:
                if self.peek() is _EOF:
                    raise _Inner("syntax error: missing '}'") from None
                raise
            value, found = self.get_env(name)
            if self.lex.skip_unset_env and not found:
                return "${%s/%s/%s}" % (name, pattern, replacement)
            try:
                rx = _pattern_regex(pattern, greedy=True, anchored=False)
            except _Inner as e:
                raise _Inner("invalid pattern (%s) in substitution: %s" % (pattern, e)) from None
            if replace_all:
                return _go_replace_all(rx, value, replacement)
            m = rx.search(value)
            if m:
                value = value[:m.start()] + replacement + value[m.end():]
            return value

        raise _Inner("unsupported modifier (%s) in substitution" % chs)


# --- patterns ------------------------------------------------------------------

_REGEX_SPECIAL = frozenset("[]{}.+()|^$")


def _pattern_regex(pattern: str, greedy: bool, anchored: bool) -> "re.Pattern[str]":
    """A ``*``/``?`` shell pattern as a regular expression (buildkit's rules:
    ``\\`` before ``}`` or ``/`` is dropped, ``\\`` may only escape ``*``,
    ``?`` and ``\\``)."""
    out = ["^"] if anchored else []
    star = ".*" if greedy else ".*?"
    src = pattern[1:] if pattern.startswith("\ufeff") else pattern
    i = 0
    while i < len(src):
        tok = src[i]
        i += 1
        if tok == "*":
            out.append(star)
            continue
        if tok == "?":
            out.append(".")
            continue
        if tok == "\\":
            nxt = src[i] if i < len(src) else None
            if nxt in ("}", "/"):
                continue
            out.append("\\")
            tok = nxt if nxt is not None else "\ufffd"
            i += 1
            if tok not in ("*", "?", "\\"):
                raise _Inner("invalid escape '\\%s'" % tok)
        elif tok in _REGEX_SPECIAL:
            out.append("\\")
        out.append(tok)
    return re.compile("".join(out))


def _trim_prefix(pattern: str, value: str, greedy: bool) -> str:
    try:
        rx = _pattern_regex(pattern, greedy, anchored=True)
    except _Inner as e:
        raise _Inner("invalid pattern (%s) in substitution: %s" % (pattern, e)) from None
    m = rx.search(value)
    return value[m.end():] if m else value


def _reverse_pattern(pattern: str) -> str:
    out = [""] * len(pattern)
    last = len(pattern) - 1
    i = 0
    while i <= last:
        tok = pattern[i]
        o = last - i
        if tok == "\\" and i != last:
            out[o - 1] = tok
            out[o] = pattern[i + 1]
            i += 2
        else:
            out[o] = tok
            i += 1
    return "".join(out)


def _trim_suffix(pattern: str, value: str, greedy: bool) -> str:
    return _trim_prefix(_reverse_pattern(pattern), value[::-1], greedy)[::-1]


_TEMPLATE_NAME = re.compile(r"\w+")


def _go_expand(template: str, m: "re.Match[str]") -> str:
    """Go's ``Regexp.Expand``: ``$0``/``${0}`` is the match, ``$$`` is ``$``,
    any other ``$name`` (our patterns have no groups) is empty."""
    out = []
    i = 0
    while i < len(template):
        ch = template[i]
        if ch != "$":
            out.append(ch)
            i += 1
            continue
        rest = template[i + 1:]
        if rest.startswith("$"):
            out.append("$")
            i += 2
            continue
        if rest.startswith("{"):
            close = rest.find("}")
            name = rest[1:close] if close > 0 else ""
            if close > 0 and _TEMPLATE_NAME.fullmatch(name):
                if name == "0":
                    out.append(m.group(0))
                i += 1 + close + 1
                continue
            out.append("$")          # malformed: kept literally
            i += 1
            continue
        nm = _TEMPLATE_NAME.match(rest)
        if not nm:
            out.append("$")
            i += 1
            continue
        name = nm.group(0)
        if name == "0":
            out.append(m.group(0))
        i += 1 + len(name)
    return "".join(out)


def _go_replace_all(rx: "re.Pattern[str]", src: str, template: str) -> str:
    """Go's ``Regexp.ReplaceAllString`` (its empty-match rules, ``$`` templates)."""
    out = []
    last_end = 0
    search = 0
    while search <= len(src):
        m = rx.search(src, search)
        if not m:
            break
        out.append(src[last_end:m.start()])
        if m.end() > last_end or m.start() == 0:
            out.append(_go_expand(template, m))
        last_end = m.end()
        if search + 1 > m.end():
            search += 1
        else:
            search = m.end()
    out.append(src[last_end:])
    return "".join(out)


# --- the lexer -----------------------------------------------------------------

@attrs.define(eq=False)
class Lex:
    """buildkit's ``shell.Lex``.  ``escape_token`` is ``\\`` or `````; the flags
    are buildkit's (the parser sets ``raw_quotes``/``raw_escapes``/
    ``skip_unset_env`` to find heredoc words; the builder leaves them off)."""
    escape_token: str = "\\"
    raw_quotes: bool = False
    raw_escapes: bool = False
    skip_process_quotes: bool = False
    skip_unset_env: bool = False

    def _run(self, word: str, env: Mapping[str, str], capture: bool) -> tuple[_ShellWord, str, list[str]]:
        sw = _ShellWord(self, word, env, capture)
        try:
            result, words = sw.process_stop_on(_EOF, sw.raw_escapes)
        except _Inner as e:
            raise ShellError("failed to process %s: %s" % (gotext.quote(word), e)) from None
        return sw, result, words

    def process_word(self, word: str, env: Mapping[str, str]) -> str:
        """``word`` with its variables replaced and quotes/escapes removed, as
        one string (inner spacing kept).  What ENV, LABEL, ADD, COPY, WORKDIR,
        USER, VOLUME, STOPSIGNAL, ARG and FROM go through."""
        return self._run(word, env, True)[1]

    def process_word_with_matches(self, word: str, env: Mapping[str, str]) -> WordResult:
        """Like :meth:`process_word`, also telling which names were looked up."""
        sw, result, words = self._run(word, env, True)
        return WordResult(result, tuple(words), frozenset(sw.matches), frozenset(sw.nonmatches))

    def process_words(self, word: str, env: Mapping[str, str]) -> list[str]:
        """``word`` expanded then split at unquoted whitespace (EXPOSE uses
        this: ``EXPOSE $PORTS`` with ``PORTS="80 443"`` is two ports)."""
        return self._run(word, env, False)[2]


def process_word(word: str, env: Mapping[str, str], escape_token: str = "\\") -> str:
    """Shorthand for ``Lex(escape_token).process_word(word, env)``."""
    return Lex(escape_token).process_word(word, env)


def process_words(word: str, env: Mapping[str, str], escape_token: str = "\\") -> list[str]:
    """Shorthand for ``Lex(escape_token).process_words(word, env)``."""
    return Lex(escape_token).process_words(word, env)
