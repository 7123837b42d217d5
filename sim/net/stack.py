"""The network stack: namespaces, interfaces, bridges and routing.

What Docker builds with netlink and iptables, in the simulation's terms:

- A **network namespace** (`NetNamespace`) is a private set of interfaces
  and a private port table.  Every namespace has a loopback ``lo``
  (127.0.0.1/8); a container on a network also has one ``ethN`` per
  network, the container end of a veth pair whose other end is plugged
  into that network's bridge.
- A **network** (`Network`) is a bridge: a subnet, a gateway address (the
  bridge's own address in the host's namespace: ``docker0`` is 172.17.0.1)
  and the endpoints plugged into it.  Its addresses come from the
  network's IPAM (`Ipam`).
- **Routing** (`NetStack.route`): a packet to 127.0.0.0/8 stays in its
  namespace; to an address on a network the sender is plugged into, it
  crosses that bridge to the endpoint holding the address (or to the host,
  for the gateway); the host reaches every bridge.  Anything else leaves
  the simulated world, which has no outside: ``Network is unreachable``.
  Bridges do not forward to each other (Docker's isolation rules), so a
  container cannot reach another network's addresses.  An internal
  network gives no default route (its containers reach only the bridge);
  a network without inter-container communication (``icc`` False) drops
  what its endpoints send each other.
- **Embedded DNS**: on user-defined networks dockerd answers at
  127.0.0.11 for the names of the containers on the same networks (their
  names, aliases and short ids); `NetStack.lookup` is that resolver.

Sockets (`sim.net.socket`) bind in a namespace's port table and ask the
stack for a route when they connect or send.
"""

import ipaddress

import attrs

from ..abi import Errno
from ..errors import SimError
from . import addr as A


class NetError(Exception):
    """A network the stack cannot create or an address it cannot give
    (``message``: Docker's words)."""

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""


# -- IPAM ----------------------------------------------------------------------

#: dockerd's default address pools (libnetwork/ipamutils): 172.17-31.0.0/16,
#: then 192.168.0.0/16 cut into /20s.
def _default_pools():
    for second in range(17, 32):
        yield ipaddress.IPv4Network(f"172.{second}.0.0/16")
    for third in range(0, 256, 16):
        yield ipaddress.IPv4Network(f"192.168.{third}.0/20")


@attrs.define(eq=False)
class Ipam:
    """The addresses of one subnet: the network and broadcast addresses and
    the gateway are never handed out; the others go lowest free first, as
    libnetwork's default IPAM does for local networks (serial allocation is
    swarm's)."""

    subnet: ipaddress.IPv4Network
    ip_range: "ipaddress.IPv4Network | None" = None
    used: set = attrs.field(factory=set)
    #: The auxiliary addresses (``--aux-address``): reserved for devices
    #: outside Docker's knowledge, never handed to a container.
    aux: set = attrs.field(factory=set)

    def reserve(self, ip: A.IPv4) -> None:
        if ip not in self.subnet:
            raise NetError(f"no available IPv4 addresses on this network's address pools: "
                           f"{ip} is not in {self.subnet}")
        if ip in self.used or ip in self.aux:
            raise NetError("Address already in use")
        self.used.add(ip)

    def allocate(self) -> A.IPv4:
        pool = self.ip_range or self.subnet
        hosts = int(pool.num_addresses)
        base = int(pool.network_address)
        for offset in range(hosts):
            candidate = A.IPv4(base + offset)
            if candidate in (self.subnet.network_address, self.subnet.broadcast_address):
                continue
            if candidate not in self.used and candidate not in self.aux:
                self.used.add(candidate)
                return candidate
        raise NetError("no available IPv4 addresses on this network's address pools")

    def release(self, ip: A.IPv4) -> None:
        self.used.discard(ip)


# -- interfaces and namespaces ---------------------------------------------------

@attrs.define(eq=False)
class Counters:
    """What an interface has carried (ip -s link, /proc/net/dev)."""

    rx_bytes: int = 0
    rx_packets: int = 0
    tx_bytes: int = 0
    tx_packets: int = 0


def count_packet(out_iface, in_iface, n: int) -> None:
    """One packet of ``n`` bytes leaves by ``out_iface`` and arrives
    through ``in_iface`` (either may be None: outside the counted world)."""
    if out_iface is not None:
        out_iface.counters.tx_bytes += n
        out_iface.counters.tx_packets += 1
    if in_iface is not None:
        in_iface.counters.rx_bytes += n
        in_iface.counters.rx_packets += 1


@attrs.frozen
class InterfaceInfo:
    """One interface as ``ip addr`` and os.networkInterfaces() show it."""

    index: int
    name: str
    ipv4: str
    prefixlen: int
    mac: str
    mtu: int
    loopback: bool
    counters: Counters = attrs.field(eq=False)
    peer_index: int = 0  # the veth peer's ifindex in the host (eth0@if7)


@attrs.define(eq=False)
class Interface:
    index: int
    name: str
    address: A.IPv4
    prefixlen: int
    mac: str
    mtu: int = 1500
    network: "Network | None" = None  # None for lo
    counters: Counters = attrs.field(factory=Counters)
    peer_index: int = 0

    def info(self) -> InterfaceInfo:
        return InterfaceInfo(self.index, self.name, str(self.address), self.prefixlen, self.mac,
                             self.mtu, self.network is None, self.counters, self.peer_index)


def mac_for(ip: A.IPv4) -> str:
    """The MAC address libnetwork derives from an IPv4 address: 02:42 then
    the address's four bytes."""
    return "02:42:" + ":".join(f"{b:02x}" for b in ip.packed)


@attrs.define(eq=False)
class NetNamespace:
    """One network namespace: interfaces and the sockets bound in it.

    Invariant: `bound` holds every socket that owns a local port (bound,
    listening, or connected from an ephemeral port), keyed by (protocol,
    port); a socket leaves it when it closes."""

    stack: "NetStack" = attrs.field(repr=False)
    name: str = ""
    interfaces: list = attrs.field(factory=list)
    bound: dict = attrs.field(factory=dict, repr=False)
    #: Every socket open in the namespace (for /proc/net/tcp and ss).
    sockets: list = attrs.field(factory=list, repr=False)
    _next_ephemeral: int = A.EPHEMERAL_FIRST
    released: bool = False
    #: net.ipv4.ip_unprivileged_port_start: ports below it need
    #: CAP_NET_BIND_SERVICE.  Docker sets it to 0 in every container.
    unprivileged_port_start: int = 1024

    def __attrs_post_init__(self):
        # Every namespace's loopback is ifindex 1 (loopback_net_init).
        index = 1 if self.stack.host_ready else self.stack.next_ifindex()
        self.interfaces.append(Interface(index, "lo", A.LOOPBACK4, 8,
                                         "00:00:00:00:00:00", mtu=65536))

    # -- addresses -------------------------------------------------------------
    def owns(self, ip) -> bool:
        """Is ``ip`` one of this namespace's addresses (loopback included)?"""
        if A.is_loopback(ip):
            return True
        v4 = A.as_ipv4(ip)
        return any(i.address == v4 for i in self.interfaces)

    def interface_for(self, network: "Network") -> "Interface | None":
        return next((i for i in self.interfaces if i.network is network), None)

    def infos(self) -> "list[InterfaceInfo]":
        return [i.info() for i in self.interfaces]

    def networks(self) -> list:
        return [i.network for i in self.interfaces if i.network is not None]

    # -- ports -----------------------------------------------------------------
    def ephemeral_port(self, proto: str) -> int:
        span = A.EPHEMERAL_LAST - A.EPHEMERAL_FIRST + 1
        for _ in range(span):
            port = self._next_ephemeral
            self._next_ephemeral = A.EPHEMERAL_FIRST + (port + 1 - A.EPHEMERAL_FIRST) % span
            if not self.bound.get((proto, port)):
                return port
        raise SimError(Errno.EADDRINUSE)


@attrs.define(eq=False)
class Endpoint:
    """A namespace plugged into a network: its interface there and the names
    the embedded DNS answers for it."""

    network: "Network"
    ns: NetNamespace
    interface: Interface
    names: tuple = ()

    @property
    def ip(self) -> A.IPv4:
        return self.interface.address


@attrs.define(eq=False)
class Network:
    """A bridge network.  ``key`` is the daemon's id for it."""

    key: str
    name: str
    subnet: ipaddress.IPv4Network
    gateway: A.IPv4
    bridge: str
    ipam: Ipam
    internal: bool = False
    embedded_dns: bool = False
    #: Inter-container communication (``enable_icc``): when False, the
    #: bridge drops what one endpoint sends another (the host, through
    #: the gateway, still reaches each and is reached by each).
    icc: bool = True
    #: The MTU of the bridge and of every veth plugged into it.
    mtu: int = 1500
    #: The name of a container's interface on this network: the prefix
    #: and the lowest number free in the container (``eth0``).
    iface_prefix: str = "eth"
    #: The bridge's interface in the host's namespace.
    host_interface: "Interface | None" = None
    endpoints: dict = attrs.field(factory=dict)  # IPv4Address -> Endpoint

    @property
    def prefixlen(self) -> int:
        return self.subnet.prefixlen


# -- the stack ---------------------------------------------------------------------

@attrs.frozen
class Route:
    """Where a packet from a namespace to ``dest`` goes: the namespace that
    receives it and the source address it carries."""

    ns: NetNamespace
    source: object  # an ipaddress address
    out: "Interface | None"
    into: "Interface | None"
    #: The bridge's filter drops what goes this way (enable_icc=false):
    #: it leaves by ``out`` and never arrives.
    dropped: bool = False


@attrs.define(eq=False)
class NetStack:
    """Every network namespace and network of the machine.

    ``wake`` is the kernel's (it wakes tasks blocked in a wait queue) and
    is handed to every socket's queue."""

    wake: object = attrs.field(repr=False)
    host: NetNamespace = attrs.field(init=False)
    networks: dict = attrs.field(factory=dict)  # key -> Network
    _ifindex: int = 0
    _inode: int = 20000
    #: The host's own (outside) interface: the address the published ports
    #: are reached on from the simulated host itself.
    host_address: str = "192.168.65.3"

    #: Set once the host namespace exists (its lo took ifindex 1).
    host_ready: bool = attrs.field(default=False, init=False)

    def __attrs_post_init__(self):
        self.host = NetNamespace(self, "host")
        self.host_ready = True
        self.host.interfaces.append(Interface(self.next_ifindex(), "eth0", A.IPv4(self.host_address),
                                              24, "02:50:00:00:00:01"))

    def next_inode(self) -> int:
        """An inode number for a new socket (sockfs's, as /proc/net/tcp and
        /proc/PID/fd show it)."""
        self._inode += 1
        return self._inode

    def next_ifindex(self) -> int:
        self._ifindex += 1
        return self._ifindex

    # -- networks --------------------------------------------------------------
    def create_network(self, key: str, *, name: str, subnet: "str | None" = None,
                       gateway: "str | None" = None, ip_range: "str | None" = None,
                       internal: bool = False, embedded_dns: bool = False,
                       bridge: "str | None" = None, icc: bool = True, mtu: int = 1500,
                       iface_prefix: str = "eth", aux=()) -> Network:
        """A bridge network with its IPAM.  ``subnet`` None takes the next
        default pool no other network overlaps; ``aux`` are addresses the
        IPAM never gives out.  Raises NetError."""
        if key in self.networks:
            raise NetError(f"network {key} exists")
        if subnet:
            try:
                net = ipaddress.IPv4Network(subnet, strict=False)
            except ValueError:
                raise NetError(f"invalid subnet {subnet}") from None
            if net.prefixlen > 30:
                raise NetError(f"invalid subnet {subnet}: it is too small")
            if any(net.overlaps(n.subnet) for n in self.networks.values()):
                raise NetError("Pool overlaps with other one on this address space")
        else:
            net = next((p for p in _default_pools()
                        if not any(p.overlaps(n.subnet) for n in self.networks.values())), None)
            if net is None:
                raise NetError("all predefined address pools have been fully subnetted")
        rng = None
        if ip_range:
            try:
                rng = ipaddress.IPv4Network(ip_range, strict=False)
            except ValueError:
                raise NetError(f"invalid ip-range {ip_range}") from None
            if not rng.subnet_of(net):
                raise NetError(f"ip-range {ip_range} is not in subnet {net}")
        ipam = Ipam(net, rng)
        if gateway:
            try:
                gw = A.IPv4(gateway)
            except ValueError:
                raise NetError(f"invalid gateway address {gateway}") from None
            if gw not in net:
                raise NetError(f"no matching subnet for gateway {gateway}")
        else:
            gw = A.IPv4(int(net.network_address) + 1)
        ipam.reserve(gw)
        for text in aux:
            try:
                address = A.IPv4(text)
            except ValueError:
                raise NetError(f"invalid auxiliary address {text}") from None
            if address not in net:
                raise NetError(f"auxiliary address {text} is not in subnet {net}")
            ipam.aux.add(address)
        network = Network(key, name, net, gw, bridge or f"br-{key[:12]}", ipam, internal, embedded_dns,
                          icc=icc, mtu=mtu, iface_prefix=iface_prefix or "eth")
        network.host_interface = Interface(self.next_ifindex(), network.bridge, gw, net.prefixlen,
                                           mac_for(gw), mtu=mtu, network=network)
        self.host.interfaces.append(network.host_interface)
        self.networks[key] = network
        return network

    def network(self, key: str) -> "Network | None":
        return self.networks.get(key)

    def remove_network(self, key: str) -> None:
        network = self.networks.get(key)
        if network is None:
            return
        if network.endpoints:
            raise NetError(f"network {network.name} has active endpoints")
        del self.networks[key]
        self.host.interfaces.remove(network.host_interface)

    # -- namespaces --------------------------------------------------------------
    def new_namespace(self, name: str = "", unprivileged_port_start: int = 0) -> NetNamespace:
        """A fresh namespace with only ``lo`` (a container's: Docker lets
        every user bind any port there)."""
        return NetNamespace(self, name, unprivileged_port_start=unprivileged_port_start)

    def attach(self, ns: NetNamespace, key: str, ip: str = "", names=(), mac: str = "") -> Endpoint:
        """Plug ``ns`` into network ``key`` (a veth pair: ``ethN`` inside,
        its peer on the bridge), at ``ip`` or the next free address, with
        the MAC address ``mac`` (or one derived from the address)."""
        network = self.networks.get(key)
        if network is None:
            raise NetError(f"network {key} not found")
        if ns.interface_for(network) is not None:
            raise NetError(f"endpoint with name already exists in network {network.name}")
        if ip:
            try:
                address = A.IPv4(ip)
            except ValueError:
                raise NetError(f"invalid IPv4 address: {ip}") from None
            network.ipam.reserve(address)
        else:
            address = network.ipam.allocate()
        used = {i.name for i in ns.interfaces}
        prefix = network.iface_prefix
        name = next(f"{prefix}{n}" for n in range(len(used) + 1) if f"{prefix}{n}" not in used)
        host_peer = self.next_ifindex()
        iface = Interface(self.next_ifindex(), name, address, network.prefixlen, mac or mac_for(address),
                          mtu=network.mtu, network=network, peer_index=host_peer)
        ns.interfaces.append(iface)
        endpoint = Endpoint(network, ns, iface, tuple(names))
        network.endpoints[address] = endpoint
        return endpoint

    def detach(self, ns: NetNamespace, key: str) -> None:
        network = self.networks.get(key)
        iface = ns.interface_for(network) if network is not None else None
        if iface is None:
            return
        ns.interfaces.remove(iface)
        network.endpoints.pop(iface.address, None)
        network.ipam.release(iface.address)
        for sock in list(ns.sockets):
            sock.address_gone(iface.address)

    def release_namespace(self, ns: NetNamespace) -> None:
        """The namespace's last task is gone: unplug it everywhere and reset
        whatever connections it still had."""
        if ns.released:
            return
        ns.released = True
        for network in ns.networks():
            self.detach(ns, network.key)
        for sock in list(ns.sockets):
            sock.abort()

    # -- routing -----------------------------------------------------------------
    def route(self, ns: NetNamespace, dest) -> Route:
        """Where a packet from ``ns`` to ``dest`` arrives.  Raises
        ENETUNREACH (no route: outside the simulated world, another
        network, or no default route on an internal network),
        EHOSTUNREACH (nobody holds the address on the bridge).  A route the
        bridge drops (to another endpoint with enable_icc=false) is
        ``dropped``: the caller sends into it and hears nothing."""
        v4 = A.as_ipv4(dest)
        if A.is_loopback(dest) or ns.owns(dest):
            lo = ns.interfaces[0]
            source = dest if not A.is_loopback(dest) else (A.LOOPBACK6 if dest == A.LOOPBACK6
                                                            else A.LOOPBACK4)
            return Route(ns, source, lo, lo)
        if v4 is None:
            raise SimError(Errno.ENETUNREACH)
        if ns is self.host:
            for network in self.networks.values():
                if v4 in network.subnet:
                    endpoint = network.endpoints.get(v4)
                    if endpoint is None:
                        raise SimError(Errno.EHOSTUNREACH)
                    return Route(endpoint.ns, network.gateway, network.host_interface,
                                 endpoint.interface)
            raise SimError(Errno.ENETUNREACH)
        for iface in ns.interfaces:
            network = iface.network
            if network is None or v4 not in network.subnet:
                continue
            if v4 == network.gateway:
                return Route(self.host, iface.address, iface, network.host_interface)
            endpoint = network.endpoints.get(v4)
            if endpoint is None:
                raise SimError(Errno.EHOSTUNREACH)
            # enable_icc=false: the bridge's filter drops the packet
            # (iptables' DROP between two ports of the bridge).
            return Route(endpoint.ns, iface.address, iface, endpoint.interface,
                         dropped=not network.icc)
        # Not on any of our bridges.  The host's own addresses are reachable
        # through the default route (the gateway); nothing else exists.
        default = next((i for i in ns.interfaces
                        if i.network is not None and not i.network.internal), None)
        if default is not None and self.host.owns(v4):
            return Route(self.host, default.address, default, None)
        raise SimError(Errno.ENETUNREACH)

    def ping(self, ns: NetNamespace, dest) -> "tuple[object, int]":
        """An ICMP echo from ``ns`` to ``dest``: (the source address of the
        request, the hops crossed) when something answers, counting the
        request and the reply on the interfaces they cross.  Raises
        ENETUNREACH (no route) or EHOSTUNREACH (nobody holds the address
        on the bridge: the neighbour lookup fails)."""
        dest = A.parse_host(dest)
        route = self.route(ns, dest)
        size = 84  # an IPv4 header, the ICMP header and 56 bytes of data
        if route.dropped:
            count_packet(route.out, None, size)
            raise SimError(Errno.ETIMEDOUT)
        count_packet(route.out, route.into, size)  # the request
        count_packet(route.into, route.out, size)  # the reply
        hops = 0 if route.ns is ns else 1
        return route.source, hops

    def connect_external(self, ip: str, port: int):
        """A TCP connection from the host to ``ip:port`` (see
        `sim.net.external`)."""
        from .external import connect_external

        return connect_external(self, ip, port)

    def open_datagram(self, ip: str, port: int):
        """A UDP flow from the host to ``ip:port`` (see `sim.net.external`)."""
        from .external import open_datagram

        return open_datagram(self, ip, port)

    # -- names -------------------------------------------------------------------
    def lookup(self, ns: NetNamespace, name: str) -> "list[str] | None":
        """The embedded DNS server (127.0.0.11) as ``ns`` asks it: the
        addresses of the endpoints called ``name`` on the user-defined
        networks ``ns`` is plugged into.  None when ``ns`` has no embedded
        DNS (only the default bridge, or no network)."""
        nets = [n for n in ns.networks() if n.embedded_dns]
        if not nets:
            return None
        wanted = name.rstrip(".").lower()
        found = []
        for network in nets:
            for endpoint in network.endpoints.values():
                if wanted in (n.lower() for n in endpoint.names):
                    found.append(str(endpoint.ip))
        return found

    def has_embedded_dns(self, ns: NetNamespace) -> bool:
        return any(n.embedded_dns for n in ns.networks())
