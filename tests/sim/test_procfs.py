"""procfs, the kernel's machine figures (meminfo, load averages, uptime)
and statfs: what /proc shows must be the kernel's state."""

import pytest
from dockersim.sim import kernel as kmod
from dockersim.sim.abi import O_RDWR, O_WRONLY, Errno, Signal
from dockersim.sim.clock import ManualClock
from dockersim.sim.errors import SimError
from dockersim.sim.fs.memfs import DEVFS_SIZE, tree_from_dict
from dockersim.sim.fs.tar import write_tree
from dockersim.sim.ids import IdSource
from dockersim.sim.io.pipe import Pipe
from dockersim.sim.proc.files import FileDesc, PipeDesc
from dockersim.sim.programs import table
from dockersim.sim.runtime.machine import Machine
from dockersim.sim.runtime.spec import ContainerSpec, ProcessSpec, RootSpec

from .helpers import OneLayer, PATH, boot, rootfs_spec, run_program


def run_in(kernel, nsset, argv, *, uid=0, gid=0, stdin=b""):
    """Run ``argv`` in ``nsset`` of a booted kernel to completion; returns
    (exit code, stdout text, stderr text)."""
    out, err = Pipe(wake=kernel.wake_all), Pipe(wake=kernel.wake_all)
    out.open_end("r")
    err.open_end("r")
    fd0 = FileDesc(file=nsset.mnt.open("/dev/null", O_RDWR), flags=O_RDWR)
    task = kernel.spawn(argv=argv, env={"PATH": PATH, "HOME": "/root"}, nsset=nsset, uid=uid,
                        gid=gid, fds={0: fd0, 1: PipeDesc(pipe=out, kind="w"),
                                      2: PipeDesc(pipe=err, kind="w")})
    chunks, errs = [], []
    while True:
        kernel.run_until_idle()
        chunks.append(out.drain())
        errs.append(err.drain())
        if task.exit_status is not None:
            break
        kernel.clock.set(kernel.next_deadline())
    return task.exit_status.exit_code, b"".join(chunks).decode(), b"".join(errs).decode()


def sleeper(kernel, nsset, seconds="1000"):
    return kernel.spawn(argv=["sleep", seconds], env={"PATH": PATH}, nsset=nsset)


def booted(**kw):
    """boot(), with a long-lived PID 1 in the test namespace (so more than
    one command can run there: a namespace whose init died takes no new
    task)."""
    kernel, nsset = boot(**kw)
    kernel.spawn(argv=["sleep", "100000"], env={"PATH": PATH}, nsset=nsset)
    kernel.run_until_idle()
    return kernel, nsset


def meminfo_text(text):
    return {line.split(":")[0]: int(line.split()[1]) for line in text.splitlines()}


# -- /proc/<pid> -------------------------------------------------------------

def test_a_new_task_appears_with_its_cmdline_and_status():
    kernel, nsset = booted()
    _, out, _ = run_in(kernel, nsset, ["ls", "/proc"])
    assert out.split() == ["1", "2", "cpuinfo", "loadavg", "meminfo", "mounts", "net", "self", "sys",
                           "uptime", "version"]  # init (sleep), ls itself and its /proc/self
    task = sleeper(kernel, nsset)
    kernel.run_until_idle()
    pid = nsset.pid.pid_of(task)
    _, out, _ = run_in(kernel, nsset, ["cat", f"/proc/{pid}/cmdline"])
    assert out == "sleep\x001000\x00"
    _, out, _ = run_in(kernel, nsset, ["cat", f"/proc/{pid}/status", f"/proc/{pid}/comm"])
    status = dict(line.split(":\t", 1) for line in out.splitlines()[:-1])
    program = table.lookup("busybox")
    assert status["Name"] == "sleep" and status["State"] == "S (sleeping)"
    assert pid == 3 and status["Pid"] == str(pid) and status["PPid"] == "0"
    assert status["Uid"] == "0\t0\t0\t0" and status["Threads"] == "1"
    assert status["VmRSS"] == f"{program.rss_kb:8d} kB"
    assert status["VmSize"] == f"{program.vsz_kb:8d} kB"
    assert out.splitlines()[-1] == "sleep"
    _, out, _ = run_in(kernel, nsset, ["ls", "/proc"])
    assert str(pid) in out.split()
    kernel.send_signal(task, Signal.SIGKILL)
    kernel.run_until_idle()
    assert not nsset.mnt.exists(f"/proc/{pid}")  # reaped: gone


def test_pid_dirs_are_owned_by_the_task_and_read_only():
    kernel, nsset = boot()
    kernel.spawn(argv=["sleep", "100"], env={"PATH": PATH}, nsset=nsset, uid=1000, gid=1000)
    kernel.run_until_idle()
    vfs = nsset.mnt
    st = vfs.stat("/proc/1")
    assert (st.uid, st.gid, st.perm, st.is_dir) == (1000, 1000, 0o555, True)
    assert vfs.stat("/proc/1/status").perm == 0o444
    assert vfs.stat("/proc/1/comm").perm == 0o644
    assert vfs.stat("/proc").perm == 0o555
    assert vfs.stat("/proc/meminfo").perm == 0o444 and vfs.stat("/proc/meminfo").size == 0
    assert vfs.stat("/proc/sys/kernel/hostname").uid == 0


def test_stat_has_52_fields_from_the_task():
    kernel, nsset = booted()
    task = nsset.pid.lookup(1)
    kernel.clock.advance(3)
    _, out, _ = run_in(kernel, nsset, ["cat", "/proc/1/stat"])
    fields = out.split()
    assert len(fields) == 52
    assert fields[:4] == ["1", "(sleep)", "S", "0"]
    assert int(fields[21]) == int((task.start_time - kernel.boot_time) * 100)  # starttime
    assert int(fields[22]) == table.lookup("busybox").vsz_kb * 1024  # vsize
    assert int(fields[23]) == table.lookup("busybox").rss_kb // 4  # rss in pages
    assert int(fields[13]) == int(kernel.cpu_seconds(task) * 100)  # utime


def test_writes_fail():
    kernel, nsset = booted()
    vfs = nsset.mnt
    for path in ("/proc/meminfo", "/proc/sys/kernel/hostname"):
        with pytest.raises(SimError) as e:
            vfs.open(path, O_WRONLY)
        assert e.value.errno_value == Errno.EROFS
        with pytest.raises(SimError) as e:
            vfs.open(path, O_WRONLY, uid=1000, gid=1000)
        assert e.value.errno_value == Errno.EACCES
    with pytest.raises(SimError) as e:
        vfs.mkdir("/proc/x")
    assert e.value.errno_value == Errno.EROFS
    with pytest.raises(SimError) as e:
        vfs.chmod("/proc/meminfo", 0o666)
    assert e.value.errno_value == Errno.EROFS
    code, _, err = run_in(kernel, nsset, ["sh", "-c", "echo 1 > /proc/meminfo"])
    assert code != 0 and "Read-only file system" in err
    code, _, err = run_in(kernel, nsset, ["sh", "-c", "echo 1 > /proc/meminfo"], uid=1000, gid=1000)
    assert code != 0 and "Permission denied" in err


# -- machine figures ------------------------------------------------------------

def test_meminfo_is_the_kernels_and_memfree_drops_with_tasks():
    kernel, nsset = booted()
    before = kernel.meminfo()
    assert before["MemTotal"] == kernel.mem_total_kb
    rss = table.lookup("busybox").rss_kb
    for _ in range(5):
        sleeper(kernel, nsset)
    kernel.run_until_idle()
    after = kernel.meminfo()
    assert before["MemFree"] - after["MemFree"] == 5 * rss
    _, out, _ = run_in(kernel, nsset, ["cat", "/proc/meminfo"])
    shown = meminfo_text(out)
    # read while cat itself was alive: its own memory is counted too
    assert shown["MemFree"] == after["MemFree"] - rss
    assert shown["MemTotal"] == kernel.mem_total_kb
    assert set(shown) >= {"MemTotal", "MemFree", "MemAvailable", "Buffers", "Cached", "Shmem",
                          "SReclaimable", "SwapTotal", "SwapFree"}
    assert out.splitlines()[0] == f"MemTotal:       {kernel.mem_total_kb:8d} kB"


def test_cached_and_shmem_follow_the_file_data_held():
    kernel, nsset = boot()
    before = kernel.meminfo()
    nsset.mnt.write_bytes("/tmp/big", b"x" * (1 << 20))  # the overlay's upper tree
    mid = kernel.meminfo()
    assert mid["Cached"] - before["Cached"] == 1024
    assert mid["Shmem"] == before["Shmem"]
    assert mid["MemFree"] < before["MemFree"]
    nsset.mnt.write_bytes("/dev/shm/seg", b"y" * (256 << 10))  # tmpfs
    after = kernel.meminfo()
    assert after["Shmem"] - mid["Shmem"] == 256
    assert after["Cached"] - mid["Cached"] == 256
    info = run_program(["true"]).kernel  # a fresh kernel: nothing written
    assert info.meminfo()["Cached"] < after["Cached"]


def test_sysinfo_agrees_with_meminfo():
    kernel, nsset = boot()
    seen = {}

    async def probe(proc, argv):
        seen["sysinfo"] = proc.sysinfo()
        seen["meminfo"] = proc._k.meminfo()
        return 0

    table.register("probe-sysinfo", probe)
    nsset.mnt.write_bytes("/bin/probe", table.marker("probe-sysinfo"), mode=0o755)
    run_in(kernel, nsset, ["/bin/probe"])
    si, m = seen["sysinfo"], seen["meminfo"]
    assert si["totalram"] == m["MemTotal"] * 1024 and si["freeram"] == m["MemFree"] * 1024
    assert si["bufferram"] == m["Buffers"] * 1024 and si["sharedram"] == m["Shmem"] * 1024
    assert si["ncpu"] == kernel.ncpu and si["procs"] == 1 and si["loads"] == (0, 0, 0)


def shown(avenrun):
    """loadavg.c's LOAD_INT.LOAD_FRAC of each average, rounded to 1/100."""
    out = []
    for a in avenrun:
        a += kmod.FIXED_1 // 200
        out.append(f"{a >> kmod.FSHIFT}.{((a & (kmod.FIXED_1 - 1)) * 100) >> kmod.FSHIFT:02d}")
    return out


def busy(kernel, nsset):
    """``yes > /dev/null``: a task that is always runnable."""
    null = FileDesc(file=nsset.mnt.open("/dev/null", O_RDWR), flags=O_RDWR)
    return kernel.spawn(argv=["yes"], env={"PATH": PATH}, nsset=nsset, fds={1: null})


def test_loadavg_rises_with_a_busy_task_and_decays():
    kernel, nsset = booted()
    task = busy(kernel, nsset)
    assert kernel.run(max_steps=500)  # still runnable
    kernel.clock.advance(60)
    kernel.run(max_steps=500)
    n = int((60 - kmod.LOAD_FREQ) // kmod.LOAD_FREQ) + 1
    expect = [kmod.calc_load_n(0, e, kmod.FIXED_1, n) for e in (kmod.EXP_1, kmod.EXP_5, kmod.EXP_15)]
    assert kernel.avenrun == expect
    one, five, fifteen = kernel.loadavg()
    assert 0.6 < one < 0.65 and five < one and fifteen < five  # 1 - 1/e after a minute
    kernel.send_signal(task, Signal.SIGKILL)
    kernel.run_until_idle()
    _, out, _ = run_in(kernel, nsset, ["cat", "/proc/loadavg"])
    assert out.split()[:3] == shown(expect) == ["0.60", "0.17", "0.06"]
    # The busy task is gone; nothing runs: a minute later the load decayed.
    kernel.clock.advance(60)
    kernel.run()
    decayed = kernel.loadavg()
    assert decayed[0] < one * 0.4 and decayed[2] < fifteen
    _, out, _ = run_in(kernel, nsset, ["cat", "/proc/loadavg"])
    fields = out.split()
    assert fields[:3] == shown(kernel.avenrun)
    assert fields[3] == "1/2"  # cat itself runs; init sleeps
    assert fields[4] == str(nsset.pid.last_pid) == "4"


def test_loadavg_is_deterministic_in_virtual_time():
    results = []
    for _ in range(2):
        kernel, nsset = boot()
        busy(kernel, nsset)
        busy(kernel, nsset)
        for _ in range(30):
            kernel.run(max_steps=200)
            kernel.clock.advance(7.5)
        results.append(list(kernel.avenrun))
    assert results[0] == results[1]
    assert 1.0 < results[0][0] / kmod.FIXED_1 < 2.0  # two busy tasks: heading for 2


def test_uptime_and_idle_follow_the_clock():
    kernel, nsset = booted()
    kernel.clock.advance(100.256)
    assert kernel.uptime() == pytest.approx(100.256)
    _, out, _ = run_in(kernel, nsset, ["cat", "/proc/uptime"])
    up, idle = out.split()
    assert up == "100.25"  # truncated to hundredths, as Linux prints it
    assert float(idle) <= 2 * 100.256 and float(idle) > 200


def test_version_cpuinfo_hostname():
    kernel, nsset = booted()
    _, out, _ = run_in(kernel, nsset, ["cat", "/proc/version"])
    assert out.startswith(f"Linux version {kernel.release} (") and out.endswith(kernel.version + "\n")
    _, out, _ = run_in(kernel, nsset, ["cat", "/proc/cpuinfo"])
    assert [line for line in out.splitlines() if line.startswith("processor")] == [
        f"processor\t: {i}" for i in range(kernel.ncpu)]
    _, out, _ = run_in(kernel, nsset, ["cat", "/proc/sys/kernel/hostname"])
    assert out == "testhost\n"


# -- mounts and statfs ---------------------------------------------------------------

def test_proc_mounts_lists_the_namespace_mounts():
    kernel, nsset = boot()
    _, out, _ = run_in(kernel, nsset, ["cat", "/proc/mounts"])
    assert out.splitlines() == [
        "overlay / overlay rw,relatime 0 0",
        f"tmpfs /dev tmpfs rw,nosuid,size={DEVFS_SIZE // 1024}k,mode=755,inode64 0 0",
        "proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0",
    ]


def test_statfs_is_derived_from_the_filesystem():
    kernel, nsset = boot()
    vfs = nsset.mnt
    root = kernel.statfs(vfs.mount_of("/").fs)
    assert root.f_type == "overlay" and root.f_bsize == 4096
    assert root.f_blocks * 4096 == kernel.disk_size_kb * 1024
    vfs.write_bytes("/tmp/data", b"z" * 40960)
    grown = kernel.statfs(vfs.mount_of("/tmp/data").fs)
    assert root.f_bfree - grown.f_bfree == 10
    assert root.f_ffree - grown.f_ffree == 2  # the file and /tmp, copied up
    assert grown.f_bavail == grown.f_bfree - grown.f_blocks * 5 // 100  # ext4's root reserve
    dev = kernel.statfs(vfs.mount_of("/dev/null").fs)
    assert dev.f_type == "tmpfs" and dev.f_blocks * 4096 == DEVFS_SIZE
    vfs.write_bytes("/dev/shm/x", b"q" * 5000)
    assert kernel.statfs(vfs.mount_of("/dev").fs).f_bfree == dev.f_bfree - 2
    proc = kernel.statfs(vfs.mount_of("/proc/meminfo").fs)
    assert (proc.f_type, proc.f_blocks, proc.f_files) == ("proc", 0, 0)


# -- without /proc; small machines --------------------------------------------------------

def test_tools_without_proc_fail_like_the_real_ones():
    r = run_program(["free"], proc=False)
    assert (r.exit_code, r.out, r.err) == (1, "", "free: can't open '/proc/meminfo': No such file or directory\n")
    r = run_program(["top", "-b", "-n", "1"], proc=False)
    assert (r.exit_code, r.err) == (1, "top: can't open 'meminfo': No such file or directory\n")
    r = run_program(["df"], proc=False)
    assert (r.exit_code, r.err) == (1, "df: /proc/mounts: No such file or directory\n")
    r = run_program(["ps", "aux"], proc=False, image="debian")
    assert r.exit_code == 1 and r.err.startswith("Error: /proc must be mounted\n")


def test_procps_pmem_uses_memtotal_from_proc():
    kernel, nsset = boot(image="debian")
    kernel.mem_total_kb = 65536
    _, out, _ = run_in(kernel, nsset, ["ps", "-o", "pid,rss,pmem"])
    rss = table.lookup("ps").rss_kb
    pmem = rss * 1000 // 65536
    assert out.splitlines()[1].split() == ["1", str(rss), f"{pmem // 10}.{pmem % 10}"]


# -- containers and the host -----------------------------------------------------------------

def test_proc_in_a_container_lists_only_its_namespace():
    rootfs = write_tree(tree_from_dict(rootfs_spec("busybox")))
    machine = Machine.boot(ManualClock(), IdSource(seed=1), OneLayer(rootfs))
    kernel = machine.kernel
    crt = machine.runtime.create(ContainerSpec(
        "c" * 64, ProcessSpec(["sh", "-c", "sleep 5; ls /proc; cat /proc/1/cmdline"]),
        RootSpec(["sha256:x"]), "box"))
    kernel.run_until_idle()
    host_pids = set(kernel.root_pidns.tasks)
    _, out, _ = run_in(kernel, kernel.host_ns, ["ls", "/proc"])
    assert {str(p) for p in host_pids} <= set(out.split())
    assert str(crt.pid) in out.split()
    kernel.clock.set(kernel.next_deadline())
    kernel.run_until_idle()
    out = crt.stdout.read().decode()
    listing, cmdline = out.split("version\n")
    # sh is PID 1; sleep (2) is gone; ls is 3.  Nothing of the host shows.
    assert [n for n in listing.split() if n.isdigit()] == ["1", "3"]
    assert cmdline == "sh\x00-c\x00sleep 5; ls /proc; cat /proc/1/cmdline\x00"


def test_proc_self_is_the_reader():
    result = run_program(["sh", "-c", "readlink /proc/self; cut -d' ' -f1-3 /proc/self/stat; "
                                      "ls /proc | grep -c '^self$'"])
    lines = result.out.splitlines()
    # readlink, then cut, read their own PIDs (the shell is PID 1)
    assert lines[0] == "2" and lines[1] == "3 (cut) R" and lines[2] == "1"
