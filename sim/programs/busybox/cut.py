"""``cut -b LIST | -c LIST | -f LIST [-d DELIM] [-s] [FILE]...``"""

from . import util


def parse_list(text: str):
    ranges = []
    for part in text.split(","):
        if not part:
            raise util.Fatal("invalid field list")
        if "-" in part:
            a, _, b = part.partition("-")
            start = int(a) if a else 1
            end = int(b) if b else None
        else:
            start = end = int(part)
        if start < 1:
            raise util.Fatal("fields and positions are numbered from 1")
        ranges.append((start, end))
    return ranges


def selected(n: int, ranges) -> bool:
    return any(s <= n and (e is None or n <= e) for s, e in ranges)


@util.run_applet
async def main(proc, argv, gnu):
    opts, files = util.getopt(argv, "b:c:f:d:snO:", longopts={
        "bytes=": "b", "characters=": "c", "fields=": "f", "delimiter=": "d",
        "only-delimited": "s", "output-delimiter=": "O"})
    kinds = [k for k in "bcf" if k in opts]
    if len(kinds) != 1:
        raise util.Usage("you must specify a list of bytes, characters, or fields" if gnu
                         else "expected a list of bytes, characters, or fields" if not kinds
                         else "only one list may be specified")
    kind = kinds[0]
    try:
        ranges = parse_list(opts[kind])
    except ValueError:
        raise util.Fatal(f"invalid {'field' if kind == 'f' else 'byte/character'} list") from None
    delim = opts.get("d", "\t")
    if len(delim) != 1:
        raise util.Fatal("the delimiter must be a single character")
    out_delim = opts.get("O", delim)
    inputs, failed = await util.read_inputs(proc, argv, files, gnu, msg="can't open '{}': {}")
    out = []
    for _name, data in inputs:
        for line in util.text_lines(data):
            if kind in "bc":
                out.append("".join(ch for i, ch in enumerate(line, 1) if selected(i, ranges)) + "\n")
                continue
            if delim not in line:
                if "s" not in opts:
                    out.append(line + "\n")
                continue
            fields = line.split(delim)
            out.append(out_delim.join(f for i, f in enumerate(fields, 1) if selected(i, ranges)) + "\n")
    await proc.write(1, "".join(out).encode("utf-8", "surrogateescape"))
    return 1 if failed else 0
