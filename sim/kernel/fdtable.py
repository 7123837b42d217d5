"""The file descriptor table: small integers naming open file descriptions.

A task's ``fds`` maps each open fd to an *open file description*
(`sim.proc.files.OpenDesc`): the pipe end, file or terminal together with
its offset and status flags.  Descriptors are per task; descriptions are
shared: dup(2) and fork(2) make a second fd for the same description, so
two fds then share one offset and one O_NONBLOCK flag.  Each description
counts the fds that refer to it (``refs``) and is released (a pipe end
closes, which readers see as end of file) when the last one closes.

Invariant: ``desc.refs`` equals the number of (task, fd) entries, over all
tasks, that name ``desc``.  Only `install_fd`, `close_fd` and task
creation (`sim.kernel.fork`, which takes a reference for every fd it
hands the child) change ``task.fds``.
"""

from ..abi import Errno
from ..errors import SimError


def desc_of(task, fd: int):
    """The description ``fd`` names in ``task``'s table; EBADF if none."""
    desc = task.fds.get(fd)
    if desc is None:
        raise SimError(Errno.EBADF)
    return desc


def install_fd(task, desc, fd: "int | None" = None) -> int:
    """Give ``desc`` an fd in ``task``'s table and take a reference: the
    lowest free fd (open(2), dup(2)), or ``fd`` itself, closing what it
    named before (dup2(2)).  RLIMIT_NOFILE's soft limit bounds the
    numbers: EMFILE when no lower one is free (EBADF for dup2 past it)."""
    limit = task.rlimits.soft("nofile")
    if fd is None:
        fd = 0
        while fd in task.fds:
            fd += 1
        if fd >= limit:  # RLIMIT_NOFILE: no free descriptor below the limit
            raise SimError(Errno.EMFILE)
    elif fd >= limit:  # dup2 to a descriptor past the limit
        raise SimError(Errno.EBADF)
    elif fd in task.fds:
        close_fd(task, fd)
    desc.refs += 1
    task.fds[fd] = desc
    return fd


def close_fd(task, fd: int) -> None:
    """close(2): drop ``fd`` and its reference; the last one releases the
    description."""
    desc = task.fds.pop(fd, None)
    if desc is None:
        raise SimError(Errno.EBADF)
    desc.refs -= 1
    if desc.refs <= 0:
        desc.release()


def write_if_open(task, fd: int, data: bytes) -> None:
    """Write what fits of ``data`` to ``fd`` without blocking, ignoring
    every error: how the kernel leaves a last message on a dying task's
    stderr."""
    desc = task.fds.get(fd)
    if desc is None:
        return
    try:
        desc.try_write(data)
    except (SimError, BrokenPipeError):
        pass
