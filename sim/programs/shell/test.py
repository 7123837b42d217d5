"""The ``test`` / ``[`` utility (POSIX test(1)) and bash's ``[[ ]]``.

`run_test` follows the standard's algorithm: with up to four arguments
the meaning is decided by the argument count (so ``test -n`` or
``[ = ]`` do what the standard says); beyond that it parses the XSI
grammar with ``!``, ``-a``, ``-o`` and parentheses.

`double_bracket` evaluates bash's conditional expression, where ``&&``
and ``||`` replace ``-a``/``-o``, the right side of ``==``/``!=`` is a
pattern (2.13) and ``=~`` an extended regular expression.
"""

import re
from typing import List, Optional, Tuple

from ...abi import (
    R_OK, W_OK, X_OK, S_ISDIR, S_ISREG, S_ISLNK, S_ISCHR, S_ISFIFO, S_IFMT, S_IFBLK,
    S_IFSOCK, S_ISGID, S_ISUID, S_ISVTX,
)
from ...errors import SimError
from . import pattern

UNARY = frozenset("-e -f -d -x -r -w -s -L -h -b -c -p -S -g -u -k -t -z -n -O -G".split())
BINARY = frozenset("= == != < > -eq -ne -lt -le -gt -ge -nt -ot -ef".split())


class TestError(Exception):
    pass


def _int(text: str, bash: bool) -> int:
    t = text.strip()
    if re.fullmatch(r"[+-]?[0-9]+", t):
        return int(t)
    if bash:
        raise TestError(f"{text}: integer expression expected")
    raise TestError(f"{text}: bad number" if t else "bad number")


def unary(proc, op: str, arg: str) -> bool:
    if op == "-z":
        return arg == ""
    if op == "-n":
        return arg != ""
    if op == "-t":
        try:
            return proc.isatty(int(arg))
        except (ValueError, SimError):
            return False
    try:
        if op in ("-L", "-h"):
            return S_ISLNK(proc.lstat(arg).mode)
        if op in ("-r", "-w", "-x"):
            return proc.access(arg, {"-r": R_OK, "-w": W_OK, "-x": X_OK}[op])
        st = proc.stat(arg)
    except SimError:
        return False
    if op == "-e":
        return True
    if op == "-f":
        return S_ISREG(st.mode)
    if op == "-d":
        return S_ISDIR(st.mode)
    if op == "-s":
        return st.size > 0
    if op == "-b":
        return (st.mode & S_IFMT) == S_IFBLK
    if op == "-c":
        return S_ISCHR(st.mode)
    if op == "-p":
        return S_ISFIFO(st.mode)
    if op == "-S":
        return (st.mode & S_IFMT) == S_IFSOCK
    if op == "-g":
        return bool(st.mode & S_ISGID)
    if op == "-u":
        return bool(st.mode & S_ISUID)
    if op == "-k":
        return bool(st.mode & S_ISVTX)
    if op == "-O":
        return st.uid == proc.uid
    if op == "-G":
        return st.gid == proc.gid
    raise TestError(f"{op}: unary operator expected")


def binary(proc, left: str, op: str, right: str, bash: bool) -> bool:
    if op in ("=", "=="):
        return left == right
    if op == "!=":
        return left != right
    if op == "<":
        return left < right
    if op == ">":
        return left > right
    if op in ("-nt", "-ot", "-ef"):
        try:
            a = proc.stat(left)
        except SimError:
            a = None
        try:
            b = proc.stat(right)
        except SimError:
            b = None
        if op == "-ef":
            return a is not None and b is not None and a.ino == b.ino
        if op == "-nt":
            return a is not None and (b is None or a.mtime > b.mtime)
        return b is not None and (a is None or a.mtime < b.mtime)
    a, b = _int(left, bash), _int(right, bash)
    return {"-eq": a == b, "-ne": a != b, "-lt": a < b, "-le": a <= b,
            "-gt": a > b, "-ge": a >= b}[op]


def run_test(proc, args: "List[str]", bash: bool = False) -> "Tuple[int, Optional[str]]":
    """Evaluate ``test args...``: (0 true / 1 false / 2 error, message)."""
    try:
        return (0 if _evaluate(proc, args, bash) else 1), None
    except TestError as exc:
        return 2, str(exc)


def _evaluate(proc, args: "List[str]", bash: bool) -> bool:
    n = len(args)
    if n == 0:
        return False
    if n == 1:
        return args[0] != ""
    if n == 2:
        if args[0] == "!":
            return args[1] == ""
        if args[0] in UNARY:
            return unary(proc, args[0], args[1])
        raise TestError(f"{args[0]}: unary operator expected")
    if n == 3:
        if args[1] in BINARY:
            return binary(proc, args[0], args[1], args[2], bash)
        if args[0] == "!":
            return not _evaluate(proc, args[1:], bash)
        if args[0] == "(" and args[2] == ")":
            return args[1] != ""
        if args[1] in ("-a", "-o"):
            pass
        else:
            raise TestError(f"{args[1]}: binary operator expected")
    if n == 4:
        if args[0] == "!":
            return not _evaluate(proc, args[1:], bash)
        if args[0] == "(" and args[3] == ")":
            return _evaluate(proc, args[1:3], bash)
    parser = _Parser(proc, args, bash)
    value = parser.or_()
    if parser.i != len(args):
        raise TestError(f"{args[parser.i]}: unexpected operator" if not bash else "too many arguments")
    return value


class _BooleanParser:
    """The grammar ``test`` and ``[[ ]]`` share, by recursive descent::

        or      := and (OR and)*
        and     := not (AND not)*
        not     := "!" not | primary
        primary := "(" or ")" | ...        (each subclass's own)

    Subclasses name their ``OR`` and ``AND`` operators, say what ``peek``
    and ``take`` see of the arguments, and define ``primary``.  Both sides
    of an operator are always parsed (and so evaluated): the parser has to
    move past them either way.
    """

    OR = AND = ""
    #: The message when a "(" group lacks its ")".
    UNCLOSED = ""

    def or_(self) -> bool:
        value = self.and_()
        while self.peek() == self.OR:
            self.take()
            right = self.and_()
            value = value or right
        return value

    def and_(self) -> bool:
        value = self.not_()
        while self.peek() == self.AND:
            self.take()
            right = self.not_()
            value = value and right
        return value

    def not_(self) -> bool:
        if self.peek() == "!":
            self.take()
            return not self.not_()
        return self.primary()

    def group(self) -> bool:
        """``( expression )``, the next token being the "("."""
        self.take()
        value = self.or_()
        if self.peek() != ")":
            raise TestError(self.UNCLOSED)
        self.take()
        return value


class _Parser(_BooleanParser):
    OR, AND = "-o", "-a"
    UNCLOSED = "')' expected"

    def __init__(self, proc, args, bash):
        self.proc, self.args, self.bash, self.i = proc, args, bash, 0

    def peek(self, k: int = 0) -> "Optional[str]":
        j = self.i + k
        return self.args[j] if j < len(self.args) else None

    def take(self) -> str:
        if self.i >= len(self.args):
            raise TestError("argument expected")
        self.i += 1
        return self.args[self.i - 1]

    def primary(self) -> bool:
        tok = self.peek()
        if tok == "(" and self.peek(1) not in BINARY:
            return self.group()
        if self.peek(1) in BINARY and self.peek(2) is not None:
            left = self.take()
            op = self.take()
            return binary(self.proc, left, op, self.take(), self.bash)
        if tok in UNARY and self.peek(1) is not None:
            self.take()
            return unary(self.proc, tok, self.take())
        return self.take() != ""


# ---------------------------------------------------------------------------
# bash [[ ]]


def double_bracket(proc, tokens: "List[Tuple[str, list, bool]]") -> "Tuple[int, Optional[str]]":
    """Evaluate ``[[ ... ]]``.  Each token is (text, pattern segments,
    is_operator_word) where the last flag says the word was an unquoted
    literal (so ``"&&"`` in quotes is a string, not an operator)."""
    p = _BracketParser(proc, tokens)
    try:
        value = p.or_()
        if p.i != len(tokens):
            raise TestError(f"syntax error in conditional expression: unexpected token `{tokens[p.i][0]}'")
    except TestError as exc:
        return 2, str(exc)
    return (0 if value else 1), None


class _BracketParser(_BooleanParser):
    OR, AND = "||", "&&"
    UNCLOSED = "syntax error in conditional expression"

    def __init__(self, proc, tokens):
        self.proc, self.tokens, self.i = proc, tokens, 0

    def peek(self, k: int = 0) -> "Optional[str]":
        """The operator word ``k`` tokens ahead; a quoted or expanded word
        shows as ``"\\0word"`` so it never passes for an operator."""
        j = self.i + k
        if j < len(self.tokens) and self.tokens[j][2]:
            return self.tokens[j][0]
        return None if j >= len(self.tokens) else "\0word"

    def take(self):
        if self.i >= len(self.tokens):
            raise TestError("syntax error in conditional expression")
        self.i += 1
        return self.tokens[self.i - 1]

    def primary(self) -> bool:
        if self.peek() == "(":
            return self.group()
        first = self.take()
        nxt = self.peek()
        if nxt in BINARY or nxt == "=~":
            op = self.take()[0]
            right = self.take()
            if op in ("==", "=", "!="):
                hit = pattern.matches(right[1], first[0])
                return hit if op != "!=" else not hit
            if op == "=~":
                try:
                    return re.search(right[0], first[0]) is not None
                except re.error:
                    raise TestError("invalid regular expression") from None
            return binary(self.proc, first[0], op, right[0], True)
        if first[2] and first[0] in UNARY and self.i < len(self.tokens):
            return unary(self.proc, first[0], self.take()[0])
        return first[0] != ""
