"""Open file descriptions: what a file descriptor points at.

Several fds (dup, fork) may share one description; `refs` counts them and
the last close releases it (a pipe end closes, a file is forgotten).  Every
description offers the same non-blocking interface, and the kernel turns
"would block" (None) into a sleeping task, or into EAGAIN when the
description is non-blocking (O_NONBLOCK, a file *status* flag: shared by
every fd that refers to the description).

Every description can say which poll(2) events hold for it now
(`readiness`) and names the wait queue a task joins to hear of a change
(`waitable`); poll, select and blocking reads and writes all rest on those
two.
"""

import attrs

from ..abi import Errno, O_ACCMODE, O_RDONLY, O_WRONLY
from ..errors import SimError
from ..io.pipe import Pipe
from ..io.waiter import POLLIN, POLLOUT, WaitQueue

#: The queue of descriptions that never block (regular files): nobody waits
#: on it, so one is enough.
_NEVER_BLOCKS = WaitQueue()


@attrs.define(eq=False)
class OpenDesc:
    refs: int = 0
    #: O_NONBLOCK: would-block becomes EAGAIN.
    nonblocking: bool = attrs.field(default=False, kw_only=True)

    def try_read(self, n: int) -> "bytes | None":
        raise SimError(Errno.EBADF)

    def try_write(self, data: bytes) -> "int | None":
        raise SimError(Errno.EBADF)

    def waitable(self) -> WaitQueue:
        """The wait queue a blocked task joins to hear of a change."""
        return _NEVER_BLOCKS

    def readiness(self) -> int:
        """The poll(2) events (`sim.io.waiter` bits) that hold now.  A
        regular file is always readable and writable (poll(2))."""
        return POLLIN | POLLOUT

    def release(self) -> None:
        """Called when the last fd referring to this description closes."""

    def isatty(self) -> bool:
        return False

    @property
    def path(self) -> "str | None":
        return None

    def lseek(self, pos: int, whence: int) -> int:
        raise SimError(Errno.ESPIPE)


@attrs.define(eq=False)
class PipeDesc(OpenDesc):
    """One end of a pipe.  Creating it opens the end on the pipe."""

    pipe: Pipe = None
    kind: str = "r"  # "r" or "w"

    def __attrs_post_init__(self):
        self.pipe.open_end(self.kind)

    def try_read(self, n):
        if self.kind != "r":
            raise SimError(Errno.EBADF)
        return self.pipe.try_read(n)

    def try_write(self, data):
        if self.kind != "w":
            raise SimError(Errno.EBADF)
        return self.pipe.try_write(data)

    def waitable(self):
        return self.pipe

    def readiness(self):
        return self.pipe.readiness(self.kind)

    def release(self):
        self.pipe.close_end(self.kind)

    @property
    def path(self):
        return f"pipe:[{id(self.pipe) % 100000}]"


@attrs.define(eq=False)
class FileDesc(OpenDesc):
    """An open file of a filesystem (a `sim.fs` OpenFile)."""

    file: object = None
    flags: int = O_RDONLY

    def try_read(self, n):
        if (self.flags & O_ACCMODE) == O_WRONLY:
            raise SimError(Errno.EBADF)
        return self.file.read(n)

    def try_write(self, data):
        if (self.flags & O_ACCMODE) == O_RDONLY:
            raise SimError(Errno.EBADF)
        return self.file.write(data)

    def isatty(self):
        return bool(getattr(self.file, "isatty", lambda: False)())

    @property
    def path(self):
        return getattr(self.file, "path", None)

    def lseek(self, pos, whence):
        return self.file.seek(pos, whence)


@attrs.define(eq=False)
class PtySlaveDesc(OpenDesc):
    """An open terminal: the slave of a pseudo-terminal (/dev/pts/N,
    /dev/tty).  Reads and writes go through the pty's line discipline;
    after a hangup reads give end of file and writes fail with EIO.
    Creating it opens the slave (the master's reader sees end of file once
    every slave is closed)."""

    pty: object = None  # sim.io.pty.Pty

    def __attrs_post_init__(self):
        self.pty.output.open_end("w")

    def try_read(self, n):
        return self.pty.slave_read(n)

    def try_write(self, data):
        try:
            return self.pty.slave_write(data)
        except OSError:
            raise SimError(Errno.EIO) from None

    def waitable(self):
        return self.pty

    def readiness(self):
        return self.pty.slave_readiness()

    def release(self):
        self.pty.output.close_end("w")

    def isatty(self):
        return True

    @property
    def path(self):
        return self.pty.path


@attrs.define(eq=False)
class PtyMasterDesc(OpenDesc):
    """The master of a pseudo-terminal opened through /dev/ptmx: reading
    it reads the screen (what the slave's processes wrote), writing it
    types on the keyboard.  Closing it hangs the terminal up."""

    pty: object = None  # sim.io.pty.Pty

    def __attrs_post_init__(self):
        self.pty.output.open_end("r")

    def try_read(self, n):
        out = self.pty.output
        if out.buffer:
            return out.try_read(n)
        if out.writers == 0 and self.pty.session is None and not self.pty.ready:
            raise SimError(Errno.EIO)
        return None

    def try_write(self, data):
        self.pty.receive(bytes(data))
        return len(data)

    def waitable(self):
        return self.pty

    def readiness(self):
        return POLLIN | POLLOUT if self.pty.output.buffer else POLLOUT

    def release(self):
        self.pty.output.close_end("r")
        self.pty.hangup()

    def isatty(self):
        return False

    @property
    def path(self):
        return "/dev/ptmx"
