"""Invoking the shell (POSIX sh(1), bash(1) "Invocation").

::

    sh -c 'command string' [name [arg...]]    # $0 = name, $1... = args
    sh script.sh [arg...]                     # read commands from a file
    sh [-s] [arg...]                          # read commands from stdin

plus the option letters of ``set`` (``-e -u -x -f -v -n -C -a``), ``-o
name``, ``-i`` (interactive), ``-l``/``--login``.

Commands are executed one complete command at a time, as soon as one has
been read: from stdin a line is read, appended to what is pending, and
parsed; an incomplete command (open quote, ``if`` without ``fi``, a
here-document still being typed) waits for more lines (prompting with
``PS2`` when interactive).  An interactive shell (stdin and stderr are
terminals, or ``-i``) prompts with ``PS1`` on stderr, as ash and bash do:
busybox's default ``\\w \\$ `` shows ``/ # `` for root; bash's Docker-image
default ``\\u@\\h:\\w\\$ `` shows ``root@abc123:/# ``.
"""

import posixpath

from ...abi import Signal
from ...io.waiter import POLLIN
from ...errors import Interrupted, SimError
from ..escapes import expand_escapes
from .interp import OPTION_LETTERS, Shell, ShellExit
from .jobs import SHELL_IGNORES, JobInterrupted, notify_done
from .lexer import Incomplete, Lexer, ShellSyntaxError
from .lineedit import LineEditor, LineInterrupted, can_edit
from .parser import Parser

SH_PS1 = "\\w \\$ "
BASH_PS1 = "\\u@\\h:\\w\\$ "


async def sh_main(proc, argv) -> int:
    """``sh`` / ``ash`` (busybox dispatches both here)."""
    return await shell_main(proc, argv, bash=False)


async def bash_main(proc, argv) -> int:
    return await shell_main(proc, argv, bash=True)


async def shell_main(proc, argv, *, bash: bool) -> int:
    name = argv[0] if argv else ("bash" if bash else "sh")
    sh = Shell(proc, bash=bash, name=name)
    args = list(argv[1:])
    command_flag = read_stdin = interactive_flag = login = False
    if name.startswith("-"):  # login shells are started as "-sh"
        login = True
    while args:
        arg = args[0]
        if arg == "--" or arg == "-":
            args.pop(0)
            break
        if arg.startswith("--"):
            args.pop(0)
            if arg == "--login":
                login = True
            elif arg in ("--rcfile", "--init-file"):
                if args:
                    args.pop(0)
            elif arg == "--version" and bash:
                await proc.write(1, "GNU bash, version 5.2.15(1)-release (x86_64-pc-linux-gnu)\n")
                return 0
            continue
        if arg[0] not in "-+" or len(arg) < 2:
            break
        args.pop(0)
        on = arg[0] == "-"
        for letter in arg[1:]:
            if letter == "c":
                command_flag = True
            elif letter == "s":
                read_stdin = True
            elif letter == "i":
                interactive_flag = True
            elif letter == "l":
                login = True
            elif letter == "o":
                if args:
                    option = args.pop(0)
                    if option in sh.options:
                        sh.options[option] = on
            elif letter in OPTION_LETTERS:
                sh.options[OPTION_LETTERS[letter]] = on
            else:
                if bash:
                    await proc.write(2, f"{name}: -{letter}: invalid option\n")
                else:
                    await proc.write(2, f"{name}: invalid option -- '{letter}'\n")
                return 2
    text = None
    if command_flag:
        if not args:
            await proc.write(2, f"{name}: -c: option requires an argument\n" if bash
                             else f"{name}: -c requires an argument\n")
            return 2
        text = args[0]
        if len(args) > 1:
            sh.dollar0 = args[1]
        sh.positional = args[2:]
        sh.mode = "c"
    elif args and not read_stdin:
        script = args[0]
        sh.dollar0 = script
        sh.positional = args[1:]
        sh.mode = "script"
        try:
            text = proc.read_file(script).decode("utf-8", "replace")
        except SimError as exc:
            if bash:
                await proc.write(2, f"{name}: {script}: {exc.strerror_text}\n")
                return 126 if exc.errno_value.name in ("EISDIR", "EACCES") else 127
            await proc.write(2, f"{name}: can't open '{script}': {exc.strerror_text}\n")
            return 2
    else:
        sh.positional = args
        sh.mode = "stdin"
        sh.interactive = interactive_flag or (proc.isatty(0) and proc.isatty(2))
    if sh.interactive:
        sh.vars.setdefault("PS1", BASH_PS1 if bash else SH_PS1)
        try:
            proc.signal(Signal.SIGINT, "catch")
            if proc.isatty(0):
                proc.signal(Signal.SIGWINCH, "catch")  # to redraw the prompt
        except (SimError, ValueError):
            pass
        start_job_control(sh)
    try:
        if login:
            await _source_if_exists(sh, "/etc/profile")
            home = sh.get_var("HOME")
            if home:
                await _source_if_exists(sh, posixpath.join(home, ".bash_profile" if bash else ".profile"))
        elif sh.interactive and bash:
            await _source_if_exists(sh, "/etc/bash.bashrc")
            home = sh.get_var("HOME")
            if home:
                await _source_if_exists(sh, posixpath.join(home, ".bashrc"))
        elif sh.interactive and sh.get_var("ENV"):
            await _source_if_exists(sh, sh.get_var("ENV"))
        if text is not None:
            status = await sh.run_source(text)
        else:
            status = await read_eval_loop(sh)
    except ShellExit as exc:
        status = exc.status
    return await sh.run_exit_trap(status)


def start_job_control(sh: Shell) -> None:
    """An interactive shell whose stdin is its controlling terminal turns
    job control on (``set -m``): it ignores the stop signals and SIGQUIT,
    leads a process group of its own and takes the terminal's foreground
    (`jobs`).  Without a terminal it stays off, silently."""
    proc = sh.proc
    if not proc.isatty(0):
        return
    try:
        proc.tcgetpgrp(0)  # ENOTTY unless it is our controlling terminal
    except SimError:
        return
    for sig in SHELL_IGNORES:
        try:
            proc.signal(sig, "ignore")
        except (SimError, ValueError):
            pass
    try:
        if proc.getpgrp() != proc.pid:
            proc.setpgid(0, 0)
        proc.tcsetpgrp(0, proc.getpgrp())
    except SimError:
        return
    sh.jc = True
    sh.options["monitor"] = True
    sh.shell_pgid = proc.getpgrp()


async def _source_if_exists(sh: Shell, path: str) -> None:
    try:
        text = sh.proc.read_file(path).decode("utf-8", "replace")
    except SimError:
        return
    mode = sh.mode
    try:
        await sh.eval_text(text)
    finally:
        sh.mode = mode


class LineReader:
    """Lines of the shell's input.  ash reads its input in blocks; bash
    reads a pipe one byte at a time so that commands it runs can read the
    rest of stdin (``printf 'read x\\nhello\\n' | bash``)."""

    def __init__(self, sh: Shell, fd: int = 0):
        self.sh = sh
        self.fd = fd
        self.buf = b""
        self.eof = False
        self.unbuffered = sh.bash and not sh.interactive
        self.editor = LineEditor(sh, fd) if sh.interactive else None

    async def readline(self):
        proc = self.sh.proc
        if self.editor is not None and not self.buf and not self.eof:
            saved = can_edit(proc, self.fd)
            if saved is not None:
                try:
                    return await self.editor.readline(saved)
                except LineInterrupted:
                    raise KeyboardInterruptLine()
        while b"\n" not in self.buf and not self.eof:
            try:
                data = await proc.read(self.fd, 1 if self.unbuffered else 65536)
            except Interrupted:
                signals = proc.take_signals()
                if self.sh.interactive and Signal.SIGINT in signals:
                    self.buf = b""
                    raise KeyboardInterruptLine()
                if self.sh.interactive and Signal.SIGWINCH in signals:
                    signals = [s for s in signals if s != Signal.SIGWINCH]
                    # The line editor's redraw on a new window size (back
                    # to the start of the line, the prompt again), unless
                    # the line was already entered.
                    if self.sh.last_prompt and not self.buf and \
                            not await proc.poll([(self.fd, POLLIN)], 0):
                        await self.sh.write_stderr("\r" + self.sh.last_prompt)
                self.sh.pending_signals.extend(signals)
                await self.sh.run_pending_traps()
                continue
            except SimError:
                data = b""
            if not data:
                self.eof = True
                break
            self.buf += data
        if not self.buf:
            return None
        idx = self.buf.find(b"\n")
        if idx < 0:
            line, self.buf = self.buf, b""
        else:
            line, self.buf = self.buf[:idx + 1], self.buf[idx + 1:]
        return line.decode("utf-8", "surrogateescape")


class KeyboardInterruptLine(Exception):
    """Ctrl-C at the prompt: the line being typed is discarded."""


def _parse_all(sh: Shell, text: str, final: bool):
    parser = Parser(Lexer(text, bash=sh.bash, final=final))
    nodes = []
    while True:
        node = parser.parse_next()
        if node is None:
            return nodes
        nodes.append(node)


async def read_eval_loop(sh: Shell) -> int:
    reader = LineReader(sh)
    pending = ""
    while True:
        if sh.jc and not pending:
            await notify_done(sh)
        if sh.interactive:
            sh.last_prompt = await prompt(sh, "PS1" if not pending else "PS2")
            await sh.write_stderr(sh.last_prompt)
        try:
            line = await reader.readline()
        except KeyboardInterruptLine:
            pending = ""
            await sh.write_stderr("\n")
            sh.status = 130
            continue
        if line is None:
            if pending.strip():
                await _run_text(sh, pending, final=True)
            if sh.interactive and sh.bash:
                await sh.write_stderr("exit\n")
            return sh.status
        pending += line
        if pending.endswith("\\\n") and not pending.endswith("\\\\\n"):
            continue
        sh.current_text = pending
        try:
            if not await _run_text(sh, pending, final=False):
                continue
        except JobInterrupted:
            # The foreground job died of ^C: the rest of the line is
            # abandoned, as ash's and bash's SIGINT unwind it.
            await sh.write_stderr("\n")
            sh.status = 130
        pending = ""


async def _run_text(sh: Shell, text: str, final: bool) -> bool:
    """Parse and run ``text``; False when it is an incomplete command."""
    try:
        nodes = _parse_all(sh, text, final)
    except Incomplete as exc:
        if not final:
            return False
        await _report(sh, exc, text)
        return True
    except ShellSyntaxError as exc:
        await _report(sh, exc, text)
        return True
    for node in nodes:
        await sh.run_toplevel(node)
    return True


async def _report(sh: Shell, exc: ShellSyntaxError, text: str) -> None:
    lines = text.splitlines()
    src = lines[exc.line - 1].strip() if 0 < exc.line <= len(lines) else ""
    await sh.syntax_error(exc, src)
    sh.status = 2
    if not sh.interactive:
        raise ShellExit(2)


async def prompt(sh: Shell, name: str) -> str:
    """The prompt ``name`` (PS1, PS2) as the shell shows it: its backslash
    escapes, then parameter expansion (bash's ``promptvars``, ash's
    expandstr), so Debian's ``${debian_chroot:+($debian_chroot)}`` shows
    nothing outside a chroot."""
    text = expand_prompt(sh, sh.get_var(name) or "")
    if "$" not in text and "`" not in text:
        return text
    if sh.bash and not getattr(sh, "shopts", {}).get("promptvars", True):
        return text
    from .ast import Word
    from .expand import ExpansionError, expand_string

    try:
        word = Word(tuple(Lexer(text, bash=sh.bash)._scan_parts("heredoc")), text)
        return await expand_string(sh, word, tilde=False)
    except (ShellSyntaxError, ExpansionError, Incomplete):
        return text


def expand_prompt(sh: Shell, text: str) -> str:
    """The prompt escapes of bash and ash: ``\\u \\h \\H \\w \\W \\$ \\n
    \\s \\v \\\\ \\[ \\]``."""

    def escape(text: str, i: int):
        return _prompt_escape(sh, text[i]), i + 1

    return expand_escapes(text, escape)[0]


def _prompt_escape(sh: Shell, e: str) -> str:
    """What the prompt shows for ``\\`` followed by ``e``."""
    if e == "u":
        return sh.user_name()
    if e == "h":
        return sh.proc.gethostname().split(".")[0]
    if e == "H":
        return sh.proc.gethostname()
    if e in ("w", "W"):
        pwd = sh.get_var("PWD") or sh.proc.cwd
        home = sh.get_var("HOME")
        if e == "W":
            return "~" if home and pwd == home else (posixpath.basename(pwd) or "/")
        if home and home != "/" and (pwd == home or pwd.startswith(home + "/")):
            return "~" + pwd[len(home):]
        return pwd
    if e == "$":
        return "#" if sh.proc.uid == 0 else "$"
    if e == "n":
        return "\n"
    if e == "s":
        return posixpath.basename(sh.dollar0)
    if e == "v":
        return "5.2"
    if e == "\\":
        return "\\"
    if e in "[]":  # bash's brackets around non-printing characters
        return ""
    return "\\" + e
