"""nginx from the catalog's images as a container of the runtime: the
entrypoint's configuration scripts, the master's notices, workers serving
the welcome page, nginx's error pages and log lines, nginx -t, -s reload,
graceful stop; clients from the host (the published-port path), from a
coroutine in another container's namespace and with curl; the
configuration parser's errors."""

import json

import pytest

from dockersim.sim.clock import ManualClock
from dockersim.sim.ids import IdSource
from dockersim.sim.images import catalog
from dockersim.sim.images.catalog import sha256_digest
from dockersim.sim.ns.nsset import NamespaceSet
from dockersim.sim.ns.uts import UtsNamespace
from dockersim.sim.proc.pidns import PidNamespace
from dockersim.sim.proc.task import ProgramImage
from dockersim.sim.programs.nginx.conf import ConfError, Parser
from dockersim.sim.programs.table import Program
from dockersim.sim.runtime.machine import Machine
from dockersim.sim.runtime.network import EndpointSpec
from dockersim.sim.runtime.spec import ContainerSpec, FileMount, ProcessSpec, RootSpec

#: 2024-12-01 00:00:00 UTC.
START = 1733011200.0


class Nginx:
    """A machine running one nginx image as a container on the default
    bridge; ``out``/``err`` collect its logs."""

    def __init__(self, key="nginx-1.27.3-alpine", cmd=None, user=""):
        img = catalog.build(key)
        layers = {sha256_digest(t): t for t in img.layers}

        class Layers:
            on_delete = []

            def tar(self, diff_id):
                return layers[diff_id]

        config = json.loads(img.config_bytes)["config"]
        self.machine = Machine.boot(ManualClock(START), IdSource(seed=1), Layers())
        self.bridge = self.machine.net.create_network("bridge", name="bridge", bridge="docker0")
        net = self.machine.runtime.network_sandbox([EndpointSpec(network="bridge", ip="", names=("web",))])
        self.ip = next(iter(net.endpoints().values())).ip
        hosts = f"127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n{self.ip}\tweb\n"
        spec = ContainerSpec("c" * 64, ProcessSpec(config["Entrypoint"] + (cmd or config["Cmd"]),
                                                   env=config["Env"], user=user),
                             RootSpec(img.diff_ids), "web", mounts=(FileMount("/etc/hosts", hosts.encode()),))
        self.handle = self.machine.runtime.create(spec, net=net)
        self.out, self.err = [], []
        self.handle.on_exit(lambda code: self._take())
        self.settle()

    def _take(self):
        self.out.append(self.handle.stdout.read().decode())
        self.err.append(self.handle.stderr.read().decode())

    def settle(self, seconds=0.0):
        for _ in range(20):
            self.machine.kernel.run_until_idle()
            self.machine.collect()
            if self.handle.running:
                self._take()
        if seconds:
            self.machine.kernel.clock.advance(seconds)
            self.machine.kernel.poke()
            self.settle()

    def logs(self) -> "tuple[str, str]":
        out, err = "".join(self.out), "".join(self.err)
        self.out.clear()
        self.err.clear()
        return out, err

    def exec(self, argv) -> "tuple[int, str, str]":
        proc = self.handle.exec(ProcessSpec(argv))
        got = []
        proc.on_exit(lambda code: got.append((code, proc.stdout.read().decode(), proc.stderr.read().decode())))
        self.settle()
        assert got, f"{argv} did not finish"
        return got[0]

    def request(self, raw: bytes) -> bytes:
        """One exchange over a new connection from the host (as
        docker-proxy makes for a published port)."""
        conn = self.machine.net.connect_external(self.ip, 80)
        conn.send(raw)
        self.settle()
        return conn.recv()

    def run_client(self, main):
        """Run coroutine ``main(proc)`` as a task in another container's
        network namespace on the same bridge."""
        other = self.machine.runtime.network_sandbox([EndpointSpec(network="bridge", ip="", names=("cli",))])
        k = self.machine.kernel
        nsset = NamespaceSet(pid=PidNamespace.child_of(k.root_pidns), mnt=self.handle.rootfs.vfs,
                             uts=UtsNamespace("cli"), net=other.ns)
        image = ProgramImage(Program("client", main), ("client",), "/client", "client")
        k.create_task(parent=None, image=image, nsset=nsset, env={}, cwd="/", coro_fn=main)
        self.settle()


GET = b"GET / HTTP/1.1\r\nHost: localhost:8080\r\nUser-Agent: curl/8.11.0\r\nAccept: */*\r\n\r\n"


def _split(resp: bytes):
    head, body = resp.split(b"\r\n\r\n", 1)
    lines = head.decode().split("\r\n")
    return lines[0], lines[1:], body


def test_the_entrypoint_configures_then_nginx_starts_its_workers():
    n = Nginx()
    out, err = n.logs()
    assert out.splitlines() == [
        "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration",
        "/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/",
        "/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh",
        "10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf",
        "10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf",
        "/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh",
        "/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh",
        "/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh",
        "/docker-entrypoint.sh: Configuration complete; ready for start up",
    ]
    lines = err.splitlines()
    assert all(line.startswith("2024/12/01 00:00:") for line in lines)
    notices = [line.split(" ", 2)[2] for line in lines]
    ncpu = n.machine.ncpu
    assert notices[:6] == [
        '[notice] 1#1: using the "epoll" event method',
        "[notice] 1#1: nginx/1.27.3",
        "[notice] 1#1: built by gcc 13.2.1 20240309 (Alpine 13.2.1_git20240309) ",
        f"[notice] 1#1: OS: Linux {n.machine.kernel_release}",
        "[notice] 1#1: getrlimit(RLIMIT_NOFILE): 1048576:1048576",
        "[notice] 1#1: start worker processes",
    ]
    assert len(notices) == 6 + ncpu
    assert all(x.startswith("[notice] 1#1: start worker process ") for x in notices[6:])


def test_ps_shows_the_master_and_its_workers_as_nginx_titles_them():
    n = Nginx()
    code, out, _ = n.exec(["ps", "-o", "user,args"])
    rows = [line.split(None, 1) for line in out.splitlines()[1:]]
    assert rows[0] == ["root", "nginx: master process nginx -g daemon off;"]
    workers = [r for r in rows if r[1] == "nginx: worker process"]
    assert len(workers) == n.machine.ncpu and all(r[0] == "nginx" for r in workers)


def test_the_welcome_page_with_nginx_headers_and_an_access_log_line():
    n = Nginx()
    n.logs()
    status, headers, body = _split(n.request(GET))
    assert status == "HTTP/1.1 200 OK"
    assert body == catalog.F.NGINX_INDEX_HTML.encode()
    names = [h.split(":")[0] for h in headers]
    assert names == ["Server", "Date", "Content-Type", "Content-Length", "Last-Modified", "Connection",
                     "ETag", "Accept-Ranges"]
    assert headers[0] == "Server: nginx/1.27.3"
    assert headers[1] == "Date: Sun, 01 Dec 2024 00:00:00 GMT"
    assert headers[2:4] == ["Content-Type: text/html", f"Content-Length: {len(body)}"]
    assert headers[4] == "Last-Modified: Tue, 26 Nov 2024 18:42:08 GMT"
    assert headers[5] == "Connection: keep-alive"
    assert headers[6] == f'ETag: "{1732646528:x}-{len(body):x}"'
    out, err = n.logs()
    # /var/log/nginx/access.log -> /dev/stdout -> /proc/self/fd/1: docker logs.
    assert out == ('172.17.0.1 - - [01/Dec/2024:00:00:00 +0000] "GET / HTTP/1.1" 200 615 "-" '
                   '"curl/8.11.0" "-"\n')
    assert err == ""


def test_the_404_page_and_its_error_log_line():
    n = Nginx()
    n.logs()
    resp = n.request(b"GET /nosuch HTTP/1.1\r\nHost: localhost:8080\r\n\r\n")
    status, headers, body = _split(resp)
    assert status == "HTTP/1.1 404 Not Found"
    assert body == (b"<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n"
                    b"<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/1.27.3</center>\r\n"
                    b"</body>\r\n</html>\r\n")
    assert headers[2:] == ["Content-Type: text/html", "Content-Length: 153", "Connection: keep-alive"]
    out, err = n.logs()
    assert out.endswith('"GET /nosuch HTTP/1.1" 404 153 "-" "-" "-"\n')
    assert err.endswith('[error] ' + err.split("[error] ")[1].split(":")[0] + ': *1 open() '
                        '"/usr/share/nginx/html/nosuch" failed (2: No such file or directory), '
                        'client: 172.17.0.1, server: localhost, request: "GET /nosuch HTTP/1.1", '
                        'host: "localhost:8080"\n')


def test_keep_alive_head_304_405_and_redirect_to_the_directory():
    n = Nginx()
    lm = "Tue, 26 Nov 2024 18:42:08 GMT"
    raw = (b"HEAD /index.html HTTP/1.1\r\nHost: a\r\n\r\n"
           + f"GET / HTTP/1.1\r\nHost: a\r\nIf-Modified-Since: {lm}\r\n\r\n".encode()
           + b"POST /index.html HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc"
           + b"GET /50x.html HTTP/1.0\r\n\r\n")
    resp = n.request(raw).decode()
    statuses = [line for line in resp.split("\r\n") if line.startswith("HTTP/1.1 ")]
    assert statuses == ["HTTP/1.1 200 OK", "HTTP/1.1 304 Not Modified", "HTTP/1.1 405 Not Allowed",
                        "HTTP/1.1 200 OK"]
    assert resp.count("Connection: keep-alive") == 3 and resp.endswith("</html>\n")
    assert "Connection: close" in resp.split("HTTP/1.1 ")[-1]
    n.exec(["mkdir", "/usr/share/nginx/html/docs"])
    status, headers, _ = _split(n.request(b"GET /docs HTTP/1.1\r\nHost: localhost:8080\r\n\r\n"))
    assert status == "HTTP/1.1 301 Moved Permanently"
    assert "Location: http://localhost/docs/" in headers
    status, _, body = _split(n.request(b"GET /docs/ HTTP/1.1\r\nHost: x\r\n\r\n"))
    assert status == "HTTP/1.1 403 Forbidden" and b"<title>403 Forbidden</title>" in body


def test_a_client_in_another_containers_namespace():
    n = Nginx()
    n.logs()
    seen = {}

    async def client(proc):
        fd = proc.socket()
        await proc.connect(fd, (n.ip, 80))
        seen["local"] = proc.getsockname(fd)[0]
        await proc.write(fd, b"GET / HTTP/1.1\r\nHost: web\r\nConnection: close\r\n\r\n")
        seen["reply"] = await proc.read_all(fd)

    n.run_client(client)
    assert seen["reply"].startswith(b"HTTP/1.1 200 OK\r\n")
    assert b"Connection: close\r\n" in seen["reply"] and b"Welcome to nginx!" in seen["reply"]
    out, _ = n.logs()
    assert out.startswith(f'{seen["local"]} - - [')


def test_nginx_t_reports_ok_and_errors_as_nginx_words_them():
    n = Nginx()
    code, out, err = n.exec(["nginx", "-t"])
    assert (code, out) == (0, "")
    assert err == ("nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\n"
                   "nginx: configuration file /etc/nginx/nginx.conf test is successful\n")
    n.exec(["sh", "-c", "printf 'server {\\n    listen 81;\\n    foo bar;\\n}\\n' > /etc/nginx/conf.d/bad.conf"])
    code, _, err = n.exec(["nginx", "-t"])
    assert code == 1
    lines = err.splitlines()
    assert lines[0].endswith('[emerg] ' + lines[0].split("[emerg] ")[1].split(":")[0] +
                             ': unknown directive "foo" in /etc/nginx/conf.d/bad.conf:3')
    assert lines[1:] == ['nginx: [emerg] unknown directive "foo" in /etc/nginx/conf.d/bad.conf:3',
                         "nginx: configuration file /etc/nginx/nginx.conf test failed"]
    code, _, err = n.exec(["nginx", "-v"])
    assert (code, err) == (0, "nginx version: nginx/1.27.3\n")


def test_reload_rereads_the_configuration_and_replaces_the_workers():
    n = Nginx()
    _, before, _ = n.exec(["ps", "-o", "pid,args"])
    old = [line.split()[0] for line in before.splitlines() if "worker process" in line]
    conf = "server { listen 8080; location / { default_type text/plain; return 200 'hello\\n'; } }\n"
    n.exec(["sh", "-c", f"echo \"{conf}\" > /etc/nginx/conf.d/extra.conf"])
    n.logs()
    code, _, err = n.exec(["nginx", "-s", "reload"])
    assert code == 0 and err.endswith(": signal process started\n")
    n.settle(1)
    _, err = n.logs()
    notices = [line.split(" ", 2)[2] for line in err.splitlines()]
    assert notices[:4] == ["[notice] 1#1: signal 1 (SIGHUP) received, reconfiguring",
                           "[notice] 1#1: reconfiguring", '[notice] 1#1: using the "epoll" event method',
                           "[notice] 1#1: start worker processes"]
    for pid in old:
        assert f"[notice] {pid}#{pid}: gracefully shutting down" in notices
        assert f"[notice] 1#1: worker process {pid} exited with code 0" in notices
    conn = n.machine.net.connect_external(n.ip, 8080)
    conn.send(b"GET /anything HTTP/1.1\r\nHost: x\r\n\r\n")
    n.settle()
    status, headers, body = _split(conn.recv())
    assert (status, body) == ("HTTP/1.1 200 OK", b"hello\n")
    assert "Content-Type: text/plain" in headers
    _, after, _ = n.exec(["ps", "-o", "pid,args"])
    new = [line.split()[0] for line in after.splitlines() if "worker process" in line]
    assert len(new) == len(old) and not set(new) & set(old)


def test_sigquit_stops_gracefully_and_removes_the_pid_file():
    n = Nginx()
    code, out, _ = n.exec(["cat", "/var/run/nginx.pid"])
    assert out == "1\n"
    n.logs()
    n.handle.signal(3)  # STOPSIGNAL SIGQUIT
    n.settle(1)
    assert n.handle.exit_code == 0
    _, err = n.logs()
    assert err.splitlines()[0].endswith("[notice] 1#1: signal 3 (SIGQUIT) received, shutting down")
    assert err.splitlines()[-1].endswith("[notice] 1#1: exit")


def test_a_bad_configuration_stops_the_container_with_nginx_emerg():
    n = Nginx(cmd=["nginx", "-g", "daemon off;", "-g", "bogus on;"])
    assert n.handle.exit_code == 1
    _, err = n.logs()
    assert err.splitlines()[-1] == 'nginx: [emerg] unknown directive "bogus" in command line'


def test_curl_in_the_container():
    n = Nginx()
    code, out, err = n.exec(["curl", "-s", "http://localhost/"])
    assert (code, err) == (0, "") and out == catalog.F.NGINX_INDEX_HTML
    code, out, _ = n.exec(["curl", "-sI", "localhost"])
    assert out.startswith("HTTP/1.1 200 OK\r\nServer: nginx/1.27.3\r\n") and out.endswith("\r\n\r\n")
    code, out, err = n.exec(["curl", "localhost:81"])
    assert code == 7
    assert err.endswith("curl: (7) Failed to connect to localhost port 81 after 0 ms: "
                        "Could not connect to server\n")
    assert n.exec(["curl", "-s", "nosuch"])[:3] == (6, "", "")
    assert n.exec(["curl", "nosuch"])[2].endswith("curl: (6) Could not resolve host: nosuch\n")
    code, out, err = n.exec(["curl", "-sSf", "-o", "/dev/null", "-w", "%{http_code}", "localhost/x"])
    assert (code, out, err) == (22, "404", "curl: (22) The requested URL returned error: 404\n")
    code, out, _ = n.exec(["curl", "-s", "-X", "POST", "-d", "a=1", "-H", "X-A: b", "-i", "localhost/"])
    assert out.startswith("HTTP/1.1 405 Not Allowed\r\n")


@pytest.mark.parametrize("text, message", [
    ("events {}\nfoo;\n", 'unknown directive "foo" in /t.conf:2'),
    ("events {}\nhttp { listen 80; }\n", '"listen" directive is not allowed here in /t.conf:2'),
    ("events {}\nworker_processes 1 2;\n", 'invalid number of arguments in "worker_processes" directive '
                                           'in /t.conf:2'),
    ("events {\n", 'unexpected end of file, expecting "}" in /t.conf:1'),
    ("events {}\n}\n", 'unexpected "}" in /t.conf:2'),
    ("events {}\nuser nginx\n", 'unexpected end of file, expecting ";" or "}" in /t.conf:2'),
    ("events {}\nhttp { include /nosuch.conf; }\n",
     'open() "/nosuch.conf" failed (2: No such file or directory) in /t.conf:2'),
])
def test_parser_errors(text, message):
    from dockersim.sim.errors import SimError
    from dockersim.sim.abi import Errno

    def read(path):
        if path == "/t.conf":
            return text
        raise SimError(Errno.ENOENT)
    with pytest.raises(ConfError) as info:
        Parser(read, lambda p: []).parse_file("/t.conf")
    assert str(info.value) == message


def test_the_debian_variant_runs_too():
    n = Nginx("nginx")
    _, err = n.logs()
    assert "[notice] 1#1: built by gcc 12.2.0 (Debian 12.2.0-14) " in err
    status, _, _ = _split(n.request(GET))
    assert status == "HTTP/1.1 200 OK"


def test_the_master_makes_the_temp_paths_for_the_workers_user():
    n = Nginx()
    code, out, _ = n.exec(["ls", "-l", "/var/cache/nginx"])
    rows = [line.split() for line in out.splitlines()[1:]]
    assert [r[-1] for r in rows] == ["client_temp", "fastcgi_temp", "proxy_temp", "scgi_temp", "uwsgi_temp"]
    assert all(r[0] == "drwx------" and r[2] == "nginx" for r in rows)


def test_a_non_root_master_warns_about_user_and_cannot_make_its_temp_paths():
    n = Nginx(user="101")
    assert n.handle.exit_code == 1
    _, err = n.logs()
    lines = err.splitlines()
    warn = ('the "user" directive makes sense only if the master process runs with super-user '
            'privileges, ignored in /etc/nginx/nginx.conf:2')
    assert lines[-4].endswith(f"[warn] 1#1: {warn}") and lines[-3] == f"nginx: [warn] {warn}"
    emerg = 'mkdir() "/var/cache/nginx/client_temp" failed (13: Permission denied)'
    assert lines[-2].endswith(f"[emerg] 1#1: {emerg}") and lines[-1] == f"nginx: [emerg] {emerg}"


def test_idle_keepalive_connections_close_after_keepalive_timeout():
    n = Nginx()
    conn = n.machine.net.connect_external(n.ip, 80)
    conn.send(GET)
    n.settle()
    assert conn.recv().startswith(b"HTTP/1.1 200 OK")
    n.settle(60)
    assert not conn.eof
    n.settle(6)  # keepalive_timeout 65
    assert conn.eof


def test_nginx_s_stop_is_a_fast_shutdown_and_T_dumps_the_files():
    n = Nginx()
    code, out, err = n.exec(["nginx", "-T"])
    assert code == 0 and out.startswith("# configuration file /etc/nginx/nginx.conf:\n")
    assert "# configuration file /etc/nginx/mime.types:\n" in out
    assert "# configuration file /etc/nginx/conf.d/default.conf:\n" in out
    n.logs()
    assert n.exec(["nginx", "-s", "stop"])[0] == 0
    n.settle(1)
    assert n.handle.exit_code == 0
    _, err = n.logs()
    assert "[notice] 1#1: signal 15 (SIGTERM) received, exiting" in err
    assert err.splitlines()[-1].endswith("[notice] 1#1: exit")


def test_error_page_try_files_and_index_through_a_reload():
    n = Nginx()
    conf = ("server { listen 8081; root /srv; index start.html; error_page 404 /missing.html; "
            "error_page 500 502 503 504 /50x.html; "
            "location = /50x.html { root /usr/share/nginx/html; } "
            "location /down { return 503; } "
            "location /app/ { try_files $uri /app/index.html; } "
            "location /gone { try_files $uri =410; } }")
    n.exec(["sh", "-c", f"mkdir -p /srv/app && echo start > /srv/start.html && echo app > /srv/app/index.html "
                        f"&& echo custom404 > /srv/missing.html && echo '{conf}' > /etc/nginx/conf.d/srv.conf"])
    assert n.exec(["nginx", "-s", "reload"])[0] == 0
    n.settle(1)

    def get(path):
        conn = n.machine.net.connect_external(n.ip, 8081)
        conn.send(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        n.settle()
        status, _, body = _split(conn.recv())
        return status, body

    assert get("/") == ("HTTP/1.1 200 OK", b"start\n")
    assert get("/app/deep/link") == ("HTTP/1.1 200 OK", b"app\n")
    assert get("/nothing") == ("HTTP/1.1 404 Not Found", b"custom404\n")
    status, body = get("/down")
    assert status == "HTTP/1.1 503 Service Temporarily Unavailable"
    assert body == catalog.F.NGINX_50X_HTML.encode()
    status, body = get("/gone")
    assert status == "HTTP/1.1 410 Gone" and b"<title>410 Gone</title>" in body


def test_ipv4_and_ipv6_listeners_side_by_side():
    n = Nginx()
    n.logs()
    seen = {}

    async def client(proc):
        from dockersim.sim.abi import AF_INET6
        fd = proc.socket(AF_INET6)
        await proc.connect(fd, ("::1", 80))
        await proc.write(fd, b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        seen["v6"] = await proc.read_all(fd)
        fd = proc.socket()
        await proc.connect(fd, ("127.0.0.1", 80))
        await proc.write(fd, b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        seen["v4"] = await proc.read_all(fd)

    k = n.machine.kernel
    nsset = n.handle._nsset
    image = ProgramImage(Program("client", client), ("client",), "/client", "client")
    k.create_task(parent=None, image=image, nsset=nsset, env={}, cwd="/", coro_fn=client)
    n.settle()
    assert seen["v6"].startswith(b"HTTP/1.1 200 OK") and seen["v4"].startswith(b"HTTP/1.1 200 OK")
    out, _ = n.logs()
    assert [line.split()[0] for line in out.splitlines()] == ["::1", "127.0.0.1"]
