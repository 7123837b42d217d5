"""``yes [STRING]...``: repeat until the reader goes away (SIGPIPE)."""

from . import util


@util.run_applet
async def main(proc, argv, gnu):
    line = (" ".join(argv[1:]) if len(argv) > 1 else "y") + "\n"
    chunk = line * max(1, 4096 // len(line))
    while True:
        await proc.write(1, chunk)
        await proc.checkpoint()
