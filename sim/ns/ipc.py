"""IPC namespaces (ipc_namespaces(7)) and the POSIX shared memory that
Docker ties to them: a container's /dev/shm.

Docker gives every container with an IPC namespace of its own
(``--ipc private``, the default, or ``shareable``) a tmpfs of
``ShmSize`` bytes (64 MiB by default) at /dev/shm; a container that joins
another's namespace (``--ipc container:<id>``) mounts that same tmpfs,
``--ipc host`` mounts the host's /dev/shm, and ``--ipc none`` has a
namespace with no /dev/shm at all.  System V objects (shmget, semget,
msgget) are not simulated: no program here uses them.
"""

import attrs


@attrs.define(eq=False)
class IpcNamespace:
    #: The tmpfs mounted at /dev/shm by the tasks of this namespace (a
    #: `sim.fs.memfs.MemFs`); None: none (``--ipc none``).
    shm: object = None
    #: May another container join it (Docker's ``shareable``, and the host's).
    shareable: bool = False
    #: The container whose namespace it is ("" for the host's).
    owner: str = ""
