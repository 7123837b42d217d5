"""``docker-init``: tini (v0.19), the init Docker bind-mounts at
/sbin/docker-init and runs as PID 1 with ``--init``.

``/sbin/docker-init -- CMD ARGS...``: tini forks a child, which puts
itself in a process group of its own (the terminal's foreground group
when there is one) and execs CMD; tini then

- forwards every signal it receives to the child (all but the
  synchronous ones, which it leaves at their defaults, and SIGCHLD), so
  ``docker stop``'s SIGTERM reaches a shell that, as PID 1, would have
  ignored it;
- reaps every zombie it is handed: as PID 1 of the container's PID
  namespace it adopts the orphans of the processes below it;
- exits with the child's status once the child ended (128 + N when a
  signal N killed it).

A CMD that cannot be executed: ``[FATAL tini (PID)] exec CMD failed:
REASON`` from the child, which exits 127 (not found), 126 (not
executable) or 1.  Not as PID 1 (``--pid host``), tini warns that
zombie reaping won't work, as the real one does without ``-s``.
"""

from ...abi import Errno, Signal
from ...errors import Interrupted, SimError

#: Left at their defaults by tini (synchronous signals and job-control
#: reads/writes); the rest are caught and forwarded.
_NOT_FORWARDED = {Signal.SIGFPE, Signal.SIGILL, Signal.SIGSEGV, Signal.SIGBUS, Signal.SIGABRT,
                  Signal.SIGTRAP, Signal.SIGSYS, Signal.SIGTTIN, Signal.SIGTTOU,
                  Signal.SIGKILL, Signal.SIGSTOP, Signal.SIGCHLD}

_USAGE = ("tini (tini version 0.19.0)\n"
          "Usage: tini [OPTIONS] PROGRAM -- [ARGS] | --version\n\n"
          "Execute a program under the supervision of a valid init process (tini)\n")

_NOT_PID1 = ("[WARN  tini ({pid})] Tini is not running as PID 1 and isn't registered as a child "
             "subreaper.\nZombie processes will not be re-parented to Tini, so zombie reaping "
             "won't work.\nTo fix the problem, use the -s option or set the environment variable "
             "TINI_SUBREAPER to register Tini as a child subreaper, or run Tini as PID 1.\n")


async def main(proc, argv) -> int:
    args = list(argv[1:])
    if args and args[0] == "--":
        args = args[1:]
    if args[:1] == ["--version"]:
        await proc.write(1, "tini version 0.19.0\n")
        return 0
    if not args:
        await proc.write(2, _USAGE)
        return 1
    for sig in Signal:
        if sig not in _NOT_FORWARDED:
            proc.signal(sig, "catch")
    if proc.getpid() != 1:
        await proc.write(2, _NOT_PID1.format(pid=proc.getpid()))
    child = await proc.fork(lambda cp: _child(cp, args))
    while True:
        try:
            pid, status = await proc.wait(-1)
        except Interrupted:
            for sig in proc.take_signals():
                if sig in _NOT_FORWARDED:
                    continue
                try:
                    proc.kill(child, sig)
                except SimError:
                    pass  # the child is gone already: its exit is next
            continue
        except SimError as err:
            if err.errno_value == Errno.ECHILD:
                return 1
            raise
        if pid == child:
            return status.exit_code
        # any other pid: an orphan reaped (the zombie is gone)


async def _child(cp, args) -> int:
    """tini's ``spawn``: a process group of its own, the terminal's
    foreground one if stdin is a terminal, then exec."""
    cp.setpgid(0, 0)
    if cp.isatty(0):
        cp.signal(Signal.SIGTTOU, "ignore")
        try:
            cp.tcsetpgrp(0, cp.getpgrp())
        except SimError:
            pass
        cp.signal(Signal.SIGTTOU, "default")
    for sig in Signal:
        if sig not in _NOT_FORWARDED:
            cp.signal(sig, "default")
    try:
        await cp.exec(args)
    except SimError as err:
        await cp.write(2, f"[FATAL tini ({cp.getpid()})] exec {args[0]} failed: "
                          f"{err.errno_value.strerror}\n")
        if err.errno_value == Errno.ENOENT:
            return 127
        if err.errno_value == Errno.EACCES:
            return 126
        return 1
    return 0
