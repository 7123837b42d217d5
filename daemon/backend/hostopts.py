"""The create checks of the options that are not resources, mounts or
networks: moby's ``validateContainerConfig`` (StopSignal, Healthcheck),
``validateHostConfig`` (Isolation, Annotations),
``verifyPlatformContainerSettings`` (Runtime), ``mergeAndVerifyLogConfig``
(LogConfig, in logdrivers.py) and overlay2's ``CreateReadWrite``
(StorageOpt), with moby's words; and the Warnings of the options a cgroup v2
dockerd accepts but the simulation gives no effect (KernelMemoryTCP, the
realtime CPU figures, the Block I/O throttles, CpuCount).
"""

from __future__ import annotations

from ...sim.abi import Signal
from ..errors import InvalidParameter
from . import logdrivers

#: containertypes.MinimumDuration (1ms), in nanoseconds.
MINIMUM_DURATION = 1_000_000

#: The runtimes a default dockerd has configured (``docker info``'s Runtimes).
RUNTIMES = ("io.containerd.runc.v2", "runc")
DEFAULT_RUNTIME = "runc"


def check_signal(text: str) -> None:
    """moby/sys/signal's ParseSignal: a non-zero number, or a name with or
    without ``SIG`` in any case."""
    if text.isdigit():
        if int(text) == 0:
            raise InvalidParameter(f"invalid signal: {text}")
        return
    try:
        Signal.parse(text)
    except ValueError:
        raise InvalidParameter(f"invalid signal: {text}") from None


def check_healthcheck(health: "dict | None") -> None:
    """moby's validateHealthCheck (durations in nanoseconds)."""
    if not health:
        return
    for field in ("Interval", "Timeout"):
        value = health.get(field) or 0
        if value != 0 and value < MINIMUM_DURATION:
            raise InvalidParameter(f"{field} in Healthcheck cannot be less than 1ms")
    if (health.get("Retries") or 0) < 0:
        raise InvalidParameter("Retries in Healthcheck cannot be negative")
    for field in ("StartPeriod", "StartInterval"):
        value = health.get(field) or 0
        if value != 0 and value < MINIMUM_DURATION:
            raise InvalidParameter(f"{field} in Healthcheck cannot be less than 1ms")


def merge_healthcheck(user: "dict | None", image: "dict | None") -> "dict | None":
    """moby's merge(): the image's HEALTHCHECK fills what the client left
    zero."""
    if not image:
        return user
    if user is None:
        return dict(image)
    out = dict(user)
    if not out.get("Test"):
        out["Test"] = image.get("Test")
    for field in ("Interval", "Timeout", "StartPeriod", "StartInterval", "Retries"):
        if not out.get(field) and image.get(field):
            out[field] = image[field]
    return out


def verify_config(body: dict) -> None:
    """validateContainerConfig's checks of StopSignal and Healthcheck."""
    if body.get("StopSignal"):
        check_signal(body["StopSignal"])
    check_healthcheck(body.get("Healthcheck"))


def verify_host_config(hc: dict) -> None:
    """validateHostConfig's, verifyPlatformContainerSettings' and the log
    driver's and graph driver's checks; fills Runtime's default."""
    isolation = hc.get("Isolation") or ""
    if isolation.lower() not in ("", "default"):
        raise InvalidParameter(f"invalid isolation '{isolation}' on linux")
    if "" in (hc.get("Annotations") or {}):
        raise InvalidParameter("invalid Annotations: the empty string is not permitted as an "
                               "annotation key")
    if not hc.get("Runtime"):
        hc["Runtime"] = DEFAULT_RUNTIME
    if hc["Runtime"] not in RUNTIMES:
        raise InvalidParameter(f"unknown or invalid runtime name: {hc['Runtime']}")
    logdrivers.validate(hc)
    storage = hc.get("StorageOpt") or {}
    if "size" in storage:
        # the data root is not xfs with pquota: overlay2's CreateReadWrite
        raise InvalidParameter("--storage-opt is supported only for overlay over xfs with "
                               "'pquota' mount option")
    for key in storage:
        raise InvalidParameter(f"Unknown option {key.lower()}")


# -- Warnings ------------------------------------------------------------------


def warn_kernel_memory_tcp(config: dict, hc: dict) -> "list[str]":
    if hc.get("KernelMemoryTCP"):
        return ["KernelMemoryTCP is not applied: the simulated host is cgroup v2, where runc "
                "has no kernel TCP memory limit (dockerd passes it on and it is dropped there too)"]
    return []


def warn_cpu_count(config: dict, hc: dict) -> "list[str]":
    if hc.get("CpuCount"):
        return ["CpuCount is a Windows option: a Linux dockerd ignores it, and so does dockersim"]
    return []


def warn_cpu_realtime(field: str):
    def warn(config: dict, hc: dict) -> "list[str]":
        if hc.get(field):
            return [f"{field} is not applied: the simulated host is cgroup v2, which has no "
                    "real-time CPU group scheduling (runc drops it there)"]
        return []
    warn.__name__ = f"warn_{field}"
    return warn


_THROTTLES = (("BlkioDeviceReadBps", "read bytes/s"), ("BlkioDeviceWriteBps", "write bytes/s"),
              ("BlkioDeviceReadIOps", "read IO/s"), ("BlkioDeviceWriteIOps", "write IO/s"))


def warn_blkio_throttle(field: str):
    what = dict(_THROTTLES)[field]

    def warn(config: dict, hc: dict) -> "list[str]":
        if hc.get(field):
            return [f"{field} is recorded but not enforced: the simulated disk has no io.max "
                    f"throttle ({what})"]
        return []
    warn.__name__ = f"warn_{field}"
    return warn
