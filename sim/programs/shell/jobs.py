"""Job control for an interactive shell on a terminal (POSIX 2.11, bash(1)
"JOB CONTROL", ash's jobs.c).

When the shell is interactive and its stdin is its controlling terminal,
``set -m`` (monitor) is on and:

- the shell leads a process group of its own and holds the terminal's
  foreground while it reads commands; it ignores SIGTSTP, SIGTTIN, SIGTTOU
  and SIGQUIT (and catches SIGINT to cancel the line being typed); its
  children get those signals back at their default;
- each pipeline (or external command, or ``( … )``) is a *job*: its
  processes are put in a new process group (the first one's PID), which
  is given the terminal (``tcsetpgrp``) while it runs in the foreground;
  the shell waits for it with WUNTRACED and takes the terminal back when
  it is done or stopped;
- ^Z stops the foreground job: the shell reports ``[1]+  Stopped …`` and
  prompts again; ``fg`` continues it in the foreground, ``bg`` in the
  background; ``cmd &`` starts one in the background (``[1] 42``), and a
  background job that ended is reported (``[1]+  Done …``) before the next
  prompt;
- a foreground job killed by ^C (SIGINT) abandons the rest of the command
  line, as if the shell itself had been interrupted.

Jobs are numbered from 1, each new one after the highest in use; ``+``
marks the current job (the last one stopped or started in the background)
and ``-`` the previous one.
"""

from typing import List, Optional

import attrs

from ...abi import Signal
from ...errors import Interrupted, SimError

#: The signals an interactive shell with job control ignores for itself.
SHELL_IGNORES = (Signal.SIGTSTP, Signal.SIGTTIN, Signal.SIGTTOU, Signal.SIGQUIT)


class JobInterrupted(Exception):
    """The foreground job died of SIGINT: the command line is abandoned."""


@attrs.define(eq=False)
class Job:
    number: int
    pgid: int
    #: PID -> None while the process lives, its WaitStatus once it ended.
    procs: dict
    command: str
    state: str = "Running"  # "Running", "Stopped", "Done"
    stop_signal: "Signal | None" = None
    #: The terminal modes when it stopped, restored for ``fg``.
    tmodes: object = None
    notified: bool = False

    @property
    def last_status(self):
        statuses = [s for s in self.procs.values() if s is not None]
        return statuses[-1] if statuses else None


def status_word(job: Job, bash: bool) -> str:
    """What ``jobs`` shows in the state column."""
    if job.state == "Running":
        return "Running"
    if job.state == "Stopped":
        if job.stop_signal in (None, Signal.SIGTSTP):
            return "Stopped"
        return {Signal.SIGSTOP: "Stopped (signal)", Signal.SIGTTIN: "Stopped (tty input)",
                Signal.SIGTTOU: "Stopped (tty output)"}.get(job.stop_signal, "Stopped")
    status = job.last_status
    if status is None or (status.signal is None and not status.code):
        return "Done"
    if status.signal is not None:
        return _signal_text(status.signal)
    return f"Done({status.code})" if bash else f"Done({status.code})"


def _signal_text(sig: Signal) -> str:
    return {Signal.SIGTERM: "Terminated", Signal.SIGKILL: "Killed", Signal.SIGHUP: "Hangup",
            Signal.SIGINT: "Interrupt", Signal.SIGQUIT: "Quit",
            Signal.SIGABRT: "Aborted", Signal.SIGSEGV: "Segmentation fault",
            Signal.SIGPIPE: "Broken pipe", Signal.SIGUSR1: "User defined signal 1",
            Signal.SIGUSR2: "User defined signal 2", Signal.SIGALRM: "Alarm clock"}.get(
                sig, sig.name)


@attrs.define(eq=False)
class JobTable:
    """The shell's jobs and which of them is current."""

    jobs: List[Job] = attrs.field(factory=list)
    #: Job numbers, most recently made current last.
    order: list = attrs.field(factory=list)

    def add(self, pgid: int, pids: list, command: str, state: str = "Running") -> Job:
        number = max((j.number for j in self.jobs), default=0) + 1
        job = Job(number, pgid, {pid: None for pid in pids}, command, state)
        self.jobs.append(job)
        self.make_current(job)
        return job

    def make_current(self, job: Job) -> None:
        if job.number in self.order:
            self.order.remove(job.number)
        self.order.append(job.number)

    def remove(self, job: Job) -> None:
        if job in self.jobs:
            self.jobs.remove(job)
        if job.number in self.order:
            self.order.remove(job.number)

    def mark(self, job: Job) -> str:
        if self.order and self.order[-1] == job.number:
            return "+"
        if len(self.order) > 1 and self.order[-2] == job.number:
            return "-"
        return " "

    def current(self) -> Optional[Job]:
        return self.by_number(self.order[-1]) if self.order else None

    def by_number(self, number: int) -> Optional[Job]:
        return next((j for j in self.jobs if j.number == number), None)

    def by_pid(self, pid: int) -> Optional[Job]:
        return next((j for j in self.jobs if pid in j.procs), None)

    def find(self, spec: str) -> Optional[Job]:
        """A job spec: ``%n``, ``%+``/``%%``, ``%-``, ``%string``, ``n``."""
        spec = spec[1:] if spec.startswith("%") else spec
        if spec in ("", "+", "%"):
            return self.current()
        if spec == "-":
            return self.by_number(self.order[-2]) if len(self.order) > 1 else self.current()
        if spec.isdigit():
            return self.by_number(int(spec))
        return next((j for j in reversed(self.jobs) if j.command.startswith(spec.lstrip("?"))), None)

    def line(self, job: Job, bash: bool) -> str:
        """``[1]+  Stopped                 sleep 100`` (bash pads the state
        to 24 columns; ash pads state and number to column 33)."""
        head = f"[{job.number}]{self.mark(job)}  "
        word = status_word(job, bash)
        if bash:
            return f"{head}{word:<24}{job.command}"
        return f"{head}{word}".ljust(33) + job.command


def record(table: JobTable, pid: int, status) -> None:
    """Note what wait(2) said about ``pid``."""
    job = table.by_pid(pid)
    if job is None:
        return
    before = job.state
    if status.stopped is not None:
        job.state = "Stopped"
        job.stop_signal = status.stopped
    elif status.continued:
        job.state = "Running"
    else:
        job.procs[pid] = status
        if all(s is not None for s in job.procs.values()):
            job.state = "Done"
    if job.state != before:
        job.notified = False  # a change the user has not been told of


async def reap(sh) -> None:
    """Collect what happened to the jobs without waiting (WNOHANG,
    WUNTRACED, WCONTINUED)."""
    table = sh.job_table
    while any(j.state != "Done" for j in table.jobs):
        try:
            res = await sh.proc.wait(-1, nohang=True, untraced=True, continued=True)
        except (SimError, Interrupted):
            return
        if res is None:
            return
        pid, status = res
        record(table, pid, status)
        if status.stopped is None and not status.continued and pid in sh.jobs:
            sh.jobs[pid] = status.exit_code


async def notify_done(sh) -> None:
    """Before a prompt: report the jobs that ended (and forget them)."""
    await reap(sh)
    table = sh.job_table
    for job in list(table.jobs):
        if job.state == "Done":
            if not job.notified:
                await sh.write_stderr(table.line(job, sh.bash) + "\n")
            table.remove(job)
            for pid in job.procs:
                sh.jobs.pop(pid, None)
        elif job.state == "Stopped" and not job.notified:
            job.notified = True
            await sh.write_stderr(table.line(job, sh.bash) + "\n")
