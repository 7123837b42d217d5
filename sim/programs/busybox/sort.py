"""``sort [-nrufbsgh] [-t SEP] [-k POS1[,POS2]]... [-o FILE] [FILE]...``"""

import functools
import re

from ...errors import SimError
from . import util

_NUM = re.compile(r"^\s*([-+]?(\d+\.?\d*|\.\d+))")
_HUMAN = {"": 1, "K": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15, "E": 1e18}


class Key:
    def __init__(self, spec: str, global_opts: dict):
        m = re.match(r"^(\d+)(?:\.(\d+))?([a-zA-Z]*)(?:,(\d+)(?:\.(\d+))?([a-zA-Z]*))?$", spec)
        if not m:
            raise util.Fatal(f"invalid key '{spec}'")
        self.f1 = int(m.group(1))
        self.c1 = int(m.group(2) or 1)
        self.f2 = int(m.group(4)) if m.group(4) else None
        self.c2 = int(m.group(5) or 0)
        flags = (m.group(3) or "") + (m.group(6) or "")
        self.flags = set(flags) if flags else {k for k in "nrfbgh" if k in global_opts}
        self.own_flags = bool(flags)


def _fields(line: str, sep):
    """[(start, end)] spans of each field; with blank separation a field
    includes its leading blanks (as POSIX sort says)."""
    spans = []
    if sep is not None:
        pos = 0
        for part in line.split(sep):
            spans.append((pos, pos + len(part)))
            pos += len(part) + 1
        return spans
    i = 0
    n = len(line)
    while i < n:
        start = i
        while i < n and line[i] in " \t":
            i += 1
        while i < n and line[i] not in " \t":
            i += 1
        spans.append((start, i))
    return spans


def extract(line: str, key: Key, sep) -> str:
    spans = _fields(line, sep)
    if key.f1 - 1 >= len(spans):
        return ""
    s, e = spans[key.f1 - 1]
    if "b" in key.flags:
        while s < e and line[s] in " \t":
            s += 1
    start = min(s + key.c1 - 1, e)
    if key.f2 is None:
        return line[start:]
    if key.f2 - 1 >= len(spans):
        return line[start:]
    s2, e2 = spans[key.f2 - 1]
    end = e2 if key.c2 == 0 else min(s2 + key.c2, e2)
    return line[start:max(end, start)]


def _numeric(text: str) -> float:
    m = _NUM.match(text)
    return float(m.group(1)) if m else 0.0


def _general(text: str) -> float:
    try:
        return float(text.strip().split()[0]) if text.strip() else float("-inf")
    except ValueError:
        return float("-inf")


def _human(text: str) -> float:
    m = re.match(r"^\s*([-+]?\d+\.?\d*)([KMGTPE]?)", text)
    return float(m.group(1)) * _HUMAN[m.group(2)] if m else 0.0


def _cmp_text(a: str, b: str, flags) -> int:
    if "n" in flags:
        x, y = _numeric(a), _numeric(b)
    elif "g" in flags:
        x, y = _general(a), _general(b)
    elif "h" in flags:
        x, y = _human(a), _human(b)
    else:
        if "b" in flags:
            a, b = a.lstrip(" \t"), b.lstrip(" \t")
        if "f" in flags:
            a, b = a.upper(), b.upper()
        x, y = a.encode("utf-8", "surrogateescape"), b.encode("utf-8", "surrogateescape")
    return (x > y) - (x < y)


@util.run_applet
async def main(proc, argv, gnu):
    opts, files = util.getopt(argv, "nrufbsgcmhdMVzt:k:*o:T:S:", longopts={
        "numeric-sort": "n", "reverse": "r", "unique": "u", "ignore-case": "f",
        "field-separator=": "t", "key=": "k", "output=": "o", "stable": "s",
        "human-numeric-sort": "h", "general-numeric-sort": "g"})
    sep = opts.get("t")
    if sep == "\\t":
        sep = "\t"
    keys = [Key(k, opts) for k in opts.get("k", [])]
    inputs, failed = await util.read_inputs(proc, argv, files, gnu, msg="can't open '{}': {}")
    if failed:
        return 2
    lines = []
    for _name, data in inputs:
        lines.extend(util.text_lines(data))
    global_flags = {k for k in "nrfbgh" if k in opts}
    reverse = "r" in opts

    def compare(a: str, b: str, with_last_resort=True) -> int:
        for key in keys:
            c = _cmp_text(extract(a, key, sep), extract(b, key, sep), key.flags)
            if c:
                return -c if ("r" in key.flags if key.own_flags else reverse) else c
        if not keys:
            c = _cmp_text(a, b, global_flags)
            if c:
                return -c if reverse else c
        if not with_last_resort or "s" in opts or "u" in opts:
            return 0
        c = _cmp_text(a, b, set())
        return -c if reverse else c

    if "c" in opts:
        for i in range(1, len(lines)):
            if compare(lines[i - 1], lines[i]) > 0:
                await proc.write(2, f"sort: -:{i + 1}: disorder: {lines[i]}\n" if gnu
                                 else f"sort: disorder: {lines[i]}\n")
                return 1
        return 0
    lines.sort(key=functools.cmp_to_key(compare))
    if "u" in opts:
        unique = []
        for line in lines:
            if not unique or compare(unique[-1], line, False) != 0:
                unique.append(line)
        lines = unique
    out = "".join(line + "\n" for line in lines).encode("utf-8", "surrogateescape")
    if "o" in opts:
        try:
            proc.write_file(opts["o"], out)
        except SimError as e:
            raise util.Fatal(f"can't open '{opts['o']}': {util.errtext(e)}", 2) from None
        return 0
    await proc.write(1, out)
    return 0
