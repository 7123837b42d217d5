"""``tail [-n [+]N|-c [+]N] [-f] [-qv] [-s SECONDS] [FILE]...``."""

from ...errors import Interrupted, SimError
from . import util
from .head import cannot_open, file_header, parse_count


def take_tail(data: bytes, spec: str, by_bytes: bool) -> bytes:
    from_start = spec.startswith("+")
    count = parse_count(spec.lstrip("+-"))
    if by_bytes:
        if from_start:
            return data[max(count - 1, 0):]
        return data[len(data) - count:] if count else b""
    lines = util.split_lines(data)
    if from_start:
        return b"".join(lines[max(count - 1, 0):])
    return b"".join(lines[len(lines) - count:]) if count else b""


@util.run_applet
async def main(proc, argv, gnu):
    args = list(argv)
    # obsolete "tail +N" / "tail -N"
    if len(args) > 1 and args[1][:1] in "+-" and args[1][1:].isdigit():
        args = [args[0], "-n", args[1] if args[1][0] == "+" else args[1][1:]] + args[2:]
    opts, files = util.getopt(args, "n:c:fFqvs:", longopts={"lines=": "n", "bytes=": "c",
                                                            "follow": "f", "quiet": "q"})
    by_bytes = "c" in opts
    spec = opts.get("c") or opts.get("n") or "10"
    follow = "f" in opts or "F" in opts
    interval = float(opts.get("s", "1"))
    files = files or ["-"]
    headers = ("v" in opts or len(files) > 1) and "q" not in opts
    status = 0
    followed = []
    last_header = None
    for i, name in enumerate(files):
        fd = 0
        try:
            if name != "-":
                fd = proc.open(name)
            data = await proc.read_all(fd)
        except SimError as e:
            status = 1
            await cannot_open(proc, argv, gnu, name, e)
            continue
        out = b""
        if headers:
            out = file_header(name, first=i == 0)
            last_header = name
        await proc.write(1, out + take_tail(data, spec, by_bytes))
        if follow and name != "-":
            followed.append((name, fd))
        elif fd:
            proc.close(fd)
    while followed:
        try:
            await proc.sleep(interval)
        except Interrupted:
            proc.take_signals()
        for name, fd in followed:
            data = await proc.read(fd)
            if data:
                if headers and last_header != name:
                    await proc.write(1, file_header(name, first=False))
                    last_header = name
                await proc.write(1, data)
    return status
