"""Running a program on the simulated host (``dockersim host COMMAND``).

The program runs in the host's namespaces, as a child of the host's init,
with its output collected and returned when it exits: the seed's "ps aux on
the host" is ``dockersim host ps aux``.
"""

import asyncio

from ...sim.runtime.sandbox import StartError
from ..errors import InvalidParameter


class _Collector:
    """An output sink that keeps everything (a host command's output is
    returned whole)."""

    backlogged = False
    on_space = None

    def __init__(self):
        self.chunks = {1: [], 2: []}

    def emit(self, stream: int, data: bytes) -> None:
        self.chunks[stream].append(data)

    def text(self, stream: int) -> bytes:
        return b"".join(self.chunks[stream])


class HostExec:
    def __init__(self, processes, runtime):
        self.processes = processes
        self.runtime = runtime

    async def host_exec(self, argv: list, stdin: bytes = b"") -> "tuple[int, bytes, bytes]":
        """Run ``argv`` on the host; returns (exit code, stdout, stderr)."""
        if not argv:
            raise InvalidParameter("no command given")
        try:
            handle = self.runtime.host_exec([str(a) for a in argv], stdin)
        except StartError as err:
            return err.exit_code, b"", (err.detail + "\n").encode()
        done = asyncio.get_running_loop().create_future()
        out = _Collector()
        self.processes.follow(handle, out, lambda code: done.done() or done.set_result(code))
        code = await done
        return code, out.text(1), out.text(2)
