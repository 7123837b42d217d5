"""One HTTP/1.x request through nginx's phases: request parsing, server
and location selection, ``return``, ``try_files``, the index and static
modules, ``error_page``, the special responses (nginx's own error pages),
the header filter (its header order) and the not-modified filter; and the
access log's variables."""

import calendar
import posixpath
import time as _time

import attrs

from ...abi import Errno, S_ISDIR, S_ISREG
from ...errors import SimError
from .model import Scope, match_location, named_location

#: The status lines nginx sends (ngx_http_status_lines).
STATUS_LINES = {
    200: "200 OK", 201: "201 Created", 202: "202 Accepted", 204: "204 No Content",
    206: "206 Partial Content", 301: "301 Moved Permanently", 302: "302 Moved Temporarily",
    303: "303 See Other", 304: "304 Not Modified", 307: "307 Temporary Redirect",
    308: "308 Permanent Redirect", 400: "400 Bad Request", 401: "401 Unauthorized",
    402: "402 Payment Required", 403: "403 Forbidden", 404: "404 Not Found", 405: "405 Not Allowed",
    406: "406 Not Acceptable", 408: "408 Request Time-out", 409: "409 Conflict", 410: "410 Gone",
    411: "411 Length Required", 412: "412 Precondition Failed", 413: "413 Request Entity Too Large",
    414: "414 Request-URI Too Large", 415: "415 Unsupported Media Type",
    416: "416 Requested Range Not Satisfiable", 421: "421 Misdirected Request",
    429: "429 Too Many Requests", 500: "500 Internal Server Error", 501: "501 Not Implemented",
    502: "502 Bad Gateway", 503: "503 Service Temporarily Unavailable", 504: "504 Gateway Time-out",
    505: "505 HTTP Version Not Supported", 507: "507 Insufficient Storage",
}
#: The titles of nginx's error pages where they differ from the status line.
_PAGE_TITLES = {302: "302 Found"}
#: Errors after which nginx closes the connection (special_response_handler).
_CLOSE_AFTER = {400, 413, 414, 500, 501}
_METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "MKCOL", "COPY", "MOVE", "OPTIONS",
            "PROPFIND", "PROPPATCH", "LOCK", "UNLOCK", "PATCH", "TRACE", "CONNECT")
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def http_date(t: float) -> str:
    g = _time.gmtime(int(t))
    return (f"{_DAYS[g.tm_wday]}, {g.tm_mday:02d} {_MONTHS[g.tm_mon - 1]} {g.tm_year} "
            f"{g.tm_hour:02d}:{g.tm_min:02d}:{g.tm_sec:02d} GMT")


def parse_http_date(text: str) -> "int | None":
    try:
        parts = text.strip().split()
        if len(parts) == 6 and parts[5] == "GMT":
            day, mon, year, hms = int(parts[1]), _MONTHS.index(parts[2]) + 1, int(parts[3]), parts[4]
            h, m, s = (int(x) for x in hms.split(":"))
            return calendar.timegm((year, mon, day, h, m, s, 0, 0, 0))
    except (ValueError, IndexError):
        return None
    return None


def local_time(t: float) -> str:
    """$time_local (the container's zone is UTC)."""
    g = _time.gmtime(int(t))
    return (f"{g.tm_mday:02d}/{_MONTHS[g.tm_mon - 1]}/{g.tm_year}:{g.tm_hour:02d}:{g.tm_min:02d}:"
            f"{g.tm_sec:02d} +0000")


def log_time(t: float) -> str:
    """The error log's time: 2024/11/27 10:00:00."""
    g = _time.gmtime(int(t))
    return (f"{g.tm_year}/{g.tm_mon:02d}/{g.tm_mday:02d} {g.tm_hour:02d}:{g.tm_min:02d}:"
            f"{g.tm_sec:02d}")


def error_page_body(status: int, version: str) -> bytes:
    title = _PAGE_TITLES.get(status, STATUS_LINES.get(status, f"{status}"))
    return (f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n"
            f"<center><h1>{title}</h1></center>\r\n"
            f"<hr><center>nginx/{version}</center>\r\n</body>\r\n</html>\r\n").encode()


class BadRequest(Exception):
    """The request cannot be parsed: 400, and the connection closes."""


@attrs.define(eq=False)
class Request:
    method: str
    target: str  # as sent
    version: str  # "HTTP/1.1"
    headers: list  # [(name, value)]
    line: str  # the request line, for $request
    body: bytes = b""
    length: int = 0  # bytes of the request, for $request_length

    def header(self, name: str) -> "str | None":
        name = name.lower()
        for k, v in self.headers:
            if k.lower() == name:
                return v
        return None

    @property
    def path(self) -> str:
        return self.target.split("?", 1)[0]

    @property
    def args(self) -> str:
        return self.target.split("?", 1)[1] if "?" in self.target else ""

    @property
    def keepalive_asked(self) -> bool:
        conn = (self.header("connection") or "").lower()
        if self.version == "HTTP/1.1":
            return "close" not in conn
        return "keep-alive" in conn


def parse_request(buf: bytes) -> "tuple[Request, int] | None":
    """A complete request at the start of ``buf`` and its length, or None
    if more bytes are needed.  Raises BadRequest."""
    while buf.startswith(b"\r\n"):  # nginx skips empty lines before a request
        buf = buf[2:]
    end = buf.find(b"\r\n\r\n")
    sep = 4
    if end < 0:
        end = buf.find(b"\n\n")
        sep = 2
        if end < 0:
            if len(buf) > 8192:
                raise BadRequest()
            return None
    head = buf[:end].decode("latin-1")
    lines = head.replace("\r\n", "\n").split("\n")
    parts = lines[0].split(" ")
    parts = [p for p in parts if p]
    if len(parts) == 2 and parts[0] == "GET":
        parts.append("HTTP/0.9")
    if len(parts) != 3 or not parts[0].isupper() or not parts[0].isalpha() \
            or not parts[2].startswith("HTTP/"):
        raise BadRequest(lines[0])
    method, target, version = parts
    if version not in ("HTTP/1.0", "HTTP/1.1"):
        if version.startswith("HTTP/1."):
            version = "HTTP/1.1"
        else:
            raise BadRequest(lines[0])
    if not (target.startswith("/") or target.startswith("http://") or target == "*"):
        raise BadRequest(lines[0])
    if target.startswith("http://"):
        rest = target[len("http://"):]
        target = "/" + rest.split("/", 1)[1] if "/" in rest else "/"
    headers = []
    for line in lines[1:]:
        if ":" not in line:
            raise BadRequest(lines[0])
        k, v = line.split(":", 1)
        headers.append((k.strip(), v.strip()))
    req = Request(method, target, version, headers, lines[0])
    consumed = end + sep
    length = req.header("content-length")
    if req.header("transfer-encoding"):
        if (req.header("transfer-encoding") or "").lower() != "chunked":
            raise BadRequest(lines[0])
        body, used = _chunked(buf[consumed:])
        if body is None:
            return None
        req.body = body
        consumed += used
    elif length is not None:
        if not length.isdigit():
            raise BadRequest(lines[0])
        n = int(length)
        if len(buf) - consumed < n:
            return None
        req.body = buf[consumed:consumed + n]
        consumed += n
    if req.version == "HTTP/1.1" and req.header("host") is None:
        raise BadRequest(lines[0])
    req.length = consumed
    return req, consumed


def _chunked(data: bytes):
    body, pos = [], 0
    while True:
        end = data.find(b"\r\n", pos)
        if end < 0:
            return None, 0
        try:
            size = int(data[pos:end].split(b";")[0], 16)
        except ValueError:
            raise BadRequest() from None
        pos = end + 2
        if size == 0:
            end = data.find(b"\r\n", pos)
            if end < 0:
                return None, 0
            return b"".join(body), end + 2
        if len(data) < pos + size + 2:
            return None, 0
        body.append(data[pos:pos + size])
        pos += size + 2


def normalize_uri(path: str) -> "str | None":
    """Decode %XX and resolve . and .. as ngx_http_parse_complex_uri does;
    None if it climbs above the root (400)."""
    out = bytearray()
    raw = path.encode("latin-1", "replace")
    i = 0
    while i < len(raw):
        c = raw[i]
        if c == 0x25 and i + 2 < len(raw) + 0 and i + 2 <= len(raw) - 1:
            try:
                out.append(int(raw[i + 1:i + 3], 16))
                i += 3
                continue
            except ValueError:
                pass
        out.append(c)
        i += 1
    text = out.decode("utf-8", "replace")
    segs = []
    for seg in text.split("/")[1:]:
        if seg == "..":
            if not segs:
                return None
            segs.pop()
        elif seg == ".":
            continue
        else:
            segs.append(seg)
    trailing = text.endswith("/") or text.endswith("/.") or text.endswith("/..")
    # merge_slashes on: empty segments vanish, but a final slash stays.
    segs = [s for s in segs if s]
    norm = "/" + "/".join(segs)
    if trailing and not norm.endswith("/"):
        norm += "/"
    return norm


@attrs.define(eq=False)
class Response:
    status: int
    headers: list  # [(name, value)] after the fixed ones
    body: bytes = b""
    content_type: "str | None" = None
    last_modified: "float | None" = None
    location: "str | None" = None
    close: bool = False
    server: object = None


@attrs.define(eq=False)
class Handler:
    """The request side of a worker: the filesystem through ``proc`` and
    the configuration; ``errlog(level, text)`` writes the error log."""

    proc: object
    config: object
    version: str
    errlog: object

    # -- server selection ------------------------------------------------------
    def server_for(self, listen_key: tuple, host: "str | None"):
        candidates = [s for s in self.config.servers if any(lst.key == listen_key for lst in s.listens)]
        if not candidates:
            candidates = self.config.servers
        name = (host or "").split(":")[0].lower() if host and not host.startswith("[") else (host or "")
        for server in candidates:
            for n in server.names:
                if n.lower() == name or (n.startswith("*.") and name.endswith(n[1:])) or \
                        (n.startswith(".") and (name == n[1:] or name.endswith(n))):
                    return server
        for server in candidates:
            if any(lst.key == listen_key and lst.default_server for lst in server.listens):
                return server
        return candidates[0] if candidates else None

    # -- the phases --------------------------------------------------------------
    def handle(self, req: Request, server, conn_info: dict) -> Response:
        uri = normalize_uri(req.path)
        if uri is None:
            return self.special(400, server.scope if server else None, req, server, close=True)
        conn_info["uri"] = uri
        method = req.method
        status_override = None
        error_redirected = False
        for _ in range(10):
            scope = server.scope
            ret = scope.own("return")
            resp = None
            if ret:
                resp = self._return(ret[0], req, scope, conn_info)
            loc = None
            if resp is None:
                loc = match_location(server.locations, uri) if not uri.startswith("@") else \
                    named_location(server, uri)
                if loc is not None:
                    scope = loc.scope
                    ret = scope.own("return")
                    if ret:
                        resp = self._return(ret[0], req, scope, conn_info)
            if resp is None and loc is not None and loc.scope.own("internal") and not conn_info.get("internal"):
                resp = self.special(404, scope, req, server)
            redirect = None
            if resp is None:
                tf = scope.own("try_files")
                if tf:
                    redirect, resp = self._try_files(tf[0], uri, req, scope, loc, server, conn_info)
                    if redirect is None and resp is None:
                        resp = None
            if resp is None and redirect is None:
                if uri.endswith("/"):
                    redirect, resp = self._index(uri, req, scope, loc, server, conn_info)
                else:
                    resp = self._static(uri, method, req, scope, loc, server, conn_info)
            if redirect is not None:
                uri = redirect
                conn_info["internal"] = True
                conn_info["uri"] = uri.split("?")[0]
                uri = uri.split("?")[0]
                continue
            if resp.status >= 300 and not error_redirected and resp.status != 304:
                target = self._error_page(scope, resp.status)
                if target is not None:
                    page, override = target
                    error_redirected = True
                    status_override = override if override is not None else resp.status
                    if page.startswith("http://") or page.startswith("https://"):
                        r = self.special(302, scope, req, server)
                        r.location = page
                        return r
                    uri = page.split("?")[0]
                    conn_info["internal"] = True
                    conn_info["uri"] = uri
                    if method not in ("GET", "HEAD"):
                        method = "GET"
                    continue
            if status_override is not None and resp.status == 200:
                resp.status = status_override
                resp.headers = [(k, v) for k, v in resp.headers if k not in ("ETag", "Accept-Ranges")]
                resp.last_modified = None
            return resp
        self.errlog("error", f"rewrite or internal redirection cycle while internally redirecting to "
                             f"\"{uri}\"", conn_info)
        return self.special(500, server.scope, req, server, close=True)

    def _error_page(self, scope: Scope, status: int):
        for d in scope.nearest("error_page"):
            args = list(d.args)
            page = args.pop()
            override = None
            if args and args[-1].startswith("="):
                o = args.pop()[1:]
                override = int(o) if o else None
            if str(status) in args:
                return page, override
        return None

    def _return(self, d, req, scope, conn_info) -> Response:
        args = d.args
        if not args[0].isdigit():
            r = self.special(302, scope, req, None)
            r.location = self.expand(args[0], req, conn_info)
            return r
        code = int(args[0])
        text = self.expand(args[1], req, conn_info) if len(args) > 1 else None
        if code in (301, 302, 303, 307, 308) and text is not None:
            r = self.special(code, scope, req, None)
            r.location = text
            return r
        if text is None:
            if code == 444:
                return Response(444, [], close=True)
            if code >= 300 or code == 204:
                return self.special(code, scope, req, None) if code >= 300 else \
                    Response(code, [], b"")
            return Response(code, [], b"", content_type=self.default_type(scope))
        return Response(code, [], text.encode(), content_type=self.default_type(scope))

    def default_type(self, scope: Scope) -> str:
        return scope.value("default_type", ("text/plain",))[0]

    def expand(self, text: str, req, conn_info) -> str:
        return expand_vars(text, lambda name: variable(name, req, conn_info, self))

    def _root_path(self, uri: str, scope: Scope, loc) -> str:
        alias = scope.own("alias")
        if alias and loc is not None:
            return alias[0].args[0] + uri[len(loc.pattern):]
        root = scope.value("root", ("html",))[0]
        if not root.startswith("/"):
            root = "/etc/nginx/" + root
        return root.rstrip("/") + uri

    def _stat(self, path: str):
        try:
            return self.proc.stat(path), None
        except SimError as err:
            return None, err

    def _try_files(self, d, uri, req, scope, loc, server, conn_info):
        *tries, last = d.args
        for t in tries:
            name = self.expand(t, req, dict(conn_info, uri=uri))
            path = self._root_path(name.rstrip("/") if name.endswith("/") else name, scope, loc)
            st, _ = self._stat(path)
            if st is None:
                continue
            if name.endswith("/") and S_ISDIR(st.mode):
                return name, None
            if not name.endswith("/") and S_ISREG(st.mode):
                if name == uri:
                    return None, self._static(uri, req.method, req, scope, loc, server, conn_info)
                conn_info["try_uri"] = name
                return None, self._static(name, req.method, req, scope, loc, server, conn_info)
        if last.startswith("="):
            return None, self.special(int(last[1:]), scope, req, server)
        return self.expand(last, req, dict(conn_info, uri=uri)), None

    def _index(self, uri, req, scope, loc, server, conn_info):
        base = self._root_path(uri, scope, loc)
        names = [n for d in scope.nearest("index") for n in d.args] or ["index.html"]
        first_err = None
        for name in names:
            name = self.expand(name, req, conn_info)
            if name.startswith("/"):
                return name, None
            st, err = self._stat(base + name)
            if st is not None and not S_ISDIR(st.mode):
                return uri + name, None
            if first_err is None:
                first_err = (base + name, err)
        if scope.flag("autoindex", False):
            return None, self._autoindex(uri, base, req, scope)
        st, err = self._stat(base)
        if st is not None and S_ISDIR(st.mode):
            self.errlog("error", f"directory index of \"{base}\" is forbidden", conn_info)
            return None, self.special(403, scope, req, server)
        path, err = first_err
        if err is not None and err.errno_value == Errno.EACCES:
            self.errlog("crit", f"\"{path}\" failed (13: Permission denied)", conn_info)
            return None, self.special(403, scope, req, server)
        self.errlog("error", f"\"{path}\" is not found (2: No such file or directory)", conn_info)
        return None, self.special(404, scope, req, server)

    def _autoindex(self, uri, base, req, scope) -> Response:
        try:
            names = sorted(self.proc.listdir(base))
        except SimError:
            names = []
        rows = []
        for name in names:
            if name.startswith("."):
                continue
            st, _ = self._stat(base + name)
            if st is None:
                continue
            g = _time.gmtime(int(st.mtime))
            when = f"{g.tm_mday:02d}-{_MONTHS[g.tm_mon - 1]}-{g.tm_year} {g.tm_hour:02d}:{g.tm_min:02d}"
            shown = name + ("/" if S_ISDIR(st.mode) else "")
            size = "-" if S_ISDIR(st.mode) else str(st.size)
            pad = " " * max(1, 51 - len(shown))
            rows.append(f"<a href=\"{shown}\">{shown}</a>{pad}{when} {size:>19}\r\n")
        body = (f"<html>\r\n<head><title>Index of {uri}</title></head>\r\n<body>\r\n"
                f"<h1>Index of {uri}</h1><hr><pre><a href=\"../\">../</a>\r\n" + "".join(rows) +
                "</pre><hr></body>\r\n</html>\r\n")
        return Response(200, [], body.encode(), content_type="text/html")

    def _static(self, uri, method, req, scope, loc, server, conn_info) -> Response:
        if method not in ("GET", "HEAD", "POST"):
            return self.special(405, scope, req, server)
        path = self._root_path(uri, scope, loc)
        st, err = self._stat(path)
        if st is None:
            if err.errno_value == Errno.EACCES:
                self.errlog("error", f"open() \"{path}\" failed (13: Permission denied)", conn_info)
                return self.special(403, scope, req, server)
            if scope.flag("log_not_found", True):
                self.errlog("error", f"open() \"{path}\" failed (2: No such file or directory)", conn_info)
            return self.special(404, scope, req, server)
        if S_ISDIR(st.mode):
            r = self.special(301, scope, req, server)
            r.location = self._redirect_base(req, server, conn_info) + _escape_uri(uri) + "/" + \
                ("?" + req.args if req.args else "")
            return r
        if method == "POST":
            return self.special(405, scope, req, server)
        try:
            data = self.proc.read_file(path)
        except SimError as err:
            if err.errno_value == Errno.EACCES:
                self.errlog("error", f"open() \"{path}\" failed (13: Permission denied)", conn_info)
                return self.special(403, scope, req, server)
            self.errlog("error", f"open() \"{path}\" failed ({int(err.errno_value)}: "
                                 f"{err.strerror_text})", conn_info)
            return self.special(404, scope, req, server)
        ext = posixpath.basename(path).rsplit(".", 1)[1].lower() if "." in posixpath.basename(path) else ""
        ctype = scope.types().get(ext) or self.default_type(scope)
        charset = scope.value("charset")
        if charset and charset[0] != "off" and ctype in ("text/html", "text/xml", "text/plain",
                                                        "text/vnd.wap.wml", "application/javascript",
                                                        "application/rss+xml"):
            ctype += f"; charset={charset[0]}"
        mtime = int(st.mtime)
        headers = []
        if scope.flag("etag", True):
            headers.append(("ETag", f"\"{mtime:x}-{len(data):x}\""))
        headers.append(("Accept-Ranges", "bytes"))
        r = Response(200, headers, data, content_type=ctype, last_modified=mtime)
        return self._not_modified(req, r, scope)

    def _not_modified(self, req, r: Response, scope) -> Response:
        ims = req.header("if-modified-since")
        inm = req.header("if-none-match")
        etag = next((v for k, v in r.headers if k == "ETag"), None)
        if inm is not None and etag is not None:
            if inm.strip() == "*" or etag in [t.strip() for t in inm.split(",")] or \
                    ("W/" + etag) in [t.strip() for t in inm.split(",")]:
                return self._304(r)
            return r
        if ims is not None and scope.value("if_modified_since", ("exact",))[0] != "off":
            t = parse_http_date(ims)
            mode = scope.value("if_modified_since", ("exact",))[0]
            if t is not None and (t == r.last_modified or (mode == "before" and r.last_modified <= t)):
                return self._304(r)
        return r

    @staticmethod
    def _304(r: Response) -> Response:
        return Response(304, [(k, v) for k, v in r.headers if k == "ETag"], b"",
                        content_type=None, last_modified=r.last_modified)

    def _redirect_base(self, req, server, conn_info) -> str:
        host = req.header("host")
        if host:
            host = host.split(":")[0] if not host.startswith("[") else host.split("]")[0] + "]"
        else:
            host = conn_info.get("server_addr", "localhost")
        port = conn_info.get("server_port", 80)
        return f"http://{host}" + (f":{port}" if port != 80 else "")

    def special(self, status: int, scope, req, server, close: bool = False) -> Response:
        """nginx's own response for an error or redirect status."""
        body = error_page_body(status, self.version) if status >= 300 and status != 304 else b""
        return Response(status, [], body, content_type="text/html",
                        close=close or status in _CLOSE_AFTER)


def _escape_uri(uri: str) -> str:
    out = []
    for ch in uri:
        if ch in " \"#%'<>?\\^`{|}" or ord(ch) < 0x21 or ord(ch) > 0x7e:
            out.extend(f"%{b:02X}" for b in ch.encode())
        else:
            out.append(ch)
    return "".join(out)


def serialize(resp: Response, req: "Request | None", version: str, now: float, keepalive: bool,
              server_tokens: bool = True) -> "tuple[bytes, int]":
    """The response bytes in nginx's header order, and $body_bytes_sent."""
    status = STATUS_LINES.get(resp.status, f"{resp.status} ")
    lines = [f"HTTP/1.1 {status}",
             f"Server: nginx/{version}" if server_tokens else "Server: nginx",
             f"Date: {http_date(now)}"]
    if resp.content_type is not None and resp.status != 304:
        lines.append(f"Content-Type: {resp.content_type}")
    if resp.status != 304 and not (resp.status == 204):
        lines.append(f"Content-Length: {len(resp.body)}")
    if resp.last_modified is not None:
        lines.append(f"Last-Modified: {http_date(resp.last_modified)}")
    if resp.location is not None:
        lines.append(f"Location: {resp.location}")
    lines.append("Connection: keep-alive" if keepalive else "Connection: close")
    for k, v in resp.headers:
        lines.append(f"{k}: {v}")
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace")
    body = b"" if (req is not None and req.method == "HEAD") or resp.status == 304 else resp.body
    return head + body, len(body)


def expand_vars(text: str, lookup) -> str:
    out, i = [], 0
    while i < len(text):
        c = text[i]
        if c == "$" and i + 1 < len(text):
            if text[i + 1] == "{":
                end = text.find("}", i)
                name = text[i + 2:end]
                i = end + 1
            else:
                j = i + 1
                while j < len(text) and (text[j].isalnum() or text[j] == "_"):
                    j += 1
                name = text[i + 1:j]
                i = j
            value = lookup(name)
            out.append("" if value is None else value)
            continue
        out.append(c)
        i += 1
    return "".join(out)


def variable(name: str, req: "Request | None", info: dict, handler=None) -> "str | None":
    """The value of ``$name`` (None for "not found", which logs as "-")."""
    if name.startswith("http_"):
        return req.header(name[5:].replace("_", "-")) if req is not None else None
    if name.startswith("arg_"):
        if req is None:
            return None
        for pair in req.args.split("&"):
            k, _, v = pair.partition("=")
            if k == name[4:]:
                return v
        return None
    simple = {
        "remote_addr": info.get("remote_addr"), "remote_port": str(info.get("remote_port", "")),
        "server_addr": info.get("server_addr"), "server_port": str(info.get("server_port", "")),
        "remote_user": None, "scheme": "http", "https": "",
        "time_local": local_time(info.get("time", 0)),
        "time_iso8601": _time.strftime("%Y-%m-%dT%H:%M:%S+00:00", _time.gmtime(int(info.get("time", 0)))),
        "msec": f"{info.get('time', 0):.3f}",
        "status": str(info.get("status", "")) if "status" in info else None,
        "body_bytes_sent": str(info.get("body_bytes_sent", 0)),
        "bytes_sent": str(info.get("bytes_sent", 0)),
        "request_time": f"{info.get('request_time', 0.0):.3f}",
        "connection": str(info.get("connection", "")),
        "connection_requests": str(info.get("connection_requests", 1)),
        "pid": str(info.get("pid", "")),
        "nginx_version": info.get("version"),
        "hostname": info.get("hostname"),
        "server_name": info.get("server_name"),
    }
    if name in simple:
        return simple[name]
    if req is None:
        return None
    if name == "request":
        return req.line
    if name == "request_method":
        return req.method
    if name == "request_uri":
        return req.target
    if name in ("uri", "document_uri"):
        return info.get("uri", req.path)
    if name in ("args", "query_string"):
        return req.args
    if name == "is_args":
        return "?" if req.args else ""
    if name == "server_protocol":
        return req.version
    if name == "request_length":
        return str(req.length)
    if name == "host":
        host = req.header("host")
        return (host.split(":")[0].lower() if host else info.get("server_name")) or ""
    if name == "content_length":
        return req.header("content-length")
    if name == "content_type":
        return req.header("content-type")
    if name == "request_body":
        return req.body.decode("latin-1")
    return None


def escape_log(value: str) -> str:
    """ngx_http_log_escape (escape=default): ", \\ and bytes outside
    0x20..0x7e as \\xHH."""
    out = []
    for b in value.encode("utf-8", "replace"):
        if b == 0x22 or b == 0x5C or b < 0x20 or b > 0x7E:
            out.append(f"\\x{b:02X}")
        else:
            out.append(chr(b))
    return "".join(out)


def format_log(fmt: str, req, info: dict) -> str:
    """One access log line: unset variables log as "-", values escaped."""
    def lookup(name):
        value = variable(name, req, info)
        return "-" if value is None else escape_log(value)
    return expand_vars(fmt, lookup)
