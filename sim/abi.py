"""Linux ABI constants the simulated kernel speaks (errno, signals, open
flags, file-mode bits, wait statuses).

Values are Linux x86_64's, so numbers a user sees (exit code 137 = 128 +
SIGKILL, ``kill -15``) match the real thing.  See errno(3), signal(7),
open(2), inode(7), wait(2).
"""

import enum
import stat as _stat


class Errno(enum.IntEnum):
    """errno(3) values, with the strerror text Linux prints."""

    EPERM = 1
    ENOENT = 2
    ESRCH = 3
    EINTR = 4
    EIO = 5
    ENXIO = 6
    E2BIG = 7
    ENOEXEC = 8
    EBADF = 9
    ECHILD = 10
    EAGAIN = 11
    ENOMEM = 12
    EACCES = 13
    EFAULT = 14
    EBUSY = 16
    EEXIST = 17
    EXDEV = 18
    ENODEV = 19
    ENOTDIR = 20
    EISDIR = 21
    EINVAL = 22
    ENFILE = 23
    EMFILE = 24
    ENOTTY = 25
    ETXTBSY = 26
    EFBIG = 27
    ENOSPC = 28
    ESPIPE = 29
    EROFS = 30
    EMLINK = 31
    EPIPE = 32
    ERANGE = 34
    ENAMETOOLONG = 36
    ENOSYS = 38
    ENOTEMPTY = 39
    ELOOP = 40
    ENOTSOCK = 88
    EDESTADDRREQ = 89
    EMSGSIZE = 90
    EPROTOTYPE = 91
    ENOPROTOOPT = 92
    EPROTONOSUPPORT = 93
    EOPNOTSUPP = 95
    EAFNOSUPPORT = 97
    EADDRINUSE = 98
    EADDRNOTAVAIL = 99
    ENETDOWN = 100
    ENETUNREACH = 101
    ECONNABORTED = 103
    ECONNRESET = 104
    EISCONN = 106
    ENOTCONN = 107
    ETIMEDOUT = 110
    ECONNREFUSED = 111
    EHOSTUNREACH = 113
    EALREADY = 114
    EINPROGRESS = 115

    @property
    def strerror(self) -> str:
        return _STRERROR.get(self, f"Unknown error {int(self)}")


_STRERROR = {
    Errno.EPERM: "Operation not permitted",
    Errno.ENOENT: "No such file or directory",
    Errno.ESRCH: "No such process",
    Errno.EINTR: "Interrupted system call",
    Errno.EIO: "Input/output error",
    Errno.ENXIO: "No such device or address",
    Errno.E2BIG: "Argument list too long",
    Errno.ENOEXEC: "Exec format error",
    Errno.EBADF: "Bad file descriptor",
    Errno.ECHILD: "No child processes",
    Errno.EAGAIN: "Resource temporarily unavailable",
    Errno.ENOMEM: "Cannot allocate memory",
    Errno.EACCES: "Permission denied",
    Errno.EFAULT: "Bad address",
    Errno.EBUSY: "Device or resource busy",
    Errno.EEXIST: "File exists",
    Errno.EXDEV: "Invalid cross-device link",
    Errno.ENODEV: "No such device",
    Errno.ENOTDIR: "Not a directory",
    Errno.EISDIR: "Is a directory",
    Errno.EINVAL: "Invalid argument",
    Errno.ENFILE: "Too many open files in system",
    Errno.EMFILE: "Too many open files",
    Errno.ENOTTY: "Inappropriate ioctl for device",
    Errno.ETXTBSY: "Text file busy",
    Errno.EFBIG: "File too large",
    Errno.ENOSPC: "No space left on device",
    Errno.ESPIPE: "Illegal seek",
    Errno.EROFS: "Read-only file system",
    Errno.EMLINK: "Too many links",
    Errno.EPIPE: "Broken pipe",
    Errno.ERANGE: "Numerical result out of range",
    Errno.ENAMETOOLONG: "File name too long",
    Errno.ENOSYS: "Function not implemented",
    Errno.ENOTEMPTY: "Directory not empty",
    Errno.ELOOP: "Too many levels of symbolic links",
    Errno.ENOTSOCK: "Socket operation on non-socket",
    Errno.EDESTADDRREQ: "Destination address required",
    Errno.EMSGSIZE: "Message too long",
    Errno.EPROTOTYPE: "Protocol wrong type for socket",
    Errno.ENOPROTOOPT: "Protocol not available",
    Errno.EPROTONOSUPPORT: "Protocol not supported",
    Errno.EOPNOTSUPP: "Operation not supported",
    Errno.EAFNOSUPPORT: "Address family not supported by protocol",
    Errno.EADDRINUSE: "Address already in use",
    Errno.EADDRNOTAVAIL: "Cannot assign requested address",
    Errno.ENETDOWN: "Network is down",
    Errno.ENETUNREACH: "Network is unreachable",
    Errno.ECONNABORTED: "Software caused connection abort",
    Errno.ECONNRESET: "Connection reset by peer",
    Errno.EISCONN: "Transport endpoint is already connected",
    Errno.ENOTCONN: "Transport endpoint is not connected",
    Errno.ETIMEDOUT: "Connection timed out",
    Errno.ECONNREFUSED: "Connection refused",
    Errno.EHOSTUNREACH: "No route to host",
    Errno.EALREADY: "Operation already in progress",
    Errno.EINPROGRESS: "Operation now in progress",
}


class Signal(enum.IntEnum):
    """signal(7) numbers on x86_64."""

    SIGHUP = 1
    SIGINT = 2
    SIGQUIT = 3
    SIGILL = 4
    SIGTRAP = 5
    SIGABRT = 6
    SIGBUS = 7
    SIGFPE = 8
    SIGKILL = 9
    SIGUSR1 = 10
    SIGSEGV = 11
    SIGUSR2 = 12
    SIGPIPE = 13
    SIGALRM = 14
    SIGTERM = 15
    SIGSTKFLT = 16
    SIGCHLD = 17
    SIGCONT = 18
    SIGSTOP = 19
    SIGTSTP = 20
    SIGTTIN = 21
    SIGTTOU = 22
    SIGURG = 23
    SIGXCPU = 24
    SIGXFSZ = 25
    SIGVTALRM = 26
    SIGPROF = 27
    SIGWINCH = 28
    SIGIO = 29
    SIGPWR = 30
    SIGSYS = 31

    @classmethod
    def parse(cls, text: "str | int") -> "Signal":
        """Parse ``9``, ``KILL``, ``SIGKILL`` or ``sigkill`` (as docker kill -s
        and kill(1) accept them).  Raises ValueError for anything else."""
        if isinstance(text, int) or str(text).strip().isdigit():
            return cls(int(text))
        name = str(text).strip().upper()
        if not name.startswith("SIG"):
            name = "SIG" + name
        try:
            return cls[name]
        except KeyError:
            raise ValueError(f"invalid signal: {text}") from None


class SigAction(enum.Enum):
    """The default disposition of a signal (signal(7), "Standard signals")."""

    TERM = "terminate"
    CORE = "terminate and dump core"
    IGN = "ignore"
    STOP = "stop"
    CONT = "continue"


#: Default action per signal, as signal(7) tabulates it.
DEFAULT_ACTION = {
    Signal.SIGHUP: SigAction.TERM, Signal.SIGINT: SigAction.TERM,
    Signal.SIGQUIT: SigAction.CORE, Signal.SIGILL: SigAction.CORE,
    Signal.SIGTRAP: SigAction.CORE, Signal.SIGABRT: SigAction.CORE,
    Signal.SIGBUS: SigAction.CORE, Signal.SIGFPE: SigAction.CORE,
    Signal.SIGKILL: SigAction.TERM, Signal.SIGUSR1: SigAction.TERM,
    Signal.SIGSEGV: SigAction.CORE, Signal.SIGUSR2: SigAction.TERM,
    Signal.SIGPIPE: SigAction.TERM, Signal.SIGALRM: SigAction.TERM,
    Signal.SIGTERM: SigAction.TERM, Signal.SIGSTKFLT: SigAction.TERM,
    Signal.SIGCHLD: SigAction.IGN, Signal.SIGCONT: SigAction.CONT,
    Signal.SIGSTOP: SigAction.STOP, Signal.SIGTSTP: SigAction.STOP,
    Signal.SIGTTIN: SigAction.STOP, Signal.SIGTTOU: SigAction.STOP,
    Signal.SIGURG: SigAction.IGN, Signal.SIGXCPU: SigAction.CORE,
    Signal.SIGXFSZ: SigAction.CORE, Signal.SIGVTALRM: SigAction.TERM,
    Signal.SIGPROF: SigAction.TERM, Signal.SIGWINCH: SigAction.IGN,
    Signal.SIGIO: SigAction.TERM, Signal.SIGPWR: SigAction.TERM,
    Signal.SIGSYS: SigAction.CORE,
}

#: Signals that can be neither caught nor ignored.
UNCATCHABLE = frozenset({Signal.SIGKILL, Signal.SIGSTOP})

# open(2) flags (x86_64 values).
O_RDONLY = 0o0
O_WRONLY = 0o1
O_RDWR = 0o2
O_ACCMODE = 0o3
O_CREAT = 0o100
O_EXCL = 0o200
O_NOCTTY = 0o400
O_TRUNC = 0o1000
O_APPEND = 0o2000
O_NONBLOCK = 0o4000
O_DIRECTORY = 0o200000
O_NOFOLLOW = 0o400000
O_CLOEXEC = 0o2000000

# access(2) modes.
F_OK, X_OK, W_OK, R_OK = 0, 1, 2, 4

# File type and permission bits (inode(7)); re-exported from the stdlib's
# `stat`, which carries the same Linux values on every platform.
S_IFMT = 0o170000  # the file-type mask (the stdlib names a function S_IFMT)
S_IFSOCK = _stat.S_IFSOCK
S_IFLNK = _stat.S_IFLNK
S_IFREG = _stat.S_IFREG
S_IFBLK = _stat.S_IFBLK
S_IFDIR = _stat.S_IFDIR
S_IFCHR = _stat.S_IFCHR
S_IFIFO = _stat.S_IFIFO
S_ISUID = 0o4000
S_ISGID = 0o2000
S_ISVTX = 0o1000
S_ISDIR = _stat.S_ISDIR
S_ISREG = _stat.S_ISREG
S_ISLNK = _stat.S_ISLNK
S_ISCHR = _stat.S_ISCHR
S_ISFIFO = _stat.S_ISFIFO
filemode = _stat.filemode  # 0o100644 -> "-rw-r--r--", as ls -l prints


def exit_status_code(signaled: "Signal | None", code: int) -> int:
    """The number a shell's ``$?`` and Docker's ExitCode show for a wait
    status: the exit code, or 128 + the signal number when killed."""
    return 128 + int(signaled) if signaled is not None else code & 0xFF


class Cap(enum.IntEnum):
    """capabilities(7) numbers (linux/capability.h, up to CAP_LAST_CAP of
    Linux 5.9+)."""

    CAP_CHOWN = 0
    CAP_DAC_OVERRIDE = 1
    CAP_DAC_READ_SEARCH = 2
    CAP_FOWNER = 3
    CAP_FSETID = 4
    CAP_KILL = 5
    CAP_SETGID = 6
    CAP_SETUID = 7
    CAP_SETPCAP = 8
    CAP_LINUX_IMMUTABLE = 9
    CAP_NET_BIND_SERVICE = 10
    CAP_NET_BROADCAST = 11
    CAP_NET_ADMIN = 12
    CAP_NET_RAW = 13
    CAP_IPC_LOCK = 14
    CAP_IPC_OWNER = 15
    CAP_SYS_MODULE = 16
    CAP_SYS_RAWIO = 17
    CAP_SYS_CHROOT = 18
    CAP_SYS_PTRACE = 19
    CAP_SYS_PACCT = 20
    CAP_SYS_ADMIN = 21
    CAP_SYS_BOOT = 22
    CAP_SYS_NICE = 23
    CAP_SYS_RESOURCE = 24
    CAP_SYS_TIME = 25
    CAP_SYS_TTY_CONFIG = 26
    CAP_MKNOD = 27
    CAP_LEASE = 28
    CAP_AUDIT_WRITE = 29
    CAP_AUDIT_CONTROL = 30
    CAP_SETFCAP = 31
    CAP_MAC_OVERRIDE = 32
    CAP_MAC_ADMIN = 33
    CAP_SYSLOG = 34
    CAP_WAKE_ALARM = 35
    CAP_BLOCK_SUSPEND = 36
    CAP_AUDIT_READ = 37
    CAP_PERFMON = 38
    CAP_BPF = 39
    CAP_CHECKPOINT_RESTORE = 40


#: Every capability: what the host's tasks hold (CapBnd 000001ffffffffff).
ALL_CAPS = frozenset(Cap)

#: Docker's default set for a container's processes (moby
#: oci/caps/defaults.go; CapBnd 00000000a80425fb).  CAP_SYS_ADMIN is not in
#: it, so root in a container cannot, e.g., set the hostname.
DOCKER_DEFAULT_CAPS = frozenset({
    Cap.CAP_CHOWN, Cap.CAP_DAC_OVERRIDE, Cap.CAP_FSETID, Cap.CAP_FOWNER, Cap.CAP_MKNOD,
    Cap.CAP_NET_RAW, Cap.CAP_SETGID, Cap.CAP_SETUID, Cap.CAP_SETFCAP, Cap.CAP_SETPCAP,
    Cap.CAP_NET_BIND_SERVICE, Cap.CAP_SYS_CHROOT, Cap.CAP_KILL, Cap.CAP_AUDIT_WRITE,
})


def cap_mask(caps) -> int:
    """A capability set as the bit mask /proc/<pid>/status prints (CapBnd)."""
    mask = 0
    for cap in caps:
        mask |= 1 << int(cap)
    return mask


# -- sockets (socket(2), socket(7), tcp(7)) ---------------------------------------
AF_UNIX = 1
AF_INET = 2
AF_INET6 = 10
SOCK_STREAM = 1
SOCK_DGRAM = 2
SHUT_RD = 0
SHUT_WR = 1
SHUT_RDWR = 2
SOL_SOCKET = 1
SO_REUSEADDR = 2
SO_ERROR = 4
SO_KEEPALIVE = 9
SO_RCVBUF = 8
SO_SNDBUF = 7
IPPROTO_TCP = 6
TCP_NODELAY = 1
IPPROTO_IPV6 = 41
IPV6_V6ONLY = 26


def text_bytes(text: str) -> bytes:
    """The bytes a program writes for ``text`` (a str where a C program has
    bytes): UTF-8, where U+DC80..U+DCFF stand for single raw bytes (PEP
    383's "surrogateescape", how the simulation keeps bytes that are not
    UTF-8 in text) and any other lone surrogate is written as bash writes
    ``$'\\ud800'`` in a UTF-8 locale: its three-byte UTF-8 form (ED A0 80),
    never an error."""
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        out = bytearray()
        for ch in text:
            code = ord(ch)
            if 0xDC80 <= code <= 0xDCFF:
                out.append(code - 0xDC00)
            else:
                out += ch.encode("utf-8", "surrogatepass")
        return bytes(out)
