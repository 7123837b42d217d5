"""nginx:alpine behind ``docker run -p`` with the real CLI: the welcome page
over a real TCP connection to the published port, the access log line
(client: the bridge's gateway) in ``docker logs``, ``docker exec ... nginx
-s reload``, ``docker top`` and a graceful ``docker stop``."""

from __future__ import annotations

import http.client
import time

from .helpers import ok


def _get(port: int, path: str) -> "tuple[int, dict, bytes]":
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers={"User-Agent": "e2e/1"})
        resp = conn.getresponse()
        return resp.status, dict(resp.getheaders()), resp.read()
    finally:
        conn.close()


def _logs(docker, name: str, want: str) -> "tuple[str, str]":
    for _ in range(50):
        result = ok(docker("logs", name))
        if want in result.stdout + result.stderr:
            break
        time.sleep(0.1)
    return result.stdout, result.stderr


def test_nginx_serves_through_a_published_port(docker):
    ok(docker("run", "-d", "--name", "e2e-nginx", "-p", "127.0.0.1::80", "nginx:alpine"))
    try:
        port = int(ok(docker("port", "e2e-nginx", "80")).stdout.strip().rsplit(":", 1)[1])
        _logs(docker, "e2e-nginx", "start worker process")
        status, headers, body = _get(port, "/")
        assert status == 200 and b"<title>Welcome to nginx!</title>" in body
        assert headers["Server"] == "nginx/1.27.3" and headers["Content-Type"] == "text/html"
        status, _, body = _get(port, "/nosuch")
        assert status == 404 and b"<center><h1>404 Not Found</h1></center>" in body
        out, err = _logs(docker, "e2e-nginx", '"GET /nosuch HTTP/1.1" 404')
        assert "Configuration complete; ready for start up" in out
        assert '172.17.0.1 - - [' in out and '"GET / HTTP/1.1" 200 615 "-" "e2e/1" "-"' in out
        assert "[notice] 1#1: nginx/1.27.3" in err
        top = ok(docker("top", "e2e-nginx")).stdout
        assert "nginx: master process nginx -g daemon off;" in top and "nginx: worker process" in top
        ok(docker("exec", "e2e-nginx", "nginx", "-s", "reload"))
        _logs(docker, "e2e-nginx", "reconfiguring")
        assert _get(port, "/")[0] == 200
    finally:
        ok(docker("stop", "e2e-nginx"))
        _, err = _logs(docker, "e2e-nginx", "[notice] 1#1: exit")
        assert "signal 3 (SIGQUIT) received, shutting down" in err
        assert ok(docker("inspect", "-f", "{{.State.ExitCode}}", "e2e-nginx")).stdout == "0\n"
        docker("rm", "-f", "e2e-nginx")
