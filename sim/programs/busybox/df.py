"""``df [-hkmPT] [PATH]...``: the root overlay and the mounts in
/proc/mounts when the kernel provides it."""

from ...errors import SimError
from . import util

#: (device, type, mountpoint, 1K-blocks, used) when /proc/mounts is absent
DEFAULT_MOUNTS = [
    ("overlay", "overlay", "/", 61202244, 9445344),
    ("tmpfs", "tmpfs", "/dev", 65536, 0),
    ("shm", "tmpfs", "/dev/shm", 65536, 0),
]
SIZES = {"overlay": (61202244, 9445344), "tmpfs": (65536, 0), "shm": (65536, 0)}


def _mounts(proc):
    try:
        text = proc.read_file("/proc/mounts").decode(errors="replace")
    except SimError:
        return DEFAULT_MOUNTS
    result = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) < 3 or parts[2] in ("proc", "sysfs", "cgroup", "cgroup2", "devpts", "mqueue"):
            continue
        blocks, used = SIZES.get(parts[0], SIZES.get(parts[2], (61202244, 9445344)))
        result.append((parts[0], parts[2], parts[1], blocks, used))
    return result or DEFAULT_MOUNTS


@util.run_applet
async def main(proc, argv, gnu):
    opts, paths = util.getopt(argv, "PkmhTaiB:")
    mounts = _mounts(proc)
    if paths:
        chosen = []
        for p in paths:
            try:
                real = proc.realpath(p)
            except SimError as e:
                await util.warn(proc, argv, f"{p}: {util.errtext(e)}")
                continue
            best = max((m for m in mounts if real == m[2] or real.startswith(m[2].rstrip("/") + "/")),
                       key=lambda m: len(m[2]), default=None)
            if best:
                chosen.append(best)
        mounts = chosen
    human = "h" in opts
    unit = 1024 if "m" in opts else 1
    type_col = "Type       " if "T" in opts else ""
    if human:
        lines = [f"Filesystem           {type_col}     Size      Used Available Use% Mounted on"]
    else:
        units = "1M-blocks" if "m" in opts else "1K-blocks"
        lines = [f"Filesystem           {type_col}{units:<15s}Used Available Use% Mounted on"]
    for dev, fstype, mnt, blocks, used in mounts:
        avail = blocks - used
        pct = (used * 100 + (used + avail) - 1) // (used + avail) if used + avail else 0
        line = f"{dev:<20s}"
        if "T" in opts:
            line += f" {fstype:<10s}"
        if human:
            vals = [util.human_size(v, 1024, 0) for v in (blocks, used, avail)]
            line += f" {vals[0]:>9s} {vals[1]:>9s} {vals[2]:>9s} {pct:3d}% {mnt}"
        else:
            line += f" {blocks // unit:9d} {used // unit:9d} {avail // unit:9d} {pct:3d}% {mnt}"
        lines.append(line)
    await proc.write(1, "\n".join(lines) + "\n")
    return 0
