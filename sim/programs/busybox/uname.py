"""``uname [-asnrvmpio]``."""

from . import util


@util.run_applet
async def main(proc, argv, gnu):
    opts, _ = util.getopt(argv, "asnrvmpio", longopts={
        "all": "a", "kernel-name": "s", "nodename": "n", "kernel-release": "r",
        "kernel-version": "v", "machine": "m", "processor": "p", "hardware-platform": "i",
        "operating-system": "o"})
    u = proc.uname()
    fields = {"s": u.sysname, "n": u.nodename, "r": u.release, "v": u.version,
              "m": u.machine, "p": "unknown", "i": "unknown", "o": "GNU/Linux"}
    if "a" in opts:
        wanted = [k for k in "snrvmo"]
        wanted += [k for k in "pi" if k in opts]
        wanted.sort(key="snrvmpio".index)
    else:
        wanted = [k for k in "snrvmpio" if k in opts] or ["s"]
    await proc.write(1, " ".join(fields[k] for k in wanted) + "\n")
    return 0
