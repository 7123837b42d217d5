"""POSIX regular expressions (BRE and ERE, as grep/sed/expr take them)
translated to Python's `re`."""

import re

_CLASSES = {
    "alpha": "a-zA-Z", "digit": "0-9", "alnum": "a-zA-Z0-9", "upper": "A-Z", "lower": "a-z",
    "space": " \\t\\n\\r\\f\\v", "blank": " \\t", "punct": re.escape("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"),
    "xdigit": "0-9A-Fa-f", "print": " -~", "graph": "!-~", "cntrl": "\\x00-\\x1f\\x7f",
    "word": "a-zA-Z0-9_",
}


def _bracket(p: str, i: int):
    """Translate the bracket expression starting at p[i] == '['.
    Returns (python_text, next_index) or None if unterminated."""
    j = i + 1
    out = "["
    if j < len(p) and p[j] == "^":
        out += "^"
        j += 1
    first = True
    while j < len(p):
        c = p[j]
        if c == "]" and not first:
            return out + "]", j + 1
        first = False
        if c == "[" and j + 1 < len(p) and p[j + 1] in ":.=":
            kind = p[j + 1]
            end = p.find(kind + "]", j + 2)
            if end < 0:
                out += "\\["
                j += 1
                continue
            name = p[j + 2:end]
            if kind == ":":
                if name not in _CLASSES:
                    raise re.error(f"invalid character class '{name}'")
                out += _CLASSES[name]
            else:
                out += re.escape(name)
            j = end + 2
            continue
        if c in "\\[&~|-" and not (c == "-" and 0 < j - i and p[j - 1] != "[" and j + 1 < len(p) and p[j + 1] != "]"):
            out += "\\" + c
        else:
            out += c
        j += 1
    return None


def translate(pattern: str, extended: bool) -> str:
    """A POSIX BRE (``extended=False``) or ERE as a Python regex."""
    out = []
    i = 0
    n = len(pattern)
    at_start = True  # where a '*' is literal in a BRE
    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            d = pattern[i + 1]
            i += 2
            if not extended and d in "(){}|+?":
                out.append(d)
                at_start = d in "(|"
                continue
            if d == "<":
                out.append(r"\b(?=\w)")
            elif d == ">":
                out.append(r"\b(?<=\w)")
            elif d in "wWsSbB" or d.isdigit():
                out.append("\\" + d)
            elif d == "n":
                out.append("\\n")
            elif d == "t":
                out.append("\\t")
            else:
                out.append(re.escape(d))
            at_start = False
            continue
        if c == "[":
            res = _bracket(pattern, i)
            if res is None:
                raise re.error("Unmatched [, [^, [:, [., or [=")
            text, i = res
            out.append(text)
            at_start = False
            continue
        if not extended and c in "(){}|+?":
            out.append("\\" + c)
        elif c == "*" and at_start:
            out.append("\\*")
        elif extended and c == "{" and not re.match(r"\{\d*(,\d*)?\}", pattern[i:]):
            out.append("\\{")
        elif c == "^" and not extended and not at_start:
            out.append("\\^")
        elif c == "$" and not extended and i + 1 < n and not pattern[i + 1:].startswith(("\\)", "\\|")):
            out.append("\\$")
        elif c in ".^$*+?(){}|":
            out.append(c)
        else:
            out.append(re.escape(c))
        at_start = c == "^" and len(out) == 1 or (extended and c in "(|")
        i += 1
    return "".join(out)


def compile_posix(pattern: str, extended: bool = False, icase: bool = False, fixed: bool = False):
    """Compile a grep/sed pattern; raises re.error on a bad one."""
    flags = re.IGNORECASE if icase else 0
    if fixed:
        return re.compile(re.escape(pattern), flags)
    return re.compile(translate(pattern, extended), flags)
