"""buildkit's shell lexer: expansion, quoting, modifiers, patterns, errors."""

import pytest

from dockersim.daemon.builder.shell import Lex, ShellError, env_from_list, process_word, process_words

ENV = {"PWD": "/home", "SHELL": "bash", "EMPTY": "", "FOO": "xxyy", "SPACE": "abc  def"}


@pytest.mark.parametrize("word, expected", [
    ("hello", "hello"),
    ("he'll'o", "hello"),
    ("he\\'llo", "he'llo"),
    ("abc\\tdef", "abctdef"),
    ('"abc\\tdef"', "abc\\tdef"),
    ('"abc\\\\tdef"', "abc\\tdef"),
    ("'abc\\tdef'", "abc\\tdef"),
    ("hello\\", "hello"),
    ("hello\\\\", "hello\\"),
    ("'hello\\'", "hello\\"),
    ('"\'\'"', "''"),
    ("$.", "$."),
    ("he$1x", "hex"),
    ("he$PWD", "he/home"),
    ("he$PWDx", "he"),
    ("he\\$PWD", "he$PWD"),
    ("he\\\\$PWD", "he\\/home"),
    ('"he\\$PWD"', "he$PWD"),
    ("'he$PWD'", "he$PWD"),
    ("\\${}", "${}"),
    ("he${hi}xx", "hexx"),
    ("he${PWD}", "he/home"),
    ("${aaa}}", "}"),
    ("$999aaa", "aaa"),
    ("$@@@", "@@"),
    ("${0:-z}", "z"),
    ("\u00e9${PWD}", "\u00e9/home"),
])
def test_process_word(word, expected):
    assert process_word(word, ENV) == expected


@pytest.mark.parametrize("word, expected", [
    ("${XXX:-000}", "000"),
    ("${PWD:-000}", "/home"),
    ("${EMPTY:-d}", "d"),
    ("${EMPTY-d}", ""),
    ("${XXX-d}", "d"),
    ("${XXX:-${PWD:-y}}", "/home"),
    ("${XXX:-\\$PWD:}", "$PWD:"),
    ("${XXX:-\\${PWD}z}", "${PWDz}"),
    ("${PWD:+yes}", "yes"),
    ("${EMPTY:+yes}", ""),
    ("${EMPTY+yes}", "yes"),
    ("${XXX+yes}", ""),
    ("${PWD:+${PWD}:}", "/home:"),
    ("${PWD?}", "/home"),
    ("${EMPTY?}", ""),
    ("${aaa:-bbb {foo}", "bbb {foo"),
])
def test_default_and_alternative(word, expected):
    assert process_word(word, ENV) == expected


@pytest.mark.parametrize("word, value, expected", [
    ("${V#x}", "xxyy", "xyy"),
    ("${V##*x}", "xxyy", "yy"),
    ("${V#*}", "xxyy", "xxyy"),
    ("${V#}", "xxyy", "xxyy"),
    ("${V%y}", "xxyy", "xxy"),
    ("${V%%y*}", "xxyy", "xx"),
    ("${V%%\\**}", "xx**", "xx"),
    ("${V#?\\?}", "???y", "?y"),
    ("${V#()[]{\\}^$.\\*\\?|\\\\}", "()[]{}^$.*?|\\x", "x"),
    ("${V/x/-}", "xxyy", "-xyy"),
    ("${V//x/-}", "xxyy", "--yy"),
    ("${V//\\//\\/}", "/tmp/a", "\\/tmp\\/a"),
    ("${V/?/}", "abc", "bc"),
    ("${V///}", "xxyy", "xxyy"),
    # the replacement keeps its escapes (`\\$0` stays `\\$0`), then Go's
    # ReplaceAll expands `$0` to the match
    ("${V//b/[\\$0]}", "abc", "a[\\b]c"),
    # an empty-matching pattern replaces between characters once each
    ("${V//*/-}", "ab", "-"),
])
def test_patterns(word, value, expected):
    assert process_word(word, {"V": value}) == expected


@pytest.mark.parametrize("word, message", [
    ("he'llo", "unexpected end of statement while looking for matching single-quote"),
    ('"hello', "unexpected end of statement while looking for matching double-quote"),
    ('"hello\\"', "unexpected end of statement while looking for matching double-quote"),
    ("${}", "syntax error: bad substitution"),
    ("${:x}", "syntax error: bad substitution"),
    ("${{x}", "syntax error: bad substitution"),
    ("${", "syntax error: missing '}'"),
    ("${x:-y", "syntax error: missing '}'"),
    ("${x", "unsupported modifier (\ufffd) in substitution"),
    ("${x=y}", "unsupported modifier (=) in substitution"),
    ("${x:=y}", "unsupported modifier (:=) in substitution"),
    ("${.}", "unsupported modifier (.) in substitution"),
    ("${x:#y}", "unsupported modifier (:#) in substitution"),
    ("${x:%%y}", "unsupported modifier (:%) in substitution"),
    ("${XXX?}", "XXX: is not allowed to be unset"),
    ("${XXX?oops}", "XXX: oops"),
    ("${EMPTY:?}", "EMPTY: is not allowed to be empty"),
    ("${EMPTY:?no}", "EMPTY: no"),
    ("${x/y", "syntax error: missing '/' in ${}"),
    ("${x//}", "syntax error: missing '/' in ${}"),
    ("${x/a/b", "syntax error: missing '}'"),
    ("${FOO#\\a}", "invalid pattern (\\a) in substitution: invalid escape '\\a'"),
])
def test_errors(word, message):
    with pytest.raises(ShellError) as e:
        process_word(word, ENV)
    assert str(e.value) == 'failed to process %s: %s' % (_goquote(word), message)


def _goquote(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def test_error_quotes_the_word_like_go():
    with pytest.raises(ShellError) as e:
        process_word("\t${", {})
    assert str(e.value) == "failed to process \"\\t${\": syntax error: missing '}'"


def test_backtick_escape_token():
    lex = Lex("`")
    assert lex.process_word("a`$PWD\\b", ENV) == "a$PWD\\b"
    assert lex.process_word('"x`"y"', ENV) == 'x"y'


@pytest.mark.parametrize("word, expected", [
    ("hello there", ["hello", "there"]),
    ("hello${SPACE}bye", ["helloabc", "defbye"]),
    ('hello"${SPACE}"bye', ["helloabc  defbye"]),
    ("a\\ b c", ["a b", "c"]),
    ("'x y' z", ["x y", "z"]),
    ("  ", []),
    # buildkit shares one buffer between nested words: text before a
    # ${x<modifier>...} in the same word is lost.
    ("ab${x:-y}", ["y"]),
    ("a b${x:-y}c", ["a", "yc"]),
])
def test_process_words(word, expected):
    assert process_words(word, ENV) == expected


def test_matches_and_unmatched():
    r = Lex().process_word_with_matches("${FOO-a} ${BAR:-b} $PWD ${NOPE+c}", {"FOO": "f", "BAR": "", "PWD": "p"})
    assert r.result == "f b p "
    assert r.matched == {"FOO", "BAR", "PWD"}
    assert r.unmatched == {"NOPE"}


def test_skip_unset_env_keeps_references():
    lex = Lex(skip_unset_env=True)
    assert lex.process_word("$A ${B} ${C:-x} ${D/a/b} $PWD", {"PWD": "p"}) == "$A ${B} ${C:-x} ${D/a/b} p"


def test_raw_quotes_and_escapes():
    lex = Lex(raw_quotes=True, raw_escapes=True)
    assert lex.process_word("'a'\"b\"\\c", {}) == "'a'\"b\"\\c"


def test_heredoc_markers_stay_with_their_word():
    assert process_words("cat << EOF", {}) == ["cat", "<< EOF"]
    assert process_words("a < b", {}) == ["a", "<", "b"]


def test_env_from_list_last_wins():
    assert env_from_list(["A=1", "B", "A=2=3"]) == {"A": "2=3", "B": ""}
