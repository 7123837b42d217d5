"""A keyboard and a screen on a container's pseudo-terminal, for tests:
the daemon's side of a ``docker run -it`` (the pty master), driven by
hand."""

from dockersim.sim.clock import ManualClock
from dockersim.sim.fs.memfs import tree_from_dict
from dockersim.sim.fs.tar import write_tree
from dockersim.sim.ids import IdSource
from dockersim.sim.images import distro_files as F
from dockersim.sim.runtime.machine import Machine
from dockersim.sim.runtime.spec import ContainerSpec, ProcessSpec, RootSpec

from .helpers import OneLayer, rootfs_spec


def machine(image: str = "busybox") -> Machine:
    spec = rootfs_spec(image)
    if image != "busybox":
        spec["/etc/bash.bashrc"] = F.DEBIAN_BASHRC.encode()
    return Machine.boot(ManualClock(), IdSource(seed=1), OneLayer(write_tree(tree_from_dict(spec))))


class Terminal:
    """A container started with ``Tty`` and ``OpenStdin``: `type` writes
    keystrokes into the master, `screen` reads what the terminal shows."""

    def __init__(self, argv=("sh",), *, image="busybox", size=(24, 80), user="", hostname="box",
                 m: "Machine | None" = None):
        self.machine = m or machine(image)
        self.stdin = self.machine.runtime.new_stdin()
        spec = ContainerSpec("c" * 64, ProcessSpec(list(argv), terminal=True, stdin=True,
                                                   console_size=size, user=user),
                             RootSpec(["sha256:x"]), hostname)
        self.handle = self.machine.runtime.create(spec, stdin=self.stdin)
        self.seen = b""
        self.handle.on_exit(lambda code: self._take())

    @property
    def kernel(self):
        return self.machine.kernel

    def _take(self) -> bytes:
        data = self.handle.stdout.read()
        self.seen += data
        return data

    def settle(self, seconds: float = 0.0) -> None:
        """Run until idle; then let ``seconds`` of virtual time pass."""
        k = self.kernel
        k.run_until_idle()
        self._take()
        self.machine.collect()
        end = k.clock.now() + seconds
        while seconds:
            deadline = self.machine.next_deadline()
            if deadline is None or deadline > end:
                k.clock.set(end)
                k.poke()
                k.run_until_idle()
                self._take()
                self.machine.collect()
                break
            k.clock.set(deadline)
            k.poke()
            k.run_until_idle()
            self._take()
            self.machine.collect()

    def type(self, keys, seconds: float = 0.0) -> str:
        """Type ``keys`` (str or bytes); what the screen shows in reply."""
        before = len(self.seen)
        if isinstance(keys, str):
            keys = keys.encode()
        self.stdin.write(keys)
        self.settle(seconds)
        return self.seen[before:].decode("utf-8", "replace")

    def screen(self) -> str:
        return self.seen.decode("utf-8", "replace")

    def exec(self, argv, size=(24, 80)):
        """``docker exec -it``: a second terminal in the same container."""
        return ExecTerminal(self, argv, size)


class ExecTerminal(Terminal):
    def __init__(self, parent: Terminal, argv, size):
        self.machine = parent.machine
        self.stdin = self.machine.runtime.new_stdin()
        spec = ProcessSpec(list(argv), terminal=True, stdin=True, console_size=size)
        self.handle = parent.handle.exec(spec, stdin=self.stdin)
        self.seen = b""
        self.handle.on_exit(lambda code: self._take())
