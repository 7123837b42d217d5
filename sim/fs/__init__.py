"""The simulated filesystem: inodes and tmpfs (`memfs`), layer tars
(`tar`), overlayfs (`overlay`), the VFS with its mount table (`vfs`),
procfs (`procfs`) and statfs(2) figures (`statfs`).
See docs/sim-model.md, "Filesystem"."""

from .memfs import (
    CharDevice,
    DeviceHandler,
    Dir,
    File,
    Inode,
    MemFs,
    NullDevice,
    Stat,
    Symlink,
    Usage,
    Whiteout,
    ZeroDevice,
    make_devfs,
    make_tmpfs,
    makedev,
    tree_from_dict,
)
from .overlay import Overlay, OvlNode
from .procfs import ProcFs
from .statfs import StatFs
from .tar import LayerTree, read_layer, write_tree
from .vfs import Filesystem, InodeFs, Mount, OpenFile, Vfs

__all__ = [
    "CharDevice", "DeviceHandler", "Dir", "File", "Inode", "MemFs", "NullDevice",
    "Stat", "Symlink", "Whiteout", "ZeroDevice", "make_devfs", "make_tmpfs",
    "makedev", "tree_from_dict", "Overlay", "OvlNode", "LayerTree", "read_layer",
    "write_tree", "Filesystem", "InodeFs", "Mount", "OpenFile", "Vfs", "ProcFs", "StatFs",
    "Usage",
]
