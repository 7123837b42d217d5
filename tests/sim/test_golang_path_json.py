"""Go's ``path.Match`` (the vectors of Go's path/match_test.go) and
``encoding/json``'s error texts as a ``json.Decoder`` reports them
(dockerd sends both to the client unchanged)."""

from __future__ import annotations

import pytest

from dockersim.sim.golang import PatternError, path_match
from dockersim.sim.golang.json import (Field, JSONError, Ptr, Struct, TimeType, decode_struct, first_value,
                                      parse, unmarshal)

# Go's path/match_test.go
MATCH_CASES = [
    ("abc", "abc", True), ("*", "abc", True), ("*c", "abc", True), ("a*", "a", True),
    ("a*", "abc", True), ("a*", "ab/c", False), ("a*/b", "abc/b", True), ("a*/b", "a/c/b", False),
    ("a*b*c*d*e*/f", "axbxcxdxe/f", True), ("a*b*c*d*e*/f", "axbxcxdxexxx/f", True),
    ("a*b*c*d*e*/f", "axbxcxdxe/xxx/f", False), ("a*b*c*d*e*/f", "axbxcxdxexxx/fff", False),
    ("a*b?c*x", "abxbbxdbxebxczzx", True), ("a*b?c*x", "abxbbxdbxebxczzy", False),
    ("ab[c]", "abc", True), ("ab[b-d]", "abc", True), ("ab[e-g]", "abc", False),
    ("ab[^c]", "abc", False), ("ab[^b-d]", "abc", False), ("ab[^e-g]", "abc", True),
    ("a\\*b", "a*b", True), ("a\\*b", "ab", False), ("a?b", "a\u263ab", True),
    ("a[^a]b", "a\u263ab", True), ("a???b", "a\u263ab", False), ("[a-\u03b6]*", "\u03b1", True),
    ("*[a-\u03b6]", "A", False), ("a?b", "a/b", False), ("a*b", "a/b", False),
    ("[\\]a]", "]", True), ("[\\-]", "-", True), ("[x\\-]", "x", True), ("[x\\-]", "-", True),
    ("[x\\-]", "z", False), ("[\\-x]", "x", True), ("[\\-x]", "-", True), ("[\\-x]", "a", False),
    ("*x", "xxx", True), ("busy*", "busybox:latest", True), ("*/kubia", "museopkim/kubia", True),
]
BAD_PATTERNS = [("[]a]", "]"), ("[-]", "-"), ("[x-]", "x"), ("[-x]", "x"), ("\\", "a"),
                ("[a-b-c]", "a"), ("[", "a"), ("[^", "a"), ("[^bc", "a"), ("a[", "a"), ("a[", "ab"),
                ("a[", "x"), ("a/b[", "x")]


@pytest.mark.parametrize("pattern,name,matched", MATCH_CASES)
def test_path_match(pattern, name, matched):
    assert path_match(pattern, name) is matched


@pytest.mark.parametrize("pattern,name", BAD_PATTERNS)
def test_path_match_bad_patterns(pattern, name):
    with pytest.raises(PatternError) as exc:
        path_match(pattern, name)
    assert str(exc.value) == "syntax error in pattern"


# -- Go's JSON errors --------------------------------------------------------------

@pytest.mark.parametrize("text,message", [
    ("", "EOF"), (" \n", "EOF"), ("{", "unexpected EOF"), ('{"a":', "unexpected EOF"),
    ("x", "invalid character 'x' looking for beginning of value"),
    ('{"a" 1}', "invalid character '1' after object key"),
    ('{"a":1 2}', "invalid character '2' after object key:value pair"),
    ("[1 2]", "invalid character '2' after array element"),
    ("{1:2}", "invalid character '1' looking for beginning of object key string"),
    ("trux", "invalid character 'x' in literal true (expecting 'e')"),
    ("nul!", "invalid character '!' in literal null (expecting 'l')"),
    ('"a\nb"', "invalid character '\\n' in string literal"),
    ('"\\q"', "invalid character 'q' in string escape code"),
    ("-x", "invalid character 'x' in numeric literal"),
    ("1.x", "invalid character 'x' after decimal point in numeric literal"),
    ("1ex", "invalid character 'x' in exponent of numeric literal"),
    ("'", "invalid character '\\'' looking for beginning of value"),
])
def test_go_json_syntax_errors(text, message):
    with pytest.raises(JSONError) as exc:
        first_value(text)
    assert str(exc.value) == message


def test_go_json_struct_decoding():
    fields = ("username", "password")
    assert decode_struct('{"Username":"a","other":[1]} trailing', "AuthConfig", fields) == {
        "username": "a", "password": ""}
    assert decode_struct("null", "AuthConfig", fields) is None
    assert decode_struct('{"username":null}', "AuthConfig", fields) == {"username": "", "password": ""}
    with pytest.raises(JSONError) as exc:
        decode_struct("[]", "AuthConfig", fields, package="registry")
    assert str(exc.value) == "json: cannot unmarshal array into Go value of type registry.AuthConfig"
    with pytest.raises(JSONError) as exc:
        decode_struct('{"password":true}', "AuthConfig", fields)
    assert str(exc.value) == "json: cannot unmarshal bool into Go struct field AuthConfig.password of type string"


def test_path_match_refuses_an_invalid_byte_in_a_class():
    assert path_match("[\u00e9]", "\u00e9")
    with pytest.raises(PatternError):
        path_match("[\udcff]", "x")  # the undecodable byte 0xff


@pytest.mark.parametrize("data, message", [
    (b"\xc3\xa9", "invalid character '\u00c3' looking for beginning of value"),  # a byte, as Go sees it
    (b"[" * 10001, "invalid character '[' exceeded max depth"),
    (b"[1] x", "invalid character 'x' after top-level value"),
    (b"[1", "unexpected end of JSON input"),
])
def test_go_json_unmarshal_errors(data, message):
    with pytest.raises(JSONError) as exc:
        parse(data)
    assert str(exc.value) == message


def test_go_json_strings():
    # each invalid UTF-8 byte and each lone surrogate is one U+FFFD
    assert first_value(b'"a\xe2\x82b"') == "a\ufffd\ufffdb"
    assert first_value('"\\ud800\\ud83d\\ude00"') == "\ufffd\U0001f600"


def test_go_json_time_field():
    t = Struct("History", "v1.History", (Field("created", Ptr(TimeType())),))
    assert unmarshal(b'{"created":"2024-01-02T03:04:05.5+01:00"}', t)["created"].rfc3339nano() == \
        "2024-01-02T03:04:05.5+01:00"
    with pytest.raises(JSONError) as exc:
        unmarshal(b'{"created":1}', t)
    assert str(exc.value) == "Time.UnmarshalJSON: input is not a JSON string"
