"""go-archive and the Go archive/tar and compress code under it
(sim/fs/goarchive.py): the bytes Go's tar.Writer writes, what its reader
accepts and refuses, DecompressStream's words, and Unpack's rules."""

import bz2
import gzip
import io
import lzma
import tarfile

import pytest

from dockersim.sim.fs import goarchive as G
from dockersim.sim.fs.memfs import MemFs
from dockersim.sim.fs.vfs import Vfs

from .test_fs_tar import _tar as py_tar


def read_all(data) -> "list[tuple[G.Header, bytes]]":
    r = G.TarReader(data)
    out = []
    while (hdr := r.next()) is not None:
        out.append((hdr, r.read()))
    return out


def error_of(call) -> str:
    with pytest.raises(G.GoArchiveError) as e:
        call()
    return str(e.value)


SAMPLE = py_tar([({"name": "a.txt"}, b"hello" * 100), ({"name": "d", "type": tarfile.DIRTYPE}, None),
                 ({"name": "d/b"}, b"x" * 3000)])


# -- DecompressStream -------------------------------------------------------------------

@pytest.mark.parametrize("pack", [lambda b: b, gzip.compress, bz2.compress,
                                  lambda b: lzma.compress(b, format=lzma.FORMAT_XZ)],
                         ids=["plain", "gzip", "bzip2", "xz"])
def test_decompress_stream_reads_what_go_archive_reads(pack):
    s = G.decompress_stream(pack(SAMPLE))
    assert s.take(len(SAMPLE) + 1) == SAMPLE and s.error is None
    assert [h.name for h, _ in read_all(G.decompress_stream(pack(SAMPLE)))] == ["a.txt", "d/", "d/b"]
    # a binary file object reads the same, a chunk at a time
    assert [h.name for h, _ in read_all(G.decompress_stream(io.BytesIO(pack(SAMPLE))))] == \
        ["a.txt", "d/", "d/b"]


class CountingFile(io.BytesIO):
    """A file that records the largest read asked of it."""

    biggest = 0

    def read(self, n=-1):
        assert n is not None and n >= 0, "a whole-file read"
        self.biggest = max(self.biggest, n)
        return super().read(n)


@pytest.mark.parametrize("pack", [lambda b: b, gzip.compress, bz2.compress,
                                  lambda b: lzma.compress(b, format=lzma.FORMAT_XZ)],
                         ids=["plain", "gzip", "bzip2", "xz"])
def test_decompress_stream_never_holds_the_whole_stream(pack):
    """A 32 MiB file of zeros (a few KiB compressed) passes through the
    reader in bounded chunks: the input is read in small pieces and no
    read of the entry's data hands out more than asked."""
    big = 32 << 20
    tar = py_tar([({"name": "zeros"}, bytes(big)), ({"name": "after"}, b"tail")])
    f = CountingFile(pack(tar))
    reader = G.TarReader(G.decompress_stream(f))
    assert reader.next().name == "zeros"
    seen = 0
    while True:
        chunk = reader.read_some(1 << 20)
        if not chunk:
            break
        assert len(chunk) <= 1 << 20 and chunk.count(0) == len(chunk)
        assert len(reader.s._buf) <= 2 << 20  # the stream buffers a chunk, not the file
        seen += len(chunk)
    assert seen == big
    hdr = reader.next()
    assert hdr.name == "after" and reader.read() == b"tail" and reader.next() is None
    assert f.biggest <= 1 << 16


def test_multistream_gzip_from_a_file_reads_every_member():
    data = gzip.compress(SAMPLE[:1024]) + gzip.compress(SAMPLE[1024:])
    s = G.decompress_stream(io.BytesIO(data))
    assert s.take(len(SAMPLE) + 1) == SAMPLE and s.error is None


def corrupt(data: bytes, at: int) -> bytes:
    return data[:at] + b"\xff\xff\xff\xff" + data[at + 4:]


@pytest.mark.parametrize("data, text", [
    (gzip.compress(SAMPLE)[:len(gzip.compress(SAMPLE)) // 2], "unexpected EOF"),
    (corrupt(bz2.compress(SAMPLE), 60), "bzip2 data invalid: checksum mismatch"),
    (bz2.compress(SAMPLE)[:100], "unexpected EOF"),
    (corrupt(lzma.compress(SAMPLE), 80), "exit status 1: xz: (stdin): Compressed data is corrupt\n"),
    (lzma.compress(SAMPLE)[:100], "exit status 1: xz: (stdin): Unexpected end of input\n"),
], ids=["gzip-cut", "bzip2-corrupt", "bzip2-cut", "xz-corrupt", "xz-cut"])
def test_broken_compressed_data_fails_when_the_reader_gets_there(data, text):
    stream = G.decompress_stream(data)  # DecompressStream itself succeeds
    assert error_of(lambda: read_all(stream)) == text


def test_corrupt_deflate_data_is_flates_error():
    gz = gzip.compress(SAMPLE)
    text = error_of(lambda: read_all(G.decompress_stream(corrupt(gz, 40))))
    assert text.startswith("flate: corrupt input before offset ")
    assert 30 <= int(text.rsplit(" ", 1)[1]) < len(gz)  # counted from the deflate data


def test_decompress_stream_itself_refuses_a_bad_gzip_header_and_zstd():
    assert error_of(lambda: G.decompress_stream(b"\x1f\x8b\x08\x00")) == "unexpected EOF"
    assert error_of(lambda: G.decompress_stream(b"\x1f\x8b\x08\x10" + bytes(6) + b"x" * 600)) == \
        "gzip: invalid header"
    assert error_of(lambda: G.decompress_stream(b"\x28\xb5\x2f\xfd" + bytes(20))) == G.ZSTD_UNSUPPORTED
    assert G.ZSTD_UNSUPPORTED == "dockersim: zstd-compressed archives are not supported"


def test_a_gzip_checksum_after_the_end_of_the_tar_is_never_read():
    """Go's tar reader stops at the two zero blocks; the gzip trailer
    (and so a bad CRC in it) is never reached."""
    gz = gzip.compress(SAMPLE)
    bad = gz[:-8] + b"\0\0\0\0" + gz[-4:]
    assert [h.name for h, _ in read_all(G.decompress_stream(bad))] == ["a.txt", "d/", "d/b"]


# -- the reader -------------------------------------------------------------------------

def test_reader_takes_the_pax_records_over_the_header_fields():
    data = py_tar([({"name": "héllo/" + "x" * 120, "uid": 3_000_000, "gid": 7, "mtime": 1.5,
                     "uname": "ü", "pax_headers": {"SCHILY.xattr.user.k": "v",
                                                   "SCHILY.xattr.user.empty": ""}}, b"data")])
    (hdr, content), = read_all(data)
    assert (hdr.name, hdr.uid, hdr.gid, hdr.mtime, hdr.uname) == \
        ("héllo/" + "x" * 120, 3_000_000, 7, 1.5, "ü")
    assert hdr.xattrs == {"user.k": "v"} and content == b"data"
    assert hdr.typeflag == G.TYPE_REG and hdr.size == 4


def test_reader_gnu_long_names_and_devices():
    link = tarfile.TarInfo("l" * 150)
    link.type, link.linkname = tarfile.SYMTYPE, "t" * 150
    dev = tarfile.TarInfo("null")
    dev.type, dev.devmajor, dev.devminor = tarfile.CHRTYPE, 1, 3
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as tf:
        tf.addfile(link)
        tf.addfile(dev)
    data = buf.getvalue()
    assert b"././@LongLink" in data
    (link, _), (dev, _) = read_all(data)
    assert (link.name, link.linkname, link.typeflag) == ("l" * 150, "t" * 150, G.TYPE_SYMLINK)
    assert (dev.typeflag, dev.devmajor, dev.devminor) == (G.TYPE_CHAR, 1, 3)


def test_reader_ends_cleanly_where_go_does():
    one = py_tar([({"name": "a"}, b"abc")])
    assert read_all(one[:512 + 3])[0][1] == b"abc"      # no padding, no end blocks
    assert read_all(one[:512 + 100])[0][1] == b"abc"    # part of the padding
    assert read_all(b"") == [] and read_all(bytes(512)) == []
    assert error_of(lambda: read_all(one[:512 + 2])) == "unexpected EOF"        # in the data
    assert error_of(lambda: read_all(one[:300])) == "unexpected EOF"            # in a header
    assert error_of(lambda: read_all(bytes(512) + b"x" * 512)) == G.ERR_HEADER  # zero, then not
    assert error_of(lambda: read_all(b"not a tar" * 100)) == G.ERR_HEADER


def test_reader_refuses_broken_pax_records():
    good = py_tar([({"name": "é"}, b"x")])
    # the record "<n> path=é\n" counts bytes: make its length one too long
    i = good.index(b" path=")
    n = int(good[i - 2:i])
    bad = good[:i - 2] + str(n + 1).encode() + good[i:]
    assert error_of(lambda: read_all(bad)) == G.ERR_HEADER


def test_is_archive():
    assert G.is_archive(SAMPLE) and G.is_archive(gzip.compress(SAMPLE))
    assert not G.is_archive(b"") and not G.is_archive(gzip.compress(b"just text"))
    assert not G.is_archive(b"plain text" * 100)


# -- the writer -------------------------------------------------------------------------

def write(*entries) -> bytes:
    w = G.TarWriter()
    for hdr, data in entries:
        w.add(hdr, data)
    return w.close()


def test_writer_is_ustar_when_it_can_be():
    data = write((G.file_header("d", G.TYPE_DIR, mode=0o40755, mtime=1.9), b""),
                 (G.file_header("d/f", G.TYPE_REG, mode=0o4755, uid=5, gid=6, mtime=2, size=3), b"abc"))
    assert len(data) == 512 + 512 + 512 + 1024  # no record padding after the end blocks
    blk = data[:512]
    assert blk[:3] == b"d/\0" and blk[100:108] == b"0000755\0" and blk[136:148] == b"%011o\0" % 1
    assert blk[257:265] == b"ustar\x0000" and blk[156:157] == b"5"
    assert blk[148:156] == b"%06o\0 " % (sum(blk[:148]) + 8 * 32 + sum(blk[156:]))
    assert blk[265:297] == bytes(32) and blk[329:345] == b"0000000\0" * 2
    (d, _), (f, content) = read_all(data)
    assert (f.mode, f.uid, f.gid, content) == (0o4755, 5, 6, b"abc")


def test_writer_splits_a_long_ascii_name_into_prefix_and_name():
    name = "a" * 60 + "/" + "b" * 80
    data = write((G.file_header(name, G.TYPE_REG, mode=0o644, size=1), b"x"))
    assert data[:80] == b"b" * 80 and data[345:406] == b"a" * 60 + b"\0"
    assert data[156:157] == b"0"  # no extended header
    assert read_all(data)[0][0].name == name


def test_writer_puts_what_ustar_cannot_hold_in_a_pax_header():
    name = "d/" + "c" * 130
    data = write((G.file_header(name, G.TYPE_REG, mode=0o644, uid=3_000_000, gid=9, mtime=-5, size=1),
                  b"x"))
    assert data[156:157] == b"x"
    assert data[:100].rstrip(b"\0") == b"d/PaxHeaders.0/" + b"c" * 85
    records = data[512:512 + int(data[124:135], 8)]
    assert records == b"12 mtime=-5\n" + b"142 path=" + name.encode() + b"\n" + b"15 uid=3000000\n"
    main = data[1024:1536]
    assert main[156:157] == b"0" and main[:100] == name.encode()[:100]
    assert main[108:116] == b"0000000\0" and main[136:148] == b"00000000000\0"  # 0 where it does not fit
    (hdr, content), = read_all(data)
    assert (hdr.name, hdr.uid, hdr.gid, hdr.mtime, content) == (name, 3_000_000, 9, -5.0, b"x")


def test_writer_non_ascii_names_go_in_pax_records_and_ascii_in_the_header():
    data = write((G.file_header("dé/f", G.TYPE_SYMLINK, mode=0o777, linkname="→t"), b""))
    assert data[:100].rstrip(b"\0") == b"d/PaxHeaders.0/f"
    main = data[1024:1536]
    assert main[:5] == b"d/f\0\0" and main[157:159] == b"t\0"
    (hdr, _), = read_all(data)
    assert (hdr.name, hdr.linkname) == ("dé/f", "→t")


def test_pax_record_sizes_count_themselves():
    assert G._pax_record("path", "x" * 89) == "98 path=" + "x" * 89 + "\n"
    assert G._pax_record("path", "x" * 90) == "99 path=" + "x" * 90 + "\n"
    assert G._pax_record("path", "x" * 91) == "101 path=" + "x" * 91 + "\n"


# -- Unpack ---------------------------------------------------------------------------

def fresh() -> Vfs:
    v = Vfs(MemFs())
    v.mkdir("/dst")
    return v


def test_unpack_makes_entries_with_their_owners_modes_and_times():
    v = fresh()
    data = write((G.file_header("x/", G.TYPE_DIR, mode=0o700, uid=4, gid=4, mtime=100), b""),
                 (G.file_header("x/f", G.TYPE_REG, mode=0o640, uid=5, gid=6, mtime=200, size=2), b"hi"),
                 (G.file_header("x/h", G.TYPE_LINK, mode=0o640, uid=5, gid=6, linkname="x/f"), b""),
                 (G.file_header("x/s", G.TYPE_SYMLINK, mode=0o777, linkname="f", mtime=300), b""),
                 (G.file_header("y/z/g", G.TYPE_REG, mode=0o644, size=0), b""))
    G.unpack(v, "/dst", data)
    st = v.stat("/dst/x/f")
    assert (st.mode & 0o7777, st.uid, st.gid, st.mtime, st.nlink) == (0o640, 5, 6, 200, 2)
    assert v.stat("/dst/x").mtime == 100 and v.lstat("/dst/x/s").mtime == 300
    assert v.readlink("/dst/x/s") == "f" and v.read_bytes("/dst/x/h") == b"hi"
    implied = v.stat("/dst/y/z")
    assert (implied.mode & 0o7777, implied.uid) == (0o755, 0)


@pytest.mark.parametrize("hdr, text", [
    (G.file_header("../x", G.TYPE_REG, mode=0o644), '"../x" is outside of "/dst"'),
    (G.file_header("l", G.TYPE_SYMLINK, mode=0o777, linkname="../../etc"),
     'invalid symlink "/dst/l" -> "../../etc"'),
    (G.file_header("h", G.TYPE_LINK, mode=0o644, linkname="../etc/x"),
     'invalid hardlink "/etc/x" -> "../etc/x"'),
    (G.file_header("h", G.TYPE_LINK, mode=0o644, linkname="nope"),
     "link /dst/nope /dst/h: no such file or directory"),
    (G.Header(b"7", "c", size=0), "unhandled tar header type 55"),
])
def test_unpack_refusals(hdr, text):
    assert error_of(lambda: G.unpack(fresh(), "/dst", write((hdr, b"")))) == text


def test_unpack_no_overwrite_dir_non_dir():
    v = fresh()
    v.mkdir("/dst/d")
    v.write_bytes("/dst/f", b"")
    file_over_dir = write((G.file_header("d", G.TYPE_REG, mode=0o644), b""))
    dir_over_file = write((G.file_header("f", G.TYPE_DIR, mode=0o755), b""))
    assert error_of(lambda: G.unpack(v, "/dst", file_over_dir, no_overwrite_dir_non_dir=True)) == \
        'cannot overwrite directory "/dst/d" with non-directory "/dst"'
    assert error_of(lambda: G.unpack(v, "/dst", dir_over_file, no_overwrite_dir_non_dir=True)) == \
        'cannot overwrite non-directory "/dst/f" with directory "/dst"'
    G.unpack(v, "/dst", file_over_dir)
    assert v.lstat("/dst/d").is_file


def test_unpack_keeps_what_arrived_of_a_cut_file():
    data = write((G.file_header("f", G.TYPE_REG, mode=0o644, size=2000), b"z" * 2000))
    v = fresh()
    assert error_of(lambda: G.unpack(v, "/dst", data[:512 + 700])) == "unexpected EOF"
    assert v.read_bytes("/dst/f") == b"z" * 700


def test_unpack_skips_global_headers():
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT,
                      pax_headers={"comment": "global"}) as tf:
        ti = tarfile.TarInfo("f")
        ti.size = 1
        tf.addfile(ti, io.BytesIO(b"x"))
    assert buf.getvalue()[156:157] == b"g"
    v = fresh()
    G.unpack(v, "/dst", buf.getvalue())
    assert v.listdir("/dst") == ["f"]
