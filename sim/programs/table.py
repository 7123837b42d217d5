"""The program table: which simulated binary a file runs.

A file whose bytes start with `MAGIC` followed by ``<dockersim:NAME>`` is
the simulated binary NAME (the way an ELF header tells Linux what to run).
Each entry carries a support level and a note, gVisor-style, so the docs
can say how complete each program is.
"""

from typing import Awaitable, Callable

import attrs

MAGIC = b"\x7fELF"

Main = Callable[..., Awaitable[int]]


@attrs.frozen
class Program:
    name: str
    main: Main
    support: str = "supported"  # "supported" | "partial"
    note: str = ""
    #: The memory figures ps shows for it (virtual size, resident set), in
    #: KiB: a small C program's by default.
    vsz_kb: int = 4400
    rss_kb: int = 1024


_TABLE: "dict[str, Program]" = {}


def register(name: str, main: Main, support: str = "supported", note: str = "", **memory) -> Main:
    """Register ``main`` as the simulated binary ``name`` (``memory``:
    ``vsz_kb``/``rss_kb`` for ps); returns ``main``."""
    _TABLE[name] = Program(name, main, support, note, **memory)
    return main


def lookup(name: str) -> "Program | None":
    _load_builtin_programs()
    return _TABLE.get(name)


def all_programs() -> "list[Program]":
    _load_builtin_programs()
    return sorted(_TABLE.values(), key=lambda p: p.name)


def marker(name: str) -> bytes:
    """The file content that runs program ``name``."""
    return MAGIC + b"<dockersim:" + name.encode() + b">\n"


def parse_marker(data: bytes) -> "str | None":
    """The program name a file's content names, or None if it names none."""
    if not data.startswith(MAGIC + b"<dockersim:"):
        return None
    end = data.find(b">", len(MAGIC))
    if end < 0:
        return None
    return data[len(MAGIC) + len(b"<dockersim:"):end].decode(errors="replace")


_loaded = False


def _load_builtin_programs() -> None:
    """Import the program packages once; each registers its programs."""
    global _loaded
    if _loaded:
        return
    _loaded = True
    import importlib

    for module in ("shell", "busybox", "misc", "node", "nginx"):
        try:
            importlib.import_module(f"{__package__}.{module}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__package__}.{module}":
                raise
