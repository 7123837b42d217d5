"""Where a container's output goes: the json-file log and live listeners.

The engine drains a container's stdout/stderr pipes after every kernel run
and hands each chunk to its `OutputHub`, which

- appends it to the container's log in Docker's json-file format (one
  record per line: ``{"log": "Hello world\\n", "stream": "stdout",
  "time": "2026-11-27T20:53:53.123456789Z"}``), and
- passes the raw chunk on to every attached client and every
  ``logs --follow`` reader (`Listener`s: an asyncio queue each).

`close()` (the process exited and the pipes are drained) ends every
listener with None.
"""

import asyncio
import json

import attrs

from ...sim.golang.json import marshal
from .container import rfc3339
from .logfile import NO_ROTATION, Rotation, files_of, write_entries

STREAM_NAMES = {1: "stdout", 2: "stderr"}
#: json-file splits longer lines into records of this size (moby's 16K buffer).
MAX_RECORD = 16 * 1024
#: Backpressure: while a listener holds this many undelivered chunks, the
#: engine stops draining the process's pipes, so a slow client makes the
#: process block on a full pipe (as Docker's blocking log mode does) instead
#: of the daemon buffering without bound; it resumes at LOW_WATER.
HIGH_WATER = 256
LOW_WATER = 64


@attrs.define(eq=False)
class Listener:
    """One reader of live output.  ``records``: a ``logs --follow`` reader,
    which gets the json-file records (whole lines with their timestamps),
    as Docker follows the log file; otherwise (an attach) raw chunks as
    they come.  Items: ``(stream, bytes, stamp)``, then None at the end."""

    streams: frozenset  # of 1, 2
    records: bool = False
    queue: asyncio.Queue = attrs.field(factory=asyncio.Queue)
    #: Called when a backlogged listener has caught up (the engine then
    #: drains the process's pipes again).
    on_space: object = None

    def push(self, item) -> None:
        self.queue.put_nowait(item)

    @property
    def backlogged(self) -> bool:
        return self.queue.qsize() >= HIGH_WATER

    def took(self) -> None:
        """The reader took an item: resume the producer once below LOW_WATER."""
        if self.on_space is not None and self.queue.qsize() == LOW_WATER:
            self.on_space()


@attrs.define(eq=False)
class OutputHub:
    """Invariant: ``listeners`` are the readers of the current (or next)
    run; `close` ends them, and readers that listen afterwards wait for the
    next run (``docker start -a`` attaches before it starts)."""

    store: object
    log_key: str
    now: object  # () -> float
    listeners: list = attrs.field(factory=list)
    #: The log driver's rotation (logfile.py); none by default.
    rotation: Rotation = NO_ROTATION
    #: The attributes json-file writes into each record (``attrs``: the
    #: log options' labels, env, tag), set at each start (`use_attrs`).
    record_attrs: dict = attrs.field(factory=dict)
    #: ``record_attrs`` as each record carries it: ``,"attrs":{...}`` or "".
    _attrs_json: str = ""
    #: The current log file's size, read from the store at the first
    #: rotating write (moby's NewLogFile seeks to its end), then kept.
    _size: "int | None" = None
    #: The time of the last record written (a rotated file's lastTime).
    _last_time: str = ""
    _partial: dict = attrs.field(factory=lambda: {1: b"", 2: b""})

    #: Set by whoever drains the process's output into this hub: called
    #: when a backlogged listener catches up.
    on_space: object = None

    def listen(self, streams=(1, 2), records: bool = False) -> Listener:
        listener = Listener(frozenset(streams), records, on_space=self._space)
        self.listeners.append(listener)
        return listener

    def _space(self) -> None:
        if self.on_space is not None:
            self.on_space()

    @property
    def backlogged(self) -> bool:
        return any(listener.backlogged for listener in self.listeners)

    def unlisten(self, listener: Listener) -> None:
        if listener in self.listeners:
            self.listeners.remove(listener)

    def emit(self, stream: int, data: bytes) -> None:
        if not data:
            return
        for listener in list(self.listeners):
            if stream in listener.streams and not listener.records:
                listener.push((stream, data, None))
        self._log(stream, data)

    def _log(self, stream: int, data: bytes) -> None:
        buf = self._partial[stream] + data
        records = []
        while True:
            cut = buf.find(b"\n")
            if cut < 0 or cut >= MAX_RECORD:
                if len(buf) >= MAX_RECORD:
                    records.append(buf[:MAX_RECORD])
                    buf = buf[MAX_RECORD:]
                    continue
                break
            records.append(buf[:cut + 1])
            buf = buf[cut + 1:]
        self._partial[stream] = buf
        self._write_records(stream, records)

    def _write_records(self, stream: int, records) -> None:
        if not records:
            return
        stamp = rfc3339(self.now())
        tail = f',"stream":"{STREAM_NAMES[stream]}"{self._attrs_json},"time":"{stamp}"}}\n'.encode()
        if not self.log_key:  # "": a driver that keeps nothing (none)
            pass
        elif self.rotation.capacity < 0:
            self.store.append_bytes(self.log_key, b"".join(b'{"log":' + log_string(r) + tail
                                                           for r in records))
        else:
            if self._size is None:
                self._size = len(self.store.get_bytes(self.log_key) or b"")
            entries = [b'{"log":' + log_string(r) + tail for r in records]
            self._size = write_entries(self.store, self.log_key, self.rotation, entries,
                                       self._size, stamp, self._last_time)
            self._last_time = stamp
        for listener in list(self.listeners):
            if listener.records and stream in listener.streams:
                for r in records:
                    listener.push((stream, r, stamp))

    def use_attrs(self, record_attrs: dict) -> None:
        """The run's record attributes (json-file's ``attrs``: Go's
        Marshal of a map, keys sorted), encoded once for every write."""
        self.record_attrs = record_attrs
        self._attrs_json = (f',"attrs":{marshal(dict(sorted(record_attrs.items())))}'
                            if record_attrs else "")

    def close(self) -> None:
        """End of a run's output: flush partial lines and end every
        current listener."""
        for stream in (1, 2):
            rest, self._partial[stream] = self._partial[stream], b""
            self._write_records(stream, [rest] if rest else [])
        listeners, self.listeners = self.listeners, []
        for listener in listeners:
            listener.push(None)


def log_string(data: bytes) -> bytes:
    """jsonlog's ``ffjsonWriteJSONBytesAsString``: the bytes as a JSON
    string the way dockerd writes the json-file log (``\\n``, ``\\r``,
    ``\\"`` and ``\\\\`` short; other control bytes and ``<``, ``>``, ``&``
    as ``\\u00XX``; invalid UTF-8 as ``\\ufffd``; U+2028/2029 escaped)."""
    out = ['"']
    for ch in data.decode("utf-8", "surrogateescape"):
        o = ord(ch)
        if 0xDC80 <= o <= 0xDCFF:  # a byte that is not UTF-8
            out.append("\\ufffd")
        elif ch in '\\"':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif o < 0x20 or ch in "<>&":
            out.append("\\u%04x" % o)
        elif ch in "\u2028\u2029":
            out.append("\\u%04x" % o)
        else:
            out.append(ch)
    out.append('"')
    return "".join(out).encode()


def log_lines(store, log_key: str, max_files: int = 1) -> "list[bytes]":
    """Every line of a json-file log, oldest first, across its rotated
    files (logfile.files_of)."""
    if not log_key:
        return []
    if max_files <= 1:
        data = store.get_bytes(log_key)
        return data.splitlines() if data else []
    out = []
    for data in files_of(store, log_key, max_files):
        out.extend(data.splitlines())
    return out


def read_log(store, log_key: str, max_files: int = 1) -> "list[dict]":
    """Every record of a json-file log, oldest first."""
    out = []
    for line in log_lines(store, log_key, max_files):
        try:
            out.append(json.loads(line))
        except ValueError:
            continue  # a torn last line after a crash
    return out


class ContainerHub(OutputHub):
    """A container's output hub, plus what waits on the container: the
    futures of ``/wait`` callers (exit, removal) and the stdin stream of
    the current or next run."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.exit_waiters: list = []
        self.removal_waiters: list = []
        self.stdin = None  # the run's InputStream while the container can take input

    def wake_exit_waiters(self, result: dict) -> None:
        waiters, self.exit_waiters = self.exit_waiters, []
        for fut in waiters:
            if not fut.done():
                fut.set_result(result)

    def wake_removal_waiters(self, result: dict) -> None:
        waiters, self.removal_waiters = self.removal_waiters, []
        for fut in waiters:
            if not fut.done():
                fut.set_result(result)
