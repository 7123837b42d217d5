"""Go's ``strconv`` (and the ``%q``/``%v`` verbs of ``fmt`` built on it):
quoting strings and runes, parsing integers and booleans with Go's error
texts."""

from __future__ import annotations

from .errors import GoError

__all__ = ["quote", "quote_rune", "format_q_list", "format_v_list", "parse_int", "atoi",
           "parse_uint", "parse_bool"]

_SIMPLE_ESCAPES = {"\a": r"\a", "\b": r"\b", "\f": r"\f", "\n": r"\n", "\r": r"\r",
                   "\t": r"\t", "\v": r"\v"}


def _quote_body(s: str, q: str) -> str:
    out = []
    for ch in s:
        o = ord(ch)
        if 0xDC80 <= o <= 0xDCFF:            # invalid UTF-8 byte
            out.append("\\x%02x" % (o - 0xDC00))
        elif ch == q or ch == "\\":
            out.append("\\" + ch)
        elif ch in _SIMPLE_ESCAPES:
            out.append(_SIMPLE_ESCAPES[ch])
        elif o < 0x20 or o == 0x7F:
            out.append("\\x%02x" % o)
        elif ch.isprintable():
            out.append(ch)
        elif 0xD800 <= o <= 0xDFFF:          # other lone surrogate: Go sees U+FFFD
            out.append("\ufffd")
        elif o < 0x10000:
            out.append("\\u%04x" % o)
        else:
            out.append("\\U%08x" % o)
    return "".join(out)


def quote(s: str) -> str:
    """Go's ``strconv.Quote`` (what ``%q`` prints for a string)."""
    return '"' + _quote_body(s, '"') + '"'


def quote_rune(r: int) -> str:
    """Go's ``strconv.QuoteRune`` (what ``%q`` prints for an integer)."""
    if r < 0 or r > 0x10FFFF or 0xD800 <= r <= 0xDFFF:
        r = 0xFFFD
    return "'" + _quote_body(chr(r), "'") + "'"


def format_q_list(items) -> str:
    """``fmt.Sprintf("%q", []string{...})``: ``["a" "b"]``; a nil/empty slice is ``[]``."""
    return "[" + " ".join(quote(i) for i in (items or ())) + "]"


def format_v_list(items) -> str:
    """``fmt.Sprintf("%v", []string{...})``: ``[a b]``."""
    return "[" + " ".join(items or ()) + "]"


def parse_int(s: str, bits: int = 64, fn: str = "ParseInt") -> int:
    """Go's ``strconv.ParseInt(s, 10, bits)`` with its error texts
    (``fn`` names the function the texts blame)."""
    if s == "":
        raise GoError("strconv.%s: parsing %s: invalid syntax" % (fn, quote(s)))
    body = s[1:] if s[0] in "+-" else s
    if body == "" or not all("0" <= c <= "9" for c in body):
        raise GoError("strconv.%s: parsing %s: invalid syntax" % (fn, quote(s)))
    n = int(s)
    if not -(1 << (bits - 1)) <= n <= (1 << (bits - 1)) - 1:
        raise GoError("strconv.%s: parsing %s: value out of range" % (fn, quote(s)))
    return n


def atoi(s: str) -> int:
    """Go's ``strconv.Atoi`` (an int is 64 bits): its errors name
    ``strconv.Atoi``, e.g. ``strconv.Atoi: parsing "x": invalid syntax``."""
    return parse_int(s, 64, "Atoi")


def parse_uint(s: str, base: int = 10, bits: int = 64) -> int:
    """Go's ``strconv.ParseUint(s, base, bits)`` (bases 8 and 10)."""
    digits = "01234567" if base == 8 else "0123456789"
    if s == "" or not all(c in digits for c in s):
        raise GoError("strconv.ParseUint: parsing %s: invalid syntax" % quote(s))
    n = int(s, base)
    if n >= 1 << bits:
        raise GoError("strconv.ParseUint: parsing %s: value out of range" % quote(s))
    return n


_BOOLS = {"1": True, "t": True, "T": True, "TRUE": True, "true": True, "True": True,
          "0": False, "f": False, "F": False, "FALSE": False, "false": False, "False": False}


def parse_bool(s: str) -> bool:
    """Go's ``strconv.ParseBool``."""
    if s in _BOOLS:
        return _BOOLS[s]
    raise GoError("strconv.ParseBool: parsing %s: invalid syntax" % quote(s))
