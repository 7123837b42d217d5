"""Helpers the network applets share: name resolution with busybox's
messages and a buffered reader over a socket."""

from ...abi import AF_INET, AF_INET6
from ...errors import SimError
from ...io.waiter import POLLIN
from . import util


def resolve(proc, host: str) -> str:
    """The first address of ``host`` (xhost2sockaddr): dies with
    ``bad address 'HOST'``."""
    try:
        return proc.getaddrinfo(host)[0]
    except (SimError, IndexError):
        raise util.Fatal(f"bad address '{host}'") from None


def family_of(address: str) -> int:
    return AF_INET6 if ":" in address else AF_INET


def dotted(host: str, port: int) -> str:
    """xmalloc_sockaddr2dotted: ``1.2.3.4:80`` or ``[::1]:80``."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


class Reader:
    """Buffered reads from ``fd`` (what stdio's FILE does for wget and
    httpd); ``timeout`` seconds without data raise TimeoutError."""

    def __init__(self, proc, fd: int, timeout: "float | None" = None):
        self.proc, self.fd, self.timeout = proc, fd, timeout
        self.buf = bytearray()
        self.eof = False

    async def _fill(self) -> bool:
        if self.eof:
            return False
        if self.timeout is not None:
            ready = await self.proc.poll([(self.fd, POLLIN)], self.timeout)
            if not ready:
                raise TimeoutError
        data = await self.proc.read(self.fd, 65536)
        if not data:
            self.eof = True
            return False
        self.buf += data
        return True

    async def readline(self) -> bytes:
        while b"\n" not in self.buf:
            if not await self._fill():
                break
        i = self.buf.find(b"\n")
        end = len(self.buf) if i < 0 else i + 1
        line = bytes(self.buf[:end])
        del self.buf[:end]
        return line

    async def read(self, n: int = 65536) -> bytes:
        if not self.buf:
            await self._fill()
        data = bytes(self.buf[:n])
        del self.buf[:n]
        return data
