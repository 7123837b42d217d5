"""``echo [-neE] [ARG]...`` (escapes as the shell's printf %b expands them)."""


async def main(proc, argv, gnu=False):
    args = argv[1:]
    newline = True
    escapes = False
    while args and len(args[0]) > 1 and args[0][0] == "-" and all(c in "neE" for c in args[0][1:]):
        for c in args[0][1:]:
            if c == "n":
                newline = False
            else:
                escapes = c == "e"
        args = args[1:]
    text = " ".join(args)
    if escapes:
        from ..shell.printf import backslash_escapes

        text, stopped = backslash_escapes(text, False)
        if stopped:
            newline = False
    await proc.write(1, text + ("\n" if newline else ""))
    return 0
