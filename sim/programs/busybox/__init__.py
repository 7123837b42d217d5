"""busybox: the multi-call binary and its applets.

Registers ``busybox`` (dispatching on ``basename(argv[0])``) and, for the
Debian-based images whose /usr/bin files name single programs, every applet
under its own name with GNU coreutils message formats (``gnu=True``) —
except ``ps`` and ``top``, which are procps-ng's there (`sim.programs.misc`).
"""

from .. import table
from . import busybox
from .applets import APPLETS

table.register("busybox", busybox.main)

_NOT_STANDALONE = {"ps", "top", "sh", "ash", "[[", "clear", "reset"}


def _standalone(applet):
    async def main(proc, argv):
        return await applet(proc, argv, gnu=True)

    main.__doc__ = applet.__doc__
    return main


for _name, _applet in APPLETS.items():
    if _name not in _NOT_STANDALONE:
        table.register(_name, _standalone(_applet))

for _name in ("clear", "reset"):
    if _name in APPLETS:
        table.register(_name, _standalone(APPLETS[_name]))

# procps-ng's top is not written yet: the Debian images get busybox's layout.
table.register("top", _standalone(APPLETS["top"]), "partial", "busybox top layout, not procps-ng top")
