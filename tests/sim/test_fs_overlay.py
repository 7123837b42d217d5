"""overlayfs semantics: merged lookups, whiteouts, opaque dirs, copy-up that
never touches the shared lower layers, and the exported upper layer."""

import io
import tarfile

import pytest

from dockersim.sim.abi import Errno, O_RDWR, O_WRONLY
from dockersim.sim.errors import SimError
from dockersim.sim.fs import Dir, LayerTree, Overlay, Symlink, Vfs, Whiteout, read_layer, tree_from_dict, write_tree


def layer(spec, mtime=100.0):
    return read_layer(write_tree(tree_from_dict(spec, mtime=mtime)))


def raw_layer(entries):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tf:
        for name, data in entries:
            ti = tarfile.TarInfo(name)
            if data is None:
                ti.type = tarfile.DIRTYPE
                ti.mode = 0o755
                tf.addfile(ti)
            else:
                ti.size = len(data)
                tf.addfile(ti, io.BytesIO(data))
    return read_layer(buf.getvalue())


@pytest.fixture
def base():
    return layer({
        "/etc/passwd": b"root:x:0:0\n",
        "/etc/motd": b"welcome\n",
        "/var/cache/a": b"a",
        "/var/cache/b": b"b",
        "/bin/busybox": (b"BB", 0o755),
        "/bin/sh": Symlink("busybox"),
        "/opt/app/lib/x.so": b"x",
    })


def test_upper_layers_shadow_lower_and_dirs_merge(base):
    top = layer({"/etc/motd": b"changed\n", "/etc/extra": b"e"})
    v = Vfs(Overlay([top, base]))
    assert v.read_bytes("/etc/motd") == b"changed\n"
    assert v.listdir("/etc") == ["extra", "motd", "passwd"]


def test_whiteout_in_a_layer_hides_lower_file(base):
    top = raw_layer([("etc/", None), ("etc/.wh.motd", b"")])
    v = Vfs(Overlay([top, base]))
    assert v.listdir("/etc") == ["passwd"]
    with pytest.raises(SimError) as e:
        v.stat("/etc/motd")
    assert e.value.errno_value == Errno.ENOENT


def test_opaque_dir_hides_lower_contents(base):
    top = raw_layer([("var/cache/", None), ("var/cache/.wh..wh..opq", b""), ("var/cache/c", b"c")])
    v = Vfs(Overlay([top, base]))
    assert v.listdir("/var/cache") == ["c"]
    assert not v.exists("/var/cache/a")


def test_copy_up_leaves_lower_untouched(base):
    before = write_tree(base)
    o1 = Overlay([base])
    v1 = Vfs(o1)
    v1.write_bytes("/etc/passwd", b"user:x:1000:1000\n", append=True)
    v1.chmod("/etc/motd", 0o600)
    v1.unlink("/etc/motd")
    v1.rename("/var/cache/a", "/var/cache/z")
    v1.mkdir("/opt/app/lib/new")
    assert v1.read_bytes("/etc/passwd") == b"root:x:0:0\nuser:x:1000:1000\n"
    # A second container over the same layers sees the original.
    v2 = Vfs(Overlay([base]))
    assert v2.read_bytes("/etc/passwd") == b"root:x:0:0\n"
    assert v2.listdir("/etc") == ["motd", "passwd"]
    assert v2.listdir("/var/cache") == ["a", "b"]
    assert write_tree(base) == before


def test_copy_up_keeps_metadata_and_inode_number(base):
    o = Overlay([base], now=lambda: 500.0)
    v = Vfs(o)
    st = v.stat("/etc/passwd")
    f = v.open("/etc/passwd", O_RDWR)
    assert o.upper_root.entries["etc"].mtime == 100.0  # parent copied up with its metadata
    assert v.stat("/etc").mtime == 100.0
    f.seek(0, 2)
    f.write(b"more")
    st2 = v.stat("/etc/passwd")
    assert st2.ino == st.ino and st2.mode == st.mode and st2.mtime == 500.0


def test_readonly_open_does_not_copy_up(base):
    o = Overlay([base])
    v = Vfs(o)
    v.read_bytes("/etc/passwd")
    v.stat("/bin/sh")
    v.listdir("/var/cache")
    assert o.upper_root.entries == {}
    assert o.changes() == []


def test_delete_leaves_whiteout_and_recreate(base):
    o = Overlay([base])
    v = Vfs(o)
    v.unlink("/etc/motd")
    assert isinstance(o.upper_root.entries["etc"].entries["motd"], Whiteout)
    assert v.listdir("/etc") == ["passwd"]
    v.write_bytes("/etc/motd", b"again")
    assert v.read_bytes("/etc/motd") == b"again"
    # removing an upper-only file leaves no whiteout
    v.write_bytes("/etc/fresh", b"f")
    v.unlink("/etc/fresh")
    assert "fresh" not in o.upper_root.entries["etc"].entries


def test_rmdir_and_mkdir_over_lower_dir_is_opaque(base):
    o = Overlay([base])
    v = Vfs(o)
    with pytest.raises(SimError) as e:
        v.rmdir("/var/cache")
    assert e.value.errno_value == Errno.ENOTEMPTY
    v.unlink("/var/cache/a")
    v.unlink("/var/cache/b")
    v.rmdir("/var/cache")
    assert v.listdir("/var") == []
    v.mkdir("/var/cache")
    assert v.listdir("/var/cache") == []
    assert o.upper_root.entries["var"].entries["cache"].opaque


def test_rename_lower_dir_copies_subtree(base):
    o = Overlay([base])
    v = Vfs(o)
    v.rename("/opt/app", "/opt/app2")
    assert v.read_bytes("/opt/app2/lib/x.so") == b"x"
    assert v.listdir("/opt") == ["app2"]
    assert Vfs(Overlay([base])).listdir("/opt") == ["app"]


def test_rename_file_over_lower_file(base):
    o = Overlay([base])
    v = Vfs(o)
    v.rename("/etc/motd", "/etc/passwd")
    assert v.read_bytes("/etc/passwd") == b"welcome\n"
    assert v.listdir("/etc") == ["passwd"]


def test_hard_link_in_overlay(base):
    o = Overlay([base])
    v = Vfs(o)
    v.link("/etc/passwd", "/etc/passwd.bak")
    v.write_bytes("/etc/passwd", b"new")
    assert v.read_bytes("/etc/passwd.bak") == b"new"
    assert v.stat("/etc/passwd").nlink == 2


def test_upper_diff_tar_and_changes(base):
    t = [200.0]
    o = Overlay([base], now=lambda: t[0])
    v = Vfs(o)
    v.write_bytes("/etc/passwd", b"root:x:0:0\nu:x:1:1\n", append=False)
    v.unlink("/etc/motd")
    v.mkdir("/srv")
    v.write_bytes("/srv/index.html", b"<h1>hi</h1>")
    v.unlink("/var/cache/a")
    v.unlink("/var/cache/b")
    v.rmdir("/var/cache")
    v.mkdir("/var/cache")
    v.write_bytes("/var/cache/c", b"c")
    diff = o.upper_diff_tar()
    assert diff == o.upper_diff_tar()
    members = {m.name: m for m in tarfile.open(fileobj=io.BytesIO(diff))}
    assert set(members) == {
        "etc", "etc/.wh.motd", "etc/passwd", "srv", "srv/index.html",
        "var", "var/cache", "var/cache/.wh..wh..opq", "var/cache/c",
    }
    # applying the diff as a layer gives the container's view
    v2 = Vfs(Overlay([read_layer(diff), base]))
    for path in ["/etc", "/srv", "/var/cache", "/"]:
        assert v2.listdir(path) == v.listdir(path)
    assert v2.read_bytes("/etc/passwd") == v.read_bytes("/etc/passwd")
    assert o.changes() == [
        ("C", "/etc"),
        ("D", "/etc/motd"),
        ("C", "/etc/passwd"),
        ("A", "/srv"),
        ("A", "/srv/index.html"),
        ("C", "/var"),
        ("C", "/var/cache"),
        ("D", "/var/cache/a"),
        ("D", "/var/cache/b"),
        ("A", "/var/cache/c"),
    ]


def test_restore_upper_from_diff(base):
    o = Overlay([base])
    v = Vfs(o)
    v.unlink("/etc/motd")
    v.write_bytes("/new", b"n")
    saved = o.upper_diff_tar()
    o2 = Overlay([base], upper=read_layer(saved).root)
    v2 = Vfs(o2)
    assert v2.listdir("/etc") == ["passwd"]
    assert v2.read_bytes("/new") == b"n"
    assert o2.upper_diff_tar() == saved


def test_layer_from_tree_as_init_layer(base):
    init = LayerTree.from_tree(tree_from_dict({"/etc/hostname": b"", "/dev": None, "/proc": None}))
    o = Overlay([init, base])
    v = Vfs(o)
    assert v.listdir("/") == ["bin", "dev", "etc", "opt", "proc", "var"]
    assert o.changes() == []


def test_readonly_overlay_refuses_writes(base):
    v = Vfs(Overlay([base], readonly=True))
    for call in (
        lambda: v.open("/etc/passwd", O_WRONLY),
        lambda: v.mkdir("/x"),
        lambda: v.unlink("/etc/motd"),
    ):
        with pytest.raises(SimError) as e:
            call()
        assert e.value.errno_value == Errno.EROFS


def test_symlink_to_dir_in_lower_followed(base):
    top = layer({"/usr/bin": None, "/sbin": Symlink("/usr/bin")})
    v = Vfs(Overlay([top, base]))
    v.write_bytes("/sbin/tool", b"t")
    assert v.listdir("/usr/bin") == ["tool"]
    assert isinstance(Overlay([top, base]).lookup(Overlay([top, base]).root_node(), "usr").real, Dir)


def test_every_change_of_the_upper_tree_is_announced_and_reads_are_not(base):
    calls = []
    v = Vfs(Overlay([base], on_change=lambda: calls.append(1)))
    v.read_bytes("/etc/passwd")
    v.stat("/etc/motd")
    v.listdir("/var/cache")
    f = v.open("/etc/motd", O_RDWR)
    assert calls  # opening for writing copies up
    calls.clear()
    f.read()
    assert calls == []
    f.write(b"x")  # a write through a file opened earlier counts too
    assert calls
    changes = [lambda: v.mkdir("/d"), lambda: v.unlink("/etc/motd"), lambda: v.chmod("/etc/passwd", 0o600),
               lambda: v.rename("/var/cache/a", "/var/cache/c"), lambda: v.symlink("x", "/l"),
               lambda: v.link("/var/cache/b", "/hard"), lambda: v.rmdir("/d")]
    for change in changes:
        calls.clear()
        change()
        assert calls, change
