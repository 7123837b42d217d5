"""``kill [-l [SIG]] [-SIG | -s SIG | -n NUM] PID...``."""

from ...abi import Signal
from ...errors import SimError
from . import util


def _short(sig: Signal) -> str:
    return sig.name[3:]


@util.run_applet
async def main(proc, argv, gnu):
    args = list(argv[1:])
    sig = Signal.SIGTERM
    if args and args[0] in ("-l", "-L", "--list"):
        rest = args[1:]
        if not rest:
            await proc.write(1, "".join(f"{int(s):2d}) {_short(s)}\n" for s in Signal))
            return 0
        out = []
        for r in rest:
            try:
                if r.isdigit():
                    n = int(r)
                    out.append(_short(Signal(n - 128 if n > 128 else n)))
                else:
                    out.append(str(int(Signal.parse(r))))
            except ValueError:
                raise util.Fatal(f"bad signal name '{r}'") from None
        await proc.write(1, "\n".join(out) + "\n")
        return 0
    if args and args[0] in ("-s", "-n"):
        if len(args) < 2:
            raise util.Usage(f"option requires an argument -- '{args[0][1]}'")
        spec = args[1]
        args = args[2:]
        try:
            sig = Signal.parse(spec)
        except ValueError:
            raise util.Fatal(f"bad signal name '{spec}'") from None
    elif args and args[0].startswith("-") and len(args[0]) > 1 and args[0] != "--" and not args[0][1:].lstrip("-").isdigit() or (
            args and args[0].startswith("-") and args[0][1:].isdigit() and len(args) > 1):
        spec = args.pop(0)[1:]
        try:
            sig = Signal.parse(spec) if spec != "0" else 0
        except ValueError:
            raise util.Fatal(f"bad signal name '{spec}'") from None
    if args and args[0] == "--":
        args = args[1:]
    if not args:
        raise util.Usage()
    status = 0
    for pid_text in args:
        try:
            pid = int(pid_text)
        except ValueError:
            await util.warn(proc, argv, f"invalid number '{pid_text}'" if not gnu
                            else f"failed to parse argument: '{pid_text}'")
            status = 1
            continue
        try:
            proc.kill(pid, sig)
        except SimError as e:
            status = 1
            if gnu:
                await util.warn(proc, argv, f"({pid}) - {util.errtext(e)}")
            else:
                await util.warn(proc, argv, f"can't kill pid {pid}: {util.errtext(e)}")
    return status
