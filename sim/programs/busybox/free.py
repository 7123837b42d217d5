"""``free [-bkmgh]``: busybox's layout (``%12s`` columns).

As busybox does, total, free, shared and buffers come from sysinfo(2) and
Cached, SReclaimable and MemAvailable from /proc/meminfo; without /proc the
applet fails (``free: can't open '/proc/meminfo': …``)."""

from ...errors import SimError
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
    info = proc.sysinfo()
    try:
        m = util.meminfo(proc)
    except SimError as e:
        raise util.Fatal(f"can't open '/proc/meminfo': {util.errtext(e)}") from None
    mem_unit = info["mem_unit"]
    total = info["totalram"] * mem_unit
    free = info["freeram"] * mem_unit
    cached = (m.get("Cached", 0) + m.get("SReclaimable", 0)) * 1024 + info["bufferram"] * mem_unit
    available = m.get("MemAvailable", 0) * 1024
    shared = info["sharedram"] * mem_unit
    swap_total = info["totalswap"] * mem_unit
    swap_free = info["freeswap"] * mem_unit

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
