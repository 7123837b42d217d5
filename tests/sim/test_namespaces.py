"""--init (docker-init), the PID, UTS, IPC and cgroup namespaces a
container gets or shares, /dev/shm, the cgroup parent, and the OOM killer."""

from dockersim.sim.abi import Signal
from dockersim.sim.runtime.spec import ContainerSpec, Namespaces, ProcessSpec, Resources, RootSpec
from dockersim.sim.runtime.spec import DirMount

from .helpers import boot_machine, run_to_exit


def _start(machine, argv, cid="c", **kw):
    spec = ContainerSpec(cid * 64, ProcessSpec(argv), RootSpec(["sha256:x"]), "box-" + cid, **kw)
    handle = machine.runtime.create(spec)
    machine.kernel.run(max_steps=2000)
    return handle


def _run(machine, argv, cid="r", **kw):
    return run_to_exit(machine, _start(machine, argv, cid=cid, **kw))


def _exec_out(machine, handle, script):
    return run_to_exit(machine, handle.exec(ProcessSpec(["sh", "-c", script])))


# -- --init ---------------------------------------------------------------------------

def test_init_is_pid_1_and_the_command_its_child():
    machine = boot_machine()
    code, out, _ = _run(machine, ["ps", "-o", "pid,ppid,args"], init=True)
    assert code == 0
    lines = [line.split(None, 2) for line in out.splitlines()[1:]]
    assert lines[0] == ["1", "0", "/sbin/docker-init -- ps -o pid,ppid,args"]
    assert lines[1][1:] == ["1", "ps -o pid,ppid,args"]


def test_init_exits_with_the_childs_status():
    machine = boot_machine()
    assert _run(machine, ["sh", "-c", "exit 3"], init=True)[0] == 3
    code, _, err = _run(machine, ["nosuch"], cid="n", init=True)
    assert code == 127
    assert err.startswith("[FATAL tini (") and err.endswith(")] exec nosuch failed: No such file or directory\n")


def test_init_reaps_orphaned_zombies():
    # sh starts a grandchild that outlives its parent: the orphan is
    # handed to PID 1.  Without init, busybox sh as PID 1 never waits for
    # it and a zombie stays; docker-init reaps it.
    script = "sh -c 'sleep 1 &' ; sleep 3; ps -o pid,stat,comm"
    machine = boot_machine()
    _, plain, _ = _run(machine, ["sh", "-c", script], cid="p")
    assert any(line.split()[1] == "Z" for line in plain.splitlines()[1:]), plain
    _, with_init, _ = _run(machine, ["sh", "-c", script], cid="i", init=True)
    assert not any(line.split()[1] == "Z" for line in with_init.splitlines()[1:]), with_init


def test_init_forwards_sigterm_to_a_shell_that_as_pid_1_would_ignore_it():
    machine = boot_machine()
    plain = _start(machine, ["sh", "-c", "while true; do sleep 1; done"], cid="p")
    plain.signal(Signal.SIGTERM)
    machine.kernel.run(max_steps=2000)
    assert plain.running  # PID 1 without a handler: SIGTERM ignored
    handle = _start(machine, ["sh", "-c", "while true; do sleep 1; done"], cid="i", init=True)
    handle.signal(Signal.SIGTERM)
    code, _, _ = run_to_exit(machine, handle)
    assert code == 128 + 15


# -- PID namespaces --------------------------------------------------------------------

def test_pid_host_sees_the_hosts_tasks_and_other_containers():
    machine = boot_machine()
    other = _start(machine, ["sleep", "1000"], cid="o")
    code, out, _ = _run(machine, ["ps", "-o", "pid,args"], namespaces=Namespaces(pid="host"))
    assert "/usr/bin/dockerd" in out and "/sbin/init" in out
    assert f"{other.pid} sleep 1000" in " ".join(out.split())
    assert "o" * 64 in out  # the shims, as the host lists them


def test_pid_container_joins_the_others_namespace():
    machine = boot_machine()
    donor = _start(machine, ["sleep", "1000"], cid="d")
    code, out, _ = _run(machine, ["ps", "-o", "pid,args"], namespaces=Namespaces(pid="container:" + "d" * 64))
    rows = [" ".join(line.split()) for line in out.splitlines()[1:]]
    assert rows[0] == "1 sleep 1000" and rows[1] == "2 ps -o pid,args"
    assert donor.running


def test_a_joined_container_dies_with_the_donors_init():
    machine = boot_machine()
    donor = _start(machine, ["sleep", "1000"], cid="d")
    joined = _start(machine, ["sleep", "1000"], cid="j", namespaces=Namespaces(pid="container:" + "d" * 64))
    assert joined.pids() == [joined.pid]
    donor.signal(Signal.SIGKILL)
    assert run_to_exit(machine, joined)[0] == 137


def test_pid_host_container_processes_are_killed_with_its_first():
    machine = boot_machine()
    handle = _start(machine, ["sh", "-c", "sleep 1000 & sleep 1000"], namespaces=Namespaces(pid="host"))
    assert len(handle.pids()) == 3  # sh, and two sleeps
    child = handle.pids()[1]
    handle.signal(Signal.SIGKILL)
    run_to_exit(machine, handle)
    machine.kernel.run(max_steps=2000)
    assert machine.kernel.root_pidns.lookup(child) is None or not machine.kernel.root_pidns.lookup(child).alive


# -- UTS, IPC, cgroup namespaces --------------------------------------------------------

def test_uts_host_shows_the_hosts_name():
    machine = boot_machine()
    assert _run(machine, ["hostname"])[1] == "box-r\n"
    assert _run(machine, ["hostname"], cid="h", namespaces=Namespaces(uts="host"))[1] == "dockersim\n"


def test_dev_shm_is_a_tmpfs_of_shm_size():
    machine = boot_machine()
    _, out, _ = _run(machine, ["df", "-k", "/dev/shm"])
    assert out.splitlines()[1].split()[:2] == ["shm", "65536"]
    _, out, _ = _run(machine, ["grep", "/dev/shm", "/proc/mounts"], cid="s",
                     namespaces=Namespaces(shm_size=8 * 1024 * 1024))
    assert out == "shm /dev/shm tmpfs rw,nosuid,nodev,noexec,relatime,size=8192k,inode64 0 0\n"


def test_ipc_none_has_no_dev_shm():
    machine = boot_machine()
    code, _, err = _run(machine, ["ls", "/dev/shm"], namespaces=Namespaces(ipc="none"))
    assert code == 1 and "No such file or directory" in err


def test_ipc_container_shares_dev_shm_and_host_shares_the_hosts():
    machine = boot_machine()
    donor = _start(machine, ["sleep", "1000"], cid="d", namespaces=Namespaces(ipc="shareable"))
    _exec_out(machine, donor, "echo hi > /dev/shm/note")
    _, out, _ = _run(machine, ["cat", "/dev/shm/note"], namespaces=Namespaces(ipc="container:" + "d" * 64))
    assert out == "hi\n"
    _run(machine, ["sh", "-c", "echo host > /dev/shm/h"], cid="h", namespaces=Namespaces(ipc="host"))
    assert machine.read_host_file("/dev/shm/h") == b"host\n"
    _, _, err = _run(machine, ["cat", "/dev/shm/note"], cid="p")
    assert "No such file" in err  # a private one of its own


def test_cgroupns_host_shows_the_full_path_and_the_cgroup_parent():
    machine = boot_machine()
    assert _run(machine, ["cat", "/proc/self/cgroup"])[1] == "0::/\n"
    out = _run(machine, ["cat", "/proc/self/cgroup"], cid="h", namespaces=Namespaces(cgroupns="host"))[1]
    assert out == f"0::/system.slice/docker-{'h' * 64}.scope\n"
    out = _run(machine, ["cat", "/proc/self/cgroup"], cid="p",
               namespaces=Namespaces(cgroupns="host", cgroup_parent="my-app.slice"))[1]
    assert out == f"0::/my.slice/my-app.slice/docker-{'p' * 64}.scope\n"


# -- the OOM killer ------------------------------------------------------------------------

def test_filling_dev_shm_past_memory_max_is_an_oom_kill():
    machine = boot_machine()
    handle = _start(machine, ["sh", "-c", "head -c 20000000 /dev/zero > /dev/shm/x; echo survived"],
                    resources=Resources(memory=8 * 1024 * 1024, memory_swap=16 * 1024 * 1024))
    code, out, _ = run_to_exit(machine, handle)
    assert code == 137 and "survived" not in out
    assert handle.oom_killed
    assert handle.cgroup.oom_kills >= 1


def test_memory_events_counts_the_kill_and_tmpfs_counts_as_shmem():
    machine = boot_machine()
    handle = _start(machine, ["sleep", "1000"], resources=Resources(memory=8 * 1024 * 1024,
                                                                    memory_reservation=4 * 1024 * 1024),
                    dir_mounts=(DirMount("/scratch", kind="tmpfs"),))
    _, out, _ = _exec_out(machine, handle, "head -c 100000 /dev/zero > /scratch/a; "
                                           "grep -w shmem /sys/fs/cgroup/memory.stat; cat /sys/fs/cgroup/memory.low")
    assert out == "shmem 102400\n4194304\n"
    code, _, _ = _exec_out(machine, handle, "head -c 9000000 /dev/zero > /scratch/b")
    assert code == 137 or not handle.running
    assert handle.oom_killed


def test_writes_to_the_writable_layer_are_page_cache_and_never_oom():
    machine = boot_machine()
    code, _, _ = _run(machine, ["sh", "-c", "head -c 12000000 /dev/zero > /tmp/big"],
                      resources=Resources(memory=8 * 1024 * 1024))
    assert code == 0
