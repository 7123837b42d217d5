"""Which distribution a program runs on, from /etc/os-release (what a
program's build-time facts, such as curl's version or nginx's compiler
line, follow)."""

from ..errors import SimError


def os_key(proc, default: str) -> str:
    """``<ID>:<VERSION_ID>`` of the caller's /etc/os-release, Alpine's
    version cut to major.minor (``alpine:3.20``, ``debian:12``); ``default``
    when the file is missing."""
    try:
        text = proc.read_file("/etc/os-release").decode("utf-8", "replace")
    except SimError:
        return default
    fields = dict(line.split("=", 1) for line in text.splitlines() if "=" in line)
    os_id = fields.get("ID", "").strip('"')
    ver = fields.get("VERSION_ID", "").strip('"')
    if os_id == "alpine":
        ver = ".".join(ver.split(".")[:2])
    return f"{os_id}:{ver}"
