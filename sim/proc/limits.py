"""Resource limits (getrlimit(2), setrlimit(2), prlimit(2)).

A task's limits are an `Rlimits` value: for each resource, a soft and a
hard limit (`RLIM_INFINITY`: unlimited).  fork(2) copies them, execve(2)
keeps them.  The kernel enforces:

- ``nofile``: a new descriptor numbered at or above the soft limit fails
  with EMFILE (open, socket, pipe, dup, accept: `sim.kernel.fdtable`);
- ``nproc``: fork fails with EAGAIN when the caller's uid already has
  that many tasks, unless it holds CAP_SYS_ADMIN or CAP_SYS_RESOURCE or
  is root (kernel/fork.c).

The others are kept and shown (``ulimit -a``, /proc/<pid>/limits) only.
``DOCKER_DEFAULTS`` are what a container gets from a dockerd with no
``default-ulimits`` on a systemd host (the limits containerd's unit
gives its shims: nofile 1048576, nproc and core unlimited); Docker's
``--ulimit name=soft:hard`` overrides one by its name.
"""

from __future__ import annotations

import attrs

#: RLIM_INFINITY on 64-bit Linux.
RLIM_INFINITY = 2 ** 64 - 1

#: The resources in the kernel's order (RLIMIT_CPU = 0 ...): Docker's
#: name, /proc/<pid>/limits's name and its unit.
RESOURCES: "tuple[tuple[str, str, str], ...]" = (
    ("cpu", "Max cpu time", "seconds"),
    ("fsize", "Max file size", "bytes"),
    ("data", "Max data size", "bytes"),
    ("stack", "Max stack size", "bytes"),
    ("core", "Max core file size", "bytes"),
    ("rss", "Max resident set", "bytes"),
    ("nproc", "Max processes", "processes"),
    ("nofile", "Max open files", "files"),
    ("memlock", "Max locked memory", "bytes"),
    ("as", "Max address space", "bytes"),
    ("locks", "Max file locks", "locks"),
    ("sigpending", "Max pending signals", "signals"),
    ("msgqueue", "Max msgqueue size", "bytes"),
    ("nice", "Max nice priority", ""),
    ("rtprio", "Max realtime priority", ""),
    ("rttime", "Max realtime timeout", "us"),
)
NAMES = tuple(r[0] for r in RESOURCES)

_INF = (RLIM_INFINITY, RLIM_INFINITY)


@attrs.frozen
class Rlimits:
    """name -> (soft, hard) for every resource in `RESOURCES`."""

    limits: "tuple[tuple[str, tuple[int, int]], ...]"

    @classmethod
    def of(cls, mapping: dict) -> "Rlimits":
        return cls(tuple((name, tuple(mapping.get(name, _INF))) for name in NAMES))

    def get(self, name: str) -> "tuple[int, int]":
        return dict(self.limits)[name]

    def soft(self, name: str) -> int:
        return self.get(name)[0]

    def with_limit(self, name: str, soft: int, hard: int) -> "Rlimits":
        d = dict(self.limits)
        d[name] = (int(soft), int(hard))
        return Rlimits.of(d)

    def set(self, name: str, soft: int, hard: int, privileged: bool) -> "Rlimits":
        """setrlimit(2)'s rules: EINVAL when soft > hard; raising the hard
        limit needs CAP_SYS_RESOURCE (EPERM)."""
        from ..abi import Errno
        from ..errors import SimError

        if name not in NAMES:
            raise SimError(Errno.EINVAL)
        if soft > hard:
            raise SimError(Errno.EINVAL)
        if hard > self.get(name)[1] and not privileged:
            raise SimError(Errno.EPERM)
        return self.with_limit(name, soft, hard)


#: The machine's own tasks (Linux's defaults for init).
HOST_DEFAULTS = Rlimits.of({
    "stack": (8 * 1024 * 1024, RLIM_INFINITY), "core": (0, RLIM_INFINITY),
    "nproc": (95558, 95558), "nofile": (1024, 524288), "memlock": (8 * 1024 * 1024,) * 2,
    "sigpending": (95558, 95558), "msgqueue": (819200, 819200), "nice": (0, 0), "rtprio": (0, 0),
})

#: A container's (see the module doc).
DOCKER_DEFAULTS = Rlimits.of({
    "stack": (8 * 1024 * 1024, RLIM_INFINITY), "nofile": (1048576, 1048576),
    "memlock": (8 * 1024 * 1024,) * 2, "sigpending": (95558, 95558),
    "msgqueue": (819200, 819200), "nice": (0, 0), "rtprio": (0, 0),
})


def proc_limits(rlimits: Rlimits) -> str:
    """/proc/<pid>/limits, as fs/proc/base.c's proc_pid_limits prints it."""
    lines = [f"{'Limit':<25} {'Soft Limit':<20} {'Hard Limit':<20} {'Units':<10}\n"]
    for name, title, unit in RESOURCES:
        soft, hard = rlimits.get(name)
        row = f"{title:<25} "
        for value in (soft, hard):
            row += f"{'unlimited' if value == RLIM_INFINITY else str(value):<20} "
        lines.append(row + (f"{unit:<10}\n" if unit else "\n"))
    return "".join(lines)
