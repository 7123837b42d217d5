"""``tr [-cds] SET1 [SET2]``: ranges (a-z), classes ([:upper:]),
escapes (\\n \\t \\NNN), [c*n] repeats."""

from . import util

_CLASSES = {
    "alpha": "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
    "upper": "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "lower": "abcdefghijklmnopqrstuvwxyz",
    "digit": "0123456789", "space": " \t\n\r\f\v", "blank": " \t",
    "punct": "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", "xdigit": "0123456789ABCDEFabcdef",
    "cntrl": "".join(chr(i) for i in range(32)) + "\x7f",
    "print": "".join(chr(i) for i in range(32, 127)), "graph": "".join(chr(i) for i in range(33, 127)),
}
_CLASSES["alnum"] = _CLASSES["alpha"][:26] + _CLASSES["alpha"][26:] + _CLASSES["digit"]
_ESC = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v", "\\": "\\"}


def expand_set(text: str, fill_to: int = 0) -> str:
    chars = []
    i = 0
    n = len(text)

    def one(k):
        c = text[k]
        if c == "\\" and k + 1 < n:
            d = text[k + 1]
            if d in "01234567":
                j = k + 1
                while j < n and j < k + 4 and text[j] in "01234567":
                    j += 1
                return chr(int(text[k + 1:j], 8)), j
            return _ESC.get(d, d), k + 2
        return c, k + 1

    while i < n:
        if text.startswith("[:", i):
            end = text.find(":]", i + 2)
            if end > 0 and text[i + 2:end] in _CLASSES:
                chars.extend(_CLASSES[text[i + 2:end]])
                i = end + 2
                continue
        if text[i] == "[" and i + 2 < n and text[i + 2] == "*":
            end = text.find("]", i + 3)
            if end > 0:
                c = text[i + 1]
                count = text[i + 3:end]
                chars.append(("REPEAT", c, int(count, 8 if count.startswith("0") else 10) if count else 0))
                i = end + 1
                continue
        c, j = one(i)
        if j < n and text[j] == "-" and j + 1 < n:
            d, k = one(j + 1)
            if ord(d) >= ord(c):
                chars.extend(chr(x) for x in range(ord(c), ord(d) + 1))
                i = k
                continue
        chars.append(c)
        i = j
    # resolve repeats
    fixed = sum(1 for c in chars if not isinstance(c, tuple))
    result = []
    for c in chars:
        if isinstance(c, tuple):
            count = c[2] or max(fill_to - fixed, 0)
            result.append(c[1] * count)
        else:
            result.append(c)
    return "".join(result)


@util.run_applet
async def main(proc, argv, gnu):
    opts, sets = util.getopt(argv, "cdsCt", longopts={"delete": "d", "squeeze-repeats": "s",
                                                      "complement": "c", "truncate-set1": "t"})
    if not sets:
        raise util.Usage("missing operand" if gnu else "")
    delete = "d" in opts
    squeeze = "s" in opts
    complement = "c" in opts or "C" in opts
    set1 = expand_set(sets[0])
    if not delete and not squeeze and len(sets) < 2:
        raise util.Usage(f"missing operand after '{sets[0]}'" if gnu else "")
    set2 = expand_set(sets[1], len(set1)) if len(sets) > 1 else ""
    data = (await proc.read_all(0)).decode("latin-1")
    in1 = set(set1)

    def member(ch):
        return (ch in in1) != complement

    if delete:
        data = "".join(ch for ch in data if not member(ch))
        squeeze_set = set(set2)
        if squeeze:
            data = _squeeze(data, lambda ch: ch in squeeze_set)
    elif set2:
        if complement:
            last = set2[-1]
            data = "".join(last if member(ch) else ch for ch in data)
        else:
            if len(set2) < len(set1):
                set2 = set2 + set2[-1] * (len(set1) - len(set2))
            table = {}
            for a, b in zip(set1, set2):
                table[ord(a)] = b
            data = data.translate(table)
        if squeeze:
            s2 = set(set2)
            data = _squeeze(data, lambda ch: ch in s2)
    elif squeeze:
        data = _squeeze(data, member)
    await proc.write(1, data.encode("latin-1"))
    return 0


def _squeeze(data: str, pred) -> str:
    out = []
    for ch in data:
        if out and out[-1] == ch and pred(ch):
            continue
        out.append(ch)
    return "".join(out)
