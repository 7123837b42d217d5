"""``nginx``: the command line (-v, -V, -t, -T, -q, -s, -c, -p, -g), the
master process (configuration, listening sockets, the pid file, signals:
HUP reconfigures, TERM/INT stop fast, QUIT gracefully, USR1 reopens the
logs) and its worker processes, which accept on the master's listening
sockets and serve HTTP/1.1 with keep-alive (`http.Handler`)."""

import copy
import posixpath

from ...abi import (AF_INET, AF_INET6, IPPROTO_IPV6, IPV6_V6ONLY, O_APPEND, O_CREAT, O_WRONLY,
                    SO_REUSEADDR, SOL_SOCKET, Errno, Signal)
from ...errors import Interrupted, SimError
from ...io.waiter import POLLIN
from ..osrelease import os_key
from . import model
from .conf import ConfError, Parser, glob_paths
from .http import BadRequest, Handler, format_log, log_time, parse_request, serialize

DEFAULT_VERSION = "1.27.3"
CONF_PATH = "/etc/nginx/nginx.conf"
PREFIX = "/etc/nginx/"
#: The compilers of the official images' builds, by distribution release.
_GCC = {
    "alpine:3.20": "gcc 13.2.1 20240309 (Alpine 13.2.1_git20240309) ",
    "alpine:3.19": "gcc 13.2.1 20231014 (Alpine 13.2.1_git20231014) ",
    "alpine:3.18": "gcc 12.2.1 20220924 (Alpine 12.2.1_git20220924-r10) ",
    "debian:12": "gcc 12.2.0 (Debian 12.2.0-14) ",
}
_OPENSSL = {
    "alpine:3.20": "OpenSSL 3.3.2 3 Sep 2024",
    "alpine:3.19": "OpenSSL 3.1.7 3 Sep 2024",
    "alpine:3.18": "OpenSSL 3.1.4 24 Oct 2023",
    "debian:12": "OpenSSL 3.0.15 3 Sep 2024",
}
_CONFIGURE = (
    "--prefix=/etc/nginx --sbin-path=/usr/sbin/nginx --modules-path=/usr/lib/nginx/modules "
    "--conf-path=/etc/nginx/nginx.conf --error-log-path=/var/log/nginx/error.log "
    "--http-log-path=/var/log/nginx/access.log --pid-path=/var/run/nginx.pid "
    "--lock-path=/var/run/nginx.lock --http-client-body-temp-path=/var/cache/nginx/client_temp "
    "--http-proxy-temp-path=/var/cache/nginx/proxy_temp "
    "--http-fastcgi-temp-path=/var/cache/nginx/fastcgi_temp "
    "--http-uwsgi-temp-path=/var/cache/nginx/uwsgi_temp --http-scgi-temp-path=/var/cache/nginx/scgi_temp "
    "--user=nginx --group=nginx --with-compat --with-file-aio --with-threads "
    "--with-http_addition_module --with-http_auth_request_module --with-http_dav_module "
    "--with-http_flv_module --with-http_gunzip_module --with-http_gzip_static_module "
    "--with-http_mp4_module --with-http_random_index_module --with-http_realip_module "
    "--with-http_secure_link_module --with-http_slice_module --with-http_ssl_module "
    "--with-http_stub_status_module --with-http_sub_module --with-http_v2_module --with-http_v3_module "
    "--with-mail --with-mail_ssl_module --with-stream --with-stream_realip_module "
    "--with-stream_ssl_module --with-stream_ssl_preread_module")
USAGE = """\
Usage: nginx [-?hvVtTq] [-s signal] [-p prefix]
             [-e filename] [-c filename] [-g directives]

Options:
  -?,-h         : this help
  -v            : show version and exit
  -V            : show version and configure options then exit
  -t            : test configuration and exit
  -T            : test configuration, dump it and exit
  -q            : suppress non-error messages during configuration testing
  -s signal     : send signal to a master process: stop, quit, reopen, reload
  -p prefix     : set prefix path (default: /etc/nginx/)
  -e filename   : set error log file (default: /var/log/nginx/error.log)
  -c filename   : set configuration file (default: /etc/nginx/nginx.conf)
  -g directives : set global directives out of configuration file

"""
_SIGNALS = {"stop": Signal.SIGTERM, "quit": Signal.SIGQUIT, "reopen": Signal.SIGUSR1,
            "reload": Signal.SIGHUP}
_SIGNAMES = {Signal.SIGHUP: "SIGHUP", Signal.SIGINT: "SIGINT", Signal.SIGQUIT: "SIGQUIT",
             Signal.SIGTERM: "SIGTERM", Signal.SIGCHLD: "SIGCHLD", Signal.SIGUSR1: "SIGUSR1",
             Signal.SIGUSR2: "SIGUSR2", Signal.SIGWINCH: "SIGWINCH"}
_LEVELS = model.LEVELS
TEMP_PATHS = ("client_temp", "proxy_temp", "fastcgi_temp", "uwsgi_temp", "scgi_temp")


class Usage(Exception):
    pass


def _options(argv: list) -> dict:
    opts = {"c": None, "g": [], "s": None, "p": None, "e": None, "flags": set()}
    i = 1
    while i < len(argv):
        arg = argv[i]
        if not arg.startswith("-") or arg == "-":
            raise Usage(f"invalid option: \"{arg}\"")
        j = 1
        while j < len(arg):
            c = arg[j]
            if c in "?hvVtTq":
                opts["flags"].add("h" if c == "?" else c)
                j += 1
                continue
            if c in "cgspe":
                value = arg[j + 1:]
                if not value:
                    i += 1
                    if i >= len(argv):
                        raise Usage({"c": "option \"-c\" requires file name",
                                     "g": "option \"-g\" requires parameter",
                                     "s": "option \"-s\" requires parameter",
                                     "p": "option \"-p\" requires directory name",
                                     "e": "option \"-e\" requires file name"}[c])
                    value = argv[i]
                if c == "g":
                    opts["g"].append(value)
                elif c == "s":
                    if value not in _SIGNALS:
                        raise Usage(f"invalid option: \"-s {value}\"")
                    opts["s"] = value
                else:
                    opts[c] = value
                break
            raise Usage(f"invalid option: \"{c}\"")
        i += 1
    return opts


class Nginx:
    """One nginx process's state (master, or a worker forked from it)."""

    def __init__(self, proc, argv: list, opts: dict):
        self.proc = proc
        self.argv = argv
        self.opts = opts
        self.version = proc.env.get("NGINX_VERSION") or DEFAULT_VERSION
        self.conf_path = opts["c"] or CONF_PATH
        if not self.conf_path.startswith("/"):
            self.conf_path = posixpath.join(opts["p"] or PREFIX, self.conf_path)
        self.config = None
        self.error_fd = 2
        self.error_level = "notice"
        self.log_fds: dict = {}  # path -> fd
        self.listeners: dict = {}  # (host, port, ipv6) -> fd
        self.workers: dict = {}  # pid -> generation
        self.counter = [0]  # the connection counter, shared by every worker (shared memory)
        self.pid = proc.pid

    # -- logging -----------------------------------------------------------------
    async def log(self, level: str, text: str, pid: "int | None" = None) -> None:
        if _LEVELS.index(level) < _LEVELS.index(self.error_level):
            return
        pid = pid or self.proc.pid
        line = f"{log_time(self.proc.time())} [{level}] {pid}#{pid}: {text}\n"
        try:
            await self.proc.write(self.error_fd, line)
        except SimError:
            pass

    async def stderr(self, text: str) -> None:
        try:
            await self.proc.write(2, text)
        except SimError:
            pass

    # -- configuration -------------------------------------------------------------
    def _read(self, path: str) -> str:
        return self.proc.read_file(path).decode("utf-8", "replace")

    def _kind(self, path: str):
        try:
            st = self.proc.stat(path)
        except SimError:
            return None
        return "dir" if st.mode & 0o170000 == 0o040000 else "file"

    def load(self):
        """Parse and build the configuration; raises ConfError."""
        self.files = []

        def read(path):
            text = self._read(path)
            self.files.append((path, text))
            return text
        parser = Parser(read, lambda pat: glob_paths(self.proc.listdir, self._kind, pat),
                        self.opts["p"] or PREFIX)
        try:
            directives = parser.parse_file(self.conf_path)
        except SimError as err:
            raise ConfError(f"open() \"{self.conf_path}\" failed ({int(err.errno_value)}: "
                            f"{err.strerror_text})") from None
        extra = ()
        for text in self.opts["g"]:
            try:
                extra += parser.parse_text(text, "command line")
            except ConfError as err:
                raise ConfError(str(err).replace("command line:1", "command line")) from None
        for d in extra:
            if d.name in [x.name for x in directives] and d.name in ("daemon", "worker_processes", "pid",
                                                                    "user", "master_process"):
                raise ConfError(f"\"{d.name}\" directive is duplicate in {self.conf_path}:"
                                f"{next(x for x in directives if x.name == d.name).line}")
        return model.build(directives + extra, self.conf_path)

    def _os_key(self) -> str:
        return os_key(self.proc, "alpine:3.20")

    def built_by(self) -> str:
        return "built by " + _GCC.get(self._os_key(), _GCC["alpine:3.20"])

    # -- files ---------------------------------------------------------------------
    def _open_log(self, path: str) -> int:
        if not path.startswith("/"):
            path = posixpath.join(self.opts["p"] or PREFIX, path)
        return self.proc.open(path, O_WRONLY | O_APPEND | O_CREAT, 0o644)

    def open_logs(self, config) -> "list[str]":
        """Open the error log and every access log; returns [emerg]s."""
        errors = []
        path, level = config.error_log()
        if path == "stderr":
            fd = 2
        else:
            try:
                fd = self._open_log(path)
            except SimError as err:
                errors.append(f"open() \"{path}\" failed ({int(err.errno_value)}: {err.strerror_text})")
                fd = None
        fds = {}
        paths = ["/var/log/nginx/access.log"]
        for server in config.servers:
            paths += self._access_paths(server)
        if config.http is not None:
            for d in config.http.own("access_log"):
                if d.args[0] != "off":
                    paths.append(d.args[0])
        for p in paths:
            if p in fds or p.startswith("syslog:"):
                continue
            try:
                fds[p] = self._open_log(p)
            except SimError as err:
                errors.append(f"open() \"{p}\" failed ({int(err.errno_value)}: {err.strerror_text})")
        if not errors:
            old = list(self.log_fds.values()) + ([self.error_fd] if self.error_fd > 2 else [])
            self.log_fds = fds
            if fd is not None:
                self.error_fd = fd
            self.error_level = level
            for o in old:
                if o not in fds.values() and o != self.error_fd:
                    self.proc.close(o)
        return errors

    def _access_paths(self, server) -> list:
        out = []

        def scan(scope, locations):
            for d in scope.own("access_log"):
                if d.args[0] != "off":
                    out.append(d.args[0])
            for loc in locations:
                scan(loc.scope, loc.locations)
        scan(server.scope, server.locations)
        return out

    def create_paths(self) -> "list[str]":
        """ngx_create_paths: the temporary directories, made 0700 and
        given to the workers' user when the master is root."""
        owner = self._user_ids() if self.proc.uid == 0 else None
        for name in TEMP_PATHS:
            path = f"/var/cache/nginx/{name}"
            try:
                self.proc.mkdir(path, 0o700)
            except SimError as err:
                if err.errno_value == Errno.EEXIST:
                    continue
                return [f"mkdir() \"{path}\" failed ({int(err.errno_value)}: {err.strerror_text})"]
            if owner is not None:
                try:
                    self.proc.chown(path, owner[0], self.proc.stat(path).gid)
                except SimError:
                    pass
        return []

    def _user_ids(self) -> "tuple[int, int] | None":
        """The uid and gid of the ``user`` directive's user (nobody by
        default), from /etc/passwd and /etc/group."""
        args = self.config.main.value("user", ("nobody",))
        uid = gid = None
        try:
            for line in self.proc.read_file("/etc/passwd").decode().splitlines():
                f = line.split(":")
                if len(f) > 3 and f[0] == args[0]:
                    uid, gid = int(f[2]), int(f[3])
            if len(args) > 1:
                for line in self.proc.read_file("/etc/group").decode().splitlines():
                    f = line.split(":")
                    if len(f) > 2 and f[0] == args[1]:
                        gid = int(f[2])
        except (SimError, ValueError):
            return None
        return None if uid is None else (uid, gid)

    # -- sockets ---------------------------------------------------------------------
    async def open_listeners(self, config) -> bool:
        keep = {}
        for key in config.listen_keys():
            if key in self.listeners:
                keep[key] = self.listeners[key]
                continue
            host, port, ipv6 = key
            fd = self.proc.socket(AF_INET6 if ipv6 else AF_INET)
            self.proc.setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, 1)
            if ipv6:
                self.proc.setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, 1)
            text = f"[{host}]:{port}" if ipv6 else f"{host}:{port}"
            for attempt in range(5):
                try:
                    self.proc.bind(fd, (host, port))
                    break
                except SimError as err:
                    await self.log("emerg", f"bind() to {text} failed ({int(err.errno_value)}: "
                                            f"{err.strerror_text})")
                    if err.errno_value != Errno.EADDRINUSE:
                        self.proc.close(fd)
                        return False
                    await self.proc.sleep(0.5)
            else:
                await self.log("emerg", "still could not bind()")
                self.proc.close(fd)
                return False
            self.proc.listen(fd, 511)
            self.proc.set_nonblocking(fd, True)
            keep[key] = fd
        for key, fd in self.listeners.items():
            if key not in keep:
                self.proc.close(fd)
        self.listeners = keep
        return True

    # -- the master ------------------------------------------------------------------
    async def start_workers(self, generation: int) -> None:
        await self.log("notice", "start worker processes")
        n = self.config.worker_processes(self.proc.sysinfo()["ncpu"])
        for _ in range(n):
            await self.spawn_worker(generation)

    async def spawn_worker(self, generation: int) -> None:
        # The worker's copy of the master's memory at fork time.
        image = copy.copy(self)
        image.listeners = dict(self.listeners)
        image.log_fds = dict(self.log_fds)
        image.workers = {}

        async def worker(child):
            image.proc = child
            return await Worker(image, child, image.config).run()

        pid = await self.proc.fork(worker)
        self.workers[pid] = generation
        await self.log("notice", f"start worker process {pid}")

    async def master(self) -> int:
        proc = self.proc
        for sig in (Signal.SIGHUP, Signal.SIGTERM, Signal.SIGINT, Signal.SIGQUIT, Signal.SIGCHLD,
                    Signal.SIGUSR1, Signal.SIGUSR2, Signal.SIGWINCH):
            proc.signal(sig, "catch")
        proc.signal(Signal.SIGPIPE, "ignore")
        proc.setproctitle("nginx: master process " + " ".join(self.argv))
        generation = 0
        await self.start_workers(generation)
        state = "running"  # -> "quitting" (graceful) | "terminating"
        while True:
            try:
                await proc.pause()
            except Interrupted:
                pass
            for sig in proc.take_signals():
                name = _SIGNAMES.get(sig, sig.name)
                if sig == Signal.SIGCHLD:
                    continue
                if sig in (Signal.SIGTERM, Signal.SIGINT):
                    await self.log("notice", f"signal {int(sig)} ({name}) received, exiting")
                    state = "terminating"
                    self.signal_workers(Signal.SIGTERM)
                elif sig == Signal.SIGQUIT:
                    await self.log("notice", f"signal {int(sig)} ({name}) received, shutting down")
                    if state == "running":
                        state = "quitting"
                    self.signal_workers(Signal.SIGQUIT)
                elif sig == Signal.SIGHUP and state == "running":
                    await self.log("notice", f"signal {int(sig)} ({name}) received, reconfiguring")
                    await self.log("notice", "reconfiguring")
                    if await self.reconfigure():
                        old = [p for p in self.workers]
                        generation += 1
                        await self.log("notice", "using the \"epoll\" event method")
                        await self.start_workers(generation)
                        for pid in old:
                            self.kill(pid, Signal.SIGQUIT)
                elif sig == Signal.SIGUSR1:
                    await self.log("notice", f"signal {int(sig)} ({name}) received, reopening logs")
                    await self.log("notice", "reopening logs")
                    self.open_logs(self.config)
                    self.signal_workers(Signal.SIGUSR1)
                else:
                    await self.log("notice", f"signal {int(sig)} ({name}) received")
            await self.reap(state)
            if state != "running" and not self.workers:
                await self.log("notice", "exit")
                try:
                    proc.unlink(self.config.pid_path())
                except SimError:
                    pass
                return 0

    async def reap(self, state: str) -> None:
        while True:
            try:
                got = await self.proc.wait(-1, nohang=True)
            except SimError:
                return
            if not got:
                return
            pid, status = got
            await self.log("notice", f"signal 17 (SIGCHLD) received from {pid}")
            generation = self.workers.pop(pid, None)
            if status.signal is not None:
                await self.log("alert", f"worker process {pid} exited on signal {int(status.signal)}")
                if state == "running" and generation is not None:
                    await self.spawn_worker(generation)
            else:
                await self.log("notice", f"worker process {pid} exited with code {status.code or 0}")

    def kill(self, pid: int, sig) -> None:
        try:
            self.proc.kill(pid, sig)
        except SimError:
            pass

    def signal_workers(self, sig) -> None:
        for pid in list(self.workers):
            self.kill(pid, sig)

    async def reconfigure(self) -> bool:
        try:
            config = self.load()
        except ConfError as err:
            await self.log("emerg", str(err))
            return False
        errors = self.open_logs(config)
        if errors:
            for e in errors:
                await self.log("emerg", e)
            return False
        old = self.config
        self.config = config
        if not await self.open_listeners(config):
            self.config = old
            return False
        return True


class Worker:
    """A worker process: accepts on the inherited listening sockets and
    serves its connections from one poll(2) loop."""

    def __init__(self, master: Nginx, proc, config):
        self.m = master
        self.proc = proc
        self.config = config
        self.conns: dict = {}  # fd -> state dict
        self.listeners = {fd: key for key, fd in master.listeners.items()}
        self.state = "running"

    async def log(self, level, text):
        await self.m.log(level, text, pid=self.proc.pid)

    async def errlog_conn(self, level, text, info):
        extra = f", client: {info.get('remote_addr')}, server: {info.get('server_name', '')}"
        if info.get("request_line"):
            extra += f", request: \"{info['request_line']}\""
        if info.get("host"):
            extra += f", host: \"{info['host']}\""
        await self.log(level, f"*{info.get('connection')} {text}{extra}")

    async def run(self) -> int:
        proc = self.proc
        for sig in (Signal.SIGHUP, Signal.SIGCHLD, Signal.SIGUSR2, Signal.SIGWINCH):
            proc.signal(sig, "ignore")
        for sig in (Signal.SIGTERM, Signal.SIGINT, Signal.SIGQUIT, Signal.SIGUSR1):
            proc.signal(sig, "catch")
        proc.setproctitle("nginx: worker process")
        # Close the master's fds the worker has no use for?  nginx keeps them.
        if proc.uid == 0:
            ids = self.m._user_ids()
            if ids is not None:
                try:
                    proc.setgid(ids[1])
                    proc.setuid(ids[0])
                except SimError:
                    pass
        while True:
            if self.state != "running" and not self.conns:
                await self.log("notice", "exiting")
                await self.log("notice", "exit")
                return 0
            now = proc.time()
            fds = [(fd, POLLIN) for fd in self.listeners] if self.state == "running" else []
            fds += [(fd, POLLIN) for fd in self.conns]
            deadlines = [c["deadline"] for c in self.conns.values()]
            timeout = max(0.0, min(deadlines) - now) if deadlines else None
            try:
                ready = await proc.poll(fds, timeout)
            except Interrupted:
                await self.signals()
                continue
            for fd, revents in ready:
                if fd in self.listeners:
                    await self.accept(fd)
                elif fd in self.conns:
                    await self.readable(fd, revents)
            now = proc.time()
            for fd, c in list(self.conns.items()):
                if c["deadline"] <= now:
                    self.close(fd)

    async def signals(self) -> None:
        for sig in self.proc.take_signals():
            if sig == Signal.SIGQUIT and self.state == "running":
                await self.log("notice", "gracefully shutting down")
                self.proc.setproctitle("nginx: worker process is shutting down")
                self.state = "quitting"
                for fd in list(self.listeners):
                    self.proc.close(fd)
                self.listeners = {}
                for fd, c in list(self.conns.items()):
                    if not c["buf"]:
                        self.close(fd)
            elif sig in (Signal.SIGTERM, Signal.SIGINT):
                await self.log("notice", "exiting")
                await self.log("notice", "exit")
                self.proc.exit(0)
            elif sig == Signal.SIGUSR1:
                await self.log("notice", "reopening logs")

    async def accept(self, lfd: int) -> None:
        while True:
            try:
                fd, peer = await self.proc.accept(lfd)
            except SimError as err:
                if err.errno_value != Errno.EAGAIN:
                    await self.log("alert", f"accept4() failed ({int(err.errno_value)}: {err.strerror_text})")
                return
            self.m.counter[0] += 1
            host, port = self.proc.getsockname(fd)
            key = self.listeners[lfd]
            self.conns[fd] = {
                "buf": b"", "peer": peer, "listen": key, "connection": self.m.counter[0],
                "requests": 0, "server_addr": host, "server_port": port,
                "deadline": self.proc.time() + self._header_timeout(),
            }

    def _header_timeout(self) -> float:
        return 60.0

    def close(self, fd: int) -> None:
        self.conns.pop(fd, None)
        try:
            self.proc.close(fd)
        except SimError:
            pass

    async def readable(self, fd: int, revents: int) -> None:
        c = self.conns[fd]
        try:
            data = await self.proc.recv(fd, 65536)
        except SimError:
            self.close(fd)
            return
        if not data:
            self.close(fd)
            return
        c["buf"] += data
        while fd in self.conns and c["buf"]:
            try:
                parsed = parse_request(c["buf"])
            except BadRequest:
                await self.respond(fd, c, None, None, bad=True)
                return
            if parsed is None:
                return
            req, used = parsed
            c["buf"] = c["buf"][used:]
            await self.respond(fd, c, req, None)

    async def respond(self, fd: int, c: dict, req, _unused, bad: bool = False) -> None:
        m = self.m
        now = self.proc.time()
        c["requests"] += 1
        info = {
            "remote_addr": c["peer"][0], "remote_port": c["peer"][1], "server_addr": c["server_addr"],
            "server_port": c["server_port"], "connection": c["connection"],
            "connection_requests": c["requests"], "pid": self.proc.pid, "version": m.version,
            "hostname": self.proc.gethostname(), "time": now,
        }
        errors = []

        def errlog(level, text, conn_info=None):
            errors.append((level, text))

        handler = Handler(self.proc, self.config, m.version, errlog)
        server = handler.server_for(c["listen"], req.header("host") if req else None)
        info["server_name"] = server.names[0] if server else ""
        scope = server.scope if server else None
        if bad:
            resp = handler.special(400, scope, None, server, close=True)
        else:
            info["request_line"] = req.line
            info["host"] = req.header("host")
            resp = handler.handle(req, server, info)
        if resp.status == 444:
            self.close(fd)
            return
        keepalive = not resp.close and req is not None and req.keepalive_asked and \
            self._keepalive_timeout(info, server) > 0 and self.state == "running"
        loc_scope = self._location_scope(server, info, req)
        if resp.content_type is not None and resp.status < 300 and resp.status != 204:
            pass
        data, body_len = serialize(resp, req, m.version, now, keepalive,
                                   loc_scope.flag("server_tokens", True) if loc_scope else True)
        for level, text in errors:
            await self.errlog_conn(level, text, info)
        try:
            await self.proc.write(fd, data)
        except SimError:
            self.close(fd)
            keepalive = False
        info["status"] = resp.status
        info["body_bytes_sent"] = body_len
        info["bytes_sent"] = len(data)
        info["request_time"] = max(0.0, self.proc.time() - now)
        await self.access_log(req, info, loc_scope)
        if not keepalive:
            if fd in self.conns:
                try:
                    self.proc.shutdown(fd, 1)
                except SimError:
                    pass
                self.close(fd)
        else:
            c["deadline"] = now + self._keepalive_timeout(info, server)

    def _location_scope(self, server, info, req):
        if server is None:
            return self.config.http
        uri = info.get("uri")
        if uri is None:
            return server.scope
        loc = model.match_location(server.locations, uri)
        return loc.scope if loc else server.scope

    def _keepalive_timeout(self, info, server) -> float:
        scope = self._location_scope(server, info, None) if server else self.config.http
        args = scope.value("keepalive_timeout", ("75s",)) if scope else ("75s",)
        return _seconds(args[0])

    async def access_log(self, req, info: dict, scope) -> None:
        found = scope.nearest("access_log") if scope is not None else []
        if not found:
            found_args = [("/var/log/nginx/access.log", "combined")]
        else:
            found_args = [d.args for d in found]
        for args in found_args:
            if args[0] == "off":
                continue
            fmt = self.config.log_formats.get(args[1] if len(args) > 1 else "combined", model.COMBINED)
            fd = self.m.log_fds.get(args[0])
            if fd is None:
                continue
            try:
                await self.proc.write(fd, format_log(fmt, req, info) + "\n")
            except SimError:
                pass


def _seconds(text: str) -> float:
    units = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}
    for suffix in ("ms", "s", "m", "h", "d"):
        if text.endswith(suffix) and text[:-len(suffix)].isdigit():
            return int(text[:-len(suffix)]) * units[suffix]
    return float(text) if text.replace(".", "", 1).isdigit() else 75.0


async def main(proc, argv) -> int:
    try:
        opts = _options(list(argv))
    except Usage as err:
        await proc.write(2, f"nginx: {err}\n")
        return 1
    n = Nginx(proc, list(argv), opts)
    flags = opts["flags"]
    if "h" in flags or "v" in flags or "V" in flags:
        await n.stderr(f"nginx version: nginx/{n.version}\n")
        if "V" in flags:
            key = n._os_key()
            await n.stderr(f"{n.built_by()}\nbuilt with {_OPENSSL.get(key, _OPENSSL['alpine:3.20'])}\n"
                           f"TLS SNI support enabled\nconfigure arguments: {_CONFIGURE}\n")
        if "h" in flags:
            await n.stderr(USAGE)
        if not ({"t", "T"} & flags) and opts["s"] is None:
            return 0
    if opts["e"] is not None:
        n.error_fd = 2 if opts["e"] == "stderr" else n.error_fd
    try:
        n.config = n.load()
    except ConfError as err:
        n.error_level = "emerg"
        await n.log("emerg", str(err))
        await n.stderr(f"nginx: [emerg] {err}\n")
        if {"t", "T"} & flags:
            await n.stderr(f"nginx: configuration file {n.conf_path} test failed\n")
        return 1
    if {"t", "T"} & flags:
        if "q" not in flags:
            await n.stderr(f"nginx: the configuration file {n.conf_path} syntax is ok\n")
            await n.stderr(f"nginx: configuration file {n.conf_path} test is successful\n")
        if "T" in flags:
            for path, text in n.files:
                await proc.write(1, f"# configuration file {path}:\n{text}\n")
        return 0
    user = n.config.main.own("user")
    if user and proc.uid != 0 and opts["s"] is None:
        msg = (f"the \"user\" directive makes sense only if the master process runs with super-user "
               f"privileges, ignored in {user[0].where()}")
        await n.log("warn", msg)
        await n.stderr(f"nginx: [warn] {msg}\n")
    errors = n.open_logs(n.config)
    if not errors and opts["s"] is None:
        errors = n.create_paths()
    if errors:
        for e in errors:
            await n.log("emerg", e)
            await n.stderr(f"nginx: [emerg] {e}\n")
        return 1
    if opts["s"] is not None:
        return await signal_master(n, opts["s"])
    if not await n.open_listeners(n.config):
        await n.stderr("nginx: [emerg] still could not bind()\n")
        return 1
    await n.log("notice", "using the \"epoll\" event method")
    await n.log("notice", f"nginx/{n.version}")
    await n.log("notice", n.built_by())
    u = proc.uname()
    await n.log("notice", f"OS: {u.sysname} {u.release}")
    await n.log("notice", "getrlimit(RLIMIT_NOFILE): 1048576:1048576")
    if n.config.daemon():
        async def daemon(child):
            n.proc = child
            n.pid = child.pid
            return await run_master(n)
        await proc.fork(daemon)
        return 0
    return await run_master(n)


async def run_master(n: Nginx) -> int:
    pid_path = n.config.pid_path()
    try:
        n.proc.write_file(pid_path, f"{n.proc.pid}\n")
    except SimError as err:
        msg = f"open() \"{pid_path}\" failed ({int(err.errno_value)}: {err.strerror_text})"
        await n.log("emerg", msg)
        await n.stderr(f"nginx: [emerg] {msg}\n")
        return 1
    return await n.master()


async def signal_master(n: Nginx, name: str) -> int:
    path = n.config.pid_path()
    try:
        text = n.proc.read_file(path).decode()
    except SimError as err:
        msg = f"open() \"{path}\" failed ({int(err.errno_value)}: {err.strerror_text})"
        await n.log("error", msg)
        await n.stderr(f"nginx: [error] {msg}\n")
        return 1
    value = text.strip()
    if not value.isdigit():
        msg = f"invalid PID number \"{value}\" in \"{path}\""
        await n.log("error", msg)
        await n.stderr(f"nginx: [error] {msg}\n")
        return 1
    await n.log("notice", "signal process started")
    sig = _SIGNALS[name]
    try:
        n.proc.kill(int(value), sig)
    except SimError as err:
        msg = f"kill({value}, {int(sig)}) failed ({int(err.errno_value)}: {err.strerror_text})"
        await n.log("alert", msg)
        await n.stderr(f"nginx: [alert] {msg}\n")
        return 1
    return 0
