"""``wc [-lwcmL] [FILE]...`` with busybox's column layout (``%9u``
fields; a lone count with at most one file is printed bare)."""

from . import util

ORDER = "lwmcL"


def count(data: bytes):
    words = 0
    in_word = False
    maxlen = 0
    linepos = 0
    for b in data:
        if 32 <= b < 127:
            linepos += 1
            if b != 32:
                in_word = True
                continue
        elif 9 <= b <= 13:
            if b == 9:
                linepos = (linepos | 7) + 1
            else:
                maxlen = max(maxlen, linepos)
                if b != 11:
                    linepos = 0
        else:
            continue
        if in_word:
            words += 1
        in_word = False
    if in_word:
        words += 1
    maxlen = max(maxlen, linepos)
    chars = len(data.decode("utf-8", errors="replace"))
    return {"l": data.count(b"\n"), "w": words, "m": chars, "c": len(data), "L": maxlen}


@util.run_applet
async def main(proc, argv, gnu):
    opts, files = util.getopt(argv, "lwmcL", longopts={"lines": "l", "words": "w", "bytes": "c",
                                                       "chars": "m", "max-line-length": "L"})
    kinds = [k for k in ORDER if k in opts] or ["l", "w", "c"]
    inputs, failed = await util.read_inputs(proc, argv, files, gnu,
                                            msg="can't open '{}': {}")
    results = [(name, count(data)) for name, data in inputs]
    if len(files) > 1:
        total = {k: sum(r[k] for _, r in results) for k in ORDER}
        total["L"] = max((r["L"] for _, r in results), default=0)
        results.append(("total", total))
    lines = []
    if gnu:
        width = 1
        if len(kinds) > 1 or len(results) > 1:
            width = max([len(str(r[k])) for _, r in results for k in kinds] + [1])
            if not files:
                width = max(width, 7)
        for name, r in results:
            text = " ".join(f"{r[k]:>{width}}" for k in kinds)
            lines.append(text + (f" {name}" if files else "") + "\n")
    else:
        bare = len(kinds) == 1 and len(files) <= 1
        for name, r in results:
            text = (f"{r[kinds[0]]}" if bare else f"{r[kinds[0]]:9d}") + "".join(f" {r[k]:9d}" for k in kinds[1:])
            lines.append(text + (f" {name}\n" if files else "\n"))
    await proc.write(1, "".join(lines))
    return 1 if failed else 0
