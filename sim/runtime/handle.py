"""What the runtime hands back: handles on processes, containers and
root filesystems.

moby holds a containerd task: it can signal it, wait for it, attach to its
stdio and list its processes, and it reads and writes the container's
filesystem through the mounted root.  These handles are that, for the
simulation, and the only way the daemon reaches a process or a container's
files:

- `ProcessHandle`: one process (an exec, a host command): host PID,
  `signal`, stdio streams, `on_exit`.
- `ContainerHandle`: a running container (its first process is the
  handle's own process), plus `exec`, `pids` and its `rootfs`.
- `RootFs`: a container's filesystem from outside, running or not:
  `docker diff`, the writable layer as a tar (commit, build), ``docker
  cp`` and export.
- `WritableLayer`: the container's upper tree, kept between runs.

Handles are driven by the kernel's run: `Machine.collect` tells a handle
its process exited, which runs the ``on_exit`` callbacks (the daemon reads
the last output there) and then lets go of the output streams.
"""

from typing import BinaryIO, Callable

import attrs

from ..abi import Signal
from ..fs import archive
from ..fs.archive import ArchiveError  # noqa: F401 - the error RootFs's copies raise
from ..fs.archive import check_path_param  # noqa: F401 - the path check, before any lookup
from ..fs.memfs import Dir, tree_usage
from ..fs.tar import read_layer, write_tree
from ..golang import GoError
from .resources import cgroup_limits
from .spec import FileMount
from .stats import ContainerStats
from .stats import collect as collect_stats
from .streams import InputStream, OutputStream


@attrs.define(eq=False)
class WritableLayer:
    """A container's writable layer: the overlay's upper tree (files it
    wrote, whiteouts for what it deleted, opaque directories).  Survives
    the container's runs; a daemon restart rebuilds it from `tar()`."""

    root: Dir = attrs.field(factory=Dir, repr=False)
    #: Changed since it was last saved: set by the overlay over it
    #: (`mark_dirty`), cleared by whoever saves it (`mark_saved`).
    dirty: bool = attrs.field(default=False, init=False)

    def mark_dirty(self) -> None:
        self.dirty = True

    def mark_saved(self) -> None:
        self.dirty = False

    @classmethod
    def from_tar(cls, data: bytes) -> "WritableLayer":
        """Rebuild a saved layer (its whiteouts and opaque dirs included)."""
        return cls(read_layer(data).root)

    def tar(self) -> bytes:
        """The layer as `docker commit` and the builder record it: every
        upper object with its parent directories, ``.wh.NAME`` for a
        deletion, ``.wh..wh..opq`` for an opaque directory; the same tree
        always gives the same bytes."""
        return write_tree(self.root)

    @property
    def size(self) -> int:
        """Regular-file bytes in the layer (``SizeRw``), a hard-linked
        inode once."""
        return tree_usage(self.root).bytes


@attrs.define(eq=False)
class RootFs:
    """A container's root filesystem seen from outside.

    ``vfs`` is the container's mount namespace when it runs, or a bare
    one (the overlay alone) when it does not; ``overlay`` its root."""

    _vfs: object = attrs.field(alias="vfs", repr=False)  # sim.fs.vfs.Vfs
    _overlay: object = attrs.field(alias="overlay", repr=False)  # sim.fs.overlay.Overlay
    writable: WritableLayer
    #: The spec's file mounts: (FileMount, the mounted inode).
    _files: tuple = attrs.field(default=(), alias="files", repr=False)

    def changes(self) -> "list[tuple[str, str]]":
        """``docker diff``: (kind, absolute path), kind A, C or D, sorted."""
        return self._overlay.changes()

    def file_mounts(self) -> "tuple[FileMount, ...]":
        """The file mounts (/etc/hosts & co.) with what they hold now: the
        container may have written to them."""
        return tuple(attrs.evolve(mount, content=bytes(inode.data)) for mount, inode in self._files)

    def write_file_mount(self, destination: str, content: bytes) -> None:
        """Replace what the file mount at ``destination`` holds (dockerd
        rewrites a running container's /etc/hosts on network connect)."""
        for mount, inode in self._files:
            if mount.destination == destination:
                inode.data = bytearray(content)

    def diff_tar(self) -> bytes:
        """The writable layer as a layer tar (whiteouts included)."""
        return self.writable.tar()

    # -- docker cp and export (sim.fs.archive: moby's words and rules) --------
    # They work in the view ``docker cp`` has (`archive.copy_view`): the
    # root filesystem and the container's bind mounts, without /proc, /dev
    # or /sys.  Errors are `archive.ArchiveError`s (message and HTTP kind).

    def stat(self, path: str, *, container: str = "") -> "archive.PathStat":
        """``HEAD /containers/{id}/archive``: the path's stat, as the
        ``X-Docker-Container-Path-Stat`` header carries it."""
        return archive.stat_path(self._vfs, path, container=container)

    def get_archive(self, path: str, *, container: str = "") -> "tuple[archive.PathStat, bytes]":
        """``GET /containers/{id}/archive``: the path as a tar."""
        return archive.archive_path(self._vfs, path, container=container)

    def put_archive(self, path: str, data: "BinaryIO | bytes", *, no_overwrite_dir_non_dir: bool = False,
                    copy_uid_gid: bool = False, user: str = "", container: str = "") -> None:
        """``PUT /containers/{id}/archive``: extract a tar (possibly
        compressed) into the directory ``path``; what changes lands in the
        writable layer (or in a bind mount).  A read-only root
        (`RootSpec.readonly`) refuses it."""
        archive.extract_archive(self._vfs, path, data, no_overwrite_dir_non_dir=no_overwrite_dir_non_dir,
                                copy_uid_gid=copy_uid_gid, user=user, container=container)

    def export(self) -> bytes:
        """``GET /containers/{id}/export``: the merged filesystem as a tar."""
        return archive.export_rootfs(self._vfs)

    def mkdir_all(self, path: str, mode: int = 0o755) -> None:
        """``mkdir -p`` as root (the builder's WORKDIR).  Raises
        ArchiveError with Go's words (``mkdir /etc/passwd: not a
        directory``)."""
        view = archive.copy_view(self._vfs)
        try:
            made = archive.mkdir_all(view, path, mode)
        except GoError as err:
            raise ArchiveError(str(err)) from None
        for path_made in made:
            view.chown(path_made, 0, 0)

    def user_ids(self, user: str) -> "tuple[int, int]":
        """The uid and gid of ``user`` (``name``, ``uid``, ``name:group``,
        ``uid:gid``) in this filesystem's /etc/passwd and /etc/group.
        Raises ArchiveError."""
        return archive.container_user_ids(archive.copy_view(self._vfs), user)

    def user_id(self, name: str) -> "int | None":
        """The uid of the first /etc/passwd line named ``name`` (moby/sys/user
        ``ParsePasswdFileFilter``), None when there is none.  Raises
        ArchiveError (``open /etc/passwd: no such file or directory``) when
        the file cannot be read."""
        entry = self._entry_named(archive.read_passwd, name)
        return None if entry is None else entry.uid

    def group_id(self, name: str) -> "int | None":
        """The gid of the first /etc/group line named ``name``, as `user_id`."""
        entry = self._entry_named(archive.read_group, name)
        return None if entry is None else entry.gid

    def _entry_named(self, read, name: str):
        try:
            entries = read(archive.copy_view(self._vfs))
        except GoError as err:  # Go's "open /etc/passwd: …"
            raise ArchiveError(str(err)) from None
        return next((entry for entry in entries if entry.name == name), None)

    @property
    def vfs(self):
        """For the runtime and `sim` helpers only: the mount namespace."""
        return self._vfs


@attrs.define(eq=False)
class ProcessHandle:
    """A started process.  ``stderr`` is None with a terminal (one stream:
    the pty master's screen); ``stdin`` None when the process reads
    /dev/null (with a terminal: nobody types).

    Invariant: ``exit_code`` is None exactly while the process has not
    exited; after the exit callbacks ran, the output streams are closed."""

    _kernel: object = attrs.field(alias="kernel", repr=False)
    _task: object = attrs.field(alias="task", repr=False)
    stdout: OutputStream
    stderr: "OutputStream | None"
    stdin: "InputStream | None"
    exit_code: "int | None" = None
    _exit_callbacks: list = attrs.field(factory=list, init=False, repr=False)
    #: The process's terminal (`sim.io.pty.Pty`) when it was started with
    #: one: ``stdout`` reads its screen, ``stdin`` types on its keyboard.
    _pty: object = attrs.field(default=None, alias="pty", repr=False, kw_only=True)

    @property
    def pid(self) -> int:
        """The process's PID on the host."""
        return self._task.host_pid

    @property
    def running(self) -> bool:
        return self.exit_code is None

    def signal(self, sig: "Signal | int") -> None:
        """Send ``sig`` from outside the container (the daemon acts from
        the root PID namespace), with the kernel's rules: an init without
        a handler ignores all but SIGKILL."""
        if self.running:
            self._kernel.send_signal(self._task, Signal(sig))

    @property
    def terminal(self) -> bool:
        """Started with a pseudo-terminal (``stderr`` is then None)."""
        return self._pty is not None

    @property
    def tty_name(self) -> "str | None":
        """``pts/N`` of the process's terminal, None without one."""
        return self._pty.name if self._pty is not None else None

    def resize(self, height: int, width: int) -> None:
        """TIOCSWINSZ on the terminal's master (``docker resize``, the
        client's SIGWINCH): the foreground process group gets SIGWINCH when
        the size changed.  Nothing without a terminal."""
        if self._pty is not None and not self._pty.hung_up:
            self._pty.resize(int(height), int(width))

    def on_exit(self, callback: Callable[[int], None]) -> None:
        """Call ``callback(exit_code)`` once the process has exited (at once
        if it already has)."""
        if self.running:
            self._exit_callbacks.append(callback)
        else:
            callback(self.exit_code)

    def _exited(self, exit_code: int) -> None:
        """Called by the machine when the process exited."""
        if not self.running:
            return
        self.exit_code = exit_code
        callbacks, self._exit_callbacks = self._exit_callbacks, []
        try:
            for callback in callbacks:
                callback(exit_code)
        finally:
            self._release()

    def _release(self) -> None:
        for stream in (self.stdout, self.stderr):
            if stream is not None:
                stream.close()
        if self._pty is not None:
            self._pty.hangup()  # the shim closes the master


@attrs.define(eq=False)
class ContainerHandle(ProcessHandle):
    """A running container: its first process (PID 1 inside) is this
    handle's process.  When it exits the runtime ends the shim and the
    container's other processes are gone with its PID namespace."""

    id: str = ""
    rootfs: "RootFs | None" = None
    _runtime: object = attrs.field(default=None, alias="runtime", repr=False)
    _nsset: object = attrs.field(default=None, alias="nsset", repr=False)
    _shim: object = attrs.field(default=None, alias="shim", repr=False)
    #: The network sandbox (`sim.runtime.network.NetSandbox`): endpoints(),
    #: connect(), disconnect().  Released when the container's process ends.
    net: object = attrs.field(default=None, repr=False)
    #: The container's control group (`sim.kernel.cgroup.Cgroup`).
    cgroup: object = attrs.field(default=None, repr=False)
    #: The container's devpts instance (`sim.io.pty.Devpts`): every
    #: ``exec -t`` opens its next free pty.
    _devpts: object = attrs.field(default=None, alias="devpts", repr=False)
    #: The container's `sim.runtime.spec.Security`: an exec's process
    #: gets it too (runc exec reuses the container's process settings).
    security: object = attrs.field(default=None, repr=False)

    @property
    def hostname(self) -> str:
        return self._nsset.uts.hostname

    def exec(self, spec, stdin: "InputStream | None" = None) -> ProcessHandle:
        """Start ``spec`` (a `ProcessSpec`) in the container's namespaces, a
        child of the shim, as ``docker exec`` does.  Raises StartError."""
        return self._runtime._exec(self, spec, stdin)

    @property
    def own_pid_namespace(self) -> bool:
        """Its first process is PID 1 of a namespace of its own (not
        ``--pid host`` or ``container:<id>``)."""
        ns = self._nsset.pid
        return ns.level > 0 and ns.pid_of(self._task) == 1

    def pids(self) -> "list[int]":
        """Host PIDs of every process in the container (``docker top``):
        its PID namespace's, or, when it shares one, its cgroup's."""
        if self.own_pid_namespace or self.cgroup is None:
            return [info.host_pid for info in self._kernel.task_infos(self._nsset.pid)]
        mine = {t.host_pid for t in self.cgroup.tasks}
        return [info.host_pid for info in self._kernel.task_infos(self._kernel.root_pidns)
                if info.host_pid in mine]

    @property
    def oom_killed(self) -> bool:
        """The OOM killer killed a process of its cgroup in this run
        (memory.events' ``oom_kill``): containerd's OOM event."""
        return self.cgroup is not None and self.cgroup.oom_kills > 0

    # -- process control (the cgroup: freezer, limits, accounting) -----------
    @property
    def paused(self) -> bool:
        return self.cgroup is not None and self.cgroup.frozen

    def pause(self) -> None:
        """Freeze every process of the container (``runc pause``: the
        cgroup's freezer); a fatal signal still ends them."""
        if self.running and self.cgroup is not None:
            self._kernel.freeze(self.cgroup)

    def resume(self) -> None:
        """Thaw them (``runc resume``)."""
        if self.cgroup is not None:
            self._kernel.thaw(self.cgroup)

    def update(self, resources) -> None:
        """New cgroup limits from a `sim.runtime.spec.Resources`
        (``runc update``)."""
        if self.cgroup is not None:
            self._kernel.set_cgroup_limits(self.cgroup, cgroup_limits(resources))

    def stats(self) -> ContainerStats:
        """The container's usage now (`sim.runtime.stats`)."""
        netns = None
        if self.net is not None and getattr(self.net, "mode", "private") != "host":
            netns = self.net.ns
        return collect_stats(self._kernel, self.cgroup, netns)

    def _release(self) -> None:
        super()._release()
        if self.cgroup is not None and not self.own_pid_namespace:
            # No namespace init to take the others with it: the shim kills
            # what is left in the cgroup, as runc does for a shared PID ns.
            for task in sorted(self.cgroup.tasks, key=lambda t: t.host_pid):
                if task.alive:
                    self._kernel.send_signal(task, Signal.SIGKILL)
        self._kernel.send_signal(self._shim, Signal.SIGKILL)
        if self.net is not None:
            self.net.release()
