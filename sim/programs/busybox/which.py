"""``which [-a] COMMAND...``: search ``$PATH``; exit 1 if any is missing."""

from ...abi import X_OK
from . import util


@util.run_applet
async def main(proc, argv, gnu):
    opts, names = util.getopt(argv, "a")
    if not names:
        return 1
    path = proc.env.get("PATH", "/sbin:/usr/sbin:/bin:/usr/bin")
    status = 0
    out = []
    for name in names:
        found = False
        candidates = [name] if "/" in name else [util.join_path(d or ".", name) for d in path.split(":")]
        for c in candidates:
            if util.exists(proc, c, follow=True) and not util.is_dir(proc, c) and proc.access(c, X_OK):
                out.append(c + "\n")
                found = True
                if "a" not in opts:
                    break
        if not found:
            status = 1
    await proc.write(1, "".join(out))
    return status
