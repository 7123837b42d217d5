"""``ifconfig [-a] [IFACE]``: the interfaces, in busybox's interface.c
format: the list and the counters from /proc/net/dev (sorted by name, as
busybox's add_interface keeps them), the addresses and flags from the
kernel (SIOCGIF*), IPv6 addresses from /proc/net/if_inet6.  Setting
addresses is not simulated."""

import ipaddress

from ...errors import SimError
from . import util

util.USAGES["ifconfig"] = "ifconfig [-a] IFACE [ADDRESS]"

_SCOPES = {0x00: "Global", 0x20: "Link", 0x40: "Site", 0x80: "Compat", 0x10: "Host"}


def _scaled(n: int) -> str:
    """print_bytes_scaled: ``1046 (1.0 KiB)``."""
    ext = ["", "Ki", "Mi", "Gi", "Ti"]
    i, frac, whole = 0, 0, n
    for _ in range(4):
        if whole >= 1024:
            frac = ((whole & 1023) * 10) // 1024
            whole //= 1024
            i += 1
    return f"{n} ({whole}.{frac} {ext[i]}B)"


def read_dev(proc) -> dict:
    """name -> counters dict from /proc/net/dev."""
    data = proc.read_file("/proc/net/dev").decode()
    found = {}
    for ln in data.splitlines()[2:]:
        name, _, rest = ln.partition(":")
        f = [int(x) for x in rest.split()]
        found[name.strip()] = {"rx_bytes": f[0], "rx_packets": f[1], "tx_bytes": f[8],
                               "tx_packets": f[9]}
    return found


def read_inet6(proc) -> list:
    try:
        data = proc.read_file("/proc/net/if_inet6").decode()
    except SimError:
        return []
    rows = []
    for ln in data.splitlines():
        f = ln.split()
        if len(f) == 6:
            rows.append((str(ipaddress.IPv6Address(bytes.fromhex(f[0]))), int(f[2], 16),
                         int(f[3], 16), f[5]))
    return rows


def render(info, stats, inet6) -> str:
    out = []
    if info.loopback:
        out.append(f"{info.name:<9s} Link encap:Local Loopback  \n")
    else:
        out.append(f"{info.name:<9s} Link encap:Ethernet  HWaddr {info.mac.upper()}  \n")
    if info.ipv4:
        net = ipaddress.IPv4Network(f"{info.ipv4}/{info.prefixlen}", strict=False)
        bcast = "" if info.loopback else f" Bcast:{net.broadcast_address} "
        out.append(f"          inet addr:{info.ipv4} {bcast} Mask:{net.netmask}\n")
    for addr, plen, scope, dev in inet6:
        if dev == info.name:
            out.append(f"          inet6 addr: {addr}/{plen} Scope:"
                       f"{_SCOPES.get(scope & 0xF0, 'Unknown')}\n")
    flags = ["UP"] + (["LOOPBACK"] if info.loopback else ["BROADCAST"]) + ["RUNNING"] + \
        ([] if info.loopback else ["MULTICAST"])
    out.append("          " + "".join(f + " " for f in flags) + f" MTU:{info.mtu}  Metric:1\n")
    s = stats.get(info.name)
    if s is not None:
        out.append(f"          RX packets:{s['rx_packets']} errors:0 dropped:0 overruns:0 frame:0\n")
        out.append(f"          TX packets:{s['tx_packets']} errors:0 dropped:0 overruns:0 carrier:0\n")
        out.append(f"          collisions:0 txqueuelen:{1000 if info.loopback else 0} \n")
        out.append(f"          RX bytes:{_scaled(s['rx_bytes'])}  TX bytes:{_scaled(s['tx_bytes'])}\n")
    out.append("\n")
    return "".join(out)


@util.run_applet
async def main(proc, argv, gnu):
    opts, args = util.getopt(argv, "a")
    infos = {i.name: i for i in proc.interfaces()}
    try:
        stats = read_dev(proc)
    except SimError as err:
        await proc.write(2, f"ifconfig: /proc/net/dev: {util.errtext(err)}\n")
        stats = {}
    inet6 = read_inet6(proc)
    if args:
        if len(args) > 1:
            raise util.Fatal("SIOCSIFADDR: Operation not permitted")
        info = infos.get(args[0])
        if info is None:
            raise util.Fatal(f"{args[0]}: error fetching interface information: Device not found")
        await proc.write(1, render(info, stats, inet6))
        return 0
    names = sorted(set(stats) | set(infos))
    await proc.write(1, "".join(render(infos[n], stats, inet6) for n in names if n in infos))
    return 0
