"""``wget [-cqS] [-O FILE] [-o LOGFILE] [-P DIR] [-U AGENT] [-T SEC] URL...``:
busybox's HTTP client over the simulated network: an HTTP/1.1 GET with
``Host``, ``User-Agent: Wget`` and ``Connection: close``; the status line
decides (2xx saves, 3xx follows Location, anything else is ``server
returned error``); Content-Length or chunked bodies; the progress line as
busybox prints it when stderr is not a terminal.  https and ftp are
outside the simulated world."""

import posixpath

from ...abi import O_CREAT, O_EXCL, O_TRUNC, O_WRONLY, text_bytes
from ...errors import SimError
from . import netutil, util

util.USAGES["wget"] = ("wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n"
                       "\t[--post-data STR | --post-file FILE] [-Y on/off]\n"
                       "\t[-P DIR] [-U AGENT] [-T SEC] URL...")

_LONG = {"continue": "c", "quiet": "q", "server-response": "S", "output-document=": "O",
         "output-file=": "o", "directory-prefix=": "P", "proxy=": "Y", "user-agent=": "U",
         "timeout=": "T", "tries=": "t", "header=": "header", "post-data=": "post-data",
         "spider": "spider", "no-check-certificate": "ncc", "post-file=": "post-file",
         "no-cache": "ign", "no-verbose": "ign", "no-clobber": "ign", "passive-ftp": "ign"}


def parse_url(url: str):
    """(scheme, host[:port], host, port, path-without-leading-slash)."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        scheme, rest = "http", url
    scheme = scheme.lower()
    if scheme not in ("http", "https", "ftp"):
        raise util.Fatal(f"not an http or ftp url: {url}")
    hostpart, slash, path = rest.partition("/")
    if not slash:
        hostpart, q, query = hostpart.partition("?")
        path = "?" + query if q else ""
    if "@" in hostpart:
        hostpart = hostpart.rsplit("@", 1)[1]
    port = {"http": 80, "https": 443, "ftp": 21}[scheme]
    host = hostpart
    if hostpart.startswith("["):
        end = hostpart.find("]")
        host = hostpart[1:end]
        if hostpart[end + 1:end + 2] == ":":
            port = int(hostpart[end + 2:] or port)
    elif ":" in hostpart:
        host, _, p = hostpart.rpartition(":")
        port = int(p) if p.isdigit() else port
    return scheme, hostpart, host, port, path


def progress_line(name: str, transferred: int, total: int) -> str:
    """bb_progress_update's line when stderr is not a terminal (80 columns:
    a 32-star bar)."""
    text = f"{name[:20]:<20s} "
    if total:
        ratio = 100 * transferred // total
        stars = 32 * transferred // total
        text += f"{ratio:3d}% |{'*' * stars}{' ' * (32 - stars)}| "
    text += util.smart_ulltoa5(transferred, " kMGTPEZY")
    if not total or not transferred:
        text += " --:--:-- ETA"
    else:
        text += "  0:00:00 ETA"
    return text + "\n"


@util.run_applet
async def main(proc, argv, gnu):
    opts, urls = util.getopt(argv, "cqSO:o:P:Y:U:T:t:n::", longopts=_LONG)
    if not urls:
        raise util.Usage()
    quiet = bool(opts.get("q"))
    timeout = float(opts.get("T", 900))
    fname = opts.get("O")
    out_fd = 1 if fname == "-" else None
    for url in urls:
        code = await _download(proc, url, opts, quiet, timeout, fname, out_fd)
        if code:
            return code
    return 0


async def _download(proc, url, opts, quiet, timeout, fname, out_fd) -> int:
    scheme, hostport, host, port, path = parse_url(url)
    if scheme != "http":
        raise util.Fatal(f"can't connect to remote host: {scheme} is not available")
    if fname is None:
        fname = posixpath.basename(path.split("?")[0]) or "index.html"
        if opts.get("P"):
            fname = util.join_path(opts["P"], fname)
    redirects = 16
    while True:
        ip = netutil.resolve(proc, host)
        if not quiet:
            await proc.write(2, f"Connecting to {hostport} ({netutil.dotted(ip, port)})\n")
        fd = proc.socket(netutil.family_of(ip))
        try:
            await proc.connect(fd, (ip, port))
        except SimError as err:
            raise util.Fatal(f"can't connect to remote host ({ip}): {util.errtext(err)}") from None
        request = (f"GET /{path} HTTP/1.1\r\nHost: {hostport}\r\n"
                   f"User-Agent: {opts.get('U', 'Wget')}\r\nConnection: close\r\n\r\n")
        await proc.write(fd, text_bytes(request))
        reader = netutil.Reader(proc, fd, timeout)
        try:
            status_line = await _line(proc, reader, opts)
            parts = status_line.split()
            status = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
            while status in (0, 100):
                while await _line(proc, reader, opts):
                    pass
                status_line = await _line(proc, reader, opts)
                parts = status_line.split()
                status = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
            if not (200 <= status <= 204 or status in (300, 301, 302, 303, 307, 308)):
                raise util.Fatal(f"server returned error: {status_line}")
            length, chunked, location = None, False, None
            while True:
                line = await _line(proc, reader, opts)
                if not line:
                    break
                key, _, value = line.partition(":")
                key, value = key.strip().lower(), value.strip()
                if key == "content-length":
                    length = int(value)
                elif key == "transfer-encoding":
                    if value.lower() != "chunked":
                        raise util.Fatal(f"transfer encoding '{value}' is not supported")
                    chunked = True
                elif key == "location" and status >= 300:
                    location = value
            if location is not None:
                redirects -= 1
                if redirects == 0:
                    raise util.Fatal("too many redirections")
                proc.close(fd)
                if location.startswith("/"):
                    path = location[1:]
                else:
                    scheme, hostport, host, port, path = parse_url(location)
                continue
            if opts.get("spider"):
                if not quiet:
                    await proc.write(2, "remote file exists\n")
                proc.close(fd)
                return 0
            await _retrieve(proc, reader, fname, out_fd, length, chunked, quiet, opts)
        except TimeoutError:
            raise util.Fatal("download timed out") from None
        proc.close(fd)
        return 0


async def _line(proc, reader, opts) -> str:
    raw = await reader.readline()
    text = raw.decode("latin-1")
    # sanitize_string: cut at the first control character
    for i, ch in enumerate(text):
        if ord(ch) < 0x20:
            text = text[:i]
            break
    if opts.get("S"):
        await proc.write(2, f"  {text}\n")
    return text


async def _retrieve(proc, reader, fname, out_fd, length, chunked, quiet, opts) -> None:
    own = out_fd is None
    if own:
        flags = O_WRONLY | O_CREAT | O_TRUNC | (0 if opts.get("O") else O_EXCL)
        try:
            out_fd = proc.open(fname, flags, 0o666)
        except SimError as err:
            raise util.Fatal(f"can't open '{fname}': {util.errtext(err)}") from None
    if not quiet:
        await proc.write(2, "writing to stdout\n" if out_fd == 1 else f"saving to '{fname}'\n")
    transferred = 0
    got_len = length is not None
    remaining = length
    while True:
        if chunked:
            size_line = (await reader.readline()).decode("latin-1").strip()
            try:
                remaining = int(size_line.split(";")[0] or "x", 16)
            except ValueError:
                raise util.Fatal(f"bad chunk length '{size_line}'") from None
            if remaining == 0:
                break
        while remaining is None or remaining > 0:
            data = await reader.read(65536 if remaining is None else min(65536, remaining))
            if not data:
                break
            await proc.write(out_fd, data)
            transferred += len(data)
            if remaining is not None:
                remaining -= len(data)
        if not chunked:
            break
        await reader.readline()  # the CRLF after a chunk
        remaining = None
    if not quiet:
        name = posixpath.basename(fname) if out_fd != 1 or own else "-"
        total = transferred if (chunked or not got_len) else transferred + (remaining or 0)
        await proc.write(2, progress_line(name, transferred, total))
    if not chunked and got_len and remaining:
        raise util.Fatal("connection closed prematurely")
    if own:
        proc.close(out_fd)
    if not quiet:
        await proc.write(2, "written to stdout\n" if out_fd == 1 else f"'{fname}' saved\n")
