"""poll(2) over wait queues: a task blocked on several descriptions and a
timer wakes for the one that became ready."""

from dockersim.sim.abi import Errno
from dockersim.sim.errors import SimError
from dockersim.sim.io.waiter import POLLHUP, POLLIN, POLLOUT

from dockersim.sim.proc.task import ProgramImage
from dockersim.sim.programs.table import Program

from .helpers import PATH, boot


def kernel_with_program(main):
    """A kernel running ``main(proc, argv)`` as PID 1 of a namespace."""
    kernel, nsset = boot()
    image = ProgramImage(Program("t", main), ("t",), "/t", "t")
    task = kernel.create_task(parent=None, image=image, nsset=nsset, env={"PATH": PATH},
                              cwd="/", coro_fn=lambda proc: main(proc, ["t"]))
    return kernel, kernel.clock, task


def test_poll_wakes_for_the_pipe_that_became_ready():
    seen = {}

    async def main(proc, argv):
        r1, w1 = proc.pipe()
        r2, w2 = proc.pipe()
        seen["r2"] = r2

        async def writer(child):
            await child.sleep(2)
            await child.write(w2, b"x")

        await proc.fork(writer)
        start = proc.time()
        seen["ready"] = await proc.poll([(r1, POLLIN), (r2, POLLIN)], timeout=10)
        seen["after"] = proc.time() - start
        seen["data"] = await proc.read(r2)
        return 0

    kernel, clock, task = kernel_with_program(main)
    kernel.run_until_idle()
    clock.advance(2)
    kernel.poke()
    kernel.run_until_idle()
    assert seen["ready"] == [(seen["r2"], POLLIN)]
    assert seen["data"] == b"x"
    assert seen["after"] == 2


def test_poll_times_out_with_nothing_ready():
    seen = {}

    async def main(proc, argv):
        r, w = proc.pipe()
        seen["ready"] = await proc.poll([(r, POLLIN)], timeout=3)
        seen["at"] = proc.time()
        return 0

    kernel, clock, task = kernel_with_program(main)
    start = clock.now()
    kernel.run_until_idle()
    assert "ready" not in seen
    assert kernel.next_deadline() == start + 3
    clock.advance(3)
    kernel.poke()
    kernel.run_until_idle()
    assert seen["ready"] == []


def test_poll_reports_hangup_and_writable():
    seen = {}

    async def main(proc, argv):
        r, w = proc.pipe()
        seen["w"] = await proc.poll([(w, POLLOUT)], timeout=0)
        proc.close(w)
        seen["r"] = await proc.poll([(r, POLLIN)], timeout=0)
        return 0

    kernel, clock, task = kernel_with_program(main)
    kernel.run_until_idle()
    assert seen["w"][0][1] == POLLOUT
    assert seen["r"][0][1] == POLLIN | POLLHUP


def test_nonblocking_read_fails_with_eagain():
    seen = {}

    async def main(proc, argv):
        r, w = proc.pipe()
        proc.set_nonblocking(r)
        try:
            await proc.read(r)
        except SimError as err:
            seen["errno"] = err.errno
        return 0

    kernel, clock, task = kernel_with_program(main)
    kernel.run_until_idle()
    assert seen["errno"] == Errno.EAGAIN
