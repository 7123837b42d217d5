"""node's event loop, in Python, around a QuickJS engine (quickjs-ng).

JavaScript runs only in *turns*: `Node.turn` calls one JS function (the
main module, a timer, an I/O callback), then drains process.nextTick and
the promise jobs.  Between turns
the loop is a simulated program like any other: it flushes the output
JS produced, asks the JS side for its next timer, and waits in
``proc.poll`` over every descriptor JS is interested in (servers,
sockets), with the timeout of the next timer.

JS calls into Python only through ``__host(op, json_args)`` (`Node.host`),
whose operations are immediate and never block: files are in memory,
output goes to a queue the loop writes out, socket writes to buffers the
loop flushes when the socket is writable.  Answers cross as JSON
(``{"v": value}`` or ``{"e": [code, errno, message]}``); bytes as
"binary" strings, one char per byte.

Where JS runs: every use of the engine goes through `Node.js` /
`Node.turn` / `Node.call`, which run it on the program's core
(``proc.compute``, `sim.proc.cpu`): inline in the simulation, a host thread
of its own in the daemon, so a JS ``while (true) {}`` keeps that thread
busy and not the kernel.  The bridge's operations that touch the kernel
run back on the kernel's thread through ``core.call``.  The context is
attached to the core (``core.attach``), so when the program is killed
mid-turn the core interrupts QuickJS and the thread ends.  (QuickJS's own
CPU-time limit is no help: the binding refuses calls into Python while it
is armed.)
"""

import base64
import binascii
import hashlib
import hmac
import json
import math
import posixpath
import random
import re

import quickjs

from ...abi import O_APPEND, O_CREAT, O_EXCL, O_RDONLY, O_RDWR, O_TRUNC, O_WRONLY, Errno, Signal
from ...errors import Interrupted, SimError
from . import js_core, js_lib, js_util

#: The engine's heap limit (node's default old-space is a few GiB; the
#: simulation keeps one process from taking the host's memory).
MEMORY_LIMIT = 1 << 30
#: The engine's stack (node's V8 stack is about 1 MB).
STACK_SIZE = 1 << 20

DEFAULT_VERSION = "22.13.0"
#: process.versions besides node's own, by major version.
_VERSIONS = {
    "20": {"v8": "11.3.244.8-node.25", "uv": "1.46.0", "modules": "115", "napi": "9"},
    "22": {"v8": "12.4.254.21-node.21", "uv": "1.49.2", "modules": "127", "napi": "9"},
    "23": {"v8": "12.9.202.28-node.12", "uv": "1.49.2", "modules": "131", "napi": "10"},
}
_LTS = {"20": "Iron", "22": "Jod"}
_ARCH = {"x86_64": "x64", "aarch64": "arm64", "armv7l": "arm", "i686": "ia32", "s390x": "s390x",
         "ppc64le": "ppc64"}

#: The builtin chunks, in load order (name for stack traces, source).
_CHUNKS = (
    ("node:internal/bootstrap", js_core.CORE),
    ("node:util", js_util.UTIL),
    ("node:events", js_util.EVENTS),
    ("node:buffer", js_lib.BUFFER),
    ("node:internal/process", js_lib.PROCESS),
    ("node:path", js_lib.PATH),
    ("node:os", js_lib.OS),
    ("node:fs", js_lib.FS),
    ("node:url", js_lib.URL),
    ("node:internal/extras", js_lib.EXTRAS),
)
_LATE_CHUNKS = (("node:internal/modules/cjs/loader", js_lib.MODULES),)

USAGE = """Usage: node [options] [ script.js ] [arguments]
       node inspect [options] [ script.js | host:port ] [arguments]

Options:
  -                           script read from stdin (default if no file name is provided, interactive mode if a tty)
  --                          indicate the end of node options
  -e, --eval=...              evaluate script
  -h, --help                  print node command line options (currently set)
  -p, --print [...]           evaluate script and print result
  -r, --require=...           CommonJS module to preload (option can be repeated)
  -v, --version               print Node.js version

Documentation can be found at https://nodejs.org/
"""

_FLAGS = {"r": O_RDONLY, "r+": O_RDWR, "rs+": O_RDWR, "w": O_WRONLY | O_CREAT | O_TRUNC,
          "wx": O_WRONLY | O_CREAT | O_TRUNC | O_EXCL, "w+": O_RDWR | O_CREAT | O_TRUNC,
          "wx+": O_RDWR | O_CREAT | O_TRUNC | O_EXCL, "a": O_WRONLY | O_CREAT | O_APPEND,
          "ax": O_WRONLY | O_CREAT | O_APPEND | O_EXCL, "a+": O_RDWR | O_CREAT | O_APPEND,
          "as": O_WRONLY | O_CREAT | O_APPEND}

#: libuv's words for errno values (uv_strerror), which node's errors carry.
UV_MESSAGES = {
    "EACCES": "permission denied", "EADDRINUSE": "address already in use",
    "EADDRNOTAVAIL": "address not available", "EAGAIN": "resource temporarily unavailable",
    "EBADF": "bad file descriptor", "ECONNREFUSED": "connection refused",
    "ECONNRESET": "connection reset by peer", "EEXIST": "file already exists",
    "EINVAL": "invalid argument", "EISDIR": "illegal operation on a directory",
    "ELOOP": "too many symbolic links encountered", "EMFILE": "too many open files",
    "ENAMETOOLONG": "name too long", "ENETUNREACH": "network is unreachable",
    "ENOENT": "no such file or directory", "ENOSPC": "no space left on device",
    "ENOSYS": "function not implemented", "ENOTCONN": "socket is not connected",
    "ENOTDIR": "not a directory", "ENOTEMPTY": "directory not empty",
    "EPERM": "operation not permitted", "EPIPE": "broken pipe", "EROFS": "read-only file system",
    "ETIMEDOUT": "connection timed out", "EXDEV": "cross-device link not permitted",
}

_HASHES = {"md5": "md5", "sha1": "sha1", "sha224": "sha224", "sha256": "sha256", "sha384": "sha384",
           "sha512": "sha512", "rsa-sha256": "sha256"}

#: Bridge operations that run on the core's thread: pure computation, the
#: process's own output queue and random source, and clock reads.
_ON_CORE = frozenset({"now", "monotonic", "random", "randomBytes", "encode", "decode", "write",
                      "writeBinary", "fdWrite", "hashCheck", "digest", "exit", "memoryUsage"})

_SURROGATE = re.compile("[\ud800-\udfff]")


def utf8(text: str) -> bytes:
    """UTF-8 of a JS string; lone surrogates become U+FFFD as in node."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text).encode("utf-8")


def encode(text: str, enc: str) -> bytes:
    """node's Buffer.from(string, enc)."""
    if enc == "utf8":
        return utf8(text)
    if enc in ("latin1", "ascii"):
        return bytes(ord(c) & 0xFF for c in text)
    if enc == "hex":
        m = re.match(r"(?:[0-9a-fA-F]{2})*", text)
        return bytes.fromhex(m.group(0))
    if enc in ("base64", "base64url"):
        clean = re.sub(r"[^A-Za-z0-9+/\-_]", "", text).replace("-", "+").replace("_", "/")
        clean = clean[: len(clean) - len(clean) % 4 if len(clean) % 4 == 1 else len(clean)]
        try:
            return base64.b64decode(clean + "=" * (-len(clean) % 4))
        except binascii.Error:
            return b""
    if enc in ("ucs2", "ucs-2", "utf16le", "utf-16le"):
        return text.encode("utf-16-le", "surrogatepass")
    raise ValueError(enc)


def decode(data: bytes, enc: str) -> str:
    """node's buf.toString(enc)."""
    if enc == "utf8":
        return data.decode("utf-8", "replace")
    if enc == "latin1":
        return data.decode("latin1")
    if enc == "ascii":
        return bytes(b & 0x7F for b in data).decode("ascii")
    if enc == "hex":
        return data.hex()
    if enc == "base64":
        return base64.b64encode(data).decode()
    if enc == "base64url":
        return base64.urlsafe_b64encode(data).decode().rstrip("=")
    if enc in ("ucs2", "ucs-2", "utf16le", "utf-16le"):
        return data[: len(data) & ~1].decode("utf-16-le", "replace")
    raise ValueError(enc)


def _bin(data: bytes) -> str:
    return data.decode("latin1")


class Node:
    """One node process: the engine, the host operations, the loop."""

    def __init__(self, proc):
        self.proc = proc
        self.exit_code: "int | None" = None
        self.output: "list[tuple[int, bytes]]" = []
        self.version = DEFAULT_VERSION
        self.script_argv: list = []
        self.exec_argv: list = []
        self.rng = random.Random(int.from_bytes(proc.getrandom(8), "little"))
        self.ctx = None
        self.fns: dict = {}
        self.net = None       # the socket layer (sim.programs.node.netio), once sockets exist
        #: Where JS runs (`sim.proc.cpu`): inline, or a host thread in the daemon.
        self.core = proc.new_core()
        self._ops = {name[3:]: getattr(self, name) for name in dir(self) if name.startswith("op_")}

    # -- the engine ------------------------------------------------------------
    def boot(self) -> None:
        ctx = quickjs.Context()
        ctx.set_memory_limit(MEMORY_LIMIT)
        ctx.set_max_stack_size(STACK_SIZE)
        ctx.add_callable("__host", self.host)
        self.ctx = ctx
        self.core.attach(ctx)  # so a kill can stop a turn that never ends
        chunks = list(_CHUNKS) + list(self._extra_chunks()) + list(_LATE_CHUNKS)
        for index, (name, source) in enumerate(chunks):
            start = 10000 * index + 1
            ctx.eval("\n" * (start - 1) + source)
            if index == 0:
                self.fns["registerBuiltin"] = ctx.eval("__node.registerBuiltin")
            self.fns["registerBuiltin"](start, source, name)
        for name in ("loopState", "runTicks", "runDueTimer", "startImmediates", "runImmediate",
                     "uncaught", "onSignal", "emitExit", "emitBeforeExit", "exitCode", "runMain",
                     "evalSource", "inspect", "makeRequire", "loadBuiltin", "fatal", "netEvent"):
            if name != "netEvent" or self.net is not None:
                self.fns[name] = ctx.eval(f"__node.{name}")

    def _extra_chunks(self):
        """The networking modules, when the kernel has sockets."""
        if not hasattr(self.proc, "accept"):
            return ()
        from . import js_net, netio

        self.net = netio.NetIO(self)
        return (("node:net", js_net.NET), ("node:http", js_net.HTTP))

    async def js(self, fn):
        """Run ``fn`` (which uses the engine) on the core: every use of
        the engine happens on the core's thread."""
        return await self.proc.compute(self.core, fn, self._write_what_fits)

    async def turn(self, fn: str, *args):
        """Run one JS function to completion, then the nextTick queue and
        the promise jobs, on the core (see the module's doc)."""
        return await self.proc.compute(self.core, lambda: self._turn(fn, *args), self._write_what_fits)

    async def call(self, fn: str, *args):
        """A JS function of the runtime's own (no user code): its result."""
        return await self.proc.compute(self.core, lambda: self.fns[fn](*args), self._write_what_fits)

    def _turn(self, fn: str, *args):
        try:
            result = self.fns[fn](*args)
        except quickjs.JSException as exc:
            self._escaped(exc)
            return None
        self.drain()
        return result

    def drain(self) -> None:
        """process.nextTick callbacks, then microtasks, until both are empty."""
        ctx = self.ctx
        while self.exit_code is None:
            try:
                ran = self.fns["runTicks"]()
                jobs = False
                while self.exit_code is None and ctx.execute_pending_job():
                    jobs = True
            except quickjs.JSException as exc:
                self._escaped(exc)
                return
            if not ran and not jobs:
                return

    def _escaped(self, exc) -> None:
        """A JS exception the JS side did not catch: the exit unwinding
        (process.exit, a fatal error already reported), or an engine error
        (out of memory, stack overflow)."""
        if self.exit_code is not None:
            return
        text = str(exc.args[0]) if exc.args else str(exc)
        self.output.append((2, utf8(f"{text.rstrip()}\n\nNode.js v{self.version}\n")))
        self.exit_code = 1 if "out of memory" not in text else 134

    # -- the host bridge -------------------------------------------------------
    def host(self, op, payload):
        """The bridge (called on the core's thread): operations that touch
        the kernel run where the kernel runs (`core.call`); the pure ones
        and the process's own buffers here."""
        try:
            fn, args = self._ops[op], json.loads(payload)
            if op in _ON_CORE:
                value = fn(*args)
            else:
                value = self.core.call(lambda: fn(*args))
        except SimError as err:
            e = err.errno_value
            return json.dumps({"e": [e.name, int(e), UV_MESSAGES.get(e.name, e.strerror.lower())]})
        except Exception as err:  # a bad argument from JS: a JS TypeError
            return json.dumps({"e": ["ERR_INTERNAL", 0, f"{type(err).__name__}: {err}"]})
        return json.dumps({"v": value})

    def op_now(self):
        return math.floor(self.proc.time() * 1000.0 + 1e-6)

    def op_monotonic(self):
        return self.proc.monotonic() * 1000.0

    def op_random(self):
        return self.rng.random()

    def op_randomBytes(self, n):
        return _bin(bytes(self.rng.getrandbits(8) for _ in range(int(n))))

    def op_hashCheck(self, alg):
        if alg not in _HASHES:
            raise ValueError(f"Digest method not supported: {alg}")

    def op_digest(self, alg, data, key):
        raw = data.encode("latin1")
        if key is not None:
            return _bin(hmac.new(key.encode("latin1"), raw, _HASHES[alg]).digest())
        return _bin(hashlib.new(_HASHES[alg], raw).digest())

    def op_exit(self, code):
        if self.exit_code is None:
            self.exit_code = int(code) & 0xFF
        return None

    def op_write(self, fd, text, enc="utf8"):
        self._out(int(fd), encode(text, enc))

    def op_writeBinary(self, fd, data):
        self._out(int(fd), data.encode("latin1"))

    def _out(self, fd: int, data: bytes) -> None:
        """Output is kept until the turn ends (one write per turn, not per
        console.log); a turn that runs on past its core's budget (a long or
        endless loop) writes what fits at once, so its output is seen."""
        self.output.append((fd, data))
        if self.core.detached:
            self.core.call(self._write_what_fits)

    def _write_what_fits(self) -> None:
        while self.output:
            fd, data = self.output[0]
            try:
                n = self.proc.try_write(fd, data)
            except SimError:
                return  # the turn's end reports it (flush)
            if n < len(data):
                self.output[0] = (fd, data[n:])
                return
            self.output.pop(0)

    def op_isatty(self, fd):
        return self.proc.isatty(int(fd))

    def op_encode(self, text, enc):
        return _bin(encode(text, enc))

    def op_decode(self, data, enc):
        return decode(data.encode("latin1"), enc)

    def op_processInfo(self):
        proc = self.proc
        major = self.version.split(".")[0]
        uname = proc.uname()
        return {
            "version": self.version, "versions": _VERSIONS.get(major, _VERSIONS["22"]),
            "lts": _LTS.get(major), "arch": _ARCH.get(uname.machine, uname.machine),
            "env": dict(proc.env), "argv": ["/usr/local/bin/node", *self.script_argv],
            "argv0": self.argv0, "execArgv": self.exec_argv, "execPath": "/usr/local/bin/node",
            "pid": proc.pid, "ppid": proc.ppid, "uid": proc.uid, "gid": proc.gid,
        }

    def op_cwd(self):
        return self.proc.cwd

    def op_chdir(self, path):
        self.proc.chdir(path)

    def op_umask(self, mask):
        old = self.proc.umask
        if mask is not None:
            self.proc.umask = int(mask)
        return old

    def op_memoryUsage(self):
        mem = self.ctx.memory()
        used = int(mem.get("memory_used_size", 0))
        total = int(mem.get("malloc_size", used))
        return {"rss": 40 * 1024 * 1024 + total, "heapTotal": total + 4 * 1024 * 1024,
                "heapUsed": used, "external": 1 << 20, "arrayBuffers": int(mem.get("binary_object_size", 0))}

    def op_kill(self, pid, sig):
        number = int(sig) if isinstance(sig, (int, float)) else int(Signal[sig])
        self.proc.kill(int(pid), number)

    def op_signal(self, name, catch):
        try:
            sig = Signal[name]
        except KeyError:
            return None
        self.proc.signal(sig, "catch" if catch else "default")

    def op_hostname(self):
        return self.proc.gethostname()

    def op_uname(self):
        u = self.proc.uname()
        return {"release": u.release, "version": u.version, "machine": u.machine}

    def op_sysinfo(self):
        info = self.proc.sysinfo()
        return {"uptime": info["uptime"], "totalmem": info["totalram"], "freemem": info["freeram"],
                "ncpu": info["ncpu"], "loadavg": [x / 65536 for x in info["loads"]]}

    def op_interfaces(self):
        get = getattr(self.proc, "interfaces", None)
        if get is None:
            return {"lo": [_iface("127.0.0.1", 8, "00:00:00:00:00:00", True)]}
        out = {}
        for iface in get():
            if not getattr(iface, "up", True) or not iface.ipv4:
                continue
            out.setdefault(iface.name, []).append(_iface(iface.ipv4, iface.prefixlen, iface.mac, iface.loopback))
        return out

    def op_userInfo(self):
        proc = self.proc
        entry = None
        try:
            for line in proc.read_file("/etc/passwd").decode(errors="replace").splitlines():
                parts = line.split(":")
                if len(parts) >= 7 and parts[2] == str(proc.uid):
                    entry = parts
                    break
        except SimError:
            pass
        if entry is None:
            return {"uid": proc.uid, "gid": proc.gid, "username": str(proc.uid),
                    "homedir": proc.env.get("HOME", "/"), "shell": None}
        return {"uid": proc.uid, "gid": proc.gid, "username": entry[0], "homedir": entry[5],
                "shell": entry[6]}

    # files: all in memory, so synchronous
    def op_readFile(self, path):
        return _bin(self.proc.read_file(path))

    def op_writeFile(self, path, data, append, mode):
        self.proc.write_file(path, data.encode("latin1"), append=bool(append))

    def op_stat(self, path, follow):
        st = self.proc.stat(path) if follow else self.proc.lstat(path)
        ms = st.mtime * 1000.0
        return {"dev": st.dev, "mode": st.mode, "nlink": st.nlink, "uid": st.uid, "gid": st.gid,
                "rdev": st.rdev, "blksize": 4096, "ino": st.ino, "size": st.size,
                "blocks": (st.size + 511) // 512, "atimeMs": ms, "mtimeMs": ms, "ctimeMs": ms,
                "birthtimeMs": ms}

    def op_readdir(self, path):
        out = []
        for name in self.proc.listdir(path):
            try:
                mode = self.proc.lstat(posixpath.join(path, name)).mode
            except SimError:
                mode = 0
            out.append([name, _kind(mode)])
        return out

    def op_access(self, path, mode):
        self.proc.stat(path)
        if mode and not self.proc.access(path, int(mode)):
            raise SimError(Errno.EACCES, path)

    def op_mkdir(self, path, mode):
        self.proc.mkdir(path, int(mode))

    def op_rmdir(self, path):
        self.proc.rmdir(path)

    def op_unlink(self, path):
        self.proc.unlink(path)

    def op_rename(self, old, new):
        self.proc.rename(old, new)

    def op_symlink(self, target, path):
        self.proc.symlink(target, path)

    def op_readlink(self, path):
        return self.proc.readlink(path)

    def op_realpath(self, path):
        return self.proc.realpath(path)

    def op_chmod(self, path, mode):
        self.proc.chmod(path, int(mode))

    def op_chown(self, path, uid, gid):
        self.proc.chown(path, int(uid), int(gid))

    def op_utime(self, path, mtime):
        self.proc.utime(path, float(mtime))

    def op_open(self, path, flags, mode):
        if isinstance(flags, str):
            if flags not in _FLAGS:
                raise SimError(Errno.EINVAL, path)
            flags = _FLAGS[flags]
        return self.proc.open(path, int(flags), int(mode))

    def op_close(self, fd):
        self.proc.close(int(fd))

    def op_fdWrite(self, fd, data):
        self.output.append((int(fd), data.encode("latin1")))
        return len(data)

    def op_fstat(self, fd):
        path = self.proc.fd_path(int(fd))
        if path is None:
            raise SimError(Errno.EBADF)
        return self.op_stat(path, True)

    def op_net(self, name, *args):
        if self.net is None:
            raise SimError(Errno.ENOSYS)
        return self.net.op(name, *args)

    # -- the program -----------------------------------------------------------
    async def flush(self) -> None:
        while self.output:
            fd, data = self.output.pop(0)
            if not data:
                continue
            try:
                await self.proc.write(fd, data)
            except SimError as err:
                if err.errno_value == Errno.EPIPE and self.exit_code is None:
                    self.exit_code = 0
                    self.output.clear()
                    return
                if err.errno_value not in (Errno.EBADF, Errno.EPIPE):
                    raise

    def _read_version(self) -> str:
        try:
            text = self.proc.read_file("/usr/local/include/node/node_version.h").decode()
            parts = [re.search(rf"#define NODE_{k}_VERSION (\d+)", text) for k in ("MAJOR", "MINOR", "PATCH")]
            if all(parts):
                return ".".join(m.group(1) for m in parts)
        except SimError:
            pass
        env = self.proc.env.get("NODE_VERSION", "")
        return env.lstrip("v") if re.fullmatch(r"v?\d+\.\d+\.\d+", env) else DEFAULT_VERSION

    async def main(self, argv: list) -> int:
        self.argv0 = argv[0] if argv else "node"
        self.version = self._read_version()
        args = list(argv[1:])
        mode, code, preload = "file", None, []
        while args:
            a = args[0]
            if a in ("-v", "--version"):
                await self.proc.write(1, f"v{self.version}\n")
                return 0
            if a in ("-h", "--help"):
                await self.proc.write(1, USAGE)
                return 0
            if a in ("-e", "--eval", "-p", "--print", "-pe") or a.startswith(("--eval=", "--print=")):
                mode = "print" if a.startswith(("-p", "--print")) else "eval"
                if "=" in a:
                    code = a.split("=", 1)[1]
                    self.exec_argv.append(a)
                    args.pop(0)
                else:
                    if len(args) < 2:
                        await self.proc.write(2, f"{self.argv0}: {a} requires an argument\n")
                        return 9
                    self.exec_argv += args[:2]
                    code = args[1]
                    del args[:2]
                continue
            if a in ("-r", "--require"):
                if len(args) < 2:
                    await self.proc.write(2, f"{self.argv0}: {a} requires an argument\n")
                    return 9
                preload.append(args[1])
                self.exec_argv += args[:2]
                del args[:2]
                continue
            if a == "--":
                args.pop(0)
                break
            if a.startswith("-") and a != "-":
                self.exec_argv.append(a)
                args.pop(0)
                continue
            break
        if mode == "file":
            if not args or args[0] == "-":
                if args:
                    args.pop(0)
                code = (await self.proc.read_all(0)).decode("utf-8", "replace")
                mode = "stdin"
                self.script_argv = list(args)
            else:
                script = args[0]
                self.script_argv = [posixpath.normpath(posixpath.join(self.proc.cwd, script)), *args[1:]]
        else:
            self.script_argv = list(args)

        # node ignores SIGPIPE: a write to a closed socket is an EPIPE error.
        self.proc.signal(Signal.SIGPIPE, "ignore")
        try:
            await self.js(self.boot)
            for name in preload:
                await self.turn_eval(f"require({json.dumps(name)})", "[preload]")
            if self.exit_code is None:
                if mode == "file":
                    await self.turn("runMain", self.script_argv[0])
                else:
                    result = await self.turn_eval(code, "[eval]" if mode != "stdin" else "[stdin]",
                                                  mode == "print")
                    if mode == "print" and self.exit_code is None:
                        self.output.append((1, utf8(result + "\n")))
            await self.loop()
            if self.exit_code is None:
                await self.turn("emitExit")
            await self.flush()
            if self.exit_code is None:
                self.exit_code = int(await self.call("exitCode")) & 0xFF
            await self.js(self._teardown)
            return self.exit_code
        finally:
            self.core.close()

    def _teardown(self) -> None:
        """Free the engine on the core's thread (QuickJS wants one thread)."""
        self.core.attach(None)
        self.fns.clear()
        self.ctx = None

    async def turn_eval(self, code: str, name: str, show: bool = False):
        """``node -e``/``-p``/stdin: the code runs in the global scope with
        require, module, exports, __filename and __dirname."""
        def setup():
            self.ctx.eval(_EVAL_SETUP % json.dumps(name))
            self.fns["evalCode"] = self.ctx.eval(
                "(function (code, name, show) { try { const r = __node.evalSource(code, name);"
                " return show ? (typeof r === 'string' ? r : __node.inspect(r)) : undefined; }"
                " catch (e) { __node.uncaught(e); } })")
        await self.js(setup)
        return await self.turn("evalCode", code, name, show)

    async def loop(self) -> None:
        proc = self.proc
        while self.exit_code is None:
            await self.flush()
            if self.exit_code is not None:
                return
            if self.net is not None:
                await self.net.service()
                if self.exit_code is not None:
                    return
            state = json.loads(await self.call("loopState"))
            fds, io_alive, urgent = self.net.interest() if self.net is not None else ([], False, False)
            if not (state["refed"] or io_alive):
                if await self.turn("emitBeforeExit") and self.exit_code is None:
                    state = json.loads(await self.call("loopState"))
                    if state["refed"] or (self.net is not None and self.net.interest()[1]):
                        continue
                return
            if state["immediate"] or urgent or state["ticks"]:
                timeout = 0.0
            elif state["next"] is not None:
                timeout = max(0.0, (state["next"] - proc.time() * 1000.0) / 1000.0)
            else:
                timeout = None
            if fds or timeout != 0.0:
                try:
                    ready = await proc.poll(fds, timeout)
                except Interrupted:
                    ready = []
                for sig in proc.take_signals():
                    await self.turn("onSignal", Signal(int(sig)).name)
                    if self.exit_code is not None:
                        return
                if ready and self.net is not None:
                    await self.net.dispatch(ready)
                    if self.exit_code is not None:
                        return
            due = state["next"] is not None and state["next"] <= self.op_now()
            while due and self.exit_code is None and await self.turn("runDueTimer"):
                pass
            if self.exit_code is None and state["immediate"]:
                await self.turn("startImmediates")
                while self.exit_code is None and await self.turn("runImmediate"):
                    pass


_EVAL_SETUP = r"""
(function (name) {
  const N = __node;
  const m = new N.Module(name, null);
  m.filename = __node.path.join(process.cwd(), name);
  m.paths = [];
  globalThis.module = m;
  globalThis.exports = m.exports;
  globalThis.require = N.makeRequire(m);
  globalThis.__filename = name;
  globalThis.__dirname = '.';
})(%s);
"""


def _iface(address: str, prefixlen: int, mac: str, internal: bool) -> dict:
    mask = (0xFFFFFFFF << (32 - prefixlen)) & 0xFFFFFFFF if prefixlen else 0
    netmask = ".".join(str((mask >> s) & 0xFF) for s in (24, 16, 8, 0))
    return {"address": address, "netmask": netmask, "family": "IPv4", "mac": mac,
            "internal": internal, "cidr": f"{address}/{prefixlen}"}


def _kind(mode: int) -> str:
    fmt = mode & 0o170000
    return {0o100000: "file", 0o040000: "dir", 0o120000: "link", 0o010000: "fifo",
            0o140000: "sock", 0o020000: "chr", 0o060000: "blk"}.get(fmt, "file")


async def main(proc, argv) -> int:
    """``node [options] [script.js | -e code | -p expr] [args...]``"""
    return await Node(proc).main(argv)
