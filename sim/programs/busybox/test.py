"""``test EXPR`` and ``[ EXPR ]``: the shell's evaluator
(`sim.programs.shell.test.run_test`), with busybox's messages."""

from . import util


async def _run(proc, argv, args):
    from ..shell.test import run_test

    code, message = run_test(proc, args)
    if message:
        await util.warn(proc, argv, message)
    return code


async def main(proc, argv, gnu=False):
    return await _run(proc, argv, list(argv[1:]))


async def bracket_main(proc, argv, gnu=False):
    closing = "]]" if util.applet_name(argv) == "[[" else "]"
    args = list(argv[1:])
    if not args or args[-1] != closing:
        await util.warn(proc, argv, f"missing {closing}")
        return 2
    return await _run(proc, argv, args[:-1])
