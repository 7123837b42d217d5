"""The host's ``/sbin/init``: reaps orphans forever."""

from ...abi import Errno
from ...errors import Interrupted, SimError


async def main(proc, argv) -> int:
    while True:
        try:
            await proc.wait()
        except SimError as e:
            if e.errno_value != Errno.ECHILD:
                raise
            try:
                await proc.sleep(3600)
            except Interrupted:
                proc.take_signals()
        except Interrupted:
            proc.take_signals()
