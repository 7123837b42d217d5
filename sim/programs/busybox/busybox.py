"""The busybox multi-call binary: runs the applet named by
``basename(argv[0])``, or ``busybox APPLET ARGS...``."""

from . import util


def _applet_list_text() -> str:
    from .applets import APPLETS

    names = sorted(APPLETS)
    lines = []
    line = "\t"
    for name in names:
        piece = name + ", "
        if len(line.expandtabs()) + len(piece) > 79:
            lines.append(line.rstrip())
            line = "\t"
        line += piece
    lines.append(line.rstrip().rstrip(","))
    return "\n".join(lines) + "\n"


def banner() -> str:
    return (
        f"{util.VERSION_BANNER}\n"
        "BusyBox is copyrighted by many authors between 1998-2015.\n"
        "Licensed under GPLv2. See source distribution for detailed\n"
        "copyright information.\n"
        "\n"
        "Usage: busybox [function [arguments]...]\n"
        "   or: busybox --list[-full]\n"
        "   or: busybox --show SCRIPT\n"
        "   or: busybox --install [-s] [DIR]\n"
        "   or: function [arguments]...\n"
        "\n"
        "\tBusyBox is a multi-call binary that combines many common Unix\n"
        "\tutilities into a single executable.  Most people will create a\n"
        "\tlink to busybox for each function they wish to use and BusyBox\n"
        "\twill act like whatever it was invoked as.\n"
        "\n"
        "Currently defined functions:\n"
    ) + _applet_list_text()


async def main(proc, argv) -> int:
    from .applets import APPLETS

    name = util.applet_name(argv)
    if name == "busybox" or name.startswith("busybox"):
        args = list(argv[1:])
        if not args or args[0] == "--help":
            await proc.write(1, banner())
            return 0
        if args[0] in ("--list", "--list-full"):
            out = "".join(
                (_dir(n) if args[0] == "--list-full" else "") + n + "\n"
                for n in sorted(APPLETS)
            )
            await proc.write(1, out)
            return 0
        name = args[0]
        argv = args
        if len(args) > 1 and args[1] == "--help" and name in APPLETS:
            await proc.write(1, util.usage_text(name))
            return 0
    applet = APPLETS.get(name)
    if applet is None:
        await proc.write(2, f"{name}: applet not found\n")
        return 127
    return await applet(proc, argv)


def _dir(name: str) -> str:
    """The install directory busybox's applet table gives ``name``."""
    if name in _BIN:
        return "bin/"
    if name in _SBIN:
        return "sbin/"
    if name in _USR_SBIN:
        return "usr/sbin/"
    return "usr/bin/"


_SBIN = {"ifconfig", "ip"}
_USR_SBIN = {"httpd"}
_BIN = {
    "netstat", "ping", "ash", "sh", "cat", "chmod", "chown", "cp", "date", "df", "echo", "false", "hostname",
    "kill", "ln", "ls", "mkdir", "mktemp", "mv", "ps", "pwd", "rm", "rmdir",
    "sed", "sleep", "stat", "touch", "true", "uname", "grep",
}
