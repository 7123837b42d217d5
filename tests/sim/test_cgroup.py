"""Control groups: the freezer, CPU accounting on the kernel clock, the
cgroup files a container sees, and the stats the runtime hands out."""

from dockersim.sim.runtime.spec import ContainerSpec, ProcessSpec, Resources, RootSpec

from .helpers import boot_machine, run_to_exit


def _machine():
    return boot_machine()


def _start(machine, argv, resources=Resources(), cid="c"):
    spec = ContainerSpec(cid * 64, ProcessSpec(argv), RootSpec(["sha256:x"]), "box",
                         resources=resources)
    handle = machine.runtime.create(spec)
    machine.kernel.run(max_steps=2000)
    return handle


def _exec_out(machine, handle, script):
    proc = handle.exec(ProcessSpec(["sh", "-c", script]))
    return run_to_exit(machine, proc)


def _ps_states(machine, handle):
    code, out, _ = _exec_out(machine, handle, "ps -o pid,stat,comm")
    return out


def test_a_busy_task_gets_one_cpu_second_per_second_and_a_sleeper_none():
    machine = _machine()
    clock = machine.kernel.clock
    busy = _start(machine, ["sh", "-c", "yes > /dev/null"], cid="a")
    idle = _start(machine, ["sleep", "1000"], cid="b")
    before = busy.stats()
    for _ in range(10):
        clock.advance(0.5)
        machine.kernel.run(max_steps=500)
    after = busy.stats()
    used = (after.cpu_usage_ns - before.cpu_usage_ns) / 1e9
    assert 4.9 < used <= 5.0
    system = after.system_cpu_ns - before.system_cpu_ns
    # docker stats' formula: one busy task is 100% of one CPU.
    percent = (after.cpu_usage_ns - before.cpu_usage_ns) / system * after.online_cpus * 100
    assert 98 < percent <= 100.5
    assert idle.stats().cpu_usage_ns < 1e6


def test_three_busy_tasks_share_two_cpus():
    machine = _machine()
    clock = machine.kernel.clock
    handles = [_start(machine, ["sh", "-c", "yes > /dev/null"], cid=c) for c in "abc"]
    before = [h.stats().cpu_usage_ns for h in handles]
    clock.advance(3)
    machine.kernel.run(max_steps=500)
    used = [(h.stats().cpu_usage_ns - b) / 1e9 for h, b in zip(handles, before)]
    assert all(abs(u - 2.0) < 0.01 for u in used)


def test_pause_freezes_every_task_and_resume_lets_timers_take_effect():
    machine = _machine()
    clock = machine.kernel.clock
    handle = _start(machine, ["sh", "-c", "sleep 1; echo woke; yes > /dev/null"])
    handle.pause()
    assert handle.paused and handle.stats().frozen
    clock.advance(5)
    machine.kernel.run(max_steps=5000)
    assert handle.stdout.read() == b""  # the timer fired, the task stayed frozen
    assert handle.stats().cpu_usage_ns < 1e6
    assert not machine.kernel.runnable()
    handle.resume()
    machine.kernel.run(max_steps=5000)
    assert handle.stdout.read() == b"woke\n"
    before = handle.stats().cpu_usage_ns
    clock.advance(1)
    machine.kernel.run(max_steps=500)
    assert handle.stats().cpu_usage_ns - before > 0.9e9


def test_frozen_tasks_show_as_sleeping_and_new_tasks_are_frozen_too():
    machine = _machine()
    handle = _start(machine, ["sh", "-c", "yes > /dev/null"])
    proc = handle.exec(ProcessSpec(["sh", "-c", "echo hi"]))
    handle.pause()
    machine.kernel.run(max_steps=5000)
    assert proc.running and proc.stdout.read() == b""  # forked into a frozen group
    rows = {i.host_pid: i.state for i in machine.kernel.task_infos(machine.kernel.root_pidns)}
    assert rows[handle.pid] == "S"
    handle.resume()
    for _ in range(5):
        machine.kernel.run(max_steps=5000)
    out = proc.stdout.read()
    machine.collect()
    assert proc.exit_code == 0 and out == b"hi\n"


def test_sigkill_ends_a_frozen_container_and_caught_signals_wait_for_thaw():
    machine = _machine()
    handle = _start(machine, ["sh", "-c", "trap 'echo got' USR1; while true; do sleep 1; done"])
    handle.pause()
    handle.signal(10)
    machine.kernel.clock.advance(3)
    machine.kernel.run(max_steps=5000)
    assert handle.stdout.read() == b""
    handle.resume()
    machine.kernel.clock.advance(1)
    machine.kernel.run(max_steps=5000)
    assert b"got" in handle.stdout.read()
    handle.pause()
    handle.signal(9)
    machine.kernel.run_until_idle()
    machine.collect()
    assert handle.exit_code == 137


def test_cgroup_files_reflect_limits_and_usage():
    machine = _machine()
    res = Resources(memory=64 * 2**20, memory_swap=128 * 2**20, nano_cpus=500_000_000,
                    cpu_shares=512, pids_limit=50)
    handle = _start(machine, ["sleep", "1000"], res)
    script = ("cd /sys/fs/cgroup; for f in memory.max memory.swap.max cpu.max cpu.weight pids.max "
              "pids.current cgroup.freeze; do echo $f $(cat $f); done; grep -c . cgroup.procs; "
              "head -1 cpu.stat | cut -d' ' -f1; grep ^anon memory.stat | head -1 | cut -d' ' -f1")
    code, out, err = _exec_out(machine, handle, script)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[:7] == ["memory.max 67108864", "memory.swap.max 67108864", "cpu.max 50000 100000",
                         "cpu.weight 20", "pids.max 50", "pids.current 3", "cgroup.freeze 0"]
    assert lines[7:] == ["3", "usage_usec", "anon"]
    handle.update(Resources(memory=32 * 2**20))
    _, out, _ = _exec_out(machine, handle, "cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/pids.max")
    assert out == "33554432\nmax\n"
    stats = handle.stats()
    assert stats.memory_limit == 32 * 2**20 and stats.pids_current == 1
    assert stats.memory_usage >= stats.memory_stat["anon"] > 0


def test_cgroup_events_says_frozen_and_the_mounts_are_listed():
    machine = _machine()
    handle = _start(machine, ["sleep", "1000"])
    _, out, _ = _exec_out(machine, handle, "cat /sys/fs/cgroup/cgroup.events; grep sys /proc/mounts")
    assert out.splitlines() == ["populated 1", "frozen 0",
                                "sysfs /sys sysfs ro,relatime 0 0",
                                "cgroup /sys/fs/cgroup cgroup2 ro,relatime 0 0"]
    code, _, err = _exec_out(machine, handle, "echo 1 > /sys/fs/cgroup/cgroup.freeze")
    assert code != 0 and "Read-only file system" in err
    handle.pause()
    assert handle._runtime.kernel is machine.kernel
    from dockersim.sim.fs.cgroupfs import CgroupFs
    fs = CgroupFs(machine.kernel, handle.cgroup, handle._nsset.pid)
    assert fs._events() == "populated 1\nfrozen 1\n"


def test_pids_max_refuses_forks():
    machine = _machine()
    handle = _start(machine, ["sleep", "1000"], Resources(pids_limit=2))
    code, out, err = _exec_out(machine, handle, "sleep 1 & echo forked")
    assert (code, out) == (1, "") and "Resource temporarily unavailable" in err


def test_network_counters_of_the_containers_interfaces():
    machine = _machine()
    net = machine.runtime.network_sandbox()
    assert net is not None
    handle = _start(machine, ["sleep", "1000"])
    assert handle.stats().networks == ()  # only lo: nothing to report


def test_writes_to_the_writable_layer_count_as_block_io():
    machine = _machine()
    handle = _start(machine, ["sleep", "1000"])
    assert handle.stats().disk is None
    code, _, _ = _exec_out(machine, handle, "head -c 5000 /dev/zero > /big; echo x > /dev/null; "
                                            "cat /sys/fs/cgroup/io.stat")
    stats = handle.stats()
    assert code == 0 and stats.io_write_bytes == 5000 and stats.disk == (8, 0)
    _, out, _ = _exec_out(machine, handle, "cat /sys/fs/cgroup/io.stat")
    assert out.startswith("8:0 rbytes=0 wbytes=5000 ")
    assert stats.memory_stat["file"] >= 5000  # its page cache is charged to the group


def test_a_turn_on_a_core_counts_as_cpu_time_and_shows_running():
    """A task waiting in a ComputeTrap (node's turn on a host thread) is
    on a CPU: it accrues time and ps shows R, until the turn ends."""
    import types

    from dockersim.sim.io.waiter import WaitQueue
    from dockersim.sim.kernel.traps import trap
    from dockersim.sim.proc.cpu import ComputeTrap, Job
    from dockersim.sim.proc.task import ProgramImage

    from .helpers import boot

    kernel, nsset = boot()
    job = Job(WaitQueue())

    @types.coroutine
    def turn(proc):
        return (yield from trap(ComputeTrap(job)))

    from dockersim.sim.programs import table

    image = ProgramImage(program=table.lookup("busybox"), argv=("node",), path="/usr/local/bin/node", comm="node")
    task = kernel.create_task(parent=None, image=image, nsset=nsset, env={}, cwd="/",
                              coro_fn=turn)
    kernel.run()
    assert task.state.name == "BLOCKED"
    kernel.clock.advance(2)
    assert abs(kernel.cpu_seconds(task) - 2.0) < 1e-9
    row = next(i for i in kernel.task_infos(nsset.pid) if i.host_pid == task.host_pid)
    assert row.state == "R"
    job.finish(0)
    kernel.wake_all(job.queue.waiters)
    kernel.run_until_idle()
    kernel.clock.advance(5)
    assert abs(kernel.cpu_seconds(task) - 2.0) < 1e-9


def test_a_stopped_task_uses_no_cpu_and_sigstop_is_not_the_freezer():
    machine = _machine()
    clock = machine.kernel.clock
    handle = _start(machine, ["sh", "-c", "yes > /dev/null"])
    yes = next(t for t in handle.cgroup.tasks if t.image.comm == "yes")
    machine.kernel.send_signal(yes, 19)  # SIGSTOP: job control, not the cgroup's freezer
    machine.kernel.run(max_steps=500)
    before = machine.kernel.cpu_seconds(yes)
    clock.advance(2)
    assert machine.kernel.cpu_seconds(yes) == before
    assert not handle.cgroup.frozen
    handle.pause()
    machine.kernel.send_signal(yes, 18)  # SIGCONT while frozen: runnable, but frozen
    machine.kernel.run(max_steps=500)
    clock.advance(2)
    assert machine.kernel.cpu_seconds(yes) == before
    rows = {i.host_pid: i.state for i in machine.kernel.task_infos(machine.kernel.root_pidns)}
    assert rows[yes.host_pid] == "S"
    handle.resume()
    machine.kernel.run(max_steps=500)
    clock.advance(1)
    assert abs(machine.kernel.cpu_seconds(yes) - before - 1.0) < 1e-6


def test_a_cpu_quota_or_cpuset_caps_the_cpu_time():
    machine = _machine()
    clock = machine.kernel.clock
    half = _start(machine, ["sh", "-c", "yes > /dev/null"], Resources(nano_cpus=500_000_000), cid="a")
    two = _start(machine, ["sh", "-c", "yes > /dev/null & yes > /dev/null"],
                 Resources(cpuset_cpus="1"), cid="b")
    machine.kernel.run(max_steps=2000)
    before = [half.stats().cpu_usage_ns, two.stats().cpu_usage_ns]
    clock.advance(4)
    used = [(half.stats().cpu_usage_ns - before[0]) / 1e9, (two.stats().cpu_usage_ns - before[1]) / 1e9]
    assert abs(used[0] - 2.0) < 1e-6  # 0.5 CPU
    assert abs(used[1] - 4.0) < 1e-6  # two busy tasks on one CPU
    half.update(Resources(nano_cpus=1_500_000_000))  # more than its one task can use
    before = half.stats().cpu_usage_ns
    clock.advance(1)
    # Three busy tasks on two CPUs: 2/3 of a CPU each.
    assert abs((half.stats().cpu_usage_ns - before) / 1e9 - 2 / 3) < 1e-6
    assert half._nsset.mnt.read_bytes("/sys/fs/cgroup/cpu.max") == b"150000 100000\n"


def test_proc_pid_cgroup_inside_and_on_the_host():
    machine = _machine()
    handle = _start(machine, ["sleep", "1000"])
    _, out, _ = _exec_out(machine, handle, "cat /proc/1/cgroup")
    assert out == "0::/\n"
    proc = machine.runtime.host_exec(["cat", f"/proc/{handle.pid}/cgroup"])
    assert run_to_exit(machine, proc)[1] == f"0::/system.slice/docker-{'c' * 64}.scope\n"
