"""``grep [-HhnlLcoqvsrRiwxFE] [-m N] [-A/-B/-C N] [-e PATTERN]... [-f FILE] [PATTERN] [FILE]...``
(and ``egrep``/``fgrep``)."""

import re

from ...abi import S_ISDIR
from ...errors import SimError
from . import util
from .regex import compile_posix

LONGOPTS = {"ignore-case": "i", "invert-match": "v", "line-number": "n", "count": "c",
            "files-with-matches": "l", "files-without-match": "L", "quiet": "q", "silent": "q",
            "extended-regexp": "E", "fixed-strings": "F", "recursive": "r", "only-matching": "o",
            "word-regexp": "w", "line-regexp": "x", "no-filename": "h", "with-filename": "H",
            "regexp=": "e", "file=": "f", "max-count=": "m", "color": "color", "color=": "color",
            "colour": "color", "colour=": "color", "include=": "include", "exclude=": "exclude"}


class Matcher:
    def __init__(self, patterns, opts):
        extended = "E" in opts
        fixed = "F" in opts
        icase = "i" in opts
        regexes = []
        for p in patterns:
            rx = compile_posix(p, extended, icase, fixed)
            text = rx.pattern
            if "w" in opts:
                text = r"(?<!\w)(?:" + text + r")(?!\w)"
            if "x" in opts:
                text = r"^(?:" + text + r")$"
            regexes.append(re.compile(text, rx.flags))
        self.regexes = regexes

    def search(self, line: str) -> bool:
        return any(r.search(line) for r in self.regexes)

    def finditer(self, line: str):
        spans = []
        for r in self.regexes:
            for m in r.finditer(line):
                if m.end() > m.start():
                    spans.append((m.start(), m.end()))
        spans.sort()
        result = []
        pos = 0
        for s, e in spans:
            if s >= pos:
                result.append(line[s:e])
                pos = e
        return result


async def _collect(proc, argv, paths, recursive, opts):
    """Expand directories for -r; warn about directories otherwise."""
    result = []
    for p in paths:
        if p != "-" and util.is_dir(proc, p):
            if not recursive:
                if "s" not in opts:
                    await util.warn(proc, argv, f"{p}: Is a directory")
                result.append((p, None))
                continue
            stack = [p]
            while stack:
                d = stack.pop()
                try:
                    names = proc.listdir(d)
                except SimError as e:
                    await util.warn(proc, argv, f"{d}: {util.errtext(e)}")
                    continue
                subdirs = []
                for n in names:
                    full = util.join_path(d, n)
                    try:
                        st = proc.lstat(full)
                    except SimError:
                        continue
                    if S_ISDIR(st.mode):
                        subdirs.append(full)
                    elif not (st.mode & 0o170000) == 0o120000 or opts.get("R"):
                        result.append((full, True))
                stack.extend(reversed(subdirs))
        else:
            result.append((p, True))
    return result


async def grep(proc, argv, gnu, extra_opts=""):
    opts, args = util.getopt(argv, "HhnlLcoqvsrRiwxFEe:*f:*m:A:B:C:Iaz" + extra_opts, longopts=LONGOPTS)
    for k in extra_opts:
        opts[k] = 1
    patterns = list(opts.get("e", []))
    for fname in opts.get("f", []):
        try:
            data = await util.read_input(proc, fname)
        except SimError as e:
            raise util.Fatal(f"{fname}: {util.errtext(e)}", 2) from None
        patterns.extend(data.decode(errors="surrogateescape").splitlines())
    if not patterns:
        if not args:
            raise util.Usage()
        patterns = [args.pop(0)]
    # a pattern with newlines is several patterns
    patterns = [q for p in patterns for q in p.split("\n")]
    try:
        matcher = Matcher(patterns, opts)
    except re.error as e:
        raise util.Fatal(f"bad regex '{patterns[0]}': {e}", 2) from None
    recursive = "r" in opts or "R" in opts
    if not args:
        args = ["."] if recursive else ["-"]
    files = await _collect(proc, argv, args, recursive, opts)
    show_name = ("H" in opts or len(args) > 1 or recursive) and "h" not in opts
    invert = "v" in opts
    max_count = int(opts["m"]) if "m" in opts else None
    after = int(opts.get("A", opts.get("C", 0)))
    before = int(opts.get("B", opts.get("C", 0)))
    matched_any = False
    error = False
    out = []
    for name, ok in files:
        if ok is None:
            continue
        try:
            data = await util.read_input(proc, name)
        except SimError as e:
            error = True
            if "s" not in opts:
                await util.warn(proc, argv, f"{name}: {util.errtext(e)}")
            continue
        shown = "(standard input)" if name == "-" else name
        prefix = shown + ":" if show_name else ""
        lines = util.text_lines(data)
        count = 0
        last_printed = -1
        pending_after = 0
        for idx, line in enumerate(lines):
            hit = matcher.search(line) != invert
            if hit:
                if max_count is not None and count >= max_count:
                    break
                count += 1
                matched_any = True
                if "q" in opts:
                    break
                if "l" in opts or "L" in opts or "c" in opts:
                    continue
                if before or after:
                    start = max(idx - before, last_printed + 1)
                    if last_printed >= 0 and start > last_printed + 1:
                        out.append("--\n")
                    for k in range(start, idx):
                        out.append(_line(shown if show_name else "", "-", k, lines[k], opts))
                if "o" in opts and not invert:
                    for piece in matcher.finditer(line):
                        out.append(_line(shown if show_name else "", ":", idx, piece, opts))
                else:
                    out.append(_line(shown if show_name else "", ":", idx, line, opts))
                last_printed = idx
                pending_after = after
            elif pending_after and not ("l" in opts or "L" in opts or "c" in opts or "q" in opts):
                out.append(_line(shown if show_name else "", "-", idx, line, opts))
                last_printed = idx
                pending_after -= 1
        if "q" in opts and matched_any:
            break
        if "c" in opts:
            out.append(f"{prefix}{count}\n")
        if "l" in opts and count:
            out.append(shown + "\n")
        if "L" in opts and not count:
            out.append(shown + "\n")
        if len(out) > 256:
            await proc.write(1, "".join(out).encode("utf-8", "surrogateescape"))
            out = []
    if out:
        await proc.write(1, "".join(out).encode("utf-8", "surrogateescape"))
    if "q" in opts and matched_any:
        return 0
    if error:
        return 2
    return 0 if matched_any else 1


def _line(name, sep, idx, text, opts):
    head = name + sep if name else ""
    if "n" in opts:
        head += f"{idx + 1}{sep}"
    return head + text + "\n"


async def _run(proc, argv, gnu, extra=""):
    try:
        return await grep(proc, argv, gnu, extra)
    except util.Usage as u:
        name = util.applet_name(argv)
        if gnu:
            await proc.write(2, (f"{name}: {u.text}\n" if u.text else "")
                             + f"Usage: {name} [OPTION]... PATTERNS [FILE]...\n"
                             + f"Try '{name} --help' for more information.\n")
        else:
            await proc.write(2, (f"{name}: {u.text}\n" if u.text else "") + util.usage_text(name))
        return 2
    except util.Fatal as f:
        await util.warn(proc, argv, f.text)
        return 2


async def main(proc, argv, gnu=False):
    return await _run(proc, argv, gnu)


async def egrep_main(proc, argv, gnu=False):
    return await _run(proc, argv, gnu, "E")


async def fgrep_main(proc, argv, gnu=False):
    return await _run(proc, argv, gnu, "F")
