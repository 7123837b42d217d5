"""``nc [OPTIONS] HOST PORT`` / ``nc [OPTIONS] -l -p PORT``: busybox's
netcat (the nc 1.10 compatible one, NC_110_COMPAT): connect (or accept
one connection), then copy stdin to the socket and the socket to stdout
until both ends are done; stdin's end shuts the socket's write side.
``-z`` only connects, ``-w SEC`` gives up on a silent network, ``-v``
reports, ``-u`` is UDP, ``-k`` keeps listening."""

from ...abi import AF_INET6, SHUT_WR, SO_REUSEADDR, SOCK_DGRAM, SOCK_STREAM, SOL_SOCKET
from ...errors import SimError
from ...io.waiter import POLLERR, POLLHUP, POLLIN
from . import netutil, util

util.USAGES["nc"] = ("nc [OPTIONS] HOST PORT  - connect\n"
                     "nc [OPTIONS] -l -p PORT [HOST] [PORT]  - listen")


async def _shovel(proc, netfd: int, wait: int, udp_peer=None) -> int:
    fds = {0: True, netfd: True}
    retries = 2
    while fds[netfd] or fds[0]:
        watch = [(fd, POLLIN) for fd, on in fds.items() if on]
        ready = await proc.poll(watch, wait if wait else None)
        if not ready:  # -w seconds of silence, twice: the net is dead
            retries -= 1
            if not retries:
                return 0
            continue
        revents = dict(ready)
        if fds[netfd] and revents.get(netfd, 0) & (POLLIN | POLLHUP | POLLERR):
            try:
                data = await proc.read(netfd, 8192)
            except SimError:
                data = b""
            if not data:
                fds[netfd] = False
                if not fds[0]:
                    break
            else:
                await proc.write(1, data)
        if fds[0] and revents.get(0, 0) & (POLLIN | POLLHUP | POLLERR):
            data = await proc.read(0, 8192)
            if not data:
                fds[0] = False
                try:
                    proc.shutdown(netfd, SHUT_WR)
                except SimError:
                    pass
            else:
                try:
                    if udp_peer is not None:
                        await proc.sendto(netfd, data, udp_peer)
                    else:
                        await proc.write(netfd, data)
                except (SimError, BrokenPipeError):
                    fds[netfd] = False
                    fds[0] = False
    proc.close(netfd)
    return 0


@util.run_applet
async def main(proc, argv, gnu):
    opts, args = util.getopt(argv, "np:s:ubvw:lki:o:ze:")
    verbose = opts.get("v", 0)
    listen = opts.get("l", 0)
    udp = bool(opts.get("u"))
    wait = util.parse_int(opts["w"]) if "w" in opts else 0
    lport = util.parse_int(opts["p"]) if "p" in opts else 0
    kind = SOCK_DGRAM if udp else SOCK_STREAM
    target = None
    if args:
        if len(args) > 2:
            raise util.Usage()
        ip = netutil.resolve(proc, args[0])
        port = util.parse_int(args[1]) if len(args) > 1 else 0
        target = (ip, port)
    if not listen and (target is None or len(args) < 2):
        raise util.Usage()
    family = netutil.family_of(target[0]) if target else AF_INET6
    if "s" in opts:
        family = netutil.family_of(opts["s"])
    fd = proc.socket(family, kind)
    proc.setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, 1)
    if listen or lport or "s" in opts:
        try:
            proc.bind(fd, (opts.get("s", ""), lport))
        except SimError as err:
            raise util.Fatal(f"bind: {util.errtext(err)}") from None
    if listen:
        if not udp:
            proc.listen(fd, 1)
        if verbose:
            host, port = proc.getsockname(fd)
            await proc.write(2, f"listening on {netutil.dotted(host, port)} ...\n")
        while True:
            if udp:
                # dolisten: the first datagram names the peer (recvfrom with
                # MSG_PEEK), the socket is connected to it, then the copy.
                data, peer = await proc.recvfrom(fd, 65536)
                await proc.connect(fd, peer)
                if verbose:
                    remote = netutil.dotted(*peer)
                    await proc.write(2, f"connect to {netutil.dotted(*proc.getsockname(fd))} "
                                        f"from {remote} ({remote})\n")
                await proc.write(1, data)
                return await _shovel(proc, fd, wait)
            conn, peer = await proc.accept(fd)
            if verbose:
                local = proc.getsockname(conn)
                remote = netutil.dotted(*peer)
                await proc.write(2, f"connect to {netutil.dotted(*local)} from {remote} "
                                    f"({remote})\n")
            if listen > 1 or opts.get("k"):
                async def child(cproc, conn=conn):
                    cproc.close(fd)
                    return await _shovel(cproc, conn, wait)
                await proc.fork(child)
                proc.close(conn)
                continue
            proc.close(fd)
            return await _shovel(proc, conn, wait)
    themdotted = netutil.dotted(*target)
    try:
        await proc.connect(fd, target)
    except SimError as err:
        if verbose > 1 or (verbose and util.errtext(err) != "Connection refused"):
            await proc.write(2, f"nc: {args[0]} ({themdotted}): {util.errtext(err)}\n")
        return 1
    if verbose:
        await proc.write(2, f"{args[0]} ({themdotted}) open\n")
    if opts.get("z"):
        proc.close(fd)
        return 0
    return await _shovel(proc, fd, wait, target if udp else None)
