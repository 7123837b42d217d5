"""Resizing a terminal: ``POST /containers/{id}/resize`` and ``POST
/exec/{id}/resize`` (moby's routers and daemon/resize.go).

The routers hand over ``h`` and ``w`` as sent; they are read as moby's
``httputils.Uint32Value`` reads them, before the container or exec is
looked up, so a bad size is a 400 whatever the id: ``invalid resize
height "abc": invalid syntax``, ``invalid resize width "-1": value out of
range``.  The size goes to the runtime's terminal (TIOCSWINSZ on the
master, SIGWINCH to the foreground group); a process without a terminal
ignores it, as runc's shim does.
"""

from ...sim.golang.strconv import quote
from ..errors import InvalidParameter


def _uint32(value: str) -> int:
    """``Uint32Value``: ValueError with strconv's words."""
    negative = value.startswith("-")
    digits = value[1:] if negative else value
    if not digits or not digits.isascii() or not digits.isdigit():
        raise ValueError("invalid syntax")
    if negative or int(digits) > 0xFFFFFFFF:
        raise ValueError("value out of range")
    return int(digits)


def parse_size(height: str, width: str) -> "tuple[int, int]":
    """(height, width) from the query's ``h`` and ``w``; InvalidParameter
    with moby's message when one is not a uint32."""
    dims = []
    for value, word in ((height, "height"), (width, "width")):
        try:
            dims.append(_uint32(value))
        except ValueError as err:
            raise InvalidParameter(f"invalid resize {word} {quote(value)}: {err}") from None
    return dims[0], dims[1]

