"""``seq [-w] [-s SEP] [FIRST [INC]] LAST``."""

from . import util


def _decimals(text: str) -> int:
    t = text.lower()
    if "e" in t:
        return 0
    return len(t.split(".", 1)[1]) if "." in t else 0


@util.run_applet
async def main(proc, argv, gnu):
    args = list(argv[1:])
    sep = "\n"
    width = False
    # options may not be confused with negative numbers
    while args and args[0].startswith("-") and len(args[0]) > 1 and not (
            args[0][1].isdigit() or args[0][1] == "."):
        a = args.pop(0)
        if a == "--":
            break
        if a == "-w":
            width = True
        elif a.startswith("-s"):
            if len(a) > 2:
                sep = a[2:]
            elif args:
                sep = args.pop(0)
            else:
                raise util.Usage("option requires an argument -- 's'")
        elif a.startswith("-f"):
            if len(a) == 2 and args:
                args.pop(0)
        else:
            raise util.Usage(f"invalid option -- '{a[1]}'")
    if not 1 <= len(args) <= 3:
        raise util.Usage("missing operand" if gnu and not args else "")
    nums = []
    for a in args:
        try:
            nums.append(float(a))
        except ValueError:
            if gnu:
                raise util.Usage(f"invalid floating point argument: '{a}'") from None
            raise util.Fatal(f"invalid number '{a}'") from None
    first, inc, last = 1.0, 1.0, nums[-1]
    if len(nums) >= 2:
        first = nums[0]
    if len(nums) == 3:
        inc = nums[1]
    if inc == 0:
        if gnu:
            raise util.Usage(f"invalid Zero increment value: '{args[1]}'")
        return 1
    prec = max(_decimals(a) for a in args[:-1]) if len(args) > 1 else 0
    prec = max(prec, _decimals(args[-1]) if len(args) == 1 else prec)
    values = []
    i = 0
    while True:
        v = first + i * inc
        if (inc > 0 and v > last + 1e-9) or (inc < 0 and v < last - 1e-9):
            break
        values.append(f"{v:.{prec}f}")
        i += 1
        if i % 4096 == 0:
            await proc.checkpoint()
    if width and values:
        w = max(len(x) for x in values)
        values = [("-" + x[1:].rjust(w - 1, "0")) if x.startswith("-") else x.rjust(w, "0") for x in values]
    if values:
        await proc.write(1, sep.join(values) + "\n")
    return 0
