"""Times in query parameters, as moby's ``api/types/time`` reads them:
the ``until`` filter of image prune and list (also ``since``/``until``
of logs and events).

`get_timestamp(value, now)` is ``GetTimestamp``: a Go duration (``10m``,
``1h30m``: ``now`` minus it), an RFC 3339 date or time in one of the
forms below (without a zone: the daemon's local zone, given as
``local_offset`` seconds), or a Unix timestamp (``1700000000.5``),
returned as Unix seconds text.  Errors carry Go's words:
``failed to parse value as time or duration: "abc"`` or the time
parser's ``parsing time "2024-13-01": month out of range``.

Go's ``time.ParseDuration`` and ``time.Parse`` are
`dockersim.sim.golang.time`'s.
"""

from __future__ import annotations

import math
import re

from ...sim.golang import GoError
from ...sim.golang import time as gotime

__all__ = ["TimeError", "parse_duration", "get_timestamp", "parse_timestamps"]


class TimeError(ValueError):
    """A value that is neither a duration, a time nor a timestamp."""


def parse_duration(text: str) -> float:
    """Go's ``time.ParseDuration`` in seconds: ``300ms``, ``-1.5h``,
    ``2h45m``.  Raises TimeError (``time: invalid duration "x"``,
    ``time: missing unit in duration "1"``, ``time: unknown unit "d" in
    duration "1d"``)."""
    try:
        return gotime.parse_duration(text) / 1e9
    except GoError as err:
        raise TimeError(str(err)) from None


# The layouts GetTimestamp picks from.
_RFC3339_LOCAL = "2006-01-02T15:04:05"
_RFC3339_NANO_LOCAL = "2006-01-02T15:04:05.999999999"
_DATE_WITH_ZONE = "2006-01-02Z07:00"
_DATE_LOCAL = "2006-01-02"


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
        layout = _RFC3339_NANO_LOCAL if parse_in_location else gotime.RFC3339_NANO
    elif "T" in value:
        colons = value.count(":")
        if not parse_in_location and not any(c in value for c in "zZ") and colons > 0:
            colons -= 1
        if parse_in_location:
            layout = {0: "2006-01-02T15", 1: "2006-01-02T15:04"}.get(colons, _RFC3339_LOCAL)
        else:
            layout = {0: "2006-01-02T15Z07:00", 1: "2006-01-02T15:04Z07:00"}.get(colons, gotime.RFC3339)
    elif parse_in_location:
        layout = _DATE_LOCAL
    else:
        layout = _DATE_WITH_ZONE
    try:
        t = gotime.parse(layout, value, local_offset)
    except GoError as err:
        if "-" in value:
            raise TimeError(str(err)) from None
        try:
            _timestamp_parts(value)
        except ValueError:
            raise TimeError(f'failed to parse value as time or duration: "{value}"') from None
        return value
    return "%d.%09d" % (t.sec, t.nsec)


def parse_timestamps(value: str, default_seconds: int = 0) -> "tuple[int, int]":
    """``ParseTimestamps``: (seconds, nanoseconds) of ``<s>[.<frac>]``."""
    if value == "":
        return default_seconds, 0
    try:
        return _timestamp_parts(value)
    except ValueError:
        raise TimeError(f'strconv.ParseInt: parsing "{value}": invalid syntax') from None
