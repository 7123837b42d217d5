"""The ``printf`` utility (POSIX printf(1)), built into the shell.

The format is reused while arguments remain; missing arguments are empty
strings or zero.  Conversions: ``%s %b %c %d %i %o %u %x %X %e %E %f %F %g
%G %%`` with flags, width and precision (``*`` takes them from the
arguments).  ``%b`` expands backslash escapes in its argument, as
``echo -e`` does (`echo_output`).  Octal and hex escapes make raw bytes:
write the result with `sim.programs.escapes.encode_output`.
"""

import re
from typing import List, Tuple

from ..escapes import HEX, OCTAL, digits_end, expand_escapes, raw_byte

_SPEC = re.compile(r"%([-+ #0]*)(\*|[0-9]+)?(?:\.(\*|[0-9]*))?([hlLqjzt]*)([a-zA-Z%])")

_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v",
            "\\": "\\", "e": "\x1b", "E": "\x1b", '"': '"', "'": "'"}


def backslash_escapes(text: str, in_format: bool) -> "Tuple[str, bool]":
    """Expand ``\\n``-style escapes.  Returns (text, stop) where stop is
    True after ``\\c`` (which ends all output).  In ``%b`` arguments and
    ``echo -e`` octal is ``\\0nnn``; in a format it is ``\\nnn``.  Octal and
    hex escapes make raw bytes (`raw_byte`): write the text with
    `encode_output`."""

    def escape(text: str, i: int):
        e = text[i]
        if e in _ESCAPES and not (e in "\"'" and not in_format):
            return _ESCAPES[e], i + 1
        if e == "c":
            return "", None
        if e in OCTAL and (in_format or e == "0"):
            start = i if in_format else i + 1
            end = digits_end(text, start, 3, OCTAL)
            return raw_byte(int(text[start:end] or "0", 8) & 0xFF), end
        if e == "x":
            end = digits_end(text, i + 1, 2, HEX)
            if end == i + 1:
                return "\\x", end
            return raw_byte(int(text[i + 1:end], 16)), end
        return "\\" + e, i + 1

    return expand_escapes(text, escape)


def echo_output(args: "List[str]") -> str:
    """What ``echo [-neE] [ARG]...`` writes, busybox's and bash's alike:
    leading words made of ``n``, ``e`` and ``E`` are options (``-n``: no
    newline; ``-e``/``-E``: backslash escapes on/off, as ``%b`` expands
    them, off by default)."""
    newline, escapes = True, False
    while args and len(args[0]) > 1 and args[0][0] == "-" and all(c in "neE" for c in args[0][1:]):
        for c in args[0][1:]:
            if c == "n":
                newline = False
            else:
                escapes = c == "e"
        args = args[1:]
    text = " ".join(args)
    if escapes:
        text, stop = backslash_escapes(text, False)
        if stop:
            newline = False
    return text + ("\n" if newline else "")


def _number(arg: str, errors: "List[str]") -> int:
    t = arg.strip()
    if t[:1] in ("'", '"') and len(t) >= 2:
        return ord(t[1])
    if t == "":
        return 0
    try:
        if re.fullmatch(r"[+-]?0[xX][0-9a-fA-F]+", t):
            return int(t, 16)
        if re.fullmatch(r"[+-]?0[0-7]+", t):
            return int(t, 8)
        return int(t)
    except ValueError:
        m = re.match(r"[+-]?[0-9]+", t)
        errors.append(f"invalid number '{arg}'" if not m else f"{arg}: not completely converted")
        return int(m.group(0)) if m else 0


def _float(arg: str, errors: "List[str]") -> float:
    try:
        return float(arg) if arg.strip() else 0.0
    except ValueError:
        errors.append(f"invalid number '{arg}'")
        return 0.0


def format_printf(fmt: str, args: "List[str]") -> "Tuple[str, List[str]]":
    """Apply the format to the arguments; returns (output, error messages)."""
    out: "List[str]" = []
    errors: "List[str]" = []
    args = list(args)
    consumed_any = True
    first = True
    while first or (args and consumed_any):
        first = False
        consumed_any = False
        pos = 0
        while pos < len(fmt):
            pct = fmt.find("%", pos)
            literal = fmt[pos:] if pct < 0 else fmt[pos:pct]
            text, stop = backslash_escapes(literal, True)
            out.append(text)
            if stop:
                return "".join(out), errors
            if pct < 0:
                break
            m = _SPEC.match(fmt, pct)
            if not m:
                out.append(fmt[pct:])
                errors.append(f"%{fmt[pct + 1:pct + 2]}: invalid directive")
                break
            pos = m.end()
            flags, width, precision, _, conv = m.groups()
            if conv == "%":
                out.append("%")
                continue

            def next_arg() -> "str | None":
                nonlocal consumed_any
                if args:
                    consumed_any = True
                    return args.pop(0)
                return None

            if width == "*":
                width = str(_number(next_arg() or "0", errors))
            if precision == "*":
                precision = str(_number(next_arg() or "0", errors))
            arg = next_arg()
            spec = "%" + flags + (width or "") + ("." + precision if precision is not None else "")
            if conv == "s":
                out.append((spec + "s") % (arg or ""))
            elif conv == "b":
                text, stop = backslash_escapes(arg or "", False)
                out.append((spec + "s") % text)
                if stop:
                    return "".join(out), errors
            elif conv == "c":
                out.append((spec + "s") % ((arg or "")[:1]))
            elif conv in "diouxX":
                n = _number(arg or "0", errors)
                if conv == "u" and n < 0:
                    n += 1 << 64
                if conv in "ox" or conv == "X":
                    if n < 0:
                        n += 1 << 64
                out.append((spec + ("d" if conv in "iu" else conv)) % n)
            elif conv in "eEfFgG":
                out.append((spec + conv) % _float(arg or "0", errors))
            else:
                errors.append(f"%{conv}: invalid directive")
                out.append(m.group(0))
        if not args:
            break
    return "".join(out), errors
