"""``httpd [-ifv[v]] [-c CONFFILE] [-p [IP:]PORT] [-h HOME]``: busybox's
static web server.  It serves the files below HOME (default: the current
directory, as busybox's does), ``index.html`` for a directory URL, a 302
to ``/dir/`` for a directory without the slash and busybox's error pages;
the headers are busybox's (Date, Connection: close, Content-type by
suffix, Accept-Ranges, Last-Modified, ETag ``"mtime-size"`` in hex,
Content-Length).  Without ``-f`` it daemonizes (the parent exits); every
connection is served by a forked child, SIGCHLD ignored so they reap
themselves."""

import posixpath

from ...abi import AF_INET6, SO_REUSEADDR, SOL_SOCKET, Signal
from ...errors import SimError
from . import netutil, util

util.USAGES["httpd"] = "httpd [-ifvv] [-c CONFFILE] [-p [IP:]PORT] [-u USER[:GRP]] [-r REALM] [-h HOME]"

_RESPONSES = {200: ("OK", None), 206: ("Partial Content", None), 302: ("Found", None),
              304: ("Not Modified", None),
              408: ("Request Timeout", "No request appeared within 60 seconds"),
              501: ("Not Implemented", "The requested method is not recognized"),
              404: ("Not Found", "The requested URL was not found"),
              400: ("Bad Request", "Unsupported method"), 403: ("Forbidden", ""),
              500: ("Internal Server Error", "Internal Server Error")}

_MIME = [((".txt", ".h", ".c", ".cc", ".cpp"), "text/plain"), ((".htm", ".html"), "text/html"),
         ((".jpg", ".jpeg"), "image/jpeg"), ((".gif",), "image/gif"), ((".png",), "image/png"),
         ((".svg",), "image/svg+xml"), ((".css",), "text/css"),
         ((".js",), "application/javascript"), ((".wav",), "audio/wav"),
         ((".avi",), "video/x-msvideo"), ((".qt", ".mov"), "video/quicktime"),
         ((".mpe", ".mpeg"), "video/mpeg"), ((".mid", ".midi"), "audio/midi"),
         ((".mp3",), "audio/mpeg")]

#: Seconds a connection may stay silent before 408.
HEADER_READ_TIMEOUT = 60


def _unquote(text: str) -> str:
    """percent_decode_in_place: %XX becomes the byte (UTF-8 text)."""
    out = bytearray()
    i = 0
    raw = text.encode("utf-8", "surrogateescape")
    while i < len(raw):
        if raw[i:i + 1] == b"%" and i + 2 < len(raw) + 0 and \
                all(c in b"0123456789abcdefABCDEF" for c in raw[i + 1:i + 3]) and len(raw[i + 1:i + 3]) == 2:
            out.append(int(raw[i + 1:i + 3], 16))
            i += 3
        else:
            out.append(raw[i])
            i += 1
    return out.decode("utf-8", "surrogateescape")


def mime_type(path: str) -> "str | None":
    dot = path.rfind(".")
    if dot < 0:
        return None
    suffix = path[dot:]
    for suffixes, kind in _MIME:
        if suffix in suffixes:
            return kind
    return None


def http_date(t: float) -> str:
    return util.strftime("%a, %d %b %Y %H:%M:%S GMT", t)


def headers(proc, status: int, *, mime=None, size=None, mtime=None, location=None) -> bytes:
    name, info = _RESPONSES[status]
    out = f"HTTP/1.1 {status} {name}\r\nDate: {http_date(proc.time())}\r\nConnection: close\r\n"
    if status != 200 or mime:
        out += f"Content-type: {'text/html' if status != 200 else mime}\r\n"
    if location is not None:
        out += f"Location: {location}\r\n"
    if size is not None:
        out += (f"Accept-Ranges: bytes\r\nLast-Modified: {http_date(mtime)}\r\n"
                f"ETag: \"{int(mtime):x}-{size:x}\"\r\nContent-Length: {size}\r\n")
    out += "\r\n"
    if info is not None:
        out += (f"<HTML><HEAD><TITLE>{status} {name}</TITLE></HEAD>\n"
                f"<BODY><H1>{status} {name}</H1>\n{info}\n</BODY></HTML>\n")
    return out.encode("latin-1", "replace")


def _canonical(url: str) -> "str | None":
    """The URL path with //, /./ and /../ resolved (None: above the root)."""
    parts = []
    for piece in url.split("/")[1:]:
        if piece in ("", "."):
            continue
        if piece == "..":
            if not parts:
                return None
            parts.pop()
            continue
        parts.append(piece)
    path = "/" + "/".join(parts)
    if url.endswith("/") and path != "/":
        path += "/"
    return path


async def serve(proc, conn: int, peer, home: str, verbose: int) -> int:
    who = netutil.dotted(*peer)
    reader = netutil.Reader(proc, conn, HEADER_READ_TIMEOUT)

    async def send(status, **kw):
        if verbose:
            await proc.write(2, f"{who}: response:{status}\n")
        try:
            await proc.write(conn, headers(proc, status, **kw))
        except (SimError, BrokenPipeError):
            pass

    try:
        request = (await reader.readline()).decode("latin-1").strip()
    except TimeoutError:
        await send(408)
        return 0
    if not request:
        return 1
    method, _, rest = request.partition(" ")
    url = rest.split(" ")[0] if rest else ""
    if method not in ("GET", "HEAD", "POST") or not url.startswith("/"):
        await send(400 if method in ("GET", "HEAD", "POST") else 501)
        return 0
    try:
        while (await reader.readline()).strip():
            pass
    except TimeoutError:
        await send(408)
        return 0
    path = _unquote(url.split("?", 1)[0])
    if verbose > 1:
        await proc.write(2, f"{who}: url:{path}\n")
    canon = _canonical(path)
    if canon is None:
        await send(400)
        return 0
    target = canon + ("index.html" if canon.endswith("/") else "")
    fs_path = posixpath.join(home, target.lstrip("/")) if target != "/" else home
    try:
        st = proc.stat(fs_path)
    except SimError:
        await send(404)
        return 0
    from ...abi import S_ISDIR

    if S_ISDIR(st.mode):
        await send(302, location=canon + "/")
        return 0
    try:
        body = proc.read_file(fs_path)
    except SimError:
        await send(403)
        return 0
    await send(200, mime=mime_type(target), size=len(body), mtime=st.mtime)
    if method != "HEAD":
        try:
            await proc.write(conn, body)
        except (SimError, BrokenPipeError):
            pass
    return 0


@util.run_applet
async def main(proc, argv, gnu):
    opts, args = util.getopt(argv, "c:d:h:e:r:m:u:p:ifv")
    if args:
        raise util.Usage()
    if "d" in opts:
        await proc.write(1, _unquote(opts["d"]))
        return 0
    home = opts.get("h", proc.cwd)
    verbose = opts.get("v", 0)
    try:
        proc.chdir(home)
    except SimError as err:
        raise util.Fatal(f"can't change directory to '{home}': {util.errtext(err)}") from None
    home = proc.cwd
    if opts.get("i"):
        return await serve(proc, 0, ("0.0.0.0", 0), home, verbose)
    proc.signal(Signal.SIGCHLD, "ignore")
    bind = opts.get("p", "80")
    host, _, port = bind.rpartition(":")
    fd = proc.socket(netutil.family_of(host) if host else AF_INET6)
    proc.setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, 1)
    try:
        proc.bind(fd, (host.strip("[]"), util.parse_int(port)))
    except SimError as err:
        raise util.Fatal(f"bind: {util.errtext(err)}") from None
    proc.listen(fd, 9)
    if not opts.get("f"):
        async def daemon(dproc):
            return await _loop(dproc, fd, home, verbose)
        await proc.fork(daemon)
        proc.close(fd)
        return 0
    return await _loop(proc, fd, home, verbose)


async def _loop(proc, fd, home, verbose) -> int:
    while True:
        try:
            conn, peer = await proc.accept(fd)
        except SimError:
            continue

        async def child(cproc, conn=conn, peer=peer):
            cproc.close(fd)
            code = await serve(cproc, conn, peer, home, verbose)
            cproc.close(conn)
            return code

        await proc.fork(child)
        proc.close(conn)
