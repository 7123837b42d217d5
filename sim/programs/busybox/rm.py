"""``rm [-rRfiv] FILE...``."""

import posixpath

from ...abi import Errno, S_ISDIR
from ...errors import SimError
from . import util


async def remove(proc, argv, path, opts, gnu) -> bool:
    """Remove ``path`` (a directory with all it holds under -r), saying
    why not on stderr; True if it is gone."""

    async def cannot(err: SimError) -> bool:
        verb = "cannot" if gnu else "can't"
        await util.warn(proc, argv, f"{verb} remove '{path}': {util.errtext(err)}")
        return False

    try:
        st = proc.lstat(path)
    except SimError as e:
        if "f" in opts and e.errno_value == Errno.ENOENT:
            return True
        return await cannot(e)
    if S_ISDIR(st.mode):
        if "r" not in opts and "R" not in opts:
            if gnu:
                await util.warn(proc, argv, f"cannot remove '{path}': Is a directory")
            else:
                await util.warn(proc, argv, f"'{path}' is a directory")
            return False
        ok = True
        try:
            names = proc.listdir(path)
        except SimError as e:
            return await cannot(e)
        for name in names:
            ok = await remove(proc, argv, util.join_path(path, name), opts, gnu) and ok
            await proc.checkpoint()
        if not ok:
            return False
        unlink = proc.rmdir
        done = f"removed directory '{path}'" if gnu else f"removed directory: '{path}'"
    else:
        unlink = proc.unlink
        done = f"removed '{path}'"
    try:
        unlink(path)
    except SimError as e:
        return await cannot(e)
    if "v" in opts:
        await proc.write(1, done + "\n")
    return True


@util.run_applet
async def main(proc, argv, gnu):
    opts, files = util.getopt(argv, "rRfiv", longopts={"recursive": "r", "force": "f",
                                                       "verbose": "v", "no-preserve-root": "npr"})
    if not files:
        if "f" in opts:
            return 0
        raise util.Usage("missing operand" if gnu else "")
    status = 0
    for f in files:
        base = posixpath.basename(f.rstrip("/"))
        if base in (".", ".."):
            await util.warn(proc, argv, f"refusing to remove '.' or '..' directory: skipping '{f}'"
                            if gnu else f"can't remove '{f}'")
            status = 1
            continue
        if not await remove(proc, argv, f, opts, gnu):
            status = 1
    return status
