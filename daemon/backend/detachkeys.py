"""Detach keys: the key sequence that ends a TTY attach and leaves the
container running (moby/term's ``ToBytes`` and ``escapeProxy``, used by
container/stream's ``copyEscapable``).

``to_bytes("ctrl-p,ctrl-q") == b"\\x10\\x11"``: comma-separated keys, each
a single character, ``ctrl-@``, ``ctrl-a`` .. ``ctrl-z``, ``ctrl-[``,
``ctrl-\\``, ``ctrl-]``, ``ctrl-^``, ``ctrl-_`` or ``DEL``; anything else
raises ValueError with moby/term's words (``Unknown character: 'x1'``).

`EscapeProxy` filters a client's keystrokes on their way to the
container: bytes that may begin the sequence are held back; if the
sequence completes, they are dropped and the proxy reports the detach;
if it breaks, they go through with the byte that broke it (which, as in
moby/term, is not itself taken as the start of a new match).
"""

#: moby/term's ASCII table: the index is the byte.
_CONTROL_NAMES = ["ctrl-@"] + [f"ctrl-{chr(c)}" for c in range(ord("a"), ord("z") + 1)] + [
    "ctrl-[", "ctrl-\\", "ctrl-]", "ctrl-^", "ctrl-_"]
CONTROL_KEYS = {name: code for code, name in enumerate(_CONTROL_NAMES)}

#: container/stream's defaultEscapeSequence: ctrl-p, ctrl-q.
DEFAULT_DETACH_KEYS = b"\x10\x11"


def to_bytes(keys: str) -> bytes:
    """moby/term ``ToBytes``."""
    codes = bytearray()
    for key in keys.split(","):
        if len(key.encode()) == 1:
            codes.append(key.encode()[0])
        elif key in CONTROL_KEYS:
            codes.append(CONTROL_KEYS[key])
        elif key == "DEL":
            codes.append(127)
        else:
            raise ValueError(f"Unknown character: '{key}'")
    return bytes(codes)


class EscapeProxy:
    """Keystrokes in, keystrokes out, until the detach sequence.

    Invariant: ``_held`` is ``keys[:len(_held)]``, the bytes of a match in
    progress, not yet forwarded; once ``detached`` nothing goes through."""

    def __init__(self, keys: bytes = b""):
        self.keys = keys or DEFAULT_DETACH_KEYS
        self._held = b""
        self.detached = False

    def feed(self, data: bytes) -> bytes:
        """The bytes of ``data`` to forward now.  After the sequence
        completes, ``detached`` is True and the rest of ``data`` (and any
        later input) is dropped."""
        if self.detached:
            return b""
        out = bytearray()
        keys = self.keys
        for byte in data:
            pos = len(self._held)
            if byte == keys[pos]:
                self._held += bytes([byte])
                if len(self._held) == len(keys):
                    self._held = b""
                    self.detached = True
                    return bytes(out)
                continue
            out += self._held
            out.append(byte)
            self._held = b""
        return bytes(out)
