"""``env [-i] [-u NAME]... [-0] [NAME=VALUE]... [COMMAND [ARG]...]`` and
``printenv [NAME]...``."""

from ...abi import Errno
from ...errors import SimError
from . import util


@util.run_applet
async def main(proc, argv, gnu):
    args = list(argv[1:])
    opts = {"u": []}
    # env stops option parsing at the first NAME=VALUE or command
    while args and args[0].startswith("-"):
        a = args.pop(0)
        if a == "--":
            break
        if a == "-":
            opts["i"] = 1
            continue
        if a in ("--ignore-environment",):
            opts["i"] = 1
            continue
        if a.startswith("--unset="):
            opts["u"].append(a.split("=", 1)[1])
            continue
        if a == "--null":
            opts["0"] = 1
            continue
        j = 1
        while j < len(a):
            c = a[j]
            j += 1
            if c == "i":
                opts["i"] = 1
            elif c == "0":
                opts["0"] = 1
            elif c == "u":
                if j < len(a):
                    opts["u"].append(a[j:])
                elif args:
                    opts["u"].append(args.pop(0))
                else:
                    raise util.Usage("option requires an argument -- 'u'")
                break
            else:
                raise util.Usage(f"invalid option -- '{c}'")
    env = {} if "i" in opts else dict(proc.env)
    for name in opts["u"]:
        env.pop(name, None)
    while args and "=" in args[0] and not args[0].startswith("="):
        name, _, value = args.pop(0).partition("=")
        env[name] = value
    if not args:
        end = "\0" if "0" in opts else "\n"
        await proc.write(1, "".join(f"{k}={v}{end}" for k, v in env.items()))
        return 0
    try:
        await proc.exec(args, env=env)
    except SimError as e:
        code = 127 if e.errno_value == Errno.ENOENT else 126
        if gnu:
            await util.warn(proc, argv, f"'{args[0]}': {util.errtext(e)}")
        else:
            await util.warn(proc, argv, f"can't execute '{args[0]}': {util.errtext(e)}")
        return code
    return 0


@util.run_applet
async def printenv_main(proc, argv, gnu):
    opts, names = util.getopt(argv, "0")
    end = "\0" if "0" in opts else "\n"
    if not names:
        await proc.write(1, "".join(f"{k}={v}{end}" for k, v in proc.env.items()))
        return 0
    status = 0
    out = []
    for n in names:
        if n in proc.env:
            out.append(proc.env[n] + end)
        else:
            status = 1
    await proc.write(1, "".join(out))
    return status
