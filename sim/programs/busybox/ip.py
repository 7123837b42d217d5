"""``ip [OPTIONS] {address | link | route} [show]``: busybox's iproute2
look-alike.  Links and addresses come from the kernel's interface table
(netlink's RTM_GETLINK/RTM_GETADDR), routes from the routing table
(/proc/net/route); IPv6 addresses from /proc/net/if_inet6.  Changing
anything (add, del, set) is not simulated: it answers as an unprivileged
container does (RTNETLINK answers: Operation not permitted)."""

import ipaddress

from ...errors import SimError
from . import util
from .ifconfig import read_inet6

util.USAGES["ip"] = ("ip [OPTIONS] address|route|link|tunnel|neigh|rule [ARGS]\n\n"
                     "OPTIONS := -f[amily] inet|inet6|link | -o[neline]")

_SCOPE_NAMES = {0x10: "host", 0x20: "link", 0x00: "global"}


def _link_line(info) -> str:
    if info.loopback:
        return (f"{info.index}: {info.name}: <LOOPBACK,UP,LOWER_UP> mtu {info.mtu} qdisc noqueue "
                f"qlen 1000\n    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n")
    name = f"{info.name}@if{info.peer_index}" if info.peer_index else info.name
    mdown = ",M-DOWN" if info.peer_index else ""
    return (f"{info.index}: {name}: <BROADCAST,MULTICAST,UP,LOWER_UP{mdown}> mtu {info.mtu} "
            f"qdisc noqueue \n    link/ether {info.mac} brd ff:ff:ff:ff:ff:ff\n")


def _addr_lines(info, inet6, family) -> str:
    out = []
    if info.ipv4 and family in (None, "inet"):
        net = ipaddress.IPv4Network(f"{info.ipv4}/{info.prefixlen}", strict=False)
        brd = "" if info.loopback else f"brd {net.broadcast_address} "
        scope = "host" if info.loopback else "global"
        out.append(f"    inet {info.ipv4}/{info.prefixlen} {brd}scope {scope} {info.name}\n"
                   f"       valid_lft forever preferred_lft forever\n")
    if family in (None, "inet6"):
        for addr, plen, scope, dev in inet6:
            if dev == info.name:
                out.append(f"    inet6 {addr}/{plen} scope {_SCOPE_NAMES.get(scope, scope)} \n"
                           f"       valid_lft forever preferred_lft forever\n")
    return "".join(out)


def _matches(word: str, full: str, least: int = 1) -> bool:
    return len(word) >= least and full.startswith(word)


async def _address(proc, args, family, link_only=False) -> int:
    if args and args[0] not in ("show", "list", "lst", "sh", "ls", "s", "l", "dev"):
        if args[0] in ("add", "del", "delete", "change", "replace", "flush", "set"):
            raise util.Fatal("RTNETLINK answers: Operation not permitted", 2)
        raise util.Fatal(f"command '{args[0]}' is unknown, try \"ip {'link' if link_only else 'address'}"
                         f" help\"")
    if args and args[0] != "dev":
        args = args[1:]
    wanted = None
    if args:
        wanted = args[1] if args[0] == "dev" and len(args) > 1 else args[0]
    infos = sorted(proc.interfaces(), key=lambda i: i.index)
    if wanted is not None and not any(i.name == wanted for i in infos):
        raise util.Fatal(f"can't find device '{wanted}'")
    inet6 = read_inet6(proc)
    out = []
    for info in infos:
        if wanted is not None and info.name != wanted:
            continue
        out.append(_link_line(info))
        if not link_only:
            out.append(_addr_lines(info, inet6, family))
    await proc.write(1, "".join(out))
    return 0


def _hexaddr(text: str) -> str:
    return str(ipaddress.IPv4Address(int(text, 16).to_bytes(4, "little")))


async def _route(proc, args) -> int:
    if args and args[0] not in ("show", "list", "lst", "sh", "ls", "s", "l"):
        if args[0] in ("add", "del", "delete", "change", "replace", "flush", "append"):
            raise util.Fatal("RTNETLINK answers: Operation not permitted", 2)
        if args[0] == "get":
            raise util.Fatal("RTNETLINK answers: Operation not supported", 2)
        raise util.Fatal(f"command '{args[0]}' is unknown, try \"ip route help\"")
    data = proc.read_file("/proc/net/route").decode()
    addrs = {i.name: i.ipv4 for i in proc.interfaces()}
    out = []
    for ln in data.splitlines()[1:]:
        f = ln.split()
        if len(f) < 8:
            continue
        dest, gw, mask, flags = _hexaddr(f[1]), _hexaddr(f[2]), _hexaddr(f[7]), int(f[3], 16)
        plen = ipaddress.IPv4Network(f"0.0.0.0/{mask}").prefixlen
        if flags & 2:
            prefix = "default" if plen == 0 else f"{dest}/{plen}"
            out.append(f"{prefix} via {gw} dev {f[0]} \n")
        else:
            out.append(f"{dest}/{plen} dev {f[0]} scope link  src {addrs.get(f[0], '')} \n")
    await proc.write(1, "".join(out))
    return 0


@util.run_applet
async def main(proc, argv, gnu):
    args = list(argv[1:])
    family = None
    while args and args[0].startswith("-") and len(args[0]) > 1:
        opt = args.pop(0)
        if opt in ("-4",):
            family = "inet"
        elif opt == "-6":
            family = "inet6"
        elif opt in ("-f", "-family") and args:
            family = args.pop(0)
        elif _matches(opt[1:], "oneline"):
            pass
        else:
            raise util.Usage()
    if not args:
        raise util.Usage()
    obj, rest = args[0], args[1:]
    try:
        if _matches(obj, "address"):
            return await _address(proc, rest, family)
        if _matches(obj, "link"):
            return await _address(proc, rest, family, link_only=True)
        if _matches(obj, "route"):
            return await _route(proc, rest)
    except SimError as err:
        raise util.Fatal(util.errtext(err)) from None
    raise util.Usage()
