"""Identifiers: 64-hex container/exec ids, content digests, and Docker's
adjective_surname container names.  `IdSource` is injectable: random in
production, seeded for the deterministic mode and tests."""

import hashlib
import random

import attrs

from .names import ADJECTIVES, SURNAMES


def sha256_digest(data: bytes) -> str:
    """The OCI digest string of ``data``: ``sha256:<64 hex>``."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


def chain_id(parent: "str | None", diff_id: str) -> str:
    """ChainID per the OCI image spec: the DiffID for a base layer, else
    sha256 of the string ``"<parent chain id> <diff id>"``."""
    if parent is None:
        return diff_id
    return sha256_digest(f"{parent} {diff_id}".encode())


@attrs.define(eq=False)
class IdSource:
    """Makes ids.  ``IdSource(seed=None)`` draws from the OS's randomness;
    ``IdSource(seed=42)`` repeats the same ids on every run."""

    seed: "int | None" = None
    _rng: random.Random = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self):
        self._rng = random.Random(self.seed) if self.seed is not None else random.SystemRandom()

    def hex_id(self) -> str:
        """A 64-hex id (containers, exec instances).  Like moby, never all
        digits, so a short prefix cannot be mistaken for a number."""
        while True:
            value = "%064x" % self._rng.getrandbits(256)
            if not value[:12].isdigit():
                return value

    def uint32(self) -> int:
        """A random 32-bit number (Go's ``rand.Uint32``: the suffix of the
        daemon's temporary directory names)."""
        return self._rng.getrandbits(32)

    def name(self) -> str:
        """A Docker-style name: ``adjective_surname``.  As in Docker, Steve
        Wozniak is never boring."""
        while True:
            name = f"{self._rng.choice(ADJECTIVES)}_{self._rng.choice(SURNAMES)}"
            if name != "boring_wozniak":
                return name

    def name_retry(self, attempt: int) -> str:
        """What moby does after a name clash: append a random digit."""
        return f"{self.name()}{self._rng.randrange(10)}"
