"""node's sockets: the handles JS's net.Server and net.Socket stand on
(libuv's uv_tcp_t, in miniature).

Every socket is non-blocking.  JS asks for things through
``__host('net', op, ...)`` (`NetIO.op`), which never waits: a write goes
to the handle's buffer, a connect is noted.  The loop then does the
waiting part between turns: `service` connects and flushes the buffers
as far as the sockets take them; `interest` tells ``proc.poll`` what to
wait for; `dispatch` accepts and reads what poll found ready.  What
happened goes back to JS as events, one turn each, through
``__node.netEvent(id, kind, payload)``.
"""

import json

import attrs

from ...abi import AF_INET, AF_INET6, SHUT_WR, SOCK_STREAM, Errno
from ...errors import SimError
from ...io.waiter import POLLERR, POLLHUP, POLLIN, POLLOUT

READ_SIZE = 65536


@attrs.define(eq=False)
class Handle:
    id: int
    fd: int
    kind: str                      # "server" | "stream"
    reading: bool = True
    refed: bool = True
    out: bytearray = attrs.field(factory=bytearray)
    ending: bool = False           # shut the write side once ``out`` is flushed
    shut: bool = False             # the write side is shut
    closing: bool = False          # close once ``out`` is flushed
    connect_to: "tuple | None" = None
    eof: bool = False
    draining: bool = False         # JS waits for 'drain'


def _family(host: str) -> str:
    return "IPv6" if ":" in host else "IPv4"


class NetIO:
    def __init__(self, node):
        self.node = node
        self.proc = node.proc
        self.handles: "dict[int, Handle]" = {}
        self._seq = 0

    # -- from JS (immediate) ---------------------------------------------------
    def op(self, name, *args):
        return getattr(self, f"op_{name}")(*args)

    def _new(self, fd: int, kind: str) -> Handle:
        self._seq += 1
        h = Handle(self._seq, fd, kind)
        self.handles[h.id] = h
        self.proc.set_nonblocking(fd, True)
        return h

    def _handle(self, hid) -> Handle:
        h = self.handles.get(int(hid))
        if h is None:
            raise SimError(Errno.EBADF)
        return h

    def op_listen(self, host, port, backlog):
        """bind + listen; no host: "::" (both stacks), else 0.0.0.0 when
        the namespace has no IPv6.  Returns [id, address, port, family]."""
        proc = self.proc
        candidates = [(AF_INET6, "::"), (AF_INET, "0.0.0.0")] if not host else \
            [(AF_INET6 if ":" in host else AF_INET, host)]
        for index, (family, addr) in enumerate(candidates):
            fd = proc.socket(family, SOCK_STREAM)
            try:
                proc.bind(fd, (addr, int(port)))
                proc.listen(fd, int(backlog))
            except SimError as err:
                proc.close(fd)
                if index + 1 < len(candidates) and err.errno_value in (Errno.EAFNOSUPPORT, Errno.EADDRNOTAVAIL):
                    continue
                raise
            h = self._new(fd, "server")
            local = proc.getsockname(fd)
            return [h.id, local[0], local[1], _family(local[0])]
        raise SimError(Errno.EAFNOSUPPORT)

    def op_connect(self, host, port):
        family = AF_INET6 if ":" in host else AF_INET
        fd = self.proc.socket(family, SOCK_STREAM)
        h = self._new(fd, "stream")
        h.connect_to = (host, int(port))
        return h.id

    def op_stdin(self):
        """process.stdin starts reading: fd 0 becomes a handle."""
        self.proc.fd_path(0)
        if 0 not in self.proc.fds():
            raise SimError(Errno.EBADF)
        return self._new(0, "stream").id

    def op_lookup(self, name):
        return self.proc.getaddrinfo(name)

    def op_write(self, hid, data):
        h = self._handle(hid)
        if h.shut or h.ending:
            raise SimError(Errno.EPIPE)
        h.out += data.encode("latin1")
        if len(h.out) >= 16384:
            h.draining = True
            return False
        return True

    def op_end(self, hid):
        h = self.handles.get(int(hid))
        if h is not None:
            h.ending = True

    def op_close(self, hid):
        """Close after the buffered data is out (net.Socket.end + destroy
        on finish, server.close)."""
        h = self.handles.get(int(hid))
        if h is not None:
            h.closing = True
            if h.kind == "server" or not h.out:
                self._close(h)

    def op_destroy(self, hid):
        h = self.handles.get(int(hid))
        if h is not None:
            self._close(h)

    def op_ref(self, hid, flag):
        h = self.handles.get(int(hid))
        if h is not None:
            h.refed = bool(flag)

    def op_reading(self, hid, flag):
        h = self.handles.get(int(hid))
        if h is not None:
            h.reading = bool(flag)

    def op_buffered(self, hid):
        h = self.handles.get(int(hid))
        return len(h.out) if h is not None else 0

    def _close(self, h: Handle) -> None:
        self.handles.pop(h.id, None)
        try:
            self.proc.close(h.fd)
        except SimError:
            pass

    # -- the loop (between turns) ----------------------------------------------
    def interest(self) -> tuple:
        """([(fd, events)], keeps the loop alive, work to do at once)."""
        fds, alive, urgent = [], False, False
        for h in self.handles.values():
            if h.refed:
                alive = True
            if h.connect_to is not None:
                urgent = True
                continue
            events = 0
            if h.kind == "server" or (h.reading and not h.eof):
                events |= POLLIN
            if h.out:
                events |= POLLOUT
            if events:
                fds.append((h.fd, events))
        return fds, alive, urgent

    async def emit(self, hid: int, kind: str, payload="") -> None:
        if self.node.exit_code is None:
            await self.node.turn("netEvent", hid, kind, payload)

    async def service(self) -> None:
        """Connect what JS asked to connect; flush what can be flushed."""
        for h in list(self.handles.values()):
            if self.node.exit_code is not None:
                return
            if h.connect_to is not None:
                target, h.connect_to = h.connect_to, None
                try:
                    await self.proc.connect(h.fd, target)
                except SimError as err:
                    self._close(h)
                    await self.emit(h.id, "error", self._error(err, "connect", target))
                    continue
                local = self.proc.getsockname(h.fd)
                await self.emit(h.id, "connect", json.dumps({"localAddress": local[0], "localPort": local[1]}))
            if h.out:
                await self._flush(h)
            elif h.ending and not h.shut and h.id in self.handles:
                self._shut(h)

    async def _flush(self, h: Handle) -> None:
        while h.out and h.id in self.handles:
            try:
                n = await self.proc.write(h.fd, bytes(h.out))
            except SimError as err:
                if err.errno_value == Errno.EAGAIN:
                    return
                self._close(h)
                await self.emit(h.id, "error", self._error(err, "write"))
                return
            del h.out[:n]
        if h.id not in self.handles:
            return
        if h.draining:
            h.draining = False
            await self.emit(h.id, "drain")
        if h.closing:
            self._close(h)
        elif h.ending and not h.shut:
            self._shut(h)

    def _shut(self, h: Handle) -> None:
        h.shut = True
        try:
            self.proc.shutdown(h.fd, SHUT_WR)
        except SimError:
            pass

    async def dispatch(self, ready) -> None:
        by_fd = {h.fd: h for h in self.handles.values()}
        for fd, revents in ready:
            h = by_fd.get(fd)
            if h is None or h.id not in self.handles or self.node.exit_code is not None:
                continue
            if h.kind == "server":
                await self._accept(h)
                continue
            if revents & POLLOUT and h.out:
                await self._flush(h)
            if h.id in self.handles and revents & (POLLIN | POLLHUP | POLLERR) and h.reading and not h.eof:
                await self._read(h)

    async def _accept(self, server: Handle) -> None:
        proc = self.proc
        while server.id in self.handles and self.node.exit_code is None:
            try:
                fd, peer = await proc.accept(server.fd)
            except SimError as err:
                if err.errno_value in (Errno.EAGAIN, Errno.ECONNABORTED):
                    return
                raise
            h = self._new(fd, "stream")
            local = proc.getsockname(fd)
            await self.emit(server.id, "connection", json.dumps({
                "id": h.id, "remoteAddress": peer[0], "remotePort": peer[1],
                "remoteFamily": _family(peer[0]), "localAddress": local[0], "localPort": local[1]}))

    async def _read(self, h: Handle) -> None:
        try:
            data = await self.proc.read(h.fd, READ_SIZE)
        except SimError as err:
            if err.errno_value == Errno.EAGAIN:
                return
            self._close(h)
            await self.emit(h.id, "error", self._error(err, "read"))
            return
        if data:
            await self.emit(h.id, "data", data.decode("latin1"))
        else:
            h.eof = True
            await self.emit(h.id, "end")

    def _error(self, err: SimError, syscall: str, target=None) -> str:
        from .runtime import UV_MESSAGES

        e = err.errno_value
        info = {"code": e.name, "errno": -int(e), "syscall": syscall,
                "message": UV_MESSAGES.get(e.name, e.strerror.lower())}
        if target is not None:
            info["address"], info["port"] = target
        return json.dumps(info)
