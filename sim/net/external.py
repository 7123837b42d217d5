"""Connections the daemon holds: a published port's proxy end.

docker-proxy listens on the host's real port and, for each connection it
accepts, opens a TCP connection to the container's address from the host
(its source address is the bridge's gateway) and copies bytes both ways.
`ExternalConn` is the simulated half of that copy: the daemon feeds what the
real client sent (`send`, never blocking: the daemon buffers), takes what
the container wrote (`recv`), and learns of every change through
`listeners` (plain callbacks, called inside the kernel's run).
"""

import attrs

from ..abi import Errno
from ..errors import SimError
from ..io.waiter import WaitQueue
from . import addr as A
from .socket import DatagramSocket, SockState, StreamSocket, connect_pair, find_listener


@attrs.define(eq=False)
class ExternalConn:
    """The daemon's end of a connection into the simulation."""

    _end: object = attrs.field(repr=False)  # ConnEnd

    @property
    def listeners(self) -> list:
        return self._end.queue.listeners

    @property
    def local(self) -> tuple:
        return (A.text(self._end.local[0]), self._end.local[1])

    @property
    def remote(self) -> tuple:
        return (A.text(self._end.remote[0]), self._end.remote[1])

    def send(self, data: bytes) -> None:
        """Queue ``data`` for the container (beyond its window if need be:
        the caller watches `window` to stop reading its real socket).
        Raises SimError(EPIPE/ECONNRESET) once the connection is gone."""
        if data:
            self._end.send(bytes(data), force=True)

    def window(self) -> int:
        """Bytes the container side can still take before its buffer is full."""
        return self._end.window()

    def recv(self) -> bytes:
        """Everything the container sent so far (b"" if nothing: see `eof`)."""
        try:
            data = self._end.recv(1 << 30)
        except SimError:
            return b""
        return data or b""

    @property
    def eof(self) -> bool:
        """The container closed its side and everything was read."""
        return not self._end.rx and (self._end.rx_eof or self._end.reset)

    @property
    def reset(self) -> bool:
        return self._end.reset

    def shutdown_write(self) -> None:
        """The real client closed its side: a FIN into the simulation."""
        self._end.shutdown_write()

    def close(self) -> None:
        self._end.close()

    def abort(self) -> None:
        self._end.abort()


def connect_external(stack, ip: str, port: int) -> ExternalConn:
    """A connection from the host to ``ip:port`` in the simulation (what
    docker-proxy dials).  Raises SimError: ECONNREFUSED when nothing
    listens there, ENETUNREACH/EHOSTUNREACH when nothing holds the address."""
    dest = A.parse_host(ip)
    route = stack.route(stack.host, dest)
    listener = find_listener(route.ns, dest, int(port))
    if listener is None:
        raise SimError(Errno.ECONNREFUSED)
    source = (route.source, stack.host.ephemeral_port("tcp"))
    server = StreamSocket(ns=route.ns, family=listener.family, state=SockState.CONNECTED)
    end, server_end = connect_pair(WaitQueue(wake=stack.wake), server.queue, route, source,
                                   (dest, int(port)), listener.family6)
    server.local = server_end.local
    server.conn = server_end
    listener.backlog.append(server)
    listener.queue.notify()
    return ExternalConn(end)


@attrs.define(eq=False)
class ExternalDatagram:
    """The daemon's UDP flow to one container port (docker-proxy keeps one
    per client address): a datagram socket in the host's namespace, on an
    ephemeral port, whose messages go to the container's address from the
    bridge's gateway, and which receives the container's replies."""

    _sock: object = attrs.field(repr=False)  # DatagramSocket
    _dest: tuple = ()

    @property
    def listeners(self) -> list:
        return self._sock.queue.listeners

    @property
    def local(self) -> tuple:
        return self._sock.getsockname()

    def send(self, data: bytes) -> None:
        """One datagram to the container (dropped there if nothing is
        bound, as UDP does).  Raises SimError(ENETUNREACH/EHOSTUNREACH)
        when the address is gone."""
        self._sock.sendto(bytes(data), self._dest[0], self._dest[1])

    def recv(self) -> "list[bytes]":
        """The datagrams the container sent back so far."""
        out = []
        while True:
            got = self._sock.try_recvfrom(1 << 16)
            if got is None:
                return out
            out.append(got[0])

    def close(self) -> None:
        self._sock.release()


def open_datagram(stack, ip: str, port: int) -> ExternalDatagram:
    """A UDP flow from the host to ``ip:port`` in the simulation."""
    sock = DatagramSocket(ns=stack.host)
    sock.bind("", 0)
    return ExternalDatagram(sock, (A.parse_host(ip), int(port)))
