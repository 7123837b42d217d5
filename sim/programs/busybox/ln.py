"""``ln [-sfnTv] TARGET LINK`` / ``ln [-sf] TARGET... DIR``."""

import posixpath

from ...abi import Errno
from ...errors import SimError
from . import util


@util.run_applet
async def main(proc, argv, gnu):
    opts, args = util.getopt(argv, "sfnTvbS:", longopts={"symbolic": "s", "force": "f",
                                                         "no-dereference": "n", "verbose": "v"})
    if not args:
        raise util.Usage("missing file operand" if gnu else "")
    if len(args) == 1:
        args.append(".")
    *targets, dest = args
    dest_is_dir = "T" not in opts and (util.is_dir(proc, dest) if "n" not in opts
                                       else util.is_dir(proc, dest) and not _is_link(proc, dest))
    if len(targets) > 1 and not dest_is_dir:
        raise util.Fatal(f"target '{dest}' is not a directory" if gnu else f"{dest}: Not a directory")
    status = 0
    for target in targets:
        link = util.join_path(dest, posixpath.basename(target.rstrip("/"))) if dest_is_dir else dest
        try:
            if "f" in opts:
                try:
                    proc.unlink(link)
                except SimError as e:
                    if e.errno_value not in (Errno.ENOENT,):
                        raise
            if "s" in opts:
                proc.symlink(target, link)
            else:
                proc.link(target, link)
            if "v" in opts:
                await proc.write(1, f"'{link}' -> '{target}'\n")
        except SimError as e:
            status = 1
            if gnu:
                kind = "symbolic link" if "s" in opts else "hard link"
                await util.warn(proc, argv, f"failed to create {kind} '{link}': {util.errtext(e)}")
            else:
                await util.warn(proc, argv, f"{link}: {util.errtext(e)}")
    return status


def _is_link(proc, path) -> bool:
    try:
        return (proc.lstat(path).mode & 0o170000) == 0o120000
    except SimError:
        return False
