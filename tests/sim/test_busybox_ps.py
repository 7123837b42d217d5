"""busybox ps/top and procps-ng ps: each sees only its own PID namespace
(run_program starts the command as PID 1 of a fresh one)."""

import re

from dockersim.sim.programs import table

from .helpers import run_program


def run(*argv, **kw):
    return run_program(list(argv), **kw)


def test_busybox_ps_default_columns_and_pid1():
    r = run("ps")
    assert r.out == "PID   USER     TIME  COMMAND\n    1 root      0:00 ps\n"


def test_busybox_ps_ignores_bsd_words_and_sees_parent():
    # xargs (PID 1) runs "ps aux" (PID 2)
    r = run("xargs", "ps", "aux", stdin="")
    assert r.out.splitlines() == [
        "PID   USER     TIME  COMMAND",
        "    1 root      0:00 xargs ps aux",
        "    2 root      0:00 ps aux",
    ]


def test_busybox_ps_o_columns_and_headers():
    r = run("ps", "-o", "pid,ppid,user,comm,stat")
    # busybox's STAT is a 3-character field ("R  "), trailing blanks included
    assert r.out.splitlines() == ["PID   PPID  USER     COMMAND          STAT", "    1     0 root     ps               R  "]
    r = run("ps", "-o", "pid=ID,comm=NAME")
    assert r.out.splitlines() == ["ID NAME", " 1 ps"]
    r = run("ps", "-o", "bogus")
    assert r.exit_code == 1
    assert r.err.startswith("ps: bad -o argument 'bogus', supported arguments: user,group,comm,args,pid,")


def test_busybox_ps_user_names_from_passwd():
    r = run("ps", uid=1000, gid=1000)
    assert r.out.splitlines()[1] == "    1 user      0:00 ps"


def test_busybox_top_batch():
    r = run("top", "-b", "-n", "1")
    lines = r.out.splitlines()
    assert re.fullmatch(r"Mem: \d+K used, \d+K free, \d+K shrd, \d+K buff, \d+K cached", lines[0])
    m = r.kernel.meminfo()
    free = m["MemFree"] - table.lookup("busybox").rss_kb  # read while top ran
    assert lines[0] == (f"Mem: {m['MemTotal'] - free}K used, {free}K free, {m['Shmem']}K shrd, "
                        f"{m['Buffers']}K buff, {m['Cached']}K cached")
    # /proc/loadavg as read: no virtual time passed, one task ran, PID 1
    assert lines[1] == "CPU:   0% usr   0% sys   0% nic 100% idle   0% io   0% irq   0% sirq"
    assert lines[2] == "Load average: 0.00 0.00 0.00 1/1 1"
    assert lines[3] == "  PID  PPID USER     STAT   VSZ %VSZ CPU %CPU COMMAND"
    assert re.fullmatch(r"    1     0 root     R     [ \d.mg]{5} +\d+%   0   0% top -b -n 1", lines[4])


def test_procps_ps_default():
    r = run("ps", image="debian")
    assert r.out.splitlines() == ["    PID TTY          TIME CMD", "      1 ?        00:00:00 ps"]


def test_procps_ps_aux_layout():
    r = run("xargs", "ps", "aux", stdin="", image="debian")
    lines = r.out.splitlines()
    assert lines[0] == "USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND"
    for line, (pid, cmd) in zip(lines[1:], [(1, "xargs ps aux"), (2, "ps aux")]):
        fields = line.split(None, 10)
        assert fields[0] == "root" and fields[1] == str(pid) and fields[10] == cmd
        assert line[:16] == f"root    {pid:8d}"
    # START is HH:MM for today's processes, TIME is M:SS
    first = lines[1].split()
    assert re.fullmatch(r"\d\d:\d\d", first[8]) and re.fullmatch(r"\d+:\d\d", first[9])
    assert first[7].startswith("S") or first[7].startswith("R")


def test_procps_ps_ef_layout():
    r = run("ps", "-ef", image="debian")
    lines = r.out.splitlines()
    assert lines[0] == "UID          PID    PPID  C STIME TTY          TIME CMD"
    assert re.fullmatch(r"root           1       0  0 \d\d:\d\d \?        00:00:00 ps -ef", lines[1])


def test_procps_ps_o():
    r = run("ps", "-o", "pid,comm", image="debian")
    assert r.out.splitlines() == ["    PID COMMAND", "      1 ps"]
    r = run("ps", "-o", "bogus", image="debian")
    assert r.exit_code == 1 and "unknown user-defined format specifier" in r.err


def test_standalone_programs_use_gnu_messages():
    r = run("cat", "/nosuch", image="debian")
    assert (r.exit_code, r.err) == (1, "cat: /nosuch: No such file or directory\n")
    r = run("head", "/nosuch", image="debian")
    assert r.err == "head: cannot open '/nosuch' for reading: No such file or directory\n"
