"""The ``dockersim host`` wire format."""

from __future__ import annotations

import json

import pytest

from dockersim.daemon.wire import hostexec


def test_request_round_trip():
    body = hostexec.encode_request(["ps", "aux"])
    assert json.loads(body) == {"Cmd": ["ps", "aux"]}
    assert hostexec.decode_request(body) == hostexec.HostExecRequest(["ps", "aux"], None)
    assert hostexec.decode_request(hostexec.encode_request(["cat"], stdin=b"\x00hi")).stdin == b"\x00hi"


@pytest.mark.parametrize("body", [b"", b"[]", b'{"Cmd": []}', b'{"Cmd": "ps"}', b'{"Cmd": [1]}', b"{"])
def test_bad_requests(body):
    with pytest.raises(ValueError):
        hostexec.decode_request(body)


def test_result_round_trip():
    body = hostexec.encode_result(3, b"out\n", b"\xffbinary")
    data = json.loads(body)
    assert data["ExitCode"] == 3 and data["Stdout"] == "b3V0Cg=="
    assert hostexec.decode_result(body) == hostexec.HostExecResult(3, b"out\n", b"\xffbinary")


def test_bad_result():
    with pytest.raises(ValueError):
        hostexec.decode_result(b'{"Stdout": ""}')
