"""Pseudo-terminals: a master/slave pair joined by a line discipline.

What Linux's pty driver and its default line discipline (``n_tty``) do, in
the modes programs use:

- the *master* is the terminal emulator's side (here the daemon, which
  copies the client's keyboard in and the screen out).  What it writes is
  *input*: each byte goes through the line discipline (`Pty.receive`),
  which may translate it (ICRNL: Enter's ``\\r`` becomes ``\\n``), echo it
  to the screen (ECHO, ECHOCTL shows ``^C``), turn it into a signal for the
  foreground process group (ISIG: ^C SIGINT, ^\\ SIGQUIT, ^Z SIGTSTP), or
  edit the line being typed (ICANON: erase, kill, word-erase; ^D ends the
  line, and at its start is end of file);
- the *slave* (/dev/pts/N) is the process's terminal.  A read in canonical
  mode returns one complete line at most; in non-canonical (raw) mode what
  is there, once VMIN bytes are.  What the process writes is *output*,
  processed by OPOST/ONLCR (``\\n`` goes out as ``\\r\\n``) into the
  master's read buffer (`output`, a pipe the daemon's OutputStream reads);
- the window size (TIOCGWINSZ) changes with `resize`, which sends SIGWINCH
  to the foreground group; the master going away is a *hangup*: the session
  gets SIGHUP, and the slave reads end of file and writes fail with EIO.

Buffers are bounded: input stops being taken from the keyboard once
`INPUT_CAPACITY` bytes wait to be read (the daemon's stdin stream then
fills, and the client waits); output blocks the writing process while the
daemon has not read the screen (`OUTPUT_CAPACITY`).

The pty knows nothing of tasks: its session and foreground process group
are the kernel's objects (`sim.proc.session`), and it signals them through
``kill_pgrp`` / ``hangup_session``, callbacks the kernel sets
(`sim.kernel.jobctl`).
"""

from typing import Callable

import attrs

from ..abi import Signal
from . import termios as T
from .pipe import Pipe
from .waiter import POLLERR, POLLHUP, POLLIN, POLLOUT, WaitQueue

#: n_tty's buffer (N_TTY_BUF_SIZE): bytes of input that may wait.
INPUT_CAPACITY = 4096
#: What the master may hold unread before the slave's writers block.
OUTPUT_CAPACITY = 65536
#: devpts' major number for slaves (UNIX98_PTY_SLAVE_MAJOR).
PTS_MAJOR = 136


def _ctl_echo(c: int) -> bytes:
    """ECHOCTL: a control character echoes as ``^X`` (DEL as ``^?``)."""
    return b"^" + bytes([c ^ 0x40])


def _is_ctl(c: int) -> bool:
    return (c < 0x20 and c not in (0x09, 0x0a)) or c == 0x7f


@attrs.define(eq=False)
class Pty(WaitQueue):
    """One pseudo-terminal pair.  As a `WaitQueue` it is what the slave's
    readers and writers sleep on (the output pipe shares its waiters)."""

    index: int = 0
    termios: T.Termios = attrs.field(factory=T.Termios.sane)
    winsize: T.Winsize = attrs.field(factory=T.Winsize)
    #: Slave -> master: the screen, read by the daemon.
    output: Pipe = attrs.field(default=None, repr=False)
    #: Canonical mode: the line being edited (not yet readable).
    line: bytearray = attrs.field(factory=bytearray, repr=False)
    #: Readable input: complete lines in canonical mode (b"" is an end of
    #: file from ^D on an empty line), one run of bytes in raw mode.
    ready: list = attrs.field(factory=list, repr=False)
    #: The session whose controlling terminal this is, and its foreground
    #: process group (the kernel's objects; None when none).
    session: object = attrs.field(default=None, repr=False)
    fg_pgrp: object = attrs.field(default=None, repr=False)
    #: Set by the kernel: signal a process group / the session on hangup.
    kill_pgrp: "Callable | None" = attrs.field(default=None, repr=False)
    hangup_session: "Callable | None" = attrs.field(default=None, repr=False)
    #: The master is closed: reads give end of file, writes EIO.
    hung_up: bool = False
    #: The keyboard: the pipe the daemon's stdin stream writes (None: no
    #: input is attached).
    _keyboard: "Pipe | None" = attrs.field(default=None, repr=False)
    _pumping: bool = attrs.field(default=False, repr=False)
    #: The user the slave belongs to (/dev/pts/N's owner).
    owner_uid: int = 0
    #: Called when the pair is released (devpts forgets the index).
    on_release: "Callable | None" = attrs.field(default=None, repr=False)

    def __attrs_post_init__(self):
        if self.output is None:
            self.output = Pipe(wake=self.wake, capacity=OUTPUT_CAPACITY)
        # Whoever sleeps on the pty hears the output side too (a writer
        # blocked on a full screen wakes when the daemon reads it).
        self.output.waiters = self.waiters

    @property
    def name(self) -> str:
        """``pts/N``, as ps's TTY column shows it."""
        return f"pts/{self.index}"

    @property
    def path(self) -> str:
        return f"/dev/pts/{self.index}"

    @property
    def rdev(self) -> "tuple[int, int]":
        return (PTS_MAJOR, self.index)

    # -- the slave: what a process's fd does ---------------------------------
    def _readable_bytes(self) -> int:
        return sum(len(chunk) for chunk in self.ready)

    def slave_readiness(self) -> int:
        mask = 0
        if self.hung_up:
            return POLLIN | POLLOUT | POLLHUP | POLLERR
        if self._read_ready():
            mask |= POLLIN
        if len(self.output.buffer) < self.output.capacity:
            mask |= POLLOUT
        return mask

    def _read_ready(self) -> bool:
        if not self.ready:
            return False
        if self.termios.lflag & T.ICANON:
            return True
        vmin = self.termios.cc[T.VMIN]
        return self._readable_bytes() >= max(1, vmin) or vmin == 0

    def slave_read(self, n: int) -> "bytes | None":
        """read(2) on the slave: None when it would block."""
        if self.termios.lflag & T.ICANON:
            if not self.ready:
                return b"" if self.hung_up else None
            first = self.ready[0]
            data = bytes(first[:n])
            if len(first) <= n:
                self.ready.pop(0)
            else:
                del first[:n]
        else:
            vmin = self.termios.cc[T.VMIN]
            have = self._readable_bytes()
            if have == 0 and self.hung_up:
                return b""
            if have < min(max(1, vmin), n) and vmin != 0:
                return None
            if vmin == 0 and have == 0:
                return b""
            buf = b"".join(bytes(c) for c in self.ready)
            data, rest = buf[:n], buf[n:]
            self.ready = [bytearray(rest)] if rest else []
        self._pump()  # room freed: take more from the keyboard
        self.notify()
        return data

    def slave_write(self, data: bytes) -> "int | None":
        """write(2) on the slave: bytes taken (the output processing applied
        to them), None when the screen is full.  Raises EIO-as-OSError
        after a hangup (the caller turns it into SimError)."""
        if self.hung_up:
            raise OSError("hangup")
        room = self.output.capacity - len(self.output.buffer)
        if room <= 0:
            return None
        take = data[:room]
        out = self._opost(take)
        while len(out) > room and take:
            # Each byte grows by at most one (ONLCR): halve the excess.
            take = take[:max(0, len(take) - max(1, (len(out) - room + 1) // 2))]
            out = self._opost(take)
        if not take:
            return None
        self._to_screen(out)
        return len(take)

    def _opost(self, data: bytes) -> bytes:
        o = self.termios.oflag
        if not (o & T.OPOST):
            return bytes(data)
        if o & T.OCRNL:
            data = data.replace(b"\r", b"\n")
        if o & T.ONLCR:
            data = data.replace(b"\n", b"\r\n")
        return bytes(data)

    def _to_screen(self, data: bytes) -> None:
        """Append to the master's read buffer (echo may overrun the bound
        a little, as the kernel's echo buffer is separate)."""
        if not data or self.output.reader_gone:
            return
        self.output.buffer += data
        self.output.notify()

    # -- the keyboard: what the master writes --------------------------------
    def attach_keyboard(self, pipe: Pipe) -> None:
        """Take input from ``pipe`` (the daemon's stdin stream): the pty
        holds its read end and takes what the line discipline has room
        for whenever the pipe changes."""
        self._keyboard = pipe
        pipe.open_end("r")
        pipe.listeners.append(self._pump)
        self._pump()

    def detach_keyboard(self) -> None:
        pipe, self._keyboard = self._keyboard, None
        if pipe is not None:
            if self._pump in pipe.listeners:
                pipe.listeners.remove(self._pump)
            pipe.close_end("r")

    def _room(self) -> int:
        return INPUT_CAPACITY - self._readable_bytes() - len(self.line)

    def _pump(self) -> None:
        pipe = self._keyboard
        if pipe is None or self._pumping:
            return
        self._pumping = True
        try:
            while pipe.buffer:
                room = self._room()
                if room <= 0:
                    # A full canonical line still takes the characters
                    # that end or edit it (n_tty keeps room for them);
                    # unread lines or raw bytes filling the buffer stop
                    # the keyboard until the process reads.
                    if not (self.termios.lflag & T.ICANON) or self._readable_bytes() >= INPUT_CAPACITY:
                        break
                    room = 1
                chunk = bytes(pipe.buffer[:room])
                del pipe.buffer[:room]
                self.receive(chunk)
            pipe.wake_waiters()
            for callback in list(pipe.listeners):
                if callback is not self._pump:
                    callback()
        finally:
            self._pumping = False

    def receive(self, data: bytes) -> None:
        """Input from the master, through the line discipline."""
        changed = False
        for c in data:
            changed |= self._input_char(c)
        if changed:
            self.notify()

    def _input_char(self, c: int) -> bool:
        t = self.termios
        i, lf, cc = t.iflag, t.lflag, t.cc
        if i & T.ISTRIP:
            c &= 0x7f
        if c == 0x0d:
            if i & T.IGNCR:
                return False
            if i & T.ICRNL:
                c = 0x0a
        elif c == 0x0a and i & T.INLCR:
            c = 0x0d
        if lf & T.ISIG:
            sig = {cc[T.VINTR]: Signal.SIGINT, cc[T.VQUIT]: Signal.SIGQUIT,
                   cc[T.VSUSP]: Signal.SIGTSTP}.get(c) if c else None
            if sig is not None:
                if not (lf & T.NOFLSH):
                    self.line.clear()
                    self.ready.clear()
                self._echo_char(c)
                if self.fg_pgrp is not None and self.kill_pgrp is not None:
                    self.kill_pgrp(self.fg_pgrp, sig)
                return True
        if lf & T.ICANON:
            return self._canon_char(c)
        # Non-canonical: every byte is readable at once.
        if self._readable_bytes() >= INPUT_CAPACITY:
            return False
        if self.ready:
            self.ready[-1].append(c)
        else:
            self.ready.append(bytearray([c]))
        if lf & T.ECHO:
            self._echo_char(c)
        return True

    def _canon_char(self, c: int) -> bool:
        t = self.termios
        lf, cc = t.lflag, t.cc
        if c and (c == cc[T.VERASE] or c == 0x08):
            self._erase(1)
            return False
        if c and c == cc[T.VKILL]:
            if lf & T.ECHOKE or not (lf & T.ECHOK):
                self._erase(len(self.line))
            else:
                self.line.clear()
                self._echo_char(c)
                if lf & T.ECHO:
                    self._to_screen(self._opost(b"\n"))
            return False
        if c and c == cc[T.VWERASE] and lf & T.IEXTEN:
            n = len(self.line)
            while n and self.line[n - 1] in b" \t":
                n -= 1
            while n and self.line[n - 1] not in b" \t":
                n -= 1
            self._erase(len(self.line) - n)
            return False
        if c and c == cc[T.VEOF]:
            self.ready.append(bytearray(self.line))
            self.line.clear()
            return True
        if c == 0x0a or (c and c in (cc[T.VEOL], cc[T.VEOL2])):
            self.line.append(c)
            self.ready.append(bytearray(self.line))
            self.line.clear()
            if lf & T.ECHO or (c == 0x0a and lf & T.ECHONL):
                self._echo_char(c)
            return True
        if len(self.line) >= INPUT_CAPACITY - 1:
            return False  # the line is full: only its end is taken
        self.line.append(c)
        self._echo_char(c)
        return False

    def _echo_char(self, c: int) -> None:
        lf = self.termios.lflag
        if not (lf & T.ECHO):
            return
        if lf & T.ECHOCTL and _is_ctl(c):
            self._to_screen(_ctl_echo(c))
        else:
            self._to_screen(self._opost(bytes([c])))

    def _erase(self, count: int) -> None:
        """Remove ``count`` characters from the line being edited, echoing
        ``\\b \\b`` for each column they took (ECHOE)."""
        lf = self.termios.lflag
        out = b""
        for _ in range(count):
            if not self.line:
                break
            # One character: a UTF-8 sequence is erased whole.
            end = len(self.line) - 1
            while end > 0 and (self.line[end] & 0xC0) == 0x80:
                end -= 1
            c = self.line[end]
            del self.line[end:]
            if lf & T.ECHO and lf & T.ECHOE:
                width = 2 if (lf & T.ECHOCTL and _is_ctl(c)) else 1
                out += b"\b \b" * width
        if out:
            self._to_screen(out)

    # -- control (ioctl) ------------------------------------------------------
    def set_termios(self, new: T.Termios) -> None:
        """tcsetattr(3).  Leaving canonical mode makes the line being edited
        readable; entering it keeps what is already readable."""
        old, self.termios = self.termios, new
        if old.lflag & T.ICANON and not (new.lflag & T.ICANON):
            data = b"".join(bytes(c) for c in self.ready) + bytes(self.line)
            self.ready = [bytearray(data)] if data else []
            self.line.clear()
        self.notify()
        self._pump()

    def resize(self, rows: int, cols: int) -> None:
        """TIOCSWINSZ: a new window size; SIGWINCH to the foreground group
        when it changed."""
        new = T.Winsize(int(rows), int(cols))
        if new == self.winsize:
            return
        self.winsize = new
        if self.fg_pgrp is not None and self.kill_pgrp is not None:
            self.kill_pgrp(self.fg_pgrp, Signal.SIGWINCH)

    def flush_input(self) -> None:
        self.line.clear()
        self.ready.clear()
        self._pump()

    # -- the master going away ------------------------------------------------
    def hangup(self) -> None:
        """The master closed: SIGHUP (and SIGCONT) to the session, reads of
        the slave give end of file from now on."""
        if self.hung_up:
            return
        self.hung_up = True
        self.detach_keyboard()
        if self.session is not None and self.hangup_session is not None:
            self.hangup_session(self)
        self.notify()
        if self.on_release is not None:
            self.on_release(self)


@attrs.define(eq=False)
class Devpts:
    """One devpts instance (Docker mounts a new one in each container's
    /dev/pts): the pty indexes in use, lowest free first."""

    wake: "Callable | None" = attrs.field(default=None, repr=False)
    ptys: dict = attrs.field(factory=dict, repr=False)
    #: Called with (pty, added: bool) when a pty appears or goes (the
    #: filesystem view lists /dev/pts/N from it).
    on_change: "Callable | None" = attrs.field(default=None, repr=False)

    def open_pty(self, rows: int = 0, cols: int = 0, uid: int = 0) -> Pty:
        """posix_openpt(3) + grantpt + unlockpt: a new pair, its slave
        owned by ``uid``."""
        index = 0
        while index in self.ptys:
            index += 1
        pty = Pty(index=index, winsize=T.Winsize(rows, cols), wake=self.wake,
                  on_release=self._forget, owner_uid=uid)
        self.ptys[index] = pty
        if self.on_change is not None:
            self.on_change(pty, True)
        return pty

    def _forget(self, pty: Pty) -> None:
        if self.ptys.get(pty.index) is pty:
            del self.ptys[pty.index]
            if self.on_change is not None:
                self.on_change(pty, False)

    def lookup(self, index: int) -> "Pty | None":
        return self.ptys.get(index)
