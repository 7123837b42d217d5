"""devpts: the filesystem of pseudo-terminal slaves (/dev/pts).

Docker mounts a new devpts instance in every container
(``newinstance,ptmxmode=0666,mode=0620,gid=5``), so a container's first
terminal is /dev/pts/0 and each ``docker exec -t`` opens the next free
number.  The directory lists ``ptmx`` (5,2: opening it makes a new pair)
and one character device (136,N) per open pty, owned by the user it was
opened for and the ``tty`` group, mode 0620; a pty disappears from the
listing once its master is gone.  Opening /dev/pts/N is resolved by the
system-call layer to the pty itself (`sim.proc.files.PtySlaveDesc`).
"""

from typing import Callable

import attrs

from ..io.pty import PTS_MAJOR, Devpts, Pty
from .memfs import CharDevice, MemFs, tree_from_dict

#: The gid of the ``tty`` group, which devpts gives its nodes (gid=5).
TTY_GID = 5


@attrs.define(eq=False)
class PtsNode:
    """The driver behind /dev/pts/N: the pty (opened as a terminal by the
    system-call layer, never read as a plain device)."""

    pty: Pty

    def read(self, n: int = -1) -> bytes:  # pragma: no cover - the syscall layer opens ptys itself
        return self.pty.slave_read(n) or b""

    def write(self, data: bytes) -> int:  # pragma: no cover
        return self.pty.slave_write(data) or 0


@attrs.define(eq=False)
class PtmxNode:
    """The driver behind /dev/pts/ptmx (and the /dev/ptmx link): opening it
    makes a new pty pair in this instance."""

    devpts: Devpts

    def read(self, n: int = -1) -> bytes:  # pragma: no cover
        return b""

    def write(self, data: bytes) -> int:  # pragma: no cover
        return len(data)


def make_devpts(devpts: Devpts, now: Callable[[], float]) -> MemFs:
    """The filesystem view of ``devpts``, kept in step with its ptys."""
    t = now()
    fs = tree_from_dict({"/ptmx": CharDevice(PtmxNode(devpts), major=5, minor=2, mode=0o000,
                                             mtime=t)}, now=now, mtime=t)
    fs.fstype = "devpts"
    fs.source = "devpts"
    fs.root.mode = (fs.root.mode & ~0o7777) | 0o755

    def changed(pty: Pty, added: bool) -> None:
        name = str(pty.index)
        if added:
            node = CharDevice(PtsNode(pty), major=PTS_MAJOR, minor=pty.index, mode=0o620,
                              uid=pty.owner_uid, gid=TTY_GID, mtime=now())
            node.ino = fs.alloc_ino()
            fs.root.entries[name] = node
        else:
            fs.root.entries.pop(name, None)
        fs.root.mtime = now()

    devpts.on_change = changed
    for pty in list(devpts.ptys.values()):
        changed(pty, True)
    return fs
