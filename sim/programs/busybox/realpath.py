"""``realpath FILE...``: the last component may be missing."""

import posixpath

from ...abi import Errno
from ...errors import SimError
from . import util


def resolve(proc, path: str, missing_last_ok: bool = True) -> str:
    """Canonical absolute path; raises SimError when a directory part is
    missing (or the file itself, unless ``missing_last_ok``)."""
    try:
        return proc.realpath(path)
    except SimError as e:
        if not missing_last_ok or e.errno_value != Errno.ENOENT:
            raise
        head, tail = posixpath.split(path.rstrip("/") or "/")
        if tail in ("", ".", ".."):
            raise
        parent = proc.realpath(head or ".")
        return util.join_path(parent, tail)


@util.run_applet
async def main(proc, argv, gnu):
    opts, paths = util.getopt(argv, "eemsqz", longopts={"canonicalize-existing": "e", "quiet": "q"})
    if not paths:
        raise util.Usage("missing operand" if gnu else "")
    status = 0
    out = []
    for p in paths:
        try:
            out.append(resolve(proc, p, "e" not in opts) + "\n")
        except SimError as e:
            status = 1
            if "q" not in opts:
                await util.warn(proc, argv, f"{p}: {util.errtext(e)}")
    await proc.write(1, "".join(out))
    return status
