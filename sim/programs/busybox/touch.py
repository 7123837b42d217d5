"""``touch [-c] [-d DATE] [-r FILE] [-t STAMP] FILE...``."""

from ...abi import O_CREAT, O_WRONLY
from ...errors import SimError
from . import util


@util.run_applet
async def main(proc, argv, gnu):
    opts, files = util.getopt(argv, "cd:t:r:amh", longopts={"no-create": "c", "date=": "d",
                                                            "reference=": "r"})
    if not files:
        raise util.Usage("missing file operand" if gnu else "")
    mtime = None
    if "r" in opts:
        try:
            mtime = proc.stat(opts["r"]).mtime
        except SimError as e:
            raise util.Fatal(f"{opts['r']}: {util.errtext(e)}") from None
    when = opts.get("d") or opts.get("t")
    if when is not None:
        if "t" in opts and when.replace(".", "").isdigit():
            stamp = when
            secs = "00"
            if "." in stamp:
                stamp, secs = stamp.split(".", 1)
            if len(stamp) == 8:
                stamp = util.strftime("%Y", proc.time()) + stamp
            elif len(stamp) == 10:
                stamp = "20" + stamp
            mtime = util.file_mtime_arg(f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:8]} "
                                        f"{stamp[8:10]}:{stamp[10:12]}:{secs}")
        else:
            mtime = util.file_mtime_arg(when)
        if mtime is None:
            raise util.Fatal(f"invalid date '{when}'")
    status = 0
    for f in files:
        try:
            proc.utime(f, mtime)
            continue
        except SimError:
            pass
        if "c" in opts:
            continue
        try:
            fd = proc.open(f, O_WRONLY | O_CREAT, 0o666)
            proc.close(fd)
            if mtime is not None:
                proc.utime(f, mtime)
        except SimError as e:
            status = 1
            if gnu:
                await util.warn(proc, argv, f"cannot touch '{f}': {util.errtext(e)}")
            else:
                await util.warn(proc, argv, f"{f}: {util.errtext(e)}")
    return status
