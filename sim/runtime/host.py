"""Booting the simulated host.

The host is a small Linux machine: its own root filesystem (a Debian-like
system from the Hub's catalog), PID 1 (``/sbin/init``), and the Docker
plumbing as processes in its process table (containerd and dockerd; a shim
appears per running container).  ``dockersim host ps aux`` shows them all,
with the containers' processes under their host PIDs.
"""

import attrs

from ..abi import Signal
from ..fs.overlay import Overlay
from ..fs.tar import read_layer
from ..fs.memfs import MemFs, make_devfs
from ..fs.procfs import ProcFs
from ..fs.vfs import Vfs
from ..images.catalog import host_rootfs_tar
from ..kernel import Kernel
from ..net.stack import NetStack
from ..ns.ipc import IpcNamespace

#: After boot, a real host has run a few hundred processes (kernel threads,
#: systemd units); allocation continues from here so host PIDs look like
#: the host PIDs people see.
BOOT_LAST_PID = 600

HOST_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


@attrs.define(eq=False)
class Host:
    init: object
    containerd: object
    dockerd: object


def boot_host(clock, ids, hostname: str = "dockersim") -> "tuple[Kernel, Host]":
    """A kernel with the host's filesystem and boot processes."""
    tree = read_layer(host_rootfs_tar())
    vfs = Vfs(Overlay([tree], None, now=clock.now))
    vfs.mount("/dev", make_devfs(clock.now), create=True)
    kernel = Kernel(clock, ids, vfs, hostname=hostname)
    kernel.host_ns.net = NetStack(wake=kernel.wake_all).host
    # The host's /dev/shm (systemd mounts a tmpfs there): ``--ipc host``.
    shm = MemFs(now=clock.now)
    shm.root.mode = (shm.root.mode & ~0o7777) | 0o1777
    vfs.mount("/dev/shm", shm, flags=("nosuid", "nodev"), create=True)
    kernel.host_ns.ipc = IpcNamespace(shm=shm, shareable=True)
    vfs.mount("/proc", ProcFs(kernel, kernel.root_pidns, kernel.host_ns.uts), create=True)
    env = {"PATH": HOST_PATH}
    init = kernel.spawn(argv=["/sbin/init"], env=env, cwd="/")
    kernel.root_pidns.last_pid = BOOT_LAST_PID
    containerd = kernel.spawn(argv=["/usr/bin/containerd"], env=env, cwd="/", parent=init,
                              sig_actions={Signal.SIGCHLD: "ignore"})
    dockerd = kernel.spawn(
        argv=["/usr/bin/dockerd", "-H", "fd://", "--containerd=/run/containerd/containerd.sock"],
        env=env, cwd="/", parent=init, sig_actions={Signal.SIGCHLD: "ignore"})
    kernel.run_until_idle()
    return kernel, Host(init, containerd, dockerd)
