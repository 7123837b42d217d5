"""The simulated kernel: tasks, the scheduler, exec, signals and exit.

Programs are coroutines (``async def main(proc, argv)``).  A blocking system
call awaits a *trap*: the coroutine yields the trap object to the kernel,
the kernel polls it, and either resumes the coroutine at once with the
result or parks the task until something the trap waits for changes (a
pipe, a child, a timer).  This is the way curio and trio drive coroutines,
with the kernel as the event loop.  Nothing here uses asyncio or the wall
clock: the daemon calls `run()` and reads `next_deadline()` and `events`.

One call to `run()` is deterministic: the same state and the same clock
give the same steps.

A tour, in the order a newcomer might read it (one concept per module, as
in gVisor's pkg/sentry/kernel):

- `core`: the `Kernel`, the machine's state and the calls the rest of the
  simulation makes; it hands each call to the module below that holds it;
- `traps`: the trap protocol (`trap`, `BLOCK`, `RESCHEDULE`) and one class
  per blocking call, each checking whether its call can complete;
- `sched`: the run queue, time slices, blocking and waking;
- `timers`: deadlines that wake sleeping tasks;
- `fork` and `exec`: creating a task, and loading a program into it;
- `signals`: sending a signal, and what the target does with it;
- `exit`: how a task dies, becomes a zombie, is reaped, and who adopts
  its children;
- `fdtable`: file descriptors and the descriptions they share;
- `figures` and `loadavg`: the numbers ``free``, ``uptime`` and /proc show;
- `events`: what the daemon hears.

This package re-exports what the rest of the simulation uses, so callers
write ``from ..kernel import Kernel`` or ``_k.trap(_k.ReadTrap(fd, n))``.
"""

from .core import Kernel
from .events import ProgramCrashed, TaskExited
from .exec import DEFAULT_PATH
from .figures import BUFFER_BYTES_PER_INODE, KERNEL_BASE_KB, PAGE_KB, SLAB_BYTES_PER_INODE
from .loadavg import (EXP_1, EXP_5, EXP_15, FIXED_1, FSHIFT, HZ, LOAD_FREQ, calc_load,
                      calc_load_n)
from .sched import TICK, TIME_SLICE
from .traps import (BLOCK, RESCHEDULE, PauseTrap, PollTrap, ReadTrap, SleepTrap, WaitTrap,
                    WriteTrap, YieldTrap, trap)

__all__ = [
    "Kernel", "ProgramCrashed", "TaskExited", "DEFAULT_PATH",
    "BUFFER_BYTES_PER_INODE", "KERNEL_BASE_KB", "PAGE_KB", "SLAB_BYTES_PER_INODE",
    "EXP_1", "EXP_5", "EXP_15", "FIXED_1", "FSHIFT", "HZ", "LOAD_FREQ", "calc_load",
    "calc_load_n", "TICK", "TIME_SLICE",
    "BLOCK", "RESCHEDULE", "PauseTrap", "PollTrap", "ReadTrap", "SleepTrap", "WaitTrap",
    "WriteTrap", "YieldTrap", "trap",
]
