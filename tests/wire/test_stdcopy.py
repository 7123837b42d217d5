"""Golden bytes and round trips for the stdcopy framing."""

from __future__ import annotations

import pytest

from dockersim.daemon.wire import stdcopy
from dockersim.daemon.wire.stdcopy import Frame, FrameDecoder, FrameError, Stream


def test_golden_stdout_frame():
    # protocol.md section 3: "Hello world\n" on stdout
    assert stdcopy.encode_frame(Stream.STDOUT, b"Hello world\n") == b"\x01\x00\x00\x00\x00\x00\x00\x0cHello world\n"


def test_golden_stderr_frame_with_big_length():
    data = b"x" * 0x010203
    assert stdcopy.encode_frame(2, data)[:8] == b"\x02\x00\x00\x00\x00\x01\x02\x03"


def test_empty_payload_encodes_to_nothing():
    assert stdcopy.encode_frame(1, b"") == b""


def test_bad_stream_number():
    with pytest.raises(ValueError):
        stdcopy.encode_frame(7, b"x")


@pytest.mark.parametrize(
    "frames",
    [
        [(1, b"out\n")],
        [(1, b"a"), (2, b"b"), (1, b"c" * 70000), (0, b"stdin echo")],
        [(2, bytes(range(256)))],
    ],
)
def test_round_trip(frames):
    data = b"".join(stdcopy.encode_frame(s, d) for s, d in frames)
    assert stdcopy.decode_frames(data) == [Frame(s, d) for s, d in frames]


def test_incremental_decoding_one_byte_at_a_time():
    data = stdcopy.encode_frame(1, b"hello") + stdcopy.encode_frame(2, b"world")
    decoder = FrameDecoder()
    got = []
    for i in range(len(data)):
        got += decoder.feed(data[i : i + 1])
    decoder.close()
    assert got == [Frame(1, b"hello"), Frame(2, b"world")]
    assert decoder.pending == 0


def test_truncated_frame_is_an_error():
    data = stdcopy.encode_frame(1, b"hello")[:-1]
    with pytest.raises(FrameError):
        stdcopy.decode_frames(data)


def test_bad_header_is_an_error():
    with pytest.raises(FrameError):
        stdcopy.decode_frames(b"\x01\x00\x01\x00\x00\x00\x00\x01x")


def test_demux_puts_stdin_with_stdout():
    data = stdcopy.encode_frame(1, b"o1") + stdcopy.encode_frame(2, b"e") + stdcopy.encode_frame(0, b"i")
    assert stdcopy.demux(data) == (b"o1i", b"e")


def test_stdlib_only():
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(stdcopy))
    roots = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    roots |= {(n.module or "").split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.level == 0}
    assert roots <= {"__future__", "enum", "struct", "typing"}
