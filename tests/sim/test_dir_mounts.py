"""Directory mounts of the runtime spec (volumes, binds, tmpfs), with an
in-memory filesystem standing in for the host directory the daemon
would inject."""

from dockersim.sim.abi import O_APPEND, O_RDWR, O_TRUNC, O_WRONLY
from dockersim.sim.fs.memfs import LiveFile, MemFs, tree_from_dict
from dockersim.sim.fs.vfs import Vfs
from dockersim.sim.runtime.spec import ContainerSpec, DirMount, ProcessSpec, RootSpec

from .helpers import boot_machine, run_to_exit
from .test_runtime import _machine


def _run(machine, argv, dir_mounts):
    spec = ContainerSpec("c" * 64, ProcessSpec(argv), RootSpec(["sha256:x"]), "box",
                         dir_mounts=dir_mounts)
    return run_to_exit(machine, machine.runtime.create(spec))


def test_a_bind_mount_shows_the_sources_files_and_writes_reach_it():
    machine = _machine()
    host = tree_from_dict({"/a": b"from host\n", "/sub/": None})
    code, out, err = _run(machine, ["sh", "-c", "cat /data/a; echo new > /data/b; ls /data; "
                                                "grep ' /data ' /proc/mounts"],
                          (DirMount("/data", host, kind="bind"),))
    assert code == 0, err
    assert out.splitlines()[:4] == ["from host", "a", "b", "sub"]
    assert bytes(host.get("/b").data) == b"new\n"


def test_a_readonly_mount_refuses_writes_with_erofs():
    machine = _machine()
    host = tree_from_dict({"/a": b"x"})
    code, out, err = _run(machine, ["sh", "-c", "echo y > /data/a"],
                          (DirMount("/data", host, readonly=True, kind="bind"),))
    assert code != 0 and "Read-only file system" in err
    assert bytes(host.get("/a").data) == b"x"


def test_links_in_a_mount_resolve_in_the_containers_namespace():
    machine = _machine()
    host = tree_from_dict({})
    host.makedirs("/d")
    from dockersim.sim.fs.memfs import Symlink
    host.put("/esc", Symlink("../../etc/hostname-nope"))
    code, out, err = _run(machine, ["sh", "-c", "cat /data/esc; cd /data/..; pwd"],
                          (DirMount("/mnt/data", host, kind="bind"),))
    assert "No such file or directory" in err


def test_tmpfs_mounts_have_their_size_and_mode_and_missing_mount_points_are_made():
    machine = _machine()
    code, out, err = _run(machine, ["sh", "-c", "grep /deep/run /proc/mounts; stat -c %a /deep/run"],
                          (DirMount("/deep/run", kind="tmpfs", size=64 << 20, mode=0o755),))
    assert code == 0, err
    assert out == "tmpfs /deep/run tmpfs rw,nosuid,nodev,relatime,size=65536k,mode=755,inode64 0 0\n755\n"


def test_copy_up_fills_an_empty_volume_from_the_image_but_not_a_full_one():
    machine = _machine()
    empty = MemFs()
    code, _, err = _run(machine, ["true"], (DirMount("/etc", empty, kind="volume", copy_up=True),))
    assert code == 0, err
    assert empty.get("/passwd") is not None
    full = tree_from_dict({"/mine": b"1"})
    _run(machine, ["true"], (DirMount("/etc", full, kind="volume", copy_up=True),))
    assert full.get("/passwd") is None


class _Live(LiveFile):
    """A file whose bytes live in a bytearray outside the inode."""

    def __init__(self, store):
        self.mode, self.uid, self.gid, self.mtime, self.nlink, self.ino = 0o100644, 0, 0, 0.0, 1, 7
        self.store = store

    @property
    def size(self):
        return len(self.store)

    def pread(self, pos, n):
        return bytes(self.store[pos:] if n < 0 else self.store[pos:pos + n])

    def pwrite(self, pos, data):
        self.store[pos:pos + len(data)] = data

    def resize(self, n):
        del self.store[n:]
        self.store.extend(bytes(n - len(self.store)))


class _LiveFs(MemFs):
    def open_inode(self, node, *, write):
        super().open_inode(node, write=write)
        return _Live(self.outside)


def test_open_files_of_a_live_file_read_and_write_through():
    fs = _LiveFs(tree_from_dict({"/f": b""}).root)
    fs.outside = bytearray(b"hello")
    vfs = Vfs(MemFs())
    vfs.mkdir("/m")
    vfs.mount("/m", fs)
    f = vfs.open("/m/f", O_RDWR)
    assert f.read(2) == b"he"
    fs.outside[:] = b"HELLO world"  # changed outside: seen at once
    assert f.read() == b"LLO world"
    vfs.open("/m/f", O_WRONLY | O_APPEND).write(b"!")
    assert fs.outside == bytearray(b"HELLO world!")
    vfs.open("/m/f", O_WRONLY | O_TRUNC).write(b"x")
    assert fs.outside == bytearray(b"x")


# -- image mounts (--mount type=image) -------------------------------------------

def _image_machine():
    from dockersim.sim.fs.memfs import Symlink

    return boot_machine({"/opt/data/file": "in the image\n", "/opt/rel": Symlink("data"),
                         "/opt/up": Symlink("../opt/data"), "/opt/abs": Symlink("/opt/data"),
                         "/opt/loop": Symlink("loop")})


def test_an_image_mount_shows_the_images_layers_read_only():
    machine = _image_machine()
    code, out, err = _run(machine, ["sh", "-c", "cat /img/opt/data/file; echo x > /img/opt/new; "
                                                "grep ' /img ' /proc/mounts; ls /img/opt"],
                          (DirMount("/img", None, True, "image", layers=("sha256:x",)),))
    lines = out.splitlines()
    assert lines[0] == "in the image"
    assert "Read-only file system" in err
    assert lines[1] == "overlay /img overlay ro,relatime 0 0"
    assert lines[2:] == ["abs", "data", "loop", "rel", "up"]


def test_an_image_mount_of_a_subpath_shows_that_directory_or_file():
    machine = _image_machine()
    code, out, err = _run(machine, ["sh", "-c", "ls /d; cat /f; rm /d/file"],
                          (DirMount("/d", None, True, "image", layers=("sha256:x",), subpath="opt/data"),
                           DirMount("/f", None, True, "image", layers=("sha256:x",),
                                    subpath="opt/data/file")))
    assert out == "file\nin the image\n"
    assert "Read-only file system" in err


def test_subpaths_resolve_as_safepath_join():
    from dockersim.sim.runtime.imagemount import SubpathError

    runtime = _image_machine().runtime
    resolve = lambda sub: runtime.image_subpath(("sha256:x",), sub)  # noqa: E731
    assert resolve("opt/rel") == "opt/data"
    assert resolve("opt/up/file") == "opt/data/file"
    assert resolve("opt/./data/..") == "opt"
    for sub, kind, failed in (("opt/nope/x", "missing", "opt/nope"), ("opt/rel/nope", "missing", "opt/data/nope"),
                              ("opt/data/file/x", "notdir", ""), ("opt/abs", "escapes", ""),
                              ("opt/../..", "escapes", ""), ("opt/loop", "loop", "")):
        try:
            resolve(sub)
        except SubpathError as err:
            assert (err.kind, err.failed) == (kind, failed), sub
        else:
            raise AssertionError(sub)


def test_a_volume_subpath_mounts_that_directory_of_the_volumes_own_files():
    """``volume-subpath``: the runtime mounts the directory (or file) the
    daemon resolved, of the volume's own filesystem: writes land in the
    volume below it, read-only refuses them, copy-up fills the (empty)
    subdirectory and not the volume's root."""
    from dockersim.sim.runtime.imagemount import resolve_subpath

    machine = _machine()
    vol = tree_from_dict({"/top": b"t", "/sub/x": b"in sub\n", "/sub/f": b"a file\n", "/empty/": None})
    parts, _ = resolve_subpath(vol, "sub")
    code, out, err = _run(machine, ["sh", "-c", "ls /d; cat /d/x; echo y > /d/y; cat /f"],
                          (DirMount("/d", vol, kind="volume", subpath="/".join(parts)),
                           DirMount("/f", vol, kind="volume", subpath="sub/f")))
    assert code == 0, err
    assert out == "f\nx\nin sub\na file\n"
    assert bytes(vol.get("/sub/y").data) == b"y\n" and vol.get("/y") is None
    code, _, err = _run(machine, ["sh", "-c", "echo z > /d/z"],
                        (DirMount("/d", vol, readonly=True, kind="volume", subpath="sub"),))
    assert code != 0 and "Read-only file system" in err and vol.get("/sub/z") is None
    code, _, err = _run(machine, ["true"], (DirMount("/etc", vol, kind="volume", copy_up=True, subpath="empty"),))
    assert code == 0, err
    assert vol.get("/empty/passwd") is not None and vol.get("/passwd") is None


def test_a_scoped_resolution_stays_in_the_root():
    """``scoped``: as moby resolves a path in a container's root (an
    absolute link from the root again, ``..`` stops there)."""
    from dockersim.sim.runtime.imagemount import resolve_subpath

    runtime = _image_machine().runtime
    tree = runtime.image_tree(("sha256:x",))
    assert resolve_subpath(tree, "/opt/abs/file", scoped=True)[0] == ("opt", "data", "file")
    assert resolve_subpath(tree, "../../opt/up", scoped=True)[0] == ("opt", "data")
