"""``stty`` and ``tty``: the terminal's settings, from the pty's termios.

``stty [-F DEV] [-a | -g | size | SETTING...]`` as busybox and coreutils
take it: ``size`` prints ``rows cols`` (TIOCGWINSZ); ``-a`` every setting
in coreutils' layout (wrapped at the terminal's width); ``-g`` the
settings in the form stty reads back; settings are flags (``echo``,
``-icanon``), the combinations ``raw``, ``-raw``/``cooked``, ``sane``,
``cbreak``, special characters (``intr ^C``, ``erase ^H``, ``eof
undef``), ``min N``, ``time N``, ``rows N``, ``cols N``/``columns N``.

``tty [-s]`` prints the name of the terminal on stdin (``/dev/pts/0``) or
``not a tty`` (status 1).
"""

import attrs

from ...abi import O_RDWR
from ...errors import SimError
from ...io import termios as T

# Bits coreutils shows that the line discipline does not act on.
CMSPAR = 0o10000000000
CRTSCTS = 0o20000000000
OFILL = 0o000100
OFDEL = 0o000200
EXTPROC = 0o200000

#: (name, word, bit) in the order ``stty -a`` prints them, by line.
FLAGS = [
    [("parenb", "cflag", T.PARENB), ("parodd", "cflag", T.PARODD), ("cmspar", "cflag", CMSPAR),
     ("cs8", "cflag", T.CS8), ("hupcl", "cflag", T.HUPCL), ("cstopb", "cflag", T.CSTOPB),
     ("cread", "cflag", T.CREAD), ("clocal", "cflag", T.CLOCAL), ("crtscts", "cflag", CRTSCTS)],
    [("ignbrk", "iflag", T.IGNBRK), ("brkint", "iflag", T.BRKINT), ("ignpar", "iflag", T.IGNPAR),
     ("parmrk", "iflag", T.PARMRK), ("inpck", "iflag", T.INPCK), ("istrip", "iflag", T.ISTRIP),
     ("inlcr", "iflag", T.INLCR), ("igncr", "iflag", T.IGNCR), ("icrnl", "iflag", T.ICRNL),
     ("ixon", "iflag", T.IXON), ("ixoff", "iflag", T.IXOFF), ("iuclc", "iflag", T.IUCLC),
     ("ixany", "iflag", T.IXANY), ("imaxbel", "iflag", T.IMAXBEL), ("iutf8", "iflag", T.IUTF8)],
    [("opost", "oflag", T.OPOST), ("olcuc", "oflag", T.OLCUC), ("ocrnl", "oflag", T.OCRNL),
     ("onlcr", "oflag", T.ONLCR), ("onocr", "oflag", T.ONOCR), ("onlret", "oflag", T.ONLRET),
     ("ofill", "oflag", OFILL), ("ofdel", "oflag", OFDEL)],
    [("isig", "lflag", T.ISIG), ("icanon", "lflag", T.ICANON), ("iexten", "lflag", T.IEXTEN),
     ("echo", "lflag", T.ECHO), ("echoe", "lflag", T.ECHOE), ("echok", "lflag", T.ECHOK),
     ("echonl", "lflag", T.ECHONL), ("noflsh", "lflag", T.NOFLSH), ("xcase", "lflag", T.XCASE),
     ("tostop", "lflag", T.TOSTOP), ("echoprt", "lflag", T.ECHOPRT), ("echoctl", "lflag", T.ECHOCTL),
     ("echoke", "lflag", T.ECHOKE), ("flusho", "lflag", T.FLUSHO), ("extproc", "lflag", EXTPROC)],
]
_FLAG = {name: (word, bit) for line in FLAGS for name, word, bit in line}
_FLAG.update({"crterase": ("lflag", T.ECHOE), "crtkill": ("lflag", T.ECHOKE),
              "ctlecho": ("lflag", T.ECHOCTL), "prterase": ("lflag", T.ECHOPRT)})

#: (name, c_cc index) in ``stty -a`` order.
CHARS = [("intr", T.VINTR), ("quit", T.VQUIT), ("erase", T.VERASE), ("kill", T.VKILL),
         ("eof", T.VEOF), ("eol", T.VEOL), ("eol2", T.VEOL2), ("swtch", T.VSWTC),
         ("start", T.VSTART), ("stop", T.VSTOP), ("susp", T.VSUSP), ("rprnt", T.VREPRINT),
         ("werase", T.VWERASE), ("lnext", T.VLNEXT), ("discard", T.VDISCARD)]
_CHAR = dict(CHARS)
_CHAR.update({"flush": T.VDISCARD, "reprint": T.VREPRINT})


def show_char(c: int) -> str:
    if c == 0:
        return "<undef>"
    if c == 0x7f:
        return "^?"
    if c < 0x20:
        return "^" + chr(c + 0x40)
    if c >= 0x80:
        return "M-" + show_char(c - 0x80)
    return chr(c)


def parse_char(text: str) -> "int | None":
    if text in ("undef", "^-", ""):
        return 0
    if text == "^?":
        return 0x7f
    if len(text) == 2 and text[0] == "^":
        return ord(text[1].upper()) & 0x1f
    if len(text) == 1:
        return ord(text)
    try:
        return int(text, 0)
    except ValueError:
        return None


def _set(t: T.Termios, word: str, bit: int, on: bool) -> T.Termios:
    value = getattr(t, word)
    return attrs.evolve(t, **{word: (value | bit) if on else (value & ~bit)})


def sane(t: T.Termios) -> T.Termios:
    """``stty sane``: coreutils' sane settings over the current ones."""
    s = T.Termios.sane()
    return attrs.evolve(s, cflag=(t.cflag & ~(T.CSIZE | T.PARENB)) | T.CS8 | T.CREAD)


def apply(t: T.Termios, words: list, size: list):
    """Apply stty's setting words; returns the new termios or an error
    message."""
    i = 0
    while i < len(words):
        word = words[i]
        i += 1
        neg = word.startswith("-")
        name = word[1:] if neg else word
        if name in _FLAG and not (neg and name in ("cs8",)):
            t = _set(t, *_FLAG[name], not neg)
        elif word == "raw" or word == "-cooked":
            t = t.raw()
        elif word in ("-raw", "cooked"):
            t = attrs.evolve(t, iflag=t.iflag | T.BRKINT | T.IGNPAR | T.ICRNL | T.IXON,
                             oflag=t.oflag | T.OPOST, lflag=t.lflag | T.ISIG | T.ICANON)
            t = t.with_cc(T.VEOF, 4).with_cc(T.VEOL, 0)
        elif word == "sane":
            t = sane(t)
        elif word == "cbreak":
            t = _set(t, "lflag", T.ICANON, False)
        elif word == "-cbreak":
            t = _set(t, "lflag", T.ICANON, True)
        elif word in ("nl", "-nl"):
            t = _set(t, "iflag", T.ICRNL, word == "-nl")
        elif word in ("ek",):
            t = t.with_cc(T.VERASE, 0x7f).with_cc(T.VKILL, 0x15)
        elif word in _CHAR or word in ("min", "time", "rows", "cols", "columns", "line", "speed",
                                        "ispeed", "ospeed"):
            if word == "speed":
                size.append(("speed",))
                continue
            if i >= len(words):
                return f"missing argument to '{word}'"
            arg = words[i]
            i += 1
            if word in _CHAR:
                c = parse_char(arg)
                if c is None:
                    return f"invalid argument '{arg}'"
                t = t.with_cc(_CHAR[word], c)
            elif word in ("min", "time"):
                if not arg.isdigit():
                    return f"invalid integer argument: '{arg}'"
                t = t.with_cc(T.VMIN if word == "min" else T.VTIME, int(arg))
            elif word in ("rows", "cols", "columns"):
                if not arg.isdigit():
                    return f"invalid integer argument: '{arg}'"
                size.append(("rows" if word == "rows" else "cols", int(arg)))
        elif word.isdigit():
            continue  # a speed: the pty's does not change
        else:
            return f"invalid argument '{word}'"
    return t


def _wrap(lines: list, items: list, width: int) -> None:
    """coreutils' wrapf: items separated by spaces, a new line before one
    that would pass the width."""
    line = ""
    for item in items:
        if line and len(line) + 1 + len(item) > width:
            lines.append(line)
            line = item
        else:
            line = f"{line} {item}" if line else item
    if line:
        lines.append(line)


def show_all(t: T.Termios, rows: int, cols: int, width: int, gnu: bool) -> str:
    lines: list = []
    head = [f"speed {t.speed} baud;"]
    head += [f"rows {rows};", f"columns {cols};"]
    head.append("line = 0;")
    _wrap(lines, head, width)
    chars = []
    for name, index in CHARS:
        if name == "discard" and not gnu:
            name = "flush"
        chars.append(f"{name} = {show_char(t.cc[index])};")
    chars += [f"min = {t.cc[T.VMIN]};", f"time = {t.cc[T.VTIME]};"]
    _wrap(lines, chars, width)
    for group in FLAGS:
        items = [("" if getattr(t, word) & bit == bit else "-") + name for name, word, bit in group]
        if group is FLAGS[2]:
            items += ["nl0", "cr0", "tab0", "bs0", "vt0", "ff0"]
        _wrap(lines, items, width)
    return "\n".join(lines) + "\n"


def save_form(t: T.Termios) -> str:
    """``stty -g``: the four words and the characters in hex."""
    return ":".join([f"{t.iflag:x}", f"{t.oflag:x}", f"{t.cflag:x}", f"{t.lflag:x}"]
                    + [f"{c:x}" for c in t.cc[:T.NCCS - 2] + (0, 0)][:36]) + "\n"


def parse_save_form(text: str) -> "T.Termios | None":
    parts = text.split(":")
    if len(parts) < 5:
        return None
    try:
        words = [int(p, 16) for p in parts]
    except ValueError:
        return None
    return T.Termios(words[0], words[1], words[2], words[3], tuple(words[4:4 + T.NCCS]))


async def main(proc, argv, gnu=False):
    args = list(argv[1:])
    fd = 0
    device = "standard input"
    show = save = False
    words = []
    while args:
        a = args.pop(0)
        if a in ("-F", "--file") and args:
            device = args.pop(0)
            try:
                fd = proc.open(device, O_RDWR)
            except SimError as err:
                await proc.error(f"{device}: {err.strerror_text}")
                return 1
        elif a.startswith("-F") and len(a) > 2:
            device = a[2:]
            try:
                fd = proc.open(device, O_RDWR)
            except SimError as err:
                await proc.error(f"{device}: {err.strerror_text}")
                return 1
        elif a in ("-a", "--all"):
            show = True
        elif a in ("-g", "--save"):
            save = True
        else:
            words.append(a)
    try:
        t = proc.tcgetattr(fd)
        rows, cols = proc.get_winsize(fd)
    except SimError as err:
        name = f"'{device}'" if gnu else device
        await proc.error(f"{name}: {err.strerror_text}")
        return 1
    if show:
        try:
            width = proc.get_winsize(1)[1] or 80
        except SimError:
            width = 80
        await proc.write(1, show_all(t, rows, cols, width, gnu))
        return 0
    if save:
        await proc.write(1, save_form(t))
        return 0
    if not words:
        # The settings that differ from sane, as ``stty`` alone shows them.
        s = T.Termios.sane()
        items = [f"speed {t.speed} baud; line = 0;"]
        diff = [f"{name} = {show_char(t.cc[i])};" for name, i in CHARS if t.cc[i] != s.cc[i]]
        if t.cc[T.VMIN] != s.cc[T.VMIN] or t.cc[T.VTIME] != s.cc[T.VTIME]:
            diff += [f"min = {t.cc[T.VMIN]};", f"time = {t.cc[T.VTIME]};"]
        flags = [("" if getattr(t, w) & b == b else "-") + n for line in FLAGS for n, w, b in line
                 if (getattr(t, w) & b) != (getattr(s, w) & b)]
        out = items + ([" ".join(diff)] if diff else []) + ([" ".join(flags)] if flags else [])
        await proc.write(1, "\n".join(out) + "\n")
        return 0
    if words == ["size"]:
        await proc.write(1, f"{rows} {cols}\n")
        return 0
    if len(words) == 1 and ":" in words[0]:
        new = parse_save_form(words[0])
        if new is None:
            await proc.error(f"invalid argument '{words[0]}'")
            return 1
        proc.tcsetattr(fd, new)
        return 0
    size: list = []
    new = apply(t, words, size)
    if isinstance(new, str):
        await proc.error(new)
        return 1
    if any(s == ("speed",) for s in size):
        await proc.write(1, f"{t.speed}\n")
    for item in size:
        if item[0] == "rows":
            rows = item[1]
        elif item[0] == "cols":
            cols = item[1]
    if any(item[0] in ("rows", "cols") for item in size):
        proc.set_winsize(fd, rows, cols)
    if new != t:
        proc.tcsetattr(fd, new, "drain")
    return 0


async def tty_main(proc, argv, gnu=False):
    """``tty [-s]``: the terminal on stdin, or ``not a tty`` (status 1)."""
    silent = "-s" in argv[1:] or "--silent" in argv[1:] or "--quiet" in argv[1:]
    try:
        name = proc.ttyname(0)
    except SimError:
        if not silent:
            await proc.write(1, "not a tty\n")
        return 1
    if not silent:
        await proc.write(1, name + "\n")
    return 0
