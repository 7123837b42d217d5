"""Host threads as cores: a turn that ends within the budget is served
inline; a turn that runs on keeps the event loop free and its later calls
reach the kernel's thread through the loop; a closed core fails the calls
of its last turn."""

import asyncio
import threading
import time

import pytest

from dockersim.daemon.backend.cores import BUDGET, CoreClosed, ThreadCores
from dockersim.sim.io.waiter import WaitQueue
from dockersim.sim.proc.cpu import Job


def make_job(woken):
    return Job(WaitQueue(wake=lambda tasks: woken.append(1)))


async def test_a_short_turn_ends_inside_start_and_its_calls_run_on_the_callers_thread():
    loop = asyncio.get_running_loop()
    core = ThreadCores(loop, lambda: None)()
    main = threading.current_thread()
    seen = []
    job = make_job([])
    core.start(lambda: core.call(lambda: seen.append(threading.current_thread())) or 42, job)
    assert job.done and job.result == 42 and seen == [main]
    core.close()


async def test_a_long_turn_runs_on_while_the_loop_serves_and_reaches_back_through_it():
    loop = asyncio.get_running_loop()
    pokes = []
    core = ThreadCores(loop, lambda: pokes.append(1))()
    job = make_job([])
    job.queue.waiters.add(object())  # a task waiting in the trap
    main = threading.current_thread()
    seen = []

    def turn():
        time.sleep(BUDGET * 5)
        return core.call(lambda: seen.append(threading.current_thread()) or "called")

    core.start(turn, job)
    assert not job.done  # the budget ran out: the turn goes on alone
    ticks = 0
    while not job.requests and ticks < 200:  # the loop is free meanwhile
        await asyncio.sleep(0.005)
        ticks += 1
    assert ticks > 0 and pokes  # the call came back through the loop
    job.serve()  # what the task's ComputeTrap does
    for _ in range(200):
        if job.done:
            break
        await asyncio.sleep(0.005)
    assert job.done and job.result == "called" and seen == [main]
    core.close()


async def test_closing_a_core_fails_the_calls_of_its_last_turn():
    loop = asyncio.get_running_loop()
    core = ThreadCores(loop, lambda: None)()
    job = make_job([])
    core.start(lambda: (time.sleep(BUDGET * 3), core.call(lambda: 1))[1], job)
    core.close()
    for _ in range(200):
        if job.done:
            break
        await asyncio.sleep(0.005)
    assert job.done and isinstance(job.error, CoreClosed)
    with pytest.raises(CoreClosed):
        core.start(lambda: 1, make_job([]))


def test_a_stopper_interrupts_a_quickjs_eval_running_on_another_thread():
    import quickjs

    from dockersim.daemon.backend import jsstop

    ctx = quickjs.Context()
    stopper = jsstop.stopper(ctx)
    assert stopper is not None and jsstop.stopper(object()) is None
    assert ctx.eval("1 + 1") == 2  # no handler until stopped: turns run as before
    outcome = []

    def spin():
        try:
            ctx.eval("for (;;) { try { while (true) {} } catch (e) {} }")
        except quickjs.JSException as exc:
            outcome.append(str(exc))

    thread = threading.Thread(target=spin)
    thread.start()
    time.sleep(0.1)
    assert thread.is_alive()
    stopper.stop()
    thread.join(2.0)
    assert not thread.is_alive() and outcome[0].startswith("InternalError: interrupted")
