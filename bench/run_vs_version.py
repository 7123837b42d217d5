#!/usr/bin/env python3
"""How long does `docker run --rm busybox true` take against dockersim,
next to `docker --version` (the CLI's own start-up, no daemon involved)?

Starts a daemon on a temporary socket and data root, pulls busybox once,
then times 20 runs of each command, interleaved so machine noise hits both
alike, and prints the medians and their ratio.

    python3 bench/run_vs_version.py [--runs 20] [--docker /usr/local/bin/docker]
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def timed(cmd, env) -> float:
    started = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True)
    took = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr.decode()}")
    return took


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--docker", default=shutil.which("docker") or "/usr/local/bin/docker")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="dockersim-bench-")
    sock = os.path.join(work, "docker.sock")
    exe = shutil.which("dockersim") or os.path.join(os.path.dirname(sys.executable), "dockersim")
    daemon = subprocess.Popen([exe, "daemon", "--socket", sock, "--data-root", os.path.join(work, "data")],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    env = dict(os.environ, DOCKER_HOST=f"unix://{sock}", DOCKER_CONFIG=os.path.join(work, "cfg"))
    try:
        deadline = time.time() + 20
        while subprocess.run([args.docker, "version"], env=env, capture_output=True).returncode:
            if time.time() > deadline or daemon.poll() is not None:
                sys.exit("the daemon did not come up")
            time.sleep(0.1)
        subprocess.run([args.docker, "pull", "-q", "busybox"], env=env, capture_output=True, check=True)
        run_times, version_times = [], []
        for _ in range(args.runs):
            run_times.append(timed([args.docker, "run", "--rm", "busybox", "true"], env))
            version_times.append(timed([args.docker, "--version"], env))
        run_med = statistics.median(run_times)
        ver_med = statistics.median(version_times)
        print(f"docker run --rm busybox true: median {run_med * 1000:.1f} ms over {args.runs} runs "
              f"(min {min(run_times) * 1000:.1f}, max {max(run_times) * 1000:.1f})")
        print(f"docker --version:             median {ver_med * 1000:.1f} ms over {args.runs} runs "
              f"(min {min(version_times) * 1000:.1f}, max {max(version_times) * 1000:.1f})")
        print(f"ratio run/version: {run_med / ver_med:.2f}")
    finally:
        daemon.terminate()
        daemon.wait(10)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
