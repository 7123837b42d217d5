"""The /proc/net tables of a network namespace, as Linux prints them.

Each function takes a `NetNamespace` and returns the file's text:

- ``tcp``/``tcp6``/``udp``/``udp6``: one row per socket that holds a
  local address (tcp4_seq_show, tcp6_seq_show, udp4_format_sock,
  udp6_sock_seq_show): addresses in hex as the kernel stores them (IPv4
  ``0100007F:1F90`` is 127.0.0.1:8080 read as a little-endian word), the
  state's two hex digits (include/net/tcp_states.h), the queues, the uid
  and the socket's inode.  IPv4 rows are padded to 149 (TCP) and 127
  (UDP) columns as seq_pad does.
- ``dev``: the interfaces' counters (dev_seq_printf_stats).
- ``route``: the IPv4 routing table (fib_route_seq_show).
- ``if_inet6``: the IPv6 addresses: lo's ::1 (a container's ethN has IPv6
  disabled on IPv4-only networks).
- ``unix``: the header only (the stack has no unix sockets).
"""

from . import addr as A

TCP_HEADER = ("  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt"
              "   uid  timeout inode")
TCP6_HEADER = ("  sl  local_address                         remote_address                     "
               "   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n")
UDP_HEADER = ("   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt"
              "   uid  timeout inode ref pointer drops")
UDP6_HEADER = ("  sl  local_address                         remote_address                     "
               "   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer"
               " drops\n")
DEV_HEADER = ("Inter-|   Receive                                                |  Transmit\n"
              " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets"
              " errs drop fifo colls carrier compressed\n")
ROUTE_HEADER = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT"
UNIX_HEADER = "Num       RefCount Protocol Flags    Type St Inode Path\n"

#: RTF_UP, RTF_GATEWAY (include/uapi/linux/route.h).
RTF_UP = 0x0001
RTF_GATEWAY = 0x0002
#: TCP_CLOSE and TCP_ESTABLISHED, for datagram sockets.
UDP_UNCONNECTED = "07"
UDP_CONNECTED = "01"


def hex4(ip) -> str:
    """An IPv4 address as /proc/net/tcp shows it: the 32-bit word in host
    (little-endian) byte order, ``%08X``."""
    v4 = A.as_ipv4(ip) if not isinstance(ip, A.IPv4) else ip
    if v4 is None:
        v4 = A.ANY4
    return f"{int.from_bytes(v4.packed, 'little'):08X}"


def hex6(ip) -> str:
    """An IPv6 address as /proc/net/tcp6 shows it: four 32-bit words, each
    in host byte order."""
    if isinstance(ip, A.IPv4):
        ip = A.as_seen_by(ip, True)
    packed = ip.packed
    return "".join(f"{int.from_bytes(packed[i:i + 4], 'little'):08X}" for i in range(0, 16, 4))


def _sockets(ns, proto: str, family6: bool) -> list:
    return [s for s in ns.sockets
            if s.proto == proto and s.family6 == family6 and s.local is not None]


def _pad(text: str, width: int) -> str:
    return text.ljust(width) + "\n"


def tcp(ns, family6: bool = False) -> str:
    out = [TCP6_HEADER if family6 else _pad(TCP_HEADER, 149)]
    for n, sock in enumerate(_sockets(ns, "tcp", family6)):
        local, remote = sock.local, sock.remote()
        tx, rx = sock.queues()
        state = sock.tcp_state()
        tail = "1 0000000000000000 100 0 0 10 0" if state == "0A" else \
            "1 0000000000000000 20 4 30 10 -1"
        if family6:
            row = (f"{n:4d}: {hex6(local[0])}:{local[1]:04X} {hex6(remote[0])}:{remote[1]:04X} "
                   f"{state} {tx:08X}:{rx:08X} 00:00000000 00000000 {getattr(sock, 'uid', 0):5d} {0:8d} "
                   f"{sock.inode} {tail}\n")
            out.append(row)
        else:
            row = (f"{n:4d}: {hex4(local[0])}:{local[1]:04X} {hex4(remote[0])}:{remote[1]:04X} "
                   f"{state} {tx:08X}:{rx:08X} 00:00000000 00000000 {getattr(sock, 'uid', 0):5d} {0:8d} "
                   f"{sock.inode} {tail}")
            out.append(_pad(row, 149))
    return "".join(out)


def udp(ns, family6: bool = False) -> str:
    out = [UDP6_HEADER if family6 else _pad(UDP_HEADER, 127)]
    for n, sock in enumerate(_sockets(ns, "udp", family6)):
        local = sock.local
        remote = sock.peer or (A.ANY6 if family6 else A.ANY4, 0)
        state = UDP_CONNECTED if sock.peer else UDP_UNCONNECTED
        rx = sum(len(m[0]) for m in sock.messages)
        if family6:
            out.append(f"{n:5d}: {hex6(local[0])}:{local[1]:04X} {hex6(remote[0])}:{remote[1]:04X} "
                       f"{state} {0:08X}:{rx:08X} 00:00000000 00000000 {getattr(sock, 'uid', 0):5d} {0:8d} "
                       f"{sock.inode} 2 0000000000000000 0\n")
        else:
            out.append(_pad(f"{n:5d}: {hex4(local[0])}:{local[1]:04X} {hex4(remote[0])}:"
                            f"{remote[1]:04X} {state} {0:08X}:{rx:08X} 00:00000000 00000000 "
                            f"{getattr(sock, 'uid', 0):5d} {0:8d} {sock.inode} 2 0000000000000000 0", 127))
    return "".join(out)


def dev(ns) -> str:
    out = [DEV_HEADER]
    for iface in sorted(ns.interfaces, key=lambda i: i.index):
        c = iface.counters
        out.append(f"{iface.name:>6s}:{c.rx_bytes:8d} {c.rx_packets:7d} {0:4d} {0:4d} {0:4d} "
                   f"{0:5d} {0:10d} {0:9d} {c.tx_bytes:8d} {c.tx_packets:7d} {0:4d} {0:4d} "
                   f"{0:4d} {0:5d} {0:7d} {0:10d}\n")
    return "".join(out)


def routes(ns) -> list:
    """The namespace's IPv4 routes as (iface, destination network, gateway
    or None, source address): the default route through the first
    non-internal network's gateway, then one link route per network."""
    table = []
    attached = [i for i in ns.interfaces if i.network is not None]
    default = next((i for i in attached if not i.network.internal), None)
    if default is not None and ns is not ns.stack.host:
        import ipaddress

        table.append((default, ipaddress.IPv4Network("0.0.0.0/0"), default.network.gateway,
                      default.address))
    for iface in attached:
        table.append((iface, iface.network.subnet, None, iface.address))
    return table


def route(ns) -> str:
    out = [_pad(ROUTE_HEADER, 127)]
    for iface, net, gateway, _ in routes(ns):
        flags = RTF_UP | (RTF_GATEWAY if gateway is not None else 0)
        out.append(_pad(f"{iface.name}\t{hex4(net.network_address)}\t"
                        f"{hex4(gateway) if gateway is not None else '00000000'}\t{flags:04X}\t0\t0"
                        f"\t0\t{hex4(net.netmask)}\t0\t0\t0", 127))
    return "".join(out)


def if_inet6(ns) -> str:
    lo = next((i for i in ns.interfaces if i.network is None and i.name == "lo"), None)
    if lo is None:
        return ""
    # address, ifindex, prefix length, scope (IFA_HOST 0x10), flags (IFA_F_PERMANENT 0x80)
    return f"{A.LOOPBACK6.packed.hex()} {lo.index:02x} 80 10 80 {lo.name:>8s}\n"


def unix(ns) -> str:
    return UNIX_HEADER
