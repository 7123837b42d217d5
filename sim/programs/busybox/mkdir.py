"""``mkdir [-p] [-m MODE] DIR...``."""

from ...abi import Errno
from ...errors import SimError
from . import util


@util.run_applet
async def main(proc, argv, gnu):
    opts, dirs = util.getopt(argv, "pvm:", longopts={"parents": "p", "mode=": "m", "verbose": "v"})
    if not dirs:
        raise util.Usage("missing operand" if gnu else "")
    mode = 0o777
    if "m" in opts:
        parsed = util.parse_mode(opts["m"], 0o777 & ~proc.umask, 0, True)
        if parsed is None:
            raise util.Fatal(f"invalid mode '{opts['m']}'")
        mode = parsed
    status = 0
    for d in dirs:
        targets = [d]
        if "p" in opts:
            parts = [p for p in d.split("/") if p]
            prefix = "/" if d.startswith("/") else ""
            targets = []
            for i in range(1, len(parts) + 1):
                targets.append(prefix + "/".join(parts[:i]))
        for i, path in enumerate(targets):
            last = i == len(targets) - 1
            try:
                proc.mkdir(path, mode if last else 0o777)
                if "m" in opts and last:
                    proc.chmod(path, mode)
                if "v" in opts:
                    await proc.write(1, f"mkdir: created directory '{path}'\n")
            except SimError as e:
                if "p" in opts and e.errno_value == Errno.EEXIST and util.is_dir(proc, path):
                    continue
                status = 1
                verb = "cannot" if gnu else "can't"
                await util.warn(proc, argv, f"{verb} create directory '{path}': {util.errtext(e)}")
                break
    return status
