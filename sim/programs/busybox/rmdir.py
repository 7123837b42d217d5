"""``rmdir [-p] DIR...``."""

import posixpath

from ...errors import SimError
from . import util


@util.run_applet
async def main(proc, argv, gnu):
    opts, dirs = util.getopt(argv, "pv", longopts={"parents": "p", "ignore-fail-on-non-empty": "ignore"})
    if not dirs:
        raise util.Usage("missing operand" if gnu else "")
    status = 0
    for d in dirs:
        path = d.rstrip("/") or "/"
        while True:
            try:
                proc.rmdir(path)
            except SimError as e:
                if "ignore" in opts and e.errno_value.name == "ENOTEMPTY":
                    break
                status = 1
                if gnu:
                    await util.warn(proc, argv, f"failed to remove '{path}': {util.errtext(e)}")
                else:
                    await util.warn(proc, argv, f"'{path}': {util.errtext(e)}")
                break
            if "p" not in opts:
                break
            path = posixpath.dirname(path)
            if path in ("", "/", "."):
                break
    return status
