"""``docker update``: moby's daemon/update.go and
container.UpdateContainer (container/container_unix.go).

The request's Resources are checked as at create (`resources.verify`, with
moby's update rules), then merged into the HostConfig field by field
(only the figures moby updates; a zero leaves a figure as it was), with
moby's conflicts; a new RestartPolicy replaces the old one.  A running
(or paused) container's cgroup gets the new limits at once
(``runc update``); a stopped one's at its next start.  The answer is
``{"Warnings": [...]}``.
"""

from ..errors import Conflict, InvalidParameter, NotFound
from . import restart
from .events import NO_EVENTS
from .requests import UPDATE_CONFIG, go_body
from .resources import resources_of, verify

#: The figures UpdateContainer copies, in its order.
UPDATED = ("BlkioWeight", "CpuShares", "NanoCpus", "CpuPeriod", "CpuQuota", "CpusetCpus",
           "CpusetMems", "Memory", "MemorySwap", "MemoryReservation", "KernelMemory",
           "CpuRealtimePeriod", "CpuRealtimeRuntime")


class Updater:
    events = NO_EVENTS

    def __init__(self, records, ncpu):
        self.records = records
        self.ncpu = ncpu

    def update_container(self, ref: str, body: dict, api_version: str = "1.50") -> dict:
        body = go_body(body or {}, UPDATE_CONFIG)  # moby's ReadJSON into container.UpdateConfig
        res = {k: v for k, v in (body or {}).items() if k != "RestartPolicy"}
        policy = (body or {}).get("RestartPolicy") or {}
        if res.get("PidsLimit") is not None and res["PidsLimit"] <= 0:
            res["PidsLimit"] = 0  # 0 and -1 both mean unlimited when updating
        res["KernelMemory"] = 0  # ignored since API 1.42
        warnings = verify(res, self.ncpu, update=True)
        if policy.get("Name"):
            restart.validate({"RestartPolicy": policy})
        container = self.records.resolve(ref)
        cid = container.id
        if container.state.status in ("removing", "dead"):
            raise Conflict(f'Cannot update container {cid}: container is marked for removal '
                           'and cannot be "update"')
        hc = container.host_config
        new = dict(hc)
        self._merge(cid, new, res)
        if policy.get("Name"):
            if hc.get("AutoRemove") and policy.get("Name") not in ("", "no"):
                raise Conflict(f"Cannot update container {cid}: Restart policy cannot be updated "
                               "because AutoRemove is enabled for the container")
            new["RestartPolicy"] = {"Name": policy.get("Name"),
                                    "MaximumRetryCount": int(policy.get("MaximumRetryCount") or 0)}
        hc.clear()
        hc.update(new)
        self.records.save(container)
        self.events.container(container, "update")  # moby logs it even if the runtime refuses
        if container.state.running and container.handle is not None:
            container.handle.update(resources_of(hc))
        return {"Warnings": warnings}

    @staticmethod
    def _merge(cid: str, hc: dict, res: dict) -> None:
        def have(key):
            return int(hc.get(key) or 0) > 0

        def conflict(text):
            raise Conflict(f"Cannot update container {cid}: Conflicting options: {text}")

        nano, period, quota = (int(res.get(k) or 0) for k in ("NanoCpus", "CpuPeriod", "CpuQuota"))
        if nano > 0 and have("CpuPeriod"):
            conflict("Nano CPUs cannot be updated as CPU Period has already been set")
        if nano > 0 and have("CpuQuota"):
            conflict("Nano CPUs cannot be updated as CPU Quota has already been set")
        if period > 0 and have("NanoCpus"):
            conflict("CPU Period cannot be updated as NanoCPUs has already been set")
        if quota > 0 and have("NanoCpus"):
            conflict("CPU Quota cannot be updated as NanoCPUs has already been set")
        for key in UPDATED:
            value = res.get(key)
            if not value:
                continue
            if key == "Memory" and value > int(hc.get("MemorySwap") or 0) and not res.get("MemorySwap"):
                raise Conflict(f"Cannot update container {cid}: Memory limit should be smaller than "
                               "already set memoryswap limit, update the memoryswap at the same time")
            hc[key] = value
        if res.get("PidsLimit") is not None:
            hc["PidsLimit"] = res["PidsLimit"]


__all__ = ["Updater", "InvalidParameter", "NotFound"]
