"""``docker version`` and ``docker info``: the engine's and the simulated
host's facts (moby's daemon/info.go)."""

import asyncio
import os

from ..support import API_VERSION, ENGINE_VERSION, MIN_API_VERSION
from .container import rfc3339
from .platforms import go_arch


class System:
    def __init__(self, machine, records, images, clock, daemon_id, data_root, driving):
        self.machine = machine
        self.records = records
        self.images = images
        self.clock = clock
        self.daemon_id = daemon_id
        self.data_root = data_root
        #: () -> bool: is the machine driven from an event loop yet?
        self.driving = driving

    def version_info(self) -> dict:
        return {
            "Version": ENGINE_VERSION,
            "ApiVersion": API_VERSION,
            "MinAPIVersion": MIN_API_VERSION,
            "Os": "linux",
            "Arch": go_arch(self.machine.arch),
            "KernelVersion": self.machine.kernel_release,
        }

    def system_info(self) -> dict:
        states = [c.state.status for c in self.records]
        try:
            open_fds = len(os.listdir("/proc/self/fd"))  # the daemon's own, as dockerd reports
        except OSError:
            open_fds = 0
        return {
            "NFd": open_fds,
            "NGoroutines": len(asyncio.all_tasks()) if self.driving() else 0,
            "SystemTime": rfc3339(self.clock.now()),
            "Containers": len(states),
            "ContainersRunning": states.count("running"),
            "ContainersPaused": states.count("paused"),
            "ContainersStopped": len(states) - states.count("running") - states.count("paused"),
            "Images": len(self.images.list(all=False)),
            "Name": self.machine.hostname,
            "ID": self.daemon_id,
            "KernelVersion": self.machine.kernel_release,
            "OperatingSystem": "dockersim (simulated Linux)",
            "NCPU": self.machine.ncpu,
            "MemTotal": self.machine.mem_total,
            "DockerRootDir": self.data_root or "(memory)",
            "Architecture": self.machine.arch,
        }
