"""``GET /containers/{id}/stats``: moby's daemon/stats.go, stats_unix.go
(``statsV2``, a cgroup v2 host) and the stats collector.

- ``one-shot=1``: one sample now, ``precpu_stats`` empty;
- ``stream=0``: two samples a collector interval (1 s) apart, the second
  sent with the first as ``precpu_stats``/``preread`` ("prime the cpu
  stats so they aren't 0");
- ``stream=1`` (the default): a sample every second, each with the one
  before as ``precpu_stats``, until the client leaves or the container
  stops;
- a container that is not running answers one object with only its name
  and id (``stream=0``), or such objects every second (``stream=1``).

Each sample is the runtime's `ContainerStats` (the cgroup's CPU time and
memory, pids, the interfaces' counters) in the JSON shape of moby's
``container.StatsResponse``, fields in Go's order, as ``json.Encoder``
writes it (compact, one object per line).
"""

import asyncio
import json

from ..errors import InvalidParameter
from .container import Container, rfc3339

#: The collector's interval (moby's default: 1 second).
INTERVAL = 1.0

#: memory.stat keys dockerd copies for cgroup v2, in its order.
V2_MEMORY_KEYS = ("anon", "file", "kernel_stack", "slab", "sock", "shmem", "file_mapped",
                  "file_dirty", "file_writeback", "anon_thp", "inactive_anon", "active_anon",
                  "inactive_file", "active_file", "unevictable", "slab_reclaimable",
                  "slab_unreclaimable", "pgfault", "pgmajfault", "workingset_refault",
                  "workingset_activate", "workingset_nodereclaim", "pgrefill", "pgscan",
                  "pgsteal", "pgactivate", "pgdeactivate", "pglazyfree", "pglazyfreed",
                  "thp_fault_alloc", "thp_collapse_alloc")

_BLKIO_KEYS = ("io_service_bytes_recursive", "io_serviced_recursive", "io_queue_recursive",
               "io_service_time_recursive", "io_wait_time_recursive", "io_merged_recursive",
               "io_time_recursive", "sectors_recursive")


def _cpu(sample) -> dict:
    usage = {"total_usage": 0, "usage_in_kernelmode": 0, "usage_in_usermode": 0}
    out = {"cpu_usage": usage}
    if sample is not None:
        usage.update(total_usage=sample.cpu_usage_ns, usage_in_kernelmode=sample.cpu_system_ns,
                     usage_in_usermode=sample.cpu_user_ns)
        out["system_cpu_usage"] = sample.system_cpu_ns
        out["online_cpus"] = sample.online_cpus
    out["throttling_data"] = {"periods": 0, "throttled_periods": 0, "throttled_time": 0}
    return out


def _omit_zero(d: dict) -> dict:
    return {k: v for k, v in d.items() if v}


def encode(container: Container, sample, pre=None) -> dict:
    """One StatsResponse: ``sample`` None gives the empty one (name and id)."""
    zero = rfc3339(None)
    out = {"name": "/" + container.name, "id": container.id,
           "read": rfc3339(sample.read) if sample is not None else zero,
           "preread": rfc3339(pre.read) if pre is not None else zero}
    if sample is None:
        out.update({"pids_stats": {}, "blkio_stats": {k: None for k in _BLKIO_KEYS},
                    "num_procs": 0, "storage_stats": {}, "cpu_stats": _cpu(None),
                    "precpu_stats": _cpu(None), "memory_stats": {}})
        return out
    stat = sample.memory_stat
    out["pids_stats"] = _omit_zero({"current": sample.pids_current, "limit": sample.pids_limit})
    blkio = {k: None for k in _BLKIO_KEYS}
    if sample.disk is not None:  # statsV2: a read and a write entry per device of io.stat
        major, minor = sample.disk
        blkio["io_service_bytes_recursive"] = [
            {"major": major, "minor": minor, "op": "read", "value": sample.io_read_bytes},
            {"major": major, "minor": minor, "op": "write", "value": sample.io_write_bytes}]
    out["blkio_stats"] = blkio
    out["num_procs"] = 0
    out["storage_stats"] = {}
    out["cpu_stats"] = _cpu(sample)
    out["precpu_stats"] = _cpu(pre)
    out["memory_stats"] = _omit_zero({
        "usage": sample.memory_usage,
        "stats": {k: int(stat.get(k, 0)) for k in V2_MEMORY_KEYS},
        "limit": sample.memory_limit})
    if sample.networks:
        out["networks"] = {i.name: {"rx_bytes": i.rx_bytes, "rx_packets": i.rx_packets,
                                    "rx_errors": i.rx_errors, "rx_dropped": i.rx_dropped,
                                    "tx_bytes": i.tx_bytes, "tx_packets": i.tx_packets,
                                    "tx_errors": i.tx_errors, "tx_dropped": i.tx_dropped}
                           for i in sorted(sample.networks, key=lambda i: i.name)}
    return out


def line(doc: dict) -> bytes:
    """json.Encoder's output: compact, a newline after each value."""
    return (json.dumps(doc, separators=(",", ":")) + "\n").encode()


class Stats:
    def __init__(self, records, interval: float = INTERVAL):
        self.records = records
        self.interval = interval

    def stats_check(self, ref: str, stream: bool, one_shot: bool) -> Container:
        container = self.records.resolve(ref)
        if stream and one_shot:
            raise InvalidParameter("cannot have stream=true and one-shot=true")
        return container

    @staticmethod
    def _sample(container: Container):
        handle = container.handle
        if not container.state.running or handle is None:
            return None
        return handle.stats()

    async def stats(self, container: Container, *, stream: bool, one_shot: bool):
        """The objects to send (JSON lines), as they are due."""
        async for doc in self._docs(container, stream=stream, one_shot=one_shot):
            yield line(doc)

    async def _docs(self, container: Container, *, stream: bool, one_shot: bool):
        first = self._sample(container)
        if not stream and (first is None or one_shot):
            yield encode(container, first)
            return
        handle = container.handle
        pre = None
        sample = first
        if not stream:
            await asyncio.sleep(self.interval)
            second = self._sample(container)
            yield encode(container, second, first if second is not None else None)
            return
        while True:
            yield encode(container, sample, pre)
            await asyncio.sleep(self.interval)
            if handle is not None and container.handle is not handle:
                return  # the run it watched has ended (moby closes the publisher)
            pre, sample = sample, self._sample(container)
