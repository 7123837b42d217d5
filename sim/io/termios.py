"""Terminal attributes: termios(3) and the window size, as values.

A `Termios` is what tcgetattr(3) fills in and tcsetattr(3) takes: the
input, output, control and local mode flags and the special characters
(``c_cc``), with Linux's bit values (asm-generic/termbits.h) so that ``stty
-a`` and programs that compare flags see the numbers a real kernel has.
`Termios.sane()` is what a fresh pseudo-terminal starts with (the kernel's
``tty_std_termios`` with devpts' ``ICRNL|IXON|OPOST|ONLCR`` … defaults):
canonical mode, echo, signals, ``\\n`` out as ``\\r\\n``.

`Winsize` is struct winsize (TIOCGWINSZ/TIOCSWINSZ): rows and columns;
pixel sizes are kept at zero, as Docker's resize sets them.
"""

import attrs

# c_iflag
IGNBRK = 0o000001
BRKINT = 0o000002
IGNPAR = 0o000004
PARMRK = 0o000010
INPCK = 0o000020
ISTRIP = 0o000040
INLCR = 0o000100
IGNCR = 0o000200
ICRNL = 0o000400
IUCLC = 0o001000
IXON = 0o002000
IXANY = 0o004000
IXOFF = 0o010000
IMAXBEL = 0o020000
IUTF8 = 0o040000

# c_oflag
OPOST = 0o000001
OLCUC = 0o000002
ONLCR = 0o000004
OCRNL = 0o000010
ONOCR = 0o000020
ONLRET = 0o000040

# c_cflag
CSIZE = 0o000060
CS8 = 0o000060
CSTOPB = 0o000100
CREAD = 0o000200
PARENB = 0o000400
PARODD = 0o001000
HUPCL = 0o002000
CLOCAL = 0o004000
B38400 = 0o000017

# c_lflag
ISIG = 0o000001
ICANON = 0o000002
XCASE = 0o000004
ECHO = 0o000010
ECHOE = 0o000020
ECHOK = 0o000040
ECHONL = 0o000100
NOFLSH = 0o000200
TOSTOP = 0o000400
ECHOCTL = 0o001000
ECHOPRT = 0o002000
ECHOKE = 0o004000
FLUSHO = 0o010000
PENDIN = 0o040000
IEXTEN = 0o100000

# c_cc indices
VINTR = 0
VQUIT = 1
VERASE = 2
VKILL = 3
VEOF = 4
VTIME = 5
VMIN = 6
VSWTC = 7
VSTART = 8
VSTOP = 9
VSUSP = 10
VEOL = 11
VREPRINT = 12
VDISCARD = 13
VWERASE = 14
VLNEXT = 15
VEOL2 = 16
NCCS = 19

#: The kernel's INIT_C_CC: ^C ^\ DEL ^U ^D 0 1 0 ^Q ^S ^Z 0 ^R ^O ^W ^V 0.
INIT_C_CC = (0x03, 0x1c, 0x7f, 0x15, 0x04, 0, 1, 0, 0x11, 0x13, 0x1a, 0, 0x12, 0x0f, 0x17,
             0x16, 0, 0, 0)


def _cc(value) -> tuple:
    cc = tuple(int(c) & 0xFF for c in value)
    return (cc + (0,) * NCCS)[:NCCS]


@attrs.frozen
class Termios:
    """struct termios: the four mode words and the special characters."""

    iflag: int
    oflag: int
    cflag: int
    lflag: int
    cc: tuple = attrs.field(converter=_cc)
    #: The line speed (B38400, as a pty reports).
    speed: int = 38400

    @classmethod
    def sane(cls) -> "Termios":
        """What a new pty's slave starts with (Linux ``tty_std_termios``
        as devpts sets it up; what ``stty sane`` comes back to)."""
        return cls(iflag=ICRNL | IXON | IUTF8 | IMAXBEL,
                   oflag=OPOST | ONLCR,
                   cflag=B38400 | CS8 | CREAD | HUPCL,
                   lflag=ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN,
                   cc=INIT_C_CC)

    def with_cc(self, index: int, value: int) -> "Termios":
        cc = list(self.cc)
        cc[index] = value & 0xFF
        return attrs.evolve(self, cc=tuple(cc))

    def raw(self) -> "Termios":
        """cfmakeraw(3): no input or output processing, no echo, no
        signals, one byte at a time."""
        return attrs.evolve(
            self,
            iflag=self.iflag & ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON),
            oflag=self.oflag & ~OPOST,
            lflag=self.lflag & ~(ECHO | ECHONL | ICANON | ISIG | IEXTEN),
            cflag=(self.cflag & ~(CSIZE | PARENB)) | CS8).with_cc(VMIN, 1).with_cc(VTIME, 0)

    def has(self, word: str, bits: int) -> bool:
        return bool(getattr(self, word) & bits)


@attrs.frozen
class Winsize:
    """struct winsize: rows and columns (0x0 until someone sets it)."""

    rows: int = 0
    cols: int = 0
    xpixel: int = 0
    ypixel: int = 0
