"""Errors raised inside the simulated kernel.

`SimError` is the errno-carrying error every system call raises (callers
compare ``err.errno``, never messages), the way gVisor's ``linuxerr`` values
are shared.  Programs catch it and print ``strerror`` the way libc's
``perror`` would.
"""

from .abi import Errno


class SimError(OSError):
    """A failed system call: ``SimError(Errno.ENOENT, "/etc/nosuch")``.

    ``str(err)`` is ``"<filename>: <strerror>"`` when a filename is given
    (as coreutils print it) and just the strerror otherwise.
    """

    def __init__(self, errno: Errno, filename: "str | None" = None):
        errno = Errno(errno)
        super().__init__(int(errno), errno.strerror)
        self.errno_value = errno
        self.filename = filename

    @property
    def strerror_text(self) -> str:
        return self.errno_value.strerror

    def __str__(self) -> str:
        if self.filename is not None:
            return f"{self.filename}: {self.errno_value.strerror}"
        return self.errno_value.strerror


class Interrupted(Exception):
    """Raised into a program when a caught signal interrupts a blocking call
    (EINTR).  The program reads the pending signals with
    ``proc.take_signals()``."""


class ProgramExit(BaseException):
    """Raised by ``proc.exit(code)`` to unwind a program; the kernel turns it
    into the task's exit status.  A BaseException so ``except Exception`` in
    a program does not swallow it."""

    def __init__(self, code: int):
        super().__init__(code)
        self.code = code & 0xFF


class ExecReplace(BaseException):
    """Raised by a successful ``proc.exec``: the kernel replaces the task's
    program image.  Never caught by programs."""

    def __init__(self, image):
        super().__init__()
        self.image = image
