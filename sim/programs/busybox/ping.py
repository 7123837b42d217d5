"""``ping [-c CNT] [-i SECS] [-W SEC] [-w SEC] [-s SIZE] [-q] HOST``:
ICMP echo inside the simulated world.  Whether the address answers is the
stack's routing (`NetStack.ping` through `proc.icmp_echo`): an address
with no route fails at sendto like Linux (``Network is unreachable``); an
address on a bridge nobody holds never answers.  Replies come at once
(the round trip is a few dozen microseconds of virtual time), requests
every second."""

from ...errors import SimError
from . import netutil, util

util.USAGES["ping"] = "ping [OPTIONS] HOST"

#: The round-trip times reported: loopback, then across a bridge (µs).
RTT_LOCAL_US = 45
RTT_BRIDGE_US = 80
MAXWAIT = 10


@util.run_applet
async def main(proc, argv, gnu):
    opts, args = util.getopt(argv, "qvAc:s:t:w:W:I:np:i:46")
    if len(args) != 1:
        raise util.Usage()
    host = args[0]
    count = util.parse_int(opts["c"]) if "c" in opts else 0
    datalen = util.parse_int(opts["s"]) if "s" in opts else 56
    interval = float(opts.get("i", 1))
    deadline = util.parse_int(opts["w"]) if "w" in opts else 0
    wait = util.parse_int(opts["W"]) if "W" in opts else MAXWAIT
    quiet = bool(opts.get("q"))
    ip = netutil.resolve(proc, host)
    await proc.write(1, f"PING {host} ({ip}): {datalen} data bytes\n")
    start = proc.monotonic()
    sent = received = 0
    times = []
    while True:
        if deadline and proc.monotonic() - start >= deadline:
            break
        try:
            answered = proc.icmp_echo(ip)
        except SimError as err:
            raise util.Fatal(f"sendto: {util.errtext(err)}") from None
        seq = sent
        sent += 1
        if answered is not None:
            received += 1
            rtt = RTT_LOCAL_US if answered == 0 else RTT_BRIDGE_US
            times.append(rtt)
            if not quiet:
                await proc.write(1, f"{datalen + 8} bytes from {ip}: seq={seq} ttl=64 "
                                    f"time={rtt // 1000}.{rtt % 1000:03d} ms\n")
        if count and received >= count:
            break
        if count and sent >= count:
            # wait for the last reply: -W seconds when none came, else 2 RTTs (1 s)
            await proc.sleep(wait if not received else 1)
            break
        await proc.sleep(interval)
    out = (f"\n--- {host} ping statistics ---\n{sent} packets transmitted, "
           f"{received} packets received, {(sent - received) * 100 // sent if sent else 0}% "
           f"packet loss\n")
    if times:
        avg = sum(times) // len(times)
        lo, hi = min(times), max(times)
        out += (f"round-trip min/avg/max = {lo // 1000}.{lo % 1000:03d}/{avg // 1000}."
                f"{avg % 1000:03d}/{hi // 1000}.{hi % 1000:03d} ms\n")
    await proc.write(1, out)
    return 0 if received and not (deadline and count and received < count) else 1
