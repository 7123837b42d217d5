"""The rotating log file: moby's daemon/logger/loggerutils/logfile.go.

The json-file and local drivers (and the dual-logging cache, which is a
local driver) keep a container's records in one file, ``<key>``, and,
with ``max-size``, rotate it: before a record is written to a file that
has reached ``max-size`` (moby's ``pos.size >= capacity``, so a file may
pass it by one record), the rotated files move up one
(``<key>.1`` -> ``<key>.2`` ..., the oldest, ``<key>.<max-file - 1>``,
dropped), the current file becomes ``<key>.1`` and a new empty current
file starts.  ``max-file`` counts every file, the current one included;
with ``max-file=1`` the current file is simply started again.  With
``compress`` the new ``<key>.1`` is gzipped to ``<key>.1.gz`` (its gzip
header's Extra field holding ``{"lastTime": ...}``, the last record's
time, as moby writes it), so every rotated file is a ``.gz``.

Readers (``docker logs``) read the rotated files oldest first
(``<key>.<max-file - 1>`` ... ``<key>.1``, each plain or ``.gz``), then the
current file.

Also here: the value parsers the drivers use, with Go's words: go-units
``FromHumanSize`` (decimal: ``1k`` is 1000 bytes) and ``RAMInBytes``
(binary), ``strconv.Atoi`` and ``strconv.ParseBool``.  Everything is
done through the injected store: nothing outside the data root.
"""

from __future__ import annotations

import gzip
import json
import re
import struct
import zlib

import attrs

from ...sim.golang.strconv import quote

_INT64_MIN, _INT64_MAX = -(1 << 63), (1 << 63) - 1


@attrs.frozen
class Rotation:
    """How a log file is kept: ``capacity`` bytes per file (-1: no
    rotation), ``max_files`` files in all, rotated files gzipped or not."""

    capacity: int = -1
    max_files: int = 1
    compress: bool = False


NO_ROTATION = Rotation()


# -- Go's parsers ------------------------------------------------------------
_FLOAT = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_SPECIAL = re.compile(r"[+-]?(?:inf|infinity|nan)", re.IGNORECASE)


def parse_float(num: str) -> float:
    """strconv.ParseFloat(num, 64) for decimal text."""
    if _FLOAT.fullmatch(num) or _SPECIAL.fullmatch(num):
        value = float(num)
        if value in (float("inf"), float("-inf")) and not _SPECIAL.fullmatch(num):
            raise ValueError(f"strconv.ParseFloat: parsing {quote(num)}: value out of range")
        return value
    raise ValueError(f"strconv.ParseFloat: parsing {quote(num)}: invalid syntax")


def _int64(value: float) -> int:
    """Go's int64(float64) on amd64: out of range (or NaN) is MinInt64."""
    if value != value or not (_INT64_MIN <= value < 1 << 63):
        return _INT64_MIN
    return int(value)


_DECIMAL = {"k": 1000, "m": 1000 ** 2, "g": 1000 ** 3, "t": 1000 ** 4, "p": 1000 ** 5}
_BINARY = {"k": 1024, "m": 1024 ** 2, "g": 1024 ** 3, "t": 1024 ** 4, "p": 1024 ** 5}


def _parse_size(text: str, units: dict) -> int:
    """go-units parseSize: ``<number>[ ][unit][b|ib]``, raising ValueError
    with go-units' (or strconv's) message."""
    seps = [text.rfind(c) for c in "0123456789. "]
    sep = max(seps)
    if sep == -1:
        raise ValueError(f"invalid size: '{text}'")
    if text[sep] != " ":
        num, sfx = text[:sep + 1], text[sep + 1:]
    else:
        num, sfx = text[:sep], text[sep + 1:]
    size = parse_float(num)
    if size < 0:
        raise ValueError(f"invalid size: '{text}'")
    if not sfx:
        return _int64(size)
    bad = ValueError(f"invalid suffix: '{sfx.lower()}'")
    if len(sfx) > 3:
        raise ValueError(f"invalid suffix: '{sfx}'")
    sfx = sfx.lower()
    if sfx[0] == "b":
        if len(sfx) > 1:
            raise bad
        return _int64(size)
    if sfx[0] not in units:
        raise bad
    size *= units[sfx[0]]
    if (len(sfx) == 2 and sfx[1] != "b") or (len(sfx) == 3 and sfx[1:] != "ib"):
        raise bad
    return _int64(size)


def from_human_size(text: str) -> int:
    """go-units FromHumanSize (SI: k = 1000)."""
    return _parse_size(text, _DECIMAL)


def ram_in_bytes(text: str) -> int:
    """go-units RAMInBytes (binary: k = 1024)."""
    return _parse_size(text, _BINARY)


# -- writing -----------------------------------------------------------------
def gzip_with_last_time(data: bytes, last_time: str) -> bytes:
    """Go's gzip.Writer output with ``Header.Extra`` set to moby's
    rotateFileMetadata JSON (``{"lastTime": ...}``); MTIME 0, OS unknown."""
    extra = json.dumps({"lastTime": last_time}, separators=(",", ":")).encode()
    header = b"\x1f\x8b\x08\x04" + b"\x00\x00\x00\x00" + b"\x00\xff"
    header += struct.pack("<H", len(extra)) + extra
    comp = zlib.compressobj(6, zlib.DEFLATED, -15)
    body = comp.compress(data) + comp.flush()
    return header + body + struct.pack("<II", zlib.crc32(data) & 0xFFFFFFFF, len(data) & 0xFFFFFFFF)


def rotate(store, key: str, rotation: Rotation, last_time: str) -> None:
    """moby's LogFile.rotate: shift the rotated files, move the current one
    to ``.1`` (gzipped with compress), start an empty current file."""
    if rotation.max_files >= 2:
        ext = ".gz" if rotation.compress else ""
        store.delete(f"{key}.{rotation.max_files - 1}{ext}")
        for i in range(rotation.max_files - 1, 1, -1):
            if store.exists(f"{key}.{i - 1}{ext}"):
                store.rename(f"{key}.{i - 1}{ext}", f"{key}.{i}{ext}")
        if store.exists(key):
            store.rename(key, f"{key}.1")
        if rotation.compress:
            data = store.get_bytes(f"{key}.1")
            if data is not None:
                store.put_bytes(f"{key}.1.gz", gzip_with_last_time(data, last_time))
                store.delete(f"{key}.1")
    store.put_bytes(key, b"")  # moby reopens it with O_TRUNC|O_CREATE


def write_entries(store, key: str, rotation: Rotation, entries: list, size: int,
                  last_time: str, prev_time: str) -> int:
    """moby's WriteLogEntry for each entry in turn: rotate first when the
    current file has reached the capacity.  Returns the current file's size.
    ``prev_time``: the time of the last entry written before these (the
    rotated file's lastTime when the first of them rotates)."""
    chunk = []
    for entry in entries:
        if size >= rotation.capacity:
            if chunk:
                store.append_bytes(key, b"".join(chunk))
                chunk = []
                prev_time = last_time
            rotate(store, key, rotation, prev_time)
            size = 0
        chunk.append(entry)
        size += len(entry)
    if chunk:
        store.append_bytes(key, b"".join(chunk))
    return size


# -- reading -----------------------------------------------------------------
def files_of(store, key: str, max_files: int) -> "list[bytes]":
    """moby's openRotatedFiles + the current file: the contents of every
    file of the log, oldest first (a missing one is skipped)."""
    out = []
    for i in range(max_files - 1, 0, -1):
        data = store.get_bytes(f"{key}.{i}")
        if data is None:
            packed = store.get_bytes(f"{key}.{i}.gz")
            if packed is None:
                continue
            try:
                data = gzip.decompress(packed)
            except (OSError, EOFError, zlib.error):
                continue  # a torn file after a crash: moby skips what it cannot decode
        out.append(data)
    current = store.get_bytes(key) if key else None
    if current:
        out.append(current)
    return out
