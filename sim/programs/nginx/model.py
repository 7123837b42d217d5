"""The configuration nginx runs with, built from the parsed directives:
the main settings, the log formats, the servers with their listening
addresses, names and locations, and the inherited http settings
(a `Scope` chain: location -> server -> http)."""

import re

import attrs

from .conf import ConfError, Directive

DEFAULT_TYPES = {"html": "text/html", "gif": "image/gif", "jpg": "image/jpeg"}
COMBINED = ('$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent '
            '"$http_referer" "$http_user_agent"')
LEVELS = ("debug", "info", "notice", "warn", "error", "crit", "alert", "emerg")


@attrs.define(eq=False)
class Scope:
    """One level's directives (name -> [Directive]), and the enclosing
    level's scope whose values it inherits."""

    directives: dict
    parent: "Scope | None" = None
    types_cache: "dict | None" = None

    @classmethod
    def of(cls, block, parent=None) -> "Scope":
        d: dict = {}
        for item in block:
            d.setdefault(item.name, []).append(item)
        return cls(d, parent)

    def own(self, name: str) -> list:
        return self.directives.get(name, [])

    def nearest(self, name: str) -> list:
        """The directives ``name`` of the innermost level that has any
        (nginx's merge: a level that sets it replaces, not adds)."""
        scope = self
        while scope is not None:
            if name in scope.directives:
                return scope.directives[name]
            scope = scope.parent
        return []

    def value(self, name: str, default=None):
        found = self.nearest(name)
        return found[0].args if found else default

    def flag(self, name: str, default: bool) -> bool:
        args = self.value(name)
        return default if args is None else args[0] == "on"

    def types(self) -> dict:
        if self.types_cache is None:
            found = self.nearest("types")
            if not found:
                self.types_cache = dict(DEFAULT_TYPES)
            else:
                out = {}
                for block in found:
                    for entry in block.block or ():
                        for ext in entry.args:
                            out.setdefault(ext.lower(), entry.name)
                self.types_cache = out
        return self.types_cache


@attrs.frozen
class Listen:
    host: str  # "0.0.0.0", "::", or an address
    port: int
    ipv6: bool
    default_server: bool = False

    @property
    def key(self) -> tuple:
        return (self.host, self.port, self.ipv6)

    def text(self) -> str:
        return f"[{self.host}]:{self.port}" if self.ipv6 else f"{self.host}:{self.port}"


@attrs.define(eq=False)
class Location:
    modifier: str  # "", "=", "^~", "~", "~*", "@"
    pattern: str
    scope: Scope
    regex: "re.Pattern | None" = None
    locations: list = attrs.Factory(list)


@attrs.define(eq=False)
class Server:
    listens: list
    names: list
    scope: Scope
    locations: list


@attrs.define(eq=False)
class Config:
    main: Scope
    http: "Scope | None"
    servers: list
    log_formats: dict
    file: str

    def listen_keys(self) -> list:
        out = []
        for server in self.servers:
            for listen in server.listens:
                if listen.key not in out:
                    out.append(listen.key)
        return out

    def worker_processes(self, ncpu: int) -> int:
        args = self.main.value("worker_processes", ("1",))
        if args[0] == "auto":
            return max(1, ncpu)
        return int(args[0])

    def error_log(self) -> "tuple[str, str]":
        """(path, level) of the main error log."""
        args = self.main.value("error_log")
        if args is None:
            return "/var/log/nginx/error.log", "error"
        return args[0], (args[1] if len(args) > 1 else "error")

    def pid_path(self) -> str:
        args = self.main.value("pid")
        return args[0] if args else "/var/run/nginx.pid"

    def daemon(self) -> bool:
        return self.main.flag("daemon", True)


def _parse_listen(d: Directive) -> Listen:
    addr = d.args[0]
    default = "default_server" in d.args[1:] or "default" in d.args[1:]
    if addr.startswith("["):
        end = addr.find("]")
        host = addr[1:end]
        rest = addr[end + 1:]
        port = rest[1:] if rest.startswith(":") else "80"
        return Listen(host, _port(port, d), True, default)
    if addr.isdigit():
        return Listen("0.0.0.0", _port(addr, d), False, default)
    if ":" in addr:
        host, port = addr.rsplit(":", 1)
    else:
        host, port = addr, "80"
    if host in ("*", ""):
        host = "0.0.0.0"
    elif host == "localhost":
        host = "127.0.0.1"
    elif not re.fullmatch(r"\d+\.\d+\.\d+\.\d+", host):
        raise ConfError(f"host not found in \"{addr}\" of the \"listen\" directive in {d.where()}")
    return Listen(host, _port(port, d), False, default)


def _port(text: str, d: Directive) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise ConfError(f"invalid port in \"{d.args[0]}\" of the \"listen\" directive in {d.where()}")
    return int(text)


def _locations(block, parent: Scope) -> list:
    out = []
    for d in block:
        if d.name != "location":
            continue
        if len(d.args) == 2:
            modifier, pattern = d.args
            if modifier not in ("=", "^~", "~", "~*"):
                raise ConfError(f"invalid location modifier \"{modifier}\" in {d.where()}")
        else:
            pattern = d.args[0]
            modifier = "@" if pattern.startswith("@") else ""
            if pattern.startswith("="):
                modifier, pattern = "=", pattern[1:]
        scope = Scope.of(d.block, parent)
        regex = None
        if modifier in ("~", "~*"):
            try:
                regex = re.compile(pattern, re.IGNORECASE if modifier == "~*" else 0)
            except re.error:
                raise ConfError(f"pcre2_compile() failed: in \"{pattern}\" in {d.where()}") from None
        loc = Location(modifier, pattern, scope, regex)
        loc.locations = _locations(d.block, scope)
        out.append(loc)
    return out


def build(directives: tuple, file: str) -> Config:
    main = Scope.of(directives)
    for name in ("user", "worker_processes", "pid", "daemon", "master_process"):
        if len(main.own(name)) > 1:
            raise ConfError(f"\"{name}\" directive is duplicate in {main.own(name)[1].where()}")
    wp = main.value("worker_processes")
    if wp is not None and wp[0] != "auto" and not wp[0].isdigit():
        d = main.own("worker_processes")[0]
        raise ConfError(f"invalid value \"{wp[0]}\" in \"worker_processes\" directive in {d.where()}")
    for d in main.own("error_log"):
        if len(d.args) > 1 and d.args[1] not in LEVELS:
            raise ConfError(f"invalid log level \"{d.args[1]}\" in {d.where()}")
    events = main.own("events")
    if not events:
        raise ConfError("no \"events\" section in configuration")
    if len(events) > 1:
        raise ConfError(f"\"events\" directive is duplicate in {events[1].where()}")
    http_blocks = main.own("http")
    if len(http_blocks) > 1:
        raise ConfError(f"\"http\" directive is duplicate in {http_blocks[1].where()}")
    servers, formats, http = [], {"combined": COMBINED}, None
    if http_blocks:
        http = Scope.of(http_blocks[0].block, None)
        for d in http.own("log_format"):
            if d.args[0] in formats and d.args[0] != "combined":
                raise ConfError(f"duplicate \"log_format\" name \"{d.args[0]}\" in {d.where()}")
            formats[d.args[0]] = "".join(d.args[1:])
        for d in _all_access_logs(http_blocks[0]):
            if len(d.args) > 1 and d.args[0] != "off" and d.args[1] not in formats:
                raise ConfError(f"unknown log format \"{d.args[1]}\" in {d.where()}")
        for d in http.own("server"):
            scope = Scope.of(d.block, http)
            listens = [_parse_listen(x) for x in scope.own("listen")] or [Listen("0.0.0.0", 80, False)]
            names = [n for x in scope.own("server_name") for n in x.args] or [""]
            servers.append(Server(listens, names, scope, _locations(d.block, scope)))
        seen = {}
        for server in servers:
            for listen in server.listens:
                if listen.default_server:
                    if listen.key in seen:
                        raise ConfError(f"a duplicate default server for {listen.text()} in "
                                        f"{server.scope.own('listen')[0].where()}")
                    seen[listen.key] = server
    return Config(main, http, servers, formats, file)


def _all_access_logs(block: Directive):
    for d in block.block or ():
        if d.name == "access_log":
            yield d
        if d.block:
            yield from _all_access_logs(d)


def match_location(locations: list, uri: str) -> "Location | None":
    """ngx_http_core_find_location: an exact match wins; then the longest
    prefix; ^~ on it stops the search; then the regexes in order; then
    the longest prefix."""
    best = None
    for loc in locations:
        if loc.modifier == "=" and loc.pattern == uri:
            return loc
    for loc in locations:
        if loc.modifier in ("", "^~") and uri.startswith(loc.pattern):
            if best is None or len(loc.pattern) > len(best.pattern):
                best = loc
    if best is not None and best.locations:
        inner = match_location(best.locations, uri)
        if inner is not None:
            return inner
    if best is not None and best.modifier == "^~":
        return best
    for loc in locations:
        if loc.regex is not None and loc.regex.search(uri):
            return loc
    return best


def named_location(server: Server, name: str) -> "Location | None":
    for loc in server.locations:
        if loc.modifier == "@" and loc.pattern == name:
            return loc
    return None
