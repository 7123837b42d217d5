"""5,000 containers created, run and removed through the API of a real
daemon process: its resident set after the last 1,000 is within 2 MB of
its resident set after the first 1,000 (issue 8: the daemon's memory is
flat under a steady container load; bench/lifecycle_memory.py measures
the same in process).

Not a timed test: each cycle is create, start, wait, remove of a busybox
``true`` over one keep-alive connection on the daemon's socket (the
smallest client, so the daemon does the work), and RSS is read from
/proc/<pid>/status of the daemon process."""

import json

from dockersim.client.transport import UnixHTTPConnection

CYCLES = 5000
EVERY = 1000
LIMIT = 2 * 1000 * 1000  # "within 2 MB"


def _rss(pid: int) -> int:
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


def test_rss_is_flat_over_5000_container_lifecycles(fresh_daemon):
    fresh_daemon.start()
    pid = fresh_daemon.proc.pid
    conn = UnixHTTPConnection(str(fresh_daemon.sock), timeout=60)

    def call(method: str, path: str, body=None, want=(200,)):
        data = None if body is None else json.dumps(body).encode()
        conn.request(method, "/v1.50" + path, body=data,
                     headers={"Content-Type": "application/json"} if data is not None else {})
        resp = conn.getresponse()
        raw = resp.read()
        assert resp.status in want, (method, path, resp.status, raw)
        return json.loads(raw) if raw else None

    conn.request("POST", "/v1.50/images/create?fromImage=busybox&tag=latest")
    pulled = conn.getresponse()
    assert pulled.status == 200 and b'"error"' not in pulled.read()
    rss = []
    for i in range(1, CYCLES + 1):
        cid = call("POST", "/containers/create", {"Image": "busybox", "Cmd": ["true"]}, want=(201,))["Id"]
        call("POST", f"/containers/{cid}/start", want=(204,))
        assert call("POST", f"/containers/{cid}/wait")["StatusCode"] == 0
        call("DELETE", f"/containers/{cid}", want=(204,))
        if i % EVERY == 0:
            rss.append(_rss(pid))
    conn.close()
    assert fresh_daemon.proc.poll() is None
    print("daemon RSS after each 1,000 (MB): " + ", ".join(f"{r / 1e6:.2f}" for r in rss))
    assert abs(rss[-1] - rss[0]) <= LIMIT, f"RSS {rss[0]} -> {rss[-1]} bytes"
    left = [f for f in (fresh_daemon.data_root / "containers").iterdir()]
    assert left == []
