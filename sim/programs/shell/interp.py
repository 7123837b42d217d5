"""The interpreter: executing commands (POSIX 2.9) over the simulated
system calls.

`Shell` holds the shell execution environment (2.12): variables and which
are exported, positional parameters, functions, options, traps, the last
exit status.  Executing a node is a method per node type:

* simple commands (2.9.1): expand words, then run a special builtin, a
  function, a regular builtin, or an external program found on ``PATH``
  (``proc.spawn`` + ``proc.wait``).  Redirections around builtins and
  functions are applied in the shell and undone afterwards (save with
  ``dup``, restore with ``dup2``).
* pipelines (2.9.2): every stage runs in a forked subshell (``proc.fork``)
  with its stdin/stdout joined by ``proc.pipe()``; a stage that is a plain
  external command replaces the subshell (``proc.exec``), as real shells
  do, so ``ps`` shows ``sort`` rather than a second ``sh``.
* lists (2.9.3), compound commands (2.9.4), functions (2.9.5).

A subshell (``( )``, command substitution, a pipeline stage, ``&``) is a
forked child that continues with a *copy* of the environment, which is how
assignments in it stay invisible to the parent.

Control flow (``break``, ``continue``, ``return``, ``exit``) unwinds the
Python stack with private exceptions.  ``trap`` catches signals through
``proc.signal(sig, "catch")``; a caught signal interrupts the blocking call
in progress (`Interrupted`), and its trap runs once the current foreground
command is done, as 2.11 requires.
"""

import posixpath
import random
from typing import Dict, List, Optional

from ...abi import (
    O_APPEND, O_CREAT, O_RDONLY, O_RDWR, O_TRUNC, O_WRONLY, S_ISDIR, S_ISREG, Errno, Signal, text_bytes,
)
from ...errors import ExecReplace, Interrupted, SimError
from . import arith as arith_mod
from .ast import (
    AndOr, BraceGroup, Case, DoubleBracket, For, FunctionDef, If, Loop, Pipeline, Redirect,
    Sequence, SimpleCommand, Subshell,
)
from .expand import (
    ExpansionError, expand_assignment, expand_pattern, expand_string, expand_words,
)
from .lexer import Incomplete, Lexer, ShellSyntaxError, is_name_char, is_name_start
from .parser import Parser
from . import pattern
from .jobs import SHELL_IGNORES, Job, JobInterrupted, JobTable, reap as reap_job_table

HEREDOC_PIPE_LIMIT = 60000


class ShellExit(Exception):
    """``exit n`` (or a fatal error): unwinds to the top of the shell."""

    def __init__(self, status: int):
        super().__init__(status)
        self.status = status & 0xFF


class LoopControl(Exception):
    """``break n`` / ``continue n``."""

    def __init__(self, kind: str, levels: int):
        super().__init__(kind)
        self.kind = kind
        self.levels = levels


class FunctionReturn(Exception):
    def __init__(self, status: int):
        super().__init__(status)
        self.status = status & 0xFF


class RedirectError(Exception):
    pass


OPTION_LETTERS = {"e": "errexit", "u": "nounset", "x": "xtrace", "f": "noglob", "v": "verbose",
                  "n": "noexec", "C": "noclobber", "a": "allexport", "m": "monitor"}


class Shell:
    """One shell execution environment."""

    def __init__(self, proc, *, bash: bool = False, name: str = "sh"):
        self.proc = proc
        self.bash = bash
        self.dollar0 = name
        self.vars: Dict[str, str] = {}
        self.exported: set = set()
        self.readonly: set = set()
        self.positional: List[str] = []
        self.functions: Dict[str, object] = {}
        self.aliases: Dict[str, str] = {}
        self.options = {name: False for name in OPTION_LETTERS.values()}
        self.options["pipefail"] = False
        self.status = 0
        self.last_bg: Optional[int] = None
        self.jobs: Dict[int, Optional[int]] = {}
        self.traps: Dict[object, str] = {}
        self.pending_signals: list = []
        self.top_pid = proc.pid
        self.local_stack: List[dict] = []
        self.loop_depth = 0
        self.errexit_suppressed = 0
        self.interactive = False
        #: Job control (``set -m`` on a terminal: `jobs`); only the
        #: interactive shell itself, never its subshells.
        self.jc = False
        self.job_table = JobTable()
        self.shell_pgid = 0
        #: While a pipeline's processes are being started as one job.
        self.building_job = False
        #: The text of the command line being run (a job's name).
        self.current_text = ""
        #: The prompt last shown (an interactive shell redraws it when the
        #: terminal's size changes, as ash's and bash's line editors do).
        self.last_prompt = ""
        #: The interactive line editor's history, oldest first.
        self.history = []
        self.mode = "c"  # "c", "script", "stdin"
        self.lineno = 0
        self.cmdsub_status: Optional[int] = None
        self.saved_fds: set = set()
        self.in_trap = False
        self.getopts_state = (0, 0)
        self.rng = random.Random(proc.pid)
        env = dict(proc.env)
        for k, v in env.items():
            if is_valid_name(k):
                self.vars[k] = v
                self.exported.add(k)
        self.vars.setdefault("IFS", " \t\n")
        if "PATH" not in self.vars:
            self.vars["PATH"] = ("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" if bash
                                 else "/sbin:/usr/sbin:/bin:/usr/bin")
        self.vars["PS2"] = "> "
        self.vars["PS4"] = "+ "
        self.vars["OPTIND"] = "1"
        self.vars["PPID"] = str(proc.ppid)
        pwd = self.vars.get("PWD")
        try:
            if not pwd or not pwd.startswith("/") or proc.realpath(pwd) != proc.realpath(proc.cwd):
                pwd = proc.cwd
        except SimError:
            pwd = proc.cwd
        self.vars["PWD"] = pwd
        self.exported.add("PWD")
        if bash:
            self.vars.setdefault("BASH", "/bin/bash")
            self.vars["BASH_VERSION"] = "5.2.15(1)-release"
            self.vars["UID"] = str(proc.uid)
            self.vars["EUID"] = str(proc.uid)
            self.vars.setdefault("HOSTNAME", proc.gethostname())
            try:
                level = int(self.vars.get("SHLVL", "0")) + 1
            except ValueError:
                level = 1
            self.vars["SHLVL"] = str(level)
            self.exported.add("SHLVL")

    # ------------------------------------------------------------------
    # variables and parameters (2.5)

    def get_var(self, name: str) -> Optional[str]:
        return self.vars.get(name)

    def set_var(self, name: str, value: str, export: bool = False) -> None:
        if name in self.readonly:
            raise ExpansionError(f"{name}: readonly variable" if self.bash
                                 else f"{name}: is read only")
        self.vars[name] = value
        if export or self.options["allexport"]:
            self.exported.add(name)

    def unset_var(self, name: str) -> None:
        if name in self.readonly:
            raise ExpansionError(f"{name}: readonly variable" if self.bash
                                 else f"{name}: is read only")
        self.vars.pop(name, None)
        self.exported.discard(name)

    @staticmethod
    def is_name(name: str) -> bool:
        return is_valid_name(name)

    def unset_message(self, name: str) -> str:
        return f"{name}: unbound variable" if self.bash else f"{name}: parameter not set"

    def get_param(self, name: str) -> Optional[str]:
        if name.isdigit():
            n = int(name)
            if n == 0:
                return self.dollar0
            return self.positional[n - 1] if n <= len(self.positional) else None
        if name == "?":
            return str(self.status)
        if name == "$":
            return str(self.top_pid)
        if name == "!":
            return str(self.last_bg) if self.last_bg is not None else None
        if name == "#":
            return str(len(self.positional))
        if name == "-":
            return self.flags()
        if name in ("@", "*"):
            return " ".join(self.positional)
        if name == "LINENO":
            return str(self.lineno)
        if name == "RANDOM" and "RANDOM" not in self.readonly:
            return str(self.rng.randrange(32768))
        return self.vars.get(name)

    def flags(self) -> str:
        letters = "".join(k for k, v in OPTION_LETTERS.items() if self.options[v])
        if self.interactive:
            letters += "i"
        if self.mode == "c":
            letters += "c"
        elif self.mode == "stdin":
            letters += "s"
        return letters

    def environment(self) -> Dict[str, str]:
        env = {k: self.vars[k] for k in self.exported if k in self.vars}
        return env

    def spawn_env(self, extra: "Optional[dict]" = None) -> Dict[str, str]:
        env = self.environment()
        if extra:
            env.update(extra)
        if "PATH" not in env and "PATH" in self.vars:
            env["PATH"] = self.vars["PATH"]
        return env

    def home_of(self, user: "Optional[str]") -> Optional[str]:
        try:
            text = self.proc.read_file("/etc/passwd").decode(errors="replace")
        except SimError:
            return None
        for line in text.splitlines():
            fields = line.split(":")
            if len(fields) >= 6:
                if (user is None and fields[2] == str(self.proc.uid)) or fields[0] == user:
                    return fields[5]
        return None

    def user_name(self) -> str:
        try:
            text = self.proc.read_file("/etc/passwd").decode(errors="replace")
        except SimError:
            text = ""
        for line in text.splitlines():
            fields = line.split(":")
            if len(fields) >= 3 and fields[2] == str(self.proc.uid):
                return fields[0]
        return "root" if self.proc.uid == 0 else "I have no name!"

    def arith(self, expr: str) -> int:
        try:
            return arith_mod.evaluate(expr, self.get_param, lambda n, v: self.set_var(n, v))
        except arith_mod.ArithError as exc:
            if self.bash:
                raise ExpansionError(f"{expr.strip()}: {exc}") from None
            raise ExpansionError("arithmetic syntax error" if "syntax" in str(exc) else str(exc)) from None

    # ------------------------------------------------------------------
    # messages

    def prefix(self) -> str:
        """What precedes an error message: ``sh: `` for ``-c`` in ash,
        ``script: line N: `` for scripts, ``bash: line N: `` for bash."""
        if self.interactive:
            return f"{self.dollar0}: "
        if self.bash or self.mode == "script":
            return f"{self.dollar0}: line {self.lineno}: "
        return f"{self.dollar0}: "

    async def error(self, message: str) -> None:
        await self.write_stderr(self.prefix() + message + "\n")

    async def write_stderr(self, text: str) -> None:
        try:
            await self.proc.write(2, text)
        except SimError:
            pass
        except Interrupted:
            self.queue_signals()

    def queue_signals(self) -> list:
        """Take the signals that interrupted a system call and queue them:
        their traps run at the next point where the shell may run them.
        Returns them."""
        signals = self.proc.take_signals()
        self.pending_signals.extend(signals)
        return signals

    def interrupted_status(self) -> int:
        """After a command was interrupted by signals (now queued): the
        status 128+N of the last signal pending."""
        self.queue_signals()
        return 128 + int(self.pending_signals[-1]) if self.pending_signals else 1

    async def syntax_error(self, exc: ShellSyntaxError, source_line: str = "") -> None:
        self.lineno = exc.line or self.lineno
        if self.bash:
            if exc.token is not None and not isinstance(exc, Incomplete):
                tok = exc.token
                await self.error(f"syntax error near unexpected token `{tok}'")
                if source_line:
                    await self.error(f"`{source_line}'")
            elif isinstance(exc, Incomplete) and exc.token in ("'", '"', "`"):
                await self.error(f"unexpected EOF while looking for matching `{exc.token}'")
            elif isinstance(exc, Incomplete):
                await self.error("syntax error: unexpected end of file")
            else:
                await self.error(exc.message)
        else:
            if isinstance(exc, Incomplete) and exc.token in ("'", '"', "`"):
                msg = "syntax error: unterminated quoted string"
            elif isinstance(exc, Incomplete):
                msg = "syntax error: unexpected end of file"
            elif exc.token is not None:
                msg = f'syntax error: unexpected "{exc.token}"' if exc.token != "newline" \
                    else "syntax error: unexpected newline"
            else:
                msg = f"syntax error: {exc.message}"
            await self.write_stderr(f"{self.dollar0}: line {self.lineno}: {msg}\n")

    # ------------------------------------------------------------------
    # running source text

    async def run_source(self, text: str, *, fatal_syntax: bool = True) -> int:
        """Parse and execute ``text`` one complete command at a time."""
        parser = Parser(Lexer(text, bash=self.bash))
        status = 0
        while True:
            try:
                node = parser.parse_next()
            except ShellSyntaxError as exc:
                lines = text.splitlines()
                src_line = lines[exc.line - 1] if 0 < exc.line <= len(lines) else ""
                await self.syntax_error(exc, src_line.strip())
                self.status = 2
                if fatal_syntax:
                    raise ShellExit(2)
                return 2
            if node is None:
                return status
            status = await self.run_toplevel(node)

    async def run_toplevel(self, node) -> int:
        try:
            status = await self.run(node)
        except Interrupted:
            status = self.interrupted_status()
            self.status = status
        except ExpansionError as exc:
            await self.error(str(exc))
            status = 1 if self.bash else 2
            self.status = status
            if not self.interactive:
                raise ShellExit(status)
        except LoopControl:
            status = 0
        await self.run_pending_traps()
        if self.jc:
            await reap_job_table(self)
        elif self.jobs:
            await self.reap_jobs()
        return status

    async def eval_text(self, text: str) -> int:
        return await self.run_source(text, fatal_syntax=False)

    # ------------------------------------------------------------------
    # traps and signals (2.11, trap)

    async def run_pending_traps(self) -> None:
        if self.in_trap:
            return
        signals = self.pending_signals + self.proc.take_signals()
        self.pending_signals = []
        for sig in signals:
            text = self.traps.get(Signal(int(sig)))
            if text:
                saved = self.status
                self.in_trap = True
                try:
                    await self.eval_text(text)
                finally:
                    self.in_trap = False
                self.status = saved

    async def run_exit_trap(self, status: int) -> int:
        text = self.traps.pop("EXIT", None)
        if not text:
            return status
        self.status = status
        try:
            await self.eval_text(text)
        except ShellExit as exc:
            return exc.status
        except (LoopControl, FunctionReturn):
            pass
        return status

    async def reap_jobs(self) -> None:
        """Collect finished background jobs (so they leave no zombies)."""
        while any(v is None for v in self.jobs.values()):
            try:
                res = await self.proc.wait(-1, nohang=True)
            except (SimError, Interrupted):
                return
            if res is None:
                return
            pid, st = res
            if pid in self.jobs:
                self.jobs[pid] = st.exit_code

    async def wait_child(self, pid: int) -> int:
        """Wait for a foreground child; a caught signal arriving meanwhile is
        remembered, and its trap runs after the child is done."""
        while True:
            try:
                res = await self.proc.wait(pid)
            except Interrupted:
                self.queue_signals()
                continue
            except SimError:
                return 127
            return res[1].exit_code

    # ------------------------------------------------------------------
    # executing nodes

    async def run(self, node, tail: bool = False) -> int:
        if node is None:
            return 0
        kind = type(node)
        if kind is SimpleCommand:
            status = await self.run_simple(node, tail)
        elif kind is Pipeline:
            status = await self.run_pipeline(node)
        elif kind is AndOr:
            status = await self.run_andor(node)
        elif kind is Sequence:
            status = await self.run_sequence(node, tail)
        else:
            status = await self.with_redirects(node.redirects if hasattr(node, "redirects") else (),
                                               self._compound, node)
        self.status = status
        if (status and self.options["errexit"] and not self.errexit_suppressed
                and kind in (SimpleCommand, Pipeline, Subshell, DoubleBracket)
                and not (kind is Pipeline and node.negated)):
            raise ShellExit(status)
        return status

    async def _compound(self, node) -> int:
        kind = type(node)
        if kind is BraceGroup:
            return await self.run(node.body)
        if kind is Subshell:
            return await self.run_subshell(node.body)
        if kind is If:
            return await self.run_if(node)
        if kind is Loop:
            return await self.run_loop(node)
        if kind is For:
            return await self.run_for(node)
        if kind is Case:
            return await self.run_case(node)
        if kind is FunctionDef:
            self.functions[node.name] = node.body
            return 0
        if kind is DoubleBracket:
            return await self.run_double_bracket(node)
        raise TypeError(node)  # pragma: no cover

    async def run_sequence(self, node: Sequence, tail: bool) -> int:
        status = 0
        last = len(node.items) - 1
        for i, (item, background) in enumerate(node.items):
            if background:
                status = await self.run_background(item)
            else:
                status = await self.run(item, tail and i == last)
        return status

    async def run_andor(self, node: AndOr) -> int:
        items = [("", node.first)] + list(node.rest)
        status = 0
        for i, (op, item) in enumerate(items):
            if op == "&&" and status != 0:
                continue
            if op == "||" and status == 0:
                continue
            if i < len(items) - 1:
                self.errexit_suppressed += 1
                try:
                    status = await self.run(item)
                finally:
                    self.errexit_suppressed -= 1
            else:
                status = await self.run(item)
        return status

    async def run_condition(self, node) -> int:
        self.errexit_suppressed += 1
        try:
            return await self.run(node)
        finally:
            self.errexit_suppressed -= 1

    async def run_if(self, node: If) -> int:
        for cond, body in node.clauses:
            if await self.run_condition(cond) == 0:
                return await self.run(body)
        if node.else_body is not None:
            return await self.run(node.else_body)
        return 0

    async def _loop_body(self, body) -> "Optional[str]":
        """Run a loop body; returns "break"/"continue" when one applies to
        this loop."""
        try:
            await self.run(body)
        except LoopControl as lc:
            if lc.levels > 1:
                lc.levels -= 1
                raise
            return lc.kind
        return None

    async def _repeat(self, body, next_pass) -> int:
        """What every loop does: while ``await next_pass()`` says there is
        another pass, run ``body``, stopping at ``break`` (``continue`` only
        ends the pass).  Meanwhile the loop counts in ``loop_depth``, so
        break and continue know they are in one.  Returns the status of the
        last body run, 0 when none ran."""
        status = 0
        self.loop_depth += 1
        try:
            while await next_pass():
                action = await self._loop_body(body)
                status = self.status
                if action == "break":
                    break
        finally:
            self.loop_depth -= 1
        return status

    async def run_loop(self, node: Loop) -> int:
        async def condition_holds() -> bool:
            await self.proc.checkpoint()
            succeeded = await self.run_condition(node.cond) == 0
            return succeeded != node.until

        return await self._repeat(node.body, condition_holds)

    async def run_for(self, node: For) -> int:
        if node.words is None:
            values = list(self.positional)
        else:
            values = await expand_words(self, node.words)
        remaining = iter(values)

        async def next_value() -> bool:
            value = next(remaining, None)  # the words are strings: None is the end
            if value is None:
                return False
            self.set_var(node.name, value)
            return True

        return await self._repeat(node.body, next_value)

    async def run_case(self, node: Case) -> int:
        subject = await expand_string(self, node.word)
        falling = False
        for item in node.items:
            hit = falling
            if not hit:
                for pat in item.patterns:
                    if pattern.matches(await expand_pattern(self, pat), subject):
                        hit = True
                        break
            if hit:
                status = await self.run(item.body) if item.body is not None else 0
                if item.fallthrough:
                    falling = True
                    continue
                return status
        return 0

    async def run_double_bracket(self, node: DoubleBracket) -> int:
        from .test import double_bracket

        tokens = []
        for word in node.words:
            text = await expand_string(self, word)
            segs = await expand_pattern(self, word)
            tokens.append((text, segs, word.literal() is not None))
        status, message = double_bracket(self.proc, tokens)
        if message:
            await self.error(message)
        return status

    # -- subshells ----------------------------------------------------------

    def subshell(self, child_proc) -> "Shell":
        """A copy of this environment for a forked child (2.12): traps that
        are caught go back to their defaults; ignored ones stay ignored."""
        sub = object.__new__(Shell)
        sub.__dict__.update(self.__dict__)
        sub.proc = child_proc
        sub.vars = dict(self.vars)
        sub.exported = set(self.exported)
        sub.readonly = set(self.readonly)
        sub.positional = list(self.positional)
        sub.functions = dict(self.functions)
        sub.aliases = dict(self.aliases)
        sub.options = dict(self.options)
        sub.jobs = {}
        sub.pending_signals = []
        sub.local_stack = [dict(f) for f in self.local_stack]
        sub.traps = {k: v for k, v in self.traps.items() if v == ""}
        sub.saved_fds = set()
        sub.rng = random.Random(child_proc.pid)
        sub.in_trap = False
        sub.jc = False
        sub.building_job = False
        sub.job_table = JobTable()
        if self.jc:
            for sig in SHELL_IGNORES:
                if sig not in self.traps:
                    try:
                        child_proc.signal(sig, "default")
                    except (SimError, ValueError):
                        pass
        if self.interactive:
            for sig in (Signal.SIGINT, Signal.SIGWINCH):
                if sig not in self.traps:
                    try:
                        child_proc.signal(sig, "default")
                    except (SimError, ValueError):
                        pass
        for key, text in self.traps.items():
            if isinstance(key, Signal) and text:
                try:
                    child_proc.signal(key, "default")
                except (SimError, ValueError):
                    pass
        for fd in self.saved_fds:
            try:
                child_proc.close(fd)
            except SimError:
                pass
        return sub

    async def run_in_child(self, node) -> int:
        """Body of a forked subshell: run ``node`` (the last command may
        replace the process), then the EXIT trap."""
        try:
            status = await self.run(node, tail=not self.traps)
        except ShellExit as exc:
            status = exc.status
        except (LoopControl, FunctionReturn) as exc:
            status = getattr(exc, "status", 0)
        except ExpansionError as exc:
            await self.error(str(exc))
            status = 1 if self.bash else 2
        except Interrupted:
            status = self.interrupted_status()
        await self.run_pending_traps()
        return await self.run_exit_trap(status)

    async def run_subshell(self, body) -> int:
        async def child(cproc):
            return await self.subshell(cproc).run_in_child(body)

        pid = await self.proc.fork(child)
        if self.jc and not self.building_job:
            return await self.foreground_job([pid])
        return await self.wait_child(pid)

    async def run_background(self, node) -> int:
        interactive = self.interactive

        async def child(cproc):
            sub = self.subshell(cproc)
            sub.interactive = False
            if not interactive:
                try:
                    fd = cproc.open("/dev/null", O_RDONLY)
                    if fd != 0:
                        cproc.dup2(fd, 0)
                        cproc.close(fd)
                except SimError:
                    pass
            return await sub.run_in_child(node)

        pid = await self.proc.fork(child)
        self.last_bg = pid
        self.jobs[pid] = None
        if self.jc:
            try:
                self.proc.setpgid(pid, pid)
            except SimError:
                pass
            job = self.job_table.add(pid, [pid], self.job_text(background=True))
            await self.write_stderr(f"[{job.number}] {pid}\n")
        return 0

    # -- job control (jobs.py) -------------------------------------------------
    def job_text(self, background: bool = False) -> str:
        text = self.current_text.strip()
        if background and text.endswith("&"):
            text = text[:-1].rstrip()
        return text

    def join_job(self, pid: int, pgid: int, foreground: bool = True) -> None:
        """Put a new child in the job's process group (and the group on the
        terminal), from the parent's side as shells do."""
        try:
            self.proc.setpgid(pid, pgid)
        except SimError:
            pass
        if foreground:
            try:
                self.proc.tcsetpgrp(0, pgid)
            except SimError:
                pass

    def take_terminal(self) -> None:
        try:
            self.proc.tcsetpgrp(0, self.shell_pgid)
        except SimError:
            pass

    def child_signal_defaults(self, on: bool) -> None:
        """Around a spawn: the child must not inherit the signals the
        shell ignores for itself."""
        for sig in SHELL_IGNORES:
            if sig in self.traps:
                continue
            try:
                self.proc.signal(sig, "default" if on else "ignore")
            except (SimError, ValueError):
                pass

    async def foreground_job(self, pids: list, job: "Optional[Job]" = None) -> int:
        """Run the processes ``pids`` as a foreground job: its own group
        holds the terminal until every process ended or one stopped."""
        if job is None:
            for pid in pids:
                self.join_job(pid, pids[0])
            job = Job(0, pids[0], {pid: None for pid in pids}, self.job_text())
        statuses = await self.wait_job(job)
        return statuses[-1]

    async def wait_job(self, job: Job) -> list:
        """Wait (WUNTRACED) for the foreground ``job``; the exit codes of
        its processes.  Raises JobInterrupted when it died of SIGINT."""
        from ...proc.task import WaitStatus

        stopped = None
        for pid, st in list(job.procs.items()):
            if st is not None:
                continue
            while True:
                try:
                    res = await self.proc.wait(pid, untraced=True)
                except Interrupted:
                    self.queue_signals()
                    continue
                except SimError:
                    job.procs[pid] = WaitStatus(code=127)
                    break
                if res[1].stopped is not None:
                    stopped = res[1].stopped
                else:
                    job.procs[pid] = res[1]
                break
            if stopped is not None:
                break
        self.take_terminal()
        table = self.job_table
        if stopped is not None:
            job.state = "Stopped"
            job.stop_signal = stopped
            if job not in table.jobs:
                job.number = max((j.number for j in table.jobs), default=0) + 1
                table.jobs.append(job)
            table.make_current(job)
            job.notified = True
            for pid in job.procs:
                self.jobs.setdefault(pid, None)
            await self.write_stderr("\n" + table.line(job, self.bash) + "\n")
            return [128 + int(stopped)] * len(job.procs)
        job.state = "Done"
        table.remove(job)
        for pid in job.procs:
            self.jobs.pop(pid, None)
        statuses = list(job.procs.values())
        if any(st.signal == Signal.SIGINT for st in statuses):
            raise JobInterrupted()
        last = statuses[-1]
        if last.signal is not None and last.signal != Signal.SIGPIPE:
            from .jobs import _signal_text

            await self.write_stderr(_signal_text(last.signal) + "\n")
        return [st.exit_code for st in statuses]

    async def command_substitution(self, body) -> str:
        """2.6.3: run ``body`` in a subshell whose stdout is a pipe; the
        output, minus trailing newlines, replaces the expansion."""
        if body is None:
            return ""
        r, w = self.proc.pipe()

        async def child(cproc):
            cproc.close(r)
            if w != 1:
                cproc.dup2(w, 1)
                cproc.close(w)
            return await self.subshell(cproc).run_in_child(body)

        try:
            pid = await self.proc.fork(child)
        finally:
            self.proc.close(w)
        chunks = []
        try:
            while True:
                try:
                    data = await self.proc.read(r)
                except Interrupted:
                    self.queue_signals()
                    continue
                if not data:
                    break
                chunks.append(data)
        finally:
            self.proc.close(r)
        status = await self.wait_child(pid)
        self.cmdsub_status = status
        self.status = status
        return b"".join(chunks).decode("utf-8", "surrogateescape").rstrip("\n")

    # -- pipelines (2.9.2) --------------------------------------------------

    async def run_pipeline(self, node: Pipeline) -> int:
        if len(node.commands) == 1:
            if node.negated:
                status = await self.run_condition(node.commands[0])
            else:
                status = await self.run(node.commands[0])
            return int(status == 0) if node.negated else status
        pids = []
        prev_r = None
        n = len(node.commands)
        job_control = self.jc and not self.building_job
        if job_control:
            self.building_job = True
        try:
            return await self._pipeline_stages(node, pids, prev_r, n, job_control)
        finally:
            if job_control:
                self.building_job = False

    async def _pipeline_stages(self, node, pids, prev_r, n, job_control) -> int:
        for i, command in enumerate(node.commands):
            r = w = None
            if i < n - 1:
                r, w = self.proc.pipe()
            in_fd, out_fd, other = prev_r, w, r

            def make_child(command, in_fd, out_fd, other):
                async def child(cproc):
                    if other is not None and other not in (in_fd, out_fd):
                        cproc.close(other)
                    if in_fd is not None and in_fd != 0:
                        cproc.dup2(in_fd, 0)
                        cproc.close(in_fd)
                    if out_fd is not None and out_fd != 1:
                        cproc.dup2(out_fd, 1)
                        cproc.close(out_fd)
                    return await self.subshell(cproc).run_in_child(command)
                return child

            pid = await self.proc.fork(make_child(command, in_fd, out_fd, other))
            pids.append(pid)
            if job_control:
                self.join_job(pid, pids[0])
            if prev_r is not None:
                self.proc.close(prev_r)
            if w is not None:
                self.proc.close(w)
            prev_r = r
        if job_control:
            self.building_job = False
            job = Job(0, pids[0], {pid: None for pid in pids}, self.job_text())
            statuses = await self.wait_job(job)
        else:
            statuses = [await self.wait_child(pid) for pid in pids]
        status = statuses[-1]
        if self.options["pipefail"]:
            for s in statuses:
                if s:
                    status = s
        if node.negated:
            status = int(status == 0)
        return status

    # -- simple commands (2.9.1) --------------------------------------------

    async def run_simple(self, cmd: SimpleCommand, tail: bool = False) -> int:
        await self.proc.checkpoint()
        if cmd.line:
            self.lineno = cmd.line
        self.cmdsub_status = None
        try:
            argv = await expand_words(self, cmd.words)
        except ExpansionError as exc:
            await self.error(str(exc))
            if not self.interactive:
                raise ShellExit(1 if self.bash else 2)
            return 1
        try:
            status = await self._run_simple(cmd, argv, tail)
        except Interrupted:
            status = self.interrupted_status()
        self.status = status
        if self.pending_signals or not self.in_trap:
            await self.run_pending_traps()
        return status

    async def _assignments(self, cmd: SimpleCommand) -> "Optional[Dict[str, str]]":
        values = {}
        for a in cmd.assigns:
            value = await expand_assignment(self, a.value)
            if a.append:
                value = values.get(a.name, self.vars.get(a.name, "")) + value
            values[a.name] = value
        return values

    async def _run_simple(self, cmd: SimpleCommand, argv: List[str], tail: bool) -> int:
        from .builtins import BUILTINS, SPECIAL_BUILTINS

        try:
            assigns = await self._assignments(cmd)
        except ExpansionError as exc:
            await self.error(str(exc))
            if not self.interactive:
                raise ShellExit(1 if self.bash else 2)
            return 1
        if self.options["xtrace"]:
            await self.xtrace([f"{k}={v}" for k, v in assigns.items()] + argv)
        if not argv:
            try:
                for name, value in assigns.items():
                    self.set_var(name, value)
            except ExpansionError as exc:
                await self.error(str(exc))
                if not (self.bash or self.interactive):
                    raise ShellExit(2)  # ash: an assignment error is fatal
                return 1
            status = self.cmdsub_status if self.cmdsub_status is not None else 0
            if cmd.redirects:
                saved = await self.apply_redirects(cmd.redirects)
                if saved is None:
                    return 1
                self.restore_redirects(saved)
            return status
        name = argv[0]
        if name == "exec":
            return await self.builtin_exec(argv, assigns, cmd.redirects)
        if name in SPECIAL_BUILTINS:
            try:
                for k, v in assigns.items():
                    self.set_var(k, v)
            except ExpansionError as exc:
                await self.error(str(exc))
                return 1
            return await self.with_redirects(cmd.redirects, self.run_builtin, BUILTINS[name], argv)
        if name in self.functions:
            return await self.with_temp_assigns(assigns, cmd.redirects, self.call_function, argv)
        if name in BUILTINS and not (name == "command" and False):
            return await self.with_temp_assigns(assigns, cmd.redirects, self.run_builtin,
                                                BUILTINS[name], argv)
        if tail:
            saved = await self.apply_redirects(cmd.redirects, permanent=True)
            if saved is None:
                return 1
            return await self.exec_external(argv, assigns)
        return await self.with_redirects(cmd.redirects, self.run_external, argv, assigns)

    async def with_temp_assigns(self, assigns, redirects, fn, *args) -> int:
        """Prefix assignments for builtins and functions last for the
        command only (as bash and ash do)."""
        if not assigns:
            return await self.with_redirects(redirects, fn, *args)
        old = {k: (self.vars.get(k), k in self.exported) for k in assigns}
        try:
            for k, v in assigns.items():
                self.set_var(k, v, export=True)
        except ExpansionError as exc:
            await self.error(str(exc))
            return 1
        try:
            return await self.with_redirects(redirects, fn, *args)
        finally:
            for k, (value, was_exported) in old.items():
                if value is None:
                    self.vars.pop(k, None)
                else:
                    self.vars[k] = value
                if not was_exported:
                    self.exported.discard(k)

    async def run_builtin(self, fn, argv) -> int:
        try:
            return await fn(self, argv)
        except SimError as exc:
            if exc.errno_value == Errno.EPIPE:
                return 1
            await self.error(f"{argv[0]}: {exc}")
            return 1

    async def call_function(self, argv) -> int:
        body = self.functions[argv[0]]
        saved_positional = self.positional
        self.positional = list(argv[1:])
        self.local_stack.append({})
        try:
            try:
                status = await self.run(body)
            except FunctionReturn as ret:
                status = ret.status
        finally:
            frame = self.local_stack.pop()
            for name, (value, was_exported) in frame.items():
                if value is None:
                    self.vars.pop(name, None)
                else:
                    self.vars[name] = value
                if was_exported:
                    self.exported.add(name)
                else:
                    self.exported.discard(name)
            self.positional = saved_positional
        return status

    async def xtrace(self, words) -> None:
        ps4 = self.vars.get("PS4", "+ ")
        await self.write_stderr(ps4 + " ".join(shell_quote(w) for w in words) + "\n")

    # -- external commands ---------------------------------------------------

    def not_found_message(self, name: str) -> str:
        if self.bash:
            return f"{name}: No such file or directory" if "/" in name else f"{name}: command not found"
        return f"{name}: not found"

    async def _spawn_error(self, argv, exc: SimError) -> int:
        name = argv[0]
        if exc.errno_value == Errno.ENOENT:
            await self.error(self.not_found_message(name))
            return 127
        if exc.errno_value == Errno.EACCES:
            try:
                if S_ISDIR(self.proc.stat(name).mode) and "/" in name:
                    await self.error(f"{name}: Is a directory")
                    return 126
            except SimError:
                pass
            await self.error(f"{name}: Permission denied")
            return 126
        await self.error(f"{name}: {exc.strerror_text}")
        return 126

    def find_in_path(self, name: str) -> Optional[str]:
        """The file ``name`` runs, searching ``PATH`` like execvp(3)."""
        if "/" in name:
            return name if self._exists(name) else None
        for directory in (self.vars.get("PATH") or "").split(":"):
            candidate = posixpath.join(directory or ".", name)
            try:
                st = self.proc.stat(candidate)
            except SimError:
                continue
            if S_ISREG(st.mode) and self.proc.access(candidate, 1):
                return candidate
        return None

    def find_in_path_readable(self, name: str) -> Optional[str]:
        """The file ``.`` reads: searched in ``PATH``, needing only to be
        a readable regular file."""
        for directory in (self.vars.get("PATH") or "").split(":"):
            candidate = posixpath.join(directory or ".", name)
            try:
                if S_ISREG(self.proc.stat(candidate).mode):
                    return candidate
            except SimError:
                continue
        return None

    def _exists(self, path: str) -> bool:
        try:
            self.proc.stat(path)
            return True
        except SimError:
            return False

    def child_fds(self) -> Dict[int, int]:
        fds = {}
        open_fds = set(self.proc.fds())
        for fd in open_fds:
            if fd not in self.saved_fds and fd < 10:
                fds[fd] = fd
        return fds

    async def run_external(self, argv, assigns) -> int:
        env = self.spawn_env(assigns)
        job_control = self.jc and not self.building_job
        if job_control:
            self.child_signal_defaults(True)
        try:
            pid = await self.proc.spawn(argv, env=env, cwd=self.proc.cwd, fds=self.child_fds())
        except SimError as exc:
            if exc.errno_value == Errno.ENOEXEC:
                return await self.run_script_file_in_child(argv, assigns)
            return await self._spawn_error(argv, exc)
        finally:
            if job_control:
                self.child_signal_defaults(False)
        if job_control:
            return await self.foreground_job([pid])
        return await self.wait_child(pid)

    async def exec_external(self, argv, assigns) -> int:
        """Replace this (sub)shell with the command (the last command of a
        subshell needs no shell left waiting for it)."""
        env = self.spawn_env(assigns)
        for fd in list(self.proc.fds()):
            if fd >= 10 or fd in self.saved_fds:
                try:
                    self.proc.close(fd)
                except SimError:
                    pass
        try:
            await self.proc.exec(argv, env=env)
        except ExecReplace:
            raise
        except SimError as exc:
            if exc.errno_value == Errno.ENOEXEC:
                return await self.run_script_here(argv, assigns)
            return await self._spawn_error(argv, exc)
        return 0  # pragma: no cover - exec does not return

    async def run_script_file_in_child(self, argv, assigns) -> int:
        """A file without ``#!`` that execve rejects (ENOEXEC) is run by the
        shell itself in a subshell, as POSIX 2.9.1.1 requires."""
        async def child(cproc):
            sub = self.subshell(cproc)
            return await sub.run_script_here(argv, assigns)

        pid = await self.proc.fork(child)
        if self.jc and not self.building_job:
            return await self.foreground_job([pid])
        return await self.wait_child(pid)

    async def run_script_here(self, argv, assigns) -> int:
        path = self.find_in_path(argv[0]) or argv[0]
        try:
            text = self.proc.read_file(path).decode("utf-8", "replace")
        except SimError as exc:
            return await self._spawn_error(argv, exc)
        for k, v in assigns.items():
            self.set_var(k, v, export=True)
        self.functions = {}
        self.positional = list(argv[1:])
        self.dollar0 = argv[0]
        self.mode = "script"
        self.traps = {}
        try:
            status = await self.run_source(text)
        except ShellExit as exc:
            status = exc.status
        return await self.run_exit_trap(status)

    async def builtin_exec(self, argv, assigns, redirects) -> int:
        """``exec``: without a command its redirections stay in effect;
        with one, the command replaces the shell."""
        args = argv[1:]
        if args and args[0] == "--":
            args = args[1:]
        saved = await self.apply_redirects(redirects, permanent=True)
        if saved is None:
            if not self.interactive:
                raise ShellExit(1 if self.bash else 2)
            return 1
        if not args:
            for k, v in assigns.items():
                self.set_var(k, v)
            return 0
        env = self.spawn_env(assigns)
        try:
            await self.proc.exec(args, env=env)
        except ExecReplace:
            raise
        except SimError as exc:
            if exc.errno_value == Errno.ENOEXEC:
                status = await self.run_script_here(args, assigns)
                raise ShellExit(status)
            if exc.errno_value == Errno.ENOENT:
                if self.bash:
                    await self.error(f"exec: {args[0]}: not found")
                else:
                    await self.error(f"exec: {args[0]}: not found")
                status = 127
            else:
                status = await self._spawn_error(args, exc)
            if not self.interactive:
                raise ShellExit(status)
            return status
        return 0  # pragma: no cover

    # -- redirections (2.7) ---------------------------------------------------

    async def with_redirects(self, redirects, fn, *args) -> int:
        if not redirects:
            return await fn(*args)
        saved = await self.apply_redirects(redirects)
        if saved is None:
            return 1
        try:
            status = await fn(*args)
        except ExecReplace:
            raise
        except BaseException:
            self.restore_redirects(saved)
            raise
        self.restore_redirects(saved)
        return status

    async def apply_redirects(self, redirects, permanent: bool = False):
        """Perform redirections; returns the list needed to undo them, or
        None after reporting an error (having undone any done so far)."""
        saved: list = []
        for r in redirects:
            try:
                await self._redirect(r, saved, permanent)
            except RedirectError as exc:
                self.restore_redirects(saved)
                await self.error(str(exc))
                return None
            except ExpansionError as exc:
                self.restore_redirects(saved)
                await self.error(str(exc))
                return None
        return saved

    def restore_redirects(self, saved) -> None:
        for fd, copy in reversed(saved):
            try:
                if copy is None:
                    self.proc.close(fd)
                else:
                    self.proc.dup2(copy, fd)
                    self.proc.close(copy)
                    self.saved_fds.discard(copy)
            except SimError:
                pass

    def _save(self, fd: int, saved: list, permanent: bool) -> None:
        if permanent:
            return
        try:
            copy = self.proc.dup(fd)
        except SimError:
            copy = None
        if copy is not None:
            self.saved_fds.add(copy)
        saved.append((fd, copy))

    def _install(self, newfd: int, fd: int, saved: list, permanent: bool) -> None:
        if newfd == fd:
            return
        self._save(fd, saved, permanent)
        self.proc.dup2(newfd, fd)
        self.proc.close(newfd)

    def _open_error(self, path: str, exc: SimError, creating: bool) -> RedirectError:
        if self.bash:
            return RedirectError(f"{path}: {exc.strerror_text}")
        if creating:
            reason = "nonexistent directory" if exc.errno_value == Errno.ENOENT else exc.strerror_text
            return RedirectError(f"can't create {path}: {reason}")
        return RedirectError(f"can't open '{path}': {exc.strerror_text}")

    async def _redirect(self, r: Redirect, saved: list, permanent: bool) -> None:
        op = r.op
        if op in ("<<", "<<-", "<<<"):
            fd = 0 if r.fd is None else r.fd
            if op == "<<<":
                body = await expand_string(self, r.target) + "\n"
            elif r.heredoc is None or r.heredoc.body is None:
                body = ""
            elif r.heredoc.quoted:
                body = r.heredoc.body.parts[0].text if r.heredoc.body.parts else ""
            else:
                body = await expand_string(self, r.heredoc.body, tilde=False)
            newfd = await self._heredoc_fd(text_bytes(body))
            self._install(newfd, fd, saved, permanent)
            return
        target = await expand_string(self, r.target)
        if op in ("<&", ">&"):
            fd = r.fd if r.fd is not None else (0 if op == "<&" else 1)
            if target == "-":
                self._save(fd, saved, permanent)
                try:
                    self.proc.close(fd)
                except SimError:
                    pass
                return
            if target.isdigit():
                src = int(target)
                if src == fd:
                    return
                if src not in self.proc.fds() or src in self.saved_fds:
                    raise RedirectError(f"{target}: Bad file descriptor" if self.bash
                                        else f"dup2({target},{fd}): Bad file descriptor")
                self._save(fd, saved, permanent)
                self.proc.dup2(src, fd)
                return
            if op == ">&" and r.fd is None:
                op = "&>"  # bash: >&word is &>word
            else:
                raise RedirectError(f"{target}: ambiguous redirect" if self.bash
                                    else f"{target}: bad number")
        if op in ("&>", "&>>"):
            flags = O_WRONLY | O_CREAT | (O_APPEND if op == "&>>" else O_TRUNC)
            newfd = self._open(target, flags, True)
            self._save(1, saved, permanent)
            self._save(2, saved, permanent)
            self.proc.dup2(newfd, 1)
            self.proc.dup2(newfd, 2)
            if newfd not in (1, 2):
                self.proc.close(newfd)
            return
        if op == "<":
            fd, flags, creating = 0, O_RDONLY, False
        elif op in (">", ">|"):
            fd, flags, creating = 1, O_WRONLY | O_CREAT | O_TRUNC, True
            if op == ">" and self.options["noclobber"]:
                try:
                    if S_ISREG(self.proc.stat(target).mode):
                        raise RedirectError(f"{target}: cannot overwrite existing file" if self.bash
                                            else f"can't create {target}: File exists")
                except SimError:
                    pass
        elif op == ">>":
            fd, flags, creating = 1, O_WRONLY | O_CREAT | O_APPEND, True
        elif op == "<>":
            fd, flags, creating = 0, O_RDWR | O_CREAT, True
        else:  # pragma: no cover
            raise RedirectError(f"unsupported redirection {op}")
        if r.fd is not None:
            fd = r.fd
        newfd = self._open(target, flags, creating)
        if newfd == fd:
            return
        self._install(newfd, fd, saved, permanent)

    def _open(self, target: str, flags: int, creating: bool) -> int:
        try:
            return self.proc.open(target, flags, 0o666)
        except SimError as exc:
            raise self._open_error(target, exc, creating) from None

    async def _heredoc_fd(self, data: bytes) -> int:
        """A pipe whose read end yields ``data`` (written now when it fits in
        the pipe, else by a forked writer)."""
        r, w = self.proc.pipe()
        if len(data) <= HEREDOC_PIPE_LIMIT:
            if data:
                await self.proc.write(w, data)
            self.proc.close(w)
            return r

        async def writer(cproc):
            cproc.close(r)
            try:
                await cproc.write(w, data)
            except SimError:
                pass
            return 0

        await self.proc.fork(writer)
        self.proc.close(w)
        return r


def is_valid_name(name: str) -> bool:
    return bool(name) and is_name_start(name[0]) and all(is_name_char(c) for c in name)


_SAFE = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./:=,+@%^")


def shell_quote(text: str) -> str:
    """Quote ``text`` so the shell reads it back as one word."""
    if text and all(c in _SAFE for c in text):
        return text
    return "'" + text.replace("'", "'\\''") + "'"
