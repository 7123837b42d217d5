"""node: the node images' ``/usr/local/bin/node``, real JavaScript on a
QuickJS engine (quickjs-ng) with node's runtime around it (see
`sim.programs.node.runtime`)."""

from .. import table
from . import runtime

table.register("node", runtime.main, "partial",
               "QuickJS engine; console, process, timers, require, events, util, path, os, fs, "
               "Buffer basics, http/net over the kernel's sockets",
               vsz_kb=1024 * 1024, rss_kb=40 * 1024)
