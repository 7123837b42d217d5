"""Docker's multiplexed stream framing ("stdcopy"), as a pure codec.

When a container or exec has no TTY, its stdout and stderr share one byte
stream (attach, exec start, logs).  Each chunk travels as a frame:

    byte 0      stream: 0 = stdin (echoed; clients print it as stdout),
                        1 = stdout, 2 = stderr (3 = systemerr in moby)
    bytes 1-3   zero
    bytes 4-7   payload length, big-endian unsigned 32-bit
    bytes 8-    payload

With a TTY there is no framing at all: the bytes are written raw.  Input from
client to server is never framed.

Stdlib only: this module is shared with ``client/``.
"""

from __future__ import annotations

import enum
import struct
from typing import Iterator, NamedTuple

__all__ = [
    "Stream",
    "HEADER_SIZE",
    "MAX_PAYLOAD",
    "Frame",
    "FrameError",
    "encode_frame",
    "FrameDecoder",
    "decode_frames",
    "demux",
]

HEADER_SIZE = 8
#: Largest payload one frame can carry (the length field is a uint32).
MAX_PAYLOAD = 0xFFFFFFFF

_HEADER = struct.Struct(">B3xI")


class Stream(enum.IntEnum):
    """The stream byte of a frame header."""

    STDIN = 0
    STDOUT = 1
    STDERR = 2
    SYSTEMERR = 3


class Frame(NamedTuple):
    """One decoded frame: which stream, and its payload bytes."""

    stream: int
    data: bytes


class FrameError(ValueError):
    """The bytes are not a valid frame sequence (bad stream byte, non-zero
    padding, or a truncated final frame)."""


def encode_frame(stream: int, data: bytes) -> bytes:
    """Frame *data* for *stream* (``Stream.STDOUT`` or ``Stream.STDERR``...).

    Empty data yields ``b""`` (a zero-length frame carries nothing and some
    clients treat it as noise).  Data longer than ``MAX_PAYLOAD`` is split into
    several frames.
    """
    stream = int(stream)
    if not 0 <= stream <= 3:
        raise ValueError(f"bad stream number {stream}")
    if not data:
        return b""
    data = bytes(data)
    if len(data) <= MAX_PAYLOAD:
        return _HEADER.pack(stream, len(data)) + data
    parts = []
    for start in range(0, len(data), MAX_PAYLOAD):
        piece = data[start : start + MAX_PAYLOAD]
        parts.append(_HEADER.pack(stream, len(piece)) + piece)
    return b"".join(parts)


class FrameDecoder:
    """Incremental decoder: feed bytes as they arrive, get whole frames out.

    Invariant: ``self._buffer`` never holds a complete frame after ``feed``
    returns.
    """

    def __init__(self) -> None:
        self._buffer = bytearray()

    def feed(self, data: bytes) -> list[Frame]:
        """Add *data* and return every frame it completes, in order."""
        self._buffer += data
        frames: list[Frame] = []
        buf = self._buffer
        pos = 0
        while len(buf) - pos >= HEADER_SIZE:
            if buf[pos + 1 : pos + 4] != b"\0\0\0" or buf[pos] > 3:
                raise FrameError(f"bad frame header {bytes(buf[pos:pos + 8])!r}")
            stream, length = _HEADER.unpack_from(buf, pos)
            end = pos + HEADER_SIZE + length
            if len(buf) < end:
                break
            frames.append(Frame(stream, bytes(buf[pos + HEADER_SIZE : end])))
            pos = end
        del buf[:pos]
        return frames

    @property
    def pending(self) -> int:
        """Bytes held back because they do not yet make a whole frame."""
        return len(self._buffer)

    def close(self) -> None:
        """Declare end of input; raise ``FrameError`` if a frame was cut short."""
        if self._buffer:
            raise FrameError(f"truncated frame: {len(self._buffer)} bytes left over")


def decode_frames(data: bytes) -> list[Frame]:
    """Decode a complete multiplexed byte string into its frames."""
    decoder = FrameDecoder()
    frames = decoder.feed(data)
    decoder.close()
    return frames


def iter_payloads(data: bytes, stream: int) -> Iterator[bytes]:
    """Yield the payloads of *data*'s frames that belong to *stream*."""
    for frame in decode_frames(data):
        if frame.stream == stream:
            yield frame.data


def demux(data: bytes) -> tuple[bytes, bytes]:
    """Split a complete multiplexed byte string into ``(stdout, stderr)``.

    Stdin frames (stream 0) count as stdout, as the docker CLI prints them.
    """
    out = bytearray()
    err = bytearray()
    for frame in decode_frames(data):
        if frame.stream in (Stream.STDERR, Stream.SYSTEMERR):
            err += frame.data
        else:
            out += frame.data
    return bytes(out), bytes(err)
