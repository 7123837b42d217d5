"""``clear`` and ``reset``: the terminal escape sequences busybox prints."""


async def main(proc, argv, gnu=False):
    # busybox clear: cursor home, clear screen, clear scrollback.
    await proc.write(1, "\x1b[H\x1b[J\x1b[3J")
    return 0


async def reset_main(proc, argv, gnu=False):
    # busybox reset: reset to initial state (RIS), clear scrollback.
    await proc.write(1, "\x1bc\x1b(B\x1b[m\x1b[J\x1b[?25h")
    return 0
