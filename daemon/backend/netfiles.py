"""The network files Docker writes for each container and bind-mounts
into it (moby's container/ and libnetwork/resolvconf, etchosts): /etc/hosts
with the container's address, /etc/hostname, and /etc/resolv.conf derived
from the host's."""

import ipaddress

from ...sim.runtime.spec import FileMount


def etc_hosts(hostname: str, ip: str) -> bytes:
    return ("127.0.0.1\tlocalhost\n"
            "::1\tlocalhost ip6-localhost ip6-loopback\n"
            "fe00::\tip6-localnet\n"
            "ff00::\tip6-mcastprefix\n"
            "ff02::1\tip6-allnodes\n"
            "ff02::2\tip6-allrouters\n"
            + (f"{ip}\t{hostname}\n" if ip else "")).encode()


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
                   readonly: bool = False) -> "tuple[FileMount, ...]":
    """The three files as mounts of a container's spec, in moby's order
    (``NetworkMounts``); read-only with a read-only root (``--read-only``)."""
    return (FileMount("/etc/resolv.conf", container_resolv_conf(host_resolv_conf or b""), readonly),
            FileMount("/etc/hostname", (hostname + "\n").encode(), readonly),
            FileMount("/etc/hosts", etc_hosts(hostname, ip), readonly))
