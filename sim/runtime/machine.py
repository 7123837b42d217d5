"""The simulated computer, as the daemon drives it.

`Machine.boot` makes a kernel, boots the host (init, containerd, dockerd)
and puts a container runtime on it.  The daemon then needs only this
object: it advances the simulation with `run`, arms one timer for
`next_deadline`, and after every run calls `collect`, which tells each
handle whose process exited (the handle runs its ``on_exit`` callbacks)
and returns the crash reports of programs that failed (bugs to log).
The runtime (`runtime`) starts containers and host commands; the facts
`/info` shows (name, kernel release, CPUs, memory) are read here.
"""

import attrs

from ..kernel import Kernel, ProgramCrashed, TaskExited
from ..errors import SimError
from .host import Host, boot_host
from .sandbox import Runtime


@attrs.frozen
class Crash:
    """A simulated program raised an unexpected exception (a dockersim
    bug): its name, host PID and traceback text."""

    comm: str
    host_pid: int
    text: str


@attrs.define(eq=False)
class Machine:
    kernel: Kernel = attrs.field(repr=False)
    host: Host = attrs.field(repr=False)
    runtime: Runtime = attrs.field(repr=False)

    @classmethod
    def boot(cls, clock, ids, layers, hostname: str = "dockersim") -> "Machine":
        """A booted host with a runtime over ``layers`` (a layer store: its
        ``tar(diff_id)`` and ``on_delete`` callbacks, to which the runtime
        subscribes once)."""
        kernel, host = boot_host(clock, ids, hostname)
        runtime = Runtime(kernel, host, layers)
        layers.on_delete.append(runtime.layer_deleted)
        return cls(kernel, host, runtime)

    # -- driving -------------------------------------------------------------
    def run(self, max_steps: int = 20000) -> bool:
        """Run tasks for up to ``max_steps`` steps; True if some remain
        runnable (call again soon)."""
        return self.kernel.run(max_steps=max_steps)

    def runnable(self) -> bool:
        return self.kernel.runnable()

    def next_deadline(self) -> "float | None":
        """The kernel-clock time of the earliest pending timer, or None."""
        return self.kernel.next_deadline()

    def now(self) -> float:
        return self.kernel.now()

    def fire_timers(self) -> None:
        """Wake the tasks whose timers are due (after the daemon's timer)."""
        self.kernel.poke()

    def collect(self) -> "list[Crash]":
        """Hand the kernel's events to whom they concern: each exit to the
        handle of the process (its ``on_exit`` callbacks run now, in exit
        order; one failing callback does not stop the others).  Returns the
        crashes to report."""
        crashes = []
        errors = []
        for event in self.kernel.drain_events():
            if isinstance(event, TaskExited):
                try:
                    self.runtime.process_exited(event.host_pid, event.status.exit_code)
                except Exception as exc:  # noqa: BLE001 - reported after the others ran
                    errors.append(exc)
            elif isinstance(event, ProgramCrashed):
                crashes.append(Crash(event.comm, event.host_pid, event.text))
        if errors:
            raise errors[0]
        return crashes

    @property
    def net(self):
        """The network stack (`sim.net.stack.NetStack`): networks, and
        `connect_external` for published ports."""
        return self.kernel.host_ns.net.stack

    def use_cores(self, factory) -> None:
        """Run embedded engines' turns on the cores ``factory()`` makes
        (`sim.proc.cpu`: the daemon's host threads) instead of inline."""
        self.kernel.cores = factory

    # -- facts -----------------------------------------------------------------
    @property
    def hostname(self) -> str:
        return self.kernel.hostname

    @property
    def kernel_release(self) -> str:
        return self.kernel.release

    @property
    def arch(self) -> str:
        """``uname -m``: x86_64, aarch64."""
        return self.kernel.machine

    @property
    def ncpu(self) -> int:
        return self.kernel.ncpu

    @property
    def mem_total(self) -> int:
        """Bytes of RAM."""
        return self.kernel.mem_total_kb * 1024

    def read_host_file(self, path: str) -> "bytes | None":
        """A file of the simulated host (None when it has none)."""
        try:
            return self.kernel.host_vfs.read_bytes(path)
        except SimError:
            return None
