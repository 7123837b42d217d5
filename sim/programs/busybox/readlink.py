"""``readlink [-fenvq] FILE``."""

from ...errors import SimError
from . import util
from .realpath import resolve


@util.run_applet
async def main(proc, argv, gnu):
    opts, paths = util.getopt(argv, "fenvqsmz", longopts={"canonicalize": "f",
                                                          "canonicalize-existing": "e",
                                                          "no-newline": "n", "verbose": "v"})
    if not paths:
        raise util.Usage("missing operand" if gnu else "")
    end = "" if "n" in opts else "\n"
    status = 0
    out = []
    for p in paths:
        try:
            if "f" in opts or "e" in opts or "m" in opts:
                out.append(resolve(proc, p, "e" not in opts) + end)
            else:
                out.append(proc.readlink(p) + end)
        except SimError as e:
            status = 1
            if "v" in opts:
                await util.warn(proc, argv, f"{p}: {util.errtext(e)}")
    await proc.write(1, "".join(out))
    return status
