"""Arithmetic expansion (POSIX 2.6.4): ``$(( expression ))``.

Signed 64-bit integer arithmetic with the C operators and precedence the
standard requires (it defers to the ISO C standard), plus bash's ``**``.
Variables are named without ``$``; an unset or empty variable is 0, and a
variable holding an expression is evaluated recursively, as bash and ash do.

The expression is first parsed into a small tree of tuples and then
evaluated, which makes the short-circuit operators (``&& || ?:``) skip
their unevaluated side, including its assignments.
"""

import re
from typing import Callable, Optional


class ArithError(Exception):
    pass


_TOKEN = re.compile(r"""
    \s*(?:
      (?P<num>0[xX][0-9a-fA-F]+|[0-9]+\#[0-9a-zA-Z@_]+|[0-9]+)
    | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<op>\*\*=|<<=|>>=|\*\*|\+\+|--|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%&^|]=|[-+*/%<>&^|!~?:,=()])
    )""", re.VERBOSE)

_BINARY = [  # lowest precedence first
    ("||",), ("&&",), ("|",), ("^",), ("&",), ("==", "!="), ("<", "<=", ">", ">="),
    ("<<", ">>"), ("+", "-"), ("*", "/", "%"),
]

_ASSIGN_OPS = ("=", "+=", "-=", "*=", "/=", "%=", "<<=", ">>=", "&=", "^=", "|=", "**=")


def _wrap(n: int) -> int:
    n &= (1 << 64) - 1
    return n - (1 << 64) if n >= (1 << 63) else n


def parse_number(text: str) -> int:
    """A C integer constant: decimal, ``0x`` hex, ``0`` octal, bash
    ``base#digits``."""
    t = text.strip()
    neg = t.startswith("-")
    if t[:1] in "+-":
        t = t[1:]
    try:
        if "#" in t:
            base, digits = t.split("#", 1)
            value = int(digits, int(base))
        elif t[:2] in ("0x", "0X"):
            value = int(t[2:], 16)
        elif len(t) > 1 and t.startswith("0"):
            value = int(t, 8)
        else:
            value = int(t)
    except ValueError:
        raise ArithError(f"invalid number: {text}") from None
    return -value if neg else value


class _Parser:
    def __init__(self, text: str):
        self.tokens = []
        pos = 0
        text = text.rstrip()
        while pos < len(text):
            m = _TOKEN.match(text, pos)
            if not m or m.end() == pos:
                raise ArithError(f"syntax error: invalid arithmetic operator (error token is \"{text[pos:].strip()}\")")
            kind = m.lastgroup
            self.tokens.append((kind, m.group(kind)))
            pos = m.end()
        self.i = 0

    def peek(self) -> "Optional[str]":
        return self.tokens[self.i][1] if self.i < len(self.tokens) else None

    def take(self):
        tok = self.tokens[self.i] if self.i < len(self.tokens) else None
        if tok is None:
            raise ArithError("syntax error: operand expected")
        self.i += 1
        return tok

    def parse(self):
        if not self.tokens:
            return ("num", 0)
        node = self.comma()
        if self.i < len(self.tokens):
            raise ArithError(f"syntax error in expression (error token is \"{self.tokens[self.i][1]}\")")
        return node

    def comma(self):
        node = self.assign()
        while self.peek() == ",":
            self.take()
            node = (",", node, self.assign())
        return node

    def assign(self):
        if (self.i + 1 < len(self.tokens) and self.tokens[self.i][0] == "name"
                and self.tokens[self.i + 1][1] in _ASSIGN_OPS):
            name = self.take()[1]
            op = self.take()[1]
            return ("assign", op, name, self.assign())
        return self.ternary()

    def ternary(self):
        cond = self.binary(0)
        if self.peek() == "?":
            self.take()
            a = self.assign()
            if self.peek() != ":":
                raise ArithError("syntax error: `:' expected for conditional expression")
            self.take()
            b = self.assign()
            return ("?:", cond, a, b)
        return cond

    def binary(self, level: int):
        if level == len(_BINARY):
            return self.power()
        node = self.binary(level + 1)
        while self.peek() in _BINARY[level] and self.tokens[self.i][0] == "op":
            op = self.take()[1]
            node = (op, node, self.binary(level + 1))
        return node

    def power(self):
        base = self.unary()
        if self.peek() == "**":
            self.take()
            return ("**", base, self.power())
        return base

    def unary(self):
        tok = self.peek()
        if tok in ("!", "~", "-", "+"):
            self.take()
            return ("u" + tok, self.unary())
        if tok in ("++", "--"):
            self.take()
            kind, name = self.take()
            if kind != "name":
                raise ArithError("syntax error: operand expected")
            return ("pre" + tok, name)
        return self.postfix()

    def postfix(self):
        kind, value = self.take()
        if kind == "num":
            return ("num", parse_number(value))
        if kind == "name":
            if self.peek() in ("++", "--"):
                return ("post" + self.take()[1], value)
            return ("var", value)
        if value == "(":
            node = self.comma()
            if self.peek() != ")":
                raise ArithError("syntax error: missing `)'")
            self.take()
            return node
        raise ArithError(f"syntax error: operand expected (error token is \"{value}\")")


def evaluate(text: str, get: Callable[[str], Optional[str]], set_: Callable[[str, str], None],
             depth: int = 0) -> int:
    """Evaluate an arithmetic expression; ``get``/``set_`` read and write
    shell variables."""
    if depth > 32:
        raise ArithError("expression recursion level exceeded")
    tree = _Parser(text).parse()

    def var(name: str) -> int:
        value = get(name)
        if value is None or value.strip() == "":
            return 0
        try:
            return parse_number(value)
        except ArithError:
            return evaluate(value, get, set_, depth + 1)

    def ev(node) -> int:
        op = node[0]
        if op == "num":
            return node[1]
        if op == "var":
            return var(node[1])
        if op == ",":
            ev(node[1])
            return ev(node[2])
        if op == "assign":
            _, aop, name, rhs = node
            value = ev(rhs)
            if aop != "=":
                value = binop(aop[:-1], var(name), value)
            set_(name, str(value))
            return value
        if op == "?:":
            return ev(node[2]) if ev(node[1]) else ev(node[3])
        if op == "&&":
            return int(bool(ev(node[1])) and bool(ev(node[2])))
        if op == "||":
            return int(bool(ev(node[1])) or bool(ev(node[2])))
        if op in ("u!", "u~", "u-", "u+"):
            v = ev(node[1])
            return {"u!": lambda: int(not v), "u~": lambda: ~v, "u-": lambda: _wrap(-v), "u+": lambda: v}[op]()
        if op in ("pre++", "pre--", "post++", "post--"):
            old = var(node[1])
            new = old + (1 if op.endswith("++") else -1)
            set_(node[1], str(new))
            return new if op.startswith("pre") else old
        return binop(op, ev(node[1]), ev(node[2]))

    return ev(tree)


def binop(op: str, a: int, b: int) -> int:
    if op in ("/", "%") and b == 0:
        raise ArithError("division by zero")
    if op == "/":
        q = abs(a) // abs(b)
        return _wrap(q if (a >= 0) == (b >= 0) else -q)
    if op == "%":
        r = abs(a) % abs(b)
        return r if a >= 0 else -r
    if op == "**":
        if b < 0:
            raise ArithError("exponent less than 0")
        return _wrap(a ** b)
    table = {
        "+": lambda: a + b, "-": lambda: a - b, "*": lambda: a * b,
        "<<": lambda: a << (b & 63), ">>": lambda: a >> (b & 63),
        "<": lambda: int(a < b), "<=": lambda: int(a <= b), ">": lambda: int(a > b),
        ">=": lambda: int(a >= b), "==": lambda: int(a == b), "!=": lambda: int(a != b),
        "&": lambda: a & b, "^": lambda: a ^ b, "|": lambda: a | b,
    }
    return _wrap(table[op]())
