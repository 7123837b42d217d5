"""Times in query parameters, as moby's ``api/types/time`` reads them:
the ``until`` filter of image prune and list (also ``since``/``until``
of logs and events).

`get_timestamp(value, now)` is ``GetTimestamp``: a Go duration (``10m``,
``1h30m``: ``now`` minus it), an RFC 3339 date or time in one of the
forms below (without a zone: the daemon's local zone, given as
``local_offset`` seconds), or a Unix timestamp (``1700000000.5``),
returned as Unix seconds text.  Errors carry Go's words:
``failed to parse value as time or duration: "abc"`` or the time
parser's ``parsing time "2024-13-01" as "2006-01-02": month out of
range``.

Pure (stdlib only).
"""

from __future__ import annotations

import calendar
import math
import re

__all__ = ["TimeError", "parse_duration", "get_timestamp", "parse_timestamps"]


class TimeError(ValueError):
    """A value that is neither a duration, a time nor a timestamp."""


# -- Go's time.ParseDuration ------------------------------------------------

_UNITS = {"ns": 1e-9, "us": 1e-6, "\u00b5s": 1e-6, "\u03bcs": 1e-6, "ms": 1e-3, "s": 1.0,
          "m": 60.0, "h": 3600.0}
_DURATION_PART = re.compile(r"([0-9]*(?:\.[0-9]*)?)([a-z\u00b5\u03bc]*)")


def parse_duration(text: str) -> float:
    """Go's ``time.ParseDuration`` in seconds: ``300ms``, ``-1.5h``,
    ``2h45m``.  Raises TimeError (``time: invalid duration "x"``,
    ``time: missing unit in duration "1"``, ``time: unknown unit "d" in
    duration "1d"``)."""
    orig = text
    quoted = '"' + orig + '"'
    sign = 1.0
    if text and text[0] in "+-":
        sign = -1.0 if text[0] == "-" else 1.0
        text = text[1:]
    if text == "0":
        return 0.0
    if not text:
        raise TimeError(f"time: invalid duration {quoted}")
    total = 0.0
    while text:
        m = _DURATION_PART.match(text)
        number, unit = m.group(1), m.group(2)
        if number in ("", ".") or not (number[0].isdigit() or (number[0] == "." and len(number) > 1)):
            raise TimeError(f"time: invalid duration {quoted}")
        if not unit:
            raise TimeError(f"time: missing unit in duration {quoted}")
        if unit not in _UNITS:
            raise TimeError(f'time: unknown unit "{unit}" in duration {quoted}')
        total += float(number) * _UNITS[unit]
        text = text[m.end():]
    return sign * total


# -- Go's time.Parse for the layouts GetTimestamp uses --------------------------

_RFC3339_LOCAL = "2006-01-02T15:04:05"
_RFC3339_NANO_LOCAL = "2006-01-02T15:04:05.999999999"
_RFC3339 = "2006-01-02T15:04:05Z07:00"
_RFC3339_NANO = "2006-01-02T15:04:05.999999999Z07:00"
_DATE_WITH_ZONE = "2006-01-02Z07:00"
_DATE_LOCAL = "2006-01-02"

#: layout element -> (digits, value name, low, high)
_ELEMENTS = {"2006": (4, "year", 0, 9999), "01": (2, "month", 1, 12), "02": (2, "day", 1, 31),
             "15": (2, "hour", 0, 23), "04": (2, "minute", 0, 59), "05": (2, "second", 0, 59)}
_LAYOUT_TOKENS = re.compile(r"2006|01|02|15|04|05|\.999999999|Z07:00|.", re.S)


def _parse_error(value: str, layout: str, value_elem: str, layout_elem: str) -> TimeError:
    return TimeError(f'parsing time "{value}" as "{layout}": cannot parse "{value_elem}" as "{layout_elem}"')


def _go_parse(layout: str, value: str, local_offset: int) -> "tuple[int, int]":
    """Go's ``time.Parse`` / ``ParseInLocation`` for one of the layouts
    above: (Unix seconds, nanoseconds)."""
    fields = {"year": 0, "month": 1, "day": 1, "hour": 0, "minute": 0, "second": 0}
    nanos = 0
    offset = local_offset
    rest = value
    for token in _LAYOUT_TOKENS.findall(layout):
        if token in _ELEMENTS:
            digits, name, low, high = _ELEMENTS[token]
            chunk = rest[:digits]
            if len(chunk) < digits or not chunk.isdigit():
                raise _parse_error(value, layout, rest, token)
            number = int(chunk)
            if not low <= number <= high:
                raise TimeError(f'parsing time "{value}": {name} out of range')
            fields[name] = number
            rest = rest[digits:]
        elif token == ".999999999":
            if rest.startswith(".") and rest[1:2].isdigit():
                m = re.match(r"\.([0-9]+)", rest)
                frac = m.group(1)
                nanos = int(frac[:9].ljust(9, "0"))
                rest = rest[m.end():]
        elif token == "Z07:00":
            if rest.startswith("Z"):
                offset = 0
                rest = rest[1:]
            else:
                m = re.match(r"([+-])([0-9]{2}):([0-9]{2})", rest)
                if m is None:
                    raise _parse_error(value, layout, rest, "Z07:00")
                offset = (int(m.group(2)) * 3600 + int(m.group(3)) * 60) * (1 if m.group(1) == "+" else -1)
                rest = rest[m.end():]
        else:
            if not rest.startswith(token):
                raise _parse_error(value, layout, rest, token)
            rest = rest[len(token):]
    if rest:
        raise TimeError(f'parsing time "{value}": extra text: "{rest}"')
    days = calendar.monthrange(fields["year"] or 2000, fields["month"])[1]
    if fields["day"] > days:
        raise TimeError(f'parsing time "{value}": day out of range')
    seconds = calendar.timegm((fields["year"], fields["month"], fields["day"], fields["hour"],
                               fields["minute"], fields["second"], 0, 0, 0)) - offset
    return seconds, nanos


def _timestamp_parts(value: str) -> "tuple[int, int]":
    """``parseTimestamp``: ``<seconds>[.<fraction>]``.  Raises ValueError."""
    sec_text, dot, frac_text = value.partition(".")
    if not re.fullmatch(r"[+-]?[0-9]+", sec_text):
        raise ValueError(value)
    seconds = int(sec_text)
    if not dot:
        return seconds, 0
    if not re.fullmatch(r"[+-]?[0-9]+", frac_text):
        raise ValueError(value)
    nanos = int(int(frac_text) * 10 ** (9 - len(frac_text)))
    return seconds, nanos


def get_timestamp(value: str, now: float, local_offset: int = 0) -> str:
    """``GetTimestamp``: the Unix time ``value`` names, as text."""
    if value != "0":
        try:
            return str(math.floor(now - parse_duration(value)))
        except TimeError:
            pass
    parse_in_location = not any(c in value for c in "zZ+") and value.count("-") != 3
    if "." in value:
        layout = _RFC3339_NANO_LOCAL if parse_in_location else _RFC3339_NANO
    elif "T" in value:
        colons = value.count(":")
        if not parse_in_location and not any(c in value for c in "zZ") and colons > 0:
            colons -= 1
        if parse_in_location:
            layout = {0: "2006-01-02T15", 1: "2006-01-02T15:04"}.get(colons, _RFC3339_LOCAL)
        else:
            layout = {0: "2006-01-02T15Z07:00", 1: "2006-01-02T15:04Z07:00"}.get(colons, _RFC3339)
    elif parse_in_location:
        layout = _DATE_LOCAL
    else:
        layout = _DATE_WITH_ZONE
    try:
        seconds, nanos = _go_parse(layout, value, local_offset)
    except TimeError:
        if "-" in value:
            raise
        try:
            _timestamp_parts(value)
        except ValueError:
            raise TimeError(f'failed to parse value as time or duration: "{value}"') from None
        return value
    return "%d.%09d" % (seconds, nanos)


def parse_timestamps(value: str, default_seconds: int = 0) -> "tuple[int, int]":
    """``ParseTimestamps``: (seconds, nanoseconds) of ``<s>[.<frac>]``."""
    if value == "":
        return default_seconds, 0
    try:
        return _timestamp_parts(value)
    except ValueError:
        raise TimeError(f'strconv.ParseInt: parsing "{value}": invalid syntax') from None
