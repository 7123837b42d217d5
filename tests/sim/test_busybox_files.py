"""File applets: ls, mkdir, rm, rmdir, touch, cp, mv, ln, chmod, stat, find,
du, realpath, readlink, mktemp — busybox texts and GNU ones for the
Debian-style standalone programs."""

from .helpers import run_program

FILES = {"/d/a.txt": "hello\n", "/d/b": "12345678901\n", "/d/.hidden": "", "/d/sub/c": "x"}


def run(*argv, **kw):
    kw.setdefault("files", FILES)
    return run_program(list(argv), **kw)


def test_ls_one_per_line_when_not_a_tty():
    assert run("ls", "/d").out == "a.txt\nb\nsub\n"
    assert run("ls", "-a", "/d").out == ".\n..\n.hidden\na.txt\nb\nsub\n"
    assert run("ls", "-A", "/d").out == ".hidden\na.txt\nb\nsub\n"
    assert run("ls", "-r", "/d").out == "sub\nb\na.txt\n"
    assert run("ls", "-p", "/d").out == "a.txt\nb\nsub/\n"
    assert run("ls", "-d", "/d").out == "/d\n"


def test_ls_long_format_busybox():
    lines = run("ls", "-l", "/d").out.splitlines()
    assert lines[0].startswith("total ")
    # -rw-r--r--    1 root     root            6 Nov 14 22:13 a.txt
    assert lines[1] == "-rw-r--r--    1 root     root             6 Nov 14 22:13 a.txt"
    assert lines[2] == "-rw-r--r--    1 root     root            12 Nov 14 22:13 b"
    assert lines[3].startswith("drwxr-xr-x    2 root     root ")
    assert lines[3].endswith(" Nov 14 22:13 sub")


def test_ls_long_symlink_and_human():
    r = run("find", "/d", "-maxdepth", "0", "-exec", "ln", "-s", "/d/a.txt", "/d/link", ";",
            "-exec", "ls", "-l", "/d/link", ";", "-exec", "ls", "-lh", "/d/b", ";")
    lines = r.out.splitlines()
    assert lines[0].startswith("lrwxrwxrwx    1 root     root ")
    assert lines[0].endswith(" /d/link -> /d/a.txt")
    assert lines[1] == "-rw-r--r--    1 root     root          12 Nov 14 22:13 /d/b"


def test_ls_multiple_args_headers_and_error():
    r = run("ls", "/d/sub", "/d/a.txt", "/nosuch")
    assert r.exit_code == 1
    assert r.err == "ls: /nosuch: No such file or directory\n"
    assert r.out == "/d/a.txt\n\n/d/sub:\nc\n"


def test_ls_recursive():
    assert run("ls", "-R", "/d").out == "/d:\na.txt\nb\nsub\n\n/d/sub:\nc\n"


def test_ls_gnu_messages_and_long_format():
    r = run("ls", "/nosuch", image="debian")
    assert (r.exit_code, r.err) == (2, "ls: cannot access '/nosuch': No such file or directory\n")
    lines = run("ls", "-l", "/d", image="debian").out.splitlines()
    # columns sized to the widest value (the directory's 4096)
    assert lines[1] == "-rw-r--r-- 1 root root    6 Nov 14 22:13 a.txt"
    assert lines[2] == "-rw-r--r-- 1 root root   12 Nov 14 22:13 b"


def test_mkdir_rm_rmdir_messages():
    r = run("mkdir", "/d")
    assert (r.exit_code, r.err) == (1, "mkdir: can't create directory '/d': File exists\n")
    assert run("mkdir", "-p", "/d/x/y/z").exit_code == 0
    assert run("mkdir", "-p", "/d").exit_code == 0
    r = run("rm", "/nosuch")
    assert (r.exit_code, r.err) == (1, "rm: can't remove '/nosuch': No such file or directory\n")
    assert run("rm", "-f", "/nosuch").exit_code == 0
    r = run("rm", "/d")
    assert (r.exit_code, r.err) == (1, "rm: '/d' is a directory\n")
    r = run("rmdir", "/d")
    assert r.exit_code == 1 and "Directory not empty" in r.err
    r = run("rm", "/nosuch", image="debian")
    assert r.err == "rm: cannot remove '/nosuch': No such file or directory\n"
    r = run("mkdir", "/d", image="debian")
    assert r.err == "mkdir: cannot create directory '/d': File exists\n"


def test_state_changes_within_one_run():
    # each run_program boots a fresh kernel: chain steps with find -exec
    r = run("find", "/d", "-name", "c", "-exec", "rm", "{}", ";")
    assert r.exit_code == 0
    r = run("find", "/d", "-exec", "rm", "-r", "/d/sub", ";", "-quit")
    assert r.exit_code == 0


def test_mkdir_mode_and_chmod_and_stat():
    r = run("find", "/d/a.txt", "-exec", "chmod", "u+x,go-r", "{}", ";", "-exec", "stat", "-c", "%a %A", "{}", ";")
    assert r.out == "700 -rwx------\n"
    r = run("find", "/d/a.txt", "-exec", "chmod", "640", "{}", ";", "-exec", "stat", "-c", "%a", "{}", ";")
    assert r.out == "640\n"
    r = run("chmod", "644", "/nosuch")
    assert r.exit_code == 1


def test_stat_format_and_default():
    r = run("stat", "-c", "%n %s %a %A %U %G %u %g %F", "/d/a.txt", "/d/sub")
    assert r.out.splitlines()[0] == "/d/a.txt 6 644 -rw-r--r-- root root 0 0 regular file"
    r = run("stat", "/d/a.txt")
    lines = r.out.splitlines()
    assert lines[0] == "  File: /d/a.txt"
    assert lines[1].startswith("  Size: 6         \tBlocks: ")
    assert "Access: (0644/-rw-r--r--)  Uid: (    0/    root)   Gid: (    0/    root)" in r.out
    r = run("stat", "/nosuch")
    assert r.err == "stat: can't stat '/nosuch': No such file or directory\n"


def test_touch_creates_and_errors():
    r = run("find", "/d", "-maxdepth", "0", "-exec", "touch", "/d/new", ";", "-exec", "ls", "/d", ";")
    assert "new\n" in r.out
    r = run("touch", "/nosuchdir/x")
    assert r.exit_code == 1 and r.err == "touch: /nosuchdir/x: No such file or directory\n"


def test_cp_mv_ln():
    r = run("find", "/d", "-maxdepth", "0",
            "-exec", "cp", "/d/a.txt", "/tmp/copy", ";",
            "-exec", "cp", "-r", "/d", "/e", ";",
            "-exec", "mv", "/d/b", "/tmp/", ";",
            "-exec", "ln", "-s", "/d/a.txt", "/tmp/link", ";",
            "-exec", "ls", "/tmp", "/e", ";",
            "-exec", "cat", "/tmp/copy", "/tmp/link", ";")
    assert "hello\nhello\n" in r.out
    assert "/tmp:\nb\ncopy\nlink\n" in r.out
    r = run("cp", "/d", "/x")
    assert (r.exit_code, r.err) == (1, "cp: omitting directory '/d'\n")
    r = run("cp", "/nosuch", "/x")
    assert r.err == "cp: can't stat '/nosuch': No such file or directory\n"


def test_find_tests_and_actions():
    assert run("find", "/d").out == "/d\n/d/.hidden\n/d/a.txt\n/d/b\n/d/sub\n/d/sub/c\n"
    assert run("find", "/d", "-name", "*.txt").out == "/d/a.txt\n"
    assert run("find", "/d", "-type", "d").out == "/d\n/d/sub\n"
    assert run("find", "/d", "-maxdepth", "1", "-type", "f", "-name", "[ab]*").out == "/d/a.txt\n/d/b\n"
    assert run("find", "/d", "-mindepth", "2").out == "/d/sub/c\n"
    assert run("find", "/d", "!", "-type", "d", "-iname", "A*").out == "/d/a.txt\n"
    assert run("find", "/d", "-name", "a.txt", "-o", "-name", "c").out == "/d/a.txt\n/d/sub/c\n"
    assert run("find", "/d/sub", "-type", "f", "-exec", "cat", "{}", ";").out == "x"
    assert run("find", "/d", "-name", "*.txt", "-exec", "echo", "{}", "+").out == "/d/a.txt\n"
    r = run("find", "/nosuch")
    assert (r.exit_code, r.err) == (1, "find: /nosuch: No such file or directory\n")


def test_du_realpath_readlink_mktemp():
    assert run("du", "-s", "/d/sub").out == "8\t/d/sub\n"
    assert run("realpath", "/d/../d/sub").out == "/d/sub\n"
    r = run("readlink", "/d/a.txt")
    assert (r.exit_code, r.out) == (1, "")
    r = run("mktemp")
    assert r.exit_code == 0 and r.out.startswith("/tmp/tmp.") and len(r.out.strip()) == len("/tmp/tmp.XXXXXX")
    r = run("mktemp", "-d", "/tmp/fooXXXXXX")
    assert r.out.startswith("/tmp/foo")


def test_chmod_and_chown_recursive_walk_leave_links_met_below_alone():
    files = dict(FILES, **{"/e/f": "outside"})
    script = ("ln -s /e/f /d/sub/lnk && chmod -R 700 /d && chown -R 5:6 /d && "
              "stat -c '%a %u:%g %n' /d /d/a.txt /d/sub /d/sub/c /e/f")
    r = run("sh", "-c", script, files=files)
    assert r.exit_code == 0, r.err
    assert r.out.splitlines() == ["700 5:6 /d", "700 5:6 /d/a.txt", "700 5:6 /d/sub",
                                  "700 5:6 /d/sub/c", "644 0:0 /e/f"]
    r = run("sh", "-c", "chmod -R 600 /d/nosuch /d/b; echo $?; stat -c %a /d/b", files=files)
    assert r.out == "1\n600\n"
    assert r.err == "chmod: /d/nosuch: No such file or directory\n"
