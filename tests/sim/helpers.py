"""Run simulated programs without an event loop.

`run_program` boots a kernel whose root filesystem is a small busybox (or
Debian-like) system plus the files a test gives, runs one command as PID 1
of a fresh PID namespace (as a container's first process), lets virtual
time jump whenever every task sleeps, and returns what it printed.
"""

import attrs

from dockersim.sim.abi import O_RDWR
from dockersim.sim.clock import ManualClock
from dockersim.sim.fs.memfs import File, make_devfs, tree_from_dict
from dockersim.sim.fs.overlay import Overlay
from dockersim.sim.fs.procfs import ProcFs
from dockersim.sim.fs.tar import LayerTree
from dockersim.sim.fs.vfs import Vfs
from dockersim.sim.ids import IdSource
from dockersim.sim.io.pipe import Pipe
from dockersim.sim.kernel import Kernel
from dockersim.sim.net.stack import NetStack
from dockersim.sim.ns.nsset import NamespaceSet
from dockersim.sim.ns.uts import UtsNamespace
from dockersim.sim.proc.files import FileDesc, PipeDesc
from dockersim.sim.proc.pidns import PidNamespace
from dockersim.sim.programs import table

PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

PASSWD = """root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/bin/false
bin:x:2:2:bin:/bin:/bin/false
sys:x:3:3:sys:/dev:/bin/false
nobody:x:65534:65534:nobody:/home:/bin/false
user:x:1000:1000:User:/home/user:/bin/sh
"""
GROUP = """root:x:0:
daemon:x:1:
bin:x:2:
sys:x:3:
nogroup:x:65534:
user:x:1000:
"""

#: Tools the Debian-like image carries as programs of their own.
DEBIAN_TOOLS = ("cat echo printf ls ps hostname sleep true false env pwd id whoami mkdir touch rm "
                "cp mv ln head tail wc grep sed find date uname kill top seq sort uniq tee test [ "
                "basename dirname which chmod stat xargs").split()


def _applets() -> list:
    try:
        from dockersim.sim.programs.busybox.applets import APPLETS
    except ImportError:
        return ["sh", "echo", "cat", "ls", "ps", "true", "false", "sleep"]
    return sorted(APPLETS)


def rootfs_spec(image: str = "busybox") -> dict:
    spec = {
        "/etc/passwd": PASSWD, "/etc/group": GROUP, "/etc/hostname": "testhost\n",
        "/root/": None, "/home/user/": None, "/proc/": None, "/sys/": None, "/var/": None,
        "/tmp/": None,
        "/usr/local/bin/node": (table.marker("node"), 0o755),
    }
    if image == "busybox":
        binary = File(table.marker("busybox"), mode=0o755)
        spec["/bin/busybox"] = binary
        for name in _applets():
            if name != "busybox":
                spec[f"/bin/{name}"] = binary
    else:
        spec["/usr/bin/bash"] = (table.marker("bash"), 0o755)
        spec["/usr/bin/sh"] = (table.marker("sh"), 0o755)
        for name in DEBIAN_TOOLS:
            spec[f"/usr/bin/{name}"] = (table.marker(name), 0o755)
        from dockersim.sim.fs.memfs import Symlink

        spec["/bin"] = Symlink("usr/bin")
    return spec


@attrs.frozen
class Result:
    exit_code: int
    stdout: bytes
    stderr: bytes
    kernel: object = attrs.field(repr=False)

    @property
    def out(self) -> str:
        return self.stdout.decode()

    @property
    def err(self) -> str:
        return self.stderr.decode()


def boot(files=None, image: str = "busybox", clock=None, proc: bool = True):
    """A kernel, and a container-like namespace set over the test rootfs
    (with /proc mounted unless ``proc`` is false)."""
    clock = clock or ManualClock()
    spec = rootfs_spec(image)
    for path, value in (files or {}).items():
        spec[path] = value.encode() if isinstance(value, str) else value
    tree = tree_from_dict(spec, mtime=clock.now())
    vfs = Vfs(Overlay([LayerTree.from_tree(tree)], None, now=clock.now))
    vfs.mount("/dev", make_devfs(clock.now), create=True)
    kernel = Kernel(clock, IdSource(seed=7), vfs, hostname="simhost")
    stack = NetStack(wake=kernel.wake_all)
    kernel.host_ns.net = stack.host
    nsset = NamespaceSet(pid=PidNamespace.child_of(kernel.root_pidns), mnt=vfs,
                         uts=UtsNamespace("testhost"), net=stack.new_namespace("test"))
    if proc:
        vfs.mount("/proc", ProcFs(kernel, nsset.pid, nsset.uts))
    return kernel, nsset


def run_program(argv, *, files=None, stdin=b"", env=None, cwd="/", image="busybox", uid=0, gid=0,
                max_virtual_seconds: float = 3600.0, proc: bool = True) -> Result:
    kernel, nsset = boot(files, image, proc=proc)
    clock = kernel.clock
    out = Pipe(wake=kernel.wake_all)
    err = Pipe(wake=kernel.wake_all)
    out.open_end("r")
    err.open_end("r")
    if stdin is None:
        fd0 = FileDesc(file=nsset.mnt.open("/dev/null", O_RDWR), flags=O_RDWR)
    else:
        pin = Pipe(wake=kernel.wake_all)
        pin.open_end("w")
        pin.feed(stdin.encode() if isinstance(stdin, str) else stdin)
        fd0 = PipeDesc(pipe=pin, kind="r")
        pin.close_end("w")
    environ = {"PATH": PATH, "HOME": "/root" if uid == 0 else "/home/user", "HOSTNAME": "testhost"}
    environ.update(env or {})
    task = kernel.spawn(argv=list(argv), env=environ, cwd=cwd, nsset=nsset, uid=uid, gid=gid,
                        fds={0: fd0, 1: PipeDesc(pipe=out, kind="w"), 2: PipeDesc(pipe=err, kind="w")})
    stdout, stderr = [], []
    start = clock.now()
    while True:
        kernel.run_until_idle()
        stdout.append(out.drain())
        stderr.append(err.drain())
        if task.exit_status is not None:
            break
        deadline = kernel.next_deadline()
        if deadline is None or deadline - start > max_virtual_seconds:
            raise TimeoutError(f"{argv!r} blocked forever; stderr so far: {b''.join(stderr)!r}")
        clock.set(deadline)
    kernel.run_until_idle()
    stdout.append(out.drain())
    stderr.append(err.drain())
    return Result(task.exit_status.exit_code, b"".join(stdout), b"".join(stderr), kernel)


def run_to_exit(machine, handle) -> "tuple[int, str, str]":
    """Drive ``machine`` (a `sim.runtime.machine.Machine`) until the
    process of ``handle`` exited, jumping the clock to each timer; returns
    (exit code, stdout, stderr)."""
    out, err = [], []

    def take():
        out.append(handle.stdout.read())
        if handle.stderr is not None:
            err.append(handle.stderr.read())

    handle.on_exit(lambda code: take())
    while handle.running:
        machine.kernel.run_until_idle()
        take()
        machine.collect()
        if handle.running and machine.next_deadline() is not None:
            machine.kernel.clock.set(machine.next_deadline())
    return handle.exit_code, b"".join(out).decode(), b"".join(err).decode()


class OneLayer:
    """A layer store holding one image layer (the tar every diff id names),
    as `Machine.boot` takes one."""

    def __init__(self, tar: bytes):
        self._tar = tar
        self.on_delete = []

    def tar(self, diff_id):
        return self._tar


def boot_machine(files=None, image: str = "busybox", clock=None):
    """A booted `Machine` whose runtime's images are the test rootfs (plus
    ``files``) as one layer."""
    from dockersim.sim.fs.tar import write_tree
    from dockersim.sim.runtime.machine import Machine

    spec = rootfs_spec(image)
    for path, value in (files or {}).items():
        spec[path] = value.encode() if isinstance(value, str) else value
    return Machine.boot(clock or ManualClock(), IdSource(seed=1), OneLayer(write_tree(tree_from_dict(spec))))
