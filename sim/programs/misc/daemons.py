"""``dockerd``, ``containerd`` and ``containerd-shim-runc-v2`` as the host's
process table shows them: they only sleep (the real engine is the Python
daemon); their argv is what ``ps`` prints."""

from ...errors import Interrupted


async def main(proc, argv) -> int:
    while True:
        try:
            await proc.sleep(3600)
        except Interrupted:
            proc.take_signals()
