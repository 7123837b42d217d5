"""The readers of request data: ``filters`` (moby's api/types/filters),
the ``X-Registry-Auth`` header, and the time values of ``until`` (moby's
api/types/time).  Go's ``path.Match`` and JSON errors: tests/sim/test_golang_path_json.py."""

from __future__ import annotations

import base64

import pytest

from dockersim.daemon.backend.auth import _base64url_prefix, decode_registry_auth
from dockersim.daemon.backend.filters import FilterError, Filters
from dockersim.daemon.backend.timestamps import TimeError, get_timestamp, parse_duration, parse_timestamps

# -- filters --------------------------------------------------------------------


def test_filters_both_json_forms():
    f = Filters.from_json('{"dangling":{"true":true},"label":{"a=b":true,"c":true}}')
    assert f.get("label") == ["a=b", "c"] and f.get_bool_or_default("dangling", False) is True
    legacy = Filters.from_json('{"dangling":["false"],"reference":["busy*"]}')
    assert legacy.get_bool_or_default("dangling", True) is False and legacy.get("reference") == ["busy*"]
    assert Filters.from_json("").fields == {} and Filters.from_json("null").fields == {}


@pytest.mark.parametrize("text", ["{", "[]", '"x"', "1", '{"a":true}', '{"a":{"x":1}}',
                                  '{"a":{"x":true},"b":["y"]}', '{"a":{}} x'])
def test_filters_that_are_no_filters(text):
    with pytest.raises(FilterError) as exc:
        Filters.from_json(text)
    assert str(exc.value) == "invalid filter"


def test_filter_validation_and_bools():
    f = Filters.from_json('{"foo":{"x":true}}')
    with pytest.raises(FilterError) as exc:
        f.validate({"dangling"})
    assert str(exc.value) == "invalid filter 'foo'"
    for text, message in [('{"dangling":{"maybe":true}}', "invalid filter 'dangling=[maybe]'"),
                          ('{"dangling":{"1":true,"false":true}}', "invalid filter 'dangling=[1 false]'"),
                          ('{"dangling":null}', "invalid filter 'dangling'"),
                          ('{"dangling":{"true":false}}', "invalid filter 'dangling=[true]'")]:
        with pytest.raises(FilterError) as exc:
            Filters.from_json(text).get_bool_or_default("dangling", False)
        assert str(exc.value) == message
    assert Filters().get_bool_or_default("dangling", True) is True


def test_match_kv_list():
    f = Filters.from_json('{"label":{"tier":true,"env=prod":true}}')
    assert f.match_kv_list("label", {"tier": "x", "env": "prod"})
    assert not f.match_kv_list("label", {"tier": "x", "env": "dev"})
    assert not f.match_kv_list("label", None)
    assert Filters().match_kv_list("label", None)


# -- X-Registry-Auth ---------------------------------------------------------------

def test_registry_auth_header():
    assert decode_registry_auth("e30=") == (decode_registry_auth("")[0], None)
    text = base64.urlsafe_b64encode(b'{"username":"u","password":"p"}').decode()
    creds, err = decode_registry_auth(text)
    assert (creds.username, creds.password, err) == ("u", "p", None)
    cut, err = decode_registry_auth(text.rstrip("="))
    assert cut.username == "" and err == "invalid X-Registry-Auth header: unexpected EOF"
    standard = base64.b64encode(b'{"username":"u?>"}').decode()  # "+" or "/": not the URL alphabet
    assert "/" in standard or "+" in standard
    assert decode_registry_auth(standard)[0].username == ""
    assert _base64url_prefix("e30\n=") == b"{}"


# -- times ---------------------------------------------------------------------------

def test_go_durations():
    assert parse_duration("1h30m") == 5400 and parse_duration("300ms") == 0.3
    assert parse_duration("-1.5h") == -5400 and parse_duration("0") == 0
    for text, message in [("1d", 'time: unknown unit "d" in duration "1d"'),
                          ("1", 'time: missing unit in duration "1"'),
                          ("abc", 'time: invalid duration "abc"'), ("", 'time: invalid duration ""')]:
        with pytest.raises(TimeError) as exc:
            parse_duration(text)
        assert str(exc.value) == message


NOW = 1_700_000_000.0


@pytest.mark.parametrize("value,expected", [
    ("10m", "1699999400"), ("1h30m", "1699994600"), ("0", "0"),
    ("2024-01-02", "1704153600.000000000"), ("2024-01-02T10", "1704189600.000000000"),
    ("2024-01-02T10:30", "1704191400.000000000"), ("2024-01-02T10:00:00Z", "1704189600.000000000"),
    ("2024-01-02T10:00:00+01:00", "1704186000.000000000"),
    ("2024-01-02T10:00:00.5Z", "1704189600.500000000"), ("2024-01-02Z", "1704153600.000000000"),
    ("1700000000", "1700000000"), ("1700000000.25", "1700000000.25"),
])
def test_get_timestamp(value, expected):
    assert get_timestamp(value, NOW) == expected


def test_get_timestamp_local_zone_and_errors():
    assert get_timestamp("2024-01-02", NOW, local_offset=3600) == "1704150000.000000000"
    for value, message in [("abc", 'failed to parse value as time or duration: "abc"'),
                           ("2024-13-01", 'parsing time "2024-13-01": month out of range'),
                           ("2024-02-30", 'parsing time "2024-02-30": day out of range'),
                           ("2024-1-02", 'parsing time "2024-1-02" as "2006-01-02": cannot parse "1-02" as "01"')]:
        with pytest.raises(TimeError) as exc:
            get_timestamp(value, NOW)
        assert str(exc.value) == message
    assert parse_timestamps("1700000000.5") == (1700000000, 500000000)
    assert parse_timestamps("", 7) == (7, 0)
