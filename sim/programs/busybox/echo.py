"""``echo [-neE] [ARG]...`` (the shell's echo: `sim.programs.shell.printf.echo_output`)."""

from ..escapes import encode_output


async def main(proc, argv, gnu=False):
    from ..shell.printf import echo_output

    await proc.write(1, encode_output(echo_output(argv[1:])))
    return 0
