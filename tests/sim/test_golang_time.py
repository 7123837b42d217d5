"""Go's ``time.Parse`` for the layouts dockerd uses, ``time.Time`` in RFC
3339, and moby/sys/symlink's scoped walk (`dockersim.sim.golang`)."""

import pytest

from dockersim.sim.golang import GoError
from dockersim.sim.golang import time as T
from dockersim.sim.golang.symlink import follow_symlink_in_scope

JAN2 = 1704153600  # 2024-01-02T00:00:00Z


@pytest.mark.parametrize("layout, value, sec, nsec, offset", [
    (T.RFC3339, "2024-01-02T03:04:05Z", JAN2 + 11045, 0, 0),
    (T.RFC3339, "2024-01-02T03:04:05.5+01:00", JAN2 + 11045 - 3600, 500_000_000, 3600),
    (T.RFC3339, "2024-01-02T3:04:05Z", JAN2 + 11045, 0, 0),              # "15" takes one digit
    (T.RFC3339, "2024-01-02T03:04:05,25Z", JAN2 + 11045, 250_000_000, 0),  # a comma fraction
    (T.RFC3339_NANO, "2024-01-02T03:04:05.1234567891Z", JAN2 + 11045, 123_456_789, 0),
    (T.RFC3339, "2024-01-02T00:00:00+24:00", JAN2 - 86400, 0, 86400),      # Go allows 24:00
    ("2006-01-02", "0000-02-29", -62167219200 + 59 * 86400, 0, 0),  # year 0 is a leap year
])
def test_parse(layout, value, sec, nsec, offset):
    assert T.parse(layout, value) == T.Time(sec, nsec, offset)


def test_parse_without_a_zone_uses_the_given_one():
    assert T.parse("2006-01-02T15:04", "2024-01-02T10:30", 3600) == T.Time(JAN2 + 37800 - 3600, 0, 3600)
    assert T.parse(T.RFC3339, "2024-01-02T00:00:00Z", 3600).offset == 0


@pytest.mark.parametrize("layout, value, message", [
    ("2006-01-02", "2024-01-02x", 'parsing time "2024-01-02x": extra text: "x"'),
    # the day is checked against the month only at the end
    ("2006-01-02", "2024-02-00x", 'parsing time "2024-02-00x": extra text: "x"'),
    ("2006-01-02", "2024-02-30", 'parsing time "2024-02-30": day out of range'),
    ("2006-01-02", "2024-02-3x", 'parsing time "2024-02-3x" as "2006-01-02": cannot parse "3x" as "02"'),
    (T.RFC3339, "2024-01-02T24:00:00Z", 'parsing time "2024-01-02T24:00:00Z": hour out of range'),
    (T.RFC3339, "2024-01-02T03:04:05+25:00",
     'parsing time "2024-01-02T03:04:05+25:00": time zone offset hour out of range'),
    (T.RFC3339, "2024-01-02T03:04:05+01:61",
     'parsing time "2024-01-02T03:04:05+01:61": time zone offset minute out of range'),
    (T.RFC3339, "2024-01-02T03:04:05.5Zx", 'parsing time "2024-01-02T03:04:05.5Zx": extra text: "x"'),
    (T.RFC3339, "2024-01-02T0{:04:05Z",
     'parsing time "2024-01-02T0{:04:05Z" as "2006-01-02T15:04:05Z07:00": cannot parse "{:04:05Z" as ":"'),
    # time's own quoting: the bytes of non-ASCII characters
    (T.RFC3339, "2024-01-02T03:04:05\u00e9",
     'parsing time "2024-01-02T03:04:05\\xc3\\xa9" as "2006-01-02T15:04:05Z07:00": '
     'cannot parse "\\xc3\\xa9" as "Z07:00"'),
])
def test_parse_errors(layout, value, message):
    with pytest.raises(GoError) as e:
        T.parse(layout, value)
    assert str(e.value) == message


def test_rfc3339_nano():
    assert T.Time(JAN2 + 11045 - 3600, 500_000_000, 3600).rfc3339nano() == "2024-01-02T03:04:05.5+01:00"
    assert T.Time(-1, 0, -19800).rfc3339nano() == "1969-12-31T18:29:59-05:30"
    assert T.rfc3339_nano(1700000000.25) == "2023-11-14T22:13:20.25Z"
    assert T.rfc3339_nano(None) == "0001-01-01T00:00:00Z"


# -- FollowSymlinkInScope -------------------------------------------------------------

LINKS = {"/up": "../../etc", "/abs": "/b/c", "/loop": "loop", "/rel": "b/../up"}


def read_link(inner, full):
    assert full == "/root" + inner
    return LINKS.get(inner)


@pytest.mark.parametrize("path, resolved", [
    ("/root", "/root"), ("/root/x/../a", "/root/a"), ("/root/up/f", "/root/etc/f"),
    ("/root/abs/f", "/root/b/c/f"), ("/root/rel/f", "/root/etc/f"), ("/root/../root/up", "/root/etc"),
])
def test_follow_symlink_in_scope(path, resolved):
    assert follow_symlink_in_scope(path, "/root/", read_link) == resolved


@pytest.mark.parametrize("path, message", [
    ("/root/loop", "evalSymlinksInScope: too many links in /root/loop"),
    ("/other", "evalSymlinksInScope: /other is not in /root"),
])
def test_follow_symlink_in_scope_errors(path, message):
    with pytest.raises(GoError) as e:
        follow_symlink_in_scope(path, "/root", read_link)
    assert str(e.value) == message
