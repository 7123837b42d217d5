"""nginx as the official images run it: a master process and its
workers serving static files over the simulated network."""

from .. import table
from . import main as _main

table.register("nginx", _main.main, "partial",
               "master and workers, static files, return, try_files, error_page, index, "
               "access and error logs, -t/-T/-s/-g/-c; no proxy_pass, gzip, TLS",
               vsz_kb=12548, rss_kb=3584)
