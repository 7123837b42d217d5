"""moby/sys/symlink's ``FollowSymlinkInScope``: not the standard library,
but pure ``path/filepath`` logic that both archive modules need
(``docker cp``'s link targets, ``docker load``'s confined file opens).

The walk is lexical: each element of the path is looked up below
``root``; a symlink's target replaces it (an absolute target restarts at
``root``), ``..`` never climbs above ``root``, and an element that does
not exist is taken as it is.  More than 255 steps is an error.
"""

from __future__ import annotations

from typing import Callable

from .errors import GoError
from .path import clean_path

__all__ = ["follow_symlink_in_scope"]

#: (the element's path below the root, its full path) -> the link's target,
#: or None when it is no symlink or does not exist; other errors raise.
ReadLink = Callable[[str, str], "str | None"]


def follow_symlink_in_scope(path: str, root: str, read_link: ReadLink) -> str:
    """``path`` (a path below ``root``, both absolute) with every symlink
    expanded inside ``root``.  Raises GoError
    (``evalSymlinksInScope: <path> is not in <root>``,
    ``evalSymlinksInScope: too many links in <path>``) and whatever
    ``read_link`` raises."""
    path = clean_path(path)
    root = clean_path(root)
    if path == root:
        return path
    if not path.startswith(root):
        raise GoError(f"evalSymlinksInScope: {path} is not in {root}")
    original = path
    path = path[len(root):]
    if root == "/":
        path = "/" + path
    if not path.startswith("/"):
        raise GoError(f"evalSymlinksInScope: {path} is not in {root}")
    path = clean_path(path)
    done = ""  # the resolved part, "/"-terminated, relative to root
    steps = 0
    while path:
        if steps > 255:
            raise GoError(f"evalSymlinksInScope: too many links in {original}")
        steps += 1
        elem, _, path = path.partition("/")
        if elem == "":
            continue
        inner = clean_path("/" + done + elem)
        if inner == "/":
            done = ""
            continue
        target = read_link(inner, clean_path(root + inner))
        if target is None:
            done += elem + "/"
            continue
        if target.startswith("/"):
            done = ""
        path = target + "/" + path
    return clean_path(root + clean_path("/" + done))
