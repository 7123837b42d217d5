"""Built-in utilities (POSIX 2.14 special built-ins and the regular
built-ins every shell carries).

Each builtin is ``async def name(sh, argv) -> int`` running inside the
shell process: it reads and changes the `Shell` state directly and writes
through ``sh.proc``.  Special built-ins (``SPECIAL_BUILTINS``) are found
before functions and their prefix assignments persist (2.14).
"""

import posixpath
from typing import List

from ...abi import Signal, text_bytes
from ...errors import Interrupted, SimError
from ..escapes import encode_output
from .expand import ExpansionError
from .interp import (
    OPTION_LETTERS, FunctionReturn, LoopControl, ShellExit, is_valid_name, shell_quote,
)
from .parser import RESERVED
from .printf import echo_output, format_printf
from .test import run_test

BUILTINS = {}
SPECIAL_BUILTINS = frozenset({
    ":", ".", "break", "continue", "eval", "exec", "exit", "export", "readonly", "return",
    "set", "shift", "times", "trap", "unset", "source",
})


def builtin(*names):
    def register(fn):
        for name in names:
            BUILTINS[name] = fn
        return fn
    return register


async def out(sh, text: str) -> None:
    """Write ``text`` to standard output (raw bytes from printf's escapes
    as the bytes they stand for)."""
    await sh.proc.write(1, encode_output(text))


def _int_arg(text: str):
    try:
        return int(text)
    except ValueError:
        return None


# ---------------------------------------------------------------------------
# trivial


@builtin(":", "true")
async def b_true(sh, argv):
    return 0


@builtin("false")
async def b_false(sh, argv):
    return 1


# ---------------------------------------------------------------------------
# output


@builtin("echo")
async def b_echo(sh, argv):
    """echo [-neE] args: busybox and bash both take options and only
    interpret backslash escapes with -e."""
    await out(sh, echo_output(argv[1:]))
    return 0


@builtin("printf")
async def b_printf(sh, argv):
    args = argv[1:]
    if args and args[0] == "--":
        args = args[1:]
    if not args:
        await sh.error("printf: usage: printf format [arguments]" if sh.bash
                       else "printf: usage: printf FORMAT [ARGUMENT...]")
        return 2 if sh.bash else 1
    text, errors = format_printf(args[0], args[1:])
    await out(sh, text)
    for e in errors:
        await sh.error(f"printf: {e}")
    return 1 if errors else 0


# ---------------------------------------------------------------------------
# directories


def _logical(base: str, path: str) -> str:
    full = path if path.startswith("/") else posixpath.join(base, path)
    norm = posixpath.normpath(full)
    if norm.startswith("//"):
        norm = "/" + norm.lstrip("/")
    return norm


@builtin("cd")
async def b_cd(sh, argv):
    args = argv[1:]
    physical = False
    while args and args[0] in ("-L", "-P", "--"):
        if args[0] == "-P":
            physical = True
        if args.pop(0) == "--":
            break
    print_dir = False
    if not args:
        target = sh.get_var("HOME")
        if not target:
            await sh.error("cd: HOME not set")
            return 1
    elif args[0] == "-":
        target = sh.get_var("OLDPWD")
        if not target:
            await sh.error("cd: OLDPWD not set")
            return 1
        print_dir = True
    else:
        target = args[0]
    old = sh.get_var("PWD") or sh.proc.cwd
    logical = _logical(old, target)
    try:
        if physical:
            sh.proc.chdir(target)
            new = sh.proc.cwd
        else:
            try:
                sh.proc.chdir(logical)
                new = logical
            except SimError:
                sh.proc.chdir(target)
                new = sh.proc.cwd
    except SimError as exc:
        if sh.bash:
            await sh.error(f"cd: {target}: {exc.strerror_text}")
            return 1
        await sh.error(f"cd: can't cd to {target}: {exc.strerror_text}")
        return 2
    sh.vars["OLDPWD"] = old
    sh.vars["PWD"] = new
    if print_dir:
        await out(sh, new + "\n")
    return 0


@builtin("pwd")
async def b_pwd(sh, argv):
    if "-P" in argv[1:]:
        path = sh.proc.realpath(".")
    else:
        path = sh.get_var("PWD") or sh.proc.cwd
        try:
            if sh.proc.realpath(path) != sh.proc.realpath("."):
                path = sh.proc.cwd
        except SimError:
            path = sh.proc.cwd
    await out(sh, path + "\n")
    return 0


# ---------------------------------------------------------------------------
# variables


async def _declare_vars(sh, argv, export: bool, readonly: bool) -> int:
    args = argv[1:]
    unexport = False
    show = False
    while args and args[0].startswith("-") and args[0] != "-":
        flag = args.pop(0)
        if flag == "--":
            break
        if "n" in flag:
            unexport = True
        if "p" in flag:
            show = True
    if not args or show and not args:
        names = sorted(sh.exported if export else sh.readonly)
        for name in names:
            if name not in sh.vars and export:
                continue
            value = sh.vars.get(name)
            if sh.bash:
                flag = "-x" if export else "-r"
                line = f"declare {flag} {name}" + ("" if value is None else '="' + value.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$") + '"')
            else:
                word = "export" if export else "readonly"
                line = f"{word} {name}" + ("" if value is None else "=" + shell_quote(value))
            await out(sh, line + "\n")
        return 0
    return await _set_variables(sh, argv[0], args, export=export, unexport=unexport,
                                readonly=readonly)


async def _valid_name(sh, command: str, arg: str, name: str) -> bool:
    """Whether ``name`` (from operand ``arg``) can name a variable; if
    not, the shell says so."""
    if is_valid_name(name):
        return True
    await sh.error(f"{command}: `{arg}': not a valid identifier" if sh.bash
                   else f"{command}: {name}: bad variable name")
    return False


def _make_local(sh, frame: dict, name: str) -> None:
    """Keep the caller's ``name`` (value and export) in the function's
    ``frame``, to be put back when the function returns."""
    if name not in frame:
        frame[name] = (sh.vars.get(name), name in sh.exported)


async def _set_variables(sh, command: str, args, *, export=False, unexport=False,
                         readonly=False, frame=None) -> int:
    """The ``NAME[=VALUE]`` operands of export, readonly and declare: assign
    each value and give the variable the attributes asked for (local to
    ``frame`` when there is one).  Returns 1 if any operand failed."""
    status = 0
    for arg in args:
        name, eq, value = arg.partition("=")
        if not await _valid_name(sh, command, arg, name):
            status = 1
            continue
        if frame is not None:
            _make_local(sh, frame, name)
        try:
            if eq:
                sh.set_var(name, value)
        except ExpansionError as exc:
            await sh.error(str(exc))
            status = 1
            continue
        if export:
            if unexport:
                sh.exported.discard(name)
            else:
                sh.exported.add(name)
        if readonly:
            sh.readonly.add(name)
    return status


@builtin("export")
async def b_export(sh, argv):
    return await _declare_vars(sh, argv, True, False)


@builtin("readonly")
async def b_readonly(sh, argv):
    return await _declare_vars(sh, argv, False, True)


@builtin("declare", "typeset")
async def b_declare(sh, argv):
    args = argv[1:]
    export = unexport = readonly = False
    while args and args[0].startswith(("-", "+")) and len(args[0]) > 1:
        flag = args.pop(0)
        if "x" in flag:
            export = True
            unexport = flag[0] == "+"  # declare +x takes the export away
        readonly |= "r" in flag
        if "f" in flag and not args:
            for name in sorted(sh.functions):
                await out(sh, f"{name} () {{ ... }}\n")
            return 0
    if not args:
        for name in sorted(sh.vars):
            await out(sh, f"declare -- {name}={shell_quote(sh.vars[name])}\n")
        return 0
    # inside a function, declare makes its variables local
    frame = sh.local_stack[-1] if sh.local_stack else None
    return await _set_variables(sh, argv[0], args, export=export, unexport=unexport,
                                readonly=readonly, frame=frame)


@builtin("local")
async def b_local(sh, argv):
    if not sh.local_stack:
        await sh.error("local: can only be used in a function" if sh.bash
                       else "local: not in a function")
        return 1
    frame = sh.local_stack[-1]
    for arg in argv[1:]:
        name, eq, value = arg.partition("=")
        if not await _valid_name(sh, "local", arg, name):
            return 1
        _make_local(sh, frame, name)
        if eq:
            sh.set_var(name, value)
        elif sh.bash:
            sh.vars.pop(name, None)
    return 0


@builtin("unset")
async def b_unset(sh, argv):
    args = argv[1:]
    functions = False
    while args and args[0].startswith("-"):
        flag = args.pop(0)
        if flag == "--":
            break
        functions = "f" in flag
    status = 0
    for name in args:
        if functions:
            sh.functions.pop(name, None)
            continue
        try:
            if name in sh.vars or name in sh.readonly:
                sh.unset_var(name)
            elif sh.bash and name in sh.functions:
                sh.functions.pop(name, None)
        except ExpansionError as exc:
            await sh.error(f"unset: {exc}")
            status = 1
    return status


@builtin("set")
async def b_set(sh, argv):
    args = argv[1:]
    if not args:
        for name in sorted(sh.vars):
            await out(sh, f"{name}={shell_quote(sh.vars[name])}\n")
        return 0
    while args:
        arg = args[0]
        if arg == "--":
            args.pop(0)
            sh.positional = list(args)
            return 0
        if arg == "-":
            args.pop(0)
            sh.options["xtrace"] = sh.options["verbose"] = False
            break
        if arg[:1] not in ("-", "+") or len(arg) < 2:
            break
        args.pop(0)
        on = arg[0] == "-"
        for letter in arg[1:]:
            if letter == "o":
                if not args:
                    for name in sorted(sh.options):
                        if sh.bash:
                            await out(sh, f"{name:<15}\t{'on' if sh.options[name] else 'off'}\n")
                        else:
                            await out(sh, f"{name:<15}{'on' if sh.options[name] else 'off'}\n")
                    return 0
                name = args.pop(0)
                if name not in sh.options:
                    await sh.error(f"set: {name}: invalid option name" if sh.bash
                                   else f"set: illegal option -o {name}")
                    return 2 if not sh.bash else 1
                sh.options[name] = on
            elif letter in OPTION_LETTERS:
                sh.options[OPTION_LETTERS[letter]] = on
            elif letter in "hbBHTEkPt":
                pass
            else:
                await sh.error(f"set: {arg[0]}{letter}: invalid option" if sh.bash
                               else f"set: illegal option {arg[0]}{letter}")
                return 2
    if args:
        sh.positional = list(args)
    return 0


@builtin("shift")
async def b_shift(sh, argv):
    n = 1
    if len(argv) > 1:
        n = _int_arg(argv[1])
        if n is None or n < 0:
            await sh.error(f"shift: {argv[1]}: numeric argument required" if sh.bash
                           else f"shift: Illegal number: {argv[1]}")
            return 1 if sh.bash else 2
    if n > len(sh.positional):
        if not sh.bash:
            await sh.error("shift: can't shift that many")
        return 1
    sh.positional = sh.positional[n:]
    return 0


# ---------------------------------------------------------------------------
# control flow


def _status_arg(sh, argv):
    if len(argv) > 1:
        value = _int_arg(argv[1])
        return value
    return sh.status


@builtin("exit")
async def b_exit(sh, argv):
    value = _status_arg(sh, argv)
    if value is None:
        await sh.error(f"exit: {argv[1]}: numeric argument required" if sh.bash
                       else f"exit: Illegal number: {argv[1]}")
        raise ShellExit(2)
    if sh.interactive and sh.bash and not sh.in_trap:
        await sh.write_stderr("exit\n")
    if sh.jc and not getattr(sh, "exit_warned", False):
        from .jobs import reap

        await reap(sh)
        if any(job.state == "Stopped" for job in sh.job_table.jobs):
            # Once: a second exit leaves them to the hangup.
            sh.exit_warned = True
            await sh.write_stderr("There are stopped jobs.\n" if sh.bash else "You have stopped jobs.\n")
            return 1
    raise ShellExit(value)


@builtin("return")
async def b_return(sh, argv):
    value = _status_arg(sh, argv)
    if value is None:
        await sh.error(f"return: {argv[1]}: numeric argument required" if sh.bash
                       else f"return: Illegal number: {argv[1]}")
        value = 2
    raise FunctionReturn(value)


async def _loop_control(sh, argv, kind):
    n = 1
    if len(argv) > 1:
        n = _int_arg(argv[1])
        if n is None or n < 1:
            await sh.error(f"{kind}: {argv[1]}: loop count out of range" if sh.bash
                           else f"{kind}: Illegal number: {argv[1]}")
            return 1
    if sh.loop_depth == 0:
        if sh.bash:
            await sh.error(f"{kind}: only meaningful in a `for', `while', or `until' loop")
        return 0
    raise LoopControl(kind, min(n, sh.loop_depth))


@builtin("break")
async def b_break(sh, argv):
    return await _loop_control(sh, argv, "break")


@builtin("continue")
async def b_continue(sh, argv):
    return await _loop_control(sh, argv, "continue")


@builtin("eval")
async def b_eval(sh, argv):
    text = " ".join(argv[1:])
    if not text.strip():
        return 0
    return await sh.eval_text(text)


@builtin(".", "source")
async def b_source(sh, argv):
    if len(argv) < 2:
        await sh.error(f"{argv[0]}: filename argument required" if sh.bash
                       else f"{argv[0]}: missing filename")
        return 2
    name = argv[1]
    path = name
    if "/" not in name:
        found = sh.find_in_path_readable(name)
        if found is None and (sh.bash or sh._exists(name)):
            found = name
        path = found or name
    try:
        text = sh.proc.read_file(path).decode("utf-8", "replace")
    except SimError as exc:
        if sh.bash:
            await sh.error(f"{name}: {exc.strerror_text}")
            return 1
        await sh.error(f"{argv[0]}: can't open '{name}': {exc.strerror_text}")
        raise ShellExit(2) if not sh.interactive else ShellExit(2)
    saved_pos = sh.positional
    if len(argv) > 2:
        sh.positional = list(argv[2:])
    saved_line = sh.lineno
    try:
        return await sh.eval_text(text)
    except FunctionReturn as ret:
        return ret.status
    finally:
        if len(argv) > 2:
            sh.positional = saved_pos
        sh.lineno = saved_line


# ---------------------------------------------------------------------------
# processes and signals


@builtin("wait")
async def b_wait(sh, argv):
    pids = []
    for arg in argv[1:]:
        if arg.startswith("%"):
            pids.extend(p for p in sh.jobs)
            continue
        pid = _int_arg(arg)
        if pid is None:
            await sh.error(f"wait: `{arg}': not a pid or valid job spec" if sh.bash
                           else f"wait: Illegal number: {arg}")
            return 2
        pids.append(pid)
    status = 0
    targets = pids or [p for p, s in sh.jobs.items() if s is None]
    for pid in targets:
        if pid in sh.jobs and sh.jobs[pid] is not None:
            status = sh.jobs.pop(pid)
            continue
        if pid not in sh.jobs:
            if sh.bash:
                await sh.error(f"wait: pid {pid} is not a child of this shell")
            status = 127
            continue
        try:
            res = await sh.proc.wait(pid)
        except Interrupted:
            sigs = sh.queue_signals()
            return 128 + int(sigs[-1]) if sigs else 129
        except SimError:
            sh.jobs.pop(pid, None)
            status = 127
            continue
        status = res[1].exit_code
        sh.jobs.pop(pid, None)
    if not pids:
        return 0
    return status


def _parse_signal(text: str):
    if text.upper() in ("EXIT", "0"):
        return "EXIT"
    if text.upper() in ("ERR", "DEBUG", "RETURN"):
        return text.upper()
    try:
        return Signal.parse(text)
    except ValueError:
        return None


@builtin("trap")
async def b_trap(sh, argv):
    args = argv[1:]
    if args and args[0] == "--":
        args = args[1:]
    if not args or args == ["-p"]:
        for key, text in sorted(sh.traps.items(), key=lambda kv: (0, "") if kv[0] == "EXIT" else (1, str(kv[0]))):
            name = key if isinstance(key, str) else (key.name if sh.bash else key.name[3:])
            await out(sh, f"trap -- {shell_quote(text)} {name}\n")
        return 0
    if args[0] == "-l":
        await out(sh, " ".join(f"{int(s)}) {s.name}" for s in Signal) + "\n")
        return 0
    if len(args) == 1 or (_parse_signal(args[0]) is not None and args[0].isdigit()):
        action, names = "-", args
    else:
        action, names = args[0], args[1:]
    status = 0
    for name in names:
        sig = _parse_signal(name)
        if sig is None:
            await sh.error(f"trap: {name}: invalid signal specification" if sh.bash
                           else f"trap: {name}: bad trap")
            status = 1
            continue
        if sig in ("ERR", "DEBUG", "RETURN"):
            continue
        if action == "-":
            sh.traps.pop(sig, None)
            if sig != "EXIT":
                _set_disposition(sh, sig, "default")
        else:
            sh.traps[sig] = action
            if sig != "EXIT":
                _set_disposition(sh, sig, "catch" if action else "ignore")
    return status


def _set_disposition(sh, sig, action):
    try:
        sh.proc.signal(sig, action)
    except (SimError, ValueError):
        pass


@builtin("kill")
async def b_kill(sh, argv):
    args = argv[1:]
    sig = Signal.SIGTERM
    if args and args[0] == "-l":
        if len(args) > 1:
            n = _int_arg(args[1])
            if n is not None:
                n = n - 128 if n > 128 else n
                try:
                    await out(sh, Signal(n).name[3:] + "\n")
                    return 0
                except ValueError:
                    pass
            await sh.error(f"kill: {args[1]}: invalid signal specification")
            return 1
        await out(sh, " ".join(s.name[3:] for s in Signal) + "\n")
        return 0
    if args and args[0] in ("-s", "-n") and len(args) > 1:
        spec = args[1]
        args = args[2:]
    elif args and args[0].startswith("-") and len(args[0]) > 1 and args[0] != "--":
        spec = args[0][1:]
        args = args[1:]
    else:
        spec = None
    if args and args[0] == "--":
        args = args[1:]
    if spec is not None:
        try:
            sig = Signal.parse(spec) if spec != "0" else 0
        except ValueError:
            await sh.error(f"kill: {spec}: invalid signal specification" if sh.bash
                           else f"kill: bad signal name '{spec}'")
            return 1
    if not args:
        await sh.error("kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]"
                       if sh.bash else "kill: usage: kill [-s SIGNAL | -SIGNAL] PID...")
        return 2 if sh.bash else 1
    status = 0
    for arg in args:
        if arg.startswith("%") and sh.jc:
            job = sh.job_table.find(arg)
            if job is None:
                await sh.error(f"kill: {arg}: no such job")
                status = 1
                continue
            targets = [-job.pgid]
            if job.state == "Stopped" and sig and sig not in (
                    Signal.SIGCONT, Signal.SIGSTOP, Signal.SIGTSTP, Signal.SIGTTIN, Signal.SIGTTOU):
                targets.append(("cont", -job.pgid))
        elif arg.startswith("%"):
            targets = [p for p, s in sh.jobs.items() if s is None][-1:]
        else:
            pid = _int_arg(arg)
            if pid is None:
                await sh.error(f"kill: {arg}: arguments must be process or job IDs" if sh.bash
                               else f"kill: invalid number '{arg}'")
                status = 1
                continue
            targets = [pid]
        for pid in targets:
            if isinstance(pid, tuple):  # a stopped job must run to hear it (bash)
                try:
                    sh.proc.kill(pid[1], Signal.SIGCONT)
                except SimError:
                    pass
                continue
            try:
                sh.proc.kill(pid, sig)
            except SimError as exc:
                if sh.bash:
                    await sh.error(f"kill: ({pid}) - {exc.strerror_text}")
                else:
                    await sh.error(f"can't kill pid {pid}: {exc.strerror_text}")
                status = 1
    return status


@builtin("jobs")
async def b_jobs(sh, argv):
    if sh.jc:
        from .jobs import reap

        await reap(sh)
        table = sh.job_table
        show_pids = "-p" in argv[1:]
        long = "-l" in argv[1:]
        for job in list(table.jobs):
            if show_pids:
                await out(sh, f"{job.pgid}\n")
                continue
            line = table.line(job, sh.bash)
            if long:
                head, _, rest = line.partition("  ")
                line = f"{head} {job.pgid} {rest.lstrip()}" if sh.bash else line
            await out(sh, line + "\n")
            job.notified = True
            if job.state == "Done":
                table.remove(job)
                for pid in job.procs:
                    sh.jobs.pop(pid, None)
        return 0
    for n, (pid, st) in enumerate(sorted(sh.jobs.items()), 1):
        state = "Running" if st is None else f"Done({st})" if st else "Done"
        await out(sh, f"[{n}]  {state:<24}{pid}\n")
    return 0


# ---------------------------------------------------------------------------
# input


async def read_line(sh, fd: int, delim: str = "\n"):
    """Read up to and including ``delim`` without reading past it (a
    seekable file is read in blocks and the offset put back; a pipe or
    terminal one byte at a time, as shells must).  Returns (text, hit_eof)."""
    proc = sh.proc
    d = text_bytes(delim)[:1] or b"\0"
    buf = bytearray()
    try:
        start = proc.lseek(fd, 0, 1)
        seekable = True
    except SimError:
        seekable = False
    while True:
        chunk = await proc.read(fd, 4096 if seekable else 1)
        if not chunk:
            return buf.decode("utf-8", "surrogateescape"), True
        idx = chunk.find(d)
        if idx >= 0:
            buf += chunk[:idx]
            if seekable:
                proc.lseek(fd, start + len(buf) + 1, 0)
            return buf.decode("utf-8", "surrogateescape"), False
        buf += chunk


def split_for_read(line: str, count: int, ifs: str) -> List[str]:
    """Split a line for ``read``: the first count-1 fields, then the rest
    of the line (IFS whitespace trimmed) for the last name."""
    white = "".join(c for c in ifs if c in " \t\n")
    other = "".join(c for c in ifs if c not in " \t\n")
    values: List[str] = []
    rest = line.lstrip(white)
    while len(values) < count - 1 and rest:
        i = 0
        while i < len(rest) and rest[i] not in ifs:
            i += 1
        values.append(rest[:i])
        rest = rest[i:]
        rest = rest.lstrip(white)
        if rest[:1] and rest[0] in other:
            rest = rest[1:].lstrip(white)
    rest = rest.rstrip(white) if white else rest
    if rest and other and rest[-1] in other and count > 1 and not any(c in other for c in rest[:-1]):
        rest = rest[:-1]
    values.append(rest)
    while len(values) < count:
        values.append("")
    return values


@builtin("read")
async def b_read(sh, argv):
    args = argv[1:]
    raw = False
    prompt = None
    delim = "\n"
    nchars = None
    while args and args[0].startswith("-") and len(args[0]) > 1:
        flag = args.pop(0)
        if flag == "--":
            break
        i = 1
        while i < len(flag):
            c = flag[i]
            if c == "r":
                raw = True
            elif c == "s":
                pass
            elif c in "pdnNtua":
                value = flag[i + 1:] or (args.pop(0) if args else "")
                if c == "p":
                    prompt = value
                elif c == "d":
                    delim = value[:1] or "\0"
                elif c in "nN":
                    nchars = _int_arg(value)
                break
            else:
                await sh.error(f"read: -{c}: invalid option" if sh.bash else f"read: illegal option -{c}")
                return 2
            i += 1
    names = args or ["REPLY"]
    for name in names:
        if not is_valid_name(name):
            await sh.error(f"read: `{name}': not a valid identifier" if sh.bash
                           else f"read: '{name}': bad variable name")
            return 1
    if prompt is not None and sh.proc.isatty(0):
        await sh.write_stderr(prompt)
    text = ""
    eof = False
    try:
        if nchars is not None:
            data = b""
            while len(data) < nchars:
                chunk = await sh.proc.read(0, 1)
                if not chunk or chunk.decode(errors="replace") == delim:
                    eof = not chunk
                    break
                data += chunk
            text = data.decode("utf-8", "surrogateescape")
        else:
            while True:
                line, eof = await read_line(sh, 0, delim)
                if raw:
                    text += line
                    break
                if line.endswith("\\") and not line.endswith("\\\\") and not eof:
                    text += line[:-1]
                    continue
                text += line
                break
    except Interrupted:
        sigs = sh.queue_signals()
        return 128 + int(sigs[-1]) if sigs else 129
    except SimError as exc:
        await sh.error(f"read: read error: 0: {exc.strerror_text}")
        return 1
    if not raw:
        text = _unescape(text)
    ifs = sh.get_var("IFS")
    ifs = " \t\n" if ifs is None else ifs
    if names == ["REPLY"] and not args:
        values = [text]
    else:
        values = split_for_read(text, len(names), ifs)
    for name, value in zip(names, values):
        try:
            sh.set_var(name, value)
        except ExpansionError as exc:
            await sh.error(f"read: {exc}")
            return 1
    return 1 if eof and not (nchars is not None and text) else 0


def _unescape(text: str) -> str:
    out = []
    i = 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
        else:
            if text[i] != "\\":
                out.append(text[i])
            i += 1
    return "".join(out)


# ---------------------------------------------------------------------------
# test


@builtin("test", "[")
async def b_test(sh, argv):
    args = argv[1:]
    if argv[0] == "[":
        if not args or args[-1] != "]":
            await sh.error("[: missing `]'" if sh.bash else "[: missing ]")
            return 2
        args = args[:-1]
    status, message = run_test(sh.proc, args, bash=sh.bash)
    if message:
        await sh.error(f"{argv[0]}: {message}")
    return status


# ---------------------------------------------------------------------------
# command lookup


KEYWORDS = RESERVED | {"in", "]]"}


def _describe(sh, name: str):
    """(kind, detail) for type / command -v."""
    if name in sh.aliases:
        return "alias", sh.aliases[name]
    if name in KEYWORDS:
        return "keyword", None
    if name in sh.functions:
        return "function", None
    if name in SPECIAL_BUILTINS or name == "exec":
        return "special", None
    if name in BUILTINS:
        return "builtin", None
    path = sh.find_in_path(name)
    if path is not None:
        return "file", path
    return None, None


@builtin("type")
async def b_type(sh, argv):
    status = 0
    for name in argv[1:]:
        if name.startswith("-"):
            continue
        kind, detail = _describe(sh, name)
        if kind is None:
            if sh.bash:
                await sh.error(f"type: {name}: not found")
            else:
                await out(sh, f"{name}: not found\n")
            status = 1
        elif kind == "alias":
            await out(sh, f"{name} is an alias for {detail}\n" if not sh.bash
                      else f"{name} is aliased to `{detail}'\n")
        elif kind == "keyword":
            await out(sh, f"{name} is a shell keyword\n")
        elif kind == "function":
            await out(sh, f"{name} is a function\n" if sh.bash or True else "")
        elif kind == "special":
            await out(sh, f"{name} is a special shell builtin\n")
        elif kind == "builtin":
            await out(sh, f"{name} is a shell builtin\n")
        else:
            await out(sh, f"{name} is {detail}\n")
    return status


@builtin("command")
async def b_command(sh, argv):
    args = argv[1:]
    mode = None
    while args and args[0].startswith("-") and len(args[0]) > 1:
        flag = args.pop(0)
        if flag == "--":
            break
        if "v" in flag:
            mode = "v"
        elif "V" in flag:
            mode = "V"
    if not args:
        return 0
    if mode == "v":
        status = 0
        for name in args:
            kind, detail = _describe(sh, name)
            if kind is None:
                status = 1
            elif kind == "file":
                await out(sh, detail + "\n")
            elif kind == "alias":
                await out(sh, f"alias {name}={shell_quote(detail)}\n")
            else:
                await out(sh, name + "\n")
        return status
    if mode == "V":
        return await b_type(sh, ["type"] + args)
    name = args[0]
    if name in BUILTINS:
        return await sh.run_builtin(BUILTINS[name], args)
    if name == "exec":
        return await sh.builtin_exec(args, {}, ())
    return await sh.run_external(args, {})


@builtin("hash")
async def b_hash(sh, argv):
    for name in argv[1:]:
        if not name.startswith("-") and sh.find_in_path(name) is None:
            await sh.error(f"hash: {name}: not found")
            return 1
    return 0


@builtin("alias")
async def b_alias(sh, argv):
    status = 0
    if len(argv) == 1:
        for name in sorted(sh.aliases):
            await out(sh, f"{'alias ' if sh.bash else ''}{name}={shell_quote(sh.aliases[name])}\n")
        return 0
    for arg in argv[1:]:
        name, eq, value = arg.partition("=")
        if eq:
            sh.aliases[name] = value
        elif name in sh.aliases:
            await out(sh, f"{'alias ' if sh.bash else ''}{name}={shell_quote(sh.aliases[name])}\n")
        else:
            await sh.error(f"alias: {name}: not found")
            status = 1
    return status


@builtin("unalias")
async def b_unalias(sh, argv):
    if "-a" in argv[1:]:
        sh.aliases.clear()
        return 0
    status = 0
    for name in argv[1:]:
        if sh.aliases.pop(name, None) is None:
            await sh.error(f"unalias: {name}: not found")
            status = 1
    return status


# ---------------------------------------------------------------------------
# miscellany


@builtin("umask")
async def b_umask(sh, argv):
    args = argv[1:]
    symbolic = False
    if args and args[0] == "-S":
        symbolic = True
        args = args[1:]
    if not args:
        mask = sh.proc.umask
        if symbolic:
            perms = []
            for who, shift in (("u", 6), ("g", 3), ("o", 0)):
                bits = (~mask >> shift) & 7
                perms.append(who + "=" + "".join(c for c, b in (("r", 4), ("w", 2), ("x", 1)) if bits & b))
            await out(sh, ",".join(perms) + "\n")
        else:
            await out(sh, f"{mask:04o}\n")
        return 0
    try:
        sh.proc.umask = int(args[0], 8) & 0o777
    except ValueError:
        await sh.error(f"umask: {args[0]}: octal number out of range" if sh.bash
                       else f"umask: Illegal number: {args[0]}")
        return 1
    return 0


@builtin("times")
async def b_times(sh, argv):
    await out(sh, "0m0.000s 0m0.000s\n0m0.000s 0m0.000s\n")
    return 0


#: ulimit's resources: letter -> (rlimit name, ash's title, ash's shift,
#: bash's title, bash's unit, bash's factor), in ash's -a order.
_ULIMITS = {
    "c": ("core", "core file size (blocks)", 9, "core file size", "blocks", 1024),
    "d": ("data", "data seg size (kb)", 10, "data seg size", "kbytes", 1024),
    "e": ("nice", "scheduling priority", 0, "scheduling priority", "", 1),
    "f": ("fsize", "file size (blocks)", 9, "file size", "blocks", 1024),
    "i": ("sigpending", "pending signals", 0, "pending signals", "", 1),
    "l": ("memlock", "max locked memory (kb)", 10, "max locked memory", "kbytes", 1024),
    "m": ("rss", "max memory size (kb)", 10, "max memory size", "kbytes", 1024),
    "n": ("nofile", "open files", 0, "open files", "", 1),
    "q": ("msgqueue", "POSIX message queues (bytes)", 0, "POSIX message queues", "bytes", 1),
    "r": ("rtprio", "real-time priority", 0, "real-time priority", "", 1),
    "s": ("stack", "stack size (kb)", 10, "stack size", "kbytes", 1024),
    "t": ("cpu", "cpu time (seconds)", 0, "cpu time", "seconds", 1),
    "u": ("nproc", "max user processes", 0, "max user processes", "", 1),
    "v": ("as", "virtual memory (kb)", 10, "virtual memory", "kbytes", 1024),
    "x": ("locks", "file locks", 0, "file locks", "", 1),
}
_BASH_EXTRA = {"R": ("rttime", "real-time non-blocking time", "microseconds", 1)}


def _ulimit_value(sh, letter: str, value: int) -> str:
    from ...proc.limits import RLIM_INFINITY

    if value == RLIM_INFINITY:
        return "unlimited"
    if letter in _BASH_EXTRA:
        return str(value)
    _, _, shift, _, _, factor = _ULIMITS[letter]
    return str(value // factor if sh.bash else value >> shift)


def _ulimit_title(sh, letter: str) -> str:
    if not sh.bash:
        return f"{_ULIMITS[letter][1]:<32}(-{letter}) "
    if letter in _BASH_EXTRA:
        _, title, unit, _ = _BASH_EXTRA[letter]
    elif letter == "p":
        title, unit = "pipe size", "512 bytes"
    else:
        _, _, _, title, unit, _ = _ULIMITS[letter]
    units = f"({unit}, -{letter}) " if unit else f"(-{letter}) "
    return f"{title:<20} {units:>20}"


@builtin("ulimit")
async def b_ulimit(sh, argv):
    """ulimit [-HSa] [-cdefilmnqrstuvx [LIMIT]]: getrlimit/setrlimit, in
    busybox ash's or bash's words and layout."""
    from ...proc.limits import RLIM_INFINITY

    hard = soft = show_all = False
    wanted = []  # (letter, value text or None)
    args = list(argv[1:])
    letters = set(_ULIMITS) | ({"R", "p"} if sh.bash else set())
    while args:
        arg = args.pop(0)
        if arg.startswith("-") and len(arg) > 1:
            body = arg[1:]
            while body:
                ch, body = body[0], body[1:]
                if ch == "H":
                    hard = True
                elif ch == "S":
                    soft = True
                elif ch == "a":
                    show_all = True
                elif ch in letters:
                    value = body or None
                    body = ""
                    if value is None and args and not args[0].startswith("-"):
                        value = args.pop(0)
                    wanted.append((ch, value))
                else:
                    await sh.error(f"ulimit: -{ch}: invalid option" if sh.bash
                                   else f"ulimit: illegal option -- {ch}")
                    return 2 if sh.bash else 1
        else:
            wanted.append(("f", arg))
    if not hard and not soft:
        hard = soft = True

    def shown(letter):
        name = _BASH_EXTRA[letter][0] if letter in _BASH_EXTRA else _ULIMITS[letter][0]
        s_val, h_val = sh.proc.getrlimit(name)
        return _ulimit_value(sh, letter, s_val if soft else h_val)

    if show_all:
        order = (["R"] if sh.bash else []) + list(_ULIMITS)
        if sh.bash:
            order.insert(order.index("q"), "p")
        lines = []
        for letter in order:
            value = "8" if letter == "p" else shown(letter)
            lines.append(_ulimit_title(sh, letter) + value + "\n")
        await out(sh, "".join(lines))
        return 0
    if not wanted:
        wanted = [("f", None)]
    verbose = sum(1 for _, v in wanted if v is None) > 1
    for letter, value in wanted:
        if letter == "p":
            if value is None:
                await out(sh, (_ulimit_title(sh, "p") if verbose else "") + "8\n")
                continue
            await sh.error("ulimit: pipe size: cannot modify limit: Invalid argument")
            return 1
        name = _BASH_EXTRA[letter][0] if letter in _BASH_EXTRA else _ULIMITS[letter][0]
        if value is None:
            await out(sh, (_ulimit_title(sh, letter) if verbose else "") + shown(letter) + "\n")
            continue
        if value == "unlimited":
            number = RLIM_INFINITY
        elif value.isdigit():
            number = int(value)
            if letter not in _BASH_EXTRA:
                number = number * _ULIMITS[letter][5] if sh.bash else number << _ULIMITS[letter][2]
        else:
            await sh.error(f"ulimit: {value}: invalid number" if sh.bash
                           else f"ulimit: invalid number '{value}'")
            return 1
        cur_soft, cur_hard = sh.proc.getrlimit(name)
        new_soft = number if soft else cur_soft
        new_hard = number if hard else cur_hard
        try:
            sh.proc.setrlimit(name, new_soft, new_hard)
        except SimError as err:
            text = err.strerror_text
            title = _BASH_EXTRA[letter][1] if letter in _BASH_EXTRA else _ULIMITS[letter][3]
            await sh.error(f"ulimit: {title}: cannot modify limit: {text}" if sh.bash
                           else f"ulimit: error setting limit: {text}")
            return 1
    return 0


@builtin("let")
async def b_let(sh, argv):
    if len(argv) < 2:
        await sh.error("let: expression expected")
        return 1
    value = 0
    for expr in argv[1:]:
        try:
            value = sh.arith(expr)
        except ExpansionError as exc:
            await sh.error(f"let: {exc}")
            return 1
    return 0 if value else 1


@builtin("getopts")
async def b_getopts(sh, argv):
    """getopts optstring name [arg...] (POSIX getopts(1))."""
    if len(argv) < 3:
        await sh.error("getopts: usage: getopts optstring name [arg ...]")
        return 2
    optstring, name = argv[1], argv[2]
    args = argv[3:] if len(argv) > 3 else list(sh.positional)
    silent = optstring.startswith(":")
    if silent:
        optstring = optstring[1:]
    try:
        optind = int(sh.get_var("OPTIND") or "1")
    except ValueError:
        optind = 1
    last_ind, pos = sh.getopts_state
    if last_ind != optind:
        pos = 0
    sh.vars.pop("OPTARG", None)
    if optind - 1 >= len(args):
        sh.set_var(name, "?")
        return 1
    arg = args[optind - 1]
    if pos == 0:
        if arg == "--":
            sh.set_var("OPTIND", str(optind + 1))
            sh.set_var(name, "?")
            return 1
        if not arg.startswith("-") or arg == "-":
            sh.set_var(name, "?")
            return 1
        pos = 1
    letter = arg[pos]
    pos += 1
    spec = optstring.find(letter)
    if spec < 0 or letter == ":":
        if silent:
            sh.set_var("OPTARG", letter)
        else:
            await sh.error(f"illegal option -- {letter}" if not sh.bash else f"illegal option -- {letter}")
        sh.set_var(name, "?")
    elif spec + 1 < len(optstring) and optstring[spec + 1] == ":":
        if pos < len(arg):
            sh.set_var("OPTARG", arg[pos:])
            pos = len(arg)
        elif optind < len(args):
            sh.set_var("OPTARG", args[optind])
            optind += 1
            pos = len(arg)
        else:
            if silent:
                sh.set_var("OPTARG", letter)
                sh.set_var(name, ":")
            else:
                await sh.error(f"option requires an argument -- {letter}")
                sh.set_var(name, "?")
            pos = len(arg)
            optind += 1
            sh.set_var("OPTIND", str(optind))
            sh.getopts_state = (optind, 0)
            return 0
        sh.set_var(name, letter)
    else:
        sh.set_var(name, letter)
    if pos >= len(arg):
        optind += 1
        pos = 0
    sh.set_var("OPTIND", str(optind))
    sh.getopts_state = (optind, pos)
    return 0


# ---------------------------------------------------------------------------
# job control (jobs.py)


async def _job_arg(sh, name: str, argv):
    from .jobs import reap

    if not sh.jc:
        await sh.error(f"{name}: no job control")
        return None
    await reap(sh)
    spec = argv[1] if len(argv) > 1 else "%%"
    job = sh.job_table.find(spec)
    if job is None or job.state == "Done":
        if sh.bash:
            await sh.error(f"{name}: {spec if len(argv) > 1 else 'current'}: no such job")
        else:
            await sh.error(f"{name}: {spec}: no such job" if len(argv) > 1 else f"{name}: no current job")
        return None
    return job


@builtin("fg")
async def b_fg(sh, argv):
    """Continue a job in the foreground: its group gets the terminal (and
    the terminal modes it had when it stopped), then SIGCONT."""
    job = await _job_arg(sh, "fg", argv)
    if job is None:
        return 1
    await out(sh, job.command + "\n")
    try:
        sh.proc.tcsetpgrp(0, job.pgid)
    except SimError:
        pass
    job.state = "Running"
    try:
        sh.proc.kill(-job.pgid, Signal.SIGCONT)
    except SimError:
        pass
    statuses = await sh.wait_job(job)
    return statuses[-1]


@builtin("bg")
async def b_bg(sh, argv):
    """Continue a stopped job in the background: ``[1]+ sleep 100 &``."""
    job = await _job_arg(sh, "bg", argv)
    if job is None:
        return 1
    if job.state == "Running":
        if sh.bash:
            await sh.error(f"bg: job {job.number} already in background")
        return 0
    job.state = "Running"
    sh.job_table.make_current(job)
    await out(sh, f"[{job.number}]{sh.job_table.mark(job)} {job.command} &\n")
    try:
        sh.proc.kill(-job.pgid, Signal.SIGCONT)
    except SimError:
        pass
    return 0


#: bash's shopt options and their defaults (the ones scripts and the
#: images' bashrc files touch).
SHOPT_DEFAULTS = {
    "checkwinsize": True, "cmdhist": True, "complete_fullquote": True, "expand_aliases": False,
    "extglob": False, "extquote": True, "force_fignore": True, "globstar": False,
    "histappend": False, "hostcomplete": True, "interactive_comments": True, "nocaseglob": False,
    "nullglob": False, "progcomp": True, "promptvars": True, "sourcepath": True, "dotglob": False,
    "failglob": False, "lastpipe": False, "login_shell": False,
}


@builtin("shopt")
async def b_shopt(sh, argv):
    """bash's ``shopt [-s|-u|-q|-p] [name...]`` (options are recorded, and
    shown; only their names matter here).  ash has no shopt."""
    if not sh.bash:
        await sh.write_stderr(f"{sh.dollar0}: shopt: not found\n")
        return 127
    opts = getattr(sh, "shopts", None)
    if opts is None:
        opts = sh.shopts = dict(SHOPT_DEFAULTS)
    args = list(argv[1:])
    mode = None
    quiet = False
    while args and args[0].startswith("-") and len(args[0]) > 1:
        flag = args.pop(0)
        if flag == "--":
            break
        for letter in flag[1:]:
            if letter in "su":
                mode = letter
            elif letter == "q":
                quiet = True
            elif letter in "po":
                pass
            else:
                await sh.error(f"shopt: -{letter}: invalid option")
                return 2
    status = 0
    for name in args:
        if name not in opts:
            await sh.error(f"shopt: {name}: invalid shell option name")
            status = 1
            continue
        if mode == "s":
            opts[name] = True
        elif mode == "u":
            opts[name] = False
        elif not quiet:
            await out(sh, f"{name:<15}\t{'on' if opts[name] else 'off'}\n")
        elif not opts[name]:
            status = 1
    if not args and mode is None:
        for name in sorted(opts):
            await out(sh, f"{name:<15}\t{'on' if opts[name] else 'off'}\n")
    return status


@builtin("history")
async def b_history(sh, argv):
    """The interactive line editor's history: bash numbers from 1 (``%5d
    ``), busybox ash's lineedit from 0 (``%4d ``); ``history -c`` (bash)
    clears it."""
    args = argv[1:]
    if sh.bash and args[:1] == ["-c"]:
        sh.history.clear()
        return 0
    entries = list(enumerate(sh.history, 1 if sh.bash else 0))
    if sh.bash and args and args[0].isdigit():
        entries = entries[-int(args[0]):] if int(args[0]) else []
    for n, line in entries:
        await out(sh, f"{n:5d}  {line}\n" if sh.bash else f"{n:4d} {line}\n")
    return 0
