"""The daemon's ends of a process's stdio.

A container's stdout and stderr are pipes whose write ends the process
holds and whose read ends the daemon holds (containerd's FIFOs, copied
into the log by the shim); its stdin, when open, is a pipe the daemon
writes.  These two classes are the daemon's ends: the only way outside
code touches a pipe.

Both are passive: nothing here blocks.  An `OutputStream` is read with
`read()` (whatever is buffered); its listeners run after every change
(data written, the last writer gone), from inside the kernel's run, so the
daemon learns which streams to read.  An `InputStream` is written with
`write()` (never blocks; `has_room` says whether the pipe is below its
capacity, so a well-behaved writer waits for a listener call before
writing more).
"""

from typing import Callable

import attrs

from ..io.pipe import Pipe


@attrs.define(eq=False)
class _PipeEnd:
    """One end of a pipe held by the daemon (``_kind`` "r" or "w").

    Invariant: while open, the object holds one end of ``_pipe`` of its
    kind; `close` lets go of it."""

    _pipe: Pipe = attrs.field(alias="pipe", repr=False)
    _open: bool = attrs.field(default=True, init=False)
    _kind = "r"

    @classmethod
    def new(cls, wake):
        pipe = Pipe(wake=wake)
        pipe.open_end(cls._kind)
        return cls(pipe)

    def on_change(self, callback: Callable[[], None]) -> None:
        """Call ``callback()`` after every change of the pipe made by the
        process (data written or taken, an end closed); what the daemon
        itself does (`OutputStream.read`) calls none."""
        self._pipe.listeners.append(callback)

    def remove_listener(self, callback: Callable[[], None]) -> None:
        if callback in self._pipe.listeners:
            self._pipe.listeners.remove(callback)

    def close(self) -> None:
        if self._open:
            self._open = False
            self._pipe.close_end(self._kind)

    @property
    def closed(self) -> bool:
        return not self._open

    @property
    def pipe(self) -> Pipe:
        """For the runtime only: the pipe whose other end the process's
        fds hold."""
        return self._pipe


class OutputStream(_PipeEnd):
    """The read end of a process's stdout or stderr.  Closing it while the
    process still writes gives the process SIGPIPE/EPIPE, as when the
    reader of a real pipe goes away."""

    _kind = "r"

    def read(self) -> bytes:
        """Everything buffered (b"" when nothing is)."""
        return self._pipe.drain() if self._open else b""

    @property
    def at_eof(self) -> bool:
        """Nothing buffered and no writer left: the stream is over."""
        return self._pipe.at_eof


class InputStream(_PipeEnd):
    """The write end of a process's stdin.

    Made before the process exists (``docker attach`` connects before
    ``docker start``), so what a client sends early waits in the pipe.
    Closing it is the reader's end of file (once it read what is
    buffered)."""

    _kind = "w"

    def write(self, data: bytes) -> None:
        """Append ``data`` (dropped once the reader is gone)."""
        if self._open:
            self._pipe.feed(data)

    @property
    def has_room(self) -> bool:
        """The pipe is below its capacity (or its reader is gone, so writes
        cost nothing): write more now rather than wait."""
        return len(self._pipe.buffer) < self._pipe.capacity or self._pipe.reader_gone

    @property
    def reader_gone(self) -> bool:
        return self._pipe.reader_gone
