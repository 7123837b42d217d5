"""cgroup2 (the unified hierarchy) as a container sees it at
/sys/fs/cgroup: its own cgroup is the root (Docker's private cgroup
namespace), and the interface files say what the kernel holds for it,
generated when opened:

- ``cgroup.freeze`` (0/1) and ``cgroup.events`` (``populated``,
  ``frozen``): the freezer (`sim.kernel.cgroup`);
- ``cgroup.procs``: the PIDs of its tasks, numbered in the container's
  PID namespace; ``cgroup.controllers``, ``cgroup.type``;
- ``cpu.max``, ``cpu.weight``, ``cpu.stat`` (``usage_usec``, ``user_usec``,
  ``system_usec``, throttling figures), ``cpuset.cpus``;
- ``memory.current``, ``memory.max``, ``memory.low``, ``memory.swap.max``,
  ``memory.stat``, ``memory.events``;
- ``pids.current``, ``pids.max``, ``pids.events``; ``io.stat``.

Docker mounts it read-only in a container that is not privileged: every
write fails with EROFS.  Files are 0644 (the interface files a root
process could write on a writable mount) or 0444, owned by root.
"""

from __future__ import annotations

import attrs

from ..abi import S_IFDIR, S_IFREG, Errno
from ..errors import SimError
from ..kernel.cgroup import DISK_DEVICE
from .memfs import S_IFMT_MASK, Dir, File, Stat, Usage

CONTROLLERS = "cpuset cpu io memory hugetlb pids rdma misc"

#: name -> (mode, generator method).
_FILES = {
    "cgroup.controllers": (0o444, "_controllers"),
    "cgroup.events": (0o444, "_events"),
    "cgroup.freeze": (0o644, "_freeze"),
    "cgroup.procs": (0o644, "_procs"),
    "cgroup.type": (0o644, "_type"),
    "cpu.max": (0o644, "_cpu_max"),
    "cpu.stat": (0o444, "_cpu_stat"),
    "cpu.weight": (0o644, "_cpu_weight"),
    "cpuset.cpus": (0o644, "_cpuset_cpus"),
    "io.stat": (0o444, "_io_stat"),
    "memory.current": (0o444, "_memory_current"),
    "memory.events": (0o444, "_memory_events"),
    "memory.low": (0o644, "_memory_low"),
    "memory.max": (0o644, "_memory_max"),
    "memory.stat": (0o444, "_memory_stat"),
    "memory.swap.max": (0o644, "_swap_max"),
    "pids.current": (0o444, "_pids_current"),
    "pids.events": (0o444, "_pids_events"),
    "pids.max": (0o644, "_pids_max"),
}
_NAMES = sorted(_FILES)


@attrs.frozen
class CgroupNode:
    name: str  # "" for the root directory
    mode: int
    ino: int

    @property
    def is_dir(self) -> bool:
        return self.mode & S_IFMT_MASK == S_IFDIR


def _max(value) -> str:
    return "max" if value is None else str(value)


@attrs.define(eq=False)
class CgroupFs:
    """The cgroup2 filesystem of ``cgroup`` (a `sim.kernel.cgroup.Cgroup`),
    for a container whose PID namespace is ``pidns``."""

    readonly = True
    fstype = "cgroup2"
    source = "cgroup"

    kernel: object
    cgroup: object
    pidns: object
    mtime: float = 0.0

    @property
    def now(self):
        return self.kernel.clock.now

    def usage(self) -> Usage:
        return Usage()

    def cached_parts(self) -> list:
        return []

    def root_node(self) -> CgroupNode:
        return CgroupNode("", S_IFDIR | 0o755, 1)

    def lookup(self, parent: CgroupNode, name: str) -> "CgroupNode | None":
        if parent.name or name not in _FILES:
            return None
        return CgroupNode(name, S_IFREG | _FILES[name][0], 2 + _NAMES.index(name))

    def getattr(self, node: CgroupNode) -> Stat:
        return Stat(mode=node.mode, ino=node.ino, nlink=2 if node.is_dir else 1, uid=0, gid=0,
                    size=0, mtime=self.mtime)

    def listdir(self, node: CgroupNode) -> "list[str]":
        if not node.is_dir:
            raise SimError(Errno.ENOTDIR)
        return list(_NAMES)

    def readlink(self, node) -> str:
        raise SimError(Errno.EINVAL)

    def _refuse(self, *args, **kwargs):
        raise SimError(Errno.EROFS)

    mknod = unlink = rmdir = rename = link = setattr = _refuse

    def open_inode(self, node: CgroupNode, *, write: bool):
        if write:
            raise SimError(Errno.EROFS)
        meta = {"mode": node.mode, "uid": 0, "gid": 0, "mtime": self.mtime, "ino": node.ino}
        if node.is_dir:
            return Dir(**meta)
        text = getattr(self, _FILES[node.name][1])()
        return File(text.encode(), **meta)

    # -- the files -------------------------------------------------------------
    def _controllers(self) -> str:
        return CONTROLLERS + "\n"

    def _events(self) -> str:
        cg = self.cgroup
        return f"populated {1 if cg.tasks else 0}\nfrozen {1 if cg.frozen else 0}\n"

    def _freeze(self) -> str:
        return f"{1 if self.cgroup.frozen else 0}\n"

    def _procs(self) -> str:
        pids = sorted(p for p in (self.pidns.pid_of(t) for t in self.cgroup.tasks) if p)
        return "".join(f"{pid}\n" for pid in pids)

    def _type(self) -> str:
        return "domain\n"

    def _cpu_max(self) -> str:
        limits = self.cgroup.limits
        return f"{_max(limits.cpu_quota_us)} {limits.cpu_period_us}\n"

    def _cpu_weight(self) -> str:
        return f"{self.cgroup.limits.cpu_weight}\n"

    def _cpu_stat(self) -> str:
        usec = int(self.kernel.cgroup_cpu_seconds(self.cgroup) * 1e6)
        return (f"usage_usec {usec}\nuser_usec {usec}\nsystem_usec 0\n"
                "core_sched.force_idle_usec 0\nnr_periods 0\nnr_throttled 0\n"
                "throttled_usec 0\nnr_bursts 0\nburst_usec 0\n")

    def _cpuset_cpus(self) -> str:
        return f"{self.cgroup.limits.cpuset_cpus}\n"

    def _io_stat(self) -> str:
        io = self.cgroup.io
        if not (io.rbytes or io.wbytes):
            return ""
        major, minor = DISK_DEVICE
        return (f"{major}:{minor} rbytes={io.rbytes} wbytes={io.wbytes} rios={io.rios} "
                f"wios={io.wios} dbytes=0 dios=0\n")

    def _memory_current(self) -> str:
        return f"{self.cgroup.memory_current()}\n"

    def _memory_events(self) -> str:
        cg = self.cgroup
        return (f"low 0\nhigh 0\nmax {cg.oom_events}\noom {cg.oom_events}\n"
                f"oom_kill {cg.oom_kills}\noom_group_kill 0\n")

    def _memory_low(self) -> str:
        low = self.cgroup.limits.memory_low
        return f"{low or 0}\n"

    def _memory_max(self) -> str:
        return f"{_max(self.cgroup.limits.memory_max)}\n"

    def _swap_max(self) -> str:
        return f"{_max(self.cgroup.limits.swap_max)}\n"

    def _memory_stat(self) -> str:
        return "".join(f"{k} {v}\n" for k, v in self.cgroup.memory_stat().items())

    def _pids_current(self) -> str:
        return f"{self.cgroup.pids_current}\n"

    def _pids_events(self) -> str:
        return f"max {self.cgroup.pids_refused}\n"

    def _pids_max(self) -> str:
        return f"{_max(self.cgroup.limits.pids_max)}\n"
