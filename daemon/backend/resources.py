"""A container's resource figures (HostConfig.Resources): moby's checks
(``verifyPlatformContainerResources`` in daemon/daemon_unix.go) against
what the simulated kernel offers, and the runtime's `Resources` value.

The simulated host is a cgroup v2 machine, as Docker 28 hosts are, so its
``sysinfo`` answers as moby's does there: memory, swap and reservation
limits, CPU shares, CFS quota and period, cpusets (CPUs ``0-<ncpu-1>``,
memory node ``0``), pids and the io.max throttles are available; memory
swappiness, the OOM-kill switch, kernel memory, realtime CPU and the
Block I/O weight (no BFQ scheduler) are not, and get moby's warnings.

What the simulation does with them: pids.max is enforced; the CPU quota
and the cpuset cap the CPU time the container's tasks get; the memory
figures are what the container's cgroup files and ``docker stats``
report (the simulation has no OOM killer).
"""

from ...sim.runtime.spec import Resources
from ..errors import InvalidParameter

LINUX_MIN_MEMORY = 6 * 1024 * 1024


def _int(value) -> int:
    return int(value or 0)


def _cpus_in(spec: str) -> "set[int] | None":
    """A cpuset list (``0-2,4``) as a set; None when malformed."""
    out = set()
    for part in spec.split(","):
        lo, sep, hi = part.partition("-")
        if not lo.isdigit() or (sep and not hi.isdigit()):
            return None
        first, last = int(lo), int(hi) if sep else int(lo)
        if last < first:
            return None
        out.update(range(first, last + 1))
    return out


def verify(res: dict, ncpu: int, update: bool = False) -> "list[str]":
    """moby's checks, in its order: returns the warnings and clears
    (in ``res``) what the kernel cannot do; raises InvalidParameter with
    moby's words."""
    warnings = []
    memory, swap = _int(res.get("Memory")), _int(res.get("MemorySwap"))
    if memory != 0 and memory < LINUX_MIN_MEMORY:
        raise InvalidParameter("Minimum memory limit allowed is 6MB")
    if memory > 0 and swap > 0 and swap < memory:
        raise InvalidParameter("Minimum memoryswap limit should be larger than memory limit, see usage")
    if memory == 0 and swap > 0 and not update:
        raise InvalidParameter("You should always set the Memory limit when using Memoryswap limit, see usage")
    if res.get("MemorySwappiness") is not None and res.get("MemorySwappiness") != -1:
        warnings.append("Your kernel does not support memory swappiness capabilities or the cgroup "
                        "is not mounted. Memory swappiness discarded.")
        res["MemorySwappiness"] = None
    reservation = _int(res.get("MemoryReservation"))
    if reservation > 0 and reservation < LINUX_MIN_MEMORY:
        raise InvalidParameter("Minimum memory reservation allowed is 6MB")
    if memory > 0 and reservation > 0 and memory < reservation:
        raise InvalidParameter("Minimum memory limit can not be less than memory reservation limit, see usage")
    if _int(res.get("KernelMemory")) > 0:
        warnings.append("Your kernel does not support kernel memory limit capabilities or the cgroup "
                        "is not mounted. Limitation discarded.")
        res["KernelMemory"] = 0
    if res.get("OomKillDisable") is not None:
        if res.get("OomKillDisable"):
            warnings.append("Your kernel does not support OomKillDisable. OomKillDisable discarded.")
        res["OomKillDisable"] = None
    nano, period, quota = _int(res.get("NanoCpus")), _int(res.get("CpuPeriod")), _int(res.get("CpuQuota"))
    if nano > 0 and period > 0:
        raise InvalidParameter("Conflicting options: Nano CPUs and CPU Period cannot both be set")
    if nano > 0 and quota > 0:
        raise InvalidParameter("Conflicting options: Nano CPUs and CPU Quota cannot both be set")
    if nano != 0 and (nano < 0 or nano > ncpu * 10**9):
        raise InvalidParameter(f"range of CPUs is from 0.01 to {ncpu}.00, as there are only "
                               f"{ncpu} CPUs available")
    if period != 0 and (period < 1000 or period > 1000000):
        raise InvalidParameter("CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s "
                               "(i.e. 1000000)")
    if quota > 0 and quota < 1000:
        raise InvalidParameter("CPU cfs quota can not be less than 1ms (i.e. 1000)")
    if _int(res.get("CpuPercent")) > 0:
        warnings.append("linux does not support CPU percent. Percent discarded.")
        res["CpuPercent"] = 0
    cpus = res.get("CpusetCpus") or ""
    if cpus:
        wanted = _cpus_in(cpus)
        if wanted is None:
            raise InvalidParameter(f"Invalid value {cpus} for cpuset cpus: invalid format: {cpus}")
        if not wanted <= set(range(ncpu)):
            raise InvalidParameter(f"Requested CPUs are not available - requested {cpus}, "
                                   f"available: 0-{ncpu - 1}")
    mems = res.get("CpusetMems") or ""
    if mems:
        wanted = _cpus_in(mems)
        if wanted is None:
            raise InvalidParameter(f"Invalid value {mems} for cpuset mems: invalid format: {mems}")
        if not wanted <= {0}:
            raise InvalidParameter(f"Requested memory nodes are not available - requested {mems}, "
                                   "available: 0")
    if _int(res.get("BlkioWeight")) > 0:
        warnings.append("Your kernel does not support Block I/O weight or the cgroup is not mounted. "
                        "Weight discarded.")
        res["BlkioWeight"] = 0
    if _int(res.get("IOMaximumBandwidth")) or _int(res.get("IOMaximumIOps")):
        raise InvalidParameter("Invalid QoS settings: linux does not support Maximum IO Bandwidth "
                               "or Maximum IO IOps")
    if res.get("BlkioWeightDevice"):
        warnings.append("Your kernel does not support Block I/O weight_device or the cgroup is not "
                        "mounted. Weight-device discarded.")
        res["BlkioWeightDevice"] = []
    return warnings


def adapt(hc: dict) -> None:
    """moby's adaptContainerSettings: a memory limit without a swap
    figure allows as much swap again (MemorySwap = 2 x Memory)."""
    memory = _int(hc.get("Memory"))
    if memory > 0 and _int(hc.get("MemorySwap")) == 0:
        hc["MemorySwap"] = memory * 2


def resources_of(hc: dict) -> Resources:
    """The runtime's `Resources` from a HostConfig."""
    return Resources(
        memory=_int(hc.get("Memory")), memory_swap=_int(hc.get("MemorySwap")),
        memory_reservation=_int(hc.get("MemoryReservation")), nano_cpus=_int(hc.get("NanoCpus")),
        cpu_quota=_int(hc.get("CpuQuota")), cpu_period=_int(hc.get("CpuPeriod")),
        cpu_shares=_int(hc.get("CpuShares")), cpuset_cpus=hc.get("CpusetCpus") or "",
        pids_limit=_int(hc.get("PidsLimit")))
