#!/usr/bin/env python3
"""How long does the daemon take to build kubia (FROM node, ADD app.js,
ENTRYPOINT), node already pulled, and to rebuild it from the cache?

Daemon-side: the engine in this process, the builder fed the context tar
the CLI would send (no HTTP, no CLI start-up).  The data root is a
temporary directory (every write fsynced, as the daemon does) unless
``--memory``.  Prints the median of ``--runs`` builds with ``nocache=1``
and of as many fully cached rebuilds.  Targets: 100 ms and 30 ms.

    python3 bench/build_kubia.py [--runs 20] [--memory] [--profile]
"""

import argparse
import asyncio
import cProfile
import io
import pathlib
import pstats
import shutil
import statistics
import sys
import tarfile
import tempfile
import time


from dockersim.daemon.backend.engine import Engine  # noqa: E402

DOCKERFILE = b'FROM node\nADD ./app.js /app.js\nENTRYPOINT ["node", "app.js"]\n'
#: The seed's kubia app, as the tests keep it.
APP_JS = (pathlib.Path(__file__).resolve().parent.parent / "tests" / "data" / "kubia" / "app.js").read_bytes()


def context() -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as tf:
        for name, data in (("Dockerfile", DOCKERFILE), ("app.js", APP_JS)):
            ti = tarfile.TarInfo(name)
            ti.size, ti.mode, ti.mtime = len(data), 0o644, 1_700_000_000
            tf.addfile(ti, io.BytesIO(data))
    return buf.getvalue()


async def one(engine, body, query) -> float:
    started = time.perf_counter()
    last = b""
    async for message in engine.build(body, query):
        last = message
    took = time.perf_counter() - started
    if b"Successfully tagged kubia:latest" not in last:
        sys.exit(f"the build failed: {last!r}")
    return took


async def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--memory", action="store_true", help="keep the data root in memory")
    ap.add_argument("--profile", action="store_true", help="print a profile of the uncached builds")
    args = ap.parse_args()
    root = None if args.memory else tempfile.mkdtemp(prefix="dockersim-bench-")
    engine = Engine(root, seed=1)
    try:
        async for _ in engine.pull("node"):
            pass
        body = context()
        fresh = {"t": ["kubia"], "nocache": ["1"]}
        cached = {"t": ["kubia"]}
        await one(engine, body, fresh)  # warm the layer-tree cache, as a daemon that ran one build
        profiler = cProfile.Profile() if args.profile else None
        builds, rebuilds = [], []
        for _ in range(args.runs):
            if profiler:
                profiler.enable()
            builds.append(await one(engine, body, fresh))
            if profiler:
                profiler.disable()
            rebuilds.append(await one(engine, body, cached))
        where = "memory" if args.memory else "a data root on disk"
        print(f"kubia build (node pulled, nocache), {where}: median "
              f"{statistics.median(builds) * 1000:.1f} ms over {args.runs} runs (target 100 ms)")
        print(f"kubia rebuild, every step cached, {where}: median "
              f"{statistics.median(rebuilds) * 1000:.1f} ms over {args.runs} runs (target 30 ms)")
        if profiler:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    finally:
        await engine.close()
        if root:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
