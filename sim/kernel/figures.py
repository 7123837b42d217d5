"""The machine's figures: what sysinfo(2) and /proc say about the host.

``free``, ``uptime``, ``top``, ``df`` and ``docker info`` read these
numbers; they are computed from the kernel's tables at the moment they are
asked for, never stored or made up:

- uptime (seconds since boot by the kernel clock) and idle time (CPU
  seconds no task used: ncpu × uptime less all tasks' CPU time);
- task counts: runnable tasks and all tasks not yet reaped;
- memory (`meminfo`): what the kernel itself keeps, the tasks' resident
  memory and the page cache holding every mounted filesystem's data;
- filesystem sizes (`statfs`), from the disk and memory sizes.

(The load averages, which need sampling over time, are `sim.kernel.loadavg`.)
These are machine-wide: every PID or mount namespace sees the same
numbers, as on Linux without lxcfs.
"""

import math

from ..fs.statfs import StatFs, statfs_of
from ..proc.task import TaskState

#: The memory the kernel itself keeps (KiB): its text and data, the
#: unreclaimable slab, page tables and per-CPU areas, about what an idle
#: small server's kernel uses.  Not reclaimable, never free.
KERNEL_BASE_KB = 192 * 1024
#: Bytes of "Buffers" per inode of a disk-backed filesystem: its on-disk
#: ext4 inode (256 bytes, mke2fs's default inode size) in the block device's
#: page cache.
BUFFER_BYTES_PER_INODE = 256
#: Bytes of reclaimable slab ("SReclaimable") per cached inode: a dentry
#: (192 bytes) plus the in-memory inode object (about 830 bytes).
SLAB_BYTES_PER_INODE = 1024
PAGE_KB = 4


# -- time and tasks ------------------------------------------------------------
def uptime(kernel) -> float:
    """Seconds since boot, by the kernel clock (/proc/uptime)."""
    return kernel.clock.now() - kernel.boot_time


def idle_time(kernel) -> float:
    """CPU-seconds all CPUs spent idle since boot (/proc/uptime's second
    figure): ncpu × uptime less the CPU time every task had
    (`sim.kernel.cpuacct`)."""
    return max(0.0, kernel.ncpu * uptime(kernel) - kernel.sched.acct.busy_seconds())


def nr_running(kernel) -> int:
    """Runnable tasks on the machine (the running task included)."""
    return sum(1 for t in kernel.root_pidns.tasks.values() if t.state is TaskState.RUNNABLE)


def nr_threads(kernel) -> int:
    """Every task not yet reaped (zombies included), as ``nr_threads``."""
    return len(kernel.root_pidns.tasks)


# -- memory --------------------------------------------------------------------
def mount_namespaces(kernel) -> list:
    """Every mount namespace in use: the host's and each live task's."""
    seen = {id(kernel.host_vfs): kernel.host_vfs}
    for task in kernel.root_pidns.tasks.values():
        if task.alive:
            seen.setdefault(id(task.nsset.mnt), task.nsset.mnt)
    return list(seen.values())


def _held_pages(kernel) -> "tuple[int, int, int, int]":
    """What the mounted filesystems keep in memory: (file KiB, shmem KiB,
    disk inodes, all inodes), each tree counted once however many mounts
    share it (a layer used by ten containers is cached once)."""
    parts = {}
    for vfs in mount_namespaces(kernel):
        for mount in vfs.mounts():
            held = getattr(mount.fs, "cached_parts", None)
            for key, usage, kind in (held() if held is not None else []):
                parts.setdefault(id(key), (usage, kind))
    file_kb = shmem_kb = disk_inodes = inodes = 0
    for usage, kind in parts.values():
        kb = -(-usage.bytes // (PAGE_KB * 1024)) * PAGE_KB
        if kind == "shmem":
            shmem_kb += kb
        else:
            file_kb += kb
            disk_inodes += usage.inodes
        inodes += usage.inodes
    return file_kb, shmem_kb, disk_inodes, inodes


def meminfo(kernel) -> dict:
    """The machine's memory in KiB, as /proc/meminfo names it (proc(5)).

    - MemTotal: `mem_total_kb`.
    - Cached: the page cache, i.e. the file data of every mounted
      filesystem (image layers, writable layers, bind-mounted files) plus
      tmpfs pages.  The simulation holds all of that data in memory, so
      all of it counts (a real kernel caches only what was read); it
      yields to task memory when memory runs short.
    - Shmem: the tmpfs pages (part of Cached, as on Linux).
    - Buffers: the disk-backed inodes' on-disk records
      (`BUFFER_BYTES_PER_INODE` each); SReclaimable: the dentry and inode
      caches (`SLAB_BYTES_PER_INODE` per inode).
    - MemFree: MemTotal less `KERNEL_BASE_KB`, the resident memory
      (``rss_kb``) of every live task, Cached, Buffers and SReclaimable.
    - MemAvailable: mm/page_alloc.c ``si_mem_available``: free memory
      less the reserve, plus the page cache and reclaimable slab each
      less the low watermark (or half of it).
    - SwapTotal/SwapFree: `swap_total_kb`; nothing is ever swapped out.
    """
    total = kernel.mem_total_kb
    rss = sum(t.image.program.rss_kb for t in kernel.root_pidns.tasks.values() if t.alive)
    file_kb, shmem, disk_inodes, inodes = _held_pages(kernel)
    buffers = disk_inodes * BUFFER_BYTES_PER_INODE // 1024
    sreclaimable = inodes * SLAB_BYTES_PER_INODE // 1024
    fixed = KERNEL_BASE_KB + rss + buffers + sreclaimable
    # Page cache is evicted before task memory is refused; shmem stays.
    cached = min(file_kb, max(0, total - fixed - shmem)) + shmem
    free = max(0, total - fixed - cached)
    # calculate_min_free_kbytes (mm/page_alloc.c): sqrt(lowmem × 16).
    min_free = min(max(math.isqrt(total * 16), 128), 262144)
    wmark_low = min_free + min_free // 4
    reserve = min_free + min_free // 2  # the high watermark
    pagecache = cached - shmem + buffers
    available = (free - reserve
                 + pagecache - min(pagecache // 2, wmark_low)
                 + sreclaimable - min(sreclaimable // 2, wmark_low))
    return {
        "MemTotal": total, "MemFree": free, "MemAvailable": max(0, available),
        "Buffers": buffers, "Cached": cached, "SwapCached": 0,
        "SwapTotal": kernel.swap_total_kb, "SwapFree": kernel.swap_total_kb,
        "Shmem": shmem, "SReclaimable": sreclaimable,
    }


# -- filesystems ---------------------------------------------------------------
def statfs(kernel, fs) -> StatFs:
    """statfs(2) of a mounted filesystem (see `sim.fs.statfs`): overlays
    on a disk of `disk_size_kb`, tmpfs sized from `mem_total_kb`."""
    return statfs_of(fs, disk_bytes=kernel.disk_size_kb * 1024,
                     ram_bytes=kernel.mem_total_kb * 1024,
                     host_fs=kernel.host_vfs.root_fs)
