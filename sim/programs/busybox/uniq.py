"""``uniq [-cdui] [-f N] [-s N] [-w N] [INPUT [OUTPUT]]``."""

from ...errors import SimError
from . import util


@util.run_applet
async def main(proc, argv, gnu):
    opts, args = util.getopt(argv, "cduif:s:w:z", longopts={
        "count": "c", "repeated": "d", "unique": "u", "ignore-case": "i",
        "skip-fields=": "f", "skip-chars=": "s", "check-chars=": "w"})
    skip_fields = int(opts.get("f", 0))
    skip_chars = int(opts.get("s", 0))
    width = int(opts["w"]) if "w" in opts else None
    name = args[0] if args else "-"
    try:
        data = await util.read_input(proc, name)
    except SimError as e:
        raise util.Fatal(f"{name}: {util.errtext(e)}" if gnu else f"can't open '{name}': {util.errtext(e)}") from None
    lines = util.text_lines(data)

    def key(line: str) -> str:
        k = line
        for _ in range(skip_fields):
            k = k.lstrip(" \t")
            i = 0
            while i < len(k) and k[i] not in " \t":
                i += 1
            k = k[i:]
        k = k[skip_chars:]
        if width is not None:
            k = k[:width]
        return k.lower() if "i" in opts else k

    groups = []
    for line in lines:
        if groups and key(groups[-1][0]) == key(line):
            groups[-1][1] += 1
        else:
            groups.append([line, 1])
    out = []
    for line, n in groups:
        if "d" in opts and n < 2:
            continue
        if "u" in opts and n > 1:
            continue
        out.append(f"{n:7d} {line}\n" if "c" in opts else line + "\n")
    data = "".join(out).encode("utf-8", "surrogateescape")
    if len(args) > 1:
        proc.write_file(args[1], data)
    else:
        await proc.write(1, data)
    return 0
