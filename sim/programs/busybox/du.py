"""``du [-aHLdhskmcx] [-d N] [FILE]...``: 1 KiB units of 4 KiB blocks."""

import stat as _s

from ...errors import SimError
from . import util


def _kib(st) -> int:
    if _s.S_ISREG(st.mode) or _s.S_ISDIR(st.mode):
        return -(-st.size // 4096) * 4 if st.size else (4 if _s.S_ISDIR(st.mode) else 0)
    return 0


@util.run_applet
async def main(proc, argv, gnu):
    opts, paths = util.getopt(argv, "aHLd:hskmcxl", longopts={"max-depth=": "d", "summarize": "s",
                                                              "human-readable": "h", "total": "c"})
    max_depth = 0 if "s" in opts else (int(opts["d"]) if "d" in opts else None)
    lines = []
    status = 0

    def fmt(kib):
        if "h" in opts:
            return util.human_size(kib, 1024, 0)
        if "m" in opts:
            return str(-(-kib // 1024))
        return str(kib)

    async def walk(path, depth):
        nonlocal status
        try:
            st = proc.stat(path) if "L" in opts else proc.lstat(path)
        except SimError as e:
            status = 1
            await util.warn(proc, argv, f"{path}: {util.errtext(e)}" if not gnu
                            else f"cannot access '{path}': {util.errtext(e)}")
            return 0
        total = _kib(st)
        if _s.S_ISDIR(st.mode):
            try:
                names = proc.listdir(path)
            except SimError as e:
                status = 1
                await util.warn(proc, argv, f"{path}: {util.errtext(e)}")
                names = []
            for n in names:
                total += await walk(util.join_path(path, n), depth + 1)
            if max_depth is None or depth <= max_depth:
                lines.append(f"{fmt(total)}\t{path}\n")
        elif depth == 0 or ("a" in opts and (max_depth is None or depth <= max_depth)):
            lines.append(f"{fmt(total)}\t{path}\n")
        await proc.checkpoint()
        return total

    grand = 0
    for p in paths or ["."]:
        grand += await walk(p, 0)
    if "c" in opts:
        lines.append(f"{fmt(grand)}\ttotal\n")
    await proc.write(1, "".join(lines))
    return status
