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
class OutputStream:
    """The read end of a process's stdout or stderr.

    Invariant: while open, the stream holds one read end of ``_pipe``.
    Closing lets go of it: a process still writing then gets SIGPIPE/EPIPE,
    as when the reader of a real pipe goes away."""

    _pipe: Pipe = attrs.field(alias="pipe", repr=False)
    _open: bool = attrs.field(default=True, init=False)

    @classmethod
    def new(cls, wake) -> "OutputStream":
        pipe = Pipe(wake=wake)
        pipe.open_end("r")
        return cls(pipe)

    def read(self) -> bytes:
        """Everything buffered (b"" when nothing is)."""
        return self._pipe.drain() if self._open else b""

    @property
    def at_eof(self) -> bool:
        """Nothing buffered and no writer left: the stream is over."""
        return self._pipe.at_eof

    def on_change(self, callback: Callable[[], None]) -> None:
        """Call ``callback()`` after every change of the pipe."""
        self._pipe.listeners.append(callback)

    def close(self) -> None:
        if self._open:
            self._open = False
            self._pipe.close_end("r")

    @property
    def closed(self) -> bool:
        return not self._open

    @property
    def pipe(self) -> Pipe:
        """For the runtime only: the pipe the process's fds 1/2 write."""
        return self._pipe


@attrs.define(eq=False)
class InputStream:
    """The write end of a process's stdin.

    Made before the process exists (``docker attach`` connects before
    ``docker start``), so what a client sends early waits in the pipe.
    Invariant: while open, the stream holds one write end of ``_pipe``;
    closing it is the reader's end of file."""

    _pipe: Pipe = attrs.field(alias="pipe", repr=False)
    _open: bool = attrs.field(default=True, init=False)

    @classmethod
    def new(cls, wake) -> "InputStream":
        pipe = Pipe(wake=wake)
        pipe.open_end("w")
        return cls(pipe)

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

    def on_change(self, callback: Callable[[], None]) -> None:
        """Call ``callback()`` after every change (the reader took data,
        the reader went away)."""
        self._pipe.listeners.append(callback)

    def remove_listener(self, callback: Callable[[], None]) -> None:
        if callback in self._pipe.listeners:
            self._pipe.listeners.remove(callback)

    def close(self) -> None:
        """End of input: the reader sees end of file once it has read what
        is buffered."""
        if self._open:
            self._open = False
            self._pipe.close_end("w")

    @property
    def closed(self) -> bool:
        return not self._open

    @property
    def pipe(self) -> Pipe:
        """For the runtime only: the pipe the process's fd 0 reads."""
        return self._pipe
