"""``chmod [-Rfv] MODE[,MODE]... FILE...`` (octal or symbolic)."""

from ...abi import S_ISDIR
from ...errors import SimError
from . import util


async def _chmod(proc, argv, path, spec, opts, gnu) -> bool:
    async def change(path, st) -> bool:
        new = util.parse_mode(spec, st.mode, proc.umask, S_ISDIR(st.mode))
        if new is None:
            raise util.Fatal(f"invalid mode '{spec}'")
        try:
            proc.chmod(path, new)
        except SimError as e:
            if "f" not in opts:
                await util.warn(proc, argv, f"changing permissions of '{path}': {util.errtext(e)}" if gnu
                                else f"{path}: {util.errtext(e)}")
            return False
        if "v" in opts:
            await proc.write(1, f"mode of '{path}' changed to {new:04o}\n")
        return True

    return await util.change_tree(proc, argv, path, opts, gnu, change)


@util.run_applet
async def main(proc, argv, gnu):
    # modes like -w or -x look like options: take them as the MODE operand
    args = list(argv[1:])
    opts = {}
    rest = []
    mode = None
    while args:
        a = args.pop(0)
        if a == "--":
            rest.extend(args)
            break
        if a.startswith("-") and len(a) > 1 and all(c in "Rfvc" for c in a[1:]):
            for c in a[1:]:
                opts[c] = 1
        elif a == "--recursive":
            opts["R"] = 1
        elif mode is None and not rest:
            mode = a
        else:
            rest.append(a)
    if mode is None:
        raise util.Usage("missing operand" if gnu else "")
    if not rest:
        raise util.Usage(f"missing operand after '{mode}'" if gnu else "")
    status = 0
    for path in rest:
        if not await _chmod(proc, argv, path, mode, opts, gnu):
            status = 1
    return status
