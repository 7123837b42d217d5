"""busybox ``ps [-o COL1,COL2=HEADER] [-T]``: default columns
``PID   USER     TIME  COMMAND``; BSD-style words (``aux``) are operands
and ignored, as busybox does.  Reads ``proc.tasks()`` (the caller's PID
namespace)."""

from . import util

MAX_WIDTH = 2 * 1024


def format_time(seconds: int) -> str:
    """busybox's 5-column TIME: ``mm:ss``, ``hhHmm``, ``ddDhh``."""
    ss = seconds % 60
    mm = seconds // 60
    if mm < 60:
        return f"{mm:2d}:{ss:02d}"
    ss, mm = mm % 60, mm // 60
    if mm < 24:
        return f"{mm:2d}h{ss:02d}"
    ss, mm = mm % 24, mm // 24
    if mm < 100:
        return f"{mm:2d}d{ss:02d}"
    return f"{mm:4d}d"


def cmdline(task) -> str:
    """/proc/PID/cmdline as busybox's read_cmdline shows it: arguments
    joined by spaces, ``{comm} `` prepended when argv[0] is not the
    command's name, ``[comm]`` when there is no command line."""
    if not task.argv or task.state == "Z":
        return f"[{task.comm}]"
    text = " ".join(task.argv)
    first = text.split(" ", 1)[0]
    base = first.rsplit("/", 1)[-1]
    if base.startswith("-"):
        base = base[1:]
    if task.comm and not base.startswith(task.comm):
        text = "{" + task.comm + "} " + text
    return text


def tty_numbers(tty) -> str:
    if not tty:
        return "?"
    if tty.startswith("pts/"):
        return f"136,{tty[4:]}"
    if tty == "console":
        return "5,1"
    if tty.startswith("tty") and tty[3:].isdigit():
        return f"4,{tty[3:]}"
    return "?"


def state_column(task) -> str:
    """busybox ps's and top's STAT: the state letter, padded."""
    return (task.state or "?")[:1] + "  "


class Ctx:
    """What the column functions of ps (busybox's and procps') look up:
    user and group names, and the time now."""

    def __init__(self, proc):
        self.names = util.Names(proc)
        self.now = proc.time()


# name -> (width, header, value function(ctx, task, width))
COLUMNS = {
    "user": (8, "USER", lambda c, t, w: c.names.user(t.uid)),
    "group": (8, "GROUP", lambda c, t, w: c.names.group(t.gid)),
    "comm": (16, "COMMAND", lambda c, t, w: t.comm),
    "args": (MAX_WIDTH, "COMMAND", lambda c, t, w: cmdline(t)),
    "pid": (5, "PID", lambda c, t, w: f"{t.pid:{w}d}"),
    "ppid": (5, "PPID", lambda c, t, w: f"{t.ppid:{w}d}"),
    "pgid": (5, "PGID", lambda c, t, w: f"{t.pgid:{w}d}"),
    "etime": (7, "ELAPSED", lambda c, t, w: format_time(max(0, int(c.now - t.start_time)))),
    "nice": (5, "NI", lambda c, t, w: f"{getattr(t, 'nice', 0):{w}d}"),
    "rgroup": (8, "RGROUP", lambda c, t, w: c.names.group(t.gid)),
    "ruser": (8, "RUSER", lambda c, t, w: c.names.user(t.uid)),
    "time": (5, "TIME", lambda c, t, w: format_time(int(t.cpu_time))),
    "tty": (6, "TT", lambda c, t, w: tty_numbers(t.tty)),
    "vsz": (4, "VSZ", lambda c, t, w: util.smart_ulltoa4(t.vsz_kb)),
    "sid": (5, "SID", lambda c, t, w: f"{t.sid:{w}d}"),
    "stat": (4, "STAT", lambda c, t, w: state_column(t)),
    "rss": (4, "RSS", lambda c, t, w: util.smart_ulltoa4(t.rss_kb)),
}


def parse_o(spec: str, columns: list) -> None:
    """``-o pid,user=USERNAME,args``: a ``=HEADER`` ends the list (the
    header may contain commas, as POSIX says)."""
    rest = spec
    while True:
        comma = rest.find(",")
        equal = rest.find("=")
        if comma >= 0 and (equal < 0 or equal > comma):
            columns.append(_find(rest[:comma]))
            rest = rest[comma + 1:]
            continue
        if equal < 0:
            columns.append(_find(rest))
            return
        width, header, fn = _find(rest[:equal])
        header = rest[equal + 1:]
        comma = header.find(",")
        tail = None
        if comma >= 0:
            header, tail = header[:comma], header[comma + 1:]
        if header:
            width = len(header)
        columns.append((width, header, fn))
        if tail is None:
            return
        rest = tail


def _find(name: str):
    for key, value in COLUMNS.items():
        if name[:6] == key[:6] and len(name) <= 6 and key.startswith(name) or name == key:
            return value
    raise util.Fatal(f"bad -o argument '{name}', supported arguments: " + ",".join(COLUMNS))


@util.run_applet
async def main(proc, argv, gnu):
    opts, _operands = util.getopt(argv, "Zo:*aAdeflT")
    columns: list = []
    for spec in opts.get("o", []):
        parse_o(spec, columns)
    if not columns:
        parse_o("pid,user,time,args", columns)
    width = MAX_WIDTH
    if proc.isatty(1):
        width = min(MAX_WIDTH, util.tty_width(proc) - 1)
    # drop columns that start beyond the screen, as busybox does
    total = 0
    for i, (w, _h, _f) in enumerate(columns):
        total += w + 1
        if total > width:
            columns = columns[:i + 1]
            break
    ctx = Ctx(proc)
    lines = []
    if any(h for _w, h, _f in columns):
        head = "".join(f"{h:<{w}s} " for w, h, _f in columns[:-1]) + columns[-1][1]
        lines.append(head[:width])
    for task in proc.tasks():
        parts = []
        for i, (w, _h, fn) in enumerate(columns):
            value = fn(ctx, task, w)[:w] or "-"
            if i < len(columns) - 1:
                value += " " * (w - len(value) + 1)
            parts.append(value)
        lines.append("".join(parts)[:width])
    await proc.write(1, "".join(line + "\n" for line in lines))
    return 0
