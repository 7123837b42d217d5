"""``true``: exit 0."""


async def main(proc, argv, gnu=False):
    return 0
