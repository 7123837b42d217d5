"""``pwd [-LP]``: the working directory (``$PWD`` with -L when it is
accurate)."""

from ...errors import SimError
from . import util


@util.run_applet
async def main(proc, argv, gnu):
    opts, _ = util.getopt(argv, "LP")
    cwd = proc.cwd
    if "L" in opts:
        pwd = proc.env.get("PWD")
        if pwd and pwd.startswith("/"):
            try:
                if proc.realpath(pwd) == proc.realpath(cwd):
                    cwd = pwd
            except SimError:
                pass
    await proc.write(1, cwd + "\n")
    return 0
