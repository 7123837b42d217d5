"""Go's ``time``: durations (``ParseDuration``, ``Duration.String``), the
layout parser (``time.Parse`` / ``ParseInLocation``) for the numeric
layouts dockerd uses, and times as ``encoding/json`` reads and writes
them (RFC 3339).

Parse errors are Go's ``*time.ParseError`` texts::

    parsing time "2024-1-02" as "2006-01-02": cannot parse "1-02" as "01"
    parsing time "2024-13-01": month out of range
    parsing time "2024-02-30": day out of range
    parsing time "2024-01-02x": extra text: "x"

with ``time``'s own quoting (non-ASCII and control bytes as ``\\xNN``).
"""

from __future__ import annotations

import re

import attrs

from .errors import GoError
from .text import decode, encode

__all__ = ["quote", "parse_duration", "format_duration", "RFC3339", "RFC3339_NANO", "Time",
           "parse", "rfc3339_nano", "days_in"]


def quote(s: str) -> str:
    """``time``'s own quoting (non-ASCII and control bytes as ``\\xNN``)."""
    out = ['"']
    for ch in s:
        if ord(ch) >= 0x80 or ord(ch) < 0x20:
            out.extend("\\x%02x" % b for b in encode(ch))
        else:
            if ch in '"\\':
                out.append("\\")
            out.append(ch)
    out.append('"')
    return "".join(out)


# --- time.Duration -------------------------------------------------------------

_UNITS = {"ns": 1, "us": 1_000, "\u00b5s": 1_000, "\u03bcs": 1_000, "ms": 1_000_000,
          "s": 1_000_000_000, "m": 60_000_000_000, "h": 3_600_000_000_000}
_MAX = 1 << 63


def parse_duration(s: str) -> int:
    """Go's ``time.ParseDuration``; returns nanoseconds, raises :class:`GoError`."""
    orig = s
    invalid = GoError("time: invalid duration " + quote(orig))
    neg = False
    if s and s[0] in "+-":
        neg = s[0] == "-"
        s = s[1:]
    if s == "0":
        return 0
    if s == "":
        raise invalid
    total = 0
    while s:
        if not (s[0] == "." or "0" <= s[0] <= "9"):
            raise invalid
        i = 0
        v = 0
        while i < len(s) and "0" <= s[i] <= "9":
            if v > _MAX // 10:
                raise invalid
            v = v * 10 + int(s[i])
            if v > _MAX:
                raise invalid
            i += 1
        pre = i > 0
        s = s[i:]
        post = False
        f, scale = 0, 1.0
        if s and s[0] == ".":
            s = s[1:]
            i = 0
            overflow = False
            while i < len(s) and "0" <= s[i] <= "9":
                if not overflow:
                    if f > (_MAX - 1) // 10:
                        overflow = True
                    else:
                        y = f * 10 + int(s[i])
                        if y > _MAX:
                            overflow = True
                        else:
                            f = y
                            scale *= 10
                i += 1
            post = i > 0
            s = s[i:]
        if not pre and not post:
            raise invalid
        i = 0
        while i < len(s) and not (s[i] == "." or "0" <= s[i] <= "9"):
            i += 1
        if i == 0:
            raise GoError("time: missing unit in duration " + quote(orig))
        u, s = s[:i], s[i:]
        if u not in _UNITS:
            raise GoError("time: unknown unit " + quote(u) + " in duration " + quote(orig))
        unit = _UNITS[u]
        if v > _MAX // unit:
            raise invalid
        v *= unit
        if f > 0:
            v += int(float(f) * (float(unit) / scale))
            if v > _MAX:
                raise invalid
        total += v
        if total > _MAX:
            raise invalid
    if neg:
        return -total
    if total > _MAX - 1:
        raise invalid
    return total


def _fmt_frac(v: int, prec: int) -> tuple[str, int]:
    digits = []
    printed = False
    for _ in range(prec):
        digit = v % 10
        printed = printed or digit != 0
        if printed:
            digits.append(str(digit))
        v //= 10
    frac = ("." + "".join(reversed(digits))) if printed else ""
    return frac, v


def format_duration(ns: int) -> str:
    """Go's ``time.Duration.String``: ``1h2m3.5s``, ``1.5ms``, ``0s``."""
    if ns == 0:
        return "0s"
    neg = ns < 0
    u = -ns if neg else ns
    if u < 1_000_000_000:
        if u < 1_000:
            s = "%dns" % u
        elif u < 1_000_000:
            frac, whole = _fmt_frac(u, 3)
            s = "%d%s\u00b5s" % (whole, frac)
        else:
            frac, whole = _fmt_frac(u, 6)
            s = "%d%sms" % (whole, frac)
    else:
        frac, whole = _fmt_frac(u, 9)
        secs = whole % 60
        whole //= 60
        s = "%d%ss" % (secs, frac)
        if whole > 0:
            mins = whole % 60
            whole //= 60
            s = "%dm" % mins + s
            if whole > 0:
                s = "%dh" % whole + s
    return "-" + s if neg else s


# --- the proleptic Gregorian calendar ----------------------------------------------

def days_in(month: int, year: int) -> int:
    """The days of a month (1-12) of a year."""
    if month == 2:
        return 29 if (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _days_from_civil(y: int, m: int, d: int) -> int:
    """Days since 1970-01-01 of a date."""
    y -= m <= 2
    era = (y if y >= 0 else y - 399) // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _civil_from_days(z: int) -> "tuple[int, int, int]":
    """The date ``z`` days after 1970-01-01."""
    z += 719468
    era = (z if z >= 0 else z - 146096) // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + (3 if mp < 10 else -9)
    return y + (m <= 2), m, d


# --- time.Time -------------------------------------------------------------------

RFC3339 = "2006-01-02T15:04:05Z07:00"
RFC3339_NANO = "2006-01-02T15:04:05.999999999Z07:00"


@attrs.frozen
class Time:
    """A Go ``time.Time``: Unix seconds, nanoseconds and the offset of the
    zone it is shown in (seconds east of UTC)."""

    sec: int
    nsec: int = 0
    offset: int = 0

    @classmethod
    def from_float(cls, t: float) -> "Time":
        """``t`` seconds since the epoch, in UTC, to the nearest nanosecond."""
        whole = int(t // 1)
        nsec = int(round((t - whole) * 1e9))
        if nsec >= 1_000_000_000:
            whole, nsec = whole + 1, nsec - 1_000_000_000
        return cls(whole, nsec, 0)

    def rfc3339nano(self) -> str:
        """``Format(time.RFC3339Nano)`` (what ``json.Marshal`` writes):
        trailing zeros of the fraction dropped, ``Z`` for UTC."""
        local = self.sec + self.offset
        days, secs = divmod(local, 86400)
        y, m, d = _civil_from_days(days)
        text = "%04d-%02d-%02dT%02d:%02d:%02d" % (y, m, d, secs // 3600, secs // 60 % 60, secs % 60)
        if self.nsec:
            text += ("." + "%09d" % self.nsec).rstrip("0")
        if self.offset == 0:
            return text + "Z"
        sign = "+" if self.offset > 0 else "-"
        off = abs(self.offset)
        return text + "%s%02d:%02d" % (sign, off // 3600, off // 60 % 60)


def rfc3339_nano(t: "float | None", zero: str = "0001-01-01T00:00:00Z") -> str:
    """``t`` (seconds since the epoch) as Go's ``time.Time`` marshals to
    JSON in UTC: RFC 3339 with nanoseconds, trailing zeros of the fraction
    dropped (``2023-11-14T22:13:20.5Z``); ``zero`` (Go's zero time) for
    None."""
    if t is None:
        return zero
    return Time.from_float(t).rfc3339nano()


# --- time.Parse ------------------------------------------------------------------

#: The layout elements `parse` knows: year, month, day, hour, minute,
#: second, an optional fraction of a second (``.999``: any number of
#: digits), the ISO 8601 zone (``Z`` or ``±hh:mm``).  The rest of a layout
#: (no spaces) must match literally.
_ELEMENT = re.compile(r"2006|01|02|15|04|05|[.,]9+(?![0-9])|Z07:00")


class _Bad(Exception):
    """A value element that does not fit its layout element."""


def _next_element(layout: str) -> "tuple[str, str | None, str]":
    """(literal text before the next element, the element or None, the rest)."""
    m = _ELEMENT.search(layout)
    if m is None:
        return layout, None, ""
    return layout[:m.start()], m.group(), layout[m.end():]


def _is_digit(b: bytes, i: int) -> bool:
    return i < len(b) and 0x30 <= b[i] <= 0x39


def _number(b: bytes, fixed: bool) -> "tuple[int, bytes]":
    """``getnum``: one or two leading digits (two when ``fixed``)."""
    if not _is_digit(b, 0):
        raise _Bad()
    if not _is_digit(b, 1):
        if fixed:
            raise _Bad()
        return b[0] - 0x30, b[1:]
    return int(b[:2]), b[2:]


def _fraction(b: bytes) -> "tuple[int, bytes]":
    """A separator, digits (``b`` starts so): the nanoseconds (digits past
    the ninth ignored) and what follows."""
    n = 2
    while _is_digit(b, n):
        n += 1
    digits = b[1:min(n, 10)]
    return int(digits) * 10 ** (9 - len(digits)), b[n:]


def _starts_fraction(b: bytes) -> bool:
    return len(b) >= 2 and b[0] in b".," and _is_digit(b, 1)


def _fraction_next(layout: str) -> bool:
    """Whether the next element of ``layout`` is a fraction of a second."""
    elem = _next_element(layout)[1]
    return elem is not None and elem[0] in ".,"


def parse(layout: str, value: str, local_offset: int = 0) -> Time:
    """``time.Parse(layout, value)`` for a layout of the elements above; a
    value without a zone is in the zone ``local_offset`` seconds east of
    UTC (0: ``Parse``; the daemon's zone: ``ParseInLocation(..., Local)``).
    Raises GoError with Go's ``ParseError`` text."""
    full_layout = layout
    rest = encode(value)  # Go indexes the bytes

    def failure(layout_elem: str, value_elem: bytes, message: str = "") -> GoError:
        if message:
            return GoError("parsing time " + quote(value) + message)
        return GoError("parsing time %s as %s: cannot parse %s as %s" % (
            quote(value), quote(full_layout), quote(decode(value_elem)), quote(layout_elem)))

    year, month, day, hour, minute, second, nsec = 0, -1, -1, 0, 0, 0, 0
    offset = None
    while True:
        literal, elem, layout = _next_element(layout)
        for ch in literal.encode():
            if rest[:1] != bytes((ch,)):
                raise failure(literal, rest)
            rest = rest[1:]
        if elem is None:
            if rest:
                raise failure("", rest, ": extra text: " + quote(decode(rest)))
            break
        held = rest
        out_of_range = ""
        bad = False
        try:
            if elem == "2006":
                if len(rest) < 4 or not rest[:4].isdigit():
                    raise _Bad()
                year, rest = int(rest[:4]), rest[4:]
            elif elem == "01":
                month, rest = _number(rest, True)
                if not 1 <= month <= 12:
                    out_of_range = "month"
            elif elem == "02":
                day, rest = _number(rest, True)  # checked against the month at the end
            elif elem == "15":
                hour, rest = _number(rest, False)
                if hour >= 24:
                    out_of_range = "hour"
            elif elem == "04":
                minute, rest = _number(rest, True)
                if minute >= 60:
                    out_of_range = "minute"
            elif elem == "05":
                second, rest = _number(rest, True)
                if second >= 60:
                    out_of_range = "second"
                elif _starts_fraction(rest) and not _fraction_next(layout):
                    nsec, rest = _fraction(rest)  # read even where the layout has none
            elif elem[0] in ".,":
                if _starts_fraction(rest):
                    nsec, rest = _fraction(rest)
            elif rest[:1] == b"Z":  # Z07:00 with a Z
                offset, rest = 0, rest[1:]
            else:  # Z07:00 with an offset
                if len(rest) < 6 or rest[3:4] != b":":
                    raise _Bad()
                sign, hh, mm, rest = rest[:1], rest[1:3], rest[4:6], rest[6:]
                hours = minutes = 0
                try:
                    hours, _ = _number(hh, True)
                    minutes, _ = _number(mm, True)
                except _Bad:
                    bad = True
                if hours > 24:  # Go allows 24:00 and hh:60
                    out_of_range = "time zone offset hour"
                if minutes > 60:
                    out_of_range = "time zone offset minute"
                bad = bad or sign not in (b"+", b"-")
                offset = (hours * 3600 + minutes * 60) * (-1 if sign == b"-" else 1)
        except _Bad:
            bad = True
        if out_of_range:
            raise failure(elem, rest, ": " + out_of_range + " out of range")
        if bad:
            raise failure(elem, held)
    if month < 0:
        month = 1
    if day < 0:
        day = 1
    if day < 1 or day > days_in(month, year):
        raise failure("", rest, ": day out of range")
    if offset is None:
        offset = local_offset
    seconds = _days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second
    return Time(seconds - offset, nsec, offset)
