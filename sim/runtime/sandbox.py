"""The container runtime: what runc and the shim do, in the simulation.

`Runtime.create(spec)` builds a container's world from a `ContainerSpec`
and starts its first process:

1. the root filesystem: an overlay of the image's layers (read-only trees,
   cached per DiffID and shared by every container) and Docker's init
   layer (unless the spec leaves it out: a build step's ADD/COPY root)
   under the writable layer;
2. the mount namespace over it: /dev, /proc, and the spec's mounts (the
   /etc/hostname, /etc/hosts and /etc/resolv.conf files the daemon writes);
3. new PID and UTS namespaces (the hostname);
4. a shim on the host (``containerd-shim-runc-v2 … -id <id>``), the parent
   of the container's first process, which becomes PID 1 inside;
5. stdio: pipes the daemon reads (stdout, stderr) and stdin (a pipe the
   daemon writes, or /dev/null); or, with a terminal, a pseudo-terminal of
   the container's devpts whose slave is fds 0-2 and the controlling
   terminal of the process's session (runc's console socket), and whose
   master the daemon reads (the screen) and writes (the keyboard, through
   the stdin stream).

Every process runc starts, the first and each exec, leads a session of
its own (setsid in runc's nsexec), as ``ps -o pid,pgid,sid`` shows.

It returns a `ContainerHandle`; `ContainerHandle.exec` starts more
processes in the same namespaces.  `rootfs(root)` gives the filesystem of
a container that is not running (``docker cp``, ``diff``, the builder).
Errors are `StartError`s carrying the message runc would give.
"""

import posixpath

import attrs

from ..abi import O_RDWR, Errno, Signal
from ..errors import SimError
from ..fs import archive
from ..fs.memfs import File, MemFs, Symlink, make_devfs, tree_from_dict
from ..fs.overlay import Overlay
from ..fs.cgroupfs import CgroupFs
from ..fs.procfs import ProcFs
from ..fs.tar import LayerTree, read_layer
from .network import NetSandbox, host_sandbox, new_sandbox
from .resources import cgroup_limits
from ..fs.vfs import Vfs
from ..golang import GoError
from ..golang import quote as go_quote
from ..ns.nsset import NamespaceSet
from ..ns.ipc import IpcNamespace
from ..ns.uts import UtsNamespace
from ..programs.table import marker
from ..fs.devpts import make_devpts
from ..io.pty import Devpts
from ..proc.files import FileDesc, PipeDesc, PtySlaveDesc
from ..proc.pidns import PidNamespace
from .handle import ContainerHandle, ProcessHandle, RootFs, WritableLayer
from .imagemount import SubtreeFs, lookup_path, resolve_subpath
from .spec import ContainerSpec, DirMount, FileMount, ProcessSpec, RootSpec
from .streams import InputStream, OutputStream

SHIM = "/usr/bin/containerd-shim-runc-v2"
#: Where Docker bind-mounts its init (tini) for ``--init``.
DOCKER_INIT = "/sbin/docker-init"
CONTAINERD_SOCK = "/run/containerd/containerd.sock"
DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

_CREATE_PREFIX = ("failed to create task for container: failed to create shim task: "
                  "OCI runtime create failed: runc create failed: unable to start container "
                  "process: error during container init: ")
_EXEC_PREFIX = "OCI runtime exec failed: exec failed: unable to start container process: "


class StartError(Exception):
    """A container or exec process could not start.

    ``detail`` is runc's own words (``exec: "nosuch": executable file not
    found in $PATH``); ``message`` and ``exec_message`` wrap it the way
    dockerd reports a failed start and a failed exec; ``exit_code`` is what
    Docker records (127 not found, 126 not executable, 128 otherwise);
    ``kind`` says whether the client asked for something impossible
    ("invalid") or the system failed ("system")."""

    def __init__(self, detail: str, exit_code: int = 128, kind: str = "invalid"):
        super().__init__(detail)
        self.detail = detail
        self.exit_code = exit_code
        self.kind = kind

    @property
    def message(self) -> str:
        return _CREATE_PREFIX + self.detail + ": unknown"

    @property
    def exec_message(self) -> str:
        return _EXEC_PREFIX + self.detail + ": unknown"


def _exec_error(err: SimError, name: str) -> StartError:
    """runc's wording for a failed execve of ``name``."""
    if err.errno_value == Errno.ENOENT:
        if "/" not in name:
            return StartError(f'exec: "{name}": executable file not found in $PATH', 127)
        return StartError(f'exec: "{name}": stat {name}: no such file or directory', 127)
    if err.errno_value in (Errno.EACCES, Errno.EPERM):
        return StartError(f'exec: "{name}": permission denied', 126)
    if err.errno_value == Errno.ENOEXEC:
        return StartError(f'exec: "{name}": exec format error', 126)
    return StartError(f'exec: "{name}": {err.strerror_text.lower()}', 126)


class SpecError(StartError):
    """dockerd itself refused the spec while making it (moby's
    createSpec: ``getUser``'s group lookup, a device that is not there):
    its words with no runc prefix."""

    @property
    def message(self) -> str:
        return self.detail


class ValidationError(StartError):
    """runc refused the config before starting anything (its validator:
    sysctls)."""

    @property
    def message(self) -> str:
        return ("failed to create task for container: failed to create shim task: "
                f"OCI runtime create failed: runc create failed: {self.detail}: unknown")


@attrs.frozen
class Credentials:
    uid: int
    gid: int
    home: str
    #: Supplementary groups (runc's additionalGids): the primary gid, the
    #: groups listing the user as a member, then ``--group-add``'s.
    groups: tuple = ()


def _entries(read, vfs) -> list:
    """runc reads what it can: an unreadable /etc/passwd or /etc/group has
    no entries."""
    try:
        return read(vfs)
    except GoError:
        return []


def resolve_user(vfs, spec: str, group_add=()) -> Credentials:
    """``user``, ``uid``, ``user:group`` or ``uid:gid`` against the
    container's /etc/passwd and /etc/group (`sim.fs.archive.read_passwd`,
    `read_group`), as moby/sys/user's GetExecUser does: a name must
    exist; a number is a uid (gid) and need not (its group is then 0 and
    its home /); the first matching entry wins."""
    user, _, group = (spec or "").partition(":")
    passwd = _entries(archive.read_passwd, vfs)
    if not user or user.isdigit():
        uid = int(user or 0)
        row = next((e for e in passwd if e.uid == uid), None)
    else:
        row = next((e for e in passwd if e.name == user), None)
        if row is None:
            raise StartError(f"unable to find user {user}: no matching entries in passwd file")
    if row is not None:
        uid, gid, home = row.uid, row.gid, row.home
    else:
        uid, gid, home = int(user or 0), 0, "/root" if not user else "/"
    groups = _entries(archive.read_group, vfs)
    sgids: list = []
    if group:
        if group.isdigit():
            gid = int(group)
        else:
            found = next((g for g in groups if g.name == group), None)
            if found is None:
                raise StartError(f"unable to find group {group}: no matching entries in group file")
            gid = found.gid
    elif row is not None:  # the implicit form: the groups naming the user
        sgids = [g.gid for g in groups if row.name in g.members]
    return Credentials(uid, gid, home, tuple(_unique([gid] + sgids + _group_add(groups, group_add))))


def _unique(values) -> list:
    out: list = []
    for v in values:
        if v not in out:
            out.append(v)
    return out


def _group_add(groups, wanted) -> list:
    """moby/sys/user's GetAdditionalGroups: each entry by name or number
    in /etc/group (the first match), else a number as is; a name nobody
    has is dockerd's error."""
    out = []
    for want in wanted:
        found = next((g for g in groups if g.name == want or str(g.gid) == want), None)
        if found is not None:
            out.append(found.gid)
        elif want.isdigit() and int(want) <= 0x7FFFFFFF:
            out.append(int(want))
        else:
            raise SpecError(f"Unable to find group {want}: no matching entries in group file")
    return out


def apply_security(task, security, groups) -> None:
    """What runc sets on the process before execve: capabilities (the
    bounding set; permitted and effective follow from the uid), no
    inheritable or ambient ones, the supplementary groups, the rlimits,
    no_new_privs, the seccomp filter and oom_score_adj."""
    from ..proc.limits import DOCKER_DEFAULTS

    task.caps = frozenset(security.caps)
    task.cap_inheritable = task.cap_ambient = frozenset()
    task.groups = tuple(groups)
    rlimits = DOCKER_DEFAULTS
    for name, soft, hard in security.rlimits:
        rlimits = rlimits.with_limit(name, soft, hard)
    task.rlimits = rlimits
    task.no_new_privs = bool(security.no_new_privs)
    task.seccomp, task.seccomp_filters = (2, 1) if security.seccomp else (0, 0)
    task.oom_score_adj = int(security.oom_score_adj)


#: runc's validator: the sysctls that a namespace of the container's own
#: makes safe (libcontainer/configs/validate).
_IPC_SYSCTLS = ("kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem", "kernel.shmall",
                "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced")


def check_sysctls(sysctls, host_network: bool) -> None:
    """runc's sysctl validation: IPC ones and fs.mqueue.*, net.* outside
    the host's network namespace, kernel.domainname (the UTS namespace);
    anything else is refused."""
    for key, _ in sysctls:
        if key in _IPC_SYSCTLS or key.startswith("fs.mqueue."):
            continue
        if key.startswith("net."):
            if host_network:
                raise ValidationError(f'sysctl "{key}" not allowed in host network namespace')
            continue
        if key == "kernel.domainname":
            continue
        if key == "kernel.hostname":
            raise ValidationError(f'sysctl "{key}" is not allowed as it conflicts with the OCI "hostname" field')
        raise ValidationError(f'sysctl "{key}" is not in a separate kernel namespace')


def env_dict(env_list) -> dict:
    out = {}
    for item in env_list or []:
        key, eq, value = str(item).partition("=")
        if key:
            out[key] = value if eq else ""
    return out



def _environ(spec: ProcessSpec, hostname: str, home: str) -> dict:
    """The process's environment: the spec's, plus what runc and Docker
    add when it is missing."""
    environ = env_dict(spec.env)
    environ.setdefault("PATH", DEFAULT_PATH)
    environ.setdefault("HOSTNAME", hostname)
    environ.setdefault("HOME", home or "/")
    if spec.terminal:
        environ.setdefault("TERM", "xterm")
    return environ


def _cwd(path: str) -> str:
    return posixpath.normpath("/" + path.lstrip("/")) if path else "/"


def _errno_text(err: SimError) -> str:
    """Go's text for an errno (Linux's strerror, lower case first)."""
    text = err.errno_value.strerror
    return text[:1].lower() + text[1:]


def _make_cwd(vfs, cwd: str) -> None:
    """runc's prepareRootfs: ``os.MkdirAll(cwd, 0755)`` inside the
    container's root (a file on the way: ``mkdir /etc/passwd: not a
    directory``)."""
    try:
        archive.mkdir_all(vfs, cwd, 0o755)
    except GoError as err:
        raise StartError(str(err)) from None


def _chdir(vfs, cwd: str) -> None:
    """runc's finalizeNamespace: the process starts in ``cwd``, which must
    be a directory (runc changes into it as root, so permissions do not
    matter)."""
    try:
        if not vfs.stat(cwd).is_dir:
            raise SimError(Errno.ENOTDIR, cwd)
    except SimError as err:
        raise StartError(f"chdir to cwd ({go_quote(cwd)}) set in config.json failed: "
                         f"{_errno_text(err)}") from None


@attrs.define(eq=False)
class Runtime:
    """runc and the shims of one simulated host.

    Invariant: ``_handles`` maps the host PID of every started process
    that has not exited to its handle; `Machine.collect` removes it when
    the kernel reports the exit."""

    kernel: object  # sim.kernel.Kernel
    host: object  # sim.runtime.host.Host
    layers: object  # sim.images.layer_store.LayerStore (anything with tar(diff_id))
    _trees: dict = attrs.field(factory=dict, repr=False)
    _init: "LayerTree | None" = attrs.field(default=None, repr=False)
    _handles: dict = attrs.field(factory=dict, repr=False)

    # -- root filesystems ----------------------------------------------------
    def layer_tree(self, diff_id: str):
        """The read-only tree of one layer, read once and shared."""
        tree = self._trees.get(diff_id)
        if tree is None:
            tree = self._trees[diff_id] = read_layer(self.layers.tar(diff_id))
        return tree

    @property
    def cached_layers(self) -> "list[str]":
        """The DiffIDs whose trees are held in memory."""
        return sorted(self._trees)

    def layer_deleted(self, layer) -> None:
        """The layer store deleted ``layer`` (it calls this, `Machine.boot`
        subscribes it): its cached tree goes unless another layer has the
        same DiffID.  So the cache never outlives its layers, whoever
        released them (rmi, prune, container removal, a build)."""
        if layer.diff_id in self._trees and not any(
                other.diff_id == layer.diff_id for other in self.layers.layers()):
            del self._trees[layer.diff_id]

    def init_layer(self) -> LayerTree:
        """Docker's "-init" layer, between the image and the container's
        writable layer: the mount points Docker fills in (/etc/hostname,
        /etc/hosts, /etc/resolv.conf, /dev, /proc, /sys) and /.dockerenv, so
        they exist in every image (even hello-world's, which has no /etc)
        and never show up in ``docker diff``."""
        if self._init is None:
            self._init = LayerTree.from_tree(tree_from_dict({
                "/.dockerenv": (b"", 0o755),
                "/dev/": None, "/dev/pts/": None, "/dev/shm/": None,
                "/etc/hostname": (b"", 0o755), "/etc/hosts": (b"", 0o755),
                "/etc/resolv.conf": (b"", 0o755), "/etc/mtab": Symlink("/proc/mounts"),
                "/proc/": None, "/sys/": None,
            }, mtime=0.0))
        return self._init

    def _overlay(self, root: RootSpec) -> "tuple[Overlay, WritableLayer]":
        writable = root.writable if root.writable is not None else WritableLayer()
        image = [self.layer_tree(d) for d in reversed(root.layers)]
        lowers = [self.init_layer()] + image if root.init_layer else image
        overlay = Overlay(lowers, writable.root, now=self.kernel.clock.now,
                          on_change=writable.mark_dirty)
        if overlay.upper_root is not writable.root:  # a fresh layer takes the overlay's root
            writable.root = overlay.upper_root
        return overlay, writable

    def image_tree(self, layers: "tuple[str, ...]") -> Overlay:
        """An image's filesystem for an image mount: its layers (DiffIDs,
        base first, the cached trees a root is made of) merged read-only,
        with no init layer (moby's ``CreateLayerFromImage``)."""
        return Overlay([self.layer_tree(d) for d in reversed(tuple(layers))],
                       now=self.kernel.clock.now, readonly=True)

    def image_subpath(self, layers: "tuple[str, ...]", subpath: str) -> str:
        """``subpath`` of the image resolved as moby's ``safepath.Join``
        resolves it (symlinks followed inside the image): the path to
        mount, relative to the image's root.  Raises
        `sim.runtime.imagemount.SubpathError`."""
        parts, _ = resolve_subpath(self.image_tree(layers), subpath)
        return "/".join(parts)

    def rootfs(self, root: RootSpec, mounts: "tuple[FileMount, ...]" = (),
               dir_mounts: "tuple[DirMount, ...]" = ()) -> RootFs:
        """The filesystem of a container that is not running (or of a build
        step): the overlay, in a mount namespace of its own, with
        ``mounts`` (a stopped container's last network files, which moby
        mounts for ``docker cp`` too; one that cannot be mounted is left
        out)."""
        overlay, writable = self._overlay(root)
        vfs = Vfs(overlay)
        for dmount in _mount_order(dir_mounts):
            try:
                self._mount_dir(vfs, dmount)
            except SimError:
                continue
        files = []
        for mount in mounts:
            try:
                files.append(self._mount_file(vfs, mount))
            except SimError:
                continue
        if root.readonly:
            vfs.remount("/", readonly=True)
        return RootFs(vfs, overlay, writable, files=tuple(files))

    def _mount_dir(self, vfs, mount: DirMount) -> None:
        """Mount a volume, a bind-mounted host directory, a new tmpfs or
        an image's filesystem (runc's mountToRootfs), or the directory (or
        file) of it ``subpath`` names: the mount point is
        made as ``mkdir -p`` when missing; a new volume first gets the
        image's content there (moby's copy-up)."""
        if mount.kind == "tmpfs":
            fs = MemFs(now=self.kernel.clock.now, size_limit=mount.size)
            fs.root.mode = (fs.root.mode & ~0o7777) | (mount.mode & 0o7777)
        elif mount.kind == "image":
            fs = self.image_tree(mount.layers)
        else:
            fs = mount.source
        if mount.subpath and mount.kind != "tmpfs":  # what safepath.Join resolved
            parts = tuple(p for p in mount.subpath.split("/") if p)
            fs = SubtreeFs(fs, lookup_path(fs, parts))
        want_dir = fs.getattr(fs.root_node()).is_dir
        parent = posixpath.dirname(mount.destination.rstrip("/")) or "/"
        _mkdir_p(vfs, mount.destination if want_dir else parent)
        if not want_dir and not vfs.exists(mount.destination):
            vfs.write_bytes(mount.destination, b"", mode=0o755)  # runc's mount point for a file
        if mount.kind not in ("tmpfs", "image") and mount.copy_up:
            _copy_tree(vfs, mount.destination, Vfs(fs), "/")
        if mount.kind == "tmpfs":  # moby's tmpfs defaults: noexec,nosuid,nodev
            flags = ("nosuid", "nodev") + (("noexec",) if mount.noexec else ()) + ("relatime",)
        else:
            flags = ("relatime",)
        vfs.mount(mount.destination, fs, readonly=mount.readonly, flags=flags)

    def _mount_file(self, vfs, mount: FileMount) -> "tuple[FileMount, File]":
        inode = File(mount.content, mode=0o644, mtime=self.kernel.clock.now())
        vfs.mount(mount.destination, inode, readonly=mount.readonly, create=True)
        return mount, inode

    # -- stdio ---------------------------------------------------------------
    def new_stdin(self) -> InputStream:
        """A stdin stream for a process yet to start (attach comes first)."""
        return InputStream.new(self.kernel.wake_all)

    def _terminal_stdio(self, devpts: Devpts, spec: ProcessSpec, uid: int,
                        stdin: "InputStream | None"):
        """A new pty of the container (runc's console): its slave on fds
        0-2 (one open description, as runc dups it), its master's screen
        as stdout, the stdin stream (if any) as its keyboard."""
        rows, cols = spec.console_size or (0, 0)
        pty = devpts.open_pty(rows, cols, uid=uid)
        pty.output.open_end("r")
        stdout = OutputStream(pty.output)
        if stdin is not None:
            pty.attach_keyboard(stdin.pipe)
        slave = PtySlaveDesc(pty=pty)
        return pty, stdout, {0: slave, 1: slave, 2: slave}

    def _start_session(self, task, pty) -> None:
        """runc: setsid, and with a console TIOCSCTTY on it."""
        self.kernel.setsid(task)
        if pty is not None:
            self.kernel.set_ctty(task, pty)

    def _stdio(self, vfs, terminal: bool, stdin: "InputStream | None"):
        stdout = OutputStream.new(self.kernel.wake_all)
        stderr = None if terminal else OutputStream.new(self.kernel.wake_all)
        if stdin is not None:
            fd0 = PipeDesc(pipe=stdin.pipe, kind="r")
        else:
            fd0 = FileDesc(file=vfs.open("/dev/null", O_RDWR), flags=O_RDWR)
        fds = {0: fd0, 1: PipeDesc(pipe=stdout.pipe, kind="w"),
               2: PipeDesc(pipe=(stderr or stdout).pipe, kind="w")}
        return stdout, stderr, fds

    @staticmethod
    def _close(*streams) -> None:
        for stream in streams:
            if stream is not None:
                stream.close()

    def _track(self, handle: ProcessHandle) -> ProcessHandle:
        self._handles[handle.pid] = handle
        return handle

    def process_exited(self, host_pid: int, exit_code: int) -> None:
        """The kernel reported an exit: tell the handle (if the process is
        one the runtime started)."""
        handle = self._handles.pop(host_pid, None)
        if handle is not None:
            handle._exited(exit_code)

    # -- containers ----------------------------------------------------------
    # -- networks ------------------------------------------------------------
    @property
    def net(self):
        """The machine's network stack (`sim.net.stack.NetStack`)."""
        return self.kernel.host_ns.net.stack

    def network_sandbox(self, endpoints=(), name: str = "") -> NetSandbox:
        """A new network namespace plugged into ``endpoints``
        (`EndpointSpec`s; none: only ``lo``).  Raises NetError."""
        return new_sandbox(self.net, endpoints, name)

    def host_network(self) -> NetSandbox:
        """The host's own namespace (``--network host``)."""
        return host_sandbox(self.net)

    # -- containers ----------------------------------------------------------
    def create(self, spec: ContainerSpec, stdin: "InputStream | None" = None,
               net: "NetSandbox | None" = None) -> ContainerHandle:
        """Build the container ``spec`` describes and start its first
        process (``runc run``) in the network sandbox ``net`` (None: a
        namespace of its own with only ``lo``).  ``stdin``: the stream its
        fd 0 reads (from `new_stdin`; required when ``spec.process.stdin``).
        The sandbox is released when the process ends.  Raises StartError
        with runc's words."""
        net = net if net is not None else self.network_sandbox()
        try:
            return self._create(spec, stdin, net)
        except BaseException:
            net.release()
            raise

    def _create(self, spec: ContainerSpec, stdin, net: NetSandbox) -> ContainerHandle:
        proc = spec.process
        overlay, writable = self._overlay(spec.root)
        vfs = Vfs(overlay)
        vfs.mount("/dev", make_devfs(self.kernel.clock.now))
        devpts = Devpts(wake=self.kernel.wake_all)
        vfs.mount("/dev/pts", make_devpts(devpts, self.kernel.clock.now))
        for dmount in _mount_order(spec.dir_mounts):
            try:
                self._mount_dir(vfs, dmount)
            except SimError as err:
                raise StartError(f"error mounting {go_quote(dmount.kind)} to rootfs at "
                                 f"{go_quote(dmount.destination)}: {_errno_text(err)}") from None
        files = []
        for mount in spec.mounts:
            try:
                files.append(self._mount_file(vfs, mount))
            except SimError as err:
                source = f"/var/lib/docker/containers/{spec.id}/{posixpath.basename(mount.destination)}"
                raise StartError(f"error mounting {go_quote(source)} to rootfs at "
                                 f"{go_quote(mount.destination)}: {_errno_text(err)}") from None
        check_sysctls(spec.sysctls, spec.host_network)
        if spec.init:
            _mkdir_p(vfs, posixpath.dirname(DOCKER_INIT))
            vfs.mount(DOCKER_INIT, File(marker("docker-init"), mode=0o755,
                                        mtime=self.kernel.clock.now()),
                      readonly=True, create=True)
        security = proc.security or spec.security
        creds = resolve_user(vfs, proc.user, security.group_add)
        environ = _environ(proc, spec.hostname, creds.home)
        cwd = _cwd(proc.cwd)
        nsset = self._namespaces(spec, vfs, net)
        self._mount_shm(vfs, nsset.ipc)
        port_start = dict(spec.sysctls).get("net.ipv4.ip_unprivileged_port_start")
        if port_start is not None and net.ns is not None and not spec.host_network:
            try:
                net.ns.unprivileged_port_start = int(port_start)
            except ValueError:
                raise StartError("write /proc/sys/net/ipv4/ip_unprivileged_port_start: "
                                 "invalid argument") from None
        self._make_devices(vfs, spec.devices)
        # /proc: the tasks of its PID namespace, its mounts, its cgroupns.
        vfs.mount("/proc", ProcFs(self.kernel, nsset.pid, nsset.uts, net=nsset.net,
                                  cgroup_root=nsset.cgroup_root))
        # The container's cgroup, and /sys with cgroup2 at /sys/fs/cgroup.
        cgroup = self.kernel.new_cgroup(cgroup_path(spec.namespaces.cgroup_parent, spec.id),
                                        cgroup_limits(spec.resources))
        cgroup.file_usage = lambda: writable.size
        cgroup.shmem_usage = self._shmem_usage(vfs, nsset.ipc, spec.dir_mounts, spec.id)
        self._mount_sys(vfs, cgroup, nsset.pid)
        self._mask_paths(vfs, spec.masked_paths, spec.readonly_paths)
        _make_cwd(vfs, cwd)
        if spec.root.readonly:  # runc's finalizeRootfs, after the working directory was made
            vfs.remount("/", readonly=True)
        _chdir(vfs, cwd)

        shim = self.kernel.spawn(
            argv=[SHIM, "-namespace", "moby", "-id", spec.id, "-address", CONTAINERD_SOCK],
            env={"PATH": DEFAULT_PATH}, cwd="/", nsset=self.kernel.host_ns, parent=self.host.init,
            sig_actions={Signal.SIGCHLD: "ignore"})
        pty = None
        if proc.terminal:
            pty, stdout, fds = self._terminal_stdio(devpts, proc, creds.uid,
                                                    stdin if proc.stdin else None)
            stderr = None
        else:
            stdout, stderr, fds = self._stdio(vfs, False, stdin if proc.stdin else None)
        argv = list(proc.args)
        if spec.init:  # moby: /sbin/docker-init -- <path> <args>, the init bind-mounted
            argv = [DOCKER_INIT, "--"] + argv
        try:
            task = self.kernel.spawn(argv=argv, env=environ, cwd=cwd, nsset=nsset,
                                     parent=shim, uid=creds.uid, gid=creds.gid, fds=fds,
                                     caps=security.caps, cgroup=cgroup)
        except SimError as err:
            self.kernel.send_signal(shim, Signal.SIGKILL)
            self._close(stdout, stderr)
            if pty is not None:
                pty.hangup()
            raise _exec_error(err, proc.args[0] if proc.args else "") from None
        apply_security(task, security, creds.groups)
        self._start_session(task, pty)
        handle = ContainerHandle(self.kernel, task, stdout, stderr, stdin if proc.stdin else None,
                                 id=spec.id, rootfs=RootFs(vfs, overlay, writable, files=tuple(files)),
                                 runtime=self, nsset=nsset, shim=shim, net=net, devpts=devpts, pty=pty,
                                 cgroup=cgroup, security=security)
        return self._track(handle)

    # -- namespaces ----------------------------------------------------------
    def container(self, cid: str) -> "ContainerHandle | None":
        """The running container ``cid`` (its first process alive), or None."""
        for handle in self._handles.values():
            if isinstance(handle, ContainerHandle) and handle.id == cid and handle.running:
                return handle
        return None

    def _joined(self, mode: str) -> ContainerHandle:
        """The container a ``container:<id>`` mode names (the daemon checked
        that it runs; runc's words when it does not)."""
        cid = mode.partition(":")[2]
        other = self.container(cid)
        if other is None:
            raise StartError(f"container {cid} is not running", kind="system")
        return other

    def _namespaces(self, spec: ContainerSpec, vfs, net: NetSandbox) -> NamespaceSet:
        """The container's namespaces (OCI ``linux.namespaces``): new ones,
        the host's, or another container's, as ``spec.namespaces`` says."""
        want = spec.namespaces
        host = self.kernel.host_ns
        if want.pid == "host":
            pidns = self.kernel.root_pidns
        elif want.pid.startswith("container:"):
            pidns = self._joined(want.pid)._nsset.pid
        else:
            pidns = PidNamespace.child_of(self.kernel.root_pidns)
        if want.uts == "host":
            uts = host.uts
        else:
            domainname = dict(spec.sysctls).get("kernel.domainname") or spec.domainname
            uts = UtsNamespace(spec.hostname, domainname or "(none)")
        if want.ipc == "host":
            ipc = host.ipc
        elif want.ipc.startswith("container:"):
            ipc = self._joined(want.ipc)._nsset.ipc
        elif want.ipc == "none":
            ipc = IpcNamespace(shm=None)
        else:
            shm = MemFs(now=self.kernel.clock.now, size_limit=want.shm_size, source="shm")
            shm.root.mode = (shm.root.mode & ~0o7777) | 0o1777
            ipc = IpcNamespace(shm=shm, shareable=want.ipc == "shareable", owner=spec.id)
        path = cgroup_path(want.cgroup_parent, spec.id)
        return NamespaceSet(pid=pidns, mnt=vfs, uts=uts, net=net.ns, ipc=ipc,
                            cgroup_root=path if want.cgroupns == "private" else "/")

    @staticmethod
    def _mount_shm(vfs, ipc: IpcNamespace) -> None:
        """/dev/shm: the IPC namespace's tmpfs (moby's ``shm`` mount or the
        bind of the donor's); with ``--ipc none`` there is none at all."""
        if ipc.shm is None:
            try:
                vfs.rmdir("/dev/shm")
            except SimError:
                pass
            return
        vfs.mount("/dev/shm", ipc.shm, flags=("nosuid", "nodev", "noexec", "relatime"))

    @staticmethod
    def _shmem_usage(vfs, ipc: IpcNamespace, dir_mounts, cid: str):
        """What the container's tmpfs mounts hold (shmem charged to its
        cgroup): its own /dev/shm (a joined one stays charged to its
        owner, as Linux charges a page to the group that first touched it,
        near enough), and its ``--tmpfs`` mounts."""
        filesystems = _tmpfs_of(vfs, dir_mounts)
        if ipc.shm is not None and ipc.owner == cid:
            filesystems.append(ipc.shm)

        def usage() -> int:
            return sum(fs.usage().bytes for fs in filesystems)
        return usage

    def _mount_sys(self, vfs, cgroup, pidns) -> None:
        """sysfs at /sys (read-only, as Docker mounts it for a container
        that is not privileged) with the container's cgroup2 at
        /sys/fs/cgroup; skipped when the root has no /sys."""
        if not vfs.exists("/sys"):
            return
        now = self.kernel.clock.now
        sysfs = tree_from_dict({"/fs/cgroup/": None, "/kernel/": None, "/class/net/": None},
                               now=now)
        sysfs.readonly, sysfs.fstype, sysfs.source = True, "sysfs", "sysfs"
        vfs.mount("/sys", sysfs, readonly=True)
        vfs.mount("/sys/fs/cgroup", CgroupFs(self.kernel, cgroup, pidns, mtime=now()),
                  readonly=True)

    def _make_devices(self, vfs, devices) -> None:
        """``--device``: runc's mknod of each host device node in the
        container's /dev (the same device: major, minor and driver).  A
        host path that is no device node is dockerd's error."""
        from ..fs.memfs import CharDevice

        host = self.kernel.host_vfs
        for dev in devices:
            try:
                inode = host.open(dev.host_path, O_RDWR).inode
            except SimError as err:
                raise SpecError("error gathering device information while adding custom device "
                                f"{go_quote(dev.host_path)}: {_errno_text(err)}") from None
            if not isinstance(inode, CharDevice):
                raise SpecError("error gathering device information while adding custom device "
                                f"{go_quote(dev.host_path)}: not a device node")
            parent = posixpath.dirname(dev.container_path) or "/"
            _mkdir_p(vfs, parent)
            node = CharDevice(inode.handler, major=inode.major, minor=inode.minor,
                              mode=(inode.mode & 0o7777) or 0o666, mtime=self.kernel.clock.now())
            if vfs.exists(dev.container_path):
                vfs.unlink(dev.container_path)
            vfs.mknod(dev.container_path, node)

    def _mask_paths(self, vfs, masked, readonly) -> None:
        """runc's maskPaths and readonlyPaths: a masked file is /dev/null
        bound over it (reads nothing), a masked directory an empty
        read-only tmpfs; a read-only path is remounted read-only (EROFS).
        Paths the simulated /proc or /sys do not have are skipped, as runc
        skips missing ones."""
        for path in masked:
            if not vfs.exists(path):
                continue
            if vfs.stat(path).is_dir:
                fs = MemFs(now=self.kernel.clock.now)
                fs.readonly = True
                vfs.mount(path, fs, readonly=True)
            else:
                vfs.mount(path, vfs.open("/dev/null", O_RDWR).inode, readonly=True)
        for path in readonly:
            if vfs.exists(path):
                try:
                    vfs.remount(path, readonly=True)
                except SimError:
                    pass

    def _exec(self, container: ContainerHandle, spec: ProcessSpec,
              stdin: "InputStream | None") -> ProcessHandle:
        """A new process in the container's namespaces (setns + execve), a
        child of the shim, with the container's security settings (or the
        spec's: ``exec --privileged``)."""
        nsset = container._nsset
        vfs = nsset.mnt
        security = spec.security or container.security
        if security is None:
            from .spec import Security

            security = Security()
        creds = resolve_user(vfs, spec.user, security.group_add)
        environ = _environ(spec, nsset.uts.hostname, creds.home)
        cwd = _cwd(spec.cwd)
        _chdir(vfs, cwd)
        pty = None
        if spec.terminal:
            pty, stdout, fds = self._terminal_stdio(container._devpts, spec, creds.uid,
                                                    stdin if spec.stdin else None)
            stderr = None
        else:
            stdout, stderr, fds = self._stdio(vfs, False, stdin if spec.stdin else None)
        try:
            task = self.kernel.spawn(argv=list(spec.args), env=environ, cwd=cwd,
                                     nsset=nsset, parent=container._shim, uid=creds.uid,
                                     gid=creds.gid, fds=fds, caps=security.caps,
                                     cgroup=container.cgroup)
        except SimError as err:
            self._close(stdout, stderr)
            if pty is not None:
                pty.hangup()
            raise _exec_error(err, spec.args[0] if spec.args else "") from None
        apply_security(task, security, creds.groups)
        self._start_session(task, pty)
        return self._track(ProcessHandle(self.kernel, task, stdout, stderr,
                                         stdin if spec.stdin else None, pty=pty))

    # -- the host ------------------------------------------------------------
    def host_exec(self, argv, stdin: bytes = b"") -> ProcessHandle:
        """A process on the host (in the host's namespaces, child of init),
        its stdin ``stdin`` then end of file.  Raises StartError when
        ``argv`` cannot be executed (``detail``: ``nosuch: No such file or
        directory``, as a shell says it; exit code 127 or 126)."""
        pipe_in = None
        if stdin:
            pipe_in = self.new_stdin()
            pipe_in.write(stdin)
            pipe_in.close()
        stdout, stderr, fds = self._stdio(self.kernel.host_vfs, False, pipe_in)
        try:
            task = self.kernel.spawn(argv=[str(a) for a in argv],
                                     env={"PATH": DEFAULT_PATH, "HOME": "/root",
                                          "HOSTNAME": self.kernel.hostname},
                                     cwd="/root", parent=self.host.init, fds=fds)
        except SimError as err:
            self._close(stdout, stderr)
            raise StartError(f"{argv[0]}: {err.strerror_text}",
                             127 if err.errno_value == Errno.ENOENT else 126) from None
        return self._track(ProcessHandle(self.kernel, task, stdout, stderr, None))


def cgroup_path(parent: str, cid: str) -> str:
    """The container's cgroup with systemd's driver: ``docker-<id>.scope``
    under its slice (``--cgroup-parent``; ``system.slice`` by default),
    the slice's name expanded as systemd does (``a-b.slice`` lives in
    ``/a.slice/a-b.slice``)."""
    slice_name = parent or "system.slice"
    path = ""
    if slice_name != "-.slice":
        stem = slice_name[:-len(".slice")]
        parts = stem.split("-")
        for n in range(1, len(parts) + 1):
            path += "/" + "-".join(parts[:n]) + ".slice"
    return f"{path}/docker-{cid}.scope"


def _tmpfs_of(vfs, dir_mounts) -> list:
    """The tmpfs filesystems of the container's ``--tmpfs`` mounts."""
    out = []
    for dmount in dir_mounts:
        if dmount.kind == "tmpfs":
            try:
                fs = vfs.mount_of(dmount.destination).fs
            except SimError:
                continue
            if fs not in out:
                out.append(fs)
    return out


def _mount_order(mounts) -> list:
    """moby's sortMounts: parents before the mounts inside them."""
    return sorted(mounts, key=lambda m: len([p for p in m.destination.split("/") if p]))


def _mkdir_p(vfs, path: str) -> None:
    """``mkdir -p`` of a mount point (runc's MkdirAll in the rootfs)."""
    done = ""
    for part in [p for p in path.split("/") if p]:
        done += "/" + part
        if not vfs.exists(done):
            vfs.mkdir(done, 0o755)


def _copy_tree(src, src_path: str, dst, dst_path: str) -> None:
    """Copy what the image holds at ``src_path`` into an empty volume
    (moby's copyExistingContents): nothing when the volume already holds
    something or the image has no directory there."""
    try:
        if not src.stat(src_path).is_dir or dst.listdir(dst_path):
            return
    except SimError:
        return
    for name in src.listdir(src_path):
        s_path = posixpath.join(src_path, name)
        d_path = posixpath.join(dst_path, name)
        st = src.lstat(s_path)
        if st.is_dir:
            dst.mkdir(d_path, st.perm)
            _copy_tree(src, s_path, dst, d_path)
        elif st.is_symlink:
            dst.symlink(src.readlink(s_path), d_path)
            continue
        elif st.is_file:
            dst.write_bytes(d_path, src.read_bytes(s_path), mode=st.perm)
        else:
            continue
        try:
            dst.chmod(d_path, st.perm)
            dst.chown(d_path, st.uid, st.gid)
        except SimError:
            pass
