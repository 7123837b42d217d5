"""The container runtime: what runc and the shim do, in the simulation.

`Runtime.start` builds a container's world and starts its first process:

1. the root filesystem: an overlay of the image's layers (read-only trees,
   cached per DiffID and shared by every container) under a writable
   upper tree;
2. the mount namespace over it: /dev, and /etc/hostname, /etc/hosts and
   /etc/resolv.conf mounted as single files, as Docker bind-mounts them;
3. new PID and UTS namespaces (the hostname);
4. a shim on the host (``containerd-shim-runc-v2 … -id <id>``), the parent
   of the container's first process, which becomes PID 1 inside;
5. stdio: pipes the daemon reads (stdout, stderr; one pipe for both with a
   TTY) and stdin (a pipe the daemon feeds, or /dev/null).

Errors are `StartError`s carrying the message runc would give.
"""

import posixpath

import attrs

import ipaddress

from ..abi import DOCKER_DEFAULT_CAPS, O_RDWR, Errno, Signal
from ..errors import SimError
from ..fs.overlay import Overlay
from ..fs.procfs import ProcFs
from ..fs.tar import LayerTree, read_layer
from ..fs.memfs import File, Symlink, make_devfs, tree_from_dict, tree_usage
from ..fs.vfs import Vfs
from ..io.pipe import Pipe
from ..ns.nsset import NamespaceSet
from ..ns.uts import UtsNamespace
from ..proc.files import FileDesc, PipeDesc
from ..proc.pidns import PidNamespace

SHIM = "/usr/bin/containerd-shim-runc-v2"
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


@attrs.frozen
class Credentials:
    uid: int
    gid: int
    home: str


def colon_records(text: str, fields: int) -> list:
    """The records of /etc/passwd (7 fields) or /etc/group (4 fields)."""
    return [line.split(":") for line in text.splitlines()
            if not line.startswith("#") and line.count(":") >= fields - 1]


def resolve_user(vfs, spec: str) -> Credentials:
    """``user``, ``uid``, ``user:group`` or ``uid:gid`` against the
    container's /etc/passwd and /etc/group, as runc does: a name must
    exist; a number need not (its group is then 0 and its home /)."""
    user, _, group = (spec or "").partition(":")

    def read(path):
        try:
            return vfs.read_bytes(path).decode(errors="replace")
        except SimError:
            return ""

    passwd = colon_records(read("/etc/passwd"), 7)
    by_name = {r[0]: r for r in passwd}
    by_uid = {r[2]: r for r in reversed(passwd)}
    if not user:
        row = by_uid.get("0")
    elif user in by_name:
        row = by_name[user]
    elif user.isdigit():
        row = by_uid.get(user)
    else:
        raise StartError(f"unable to find user {user}: no matching entries in passwd file")
    if row is not None:
        uid, gid, home = int(row[2]), int(row[3]), row[5]
    else:
        uid, gid, home = int(user or 0), 0, "/root" if not user else "/"
    if group:
        if group.isdigit():
            gid = int(group)
        else:
            found = next((g for g in colon_records(read("/etc/group"), 4) if g[0] == group), None)
            if found is None:
                raise StartError(f"unable to find group {group}: no matching entries in group file")
            gid = int(found[2])
    return Credentials(uid, gid, home)


def env_dict(env_list) -> dict:
    out = {}
    for item in env_list or []:
        key, eq, value = str(item).partition("=")
        if key:
            out[key] = value if eq else ""
    return out


def etc_hosts(hostname: str, ip: str) -> bytes:
    return ("127.0.0.1\tlocalhost\n"
            "::1\tlocalhost ip6-localhost ip6-loopback\n"
            "fe00::\tip6-localnet\n"
            "ff00::\tip6-mcastprefix\n"
            "ff02::1\tip6-allnodes\n"
            "ff02::2\tip6-allrouters\n"
            + (f"{ip}\t{hostname}\n" if ip else "")).encode()


#: The nameservers Docker falls back to when the host has none usable
#: (moby libnetwork/resolvconf: defaultIPv4Dns).
DEFAULT_NAMESERVERS = ("8.8.8.8", "8.8.4.4")


def _unreachable(address: str) -> bool:
    """A nameserver a container on the default bridge cannot use: a
    localhost one (127.0.0.0/8, ::1) or, as that network has no IPv6, any
    IPv6 one (a zone suffix such as ``%eth0`` is ignored)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    return ip.is_loopback or ip.version == 6


def container_resolv_conf(host_conf: bytes) -> bytes:
    """The /etc/resolv.conf a container on the default bridge gets, from
    the host's (moby libnetwork/resolvconf ``FilterResolvDNS``): the host's
    file without its localhost nameservers (127.0.0.0/8, ::1) and, IPv6
    being off, its IPv6 ones; when no nameserver remains, Google's 8.8.8.8
    and 8.8.4.4 are added.  Every other line (search, options, comments) is
    kept as it is."""
    lines = host_conf.decode(errors="replace").splitlines()
    kept = []
    for line in lines:
        fields = line.split()
        if len(fields) >= 2 and fields[0] == "nameserver" and _unreachable(fields[1]):
            continue
        kept.append(line)
    if not any(ln.split()[:1] == ["nameserver"] and len(ln.split()) >= 2 for ln in kept):
        kept += [f"nameserver {ns}" for ns in DEFAULT_NAMESERVERS]
    text = "\n".join(kept)
    return (text + "\n").encode() if text else b""


def host_resolv_conf(kernel) -> bytes:
    """The simulated host's /etc/resolv.conf (empty when it has none)."""
    try:
        return kernel.host_vfs.read_bytes("/etc/resolv.conf")
    except SimError:
        return b""


@attrs.define(eq=False)
class ContainerRuntime:
    """A running container as the runtime knows it."""

    task: object  # the container's first process (PID 1 inside)
    shim: object
    nsset: NamespaceSet
    overlay: Overlay
    stdout: Pipe
    stderr: "Pipe | None"
    stdin: "Pipe | None"
    #: Published ports: "8080/tcp" -> [(host ip, host port)] (set by the daemon).
    ports: dict = attrs.field(factory=dict)

    @property
    def upper(self):
        return self.overlay.upper_root


@attrs.define(eq=False)
class ProcessRuntime:
    """An exec'd or host process with the pipes the daemon reads."""

    task: object
    stdout: Pipe
    stderr: "Pipe | None"
    stdin: "Pipe | None" = None


@attrs.define(eq=False)
class Runtime:
    layers: object  # sim.images.layer_store.LayerStore
    _trees: dict = attrs.field(factory=dict, repr=False)
    _init: "LayerTree | None" = attrs.field(default=None, repr=False)

    # -- root filesystems ----------------------------------------------------
    def layer_tree(self, diff_id: str):
        """The read-only tree of one layer, read once and shared."""
        tree = self._trees.get(diff_id)
        if tree is None:
            tree = self._trees[diff_id] = read_layer(self.layers.tar(diff_id))
        return tree

    def forget_deleted_layers(self) -> None:
        """Drop the cached trees of layers the layer store no longer has
        (after ``rmi``): the cache never outlives its layers."""
        live = {layer.diff_id for layer in self.layers.layers()}
        for diff_id in [d for d in self._trees if d not in live]:
            del self._trees[diff_id]

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

    def rootfs(self, kernel, diff_ids, upper=None) -> Overlay:
        lowers = [self.init_layer()] + [self.layer_tree(d) for d in reversed(list(diff_ids))]
        return Overlay(lowers, upper, now=kernel.clock.now)

    @staticmethod
    def upper_from_tar(data: bytes):
        """A writable upper tree rebuilt from a saved diff (its whiteouts
        and opaque directories included)."""
        return read_layer(data).root

    @staticmethod
    def upper_size(upper) -> int:
        """The bytes of regular-file data in a writable layer (SizeRw),
        each hard-linked inode once (`memfs.tree_usage`)."""
        if upper is None:
            return 0
        return tree_usage(upper).bytes

    # -- pipes ---------------------------------------------------------------
    @staticmethod
    def new_pipe(kernel, *, external_writer: bool = False, external_reader: bool = False) -> Pipe:
        pipe = Pipe(wake=kernel.wake_all)
        if external_writer:
            pipe.open_end("w")
        if external_reader:
            pipe.open_end("r")
        return pipe

    @staticmethod
    def close_external_writer(pipe: Pipe) -> None:
        if pipe.writers > 0:
            pipe.close_end("w")

    def _stdio(self, kernel, vfs, tty: bool, stdin: "Pipe | None"):
        stdout = self.new_pipe(kernel, external_reader=True)
        stderr = None if tty else self.new_pipe(kernel, external_reader=True)
        if stdin is not None:
            fd0 = PipeDesc(pipe=stdin, kind="r")
        else:
            fd0 = FileDesc(file=vfs.open("/dev/null", O_RDWR), flags=O_RDWR)
        fds = {0: fd0, 1: PipeDesc(pipe=stdout, kind="w"),
               2: PipeDesc(pipe=stderr or stdout, kind="w")}
        return stdout, stderr, fds

    # -- containers ----------------------------------------------------------
    def start(self, kernel, host, *, container_id: str, diff_ids, hostname: str, domainname: str,
              argv, env, workdir: str, user: str, tty: bool, stdin: "Pipe | None",
              ip_address: str = "", upper=None) -> ContainerRuntime:
        overlay = self.rootfs(kernel, diff_ids, upper)
        vfs = Vfs(overlay)
        now = kernel.clock.now
        vfs.mount("/dev", make_devfs(now))
        for path, data in (("/etc/hostname", (hostname + "\n").encode()),
                           ("/etc/hosts", etc_hosts(hostname, ip_address)),
                           ("/etc/resolv.conf", container_resolv_conf(host_resolv_conf(kernel)))):
            # Docker bind-mounts these three files from its own directory.
            vfs.mount(path, File(data, mode=0o644, mtime=now()))
        creds = resolve_user(vfs, user)
        environ = env_dict(env)
        environ.setdefault("PATH", DEFAULT_PATH)
        environ.setdefault("HOSTNAME", hostname)
        environ.setdefault("HOME", creds.home or "/")
        if tty:
            environ.setdefault("TERM", "xterm")
        cwd = posixpath.normpath("/" + workdir.lstrip("/")) if workdir else "/"
        if cwd != "/":
            self._mkdir_p(vfs, cwd, creds)
        nsset = NamespaceSet(pid=PidNamespace.child_of(kernel.root_pidns), mnt=vfs,
                             uts=UtsNamespace(hostname, domainname or "(none)"))
        # /proc: the container's own tasks (its PID namespace) and mounts.
        vfs.mount("/proc", ProcFs(kernel, nsset.pid, nsset.uts))
        shim = kernel.spawn(
            argv=[SHIM, "-namespace", "moby", "-id", container_id, "-address", CONTAINERD_SOCK],
            env={"PATH": DEFAULT_PATH}, cwd="/", nsset=kernel.host_ns, parent=host.init,
            sig_actions={Signal.SIGCHLD: "ignore"})
        stdout, stderr, fds = self._stdio(kernel, vfs, tty, stdin)
        try:
            task = kernel.spawn(argv=list(argv), env=environ, cwd=cwd, nsset=nsset, parent=shim,
                                uid=creds.uid, gid=creds.gid, fds=fds, caps=DOCKER_DEFAULT_CAPS)
        except SimError as err:
            self._release(kernel, shim, stdout, stderr)
            raise _exec_error(err, str(argv[0]) if argv else "") from None
        if tty:
            task.tty = "pts/0"
        return ContainerRuntime(task, shim, nsset, overlay, stdout, stderr, stdin)

    @staticmethod
    def _mkdir_p(vfs, path: str, creds: Credentials) -> None:
        current = ""
        for part in path.strip("/").split("/"):
            current += "/" + part
            try:
                vfs.stat(current)
            except SimError:
                vfs.mkdir(current, 0o755)

    def stop(self, kernel, rt: ContainerRuntime) -> None:
        """After the container's init exited: end the shim and let go of
        the pipes the daemon held."""
        self._release(kernel, rt.shim, rt.stdout, rt.stderr)

    @classmethod
    def _release(cls, kernel, shim, stdout, stderr) -> None:
        kernel.send_signal(shim, Signal.SIGKILL)
        cls.release_pipes(stdout, stderr)

    @staticmethod
    def release_pipes(*pipes) -> None:
        """Let go of the daemon's read ends of a process's output pipes: a
        child still writing then gets EPIPE, as when the reader of a real
        pipe goes away."""
        for pipe in pipes:
            if pipe is not None and pipe.readers > 0:
                pipe.close_end("r")

    def exec(self, kernel, crt: ContainerRuntime, *, argv, env, workdir: str, user: str,
             tty: bool, stdin: "Pipe | None") -> ProcessRuntime:
        """A new process in the container's namespaces (setns + execve), a
        child of the shim."""
        vfs = crt.nsset.mnt
        creds = resolve_user(vfs, user)
        environ = env_dict(env)
        environ.setdefault("PATH", DEFAULT_PATH)
        environ.setdefault("HOSTNAME", crt.nsset.uts.hostname)
        environ.setdefault("HOME", creds.home or "/")
        if tty:
            environ.setdefault("TERM", "xterm")
        cwd = posixpath.normpath("/" + workdir.lstrip("/")) if workdir else "/"
        stdout, stderr, fds = self._stdio(kernel, vfs, tty, stdin)
        try:
            task = kernel.spawn(argv=list(argv), env=environ, cwd=cwd, nsset=crt.nsset,
                                parent=crt.shim, uid=creds.uid, gid=creds.gid, fds=fds,
                                caps=DOCKER_DEFAULT_CAPS)
        except SimError as err:
            for pipe in (stdout, stderr):
                if pipe is not None:
                    pipe.close_end("r")
            raise _exec_error(err, str(argv[0]) if argv else "") from None
        if tty:
            task.tty = "pts/1"
        return ProcessRuntime(task, stdout, stderr, stdin)

    # -- the host ------------------------------------------------------------
    def host_spawn(self, kernel, host, argv, stdin: bytes = b"") -> ProcessRuntime:
        """A process on the host (in the host's namespaces, child of init)."""
        pipe_in = None
        if stdin:
            pipe_in = self.new_pipe(kernel, external_writer=True)
            pipe_in.feed(stdin)
            pipe_in.close_end("w")
        stdout, stderr, fds = self._stdio(kernel, kernel.host_vfs, False, pipe_in)
        try:
            task = kernel.spawn(argv=argv, env={"PATH": DEFAULT_PATH, "HOME": "/root",
                                                "HOSTNAME": kernel.hostname},
                                cwd="/root", parent=host.init, fds=fds)
        except SimError:
            for pipe in (stdout, stderr):
                pipe.close_end("r")
            raise
        return ProcessRuntime(task, stdout, stderr, pipe_in)
