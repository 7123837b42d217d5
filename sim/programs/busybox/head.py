"""``head [-n N|-c N] [-qv] [FILE]...`` (``-N`` too; negative N prints all
but the last N)."""

from ...abi import text_bytes
from ...errors import SimError
from . import util

_SUFFIX = {"b": 512, "k": 1024, "m": 1024 * 1024}


def parse_count(text: str):
    t = text
    mult = 1
    if t and t[-1] in _SUFFIX:
        mult = _SUFFIX[t[-1]]
        t = t[:-1]
    try:
        return int(t) * mult
    except ValueError:
        raise util.Fatal(f"invalid number '{text}'") from None


def take(data: bytes, count: int, by_bytes: bool) -> bytes:
    if by_bytes:
        return data[:count] if count >= 0 else data[:max(0, len(data) + count)]
    lines = util.split_lines(data)
    return b"".join(lines[:count] if count >= 0 else lines[:max(0, len(lines) + count)])


def file_header(name: str, first: bool) -> bytes:
    """The ``==> NAME <==`` line head and tail put above each file when
    there are several (or with -v), after a blank line unless it is the
    first."""
    shown = "standard input" if name == "-" else name
    return (b"" if first else b"\n") + text_bytes(f"==> {shown} <==\n")


async def cannot_open(proc, argv, gnu, name: str, err: SimError) -> None:
    """The warning head and tail give for a file they cannot read."""
    if gnu:
        await util.warn(proc, argv, f"cannot open '{name}' for reading: {util.errtext(err)}")
    else:
        await util.warn(proc, argv, f"can't open '{name}': {util.errtext(err)}")


@util.run_applet
async def main(proc, argv, gnu):
    opts, files = util.getopt(argv, "n:c:qv", numeric="num",
                              longopts={"lines=": "n", "bytes=": "c", "quiet": "q", "verbose": "v"})
    by_bytes = "c" in opts
    count = parse_count(opts.get("c") or opts.get("n") or opts.get("num") or "10")
    files = files or ["-"]
    headers = ("v" in opts or len(files) > 1) and "q" not in opts
    status = 0
    first = True
    for name in files:
        try:
            if count < 0:
                data = await util.read_input(proc, name)
            elif by_bytes:
                data = await util.read_prefix(proc, name, lambda d: len(d) >= count)
            else:
                data = await util.read_prefix(proc, name, lambda d: d.count(b"\n") >= count)
        except SimError as e:
            status = 1
            await cannot_open(proc, argv, gnu, name, e)
            continue
        out = file_header(name, first) if headers else b""
        first = False
        await proc.write(1, out + take(data, count, by_bytes))
    return status
