"""Deterministic layer tars for the built-in images.

`TreeBuilder` collects entries (directories, files, symlinks, hard links)
and writes an OCI layer tar (POSIX ustar, no compression) whose bytes
depend only on the entries: names are sorted path-component-wise (a
directory before its contents), owners are numeric with empty user/group
names, every entry has the same mtime, and there is no record padding
after the two zero end blocks (Go's archive/tar does the same).  So the
sha256 of a layer (its DiffID) is the same on every machine.

Invariant: an entry's parent directories are present in the tar (missing
ones are added as 0755 root-owned directories); a hard link names an entry
that sorts before it.
"""

import attrs

BLOCK = 512

# ustar type flags
REGTYPE = b"0"
LNKTYPE = b"1"
SYMTYPE = b"2"
DIRTYPE = b"5"


@attrs.frozen
class Entry:
    """One tar member.  ``path`` is relative, without a leading or trailing
    slash (``bin/busybox``)."""

    path: str
    kind: bytes  # REGTYPE | LNKTYPE | SYMTYPE | DIRTYPE
    mode: int  # permission bits only (0o755)
    uid: int = 0
    gid: int = 0
    data: bytes = b""  # file content (REGTYPE only)
    link: str = ""  # symlink target, or hard-link target path (relative, no leading slash)


def _octal(value: int, width: int) -> bytes:
    """A NUL-terminated zero-padded octal field of ``width`` bytes."""
    text = b"%0*o" % (width - 1, value)
    if len(text) > width - 1:
        raise ValueError(f"value {value} does not fit a {width}-byte tar field")
    return text + b"\0"


def _split_name(name: str) -> "tuple[bytes, bytes]":
    """ustar name/prefix split: name ≤ 100 bytes, prefix ≤ 155 bytes."""
    raw = name.encode()
    if len(raw) <= 100:
        return raw, b""
    cut = raw.rfind(b"/", 0, 156)
    while cut > 0 and len(raw) - cut - 1 > 100:
        cut = raw.rfind(b"/", 0, cut)
    if cut <= 0:
        raise ValueError(f"path too long for ustar: {name}")
    return raw[cut + 1:], raw[:cut]


def _header(entry: Entry, mtime: int) -> bytes:
    name = entry.path + ("/" if entry.kind == DIRTYPE else "")
    short, prefix = _split_name(name)
    size = len(entry.data) if entry.kind == REGTYPE else 0
    fields = [
        short.ljust(100, b"\0"),
        _octal(entry.mode & 0o7777, 8),
        _octal(entry.uid, 8),
        _octal(entry.gid, 8),
        _octal(size, 12),
        _octal(mtime, 12),
        b" " * 8,  # checksum placeholder
        entry.kind,
        entry.link.encode().ljust(100, b"\0"),
        b"ustar\x0000",
        b"".ljust(32, b"\0"),  # uname: empty
        b"".ljust(32, b"\0"),  # gname: empty
        _octal(0, 8),
        _octal(0, 8),
        prefix.ljust(155, b"\0"),
    ]
    header = b"".join(fields).ljust(BLOCK, b"\0")
    checksum = b"%06o\0 " % sum(header)
    return header[:148] + checksum + header[156:]


def _sort_key(path: str) -> "list[str]":
    return path.split("/")


@attrs.define(eq=False)
class TreeBuilder:
    """Collects a file tree and writes it as a deterministic tar.

    Adding the same path twice replaces the earlier entry (later wins, like
    a Dockerfile step overwriting a file).
    """

    entries: "dict[str, Entry]" = attrs.field(factory=dict)  # path -> entry

    @staticmethod
    def _norm(path: str) -> str:
        path = path.strip("/")
        if not path or any(p in ("", ".", "..") for p in path.split("/")):
            raise ValueError(f"bad path in layer: {path!r}")
        return path

    def dir(self, path: str, mode: int = 0o755, uid: int = 0, gid: int = 0) -> "TreeBuilder":
        path = self._norm(path)
        self.entries[path] = Entry(path, DIRTYPE, mode, uid, gid)
        return self

    def dirs(self, *paths: str) -> "TreeBuilder":
        for p in paths:
            self.dir(p)
        return self

    def file(self, path: str, data: "bytes | str", mode: int = 0o644, uid: int = 0, gid: int = 0) -> "TreeBuilder":
        path = self._norm(path)
        if isinstance(data, str):
            data = data.encode()
        self.entries[path] = Entry(path, REGTYPE, mode, uid, gid, data=data)
        return self

    def symlink(self, path: str, target: str) -> "TreeBuilder":
        path = self._norm(path)
        self.entries[path] = Entry(path, SYMTYPE, 0o777, link=target)
        return self

    def hardlink(self, path: str, target: str) -> "TreeBuilder":
        """``path`` becomes a second name of ``target`` (both relative
        paths).  In the tar, the name that sorts first holds the data and
        the others link to it."""
        path = self._norm(path)
        self.entries[path] = Entry(path, LNKTYPE, 0, link=self._norm(target))
        return self

    def remove(self, path: str) -> "TreeBuilder":
        self.entries.pop(self._norm(path), None)
        return self

    def copy(self) -> "TreeBuilder":
        return TreeBuilder(dict(self.entries))

    def _resolved(self) -> "list[Entry]":
        """Entries sorted, with parents added and hard-link groups rewritten
        so the first name in order carries the data."""
        entries = dict(self.entries)
        for path in list(entries):
            parts = path.split("/")
            for i in range(1, len(parts)):
                parent = "/".join(parts[:i])
                if parent not in entries:
                    entries[parent] = Entry(parent, DIRTYPE, 0o755)
        # hard-link groups: target -> [names]
        groups: "dict[str, list[str]]" = {}
        for e in entries.values():
            if e.kind == LNKTYPE:
                target = entries.get(e.link)
                if target is None or target.kind != REGTYPE:
                    raise ValueError(f"hard link {e.path} -> {e.link}: target is no regular file")
                groups.setdefault(e.link, [e.link]).append(e.path)
        for target, names in groups.items():
            names.sort(key=_sort_key)
            src = entries[target]
            first = names[0]
            entries[first] = attrs.evolve(src, path=first)
            for other in names[1:]:
                entries[other] = Entry(other, LNKTYPE, src.mode, src.uid, src.gid, link=first)
        return sorted(entries.values(), key=lambda e: _sort_key(e.path))

    def tar(self, mtime: int) -> bytes:
        """The layer tar, every entry stamped with ``mtime`` (epoch seconds)."""
        out = bytearray()
        for e in self._resolved():
            out += _header(e, mtime)
            if e.kind == REGTYPE and e.data:
                out += e.data
                out += b"\0" * (-len(e.data) % BLOCK)
        out += b"\0" * (2 * BLOCK)
        return bytes(out)
