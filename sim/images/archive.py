"""The image archives of ``docker save`` / ``docker load`` and the config
``docker import`` builds, as moby v28.2.2 with the graphdriver image store
reads and writes them (``image/tarexport``, ``daemon/images/image_import.go``).

Public API:

- `write_archive(images, now=…)` -> the tar ``GET /images/get`` streams;
- `read_archive(data, tmp_dir=…, has_layer=…)` -> `LoadResult`: what
  ``POST /images/load`` registers, in moby's order, and the error it stops
  with (moby's words, see `ArchiveError`);
- `inflate_layer(data)` -> an uncompressed layer tar, checked the way the
  layer store reads it (for ``docker import`` too);
- `import_config(...)` / `import_comment(...)` -> the config bytes of an
  imported image.

Everything works on bytes in memory.  Nothing in an archive can name
anything outside it: ``docker load`` extracts the archive chrooted into a
temporary directory, so ``../x`` and ``/etc/passwd`` land at ``x`` and
``etc/passwd`` inside it, and every file the loader opens afterwards is
resolved with symlinks confined to that directory.  This module does the
same with an in-memory tree (`_Tree`); the host's files are never touched.

The Go libraries moby uses matter because their error texts are what
``docker load`` prints: ``encoding/json`` (syntax and type errors, struct
field order, HTML escaping), ``time`` (RFC 3339) and ``moby/sys/symlink``
come from `dockersim.sim.golang`; this module carries ``archive/tar``
(header checks) and the decompressors.
"""

from __future__ import annotations

import bz2
import lzma
import zlib
from typing import Callable, Sequence

import attrs

from ..golang.errors import GoError
from ..golang.json import (INT64, STRING, STRING_MAP, STRINGS, Decoder, Field, JSONError, Map, Ptr,
                           Scalar, Slice, Struct, compact, encode_string, from_py, marshal_value,
                           raw_pairs, struct_pairs, unmarshal)
from ..golang.path import clean_path as _clean
from ..golang.path import dir_of as _dir_of
from ..golang.path import join_path as _join
from ..golang.strconv import parse_int
from ..golang.strconv import quote as _go_quote
from ..golang.symlink import follow_symlink_in_scope
from ..golang.time import Time
from ..ids import chain_id as _chain_id
from ..ids import sha256_digest
from . import reference as refmod
from .goconfig import CONTAINER_CONFIG as _CONTAINER_CONFIG
from .goconfig import HISTORIES as _HISTORIES
from .goconfig import IMAGE as _IMAGE
from .goconfig import ROOTFS as _ROOTFS
from .goconfig import V1IMAGE as _V1IMAGE
from .goconfig import marshal_image
from .errors import ImageError, InvalidReference
from .reference import Reference

MEDIA_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
MEDIA_INDEX = "application/vnd.oci.image.index.v1+json"
MEDIA_CONFIG = "application/vnd.oci.image.config.v1+json"
MEDIA_LAYER = "application/vnd.oci.image.layer.v1.tar"
ANNOTATION_IMAGE_NAME = "io.containerd.image.name"
ANNOTATION_REF_NAME = "org.opencontainers.image.ref.name"
OCI_LAYOUT = b'{"imageLayoutVersion": "1.0.0"}'

#: ``dockerversion.Version`` of the engine we impersonate.
DOCKER_VERSION = "28.2.2"

#: Where dockerd makes its temporary directories (``$root/tmp``); the load
#: directory is ``docker-import-<random uint32 in decimal>`` below it.
DEFAULT_TMP_DIR = "/var/lib/docker/tmp/docker-import-1"


class ArchiveError(ImageError):
    """A save, load or import refused.  ``str(err)`` is moby's message
    (what the daemon sends in ``{"errorDetail": {"message": …}}``)."""

    status_hint = 500
    kind = "system"


# ==========================================================================
# Tar: writing like Go's archive/tar (USTAR), reading like it too
# ==========================================================================

_BLOCK = 512
_ERR_HEADER = "archive/tar: invalid tar header"
_ERR_FIELD_TOO_LONG = "archive/tar: header field too long"
_UNEXPECTED_EOF = "unexpected EOF"


def _octal(value: int, width: int) -> bytes:
    text = b"%0*o" % (width - 1, value)
    if len(text) > width - 1:
        raise ValueError(f"{value} does not fit a {width}-byte tar field")
    return text + b"\0"


def _ustar_header(name: str, typeflag: bytes, mode: int, size: int, mtime: int) -> bytes:
    """One header as Go's ``tar.Writer`` writes a USTAR entry from
    ``FileInfoHeader``: uid/gid 0, empty owner names, devmajor/minor 0."""
    raw = name.encode()
    prefix = b""
    if len(raw) > 100:
        cut = raw.rfind(b"/", 0, 156)
        if cut <= 0 or len(raw) - cut - 1 > 100:
            raise ValueError(f"name too long for ustar: {name}")
        prefix, raw = raw[:cut], raw[cut + 1:]
    header = b"".join([
        raw.ljust(100, b"\0"), _octal(mode, 8), _octal(0, 8), _octal(0, 8), _octal(size, 12),
        _octal(max(0, mtime), 12), b" " * 8, typeflag, b"".ljust(100, b"\0"), b"ustar\x0000",
        b"".ljust(32, b"\0"), b"".ljust(32, b"\0"), _octal(0, 8), _octal(0, 8), prefix.ljust(155, b"\0"),
    ]).ljust(_BLOCK, b"\0")
    checksum = b"%06o\0 " % sum(header)
    return header[:148] + checksum + header[156:]


class _TarError(Exception):
    """An error the Go tar reader (or the stream under it) reports."""


class _Stream:
    """A decompressed byte stream: the bytes a decompressor produced, then
    either a clean end or ``error`` (what Go's reader returns once the
    consumer reads past the good bytes)."""

    def __init__(self, data: bytes, error: "str | None" = None):
        self.data = data
        self.error = error
        self.pos = 0

    def take(self, n: int) -> bytes:
        """Up to n bytes; a short read raises the pending error, if any."""
        chunk = self.data[self.pos:self.pos + n]
        self.pos += len(chunk)
        if len(chunk) < n and self.error is not None:
            raise _TarError(self.error)
        return chunk

    def read_full(self, n: int) -> "bytes | None":
        """``io.ReadFull``: n bytes; None at a clean end with nothing read;
        raises on a short read."""
        chunk = self.take(n)
        if len(chunk) == n:
            return chunk
        if not chunk:
            return None
        raise _TarError(_UNEXPECTED_EOF)

    def try_read_full(self, n: int) -> bool:
        """``tryReadFull`` (block padding): False at any end of input."""
        return len(self.take(n)) == n


def _parse_string(b: bytes) -> str:
    i = b.find(b"\0")
    if i >= 0:
        b = b[:i]
    return b.decode("utf-8", "surrogateescape")


class _Parser:
    def __init__(self):
        self.err: "str | None" = None

    def octal(self, b: bytes) -> int:
        b = b.strip(b" \0")
        if not b:
            return 0
        text = b.split(b"\0", 1)[0]
        try:
            if not text or text[:1] in b"+-" or not text.isascii():
                raise ValueError
            value = int(text, 8)
            if value >= 1 << 64:
                raise ValueError
        except ValueError:
            self.err = self.err or _ERR_HEADER
            return 0
        return value - (1 << 64) if value >= 1 << 63 else value

    def numeric(self, b: bytes) -> int:
        if b and b[0] & 0x80:
            inv = 0xFF if b[0] & 0x40 else 0
            x = 0
            for i, c in enumerate(b):
                c ^= inv
                if i == 0:
                    c &= 0x7F
                if x >> 56:
                    self.err = self.err or _ERR_HEADER
                    return 0
                x = (x << 8) | c
            if x >> 63:
                self.err = self.err or _ERR_HEADER
                return 0
            return ~x if inv else x
        return self.octal(b)


def _checksums(blk: bytes) -> "tuple[int, int]":
    unsigned = signed = 0
    for i, c in enumerate(blk):
        if 148 <= i < 156:
            c = 0x20
        unsigned += c
        signed += c - 256 if c >= 128 else c
    return unsigned, signed


_V7, _USTAR_PAX, _GNU, _STAR = "v7", "ustar", "gnu", "star"


def _block_format(blk: bytes) -> "str | None":
    p = _Parser()
    value = p.octal(blk[148:156])
    u, s = _checksums(blk)
    if p.err or value not in (u, s):
        return None
    magic, version, trailer = blk[257:263], blk[263:265], blk[508:512]
    if magic == b"ustar\0" and trailer == b"tar\0":
        return _STAR
    if magic == b"ustar\0":
        return _USTAR_PAX
    if magic == b"ustar " and version == b" \0":
        return _GNU
    return _V7


@attrs.define
class _Header:
    typeflag: bytes
    name: str
    linkname: str
    size: int
    mode: int = 0


_HEADER_ONLY = {b"1", b"2", b"3", b"4", b"5", b"6"}


def _parse_pax(buf: bytes) -> "dict[str, str]":
    text = buf.decode("utf-8", "surrogateescape")
    out: "dict[str, str]" = {}
    while text:
        size, sep, rest = text.partition(" ")
        if not sep or not size.isdigit():
            raise _TarError(_ERR_HEADER)
        n = int(size)
        if n < 5 or n > len(text):
            raise _TarError(_ERR_HEADER)
        n -= len(size) + 1
        if n <= 0:
            raise _TarError(_ERR_HEADER)
        rec, nl, text = rest[:n - 1], rest[n - 1:n], rest[n:]
        if nl != "\n":
            raise _TarError(_ERR_HEADER)
        key, eq, value = rec.partition("=")
        if not eq or not key:
            raise _TarError(_ERR_HEADER)
        if ("\0" in value) if key in ("path", "linkpath", "uname", "gname") else ("\0" in key):
            raise _TarError(_ERR_HEADER)
        if key.startswith("GNU.sparse."):
            raise ArchiveError("dockersim: sparse tar entries are not supported")
        out[key] = value
    return out


def _is_go_int(text: str) -> bool:
    """Whether ``strconv.ParseInt(text, 10, 64)`` succeeds."""
    try:
        parse_int(text)
    except GoError:
        return False
    return True


class _TarReader:
    """Go's ``tar.Reader`` over a `_Stream`: `next` gives a `_Header` or
    None at the end; `read` the data of the current entry."""

    def __init__(self, stream: _Stream):
        self.s = stream
        self.remaining = 0  # data bytes of the current entry not yet read
        self.pad = 0

    def _read_data(self, n: int) -> bytes:
        chunk = self.s.take(n)
        if len(chunk) < n:
            raise _TarError(_UNEXPECTED_EOF)
        return chunk

    def read(self) -> bytes:
        data = self._read_data(self.remaining)
        self.remaining = 0
        return data

    def _special(self, size: int) -> bytes:
        if size > 1 << 20:
            raise _TarError(_ERR_FIELD_TOO_LONG)
        return self.read()

    def _header(self) -> "tuple[_Header, str] | None":
        blk = self.s.read_full(_BLOCK)
        if blk is None:
            return None
        if blk == bytes(_BLOCK):
            blk = self.s.read_full(_BLOCK)
            if blk is None or blk == bytes(_BLOCK):
                return None
            raise _TarError(_ERR_HEADER)
        fmt = _block_format(blk)
        if fmt is None:
            raise _TarError(_ERR_HEADER)
        p = _Parser()
        hdr = _Header(blk[156:157], _parse_string(blk[0:100]), _parse_string(blk[157:257]),
                      p.numeric(blk[124:136]), p.numeric(blk[100:108]))
        for a, b in ((108, 116), (116, 124), (136, 148)):
            p.numeric(blk[a:b])
        if fmt != _V7:
            p.numeric(blk[329:337])
            p.numeric(blk[337:345])
            prefix = ""
            if fmt == _USTAR_PAX:
                prefix = _parse_string(blk[345:500])
            elif fmt == _STAR:
                prefix = _parse_string(blk[345:476])
                p.numeric(blk[476:488])
                p.numeric(blk[488:500])
            elif fmt == _GNU:
                p2 = _Parser()
                if blk[345]:
                    p2.numeric(blk[345:357])
                if blk[357]:
                    p2.numeric(blk[357:369])
                if p2.err:
                    s = _parse_string(blk[345:500])
                    if s.isascii():
                        prefix = s
            if prefix:
                hdr.name = prefix + "/" + hdr.name
        if p.err:
            raise _TarError(p.err)
        return hdr, fmt

    def _setup(self, hdr: _Header) -> None:
        nb = 0 if hdr.typeflag in _HEADER_ONLY else hdr.size
        if nb < 0:
            raise _TarError(_ERR_HEADER)
        self.remaining = nb
        self.pad = -nb % _BLOCK

    def next(self) -> "_Header | None":
        pax: "dict[str, str]" = {}
        long_name = long_link = ""
        while True:
            self._read_data(self.remaining)
            self.remaining = 0
            if not self.s.try_read_full(self.pad):
                return None
            self.pad = 0
            got = self._header()
            if got is None:
                return None
            hdr, fmt = got
            self._setup(hdr)
            if hdr.typeflag in (b"x", b"g"):
                records = _parse_pax(self._special(hdr.size))
                if hdr.typeflag == b"g":
                    return hdr
                pax = records
                continue
            if hdr.typeflag in (b"L", b"K"):
                text = _parse_string(self._special(hdr.size))
                if hdr.typeflag == b"L":
                    long_name = text
                else:
                    long_link = text
                continue
            for key, value in pax.items():
                if not value:
                    continue
                if key == "path":
                    hdr.name = value
                elif key == "linkpath":
                    hdr.linkname = value
                elif key == "size":
                    if not _is_go_int(value):
                        raise _TarError(_ERR_HEADER)
                    hdr.size = int(value)
                elif key in ("uid", "gid") and not _is_go_int(value):
                    raise _TarError(_ERR_HEADER)
                elif key in ("mtime", "atime", "ctime"):
                    whole, _, frac = value.partition(".")
                    if not _is_go_int(whole) or frac.strip("0123456789"):
                        raise _TarError(_ERR_HEADER)
            if long_name:
                hdr.name = long_name
            if long_link:
                hdr.linkname = long_link
            if hdr.typeflag == b"\0":
                hdr.typeflag = b"5" if hdr.name.endswith("/") else b"0"
            self._setup(hdr)
            if hdr.typeflag == b"S" and fmt != _GNU:
                raise _TarError(_ERR_HEADER)
            return hdr


# ==========================================================================
# Decompression (moby's compression.DecompressStream)
# ==========================================================================

_CHUNK = 1 << 16


def _detect(data: bytes) -> str:
    head = data[:10]
    if head.startswith(b"BZh"):
        return "bzip2"
    if head.startswith(b"\x1f\x8b\x08"):
        return "gzip"
    if head.startswith(b"\xfd7zXZ\x00"):
        return "xz"
    if head.startswith(b"\x28\xb5\x2f\xfd"):
        return "zstd"
    if len(head) >= 8 and int.from_bytes(head[:4], "little") & 0xFFFFFFF0 == 0x184D2A50:
        return "zstd"
    return "none"


def _gunzip(data: bytes) -> _Stream:
    """Go's ``compress/gzip`` reader (multistream).  A broken header fails
    at once (ArchiveError: DecompressStream itself returns it); broken data
    leaves the good prefix and a pending error."""
    out = bytearray()
    pos = 0
    first = True
    while True:
        head = data[pos:pos + 10]
        if not first and not head:
            return _Stream(bytes(out))
        if len(head) < 10:
            err = _UNEXPECTED_EOF
            if first:
                raise ArchiveError(err)
            return _Stream(bytes(out), err)
        if head[:3] != b"\x1f\x8b\x08":
            if first:
                raise ArchiveError("gzip: invalid header")
            return _Stream(bytes(out), "gzip: invalid header")
        flags = head[3]
        p = pos + 10
        try:
            if flags & 4:
                if len(data) < p + 2:
                    raise _TarError(_UNEXPECTED_EOF)
                xlen = int.from_bytes(data[p:p + 2], "little")
                p += 2 + xlen
                if len(data) < p:
                    raise _TarError(_UNEXPECTED_EOF)
            for bit in (8, 16):  # file name, comment: NUL-terminated, at most 512 bytes
                if flags & bit:
                    end = data.find(b"\0", p, p + 512)
                    if end < 0:
                        raise _TarError("gzip: invalid header" if len(data) - p >= 512 else _UNEXPECTED_EOF)
                    p = end + 1
            if flags & 2:
                if len(data) < p + 2:
                    raise _TarError(_UNEXPECTED_EOF)
                if int.from_bytes(data[p:p + 2], "little") != zlib.crc32(data[pos:p]) & 0xFFFF:
                    raise _TarError("gzip: invalid header")
                p += 2
        except _TarError as e:
            if first:
                raise ArchiveError(str(e)) from None
            return _Stream(bytes(out), str(e))
        first = False
        d = zlib.decompressobj(-15)
        start = len(out)
        q = p
        try:
            while not d.eof and q < len(data):
                out += d.decompress(data[q:q + _CHUNK])
                q += _CHUNK
        except zlib.error:
            return _Stream(bytes(out), f"flate: corrupt input before offset {_corrupt_offset(data, p)}")
        if not d.eof:
            return _Stream(bytes(out), _UNEXPECTED_EOF)
        tail = d.unused_data
        pos = len(data) - len(tail)
        trailer = data[pos:pos + 8]
        if len(trailer) < 8:
            return _Stream(bytes(out), _UNEXPECTED_EOF)
        crc = zlib.crc32(out[start:]) & 0xFFFFFFFF
        if int.from_bytes(trailer[:4], "little") != crc or \
                int.from_bytes(trailer[4:], "little") != (len(out) - start) & 0xFFFFFFFF:
            return _Stream(bytes(out), "gzip: invalid checksum")
        pos += 8


def _corrupt_offset(data: bytes, start: int) -> int:
    """Where inflating the deflate stream at ``start`` fails: the length of
    its shortest prefix zlib refuses (Go's reader reports the input bytes
    it had consumed, which is this length)."""
    good, bad = 0, len(data) - start
    while bad - good > 1:
        mid = (good + bad) // 2
        try:
            zlib.decompressobj(-15).decompress(data[start:start + mid])
            good = mid
        except zlib.error:
            bad = mid
    return bad


def _bunzip2(data: bytes) -> _Stream:
    """Go's ``compress/bzip2`` (concatenated streams).  Messages for
    corrupt data are Go's general ``bzip2 data invalid: …`` form."""
    out = bytearray()
    pos = 0
    while pos < len(data):
        if data[pos:pos + 3] != b"BZh":
            return _Stream(bytes(out), "bzip2 data invalid: bad magic value")
        d = bz2.BZ2Decompressor()
        q = pos
        try:
            while not d.eof and q < len(data):
                out += d.decompress(data[q:q + _CHUNK])
                q += _CHUNK
        except (OSError, EOFError):
            return _Stream(bytes(out), "bzip2 data invalid: checksum mismatch")
        if not d.eof:
            return _Stream(bytes(out), _UNEXPECTED_EOF)
        pos = len(data) - len(d.unused_data)
    return _Stream(bytes(out))


def _unxz(data: bytes) -> _Stream:
    """``xz -d -c -q`` run by moby: its failure reaches the reader as
    ``exit status 1: xz: (stdin): …\\n``."""
    out = bytearray()
    pos = 0
    while pos < len(data):
        d = lzma.LZMADecompressor(lzma.FORMAT_XZ)
        q = pos
        try:
            while not d.eof and q < len(data):
                out += d.decompress(data[q:q + _CHUNK])
                q += _CHUNK
        except lzma.LZMAError as e:
            what = "File format not recognized" if "format" in str(e).lower() else "Compressed data is corrupt"
            return _Stream(bytes(out), f"exit status 1: xz: (stdin): {what}\n")
        if not d.eof:
            return _Stream(bytes(out), "exit status 1: xz: (stdin): Unexpected end of input\n")
        pos = len(data) - len(d.unused_data)
        while pos < len(data) and data[pos:pos + 4] == b"\0\0\0\0":
            pos += 4  # stream padding
    return _Stream(bytes(out))


def _decompress(data: bytes) -> _Stream:
    """``compression.DecompressStream``: by magic number gzip, bzip2, xz
    (zstd is recognised but dockersim cannot read it), else as is."""
    kind = _detect(data)
    if kind == "gzip":
        return _gunzip(data)
    if kind == "bzip2":
        return _bunzip2(data)
    if kind == "xz":
        return _unxz(data)
    if kind == "zstd":
        raise ArchiveError("dockersim: zstd-compressed archives are not supported")
    return _Stream(data)


# ==========================================================================
# Extraction: chrootarchive.Untar into an in-memory directory
# ==========================================================================

ENOENT = "no such file or directory"
ENOTDIR = "not a directory"
EISDIR = "is a directory"
EPERM = "operation not permitted"
ELOOP = "too many levels of symbolic links"


class _Dir:
    def __init__(self):
        self.entries: "dict[str, object]" = {}


class _File:
    def __init__(self, data: bytes):
        self.data = data


class _Symlink:
    def __init__(self, target: str):
        self.target = target


class _Special:
    """A device node or FIFO (``mknod`` as root succeeds in the chroot)."""


class _OSError(Exception):
    def __init__(self, errno: str):
        super().__init__(errno)
        self.errno = errno


class _Tree:
    """The temporary directory ``docker load`` extracts into, seen from
    inside the chroot: absolute paths, symlinks resolved against its own
    root, ``..`` at the root staying there."""

    def __init__(self):
        self.root = _Dir()

    def _walk(self, path: str, follow_last: bool, links: int = 0):
        """The node at an absolute path: (parent dir, name, node or None).
        Raises _OSError(ENOENT/ENOTDIR/ELOOP) for a broken path above it."""
        parts = [p for p in path.split("/") if p and p != "."]
        stack: "list[_Dir]" = [self.root]
        i = 0
        while i < len(parts):
            name = parts[i]
            cur = stack[-1]
            if name == "..":
                if len(stack) > 1:
                    stack.pop()
                i += 1
                continue
            node = cur.entries.get(name)
            last = i == len(parts) - 1
            if last and not follow_last:
                return cur, name, node
            if isinstance(node, _Symlink):
                links += 1
                if links > 40:
                    raise _OSError(ELOOP)
                target = [p for p in node.target.split("/") if p and p != "."]
                if node.target.startswith("/"):
                    stack = [self.root]
                parts = target + parts[i + 1:]
                i = 0
                continue
            if last:
                return cur, name, node
            if node is None:
                raise _OSError(ENOENT)
            if not isinstance(node, _Dir):
                raise _OSError(ENOTDIR)
            stack.append(node)
            i += 1
        return None, "", stack[-1]

    def lstat(self, path: str):
        """The node (not following a final symlink), None if absent."""
        return self._walk(path, follow_last=False)[2]

    def stat(self, path: str):
        return self._walk(path, follow_last=True)[2]

    def _parent(self, path: str) -> "tuple[_Dir, str]":
        parent, name, _ = self._walk(path, follow_last=False)
        if parent is None:  # the root itself
            raise _OSError(EPERM)
        return parent, name

    def mkdir_all(self, path: str) -> None:
        """``MkdirAll``: missing directories made, symlinks followed.
        Raises ArchiveError worded like Go's (``mkdir /a: not a directory``)."""
        parts = [p for p in _clean(path).split("/") if p]
        for k in range(1, len(parts) + 1):
            sub = "/" + "/".join(parts[:k])
            try:
                node = self.stat(sub)
                if node is None:
                    if isinstance(self.lstat(sub), _Symlink):
                        raise _OSError("file exists")
                    parent, name = self._parent(sub)
                    parent.entries[name] = _Dir()
                elif not isinstance(node, _Dir):
                    raise _OSError(ENOTDIR)
            except _OSError as e:
                raise ArchiveError(f"mkdir {sub}: {e.errno}") from None

    def remove_all(self, path: str) -> None:
        parent, name = self._parent(path)
        parent.entries.pop(name, None)

    def create(self, path: str, node) -> None:
        """Make ``node`` appear at ``path`` (whose parent must exist)."""
        parent, name = self._parent(path)
        parent.entries[name] = node

    def read(self, path: str, op_path: str) -> bytes:
        """``os.ReadFile``; errors worded with ``op_path`` (the host path)."""
        try:
            node = self.stat(path)
        except _OSError as e:
            raise ArchiveError(f"open {op_path}: {e.errno}") from None
        if node is None:
            raise ArchiveError(f"open {op_path}: {ENOENT}")
        if isinstance(node, _Dir):
            raise ArchiveError(f"read {op_path}: {EISDIR}")
        if isinstance(node, _File):
            return node.data
        return b""  # a device node: dockersim reads it as empty


def _unpack(stream: _Stream) -> _Tree:
    """go-archive's ``Unpack`` of a tar into an empty directory, run
    chrooted there (dest ``/``), as ``chrootarchive.Untar`` does.  Raises
    ArchiveError with moby's message."""
    tree = _Tree()
    reader = _TarReader(stream)
    try:
        while True:
            hdr = reader.next()
            if hdr is None:
                return tree
            if hdr.typeflag == b"g":
                continue
            name = _clean(hdr.name)
            if not name.endswith("/"):
                parent = _join("/", _dir_of(name))
                try:
                    missing = tree.lstat(parent) is None
                except _OSError as e:
                    missing = e.errno == ENOENT
                if missing:
                    tree.mkdir_all(parent)
            path = _join("/", name)
            if path == "/":
                continue  # the extraction root itself: nothing to make
            try:
                existing = tree.lstat(path)
            except _OSError:
                existing = None
            if existing is not None:
                if isinstance(existing, _Dir) and name == ".":
                    continue
                if not isinstance(existing, _Dir) or hdr.typeflag != b"5":
                    tree.remove_all(path)
            _create(tree, reader, hdr, path)
    except _TarError as e:
        raise ArchiveError(str(e)) from None


def _create(tree: _Tree, reader: _TarReader, hdr: _Header, path: str) -> None:
    """go-archive ``createTarFile`` (ownership, modes and times are not
    modelled; they cannot fail here)."""
    t = hdr.typeflag
    try:
        if t == b"5":
            node = tree.lstat(path)
            if not isinstance(node, _Dir):
                _op(tree.create, "mkdir", path, _Dir())
        elif t == b"0":
            node = _File(b"")
            _op(tree.create, "open", path, node)
            node.data = reader.read()
        elif t in (b"3", b"4", b"6"):
            _op(tree.create, "mknod", path, _Special())
        elif t == b"1":
            target = _join("/", hdr.linkname)
            try:
                node = tree.lstat(target)
                if node is None:
                    raise _OSError(ENOENT)
                if isinstance(node, _Dir):
                    raise _OSError(EPERM)
                tree.create(path, node)
            except _OSError as e:
                raise ArchiveError(f"link {target} {path}: {e.errno}") from None
        elif t == b"2":
            try:
                tree.create(path, _Symlink(hdr.linkname))
            except _OSError as e:
                raise ArchiveError(f"symlink {hdr.linkname} {path}: {e.errno}") from None
        else:
            raise ArchiveError(f"unhandled tar header type {t[0] if t else 0}")
    except _OSError as e:
        raise ArchiveError(f"open {path}: {e.errno}") from None


def _op(fn, verb: str, path: str, node) -> None:
    try:
        fn(path, node)
    except _OSError as e:
        raise ArchiveError(f"{verb} {path}: {e.errno}") from None


def _follow_in_scope(tree: _Tree, path: str, root: str) -> str:
    """moby/sys/symlink ``FollowSymlinkInScope(path, root)`` over the
    extracted tree (``root`` is the host path of its top)."""
    def read_link(inner: str, full: str) -> "str | None":
        try:
            node = tree.lstat(inner)
        except _OSError as e:
            if e.errno == ENOENT:
                return None
            raise ArchiveError(f"lstat {full}: {e.errno}") from None
        return node.target if isinstance(node, _Symlink) else None

    try:
        return follow_symlink_in_scope(path, root, read_link)
    except GoError as e:
        raise ArchiveError(str(e)) from None


# ==========================================================================
# The Go types moby reads and writes
# ==========================================================================

#: The ``created`` moby gives the v1 config of a lower layer (``time.Unix(0, 0)``).
_EPOCH = Time(0)

_V1_KEYS = [f.key for f in _V1IMAGE.fields]

_PLATFORM = Struct("Platform", "v1.Platform", (
    Field("architecture", STRING), Field("os", STRING), Field("os.version", STRING, True),
    Field("os.features", STRINGS, True), Field("variant", STRING, True),
))

#: ``distribution.Descriptor`` (LayerSources values).
_DESCRIPTOR = Struct("Descriptor", "distribution.Descriptor", (
    Field("mediaType", STRING, True), Field("size", INT64, True),
    Field("digest", Scalar("string", "digest.Digest"), True), Field("urls", STRINGS, True),
    Field("annotations", STRING_MAP, True), Field("platform", Ptr(_PLATFORM), True),
))

#: ``tarexport.manifestItem`` (manifest.json).
_MANIFEST_ITEM = Struct("manifestItem", "tarexport.manifestItem", (
    Field("Config", STRING), Field("RepoTags", STRINGS), Field("Layers", STRINGS),
    Field("Parent", Scalar("string", "image.ID"), True),
    Field("LayerSources", Map(_DESCRIPTOR, "map[layer.DiffID]distribution.Descriptor"), True),
))
_MANIFEST = Slice(_MANIFEST_ITEM, "[]tarexport.manifestItem")

_REPOSITORIES = Map(Map(STRING, "map[string]string"), "map[string]map[string]string")

_LEGACY_OS_PARENT = Struct("", "struct { OS string; Parent string }", (
    Field("OS", STRING), Field("Parent", STRING),
))
_DOCKER_VERSION_ONLY = Struct("", 'struct { DockerVersion string "json:\\"docker_version\\"" }', (
    Field("docker_version", STRING),
))


def _decode_image(config: bytes) -> dict:
    """``image.NewFromJSON``: the config as Go sees it.  Raises ArchiveError
    with moby's message."""
    try:
        img = unmarshal(config, _IMAGE)
    except JSONError as e:
        raise ArchiveError(str(e)) from None
    if img["rootfs"] is None:
        raise ArchiveError("invalid image JSON, no RootFS key")
    return img


def _diff_ids(img: dict) -> "list[str]":
    return list((img["rootfs"] or {}).get("diff_ids") or [])


def _chain(diff_ids: "Sequence[str]") -> str:
    """``layer.CreateChainID`` ("" for no layers)."""
    current: "str | None" = None
    for d in diff_ids:
        current = _chain_id(current, d)
    return current or ""


def _truncate_id(ident: str) -> str:
    """``stringid.TruncateID``."""
    if ":" in ident:
        ident = ident.split(":", 1)[1]
    return ident[:12]


def _hex(digest: str) -> str:
    return digest.split(":", 1)[1] if ":" in digest else digest


# ==========================================================================
# docker save
# ==========================================================================


@attrs.frozen
class ArchiveImage:
    """One image to save: its config (exact bytes), its layer tars
    (uncompressed, base first, one per ``rootfs.diff_ids``), its tags
    (familiar strings such as ``busybox:latest``; a bare name means
    ``:latest``, digest references are skipped as moby does) and its
    parent image id if it has one (written only when the parent is saved
    too)."""

    config_bytes: bytes = attrs.field(repr=False)
    layers: "tuple[bytes, ...]" = attrs.field(repr=False, converter=tuple)
    repo_tags: "tuple[str, ...]" = attrs.field(default=(), converter=tuple)
    parent: "str | None" = None

    @property
    def id(self) -> str:
        return sha256_digest(self.config_bytes)


def _go_manifest(config_bytes: bytes, layers: "list[tuple[str, int]]") -> bytes:
    """The OCI manifest moby marshals (struct field order, no newline)."""
    layer_text = ",".join(
        '{"mediaType":%s,"digest":%s,"size":%d}' % (encode_string(MEDIA_LAYER), encode_string(d), size)
        for d, size in layers)
    return ('{"schemaVersion":2,"mediaType":%s,"config":{"mediaType":%s,"digest":%s,"size":%d},'
            '"layers":[%s]}' % (encode_string(MEDIA_MANIFEST), encode_string(MEDIA_CONFIG),
                                encode_string(sha256_digest(config_bytes)), len(config_bytes),
                                layer_text)).encode()


def _v1_create_id(v1: dict, layer_chain: str, parent: str) -> str:
    """``v1.CreateID``: the legacy id of one layer's v1 config."""
    pairs = dict(struct_pairs(dict(v1, id=""), _V1IMAGE))
    pairs["layer_id"] = encode_string(layer_chain)
    if parent:
        pairs["parent"] = encode_string(parent)
    text = "{" + ",".join(encode_string(k) + ":" + pairs[k] for k in sorted(pairs)) + "}"
    return sha256_digest(text.encode())


def _parse_tag(text: str) -> "Reference | None":
    """A tag to save: ``TagNameOnly`` of the reference; None for a digest
    reference (moby skips those)."""
    ref = refmod.parse(text)
    if ref.digest is not None:
        return None
    return ref.with_default_tag()


def _validated_parents(links: "list[tuple[str, str | None]]") -> "list[tuple[str, str | None]]":
    """moby ``validatedParentLinks``: a parent is kept only if it is one of
    the other images of the list."""
    ids = [i for i, _ in links]
    out = []
    for image_id, parent in links:
        keep = parent is not None and any(other == parent and other != image_id for other in ids)
        out.append((image_id, parent if keep else None))
    return out


def write_archive(images: Sequence[ArchiveImage], now: float = 0.0) -> bytes:
    """The tar ``docker save`` streams (graphdriver store, moby 28.2.2).

    Layout (entries in this order, like go-archive's ``Tar`` of the
    directory moby builds: a depth-first walk sorted by name, the top
    directory itself left out; USTAR headers, uid/gid 0, no owner names,
    files 0644, directories 0755, two zero blocks at the end and no
    record padding)::

        blobs/                  mtime: the last image's ``created``
        blobs/sha256/           mtime: ``now`` (the last manifest write)
        blobs/sha256/<hex>…     configs and layers (mtime: their image's
                                ``created``), the OCI manifests (mtime 0),
                                and one legacy v1 JSON per layer (below)
        index.json              OCI index: one descriptor per tag
        manifest.json           [{Config, RepoTags, Layers, Parent?, LayerSources}]
        oci-layout              {"imageLayoutVersion": "1.0.0"}
        repositories            {name: {tag: top layer diff id hex}}, only with tags

    Images are written in the order given (moby walks a Go map, so its
    order is random); an image listed twice is written once with the
    union of its tags; a layer shared by several images is written once.
    Each layer also gets moby's legacy v1 config blob (``id``, ``parent``,
    ``created``, ``container_config``, ``os``; the top one carries the
    image's own v1 fields), which no index points at.  An image without
    tags gets an untagged index entry only when no image before it had
    one (moby's check looks at the whole list).

    ``now`` is the save time (epoch seconds).  The same images and ``now``
    always give the same bytes.  Raises ArchiveError
    ``empty export - not implemented`` for an image without layers, and
    ValueError if an image has fewer or more tars than diff ids.  Each
    tar is trusted to be its diff id's (the layer store is content
    addressed): none is hashed again."""
    merged: "dict[str, tuple[ArchiveImage, list[Reference]]]" = {}
    for img in images:
        entry = merged.setdefault(img.id, (img, []))
        for text in img.repo_tags:
            ref = _parse_tag(text)
            if ref is not None and all(str(r) != str(ref) for r in entry[1]):
                entry[1].append(ref)

    blobs: "dict[str, tuple[bytes, int]]" = {}  # hex -> (bytes, mtime)

    def put(digest: str, data: bytes, mtime: int) -> None:
        blobs.setdefault(_hex(digest), (data, mtime))

    saved_v1: "set[str]" = set()
    saved_layers: "dict[str, int]" = {}
    items: "list[dict]" = []
    index: "list[str]" = []
    repos: "dict[str, dict[str, str]]" = {}
    links: "list[tuple[str, str | None]]" = []
    blobs_mtime = 0
    for image_id, (img, tags) in merged.items():
        cfg = _decode_image(img.config_bytes)
        diff_ids = _diff_ids(cfg)
        if not diff_ids:
            raise ArchiveError("empty export - not implemented")
        if len(img.layers) != len(diff_ids):
            raise ValueError(f"{image_id}: {len(img.layers)} layer tars for {len(diff_ids)} diff ids")
        created = cfg["created"]
        ts = created.sec if created is not None else 0
        parent_v1 = ""
        for i, diff in enumerate(diff_ids):
            if i == len(diff_ids) - 1:
                v1 = {k: cfg.get(k) for k in _V1_KEYS}
                v1["parent"] = ""
            else:
                v1 = Decoder().zero(_V1IMAGE)
                v1["created"] = _EPOCH
            v1_id = _v1_create_id(v1, _chain(diff_ids[:i + 1]), parent_v1)
            v1["id"] = _hex(v1_id)
            if parent_v1:
                v1["parent"] = _hex(parent_v1)
            v1["os"] = cfg["os"]
            if v1_id not in saved_v1:
                data = marshal_value(v1, _V1IMAGE).encode()
                put(sha256_digest(data), data, ts)
                saved_v1.add(v1_id)
            if diff not in saved_layers:
                tar = img.layers[i]
                put(diff, tar, ts)
                saved_layers[diff] = len(tar)
            parent_v1 = v1_id
        put(image_id, img.config_bytes, ts)
        blobs_mtime = ts
        manifest = _go_manifest(img.config_bytes, [(d, saved_layers[d]) for d in diff_ids])
        put(sha256_digest(manifest), manifest, 0)
        untagged = '{"mediaType":%s,"digest":%s,"size":%d' % (
            encode_string(MEDIA_MANIFEST), encode_string(sha256_digest(manifest)), len(manifest))
        repo_tags = []
        for ref in tags:
            repos.setdefault(ref.familiar, {})[ref.tag] = _hex(diff_ids[-1])
            repo_tags.append(ref.familiar_string)
            index.append(untagged + ',"annotations":{%s:%s,%s:%s}}' % (
                encode_string(ANNOTATION_IMAGE_NAME), encode_string(str(ref)),
                encode_string(ANNOTATION_REF_NAME), encode_string(ref.tag)))
        if not index:
            index.append(untagged + "}")
        sources = {d: {"mediaType": MEDIA_LAYER, "size": saved_layers[d], "digest": d} for d in diff_ids}
        items.append({
            "Config": f"blobs/sha256/{_hex(image_id)}",
            "RepoTags": repo_tags or None,
            "Layers": [f"blobs/sha256/{_hex(d)}" for d in diff_ids],
            "Parent": "",
            "LayerSources": sources,
        })
        links.append((image_id, img.parent))
    for item, (_, parent) in zip(items, _validated_parents(links)):
        item["Parent"] = parent or ""

    # With no image at all, moby's nil slices marshal as null.
    manifest_json = (marshal_value(items or None, _MANIFEST) + "\n").encode()
    index_json = ('{"schemaVersion":2,"mediaType":%s,"manifests":%s}'
                  % (encode_string(MEDIA_INDEX), "[" + ",".join(index) + "]" if index else "null")).encode()
    now_s = int(now // 1)
    out = bytearray()

    def entry(name: str, data: "bytes | None", mtime: int) -> None:
        if data is None:
            out.extend(_ustar_header(name, b"5", 0o755, 0, mtime))
            return
        out.extend(_ustar_header(name, b"0", 0o644, len(data), mtime))
        out.extend(data)
        out.extend(bytes(-len(data) % _BLOCK))

    if merged:  # moby makes blobs/sha256/ while saving the first image
        entry("blobs/", None, blobs_mtime)
        entry("blobs/sha256/", None, now_s)
    for hex_name in sorted(blobs):
        data, mtime = blobs[hex_name]
        entry(f"blobs/sha256/{hex_name}", data, mtime)
    entry("index.json", index_json, 0)
    entry("manifest.json", manifest_json, 0)
    entry("oci-layout", OCI_LAYOUT, 0)
    if repos:
        entry("repositories", (marshal_value(repos, _REPOSITORIES) + "\n").encode(), 0)
    out.extend(bytes(2 * _BLOCK))
    return bytes(out)


# ==========================================================================
# docker load
# ==========================================================================


@attrs.frozen
class LoadedLayer:
    """One layer of a loaded image.

    ``tar`` is the uncompressed layer (its sha256 is ``diff_id``), or None
    when moby did not read it because the layer store already had the
    chain (`read_archive`'s ``has_layer``, or an earlier image of the same
    archive).  ``size`` is the size of the file in the archive (the total
    of its ``Loading layer`` progress) and ``progress_id`` the id shown
    next to it; both only matter when ``tar`` is set."""

    diff_id: str
    tar: "bytes | None" = attrs.field(repr=False)
    size: int = 0
    progress_id: str = ""


@attrs.frozen
class LoadedImage:
    """One image ``docker load`` registers: the config (exact bytes; its
    sha256 is the image id), its layers base first, the tags moby sets on
    it (in order; each announced with ``Loaded image: <familiar>``), and
    the parent image id moby records for it, if any."""

    config_bytes: bytes = attrs.field(repr=False)
    layers: "tuple[LoadedLayer, ...]" = attrs.field(repr=False)
    repo_tags: "tuple[Reference, ...]" = ()
    parent: "str | None" = None

    @property
    def id(self) -> str:
        return sha256_digest(self.config_bytes)

    @property
    def layer_tars(self) -> "tuple[bytes | None, ...]":
        return tuple(layer.tar for layer in self.layers)


@attrs.frozen
class LoadResult:
    """What ``docker load`` does with an archive, in moby's order.

    The daemon replays it:

    1. for each image of ``images``, in order: for each layer with a
       ``tar``, stream ``Loading layer`` progress (unless quiet) and
       register it; create the image; then for each of ``repo_tags``:
       tag it (printing ``The image <ref> already exists, renaming the old
       one with ID <old id> to empty string`` when the tag pointed at
       another image; a tag the store refuses is silently skipped) and,
       unless ``legacy``, print ``Loaded image: <familiar ref>``.  In
       legacy mode the parent is set right after creating the image;
    2. legacy mode only: set the tags of ``legacy_tags`` in order, silently;
    3. manifest mode: set the ``parent`` links (after all images);
    4. if ``error`` is set: stream the progress of ``failed_layers`` (the
       layers moby read for the image it then gave up on; they are not
       kept), then report the error in-band and stop.  The images above
       stay loaded;
    5. otherwise, if ``print_ids``: print ``ids_text`` as one stream message
       (``Loaded image ID: sha256:…\\n`` per image; empty text for an empty
       manifest still makes one message).
    """

    images: "tuple[LoadedImage, ...]" = ()
    error: "ArchiveError | None" = None
    failed_layers: "tuple[LoadedLayer, ...]" = ()
    legacy: bool = False
    legacy_tags: "tuple[tuple[str, Reference], ...]" = ()
    print_ids: bool = False

    @property
    def ids_text(self) -> str:
        return "".join(f"Loaded image ID: {img.id}\n" for img in self.images)


class _LoadFailed(Exception):
    def __init__(self, error: ArchiveError, layers: "tuple[LoadedLayer, ...]" = ()):
        super().__init__(str(error))
        self.error = error
        self.layers = layers


def inflate_layer(data: bytes) -> bytes:
    """A layer as moby's layer store takes it: decompressed
    (``DecompressStream``: gzip, bzip2, xz, or as is) and read through as
    a tar.  Returns every decompressed byte (the diff id is their sha256).
    Raises ArchiveError with moby's message for a layer it would refuse
    (``archive/tar: invalid tar header``, ``unexpected EOF``,
    ``gzip: invalid header``, ``unhandled tar header type 55``, …)."""
    stream = _decompress(data)
    _unpack(stream)
    # The layer store hashes everything it drains after the tar, up to a
    # decompression error it then ignores.
    return stream.data


class _Loader:
    def __init__(self, tree: _Tree, tmp_dir: str, has_layer: Callable[[str], bool],
                 platform: "Callable[[str, str, str], bool] | None"):
        self.tree = tree
        self.root = _clean(tmp_dir)
        self.has_layer = has_layer
        self.platform = platform
        self.registered: "set[str]" = set()
        self.images: "list[LoadedImage]" = []
        self.legacy_mode = False
        self.legacy_tags: "list[tuple[str, Reference]]" = []

    def safe_path(self, rel: str) -> str:
        return _follow_in_scope(self.tree, _join(self.root, rel), self.root)

    def _inner(self, host_path: str) -> str:
        return host_path[len(self.root):] or "/"

    def read(self, host_path: str) -> bytes:
        return self.tree.read(self._inner(host_path), host_path)

    def exists(self, host_path: str) -> bool:
        try:
            return self.tree.stat(self._inner(host_path)) is not None
        except _OSError as e:
            if e.errno == ENOENT:
                return False
            raise ArchiveError(f"open {host_path}: {e.errno}") from None

    def load_layer(self, host_path: str, progress_id: str) -> LoadedLayer:
        raw = self.read(host_path)
        tar = inflate_layer(raw)
        return LoadedLayer(sha256_digest(tar), tar, len(raw), progress_id)

    # -- manifest.json ---------------------------------------------------------------

    def run(self) -> LoadResult:
        manifest_path = self.safe_path("manifest.json")
        if not self.exists(manifest_path):
            return self.legacy()
        try:
            manifest = unmarshal(self.read(manifest_path), _MANIFEST, stream=True)
        except JSONError as e:
            raise _LoadFailed(ArchiveError(str(e))) from None
        if manifest is None:
            raise _LoadFailed(ArchiveError("invalid manifest, manifest cannot be null (but can be [])"))
        links: "list[tuple[str, str | None]]" = []
        ref_count = 0
        for m in manifest:
            config = self.read(self.safe_path(m["Config"]))
            img = _decode_image(config)
            os_name = img["os"] or "linux"
            if os_name.lower() != "linux":
                raise ArchiveError(f"cannot load {os_name} image on linux")
            if self.platform is not None and not self.platform(img["os"], img["architecture"], img["variant"]):
                continue
            diff_ids = _diff_ids(img)
            paths = m["Layers"] or []
            if len(paths) != len(diff_ids):
                raise ArchiveError(f"invalid manifest, layers length mismatch: expected {len(paths)}, "
                                   f"got {len(diff_ids)}")
            layers: "list[LoadedLayer]" = []
            for i, diff in enumerate(diff_ids):
                layer_path = self.safe_path(paths[i])
                chain = _chain(diff_ids[:i + 1])
                if chain in self.registered or self.has_layer(chain):
                    layers.append(LoadedLayer(diff, None, 0, _truncate_id(diff)))
                    continue
                try:
                    layer = self.load_layer(layer_path, _truncate_id(diff))
                except ArchiveError as e:
                    raise _LoadFailed(e, tuple(layers)) from None
                layers.append(layer)
                if layer.diff_id != diff:
                    raise _LoadFailed(ArchiveError(
                        f"invalid diffID for layer {i}: expected {_go_quote(diff)}, got {_go_quote(layer.diff_id)}"),
                        tuple(layers))
                self.registered.add(chain)
            non_empty = sum(1 for h in img["history"] or [] if not h["empty_layer"])
            if non_empty > len(diff_ids):
                raise _LoadFailed(ArchiveError("too many non-empty layers in History section"), tuple(layers))
            tags: "list[Reference]" = []
            ref_count = 0
            failure = None
            for text in m["RepoTags"] or []:
                try:
                    ref = refmod.parse(text)
                except InvalidReference as e:
                    failure = ArchiveError(str(e))
                    break
                if ref.tag is None:
                    failure = ArchiveError(f"invalid tag {_go_quote(text)}")
                    break
                tags.append(ref)
                ref_count += 1
            image = LoadedImage(config, tuple(layers), tuple(tags))
            self.images.append(image)
            if failure is not None:
                raise failure
            links.append((image.id, m["Parent"] or None))
        for image_id, parent in _validated_parents(links):
            if parent is None:
                continue
            child_cfg = self._config_of(image_id)
            parent_cfg = self._config_of(parent)
            if not _valid_parent(child_cfg, parent_cfg):
                raise ArchiveError(f"image {parent} is not a valid parent for {image_id}")
            self._set_parent(image_id, parent)
        return LoadResult(tuple(self.images), print_ids=ref_count == 0)

    def _config_of(self, image_id: str) -> dict:
        for img in self.images:
            if img.id == image_id:
                return _decode_image(img.config_bytes)
        raise ArchiveError(f"No such image: {image_id}")

    def _set_parent(self, image_id: str, parent: str) -> None:
        self.images = [attrs.evolve(img, parent=parent) if img.id == image_id else img for img in self.images]

    # -- the pre-1.10 layout (no manifest.json) -----------------------------------------

    def legacy(self) -> LoadResult:
        self.legacy_mode = True
        loaded: "dict[str, str]" = {}  # old id -> image id
        configs: "dict[str, dict]" = {}  # image id -> decoded config
        root = self.tree.root
        dirs = sorted(name for name, node in root.entries.items() if isinstance(node, _Dir))
        for name in dirs:
            self._legacy_image(name, loaded, configs, ())
        repos_path = self.safe_path("repositories")
        try:
            repos = unmarshal(self.read(repos_path), _REPOSITORIES, stream=True)
        except JSONError as e:
            raise ArchiveError(str(e)) from None
        tags = self.legacy_tags
        for name in sorted(repos or {}):
            for tag in sorted(repos[name] or {}):
                old_id = repos[name][tag]
                image_id = loaded.get(old_id)
                if image_id is None:
                    raise ArchiveError(f"invalid target ID: {old_id}")
                try:
                    ref = refmod.parse(name).with_tag(tag)
                except InvalidReference as e:
                    raise ArchiveError(str(e)) from None
                tags.append((image_id, ref))
        return LoadResult(tuple(self.images), legacy=True, legacy_tags=tuple(tags))

    def _legacy_image(self, old_id: str, loaded: dict, configs: dict, chain: "tuple[str, ...]") -> None:
        if old_id in loaded:
            return
        if old_id in chain:
            raise ArchiveError(f"dockersim: the parents of image {old_id} in the archive form a loop")
        image_json = self.read(self.safe_path(_join(old_id, "json")))
        try:
            head = unmarshal(image_json, _LEGACY_OS_PARENT)
        except JSONError as e:
            raise ArchiveError(str(e)) from None
        os_name = head["OS"] or "linux"
        if os_name.lower() != "linux":
            raise ArchiveError(f"cannot load {os_name} image on linux")
        parent_id = None
        if head["Parent"]:
            while head["Parent"] not in loaded:
                self._legacy_image(head["Parent"], loaded, configs, chain + (old_id,))
            parent_id = loaded[head["Parent"]]
        rootfs = {"type": "layers", "diff_ids": None}
        history: list = []
        if parent_id is not None:
            parent_cfg = configs[parent_id]
            rootfs = dict(parent_cfg["rootfs"])
            history = list(parent_cfg["history"] or [])
        layer_path = self.safe_path(_join(old_id, "layer.tar"))
        try:
            layer = self.load_layer(layer_path, _truncate_id(old_id))
        except ArchiveError as e:
            raise _LoadFailed(e) from None
        rootfs["diff_ids"] = list(rootfs["diff_ids"] or []) + [layer.diff_id]
        try:
            v1 = unmarshal(image_json, _V1IMAGE)
            history.append({
                "created": v1["created"], "created_by": " ".join(v1["container_config"]["Cmd"] or []),
                "author": v1["author"], "comment": v1["comment"], "empty_layer": False,
            })
            config = _make_config_from_v1(image_json, rootfs, history)
        except JSONError as e:
            raise _LoadFailed(ArchiveError(str(e)), (layer,)) from None
        image = LoadedImage(config, (layer,), (), parent_id)
        self.images.append(image)
        configs[image.id] = _decode_image(config)
        loaded[old_id] = image.id


def _version_less(v: str, other: str) -> bool:
    """moby ``versions.LessThan``."""
    a, b = v.split("."), other.split(".")

    def num(s: str) -> int:
        try:
            return int(s)
        except ValueError:
            return 0

    for i in range(max(len(a), len(b))):
        x = num(a[i]) if i < len(a) else 0
        y = num(b[i]) if i < len(b) else 0
        if x != y:
            return x < y
    return False


def _make_config_from_v1(image_json: bytes, rootfs: dict, history: list) -> bytes:
    """``v1.MakeConfigFromV1Config``: the legacy json minus its v1-only
    keys, plus rootfs and history, keys sorted."""
    dver = unmarshal(image_json, _DOCKER_VERSION_ONLY)["docker_version"]
    if _version_less(dver, "1.8.3"):
        image_json = marshal_value(unmarshal(image_json, _V1IMAGE), _V1IMAGE).encode()
    pairs = {k: compact(raw) for k, raw in raw_pairs(image_json)}
    for k in ("id", "parent", "Size", "parent_id", "layer_id", "throwaway"):
        pairs.pop(k, None)
    pairs["rootfs"] = marshal_value(rootfs, _ROOTFS)
    pairs["history"] = marshal_value(history, _HISTORIES)
    return ("{" + ",".join(encode_string(k) + ":" + pairs[k] for k in sorted(pairs)) + "}").encode()


def _valid_parent(img: dict, parent: dict) -> bool:
    """moby ``checkValidParent``: the child's history is the parent's plus
    one entry."""
    ih, ph = img["history"] or [], parent["history"] or []
    if not ih and not ph:
        return True
    if len(ih) - len(ph) != 1:
        return False
    for hp, hc in zip(ph, ih):
        if (hp["created"] is None) != (hc["created"] is None):
            return False
        if hp["created"] is not None and (hp["created"].sec, hp["created"].nsec) != (hc["created"].sec, hc["created"].nsec):
            return False
        if any(hp[k] != hc[k] for k in ("created_by", "author", "comment", "empty_layer")):
            return False
    return True


def read_archive(data: bytes, *, tmp_dir: str = DEFAULT_TMP_DIR,
                 has_layer: Callable[[str], bool] = lambda chain_id: False,
                 platform: "Callable[[str, str, str], bool] | None" = None) -> LoadResult:
    """What ``docker load`` does with ``data`` (moby ``tarexport.Load``).

    The input may be a tar, or a gzip/bzip2/xz-compressed tar; in the
    layout ``docker save`` writes now (OCI layout with ``manifest.json``),
    the one Docker 1.10–24 wrote (``<id>.json``, ``<v1 id>/layer.tar``,
    ``manifest.json``) or the pre-1.10 one (``<v1 id>/{json,layer.tar}``
    and ``repositories``, no ``manifest.json``).  Layers may be compressed
    too.

    ``tmp_dir`` is the host path of the directory moby would extract into
    (it appears in error messages, e.g. ``open
    /var/lib/docker/tmp/docker-import-123/repositories: no such file or
    directory``); pick ``docker-import-<random uint32>``.  ``has_layer``
    says whether the layer store already has a chain id (then moby does
    not read that layer).  ``platform(os, architecture, variant)``, when
    given, skips the images it refuses (``--platform``).

    Never raises for a bad archive: the error is in the result (see
    `LoadResult`), with the images moby had registered before it."""
    tmp_dir = _clean(tmp_dir)
    try:
        tree = _unpack(_decompress(data))
    except ArchiveError as e:
        return LoadResult(error=e)
    loader = _Loader(tree, tmp_dir, has_layer, platform)
    try:
        return loader.run()
    except (_LoadFailed, ArchiveError) as e:
        failed = e if isinstance(e, _LoadFailed) else _LoadFailed(e)
        return LoadResult(tuple(loader.images), error=failed.error, failed_layers=failed.layers,
                          legacy=loader.legacy_mode, legacy_tags=tuple(loader.legacy_tags))


# ==========================================================================
# docker import
# ==========================================================================


def import_comment(src: str, message: str = "") -> str:
    """The history comment of an imported image: ``message`` if given,
    else ``Imported from <fromSrc>`` (``-`` for the request body; a URL
    as the client sent it, before moby adds ``http://``)."""
    return message if message else "Imported from " + src


def import_config(layer_diff_id: str, created: float, comment: str,
                  changes_config: "dict | None" = None, *, os: str = "linux",
                  architecture: str = "amd64", variant: str = "",
                  docker_version: str = DOCKER_VERSION) -> bytes:
    """The config bytes moby's ``ImageService.ImportImage`` stores for an
    imported layer (graphdriver store), keys sorted as ``image.Image``'s
    MarshalJSON sorts them::

        {"architecture":"amd64","comment":"Imported from -",
         "config":{<container.Config, every field>},
         "container_config":{<an empty container.Config>},
         "created":"<RFC 3339, ns>","docker_version":"28.2.2",
         "history":[{"created":"<same>","comment":"Imported from -"}],
         "os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:…"]}}

    ``comment`` is the request's ``message`` or `import_comment`'s
    default; it is both the image comment and the one history entry's
    (which has no ``created_by``).  ``created`` is the import time (epoch
    seconds, kept to the nanosecond).  ``changes_config`` is the
    ``container.Config`` the ``changes`` instructions produced (Go field
    names: ``Cmd``, ``Env``, ``ExposedPorts``, …); None or {} for none.
    ``os``/``architecture``/``variant`` come from the ``platform`` query
    (default linux/amd64); ``variant`` is written only when set."""
    d = Decoder()
    config = d.decode(from_py(changes_config or {}), _CONTAINER_CONFIG)
    if d.saved is not None:
        raise ArchiveError(d.saved)
    when = Time.from_float(created)
    image = Decoder().zero(_IMAGE)
    image.update({
        "comment": comment, "created": when, "docker_version": docker_version, "config": config,
        "architecture": architecture, "variant": variant, "os": os,
        "rootfs": {"type": "layers", "diff_ids": [layer_diff_id]},
        "history": [{"created": when, "created_by": "", "author": "", "comment": comment,
                     "empty_layer": False}],
    })
    return marshal_image(image)
