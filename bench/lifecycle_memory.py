#!/usr/bin/env python3
"""Does the daemon's memory stay flat under a steady container load?

In process, against the `Engine` (no HTTP): ``--cycles`` times create,
start, wait for the exit, remove a busybox container running ``true``
(``--rm``-less, as ``docker run`` then ``docker rm``).  After every
``--every`` cycles it prints the resident set (VmRSS from /proc/self/status,
and the peak from getrusage) and the bytes tracemalloc sees; with
``--top N`` it prints the N sources of growth between the first and the
last report (tracemalloc snapshots compared by line).

    python3 bench/lifecycle_memory.py [--cycles 5000] [--every 1000] [--top 15] [--data-root]
                                      [--http 8] [--cmd "echo hi"]
"""

import argparse
import asyncio
import gc
import resource
import shutil
import tempfile
import tracemalloc

from dockersim.daemon.backend.engine import Engine


def rss_kb() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


async def cycle(engine: Engine, cmd) -> None:
    cid = engine.create_container(None, {"Image": "busybox", "Cmd": cmd})["Id"]
    waiter = engine.wait_container(cid, "next-exit")
    await engine.start_container(cid)
    await waiter
    await engine.remove_container(cid)


async def http_cycle(session, cmd) -> None:
    """As ``docker run`` then ``docker rm`` over the API: create, wait
    (next-exit), start, the wait's answer, remove."""
    base = "http://docker/v1.50/containers"
    async with session.post(f"{base}/create", json={"Image": "busybox", "Cmd": cmd}) as resp:
        cid = (await resp.json())["Id"]
    async with session.post(f"{base}/{cid}/wait?condition=next-exit") as wait:
        async with session.post(f"{base}/{cid}/start") as resp:
            await resp.read()
        await wait.read()
    async with session.delete(f"{base}/{cid}") as resp:
        await resp.read()


async def http_driver(engine, clients: int):
    """Serve the API on a unix socket in this process; return a cycle
    function running ``clients`` cycles at once, and a closer."""
    import aiohttp  # noqa: PLC0415
    from aiohttp import web  # noqa: PLC0415

    from dockersim.daemon.app import create_app  # noqa: PLC0415

    sock = tempfile.mktemp(prefix="lifecycle-", suffix=".sock")
    runner = web.AppRunner(create_app(engine))
    await runner.setup()
    await web.UnixSite(runner, sock).start()
    session = aiohttp.ClientSession(connector=aiohttp.UnixConnector(path=sock))

    async def run(_engine, cmd):
        await asyncio.gather(*(http_cycle(session, cmd) for _ in range(clients)))

    async def close():
        await session.close()
        await runner.cleanup()

    return run, close


async def main(args) -> list:
    root = tempfile.mkdtemp(prefix="lifecycle-") if args.data_root else None
    engine = Engine(root, seed=1)
    run, close = cycle, None
    try:
        async for _ in engine.pull("busybox"):
            pass
        if args.http:
            run, close = await http_driver(engine, args.http)
        cmd = args.cmd.split()
        for _ in range(50):  # warm up: caches, interned code paths
            await run(engine, cmd)
        if args.top:
            tracemalloc.start(12)
        reports, first = [], None
        for i in range(1, args.cycles + 1):
            await run(engine, cmd)
            if i % args.every == 0:
                gc.collect()
                traced = tracemalloc.get_traced_memory()[0] if args.top else 0
                rss = rss_kb()
                reports.append((i, rss, traced))
                print(f"{i:6d} cycles: RSS {rss / 1024:8.1f} MB, peak "
                      f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:8.1f} MB"
                      + (f", traced {traced / 1024:8.1f} KB" if args.top else ""), flush=True)
                if args.top:
                    snap = tracemalloc.take_snapshot()
                    if first is None:
                        first = snap
        if args.top and first is not None:
            last = tracemalloc.take_snapshot()
            print(f"\ngrowth between the first and the last report, top {args.top}:")
            for stat in last.compare_to(first, "traceback")[:args.top]:
                print(f"{stat.size_diff / 1024:+9.1f} KB {stat.count_diff:+7d} blocks")
                for line in stat.traceback.format()[-8:]:
                    print("      " + line)
        if len(reports) >= 2:
            per = (reports[-1][1] - reports[0][1]) / (reports[-1][0] - reports[0][0]) * 1000
            print(f"\nRSS growth after the first report: {per:+.1f} KB per 1,000 cycles")
        return reports
    finally:
        if close is not None:
            await close()
        await engine.close()
        if root:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=5000)
    parser.add_argument("--every", type=int, default=1000)
    parser.add_argument("--top", type=int, default=0)
    parser.add_argument("--cmd", default="true")
    parser.add_argument("--http", type=int, default=0, metavar="CLIENTS",
                        help="over the API on a unix socket, CLIENTS cycles at once (a cycle: CLIENTS lifecycles)")
    parser.add_argument("--data-root", action="store_true", help="a temporary data root, not memory")
    asyncio.run(main(parser.parse_args()))
