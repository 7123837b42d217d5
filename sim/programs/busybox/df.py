"""``df [-PkmhTa] [PATH]...``: busybox's df.  The mounts are the lines of
/proc/mounts (device, mount point, type); each one's sizes come from
statfs(2) on its mount point (``proc.statfs``).  Filesystems with no
blocks (proc) are skipped unless named or ``-a``; without /proc/mounts df
fails as busybox's does (``df: /proc/mounts: No such file or directory``)."""

import re

from ...errors import SimError
from . import util

MTAB = "/proc/mounts"


def _unmangle(text: str) -> str:
    """Undo /proc/mounts' octal escapes (``\\040`` is a space)."""
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), text)


def _mounts(proc):
    """(device, mount point, type) for each line of /proc/mounts; raises
    SimError when it cannot be read."""
    text = proc.read_file(MTAB).decode(errors="replace")
    result = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 3:
            result.append((_unmangle(parts[0]), _unmangle(parts[1]), parts[2]))
    return result


def _find_mount_point(proc, path):
    """busybox find_mount_point: the entry whose mount point holds
    ``path`` (the deepest one), or None."""
    try:
        real = proc.realpath(path)
        mounts = _mounts(proc)
    except SimError:
        return None
    return max((m for m in mounts if real == m[1] or real.startswith(m[1].rstrip("/") + "/")),
               key=lambda m: len(m[1]), default=None)


@util.run_applet
async def main(proc, argv, gnu):
    opts, paths = util.getopt(argv, "PkmhTaiB:")
    status = 0
    if paths:
        entries = []
        for p in paths:
            entry = _find_mount_point(proc, p)
            if entry is None:
                await util.warn(proc, argv, f"{p}: can't find mount point")
                status = 1
                continue
            entries.append(entry)
    else:
        try:
            entries = _mounts(proc)
        except SimError as e:
            raise util.Fatal(f"{MTAB}: {util.errtext(e)}") from None
    human = "h" in opts
    scale = (1 << 20) if "m" in opts else 1024
    type_col = "Type       " if "T" in opts else ""
    if human:
        lines = [f"Filesystem           {type_col}     Size      Used Available Use% Mounted on"]
    else:
        units = "1M-blocks" if "m" in opts else "1K-blocks"
        lines = [f"Filesystem           {type_col}{units:<15s}Used Available Use% Mounted on"]
    for dev, mnt, fstype in entries:
        try:
            s = proc.statfs(mnt)
        except SimError as e:
            await util.warn(proc, argv, f"{mnt}: {util.errtext(e)}")
            status = 1
            continue
        if not (s.f_blocks > 0 or paths or "a" in opts) or dev == "rootfs":
            continue
        used = s.f_blocks - s.f_bfree
        pct = (used * 100 + (used + s.f_bavail) // 2) // (used + s.f_bavail) if used + s.f_bavail else 0
        line = f"{dev:<20s}"
        if "T" in opts:
            line += f" {fstype:<10s}"
        if human:
            vals = [util.human_size(v * s.f_frsize, 1, 0) for v in (s.f_blocks, used, s.f_bavail)]
            line += f" {vals[0]:>9s} {vals[1]:>9s} {vals[2]:>9s} {pct:3d}% {mnt}"
        else:
            k = [(v * s.f_frsize + scale // 2) // scale for v in (s.f_blocks, used, s.f_bavail)]
            line += f" {k[0]:9d} {k[1]:9d} {k[2]:9d} {pct:3d}% {mnt}"
        lines.append(line)
    await proc.write(1, "\n".join(lines) + "\n")
    return status
