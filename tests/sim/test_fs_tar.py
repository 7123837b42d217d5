"""Layer tars: deterministic writing, reading whiteouts/opaque/hard links,
and entries that try to escape the root."""

import hashlib
import io
import tarfile

from dockersim.sim.fs import Dir, File, LayerTree, Symlink, Whiteout, read_layer, tree_from_dict, write_tree


def _tar(entries):
    """Build a tar from (TarInfo kwargs, data) pairs in the given order."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tf:
        for kw, data in entries:
            ti = tarfile.TarInfo(kw.pop("name"))
            for k, v in kw.items():
                setattr(ti, k, v)
            if data is not None:
                ti.size = len(data)
                tf.addfile(ti, io.BytesIO(data))
            else:
                tf.addfile(ti)
    return buf.getvalue()


def _spec():
    return {
        "/etc/passwd": b"root:x:0:0:root:/root:/bin/sh\n",
        "/bin/busybox": (b"\x7fELF<dockersim:busybox>", 0o755),
        "/bin/ls": Symlink("busybox"),
        "/tmp": Dir(mode=0o1777),
        "/home/user/.profile": (b"export PS1='$ '\n", 0o600, 1000, 1000),
        "/usr/share/caf\u00e9/" + "x" * 120: b"long non-ascii name",
    }


def test_round_trip_is_byte_deterministic():
    a = write_tree(tree_from_dict(_spec(), mtime=1_700_000_000.7))
    spec = dict(reversed(list(_spec().items())))
    b = write_tree(tree_from_dict(spec, mtime=1_700_000_000.7))
    assert a == b
    again = write_tree(read_layer(a))
    assert hashlib.sha256(again).hexdigest() == hashlib.sha256(a).hexdigest()


def test_written_tar_shape():
    data = write_tree(tree_from_dict(_spec(), mtime=5))
    members = tarfile.open(fileobj=io.BytesIO(data)).getmembers()
    names = [m.name for m in members]
    # directories come before their contents; siblings sorted
    assert names.index("bin") < names.index("bin/busybox") < names.index("bin/ls")
    assert names.index("home") < names.index("home/user") < names.index("home/user/.profile")
    assert all(m.uname == "" and m.gname == "" and m.mtime == 5 for m in members)
    prof = next(m for m in members if m.name.endswith(".profile"))
    assert (prof.uid, prof.gid, prof.mode) == (1000, 1000, 0o600)
    tmp = next(m for m in members if m.name == "tmp")
    assert tmp.isdir() and tmp.mode == 0o1777
    ls = next(m for m in members if m.name == "bin/ls")
    assert ls.issym() and ls.linkname == "busybox"


def test_read_layer_contents_and_metadata():
    layer = read_layer(write_tree(tree_from_dict(_spec(), mtime=42)))
    assert isinstance(layer, LayerTree)
    passwd = layer.get("/etc/passwd")
    assert isinstance(passwd, File) and passwd.data.startswith(b"root:")
    assert layer.get("bin/busybox").perm == 0o755
    assert layer.get("bin/ls").target == "busybox"
    assert layer.get("home/user/.profile").uid == 1000
    assert layer.get("tmp").perm == 0o1777
    assert layer.get("etc").mtime == 42
    assert layer.size == sum(len(i.data) for _, i in layer.walk() if isinstance(i, File))
    inos = [i.ino for _, i in layer.walk()]
    assert len(set(inos)) == len(inos) and 0 not in inos


def test_hard_links_share_the_inode_and_round_trip():
    f = File(b"shared", mode=0o755)
    fs = tree_from_dict({"/bin/a": f, "/usr/bin/b": f})
    assert f.nlink == 2
    data = write_tree(fs)
    members = tarfile.open(fileobj=io.BytesIO(data)).getmembers()
    b = next(m for m in members if m.name == "usr/bin/b")
    assert b.islnk() and b.linkname == "bin/a"
    layer = read_layer(data)
    assert layer.get("bin/a") is layer.get("usr/bin/b")
    assert layer.get("bin/a").nlink == 2
    assert write_tree(layer) == data


def test_whiteouts_and_opaque_markers_are_recorded_not_files():
    data = _tar([
        ({"name": "etc", "type": tarfile.DIRTYPE, "mode": 0o755}, None),
        ({"name": "etc/.wh.motd"}, b""),
        ({"name": "var/cache", "type": tarfile.DIRTYPE, "mode": 0o755}, None),
        ({"name": "var/cache/.wh..wh..opq"}, b""),
        ({"name": "var/cache/new"}, b"n"),
    ])
    layer = read_layer(data)
    assert isinstance(layer.get("etc/motd"), Whiteout)
    assert layer.get("etc/.wh.motd") is None
    assert layer.get("var/cache").opaque
    assert set(layer.get("var/cache").entries) == {"new"}
    out = write_tree(layer)
    names = [m.name for m in tarfile.open(fileobj=io.BytesIO(out))]
    assert "etc/.wh.motd" in names
    assert names.index("var/cache") + 1 == names.index("var/cache/.wh..wh..opq")
    assert read_layer(out).get("var/cache").opaque
    # without whiteouts: a plain filesystem export
    plain = [m.name for m in tarfile.open(fileobj=io.BytesIO(write_tree(layer, whiteouts=False)))]
    assert not any(".wh." in n for n in plain)


def test_entries_cannot_escape_the_root():
    data = _tar([
        ({"name": "../evil"}, b"x"),
        ({"name": "a/../../evil2"}, b"x"),
        ({"name": "/abs/file"}, b"abs"),
        ({"name": "./ok/../fine"}, b"fine"),
        ({"name": "link", "type": tarfile.SYMTYPE, "linkname": "/etc"}, None),
        ({"name": "link/passwd"}, b"through the link"),
        ({"name": "hl", "type": tarfile.LNKTYPE, "linkname": "../../etc/shadow"}, None),
    ])
    layer = read_layer(data)
    names = {p for p, _ in layer.walk()}
    assert "evil" not in names and "evil2" not in names
    assert layer.get("abs/file").data == b"abs"
    assert layer.get("fine").data == b"fine"
    # the later entry under "link" replaced the symlink with a directory:
    # nothing was written through it
    assert isinstance(layer.get("link"), Dir)
    assert layer.get("etc") is None
    assert layer.get("hl") is None
    assert names == {"abs", "abs/file", "fine", "link", "link/passwd"}


def test_devices_skipped_and_gzip_accepted():
    import gzip

    data = _tar([
        ({"name": "dev/null", "type": tarfile.CHRTYPE, "devmajor": 1, "devminor": 3}, None),
        ({"name": "f"}, b"1"),
    ])
    layer = read_layer(gzip.compress(data))
    assert layer.get("dev/null") is None
    assert layer.get("f").data == b"1"


def test_later_entry_replaces_earlier():
    data = _tar([
        ({"name": "d", "type": tarfile.DIRTYPE, "mode": 0o700}, None),
        ({"name": "d/x"}, b"1"),
        ({"name": "d", "type": tarfile.DIRTYPE, "mode": 0o755, "mtime": 9}, None),
        ({"name": "f"}, b"old"),
        ({"name": "f"}, b"new"),
    ])
    layer = read_layer(data)
    assert layer.get("d").perm == 0o755 and layer.get("d/x").data == b"1"
    assert layer.get("f").data == b"new"


def test_reading_a_big_layer_is_fast():
    import time

    spec = {f"/usr/lib/pkg{i // 100}/file{i}": bytes(2000) for i in range(3000)}
    data = write_tree(tree_from_dict(spec))
    assert len(data) > 6_000_000
    t0 = time.perf_counter()
    layer = read_layer(data)
    elapsed = time.perf_counter() - t0
    assert layer.count == 3000 + 30 + 2
    assert elapsed < 2.0, elapsed


def test_an_empty_tree_is_dockers_empty_layer():
    """Two zero blocks and no record padding, as Go writes it: a step that
    changed nothing has moby's empty-layer DiffID and adds no layer."""
    from dockersim.sim.fs.tar import EMPTY_LAYER_DIFF_ID
    from dockersim.sim.ids import sha256_digest

    data = write_tree(Dir())
    assert data == b"\0" * 1024 and sha256_digest(data) == EMPTY_LAYER_DIFF_ID
    full = write_tree(tree_from_dict({"/a": b"x" * 700}))
    assert len(full) % 512 == 0 and full.endswith(b"\0" * 1024) and len(full) < 10240
