"""A slow client slows the process down instead of filling the daemon's
memory: output stops being drained while a listener is far behind."""

import asyncio

from dockersim.daemon.backend.engine import Engine
from dockersim.daemon.backend.output import HIGH_WATER


async def test_a_listener_that_does_not_read_blocks_the_writer():
    engine = Engine(None, seed=3)
    async for _ in engine.pull("busybox"):
        pass
    cid = engine.create_container("chatty", {"Image": "busybox", "Cmd": ["yes", "y" * 2000]})["Id"]
    container = engine.records.resolve(cid)
    listener = container.hub.listen((1, 2))  # an attach that never reads
    await engine.start_container(cid)
    for _ in range(100):
        await asyncio.sleep(0.01)
    task = engine.machine.kernel.task_by_host_pid(container.handle.pid)
    assert listener.queue.qsize() <= HIGH_WATER + 1
    assert task.state.name == "BLOCKED"  # yes waits on its full pipe
    log_before = len(engine.store.get_bytes(engine.records.log_key(container)) or b"")
    while not listener.queue.empty():  # the client catches up...
        listener.queue.get_nowait()
        listener.took()
    for _ in range(20):
        await asyncio.sleep(0.01)
    assert len(engine.store.get_bytes(engine.records.log_key(container)) or b"") > log_before  # ...output flows
    await engine.kill_container(cid)
    await engine.close()
