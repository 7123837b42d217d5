"""``hostname [-s] [-F FILE] [NAME]``: print or set the host name."""

from ...abi import Errno
from ...errors import SimError
from . import util


@util.run_applet
async def main(proc, argv, gnu):
    opts, args = util.getopt(argv, "sfdiF:")
    if "F" in opts:
        try:
            data = proc.read_file(opts["F"]).decode(errors="replace")
        except SimError as e:
            raise util.Fatal(f"can't open '{opts['F']}': {util.errtext(e)}") from None
        lines = [ln.strip() for ln in data.splitlines() if ln.strip() and not ln.startswith("#")]
        args = lines[:1]
    if args:
        try:
            proc.sethostname(args[0])
        except SimError as e:
            if gnu and util.errno_of(e) == Errno.EPERM:
                # Debian's hostname(1) (the hostname package) words it so.
                raise util.Fatal("you must be root to change the host name") from None
            raise util.Fatal(f"sethostname: {util.errtext(e)}") from None
        return 0
    name = proc.gethostname()
    if "s" in opts:
        name = name.split(".", 1)[0]
    elif "d" in opts:
        name = name.split(".", 1)[1] if "." in name else ""
    elif "i" in opts:
        # gethostbyname(hostname): /etc/hosts (Docker writes the
        # container's address there), then the DNS.
        try:
            addrs = proc.getaddrinfo(name)
        except SimError:
            raise util.Fatal(f"{name}: Unknown host") from None
        name = " ".join(addrs)
    await proc.write(1, name + "\n")
    return 0
