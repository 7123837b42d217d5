"""go-archive, once: how dockerd decompresses, reads, writes and unpacks
tars.  That is ``github.com/moby/go-archive`` v0.1.0 (vendored by moby
v28.2.2: ``compression.DecompressStream``, the ``tarAppender``,
``TarWithOptions``, ``Unpack``) and the Go standard library under it
(``archive/tar``'s reader and writer, ``compress/gzip``,
``compress/bzip2``, and the ``xz`` command it runs), in this module's own
words.

Every archive the simulated daemon reads or writes goes through here, so
they agree on every byte and every error text:

- ``docker cp`` and ``docker export`` (`sim.fs.archive`):
  `tar_with_options` out, `decompress_stream` and `unpack` in;
- ``docker save`` and ``docker load`` (`sim.images.archive`): `TarWriter`
  out; `decompress_stream` and `unpack` into an in-memory directory in;
- the classic builder (``daemon/backend/build``, which reaches this module
  through `sim.images.archive` since the daemon imports no `sim.fs`
  module): the context and ADD's local archives (`decompress_stream`,
  `TarReader`, `is_archive`) and the tar of what ADD/COPY copies
  (`TarWriter`, `file_header`).

Errors are `GoArchiveError`s, whose ``str()`` is what Go prints:
``archive/tar: invalid tar header``, ``unexpected EOF``, ``gzip: invalid
header``, ``flate: corrupt input before offset 42``, ``bzip2 data invalid:
…``, ``exit status 1: xz: (stdin): …``, ``unhandled tar header type 55``,
``lstat /x: no such file or directory``.  What the simulation cannot do
says so with a ``dockersim:`` prefix (zstd, sparse files).
"""

from __future__ import annotations

import bz2
import lzma
import math
import zlib

import attrs

from ..abi import O_CREAT, O_WRONLY, Errno
from ..errors import SimError
from ..golang.errors import GoError
from ..golang.path import base as go_base
from ..golang.path import clean_path as go_clean
from ..golang.path import dir_of as go_dir
from ..golang.path import join_path as go_join
from ..golang.path import rel_path as go_rel
from ..golang.strconv import parse_int
from ..golang.strconv import quote as go_quote
from .memfs import CharDevice
from .vfs import Vfs

__all__ = [
    "BLOCK", "DAEMON_UMASK", "ERR_HEADER", "GoArchiveError", "Header", "Stream", "TarAppender",
    "TarReader", "TarWriter", "TYPE_BLOCK", "TYPE_CHAR", "TYPE_DIR", "TYPE_FIFO", "TYPE_LINK",
    "TYPE_REG", "TYPE_SYMLINK", "TYPE_XGLOBAL", "UNEXPECTED_EOF", "ZSTD_UNSUPPORTED",
    "decompress_stream", "detect", "errno_text", "file_header", "is_archive", "link_error",
    "mkdir_all", "path_error", "remove_all", "tar_with_options", "unpack",
]

BLOCK = 512

#: Type flags (``tar.TypeReg`` …).
TYPE_REG, TYPE_LINK, TYPE_SYMLINK, TYPE_CHAR, TYPE_BLOCK, TYPE_DIR, TYPE_FIFO = (
    b"0", b"1", b"2", b"3", b"4", b"5", b"6")
TYPE_XHEADER, TYPE_XGLOBAL, TYPE_GNU_LONGNAME, TYPE_GNU_LONGLINK, TYPE_GNU_SPARSE = (
    b"x", b"g", b"L", b"K", b"S")
_HEADER_ONLY = {TYPE_LINK, TYPE_SYMLINK, TYPE_CHAR, TYPE_BLOCK, TYPE_DIR, TYPE_FIFO}

#: Go's texts.
ERR_HEADER = "archive/tar: invalid tar header"
ERR_FIELD_TOO_LONG = "archive/tar: header field too long"
UNEXPECTED_EOF = "unexpected EOF"
#: What the simulation cannot read (Docker can).
ZSTD_UNSUPPORTED = "dockersim: zstd-compressed archives are not supported"
SPARSE_UNSUPPORTED = "dockersim: sparse tar entries are not supported"

#: The PAX prefix of extended attributes.
PAX_XATTR = "SCHILY.xattr."


# ==========================================================================
# Errors
# ==========================================================================


class GoArchiveError(GoError):
    """An archive operation failed; ``str()`` (and ``text``) is Go's
    wording.  ``not_exist`` is whether Go's ``os.IsNotExist`` holds for it
    (an ENOENT inside a PathError/LinkError, never one wrapped by
    ``fmt.Errorf``).  ``partial``: for a short read of an entry's data, the
    bytes that did arrive (Go's copy writes them before it fails)."""

    def __init__(self, text: str, not_exist: bool = False, partial: bytes = b""):
        super().__init__(text)
        self.text = text
        self.not_exist = not_exist
        self.partial = partial


def errno_text(err: SimError) -> str:
    """Go's text for an errno: Linux's strerror, lower case first."""
    text = err.errno_value.strerror
    return text[:1].lower() + text[1:]


def path_error(op: str, path: str, err: SimError) -> GoArchiveError:
    """Go's ``*os.PathError``: ``<op> <path>: <errno text>``."""
    return GoArchiveError(f"{op} {path}: {errno_text(err)}", err.errno_value == Errno.ENOENT)


def link_error(op: str, old: str, new: str, err: SimError) -> GoArchiveError:
    """Go's ``*os.LinkError``: ``<op> <old> <new>: <errno text>``."""
    return GoArchiveError(f"{op} {old} {new}: {errno_text(err)}", err.errno_value == Errno.ENOENT)


# ==========================================================================
# Decompression (compression.DecompressStream)
# ==========================================================================

_CHUNK = 1 << 16
#: The most a decompressor hands out at once: a small chunk of compressed
#: zeros can inflate a thousandfold, and nothing here holds a whole stream.
_OUT = 1 << 18


class _Input:
    """The compressed (or plain) input, read in order: ``bytes`` or a
    binary file object (the daemon's spooled request body).  ``unread``
    pushes bytes back, as a decompressor hands back what follows its end."""

    def __init__(self, src) -> None:
        if isinstance(src, (bytes, bytearray, memoryview)):
            self._data: "bytes | None" = bytes(src)
            self._file = None
        else:
            self._data = None
            self._file = src
        self._pos = 0
        self._pending = b""

    def read(self, n: int) -> bytes:
        """Up to ``n`` bytes (fewer only at the end)."""
        out = b""
        if self._pending:
            out, self._pending = self._pending[:n], self._pending[n:]
        if len(out) >= n:
            return out
        if self._data is not None:
            more = self._data[self._pos:self._pos + n - len(out)]
            self._pos += len(more)
            return out + more if out else more
        parts = [out]
        got = len(out)
        while got < n:
            chunk = self._file.read(n - got)
            if not chunk:
                break
            parts.append(chunk)
            got += len(chunk)
        return b"".join(parts)

    def unread(self, data: bytes) -> None:
        if data:
            self._pending = bytes(data) + self._pending


def _plain(inp: _Input):
    while True:
        chunk = inp.read(_CHUNK)
        if not chunk:
            return None
        yield chunk


class Stream:
    """A decompressed byte stream, produced as it is read: the bytes the
    decompressor produces, then either a clean end (``error`` None) or
    ``error``, the text Go's reader returns once the consumer reads past
    the good bytes.  ``data`` is bytes or a binary file object read as it
    is (``chunks``, a generator of output chunks returning the pending
    error, replaces it for a decompressor).  With ``keep``, every byte
    produced is kept in ``kept`` (the layer store hashes them all)."""

    def __init__(self, data=b"", error: "str | None" = None, *, chunks=None, keep: bool = False):
        self._chunks = chunks if chunks is not None else _plain(_Input(data))
        self._buf = bytearray()
        self._off = 0
        self._done = False
        self.error = error
        self.kept: "bytearray | None" = bytearray() if keep else None

    def _fill(self, n: int) -> None:
        while len(self._buf) - self._off < n and not self._done:
            try:
                chunk = next(self._chunks)
            except StopIteration as stop:
                self._done = True
                if stop.value is not None:
                    self.error = stop.value
                break
            if chunk:
                if self._off:
                    del self._buf[:self._off]
                    self._off = 0
                self._buf += chunk
                if self.kept is not None:
                    self.kept += chunk

    def take(self, n: int) -> bytes:
        """Up to ``n`` bytes (fewer only at the end of the good bytes)."""
        self._fill(n)
        with memoryview(self._buf) as view:
            chunk = bytes(view[self._off:self._off + n])
        self._off += len(chunk)
        return chunk

    def skip(self, n: int) -> None:
        """Read ``n`` bytes and drop them, a chunk at a time; raises on a
        short read."""
        while n > 0:
            got = len(self.take(min(n, _CHUNK)))
            if got == 0:
                raise self.short()
            n -= got

    def drain(self) -> None:
        """Read to the end, ignoring a pending error."""
        while self.take(_CHUNK):
            pass

    def short(self, partial: bytes = b"") -> GoArchiveError:
        """The error of a read that came back short: the decompressor's
        pending error, else ``unexpected EOF``."""
        return GoArchiveError(self.error if self.error is not None else UNEXPECTED_EOF,
                              partial=partial)

    def read_full(self, n: int) -> "bytes | None":
        """``io.ReadFull``: n bytes; None at a clean end with nothing read;
        raises on a short read."""
        chunk = self.take(n)
        if len(chunk) == n:
            return chunk
        if not chunk and self.error is None:
            return None
        raise self.short()

    def try_read_full(self, n: int) -> bool:
        """archive/tar's ``tryReadFull`` (block padding): False at a clean
        end, even part way; raises a pending decompression error."""
        if len(self.take(n)) == n:
            return True
        if self.error is not None:
            raise self.short()
        return False


def detect(data: bytes) -> str:
    """``compression.Detect`` on the first bytes: ``bzip2``, ``gzip``,
    ``xz``, ``zstd`` (also a skippable frame) or ``none``."""
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


def _gzip_header(inp: _Input) -> None:
    """One gzip member header, read and checked (Go's ``readHeader``);
    raises `GoArchiveError`."""
    head = inp.read(10)
    if len(head) < 10:
        raise GoArchiveError(UNEXPECTED_EOF)
    if head[:3] != b"\x1f\x8b\x08":
        raise GoArchiveError("gzip: invalid header")
    flags = head[3]
    raw = bytearray(head)
    if flags & 4:
        size = inp.read(2)
        raw += size
        if len(size) < 2:
            raise GoArchiveError(UNEXPECTED_EOF)
        n = int.from_bytes(size, "little")
        extra = inp.read(n)
        raw += extra
        if len(extra) < n:
            raise GoArchiveError(UNEXPECTED_EOF)
    for bit in (8, 16):  # file name, comment: NUL-terminated, at most 512 bytes
        if flags & bit:
            buf = inp.read(512)
            end = buf.find(b"\0")
            if end < 0:
                raise GoArchiveError("gzip: invalid header" if len(buf) >= 512 else UNEXPECTED_EOF)
            inp.unread(buf[end + 1:])
            raw += buf[:end + 1]
    if flags & 2:
        crc = inp.read(2)
        if len(crc) < 2:
            raise GoArchiveError(UNEXPECTED_EOF)
        if int.from_bytes(crc, "little") != zlib.crc32(raw) & 0xFFFF:
            raise GoArchiveError("gzip: invalid header")


def _fail_at(d, data: bytes) -> int:
    """How many bytes of ``data`` a copy of the inflater taken before them
    accepts, plus the one it refuses (Go's reader reports the input bytes
    it had consumed)."""
    for i in range(len(data)):
        try:
            d.decompress(data[i:i + 1])
        except zlib.error:
            return i + 1
    return len(data)


def _gunzip_members(inp: _Input):
    """Go's ``compress/gzip`` reader (multistream), after the first
    member's header: yields the inflated chunks, returns the pending error
    (None at a clean end)."""
    first = True
    while True:
        if not first:
            head = inp.read(1)
            if not head:
                return None
            inp.unread(head)
            try:
                _gzip_header(inp)
            except GoArchiveError as e:
                return e.text
        first = False
        d = zlib.decompressobj(-15)
        crc = size = consumed = 0
        while not d.eof:
            buf = inp.read(_CHUNK)
            if not buf:
                return UNEXPECTED_EOF
            while True:
                before = d.copy()
                try:
                    out = d.decompress(buf, _OUT)
                except zlib.error:
                    return f"flate: corrupt input before offset {consumed + _fail_at(before, buf)}"
                consumed += len(buf) - len(d.unconsumed_tail)
                buf = d.unconsumed_tail
                if out:
                    crc = zlib.crc32(out, crc)
                    size += len(out)
                    yield out
                if d.eof or (not buf and len(out) < _OUT):
                    break
        inp.unread(d.unused_data)
        trailer = inp.read(8)
        if len(trailer) < 8:
            return UNEXPECTED_EOF
        if int.from_bytes(trailer[:4], "little") != crc & 0xFFFFFFFF or \
                int.from_bytes(trailer[4:], "little") != size & 0xFFFFFFFF:
            return "gzip: invalid checksum"


def _inflate(d, data: bytes):
    """A bz2/lzma decompressor's output for ``data``, at most `_OUT`
    bytes at a time."""
    out = d.decompress(data, _OUT)
    if out:
        yield out
    while not d.eof and not d.needs_input:
        out = d.decompress(b"", _OUT)
        if out:
            yield out


def _bunzip2(inp: _Input):
    """Go's ``compress/bzip2`` (concatenated streams).  Messages for
    corrupt data are Go's general ``bzip2 data invalid: …`` form."""
    while True:
        magic = inp.read(3)
        if not magic:
            return None
        if magic != b"BZh":
            return "bzip2 data invalid: bad magic value"
        inp.unread(magic)
        d = bz2.BZ2Decompressor()
        while not d.eof:
            buf = inp.read(_CHUNK)
            if not buf:
                return UNEXPECTED_EOF
            try:
                yield from _inflate(d, buf)
            except (OSError, EOFError):
                return "bzip2 data invalid: checksum mismatch"
        inp.unread(d.unused_data)


def _unxz(inp: _Input):
    """``xz -d -c -q`` run by go-archive: its failure reaches the reader as
    ``exit status 1: xz: (stdin): …\\n`` (the exit status, then stderr)."""
    while True:
        head = inp.read(1)
        if not head:
            return None
        inp.unread(head)
        d = lzma.LZMADecompressor(lzma.FORMAT_XZ)
        while not d.eof:
            buf = inp.read(_CHUNK)
            if not buf:
                return "exit status 1: xz: (stdin): Unexpected end of input\n"
            try:
                yield from _inflate(d, buf)
            except lzma.LZMAError as e:
                what = "File format not recognized" if "format" in str(e).lower() else "Compressed data is corrupt"
                return f"exit status 1: xz: (stdin): {what}\n"
        inp.unread(d.unused_data)
        while True:  # stream padding
            pad = inp.read(4)
            if pad != b"\0\0\0\0":
                inp.unread(pad)
                break


def decompress_stream(data, *, keep: bool = False) -> Stream:
    """``compression.DecompressStream``: by magic number gzip, bzip2, xz,
    else the bytes as they are; ``data`` is bytes or a binary file object,
    decompressed as the stream is read.  Raises `GoArchiveError` when the
    call itself fails (a broken gzip header; zstd, which dockersim cannot
    read: `ZSTD_UNSUPPORTED`); errors inside the data wait in the
    `Stream`.  ``keep``: see `Stream`."""
    inp = _Input(data)
    head = inp.read(10)
    inp.unread(head)
    kind = detect(head)
    if kind == "gzip":
        _gzip_header(inp)
        return Stream(chunks=_gunzip_members(inp), keep=keep)
    if kind == "bzip2":
        return Stream(chunks=_bunzip2(inp), keep=keep)
    if kind == "xz":
        return Stream(chunks=_unxz(inp), keep=keep)
    if kind == "zstd":
        raise GoArchiveError(ZSTD_UNSUPPORTED)
    return Stream(chunks=_plain(inp), keep=keep)


# ==========================================================================
# archive/tar: headers
# ==========================================================================


@attrs.define
class Header:
    """``tar.Header``: what the reader returns and the writer takes.
    ``mtime`` is seconds since the epoch (a PAX record may give a
    fraction); ``pax`` the entry's PAX records (``PAXRecords``), of which
    the ``SCHILY.xattr.*`` ones with a value are `xattrs`."""

    typeflag: bytes
    name: str
    linkname: str = ""
    size: int = 0
    mode: int = 0
    uid: int = 0
    gid: int = 0
    mtime: float = 0.0
    uname: str = ""
    gname: str = ""
    devmajor: int = 0
    devminor: int = 0
    pax: "dict[str, str]" = attrs.field(factory=dict)

    @property
    def xattrs(self) -> "dict[str, str]":
        """``Header.Xattrs`` as the reader fills it: the non-empty
        ``SCHILY.xattr.<name>`` records, by name."""
        return {k[len(PAX_XATTR):]: v for k, v in self.pax.items() if k.startswith(PAX_XATTR) and v}


def file_header(name: str, typeflag: bytes, *, mode: int, uid: int = 0, gid: int = 0,
                mtime: float = 0.0, size: int = 0, linkname: str = "", devmajor: int = 0,
                devminor: int = 0) -> Header:
    """go-archive ``FileInfoHeader`` for a file with these attributes: the
    name canonical (a directory's ends with ``/``), the permission bits
    with set-user-ID, set-group-ID and sticky, the mtime truncated to the
    second, no owner names (no lookups), PAX format (written as plain USTAR
    when it fits: `TarWriter`)."""
    if typeflag == TYPE_DIR and not name.endswith("/"):
        name += "/"
    return Header(typeflag, name, linkname=linkname, size=size if typeflag == TYPE_REG else 0,
                  mode=mode & 0o7777, uid=uid, gid=gid, mtime=float(math.floor(mtime)),
                  devmajor=devmajor, devminor=devminor)


# ==========================================================================
# archive/tar: the reader
# ==========================================================================


def _bytes(s: str) -> bytes:
    return s.encode("utf-8", "surrogateescape")


def _parse_string(b: bytes) -> str:
    """``parser.parseString``: up to the first NUL, as Go's string of
    those bytes."""
    i = b.find(b"\0")
    if i >= 0:
        b = b[:i]
    return b.decode("utf-8", "surrogateescape")


class _Parser:
    """archive/tar's ``parser``: numbers in octal or base-256; the first
    failure is kept in ``err``."""

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
            self.err = self.err or ERR_HEADER
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
                    self.err = self.err or ERR_HEADER
                    return 0
                x = (x << 8) | c
            if x >> 63:
                self.err = self.err or ERR_HEADER
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
    """``block.getFormat``: None when the checksum does not match."""
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


def _parse_pax(buf: bytes) -> "dict[str, str]":
    """``parsePAX``: the records of an extended header, each ``<size>
    <key>=<value>\\n`` with the size in bytes, counting itself."""
    out: "dict[str, str]" = {}
    while buf:
        size, sep, rest = buf.partition(b" ")
        try:
            n = parse_int(size.decode("ascii")) if sep else 0
        except (GoError, UnicodeDecodeError):
            n = 0
        if n < 5 or n > len(buf):
            raise GoArchiveError(ERR_HEADER)
        n -= len(size) + 1
        if n <= 0:
            raise GoArchiveError(ERR_HEADER)
        rec, nl, buf = rest[:n - 1], rest[n - 1:n], rest[n:]
        if nl != b"\n":
            raise GoArchiveError(ERR_HEADER)
        raw_key, eq, raw_value = rec.partition(b"=")
        key = raw_key.decode("utf-8", "surrogateescape")
        value = raw_value.decode("utf-8", "surrogateescape")
        if not eq or not key:
            raise GoArchiveError(ERR_HEADER)
        if ("\0" in value) if key in ("path", "linkpath", "uname", "gname") else ("\0" in key):
            raise GoArchiveError(ERR_HEADER)
        if key.startswith("GNU.sparse."):
            raise GoArchiveError(SPARSE_UNSUPPORTED)
        out[key] = value
    return out


def _go_int(text: str) -> int:
    """``strconv.ParseInt(text, 10, 64)``; ErrHeader when it fails."""
    try:
        return parse_int(text)
    except GoError:
        raise GoArchiveError(ERR_HEADER) from None


def _pax_time(text: str) -> float:
    """``parsePAXTime``: ``<seconds>[.<digits>]``, nanoseconds kept."""
    whole, dot, frac = text.partition(".")
    secs = _go_int(whole)
    if not dot or not frac:
        return float(secs)
    if frac.strip("0123456789"):
        raise GoArchiveError(ERR_HEADER)
    nsec = int((frac + "0" * 9)[:9])
    return secs - nsec / 1e9 if whole.startswith("-") else secs + nsec / 1e9


def _merge_pax(hdr: Header, records: "dict[str, str]") -> None:
    """``mergePAX``: records with a value replace the header's fields."""
    for key, value in records.items():
        if not value:
            continue
        if key == "path":
            hdr.name = value
        elif key == "linkpath":
            hdr.linkname = value
        elif key == "uname":
            hdr.uname = value
        elif key == "gname":
            hdr.gname = value
        elif key == "uid":
            hdr.uid = _go_int(value)
        elif key == "gid":
            hdr.gid = _go_int(value)
        elif key == "size":
            hdr.size = _go_int(value)
        elif key == "mtime":
            hdr.mtime = _pax_time(value)
        elif key in ("atime", "ctime"):
            _pax_time(value)
    hdr.pax = dict(records)


class TarReader:
    """Go's ``tar.Reader`` over a `Stream` (or plain bytes): `next` gives
    the next `Header` (PAX and GNU long-name headers folded in, a global
    PAX header returned as itself) or None at the end; `read` the data of
    the current entry.  Both raise `GoArchiveError` with Go's text."""

    def __init__(self, stream):
        self.s = stream if isinstance(stream, Stream) else Stream(stream)
        self.remaining = 0  # data bytes of the current entry not yet read
        self.pad = 0

    def _read_data(self, n: int) -> bytes:
        chunk = self.s.take(n)
        if len(chunk) < n:
            raise self.s.short(chunk)
        return chunk

    def read(self) -> bytes:
        """The rest of the current entry's data."""
        n, self.remaining = self.remaining, 0
        return self._read_data(n)

    def read_some(self, n: int) -> bytes:
        """Up to ``n`` more bytes of the current entry's data (b"" once it
        is all read): how a large entry is copied without holding it."""
        n = min(n, self.remaining)
        self.remaining -= n
        return self._read_data(n)

    def _special(self, size: int) -> bytes:
        if size > 1 << 20:
            raise GoArchiveError(ERR_FIELD_TOO_LONG)
        return self.read()

    def _header(self) -> "tuple[Header, str] | None":
        blk = self.s.read_full(BLOCK)
        if blk is None:
            return None
        if blk == bytes(BLOCK):
            blk = self.s.read_full(BLOCK)
            if blk is None or blk == bytes(BLOCK):
                return None
            raise GoArchiveError(ERR_HEADER)
        fmt = _block_format(blk)
        if fmt is None:
            raise GoArchiveError(ERR_HEADER)
        p = _Parser()
        hdr = Header(blk[156:157], _parse_string(blk[0:100]), _parse_string(blk[157:257]),
                     size=p.numeric(blk[124:136]), mode=p.numeric(blk[100:108]),
                     uid=p.numeric(blk[108:116]), gid=p.numeric(blk[116:124]),
                     mtime=float(p.numeric(blk[136:148])))
        if fmt != _V7:
            hdr.uname = _parse_string(blk[265:297])
            hdr.gname = _parse_string(blk[297:329])
            hdr.devmajor = p.numeric(blk[329:337])
            hdr.devminor = p.numeric(blk[337:345])
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
            raise GoArchiveError(p.err)
        return hdr, fmt

    def _setup(self, hdr: Header) -> None:
        nb = 0 if hdr.typeflag in _HEADER_ONLY else hdr.size
        if nb < 0:
            raise GoArchiveError(ERR_HEADER)
        self.remaining = nb
        self.pad = -nb % BLOCK

    def next(self) -> "Header | None":
        """The next entry, or None at the end of the archive (two zero
        blocks, or the input ending where a header or the padding after
        an entry's data would start)."""
        pax: "dict[str, str]" = {}
        long_name = long_link = ""
        while True:
            self.s.skip(self.remaining)
            self.remaining = 0
            if not self.s.try_read_full(self.pad):
                return None
            self.pad = 0
            got = self._header()
            if got is None:
                return None
            hdr, fmt = got
            self._setup(hdr)
            if hdr.typeflag in (TYPE_XHEADER, TYPE_XGLOBAL):
                records = _parse_pax(self._special(hdr.size))
                if hdr.typeflag == TYPE_XGLOBAL:
                    _merge_pax(hdr, records)
                    return Header(TYPE_XGLOBAL, hdr.name, pax=hdr.pax)
                pax = records
                continue
            if hdr.typeflag in (TYPE_GNU_LONGNAME, TYPE_GNU_LONGLINK):
                text = _parse_string(self._special(hdr.size))
                if hdr.typeflag == TYPE_GNU_LONGNAME:
                    long_name = text
                else:
                    long_link = text
                continue
            _merge_pax(hdr, pax)
            if long_name:
                hdr.name = long_name
            if long_link:
                hdr.linkname = long_link
            if hdr.typeflag == b"\0":
                hdr.typeflag = TYPE_DIR if hdr.name.endswith("/") else TYPE_REG
            self._setup(hdr)
            if hdr.typeflag == TYPE_GNU_SPARSE and fmt != _GNU:
                raise GoArchiveError(ERR_HEADER)
            return hdr


def is_archive(data: bytes) -> bool:
    """go-archive ``IsArchivePath``: the (decompressed) data's first tar
    header reads."""
    try:
        return TarReader(decompress_stream(data)).next() is not None
    except GoArchiveError:
        return False


# ==========================================================================
# archive/tar: the writer
# ==========================================================================


def _is_ascii(s: str) -> bool:
    """archive/tar's ``isASCII``: no byte at or above 0x80, no NUL."""
    return all(0 < ord(c) < 0x80 for c in s)


def _to_ascii(s: str) -> str:
    return "".join(c for c in s if 0 < ord(c) < 0x80)


def _fits_octal(width: int, x: int) -> bool:
    return x >= 0 and (width >= 22 or x < 1 << ((width - 1) * 3))


def _split_ustar(name: str) -> "tuple[str, str] | None":
    """``splitUSTARPath``: (prefix, suffix) for a long ASCII name that
    fits the two fields, else None."""
    raw = _bytes(name)
    length = len(raw)
    if length <= 100 or not _is_ascii(name):
        return None
    if length > 156:
        length = 156
    elif raw[length - 1:length] == b"/":
        length -= 1
    i = raw.rfind(b"/", 0, length)
    if i <= 0 or len(raw) - i - 1 > 100 or len(raw) - i - 1 == 0 or i > 155:
        return None
    return name[:i], name[i + 1:]


def _put_string(blk: bytearray, start: int, width: int, s: str) -> None:
    """``formatter.formatString``: at most ``width`` bytes, NUL-ended when
    shorter; a cut name must not end with a slash."""
    raw = _bytes(s)
    blk[start:start + min(len(raw), width)] = raw[:width]
    if len(raw) > width and raw[width - 1:width] == b"/":
        n = len(raw[:width - 1].rstrip(b"/"))
        blk[start + n] = 0


def _put_octal(blk: bytearray, start: int, width: int, x: int) -> None:
    """``formatter.formatOctal``; a number that does not fit is 0."""
    if not _fits_octal(width, x):
        x = 0
    blk[start:start + width] = (b"%0*o" % (width - 1, x)).ljust(width, b"\0")


def _finish_block(blk: bytearray) -> bytes:
    """``setFormat`` for USTAR/PAX: the magic, then the checksum."""
    blk[257:263] = b"ustar\0"
    blk[263:265] = b"00"
    blk[148:156] = b" " * 8
    blk[148:155] = b"%06o\0" % sum(blk)
    return bytes(blk)


def _v7_plus(hdr: Header, name: str, fmt_str) -> bytearray:
    """``templateV7Plus``: the fields every header has."""
    blk = bytearray(BLOCK)
    blk[156:157] = hdr.typeflag
    fmt_str(blk, 0, 100, name)
    fmt_str(blk, 157, 100, hdr.linkname)
    _put_octal(blk, 100, 8, hdr.mode)
    _put_octal(blk, 108, 8, hdr.uid)
    _put_octal(blk, 116, 8, hdr.gid)
    _put_octal(blk, 124, 12, hdr.size)
    _put_octal(blk, 136, 12, math.floor(hdr.mtime))
    fmt_str(blk, 265, 32, hdr.uname)
    fmt_str(blk, 297, 32, hdr.gname)
    _put_octal(blk, 329, 8, hdr.devmajor)
    _put_octal(blk, 337, 8, hdr.devminor)
    return blk


def _pax_record(key: str, value: str) -> str:
    """``formatPAXRecord``: ``<size> <key>=<value>\\n``, size counting itself."""
    body = len(_bytes(key)) + len(_bytes(value)) + 3
    size = body + len(str(body))
    if len(str(size)) != len(str(body)):
        size = body + len(str(size))
    return f"{size} {key}={value}\n"


class TarWriter:
    """Go's ``tar.Writer`` for the headers go-archive writes (PAX format
    wanted): a header USTAR can encode is written as USTAR (a long name
    split into prefix and name); otherwise a PAX extended header
    (``<dir>/PaxHeaders.0/<base>``, its records sorted) goes first.
    `close` ends the archive with two zero blocks and no record padding,
    and returns its bytes."""

    def __init__(self) -> None:
        self._out = bytearray()
        self._remaining = 0
        self._pad = 0

    def _flush(self) -> None:
        if self._remaining:
            raise ValueError(f"{self._remaining} bytes of the entry were not written")
        self._out += bytes(self._pad)
        self._pad = 0

    def _raw_header(self, blk: bytes, size: int, typeflag: bytes) -> None:
        self._flush()
        self._out += blk
        size = 0 if typeflag in _HEADER_ONLY else size
        self._remaining, self._pad = size, -size % BLOCK

    def _formats(self, hdr: Header) -> "tuple[bool, dict[str, str]]":
        """``allowedFormats`` for a PAX-wanted header: whether USTAR can
        encode it, and the PAX records it needs."""
        ustar = True
        pax: "dict[str, str]" = {}
        for value, width, key in ((hdr.name, 100, "path"), (hdr.linkname, 100, "linkpath"),
                                  (hdr.uname, 32, "uname"), (hdr.gname, 32, "gname")):
            if not _is_ascii(value) or len(_bytes(value)) > width:
                if key != "path" or _split_ustar(value) is None:
                    ustar = False
                pax[key] = value
        for value, width, key in ((hdr.mode, 8, ""), (hdr.uid, 8, "uid"), (hdr.gid, 8, "gid"),
                                  (hdr.size, 12, "size"), (hdr.devmajor, 8, ""),
                                  (hdr.devminor, 8, "")):
            if not _fits_octal(width, value):
                if not key:
                    raise ValueError(f"archive/tar: cannot encode {value} in {width} bytes")
                ustar = False
                pax[key] = str(value)
        mtime = math.floor(hdr.mtime)
        if not _fits_octal(12, mtime):
            ustar = False
            pax["mtime"] = str(mtime)
        return ustar, pax

    def write_header(self, hdr: Header) -> None:
        """``WriteHeader`` of a header in PAX format, as go-archive's
        ``FileInfoHeader`` makes them (no extended attributes: the
        simulation has none)."""
        ustar, pax = self._formats(hdr)
        if ustar:
            name, prefix = hdr.name, ""
            split = _split_ustar(hdr.name)
            if split is not None:
                prefix, name = split
            blk = _v7_plus(hdr, name, _put_string)
            _put_string(blk, 345, 155, prefix)
            self._raw_header(_finish_block(blk), hdr.size, hdr.typeflag)
            return
        data = _bytes("".join(_pax_record(k, pax[k]) for k in sorted(pax)))
        head, tail = hdr.name[:hdr.name.rfind("/") + 1], hdr.name[hdr.name.rfind("/") + 1:]
        pax_name = _to_ascii(go_join(head, "PaxHeaders.0", tail))[:100].rstrip("/")
        blk = bytearray(BLOCK)
        blk[156:157] = TYPE_XHEADER
        _put_string(blk, 0, 100, pax_name)
        for start, width, value in ((100, 8, 0), (108, 8, 0), (116, 8, 0), (124, 12, len(data)),
                                    (136, 12, 0)):
            _put_octal(blk, start, width, value)
        self._raw_header(_finish_block(blk), len(data), TYPE_XHEADER)
        self.write(data)
        main = _v7_plus(hdr, hdr.name, lambda b, s, w, v: _put_string(b, s, w, _to_ascii(v)))
        self._raw_header(_finish_block(main), hdr.size, hdr.typeflag)

    def write(self, data: bytes) -> None:
        """The current entry's data (no more than its header's size)."""
        if len(data) > self._remaining:
            raise ValueError("archive/tar: write too long")
        self._out += data
        self._remaining -= len(data)

    def add(self, hdr: Header, data: bytes = b"") -> None:
        """One entry: its header, then its data."""
        self.write_header(hdr)
        self.write(data)

    def close(self) -> bytes:
        """``Close``: the padding of the last entry and two zero blocks;
        the whole archive."""
        self._flush()
        self._out += bytes(2 * BLOCK)
        return bytes(self._out)


# ==========================================================================
# Go's os.MkdirAll and os.RemoveAll, on a Vfs
# ==========================================================================


def mkdir_all(view: Vfs, path: str, perm: int) -> "list[str]":
    """Go's ``os.MkdirAll``; returns the directories it made, top first.
    A non-directory in the way is ``mkdir <it>: not a directory``."""
    made: "list[str]" = []

    def run(p: str) -> None:
        try:
            st = view.stat(p)
            if st.is_dir:
                return
            raise path_error("mkdir", p, SimError(Errno.ENOTDIR))
        except SimError:
            pass
        i = len(p) - 1
        while i >= 0 and p[i] == "/":
            i -= 1
        while i >= 0 and p[i] != "/":
            i -= 1
        parent = p[:max(i, 0)]
        if parent:
            run(parent)
        try:
            view.mkdir(p, perm)
            made.append(p)
        except SimError as err:
            try:
                if view.lstat(p).is_dir:
                    return
            except SimError:
                pass
            raise path_error("mkdir", p, err) from None

    run(path)
    return made


def remove_all(view: Vfs, path: str) -> None:
    """Go's ``os.RemoveAll`` (removeall_at.go): unlink, or empty and remove
    a directory; a missing path is fine.  Errors are worded
    ``unlinkat <parent>/<name>: …`` (a mount point: device or resource
    busy)."""
    for remove in (view.unlink, view.rmdir):  # os.Remove first
        try:
            remove(path)
            return
        except SimError as err:
            if err.errno_value == Errno.ENOENT:
                return
    stripped = path
    while len(stripped) > 1 and stripped.startswith("//"):
        stripped = stripped[1:]
    while len(stripped) > 1 and stripped.endswith("/"):
        stripped = stripped[:-1]
    i = stripped.rfind("/")
    parent = "." if i < 0 else (stripped[:1] if i == 0 else stripped[:i])
    _remove_all_from(view, stripped, parent + "/" + stripped[i + 1:])


def _remove_all_from(view: Vfs, path: str, shown: str) -> None:
    try:
        view.unlink(path)
        return
    except SimError as err:
        uerr = err
    if uerr.errno_value == Errno.ENOENT:
        return
    is_dir = False
    if uerr.errno_value == Errno.EBUSY:  # Linux says EISDIR before EBUSY for a directory
        try:
            is_dir = view.lstat(path).is_dir
        except SimError:
            pass
    if uerr.errno_value not in (Errno.EISDIR, Errno.EPERM, Errno.EACCES) and not is_dir:
        raise path_error("unlinkat", shown, uerr)
    try:
        names = view.listdir(path)
    except SimError as err:
        if err.errno_value == Errno.ENOENT:
            return
        if err.errno_value == Errno.ENOTDIR:
            raise path_error("unlinkat", shown, uerr) from None
        raise path_error("openfdat", shown, err) from None
    first: "GoArchiveError | None" = None
    for name in names:
        try:
            _remove_all_from(view, path.rstrip("/") + "/" + name, shown + "/" + name)
        except GoArchiveError as err:
            first = first or err
    try:
        view.rmdir(path)
        return
    except SimError as err:
        if err.errno_value == Errno.ENOENT:
            return
        if first is not None:
            raise first from None
        raise path_error("unlinkat", shown, err) from None


# ==========================================================================
# Tar (tarAppender, TarWithOptions)
# ==========================================================================


class TarAppender:
    """go-archive's ``tarAppender``: entries from lstat(2) of files in a
    `Vfs` (`file_header`); a non-directory with more than one link is
    written in full the first time and as a hard link to that name after.
    A file that vanishes or cannot be read is skipped (the daemon logs
    it)."""

    def __init__(self, writer: "TarWriter | None" = None) -> None:
        self.writer = writer if writer is not None else TarWriter()
        self.seen: "dict[tuple[int, int], str]" = {}

    def add_file(self, view: Vfs, path: str, name: str) -> None:
        """``addTarFile``: ``path`` in ``view`` as the entry ``name``."""
        try:
            st = view.lstat(path)
        except SimError:
            return
        link = ""
        if st.is_dir:
            typeflag = TYPE_DIR
        elif st.is_symlink:
            typeflag = TYPE_SYMLINK
            try:
                link = view.readlink(path)
            except SimError:
                return
        elif st.is_chardev:
            typeflag = TYPE_CHAR
        elif st.is_file:
            typeflag = TYPE_REG
        else:
            return  # FIFOs, sockets: not simulated
        hdr = file_header(name, typeflag, mode=st.mode, uid=st.uid, gid=st.gid, mtime=st.mtime,
                          size=st.size, linkname=link,
                          devmajor=(st.rdev >> 8) & 0xFFF if st.is_chardev else 0,
                          devminor=(st.rdev & 0xFF) | ((st.rdev >> 12) & 0xFFF00)
                          if st.is_chardev else 0)
        if not st.is_dir and st.nlink > 1:
            key = (st.dev, st.ino)
            if key in self.seen:
                hdr.typeflag, hdr.linkname, hdr.size = TYPE_LINK, self.seen[key], 0
            else:
                self.seen[key] = name
        data = b""
        if hdr.typeflag == TYPE_REG and hdr.size > 0:
            try:
                data = view.read_bytes(path)
            except SimError:
                return
            hdr.size = len(data)
        self.writer.add(hdr, data)

    def close(self) -> bytes:
        return self.writer.close()


def _walk_dir(view: Vfs, root: str):
    """``filepath.WalkDir``: (path, is_dir) for ``root`` and, depth first,
    everything below it, each directory's names in byte order; symlinks
    are not followed; children's paths are ``filepath.Join``ed."""
    try:
        st = view.lstat(root)
    except SimError:
        return
    stack = [(root, st.is_dir)]
    while stack:
        path, is_dir = stack.pop()
        yield path, is_dir
        if not is_dir:
            continue
        try:
            names = sorted(view.listdir(path), key=_bytes)
        except SimError:
            continue
        children = []
        for name in names:
            child = go_join(path, name)
            try:
                child_dir = view.lstat(child).is_dir
            except SimError:
                child_dir = False
            children.append((child, child_dir))
        stack.extend(reversed(children))


def _split_path_dir_entry(path: str) -> "tuple[str, str]":
    """go-archive ``SplitPathDirEntry``."""
    cleaned = go_clean(path)
    if go_base(path) == ".":
        cleaned += "/."
    return go_dir(cleaned), go_base(cleaned)


def tar_with_options(view: Vfs, src: str, include: str, *, include_source_dir: bool,
                     rebase: str) -> bytes:
    """go-archive ``TarWithOptions`` with one include: walk ``src/include``
    (a file ``src`` is split into its directory and base name first);
    names are relative to ``src`` (``./x`` when including the source
    directory itself), the first occurrence of ``include`` replaced by
    ``rebase`` (``/`` rebases to the empty string)."""
    appender = TarAppender()
    try:
        st = view.lstat(src)
    except SimError:
        return appender.close()
    if not st.is_dir:
        src, include = _split_path_dir_entry(src)
    walk_root = (src[:-1] if src.endswith("/") else src) + "/" + include
    for file_path, is_dir in _walk_dir(view, walk_root):
        rel = go_rel(src, file_path)
        if not include_source_dir and rel == "." and is_dir:
            continue
        if include_source_dir and include == "." and rel != ".":
            rel = "./" + rel
        if rebase:
            rel = rel.replace(include, "" if rebase == "/" else rebase, 1)
        appender.add_file(view, file_path, rel)
    return appender.close()


# ==========================================================================
# Unpack
# ==========================================================================

#: The umask dockerd runs with (new files and directories before chmod).
DAEMON_UMASK = 0o022

#: Go's os.Chtimes limit on 64-bit: later times (and times before the
#: epoch) are replaced by the epoch (go-archive ``boundTime``).
_MAX_TIME = (1 << 63) / 1e9


def bound_time(t: float) -> float:
    return 0.0 if t < 0 or t > _MAX_TIME else t


@attrs.define(eq=False)
class _Unpacker:
    view: Vfs
    dest: str
    no_overwrite_dir_non_dir: bool
    chown: "tuple[int, int] | None"

    def run(self, reader: TarReader) -> None:
        dirs: "list[tuple[str, float]]" = []
        while True:
            hdr = reader.next()
            if hdr is None:
                break
            if hdr.typeflag == TYPE_XGLOBAL:
                continue
            self.entry(reader, hdr, dirs)
        for name, mtime in dirs:
            path = go_join(self.dest, name)
            try:
                self.view.utime(path, bound_time(mtime))
            except SimError as err:
                raise path_error("chtimes", path, err) from None

    def entry(self, reader: TarReader, hdr: Header, dirs: list) -> None:
        view, dest = self.view, self.dest
        name = go_clean(hdr.name)
        self.implied_dirs(name)
        path = go_join(dest, name)
        if go_rel(dest, path).startswith("../"):
            raise GoArchiveError(f"{go_quote(name)} is outside of {go_quote(dest)}")
        want_dir = hdr.typeflag == TYPE_DIR
        try:
            fi = view.lstat(path)
        except SimError:
            fi = None
        if fi is not None:
            if self.no_overwrite_dir_non_dir and fi.is_dir and not want_dir:
                raise GoArchiveError(f"cannot overwrite directory {go_quote(path)} with "
                                     f"non-directory {go_quote(dest)}")
            if self.no_overwrite_dir_non_dir and not fi.is_dir and want_dir:
                raise GoArchiveError(f"cannot overwrite non-directory {go_quote(path)} with "
                                     f"directory {go_quote(dest)}")
            if fi.is_dir and name == ".":
                return
            if not fi.is_dir or not want_dir:
                remove_all(view, path)
        self.create(reader, hdr, path)
        if want_dir:
            dirs.append((name, hdr.mtime))

    def implied_dirs(self, name: str) -> None:
        """go-archive ``createImpliedDirectories``: a missing parent of an
        entry is made (mkdir -p, 0755, root:root) before anything else,
        even for an entry then refused as a breakout."""
        if name.endswith("/"):
            return
        parent_path = go_join(self.dest, go_dir(name))
        try:
            self.view.lstat(parent_path)
            return
        except SimError as err:
            if err.errno_value != Errno.ENOENT:
                return
        made = mkdir_all(self.view, parent_path, 0o755 & ~DAEMON_UMASK)
        for p in made:
            try:
                st = self.view.stat(p)
                if st.mode & 0o777 != 0o755:
                    self.view.chmod(p, 0o755)
                if (st.uid, st.gid) != (0, 0):
                    self.view.chown(p, 0, 0)
            except SimError as err:
                raise path_error("chmod", p, err) from None

    def create(self, reader: TarReader, hdr: Header, path: str) -> None:
        """go-archive ``createTarFile``: make the object, then lchown,
        chmod (not for symlinks) and the mtime."""
        view, dest = self.view, self.dest
        mode = hdr.mode & 0o7777
        typ = hdr.typeflag
        if typ == TYPE_DIR:
            try:
                exists_dir = view.lstat(path).is_dir
            except SimError:
                exists_dir = False
            if not exists_dir:
                try:
                    view.mkdir(path, mode & ~DAEMON_UMASK)
                except SimError as err:
                    raise path_error("mkdir", path, err) from None
        elif typ == TYPE_REG:
            try:
                f = view.open(path, O_WRONLY | O_CREAT, mode & ~DAEMON_UMASK)
            except SimError as err:
                raise path_error("open", path, err) from None
            while True:  # a chunk at a time: a large file is never held whole
                try:
                    content = reader.read_some(_CHUNK * 16)
                except GoArchiveError as err:
                    f.write(err.partial)
                    raise
                if not content:
                    break
                try:
                    f.write(content)
                except SimError as err:
                    raise path_error("write", path, err) from None
        elif typ == TYPE_CHAR:
            try:
                view.mknod(path, CharDevice(None, mode=mode & ~DAEMON_UMASK, major=hdr.devmajor,
                                            minor=hdr.devminor))
            except SimError as err:
                raise path_error("mknod", path, err) from None
        elif typ in (TYPE_BLOCK, TYPE_FIFO):
            return  # no such inodes in the simulation: skipped
        elif typ == TYPE_LINK:
            target = go_join(dest, hdr.linkname)
            if not target.startswith(dest):
                raise GoArchiveError(f"invalid hardlink {go_quote(target)} -> {go_quote(hdr.linkname)}")
            try:
                view.link(target, path)
            except SimError as err:
                raise link_error("link", target, path, err) from None
        elif typ == TYPE_SYMLINK:
            target = go_join(go_dir(path), hdr.linkname)
            if not target.startswith(dest):
                raise GoArchiveError(f"invalid symlink {go_quote(path)} -> {go_quote(hdr.linkname)}")
            try:
                view.symlink(hdr.linkname, path)
            except SimError as err:
                raise link_error("symlink", hdr.linkname, path, err) from None
        else:
            raise GoArchiveError(f"unhandled tar header type {typ[0] if typ else 0}")

        uid, gid = self.chown if self.chown is not None else (hdr.uid, hdr.gid)
        try:
            view.chown(path, uid, gid, follow=False)
        except SimError as err:
            raise GoArchiveError(f"failed to Lchown {go_quote(path)} for UID {hdr.uid}, GID {hdr.gid}: "
                                 f"lchown {path}: {errno_text(err)}") from None

        # A hard link's mode and times are set only when its *link name*,
        # looked up from the view's root (not from dest), is no symlink:
        # go-archive checks ``os.Lstat(hdr.Linkname)`` as it stands.
        if typ == TYPE_LINK:
            try:
                plain_target = not view.lstat(hdr.linkname if hdr.linkname.startswith("/")
                                              else "/" + hdr.linkname).is_symlink
            except SimError:
                plain_target = False
        else:
            plain_target = typ != TYPE_SYMLINK
        mtime = bound_time(hdr.mtime)
        if plain_target:
            try:
                view.chmod(path, mode)
            except SimError as err:
                raise path_error("chmod", path, err) from None
            try:
                view.utime(path, mtime)
            except SimError as err:
                raise path_error("chtimes", path, err) from None
        elif typ == TYPE_SYMLINK:
            try:
                view.utime(path, mtime, follow=False)  # utimensat(AT_SYMLINK_NOFOLLOW)
            except SimError as err:
                raise GoArchiveError(errno_text(err)) from None


def unpack(view: Vfs, dest: str, stream, *, no_overwrite_dir_non_dir: bool = False,
           chown: "tuple[int, int] | None" = None) -> None:
    """go-archive ``Unpack`` of a (decompressed) tar into the directory
    ``dest`` of ``view``, as the daemon runs it (as root, umask 022, the
    identity ID mapping, whiteout files as ordinary files).

    Each entry's name is cleaned; a missing parent is made (0755
    root:root); a name climbing above ``dest`` is refused (``"../x" is
    outside of "/tmp"``); an existing entry is removed unless both are
    directories (with ``no_overwrite_dir_non_dir``, a directory and a
    non-directory replacing each other is refused instead); then the
    object is made with the header's owner (or ``chown``'s), mode and
    mtime.  Hard links must name something inside ``dest``; symlinks
    whose target, joined with the link's directory, leaves ``dest`` are
    refused.  Character devices get no driver; block devices and FIFOs
    are skipped.  Directories' mtimes are set last.  Entries before an
    error stay.  Raises `GoArchiveError`."""
    _Unpacker(view, go_clean(dest), no_overwrite_dir_non_dir, chown).run(TarReader(stream))
