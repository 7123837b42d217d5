"""Programs that are not busybox applets: procps ``ps``, the hello-world
image's ``/hello``, the host's ``init``, ``docker-init`` (tini), ``dockerd``, ``containerd`` and
the shim (process-table placeholders), and ``curl``."""

from .. import table
from . import curl, daemons, dockerinit, hello, init, procps

table.register("ps", procps.main, "partial", "procps-ng ps: default, aux, -ef, -o")
table.register("procps-ps", procps.main, "partial", "procps-ng ps")
table.register("hello", hello.main)
table.register("init", init.main)
table.register("docker-init", dockerinit.main, "partial", "tini 0.19 as Docker's --init: forwards signals, "
               "reaps zombies, exits with the child's status; no options but --")
table.register("dockerd", daemons.main, "partial", "placeholder process")
table.register("containerd", daemons.main, "partial", "placeholder process")
table.register("containerd-shim-runc-v2", daemons.main, "partial", "placeholder process")
table.register("curl", curl.main, "partial", "plain HTTP/1.1: -s -S -i -I -o -O -v -X -d -H -A -L -f -w")
