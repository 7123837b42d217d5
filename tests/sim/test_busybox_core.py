"""busybox dispatch and the core applets, run through the simulated kernel."""

import pytest

from dockersim.sim.programs import table

from .helpers import run_program


def run(*argv, **kw):
    return run_program(list(argv), **kw)


def test_busybox_banner_and_applet_list():
    r = run("busybox")
    assert r.exit_code == 0
    assert r.out.startswith("BusyBox v1.37.0 (")
    assert "multi-call binary." in r.out.splitlines()[0]
    assert "Currently defined functions:" in r.out
    assert "\tls," not in r.out or "ls, " in r.out


def test_busybox_applet_argument_and_unknown_applet():
    assert run("busybox", "echo", "hi").out == "hi\n"
    r = run("busybox", "nosuch")
    assert (r.exit_code, r.err) == (127, "nosuch: applet not found\n")


def test_echo_options():
    assert run("echo", "a", "b").out == "a b\n"
    assert run("echo", "-n", "x").out == "x"
    assert run("echo", "-e", "a\\tb").out == "a\tb\n"
    assert run("echo", "-e", "a\\cb").out == "a"
    assert run("echo", "-x").out == "-x\n"


def test_printf_reuses_format():
    assert run("printf", "%s=%d\\n", "a", "1", "b", "2").out == "a=1\nb=2\n"
    assert run("printf", "%x %o %c %%\\n", "255", "8", "zed").out == "ff 10 z %\n"
    assert run("printf", "%5s|%-3s|\\n", "ab", "c").out == "   ab|c  |\n"


def test_printf_and_echo_escapes_write_raw_bytes():
    assert run("printf", "\\351\\x41").stdout == b"\xe9A"
    assert run("echo", "-e", "\\0351").stdout == b"\xe9\n"


def test_true_false():
    assert run("true").exit_code == 0
    assert run("false").exit_code == 1


def test_cat_files_stdin_and_numbering():
    files = {"/a": "one\ntwo\n", "/b": "three\n"}
    assert run("cat", "/a", "-", "/b", files=files, stdin="in\n").out == "one\ntwo\nin\nthree\n"
    assert run("cat", "-n", "/a", files=files).out == "     1\tone\n     2\ttwo\n"
    r = run("cat", "/nosuch")
    assert (r.exit_code, r.err) == (1, "cat: can't open '/nosuch': No such file or directory\n")


def test_hostname_print_and_set():
    assert run("hostname").out == "testhost\n"
    r = run("hostname", "newname")
    assert r.exit_code == 0


def test_sleep_sums_arguments_and_suffixes():
    r = run("sleep", "1.5", "1m")
    assert r.exit_code == 0
    r = run("sleep", "abc")
    assert r.exit_code == 1 and "invalid number 'abc'" in r.err


def test_env_print_set_unset_and_ignore():
    r = run("env", env={"FOO": "bar"})
    assert "FOO=bar\n" in r.out
    assert run("env", "-i", "A=1", "B=2").out == "A=1\nB=2\n"
    r = run("env", "-u", "FOO", env={"FOO": "bar"})
    assert "FOO=" not in r.out
    r = run("env", "X=5", "printenv", "X")
    assert r.out == "5\n"


def test_env_missing_command():
    r = run("env", "nosuchcmd")
    assert r.exit_code == 127
    assert "nosuchcmd" in r.err


def test_pwd_and_cwd():
    assert run("pwd", cwd="/tmp").out == "/tmp\n"


def test_id_whoami():
    assert run("id").out == "uid=0(root) gid=0(root) groups=0(root)\n"
    assert run("id", "-u").out == "0\n"
    assert run("id", "-un").out == "root\n"
    assert run("whoami").out == "root\n"
    r = run("id", uid=1000, gid=1000)
    assert r.out == "uid=1000(user) gid=1000(user) groups=1000(user)\n"


def test_uname():
    r = run("uname", "-a")
    parts = r.out.split()
    assert parts[0] == "Linux" and parts[1] == "testhost" and parts[-1] == "GNU/Linux"
    assert run("uname").out == "Linux\n"
    assert run("uname", "-n").out == "testhost\n"
    assert run("uname", "-m").out.strip() in ("x86_64", "aarch64")


def test_date_formats():
    r = run("date")
    # ManualClock starts at 1_700_000_000: Tue Nov 14 22:13:20 UTC 2023
    assert r.out == "Tue Nov 14 22:13:20 UTC 2023\n"
    assert run("date", "+%s").out == "1700000000\n"
    assert run("date", "-u", "+%Y-%m-%d %H:%M").out == "2023-11-14 22:13\n"
    assert run("date", "-d", "@0").out == "Thu Jan  1 00:00:00 UTC 1970\n"
    assert run("date", "-d", "@86400", "+%F %T").out == "1970-01-02 00:00:00\n"


def test_kill_list_and_errors():
    r = run("kill", "-l")
    assert r.out.startswith(" 1) HUP\n 2) INT\n")
    assert " 9) KILL\n" in r.out and "15) TERM\n" in r.out
    assert run("kill", "-l", "9").out == "KILL\n"
    assert run("kill", "-l", "TERM").out == "15\n"
    r = run("kill", "4242")
    assert r.exit_code == 1
    assert r.err == "kill: can't kill pid 4242: No such process\n"
    r = run("kill", "-s", "BOGUS", "1")
    assert r.exit_code == 1 and "bad signal name 'BOGUS'" in r.err


def test_seq():
    assert run("seq", "3").out == "1\n2\n3\n"
    assert run("seq", "2", "2", "7").out == "2\n4\n6\n"
    assert run("seq", "-s", ",", "3").out == "1,2,3\n"
    assert run("seq", "-w", "8", "10").out == "08\n09\n10\n"
    assert run("seq", "3", "-1", "1").out == "3\n2\n1\n"
    assert run("seq", "1", "0.5", "2").out == "1.0\n1.5\n2.0\n"


@pytest.mark.parametrize("argv,expected", [
    (["basename", "/a/b/c.txt"], "c.txt\n"),
    (["basename", "/a/b/c.txt", ".txt"], "c\n"),
    (["basename", "/"], "/\n"),
    (["dirname", "/a/b/c"], "/a/b\n"),
    (["dirname", "file"], ".\n"),
    (["dirname", "/a/"], "/\n"),
])
def test_basename_dirname(argv, expected):
    assert run(*argv).out == expected


def test_which():
    assert run("which", "ls").out == "/bin/ls\n"
    r = run("which", "nosuch")
    assert (r.exit_code, r.out) == (1, "")


def test_test_and_bracket():
    assert run("test", "-d", "/etc").exit_code == 0
    assert run("test", "-f", "/etc").exit_code == 1
    assert run("[", "a", "=", "a", "]").exit_code == 0
    assert run("[", "1", "-lt", "2", "]").exit_code == 0
    r = run("[", "a", "=", "a")
    assert (r.exit_code, r.err) == (2, "[: missing ]\n")


def test_nproc_free_df():
    r = run("nproc")
    assert r.out.strip().isdigit()
    assert r.out == f"{r.kernel.ncpu}\n"
    r = run("free")
    lines = r.out.splitlines()
    assert lines[0] == "              total        used        free      shared  buff/cache   available"
    assert lines[1].startswith("Mem:   ") and lines[2].startswith("Swap:  ")
    # The figures are the kernel's, read while free itself was running.
    m = r.kernel.meminfo()
    rss = table.lookup("busybox").rss_kb
    free = m["MemFree"] - rss
    cache = m["Cached"] + m["Buffers"] + m["SReclaimable"]
    total = r.kernel.mem_total_kb
    assert lines[1].split()[1:] == [str(v) for v in (
        total, total - free - cache, free, m["Shmem"], cache, m["MemAvailable"] - rss)]
    assert lines[2].split()[1:] == ["0", "0", "0"]
    r = run("df")
    lines = r.out.splitlines()
    assert lines[0] == "Filesystem           1K-blocks      Used Available Use% Mounted on"
    # the root overlay and the /dev tmpfs; /proc has no blocks and is skipped
    assert [line.split()[0] for line in lines[1:]] == ["overlay", "tmpfs"]
    vfs = r.kernel.host_vfs
    for line, path in zip(lines[1:], ("/", "/dev")):
        s = r.kernel.statfs(vfs.mount_of(path).fs)
        used = s.f_blocks - s.f_bfree
        assert line.split()[1:4] == [str(v * 4) for v in (s.f_blocks, used, s.f_bavail)]
        assert line.split()[5] == path
    assert lines[1].split()[1] == str(r.kernel.disk_size_kb)


def test_df_follows_the_data_written():
    r = run("sh", "-c", "df /tmp; head -c 1000000 /dev/zero > /tmp/f; df /tmp")
    before, after = r.out.splitlines()[1], r.out.splitlines()[3]
    s = r.kernel.statfs(r.kernel.host_vfs.mount_of("/").fs)
    assert int(after.split()[2]) == (s.f_blocks - s.f_bfree) * 4
    assert 976 <= int(after.split()[2]) - int(before.split()[2]) <= 980  # 1,000,000 bytes
    assert before.split()[-1] == after.split()[-1] == "/"
    r = run("df", "-a")
    assert r.out.splitlines()[-1].split() == ["proc", "0", "0", "0", "0%", "/proc"]


def test_clear():
    assert run("clear").out == "\x1b[H\x1b[J\x1b[3J"
