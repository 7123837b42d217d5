"""Text with lone surrogates never crashes a program: ``$'\\ud800'`` is
what bash (UTF-8 locale) and busybox ash make of it, and any str a
program writes becomes bytes by one rule (`sim.abi.text_bytes`)."""

from dockersim.sim.abi import text_bytes
from tests.sim.test_shell_run import sh


def test_text_bytes_rule():
    assert text_bytes("é") == b"\xc3\xa9"
    assert text_bytes("\udce9") == b"\xe9"  # surrogateescape: one raw byte
    assert text_bytes("a\ud800b") == b"a\xed\xa0\x80b"  # as bash writes $'\ud800'
    assert text_bytes("\udc00\udce9") == b"\xed\xb0\x80\xe9"


def test_bash_writes_a_lone_surrogate_as_its_utf8_form():
    res = sh("echo $'\\ud800'; printf '%s\\n' $'\\u00e9' $'\\xe9'", shell="bash")
    assert (res.exit_code, res.stdout) == (0, b"\xed\xa0\x80\n\xc3\xa9\n\xe9\n")


def test_ash_has_no_unicode_escapes_in_dollar_quotes():
    # busybox's decode_dollar_squote: \u is not an escape, both characters stay
    res = sh("echo $'\\ud800'; echo $'\\xe9\\101'")
    assert (res.exit_code, res.stdout) == (0, b"\\ud800\n\xe9A\n")


def test_an_argument_with_a_lone_surrogate_is_written():
    res = sh('echo "$1"; printf "%s\\n" "$1" >&2', "x\ud800y")
    assert res.exit_code == 0, res.err


def test_proc_cmdline_of_an_argument_with_a_lone_surrogate():
    res = sh("cat /proc/$$/cmdline", "a\ud800", shell="bash")
    assert res.exit_code == 0, res.stderr
    assert res.stdout.endswith(b"\0a\xed\xa0\x80\0")
