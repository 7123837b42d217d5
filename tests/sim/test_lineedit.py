"""The interactive shells' line editor (busybox ash's lineedit, bash's
readline) driven from the pty master: keys in, the screen out."""

from dockersim.sim.io import termios as T

from .terminal import Terminal

UP, DOWN, LEFT, RIGHT = "\x1b[A", "\x1b[B", "\x1b[D", "\x1b[C"
HOME, END = "\x1b[H", "\x1b[F"


def _sh():
    term = Terminal()
    term.settle()
    return term


def test_up_arrow_recalls_history_and_enter_runs_it_again():
    term = _sh()
    term.type("echo one\r")
    term.type("echo two\r")
    assert term.type(UP) == "\r/ # echo two\x1b[K"
    assert term.type(UP) == "\r/ # echo one\x1b[K"
    assert term.type("\r") == "\r\none\r\n/ # "
    term.type(UP + UP + DOWN)
    assert term.type("\r").endswith("\r\none\r\n/ # ")  # Down came back to the newer entry


def test_down_past_the_newest_entry_brings_back_what_was_typed():
    term = _sh()
    term.type("echo one\r")
    term.type("echo par")
    term.type(UP)
    assert term.type(DOWN) == "\r/ # echo par\x1b[K"
    assert term.type("t\r") == "t\r\npart\r\n/ # "


def test_left_arrow_moves_and_typing_inserts_in_the_middle():
    term = _sh()
    term.type("echo hllo")
    assert term.type(LEFT * 3) == "\b\b\b"
    assert term.type("e") == "ello\b\b\b"
    assert term.type(RIGHT) == "l"
    assert term.type("\r") == "\r\nhello\r\n/ # "


def test_home_and_end_and_insert_at_the_start():
    term = _sh()
    term.type("cho x")
    term.type(HOME)
    term.type("e")
    term.type(END + "y")
    assert term.type("\r") == "\r\nxy\r\n/ # "


def test_backspace_in_the_middle_redraws_the_rest():
    term = _sh()
    term.type("echo abxc")
    term.type(LEFT)
    assert term.type("\x7f") == "\bc \b\b"
    assert term.type("\r") == "\r\nabc\r\n/ # "


def test_ctrl_c_throws_the_line_away_and_ctrl_u_and_ctrl_w_erase():
    term = _sh()
    assert term.type("echo never\x03") == "echo never^C\r\n/ # "
    term.type("junk\x15echo foo bar\x17baz\r")
    assert term.screen().endswith("\r\nfoo baz\r\n/ # ")


def test_the_terminal_is_raw_while_editing_and_canonical_while_a_command_runs():
    term = _sh()
    out = term.type("stty -a\r")
    assert "isig icanon iexten echo " in out  # the command sees the saved modes
    pty = term.handle._pty
    assert not pty.termios.lflag & (T.ICANON | T.ECHO | T.ISIG)  # at the prompt


def test_history_is_kept_per_shell_and_bash_lists_it():
    term = Terminal(["bash"], image="debian", hostname="box")
    term.settle()
    term.type("echo one\r")
    term.type("echo two\r")
    out = term.type("history\r")
    assert "    1  echo one\r\n    2  echo two\r\n    3  history\r\n" in out


def test_bash_reverse_i_search_finds_and_runs_a_line():
    term = Terminal(["bash"], image="debian", hostname="box")
    term.settle()
    term.type("echo alpha\r")
    term.type("echo beta\r")
    assert term.type("\x12") == "\r(reverse-i-search)`': \x1b[K"
    assert term.type("al") .endswith("\r(reverse-i-search)`al': echo alpha\x1b[K")
    out = term.type("\r")
    assert out.startswith("\rroot@box:/# echo alpha\x1b[K\r\n") and "alpha\r\n" in out


def test_typed_ahead_lines_wait_in_the_terminal_for_the_next_prompt():
    term = _sh()
    out = term.type("echo a\recho b\r")
    assert out.endswith("a\r\n/ # echo b\r\nb\r\n/ # ")


def test_a_resize_redraws_the_prompt_and_the_line():
    term = _sh()
    term.type("echo abc" + LEFT)
    term.handle.resize(40, 100)
    term.settle()
    assert term.screen().endswith("\r/ # echo abc\x1b[K\b")
