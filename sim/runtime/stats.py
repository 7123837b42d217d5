"""A container's resource usage at one moment: what ``docker stats``
reads (containerd's task metrics plus the host's /proc/stat and the
sandbox's interface counters, as dockerd gathers them).

All figures come from the kernel's tables when `collect` is called:

- CPU: the cgroup's CPU time (`sim.kernel.cpuacct`: each runnable task's
  share of the machine's CPUs on the kernel clock), all of it counted as
  user time (the simulation does not split user and system time);
- ``system_cpu_ns``: what dockerd reads from /proc/stat, the jiffies of
  every CPU since boot (busy or idle: ncpu x uptime) in nanoseconds, at
  USER_HZ = 100 resolution;
- memory: memory.current and memory.stat (`Cgroup.memory_stat`), the
  limit memory.max or, without one, the machine's memory (as dockerd
  caps it);
- pids: pids.current and pids.max (2^64 - 1 for "max");
- network: the counters of the container's interfaces (not ``lo``, as
  libnetwork's sandbox statistics), none for ``--network host``;
- block I/O: the cgroup's io counters (bytes written to files of the
  writable layer; ``disk`` names the device, none before any I/O).
"""

import attrs

from ..kernel.cgroup import DISK_DEVICE

USER_HZ = 100
MAX_UINT64 = 2**64 - 1


@attrs.frozen
class InterfaceStats:
    name: str
    rx_bytes: int
    rx_packets: int
    tx_bytes: int
    tx_packets: int
    rx_errors: int = 0
    rx_dropped: int = 0
    tx_errors: int = 0
    tx_dropped: int = 0


@attrs.frozen
class ContainerStats:
    #: When it was read (kernel clock, seconds since the epoch).
    read: float
    cpu_usage_ns: int
    cpu_user_ns: int
    cpu_system_ns: int
    system_cpu_ns: int
    online_cpus: int
    #: cpu.max's quota and period (us; quota 0: max) and cpu.weight.
    cpu_quota_us: int
    cpu_period_us: int
    cpu_weight: int
    memory_usage: int
    memory_limit: int
    memory_stat: dict = attrs.field(eq=False)
    pids_current: int
    pids_limit: int
    networks: "tuple[InterfaceStats, ...]"
    io_read_bytes: int = 0
    io_write_bytes: int = 0
    frozen: bool = False
    #: (major, minor) of the device the I/O went to; None: no I/O yet.
    disk: "tuple[int, int] | None" = None


def system_cpu_ns(kernel) -> int:
    jiffies = int(kernel.uptime() * kernel.ncpu * USER_HZ)
    return jiffies * (1_000_000_000 // USER_HZ)


def collect(kernel, cgroup, netns=None) -> ContainerStats:
    usage_ns = int(kernel.cgroup_cpu_seconds(cgroup) * 1e9)
    limits = cgroup.limits
    machine = kernel.mem_total_kb * 1024
    limit = limits.memory_max if limits.memory_max is not None else machine
    networks = ()
    if netns is not None:
        networks = tuple(
            InterfaceStats(i.name, i.counters.rx_bytes, i.counters.rx_packets,
                           i.counters.tx_bytes, i.counters.tx_packets)
            for i in netns.interfaces if i.network is not None)
    return ContainerStats(
        read=kernel.now(), cpu_usage_ns=usage_ns, cpu_user_ns=usage_ns, cpu_system_ns=0,
        system_cpu_ns=system_cpu_ns(kernel), online_cpus=kernel.ncpu,
        cpu_quota_us=limits.cpu_quota_us or 0, cpu_period_us=limits.cpu_period_us,
        cpu_weight=limits.cpu_weight,
        memory_usage=cgroup.memory_current(), memory_limit=min(limit, machine),
        memory_stat=cgroup.memory_stat(), pids_current=cgroup.pids_current,
        pids_limit=limits.pids_max if limits.pids_max is not None else MAX_UINT64,
        networks=networks, io_read_bytes=cgroup.io.rbytes, io_write_bytes=cgroup.io.wbytes,
        frozen=cgroup.frozen,
        disk=DISK_DEVICE if (cgroup.io.rbytes or cgroup.io.wbytes) else None)
