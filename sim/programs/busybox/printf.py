"""``printf FORMAT [ARG]...``: the same formatter as the shell's builtin
(`sim.programs.shell.printf`): the format is reused until the arguments
run out; %s %b %c %d %i %u %o %x %X %e %f %g %%, flags, width, precision,
backslash escapes."""

from ..escapes import encode_output
from . import util


@util.run_applet
async def main(proc, argv, gnu):
    from ..shell.printf import format_printf

    args = argv[1:]
    if args and args[0] == "--":
        args = args[1:]
    if not args:
        raise util.Usage("missing operand" if gnu else "")
    text, errors = format_printf(args[0], args[1:])
    await proc.write(1, encode_output(text))
    for e in errors:
        await util.warn(proc, argv, e)
    return 1 if errors else 0
