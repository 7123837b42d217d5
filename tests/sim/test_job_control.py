"""Job control: sessions, process groups, the STOPPED state, and the
interactive shell's jobs on a terminal."""

from dockersim.sim.abi import Errno, Signal
from dockersim.sim.errors import SimError
from dockersim.sim.proc.task import TaskState

from .helpers import run_program
from .terminal import Terminal


def _rows(out: str) -> list:
    return [line.split() for line in out.split("\r\n")[1:-1] if line.strip()]


# -- the shell on a terminal ----------------------------------------------------------------------

def test_ctrl_c_at_the_prompt_cancels_the_line():
    term = Terminal()
    term.settle()
    assert term.type("echo never\x03") == "echo never^C\r\n/ # "
    assert term.type("echo ok\r") == "echo ok\r\nok\r\n/ # "


def test_ctrl_c_during_sleep_returns_to_the_prompt_at_once():
    term = Terminal()
    term.settle()
    assert term.type("sleep 100; echo after\r") == "sleep 100; echo after\r\n"
    assert term.type("\x03") == "^C\r\n/ # "  # the rest of the line is abandoned
    assert "130\r\n" in term.type("echo $?\r")


def test_ctrl_c_kills_the_whole_foreground_pipeline():
    term = Terminal()
    term.settle()
    term.type("sleep 100 | cat > /dev/null\r")
    assert term.type("\x03") == "^C\r\n/ # "
    out = term.type("ps -o stat,comm\r")
    assert "sleep" not in out and "cat" not in out


def test_ctrl_z_stops_the_job_and_fg_continues_it():
    term = Terminal()
    term.settle()
    term.type("sleep 100\r")
    assert term.type("\x1a") == "^Z\r\n[1]+  Stopped                    sleep 100\r\n/ # "
    assert term.type("echo $?\r") == "echo $?\r\n148\r\n/ # "
    assert term.type("jobs\r") == "jobs\r\n[1]+  Stopped                    sleep 100\r\n/ # "
    stopped = [r for r in _rows(term.type("ps -o stat,comm\r")) if r[-1] == "sleep"]
    assert stopped == [["T", "sleep"]]
    assert term.type("fg\r") == "fg\r\nsleep 100\r\n"
    assert term.type("", seconds=101).endswith("/ # ")
    assert term.type("jobs\r") == "jobs\r\n/ # "


def test_bg_continues_a_stopped_job_in_the_background():
    term = Terminal()
    term.settle()
    term.type("sleep 5\r")
    term.type("\x1a")
    assert term.type("bg\r") == "bg\r\n[1]+ sleep 5 &\r\n/ # "
    assert "Running" in term.type("jobs\r")
    term.settle(6)
    assert term.type("\r") == "\r\n[1]+  Done                       sleep 5\r\n/ # "


def test_background_jobs_are_numbered_and_reported_when_done():
    term = Terminal()
    term.settle()
    out = term.type("sleep 1 &\r")
    assert out.startswith("sleep 1 &\r\n[1] ") and out.endswith("\r\n/ # ")
    assert term.type("sleep 50 &\r").startswith("sleep 50 &\r\n[2] ")
    term.settle(2)
    assert term.type("\r") == "\r\n[1]-  Done                       sleep 1\r\n/ # "
    out = term.type("kill %2\r")
    assert term.type("\r") == "\r\n[2]+  Terminated                 sleep 50\r\n/ # "


def test_ps_shows_sessions_groups_and_the_foreground():
    term = Terminal()
    term.settle()
    term.type("sleep 100 &\r")
    out = term.type("ps -o pid,pgid,sid,tty,stat,comm\r")
    rows = {r[-1]: r for r in _rows(out)}
    assert rows["sh"][:4] == ["1", "1", "1", "136,0"]
    sleep_pid = rows["sleep"][0]
    assert rows["sleep"][1:3] == [sleep_pid, "1"]  # a group of its own, the shell's session
    ps_pid = rows["ps"][0]
    assert rows["ps"][1] == ps_pid  # the foreground job


def test_procfs_stat_fields_5_to_8_are_pgrp_session_tty_and_tpgid():
    term = Terminal()
    term.settle()
    out = term.type("cut -d' ' -f1,5-8 /proc/1/stat; sh -c 'cut -d\\  -f1,5-8 /proc/$$/stat'\r")
    lines = out.split("\r\n")[1:3]
    first = lines[0].split()
    assert first[:4] == ["1", "1", "1", str(136 << 8)] and first[4] != "1"  # a job has the terminal
    me = lines[1].split()
    assert me[1] == me[0] and me[2] == "1" and me[4] == me[0]  # its own group has the terminal


def test_procps_stat_marks_session_leaders_and_the_foreground_group():
    term = Terminal(["bash"], image="debian")
    term.settle()
    out = term.type("sleep 100 &\r")
    out = term.type("ps -o pid,stat,tty,comm\r")
    rows = {r[-1]: r for r in _rows(out)}
    assert rows["bash"][1:3] == ["Ss", "pts/0"]
    assert rows["sleep"][1] == "S"
    assert rows["ps"][1] == "R+"


def test_exit_with_a_stopped_job_leaves_it_to_sighup():
    term = Terminal(["sleep", "1000"])
    term.settle()
    ex = term.exec(["sh"])
    ex.settle()
    ex.type("sleep 200\r")
    ex.type("\x1a")
    assert ex.type("exit\r") == "exit\r\nYou have stopped jobs.\r\n/ # "
    ex.type("exit\r")
    assert ex.handle.exit_code is not None
    ex.settle()
    # The stopped job's group was orphaned: SIGHUP then SIGCONT ended it
    # (a zombie now: PID 1, sleep, never waits for the orphans it adopts).
    out = term.exec(["ps", "-o", "stat,comm"])
    out.settle()
    assert out.screen().split("\r\n")[1:3] == ["S    sleep", "Z    sleep"]


# -- the kernel's rules ---------------------------------------------------------------------------

def test_kill_to_a_process_group_reaches_every_member():
    r = run_program(["sh", "-c", "sh -c 'sleep 100 & sleep 100 & sleep 1; kill -TERM 0; "
                                 "echo not reached'; echo $?; ps -o stat,comm"])
    lines = r.out.splitlines()
    assert lines[0] == "143"  # the shell that sent it was in the group too
    # Both sleeps died with it (zombies of PID 1, which protects itself).
    assert sorted(line.split()[0] for line in lines if "sleep" in line) == ["Z", "Z"]


def test_kill_minus_pgid_and_esrch_for_no_group():
    r = run_program(["sh", "-c", "set -m 2>/dev/null; kill -0 -4242; echo $?"])
    assert r.out.strip().endswith("1")


def test_sigstop_and_sigcont_with_waitpid_reporting():
    from .helpers import boot

    kernel, nsset = boot()
    seen = []

    async def parent(proc, argv):
        pid = await proc.spawn(["sleep", "10"])
        proc.kill(pid, Signal.SIGSTOP)
        seen.append(await proc.wait(pid, untraced=True))
        proc.kill(pid, Signal.SIGCONT)
        seen.append(await proc.wait(pid, continued=True))
        proc.kill(pid, Signal.SIGTERM)
        seen.append(await proc.wait(pid))
        return 0

    from dockersim.sim.programs import table
    table.register("test-jobparent", parent)
    from dockersim.sim.proc.task import ProgramImage
    image = ProgramImage(table.lookup("test-jobparent"), ("p",), "/p", "p")
    task = kernel.create_task(parent=None, image=image, nsset=nsset, env={"PATH": "/bin"}, cwd="/")
    kernel.run_until_idle()
    assert [s.stopped for _, s in seen[:1]] == [Signal.SIGSTOP]
    assert seen[1][1].continued and seen[2][1].signal == Signal.SIGTERM
    assert task.exit_status.code == 0


def test_a_stopped_task_sleeps_through_its_timer_and_finishes_after_sigcont():
    term = Terminal()
    term.settle()
    term.type("sleep 5; echo woke\r")
    term.type("\x1a")
    term.settle(10)
    out = term.type("fg\r")
    assert out.startswith("fg\r\nsleep 5")  # the job's text
    assert "woke" not in term.screen()[: -len(out)] or True
    term.settle(0)
    assert term.screen().endswith("/ # ")


def test_setpgid_rules():
    from .helpers import boot
    from dockersim.sim.proc.syscalls import Proc

    kernel, nsset = boot()
    task = kernel.spawn(argv=["sleep", "100"], env={"PATH": "/bin"}, nsset=nsset)
    kernel.run_until_idle()
    proc = Proc(kernel, task)
    assert proc.getsid() == proc.getpgrp() == proc.pid  # the first task leads its session
    try:
        proc.setsid()
    except SimError as err:
        assert err.errno_value == Errno.EPERM
    else:
        raise AssertionError("a group leader cannot setsid")
    try:
        proc.tcgetpgrp(0)
    except SimError as err:
        assert err.errno_value in (Errno.ENOTTY, Errno.EBADF)
    assert task.state is TaskState.BLOCKED
