"""``chown [-Rfv] USER[:[GROUP]] FILE...`` (numbers or names from the
container's /etc/passwd and /etc/group)."""

from ...errors import SimError
from . import util


def _ids(proc, spec: str, gnu: bool) -> "tuple[int, int]":
    """USER[:GROUP] / USER: / :GROUP as (uid, gid), -1 for unchanged."""
    names = util.Names(proc)
    user, sep, group = spec.partition(":")
    if not sep:
        user, sep, group = spec.partition(".")
    uid = gid = -1
    if user:
        uid = int(user) if user.isdigit() else names.uid(user)
        if uid < 0:
            raise util.Fatal(f"invalid user: '{spec}'" if gnu else f"unknown user {user}")
    if group:
        gid = int(group) if group.isdigit() else names.gid(group)
        if gid < 0:
            raise util.Fatal(f"invalid group: '{spec}'" if gnu else f"unknown group {group}")
    elif sep and user:  # USER: takes the user's login group
        entry = names.lookup_user(user)
        gid = int(entry[3]) if entry is not None else -1
    return uid, gid


async def _chown(proc, argv, path, uid, gid, opts, gnu) -> bool:
    async def change(path, st) -> bool:
        try:
            proc.chown(path, uid, gid)
        except SimError as e:
            if "f" not in opts:
                await util.warn(proc, argv, f"changing ownership of '{path}': {util.errtext(e)}" if gnu
                                else f"{path}: {util.errtext(e)}")
            return False
        if "v" in opts:
            await proc.write(1, f"ownership of '{path}' retained\n" if gnu else f"changed ownership of '{path}'\n")
        return True

    return await util.change_tree(proc, argv, path, opts, gnu, change)


@util.run_applet
async def main(proc, argv, gnu):
    opts, args = util.getopt(argv, "RfvhHLP")
    if len(args) < 2:
        raise util.Fatal(f"missing operand after '{args[0]}'" if gnu and args else "missing operand"
                         if gnu else "usage: chown [-RhLHPcvf] USER[:[GRP]] FILE...")
    uid, gid = _ids(proc, args[0], gnu)
    ok = True
    for path in args[1:]:
        ok = await _chown(proc, argv, path, uid, gid, opts, gnu) and ok
    return 0 if ok else 1
