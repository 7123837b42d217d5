"""Wire format of ``dockersim host``: run a simulated program on the simulated host.

Not part of the Docker Engine API; it lives under the ``/dockersim/`` prefix.

Request:  ``POST /dockersim/host/exec`` with ``Content-Type: application/json``
          and body ``{"Cmd": ["ps", "aux"]}`` (optionally ``"Stdin": <base64>``).
Response: ``200 application/json`` with
          ``{"ExitCode": 0, "Stdout": "<base64>", "Stderr": "<base64>"}``.
          Errors (no such program...) use the usual ``{"message": ...}`` body
          and a 4xx/5xx status.

Both sides use these functions, so the format is defined once.
Stdlib only (shared by ``client/`` and the daemon).
"""

from __future__ import annotations

import base64
import json
from typing import NamedTuple

__all__ = [
    "PATH",
    "HostExecRequest",
    "HostExecResult",
    "encode_request",
    "decode_request",
    "encode_result",
    "decode_result",
]

#: The route, unversioned (the daemon also accepts it under ``/vX.Y``).
PATH = "/dockersim/host/exec"


class HostExecRequest(NamedTuple):
    """What to run: ``cmd`` (argv, non-empty) and optional ``stdin`` bytes."""

    cmd: list
    stdin: "bytes | None" = None


class HostExecResult(NamedTuple):
    """How it went: the exit code and everything written to stdout/stderr."""

    exit_code: int
    stdout: bytes
    stderr: bytes


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def encode_request(cmd: "list[str]", stdin: "bytes | None" = None) -> bytes:
    """Encode the request body."""
    body: dict = {"Cmd": [str(arg) for arg in cmd]}
    if stdin is not None:
        body["Stdin"] = _b64(stdin)
    return json.dumps(body).encode()


def decode_request(body: bytes) -> HostExecRequest:
    """Decode and validate a request body; raises ``ValueError`` when malformed."""
    try:
        data = json.loads(body or b"null")
    except json.JSONDecodeError as exc:
        raise ValueError(f"invalid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ValueError("request body must be a JSON object")
    cmd = data.get("Cmd")
    if not isinstance(cmd, list) or not cmd or not all(isinstance(a, str) for a in cmd):
        raise ValueError("Cmd must be a non-empty list of strings")
    stdin = data.get("Stdin")
    return HostExecRequest(cmd=list(cmd), stdin=base64.b64decode(stdin) if stdin else None)


def encode_result(exit_code: int, stdout: bytes, stderr: bytes) -> bytes:
    """Encode the response body."""
    return json.dumps(
        {"ExitCode": int(exit_code), "Stdout": _b64(stdout), "Stderr": _b64(stderr)}
    ).encode()


def decode_result(body: bytes) -> HostExecResult:
    """Decode a response body; raises ``ValueError`` when malformed."""
    try:
        data = json.loads(body)
        return HostExecResult(
            exit_code=int(data["ExitCode"]),
            stdout=base64.b64decode(data.get("Stdout") or ""),
            stderr=base64.b64decode(data.get("Stderr") or ""),
        )
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"malformed host exec result: {exc}") from None
