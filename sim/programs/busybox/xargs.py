"""``xargs [-0rt] [-n N] [-I STR] [-d DELIM] [-s N] [COMMAND [ARG]...]``
(default command: echo)."""

from ...abi import O_RDONLY, Errno
from ...errors import SimError
from . import util


def split_words(text: str):
    """Blank-separated words with '...' / "..." quoting and backslashes."""
    words = []
    cur = []
    have = False
    quote = None
    i = 0
    while i < len(text):
        c = text[i]
        if quote:
            if c == quote:
                quote = None
            else:
                cur.append(c)
        elif c in "'\"":
            quote = c
            have = True
        elif c == "\\" and i + 1 < len(text):
            cur.append(text[i + 1])
            have = True
            i += 1
        elif c in " \t\n":
            if have or cur:
                words.append("".join(cur))
            cur = []
            have = False
        else:
            cur.append(c)
        i += 1
    if quote:
        raise util.Fatal(f"unmatched {'single' if quote == chr(39) else 'double'} quote")
    if have or cur:
        words.append("".join(cur))
    return words


@util.run_applet
async def main(proc, argv, gnu):
    opts, command = util.getopt(argv, "0rtpxn:I:i::d:s:E:P:L:a:", permute=False, longopts={
        "null": "0", "no-run-if-empty": "r", "verbose": "t", "max-args=": "n",
        "replace=": "I", "delimiter=": "d", "max-procs=": "P"})
    command = command or ["echo"]
    data = (await proc.read_all(0)).decode("utf-8", errors="surrogateescape")
    replace = opts.get("I")
    if "i" in opts and replace is None:
        replace = opts["i"] or "{}"
    if "0" in opts:
        items = data.split("\0")
        if items and items[-1] == "":
            items.pop()
    elif "d" in opts:
        delim = opts["d"].encode().decode("unicode_escape") if "\\" in opts["d"] else opts["d"]
        items = data.split(delim)
        if items and items[-1] in ("", "\n"):
            items.pop()
    elif replace is not None:
        items = [line.strip(" \t") for line in data.split("\n") if line.strip(" \t")]
    else:
        items = split_words(data)
    if "E" in opts and opts["E"] in items:
        items = items[:items.index(opts["E"])]
    batches = []
    if replace is not None:
        batches = [[a.replace(replace, item) for a in command] for item in items]
    else:
        n = int(opts["n"]) if "n" in opts else (int(opts["L"]) if "L" in opts else None)
        if not items:
            if "r" in opts:
                return 0
            batches = [list(command)]
        elif n:
            batches = [list(command) + items[i:i + n] for i in range(0, len(items), n)]
        else:
            batches = [list(command) + items]
    null_fd = None
    try:
        null_fd = proc.open("/dev/null", O_RDONLY)
    except SimError:
        null_fd = None
    status = 0
    for args in batches:
        if "t" in opts:
            await proc.write(2, " ".join(args) + "\n")
        fds = {0: null_fd if null_fd is not None else 0, 1: 1, 2: 2}
        try:
            pid = await proc.spawn(args, fds=fds)
        except SimError as e:
            await util.warn(proc, argv, f"{args[0]}: {util.errtext(e)}")
            return 127 if e.errno_value == Errno.ENOENT else 126
        _pid, ws = await proc.wait(pid)
        if ws.signal is not None:
            await util.warn(proc, argv, f"{args[0]}: terminated by signal {int(ws.signal)}")
            return 125
        if ws.code == 255:
            await util.warn(proc, argv, f"{args[0]}: exited with status 255; aborting")
            return 124
        if ws.code:
            status = 123
    if null_fd is not None:
        proc.close(null_fd)
    return status
