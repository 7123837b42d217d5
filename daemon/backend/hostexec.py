"""Running a program on the simulated host (``dockersim host COMMAND``).

The program runs in the host's namespaces, as a child of the host's init,
with its output collected and returned when it exits: the seed's "ps aux on
the host" is ``dockersim host ps aux``.
"""

import asyncio

from ...sim.errors import SimError
from ..errors import InvalidParameter


class HostMixin:
    async def host_exec(self, argv: list, stdin: bytes = b"") -> "tuple[int, bytes, bytes]":
        """Run ``argv`` on the host; returns (exit code, stdout, stderr)."""
        if not argv:
            raise InvalidParameter("no command given")
        try:
            proc = self.runtime.host_spawn(self.kernel, self.host, [str(a) for a in argv], stdin)
        except SimError as err:
            return 127, b"", f"{argv[0]}: {err.strerror_text}\n".encode()
        done = asyncio.get_running_loop().create_future()
        chunks = {1: [], 2: []}

        def hook():
            for stream, pipe in ((1, proc.stdout), (2, proc.stderr)):
                data = pipe.drain()
                if data:
                    chunks[stream].append(data)
            if proc.task.exit_status is not None and not done.done():
                if proc.stdout.at_eof and proc.stderr.at_eof:
                    done.set_result(proc.task.exit_status.exit_code)

        self.driver.after_run.append(hook)
        try:
            self.poke()
            code = await done
        finally:
            self.driver.after_run.remove(hook)
            self.runtime.release_pipes(proc.stdout, proc.stderr)
        return code, b"".join(chunks[1]), b"".join(chunks[2])
