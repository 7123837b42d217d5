"""``dirname PATH...``."""

from . import util


def dirname(path: str) -> str:
    p = path.rstrip("/")
    if not p:
        return "/" if path.startswith("/") else "."
    if "/" not in p:
        return "."
    d = p.rsplit("/", 1)[0].rstrip("/")
    return d or "/"


@util.run_applet
async def main(proc, argv, gnu):
    _opts, args = util.getopt(argv, "z")
    if not args:
        raise util.Usage("missing operand" if gnu else "")
    await proc.write(1, "".join(dirname(a) + "\n" for a in args))
    return 0
