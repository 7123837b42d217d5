"""Pipes: a bounded byte buffer with a read end and a write end.

Linux semantics (pipe(7)): a read from an empty pipe blocks while some
writer is open and returns end-of-file (b"") once every writer has closed;
a write blocks while the buffer is full (capacity 64 KiB) and fails with
EPIPE (and SIGPIPE) once every reader has closed.

Either end may be held by a simulated process (through an `OpenDesc` in its
fd table) or by the daemon ("external" ends: a container's stdout read by
the log copier, its stdin fed by an attach).  The pipe is a `WaitQueue`:
waiting tasks register in `waiters`; every change wakes them and calls
`listeners` (plain callbacks, which the daemon uses to learn that output is
ready), except the daemon's own `drain`: it only wakes the writers (the
daemon knows what it took).
"""

import attrs

from .waiter import POLLERR, POLLHUP, POLLIN, POLLOUT, WaitQueue

PIPE_CAPACITY = 65536


@attrs.define(eq=False)
class Pipe(WaitQueue):
    buffer: bytearray = attrs.field(factory=bytearray)
    #: Open read ends (simulated fds and external holders).
    readers: int = 0
    #: Open write ends.
    writers: int = 0
    capacity: int = PIPE_CAPACITY
    #: True once the last read end closed (a pipe not yet read from, such
    #: as a container's stdin before the container starts, keeps its data).
    reader_gone: bool = False

    def _changed(self) -> None:
        self.notify()

    def readiness(self, kind: str) -> int:
        """The poll(2) events that hold for the ``kind`` ("r"/"w") end:
        readable when data waits or every writer is gone (then also hung
        up); writable while there is room; an error once no reader is left."""
        if kind == "r":
            mask = POLLIN if self.buffer else 0
            if self.writers == 0:
                mask |= POLLIN | POLLHUP
            return mask
        if self.readers == 0:
            return POLLOUT | POLLERR
        return POLLOUT if len(self.buffer) < self.capacity else 0

    # -- reading -------------------------------------------------------------
    def try_read(self, n: int) -> "bytes | None":
        """Up to ``n`` bytes; b"" at end of file; None if a read would block."""
        if self.buffer:
            data = bytes(self.buffer[:n])
            del self.buffer[:n]
            self._changed()
            return data
        if self.writers == 0:
            return b""
        return None

    @property
    def at_eof(self) -> bool:
        return not self.buffer and self.writers == 0

    # -- writing -------------------------------------------------------------
    def try_write(self, data: bytes) -> "int | None":
        """Bytes accepted (possibly fewer than given); None if the buffer is
        full.  Raises BrokenPipeError when no reader is left."""
        if self.readers == 0:
            raise BrokenPipeError
        room = self.capacity - len(self.buffer)
        if room <= 0:
            return None
        chunk = data[:room]
        self.buffer += chunk
        self._changed()
        return len(chunk)

    # -- ends ----------------------------------------------------------------
    def open_end(self, kind: str) -> None:
        if kind == "r":
            self.readers += 1
        else:
            self.writers += 1

    def close_end(self, kind: str) -> None:
        if kind == "r":
            self.readers -= 1
            if self.readers == 0:
                self.reader_gone = True
                self.buffer.clear()  # nobody can ever read it
        else:
            self.writers -= 1
        self._changed()

    # -- the daemon's side ---------------------------------------------------
    def drain(self) -> bytes:
        """Everything buffered, for an external reader (never blocks).  The
        writers waiting for room are woken; the listeners are not called
        (the reader is the one that would hear it, and a call would only
        make it come back for nothing)."""
        data = bytes(self.buffer)
        if data:
            self.buffer.clear()
            self.wake_waiters()
        return data

    def feed(self, data: bytes) -> None:
        """Append for an external writer (stdin from an attach).  Unlike a
        process, the daemon is never blocked: the buffer may exceed capacity
        briefly; readers drain it."""
        if self.reader_gone:
            return
        self.buffer += data
        self._changed()
