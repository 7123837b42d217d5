"""Published ports: ``-p``, ``-P`` and the listeners behind them.

What moby does, in three parts:

- validation (daemon/container.go ``validatePortBindings``): every key of
  HostConfig.PortBindings and every HostPort parse as go-connections'
  ``nat`` parses them, else ``invalid port specification: "x"``;
- the requests (daemon/network.go ``buildPortsRelatedCreateEndpointOptions``):
  one per binding of an *exposed* port (a binding of a port that is not
  exposed is ignored), and with ``PublishAllPorts`` one with no host port
  for each exposed port without a binding;
- the bindings (libnetwork/drivers/bridge/port_mapping_linux.go): a binding
  without a host address is made on 0.0.0.0 and on ``::`` with the same
  host port (docker-proxy maps IPv6 to an IPv4-only container); an exact
  host port is requested from the port allocator (``Bind for 0.0.0.0:8080
  failed: port is already allocated`` when a container holds it), a range
  or none gives the next free port of the range (the ephemeral range
  32768-60999 when none), up to 10 attempts; then the socket is bound
  (``failed to bind host port for 0.0.0.0:8080:172.17.0.2:80/tcp: address
  already in use`` when another process holds it).

`PortProxy` holds the real sockets: for each accepted connection it asks
the simulated machine for a connection to the container's address and
port (``connect``, injected: the stack's ``connect_external``) and pipes
bytes both ways, as docker-proxy does.  For UDP it keeps one flow into the
simulation per client address (``open_udp``: the stack's
``open_datagram``), sends the container's replies back to that client, and
forgets a flow idle for `UDP_FLOW_TIMEOUT` (docker-proxy's
UDPConnTrackTimeout).
"""

from __future__ import annotations

import asyncio
import errno
import ipaddress
import logging
import socket

import attrs

from ..errors import InvalidParameter

log = logging.getLogger("dockersim.ports")

#: Linux's default ip_local_port_range, the port allocator's range.
EPHEMERAL_FIRST, EPHEMERAL_LAST = 32768, 60999
#: libnetwork's maxAllocatePortAttempts.
MAX_ATTEMPTS = 10
PROTOS = ("tcp", "udp", "sctp")
#: What the proxy carries (SCTP has no counterpart in the simulated stack).
PROXIED = ("tcp", "udp")
#: docker-proxy forgets a UDP client after this long without traffic.
UDP_FLOW_TIMEOUT = 90.0
_PROTO_ORDER = {"tcp": 0, "udp": 1, "sctp": 2}


# -- nat -------------------------------------------------------------------------

def split_proto_port(raw: str) -> "tuple[str, str]":
    """nat.SplitProtoPort: ("tcp", "80") for "80" and "80/"."""
    parts = raw.split("/")
    if not raw or not parts[0]:
        return "", ""
    if len(parts) == 1:
        return "tcp", raw
    if not parts[1]:
        return "tcp", parts[0]
    return parts[1], parts[0]


def _uint16(text: str) -> int:
    if not text or not text.isdigit() or int(text) > 65535:
        raise ValueError(text)
    return int(text)


def parse_port_range(text: str) -> "tuple[int, int]":
    """nat.ParsePortRangeToInt: "" is (0, 0); "8000-8010"; raises ValueError."""
    if not text:
        return 0, 0
    if "-" not in text:
        port = _uint16(text)
        return port, port
    parts = text.split("-")
    start, end = _uint16(parts[0]), _uint16(parts[1])
    if end < start:
        raise ValueError(f"invalid range specified for port: {text}")
    return start, end


def validate_port_bindings(bindings: "dict | None") -> None:
    """moby's ``validatePortBindings``."""
    for key, values in (bindings or {}).items():
        _, port = split_proto_port(key)
        if port:
            try:
                _uint16(port)
            except ValueError:
                raise InvalidParameter(f'invalid port specification: "{port}"') from None
        for binding in values or ():
            host_port = (binding or {}).get("HostPort") or ""
            try:
                parse_port_range(split_proto_port(host_port)[1])
            except ValueError:
                raise InvalidParameter(f'invalid port specification: "{host_port}"') from None


def _port_key(key: str) -> "tuple[int, str]":
    proto, port = split_proto_port(key)
    try:
        return int(port.split("-")[0]), proto
    except ValueError:
        return 0, proto


@attrs.frozen
class Request:
    """One binding asked for: container port and protocol, host address
    ("" for the default) and host port range ((0, 0) for any)."""

    port: int
    proto: str
    host_ip: str = ""
    host_port: int = 0
    host_port_end: int = 0


def requests(config: dict, host_config: dict) -> "list[Request]":
    """moby's ``buildPortsRelatedCreateEndpointOptions``: the bindings of
    the exposed ports, in libnetwork's order (exact host ports first, then
    by container port, protocol, host port, host address)."""
    bindings = host_config.get("PortBindings") or {}
    out = []
    for key in sorted(config.get("ExposedPorts") or {}, key=_port_key):
        port, proto = _port_key(key)
        given = bindings.get(key) or ()
        for binding in given:
            binding = binding or {}
            start, end = parse_port_range(split_proto_port(binding.get("HostPort") or "")[1])
            out.append(Request(port, proto, binding.get("HostIp") or "", start, end))
        if host_config.get("PublishAllPorts") and not given:
            out.append(Request(port, proto))

    def order(r: Request):
        ranged = r.host_port == 0 or r.host_port != (r.host_port_end or r.host_port)
        try:
            ip = ipaddress.ip_address(r.host_ip) if r.host_ip else None
        except ValueError:
            ip = None
        ipkey = (0, 0) if ip is None else (ip.version, int(ip))
        return (ranged, r.port, _PROTO_ORDER.get(r.proto, 9), r.host_port,
                r.host_port_end or r.host_port, ipkey)

    return sorted(out, key=order)


# -- the bindings ------------------------------------------------------------------

def _ipv6_listenable() -> bool:
    """netutils.IsV6Listenable: can the host bind [::1]?"""
    if not socket.has_ipv6:
        return False
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as probe:
            probe.bind(("::1", 0))
        return True
    except OSError:
        return False


def _addr_text(host_ip: str, port: int) -> str:
    return f"[{host_ip}]:{port}" if ":" in host_ip else f"{host_ip}:{port}"


@attrs.define(eq=False)
class Binding:
    """A published port: the real listening socket and its accept loop."""

    proto: str
    host_ip: str
    host_port: int
    container_ip: str
    container_port: int
    sock: "socket.socket | None" = attrs.field(default=None, repr=False)
    task: "asyncio.Task | None" = attrs.field(default=None, repr=False)
    #: For UDP: the relay owning the socket once it serves.
    relay: object = attrs.field(default=None, repr=False)

    def describe(self) -> str:
        """libnetwork's ``PortBinding.String``: 0.0.0.0:8080:172.17.0.2:80/tcp."""
        ip = f"[{self.container_ip}]" if ":" in self.container_ip else self.container_ip
        return f"{_addr_text(self.host_ip, self.host_port)}:{ip}:{self.container_port}/{self.proto}"


class PortError(Exception):
    """Binding failed; ``str`` is libnetwork's text (the caller adds the
    endpoint's words)."""


class UnsupportedProtocol(PortError):
    """An SCTP port to publish: the simulated stack has no SCTP, so this is
    refused rather than faked."""


def check_protocols(host_config: dict) -> None:
    """Refuse at create what the proxy cannot carry (``-p 9:9/sctp``)."""
    for key, values in (host_config.get("PortBindings") or {}).items():
        proto = split_proto_port(key)[0]
        if values and proto not in PROXIED + ("",):
            raise InvalidParameter(f"publishing {proto} ports is not supported by dockersim yet")


class PortProxy:
    """The host ports containers publish.

    ``connect(ip, port)`` opens a connection into the simulated machine
    (the stack's ``connect_external``); ``poke()`` lets the kernel run
    after data went in.  ``allocated`` is the port allocator's table:
    (host address, proto, port) held by a container."""

    def __init__(self, connect=None, poke=None, open_udp=None):
        self.connect = connect
        self.open_udp = open_udp
        self.poke = poke or (lambda: None)
        self.allocated: "set[tuple[str, str, int]]" = set()
        self.by_container: "dict[str, list[Binding]]" = {}
        self._last: "dict[tuple[str, str], int]" = {}
        self._conns: "set[asyncio.Task]" = set()
        self.ipv6 = _ipv6_listenable()

    # -- allocation ----------------------------------------------------------
    def _request_port(self, addrs, proto: str, start: int, end: int) -> int:
        """portallocator.RequestPortsInRange."""
        if start and start == end:
            for ip in addrs:
                if (ip, proto, start) in self.allocated:
                    raise PortError(f"Bind for {_addr_text(ip, start)} failed: port is already allocated")
            for ip in addrs:
                self.allocated.add((ip, proto, start))
            return start
        if not start and not end:
            start, end = EPHEMERAL_FIRST, EPHEMERAL_LAST
        key = (addrs[0], proto)
        port = self._last.get(key, start - 1)
        for _ in range(end - start + 1):
            port += 1
            if port > end or port < start:
                port = start
            if not any((ip, proto, port) in self.allocated for ip in addrs):
                for ip in addrs:
                    self.allocated.add((ip, proto, port))
                    self._last[(ip, proto)] = port
                return port
        raise PortError("all ports are allocated")

    def _release_port(self, addrs, proto: str, port: int) -> None:
        for ip in addrs:
            self.allocated.discard((ip, proto, port))

    @staticmethod
    def _bind(binding: Binding, exact: bool) -> socket.socket:
        family = socket.AF_INET6 if ":" in binding.host_ip else socket.AF_INET
        kind = socket.SOCK_STREAM if binding.proto == "tcp" else socket.SOCK_DGRAM
        sock = socket.socket(family, kind)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            sock.bind((binding.host_ip, binding.host_port))
            # Listening at once (moby listens after programming the rules):
            # a port another socket holds fails here, and is retried.
            if kind == socket.SOCK_STREAM:
                sock.listen(socket.SOMAXCONN)
        except OSError as exc:
            sock.close()
            reason = errno.errorcode.get(exc.errno or 0, "")
            text = {"EADDRINUSE": "address already in use",
                    "EACCES": "permission denied",
                    "EADDRNOTAVAIL": "cannot assign requested address"}.get(reason, exc.strerror or str(exc))
            if exact:
                raise PortError(f"failed to bind host port for {binding.describe()}: {text}") from None
            raise PortError(f"failed to bind host port {binding.host_port} for "
                            f"{binding.describe()}: {text}") from None
        return sock

    def _attempt(self, group, container_ip: str) -> "list[Binding]":
        """attemptBindHostPorts: one host port for every address of the group."""
        first = group[0]
        addrs = [r_ip for r_ip, _ in group]
        req = first[1]
        start, end = req.host_port, req.host_port_end or req.host_port
        port = self._request_port(addrs, req.proto, start, end)
        made = []
        try:
            for host_ip, r in group:
                binding = Binding(r.proto, host_ip, port, container_ip, r.port)
                binding.sock = self._bind(binding, exact=bool(start) and start == end)
                made.append(binding)
        except BaseException:
            for b in made:
                b.sock.close()
            self._release_port(addrs, req.proto, port)
            raise
        return made

    def _bind_group(self, group, container_ip: str) -> "list[Binding]":
        req = group[0][1]
        error = None
        for _ in range(MAX_ATTEMPTS):
            try:
                return self._attempt(group, container_ip)
            except PortError as err:
                error = err
                if req.host_port and req.host_port == (req.host_port_end or req.host_port):
                    break
        raise error

    def publish(self, cid: str, reqs: "list[Request]", container_ip: str,
                default_host_ip: str = "") -> dict:
        """Bind every request for container ``cid`` and start accepting.
        A request without a host address binds ``default_host_ip`` (the
        network's host_binding_ipv4: one address), or 0.0.0.0 and ``::``
        when that is "" (moby's configurePortBindingIPv4/IPv6).
        Returns the PortMap part of the bindings ("80/tcp" -> [{HostIp,
        HostPort}], in binding order).  Raises PortError (nothing is left
        bound then)."""
        bindings: "list[Binding]" = []
        try:
            i = 0
            while i < len(reqs):
                group = []
                while True:
                    r = reqs[i]
                    if r.proto not in PROXIED:
                        raise UnsupportedProtocol(f"publishing {r.proto} ports is not supported by "
                                                  "dockersim yet")
                    if not r.host_ip and default_host_ip:
                        group.append((str(ipaddress.ip_address(default_host_ip)), r))
                    elif not r.host_ip:
                        group.append(("0.0.0.0", r))
                        if self.ipv6:
                            group.append(("::", r))
                    else:
                        group.append((str(ipaddress.ip_address(r.host_ip)), r))
                    i += 1
                    if i < len(reqs) and _same_port(r, reqs[i]):
                        continue
                    break
                bindings += self._bind_group(group, container_ip)
        except BaseException:
            self._close(bindings)
            raise
        loop = asyncio.get_event_loop()
        for binding in bindings:
            binding.sock.setblocking(False)
            relay = self._accept_loop if binding.proto == "tcp" else self._udp_relay
            binding.task = loop.create_task(relay(binding))
        self.by_container[cid] = bindings
        out: "dict[str, list]" = {}
        for b in bindings:
            out.setdefault(f"{b.container_port}/{b.proto}", []).append(
                {"HostIp": b.host_ip, "HostPort": str(b.host_port)})
        return out

    def _close(self, bindings) -> None:
        for b in bindings:
            if b.task is not None:
                b.task.cancel()
            if b.relay is not None:
                b.relay.close()  # now, so the port is free at once
                b.relay = None
            if b.sock is not None:
                b.sock.close()
                b.sock = None
            self.allocated.discard((b.host_ip, b.proto, b.host_port))

    def unpublish(self, cid: str) -> None:
        """Close the container's listeners and free its ports (at exit)."""
        self._close(self.by_container.pop(cid, []))

    def close(self) -> None:
        """Daemon shutdown: every listener and connection goes."""
        for cid in list(self.by_container):
            self.unpublish(cid)
        for task in list(self._conns):
            task.cancel()

    # -- the proxy -----------------------------------------------------------------
    async def _accept_loop(self, binding: Binding) -> None:
        loop = asyncio.get_running_loop()
        sock = binding.sock
        while True:
            try:
                client, _ = await loop.sock_accept(sock)
            except (OSError, asyncio.CancelledError):
                return
            task = loop.create_task(self._pipe(client, binding.container_ip, binding.container_port))
            self._conns.add(task)
            task.add_done_callback(self._conns.discard)

    async def _udp_relay(self, binding: Binding) -> None:
        """docker-proxy's UDP proxy for one listening socket."""
        loop = asyncio.get_running_loop()
        relay = binding.relay = _UdpRelay(self, binding)
        try:
            await loop.create_datagram_endpoint(lambda: relay, sock=binding.sock)
            binding.sock = None  # the transport owns it now
            await relay.closed
        except asyncio.CancelledError:
            relay.close()
            raise

    async def _pipe(self, client: socket.socket, ip: str, port: int) -> None:
        """docker-proxy's TCP proxy: a connection refused inside closes the
        client at once; otherwise bytes go both ways, each direction's
        end (FIN) is passed on, a reset resets the client."""
        loop = asyncio.get_running_loop()
        client.setblocking(False)
        try:
            conn = self.connect(ip, port)
        except Exception as exc:  # noqa: BLE001 - SimError(ECONNREFUSED/ENETUNREACH)
            log.debug("proxy: cannot connect to %s:%s: %s", ip, port, exc)
            client.close()
            return
        self.poke()
        up_wake, down_wake = asyncio.Event(), asyncio.Event()

        def changed(*_args) -> None:
            up_wake.set()
            down_wake.set()

        conn.listeners.append(changed)

        async def upstream() -> None:  # real client -> container
            while True:
                while conn.window() <= 0 and not conn.reset:
                    up_wake.clear()
                    await up_wake.wait()
                if conn.reset:
                    return
                try:
                    data = await loop.sock_recv(client, 65536)
                except OSError:
                    conn.abort()
                    self.poke()
                    return
                if not data:
                    conn.shutdown_write()
                    self.poke()
                    return
                conn.send(data)
                self.poke()

        async def downstream() -> None:  # container -> real client
            while True:
                data = conn.recv()
                if data:
                    try:
                        await loop.sock_sendall(client, data)
                    except OSError:
                        conn.abort()
                        self.poke()
                        return
                    self.poke()  # the container's send buffer has room again
                    continue
                if conn.reset:
                    _reset(client)
                    return
                if conn.eof:
                    try:
                        client.shutdown(socket.SHUT_WR)
                    except OSError:
                        pass
                    return
                down_wake.clear()
                await down_wake.wait()

        up = loop.create_task(upstream())
        down = loop.create_task(downstream())
        try:
            await asyncio.gather(up, down)
        except asyncio.CancelledError:
            up.cancel()
            down.cancel()
            conn.abort()
            raise
        finally:
            try:
                conn.close()
            except Exception:  # noqa: BLE001
                pass
            self.poke()
            client.close()


class _UdpRelay(asyncio.DatagramProtocol):
    """One published UDP port: a flow into the simulation per client."""

    def __init__(self, proxy: PortProxy, binding: Binding):
        self.proxy = proxy
        self.binding = binding
        self.transport = None
        self.flows: dict = {}  # client address -> [flow, idle timer]
        self.closed = asyncio.get_event_loop().create_future()

    def connection_made(self, transport) -> None:
        self.transport = transport

    def datagram_received(self, data: bytes, addr) -> None:
        entry = self.flows.get(addr)
        if entry is None:
            try:
                flow = self.proxy.open_udp(self.binding.container_ip, self.binding.container_port)
            except Exception as exc:  # noqa: BLE001 - SimError: the address is gone
                log.debug("proxy: no UDP flow to %s: %s", self.binding.describe(), exc)
                return
            entry = self.flows[addr] = [flow, None]
            flow.listeners.append(lambda: self._replies(addr))
        self._touch(addr, entry)
        try:
            entry[0].send(data)
        except Exception as exc:  # noqa: BLE001
            log.debug("proxy: UDP send to %s failed: %s", self.binding.describe(), exc)
        self.proxy.poke()

    def _replies(self, addr) -> None:
        entry = self.flows.get(addr)
        if entry is None or self.transport is None:
            return
        for data in entry[0].recv():
            self.transport.sendto(data, addr)
        self._touch(addr, entry)

    def _touch(self, addr, entry) -> None:
        if entry[1] is not None:
            entry[1].cancel()
        entry[1] = asyncio.get_event_loop().call_later(UDP_FLOW_TIMEOUT, self._expire, addr)

    def _expire(self, addr) -> None:
        entry = self.flows.pop(addr, None)
        if entry is not None:
            entry[0].close()

    def close(self) -> None:
        for addr in list(self.flows):
            entry = self.flows.pop(addr)
            if entry[1] is not None:
                entry[1].cancel()
            entry[0].close()
        if self.transport is not None:
            self.transport.close()
            self.transport = None
        if not self.closed.done():
            self.closed.set_result(None)

    def connection_lost(self, exc) -> None:
        if not self.closed.done():
            self.closed.set_result(None)


def _same_port(a: Request, b: Request) -> bool:
    """needSamePort: two requests that differ only in host address share
    one host port."""
    return (a.port, a.proto, a.host_port, a.host_port_end) == (b.port, b.proto, b.host_port,
                                                                 b.host_port_end)


def _reset(sock: socket.socket) -> None:
    """Close with a reset (SO_LINGER 0), as a reset inside is passed on."""
    import struct  # noqa: PLC0415
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass


__all__ = ["PortProxy", "PortError", "Request", "requests", "validate_port_bindings",
           "split_proto_port", "parse_port_range"]
