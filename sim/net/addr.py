"""Socket addresses: parsing, matching and printing.

A socket address is a ``(host, port)`` pair as programs pass it; inside
the stack the host is an `ipaddress` object.  IPv4 is the stack's own
protocol; an IPv6 socket takes part through the two IPv6 addresses a
dual-stack host always has: ``::`` (any, which also receives IPv4 traffic,
the peer then reading as ``::ffff:a.b.c.d``) and ``::1`` (loopback).
"""

import ipaddress

from ..abi import Errno
from ..errors import SimError

IPv4 = ipaddress.IPv4Address
IPv6 = ipaddress.IPv6Address

ANY4 = IPv4("0.0.0.0")
ANY6 = IPv6("::")
LOOPBACK4 = IPv4("127.0.0.1")
LOOPBACK6 = IPv6("::1")
LOOPBACK_NET = ipaddress.IPv4Network("127.0.0.0/8")

#: Linux's default ip_local_port_range: where ephemeral ports come from.
EPHEMERAL_FIRST = 32768
EPHEMERAL_LAST = 60999


def parse_host(host, family6: bool = False):
    """The address ``host`` names ("" is any).  Raises EINVAL for text that
    is not an address (names are resolved before they reach a socket)."""
    if isinstance(host, (IPv4, IPv6)):
        return host
    text = (host or "").strip("[]")
    if not text:
        return ANY6 if family6 else ANY4
    try:
        addr = ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        raise SimError(Errno.EINVAL, str(host)) from None
    return addr


def parse_port(port) -> int:
    try:
        value = int(port)
    except (TypeError, ValueError):
        raise SimError(Errno.EINVAL, str(port)) from None
    if not 0 <= value <= 65535:
        raise SimError(Errno.EINVAL, str(port))
    return value


def as_ipv4(addr) -> "IPv4 | None":
    """The IPv4 address ``addr`` is (an IPv4-mapped IPv6 address included),
    None for a genuine IPv6 address."""
    if isinstance(addr, IPv4):
        return addr
    return addr.ipv4_mapped


def is_any(addr) -> bool:
    return addr in (ANY4, ANY6)


def is_loopback(addr) -> bool:
    v4 = as_ipv4(addr)
    return (v4 is not None and v4 in LOOPBACK_NET) or addr == LOOPBACK6


def as_seen_by(addr, family6: bool):
    """How a peer's address reads on a socket of the given family: an IPv4
    peer of an IPv6 socket is IPv4-mapped (``::ffff:172.17.0.1``)."""
    if family6 and isinstance(addr, IPv4):
        return IPv6(f"::ffff:{addr}")
    return addr


def text(addr) -> str:
    """An address as programs print it: IPv4-mapped IPv6 in the mixed
    notation Linux uses (``::ffff:172.17.0.1``)."""
    if isinstance(addr, IPv6) and addr.ipv4_mapped is not None:
        return f"::ffff:{addr.ipv4_mapped}"
    return str(addr)
