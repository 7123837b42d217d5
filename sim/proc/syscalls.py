"""The system calls a program sees: `Proc`.

Every simulated program gets one `Proc`, bound to its task.  Blocking calls
are coroutines that trap into the kernel (see `sim.kernel.trap`); the rest
are plain methods that act at once.  The contract is docs/sim-model.md.
"""

import posixpath

import attrs

from ..abi import O_APPEND, O_CREAT, O_RDONLY, O_TRUNC, O_WRONLY, S_ISDIR, S_ISLNK, X_OK, Cap, Errno, Signal, text_bytes
from ..errors import ProgramExit, ExecReplace, SimError
from .. import kernel as _k
from .cpu import ComputeTrap, InlineCore, Job
from ..io.waiter import WaitQueue
from .files import FileDesc, PipeDesc, PtyMasterDesc, PtySlaveDesc
from .task import Task
from ..io.pipe import Pipe


@attrs.frozen
class Uname:
    sysname: str
    nodename: str
    release: str
    version: str
    machine: str


class Proc:
    """System calls for one task.  See docs/sim-model.md."""

    def __init__(self, kernel, task: Task):
        self._k = kernel
        self._t = task

    # -- identity and state --------------------------------------------------
    @property
    def pid(self) -> int:
        return self._t.nsset.pid.pid_of(self._t)

    @property
    def ppid(self) -> int:
        parent = self._t.parent
        return self._t.nsset.pid.pid_of(parent) if parent is not None else 0

    def getpid(self) -> int:
        return self.pid

    def getppid(self) -> int:
        return self.ppid

    @property
    def argv(self) -> list:
        return list(self._t.image.argv)

    @property
    def env(self) -> dict:
        return self._t.env

    @env.setter
    def env(self, value: dict) -> None:
        self._t.env = dict(value)

    @property
    def cwd(self) -> str:
        return self._t.cwd

    @property
    def uid(self) -> int:
        return self._t.uid

    @property
    def gid(self) -> int:
        return self._t.gid

    @property
    def caps(self) -> frozenset:
        """The capability bounding set (`sim.abi.Cap` members)."""
        return self._t.caps

    def capable(self, cap) -> bool:
        """Does the caller hold ``cap`` in its effective set?"""
        return self._t.capable(cap)

    def getgroups(self) -> list:
        """getgroups(2): the supplementary group ids."""
        return list(self._t.groups)

    @property
    def groups(self) -> list:
        return list(self._t.groups)

    def setgroups(self, groups) -> None:
        """setgroups(2): needs CAP_SETGID (EPERM)."""
        if not self._t.capable(Cap.CAP_SETGID):
            raise SimError(Errno.EPERM)
        self._t.groups = tuple(int(g) for g in groups)

    def getrlimit(self, resource: str) -> "tuple[int, int]":
        """getrlimit(2) of ``resource`` (Docker's names: ``nofile``,
        ``nproc``, ...): (soft, hard), `sim.proc.limits.RLIM_INFINITY` for
        unlimited."""
        from .limits import NAMES

        if resource not in NAMES:
            raise SimError(Errno.EINVAL)
        return self._t.rlimits.get(resource)

    def setrlimit(self, resource: str, soft: int, hard: int) -> None:
        """setrlimit(2): EINVAL when soft > hard, EPERM when raising the
        hard limit without CAP_SYS_RESOURCE."""
        self._t.rlimits = self._t.rlimits.set(resource, int(soft), int(hard),
                                              self._t.capable(Cap.CAP_SYS_RESOURCE))

    @property
    def umask(self) -> int:
        return self._t.umask

    @umask.setter
    def umask(self, value: int) -> None:
        self._t.umask = value & 0o777

    @property
    def kernel(self):
        """The kernel (for the few programs that are part of the host's
        plumbing, such as init and the shim).  Ordinary programs must use
        system calls only."""
        return self._k

    # -- fds -----------------------------------------------------------------
    async def read(self, fd: int, n: int = 65536) -> bytes:
        return await _k.trap(_k.ReadTrap(fd, n))

    async def write(self, fd: int, data) -> int:
        if isinstance(data, str):
            data = text_bytes(data)
        if not data:
            self._k._desc(self._t, fd)  # EBADF still applies
            return 0
        return await _k.trap(_k.WriteTrap(fd, bytes(data)))

    def try_write(self, fd: int, data: bytes) -> int:
        """write(2) as if the descriptor were non-blocking, without
        sleeping: the bytes taken now (0 when full).  Raises EPIPE (and
        SIGPIPE) when no reader is left."""
        desc = self._k._desc(self._t, fd)
        try:
            n = desc.try_write(bytes(data))
        except BrokenPipeError:
            self._k.send_signal(self._t, Signal.SIGPIPE, sender=self._t)
            raise SimError(Errno.EPIPE) from None
        return n or 0

    async def read_all(self, fd: int) -> bytes:
        chunks = []
        while True:
            chunk = await self.read(fd)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)

    async def print(self, *parts, fd: int = 1, end: str = "\n", sep: str = " ") -> None:
        await self.write(fd, sep.join(str(p) for p in parts) + end)

    async def error(self, text: str) -> None:
        """``<argv0>: <text>`` on stderr, the way tools report errors."""
        name = posixpath.basename(self._t.image.argv[0]) if self._t.image.argv else self._t.image.comm
        await self.write(2, f"{name}: {text}\n")

    def _reserve_fd(self) -> None:
        """What get_unused_fd does first in open(2), pipe(2), socket(2)
        and accept(2): EMFILE when RLIMIT_NOFILE leaves no descriptor."""
        fd = 0
        while fd in self._t.fds:
            fd += 1
        if fd >= self._t.rlimits.soft("nofile"):
            raise SimError(Errno.EMFILE)

    def open(self, path: str, flags: int = O_RDONLY, mode: int = 0o666) -> int:
        self._reserve_fd()
        vfs = self._t.nsset.mnt
        try:
            f = vfs.open(path, flags, mode & ~self._t.umask, **self._cred())
            tty = self._terminal_of(f)
            if tty is not None:
                return self._k.install_fd(self._t, tty)
        except SimError:
            desc = self._fd_link(path)
            if desc is None:
                raise
            # /proc/<pid>/fd/N (what /dev/stdout and /dev/fd/N point at):
            # Linux reopens the file behind the descriptor; for the pipes,
            # sockets and terminals behind stdio that is the same stream.
            return self._k.install_fd(self._t, desc)
        return self._k.install_fd(self._t, FileDesc(file=f, flags=flags))

    def _terminal_of(self, f):
        """The description opening a terminal device gives: /dev/tty (5,0)
        the controlling terminal (ENXIO without one), /dev/pts/N its pty
        (EIO once hung up), /dev/ptmx a new pair's master; None for any
        other file."""
        inode = getattr(f, "inode", None)
        from ..fs.devpts import PtmxNode, PtsNode
        from ..fs.memfs import CharDevice

        if not isinstance(inode, CharDevice):
            return None
        if (inode.major, inode.minor) == (5, 0):
            pty = self._t.ctty
            if pty is None or pty.hung_up:
                raise SimError(Errno.ENXIO)
            return PtySlaveDesc(pty=pty)
        if isinstance(inode.handler, PtsNode):
            if inode.handler.pty.hung_up:
                raise SimError(Errno.EIO)
            return PtySlaveDesc(pty=inode.handler.pty)
        if isinstance(inode.handler, PtmxNode):
            pty = inode.handler.devpts.open_pty(uid=self._t.uid)
            return PtyMasterDesc(pty=pty)
        return None

    def _fd_link(self, path: str):
        """The open description ``path`` names when, after its symlinks,
        it is the magic link /proc/self/fd/N or /proc/<pid>/fd/N of a task
        in the caller's PID namespace (procfs mounted on /proc); else None.
        Walked only after the filesystem failed to open ``path``."""
        vfs = self._t.nsset.mnt
        try:
            if vfs.mount_of("/proc").fs.fstype != "proc":
                return None
        except (SimError, AttributeError):
            return None
        pending = [c for c in posixpath.join(self._t.cwd, path).split("/") if c]
        resolved: list = []
        for _ in range(256):
            if not pending:
                return None
            name = pending.pop(0)
            if name == ".":
                continue
            if name == "..":
                if resolved:
                    resolved.pop()
                continue
            if len(resolved) == 1 and resolved[0] == "proc" and (name == "self" or name.isdigit()):
                resolved.append(str(self.pid) if name == "self" else name)
                continue
            if len(resolved) == 2 and resolved[0] == "proc" and resolved[1].isdigit() and name == "fd":
                resolved.append(name)
                continue
            if len(resolved) == 3 and resolved[2] == "fd" and resolved[0] == "proc" and name.isdigit():
                if pending:
                    return None
                task = self._t.nsset.pid.lookup(int(resolved[1]))
                if task is None or not task.alive:
                    return None
                return task.fds.get(int(name))
            here = "/" + "/".join(resolved + [name])
            try:
                st = vfs.lstat(here, **self._cred())
            except SimError:
                return None
            if S_ISLNK(st.mode):
                target = vfs.readlink(here, **self._cred())
                if target.startswith("/"):
                    resolved = []
                pending = [c for c in target.split("/") if c] + pending
                continue
            resolved.append(name)
        return None

    def close(self, fd: int) -> None:
        self._k.close_fd(self._t, fd)

    def dup(self, fd: int) -> int:
        return self._k.install_fd(self._t, self._k._desc(self._t, fd))

    def dup2(self, old: int, new: int) -> int:
        desc = self._k._desc(self._t, old)
        if old != new:
            self._k.install_fd(self._t, desc, new)
        return new

    def pipe(self) -> tuple:
        self._reserve_fd()
        p = Pipe(wake=self._k.wake_all)
        r = self._k.install_fd(self._t, PipeDesc(pipe=p, kind="r"))
        try:
            w = self._k.install_fd(self._t, PipeDesc(pipe=p, kind="w"))
        except SimError:
            self._k.close_fd(self._t, r)
            raise
        return r, w

    def isatty(self, fd: int) -> bool:
        desc = self._t.fds.get(fd)
        return desc is not None and desc.isatty()

    # -- terminals (termios(3), tty_ioctl(4)) --------------------------------
    def _pty(self, fd: int):
        """The pty behind ``fd``: EBADF if not open, ENOTTY if no terminal."""
        desc = self._k._desc(self._t, fd)
        pty = getattr(desc, "pty", None)
        if pty is None:
            raise SimError(Errno.ENOTTY)
        return pty

    def ttyname(self, fd: int) -> str:
        """ttyname(3): ``/dev/pts/N``; ENOTTY for anything else."""
        return self._pty(fd).path

    def tcgetattr(self, fd: int):
        """tcgetattr(3): the terminal's `sim.io.termios.Termios`."""
        return self._pty(fd).termios

    def tcsetattr(self, fd: int, termios, when: str = "now") -> None:
        """tcsetattr(3); ``when`` "now" (TCSANOW), "drain" (TCSADRAIN: the
        output is never held back here, so the same) or "flush"
        (TCSAFLUSH: unread input is discarded)."""
        pty = self._pty(fd)
        if when == "flush":
            pty.flush_input()
        pty.set_termios(termios)

    def get_winsize(self, fd: int) -> "tuple[int, int]":
        """TIOCGWINSZ: (rows, columns)."""
        size = self._pty(fd).winsize
        return size.rows, size.cols

    def set_winsize(self, fd: int, rows: int, cols: int) -> None:
        """TIOCSWINSZ: SIGWINCH to the foreground group when it changed."""
        self._pty(fd).resize(rows, cols)

    def tcgetpgrp(self, fd: int) -> int:
        from ..kernel import jobctl

        return jobctl.tcgetpgrp(self._k, self._t, self._pty(fd))

    def tcsetpgrp(self, fd: int, pgid: int) -> None:
        """tcsetpgrp(3): make group ``pgid`` the terminal's foreground.  A
        caller in a background group is stopped by SIGTTOU unless it
        ignores it (shells do)."""
        from ..kernel import jobctl

        jobctl.tcsetpgrp(self._k, self._t, self._pty(fd), int(pgid))

    # -- sessions and process groups -----------------------------------------
    def setsid(self) -> int:
        return self._k.setsid(self._t)

    def setpgid(self, pid: int = 0, pgid: int = 0) -> None:
        from ..kernel import jobctl

        jobctl.setpgid(self._k, self._t, int(pid), int(pgid))

    def _task_or_self(self, pid: int):
        if pid == 0:
            return self._t
        task = self._t.nsset.pid.lookup(pid)
        if task is None or not task.alive:
            raise SimError(Errno.ESRCH)
        return task

    def getpgid(self, pid: int = 0) -> int:
        task = self._task_or_self(pid)
        return task.pgrp.id_in(self._t.nsset.pid) if task.pgrp is not None else 0

    def getpgrp(self) -> int:
        return self.getpgid(0)

    def getsid(self, pid: int = 0) -> int:
        task = self._task_or_self(pid)
        return task.session.id_in(self._t.nsset.pid) if task.session is not None else 0

    def fd_path(self, fd: int) -> "str | None":
        desc = self._t.fds.get(fd)
        return desc.path if desc is not None else None

    def fds(self) -> list:
        return sorted(self._t.fds)

    def set_nonblocking(self, fd: int, flag: bool = True) -> None:
        """fcntl(fd, F_SETFL, O_NONBLOCK): blocking calls on the description
        fail with EAGAIN instead of sleeping."""
        self._k._desc(self._t, fd).nonblocking = bool(flag)

    async def poll(self, fds, timeout: "float | None" = None) -> list:
        """poll(2): ``fds`` is [(fd, events)] with `sim.io.waiter` bits;
        waits until one is ready or ``timeout`` seconds pass (None: for
        ever; 0: just look).  Returns [(fd, revents)] of the ready ones,
        [] on timeout."""
        deadline = None if timeout is None else self._k.now() + max(0.0, float(timeout))
        return await _k.trap(_k.PollTrap([(int(fd), int(ev)) for fd, ev in fds], deadline))

    def lseek(self, fd: int, pos: int, whence: int = 0) -> int:
        return self._k._desc(self._t, fd).lseek(pos, whence)

    # -- sockets -------------------------------------------------------------
    @property
    def _netns(self):
        ns = self._t.nsset.net
        if ns is None:
            raise SimError(Errno.EAFNOSUPPORT)
        return ns

    def _sock(self, fd: int):
        from ..net.socket import Socket

        desc = self._k._desc(self._t, fd)
        if not isinstance(desc, Socket):
            raise SimError(Errno.ENOTSOCK)
        return desc

    def socket(self, family: int = 2, type: int = 1) -> int:
        """socket(2): AF_INET/AF_INET6 with SOCK_STREAM or SOCK_DGRAM."""
        from .. import abi
        from ..net.socket import DatagramSocket, StreamSocket

        kind = type & 0xF
        self._reserve_fd()
        if family not in (abi.AF_INET, abi.AF_INET6):
            raise SimError(Errno.EAFNOSUPPORT)
        cls = {abi.SOCK_STREAM: StreamSocket, abi.SOCK_DGRAM: DatagramSocket}.get(kind)
        if cls is None:
            raise SimError(Errno.EPROTONOSUPPORT)
        sock = cls(ns=self._netns, family=family)
        sock.nonblocking = bool(type & 0o4000)  # SOCK_NONBLOCK
        return self._k.install_fd(self._t, sock)

    def bind(self, fd: int, address: tuple) -> None:
        host, port = address
        if port and int(port) < self._netns.unprivileged_port_start and \
                not self._t.capable(Cap.CAP_NET_BIND_SERVICE):
            raise SimError(Errno.EACCES)
        self._sock(fd).bind(host, port)

    def listen(self, fd: int, backlog: int = 511) -> None:
        sock = self._sock(fd)
        if not hasattr(sock, "listen"):
            raise SimError(Errno.EOPNOTSUPP)
        sock.listen(backlog)

    async def accept(self, fd: int) -> tuple:
        """accept(2): (new fd, (peer host, peer port))."""
        from ..net.socket import SocketTrap

        sock = self._sock(fd)
        if not hasattr(sock, "try_accept"):
            raise SimError(Errno.EOPNOTSUPP)
        self._reserve_fd()
        new = await _k.trap(SocketTrap(fd, lambda s: s.try_accept()))
        newfd = self._k.install_fd(self._t, new)
        return newfd, new.getpeername()

    async def connect(self, fd: int, address: tuple) -> None:
        """connect(2): a stream connects (waiting while the listener's
        backlog is full); a datagram socket sets its peer."""
        from ..net.socket import DatagramSocket, SocketTrap

        host, port = address
        sock = self._sock(fd)
        if isinstance(sock, DatagramSocket):
            sock.connect(host, port)
            return
        await _k.trap(SocketTrap(fd, lambda s: s.try_connect(host, port)))

    async def send(self, fd: int, data) -> int:
        return await self.write(fd, data)

    async def recv(self, fd: int, n: int = 65536) -> bytes:
        return await self.read(fd, n)

    async def sendto(self, fd: int, data, address: tuple) -> int:
        if isinstance(data, str):
            data = text_bytes(data)
        return self._sock(fd).sendto(bytes(data), address[0], address[1])

    async def recvfrom(self, fd: int, n: int = 65536) -> tuple:
        from ..net.socket import SocketTrap

        self._sock(fd)
        return await _k.trap(SocketTrap(fd, lambda s: s.try_recvfrom(n)))

    def shutdown(self, fd: int, how: int) -> None:
        self._sock(fd).shutdown(how)

    def getsockname(self, fd: int) -> tuple:
        return self._sock(fd).getsockname()

    def getpeername(self, fd: int) -> tuple:
        return self._sock(fd).getpeername()

    def setsockopt(self, fd: int, level: int, option: int, value) -> None:
        self._sock(fd).setsockopt(level, option, value)

    def getsockopt(self, fd: int, level: int, option: int):
        return self._sock(fd).getsockopt(level, option)

    def interfaces(self) -> list:
        """The namespace's interfaces (`sim.net.stack.InterfaceInfo`):
        what ``ip addr`` and os.networkInterfaces() list."""
        return self._netns.infos()

    def getaddrinfo(self, name: str) -> list:
        """The IPv4 addresses ``name`` stands for, as glibc and musl find
        them: a numeric address is itself; then /etc/hosts; then the DNS
        server of /etc/resolv.conf, which inside a container on a
        user-defined network is Docker's embedded one (127.0.0.11).
        Raises SimError(ENOENT) for a name nobody knows."""
        from ..net.resolver import resolve

        return resolve(self.read_file, self._t.nsset.net, name)

    def icmp_echo(self, address: str) -> "int | None":
        """Send an ICMP echo request to ``address``: the hops to the host
        that answers (0: this namespace), None when nobody answers (no
        one holds the address on the bridge, or the bridge drops it).
        Raises SimError ENETUNREACH when there is no route."""
        from ..abi import Errno as _E

        try:
            _, hops = self._netns.stack.ping(self._netns, address)
        except SimError as err:
            if err.errno in (_E.EHOSTUNREACH, _E.ETIMEDOUT):
                return None
            raise
        return hops

    def dns_query(self, server: str, name: str) -> "list | None":
        """Ask the name server ``server`` (an address) for ``name``'s IPv4
        addresses, as nslookup does over UDP: the list, [] when the server
        answers NXDOMAIN, None when no answer comes."""
        from ..net.resolver import query

        return query(self._t.nsset.net, server, name)

    # -- filesystem ----------------------------------------------------------
    @property
    def _vfs(self):
        return self._t.nsset.mnt

    def _cred(self) -> dict:
        """The caller's working directory and credentials, as the VFS takes them."""
        return {"cwd": self._t.cwd, "uid": self._t.uid, "gid": self._t.gid}

    def stat(self, path: str):
        return self._vfs.stat(path, follow=True, **self._cred())

    def lstat(self, path: str):
        return self._vfs.stat(path, follow=False, **self._cred())

    def listdir(self, path: str = ".") -> list:
        return self._vfs.listdir(path, **self._cred())

    def mkdir(self, path: str, mode: int = 0o777) -> None:
        self._vfs.mkdir(path, mode & ~self._t.umask, **self._cred())

    def rmdir(self, path: str) -> None:
        self._vfs.rmdir(path, **self._cred())

    def unlink(self, path: str) -> None:
        self._vfs.unlink(path, **self._cred())

    def rename(self, old: str, new: str) -> None:
        self._vfs.rename(old, new, **self._cred())

    def symlink(self, target: str, path: str) -> None:
        self._vfs.symlink(target, path, **self._cred())

    def readlink(self, path: str) -> str:
        return self._vfs.readlink(path, **self._cred())

    def link(self, old: str, new: str) -> None:
        self._vfs.link(old, new, **self._cred())

    def chmod(self, path: str, mode: int) -> None:
        self._vfs.chmod(path, mode, **self._cred())

    def chown(self, path: str, uid: int, gid: int) -> None:
        """chown(2).  Root without CAP_CHOWN is held to an unprivileged
        owner's rules (only the group, to one of its own): EPERM."""
        if self._t.uid == 0 and not self._t.capable(Cap.CAP_CHOWN):
            st = self._vfs.stat(path, follow=True, **self._cred())
            own = {self._t.gid, *self._t.groups}
            if st.uid != 0 or uid not in (-1, st.uid) or gid not in (-1, st.gid, *own):
                raise SimError(Errno.EPERM, path)
        self._vfs.chown(path, uid, gid, **self._cred())

    def utime(self, path: str, mtime: "float | None" = None) -> None:
        self._vfs.utime(path, mtime, **self._cred())

    def access(self, path: str, mode: int = 0) -> bool:
        """access(2) with the caller's real ids: may it ``mode`` (R_OK,
        W_OK, X_OK, or F_OK) ``path``?"""
        return self._vfs.access(path, mode, **self._cred())

    def chdir(self, path: str) -> None:
        target = self._vfs.realpath(path, **self._cred())
        if not S_ISDIR(self._vfs.stat(target).mode):
            raise SimError(Errno.ENOTDIR, path)
        self._vfs.check_access(target, X_OK, uid=self._t.uid, gid=self._t.gid)
        self._t.cwd = target

    def realpath(self, path: str) -> str:
        return self._vfs.realpath(path, **self._cred())

    def read_file(self, path: str) -> bytes:
        fd = self.open(path, O_RDONLY)
        try:
            desc = self._t.fds[fd]
            chunks = []
            while True:
                chunk = desc.try_read(1 << 20)
                if not chunk:
                    return b"".join(chunks)
                chunks.append(chunk)
        finally:
            self.close(fd)

    def write_file(self, path: str, data, append: bool = False) -> None:
        if isinstance(data, str):
            data = text_bytes(data)
        flags = O_WRONLY | O_CREAT | (O_APPEND if append else O_TRUNC)
        fd = self.open(path, flags, 0o666)
        try:
            self._t.fds[fd].try_write(bytes(data))
        finally:
            self.close(fd)

    # -- processes -----------------------------------------------------------
    def _child_fds(self, fds: "dict | None") -> dict:
        if fds is None:
            fds = {fd: fd for fd in (0, 1, 2) if fd in self._t.fds}
        out = {}
        for child_fd, parent_fd in fds.items():
            out[child_fd] = self._k._desc(self._t, parent_fd)
        return out

    async def spawn(self, argv, env=None, cwd=None, fds=None) -> int:
        """fork + execve; returns the child's PID.  Raises SimError (ENOENT,
        EACCES, ENOEXEC) when ``argv`` cannot run, before any child exists."""
        t = self._t
        env = dict(t.env if env is None else env)
        cwd = t.cwd if cwd is None else self._vfs.realpath(cwd, cwd=t.cwd)
        image = self._k.load_image(t.nsset.mnt, argv, env, cwd, t.uid)
        child = self._k.create_task(parent=t, image=image, nsset=t.nsset, env=env, cwd=cwd,
                                    uid=t.uid, gid=t.gid, fds=self._child_fds(fds),
                                    sig_actions=t.sig_actions, umask=t.umask, caps=t.caps)
        return t.nsset.pid.pid_of(child)

    async def fork(self, fn, fds=None) -> int:
        """A child running ``await fn(child_proc)``, with copies of env and
        cwd and the named fds (default: all of them)."""
        t = self._t
        if fds is None:
            fds = {fd: fd for fd in t.fds}

        async def body(child_proc):
            result = await fn(child_proc)
            return 0 if result is None else result

        child = self._k.create_task(parent=t, image=t.image, nsset=t.nsset, env=t.env, cwd=t.cwd,
                                    uid=t.uid, gid=t.gid, fds=self._child_fds(fds),
                                    sig_actions=t.sig_actions, umask=t.umask, caps=t.caps,
                                    coro_fn=body)
        return t.nsset.pid.pid_of(child)

    def setproctitle(self, title: str) -> None:
        """What setproctitle(3) does by overwriting argv[0]'s memory (as
        nginx and postgres do): /proc/<pid>/cmdline and ps show ``title``
        as the whole command line; comm is unchanged."""
        self._t.image = attrs.evolve(self._t.image, argv=(str(title),))

    def setgid(self, gid: int) -> None:
        """setgid(2): root (CAP_SETGID) may take any group; others EPERM
        unless it is their own."""
        if gid != self._t.gid and not self._t.capable(Cap.CAP_SETGID):
            raise SimError(Errno.EPERM)
        self._t.gid = int(gid)

    def setuid(self, uid: int) -> None:
        """setuid(2): root (CAP_SETUID) may become any user (and, no longer
        uid 0, loses its effective capabilities); others EPERM."""
        if uid != self._t.uid and not self._t.capable(Cap.CAP_SETUID):
            raise SimError(Errno.EPERM)
        self._t.uid = int(uid)

    async def exec(self, argv, env=None) -> None:
        """execve(2): on success this call does not return."""
        t = self._t
        if env is not None:
            t.env = dict(env)
        image = self._k.load_image(t.nsset.mnt, argv, t.env, t.cwd, t.uid)
        raise ExecReplace(image)

    async def wait(self, pid: int = -1, nohang: bool = False, untraced: bool = False,
                   continued: bool = False):
        """waitpid(2): (pid, `WaitStatus`), None with ``nohang`` when no
        child changed.  ``pid`` -1 any child, N that one, 0 one of the
        caller's group, -N one of group N; ``untraced`` (WUNTRACED) also
        reports a child that stopped, ``continued`` (WCONTINUED) one that
        was continued."""
        return await _k.trap(_k.WaitTrap(pid, nohang, untraced, continued))

    def kill(self, pid: int, sig) -> None:
        """kill(2) with ``pid`` in the caller's namespace: a PID; 0 the
        caller's process group; -N process group N; -1 every task the
        caller may signal except itself and init.  ESRCH when nobody
        matches, EPERM when the caller may signal none of them."""
        from ..kernel import jobctl

        sig = Signal(int(sig)) if int(sig) else 0
        ns = self._t.nsset.pid
        if pid > 0:
            target = ns.lookup(pid)
            if target is None or not target.alive:
                raise SimError(Errno.ESRCH)
            targets = [target]
        elif pid == -1:
            targets = [t for p, t in sorted(ns.tasks.items())
                       if p != 1 and t is not self._t and t.alive]
        else:
            group = self._t.pgrp if pid == 0 else jobctl.find_pgrp(self._k, ns, -pid)
            targets = [t for t in jobctl.members(self._k, group) if ns.pid_of(t)] if group else []
            if not targets:
                raise SimError(Errno.ESRCH)
        if not self._t.capable(Cap.CAP_KILL):  # kill(2): same uid, or CAP_KILL
            allowed = [t for t in targets if t.uid == self._t.uid]
            if targets and not allowed:
                raise SimError(Errno.EPERM)
            targets = allowed
        if sig:
            for target in targets:
                self._k.send_signal(target, sig, sender=self._t)

    def signal(self, sig, action: str) -> str:
        """Set the disposition of ``sig``; returns the previous one."""
        sig = Signal(int(sig))
        if action not in ("default", "ignore", "catch"):
            raise ValueError(action)
        if sig in (Signal.SIGKILL, Signal.SIGSTOP):
            raise SimError(Errno.EINVAL)
        previous = self._t.sig_actions.get(sig, "default")
        if action == "default":
            self._t.sig_actions.pop(sig, None)
        else:
            self._t.sig_actions[sig] = action
        return previous

    def take_signals(self) -> list:
        out = self._t.delivered_signals + self._t.pending_signals
        self._t.delivered_signals = []
        self._t.pending_signals = []
        return out

    async def sleep(self, seconds: float) -> None:
        await _k.trap(_k.SleepTrap(self._k.now() + max(0.0, float(seconds))))

    async def pause(self) -> None:
        """Sleep until a caught signal arrives (raises Interrupted)."""
        await _k.trap(_k.PauseTrap())

    async def checkpoint(self) -> None:
        await _k.trap(_k.YieldTrap())

    # -- cores (sim.proc.cpu) ------------------------------------------------
    def new_core(self):
        """A core for an embedded engine's turns: the machine's (a host
        thread, when the daemon runs the kernel) or an inline one."""
        factory = self._k.cores
        return factory() if factory is not None else InlineCore()

    async def compute(self, core, fn, on_detach=None):
        """Run ``fn()`` on ``core`` and return its result (or raise its
        exception); while it runs, the calls it makes back into the
        simulation through ``core.call`` are carried out here.
        ``on_detach()`` runs if the turn goes on past the core's wait."""
        job = Job(WaitQueue(wake=self._k.wake_all))
        core.start(fn, job)
        if not job.done:
            if on_detach is not None:
                on_detach()
            return await _k.trap(ComputeTrap(job))
        job.serve()
        if job.error is not None:
            raise job.error
        return job.result

    def exit(self, code: int = 0):
        raise ProgramExit(code)

    # -- system information --------------------------------------------------
    def time(self) -> float:
        return self._k.now()

    def monotonic(self) -> float:
        return self._k.now() - self._k.boot_time

    def getrandom(self, n: int) -> bytes:
        """getrandom(2): ``n`` bytes from the kernel's injected id source
        (seeded in tests and the deterministic mode)."""
        ids = self._k.ids
        return b"".join(ids.uint32().to_bytes(4, "little") for _ in range((n + 3) // 4))[:n]

    def gethostname(self) -> str:
        return self._t.nsset.uts.hostname

    def sethostname(self, name: str) -> None:
        """sethostname(2): needs CAP_SYS_ADMIN (EPERM), which Docker's
        default capability set leaves out."""
        if not self._t.capable(Cap.CAP_SYS_ADMIN):
            raise SimError(Errno.EPERM)
        self._t.nsset.uts.hostname = name

    def uname(self) -> Uname:
        k = self._k
        return Uname("Linux", self.gethostname(), k.release, k.version, k.machine)

    def tasks(self) -> list:
        return self._k.task_infos(self._t.nsset.pid)

    def sysinfo(self) -> dict:
        """sysinfo(2), plus the CPU count (get_nprocs(3)).

        Keys: ``ncpu``, ``mem_total_kb``, ``uptime`` (seconds, a float);
        and sysinfo(2)'s fields: ``loads`` (1, 5, 15 minutes, scaled by
        1 << SI_LOAD_SHIFT = 65536), ``totalram``, ``freeram``,
        ``sharedram``, ``bufferram``, ``totalswap``, ``freeswap`` (in
        ``mem_unit`` = 1 byte), ``procs`` (tasks).  The same figures as
        /proc/meminfo and /proc/loadavg: `Kernel.meminfo`, `Kernel.avenrun`."""
        k = self._k
        m = k.meminfo()
        return {
            "ncpu": k.ncpu, "mem_total_kb": k.mem_total_kb, "uptime": self.monotonic(),
            "loads": tuple(a << (16 - _k.FSHIFT) for a in k.avenrun),
            "totalram": m["MemTotal"] * 1024, "freeram": m["MemFree"] * 1024,
            "sharedram": m["Shmem"] * 1024, "bufferram": m["Buffers"] * 1024,
            "totalswap": m["SwapTotal"] * 1024, "freeswap": m["SwapFree"] * 1024,
            "procs": k.nr_threads(), "mem_unit": 1,
        }

    def statfs(self, path: str):
        """statfs(2) of the filesystem ``path`` lives on: a
        `sim.fs.statfs.StatFs` (f_type name, f_bsize, f_blocks, f_bfree,
        f_bavail, f_files, f_ffree).  Raises like stat(2)."""
        mount = self._vfs.mount_of(path, **self._cred())
        return self._k.statfs(mount.fs)
