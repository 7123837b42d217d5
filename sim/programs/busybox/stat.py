"""``stat [-LftT] [-c FORMAT] FILE...``: busybox's default layout and
``-c`` sequences %n %N %s %a %A %b %B %f %F %u %U %g %G %i %h %o %t %T
%x %X %y %Y %z %Z %w %W %d %D %m."""

import stat as _s

from ...abi import S_ISLNK
from ...errors import SimError
from . import util


def _time(t: float) -> str:
    frac = int(round((t - int(t)) * 1e9))
    return util.strftime("%Y-%m-%d %H:%M:%S", t) + f".{frac:09d} +0000"


def _blocks(st) -> int:
    if _s.S_ISREG(st.mode) or _s.S_ISDIR(st.mode):
        return -(-st.size // 4096) * 8
    return 0


def expand(proc, fmt: str, name: str, st, names) -> str:
    out = []
    i = 0
    while i < len(fmt):
        c = fmt[i]
        if c == "\\" and i + 1 < len(fmt):
            d = fmt[i + 1]
            out.append({"n": "\n", "t": "\t", "\\": "\\"}.get(d, "\\" + d))
            i += 2
            continue
        if c != "%" or i + 1 >= len(fmt):
            out.append(c)
            i += 1
            continue
        j = i + 1
        width = ""
        while j < len(fmt) and (fmt[j].isdigit() or fmt[j] in "-#+ ."):
            width += fmt[j]
            j += 1
        d = fmt[j] if j < len(fmt) else ""
        i = j + 1
        if d == "%":
            out.append("%")
            continue
        value = {
            "n": lambda: name,
            "N": lambda: f"'{name}' -> '{_readlink(proc, name)}'" if S_ISLNK(st.mode) else name,
            "s": lambda: str(st.size),
            "a": lambda: f"{st.mode & 0o7777:o}",
            "A": lambda: util.mode_string(st.mode),
            "b": lambda: str(_blocks(st)),
            "B": lambda: "512",
            "f": lambda: f"{st.mode:x}",
            "F": lambda: util.file_type_name(st.mode, st.size),
            "u": lambda: str(st.uid),
            "U": lambda: names.user(st.uid) if names.user_name_or_none(st.uid) else "UNKNOWN",
            "g": lambda: str(st.gid),
            "G": lambda: names.group(st.gid) if names.group_name_or_none(st.gid) else "UNKNOWN",
            "i": lambda: str(st.ino),
            "h": lambda: str(st.nlink),
            "o": lambda: "4096",
            "t": lambda: f"{(getattr(st, 'rdev', 0) >> 8) & 0xFFF:x}",
            "T": lambda: f"{getattr(st, 'rdev', 0) & 0xFF:x}",
            "d": lambda: "2049",
            "D": lambda: "801",
            "m": lambda: "/",
            "x": lambda: _time(st.mtime),
            "X": lambda: str(int(st.mtime)),
            "y": lambda: _time(st.mtime),
            "Y": lambda: str(int(st.mtime)),
            "z": lambda: _time(st.mtime),
            "Z": lambda: str(int(st.mtime)),
            "w": lambda: "-",
            "W": lambda: "0",
        }.get(d)
        if value is None:
            out.append("?")
            continue
        text = value()
        if width:
            if width.startswith("0") and text.isdigit():
                text = text.rjust(int(width), "0")
            else:
                text = (f"%{width}s") % text
        out.append(text)
    return "".join(out)


def _readlink(proc, name):
    try:
        return proc.readlink(name)
    except SimError:
        return "?"


DEFAULT = ("  File: %N\n"
           "  Size: %-10s\tBlocks: %-10b IO Block: %-6o %F\n"
           "Device: %Dh/%dd\tInode: %-10i  Links: %h\n"
           "Access: (%04a/%10.10A)  Uid: (%5u/%8U)   Gid: (%5g/%8G)\n"
           "Access: %x\n"
           "Modify: %y\n"
           "Change: %z\n")
DEFAULT_DEV = ("  File: %N\n"
               "  Size: %-10s\tBlocks: %-10b IO Block: %-6o %F\n"
               "Device: %Dh/%dd\tInode: %-10i  Links: %-5h Device type: %t,%T\n"
               "Access: (%04a/%10.10A)  Uid: (%5u/%8U)   Gid: (%5g/%8G)\n"
               "Access: %x\n"
               "Modify: %y\n"
               "Change: %z\n")
TERSE = "%n %s %b %f %u %g %D %i %h %t %T %X %Y %Z %o\n"


@util.run_applet
async def main(proc, argv, gnu):
    opts, files = util.getopt(argv, "LftTc:", longopts={"dereference": "L", "format=": "c",
                                                       "printf=": "printf", "terse": "t"})
    if not files:
        raise util.Usage("missing operand" if gnu else "")
    names = util.Names(proc)
    status = 0
    out = []
    for f in files:
        try:
            st = proc.stat(f) if "L" in opts else proc.lstat(f)
        except SimError as e:
            status = 1
            await util.warn(proc, argv, f"cannot stat '{f}': {util.errtext(e)}" if gnu
                            else f"can't stat '{f}': {util.errtext(e)}")
            continue
        if "c" in opts:
            fmt = opts["c"] + "\n"
        elif "printf" in opts:
            fmt = opts["printf"]
        elif "t" in opts:
            fmt = TERSE
        else:
            fmt = DEFAULT_DEV if (_s.S_ISCHR(st.mode) or _s.S_ISBLK(st.mode)) else DEFAULT
        out.append(expand(proc, fmt, f, st, names))
    await proc.write(1, "".join(out))
    return status
