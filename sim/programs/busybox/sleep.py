"""``sleep N[smhd]...``: fractions allowed; several arguments are summed."""

from . import util

_MULT = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str) -> float:
    t = text
    mult = 1
    if t and t[-1] in _MULT:
        mult = _MULT[t[-1]]
        t = t[:-1]
    if t in ("inf", "infinity", "INF"):
        return float("inf")
    try:
        value = float(t)
        if value < 0 or t.strip() != t or not t:
            raise ValueError
    except ValueError:
        raise util.Fatal(f"invalid number '{text}'") from None
    return value * mult


@util.run_applet
async def main(proc, argv, gnu):
    args = argv[1:]
    if args and args[0] == "--":
        args = args[1:]
    if not args:
        if gnu:
            raise util.Usage("missing operand")
        raise util.Usage()
    total = sum(parse_duration(a) for a in args)
    while total == float("inf"):
        await proc.sleep(86400 * 365)
    if total > 0:
        await proc.sleep(total)
    return 0
