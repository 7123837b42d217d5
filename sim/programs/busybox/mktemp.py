"""``mktemp [-dqtu] [-p DIR] [TEMPLATE]``."""

import hashlib

from ...abi import O_CREAT, O_EXCL, O_RDWR, text_bytes
from ...errors import SimError
from . import util

_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def _fill(template: str, seed: str) -> str:
    n = len(template) - len(template.rstrip("X"))
    digest = hashlib.sha256(text_bytes(seed)).digest()
    return template[:len(template) - n] + "".join(_CHARS[b % len(_CHARS)] for b in digest[:n])


@util.run_applet
async def main(proc, argv, gnu):
    opts, args = util.getopt(argv, "dqtup:", longopts={"directory": "d", "quiet": "q",
                                                       "dry-run": "u", "tmpdir=": "p"})
    template = args[0] if args else "tmp.XXXXXX"
    if not template.endswith("XXXXXX") and not template.endswith("XXX"):
        raise util.Fatal(f"too few X's in template '{template}'" if gnu else "Invalid argument")
    directory = None
    if "p" in opts or "t" in opts or not args:
        directory = opts.get("p") or proc.env.get("TMPDIR") or "/tmp"
    if directory and "/" not in template or (directory and "p" in opts):
        template = util.join_path(directory, template)
    for attempt in range(100):
        path = _fill(template, f"{proc.pid}:{proc.time()}:{attempt}:{template}")
        if "u" in opts:
            break
        try:
            if "d" in opts:
                proc.mkdir(path, 0o700)
            else:
                proc.close(proc.open(path, O_RDWR | O_CREAT | O_EXCL, 0o600))
            break
        except SimError as e:
            if e.errno_value.name == "EEXIST":
                continue
            if "q" not in opts:
                await util.warn(proc, argv, f"failed to create {'directory' if 'd' in opts else 'file'} "
                                f"via template '{template}': {util.errtext(e)}" if gnu
                                else f"{util.errtext(e)}")
            return 1
    await proc.write(1, path + "\n")
    return 0
