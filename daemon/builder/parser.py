"""Dockerfile text to a flat list of instruction nodes: buildkit's parser
(frontend/dockerfile/parser, v0.22.0, as vendored by moby v28.2.2).

The rules, in the order the parser applies them:

- The text is read line by line; a UTF-8 BOM on the first line is dropped;
  ``\\r`` and ``\\n`` at a line's end are dropped.  A line longer than 65535
  bytes stops the scan (``dockerfile line greater than max allowed size of
  65535``).
- Parser directives (``# escape=``, ``# syntax=``, ``# check=``; names are
  case-insensitive, spaces allowed around ``=``) are looked for only until
  the first line that is not one: a blank line, any other comment or an
  instruction ends them.  A repeated one is an error (``only one escape
  parser directive can be used``); an escape other than ``\\`` or a backtick
  is an error (``invalid escape token 'x' does not match ` or \\``).
- Leading whitespace of an instruction's first line is dropped; a line whose
  first non-blank character is ``#`` is a comment, also inside a
  continuation.
- A line ending in the escape token (spaces/tabs after it allowed), unless
  that token is itself escaped by the character before it, continues on the
  next line; the token is removed and the lines are joined with nothing in
  between (continuation lines keep their leading whitespace).  Blank lines
  inside a continuation are skipped and produce the warning ``Empty
  continuation line found in: <joined line>``.
- The joined line is split into the instruction word, its ``--flags`` (see
  :func:`_extract_builder_flags`) and the rest, which each instruction's
  rule splits into values (see :class:`Node`).
- RUN, COPY and ADD (also as ONBUILD triggers), when not in JSON form and
  the line contains ``<<``, take heredocs: each ``<<WORD`` / ``<<-WORD``
  (optionally with a file-descriptor number before ``<<``) reads the
  following lines up to a line equal to WORD (with ``<<-``, leading tabs
  are ignored when comparing).  Quoting any part of WORD turns off
  expansion of the body.  A missing terminator is ``unterminated heredoc``.
- A file with no instruction is ``file with no instructions``.

Unknown instruction words are kept (their values are ``("",)``); the
instructions layer reports them.  Errors here are :class:`ParseError`; the
classic builder wraps them as ``failed to parse Dockerfile: <text>`` (the
``Dockerfile`` part is the name given by the client).
"""

from __future__ import annotations

import re
from typing import Callable

import attrs

from ...sim import golang as gotext
from .shell import Lex, ShellError

__all__ = [
    "DEFAULT_ESCAPE_TOKEN", "MAX_LINE_BYTES", "Directive", "Heredoc", "Node", "ParseError",
    "ParseResult", "Warning", "chomp_heredoc_content", "must_parse_heredoc", "parse", "parse_heredoc",
]

DEFAULT_ESCAPE_TOKEN = "\\"
MAX_LINE_BYTES = 64 * 1024 - 1

_DIRECTIVES = ("syntax", "escape", "check")
_WS = "[\t\n\f\r ]"   # Go regexp's \s
_DIRECTIVE_RE = re.compile("^#%s*([a-zA-Z][a-zA-Z0-9]*)%s*=%s*(.+?)%s*\\Z" % (_WS, _WS, _WS, _WS))
_WHITESPACE_RE = re.compile("[\t\v\f\r ]+")
_HEREDOC_RE = re.compile("^([0-9]*)<<(-?)%s*([^<]*)\\Z" % _WS)
_LEADING_TABS_RE = re.compile("^\t+", re.M)

HEREDOC_INSTRUCTIONS = frozenset({"add", "copy", "run"})
EMPTY_CONTINUATION_URL = "https://docs.docker.com/go/dockerfile/rule/no-empty-continuation/"


class ParseError(ValueError):
    """A Dockerfile the parser refuses.  ``str()`` is buildkit's text;
    ``start_line``/``end_line`` are where buildkit locates it (1-based where
    known, 0 when buildkit gives none)."""

    def __init__(self, message: str, start_line: int = 0, end_line: int = 0):
        super().__init__(message)
        self.message = message
        self.start_line = start_line
        self.end_line = end_line


@attrs.frozen
class Heredoc:
    """One heredoc of a RUN/COPY/ADD line.

    ``name``: the terminator word with quotes removed; ``file_descriptor``:
    the number written before ``<<`` (0 when none); ``expand``: False when
    any part of the word was quoted; ``chomp``: ``<<-`` (leading tabs are
    to be removed from the body: :func:`chomp_heredoc_content`);
    ``content``: the body lines exactly as read, each with its line ending.
    """
    name: str
    file_descriptor: int = 0
    expand: bool = True
    chomp: bool = False
    content: str = ""


@attrs.frozen
class Node:
    """One instruction (buildkit's ``parser.Node`` flattened).

    - ``value``: the instruction word as written (``RUN``, ``run``, ``Foo``).
    - ``values``: buildkit's ``Next`` chain, by instruction:
      ENV/LABEL: ``(key, value, sep)`` triples, ``sep`` being ``"="`` for
      ``k=v`` and ``""`` for the legacy ``ENV k v`` form (which keeps the
      rest of the line, quotes and all, as the value);
      ARG: each word (quotes kept); FROM/EXPOSE: the rest split at
      whitespace; RUN/CMD/ENTRYPOINT/SHELL: the JSON strings, or the rest
      as one string; ADD/COPY/VOLUME: the JSON strings or the rest split at
      whitespace; HEALTHCHECK: the type word (``CMD``/``NONE``/...) then the
      command like CMD; MAINTAINER/USER/WORKDIR/STOPSIGNAL: the rest as one
      string; ONBUILD: ``()`` (see ``sub``); an unknown instruction: ``("",)``.
      An instruction with nothing after it has ``()``.
    - ``sub``: ONBUILD's trigger instruction, parsed like a line of its own.
    - ``json``: the values came from a JSON array (exec form).
    - ``flags``: the leading ``--name[=value]`` words, quotes removed.
    - ``original``: the joined line (continuations removed, heredoc bodies
      not included); ``start_line``/``end_line``: 1-based, ``end_line``
      includes continuation and heredoc lines.
    - ``prev_comment``: the comment lines right above, ``#`` and spaces cut.
    """
    value: str
    values: tuple[str, ...] = ()
    sub: "Node | None" = None
    json: bool = False
    flags: tuple[str, ...] = ()
    original: str = ""
    start_line: int = 0
    end_line: int = 0
    heredocs: tuple[Heredoc, ...] = ()
    prev_comment: tuple[str, ...] = ()

    @property
    def args(self) -> tuple[str, ...]:
        """buildkit's ``nodeArgs``: the values, with ONBUILD's trigger word
        and its values in their place."""
        if self.sub is not None:
            return (self.sub.value,) + self.sub.args
        return self.values

    @property
    def location(self) -> tuple[int, int]:
        return (self.start_line, self.end_line)

    def can_contain_heredoc(self) -> bool:
        node = self.sub if (self.value.lower() == "onbuild" and self.sub is not None) else self
        return node.value.lower() in HEREDOC_INSTRUCTIONS and not node.json


@attrs.frozen
class Warning:
    """A parser warning (only the empty-continuation one exists)."""
    short: str
    detail: tuple[str, ...]
    url: str
    line: int


@attrs.frozen
class Directive:
    """A parser directive found at the top (``name`` is lower case)."""
    name: str
    value: str
    line: int


@attrs.frozen
class ParseResult:
    """``children``: the instructions in order; ``escape_token``: ``\\`` or a
    backtick; ``warnings``; ``directives``: the parser directives read."""
    children: tuple[Node, ...]
    escape_token: str
    warnings: tuple[Warning, ...] = ()
    directives: tuple[Directive, ...] = ()

    def warnings_text(self) -> str:
        """What the classic builder writes to the build's stderr before step 1
        (buildkit's ``PrintWarnings``): one ``[WARNING]: <short>`` line per
        warning, then ``[WARNING]: Empty continuation lines will become
        errors in a future release.``; empty when there is no warning."""
        if not self.warnings:
            return ""
        lines = ["[WARNING]: %s\n" % w.short for w in self.warnings]
        lines.append("[WARNING]: Empty continuation lines will become errors in a future release.\n")
        return "".join(lines)


# --- directives and lines ------------------------------------------------------

class _State:
    """The parser's mutable state: directives seen and the escape token."""

    def __init__(self):
        self.line = 0
        self.done = False
        self.seen: set[str] = set()
        self.directives: list[Directive] = []
        self.escape_token = DEFAULT_ESCAPE_TOKEN
        self.continuation = self._continuation_re(DEFAULT_ESCAPE_TOKEN)

    @staticmethod
    def _continuation_re(tok: str) -> "re.Pattern[str]":
        t = re.escape(tok)
        return re.compile("([^%s])%s[ \t]*\\Z|^%s[ \t]*\\Z" % (t, t, t))

    def set_escape_token(self, s: str) -> None:
        if s not in ("`", "\\"):
            raise ParseError("invalid escape token '%s' does not match ` or \\" % s)
        self.escape_token = s
        self.continuation = self._continuation_re(s)

    def possible_directive(self, line: str) -> bool:
        self.line += 1
        if self.done:
            return False
        m = _DIRECTIVE_RE.match(line)
        if not m:
            self.done = True
            return False
        key = m.group(1).lower()
        if key not in _DIRECTIVES:
            self.done = True
            return False
        if key in self.seen:
            raise ParseError("only one %s parser directive can be used" % key)
        self.seen.add(key)
        value = m.group(2)
        if key == "escape":
            self.set_escape_token(value)
        self.directives.append(Directive(key, value, self.line))
        return True

    def process_line(self, token: str, strip_left: bool) -> tuple[str, bool]:
        token = token.rstrip("\r\n")
        if strip_left:
            token = gotext.trim_left_space(token)
        ok = self.possible_directive(token)
        return ("" if _is_comment(token) else token), ok

    def trim_continuation(self, line: str) -> tuple[str, bool]:
        m = self.continuation.search(line)
        if m:
            return line[:m.start()] + (m.group(1) or ""), False
        return line, True


def _is_comment(line: str) -> bool:
    line = gotext.trim_left_space(line)
    return line.startswith("#")


def _is_empty_continuation(line: str) -> bool:
    return gotext.trim_left_space(line.rstrip("\r\n")) == ""


def _scan_lines(text: str) -> tuple[list[str], bool]:
    """Lines with their endings, and whether the scan stopped on a line
    longer than Go's bufio.Scanner takes."""
    lines = _split_on_newline(text)
    out = []
    for line in lines:
        if len(line) > MAX_LINE_BYTES // 4:
            size = len(gotext.encode(line))
            if size > MAX_LINE_BYTES + 1 or (size > MAX_LINE_BYTES and not line.endswith("\n")):
                return out, True
        out.append(line)
    return out, False


def _split_on_newline(text: str) -> list[str]:
    parts = text.split("\n")
    lines = [p + "\n" for p in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def _go_split(rx: "re.Pattern[str]", s: str, n: int) -> list[str]:
    """Go's ``Regexp.Split``."""
    if n == 0:
        return []
    if s == "":
        return [""]
    spans = [m.span() for m in rx.finditer(s)]
    if n > 0:
        spans = spans[:n]
    out: list[str] = []
    beg = end = 0
    for a, b in spans:
        if n > 0 and len(out) == n - 1:
            break
        end = a
        if b != 0:
            out.append(s[beg:end])
        beg = b
    if end != len(s):
        out.append(s[beg:])
    return out


# --- splitting an instruction -------------------------------------------------

def _byte_is_space(b: int) -> bool:
    return gotext.is_space(chr(b))


def _extract_builder_flags(line: str, esc: str) -> tuple[str, list[str]]:
    """The leading ``--flag`` words and the rest of the line.

    buildkit walks the line byte by byte here, so a non-ASCII byte in a flag
    becomes the Latin-1 character of that byte (``é`` turns into ``Ã©``);
    kept for fidelity.  Quotes group, the escape token escapes the next
    byte, a bare ``--`` ends the flags.
    """
    data = gotext.encode(line)
    words: list[str] = []
    phase = 0          # 0 spaces, 1 word, 2 quote
    buf: list[str] = []
    quote = ""
    blank_ok = False
    n = len(data)
    pos = 0
    ch = ""
    while pos <= n:
        if pos != n:
            ch = chr(data[pos])
        if phase == 0:
            if pos == n:
                break
            if _byte_is_space(data[pos]):
                pos += 1
                continue
            if ch != "-" or pos + 1 == n or data[pos + 1] != ord("-"):
                return gotext.decode(data[pos:]), words
            phase = 1
        if phase in (1, 2) and pos == n:
            word = "".join(buf)
            if word != "--" and (blank_ok or word):
                words.append(word)
            break
        if phase == 1:
            if _byte_is_space(data[pos]):
                word = "".join(buf)
                phase = 0
                if word == "--":
                    return gotext.decode(data[pos:]), words
                if blank_ok or word:
                    words.append(word)
                buf = []
                blank_ok = False
                pos += 1
                continue
            if ch in ("'", '"'):
                quote = ch
                blank_ok = True
                phase = 2
                pos += 1
                continue
            if ch == esc:
                if pos + 1 == n:
                    pos += 1
                    continue
                pos += 1
                ch = chr(data[pos])
            buf.append(ch)
            pos += 1
            continue
        if phase == 2:
            if ch == quote:
                phase = 1
                pos += 1
                continue
            if ch == esc:
                if pos + 1 == n:
                    phase = 1
                    pos += 1
                    continue
                pos += 1
                ch = chr(data[pos])
            buf.append(ch)
            pos += 1
    return "", words


def _split_command(line: str, state: _State) -> tuple[str, list[str], str]:
    cmdline = _go_split(_WHITESPACE_RE, gotext.trim_space(line), 2)
    args, flags = "", []
    if len(cmdline) == 2:
        args, flags = _extract_builder_flags(cmdline[1], state.escape_token)
    return cmdline[0], flags, gotext.trim_space(args)


# --- per-instruction argument rules -----------------------------------------------

_Parsed = tuple[tuple[str, ...], "Node | None", bool]


def _parse_words(rest: str, esc: str) -> list[str]:
    """Words split at unquoted whitespace; quotes and escapes are kept."""
    words: list[str] = []
    phase = 0
    quote = ""
    blank_ok = False
    buf: list[str] = []
    n = len(rest)
    pos = 0
    ch = ""
    while pos <= n:
        if pos != n:
            ch = rest[pos]
        if phase == 0:
            if pos == n:
                break
            if gotext.is_space(ch):
                pos += 1
                continue
            phase = 1
        if phase in (1, 2) and pos == n:
            if blank_ok or buf:
                words.append("".join(buf))
            break
        if phase == 1:
            if gotext.is_space(ch):
                phase = 0
                if blank_ok or buf:
                    words.append("".join(buf))
                buf = []
                blank_ok = False
                pos += 1
                continue
            if ch in ("'", '"'):
                quote = ch
                blank_ok = True
                phase = 2
            if ch == esc:
                if pos + 1 == n:
                    pos += 1
                    continue
                buf.append(ch)
                pos += 1
                ch = rest[pos]
            buf.append(ch)
            pos += 1
            continue
        if phase == 2:
            if ch == quote:
                phase = 1
            if ch == esc and quote != "'":
                if pos + 1 == n:
                    phase = 1
                    pos += 1
                    continue
                pos += 1
                buf.append(ch)
                ch = rest[pos]
            buf.append(ch)
            pos += 1
    return words


def _parse_ignore(rest: str, state: _State) -> _Parsed:
    return ("",), None, False


def _parse_sub_command(rest: str, state: _State) -> _Parsed:
    if rest == "":
        return (), None, False
    return (), _new_node(rest, state, ()), False


def _parse_name_val(rest: str, key: str, state: _State) -> tuple[str, ...]:
    words = _parse_words(rest, state.escape_token)
    if not words:
        return ()
    if "=" not in words[0]:
        parts = _go_split(_WHITESPACE_RE, rest, 2)
        if len(parts) < 2:
            raise ParseError("%s must have two arguments" % key)
        return (parts[0], parts[1], "")
    out: list[str] = []
    for word in words:
        if "=" not in word:
            raise ParseError("Syntax error - can't find = in %s. Must be of the form: name=value"
                             % gotext.quote(word))
        k, _, v = word.partition("=")
        out += [k, v, "="]
    return tuple(out)


def _parse_env(rest: str, state: _State) -> _Parsed:
    return _parse_name_val(rest, "ENV", state), None, False


def _parse_label(rest: str, state: _State) -> _Parsed:
    return _parse_name_val(rest, "LABEL", state), None, False


def _parse_name_or_name_val(rest: str, state: _State) -> _Parsed:
    return tuple(_parse_words(rest, state.escape_token)), None, False


def _parse_whitespace_delimited(rest: str, state: _State) -> _Parsed:
    if rest == "":
        return (), None, False
    return tuple(_go_split(_WHITESPACE_RE, rest, -1)), None, False


def _parse_string(rest: str, state: _State) -> _Parsed:
    if rest == "":
        return (), None, False
    return (rest,), None, False


_NOT_STRING_ARRAY = "when using JSON array syntax, arrays must be comprised of strings only"


def _parse_json(rest: str) -> tuple[str, ...]:
    rest = gotext.trim_left_space(rest)
    if not rest.startswith("["):
        raise gotext.NotJSON("not a JSON array")
    return tuple(gotext.json_string_array(rest))


def _parse_maybe_json(rest: str, state: _State) -> _Parsed:
    if rest == "":
        return (), None, False
    try:
        return _parse_json(rest), None, True
    except gotext.NotStringArray:
        raise ParseError(_NOT_STRING_ARRAY) from None
    except gotext.NotJSON:
        return (rest,), None, False


def _parse_maybe_json_to_list(rest: str, state: _State) -> _Parsed:
    try:
        return _parse_json(rest), None, True
    except gotext.NotStringArray:
        raise ParseError(_NOT_STRING_ARRAY) from None
    except gotext.NotJSON:
        return _parse_whitespace_delimited(rest, state)


def _parse_health_config(rest: str, state: _State) -> _Parsed:
    data = gotext.encode(rest)
    sep = 0
    while sep < len(data) and not _byte_is_space(data[sep]):
        sep += 1
    nxt = sep
    while nxt < len(data) and _byte_is_space(data[nxt]):
        nxt += 1
    if sep == 0:
        return (), None, False
    typ = gotext.decode(data[:sep])
    values, _, is_json = _parse_maybe_json(gotext.decode(data[nxt:]), state)
    return (typ,) + values, None, is_json


_DISPATCH: dict[str, Callable[[str, _State], _Parsed]] = {
    "add": _parse_maybe_json_to_list,
    "arg": _parse_name_or_name_val,
    "cmd": _parse_maybe_json,
    "copy": _parse_maybe_json_to_list,
    "entrypoint": _parse_maybe_json,
    "env": _parse_env,
    "expose": _parse_whitespace_delimited,
    "from": _parse_whitespace_delimited,
    "healthcheck": _parse_health_config,
    "label": _parse_label,
    "maintainer": _parse_string,
    "onbuild": _parse_sub_command,
    "run": _parse_maybe_json,
    "shell": _parse_maybe_json,
    "stopsignal": _parse_string,
    "user": _parse_string,
    "volume": _parse_maybe_json_to_list,
    "workdir": _parse_string,
}

INSTRUCTIONS = frozenset(_DISPATCH)


def _new_node(line: str, state: _State, comments: tuple[str, ...]) -> Node:
    cmd, flags, args = _split_command(line, state)
    fn = _DISPATCH.get(cmd.lower(), _parse_ignore)
    values, sub, is_json = fn(args, state)
    return Node(value=cmd, values=values, sub=sub, json=is_json, flags=tuple(flags),
                original=line, prev_comment=comments)


# --- heredocs ----------------------------------------------------------------------

def _heredoc_from_match(m: "re.Match[str] | None") -> Heredoc | None:
    if m is None:
        return None
    digits = m.group(1)
    fd = 0
    if digits:
        fd = min(int(digits), (1 << 64) - 1)
    chomp = m.group(2) == "-"
    rest = m.group(3)
    if rest == "":
        return None
    lex = Lex("\\", skip_unset_env=True)
    words = lex.process_words(rest, {})
    if len(words) != 1:
        return None
    lex.raw_quotes = True
    words_raw = lex.process_words(rest, {})
    if len(words_raw) != len(words):
        raise ParseError("internal lexing of heredoc produced inconsistent results: %s" % rest)
    word, raw = words[0], words_raw[0]
    expand = (word.count("'") + word.count('"')) == (raw.count("'") + raw.count('"'))
    return Heredoc(name=word, file_descriptor=fd, expand=expand, chomp=chomp)


def parse_heredoc(src: str) -> Heredoc | None:
    """``src`` read as a heredoc word (``<<EOF``, ``<<-"EOF"``, ``3<<EOF``),
    or None when it is not one (buildkit's ``ParseHeredoc``).  Raises
    :class:`ParseError` / :class:`ShellError` on a malformed word."""
    try:
        return _heredoc_from_match(_HEREDOC_RE.match(src))
    except ShellError as e:
        raise ParseError(str(e)) from None


def must_parse_heredoc(src: str) -> Heredoc | None:
    """:func:`parse_heredoc` with errors read as "not a heredoc"."""
    try:
        return parse_heredoc(src)
    except ParseError:
        return None


def _heredocs_from_line(line: str) -> list[Heredoc]:
    lex = Lex("\\", raw_quotes=True, raw_escapes=True, skip_unset_env=True)
    try:
        words = lex.process_words(line, {})
    except ShellError:
        words = []
    docs = []
    for word in words:
        doc = parse_heredoc(word)
        if doc is not None:
            docs.append(doc)
    return docs


def chomp_heredoc_content(src: str) -> str:
    """The body of a ``<<-`` heredoc with each line's leading tabs removed."""
    return _LEADING_TABS_RE.sub("", src)


# --- the parser --------------------------------------------------------------------

def parse(source: "str | bytes") -> ParseResult:
    """Parse a Dockerfile (text, or bytes read as UTF-8) into its
    instructions.  Raises :class:`ParseError`."""
    text = gotext.decode(source) if isinstance(source, (bytes, bytearray)) else source
    lines, too_long = _scan_lines(text)
    state = _State()
    children: list[Node] = []
    warnings: list[Warning] = []
    comments: list[str] = []
    current = 0
    i = 0
    while i < len(lines):
        raw = lines[i]
        i += 1
        if current == 0 and raw.startswith("\ufeff"):
            raw = raw[1:]
        if _is_comment(raw):
            comment = gotext.trim_space(raw[1:])
            comments = [] if comment == "" else comments + [comment]
        try:
            line, directive = state.process_line(raw, True)
        except ParseError as e:
            raise ParseError(e.message, current, 0) from None
        if directive:
            comments = comments[:-1]
        current += 1
        start = current
        line, end = state.trim_continuation(line)
        if end and line == "":
            continue
        buf = [line]
        has_empty = False
        while not end and i < len(lines):
            raw = lines[i]
            i += 1
            try:
                more, _ = state.process_line(raw, False)
            except ParseError as e:
                raise ParseError(e.message, current, 0) from None
            current += 1
            if _is_comment(raw):
                continue
            if _is_empty_continuation(more):
                has_empty = True
                continue
            more, end = state.trim_continuation(more)
            buf.append(more)
        line = "".join(buf)
        if has_empty:
            warnings.append(Warning(
                short="Empty continuation line found in: " + line,
                detail=("Empty continuation lines will become errors in a future release",),
                url=EMPTY_CONTINUATION_URL, line=current))
        try:
            child = _new_node(line, state, tuple(comments))
            heredocs: list[Heredoc] = []
            if child.can_contain_heredoc() and "<<" in line:
                for doc in _heredocs_from_line(line):
                    body: list[str] = []
                    terminated = False
                    while i < len(lines):
                        raw = lines[i]
                        i += 1
                        current += 1
                        candidate = raw.rstrip("\r\n")
                        if doc.chomp:
                            candidate = candidate.lstrip("\t")
                        if candidate == doc.name:
                            terminated = True
                            break
                        body.append(raw)
                    if not terminated:
                        raise ParseError("unterminated heredoc")
                    heredocs.append(attrs.evolve(doc, content="".join(body)))
        except ParseError as e:
            raise ParseError(e.message, start, current) from None
        children.append(attrs.evolve(child, start_line=start, end_line=current,
                                     heredocs=tuple(heredocs)))
        comments = []
    if not children:
        raise ParseError("file with no instructions", current, 0)
    if too_long:
        raise ParseError("dockerfile line greater than max allowed size of %d" % MAX_LINE_BYTES,
                         current, 0)
    return ParseResult(children=tuple(children), escape_token=state.escape_token,
                       warnings=tuple(warnings), directives=tuple(state.directives))
