"""``nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]``: busybox's
resolver client.  It asks the name servers of /etc/resolv.conf (or the
one given) directly, never /etc/hosts, for A and AAAA records
(`proc.dns_query`).  Inside the simulated world only Docker's embedded
DNS (127.0.0.11, on user-defined networks) answers; any other server is
outside and the queries time out (5 s per server, as busybox waits)."""

import ipaddress

from . import util

util.USAGES["nslookup"] = "nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]"

DEFAULT_TIMEOUT = 5


def _servers(proc) -> list:
    try:
        text = proc.read_file("/etc/resolv.conf").decode(errors="replace")
    except Exception:  # noqa: BLE001 - no resolv.conf: localhost
        text = ""
    found = []
    for line in text.splitlines():
        f = line.split()
        if len(f) >= 2 and f[0] == "nameserver":
            found.append(f[1])
    return found or ["127.0.0.1"]


@util.run_applet
async def main(proc, argv, gnu):
    args = list(argv[1:])
    types = []
    timeout = DEFAULT_TIMEOUT
    while args and args[0].startswith("-"):
        arg, _, val = args.pop(0)[1:].partition("=")
        if arg in ("type", "querytype", "q", "query", "ty"):
            if val.upper() not in ("A", "AAAA", "CNAME", "MX", "NS", "PTR", "SOA", "SRV", "TXT",
                                   "ANY"):
                raise util.Fatal(f"invalid query type \"{val}\"")
            types.append(val.upper())
        elif arg in ("t", "timeout"):
            timeout = util.parse_int(val)
        elif arg in ("port", "retry", "debug"):
            pass
        else:
            raise util.Usage()
    if not args or len(args) > 2:
        raise util.Usage()
    name = args[0]
    servers = [args[1]] if len(args) > 1 else _servers(proc)
    try:
        ipaddress.ip_address(name)
        queries = [("PTR", name)]
    except ValueError:
        queries = [(t, name) for t in (types or ["A", "AAAA"])]
    for server in servers:
        answer = proc.dns_query(server, name)
        if answer is None:
            await proc.sleep(timeout)
            continue
        out = [f"Server:\t\t{server}\n", f"Address:\t{server}:53\n\n"]
        code = 0
        for qtype, qname in queries:
            if qtype == "PTR":
                out.append(f"** server can't find {_ptr(qname)}: NXDOMAIN\n\n")
                code = 1
            elif not answer:
                out.append(f"** server can't find {qname}: NXDOMAIN\n\n")
                code = 1
            else:
                out.append("Non-authoritative answer:\n")
                if qtype == "A":
                    out += [f"Name:\t{qname}\nAddress: {a}\n" for a in answer]
                out.append("\n")
        await proc.write(1, "".join(out))
        return code
    await proc.write(1, ";; connection timed out; no servers could be reached\n\n")
    return 1


def _ptr(address: str) -> str:
    return ipaddress.ip_address(address).reverse_pointer
