"""procfs (proc(5)): the kernel's state as files, generated when opened.

A `ProcFs` is bound to a kernel and to the PID namespace that mounted it
(a container's /proc shows the container's tasks, numbered as the container
numbers them; the host's shows every task).  It learns the mount namespace
it is mounted in from `Vfs.mount` (``attach``), for /proc/mounts.

Contents:

- ``/proc/meminfo``: `Kernel.meminfo` in proc(5)'s ``Name:   N kB`` lines;
- ``/proc/loadavg``: `Kernel.avenrun` (loadavg.c's rounding), runnable and
  total tasks on the machine, and the last PID handed out in this
  namespace (``0.12 0.05 0.01 1/87 4242``);
- ``/proc/uptime``: seconds since boot and idle CPU-seconds;
- ``/proc/version``, ``/proc/cpuinfo`` (one entry per CPU),
  ``/proc/mounts`` (the mount table: source, path, type, options);
- ``/proc/sys/kernel/{hostname,osrelease,ostype,pid_max}``;
- ``/proc/net/{tcp,tcp6,udp,udp6,dev,route,if_inet6,unix}``: the network
  namespace's tables (`sim.net.procnet`);
- ``/proc/<pid>/{cgroup,cmdline,comm,stat,status}`` for every task the namespace
  sees, zombies included, until reaped; ``/proc/<pid>/fd/<n>`` links
  naming what each descriptor refers to (``socket:[inode]`` for sockets).

Modes and owners are Linux's: directories 0555, files 0444 (``comm`` and
the writable sysctls 0644), ``/proc/<pid>`` and its files owned by the
task's uid and gid; sizes are 0.  The filesystem is read-only: a write
fails with EACCES where the mode bits forbid it (any non-root caller) and
EROFS otherwise (root; Linux would let root open some of these files and
then fail the write).  Not simulated: ``/proc/self`` (the filesystem does
not know who is reading), ``/proc/stat``.
"""

from __future__ import annotations

import posixpath

import attrs

from ..abi import S_IFDIR, S_IFLNK, S_IFREG, Errno, cap_mask, text_bytes
from ..errors import SimError
from ..kernel.cgroup import cpu_list, cpu_set
from .memfs import S_IFMT_MASK, Dir, File, Stat, Usage, makedev

#: PID_MAX as /proc/sys/kernel/pid_max shows it (64-bit Linux).
PID_MAX = 4194304
#: Clock ticks per second in /proc/<pid>/stat (USER_HZ, sysconf(_SC_CLK_TCK)).
USER_HZ = 100
#: Who and what built the simulated kernel (the /proc/version line).
LINUX_COMPILE_BY = "dockersim@dockersim"
LINUX_COMPILER = "gcc (GCC) 13.2.0, GNU ld (GNU Binutils) 2.42"
#: The simulated CPU, as /proc/cpuinfo describes each one.
CPU_MODEL_NAME = "dockersim virtual CPU @ 2.40GHz"
CPU_MHZ = 2400.0
CPU_FLAGS = ("fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush "
             "mmx fxsr sse sse2 ht syscall nx lm constant_tsc rep_good nopl cpuid pni ssse3 "
             "cx16 sse4_1 sse4_2 x2apic popcnt aes xsave avx hypervisor lahf_lm")
#: PF_RANDOMIZE, and PF_EXITING for a zombie (include/linux/sched.h).
PF_RANDOMIZE = 0x00400000
PF_EXITING = 0x00000004
#: Where the inode numbers of /proc/<pid>/fd and its links start.
FD_INO_BASE = 0x40000000
#: The first inode number of procfs's static entries (PROC_DYNAMIC_FIRST).
PROC_DYNAMIC_FIRST = 0xF0000000

_STATE_NAMES = {"R": "R (running)", "S": "S (sleeping)", "D": "D (disk sleep)",
                "T": "T (stopped)", "t": "t (tracing stop)", "Z": "Z (zombie)", "X": "X (dead)"}

#: The static tree: name -> (mode, generator method) or a directory dict.
_STATIC: dict = {
    "cpuinfo": (0o444, "_cpuinfo"),
    "loadavg": (0o444, "_loadavg"),
    "meminfo": (0o444, "_meminfo"),
    "mounts": (0o444, "_mounts"),
    "net": {
        "dev": (0o444, "_net_dev"),
        "if_inet6": (0o444, "_net_if_inet6"),
        "route": (0o444, "_net_route"),
        "tcp": (0o444, "_net_tcp"),
        "tcp6": (0o444, "_net_tcp6"),
        "udp": (0o444, "_net_udp"),
        "udp6": (0o444, "_net_udp6"),
        "unix": (0o444, "_net_unix"),
    },
    "sys": {"kernel": {
        "hostname": (0o644, "_hostname"),
        "osrelease": (0o444, "_osrelease"),
        "ostype": (0o444, "_ostype"),
        "pid_max": (0o644, "_pid_max"),
    }},
    "uptime": (0o444, "_uptime"),
    "version": (0o444, "_version"),
}
#: The files of a /proc/<pid> directory: name -> (mode, generator method).
_PID_FILES = {"cgroup": (0o444, "_cgroup"), "cmdline": (0o444, "_cmdline"),
              "comm": (0o644, "_comm"), "limits": (0o444, "_limits"),
              "oom_score_adj": (0o644, "_oom_score_adj"), "stat": (0o444, "_stat"),
              "status": (0o444, "_status")}


def _static_inos() -> dict:
    inos, n = {(): 1}, PROC_DYNAMIC_FIRST

    def walk(tree, prefix):
        nonlocal n
        for name in sorted(tree):
            inos[prefix + (name,)] = n
            n += 1
            if isinstance(tree[name], dict):
                walk(tree[name], prefix + (name,))

    walk(_STATIC, ())
    return inos


_STATIC_INOS = _static_inos()


@attrs.frozen
class ProcNode:
    """One procfs object: its path below /proc and its attributes.  For
    ``/proc/<pid>`` and what is inside, ``pid`` (in the procfs's namespace)
    and ``host_pid`` name the task (a reused PID is another task)."""

    path: tuple
    mode: int
    uid: int
    gid: int
    ino: int
    mtime: float
    pid: int = 0
    host_pid: int = 0
    gen: str = ""  # the generator method of a file

    @property
    def is_dir(self) -> bool:
        return self.mode & S_IFMT_MASK == S_IFDIR


def _load(a: int, fshift: int = 11) -> str:
    """One load figure as loadavg.c prints it: LOAD_INT.LOAD_FRAC of
    ``a + FIXED_1/200`` (rounded to hundredths)."""
    fixed_1 = 1 << fshift
    a += fixed_1 // 200
    return f"{a >> fshift}.{((a & (fixed_1 - 1)) * 100) >> fshift:02d}"


def _centi(seconds: float) -> str:
    """``%lu.%02lu`` of a time, truncated to hundredths (/proc/uptime)."""
    cs = int(seconds * 100)
    return f"{cs // 100}.{cs % 100:02d}"


def _mangle(text: str) -> str:
    """/proc/mounts escapes space, tab, newline and backslash as octal."""
    for ch in "\\ \t\n":
        text = text.replace(ch, f"\\{ord(ch):03o}")
    return text


def _sigmask(signals) -> str:
    mask = 0
    for sig in signals:
        mask |= 1 << (int(sig) - 1)
    return f"{mask:016x}"


#: The inode of /proc/self (Linux's PROC_SELF_INO is fixed too).
SELF_INO = 0xEFFFFFFF


@attrs.define(eq=False)
class ProcFs:
    """procfs for ``pidns``, over ``kernel``; ``uts`` is the UTS namespace
    whose hostname /proc/sys/kernel/hostname shows (the host's if None).
    Implements the `sim.fs.vfs.Filesystem` protocol with `ProcNode`s."""

    readonly = True
    fstype = "proc"
    source = "proc"

    kernel: object
    pidns: object
    uts: object = None
    #: The mount namespace it is mounted in (set by `attach`).
    vfs: object = attrs.field(default=None, kw_only=True)
    #: The network namespace /proc/net shows (None: that of the PID
    #: namespace's init, else the host's).  Linux shows the reader's; a
    #: container's tasks all share one.
    net: object = attrs.field(default=None, kw_only=True)
    #: The cgroup namespace's root (a cgroup path): /proc/<pid>/cgroup
    #: shows groups relative to it.  None: a container's own group when the
    #: PID namespace is a child (Docker's private cgroupns), else "/".
    cgroup_root: "str | None" = attrs.field(default=None, kw_only=True)

    @property
    def now(self):
        return self.kernel.clock.now

    def attach(self, vfs) -> None:
        """Called by `Vfs.mount`: /proc/mounts lists that namespace."""
        if self.vfs is None:
            self.vfs = vfs

    # -- space ---------------------------------------------------------------
    def usage(self) -> Usage:
        return Usage()

    def cached_parts(self) -> list:
        return []

    # -- nodes ---------------------------------------------------------------
    def _static_node(self, path: tuple) -> ProcNode | None:
        entry = _STATIC
        for name in path:
            if not isinstance(entry, dict) or name not in entry:
                return None
            entry = entry[name]
        boot = self.kernel.boot_time
        ino = _STATIC_INOS[path]
        if isinstance(entry, dict):
            return ProcNode(path, S_IFDIR | 0o555, 0, 0, ino, boot)
        mode, gen = entry
        return ProcNode(path, S_IFREG | mode, 0, 0, ino, boot, gen=gen)

    def _task(self, pid: int, host_pid: int):
        task = self.pidns.lookup(pid)
        if task is None or task.host_pid != host_pid:
            return None
        return task

    def root_node(self) -> ProcNode:
        return self._static_node(())

    def lookup(self, parent: ProcNode, name: str) -> ProcNode | None:
        if parent.pid:
            task = self._task(parent.pid, parent.host_pid)
            if task is None:
                return None
            if len(parent.path) == 1 and name == "fd":
                return attrs.evolve(parent, path=parent.path + ("fd",), mode=S_IFDIR | 0o500,
                                    ino=FD_INO_BASE + (parent.pid << 12))
            if len(parent.path) == 2 and name.isdigit() and int(name) in task.fds:
                return attrs.evolve(parent, path=parent.path + (name,), mode=S_IFLNK | 0o700,
                                    ino=parent.ino + 1 + int(name) % 4095)
            if len(parent.path) != 1 or name not in _PID_FILES:
                return None
            mode, gen = _PID_FILES[name]
            ino = parent.ino + 1 + sorted(_PID_FILES).index(name)
            return attrs.evolve(parent, path=parent.path + (name,), mode=S_IFREG | mode,
                                ino=ino, gen=gen)
        if not parent.path and name == "self" and self._self_pid() is not None:
            return ProcNode(("self",), S_IFLNK | 0o777, 0, 0, SELF_INO, self.kernel.boot_time)
        if not parent.path and name.isdigit() and name == str(int(name)):
            task = self.pidns.lookup(int(name))
            if task is None:
                return None
            pid = int(name)
            return ProcNode((name,), S_IFDIR | 0o555, task.uid, task.gid, pid << 8,
                            task.start_time, pid=pid, host_pid=task.host_pid)
        return self._static_node(parent.path + (name,))

    def getattr(self, node: ProcNode) -> Stat:
        nlink = 1
        if node.is_dir:
            nlink = 2 + sum(1 for n in self.listdir(node)
                            if (c := self.lookup(node, n)) is not None and c.is_dir)
        return Stat(mode=node.mode, ino=node.ino, nlink=nlink, uid=node.uid, gid=node.gid,
                    size=0, mtime=node.mtime)

    def listdir(self, node: ProcNode) -> list[str]:
        if not node.is_dir:
            raise SimError(Errno.ENOTDIR)
        if node.pid:
            if len(node.path) == 2:
                task = self._task(node.pid, node.host_pid)
                return [str(fd) for fd in sorted(task.fds)] if task is not None else []
            return sorted(list(_PID_FILES) + ["fd"])
        entry = _STATIC
        for name in node.path:
            entry = entry[name]
        names = list(entry)
        if not node.path:
            names += [str(pid) for pid in self.pidns.tasks]
            if self._self_pid() is not None:
                names.append("self")
        return sorted(names)

    def _self_pid(self) -> "int | None":
        """The running task's PID in this /proc's namespace (None when no
        task runs, or it cannot see itself here)."""
        task = self.kernel.sched.current
        if task is None:
            return None
        return self.pidns.pid_of(task) or None

    def readlink(self, node) -> str:
        """/proc/self: the reader's own PID; /proc/<pid>/fd/<n>: what the
        descriptor refers to (a path, ``socket:[inode]``, ``pipe:[n]``)."""
        if node.path == ("self",):
            pid = self._self_pid()
            if pid is None:
                raise SimError(Errno.ENOENT)
            return str(pid)
        if node.pid and len(node.path) == 3:
            task = self._task(node.pid, node.host_pid)
            desc = task.fds.get(int(node.path[2])) if task is not None else None
            if desc is None:
                raise SimError(Errno.ENOENT)
            return desc.path or "anon_inode:[eventfd]"
        raise SimError(Errno.EINVAL)

    def _refuse(self, *args, **kwargs):
        raise SimError(Errno.EROFS)

    mknod = unlink = rmdir = rename = link = setattr = _refuse

    def open_inode(self, node: ProcNode, *, write: bool):
        """A snapshot inode with the content generated now (a directory
        opens as an empty one: reading it is EISDIR)."""
        if write:
            raise SimError(Errno.EROFS)
        meta = {"mode": node.mode, "uid": node.uid, "gid": node.gid, "mtime": node.mtime,
                "ino": node.ino}
        if node.is_dir:
            return Dir(**meta)
        if node.pid:
            task = self._task(node.pid, node.host_pid)
            if task is None:
                raise SimError(Errno.ESRCH)
            text = getattr(self, node.gen)(task, node.pid)
        else:
            text = getattr(self, node.gen)()
        return File(text_bytes(text), **meta)

    # -- the machine -----------------------------------------------------------
    def _meminfo(self) -> str:
        return "".join(f"{name + ':':<16}{kb:>8} kB\n"
                       for name, kb in self.kernel.meminfo().items())

    def _loadavg(self) -> str:
        k = self.kernel
        loads = " ".join(_load(a) for a in k.avenrun)
        return f"{loads} {k.nr_running()}/{k.nr_threads()} {self.pidns.last_pid}\n"

    def _uptime(self) -> str:
        return f"{_centi(self.kernel.uptime())} {_centi(self.kernel.idle_time())}\n"

    def _version(self) -> str:
        k = self.kernel
        return f"Linux version {k.release} ({LINUX_COMPILE_BY}) ({LINUX_COMPILER}) {k.version}\n"

    def _cpuinfo(self) -> str:
        n = self.kernel.ncpu
        out = []
        for cpu in range(n):
            out.append(
                f"processor\t: {cpu}\nvendor_id\t: GenuineIntel\ncpu family\t: 6\n"
                f"model\t\t: 85\nmodel name\t: {CPU_MODEL_NAME}\nstepping\t: 7\n"
                f"cpu MHz\t\t: {CPU_MHZ:.3f}\ncache size\t: 16384 KB\nphysical id\t: 0\n"
                f"siblings\t: {n}\ncore id\t\t: {cpu}\ncpu cores\t: {n}\napicid\t\t: {cpu}\n"
                f"fpu\t\t: yes\nfpu_exception\t: yes\ncpuid level\t: 13\nwp\t\t: yes\n"
                f"flags\t\t: {CPU_FLAGS}\nbogomips\t: {CPU_MHZ * 2:.2f}\n"
                f"clflush size\t: 64\ncache_alignment\t: 64\n"
                f"address sizes\t: 46 bits physical, 48 bits virtual\npower management:\n\n")
        return "".join(out)

    def _mounts(self) -> str:
        if self.vfs is None:
            return ""
        lines = []
        for m in self.vfs.mounts():
            fs = m.fs
            fstype = getattr(fs, "fstype", "none")
            source = getattr(fs, "source", None) or fstype
            readonly = m.readonly or (fstype != "proc" and getattr(fs, "readonly", False))
            opts = ["ro" if readonly else "rw"]
            if m.flags:
                opts += list(m.flags)
                if fstype == "tmpfs":
                    if getattr(fs, "size_limit", None):
                        opts.append(f"size={fs.size_limit // 1024}k")
                    perm = fs.root_node().mode & 0o7777
                    if perm != 0o1777:
                        opts.append(f"mode={perm:o}")
                    opts.append("inode64")
            elif fstype == "proc":
                opts += ["nosuid", "nodev", "noexec", "relatime"]
            elif fstype == "tmpfs":
                opts.append("nosuid")
                if getattr(fs, "size_limit", None):
                    opts.append(f"size={fs.size_limit // 1024}k")
                perm = fs.root_node().mode & 0o7777
                if perm != 0o1777:
                    opts.append(f"mode={perm:o}")
                opts.append("inode64")
            else:
                opts.append("relatime")
            lines.append(f"{_mangle(source)} {_mangle(m.path)} {fstype} {','.join(opts)} 0 0\n")
        return "".join(lines)

    def _hostname(self) -> str:
        uts = self.uts if self.uts is not None else self.kernel.host_ns.uts
        return uts.hostname + "\n"

    def _osrelease(self) -> str:
        return self.kernel.release + "\n"

    def _ostype(self) -> str:
        return "Linux\n"

    def _pid_max(self) -> str:
        return f"{PID_MAX}\n"

    # -- /proc/net ---------------------------------------------------------------
    def _netns(self):
        if self.net is not None:
            return self.net
        init = self.pidns.lookup(1)
        ns = getattr(getattr(init, "nsset", None), "net", None)
        if ns is None:
            ns = getattr(self.kernel.host_ns, "net", None)
        return ns

    def _net_table(self, name: str, *args) -> str:
        from ..net import procnet

        ns = self._netns()
        if ns is None:
            return ""
        return getattr(procnet, name)(ns, *args)

    def _net_dev(self) -> str:
        return self._net_table("dev")

    def _net_if_inet6(self) -> str:
        return self._net_table("if_inet6")

    def _net_route(self) -> str:
        return self._net_table("route")

    def _net_tcp(self) -> str:
        return self._net_table("tcp", False)

    def _net_tcp6(self) -> str:
        return self._net_table("tcp", True)

    def _net_udp(self) -> str:
        return self._net_table("udp", False)

    def _net_udp6(self) -> str:
        return self._net_table("udp", True)

    def _net_unix(self) -> str:
        return self._net_table("unix")

    # -- /proc/<pid> -----------------------------------------------------------
    def _info(self, pid: int):
        return next(i for i in self.kernel.task_infos(self.pidns) if i.pid == pid)

    def _cmdline(self, task, pid: int) -> str:
        info = self._info(pid)
        if info.state == "Z" or not info.argv:
            return ""
        return "".join(a + "\0" for a in info.argv)

    def _cgroup(self, task, pid: int) -> str:
        """cgroup v2's one line: the task's group as the reader's cgroup
        namespace sees it; a container has one of its own (Docker's
        private cgroupns), so its tasks read ``0::/``."""
        path = task.cgroup.path if task.cgroup is not None else "/"
        root = self.cgroup_root
        if root is None:
            root = path if self.pidns.level > 0 else "/"
        if root == "/":
            return f"0::{path}\n"
        return f"0::{posixpath.normpath('/' + posixpath.relpath(path, root))}\n"

    def _comm(self, task, pid: int) -> str:
        return self._info(pid).comm + "\n"

    def _nspids(self, task) -> str:
        """The task's PID in this namespace and each one below it, down to
        its own (the NSpid line)."""
        chain = []
        for ns in task.nsset.pid.ancestors():
            chain.append(ns.pid_of(task))
            if ns is self.pidns:
                break
        return "\t".join(str(p) for p in reversed(chain))

    def _cpus_allowed(self, task) -> str:
        """The CPUs the task may run on: its cgroup's cpuset, else all."""
        spec = task.cgroup.limits.cpuset_cpus if task.cgroup is not None else ""
        return cpu_list(cpu_set(spec) if spec else set(range(self.kernel.ncpu)))

    def _status(self, task, pid: int) -> str:
        info = self._info(pid)
        nspids = self._nspids(task)
        ids = "\t".join([str(info.uid)] * 4), "\t".join([str(info.gid)] * 4)
        fdsize = 64
        while fdsize <= max(task.fds, default=0):
            fdsize *= 2
        lines = [
            f"Name:\t{info.comm}", f"Umask:\t{task.umask:04o}",
            f"State:\t{_STATE_NAMES.get(info.state, info.state)}",
            f"Tgid:\t{pid}", "Ngid:\t0", f"Pid:\t{pid}", f"PPid:\t{info.ppid}", "TracerPid:\t0",
            f"Uid:\t{ids[0]}", f"Gid:\t{ids[1]}", f"FDSize:\t{fdsize}", "Groups:\t" + " ".join(str(g) for g in task.groups) + " ",
            f"NStgid:\t{nspids}", f"NSpid:\t{nspids}", f"NSpgid:\t{nspids}", f"NSsid:\t{nspids}",
        ]
        if info.state != "Z":
            lines += [f"VmPeak:\t{info.vsz_kb:8d} kB", f"VmSize:\t{info.vsz_kb:8d} kB",
                      f"VmLck:\t{0:8d} kB", f"VmPin:\t{0:8d} kB",
                      f"VmHWM:\t{info.rss_kb:8d} kB", f"VmRSS:\t{info.rss_kb:8d} kB"]
        actions = task.sig_actions
        lines += [
            "Threads:\t1",
            f"SigPnd:\t{_sigmask(())}",
            f"ShdPnd:\t{_sigmask(task.pending_signals)}",
            f"SigBlk:\t{_sigmask(())}",
            f"SigIgn:\t{_sigmask(s for s, a in actions.items() if a == 'ignore')}",
            f"SigCgt:\t{_sigmask(s for s, a in actions.items() if a == 'catch')}",
            f"CapInh:\t{cap_mask(task.cap_inheritable):016x}",
            f"CapPrm:\t{cap_mask(task.effective_caps):016x}",
            f"CapEff:\t{cap_mask(task.effective_caps):016x}",
            f"CapBnd:\t{cap_mask(task.caps):016x}",
            f"CapAmb:\t{cap_mask(task.cap_ambient):016x}",
            f"NoNewPrivs:\t{int(task.no_new_privs)}",
            f"Seccomp:\t{task.seccomp}",
            f"Seccomp_filters:\t{task.seccomp_filters}",
            f"Cpus_allowed_list:\t{self._cpus_allowed(task)}",
        ]
        return "\n".join(lines) + "\n"

    def _limits(self, task, pid: int) -> str:
        from ..proc.limits import proc_limits

        return proc_limits(task.rlimits)

    def _oom_score_adj(self, task, pid: int) -> str:
        return f"{task.oom_score_adj}\n"

    def _stat(self, task, pid: int) -> str:
        """The 52 fields of proc(5)'s /proc/<pid>/stat: pgrp, session,
        tty_nr and tpgid (fields 5-8) from the kernel's job-control tables
        (`sim.kernel.jobctl`), as this namespace numbers them.  Addresses
        (startcode, …, env_end) are 0, as Linux shows them to a reader that
        may not ptrace the task."""
        info = self._info(pid)
        zombie = info.state == "Z"
        tty_nr = makedev(*info.tty_dev) if info.tty_dev else 0
        status = task.exit_status
        exit_code = 0
        if zombie and status is not None:
            exit_code = int(status.signal) if status.signal else (status.code or 0) << 8
        actions = task.sig_actions
        ignored = sum(1 << (int(s) - 1) for s, a in actions.items() if a == "ignore")
        caught = sum(1 << (int(s) - 1) for s, a in actions.items() if a == "catch")
        pending = sum(1 << (int(s) - 1) for s in set(task.pending_signals))
        fields = [
            pid, f"({info.comm})", info.state, info.ppid, info.pgid, info.sid, tty_nr,
            info.tpgid, PF_RANDOMIZE | (PF_EXITING if zombie else 0),
            0, 0, 0, 0,  # minflt cminflt majflt cmajflt
            int(info.cpu_time * USER_HZ), 0, 0, 0,  # utime stime cutime cstime
            20, 0, 1, 0,  # priority nice num_threads itrealvalue
            int((info.start_time - self.kernel.boot_time) * USER_HZ),
            0 if zombie else info.vsz_kb * 1024, 0 if zombie else info.rss_kb // 4,
            2 ** 64 - 1,  # rsslim: RLIM_INFINITY
            0, 0, 0, 0, 0,  # startcode endcode startstack kstkesp kstkeip
            pending, 0, ignored, caught,  # signal blocked sigignore sigcatch
            0, 0, 0, 17, 0, 0, 0, 0, 0, 0,  # wchan nswap cnswap exit_signal cpu rt policy blkio guest cguest
            0, 0, 0, 0, 0, 0, 0,  # start_data end_data start_brk arg_start arg_end env_start env_end
            exit_code,
        ]
        return " ".join(str(f) for f in fields) + "\n"
