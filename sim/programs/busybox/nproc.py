"""``nproc [--all] [--ignore=N]``: the kernel's CPU count (get_nprocs(3),
which proc.sysinfo() reports as ``ncpu``)."""

from . import util


def cpu_count(proc) -> int:
    """The CPUs of the simulated machine."""
    return proc.sysinfo()["ncpu"]


@util.run_applet
async def main(proc, argv, gnu):
    opts, _ = util.getopt(argv, "", longopts={"all": "all", "ignore=": "ignore"})
    n = cpu_count(proc) - int(opts.get("ignore", 0))
    await proc.write(1, f"{max(n, 1)}\n")
    return 0
