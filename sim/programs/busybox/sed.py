"""``sed [-nrEis] [-e SCRIPT]... [-f FILE]... [SCRIPT] [FILE]...``

Addresses: N, $, /RE/ (\\cREc, I flag), ADDR1,ADDR2, FIRST~STEP, ADDR!.
Commands: s (flags g p I N w), p P d D q Q n N = a i c y h H g G x
b t T :label { }, l (simple), r FILE, w FILE.
"""

import re

from ...errors import SimError
from . import util
from .regex import compile_posix


class SedError(Exception):
    pass


class Cmd:
    __slots__ = ("a1", "a2", "neg", "name", "arg", "target", "active", "flags", "flags_start")

    def __init__(self):
        self.a1 = self.a2 = None
        self.neg = False
        self.name = ""
        self.arg = None
        self.target = None
        self.active = False
        self.flags = None


class Parser:
    def __init__(self, text: str, extended: bool):
        self.s = text
        self.i = 0
        self.extended = extended

    def peek(self):
        return self.s[self.i] if self.i < len(self.s) else ""

    def skip_ws(self, newlines=False):
        while self.i < len(self.s) and (self.s[self.i] in " \t" or (newlines and self.s[self.i] in "\n;")):
            self.i += 1

    def read_delimited(self, delim: str, is_regex: bool = True) -> str:
        """Read up to an unescaped ``delim``; ``\\delim`` becomes ``delim``."""
        out = []
        in_bracket = False
        while self.i < len(self.s):
            c = self.s[self.i]
            if c == "\\" and self.i + 1 < len(self.s):
                d = self.s[self.i + 1]
                self.i += 2
                if d == delim and delim not in "&":
                    out.append(d if delim not in ".*[]^$" else "\\" + d)
                elif d == "n":
                    out.append("\n" if not is_regex else "\\n")
                else:
                    out.append("\\" + d)
                continue
            if is_regex and c == "[" and not in_bracket:
                in_bracket = True
                out.append(c)
                self.i += 1
                if self.peek() == "^":
                    out.append("^")
                    self.i += 1
                if self.peek() == "]":
                    out.append("]")
                    self.i += 1
                continue
            if in_bracket:
                if c == "[" and self.i + 1 < len(self.s) and self.s[self.i + 1] in ":.=":
                    end = self.s.find(self.s[self.i + 1] + "]", self.i + 2)
                    if end > 0:
                        out.append(self.s[self.i:end + 2])
                        self.i = end + 2
                        continue
                if c == "]":
                    in_bracket = False
                out.append(c)
                self.i += 1
                continue
            if c == delim:
                self.i += 1
                return "".join(out)
            if c == "\n" and not is_regex:
                pass
            out.append(c)
            self.i += 1
        raise SedError(f"unmatched '{delim}'")

    def regex(self, text: str, icase=False):
        if text == "":
            return None  # "last regex"
        try:
            return compile_posix(text, self.extended, icase)
        except re.error as e:
            raise SedError(f"bad regex '{text}': {e}") from None

    def address(self):
        c = self.peek()
        if c.isdigit():
            j = self.i
            while self.peek().isdigit():
                self.i += 1
            n = int(self.s[j:self.i])
            if self.peek() == "~":
                self.i += 1
                k = self.i
                while self.peek().isdigit():
                    self.i += 1
                return ("step", n, int(self.s[k:self.i] or "0"))
            return ("line", n)
        if c == "$":
            self.i += 1
            return ("last",)
        if c in "/\\":
            if c == "\\":
                self.i += 1
            delim = self.s[self.i]
            self.i += 1
            text = self.read_delimited(delim)
            icase = False
            while self.peek() in ("I", "M"):
                icase = icase or self.peek() == "I"
                self.i += 1
            return ("re", self.regex(text, icase))
        return None

    def text_arg(self) -> str:
        """The text of a/i/c: ``a\\`` NEWLINE text (lines ending in ``\\``
        continue), or GNU one-liner ``a text``."""
        self.skip_ws()
        if self.peek() == "\\":
            self.i += 1
            if self.peek() == "\n":
                self.i += 1
        else:
            self.skip_ws()
        out = []
        while self.i < len(self.s):
            c = self.s[self.i]
            if c == "\\" and self.i + 1 < len(self.s):
                out.append(self.s[self.i + 1])
                self.i += 2
                continue
            if c == "\n":
                self.i += 1
                break
            out.append(c)
            self.i += 1
        return "".join(out)

    def label(self) -> str:
        self.skip_ws()
        j = self.i
        while self.i < len(self.s) and self.s[self.i] not in ";\n}":
            self.i += 1
        return self.s[j:self.i].strip()

    def filename(self) -> str:
        self.skip_ws()
        j = self.i
        while self.i < len(self.s) and self.s[self.i] != "\n":
            self.i += 1
        return self.s[j:self.i]

    def parse(self):
        cmds = []
        stack = []
        while True:
            self.skip_ws(newlines=True)
            if self.i >= len(self.s):
                break
            if self.peek() == "#":
                while self.i < len(self.s) and self.s[self.i] != "\n":
                    self.i += 1
                continue
            cmd = Cmd()
            cmd.a1 = self.address()
            if cmd.a1 is not None and self.peek() == ",":
                self.i += 1
                self.skip_ws()
                if self.peek() == "+":
                    self.i += 1
                    j = self.i
                    while self.peek().isdigit():
                        self.i += 1
                    cmd.a2 = ("plus", int(self.s[j:self.i] or "0"))
                else:
                    cmd.a2 = self.address()
                    if cmd.a2 is None:
                        raise SedError("unexpected ','")
            self.skip_ws()
            while self.peek() == "!":
                cmd.neg = True
                self.i += 1
                self.skip_ws()
            name = self.peek()
            if not name:
                raise SedError("missing command")
            self.i += 1
            cmd.name = name
            if name == "{":
                stack.append(len(cmds))
            elif name == "}":
                if not stack:
                    raise SedError("unexpected '}'")
                cmds[stack.pop()].target = len(cmds) + 1
            elif name == "s":
                delim = self.s[self.i]
                self.i += 1
                pattern = self.read_delimited(delim)
                replacement = self.read_delimited(delim, is_regex=False)
                flags = {"g": False, "p": False, "n": 1, "i": False, "w": None}
                while self.i < len(self.s) and self.s[self.i] in "gpiIm0123456789ew":
                    f = self.s[self.i]
                    self.i += 1
                    if f == "g":
                        flags["g"] = True
                    elif f == "p":
                        flags["p"] = True
                    elif f in "iI":
                        flags["i"] = True
                    elif f.isdigit():
                        j = self.i - 1
                        while self.peek().isdigit():
                            self.i += 1
                        flags["n"] = int(self.s[j:self.i])
                    elif f == "w":
                        flags["w"] = self.filename()
                cmd.arg = (self.regex(pattern, flags["i"]), replacement)
                cmd.flags = flags
            elif name == "y":
                delim = self.s[self.i]
                self.i += 1
                src = self.read_delimited(delim, is_regex=False)
                dst = self.read_delimited(delim, is_regex=False)
                src = src.replace("\\\\", "\\")
                dst = dst.replace("\\\\", "\\")
                if len(src) != len(dst):
                    raise SedError("strings for y command are different lengths")
                cmd.arg = str.maketrans(src, dst)
            elif name in "aic":
                cmd.arg = self.text_arg()
                cmds.append(cmd)
                continue
            elif name in "btT:":
                cmd.arg = self.label()
                if name == ":" and not cmd.arg:
                    raise SedError("\":\" lacks a label")
            elif name in "rRwW":
                cmd.arg = self.filename()
            elif name in "qQlL":
                self.skip_ws()
                j = self.i
                while self.peek().isdigit():
                    self.i += 1
                cmd.arg = int(self.s[j:self.i]) if self.i > j else None
            elif name in "pPdDnNghGHxz=F":
                pass
            else:
                raise SedError(f"unknown command: '{name}'")
            cmds.append(cmd)
            self.skip_ws()
            if name not in "{}" and self.peek() not in ("", ";", "\n", "}", "#"):
                raise SedError("extra characters after command")
        if stack:
            raise SedError("missing '}'")
        labels = {c.arg: i for i, c in enumerate(cmds) if c.name == ":"}
        for c in cmds:
            if c.name in "btT":
                if c.arg and c.arg not in labels:
                    raise SedError(f"can't find label for jump to '{c.arg}'")
                c.target = labels[c.arg] if c.arg else len(cmds)
        return cmds


def expand_replacement(template: str, m) -> str:
    out = []
    i = 0
    case = None  # \U \L until \E ; \u \l one char
    one = None

    def emit(text):
        nonlocal one
        if not text:
            return
        if one:
            text = (text[0].upper() if one == "u" else text[0].lower()) + text[1:]
            one = None
        if case == "U":
            text = text.upper()
        elif case == "L":
            text = text.lower()
        out.append(text)

    while i < len(template):
        c = template[i]
        if c == "\\" and i + 1 < len(template):
            d = template[i + 1]
            i += 2
            if d.isdigit():
                emit(m.group(int(d)) or "")
            elif d == "n":
                emit("\n")
            elif d == "t":
                emit("\t")
            elif d in "UL":
                case = d
            elif d == "E":
                case = None
            elif d in "ul":
                one = d
            else:
                emit(d)
            continue
        if c == "&":
            emit(m.group(0))
        else:
            emit(c)
        i += 1
    return "".join(out)


class Sed:
    def __init__(self, proc, cmds, quiet):
        self.proc = proc
        self.cmds = cmds
        self.quiet = quiet
        self.hold = ""
        self.last_regex = None
        self.out = []
        self.wfiles = {}
        self.exit_code = None

    def match_addr(self, addr, lineno, line, is_last):
        kind = addr[0]
        if kind == "line":
            return lineno == addr[1]
        if kind == "last":
            return is_last
        if kind == "step":
            first, step = addr[1], addr[2]
            return lineno == first if step <= 0 else lineno >= first and (lineno - first) % step == 0
        if kind == "re":
            rx = addr[1] or self.last_regex
            if rx is None:
                raise SedError("no previous regular expression")
            self.last_regex = rx
            return rx.search(line) is not None
        return False

    def selected(self, cmd, lineno, ps, is_last):
        if cmd.a1 is None:
            hit = True
        elif cmd.a2 is None:
            hit = self.match_addr(cmd.a1, lineno, ps, is_last)
        elif cmd.active:
            kind = cmd.a2[0]
            if kind == "line":
                end = lineno >= cmd.a2[1]
            elif kind == "plus":
                end = lineno >= cmd.flags_start + cmd.a2[1]
            else:
                end = self.match_addr(cmd.a2, lineno, ps, is_last)
            if end:
                cmd.active = False
            hit = True
        elif self.match_addr(cmd.a1, lineno, ps, is_last):
            hit = True
            cmd.active = True
            cmd.flags_start = lineno if cmd.a2[0] == "plus" else None
            kind = cmd.a2[0]
            if kind == "line" and cmd.a2[1] <= lineno:
                cmd.active = False
            elif kind == "plus" and cmd.a2[1] == 0:
                cmd.active = False
        else:
            hit = False
        return hit != cmd.neg

    def run(self, lines):
        """Run over ``lines`` (list of (text, had_newline)); returns output text."""
        idx = 0
        n = len(lines)
        ps = None
        while idx < n:
            ps, nl = lines[idx]
            idx += 1
            lineno = idx
            append_queue = []
            pc = 0
            restart = False
            deleted = False
            quit_now = False
            tflag = False
            while pc < len(self.cmds):
                cmd = self.cmds[pc]
                pc += 1
                is_last = idx >= n
                if cmd.name in ":}":
                    continue
                if not self.selected(cmd, lineno, ps, is_last):
                    if cmd.name == "{":
                        pc = cmd.target
                    continue
                name = cmd.name
                if name == "{":
                    continue
                if name == "s":
                    rx, repl = cmd.arg
                    rx = rx or self.last_regex
                    if rx is None:
                        raise SedError("no previous regular expression")
                    self.last_regex = rx
                    count = 0
                    pieces = []
                    pos = 0
                    done = False
                    for m in rx.finditer(ps):
                        count += 1
                        if count < cmd.flags["n"]:
                            continue
                        pieces.append(ps[pos:m.start()])
                        pieces.append(expand_replacement(repl, m))
                        pos = m.end()
                        done = True
                        if not cmd.flags["g"]:
                            break
                    if done:
                        pieces.append(ps[pos:])
                        ps = "".join(pieces)
                        tflag = True
                        if cmd.flags["p"]:
                            self.out.append(ps + "\n")
                        if cmd.flags["w"]:
                            self.wfiles.setdefault(cmd.flags["w"], []).append(ps + "\n")
                elif name == "p":
                    self.out.append(ps + "\n")
                elif name == "P":
                    self.out.append(ps.split("\n", 1)[0] + "\n")
                elif name == "d":
                    deleted = True
                    break
                elif name == "D":
                    if "\n" in ps:
                        ps = ps.split("\n", 1)[1]
                        restart = True
                    else:
                        deleted = True
                    break
                elif name in "qQ":
                    if name == "Q":
                        deleted = True
                    self.exit_code = cmd.arg or 0
                    quit_now = True
                    break
                elif name == "n":
                    if idx >= n:
                        quit_now = True
                        break
                    if not self.quiet:
                        self.out.append(ps + ("\n" if nl else ""))
                    self.out.extend(append_queue)
                    append_queue = []
                    ps, nl = lines[idx]
                    idx += 1
                    lineno = idx
                elif name == "N":
                    if idx >= n:
                        quit_now = True
                        break
                    self.out.extend(append_queue)
                    append_queue = []
                    nxt, nl = lines[idx]
                    idx += 1
                    lineno = idx
                    ps = ps + "\n" + nxt
                elif name == "=":
                    self.out.append(f"{lineno}\n")
                elif name == "a":
                    append_queue.append(cmd.arg + "\n")
                elif name == "i":
                    self.out.append(cmd.arg + "\n")
                elif name == "c":
                    if cmd.a2 is None or not cmd.active:
                        self.out.append(cmd.arg + "\n")
                    deleted = True
                    break
                elif name == "y":
                    ps = ps.translate(cmd.arg)
                elif name == "h":
                    self.hold = ps
                elif name == "H":
                    self.hold = self.hold + "\n" + ps
                elif name == "g":
                    ps = self.hold
                elif name == "G":
                    ps = ps + "\n" + self.hold
                elif name == "x":
                    ps, self.hold = self.hold, ps
                elif name == "z":
                    ps = ""
                elif name == "b":
                    pc = cmd.target
                elif name == "t":
                    if tflag:
                        tflag = False
                        pc = cmd.target
                elif name == "T":
                    if not tflag:
                        pc = cmd.target
                    tflag = False
                elif name in "lL":
                    self.out.append(_visible(ps) + "$\n")
                elif name in "rR":
                    try:
                        append_queue.append(self.proc.read_file(cmd.arg).decode(errors="surrogateescape"))
                    except SimError:
                        pass
                elif name in "wW":
                    self.wfiles.setdefault(cmd.arg, []).append(ps + "\n")
                elif name == "F":
                    self.out.append("-\n")
            if not deleted and not self.quiet:
                self.out.append(ps + ("\n" if nl or idx < n else ""))
            self.out.extend(append_queue)
            if quit_now:
                break
            if restart:
                lines.insert(idx, (ps, nl))
                n += 1
        return "".join(self.out)


def _visible(text: str) -> str:
    out = []
    for ch in text:
        o = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif o < 32 or o == 127:
            out.append(f"\\{o:03o}")
        else:
            out.append(ch)
    return "".join(out)


def split_input(data: bytes):
    text = data.decode("utf-8", errors="surrogateescape")
    parts = text.split("\n")
    lines = [(p, True) for p in parts[:-1]]
    if parts[-1]:
        lines.append((parts[-1], False))
    return lines


@util.run_applet
async def main(proc, argv, gnu):
    opts, args = util.getopt(argv, "nrEsi::e:*f:*uz", longopts={
        "quiet": "n", "silent": "n", "regexp-extended": "r", "expression=": "e", "file=": "f",
        "in-place": "i", "in-place=": "i", "separate": "s", "posix": "posix", "debug": "debug"})
    scripts = list(opts.get("e", []))
    for f in opts.get("f", []):
        try:
            data = await util.read_input(proc, f)
        except SimError as e:
            raise util.Fatal(f"can't open '{f}': {util.errtext(e)}") from None
        scripts.append(data.decode(errors="surrogateescape").rstrip("\n"))
    if not scripts:
        if not args:
            raise util.Usage()
        scripts = [args.pop(0)]
    extended = "r" in opts or "E" in opts
    try:
        cmds = Parser("\n".join(scripts), extended).parse()
    except SedError as e:
        raise util.Fatal(str(e)) from None
    quiet = "n" in opts
    in_place = "i" in opts
    suffix = opts["i"] if in_place and isinstance(opts["i"], str) else ""
    status = 0
    if in_place:
        if not args:
            raise util.Fatal("no input files" if gnu else "no files to edit")
        for name in args:
            try:
                data = proc.read_file(name)
            except SimError as e:
                await util.warn(proc, argv, f"can't open '{name}': {util.errtext(e)}"
                                if not gnu else f"can't read {name}: {util.errtext(e)}")
                status = 2 if gnu else 4
                continue
            sed = Sed(proc, cmds, quiet)
            try:
                text = sed.run(split_input(data))
            except SedError as e:
                raise util.Fatal(str(e)) from None
            if suffix:
                proc.write_file(name + suffix, data)
            proc.write_file(name, text.encode("utf-8", "surrogateescape"))
            await _flush_wfiles(proc, sed)
            if sed.exit_code is not None:
                return sed.exit_code
        return status
    lines = []
    for name in args or ["-"]:
        try:
            data = await util.read_input(proc, name)
        except SimError as e:
            await util.warn(proc, argv, f"{name}: {util.errtext(e)}" if not gnu
                            else f"can't read {name}: {util.errtext(e)}")
            status = 2
            continue
        file_lines = split_input(data)
        if lines and not lines[-1][1]:
            lines[-1] = (lines[-1][0], True)
        lines.extend(file_lines)
    sed = Sed(proc, cmds, quiet)
    try:
        text = sed.run(lines)
    except SedError as e:
        raise util.Fatal(str(e)) from None
    await proc.write(1, text.encode("utf-8", "surrogateescape"))
    await _flush_wfiles(proc, sed)
    if sed.exit_code is not None:
        return sed.exit_code
    return status


async def _flush_wfiles(proc, sed):
    for path, chunks in sed.wfiles.items():
        if path == "/dev/stdout":
            await proc.write(1, "".join(chunks))
        else:
            proc.write_file(path, "".join(chunks).encode("utf-8", "surrogateescape"))
