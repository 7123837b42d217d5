"""``chown [-Rfv] USER[:[GROUP]] FILE...`` (numbers or names from the
container's /etc/passwd and /etc/group)."""

from ...abi import S_ISDIR, S_ISLNK
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


async def _chown(proc, argv, path, uid, gid, opts, gnu, top=True) -> bool:
    try:
        st = proc.stat(path) if top else proc.lstat(path)
    except SimError as e:
        if "f" not in opts:
            await util.warn(proc, argv, f"cannot access '{path}': {util.errtext(e)}" if gnu
                            else f"{path}: {util.errtext(e)}")
        return False
    ok = True
    if top or not S_ISLNK(st.mode):
        try:
            proc.chown(path, uid, gid)
            if "v" in opts:
                await proc.write(1, f"ownership of '{path}' retained\n" if gnu else f"changed ownership of '{path}'\n")
        except SimError as e:
            ok = False
            if "f" not in opts:
                await util.warn(proc, argv, f"changing ownership of '{path}': {util.errtext(e)}" if gnu
                                else f"{path}: {util.errtext(e)}")
    if "R" in opts and S_ISDIR(st.mode) and not S_ISLNK(st.mode):
        try:
            names = proc.listdir(path)
        except SimError as e:
            await util.warn(proc, argv, f"{path}: {util.errtext(e)}")
            return False
        for n in names:
            ok = await _chown(proc, argv, util.join_path(path, n), uid, gid, opts, gnu, False) and ok
    return ok


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
