"""procps-ng 4.x ``ps`` (the Debian images' and the host's ``ps``).

Supported: ``ps`` (the caller's terminal: ``    PID TTY          TIME CMD``),
``ps aux`` / ``ps ax`` / ``ps x`` (BSD ``u`` format: ``USER  PID %CPU %MEM
VSZ RSS TTY STAT START TIME COMMAND``), ``ps -e``/``-A``, ``ps -f``/``-ef``
(``UID PID PPID C STIME TTY TIME CMD``), ``ps -o LIST`` / ``o LIST``,
``-p PIDS``, ``-u USER``, ``--no-headers``.  Reads ``proc.tasks()``;
%MEM is RSS over MemTotal from /proc/meminfo, which ps needs: without /proc
it stops as procps does ("Error: /proc must be mounted").
"""

import time as _time

from ...errors import SimError
from ..busybox import util
from ..busybox.ps import Ctx

#: procps's message when /proc cannot be read (proc/sysinfo.c BAD_OPEN_MESSAGE).
BAD_OPEN_MESSAGE = ("Error: /proc must be mounted\n"
                    "  To mount /proc at boot you need an /etc/fstab line like:\n"
                    "      proc   /proc   proc    defaults\n"
                    "  In the meantime, run \"mount proc /proc -t proc\"\n")


class PsCtx(Ctx):
    """Ctx plus the machine's memory (KiB, /proc/meminfo's MemTotal)."""

    def __init__(self, proc, mem_total_kb: int):
        super().__init__(proc)
        self.mem_total_kb = mem_total_kb


def _pmem(ctx, t) -> str:
    """procps pr_pmem: RSS per mille of MemTotal, truncated, as ``%2u.%u``."""
    pmem = min(999, t.rss_kb * 1000 // ctx.mem_total_kb) if ctx.mem_total_kb else 0
    return f"{pmem // 10:2d}.{pmem % 10}".strip()


def _user(ctx, uid) -> str:
    name = ctx.names.user(uid)
    if len(name) > 8:
        return name[:7] + "+"
    return name


def _dhms(seconds: int):
    """Whole seconds as (days, hours, minutes, seconds)."""
    days, rem = divmod(int(seconds), 86400)
    h, rem = divmod(rem, 3600)
    m, s = divmod(rem, 60)
    return days, h, m, s


def _hms(seconds: int) -> str:
    """procps TIME: ``[DD-]HH:MM:SS``."""
    days, h, m, s = _dhms(seconds)
    text = f"{h:02d}:{m:02d}:{s:02d}"
    return f"{days}-{text}" if days else text


def _bsdtime(seconds: int) -> str:
    m, s = divmod(int(seconds), 60)
    return f"{m}:{s:02d}"


def _etime(seconds: int) -> str:
    """procps ELAPSED: ``[[DD-]HH:]MM:SS``."""
    days, h, m, s = _dhms(seconds)
    if days:
        return f"{days}-{h:02d}:{m:02d}:{s:02d}"
    if h:
        return f"{h:02d}:{m:02d}:{s:02d}"
    return f"{m:02d}:{s:02d}"


def _start(ctx, t) -> str:
    age = ctx.now - t.start_time
    tm = _time.gmtime(int(t.start_time))
    if age > 365 * 86400:
        return _time.strftime("%Y", tm)
    if age > 86400:
        return _time.strftime("%b", tm) + f"{tm.tm_mday:02d}"
    return _time.strftime("%H:%M", tm)


def _args(t) -> str:
    if t.state == "Z":
        return f"[{t.comm}] <defunct>"
    if not t.argv:
        return f"[{t.comm}]"
    return " ".join(t.argv)


def _pcpu(ctx, t) -> float:
    elapsed = max(ctx.now - t.start_time, 0)
    if elapsed <= 0:
        return 0.0
    return min(999.0, t.cpu_time * 100.0 / elapsed)


MULTI_THREADED = {"node", "dockerd", "containerd", "containerd-shim", "containerd-shim-runc-v2",
                  "java", "python3", "nginx"}


def _stat(ctx, t) -> str:
    s = (t.state or "?")[:1]
    if t.sid == t.pid and t.pid:
        s += "s"  # a session leader
    if getattr(t, "nlwp", 1) > 1 or (getattr(t, "nlwp", None) is None and t.comm in MULTI_THREADED):
        s += "l"
    if t.tty and s[0] != "Z" and t.tpgid == t.pgid:
        s += "+"  # in the terminal's foreground process group
    return s


# name -> (header, width, align, fn)
FIELDS = {
    "pid": ("PID", 7, ">", lambda c, t: str(t.pid)),
    "ppid": ("PPID", 7, ">", lambda c, t: str(t.ppid)),
    "pgid": ("PGID", 7, ">", lambda c, t: str(t.pgid)),
    "pgrp": ("PGRP", 7, ">", lambda c, t: str(t.pgid)),
    "sid": ("SID", 7, ">", lambda c, t: str(t.sid)),
    "sess": ("SESS", 7, ">", lambda c, t: str(t.sid)),
    "tpgid": ("TPGID", 5, ">", lambda c, t: str(t.tpgid)),
    "uid": ("UID", 5, ">", lambda c, t: str(t.uid)),
    "euid": ("EUID", 5, ">", lambda c, t: str(t.uid)),
    "gid": ("GID", 5, ">", lambda c, t: str(t.gid)),
    "user": ("USER", 8, "<", lambda c, t: _user(c, t.uid)),
    "euser": ("EUSER", 8, "<", lambda c, t: _user(c, t.uid)),
    "uname": ("USER", 8, "<", lambda c, t: _user(c, t.uid)),
    "group": ("GROUP", 8, "<", lambda c, t: c.names.group(t.gid)),
    "comm": ("COMMAND", 15, "<", lambda c, t: t.comm + (" <defunct>" if t.state == "Z" else "")),
    "ucmd": ("CMD", 15, "<", lambda c, t: t.comm),
    "args": ("COMMAND", 27, "<", lambda c, t: _args(t)),
    "command": ("COMMAND", 27, "<", lambda c, t: _args(t)),
    "cmd": ("CMD", 27, "<", lambda c, t: _args(t)),
    "stat": ("STAT", 4, "<", _stat),
    "state": ("S", 1, "<", lambda c, t: (t.state or "?")[:1]),
    "s": ("S", 1, "<", lambda c, t: (t.state or "?")[:1]),
    "tty": ("TT", 8, "<", lambda c, t: t.tty or "?"),
    "tname": ("TTY", 8, "<", lambda c, t: t.tty or "?"),
    "time": ("TIME", 8, ">", lambda c, t: _hms(t.cpu_time)),
    "cputime": ("TIME", 8, ">", lambda c, t: _hms(t.cpu_time)),
    "bsdtime": ("TIME", 6, ">", lambda c, t: _bsdtime(t.cpu_time)),
    "etime": ("ELAPSED", 11, ">", lambda c, t: _etime(c.now - t.start_time)),
    "etimes": ("ELAPSED", 7, ">", lambda c, t: str(int(c.now - t.start_time))),
    "vsz": ("VSZ", 6, ">", lambda c, t: str(t.vsz_kb)),
    "vsize": ("VSZ", 6, ">", lambda c, t: str(t.vsz_kb)),
    "rss": ("RSS", 5, ">", lambda c, t: str(t.rss_kb)),
    "rssize": ("RSS", 5, ">", lambda c, t: str(t.rss_kb)),
    "%cpu": ("%CPU", 4, ">", lambda c, t: f"{_pcpu(c, t):.1f}"),
    "pcpu": ("%CPU", 4, ">", lambda c, t: f"{_pcpu(c, t):.1f}"),
    "%mem": ("%MEM", 4, ">", _pmem),
    "pmem": ("%MEM", 4, ">", _pmem),
    "c": ("C", 2, ">", lambda c, t: str(int(_pcpu(c, t)))),
    "start": ("STARTED", 8, ">", lambda c, t: util.strftime("%H:%M:%S", t.start_time)),
    "start_time": ("START", 5, ">", _start),
    "stime": ("STIME", 5, ">", _start),
    "lstart": ("STARTED", 24, "<", lambda c, t: util.ctime(t.start_time)),
    "nlwp": ("NLWP", 4, ">", lambda c, t: str(getattr(t, "nlwp", 1))),
    "ni": ("NI", 3, ">", lambda c, t: "0"),
    "nice": ("NI", 3, ">", lambda c, t: "0"),
    "pri": ("PRI", 3, ">", lambda c, t: "19"),
    "wchan": ("WCHAN", 6, "<", lambda c, t: "-"),
    "f": ("F", 1, ">", lambda c, t: "4"),
}

FMT_DEFAULT = ["pid", "tname", "time", "ucmd"]
FMT_FULL = [("uid", "UID"), "pid", "ppid", "c", "stime", "tname", "time", "cmd"]
FMT_BSD_U = ["user", "pid", "%cpu", "%mem", "vsz", "rss", ("tname", "TTY"), "stat",
             "start_time", "bsdtime", "command"]
FMT_BSD_DEFAULT = ["pid", "tname", "stat", "bsdtime", "command"]
FMT_LONG = ["f", "s", "uid", "pid", "ppid", "c", "pri", "ni", "vsz", "rss", "wchan", "tname", "time", "cmd"]

# widths procps uses in the -f/-ef layout (UID shown as a left-aligned name)
_OVERRIDE = {("uid", "UID"): ("UID", 8, "<", lambda c, t: _user(c, t.uid)),
             ("tname", "TTY"): ("TTY", 8, "<", lambda c, t: t.tty or "?")}


def _field(spec):
    if isinstance(spec, tuple):
        return _OVERRIDE[spec]
    name, eq, header = spec.partition("=")
    key = name.lower()
    if key not in FIELDS:
        raise util.Fatal(f"error: unknown user-defined format specifier \"{name}\"")
    h, w, a, fn = FIELDS[key]
    if eq:
        h = header
        w = max(w, len(header)) if a == ">" else w
    return (h, w, a, fn)


def _parse_o(text, out):
    for part in text.replace(" ", ",").split(","):
        if part:
            out.append(_field(part))


def _pid_list(text: str) -> set:
    """``-p 1,2`` / ``-p "1 2"``."""
    return {int(p) for p in text.replace(",", " ").split()}


def _option_value(word: str, j: int, args: list, i: int):
    """The value of the option letter before ``word[j]``: the rest of the
    word, or else the next argument ``args[i]`` ("" if there is none).
    Returns (value, index of the next argument to read)."""
    if j < len(word):
        return word[j:], i
    return (args[i] if i < len(args) else ""), i + 1


def _usage_error(what: str) -> util.Fatal:
    return util.Fatal(f"error: {what}\n\n Usage:\n ps [options]\n\n"
                      f" Try 'ps --help <simple|list|output|threads|misc|all>'\n"
                      f"  or 'ps --help <s|l|o|t|m|a>'\n for additional help text.\n\n"
                      f"For more details see ps(1).")


def render(ctx, fields, tasks, headers=True, width=None):
    lines = []
    rows = [[fn(ctx, t) for (_h, _w, _a, fn) in fields] for t in tasks]
    if headers:
        rows.insert(0, [h for (h, _w, _a, _fn) in fields])
    for row in rows:
        parts = []
        carry = 0  # procps shifts the following columns when a value overflows
        for i, (value, (_h, w, a, _fn)) in enumerate(zip(row, fields)):
            last = i == len(fields) - 1
            if last and a == "<":
                parts.append(value)
                continue
            target = max(w - carry, 0)
            cell = value.rjust(target) if a == ">" else value.ljust(target)
            carry = max(0, carry + len(cell) - w)
            parts.append(cell)
        line = " ".join(parts)
        if width:
            line = line[:width]
        lines.append(line)
    return "".join(line + "\n" for line in lines)


async def main(proc, argv) -> int:
    try:
        return await _main(proc, argv)
    except util.Fatal as f:
        await proc.write(2, f"{util.applet_name(argv)}: {f.text}\n")
        return 1


async def _main(proc, argv) -> int:
    args = list(argv[1:])
    all_tasks = False
    mode = "default"  # default | full | bsd_u | bsd | long
    bsd_x = bsd_a = False
    fields: list = []
    pids = None
    users = None
    headers = True
    i = 0
    while i < len(args):
        a = args[i]
        i += 1
        if a.startswith("--"):
            name, _eq, value = a[2:].partition("=")
            if name in ("no-headers", "no-heading"):
                headers = False
            elif name in ("format", "sort", "pid", "user", "cols", "columns", "width", "ppid"):
                if not _eq and i < len(args):
                    value = args[i]
                    i += 1
                if name == "format":
                    _parse_o(value, fields)
                elif name == "pid":
                    pids = _pid_list(value)
            elif name in ("forest", "headers"):
                pass
            else:
                raise _usage_error("unknown gnu long option")
            continue
        if a.startswith("-"):
            j = 1
            while j < len(a):
                c = a[j]
                j += 1
                if c in "eA":
                    all_tasks = True
                elif c == "f":
                    mode = "full"
                elif c == "F":
                    mode = "full"
                elif c == "l":
                    mode = "long"
                elif c in "aNdjHLTwMyZ":
                    if c == "a":
                        all_tasks = True
                elif c in "opuUCgGt":
                    value, i = _option_value(a, j, args, i)
                    j = len(a)
                    if c == "o":
                        _parse_o(value, fields)
                    elif c == "p":
                        pids = _pid_list(value)
                    elif c in "uU":
                        users = set(value.split(","))
                    elif c == "C":
                        users = None
                        fields_c = set(value.split(","))
                        pids = ("comm", fields_c)
                else:
                    raise _usage_error("unsupported SysV option")
            continue
        # BSD-style word: aux, ax, x, u, o LIST, p PID
        j = 0
        while j < len(a):
            c = a[j]
            j += 1
            if c == "a":
                bsd_a = True
            elif c == "x":
                bsd_x = True
            elif c == "u":
                mode = "bsd_u"
            elif c in "wfehcS":
                pass
            elif c == "l":
                mode = "long"
            elif c in "op":
                value, i = _option_value(a, j, args, i)
                j = len(a)
                if c == "o":
                    _parse_o(value, fields)
                else:
                    pids = _pid_list(value)
            else:
                raise _usage_error("unsupported option (BSD syntax)")
        if mode == "default" and not fields:
            mode = "bsd"

    try:
        mem_total_kb = util.meminfo(proc).get("MemTotal", 0)
    except SimError:
        await proc.write(2, BAD_OPEN_MESSAGE)
        return 1
    ctx = PsCtx(proc, mem_total_kb)
    tasks = list(proc.tasks())
    me = next((t for t in tasks if t.pid == proc.pid), None)
    my_tty = me.tty if me else None
    if isinstance(pids, tuple):
        names = pids[1]
        tasks = [t for t in tasks if t.comm in names]
    elif pids is not None:
        tasks = [t for t in tasks if t.pid in pids]
    elif users is not None:
        wanted = {ctx.names.uid(u) for u in users}
        tasks = [t for t in tasks if t.uid in wanted]
    elif all_tasks or (bsd_a and bsd_x):
        pass
    elif bsd_x:
        tasks = [t for t in tasks if t.uid == proc.uid]
    elif bsd_a:
        tasks = [t for t in tasks if t.tty]
    else:
        tasks = [t for t in tasks if t.uid == proc.uid and t.tty == my_tty]

    if not fields:
        spec = {"default": FMT_DEFAULT, "full": FMT_FULL, "bsd_u": FMT_BSD_U,
                "bsd": FMT_BSD_DEFAULT, "long": FMT_LONG}[mode]
        if mode == "default":
            spec = ["pid", ("tname", "TTY"), "time", "ucmd"]
        if mode == "full":
            spec = [("uid", "UID"), "pid", "ppid", "c", "stime", ("tname", "TTY"), "time", "cmd"]
        fields = [_field(s) for s in spec]
    width = util.tty_width(proc) if proc.isatty(1) else None
    await proc.write(1, render(ctx, fields, tasks, headers, width))
    return 0
