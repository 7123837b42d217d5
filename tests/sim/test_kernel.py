"""The kernel without an event loop: PID namespaces, signals, exit and
reaping, pipes, exec errors."""

import pytest

from dockersim.sim.abi import Errno, Signal
from dockersim.sim.errors import SimError
from dockersim.sim.ns.nsset import NamespaceSet
from dockersim.sim.ns.uts import UtsNamespace
from dockersim.sim.proc.pidns import PidNamespace
from dockersim.sim.proc.task import TaskState

from .helpers import PATH, boot, run_program


def container_ns(kernel, vfs, hostname="box"):
    return NamespaceSet(pid=PidNamespace.child_of(kernel.root_pidns), mnt=vfs,
                        uts=UtsNamespace(hostname))


def test_a_task_has_a_pid_in_every_ancestor_namespace():
    kernel, nsset = boot()
    host_task = kernel.spawn(argv=["sleep", "10"], env={"PATH": PATH})
    inner = kernel.spawn(argv=["sleep", "10"], env={"PATH": PATH}, nsset=nsset)
    assert nsset.pid.pid_of(inner) == 1
    assert kernel.root_pidns.pid_of(inner) == inner.host_pid != 1
    assert nsset.pid.pid_of(host_task) == 0  # the host's tasks are invisible inside
    child = PidNamespace.child_of(nsset.pid)
    nested = kernel.spawn(argv=["sleep", "10"], env={"PATH": PATH},
                          nsset=NamespaceSet(child, nsset.mnt, nsset.uts))
    assert [ns.pid_of(nested) for ns in child.ancestors()] == [1, 2, nested.host_pid]
    kernel.run_until_idle()


def test_pid_1_ignores_signals_it_has_no_handler_for():
    kernel, nsset = boot()
    init = kernel.spawn(argv=["sleep", "100"], env={"PATH": PATH}, nsset=nsset)
    kernel.run_until_idle()
    kernel.send_signal(init, Signal.SIGTERM)
    kernel.run_until_idle()
    assert init.state is TaskState.BLOCKED
    kernel.send_signal(init, Signal.SIGKILL)  # from the host: an ancestor namespace
    kernel.run_until_idle()
    assert init.exit_status.signal == Signal.SIGKILL and init.exit_status.exit_code == 137


def test_sigkill_from_inside_the_namespace_does_not_kill_its_init():
    result = run_program(["sh", "-c", "kill -9 1; echo still here"])
    # the shell is PID 1 of the test namespace and kills itself from inside
    assert result.out == "still here\n" and result.exit_code == 0


def test_a_caught_signal_interrupts_a_sleep():
    result = run_program(["sh", "-c", "trap 'echo caught; exit 7' TERM; kill -TERM $$; sleep 50"])
    assert (result.out, result.exit_code) == ("caught\n", 7)


def test_init_death_kills_the_namespace():
    kernel, nsset = boot()
    init = kernel.spawn(argv=["sh", "-c", "sleep 100 & sleep 200"], env={"PATH": PATH}, nsset=nsset)
    kernel.run_until_idle()
    others = [t for p, t in nsset.pid.tasks.items() if p != 1]
    assert others
    kernel.send_signal(init, Signal.SIGKILL)
    kernel.run_until_idle()
    assert all(not t.alive for t in others)
    assert nsset.pid.init_dead


def test_orphans_are_reparented_to_their_namespaces_init():
    result = run_program(["sh", "-c", "sh -c 'sleep 5 &' ; ps -o pid,ppid,comm"])
    rows = [line.split() for line in result.out.splitlines()[1:]]
    sleep = next(r for r in rows if r[2] == "sleep")
    assert sleep[1] == "1"


def test_zombies_wait_for_their_parent_and_vanish_when_reaped():
    result = run_program(["sh", "-c", "true & sleep 1; ps -o pid,stat; wait; ps -o pid,stat"])
    before, after = result.out.split("PID")[1:]
    assert "2 Z" in " ".join(before.split())
    assert "2 " not in after


def test_sigpipe_ends_the_writer_quietly():
    result = run_program(["sh", "-c", "yes | head -n 2; echo ${PIPESTATUS:-done}"])
    assert result.out == "y\ny\ndone\n" and result.err == ""


def test_exec_errors_carry_errno():
    kernel, nsset = boot(files={"/data.txt": "not a program\n", "/noexec": ("#!/bin/sh\n", 0o644)})
    env = {"PATH": PATH}
    with pytest.raises(SimError) as err:
        kernel.spawn(argv=["nosuch"], env=env, nsset=nsset)
    assert err.value.errno_value == Errno.ENOENT
    with pytest.raises(SimError) as err:
        kernel.spawn(argv=["/noexec"], env=env, nsset=nsset)
    assert err.value.errno_value == Errno.EACCES
    with pytest.raises(SimError) as err:
        kernel.spawn(argv=["/etc"], env=env, nsset=nsset)
    assert err.value.errno_value == Errno.EACCES


def test_scripts_run_through_their_interpreter():
    result = run_program(["/hello.sh", "world"],
                         files={"/hello.sh": ("#!/bin/sh\necho hello $1 from $0\n", 0o755)})
    assert result.out == "hello world from /hello.sh\n"


def test_virtual_time_only_moves_when_everyone_sleeps():
    result = run_program(["sh", "-c", "date +%s; sleep 30; date +%s"])
    first, second = (int(x) for x in result.out.split())
    assert second - first == 30


def test_busy_loops_do_not_starve_other_tasks():
    kernel, nsset = boot()
    spinner = kernel.spawn(argv=["sh", "-c", "while :; do :; done"], env={"PATH": PATH}, nsset=nsset)
    worker = kernel.spawn(argv=["echo", "done"], env={"PATH": PATH}, nsset=nsset)
    for _ in range(50):
        kernel.run(max_steps=500)
        if worker.exit_status is not None:
            break
    assert worker.exit_status is not None and spinner.alive


def test_capabilities_are_inherited_by_fork_spawn_and_exec():
    from dockersim.sim.abi import ALL_CAPS, DOCKER_DEFAULT_CAPS, Cap

    kernel, nsset = boot()
    assert kernel.spawn(argv=["sleep", "1"], env={"PATH": PATH}).caps == ALL_CAPS  # the host's
    init = kernel.spawn(argv=["sh", "-c", "(sleep 5; sleep 6) & exec sleep 7"], env={"PATH": PATH},
                        nsset=nsset, caps=DOCKER_DEFAULT_CAPS)
    kernel.run_until_idle()
    kernel.clock.set(init.start_time + 5)  # the subshell's sleep 5 ends: it spawns sleep 6
    kernel.run_until_idle()
    tasks = [t for t in kernel.root_pidns.tasks.values() if t.nsset is nsset and t.alive]
    # init exec'd sleep 7; the forked subshell spawned sleep 6.
    assert sorted(" ".join(t.image.argv) for t in tasks) == [
        "sh -c (sleep 5; sleep 6) & exec sleep 7", "sleep 6", "sleep 7"]
    assert " ".join(init.image.argv) == "sleep 7"
    assert {t.caps for t in tasks} == {DOCKER_DEFAULT_CAPS}
    assert init.capable(Cap.CAP_KILL) and not init.capable(Cap.CAP_SYS_ADMIN)


def test_sethostname_needs_cap_sys_admin_not_just_uid_0():
    from dockersim.sim.abi import ALL_CAPS, DOCKER_DEFAULT_CAPS, Cap

    kernel, nsset = boot()
    assert run_program(["hostname", "x"], uid=1000).err == (
        "hostname: sethostname: Operation not permitted\n")
    r = run_program(["hostname", "x"], image="debian", uid=1000)
    assert (r.exit_code, r.err) == (1, "hostname: you must be root to change the host name\n")
    kernel.spawn(argv=["sleep", "100"], env={"PATH": PATH}, nsset=nsset)  # the namespace's init
    t = kernel.spawn(argv=["hostname", "a"], env={"PATH": PATH}, nsset=nsset, caps=ALL_CAPS)
    kernel.run_until_idle()
    assert t.exit_status.code == 0 and nsset.uts.hostname == "a"
    t = kernel.spawn(argv=["hostname", "b"], env={"PATH": PATH}, nsset=nsset,
                     caps=DOCKER_DEFAULT_CAPS | {Cap.CAP_SYS_ADMIN})  # --cap-add SYS_ADMIN
    kernel.run_until_idle()
    assert t.exit_status.code == 0 and nsset.uts.hostname == "b"
    t = kernel.spawn(argv=["hostname", "c"], env={"PATH": PATH}, nsset=nsset,
                     caps=DOCKER_DEFAULT_CAPS)
    kernel.run_until_idle()
    assert t.exit_status.code == 1 and nsset.uts.hostname == "b"


def test_kernel_hostname_is_the_host_uts_namespace():
    kernel, _ = boot()
    assert kernel.hostname == "simhost" == kernel.host_ns.uts.hostname
    kernel.host_ns.uts.hostname = "renamed"  # what `dockersim host hostname renamed` does
    assert kernel.hostname == "renamed"
    kernel.hostname = "again"
    assert kernel.host_ns.uts.hostname == "again"
