"""``id [-ugGnr] [USER]``: ``uid=0(root) gid=0(root) groups=0(root),10(wheel)``."""

from . import util


def _fmt(value: int, name) -> str:
    return f"{value}({name})" if name is not None else str(value)


@util.run_applet
async def main(proc, argv, gnu):
    opts, args = util.getopt(argv, "ugGnr")
    names = util.Names(proc)
    if args:
        entry = names.lookup_user(args[0])
        if entry is None:
            if gnu:
                raise util.Fatal(f"'{args[0]}': no such user")
            raise util.Fatal(f"unknown user {args[0]}")
        uid, gid, user = int(entry[2]), int(entry[3]), entry[0]
    else:
        uid, gid = proc.uid, proc.gid
        user = names.user_name_or_none(uid)
    groups = names.supplementary(user, gid) if user else [gid]
    if not args:
        extra = getattr(proc, "groups", None)
        if isinstance(extra, (list, tuple)) and extra:
            groups = [gid] + [g for g in extra if g != gid]
    if "u" in opts or "g" in opts or "G" in opts:
        if "u" in opts:
            values = [(uid, names.user_name_or_none(uid))]
        elif "g" in opts:
            values = [(gid, names.group_name_or_none(gid))]
        else:
            values = [(g, names.group_name_or_none(g)) for g in groups]
        if "n" in opts:
            for v, name in values:
                if name is None:
                    kind = "user" if "u" in opts else "group"
                    await util.warn(proc, argv, f"unknown {'uid' if kind == 'user' else 'gid'} {v}")
            text = " ".join(name if name is not None else str(v) for v, name in values)
        else:
            text = " ".join(str(v) for v, _ in values)
        await proc.write(1, text + "\n")
        return 0
    parts = [f"uid={_fmt(uid, names.user_name_or_none(uid))}",
             f"gid={_fmt(gid, names.group_name_or_none(gid))}"]
    parts.append("groups=" + ",".join(_fmt(g, names.group_name_or_none(g)) for g in groups))
    await proc.write(1, " ".join(parts) + "\n")
    return 0
