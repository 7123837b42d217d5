"""``nproc [--all] [--ignore=N]``."""

from . import util

CPUS = 2  # the simulated machine


def cpu_count(proc) -> int:
    count = getattr(proc, "cpu_count", None)
    if callable(count):
        return count()
    if isinstance(count, int):
        return count
    return CPUS


@util.run_applet
async def main(proc, argv, gnu):
    opts, _ = util.getopt(argv, "", longopts={"all": "all", "ignore=": "ignore"})
    n = cpu_count(proc) - int(opts.get("ignore", 0))
    await proc.write(1, f"{max(n, 1)}\n")
    return 0
