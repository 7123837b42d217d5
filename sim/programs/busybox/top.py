"""busybox ``top [-b] [-n COUNT] [-d SECONDS]``: the ``Mem:``/``CPU:``/
``Load average:`` header and ``PID PPID USER STAT VSZ %VSZ CPU %CPU
COMMAND`` table from ``proc.tasks()``, sorted by CPU use.

As busybox does, the ``Mem:`` line comes from /proc/meminfo and ``Load
average:`` is /proc/loadavg as it reads; the ``CPU:`` line is the CPU time
the tasks used since the previous frame over the machine's capacity.
Without /proc it fails the way busybox's top does."""

from ...abi import S_ISDIR
from ...errors import Interrupted, SimError
from . import util
from .nproc import cpu_count
from .ps import cmdline, state_column


def _frame(proc, prev, interval) -> str:
    names = util.Names(proc)
    try:
        m = util.meminfo(proc)
    except SimError as e:
        raise util.Fatal(f"can't open 'meminfo': {util.errtext(e)}") from None
    try:
        loadavg = proc.read_file("/proc/loadavg").decode(errors="replace").split("\n")[0]
    except SimError:
        loadavg = ""  # busybox ignores a failed read here
    total_kb = m.get("MemTotal") or 1
    tasks = list(proc.tasks())
    ncpu = cpu_count(proc)
    busy = {}
    for t in tasks:
        before = prev.get(t.pid)
        busy[t.pid] = max(0.0, t.cpu_time - before) if before is not None else 0.0
    capacity = max(interval, 1e-9) * ncpu
    total_busy = sum(busy.values())
    usr = min(100, int(total_busy * 100 / capacity)) if interval else 0
    mfree = m.get("MemFree", 0)
    header = [
        f"Mem: {m.get('MemTotal', 0) - mfree}K used, {mfree}K free, "
        f"{m.get('Shmem', 0)}K shrd, {m.get('Buffers', 0)}K buff, {m.get('Cached', 0)}K cached",
        f"CPU: {usr:3d}% usr   0% sys   0% nic {100 - usr:3d}% idle   0% io   0% irq   0% sirq",
        f"Load average: {loadavg}",
    ]
    lines = ["\n".join(header) + "\n", "  PID  PPID USER     STAT   VSZ %VSZ CPU %CPU COMMAND"]
    ordered = sorted(tasks, key=lambda t: -busy[t.pid])
    for t in ordered:
        ppu = f"{t.pid:5d} {t.ppid:5d} {names.user(t.uid)[:8]:<8s}"
        if len(ppu) > 20:
            ppu = f"{t.pid} {t.ppid} {names.user(t.uid)}"[:20]
        pvsz = (t.vsz_kb * 100 + total_kb // 2) // total_kb
        pcpu = int(busy[t.pid] * 100 / capacity + 0.5) if interval else 0
        lines.append(f"\n{ppu} {state_column(t)}  {util.smart_ulltoa5(t.vsz_kb)}{pvsz:4d}%"
                     f" {0:3d}{pcpu:4d}% {cmdline(t)}")
    return "".join(lines) + "\n"


@util.run_applet
async def main(proc, argv, gnu):
    opts, _ = util.getopt(argv, "bn:d:m:s:o:HS")
    batch = "b" in opts or not proc.isatty(1)
    count = util.parse_int(opts["n"]) if "n" in opts else None
    delay = float(opts.get("d", "5"))
    try:
        is_dir = S_ISDIR(proc.stat("/proc").mode)
    except SimError as e:
        raise util.Fatal(f"can't change directory to '/proc': {util.errtext(e)}") from None
    if not is_dir:
        raise util.Fatal("can't change directory to '/proc': Not a directory")
    prev = {}
    interval = 0.0
    shown = 0
    while True:
        frame = _frame(proc, prev, interval)
        if not batch:
            frame = "\x1b[H\x1b[J" + frame
        await proc.write(1, frame)
        shown += 1
        if count is not None and shown >= count:
            return 0
        prev = {t.pid: t.cpu_time for t in proc.tasks()}
        try:
            await proc.sleep(delay)
        except Interrupted:
            proc.take_signals()
            return 0
        interval = delay
