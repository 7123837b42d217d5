"""A daemon SIGKILLed at random points of a mixed workload, five times
(seeded), and started again each time: every object it lists is usable
(containers inspected, started, removed; images inspected; volumes and
networks inspected and removed), no temporary file (``.tmp-*``) is left
in the data root, no ``--rm`` container survives, and the start-up log
has no traceback (issue 8: "nothing silently ignored", crash recovery).

The workload runs in threads over the API on the daemon's socket: create,
start, ``run --rm`` (AutoRemove, start, wait), ``run -d --rm`` of a
``sleep``, volume create, network
create, image tag, commit, ``cp`` into a container; each thread stops
at the first request the dying daemon does not answer."""

import http.client
import json
import os
import random
import signal
import threading
import time

from dockersim.client.transport import request
from dockersim.sim.images.tarball import TreeBuilder

SEED = int(os.environ.get("DOCKERSIM_CHAOS_SEED", "8"))
ROUNDS = int(os.environ.get("DOCKERSIM_CHAOS_ROUNDS", "5"))


class Api:
    def __init__(self, sock: str):
        self.sock = sock

    def __call__(self, method: str, path: str, body=None, *, raw: "bytes | None" = None,
                 timeout: float = 30):
        headers = {}
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        elif raw is not None:
            headers["Content-Type"] = "application/x-tar"
        status, _, out = request(method, "/v1.50" + path, data, headers, socket_path=self.sock,
                                 timeout=timeout)
        try:
            return status, json.loads(out) if out else None
        except ValueError:
            return status, out


def _workload(api: Api, rng: random.Random, tag: str, stop: threading.Event, done: list) -> None:
    n = 0
    while not stop.is_set():
        n += 1
        name = f"{tag}-{n}"
        op = rng.choice(["create", "start", "run-rm", "run-d-rm", "volume", "network", "tag", "commit",
                         "cp"])
        try:
            if op == "volume":
                api("POST", "/volumes/create", {"Name": f"v{name}"})
            elif op == "network":
                api("POST", "/networks/create", {"Name": f"n{name}"})
            elif op == "tag":
                api("POST", f"/images/busybox/tag?repo=chaos&tag={name}")
            else:
                body = {"Image": "busybox",
                        "Cmd": ["sleep", "1000"] if op in ("start", "run-d-rm") else ["true"],
                        "HostConfig": {"AutoRemove": op in ("run-rm", "run-d-rm"),
                                       "Binds": [f"v{name}:/vol"] if op == "create" else []}}
                status, made = api("POST", f"/containers/create?name=c{name}", body)
                if status != 201:
                    continue
                cid = made["Id"]
                if op in ("start", "run-rm", "run-d-rm", "commit"):
                    api("POST", f"/containers/{cid}/start")
                if op == "run-rm":
                    api("POST", f"/containers/{cid}/wait?condition=removed")
                elif op == "commit":
                    api("POST", f"/containers/{cid}/wait")
                    api("POST", f"/commit?container={cid}&repo=chaos-commit&tag={name}", {})
                elif op == "cp":
                    api("PUT", f"/containers/{cid}/archive?path=/tmp", raw=TreeBuilder().file("f", os.urandom(4096)).tar(0))
        except (OSError, http.client.HTTPException):
            return  # the daemon is gone
        finally:
            done.append(op)


def _check_everything_usable(api: Api, data_root) -> None:
    status, containers = api("GET", "/containers/json?all=1")
    assert status == 200, containers
    for c in containers:
        status, info = api("GET", f"/containers/{c['Id']}/json")
        assert status == 200, (c["Names"], info)
        assert not info["HostConfig"]["AutoRemove"], f"--rm leftover {info['Name']}"
        if not info["State"]["Running"]:
            status, out = api("POST", f"/containers/{c['Id']}/start")
            assert status == 204, (info["Name"], out)
        status, out = api("DELETE", f"/containers/{c['Id']}?force=1")
        assert status == 204, (info["Name"], out)
    status, images = api("GET", "/images/json?all=1")
    assert status == 200 and images, images
    for img in images:
        status, info = api("GET", f"/images/{img['Id']}/json")
        assert status == 200, (img, info)
        for ref in img["RepoTags"] or []:
            status, info = api("GET", f"/images/{ref}/json")
            assert status == 200 and info["Id"] == img["Id"], (ref, info)
    status, volumes = api("GET", "/volumes")
    assert status == 200, volumes
    for v in volumes["Volumes"] or []:
        status, info = api("GET", f"/volumes/{v['Name']}")
        assert status == 200, (v, info)
        status, out = api("DELETE", f"/volumes/{v['Name']}")
        assert status == 204, (v["Name"], out)
    status, networks = api("GET", "/networks")
    assert status == 200, networks
    for net in networks:
        status, info = api("GET", f"/networks/{net['Id']}")
        assert status == 200, (net, info)
        if net["Name"] not in ("bridge", "host", "none"):
            status, out = api("DELETE", f"/networks/{net['Id']}")
            assert status == 204, (net["Name"], out)
    leftovers = [os.path.join(d, f) for d, _, files in os.walk(data_root) for f in files
                 if f.startswith(".tmp-")]
    assert leftovers == []


def test_random_sigkills_leave_every_listed_object_usable(fresh_daemon):
    rng = random.Random(SEED)
    fresh_daemon.start()
    api = Api(str(fresh_daemon.sock))
    status, _ = api("POST", "/images/create?fromImage=busybox&tag=latest")
    assert status == 200
    for round_ in range(ROUNDS):
        stop = threading.Event()
        done: list = []
        threads = [threading.Thread(target=_workload,
                                    args=(api, random.Random(rng.random()), f"r{round_}t{t}", stop, done))
                   for t in range(3)]
        for t in threads:
            t.start()
        time.sleep(rng.uniform(0.3, 2.0))
        fresh_daemon.proc.send_signal(signal.SIGKILL)
        fresh_daemon.proc.wait()
        stop.set()
        for t in threads:
            t.join(60)
        print(f"round {round_}: killed after {len(done)} operations")
        log_before = fresh_daemon.log_path.read_text(errors="replace")
        fresh_daemon.start()
        started = fresh_daemon.log_path.read_text(errors="replace")[len(log_before):]
        assert "Traceback" not in started, started
        _check_everything_usable(api, fresh_daemon.data_root)
