"""``find [-HL] [PATH]... [EXPRESSION]``

Tests: -name -iname -path -ipath -type [fdlcbps] -maxdepth -mindepth
-newer -mtime -mmin -size -perm -user -group -uid -gid -empty -regex
-true -false; actions: -print -print0 -exec CMD {} ; / + -ok -delete
-prune -quit; operators: ( ) ! -not -a -and -o -or, -depth.
"""

import fnmatch
import re
import stat as _s

from ...errors import SimError
from . import util


class Node:
    def __init__(self, kind, *args):
        self.kind = kind
        self.args = args


class Ctx:
    def __init__(self, proc, argv, gnu):
        self.proc = proc
        self.argv = argv
        self.gnu = gnu
        self.out = []
        self.status = 0
        self.quit = False
        self.pending_plus = {}
        self.names = util.Names(proc)


def parse(tokens, globals_):
    pos = 0

    def peek():
        return tokens[pos] if pos < len(tokens) else None

    def take():
        nonlocal pos
        pos += 1
        return tokens[pos - 1]

    def need(opt):
        if pos >= len(tokens):
            raise util.Fatal(f"missing argument to '{opt}'")
        return take()

    def primary():
        t = take()
        if t in ("(",):
            e = expr_or()
            if peek() != ")":
                raise util.Fatal("invalid expression; expected ')'")
            take()
            return e
        if t in ("!", "-not"):
            return Node("not", primary())
        if t in ("-name", "-iname", "-path", "-ipath", "-wholename", "-lname"):
            return Node(t, need(t))
        if t == "-regex":
            return Node(t, re.compile(need(t) + r"\Z", re.S))
        if t == "-type":
            return Node(t, need(t))
        if t in ("-maxdepth", "-mindepth"):
            globals_[t] = int(need(t))
            return Node("-true")
        if t in ("-depth", "-d"):
            globals_["-depth"] = True
            return Node("-true")
        if t in ("-xdev", "-mount", "-follow", "-noleaf"):
            if t == "-follow":
                globals_["L"] = True
            return Node("-true")
        if t in ("-mtime", "-mmin", "-size", "-perm", "-user", "-group", "-uid", "-gid",
                 "-newer", "-links", "-inum"):
            return Node(t, need(t))
        if t in ("-print", "-print0", "-delete", "-prune", "-quit", "-true", "-false", "-empty",
                 "-ls"):
            if t in ("-print", "-print0", "-delete", "-ls"):
                globals_["action"] = True
            if t == "-delete":
                globals_["-depth"] = True
            return Node(t)
        if t in ("-exec", "-ok", "-execdir", "-okdir"):
            globals_["action"] = True
            cmd = []
            while True:
                if pos >= len(tokens):
                    raise util.Fatal(f"missing argument to '{t}'")
                a = take()
                if a == ";":
                    return Node("-exec", cmd, False)
                if a == "+" and cmd and cmd[-1] == "{}":
                    return Node("-exec", cmd[:-1], True)
                cmd.append(a)
        raise util.Fatal(f"unrecognized: {t}")

    def expr_and():
        left = primary()
        while peek() is not None and peek() not in (")", "-o", "-or", ","):
            if peek() in ("-a", "-and"):
                take()
            left = Node("and", left, primary())
        return left

    def expr_or():
        left = expr_and()
        while peek() in ("-o", "-or", ","):
            op = take()
            left = Node("or" if op != "," else "comma", left, expr_and())
        return left

    if not tokens:
        return None
    e = expr_or()
    if pos < len(tokens):
        raise util.Fatal(f"unrecognized: {tokens[pos]}")
    return e


def _num_test(spec: str, value: float) -> bool:
    if spec.startswith("+"):
        return value > float(spec[1:])
    if spec.startswith("-"):
        return value < float(spec[1:])
    return int(value) == int(spec)


async def evaluate(ctx, node, path, st, depth) -> bool:
    k = node.kind
    proc = ctx.proc
    if k == "and":
        return await evaluate(ctx, node.args[0], path, st, depth) and await evaluate(
            ctx, node.args[1], path, st, depth)
    if k == "or":
        return await evaluate(ctx, node.args[0], path, st, depth) or await evaluate(
            ctx, node.args[1], path, st, depth)
    if k == "comma":
        await evaluate(ctx, node.args[0], path, st, depth)
        return await evaluate(ctx, node.args[1], path, st, depth)
    if k == "not":
        return not await evaluate(ctx, node.args[0], path, st, depth)
    if k == "-true":
        return True
    if k == "-false":
        return False
    base = path.rstrip("/").rsplit("/", 1)[-1] or "/"
    if k == "-name":
        return fnmatch.fnmatchcase(base, node.args[0])
    if k == "-iname":
        return fnmatch.fnmatchcase(base.lower(), node.args[0].lower())
    if k in ("-path", "-wholename"):
        return fnmatch.fnmatchcase(path, node.args[0])
    if k == "-ipath":
        return fnmatch.fnmatchcase(path.lower(), node.args[0].lower())
    if k == "-regex":
        return node.args[0].match(path) is not None
    if k == "-lname":
        if not _s.S_ISLNK(st.mode):
            return False
        try:
            return fnmatch.fnmatchcase(proc.readlink(path), node.args[0])
        except SimError:
            return False
    if k == "-type":
        want = {"f": _s.S_IFREG, "d": _s.S_IFDIR, "l": _s.S_IFLNK, "c": _s.S_IFCHR,
                "b": _s.S_IFBLK, "p": _s.S_IFIFO, "s": _s.S_IFSOCK}
        return any(_s.S_IFMT(st.mode) == want.get(c) for c in node.args[0].split(","))
    if k == "-empty":
        if _s.S_ISDIR(st.mode):
            try:
                return not proc.listdir(path)
            except SimError:
                return False
        return _s.S_ISREG(st.mode) and st.size == 0
    if k == "-mtime":
        return _num_test(node.args[0], (proc.time() - st.mtime) // 86400)
    if k == "-mmin":
        return _num_test(node.args[0], -(-(proc.time() - st.mtime) // 60))
    if k == "-size":
        spec = node.args[0]
        unit = {"c": 1, "k": 1024, "M": 1 << 20, "G": 1 << 30, "b": 512, "w": 2}.get(spec[-1:], None)
        if unit is None:
            unit = 512
        else:
            spec = spec[:-1]
        return _num_test(spec, -(-st.size // unit))
    if k == "-perm":
        spec = node.args[0]
        mode = st.mode & 0o7777
        if spec.startswith("-"):
            want = util.parse_mode(spec[1:], 0) or 0
            return mode & want == want
        if spec.startswith("/"):
            want = util.parse_mode(spec[1:], 0) or 0
            return bool(mode & want) or want == 0
        return mode == util.parse_mode(spec, 0)
    if k in ("-user", "-uid"):
        return st.uid == ctx.names.uid(node.args[0])
    if k in ("-group", "-gid"):
        return st.gid == ctx.names.gid(node.args[0])
    if k == "-links":
        return _num_test(node.args[0], st.nlink)
    if k == "-inum":
        return _num_test(node.args[0], st.ino)
    if k == "-newer":
        try:
            return st.mtime > proc.stat(node.args[0]).mtime
        except SimError as e:
            raise util.Fatal(f"{node.args[0]}: {util.errtext(e)}") from None
    if k == "-print":
        ctx.out.append(path + "\n")
        return True
    if k == "-print0":
        ctx.out.append(path + "\0")
        return True
    if k == "-ls":
        ctx.out.append(f"{st.ino:>9} {-(-st.size // 1024):>6} {util.mode_string(st.mode)} "
                       f"{st.nlink:>3} {ctx.names.user(st.uid):<8} {ctx.names.group(st.gid):<8} "
                       f"{st.size:>8} {util.ctime(st.mtime)[4:16]} {path}\n")
        return True
    if k == "-prune":
        ctx.prune = True
        return True
    if k == "-quit":
        ctx.quit = True
        return True
    if k == "-delete":
        try:
            if _s.S_ISDIR(st.mode):
                proc.rmdir(path)
            else:
                proc.unlink(path)
        except SimError as e:
            await util.warn(proc, ctx.argv, f"{path}: {util.errtext(e)}")
            ctx.status = 1
            return False
        return True
    if k == "-exec":
        cmd, plus = node.args
        if plus:
            ctx.pending_plus.setdefault(id(node), (cmd, []))[1].append(path)
            return True
        args = [a.replace("{}", path) for a in cmd]
        return await run_command(ctx, args) == 0
    raise util.Fatal(f"unrecognized: {k}")


async def run_command(ctx, args) -> int:
    await flush(ctx)
    try:
        pid = await ctx.proc.spawn(args)
    except SimError as e:
        await util.warn(ctx.proc, ctx.argv, f"{args[0]}: {util.errtext(e)}")
        ctx.status = 1
        return 127
    _pid, ws = await ctx.proc.wait(pid)
    return ws.exit_code


async def flush(ctx):
    if ctx.out:
        await ctx.proc.write(1, "".join(ctx.out))
        ctx.out = []


async def walk(ctx, expr, g, path, depth, follow):
    proc = ctx.proc
    if ctx.quit:
        return
    try:
        st = proc.stat(path) if follow else proc.lstat(path)
    except SimError as e:
        if depth == 0 and follow:
            try:
                st = proc.lstat(path)
            except SimError:
                st = None
        else:
            st = None
        if st is None:
            await util.warn(proc, ctx.argv, f"'{path}': {util.errtext(e)}" if ctx.gnu
                            else f"{path}: {util.errtext(e)}")
            ctx.status = 1
            return
    mindepth = g.get("-mindepth", 0)
    maxdepth = g.get("-maxdepth")
    ctx.prune = False

    async def visit():
        if depth >= mindepth:
            result = await evaluate(ctx, expr, path, st, depth) if expr else True
            if result and not g.get("action"):
                ctx.out.append(path + "\n")

    if not g.get("-depth"):
        await visit()
    pruned = ctx.prune
    if _s.S_ISDIR(st.mode) and not pruned and (maxdepth is None or depth < maxdepth):
        try:
            names = proc.listdir(path)
        except SimError as e:
            await util.warn(proc, ctx.argv, f"'{path}': {util.errtext(e)}" if ctx.gnu
                            else f"{path}: {util.errtext(e)}")
            ctx.status = 1
            names = []
        for n in names:
            await walk(ctx, expr, g, util.join_path(path, n), depth + 1, g.get("L", False))
            if ctx.quit:
                return
        if len(ctx.out) > 256:
            await flush(ctx)
        await proc.checkpoint()
    if g.get("-depth"):
        await visit()


@util.run_applet
async def main(proc, argv, gnu):
    args = list(argv[1:])
    g = {}
    while args and args[0] in ("-H", "-L", "-P"):
        if args.pop(0) == "-L":
            g["L"] = True
    paths = []
    while args and not (args[0].startswith("-") and len(args[0]) > 1) and args[0] not in ("(", "!"):
        paths.append(args.pop(0))
    expr = parse(args, g)
    ctx = Ctx(proc, argv, gnu)
    for p in paths or ["."]:
        await walk(ctx, expr, g, p, 0, g.get("L", False))
        if ctx.quit:
            break
    for cmd, items in ctx.pending_plus.values():
        if items and await run_command(ctx, cmd + items) != 0:
            ctx.status = 1
    await flush(ctx)
    return ctx.status

