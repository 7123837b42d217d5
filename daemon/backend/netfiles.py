"""The network files Docker writes for each container and bind-mounts
into it (moby's container/ and libnetwork/resolvconf, etchosts): /etc/hosts
with the extra hosts and the container's address, /etc/hostname, and
/etc/resolv.conf derived from the host's."""

import ipaddress

from ...sim.golang import quote as go_quote
from ...sim.runtime.spec import FileMount
from ..errors import InvalidParameter

#: libnetwork/etchosts: the records every /etc/hosts starts with (IPv4,
#: then IPv6: a container's loopback has IPv6).
_DEFAULT_HOSTS = (("127.0.0.1", "localhost"), ("::1", "localhost ip6-localhost ip6-loopback"),
                  ("fe00::", "ip6-localnet"), ("ff00::", "ip6-mcastprefix"),
                  ("ff02::1", "ip6-allnodes"), ("ff02::2", "ip6-allrouters"))

#: ``--add-host name:host-gateway``: the daemon's host-gateway address,
#: which defaults to the default bridge's.
HOST_GATEWAY = "host-gateway"
BRIDGE_GATEWAY = "172.17.0.1"


def _parse_ip(text: str) -> "ipaddress.IPv4Address | ipaddress.IPv6Address | None":
    """Go's ``net.ParseIP`` (no zone) or None."""
    if "%" in text:
        return None
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _addr_text(ip) -> str:
    """Go's ``netip.Addr.String``: an IPv4-mapped IPv6 address keeps its
    dotted tail."""
    if ip.version == 6 and ip.ipv4_mapped is not None:
        return f"::ffff:{ip.ipv4_mapped}"
    return str(ip)


def parse_extra_host(text: str) -> "tuple[str, str]":
    """One ``ExtraHosts`` entry, ``name:ip`` (split at the first colon, so
    an IPv6 address keeps its own), checked as moby's ``ValidateExtraHost``
    checks it; ``host-gateway`` is the bridge's gateway.  Returns (name,
    ip as netip prints it).  Raises InvalidParameter with moby's words."""
    name, colon, ip = text.partition(":")
    if not colon or not name:
        raise InvalidParameter(f"bad format for add-host: {go_quote(text)}")
    if ip == HOST_GATEWAY:
        return name, BRIDGE_GATEWAY
    addr = _parse_ip(ip.strip())
    if addr is None:
        raise InvalidParameter(f"invalid IP address in add-host: {go_quote(ip)}")
    return name, _addr_text(addr)


def etc_hosts(hostname: str, ip: str, *, domainname: str = "", extra_hosts=()) -> bytes:
    """libnetwork's ``buildHostsFile``: the default records, the extra
    hosts in their order, then the container's own record when it has an
    address (``hostname.domainname`` and the bare hostname)."""
    records = list(_DEFAULT_HOSTS) + [(addr, name) for name, addr in map(parse_extra_host, extra_hosts)]
    if ip:
        names = hostname + ("." + domainname if domainname else "")
        if "." in names:
            names += " " + names.split(".", 1)[0]
        records.append((ip, names))
    return "".join(f"{addr}\t{names}\n" for addr, names in records).encode()


#: The nameservers Docker falls back to when the host has none usable
#: (moby libnetwork/resolvconf: defaultIPv4Dns).
DEFAULT_NAMESERVERS = ("8.8.8.8", "8.8.4.4")


def _unreachable(address: str) -> bool:
    """A nameserver a container on the default bridge cannot use: a
    localhost one (127.0.0.0/8, ::1) or, as that network has no IPv6, any
    IPv6 one (a zone suffix such as ``%eth0`` is ignored)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    return ip.is_loopback or ip.version == 6


def container_resolv_conf(host_conf: bytes) -> bytes:
    """The /etc/resolv.conf a container on the default bridge gets, from
    the host's (moby libnetwork/resolvconf ``FilterResolvDNS``): the host's
    file without its localhost nameservers (127.0.0.0/8, ::1) and, IPv6
    being off, its IPv6 ones; when no nameserver remains, Google's 8.8.8.8
    and 8.8.4.4 are added.  Every other line (search, options, comments) is
    kept as it is."""
    lines = host_conf.decode(errors="replace").splitlines()
    kept = []
    for line in lines:
        fields = line.split()
        if len(fields) >= 2 and fields[0] == "nameserver" and _unreachable(fields[1]):
            continue
        kept.append(line)
    if not any(ln.split()[:1] == ["nameserver"] and len(ln.split()) >= 2 for ln in kept):
        kept += [f"nameserver {ns}" for ns in DEFAULT_NAMESERVERS]
    text = "\n".join(kept)
    return (text + "\n").encode() if text else b""


#: The files, by their name in the container's folder (``containers/<id>/``,
#: where moby keeps them and inspect's ResolvConfPath & co. point), in
#: moby's mount order.
NETWORK_FILES = {"resolv.conf": "/etc/resolv.conf", "hostname": "/etc/hostname",
                 "hosts": "/etc/hosts"}


def saved_network_mounts(files: "dict[str, bytes]", *, readonly: bool = False) -> "tuple[FileMount, ...]":
    """A stopped container's mounts: the files it had last (by name), as
    moby mounts them for ``docker cp`` too."""
    return tuple(FileMount(dest, files[name], readonly) for name, dest in NETWORK_FILES.items()
                 if name in files)


def network_mounts(hostname: str, ip: str, host_resolv_conf: "bytes | None", *,
                   readonly: bool = False, domainname: str = "",
                   extra_hosts=()) -> "tuple[FileMount, ...]":
    """The three files as mounts of a container's spec, in moby's order
    (``NetworkMounts``); read-only with a read-only root (``--read-only``)."""
    hosts = etc_hosts(hostname, ip, domainname=domainname, extra_hosts=extra_hosts)
    return (FileMount("/etc/resolv.conf", container_resolv_conf(host_resolv_conf or b""), readonly),
            FileMount("/etc/hostname", (hostname + "\n").encode(), readonly),
            FileMount("/etc/hosts", hosts, readonly))
