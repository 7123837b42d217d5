"""Pseudo-terminals: the line discipline, devpts, and the runtime's
terminal processes, driven from the master's side as a keyboard and a
screen."""

from dockersim.sim.abi import Signal
from dockersim.sim.io import termios as T
from dockersim.sim.io.pty import INPUT_CAPACITY, Devpts
from dockersim.sim.io.pipe import Pipe

from .terminal import Terminal


def _pty(**kw):
    pty = Devpts().open_pty(24, 80)
    pty.output.open_end("r")
    signals = []
    pty.fg_pgrp = "fg"
    pty.kill_pgrp = lambda group, sig: signals.append((group, sig))
    return pty, signals


# -- the line discipline ------------------------------------------------------------------------

def test_enter_is_a_newline_and_output_newlines_go_out_as_crlf():
    pty, _ = _pty()
    pty.receive(b"ls\r")
    assert pty.output.drain() == b"ls\r\n"  # echo, ONLCR on the echoed newline
    assert pty.slave_read(100) == b"ls\n"   # ICRNL
    assert pty.slave_write(b"a\nb\n") == 4
    assert pty.output.drain() == b"a\r\nb\r\n"


def test_canonical_mode_reads_one_line_at_a_time_and_waits_for_the_end_of_one():
    pty, _ = _pty()
    pty.receive(b"one\rtwo")
    assert pty.slave_read(100) == b"one\n"
    assert pty.slave_read(100) is None  # "two" is still being edited
    pty.receive(b"\r")
    assert pty.slave_read(2) == b"tw" and pty.slave_read(100) == b"o\n"


def test_erase_kill_and_word_erase_edit_the_line():
    pty, _ = _pty()
    pty.receive(b"abc\x7f")
    assert pty.output.drain() == b"abc\b \b"
    pty.receive(b"\x08x\r")  # ^H erases too
    assert pty.slave_read(100) == b"ax\n"
    pty.output.drain()
    pty.receive(b"foo bar\x17baz\r")  # ^W
    assert pty.slave_read(100) == b"foo baz\n"
    pty.receive(b"junk\x15ok\r")  # ^U (ECHOKE: erased on screen)
    assert pty.slave_read(100) == b"ok\n"
    assert b"\b \b" * 4 in pty.output.drain()


def test_signal_characters_echo_as_caret_and_go_to_the_foreground_group():
    pty, signals = _pty()
    pty.receive(b"half a line\x03")
    assert pty.output.drain().endswith(b"^C")
    assert signals == [("fg", Signal.SIGINT)]
    assert pty.slave_read(100) is None and not pty.line  # the line was flushed
    pty.receive(b"\x1c\x1a")
    assert signals[1:] == [("fg", Signal.SIGQUIT), ("fg", Signal.SIGTSTP)]
    assert pty.output.drain() == b"^\\^Z"


def test_ctrl_d_at_the_start_of_a_line_is_end_of_file_and_elsewhere_ends_the_line():
    pty, _ = _pty()
    pty.receive(b"\x04")
    assert pty.slave_read(100) == b""
    pty.receive(b"ab\x04")
    assert pty.slave_read(100) == b"ab"
    assert pty.output.drain() == b"ab"  # EOF is not echoed


def test_raw_mode_passes_every_byte_at_once_without_echo_or_signals():
    pty, signals = _pty()
    pty.set_termios(pty.termios.raw())
    pty.receive(b"\x1b[A\x03\r")
    assert pty.slave_read(100) == b"\x1b[A\x03\r"
    assert signals == [] and pty.output.drain() == b""
    pty.slave_write(b"x\n")
    assert pty.output.drain() == b"x\n"  # no OPOST


def test_noncanonical_reads_wait_for_vmin_bytes():
    pty, _ = _pty()
    t = pty.termios
    pty.set_termios(T.Termios(t.iflag, t.oflag, t.cflag, t.lflag & ~(T.ICANON | T.ECHO), t.cc)
                    .with_cc(T.VMIN, 3))
    pty.receive(b"ab")
    assert pty.slave_read(10) is None
    pty.receive(b"c")
    assert pty.slave_read(10) == b"abc"


def test_leaving_canonical_mode_makes_the_edited_line_readable():
    pty, _ = _pty()
    pty.receive(b"abc")
    pty.set_termios(pty.termios.raw())
    assert pty.slave_read(10) == b"abc"


def test_resize_sends_sigwinch_only_on_a_change():
    pty, signals = _pty()
    pty.resize(24, 80)
    assert signals == []
    pty.resize(40, 120)
    assert pty.winsize.rows == 40 and signals == [("fg", Signal.SIGWINCH)]


def test_the_keyboard_waits_when_the_input_buffer_is_full():
    pty, _ = _pty()
    pty.set_termios(pty.termios.raw())
    keyboard = Pipe()
    keyboard.open_end("w")
    keyboard.feed(b"x" * (INPUT_CAPACITY + 100))
    pty.attach_keyboard(keyboard)
    assert len(keyboard.buffer) == 100  # back-pressure: the rest waits in the stream
    assert len(pty.slave_read(INPUT_CAPACITY + 100)) == INPUT_CAPACITY
    assert len(keyboard.buffer) == 0 and len(pty.slave_read(1000)) == 100


def test_a_full_screen_blocks_the_writer():
    pty, _ = _pty()
    data = b"y\n" * 40000
    taken = pty.slave_write(data)
    while taken < len(data):
        n = pty.slave_write(data[taken:])
        if n is None:
            break
        taken += n
    assert 0 < taken < 80000 and len(pty.output.buffer) >= 65535
    assert pty.slave_write(b"more") is None
    pty.output.drain()
    assert pty.slave_write(b"more") == 4


def test_devpts_numbers_ptys_lowest_free_first():
    devpts = Devpts()
    a, b = devpts.open_pty(), devpts.open_pty()
    assert (a.name, b.name) == ("pts/0", "pts/1")
    a.hangup()
    assert devpts.open_pty().name == "pts/0"


# -- a container with a terminal -----------------------------------------------------------------

def test_docker_run_it_busybox_sh_prompts_echoes_and_answers_with_crlf():
    term = Terminal()
    term.settle()
    assert term.screen() == "/ # "
    assert term.type("echo hi\r") == "echo hi\r\nhi\r\n/ # "
    assert term.type("echo abcd\x7f\x7fx\r") == "echo abcd\b \b\b \bx\r\nabx\r\n/ # "


def test_the_slave_is_fds_0_to_2_and_the_controlling_terminal():
    term = Terminal()
    term.settle()
    out = term.type("tty; test -t 0 && echo yes; test -t 2 && echo err; echo x > /dev/tty\r")
    assert "/dev/pts/0\r\nyes\r\nerr\r\nx\r\n" in out
    out = term.type("ls /dev/pts\r")
    assert "0" in out and "ptmx" in out


def test_stty_size_follows_the_console_size_and_resize():
    term = Terminal(size=(30, 100))
    term.settle()
    assert "30 100\r\n" in term.type("stty size\r")
    term.handle.resize(50, 132)
    assert "50 132\r\n" in term.type("stty size\r")
    assert "rows 50; columns 132;" in term.type("stty -a\r")


def test_stty_raw_minus_echo_and_sane():
    term = Terminal()
    term.settle()
    term.type("stty raw -echo\r")
    out = term.type("echo quiet\n")  # raw: Enter's \r would stay \r
    assert out == "quiet\n/ # "  # no echo, no ONLCR
    term.type("stty sane\n")
    assert term.type("echo loud\r") == "echo loud\r\nloud\r\n/ # "


def test_tty_without_a_terminal_says_not_a_tty():
    from .helpers import run_program

    r = run_program(["tty"])
    assert (r.exit_code, r.out) == (1, "not a tty\n")
    r = run_program(["sh", "-c", "stty size"])
    assert r.exit_code == 1 and "standard input" in r.stderr.decode()


def test_ctrl_d_on_an_empty_line_ends_the_shell():
    term = Terminal()
    term.settle()
    term.type("\x04")
    assert term.handle.exit_code == 0


def test_exit_ends_the_session_with_its_status():
    term = Terminal()
    term.settle()
    term.type("exit 3\r")
    assert term.handle.exit_code == 3


def test_docker_exec_it_gets_the_next_pty_and_a_session_of_its_own():
    term = Terminal(["sleep", "1000"])
    term.settle()
    ex = term.exec(["sh"])
    ex.settle()
    assert ex.screen() == "/ # "
    out = ex.type("tty; ps -o pid,pgid,sid,tty,comm\r")
    assert "/dev/pts/1\r\n" in out
    rows = [line.split() for line in out.split("\r\n")[2:-1]]
    assert ["1", "1", "1", "136,0", "sleep"] in rows
    shell_pid = next(r[0] for r in rows if r[-1] == "sh")
    assert [shell_pid, shell_pid, shell_pid, "136,1", "sh"] in rows
    ex.type("exit\r")
    assert ex.handle.exit_code == 0
    again = term.exec(["tty"])  # its pty went with it: pts/1 is free again
    again.settle()
    assert again.screen() == "/dev/pts/1\r\n"


def test_exec_without_a_tty_container_gets_pts_0():
    from .helpers import run_to_exit
    from .terminal import machine
    from dockersim.sim.runtime.spec import ContainerSpec, ProcessSpec, RootSpec

    m = machine()
    handle = m.runtime.create(ContainerSpec("d" * 64, ProcessSpec(["sleep", "1000"]),
                                            RootSpec(["sha256:x"]), "box"))
    m.kernel.run_until_idle()
    ex = handle.exec(ProcessSpec(["tty"], terminal=True))
    assert handle.stderr is not None and ex.stderr is None
    assert run_to_exit(m, ex) == (0, "/dev/pts/0\r\n", "")


def test_bash_prompt_comes_from_the_images_bashrc_with_the_hostname():
    term = Terminal(["bash"], image="debian", hostname="kubia-container")
    term.settle()
    assert term.screen() == "root@kubia-container:/# "
    out = term.type("cd /tmp\r")
    assert out.endswith("root@kubia-container:/tmp# ")
    term.type("\x04")
    assert term.handle.exit_code == 0 and term.screen().endswith("exit\r\n")


def test_hangup_of_an_exec_terminal_sends_sighup_to_its_session():
    term = Terminal(["sleep", "1000"])
    term.settle()
    ex = term.exec(["sh"])
    ex.settle()
    ex.handle._pty.hangup()  # the master closes (the shim lets go of it)
    ex.settle()
    assert ex.handle.exit_code == 128 + Signal.SIGHUP
