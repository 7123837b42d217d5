"""``whoami``: the effective user's name."""

from . import util


@util.run_applet
async def main(proc, argv, gnu):
    util.getopt(argv, "")
    names = util.Names(proc)
    name = names.user_name_or_none(proc.uid)
    if name is None:
        if gnu:
            raise util.Fatal(f"cannot find name for user ID {proc.uid}")
        raise util.Fatal(f"unknown uid {proc.uid}")
    await proc.write(1, name + "\n")
    return 0
