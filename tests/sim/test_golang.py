"""The Go standard-library rules the front end re-states."""

import pytest

from dockersim.sim import golang as G


@pytest.mark.parametrize("s, ns", [
    ("0", 0), ("1s", 10**9), ("1.5s", 1_500_000_000), ("1m30s", 90 * 10**9), ("-2h", -7200 * 10**9),
    ("500ms", 500_000_000), ("3us", 3000), ("3\u00b5s", 3000), ("1ns", 1), (".5s", 500_000_000),
    ("1h2m3s4ms5us6ns", 3723004005006), ("+5m", 300 * 10**9),
])
def test_parse_duration(s, ns):
    assert G.parse_duration(s) == ns


@pytest.mark.parametrize("s, message", [
    ("", 'time: invalid duration ""'),
    ("5", 'time: missing unit in duration "5"'),
    ("5x", 'time: unknown unit "x" in duration "5x"'),
    ("s", 'time: invalid duration "s"'),
    (".s", 'time: invalid duration ".s"'),
    ("9999999999h", 'time: invalid duration "9999999999h"'),
    ("1\u00e9", 'time: unknown unit "\\xc3\\xa9" in duration "1\\xc3\\xa9"'),
])
def test_parse_duration_errors(s, message):
    with pytest.raises(G.GoError) as e:
        G.parse_duration(s)
    assert str(e.value) == message


@pytest.mark.parametrize("ns, s", [
    (0, "0s"), (1, "1ns"), (1500, "1.5\u00b5s"), (1_500_000, "1.5ms"), (10**9, "1s"),
    (90 * 10**9, "1m30s"), (3600 * 10**9, "1h0m0s"), (-1_500_000_000, "-1.5s"),
])
def test_format_duration(ns, s):
    assert G.format_duration(ns) == s


def test_quote():
    assert G.quote('a"b\\c\n\t\x01\u00e9\u00a0') == '"a\\"b\\\\c\\n\\t\\x01\u00e9\\u00a0"'
    assert G.quote(G.decode(b"\xff")) == '"\\xff"'
    assert G.quote_rune(3) == "'\\x03'"
    assert G.quote_rune(65) == "'A'"
    assert G.format_q_list(["a", "b c"]) == '["a" "b c"]'
    assert G.format_q_list(None) == "[]"
    assert G.format_v_list(["a", "b c"]) == "[a b c]"


def test_is_space_is_gos():
    assert all(G.is_space(c) for c in "\t\n\v\f\r \x85\xa0\u2000\u3000")
    assert not any(G.is_space(c) for c in "\x1c\x1f\u200b")
    assert G.trim_space("\x85 a \u3000") == "a"


def test_parse_int_and_bool():
    assert G.parse_int("+7") == 7
    with pytest.raises(G.GoError) as e:
        G.parse_int("1_0")
    assert str(e.value) == 'strconv.ParseInt: parsing "1_0": invalid syntax'
    assert G.parse_bool("T") is True
    with pytest.raises(G.GoError):
        G.parse_bool("yes")


@pytest.mark.parametrize("p, clean", [
    ("", "."), ("a//b/./c/..", "a/b"), ("/../a", "/a"), ("../../a", "../../a"), ("a/..", "."),
    ("//a/", "/a"),
])
def test_clean_path(p, clean):
    assert G.clean_path(p) == clean


def test_suggest():
    assert G.suggest("FORM", ["FROM", "RUN"], False) == "FROM"
    assert G.suggest("Form", ["FROM"], False) == "from"
    assert G.suggest("from", ["FROM"], False) is None
    assert G.suggest("xyzzy", ["FROM"], False) is None
    assert G.with_suggestion("unknown flag: --lnk", "lnk", ["link"], True) == \
        "unknown flag: --lnk (did you mean link?)"


@pytest.mark.parametrize("text, expected", [
    ('["a", "b"]', ["a", "b"]),
    ("[]", []),
    ('["\\ud800"]', ["\ufffd"]),
])
def test_json_string_array(text, expected):
    assert G.json_string_array(text) == expected


@pytest.mark.parametrize("text, error", [
    ('["a", 1]', G.NotStringArray),
    ('[NaN]', G.NotJSON),
    ('["a", 1e400]', G.NotJSON),
    ('["a"] x', G.NotJSON),
    ('{"a": 1}', G.NotJSON),
    ("['a']", G.NotJSON),
])
def test_json_string_array_errors(text, error):
    with pytest.raises(error):
        G.json_string_array(text)
