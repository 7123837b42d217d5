"""JSON progress messages: encoding, decoding, progress text."""

from __future__ import annotations

import json

from dockersim.daemon.wire import jsonmessage as jm


def test_encode_is_compact_json_with_crlf():
    assert jm.encode({"status": "Pulling fs layer", "progressDetail": {}, "id": "abc"}) == (
        b'{"status":"Pulling fs layer","progressDetail":{},"id":"abc"}\r\n'
    )


def test_error_message_shape():
    assert jm.error_message("denied") == {"errorDetail": {"message": "denied"}, "error": "denied"}
    assert jm.error_message("x", code=1) == {"errorDetail": {"code": 1, "message": "x"}, "error": "x"}
    assert jm.is_error(jm.error_message("x"))
    assert not jm.is_error(jm.status_message("ok"))


def test_builders():
    assert jm.status_message("Digest: sha256:x") == {"status": "Digest: sha256:x"}
    assert jm.status_message("Pull complete", "abc", progress_detail={}) == {
        "status": "Pull complete", "progressDetail": {}, "id": "abc"}
    assert jm.stream_message("Step 1/3 : FROM node") == {"stream": "Step 1/3 : FROM node"}
    assert jm.aux_message({"ID": "sha256:x"}) == {"aux": {"ID": "sha256:x"}}
    assert jm.aux_message({"Tag": "latest"}, progress_detail=True) == {"progressDetail": {}, "aux": {"Tag": "latest"}}
    msg = jm.progress_message("Downloading", "abc", 1024, 2155)
    assert msg["progressDetail"] == {"current": 1024, "total": 2155}
    assert msg["progress"].endswith("1.024kB/2.155kB")


def test_iter_messages_accepts_any_whitespace():
    body = b'{"a":1}\r\n{"b":2}\n  {"c":"\xc3\xa9"}'
    assert list(jm.iter_messages(body)) == [{"a": 1}, {"b": 2}, {"c": "é"}]
    assert list(jm.iter_messages(b"")) == []


def test_round_trip():
    messages = [jm.status_message("s", "i", progress_detail={}), jm.error_message("e")]
    body = b"".join(jm.encode(m) for m in messages)
    assert list(jm.iter_messages(body)) == messages
    assert all(json.loads(line) for line in body.split(b"\r\n") if line)


def test_human_size():
    assert jm.human_size(500) == "500B"
    assert jm.human_size(1024) == "1.024kB"
    assert jm.human_size(2155) == "2.155kB"
    assert jm.human_size(4_280_000) == "4.28MB"
    assert jm.human_size(1_100_000_000) == "1.1GB"


def test_render_progress():
    text = jm.render_progress(1024, 2155)
    assert text.startswith("[" + "=" * 23 + ">" + " " * 27 + "] ")
    assert text.endswith(" 1.024kB/2.155kB")
    assert jm.render_progress(1024, 2155, width=80) == " 1.024kB/2.155kB"
    assert jm.render_progress(0, 0) == ""
    assert jm.render_progress(2048, 0) == " 2.048kB"
