"""From Docker's resource figures to cgroup v2 limits, as runc converts
them (libcontainer/cgroups/fs2 and specconv):

- ``Memory`` -> memory.max; ``MemoryReservation`` -> memory.low;
- ``MemorySwap`` (memory plus swap) -> memory.swap.max = MemorySwap -
  Memory (``-1``: max);
- ``NanoCpus`` -> cpu.max ``NanoCpus * 100000 / 1e9 100000``; else
  ``CpuQuota``/``CpuPeriod`` (the period 100000 by default);
- ``CpuShares`` -> cpu.weight = 1 + (shares - 2) * 9999 / 262142
  (``ConvertCPUSharesToCgroupV2Value``; 100 when unset);
- ``PidsLimit`` > 0 -> pids.max;
- ``CpusetCpus`` -> cpuset.cpus.
"""

from ..kernel.cgroup import CgroupLimits
from .spec import Resources

DEFAULT_PERIOD_US = 100_000


def cpu_weight(shares: int) -> int:
    if shares <= 0:
        return 100
    return 1 + ((shares - 2) * 9999) // 262142


def cgroup_limits(res: Resources) -> CgroupLimits:
    memory_max = res.memory if res.memory > 0 else None
    swap_max = None
    if memory_max is not None and res.memory_swap > 0:
        swap_max = max(0, res.memory_swap - res.memory)
    quota, period = None, DEFAULT_PERIOD_US
    if res.nano_cpus > 0:
        quota = res.nano_cpus * DEFAULT_PERIOD_US // 1_000_000_000
    else:
        if res.cpu_period > 0:
            period = res.cpu_period
        if res.cpu_quota > 0:
            quota = res.cpu_quota
    return CgroupLimits(
        memory_max=memory_max,
        memory_low=res.memory_reservation if res.memory_reservation > 0 else None,
        swap_max=swap_max, cpu_quota_us=quota, cpu_period_us=period,
        cpu_weight=cpu_weight(res.cpu_shares),
        pids_max=res.pids_limit if res.pids_limit > 0 else None,
        cpuset_cpus=res.cpuset_cpus)
