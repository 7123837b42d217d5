"""``date [-uR] [-I[SPEC]] [-d TIME] [-r FILE] [+FORMAT]`` (the simulation's
clock, always UTC)."""

from ...errors import SimError
from . import util

DEFAULT_FORMAT = "%a %b %e %H:%M:%S %Z %Y"


@util.run_applet
async def main(proc, argv, gnu):
    opts, args = util.getopt(argv, "uRI::d:D:r:s:", longopts={
        "utc": "u", "universal": "u", "date=": "d", "reference=": "r", "rfc-2822": "R",
        "rfc-email": "R", "iso-8601": "I", "iso-8601=": "I", "set=": "s"})
    now = proc.time()
    if "r" in opts:
        try:
            now = proc.stat(opts["r"]).mtime
        except SimError as e:
            raise util.Fatal(f"{opts['r']}: {util.errtext(e)}") from None
    if "d" in opts:
        t = util.file_mtime_arg(opts["d"])
        if t is None:
            when = opts["d"].strip().lower()
            if when in ("now", "today", ""):
                t = now
            elif when == "yesterday":
                t = now - 86400
            elif when == "tomorrow":
                t = now + 86400
            else:
                raise util.Fatal(f"invalid date '{opts['d']}'")
        now = t
    fmt = DEFAULT_FORMAT
    if "R" in opts:
        fmt = "%a, %d %b %Y %H:%M:%S +0000"
    if "I" in opts:
        spec = opts["I"] if isinstance(opts["I"], str) else ""
        fmt = {"": "%Y-%m-%d", "date": "%Y-%m-%d", "hours": "%Y-%m-%dT%H+00:00",
               "minutes": "%Y-%m-%dT%H:%M+00:00", "seconds": "%Y-%m-%dT%H:%M:%S+00:00",
               "ns": "%Y-%m-%dT%H:%M:%S,%N+00:00"}.get(spec)
        if fmt is None:
            raise util.Fatal(f"invalid argument '{spec}' for '--iso-8601'")
    for a in args:
        if a.startswith("+"):
            fmt = a[1:]
        else:
            if "s" in opts:
                continue
            raise util.Fatal("can't set date: Operation not permitted" if not gnu
                             else "cannot set date: Operation not permitted")
    if "s" in opts:
        raise util.Fatal("can't set date: Operation not permitted" if not gnu
                         else "cannot set date: Operation not permitted")
    await proc.write(1, util.strftime(fmt, now) + "\n")
    return 0
