"""``sh`` / ``ash``: the shell lives in `sim.programs.shell`; imported lazily
so busybox does not depend on it at import time."""


async def main(proc, argv, gnu=False):
    from ..shell import sh_main

    return await sh_main(proc, argv)
