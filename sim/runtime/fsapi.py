"""What a filesystem the daemon injects (a bind mount's host directory,
a volume) builds its answers from: the inode and stat values of the
simulation's VFS (`sim.fs.vfs.Filesystem` is the protocol to implement)."""

from ..fs.memfs import Dir, File, LiveFile, Stat, Symlink, Usage

__all__ = ["Dir", "File", "LiveFile", "Stat", "Symlink", "Usage"]
