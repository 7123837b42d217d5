"""statfs(2): the space figures of a mounted filesystem, derived from what
the filesystem holds (its ``usage()``) and how big it is.

- an overlay (a container's or the host's root) lives on the host's disk:
  its size is the kernel's ``disk_size_kb``; its used space is the bytes of
  its lower layers plus its upper tree (`Overlay.usage`).  The disk is ext4:
  5% of the blocks are reserved for root (mke2fs ``-m 5``), so ``f_bavail``
  is ``f_bfree`` minus that reserve, and it has one inode per 16 KiB
  (mke2fs.conf ``inode_ratio = 16384``).
- a single-file bind mount (/etc/hosts, …) is a file of that same host disk:
  it reports the host's root filesystem, as ``df /etc/hosts`` does in a
  container.
- a tmpfs: its size is its ``size=`` limit (default half of RAM) and its
  inodes ``nr_inodes`` (default half the RAM pages), tmpfs(5); nothing is
  reserved.
- procfs holds nothing: every count is 0 (which is why ``df`` skips it).
"""

from __future__ import annotations

import attrs

from .memfs import Usage

#: f_bsize and f_frsize of every simulated filesystem (the page size).
BLOCK_SIZE = 4096
#: mke2fs.conf's default ``inode_ratio``: bytes of disk per inode.
EXT4_INODE_RATIO = 16384
#: mke2fs's default reserved-blocks percentage.
EXT4_RESERVED_PERCENT = 5
#: NAME_MAX.
NAME_MAX = 255

#: f_type values (statfs(2), linux/magic.h) by name.
MAGIC = {"overlay": 0x794C7630, "tmpfs": 0x01021994, "proc": 0x9FA0, "ext4": 0xEF53}


@attrs.frozen
class StatFs:
    """What statfs(2) returns.  ``f_type`` is the filesystem's type name
    (``overlay``, ``tmpfs``, ``proc``, ``ext4``); `magic` its number."""

    f_type: str
    f_bsize: int
    f_blocks: int
    f_bfree: int
    f_bavail: int
    f_files: int
    f_ffree: int
    f_namelen: int = NAME_MAX

    @property
    def f_frsize(self) -> int:
        return self.f_bsize

    @property
    def magic(self) -> int:
        return MAGIC.get(self.f_type, 0)


def _blocks(nbytes: int) -> int:
    return -(-nbytes // BLOCK_SIZE)


def statfs_of(fs, *, disk_bytes: int, ram_bytes: int, host_fs=None) -> StatFs:
    """statfs(2) of filesystem ``fs`` on a machine with a disk of
    ``disk_bytes`` and ``ram_bytes`` of memory; ``host_fs`` is the host's
    root filesystem (what a bind-mounted host file reports)."""
    fstype = getattr(fs, "fstype", "none")
    if fstype == "tmpfs":
        total = fs.size_limit if getattr(fs, "size_limit", None) else ram_bytes // 2
        files = ram_bytes // BLOCK_SIZE // 2
        used = fs.usage()
        blocks = total // BLOCK_SIZE
        bfree = max(0, blocks - _blocks(used.bytes))
        return StatFs(fstype, BLOCK_SIZE, blocks, bfree, bfree, files,
                      max(0, files - used.inodes))
    usage_fn = getattr(fs, "usage", None)
    if fstype == "proc" or usage_fn is None:
        return StatFs(fstype, BLOCK_SIZE, 0, 0, 0, 0, 0)
    if fstype == "ext4" and host_fs is not None:
        used = host_fs.usage()  # a file of the host's disk
    else:
        used = usage_fn() if callable(usage_fn) else Usage()
    blocks = disk_bytes // BLOCK_SIZE
    bfree = max(0, blocks - _blocks(used.bytes))
    reserved = blocks * EXT4_RESERVED_PERCENT // 100
    files = disk_bytes // EXT4_INODE_RATIO
    return StatFs(fstype, BLOCK_SIZE, blocks, bfree, max(0, bfree - reserved), files,
                  max(0, files - used.inodes))
