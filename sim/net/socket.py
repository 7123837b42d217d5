"""Sockets: stream (TCP-like) and datagram (UDP-like), as file descriptions.

A **stream connection** is two `ConnEnd`s, one per side.  Each end owns a
bounded receive buffer; sending copies into the *peer's* buffer as far as
it has room (the window), so a slow reader holds a fast writer back
(back-pressure).  Closing the write side (shutdown(SHUT_WR), or close) is a
FIN: the peer reads what is buffered, then end of file.  Closing with
unread data, or aborting, is a RST: the peer's next call fails with
ECONNRESET.  Everything happens inside one process, so a connect to a
listening socket completes at once: the new connection waits in the
listener's accept queue (its backlog) until accept(2) takes it.

A socket's life (`SockState`, changed only through `TRANSITIONS`)::

    UNBOUND --bind--> BOUND --listen--> LISTENING --close--> CLOSED
    UNBOUND/BOUND --connect--> CONNECTED --close--> CLOSED
    (accept makes a socket that starts CONNECTED)

A **datagram socket** binds a port and exchanges whole messages; a message
to a port nobody bound is dropped, as UDP does.

Every socket has a wait queue (`sim.io.waiter`): readiness is POLLIN when
a connection waits to be accepted or data (or end of file) waits to be
read, POLLOUT while the peer's window is open, POLLHUP once both directions
are closed, POLLERR after a reset.
"""

import collections
import enum

import attrs

from ..abi import (AF_INET, AF_INET6, SHUT_RD, SHUT_RDWR, SHUT_WR, SO_ERROR,  # noqa: F401
                   IPPROTO_IPV6, IPV6_V6ONLY, SO_REUSEADDR, Errno)
from ..errors import SimError
from ..io.waiter import POLLERR, POLLHUP, POLLIN, POLLOUT, POLLRDHUP, WaitQueue
from ..kernel.fdtable import desc_of
from ..kernel.traps import would_block
from ..proc.files import OpenDesc
from . import addr as A
from .stack import count_packet

#: Bytes a connection's receive buffer holds (net.core.rmem_default).
STREAM_BUFFER = 212992
#: Messages a datagram socket queues before it drops more.
DGRAM_QUEUE = 256
#: listen(2)'s backlog is capped at net.core.somaxconn.
SOMAXCONN = 4096


class SockState(enum.Enum):
    UNBOUND = "unbound"
    BOUND = "bound"
    LISTENING = "listening"
    CONNECTED = "connected"
    CLOSED = "closed"


#: (state, event) -> next state.
TRANSITIONS = {
    (SockState.UNBOUND, "bind"): SockState.BOUND,
    (SockState.UNBOUND, "listen"): SockState.LISTENING,  # an implicit bind first
    (SockState.BOUND, "listen"): SockState.LISTENING,
    (SockState.LISTENING, "listen"): SockState.LISTENING,  # a new backlog
    (SockState.UNBOUND, "connect"): SockState.CONNECTED,
    (SockState.BOUND, "connect"): SockState.CONNECTED,
    (SockState.CONNECTED, "connect"): SockState.CONNECTED,  # datagram: a new peer
    (SockState.UNBOUND, "close"): SockState.CLOSED,
    (SockState.BOUND, "close"): SockState.CLOSED,
    (SockState.LISTENING, "close"): SockState.CLOSED,
    (SockState.CONNECTED, "close"): SockState.CLOSED,
}


# -- connections -------------------------------------------------------------------

@attrs.define(eq=False)
class ConnEnd:
    """One side of a stream connection."""

    queue: WaitQueue = attrs.field(repr=False)
    local: tuple = ()
    remote: tuple = ()
    rx: bytearray = attrs.field(factory=bytearray, repr=False)
    capacity: int = STREAM_BUFFER
    peer: "ConnEnd | None" = attrs.field(default=None, repr=False)
    #: The peer closed its write side (a FIN arrived).
    rx_eof: bool = False
    #: We closed our write side.
    tx_shut: bool = False
    #: A RST arrived (or we aborted).
    reset: bool = False
    closed: bool = False
    #: The interfaces the bytes leave by and arrive through (counters).
    out_iface: object = attrs.field(default=None, repr=False)
    in_iface: object = attrs.field(default=None, repr=False)

    # -- sending -----------------------------------------------------------------
    def window(self) -> int:
        """Bytes the peer can take now."""
        peer = self.peer
        if peer is None or peer.closed:
            return 0
        return max(0, peer.capacity - len(peer.rx))

    def send(self, data: bytes, force: bool = False) -> "int | None":
        """Bytes queued at the peer; None when its window is shut.
        ``force`` ignores the window (the daemon's proxy never blocks).
        Raises EPIPE (we shut down, or the peer is gone) or ECONNRESET."""
        if self.reset:
            raise SimError(Errno.ECONNRESET)
        if self.tx_shut or self.peer is None:
            raise SimError(Errno.EPIPE)
        peer = self.peer
        if peer.closed:
            # Data to a closed socket is answered with a RST.
            self.reset = True
            self.queue.notify()
            return len(data)
        room = len(data) if force else self.window()
        if room <= 0:
            return None
        chunk = data[:room]
        peer.rx += chunk
        count_packet(self.out_iface, self.in_iface, len(chunk))
        peer.queue.notify()
        return len(chunk)

    # -- receiving ---------------------------------------------------------------
    def recv(self, n: int) -> "bytes | None":
        """Up to ``n`` bytes; b"" at end of file; None when nothing is
        there yet.  Raises ECONNRESET after a reset."""
        if self.rx:
            data = bytes(self.rx[:n])
            del self.rx[:n]
            if self.peer is not None:
                self.peer.queue.notify()  # its window opened
            return data
        if self.reset:
            raise SimError(Errno.ECONNRESET)
        if self.rx_eof or self.peer is None:
            return b""
        return None

    # -- closing -----------------------------------------------------------------
    def shutdown_write(self) -> None:
        """Send a FIN."""
        if self.tx_shut:
            return
        self.tx_shut = True
        if self.peer is not None:
            self.peer.rx_eof = True
            self.peer.queue.notify()
        self.queue.notify()

    def close(self) -> None:
        """close(2): a FIN, or a RST when data we never read is left."""
        if self.closed:
            return
        if self.rx and not self.reset:
            self.abort()
            return
        self.shutdown_write()
        self.closed = True
        self.queue.notify()

    def abort(self) -> None:
        """Reset the connection (RST)."""
        if self.closed:
            return
        self.closed = True
        self.tx_shut = True
        peer = self.peer
        if peer is not None and not peer.closed:
            peer.reset = True
            peer.rx_eof = True
            peer.queue.notify()
        self.rx.clear()
        self.queue.notify()

    def readiness(self) -> int:
        mask = 0
        if self.rx or self.rx_eof or self.reset:
            mask |= POLLIN
        if self.rx_eof:
            mask |= POLLRDHUP
        if self.reset:
            mask |= POLLERR | POLLHUP | POLLOUT
        elif self.tx_shut and self.rx_eof:
            mask |= POLLHUP
        elif not self.tx_shut and self.window() > 0:
            mask |= POLLOUT
        return mask


def connect_pair(client_queue: WaitQueue, server_queue: WaitQueue, route, src: tuple,
                 dest: tuple, listener_family6: bool) -> "tuple[ConnEnd, ConnEnd]":
    """The two ends of a new connection from ``src`` to ``dest``."""
    client = ConnEnd(client_queue, local=src, remote=dest, out_iface=route.out, in_iface=route.into)
    server = ConnEnd(server_queue, local=(A.as_seen_by(dest[0], listener_family6), dest[1]),
                     remote=(A.as_seen_by(src[0], listener_family6), src[1]),
                     out_iface=route.into, in_iface=route.out)
    client.peer, server.peer = server, client
    return client, server


# -- sockets ----------------------------------------------------------------------------

def _overlaps(a, b, a_v6only: bool = False, b_v6only: bool = False) -> bool:
    """Do two local addresses claim the same traffic?  ``::`` (dual stack)
    claims everything, 0.0.0.0 every IPv4 address; ``::`` with
    IPV6_V6ONLY only IPv6 addresses."""
    if a == A.ANY6 and a_v6only:
        return b == A.ANY6 or A.as_ipv4(b) is None
    if b == A.ANY6 and b_v6only:
        return a == A.ANY6 or A.as_ipv4(a) is None
    if a == A.ANY6 or b == A.ANY6:
        return True
    if a == A.ANY4 or b == A.ANY4:
        return A.as_ipv4(a) is not None and A.as_ipv4(b) is not None
    return a == b


def _accepts(local, dest, v6only: bool = False) -> bool:
    """Does a socket bound to ``local`` receive traffic sent to ``dest``?"""
    if local == A.ANY6:
        return not v6only or A.as_ipv4(dest) is None
    if local == A.ANY4:
        return A.as_ipv4(dest) is not None
    if local == dest:
        return True
    v4 = A.as_ipv4(local)
    return v4 is not None and v4 == A.as_ipv4(dest)


@attrs.define(eq=False)
class Socket(OpenDesc):
    """What socket(2) returns; `StreamSocket` and `DatagramSocket` are the
    two kinds.  ``ns`` is the network namespace it was made in."""

    ns: object = attrs.field(default=None, kw_only=True, repr=False)
    family: int = attrs.field(default=AF_INET, kw_only=True)
    state: SockState = attrs.field(default=SockState.UNBOUND, kw_only=True)
    local: "tuple | None" = attrs.field(default=None, kw_only=True)
    options: dict = attrs.field(factory=dict, kw_only=True)
    queue: WaitQueue = attrs.field(default=None, kw_only=True, repr=False)
    inode: int = attrs.field(default=0, kw_only=True)

    proto = "tcp"

    def __attrs_post_init__(self):
        if self.queue is None:
            self.queue = WaitQueue(wake=self.ns.stack.wake)
        self.inode = self.ns.stack.next_inode()
        self.ns.sockets.append(self)

    @property
    def family6(self) -> bool:
        return self.family == AF_INET6

    def _transition(self, event: str) -> None:
        nxt = TRANSITIONS.get((self.state, event))
        if nxt is None:
            raise SimError(Errno.EINVAL)
        self.state = nxt

    def waitable(self):
        return self.queue

    @property
    def path(self):
        return f"socket:[{self.inode}]"

    # -- addresses ---------------------------------------------------------------
    def bind(self, host, port) -> None:
        if self.local is not None:
            raise SimError(Errno.EINVAL)
        ip = A.parse_host(host, self.family6)
        if not self.family6 and not isinstance(ip, A.IPv4):
            raise SimError(Errno.EAFNOSUPPORT)
        if self.family6 and isinstance(ip, A.IPv4):
            raise SimError(Errno.EINVAL)
        if not A.is_any(ip) and not self.ns.owns(ip):
            raise SimError(Errno.EADDRNOTAVAIL)
        port = A.parse_port(port)
        if port == 0:
            port = self.ns.ephemeral_port(self.proto)
        for other in self.ns.bound.get((self.proto, port), []):
            if other is self or not _overlaps(ip, other.local[0], self.v6only, other.v6only):
                continue
            shared = self.options.get(SO_REUSEADDR) and other.options.get(SO_REUSEADDR) \
                and other.state is not SockState.LISTENING
            if not shared:
                raise SimError(Errno.EADDRINUSE)
        self.local = (ip, port)
        self.ns.bound.setdefault((self.proto, port), []).append(self)
        self._transition("bind")

    def _autobind(self, source) -> None:
        """connect/sendto from an unbound socket: the route's source address
        and an ephemeral port."""
        if self.local is None:
            port = self.ns.ephemeral_port(self.proto)
            self.local = (A.as_seen_by(source, self.family6) if self.family6 else source, port)
            self.ns.bound.setdefault((self.proto, port), []).append(self)

    def _unbind(self) -> None:
        if self.local is None:
            return
        holders = self.ns.bound.get((self.proto, self.local[1]), [])
        if self in holders:
            holders.remove(self)
            if not holders:
                del self.ns.bound[(self.proto, self.local[1])]

    def getsockname(self) -> tuple:
        if self.local is None:
            return (str(A.ANY6 if self.family6 else A.ANY4), 0)
        return (A.text(self.local[0]), self.local[1])

    @property
    def v6only(self) -> bool:
        """IPV6_V6ONLY: an IPv6 socket that takes no IPv4 traffic."""
        return bool(self.family6 and self.options.get((IPPROTO_IPV6, IPV6_V6ONLY)))

    def setsockopt(self, level: int, option: int, value) -> None:
        if level == IPPROTO_IPV6:
            if option == IPV6_V6ONLY and (not self.family6 or self.local is not None):
                raise SimError(Errno.EINVAL)
            self.options[(level, option)] = value
            return
        self.options[option] = value

    def getsockopt(self, level: int, option: int):
        if option == SO_ERROR:
            return 0
        if level == IPPROTO_IPV6:
            return self.options.get((level, option), 0)
        return self.options.get(option, 0)

    def release(self) -> None:
        self._unbind()
        if self in self.ns.sockets:
            self.ns.sockets.remove(self)
        if self.state is not SockState.CLOSED:
            self._transition("close")
        self.queue.notify()

    def address_gone(self, ip) -> None:
        """An interface holding ``ip`` left the namespace."""


@attrs.define(eq=False)
class StreamSocket(Socket):
    backlog: collections.deque = attrs.field(factory=collections.deque, kw_only=True, repr=False)
    backlog_max: int = attrs.field(default=0, kw_only=True)
    conn: "ConnEnd | None" = attrs.field(default=None, kw_only=True, repr=False)
    #: Sockets whose connect waits for room in our backlog.
    connectors: set = attrs.field(factory=set, kw_only=True, repr=False)

    proto = "tcp"

    # -- server side ----------------------------------------------------------------
    def listen(self, backlog: int) -> None:
        if self.state is SockState.CONNECTED:
            raise SimError(Errno.EINVAL)
        if self.local is None:
            self.bind("", 0)
        self._transition("listen")
        self.backlog_max = max(1, min(int(backlog), SOMAXCONN))
        self.queue.notify()

    def try_accept(self) -> "StreamSocket | None":
        if self.state is not SockState.LISTENING:
            raise SimError(Errno.EINVAL)
        if not self.backlog:
            return None
        sock = self.backlog.popleft()
        for waiting in list(self.connectors):
            waiting.queue.notify()
        return sock

    # -- client side ----------------------------------------------------------------
    def try_connect(self, host, port) -> "bool | None":
        """True once connected; None while the listener's backlog is full.
        Raises ECONNREFUSED, ENETUNREACH, EHOSTUNREACH, EISCONN."""
        if self.state is SockState.CONNECTED:
            raise SimError(Errno.EISCONN)
        if self.state is SockState.LISTENING:
            raise SimError(Errno.EINVAL)
        dest = A.parse_host(host or "127.0.0.1", self.family6)
        if A.is_any(dest):
            dest = A.LOOPBACK6 if self.family6 else A.LOOPBACK4
        port = A.parse_port(port)
        stack = self.ns.stack
        route = stack.route(self.ns, dest)
        if route.dropped:  # the SYN is dropped: connect(2) gives up (tcp_syn_retries)
            count_packet(route.out, None, 60)
            raise SimError(Errno.ETIMEDOUT)
        listener = find_listener(route.ns, dest, port)
        if listener is None:
            raise SimError(Errno.ECONNREFUSED)
        if len(listener.backlog) >= listener.backlog_max:
            listener.connectors.add(self)
            return None
        listener.connectors.discard(self)
        self._autobind(route.source)
        src = (self.local[0] if not A.is_any(self.local[0]) else route.source, self.local[1])
        server = StreamSocket(ns=route.ns, family=listener.family, state=SockState.CONNECTED)
        client_end, server_end = connect_pair(self.queue, server.queue, route, src,
                                              (A.as_seen_by(dest, self.family6)
                                               if self.family6 else dest, port),
                                              listener.family6)
        server.local = server_end.local
        server.conn = server_end
        self.conn = client_end
        self._transition("connect")
        listener.backlog.append(server)
        listener.queue.notify()
        return True

    # -- data ---------------------------------------------------------------------------
    def try_read(self, n):
        if self.conn is None:
            raise SimError(Errno.ENOTCONN if self.state is not SockState.LISTENING else Errno.EINVAL)
        return self.conn.recv(n)

    def try_write(self, data):
        if self.conn is None:
            raise SimError(Errno.ENOTCONN) if self.state is not SockState.CLOSED else \
                BrokenPipeError()
        try:
            return self.conn.send(data)
        except SimError as err:
            if err.errno == Errno.EPIPE:
                raise BrokenPipeError from None
            raise

    def shutdown(self, how: int) -> None:
        if self.conn is None:
            raise SimError(Errno.ENOTCONN)
        if how in (SHUT_WR, SHUT_RDWR):
            self.conn.shutdown_write()
        if how in (SHUT_RD, SHUT_RDWR):
            self.conn.rx_eof = True
            self.conn.rx.clear()
            self.queue.notify()

    def getpeername(self) -> tuple:
        if self.conn is None:
            raise SimError(Errno.ENOTCONN)
        return (A.text(self.conn.remote[0]), self.conn.remote[1])

    def readiness(self) -> int:
        if self.state is SockState.LISTENING:
            return POLLIN if self.backlog else 0
        if self.conn is None:
            return POLLOUT | POLLHUP if self.state is SockState.UNBOUND else 0
        return self.conn.readiness()

    def release(self) -> None:
        if self.conn is not None:
            self.conn.close()
        while self.backlog:
            self.backlog.popleft().abort()
        super().release()

    def abort(self) -> None:
        """Reset every connection this socket holds (its namespace went)."""
        if self.conn is not None:
            self.conn.abort()
        while self.backlog:
            self.backlog.popleft().abort()

    def address_gone(self, ip) -> None:
        if self.local is not None and A.as_ipv4(self.local[0]) == ip and self.conn is not None:
            self.conn.abort()

    # -- /proc/net/tcp ----------------------------------------------------------------
    def tcp_state(self) -> str:
        """The state's two hex digits in /proc/net/tcp (include/net/tcp_states.h)."""
        if self.state is SockState.LISTENING:
            return "0A"
        conn = self.conn
        if conn is None:
            return "07"
        if conn.reset:
            return "07"
        if conn.tx_shut and conn.rx_eof:
            return "06"  # TIME_WAIT
        if conn.tx_shut:
            return "05"  # FIN_WAIT2
        if conn.rx_eof:
            return "08"  # CLOSE_WAIT
        return "01"

    def remote(self) -> tuple:
        if self.conn is None:
            return (A.ANY6 if self.family6 else A.ANY4, 0)
        return self.conn.remote

    def queues(self) -> "tuple[int, int]":
        """(tx_queue, rx_queue) bytes for /proc/net/tcp: for a listener, the
        accept queue's length (rx)."""
        if self.state is SockState.LISTENING:
            return 0, len(self.backlog)
        if self.conn is None:
            return 0, 0
        return 0, len(self.conn.rx)


def find_listener(ns, dest, port: int) -> "StreamSocket | None":
    """The listening socket in ``ns`` that takes a connection to dest:port;
    a socket bound to the very address wins over a wildcard one."""
    wildcard = None
    for sock in ns.bound.get(("tcp", port), []):
        if sock.state is not SockState.LISTENING or not _accepts(sock.local[0], dest, sock.v6only):
            continue
        if not A.is_any(sock.local[0]):
            return sock
        wildcard = wildcard or sock
    return wildcard


@attrs.define(eq=False)
class DatagramSocket(Socket):
    messages: collections.deque = attrs.field(factory=collections.deque, kw_only=True, repr=False)
    peer: "tuple | None" = attrs.field(default=None, kw_only=True)

    proto = "udp"

    def connect(self, host, port) -> None:
        dest = A.parse_host(host, self.family6)
        route = self.ns.stack.route(self.ns, dest)
        self._autobind(route.source)
        self.peer = (dest, A.parse_port(port))
        if self.state is not SockState.CONNECTED:
            self._transition("connect")

    def sendto(self, data: bytes, host, port) -> int:
        dest = A.parse_host(host, self.family6)
        port = A.parse_port(port)
        route = self.ns.stack.route(self.ns, dest)
        self._autobind(route.source)
        if route.dropped:
            count_packet(route.out, None, len(data))
            return len(data)
        for sock in route.ns.bound.get(("udp", port), []):
            if isinstance(sock, DatagramSocket) and _accepts(sock.local[0], dest, sock.v6only):
                if len(sock.messages) < DGRAM_QUEUE:
                    source = A.as_seen_by(route.source, sock.family6)
                    sock.messages.append((bytes(data), (A.text(source), self.local[1])))
                    count_packet(route.out, route.into, len(data))
                    sock.queue.notify()
                break
        return len(data)

    def try_recvfrom(self, n: int) -> "tuple | None":
        if not self.messages:
            return None
        data, source = self.messages.popleft()
        return data[:n], source

    def try_read(self, n):
        got = self.try_recvfrom(n)
        return None if got is None else got[0]

    def try_write(self, data):
        if self.peer is None:
            raise SimError(Errno.EDESTADDRREQ)
        return self.sendto(data, self.peer[0], self.peer[1])

    def getpeername(self) -> tuple:
        if self.peer is None:
            raise SimError(Errno.ENOTCONN)
        return (A.text(self.peer[0]), self.peer[1])

    def shutdown(self, how: int) -> None:
        if self.peer is None:
            raise SimError(Errno.ENOTCONN)

    def readiness(self) -> int:
        return POLLOUT | (POLLIN if self.messages else 0)

    def abort(self) -> None:
        self.messages.clear()


# -- the trap -------------------------------------------------------------------------

@attrs.define(eq=False)
class SocketTrap:
    """A socket call that may have to wait (accept, connect, recvfrom):
    ``op(sock)`` does it or returns None when it would block; the task then
    sleeps in the socket's wait queue (or gets EAGAIN if non-blocking)."""

    fd: int
    op: object
    interruptible = True

    def check(self, kernel, task):
        desc = desc_of(task, self.fd)
        if not isinstance(desc, Socket):
            raise SimError(Errno.ENOTSOCK)
        result = self.op(desc)
        if result is None:
            return would_block(kernel, task, desc)
        return result
