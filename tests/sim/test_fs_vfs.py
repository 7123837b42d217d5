"""The VFS: path walk (path_resolution(7)), permissions, open(2) flags,
rename(2), mounts, devices."""

import pytest

from dockersim.sim.abi import (
    Errno, O_APPEND, O_CREAT, O_DIRECTORY, O_EXCL, O_NOFOLLOW, O_RDONLY, O_RDWR, O_TRUNC,
    O_WRONLY, R_OK, W_OK, X_OK,
)
from dockersim.sim.errors import SimError
from dockersim.sim.fs import (
    CharDevice, Dir, File, MemFs, Overlay, Symlink, Vfs, make_devfs, make_tmpfs, read_layer,
    tree_from_dict, write_tree,
)


def errno_of(call):
    with pytest.raises(SimError) as e:
        call()
    return e.value.errno_value


@pytest.fixture
def vfs():
    fs = tree_from_dict({
        "/etc/passwd": b"root:x:0:0\n",
        "/bin/busybox": (b"BB", 0o755),
        "/bin/sh": Symlink("busybox"),
        "/lib": Symlink("/usr/lib"),
        "/usr/lib/libc.so": b"libc",
        "/loop/a": Symlink("b"),
        "/loop/b": Symlink("a"),
        "/loop/self": Symlink("self"),
        "/esc/up": Symlink("../../../../etc"),
        "/esc/abs": Symlink("/"),
        "/root/secret": (b"s", 0o600),
        "/home/user/notes": (b"n", 0o644, 1000, 1000),
        "/tmp": Dir(mode=0o1777),
        "/dangling": Symlink("/etc/newfile"),
    }, mtime=10.0)
    fs.get("/root").mode = 0o40700
    fs.get("/home/user").uid = 1000
    fs.get("/home/user").gid = 1000
    return Vfs(fs)


def test_relative_paths_dot_and_dotdot(vfs):
    assert vfs.read_bytes("passwd", cwd="/etc") == b"root:x:0:0\n"
    assert vfs.read_bytes("../etc/./passwd", cwd="/bin") == b"root:x:0:0\n"
    assert vfs.realpath("/../../etc/..//bin/") == "/bin"
    assert vfs.realpath(".", cwd="/usr/lib") == "/usr/lib"
    assert vfs.realpath("/lib/libc.so") == "/usr/lib/libc.so"
    assert vfs.realpath("/lib/..") == "/usr"  # .. after a symlink is the target's parent


def test_symlink_loops_give_eloop(vfs):
    assert errno_of(lambda: vfs.stat("/loop/a")) == Errno.ELOOP
    assert errno_of(lambda: vfs.read_bytes("/loop/self")) == Errno.ELOOP
    assert vfs.stat("/loop/a", follow=False).is_symlink


def test_forty_links_resolve_but_not_forty_one():
    spec = {f"/l{i}": Symlink(f"l{i + 1}") for i in range(41)}
    spec["/l41"] = b"end"
    v = Vfs(tree_from_dict(spec))
    assert v.read_bytes("/l1") == b"end"  # 40 links
    assert errno_of(lambda: v.read_bytes("/l0")) == Errno.ELOOP  # 41


def test_dotdot_and_absolute_symlinks_cannot_escape_the_root(vfs):
    assert vfs.realpath("/esc/up") == "/etc"
    assert vfs.listdir("/esc/abs/") == vfs.listdir("/")
    # a Vfs rooted at a subtree: "/" in a link means that root
    inner = Vfs(MemFs(vfs.root_fs.get("/esc")))
    assert inner.realpath("/abs/abs/..") == "/"
    assert inner.listdir("/abs/../../abs/") == ["abs", "up"]
    assert errno_of(lambda: inner.stat("/up/passwd")) == Errno.ENOENT


def test_errors_enoent_enotdir_trailing_slash(vfs):
    assert errno_of(lambda: vfs.stat("/nope/x")) == Errno.ENOENT
    assert errno_of(lambda: vfs.stat("/etc/passwd/x")) == Errno.ENOTDIR
    assert errno_of(lambda: vfs.stat("/etc/passwd/")) == Errno.ENOTDIR
    assert errno_of(lambda: vfs.stat("")) == Errno.ENOENT
    assert vfs.stat("/etc/").is_dir
    assert errno_of(lambda: vfs.listdir("/etc/passwd")) == Errno.ENOTDIR


def test_permissions_for_non_root(vfs):
    assert errno_of(lambda: vfs.stat("/root/secret", uid=1000, gid=1000)) == Errno.EACCES
    assert errno_of(lambda: vfs.listdir("/root", uid=1000, gid=1000)) == Errno.EACCES
    assert vfs.read_bytes("/root/secret") == b"s"  # root may
    assert errno_of(lambda: vfs.open("/etc/passwd", O_WRONLY, uid=1000, gid=1000)) == Errno.EACCES
    assert errno_of(lambda: vfs.write_bytes("/etc/new", b"x", uid=1000, gid=1000)) == Errno.EACCES
    assert errno_of(lambda: vfs.unlink("/etc/passwd", uid=1000, gid=1000)) == Errno.EACCES
    vfs.write_bytes("/home/user/mine", b"m", uid=1000, gid=1000)
    st = vfs.stat("/home/user/mine")
    assert (st.uid, st.gid, st.perm) == (1000, 1000, 0o644)
    assert vfs.access("/bin/busybox", X_OK, uid=1000)
    assert not vfs.access("/etc/passwd", X_OK)  # root needs some x bit to execute
    assert not vfs.access("/etc/passwd", W_OK, uid=1000)
    assert vfs.access("/etc/passwd", R_OK, uid=1000)
    assert errno_of(lambda: vfs.chmod("/etc/passwd", 0o777, uid=1000)) == Errno.EPERM
    assert errno_of(lambda: vfs.chown("/home/user/mine", 0, 0, uid=1000, gid=1000)) == Errno.EPERM
    vfs.chown("/home/user/mine", 2000, 2000)
    assert vfs.stat("/home/user/mine").uid == 2000


def test_sticky_tmp(vfs):
    vfs.write_bytes("/tmp/a", b"a", uid=1000, gid=1000)
    assert errno_of(lambda: vfs.unlink("/tmp/a", uid=1001, gid=1001)) == Errno.EPERM
    vfs.unlink("/tmp/a", uid=1000, gid=1000)


def test_open_flags(vfs):
    assert errno_of(lambda: vfs.open("/etc/passwd", O_WRONLY | O_CREAT | O_EXCL)) == Errno.EEXIST
    f = vfs.open("/etc/new", O_RDWR | O_CREAT | O_EXCL, 0o600)
    f.write(b"hello")
    f.seek(0)
    assert f.read() == b"hello"
    assert vfs.stat("/etc/new").perm == 0o600
    vfs.open("/etc/new", O_WRONLY | O_TRUNC)
    assert vfs.read_bytes("/etc/new") == b""
    a = vfs.open("/etc/new", O_WRONLY | O_APPEND)
    b = vfs.open("/etc/new", O_WRONLY | O_APPEND)
    a.write(b"1")
    b.write(b"2")
    a.write(b"3")
    assert vfs.read_bytes("/etc/new") == b"123"
    assert errno_of(lambda: vfs.open("/bin/sh", O_RDONLY | O_NOFOLLOW)) == Errno.ELOOP
    assert errno_of(lambda: vfs.open("/etc/passwd", O_RDONLY | O_DIRECTORY)) == Errno.ENOTDIR
    assert errno_of(lambda: vfs.open("/etc", O_WRONLY)) == Errno.EISDIR
    d = vfs.open("/etc", O_RDONLY | O_DIRECTORY)
    assert errno_of(lambda: d.read()) == Errno.EISDIR
    assert errno_of(lambda: vfs.open("/nope", O_RDONLY)) == Errno.ENOENT
    r = vfs.open("/etc/passwd", O_RDONLY)
    assert errno_of(lambda: r.write(b"x")) == Errno.EBADF
    assert r.read(4) == b"root" and r.tell() == 4
    # O_CREAT through a dangling symlink creates its target; O_EXCL refuses
    assert errno_of(lambda: vfs.open("/dangling", O_WRONLY | O_CREAT | O_EXCL)) == Errno.EEXIST
    vfs.write_bytes("/dangling", b"via link")
    assert vfs.read_bytes("/etc/newfile") == b"via link"
    # seek past the end then write leaves a hole of zeros
    h = vfs.open("/etc/hole", O_RDWR | O_CREAT)
    h.seek(3)
    h.write(b"x")
    assert vfs.read_bytes("/etc/hole") == b"\0\0\0x"
    h.truncate(1)
    assert vfs.stat("/etc/hole").size == 1


def test_mkdir_rmdir_unlink(vfs):
    vfs.mkdir("/srv/", 0o750)
    assert vfs.stat("/srv").perm == 0o750
    assert errno_of(lambda: vfs.mkdir("/srv")) == Errno.EEXIST
    assert errno_of(lambda: vfs.mkdir("/bin/sh")) == Errno.EEXIST
    assert errno_of(lambda: vfs.rmdir("/etc")) == Errno.ENOTEMPTY
    assert errno_of(lambda: vfs.rmdir("/etc/passwd")) == Errno.ENOTDIR
    assert errno_of(lambda: vfs.unlink("/etc")) == Errno.EISDIR
    assert errno_of(lambda: vfs.rmdir("/srv/.")) == Errno.EINVAL
    vfs.rmdir("/srv")
    vfs.unlink("/bin/sh")  # removes the link, not its target
    assert vfs.exists("/bin/busybox") and not vfs.exists("/bin/sh")
    assert vfs.stat("/").nlink == 2 + len([n for n in vfs.listdir("/") if vfs.stat("/" + n, follow=False).is_dir])


def test_rename(vfs):
    vfs.write_bytes("/etc/a", b"A")
    vfs.write_bytes("/etc/b", b"B")
    vfs.rename("/etc/a", "/etc/b")
    assert vfs.read_bytes("/etc/b") == b"A" and not vfs.exists("/etc/a")
    vfs.rename("/etc/b", "/tmp/moved")
    assert vfs.read_bytes("/tmp/moved") == b"A"
    assert errno_of(lambda: vfs.rename("/usr", "/usr/lib/inside")) == Errno.EINVAL
    assert errno_of(lambda: vfs.rename("/tmp/moved", "/etc")) == Errno.EISDIR
    assert errno_of(lambda: vfs.rename("/usr", "/etc/passwd")) == Errno.ENOTDIR
    assert errno_of(lambda: vfs.rename("/usr", "/etc")) == Errno.ENOTEMPTY
    vfs.mkdir("/empty")
    vfs.rename("/usr", "/empty")
    assert vfs.read_bytes("/empty/lib/libc.so") == b"libc"
    vfs.link("/etc/passwd", "/etc/passwd2")
    vfs.rename("/etc/passwd", "/etc/passwd2")  # same inode: nothing happens
    assert vfs.exists("/etc/passwd") and vfs.exists("/etc/passwd2")


def test_hard_links(vfs):
    vfs.link("/etc/passwd", "/etc/pw")
    assert vfs.stat("/etc/pw").ino == vfs.stat("/etc/passwd").ino
    assert vfs.stat("/etc/pw").nlink == 2
    vfs.write_bytes("/etc/pw", b"changed")
    assert vfs.read_bytes("/etc/passwd") == b"changed"
    vfs.unlink("/etc/passwd")
    assert vfs.stat("/etc/pw").nlink == 1
    assert errno_of(lambda: vfs.link("/etc", "/etc2")) == Errno.EPERM
    assert errno_of(lambda: vfs.link("/etc/pw", "/bin/busybox")) == Errno.EEXIST


def test_symlink_readlink_chmod_utime(vfs):
    vfs.symlink("../etc/passwd", "/bin/pw")
    assert vfs.readlink("/bin/pw") == "../etc/passwd"
    assert vfs.read_bytes("/bin/pw") == b"root:x:0:0\n"
    assert errno_of(lambda: vfs.readlink("/etc/passwd")) == Errno.EINVAL
    assert errno_of(lambda: vfs.symlink("x", "/bin/pw")) == Errno.EEXIST
    vfs.chmod("/bin/pw", 0o600)  # follows the link
    assert vfs.stat("/etc/passwd").perm == 0o600
    vfs.utime("/etc/passwd", 1234.0)
    assert vfs.stat("/etc/passwd").mtime == 1234.0


def test_mounts_and_dotdot_at_mount_root(vfs):
    tmp = make_tmpfs()
    vfs.mkdir("/mnt")
    vfs.mount("/mnt", tmp)
    vfs.write_bytes("/mnt/f", b"on tmpfs")
    assert tmp.get("/f").data == b"on tmpfs"
    assert vfs.realpath("/mnt/..") == "/"
    assert vfs.read_bytes("/mnt/../etc/passwd") == b"root:x:0:0\n"
    assert vfs.stat("/mnt").dev != vfs.stat("/").dev
    assert errno_of(lambda: vfs.rename("/mnt/f", "/etc/f")) == Errno.EXDEV
    assert errno_of(lambda: vfs.link("/mnt/f", "/etc/f")) == Errno.EXDEV
    assert errno_of(lambda: vfs.rmdir("/mnt")) == Errno.EBUSY
    clone = vfs.clone()
    vfs.umount("/mnt")
    assert vfs.listdir("/mnt") == []
    assert clone.read_bytes("/mnt/f") == b"on tmpfs"
    assert errno_of(lambda: vfs.umount("/mnt")) == Errno.EINVAL
    assert errno_of(lambda: vfs.mount("/nowhere", tmp)) == Errno.ENOENT
    vfs.mount("/data", tmp, create=True, readonly=True)
    assert errno_of(lambda: vfs.write_bytes("/data/g", b"x")) == Errno.EROFS


def test_remount_read_only_is_per_namespace(vfs):
    clone = vfs.clone()
    vfs.remount("/", readonly=True)
    assert errno_of(lambda: vfs.write_bytes("/new", b"x")) == Errno.EROFS
    assert errno_of(lambda: vfs.mkdir("/d")) == Errno.EROFS
    clone.write_bytes("/new", b"x")  # the other namespace's root mount is still writable
    assert vfs.read_bytes("/new") == b"x"
    assert errno_of(lambda: vfs.remount("/etc", readonly=True)) == Errno.EINVAL
    vfs.remount("/", readonly=False)
    vfs.mkdir("/d")


def test_single_file_mount(vfs):
    hosts = File(b"127.0.0.1 localhost\n")
    vfs.mount("/etc/hosts", hosts, create=True)
    assert vfs.read_bytes("/etc/hosts") == b"127.0.0.1 localhost\n"
    vfs.write_bytes("/etc/hosts", b"10.0.0.2 web\n", append=True)
    assert hosts.data == b"127.0.0.1 localhost\n10.0.0.2 web\n"
    assert errno_of(lambda: vfs.unlink("/etc/hosts")) == Errno.EBUSY
    assert errno_of(lambda: vfs.stat("/etc/hosts/x")) == Errno.ENOTDIR
    assert errno_of(lambda: vfs.mount("/etc", File(b""))) == Errno.ENOTDIR


def test_devfs():
    root = Overlay([read_layer(write_tree(tree_from_dict({"/dev": None, "/bin/sh": b"x"})))])
    v = Vfs(root)
    v.mount("/dev", make_devfs())
    assert v.listdir("/dev") == ["fd", "null", "pts", "shm", "stderr", "stdin", "stdout", "tty", "zero"]
    null = v.open("/dev/null", O_RDWR)
    assert null.write(b"discarded") == 9 and null.read() == b""
    assert v.open("/dev/zero", O_RDONLY).read(4) == b"\0\0\0\0"
    st = v.stat("/dev/null")
    assert st.is_chardev and st.rdev == (1 << 8) | 3
    tty = v.open("/dev/tty", O_RDWR)
    assert isinstance(tty.inode, CharDevice) and (tty.inode.major, tty.inode.minor) == (5, 0)
    assert errno_of(lambda: tty.read(1)) == Errno.ENXIO
    assert v.stat("/dev/shm").perm == 0o1777
    assert root.changes() == []


def test_overlay_rootfs_with_uid_and_escape():
    base = read_layer(write_tree(tree_from_dict({
        "/app/run": (b"#!/bin/sh\n", 0o755, 1000, 1000),
        "/app/private": Dir(mode=0o700, uid=0, gid=0),
        "/app/link": Symlink("../../../../../../etc/shadow"),
        "/etc/shadow": (b"root:*", 0o640),
    })))
    v = Vfs(Overlay([base]))
    assert v.realpath("/app/link") == "/etc/shadow"
    assert errno_of(lambda: v.read_bytes("/app/link", uid=1000, gid=1000)) == Errno.EACCES
    assert errno_of(lambda: v.write_bytes("/app/private/x", b"", uid=1000, gid=1000)) == Errno.EACCES
    v.write_bytes("/app/out", b"ok", uid=0)
    assert v.read_bytes("/app/run", uid=1000) == b"#!/bin/sh\n"
