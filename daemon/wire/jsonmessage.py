"""Docker's JSON progress messages (pull, push, build, load), as a pure codec.

A progress response is ``200 application/json`` whose body is a sequence of
JSON objects; dockerd ends each one with ``\\r\\n``.  Fields (swagger
``CreateImageInfo`` / ``PushImageInfo`` / ``BuildInfo``):

- ``status`` and optional ``id``: a line such as ``<id>: Pull complete``;
- ``progressDetail`` ``{"current", "total"}`` and ``progress`` (the bar text):
  a per-layer line the CLI redraws in place on a TTY.  Per-layer messages must
  carry ``"progressDetail": {}`` even when there are no numbers, or the TTY
  rendering breaks (see protocol.md section 1.6);
- ``stream``: build output, printed as-is;
- ``aux``: an object for the client's callback (build image ID, push digest);
- ``error`` + ``errorDetail`` ``{"message", "code"?}``: ends the stream; the
  CLI prints it and exits 1.

The builders return plain dicts; ``encode`` turns one into wire bytes and
``iter_messages`` decodes a body back.  Stdlib only (shared with ``client/``).
"""

from __future__ import annotations

import json
from typing import Any, Iterator

__all__ = [
    "TERMINATOR",
    "encode",
    "status_message",
    "progress_message",
    "stream_message",
    "aux_message",
    "error_message",
    "is_error",
    "iter_messages",
    "human_size",
    "render_progress",
]

TERMINATOR = b"\r\n"


def encode(message: "dict[str, Any]") -> bytes:
    """Serialize one message: compact JSON followed by ``\\r\\n``."""
    return json.dumps(message, separators=(",", ":"), ensure_ascii=False).encode() + TERMINATOR


def status_message(status: str, id: "str | None" = None, *, progress_detail: "dict | None" = None) -> dict:
    """``{"status": …, "id"?: …, "progressDetail"?: …}``.

    Pass ``progress_detail={}`` for per-layer lines without numbers
    (``Pulling fs layer``, ``Pull complete``) so a TTY redraws them in place.
    """
    message: dict[str, Any] = {"status": status}
    if progress_detail is not None:
        message["progressDetail"] = dict(progress_detail)
    if id is not None:
        message["id"] = id
    return message


def progress_message(status: str, id: str, current: int, total: int, *, width: int = 200) -> dict:
    """A numeric progress line such as ``Downloading`` with its rendered bar."""
    return {
        "status": status,
        "progressDetail": {"current": int(current), "total": int(total)},
        "progress": render_progress(current, total, width=width),
        "id": id,
    }


def stream_message(text: str) -> dict:
    """``{"stream": text}``: build output, printed verbatim by the client."""
    return {"stream": text}


def aux_message(aux: "dict[str, Any]", *, progress_detail: bool = False) -> dict:
    """``{"aux": …}``: machine data (build ``{"ID": …}``, push Tag/Digest/Size).

    dockerd's push sends ``"progressDetail": {}`` beside the aux; pass
    ``progress_detail=True`` to match.
    """
    message: dict[str, Any] = {}
    if progress_detail:
        message["progressDetail"] = {}
    message["aux"] = aux
    return message


def error_message(text: str, code: "int | None" = None) -> dict:
    """The in-band error that ends a stream:
    ``{"errorDetail": {"message": text}, "error": text}`` (``code`` optional)."""
    detail: dict[str, Any] = {}
    if code is not None:
        detail["code"] = int(code)
    detail["message"] = text
    return {"errorDetail": detail, "error": text}


def is_error(message: "dict[str, Any]") -> bool:
    """True if *message* is an in-band error (it ends the stream)."""
    return bool(message.get("error")) or bool(message.get("errorDetail"))


def iter_messages(body: "bytes | str") -> Iterator[dict]:
    """Decode a whole progress body into its messages.

    Any whitespace may separate objects (the CLI's decoder is that lenient);
    trailing garbage raises ``json.JSONDecodeError``.
    """
    text = body.decode() if isinstance(body, (bytes, bytearray)) else body
    decoder = json.JSONDecoder()
    pos = 0
    end = len(text)
    while True:
        while pos < end and text[pos] in " \t\r\n":
            pos += 1
        if pos >= end:
            return
        obj, pos = decoder.raw_decode(text, pos)
        yield obj


# -- progress bar rendering (the text of the "progress" field) ---------------

_DECIMAL_UNITS = ("B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB")


def human_size(size: float) -> str:
    """Decimal size with four significant digits, as Docker prints sizes:
    ``500B``, ``1.024kB``, ``2.155kB``, ``4.28MB``, ``1.1GB``."""
    size = float(size)
    unit = 0
    while size >= 1000.0 and unit < len(_DECIMAL_UNITS) - 1:
        size /= 1000.0
        unit += 1
    return f"{size:.4g}{_DECIMAL_UNITS[unit]}"


def render_progress(current: int, total: int, *, width: int = 200, bar_width: int = 50) -> str:
    """The ``progress`` text for a transfer: ``[====>     ]  1.024kB/2.155kB``.

    The bar (``bar_width`` cells) appears only when ``width`` (the terminal
    width the text is meant for) exceeds 110 columns, as in Docker; the server
    renders for a wide terminal.  With no total only the current size shows.
    """
    if current <= 0 and total <= 0:
        return ""
    if total <= 0:
        return f"{human_size(current):>8}"
    filled = min(int(current * 100 / total) // 2 * bar_width // 50, bar_width)
    bar = ""
    if width > 110:
        bar = "[" + "=" * filled + ">" + " " * max(bar_width - filled, 0) + "] "
    numbers = f"{human_size(current):>8}/{human_size(total)}"
    if current > total:
        numbers = f"{human_size(current):>8}"
    return bar + numbers
