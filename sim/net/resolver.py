"""Name resolution as the C library does it (getaddrinfo(3)).

1. A numeric address is itself.
2. /etc/hosts, in the caller's mount namespace (Docker writes one per
   container: localhost, the container's own name and address, --add-host
   and --link entries).
3. The name servers of /etc/resolv.conf.  The only one the simulated world
   has is Docker's embedded DNS, 127.0.0.11, which dockerd puts in the
   resolv.conf of containers on user-defined networks; it answers for the
   containers on the same networks (`NetStack.lookup`).  Any other name
   server is outside the simulated world and never answers, so the name is
   unknown, as on a machine without a network.
"""

import ipaddress

from ..abi import Errno
from ..errors import SimError

EMBEDDED_DNS = "127.0.0.11"


def _read(read_file, path: str) -> str:
    try:
        return read_file(path).decode(errors="replace")
    except SimError:
        return ""


def hosts_lookup(text: str, name: str) -> list:
    wanted = name.lower()
    found = []
    for line in text.splitlines():
        fields = line.split("#", 1)[0].split()
        if len(fields) >= 2 and wanted in (f.lower() for f in fields[1:]):
            try:
                addr = ipaddress.ip_address(fields[0])
            except ValueError:
                continue
            if addr.version == 4 and fields[0] not in found:
                found.append(fields[0])
    return found


def nameservers(text: str) -> list:
    return [line.split()[1] for line in text.splitlines()
            if line.startswith("nameserver") and len(line.split()) > 1]


def resolve(read_file, ns, name: str) -> list:
    """IPv4 addresses for ``name`` (see the module's docstring), reading
    files with ``read_file(path) -> bytes`` as the caller, asking from the
    network namespace ``ns``."""
    name = (name or "").strip().strip("[]")
    if not name:
        raise SimError(Errno.ENOENT, name)
    try:
        addr = ipaddress.ip_address(name)
        return [str(addr)]
    except ValueError:
        pass
    found = hosts_lookup(_read(read_file, "/etc/hosts"), name)
    if found:
        return found
    answer = dns_query(read_file, ns, name)
    if answer:
        return answer
    raise SimError(Errno.ENOENT, name)


def dns_query(read_file, ns, name: str) -> list:
    """Ask the name servers resolv.conf names; [] when none answers."""
    if ns is None:
        return []
    conf = _read(read_file, "/etc/resolv.conf")
    for server in nameservers(conf):
        if server == EMBEDDED_DNS:
            names = [name]
            search = [line.split()[1:] for line in conf.splitlines()
                      if line.startswith("search")]
            if "." not in name.rstrip("."):
                names += [f"{name}.{domain}" for domains in search for domain in domains]
            for candidate in names:
                answer = ns.stack.lookup(ns, candidate)
                if answer:
                    return answer
    return []


def query(ns, server: str, name: str) -> "list | None":
    """One DNS query for ``name``'s A records sent to ``server`` from the
    namespace ``ns``: the addresses, [] for NXDOMAIN, None when no answer
    comes back (the only server in the simulated world is the embedded
    one, and only in a namespace on a user-defined network)."""
    if ns is None or server != EMBEDDED_DNS or not ns.stack.has_embedded_dns(ns):
        return None
    return ns.stack.lookup(ns, name) or []
