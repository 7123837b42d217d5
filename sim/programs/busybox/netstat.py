"""``netstat [-ral] [-tuwx] [-enWp]``: the sockets of the network
namespace, read from /proc/net/{tcp,tcp6,udp,udp6,raw,raw6,unix} as
busybox's netstat.c does (addresses printed numerically: the simulation
has no services database)."""

import ipaddress

from ...errors import SimError
from . import util

TCP_STATES = ["", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT",
              "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING"]
ADDR_NORMAL_WIDTH = 23
ADDR_WIDE = 51
PROGNAME_BANNER = "PID/Program name    "

util.USAGES["netstat"] = "netstat [-ral] [-tuwx] [-enWp]"


def _addr(hexaddr: str) -> str:
    if len(hexaddr) > 8:
        raw = b"".join(int(hexaddr[i:i + 8], 16).to_bytes(4, "little") for i in range(0, 32, 8))
        return str(ipaddress.IPv6Address(raw))
    return str(ipaddress.IPv4Address(int(hexaddr, 16).to_bytes(4, "little")))


def _parse(line: str):
    f = line.split()
    if len(f) < 10:
        return None
    local, lport = f[1].rsplit(":", 1)
    rem, rport = f[2].rsplit(":", 1)
    tx, rx = f[4].split(":")
    return {"local": _addr(local), "lport": int(lport, 16), "rem": _addr(rem),
            "rport": int(rport, 16), "state": int(f[3], 16), "txq": int(tx, 16),
            "rxq": int(rx, 16), "inode": int(f[9])}


def _ipport(host: str, port: int) -> str:
    return f"{host}:{port if port else '*'}"


def _prg_cache(proc) -> dict:
    """inode -> "PID/argv0" from /proc/PID/fd (busybox's prg_cache_load)."""
    cache = {}
    try:
        pids = [p for p in proc.listdir("/proc") if p.isdigit()]
    except SimError:
        return cache
    for pid in pids:
        try:
            cmdline = proc.read_file(f"/proc/{pid}/cmdline").split(b"\0")[0].decode(errors="replace")
            fds = proc.listdir(f"/proc/{pid}/fd")
        except SimError:
            continue
        for fd in fds:
            try:
                link = proc.readlink(f"/proc/{pid}/fd/{fd}")
            except SimError:
                continue
            if link.startswith("socket:[") and link.endswith("]"):
                cache[int(link[8:-1])] = f"{pid}/{cmdline.rsplit('/', 1)[-1]}"
    return cache


@util.run_applet
async def main(proc, argv, gnu):
    opts, args = util.getopt(argv, "laentuwxrWp")
    listening, connected = False, True
    if opts.get("l"):
        listening, connected = True, False
    if opts.get("a"):
        listening = connected = True
    protos = {k for k in "tuwx" if opts.get(k)} or set("tuwx")
    width = ADDR_WIDE if opts.get("W") else ADDR_NORMAL_WIDTH
    prg = bool(opts.get("p"))
    if opts.get("r"):
        return await _routes(proc, bool(opts.get("n")), not opts.get("e"))
    cache = _prg_cache(proc) if prg else {}
    out = []

    def which() -> str:
        if listening and connected:
            return "(servers and established)"
        return "(only servers)" if listening else "(w/o servers)"

    def line(proto, p, state_str, is_connected):
        if not ((is_connected and connected) or (not is_connected and listening)):
            return
        text = (f"{proto}   {p['rxq']:6d} {p['txq']:6d} {_ipport(p['local'], p['lport']):<{width}s} "
                f"{_ipport(p['rem'], p['rport']):<{width}s} {state_str:<12s}")
        if prg:
            text += cache.get(p["inode"], "-")[:20]
        out.append(text + "\n")

    def each(path, fn):
        try:
            data = proc.read_file(path).decode(errors="replace")
        except SimError as err:
            out.append(("\0warn", f"{path}: {util.errtext(err)}"))
            return
        for n, ln in enumerate(data.split("\n")[1:], start=2):
            if not ln.strip():
                continue
            p = _parse(ln)
            if p is None:
                out.append(("\0warn", f"{path}: bogus data on line {n}"))
                continue
            fn(p)

    if protos & set("tuw"):
        out.append(f"Active Internet connections {which()}\n"
                   f"Proto Recv-Q Send-Q {'Local Address':<{width}s} {'Foreign Address':<{width}s} "
                   f"State       {PROGNAME_BANNER if prg else ''}\n")
    if "t" in protos:
        for path in ("/proc/net/tcp", "/proc/net/tcp6"):
            each(path, lambda p: line("tcp", p, TCP_STATES[p["state"]] if p["state"] < 12 else "",
                                      p["rport"] != 0))
    if "u" in protos:
        def udp(p):
            state = {1: "ESTABLISHED", 7: ""}.get(p["state"], "UNKNOWN")
            have_rem = p["rem"] not in ("0.0.0.0", "::")
            line("udp", p, state, have_rem)
        for path in ("/proc/net/udp", "/proc/net/udp6"):
            each(path, udp)
    if "x" in protos:
        out.append(f"Active UNIX domain sockets {which()}\n"
                   f"Proto RefCnt Flags       Type       State         I-Node "
                   f"{PROGNAME_BANNER if prg else ''}Path\n")
    for item in out:
        if isinstance(item, tuple):
            await proc.write(2, f"netstat: {item[1]}\n")
        else:
            await proc.write(1, item)
    return 0


async def _routes(proc, numeric: bool, netstatfmt: bool) -> int:
    """``netstat -r``: busybox's bb_displayroutes over /proc/net/route
    (without -n an all-zero destination reads ``default`` and gateway
    ``*``; other addresses stay numeric: no reverse lookups here)."""
    data = proc.read_file("/proc/net/route").decode()
    out = ["Kernel IP routing table\n",
           "Destination     Gateway         Genmask         Flags "
           f"{'  MSS Window  irtt' if netstatfmt else 'Metric Ref    Use'} Iface\n"]
    for ln in data.splitlines()[1:]:
        f = ln.split()
        if len(f) < 11:
            continue
        flags = int(f[3], 16)
        if not flags & 1:
            continue
        dest, gw, mask = (_addr(x) for x in (f[1], f[2], f[7]))
        if not numeric:
            dest = "default" if dest == "0.0.0.0" else dest
            gw = "*" if gw == "0.0.0.0" else gw
        fl = "U" + ("G" if flags & 2 else "") + ("H" if flags & 4 else "")
        line = f"{dest[:15]:<15s} {gw[:15]:<15s} {mask:<16s}{fl:<6s}"
        if netstatfmt:
            line += f"{int(f[8]):5d} {int(f[9]):<5d} {int(f[10]):6d} {f[0]}\n"
        else:
            line += f"{int(f[6]):<6d} {int(f[4]):<2d} {int(f[5]):7d} {f[0]}\n"
        out.append(line)
    await proc.write(1, "".join(out))
    return 0
