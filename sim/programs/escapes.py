"""Escape sequences: the part every decoder of them shares.

Many programs read text in which one character starts an escape: the
backslash of ``printf``, ``echo -e``, bash's ``$'...'`` and the prompt
strings, the ``%`` of ``date``'s format.  They differ in what an escape
means, not in how the text is walked, so `expand_escapes` walks it once
for all of them and asks a decoder about each escape.

`digits_end` measures the digits of a numeric escape; `raw_byte` is how a
decoder writes one byte that is not text (``\\351``), by Python's
"surrogateescape" convention (PEP 383), and `encode_output` how such text
is written.
"""

from typing import Callable, Optional, Tuple

from ..abi import text_bytes

#: ``escape(text, i)`` decodes the escape whose lead character stands just
#: before ``text[i]``; it returns ``(replacement, end)``, ``end`` indexing
#: the first character after the escape, or None to end the text there.
Decoder = Callable[[str, int], "Tuple[str, Optional[int]]"]


def expand_escapes(text: str, escape: Decoder, lead: str = "\\") -> "Tuple[str, bool]":
    """Copy ``text``, replacing each escape (``lead`` and what follows it)
    by what ``escape`` makes of it.  A ``lead`` as the last character
    stays as it is.  Returns the new text and whether ``escape`` cut it
    short (printf's ``\\c``, which ends all output)."""
    out = []
    i = 0
    while i < len(text):
        c = text[i]
        if c != lead or i + 1 >= len(text):
            out.append(c)
            i += 1
            continue
        replacement, i = escape(text, i + 1)
        out.append(replacement)
        if i is None:
            return "".join(out), True
    return "".join(out), False


OCTAL = "01234567"
HEX = "0123456789abcdefABCDEF"


def digits_end(text: str, start: int, most: int, digits: str) -> int:
    """Where a run of at most ``most`` of ``digits`` from ``text[start]``
    ends (``\\NNN`` takes up to three octal digits, ``\\xHH`` two hex)."""
    end = start
    while end < len(text) and end < start + most and text[end] in digits:
        end += 1
    return end


def raw_byte(value: int) -> str:
    """The character that stands for byte ``value`` (0-255): itself when
    it is ASCII, else the lone surrogate U+DC80..U+DCFF, which
    ``encode("utf-8", "surrogateescape")`` turns back into the one raw byte
    (``printf '\\351'`` writes the byte 0xE9, not the two bytes of "é")."""
    return chr(value) if value < 0x80 else chr(0xDC00 + value)


def encode_output(text: str) -> bytes:
    """Text made with `raw_byte` as the bytes a program writes (any other
    lone surrogate as bash writes it: `sim.abi.text_bytes`)."""
    return text_bytes(text)
