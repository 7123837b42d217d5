"""Open file descriptions: what a file descriptor points at.

Several fds (dup, fork) may share one description; `refs` counts them and
the last close releases it (a pipe end closes, a file is forgotten).  Every
description offers the same non-blocking interface, and the kernel turns
"would block" (None) into a sleeping task.
"""

import attrs

from ..abi import Errno, O_ACCMODE, O_RDONLY, O_WRONLY
from ..errors import SimError
from ..io.pipe import Pipe


@attrs.define(eq=False)
class OpenDesc:
    refs: int = 0

    def try_read(self, n: int) -> "bytes | None":
        raise SimError(Errno.EBADF)

    def try_write(self, data: bytes) -> "int | None":
        raise SimError(Errno.EBADF)

    def waitable(self):
        """The object whose `waiters` a blocked reader/writer joins."""
        return None

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
