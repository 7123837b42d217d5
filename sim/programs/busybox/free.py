"""``free [-bkmgh]``: busybox's layout (``%12s`` columns)."""

from . import util


@util.run_applet
async def main(proc, argv, gnu):
    unit = 1024
    if len(argv) > 1 and argv[1].startswith("-"):
        flag = argv[1][1:2]
        units = {"b": 1, "k": 1024, "m": 1 << 20, "g": 1 << 30, "h": 0}
        if flag not in units:
            raise util.Usage(f"invalid option -- '{flag}'")
        unit = units[flag]
    m = util.meminfo(proc)
    total = m["MemTotal"] * 1024
    free = m["MemFree"] * 1024
    cached = (m["Cached"] + m["Buffers"] + m.get("SReclaimable", 0)) * 1024
    available = m.get("MemAvailable", m["MemFree"]) * 1024
    shared = m.get("Shmem", 0) * 1024
    swap_total = m.get("SwapTotal", 0) * 1024
    swap_free = m.get("SwapFree", 0) * 1024

    def scale(v):
        if unit == 0:
            return util.human_size(v, 1, 0)
        return str(v // unit)

    cols = ["total", "used", "free", "shared", "buff/cache", "available"]
    text = "       " + "".join(f"{c:>12s}" for c in cols) + "\n"
    text += "Mem:   " + "".join(f"{scale(v):>12s}" for v in (
        total, total - cached - free, free, shared, cached, available)) + "\n"
    text += "Swap:  " + "".join(f"{scale(v):>12s}" for v in (
        swap_total, swap_total - swap_free, swap_free)) + "\n"
    await proc.write(1, text)
    return 0
