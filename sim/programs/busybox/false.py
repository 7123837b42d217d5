"""``false``: exit 1."""


async def main(proc, argv, gnu=False):
    return 1
