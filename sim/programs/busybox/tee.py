"""``tee [-ai] [FILE]...``: copy stdin to stdout and the files."""

from ...abi import O_APPEND, O_CREAT, O_TRUNC, O_WRONLY
from ...errors import SimError
from . import util


@util.run_applet
async def main(proc, argv, gnu):
    opts, files = util.getopt(argv, "ai", longopts={"append": "a", "ignore-interrupts": "i"})
    flags = O_WRONLY | O_CREAT | (O_APPEND if "a" in opts else O_TRUNC)
    fds = []
    status = 0
    for f in files:
        if f == "-":
            fds.append(1)
            continue
        try:
            fds.append(proc.open(f, flags, 0o666))
        except SimError as e:
            status = 1
            await util.warn(proc, argv, f"{f}: {util.errtext(e)}" if gnu
                            else f"can't open '{f}': {util.errtext(e)}")
    if "i" in opts:
        from ...abi import Signal

        proc.signal(Signal.SIGINT, "ignore")
    while True:
        chunk = await proc.read(0)
        if not chunk:
            break
        await proc.write(1, chunk)
        for fd in fds:
            await proc.write(fd, chunk)
    for fd in fds:
        if fd != 1:
            proc.close(fd)
    return status
