"""docker cp / docker export on the filesystem side (sim/fs/archive.py):
stat, archive and extract inside a container's copy view, and the flattened
export of its root filesystem."""

import base64
import bz2
import gzip
import io
import json
import lzma
import tarfile

import pytest

from dockersim.sim.clock import ManualClock
from dockersim.sim.fs.archive import (
    MODE_CHAR_DEVICE, MODE_DEVICE, MODE_DIR, MODE_SETUID, MODE_STICKY, MODE_SYMLINK,
    ArchiveError, PathStat, archive_path, copy_view, export_rootfs, extract_archive,
    go_file_mode, rfc3339_nano, stat_path,
)
from dockersim.sim.fs.memfs import Dir, File, MemFs, Symlink, make_devfs, tree_from_dict
from dockersim.sim.fs.overlay import Overlay
from dockersim.sim.fs.procfs import ProcFs
from dockersim.sim.fs.tar import LayerTree
from dockersim.sim.fs.vfs import Vfs
from dockersim.sim.runtime.sandbox import Runtime

from .helpers import GROUP, PASSWD, boot

IMAGE_TIME = 1_699_990_000.0  # 2023-11-14T19:26:40Z
MOUNT_TIME = 1_700_000_000.25
HOSTS = b"127.0.0.1\tlocalhost\n172.17.0.2\tc1\n"


class Container:
    """A container's mount namespace as `Runtime.start` builds it: an
    overlay (init layer over one image layer) at /, a devfs at /dev, the
    three network files bind-mounted, procfs at /proc."""

    def __init__(self, extra=None):
        self.clock = ManualClock(MOUNT_TIME)
        busybox = File(b"\x7fELF<dockersim:busybox>", mode=0o755)
        spec = {
            "/etc/passwd": PASSWD + "www-data:x:33:33:www-data:/var/www:/bin/false\n",
            "/etc/group": GROUP + "www-data:x:33:\n",
            "/bin/busybox": busybox,
            "/bin/sh": busybox,
            "/bin/ls": Symlink("busybox"),
            "/tmp": Dir(mode=0o1777),
            "/data/a.txt": (b"alpha", 0o640, 1000, 1000),
            "/data/sub/b.txt": b"beta",
            "/data/link": Symlink("sub"),
            "/up": Symlink("../../etc"),
            "/abs": Symlink("/etc"),
            "/dangling": Symlink("nosuch/x"),
            "/tmp/out": Symlink("../../../../"),
            "/usr/bin/su": (b"su", 0o4755),
        }
        spec.update(extra or {})
        self.image = LayerTree.from_tree(tree_from_dict(spec, mtime=IMAGE_TIME))
        self.init = Runtime(None, None, None).init_layer()
        self.overlay = Overlay([self.init, self.image], now=self.clock.now)
        vfs = self.vfs = Vfs(self.overlay)
        vfs.mount("/dev", make_devfs(self.clock.now))
        for path, data in (("/etc/hostname", b"c1\n"), ("/etc/hosts", HOSTS),
                           ("/etc/resolv.conf", b"nameserver 8.8.8.8\n")):
            vfs.mount(path, File(data, mode=0o644, mtime=self.clock.now()))
        kernel, nsset = boot()
        vfs.mount("/proc", ProcFs(kernel, nsset.pid, nsset.uts))

    def stat(self, path):
        return stat_path(self.vfs, path, container="c1")

    def archive(self, path):
        return archive_path(self.vfs, path, container="c1")

    def extract(self, path, data, *, no_overwrite=True, copy_uid_gid=False, user="",
                readonly_rootfs=False):
        if readonly_rootfs:  # --read-only: runc's read-only root mount
            self.vfs.remount("/", readonly=True)
        extract_archive(self.vfs, path, data, no_overwrite_dir_non_dir=no_overwrite,
                        copy_uid_gid=copy_uid_gid, user=user, container="c1")


def error_of(call) -> ArchiveError:
    with pytest.raises(ArchiveError) as e:
        call()
    return e.value


def members(data: bytes):
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as tf:
        return [(m, tf.extractfile(m).read() if m.isreg() else None) for m in tf.getmembers()]


def raw_names(data: bytes):
    """Member names as written (Python's tarfile strips a directory's
    trailing slash when reading; the raw header keeps it)."""
    out, off = [], 0
    while off + 512 <= len(data) and data[off:off + 512] != bytes(512):
        ti = tarfile.TarInfo.frombuf(data[off:off + 512], "utf-8", "surrogateescape")
        out.append(data[off:off + 100].rstrip(b"\0").decode())
        off += 512 + (ti.size + 511) // 512 * 512
    return out


def make_tar(*entries, compress=None) -> bytes:
    """entries: (name, kind, extra dict); kind: file/dir/sym/link/other."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tf:
        for name, kind, extra in entries:
            ti = tarfile.TarInfo(name)
            ti.mtime = extra.get("mtime", 1_600_000_000)
            ti.mode = extra.get("mode", 0o755 if kind == "dir" else 0o644)
            ti.uid, ti.gid = extra.get("uid", 0), extra.get("gid", 0)
            data = None
            if kind == "dir":
                ti.type = tarfile.DIRTYPE
            elif kind == "sym":
                ti.type, ti.linkname = tarfile.SYMTYPE, extra["target"]
            elif kind == "link":
                ti.type, ti.linkname = tarfile.LNKTYPE, extra["target"]
            elif kind == "other":
                ti.type = extra["type"]
            else:
                data = extra.get("data", b"")
                ti.size = len(data)
            tf.addfile(ti, io.BytesIO(data) if data is not None else None)
    raw = buf.getvalue()
    return {None: raw, "gz": gzip.compress(raw), "bz2": bz2.compress(raw),
            "xz": lzma.compress(raw, format=lzma.FORMAT_XZ)}[compress]


def f(name, data=b"", **kw):
    return (name, "file", {"data": data, **kw})


def d(name, **kw):
    return (name, "dir", kw)


def sym(name, target, **kw):
    return (name, "sym", {"target": target, **kw})


def hard(name, target, **kw):
    return (name, "link", {"target": target, **kw})


# --------------------------------------------------------------------------
# Go's FileMode and the stat header


@pytest.mark.parametrize("unix, go", [
    (0o100644, 0o644),
    (0o040755, MODE_DIR | 0o755),
    (0o041777, MODE_DIR | MODE_STICKY | 0o777),
    (0o120777, MODE_SYMLINK | 0o777),
    (0o104755, MODE_SETUID | 0o755),
    (0o020666, MODE_DEVICE | MODE_CHAR_DEVICE | 0o666),
])
def test_go_file_mode(unix, go):
    assert go_file_mode(unix) == go


def test_mode_values_are_gos():
    assert (MODE_DIR, MODE_SYMLINK) == (2147483648, 134217728)
    assert go_file_mode(0o040755) == 2147484141


def test_rfc3339_nano():
    assert rfc3339_nano(0) == "1970-01-01T00:00:00Z"
    assert rfc3339_nano(1_700_000_000.25) == "2023-11-14T22:13:20.25Z"
    assert rfc3339_nano(1_700_000_000) == "2023-11-14T22:13:20Z"


def test_stat_header_is_base64_of_gos_json():
    st = PathStat("a<b>&c", 3, 0o644, 1_700_000_000.5, "")
    raw = base64.b64decode(st.header_value()).decode()
    assert raw == ('{"name":"a\\u003cb\\u003e\\u0026c","size":3,"mode":420,'
                   '"mtime":"2023-11-14T22:13:20.5Z","linkTarget":""}')


# --------------------------------------------------------------------------
# stat (HEAD /containers/{id}/archive)


def test_stat_file():
    c = Container()
    st = c.stat("/etc/passwd")
    assert (st.name, st.mode, st.link_target) == ("passwd", 0o644, "")
    assert st.size == len(c.vfs.read_bytes("/etc/passwd"))
    assert st.to_json()["mtime"] == "2023-11-14T19:26:40Z"


def test_stat_directory_and_relative_path():
    c = Container()
    st = c.stat("data")
    assert (st.name, st.mode, st.size) == ("data", MODE_DIR | 0o755, 4096)
    assert c.stat("/tmp").mode == MODE_DIR | MODE_STICKY | 0o777
    assert c.stat("/usr/bin/su").mode == MODE_SETUID | 0o755


def test_stat_symlink_reports_the_link_and_its_resolved_target():
    c = Container()
    st = c.stat("/bin/ls")
    assert st.mode == MODE_SYMLINK | 0o777 and st.size == len("busybox")
    assert st.link_target == "/bin/busybox"
    assert c.stat("/data/link").link_target == "/data/sub"


@pytest.mark.parametrize("path, target", [
    ("/up", "/etc"),           # ../../etc cannot climb above the container's root
    ("/abs", "/etc"),          # an absolute target is the container's /etc
    ("/dangling", "/nosuch/x"),  # resolved as far as it goes
    ("/tmp/out", "/"),
])
def test_stat_link_targets_stay_inside_the_root(path, target):
    assert Container().stat(path).link_target == target


def test_stat_trailing_separator_and_dot():
    c = Container()
    st = c.stat("/data/link/")
    assert (st.name, st.mode, st.link_target) == ("link", MODE_DIR | 0o755, "")
    assert c.stat("/data/.").name == "."
    assert c.stat("/").name == "/"


def test_stat_errors():
    c = Container()
    e = error_of(lambda: c.stat("/nosuch"))
    assert (e.status, e.message) == (404, "Could not find the file /nosuch in container c1")
    e = error_of(lambda: c.stat("/etc/passwd/x"))
    assert (e.status, e.message) == (500, "lstat /etc/passwd/x: not a directory")
    e = error_of(lambda: c.stat("/etc/passwd/"))
    assert (e.status, e.message) == (500, "lstat /etc/passwd/: not a directory")
    e = error_of(lambda: c.stat(""))
    assert (e.status, e.message) == (400, "bad parameter: pathcannot be empty")


def test_the_copy_view_has_no_proc_or_dev_contents_but_the_bind_mounted_files():
    c = Container()
    assert c.vfs.exists("/proc/cpuinfo") and c.vfs.exists("/dev/null")
    assert error_of(lambda: c.stat("/proc/cpuinfo")).status == 404
    assert error_of(lambda: c.stat("/dev/null")).status == 404
    assert c.stat("/proc").mode == MODE_DIR | 0o755
    assert c.stat("/etc/hosts").size == len(HOSTS)
    assert [m.path for m in copy_view(c.vfs).mounts()] == [
        "/", "/etc/hostname", "/etc/hosts", "/etc/resolv.conf"]


# --------------------------------------------------------------------------
# archive (GET /containers/{id}/archive)


def test_archive_of_a_file():
    c = Container()
    st, data = c.archive("/data/a.txt")
    assert st.name == "a.txt"
    [(m, content)] = members(data)
    assert (m.name, content, m.mode, m.uid, m.gid) == ("a.txt", b"alpha", 0o640, 1000, 1000)
    assert (m.uname, m.gname, m.mtime) == ("", "", int(IMAGE_TIME))
    # Go's tar.Writer: the entry, then two zero blocks, no record padding.
    assert len(data) == 512 + 512 + 1024 and data[-1024:] == bytes(1024)


def test_archive_of_a_directory_is_rebased_to_its_name():
    c = Container()
    st, data = c.archive("/data")
    assert st.is_dir
    assert raw_names(data) == ["data/", "data/a.txt", "data/link", "data/sub/", "data/sub/b.txt"]
    got = {m.name: (m, content) for m, content in members(data)}
    assert got["data/link"][0].issym() and got["data/link"][0].linkname == "sub"
    assert got["data/sub/b.txt"][1] == b"beta"


def test_archive_of_dir_dot_is_its_contents():
    _, data = Container().archive("/data/.")
    assert raw_names(data) == ["./", "./a.txt", "./link", "./sub/", "./sub/b.txt"]


def test_archive_of_a_symlink_is_the_link_unless_a_separator_follows_it():
    c = Container()
    st, data = c.archive("/data/link")
    assert st.is_symlink and st.link_target == "/data/sub"
    [(m, _)] = members(data)
    assert (m.name, m.issym(), m.linkname) == ("link", True, "sub")
    st, data = c.archive("/data/link/")
    assert st.is_dir
    assert raw_names(data) == ["link/", "link/b.txt"]


def test_archive_through_a_symlinked_directory():
    _, data = Container().archive("/abs/passwd")
    [(m, content)] = members(data)
    assert m.name == "passwd" and content.startswith(b"root:x:0:0")


def test_archive_writes_hard_links_once():
    _, data = Container().archive("/bin")
    got = {m.name: m for m, _ in members(data)}
    assert got["bin/busybox"].isreg() and got["bin/busybox"].size > 0
    assert got["bin/sh"].islnk() and got["bin/sh"].linkname == "bin/busybox"


def test_archive_of_etc_has_the_bind_mounted_files():
    _, data = Container().archive("/etc")
    got = {m.name: content for m, content in members(data)}
    assert got["etc/hosts"] == HOSTS and got["etc/hostname"] == b"c1\n"


def test_archive_of_the_root_has_absolute_names():
    _, data = Container().archive("/")
    names = raw_names(data)
    assert names[0] == "/" and "/bin/" in names and "/data/a.txt" in names
    assert not any(n.startswith("/proc/") and n != "/proc/" for n in names)


def test_archive_not_found():
    e = error_of(lambda: Container().archive("nosuch/"))
    assert (e.status, e.message) == (404, "Could not find the file nosuch/ in container c1")


# --------------------------------------------------------------------------
# extract (PUT /containers/{id}/archive)


def test_extract_files_dirs_and_links():
    c = Container()
    c.extract("/tmp", make_tar(
        d("new", mode=0o750, uid=5, gid=6, mtime=1_500_000_000),
        f("new/f", b"hello", mode=0o600, uid=1000, gid=1000, mtime=1_400_000_000),
        sym("new/l", "f", mtime=1_300_000_000),
        hard("new/h", "new/f", uid=1000, gid=1000),
    ))
    v = c.vfs
    assert v.read_bytes("/tmp/new/f") == b"hello"
    st = v.stat("/tmp/new/f")
    assert (st.mode & 0o7777, st.uid, st.gid, st.mtime) == (0o600, 1000, 1000, 1_400_000_000)
    dst = v.stat("/tmp/new")
    assert (dst.mode & 0o7777, dst.uid, dst.gid) == (0o750, 5, 6)
    assert dst.mtime == 1_500_000_000  # set after its contents were made
    lst = v.lstat("/tmp/new/l")
    assert v.readlink("/tmp/new/l") == "f" and lst.mtime == 1_300_000_000
    assert v.stat("/tmp/new/h").ino == st.ino and v.stat("/tmp/new/h").nlink == 2
    # Nothing lands outside the writable layer.
    assert c.image.get("/tmp/new") is None


def test_a_hard_link_entry_chowns_the_shared_inode():
    # go-archive lchowns every entry to its header's ids, a hard link too.
    c = Container()
    c.extract("/tmp", make_tar(f("f", b"x", uid=1000, gid=1000), hard("h", "f", uid=7, gid=8)))
    st = c.vfs.stat("/tmp/f")
    assert (st.uid, st.gid, st.nlink) == (7, 8, 2)


def test_extract_makes_implied_directories_0755_root():
    c = Container()
    c.extract("/tmp", make_tar(f("a/b/c.txt", b"x", uid=7, gid=7)))
    for p in ("/tmp/a", "/tmp/a/b"):
        st = c.vfs.stat(p)
        assert (st.mode & 0o7777, st.uid, st.gid) == (0o755, 0, 0)
    assert c.vfs.stat("/tmp/a/b/c.txt").uid == 7


@pytest.mark.parametrize("compress", ["gz", "bz2", "xz"])
def test_extract_compressed(compress):
    c = Container()
    c.extract("/tmp", make_tar(f("z.txt", b"zipped"), compress=compress))
    assert c.vfs.read_bytes("/tmp/z.txt") == b"zipped"


@pytest.mark.parametrize("user, ids", [
    ("user", (1000, 1000)),
    ("www-data", (33, 33)),
    ("4242", (4242, 0)),          # a numeric user need not exist; its group is 0
    ("user:www-data", (1000, 33)),
    (":33", (0, 33)),
    ("", (77, 78)),               # no Config.User: the archive's ids
])
def test_extract_copy_uid_gid(user, ids):
    c = Container()
    c.extract("/tmp", make_tar(d("dd", uid=77, gid=78), f("dd/f", b"x", uid=77, gid=78)),
              copy_uid_gid=True, user=user)
    for p in ("/tmp/dd", "/tmp/dd/f"):
        st = c.vfs.stat(p)
        assert (st.uid, st.gid) == ids


def test_extract_without_copy_uid_gid_keeps_the_archive_ids_whatever_the_user():
    c = Container()
    c.extract("/tmp", make_tar(f("f", b"x", uid=501, gid=20)), user="user")
    st = c.vfs.stat("/tmp/f")
    assert (st.uid, st.gid) == (501, 20)


def test_extract_copy_uid_gid_unknown_user_or_group():
    c = Container()
    e = error_of(lambda: c.extract("/tmp", make_tar(f("f")), copy_uid_gid=True, user="nosuch"))
    assert (e.status, e.message) == (
        400, 'failed to look up user "nosuch" in container: no matching entries in passwd file')
    e = error_of(lambda: c.extract("/tmp", make_tar(f("f")), copy_uid_gid=True, user="user:nogrp"))
    assert (e.status, e.message) == (
        400, 'failed to look up group "nogrp" in container: no matching entries in group file')
    assert not c.vfs.exists("/tmp/f")


def test_no_overwrite_dir_non_dir():
    c = Container()
    c.vfs.mkdir("/tmp/d")
    c.vfs.write_bytes("/tmp/d/keep", b"k")
    c.vfs.write_bytes("/tmp/f", b"old")
    e = error_of(lambda: c.extract("/tmp", make_tar(f("d", b"file"))))
    assert (e.status, e.message) == (
        500, 'cannot overwrite directory "/tmp/d" with non-directory "/tmp"')
    e = error_of(lambda: c.extract("/tmp", make_tar(d("f"))))
    assert (e.status, e.message) == (
        500, 'cannot overwrite non-directory "/tmp/f" with directory "/tmp"')
    assert c.vfs.read_bytes("/tmp/d/keep") == b"k" and c.vfs.read_bytes("/tmp/f") == b"old"
    # A file over a file and a directory over a directory are fine.
    c.extract("/tmp", make_tar(f("f", b"new"), d("d", mode=0o700), f("d/more", b"m")))
    assert c.vfs.read_bytes("/tmp/f") == b"new"
    assert sorted(c.vfs.listdir("/tmp/d")) == ["keep", "more"]
    assert c.vfs.stat("/tmp/d").mode & 0o7777 == 0o700


def test_overwrite_allowed_replaces_dir_and_non_dir():
    c = Container()
    c.vfs.mkdir("/tmp/d")
    c.vfs.write_bytes("/tmp/d/inner", b"i")
    c.vfs.write_bytes("/tmp/f", b"old")
    c.extract("/tmp", make_tar(f("d", b"now a file"), d("f")), no_overwrite=False)
    assert c.vfs.read_bytes("/tmp/d") == b"now a file"
    assert c.vfs.stat("/tmp/f").is_dir


def test_a_file_entry_replaces_a_symlink_instead_of_writing_through_it():
    c = Container()
    c.vfs.symlink("/etc/passwd", "/tmp/p")
    before = c.vfs.read_bytes("/etc/passwd")
    c.extract("/tmp", make_tar(f("p", b"mine")))
    assert c.vfs.read_bytes("/etc/passwd") == before
    assert not c.vfs.lstat("/tmp/p").is_symlink and c.vfs.read_bytes("/tmp/p") == b"mine"


# breakouts


def test_entry_climbing_out_of_the_destination():
    c = Container()
    before = c.vfs.read_bytes("/etc/passwd")
    e = error_of(lambda: c.extract("/tmp", make_tar(f("../../etc/passwd", b"pwned"))))
    assert (e.status, e.message) == (500, '"../../etc/passwd" is outside of "/tmp"')
    assert c.vfs.read_bytes("/etc/passwd") == before


def test_absolute_entry_names_are_rebased_on_the_destination():
    c = Container()
    c.extract("/tmp", make_tar(f("/etc/x", b"abs")))
    assert c.vfs.read_bytes("/tmp/etc/x") == b"abs"
    assert not c.vfs.exists("/etc/x")


def test_symlink_to_root_then_entry_through_it_stays_in_the_container():
    # moby lets `evil -> /` through (an absolute target joined to the
    # link's directory stays under it) and writes `evil/etc/x` through the
    # link: the chroot keeps that in the container's own /etc.
    c = Container()
    c.extract("/tmp", make_tar(sym("evil", "/"), f("evil/etc/x", b"through")))
    assert c.vfs.readlink("/tmp/evil") == "/"
    assert c.vfs.read_bytes("/etc/x") == b"through"
    assert c.overlay.upper_root.entries["etc"].entries["x"].data == b"through"
    assert c.image.get("/etc/x") is None and c.init.get("/etc/x") is None


def test_relative_symlink_leaving_the_destination_is_refused():
    c = Container()
    e = error_of(lambda: c.extract("/tmp", make_tar(sym("evil", "../../../.."),
                                                    f("evil/etc/x", b"no"))))
    assert (e.status, e.message) == (500, 'invalid symlink "/tmp/evil" -> "../../../.."')
    assert not c.vfs.exists("/tmp/evil", follow=False) and not c.vfs.exists("/etc/x")


def test_hard_link_leaving_the_destination_is_refused():
    c = Container()
    e = error_of(lambda: c.extract("/tmp", make_tar(hard("h", "../../etc/passwd"))))
    assert (e.status, e.message) == (500, 'invalid hardlink "/etc/passwd" -> "../../etc/passwd"')
    assert c.vfs.stat("/etc/passwd").nlink == 1


def test_hard_link_to_a_missing_name_is_a_not_found():
    e = error_of(lambda: Container().extract("/tmp", make_tar(hard("h", "nosuch"))))
    assert (e.status, e.message) == (404, "Could not find the file /tmp in container c1")


@pytest.mark.parametrize("dest, lands", [
    ("/tmp/out", "/x"),      # ../../../../ from /tmp: the container's root
    ("/up", "/etc/x"),       # ../../etc
    ("/abs/", "/etc/x"),     # /etc
])
def test_extraction_point_through_a_symlink_resolves_in_the_container(dest, lands):
    c = Container()
    c.extract(dest, make_tar(f("x", b"here")))
    assert c.vfs.read_bytes(lands) == b"here"


def test_extract_errors():
    c = Container()
    e = error_of(lambda: c.extract("/nosuch", make_tar(f("x"))))
    assert (e.status, e.message) == (404, "Could not find the file /nosuch in container c1")
    e = error_of(lambda: c.extract("/etc/passwd", make_tar(f("x"))))
    assert (e.status, e.message) == (400, "extraction point is not a directory")
    e = error_of(lambda: c.extract("/tmp", make_tar(f("x")), readonly_rootfs=True))
    assert (e.status, e.message) == (400, "container rootfs is marked read-only")
    assert not c.vfs.exists("/tmp/x")


def test_read_only_volume_and_writable_volume_in_a_read_only_rootfs():
    c = Container()
    c.vfs.mkdir("/ro")
    c.vfs.mkdir("/rw")
    c.vfs.mount("/ro", MemFs(Dir(), fstype="ext4", source="/dev/sda1"), readonly=True)
    c.vfs.mount("/rw", MemFs(Dir(), fstype="ext4", source="/dev/sda1"))
    e = error_of(lambda: c.extract("/ro", make_tar(f("x"))))
    assert (e.status, e.message) == (400, "mounted volume is marked read-only")
    c.extract("/rw", make_tar(f("x", b"vol")), readonly_rootfs=True)
    assert c.vfs.read_bytes("/rw/x") == b"vol"


def test_overwriting_a_bind_mounted_file_is_busy():
    c = Container()
    e = error_of(lambda: c.extract("/etc", make_tar(f("hosts", b"mine"))))
    assert (e.status, e.message) == (500, "unlinkat /etc/hosts: device or resource busy")
    assert c.vfs.read_bytes("/etc/hosts") == HOSTS


def test_extract_into_proc_lands_in_the_root_filesystem_not_procfs():
    # moby's copy view has no procfs: the file goes to the writable layer's
    # /proc directory, which the running container's procfs hides.
    c = Container()
    c.extract("/proc", make_tar(f("hidden", b"h")))
    assert not c.vfs.exists("/proc/hidden")
    assert c.stat("/proc/hidden").size == 1
    assert c.overlay.upper_root.entries["proc"].entries["hidden"].data == b"h"


def test_whiteout_names_are_extracted_as_plain_files():
    c = Container()
    c.extract("/etc", make_tar(f(".wh.passwd", b"")))
    assert c.vfs.exists("/etc/.wh.passwd") and c.vfs.exists("/etc/passwd")


def test_malformed_archives():
    c = Container()
    c.extract("/tmp", b"")  # an empty body is an empty archive
    e = error_of(lambda: c.extract("/tmp", b"this is not a tar archive" * 40))
    assert (e.status, e.message) == (500, "archive/tar: invalid tar header")
    whole = make_tar(f("big", b"x" * 2000), f("after", b"y"))
    e = error_of(lambda: c.extract("/tmp", whole[:1000]))
    assert (e.status, e.message) == (500, "unexpected EOF")
    e = error_of(lambda: c.extract("/tmp", make_tar(("cont", "other", {"type": tarfile.CONTTYPE}))))
    assert (e.status, e.message) == (500, "unhandled tar header type 55")
    # Go's reader ends cleanly when the input stops in the padding after
    # the last file's data; what came before stays extracted.
    one = make_tar(f("short", b"abc"))
    c.extract("/tmp", one[:one.index(b"abc") + 100])
    assert c.vfs.read_bytes("/tmp/short") == b"abc"


def test_compressed_archives_that_do_not_read_say_gos_words():
    """go-archive's DecompressStream: Go's gzip/bzip2 readers and the xz
    command; dockersim cannot read zstd and says so."""
    c = Container()
    raw = make_tar(f("big", bytes(range(256)) * 40))
    gz = gzip.compress(raw)
    bad = gz[:40] + b"\xff\xff\xff\xff" + gz[44:]
    e = error_of(lambda: c.extract("/tmp", bad))
    assert e.status == 500 and e.message.startswith("flate: corrupt input before offset ")
    assert 30 <= int(e.message.rsplit(" ", 1)[1]) < len(gz)  # counted from the deflate data
    e = error_of(lambda: c.extract("/tmp", bz2.compress(raw)[:200]))
    assert (e.status, e.message) == (500, "unexpected EOF")
    e = error_of(lambda: c.extract("/tmp", lzma.compress(raw)[:200]))
    assert (e.status, e.message) == (500, "exit status 1: xz: (stdin): Unexpected end of input\n")
    e = error_of(lambda: c.extract("/tmp", b"\x28\xb5\x2f\xfd" + bytes(40)))
    assert (e.status, e.message) == (500, "dockersim: zstd-compressed archives are not supported")


def test_archive_then_extract_round_trip():
    c = Container()
    _, data = c.archive("/data")
    c.extract("/tmp", data)
    assert c.vfs.read_bytes("/tmp/data/a.txt") == b"alpha"
    assert c.vfs.readlink("/tmp/data/link") == "sub"
    st = c.vfs.stat("/tmp/data/a.txt")
    assert (st.mode & 0o7777, st.uid, st.gid, st.mtime) == (0o640, 1000, 1000, int(IMAGE_TIME))


# --------------------------------------------------------------------------
# export (GET /containers/{id}/export)


def test_export_flattens_the_overlay():
    c = Container()
    c.vfs.unlink("/data/a.txt")
    c.vfs.write_bytes("/etc/passwd", b"root:x:0:0::/root:/bin/sh\n")
    c.vfs.write_bytes("/new", b"added")
    data = export_rootfs(c.vfs)
    names = raw_names(data)
    got = {m.name: (m, content) for m, content in members(data)}
    assert "data/a.txt" not in got and "data/sub/b.txt" in got
    assert not any(".wh." in n for n in names)
    assert got["etc/passwd"][1] == b"root:x:0:0::/root:/bin/sh\n"
    assert got["new"][1] == b"added"
    # No mounts: the init layer's empty files and directories, no devices.
    assert got["etc/hosts"][0].size == 0
    assert "proc/" in names and not any(n.startswith("proc/") and n != "proc/" for n in names)
    assert "dev/" in names and "dev/pts/" in names and "dev/null" not in got
    # Names relative to the root, directories before their contents, sorted.
    assert names[0] == ".dockerenv" and names.index("bin/") < names.index("bin/busybox")
    assert not any(n.startswith(("./", "/")) for n in names)
    assert got["bin/sh"][0].islnk() and got["bin/sh"][0].linkname == "bin/busybox"
    assert data[-1024:] == bytes(1024) and len(data) % 512 == 0


def test_export_of_the_filesystem_itself_equals_export_of_the_namespace():
    c = Container()
    assert export_rootfs(c.overlay) == export_rootfs(c.vfs)


def test_export_of_an_opaque_directory_hides_the_lower_contents():
    c = Container()
    c.vfs.unlink("/data/a.txt")
    c.vfs.unlink("/data/link")
    c.vfs.unlink("/data/sub/b.txt")
    c.vfs.rmdir("/data/sub")
    c.vfs.rmdir("/data")
    c.vfs.mkdir("/data")
    c.vfs.write_bytes("/data/fresh", b"f")
    names = raw_names(export_rootfs(c.vfs))
    assert [n for n in names if n.startswith("data")] == ["data/", "data/fresh"]


def test_stat_json_of_a_real_path():
    c = Container()
    doc = json.loads(base64.b64decode(c.stat("/bin/ls").header_value()))
    assert doc == {"name": "ls", "size": 7, "mode": MODE_SYMLINK | 0o777,
                   "mtime": "2023-11-14T19:26:40Z", "linkTarget": "/bin/busybox"}


def test_character_devices_round_trip_and_fifos_are_skipped():
    c = Container()
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tf:
        for name, typ in (("null", tarfile.CHRTYPE), ("pipe", tarfile.FIFOTYPE)):
            ti = tarfile.TarInfo(name)
            ti.type, ti.mode, ti.devmajor, ti.devminor = typ, 0o666, 1, 3
            tf.addfile(ti)
    c.extract("/tmp", buf.getvalue())
    st = c.vfs.lstat("/tmp/null")
    assert st.is_chardev and st.mode & 0o7777 == 0o666
    assert not c.vfs.exists("/tmp/pipe")
    _, data = c.archive("/tmp/null")
    [(m, _)] = members(data)
    assert m.ischr() and (m.devmajor, m.devminor) == (1, 3)
