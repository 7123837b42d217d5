"""``mv [-finTv] SOURCE... DEST`` (copy and remove across mounts)."""

import posixpath

from ...abi import Errno
from ...errors import SimError
from . import util
from .cp import copy_paths
from .rm import remove


@util.run_applet
async def main(proc, argv, gnu):
    opts, args = util.getopt(argv, "finTvu", longopts={"force": "f", "no-clobber": "n",
                                                       "verbose": "v", "no-target-directory": "T"})
    if len(args) < 2:
        if gnu:
            raise util.Usage("missing file operand" if not args
                             else f"missing destination file operand after '{args[0]}'")
        raise util.Usage()
    *sources, dest = args
    dest_dir = util.is_dir(proc, dest) and "T" not in opts
    if len(sources) > 1 and not dest_dir:
        raise util.Fatal(f"target '{dest}' is not a directory" if gnu else f"'{dest}' is not a directory")
    status = 0
    for src in sources:
        target = util.join_path(dest, posixpath.basename(src.rstrip("/"))) if dest_dir else dest
        if "n" in opts and util.exists(proc, target):
            continue
        try:
            proc.lstat(src)
        except SimError as e:
            status = 1
            await util.warn(proc, argv, f"cannot stat '{src}': {util.errtext(e)}" if gnu
                            else f"can't stat '{src}': {util.errtext(e)}")
            continue
        try:
            proc.rename(src, target)
        except SimError as e:
            if e.errno_value == Errno.EXDEV:
                code = await copy_paths(proc, argv, {"a": 1}, gnu, [src], target)
                if code == 0 and await remove(proc, argv, src, {"r": 1, "f": 1}, gnu):
                    continue
                status = 1
                continue
            status = 1
            await util.warn(proc, argv, f"cannot move '{src}' to '{target}': {util.errtext(e)}" if gnu
                            else f"can't rename '{src}': {util.errtext(e)}")
            continue
        if "v" in opts:
            await proc.write(1, f"renamed '{src}' -> '{target}'\n" if gnu else f"'{src}' -> '{target}'\n")
    return status
