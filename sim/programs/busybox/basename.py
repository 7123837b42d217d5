"""``basename PATH [SUFFIX]`` (``-a``, ``-s SUFFIX``)."""

from . import util


def base(path: str, suffix: str = "") -> str:
    stripped = path.rstrip("/")
    if not stripped:
        return "/" if path else ""
    name = stripped.rsplit("/", 1)[-1]
    if suffix and name != suffix and name.endswith(suffix):
        name = name[:-len(suffix)]
    return name


@util.run_applet
async def main(proc, argv, gnu):
    opts, args = util.getopt(argv, "as:z", longopts={"multiple": "a", "suffix=": "s"})
    if not args:
        raise util.Usage("missing operand" if gnu else "")
    if "a" in opts or "s" in opts:
        suffix = opts.get("s", "")
        names = [base(a, suffix) for a in args]
    else:
        if len(args) > 2:
            raise util.Usage(f"extra operand '{args[2]}'" if gnu else "")
        names = [base(args[0], args[1] if len(args) > 1 else "")]
    await proc.write(1, "".join(n + "\n" for n in names))
    return 0
