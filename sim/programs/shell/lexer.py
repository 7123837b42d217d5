"""Token recognition (POSIX 2.3) and quoting (2.2).

The lexer cuts shell source into tokens: operators (``&& || ; & | ( ) <
> >> << <<- <& >& <> >|`` and a few bash additions), ``NEWLINE``,
``IO_NUMBER`` (digits right before ``<`` or ``>``), and ``WORD``.  It does
not know about reserved words (``if``, ``do``...): those are ordinary words
that the parser recognizes in command position (2.4).

While it finds where a word ends it also records the word's structure,
because the same rules decide both (2.3 rules 4-5): quotes
(single, double, backslash, bash's ``$'...'``) and the expansions that
begin with ``$`` or a backquote.  A word becomes a tuple of `ast` parts:
``Lit`` (unquoted text), ``Quoted``, ``Param``, ``CommandSub``, ``Arith``.

A command substitution ``$( ... )`` is found by *parsing* its contents
recursively (the parser is asked to read a command list up to the closing
parenthesis), which is the only reliable way to handle a ``)`` inside a
``case`` pattern or quotes.

Here-documents (2.7.4): after a ``<<`` operator the next word is the
delimiter; when the lexer reaches the end of that line it reads the
following lines up to the delimiter as the body.

`Incomplete` is raised when the input ends inside an unfinished construct
(an open quote, a missing here-document delimiter): an interactive shell
then reads another line; a script reports a syntax error.
"""

from typing import List, Optional

import attrs

from ..escapes import HEX, OCTAL, digits_end, expand_escapes, raw_byte
from .ast import Arith, CommandSub, HereDoc, Lit, Param, Quoted, Word, WordPart


class ShellSyntaxError(Exception):
    """A syntax error.  ``token`` is the offending token's text (None when
    the message is not about a token); ``line`` the line number."""

    def __init__(self, message: str, line: int = 0, token: "Optional[str]" = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.token = token


class Incomplete(ShellSyntaxError):
    """The input ended before the construct being read was complete."""


#: Operators, longest first so that ``<<-`` wins over ``<<`` over ``<``.
OPERATORS = (
    "<<-", "<<<", "&>>", ";;&",
    "&&", "||", ";;", ";&", "<<", ">>", "<&", ">&", "<>", ">|", "&>", "|&",
    "&", "|", ";", "<", ">", "(", ")",
)

#: Characters that end an unquoted word (blanks and operator starts).
DELIMITERS = frozenset(" \t\n;&|<>()")

SPECIAL_PARAMS = frozenset("@*#?-$!0123456789")


def is_name_start(c: str) -> bool:
    return c == "_" or ("a" <= c <= "z") or ("A" <= c <= "Z")


def is_name_char(c: str) -> bool:
    return is_name_start(c) or ("0" <= c <= "9")


@attrs.frozen
class Token:
    """A token: kind is ``WORD``, ``OP``, ``IO_NUMBER``, ``NEWLINE`` or
    ``EOF``; ``value`` its text; ``word`` the parsed word of a WORD."""

    kind: str
    value: str
    line: int
    word: Optional[Word] = None
    heredoc: Optional[HereDoc] = None

    def describe(self) -> str:
        """How error messages name the token."""
        if self.kind == "EOF":
            return "end of file"
        if self.kind == "NEWLINE":
            return "newline"
        return self.value


class Lexer:
    """Produces tokens from ``src`` starting at ``pos`` on demand
    (`next`).  ``final`` says no more input will follow ``src`` (so a
    here-document cut short by the end of input is accepted rather than
    reported as incomplete)."""

    def __init__(self, src: str, pos: int = 0, line: int = 1, *, bash: bool = False,
                 final: bool = True):
        self.src = src
        self.pos = pos
        self.bash = bash
        self.final = final
        self._line_pos = pos
        self._line_no = line
        self._pending: "List[HereDoc]" = []
        self._want_delimiter: "Optional[HereDoc]" = None

    # -- positions ------------------------------------------------------

    def line_at(self, pos: int) -> int:
        """The line number of ``pos`` (positions only move forward)."""
        if pos > self._line_pos:
            self._line_no += self.src.count("\n", self._line_pos, pos)
            self._line_pos = pos
        return self._line_no

    @property
    def line(self) -> int:
        return self.line_at(self.pos)

    def _peek(self, k: int = 0) -> str:
        i = self.pos + k
        return self.src[i] if i < len(self.src) else ""

    # -- tokens (2.3) ---------------------------------------------------

    def next(self) -> Token:
        src = self.src
        # Blanks, line continuations (2.2.1) and comments (2.3 rule 9).
        while self.pos < len(src):
            c = src[self.pos]
            if c in " \t":
                self.pos += 1
            elif c == "\\" and self._peek(1) == "\n":
                self.pos += 2
            elif c == "#":
                end = src.find("\n", self.pos)
                self.pos = len(src) if end < 0 else end
            else:
                break
        line = self.line
        if self.pos >= len(src):
            if self._pending:
                self._read_heredoc_bodies()
            return Token("EOF", "", line)
        c = src[self.pos]
        if c == "\n":
            self.pos += 1
            self._read_heredoc_bodies()
            return Token("NEWLINE", "\n", line)
        for op in OPERATORS:
            if src.startswith(op, self.pos):
                if op == ";;&" and not self.bash:
                    continue
                self.pos += len(op)
                heredoc = None
                if op in ("<<", "<<-"):
                    heredoc = HereDoc(strip_tabs=(op == "<<-"))
                    self._want_delimiter = heredoc
                return Token("OP", op, line, heredoc=heredoc)
        start = self.pos
        parts = self._scan_parts("word")
        raw = src[start:self.pos]
        if raw.isdigit() and self._peek() in ("<", ">"):
            return Token("IO_NUMBER", raw, line)
        word = Word(tuple(parts), raw)
        if self._want_delimiter is not None:
            heredoc, self._want_delimiter = self._want_delimiter, None
            heredoc.delimiter = "".join(
                p.text if isinstance(p, (Lit, Quoted)) else raw for p in word.parts)
            heredoc.quoted = word.has_quotes
            self._pending.append(heredoc)
        return Token("WORD", raw, line, word=word)

    # -- here-documents (2.7.4) -----------------------------------------

    def _read_heredoc_bodies(self) -> None:
        src = self.src
        pending, self._pending = self._pending, []
        for heredoc in pending:
            lines = []
            while True:
                if self.pos >= len(src):
                    if not self.final:
                        raise Incomplete("here-document not terminated", self.line)
                    break  # as bash does: delimited by end of file
                end = src.find("\n", self.pos)
                text = src[self.pos:] if end < 0 else src[self.pos:end]
                self.pos = len(src) if end < 0 else end + 1
                if heredoc.strip_tabs:
                    text = text.lstrip("\t")
                if text == heredoc.delimiter:
                    break
                lines.append(text + "\n")
            body = "".join(lines)
            if heredoc.quoted:
                heredoc.body = Word((Quoted(body),), body)
            else:
                sub = Lexer(body, bash=self.bash)
                heredoc.body = Word(tuple(sub._scan_parts("heredoc")), body)

    # -- words (2.2, 2.3, 2.6) ------------------------------------------

    def _scan_parts(self, mode: str, quoted: bool = False, stops: str = "") -> "List[WordPart]":
        """Scan word parts from ``pos``.

        ``mode`` is ``word`` (unquoted, ends at a delimiter), ``dquote``
        (inside double quotes, ends at ``"``), ``brace`` (the word of a
        ``${name op word}``, ends at ``}`` or one of ``stops``; ``quoted``
        when the braces are themselves in double quotes), ``heredoc``
        (a here-document body or arithmetic text: only ``$``, backquote and
        backslash are special; ends at the end of the text).
        """
        src = self.src
        parts: "List[WordPart]" = []
        literal_quoted = quoted or mode in ("dquote", "heredoc")

        def add_text(text: str, is_quoted: bool) -> None:
            kind = Quoted if is_quoted else Lit
            if parts and type(parts[-1]) is kind:
                parts[-1] = kind(parts[-1].text + text)
            else:
                parts.append(kind(text))

        while self.pos < len(src):
            c = src[self.pos]
            if mode == "word" and c in DELIMITERS:
                break
            if mode == "dquote" and c == '"':
                break
            if mode == "brace" and (c == "}" or c in stops):
                break
            if c == "\\":
                nxt = self._peek(1)
                if nxt == "\n":  # line continuation
                    self.pos += 2
                    continue
                if mode == "word" or (mode == "brace" and not quoted):
                    if nxt == "":
                        add_text("\\", False)
                        self.pos += 1
                    else:
                        add_text(nxt, True)
                        self.pos += 2
                    continue
                special = "$`\\" + ('"' if mode in ("dquote", "brace") else "") + ("}" if mode == "brace" else "")
                if nxt and nxt in special:
                    add_text(nxt, True)
                    self.pos += 2
                else:
                    add_text("\\", True)
                    self.pos += 1
                continue
            if c == "'" and (mode == "word" or (mode == "brace" and not quoted)):
                end = src.find("'", self.pos + 1)
                if end < 0:
                    raise Incomplete("unterminated quoted string", self.line, "'")
                add_text(src[self.pos + 1:end], True)
                self.pos = end + 1
                continue
            if c == '"' and mode in ("word", "brace"):
                self.pos += 1
                inner = self._scan_parts("dquote", quoted=True)
                if self._peek() != '"':
                    raise Incomplete("unterminated quoted string", self.line, '"')
                self.pos += 1
                parts.extend(inner if inner else [Quoted("")])
                continue
            if c == "$":
                part = self._scan_dollar(quoted or mode in ("dquote", "heredoc"), mode)
                if part is None:
                    add_text("$", literal_quoted)
                    self.pos += 1
                elif isinstance(part, str):  # $'...' decoded
                    parts.append(Quoted(part))
                else:
                    parts.append(part)
                continue
            if c == "`":
                parts.append(self._scan_backquote(quoted or mode in ("dquote", "heredoc")))
                continue
            add_text(c, literal_quoted)
            self.pos += 1
        return parts

    def _scan_dollar(self, quoted: bool, mode: str):
        """An expansion starting at ``$`` (2.6), or None for a literal
        dollar sign."""
        src = self.src
        nxt = self._peek(1)
        if src.startswith("$((", self.pos):
            end = _find_arith_end(src, self.pos + 3)
            if end is not None:
                inner = src[self.pos + 3:end]
                sub = Lexer(inner, bash=self.bash)
                expr = Word(tuple(sub._scan_parts("heredoc")), inner)
                self.pos = end + 2
                return Arith(expr, quoted)
        if nxt == "(":
            from .parser import parse_command_substitution  # mutual recursion

            node, end = parse_command_substitution(
                src, self.pos + 2, self.line, bash=self.bash, final=self.final)
            self.pos = end
            return CommandSub(node, quoted)
        if nxt == "{":
            return self._scan_braced(quoted)
        if nxt and is_name_start(nxt):
            end = self.pos + 1
            while end < len(src) and is_name_char(src[end]):
                end += 1
            name = src[self.pos + 1:end]
            self.pos = end
            return Param(name, quoted=quoted)
        if nxt and nxt in SPECIAL_PARAMS:
            self.pos += 2
            return Param(nxt, quoted=quoted)
        if nxt == "'" and mode == "word":
            end = self.pos + 2
            while end < len(src) and src[end] != "'":
                end += 2 if src[end] == "\\" else 1
            if end >= len(src):
                raise Incomplete("unterminated quoted string", self.line, "'")
            text = ansi_c_decode(src[self.pos + 2:end], bash=self.bash)
            self.pos = end + 1
            return text
        return None

    def _scan_braced(self, quoted: bool) -> Param:
        """``${...}`` (2.6.2)."""
        src = self.src
        start_line = self.line
        self.pos += 2
        length = False
        if self._peek() == "#" and self._peek(1) not in ("}", ""):
            nxt = self._peek(1)
            if is_name_start(nxt) or nxt.isdigit() or (nxt in SPECIAL_PARAMS and self._peek(2) == "}"):
                length = True
                self.pos += 1
        start = self.pos
        c = self._peek()
        if c and is_name_start(c):
            while self.pos < len(src) and is_name_char(src[self.pos]):
                self.pos += 1
        elif c.isdigit():
            while self.pos < len(src) and src[self.pos].isdigit():
                self.pos += 1
        elif c and c in SPECIAL_PARAMS:
            self.pos += 1
        name = src[start:self.pos]
        if not name:
            if self.pos >= len(src):
                raise Incomplete("missing '}'", start_line)
            raise ShellSyntaxError("bad substitution", start_line)
        if length:
            if self._peek() != "}":
                raise ShellSyntaxError("bad substitution", start_line)
            self.pos += 1
            return Param(name, "len", quoted=quoted)
        if self._peek() == "}":
            self.pos += 1
            return Param(name, quoted=quoted)
        op = None
        for candidate in (":-", ":=", ":?", ":+", "-", "=", "?", "+", "%%", "%", "##", "#",
                          "//", "/", "^^", ",,", ":"):
            if src.startswith(candidate, self.pos):
                op = candidate
                break
        if op is None:
            if self.pos >= len(src):
                raise Incomplete("missing '}'", start_line)
            raise ShellSyntaxError("bad substitution", start_line)
        self.pos += len(op)
        arg2 = None
        if op in ("//", "/"):
            # A pattern stays a pattern inside double quotes (2.6.2).
            arg = self._brace_word(False, "/")
            if self._peek() == "/":
                self.pos += 1
                arg2 = self._brace_word(quoted, "")
        elif op in ("%", "%%", "#", "##"):
            arg = self._brace_word(False, "")
        elif op == ":":
            arg = self._brace_word(quoted, ":")
            if self._peek() == ":":
                self.pos += 1
                arg2 = self._brace_word(quoted, "")
        else:
            arg = self._brace_word(quoted, "")
        if self._peek() != "}":
            raise Incomplete("missing '}'", start_line)
        self.pos += 1
        return Param(name, op, arg, arg2, quoted)

    def _brace_word(self, quoted: bool, stops: str) -> Word:
        start = self.pos
        parts = self._scan_parts("brace", quoted, stops)
        return Word(tuple(parts), self.src[start:self.pos])

    def _scan_backquote(self, quoted: bool) -> CommandSub:
        """Old-style command substitution (2.6.3): inside backquotes a
        backslash quotes only ``$``, backquote and backslash (and ``"``
        inside double quotes); the rest is parsed as a script."""
        src = self.src
        start_line = self.line
        self.pos += 1
        buf = []
        while True:
            if self.pos >= len(src):
                raise Incomplete("unterminated `", start_line, "`")
            c = src[self.pos]
            if c == "\\" and self.pos + 1 < len(src) and (
                    src[self.pos + 1] in "$`\\" or (quoted and src[self.pos + 1] == '"')):
                buf.append(src[self.pos + 1])
                self.pos += 2
            elif c == "`":
                self.pos += 1
                break
            else:
                buf.append(c)
                self.pos += 1
        from .parser import parse_program  # mutual recursion

        return CommandSub(parse_program("".join(buf), bash=self.bash, line=start_line), quoted)


def _find_arith_end(src: str, pos: int) -> "Optional[int]":
    """Index of the ``))`` closing an arithmetic expansion whose text starts
    at ``pos``, counting nested parentheses; None if there is none."""
    depth = 0
    while pos < len(src):
        c = src[pos]
        if c == "(":
            depth += 1
        elif c == ")":
            if depth == 0:
                return pos if src.startswith("))", pos) else None
            depth -= 1
        pos += 1
    return None


_C_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f",
              "v": "\v", "e": "\x1b", "E": "\x1b", "\\": "\\", "'": "'", '"': '"', "?": "?"}


#: What busybox ash's ``$'...'`` knows (its decode_dollar_squote): no
#: ``\\e``, ``\\cX``, ``\\u`` or ``\\U``; another escape stays as written.
_ASH_ESCAPES = frozenset("nrbtfav\\'\"")


def ansi_c_decode(text: str, bash: bool = True) -> str:
    """Decode ``$'...'`` escapes (``\\n``, ``\\t``, ``\\xHH``, ``\\NNN``
    octal; bash also ``\\uHHHH``, ``\\UHHHHHHHH``, ``\\e``, ``\\cX``).
    ``\\xHH`` and ``\\NNN`` are one byte each (`raw_byte`); ``\\u`` is a
    character, a surrogate too (bash writes U+D800 as the bytes ED A0 80:
    see `encode_output`)."""

    def escape(text: str, i: int):
        e, after = text[i], i + 1
        if not bash and e not in _ASH_ESCAPES and e != "x" and e not in OCTAL:
            return "\\" + e, after
        if e in _C_ESCAPES:
            return _C_ESCAPES[e], after
        if e in OCTAL:  # \NNN: up to three digits, this one the first
            end = digits_end(text, i, 3, OCTAL)
            return raw_byte(int(text[i:end], 8) & 0xFF), end
        if e in "xuU":
            end = digits_end(text, after, {"x": 2, "u": 4, "U": 8}[e], HEX)
            if end == after:
                return "\\" + e, after
            value = int(text[after:end], 16)
            if e == "x":
                return raw_byte(value), end
            return (chr(value) if value <= 0x10FFFF else "\\" + text[i:end]), end
        if e == "c" and after < len(text):  # \cX: control-X
            return chr(ord(text[after]) & 0x1F), after + 1
        return "\\" + e, after

    return expand_escapes(text, escape)[0]
