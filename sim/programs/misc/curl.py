"""``curl``: HTTP/1.1 over the simulated network (plain http only): -s,
-S, -i, -I, -o, -O, -v, -X, -d, -H, -A, -L, -f, -w '%{http_code}'; its
error messages and exit codes (6: could not resolve, 7: could not connect,
22: --fail, 23: write error, 2: usage, 3: bad URL, 47: too many
redirects); the progress meter on stderr when stdout is not a terminal."""

import posixpath
import re

from ...abi import AF_INET, O_CREAT, O_TRUNC, O_WRONLY, text_bytes
from ...errors import SimError
from ..osrelease import os_key

#: curl's version on each distribution release the catalog's images use.
_VERSIONS = {"debian:12": "7.88.1", "alpine:3.20": "8.11.0", "alpine:3.19": "8.9.1",
             "alpine:3.18": "8.9.1"}


class CurlError(Exception):
    def __init__(self, code: int, text: str):
        super().__init__(text)
        self.code = code
        self.text = text


def _version(proc) -> str:
    return _VERSIONS.get(os_key(proc, ""), "8.11.0")


_SHORT = {"s": "silent", "S": "show-error", "i": "include", "I": "head", "v": "verbose",
          "L": "location", "f": "fail", "k": "insecure", "O": "remote-name", "4": "ipv4",
          "N": "no-buffer", "#": "progress-bar", "g": "globoff"}
_SHORT_ARG = {"o": "output", "X": "request", "d": "data", "H": "header", "A": "user-agent",
              "w": "write-out", "m": "max-time", "u": "user", "e": "referer", "b": "cookie",
              "x": "proxy", "r": "range", "T": "upload-file", "F": "form"}
_LONG_FLAGS = {"silent", "show-error", "include", "head", "verbose", "location", "fail", "insecure",
               "remote-name", "ipv4", "no-buffer", "progress-bar", "globoff", "fail-with-body",
               "http1.1", "compressed", "no-progress-meter", "no-keepalive"}
_LONG_ARG = {"output", "request", "data", "data-raw", "data-binary", "data-ascii", "data-urlencode",
             "header", "user-agent", "write-out", "max-time", "connect-timeout", "user", "referer",
             "cookie", "proxy", "range", "upload-file", "form", "retry", "retry-delay", "max-redirs",
             "url", "unix-socket", "resolve"}


def _parse(argv):
    opts = {"header": [], "data": [], "urls": []}
    i = 1
    while i < len(argv):
        arg = argv[i]
        if arg.startswith("--") and len(arg) > 2:
            name = arg[2:]
            value = None
            if "=" in name and name.split("=", 1)[0] in _LONG_ARG:
                name, value = name.split("=", 1)
            if name in _LONG_FLAGS:
                opts[name] = True
            elif name.startswith("no-") and name[3:] in _LONG_FLAGS:
                opts[name[3:]] = False
            elif name in _LONG_ARG:
                if value is None:
                    i += 1
                    if i >= len(argv):
                        raise CurlError(2, f"option --{name}: requires parameter")
                    value = argv[i]
                _set(opts, name, value)
            elif name in ("help", "manual"):
                opts["help"] = True
            elif name == "version":
                opts["version"] = True
            else:
                raise CurlError(2, f"option --{name}: is unknown")
        elif arg.startswith("-") and len(arg) > 1:
            j = 1
            while j < len(arg):
                c = arg[j]
                if c in _SHORT:
                    opts[_SHORT[c]] = True
                    j += 1
                elif c in _SHORT_ARG:
                    value = arg[j + 1:]
                    if not value:
                        i += 1
                        if i >= len(argv):
                            raise CurlError(2, f"option -{c}: requires parameter")
                        value = argv[i]
                    _set(opts, _SHORT_ARG[c], value)
                    break
                elif c == "V":
                    opts["version"] = True
                    j += 1
                elif c == "h":
                    opts["help"] = True
                    j += 1
                else:
                    raise CurlError(2, f"option -{c}: is unknown")
        else:
            opts["urls"].append(arg)
        i += 1
    return opts


def _set(opts, name, value):
    if name == "header":
        opts["header"].append(value)
    elif name.startswith("data"):
        opts["data"].append(value)
    elif name == "url":
        opts["urls"].append(value)
    else:
        opts[name] = value


def _split_url(url: str):
    m = re.match(r"^(?:([a-zA-Z][a-zA-Z0-9+.-]*)://)?([^/?#]*)([^#]*)", url)
    scheme = (m.group(1) or "http").lower()
    hostport, rest = m.group(2), m.group(3) or "/"
    if not rest.startswith("/"):
        rest = "/" + rest
    if "@" in hostport:
        hostport = hostport.rsplit("@", 1)[1]
    if hostport.startswith("["):
        host, _, port = hostport[1:].partition("]")
        port = port[1:] if port.startswith(":") else ""
    elif ":" in hostport:
        host, port = hostport.rsplit(":", 1)
    else:
        host, port = hostport, ""
    if scheme not in ("http", "https"):
        raise CurlError(1, f"Protocol \"{scheme}\" not supported")
    if not host:
        raise CurlError(3, "URL rejected: No host part in the URL" if m.group(1) else
                        "URL using bad/illegal format or missing URL")
    if port and not port.isdigit():
        raise CurlError(3, "URL rejected: Port number was not a decimal number between 0 and 65535")
    return scheme, host, int(port) if port else (443 if scheme == "https" else 80), rest


class Client:
    def __init__(self, proc, opts, version):
        self.proc = proc
        self.opts = opts
        self.version = version
        self.verbose = bool(opts.get("verbose"))
        self.err_lines: list = []

    async def v(self, text: str) -> None:
        if self.verbose:
            await self.proc.write(2, text)

    def _resolve(self, host: str) -> list:
        if re.fullmatch(r"\d+\.\d+\.\d+\.\d+", host) or ":" in host:
            return [host]
        try:
            return self.proc.getaddrinfo(host)
        except SimError:
            raise CurlError(6, f"Could not resolve host: {host}") from None

    async def fetch(self, url: str, method: str, body: "bytes | None"):
        scheme, host, port, target = _split_url(url)
        addrs = self._resolve(host)
        new_style = not self.version.startswith("7.")
        if self.verbose and new_style and not re.fullmatch(r"\d+\.\d+\.\d+\.\d+", host):
            await self.v(f"* Host {host}:{port} was resolved.\n* IPv6: (none)\n* IPv4: {', '.join(addrs)}\n")
        fd = None
        for addr in addrs:
            await self.v(f"*   Trying {addr}:{port}...\n")
            fd = self.proc.socket(AF_INET)
            try:
                await self.proc.connect(fd, (addr, port))
                break
            except SimError:
                self.proc.close(fd)
                fd = None
        if fd is None:
            words = "Could not connect to server" if self.version >= "8.10" else "Couldn't connect to server"
            raise CurlError(7, f"Failed to connect to {host} port {port} after 0 ms: {words}")
        if new_style:
            await self.v(f"* Connected to {host} ({addr}) port {port}\n")
        else:
            await self.v(f"* Connected to {host} ({addr}) port {port} (#0)\n")
        if scheme == "https":
            self.proc.close(fd)
            raise CurlError(35, "OpenSSL/3.3.2: error:0A00010B:SSL routines::wrong version number")
        host_header = host if port == (443 if scheme == "https" else 80) else f"{host}:{port}"
        headers = [("Host", host_header), ("User-Agent", self.opts.get("user-agent", f"curl/{self.version}")),
                   ("Accept", "*/*")]
        if self.opts.get("referer"):
            headers.append(("Referer", self.opts["referer"]))
        if body is not None:
            headers.append(("Content-Length", str(len(body))))
            headers.append(("Content-Type", "application/x-www-form-urlencoded"))
        for h in self.opts["header"]:
            name, _, value = h.partition(":")
            value = value.strip()
            headers = [(k, v) for k, v in headers if k.lower() != name.strip().lower()]
            if value or h.endswith(";"):
                headers.append((name.strip(), value))
        lines = [f"{method} {target} HTTP/1.1"] + [f"{k}: {v}" for k, v in headers]
        request = text_bytes("\r\n".join(lines) + "\r\n\r\n")
        for line in lines:
            await self.v(f"> {line}\r\n")
        await self.v("> \r\n")
        await self.proc.write(fd, request + (body or b""))
        if new_style:
            await self.v("* Request completely sent off\n")
        raw = b""
        while b"\r\n\r\n" not in raw:
            try:
                chunk = await self.proc.read(fd)
            except SimError:
                chunk = b""
            if not chunk:
                self.proc.close(fd)
                raise CurlError(52, "Empty reply from server")
            raw += chunk
        head, rest = raw.split(b"\r\n\r\n", 1)
        head_text = head.decode("latin-1")
        status_line, *header_lines = head_text.split("\r\n")
        try:
            status = int(status_line.split(" ")[1])
        except (IndexError, ValueError):
            raise CurlError(1, "Unsupported HTTP version in response") from None
        for line in [status_line] + header_lines:
            await self.v(f"< {line}\r\n")
        await self.v("< \r\n")
        resp_headers = [tuple(x.strip() for x in line.split(":", 1)) for line in header_lines if ":" in line]
        get = {k.lower(): v for k, v in resp_headers}
        if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
            data = b""
        elif get.get("transfer-encoding", "").lower() == "chunked":
            data = await self._chunked(fd, rest)
        elif "content-length" in get:
            n = int(get["content-length"])
            data = rest
            while len(data) < n:
                chunk = await self.proc.read(fd)
                if not chunk:
                    break
                data += chunk
            data = data[:n]
        else:
            data = rest + await self.proc.read_all(fd)
        if data:
            await self.v(f"{{ [{len(data)} bytes data]\n")
        self.proc.close(fd)
        if new_style:
            await self.v(f"* Connection #0 to host {host} left intact\n")
        else:
            await self.v(f"* Connection #0 to host {host} left intact\n")
        return status, head + b"\r\n\r\n", data, get

    async def _chunked(self, fd, buf: bytes) -> bytes:
        out = b""
        while True:
            while b"\r\n" not in buf:
                chunk = await self.proc.read(fd)
                if not chunk:
                    return out
                buf += chunk
            line, buf = buf.split(b"\r\n", 1)
            size = int(line.split(b";")[0] or b"0", 16)
            if size == 0:
                return out
            while len(buf) < size + 2:
                chunk = await self.proc.read(fd)
                if not chunk:
                    return out + buf
                buf += chunk
            out += buf[:size]
            buf = buf[size + 2:]


def _progress(total: int) -> str:
    speed = _size(total * 1000) if total else "0"
    pct = "100" if total else "  0"
    return ("  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n"
            "                                 Dload  Upload   Total   Spent    Left  Speed\n"
            f"\r{pct} {_size(total):>5}  {pct} {_size(total):>5}    0     0 {speed:>6}      0 "
            f"--:--:-- --:--:-- --:--:-- {speed:>5}\n")


def _size(n: int) -> str:
    if n < 100000:
        return str(n)
    for unit in ("k", "M", "G"):
        n //= 1024
        if n < 10000:
            return f"{n}{unit}"
    return f"{n}T"


async def main(proc, argv) -> int:
    version = _version(proc)
    try:
        opts = _parse(list(argv))
    except CurlError as err:
        await proc.write(2, f"curl: {err.text}\ncurl: try 'curl --help' or 'curl --manual' for more "
                            "information\n")
        return err.code
    if opts.get("version"):
        await proc.write(1, f"curl {version} (x86_64-pc-linux-gnu) libcurl/{version}\n"
                            "Protocols: dict file ftp ftps gopher gophers http https imap imaps mqtt pop3 "
                            "pop3s rtsp smb smbs smtp smtps telnet tftp ws wss\n")
        return 0
    if opts.get("help"):
        await proc.write(1, "Usage: curl [options...] <url>\n")
        return 0
    if not opts["urls"]:
        await proc.write(2, "curl: no URL specified!\ncurl: try 'curl --help' or 'curl --manual' for more "
                            "information\n")
        return 2
    silent = bool(opts.get("silent"))
    show_error = not opts.get("silent") or opts.get("show-error")
    body = text_bytes("&".join(opts["data"])) if opts["data"] else None
    method = opts.get("request") or ("HEAD" if opts.get("head") else ("POST" if body is not None else "GET"))
    client = Client(proc, opts, version)
    out_fd = 1
    code = 0
    for url in opts["urls"]:
        try:
            redirects = 0
            while True:
                status, head, data, headers = await client.fetch(url, method, body)
                if opts.get("location") and status in (301, 302, 303, 307, 308) and "location" in headers:
                    redirects += 1
                    if redirects > int(opts.get("max-redirs", 50)):
                        raise CurlError(47, f"Maximum ({opts.get('max-redirs', 50)}) redirects followed")
                    loc = headers["location"]
                    if loc.startswith("/"):
                        scheme, host, port, _ = _split_url(url)
                        loc = f"{scheme}://{host}" + (f":{port}" if port != 80 else "") + loc
                    url = loc
                    if status == 303 or (status in (301, 302) and method == "POST"):
                        method, body = "GET", None
                    continue
                break
            if opts.get("fail") and status >= 400:
                raise CurlError(22, f"The requested URL returned error: {status}")
            output = b""
            if opts.get("include") or opts.get("head"):
                output += head
            output += data
            if opts.get("output") or opts.get("remote-name"):
                name = opts.get("output") or posixpath.basename(_split_url(url)[3].split("?")[0]) or ""
                if not name:
                    raise CurlError(23, "Remote file name has no length")
                try:
                    fd = proc.open(name, O_WRONLY | O_CREAT | O_TRUNC)
                except SimError as err:
                    raise CurlError(23, f"Failed to open the file {name}: {err.strerror_text}") from None
                await proc.write(fd, output)
                proc.close(fd)
                if not silent and not proc.isatty(2):
                    await proc.write(2, _progress(len(data)))
            else:
                if not silent and not proc.isatty(1):
                    await proc.write(2, _progress(len(data)))
                await proc.write(out_fd, output)
            if opts.get("write-out"):
                await proc.write(1, _write_out(opts["write-out"], status, len(data), url))
        except CurlError as err:
            if opts.get("write-out") and err.code in (7, 6, 22):
                await proc.write(1, _write_out(opts["write-out"], 0 if err.code != 22 else status, 0, url))
            if show_error:
                await proc.write(2, f"curl: ({err.code}) {err.text}\n")
            code = err.code
    return code


def _write_out(fmt: str, status: int, size: int, url: str) -> str:
    values = {"http_code": f"{status:03d}", "response_code": f"{status:03d}", "size_download": str(size),
              "url_effective": url, "exitcode": "0"}
    text = re.sub(r"%\{([a-z_]+)\}", lambda m: values.get(m.group(1), ""), fmt)
    return text.replace("\\n", "\n").replace("\\t", "\t")
