"""Helpers shared by the busybox applets (and the standalone coreutils-style
programs built from them).

- `getopt`: busybox/glibc-style option parsing (clustered flags, option
  arguments, ``--``, argument permutation unless told to stop early).
- `Usage`: raised for a bad option; `run_applet` prints it the way busybox
  does and exits 1.
- `Names`: user and group names from the container's /etc/passwd and
  /etc/group.
- `human_size`, `mode_string`, `ctime`, `errtext`, `read_input`,
  `text_lines`.
"""

import posixpath
import stat as _stat
import time as _time

from ...abi import S_ISDIR, S_ISLNK, filemode
from ...errors import SimError
from ..escapes import expand_escapes

VERSION_BANNER = "BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary."


def applet_name(argv) -> str:
    return posixpath.basename(argv[0]) if argv else "busybox"


class Usage(Exception):
    """A usage error: ``text`` (e.g. "invalid option -- 'z'") goes to stderr
    after the applet name, followed by the usage banner."""

    def __init__(self, text: str = ""):
        super().__init__(text)
        self.text = text


class Fatal(Exception):
    """An error that ends the applet: message printed as ``applet: text``."""

    def __init__(self, text: str, code: int = 1):
        super().__init__(text)
        self.text = text
        self.code = code


def getopt(argv, spec: str, *, longopts=None, permute=True, numeric=None):
    """Parse ``argv[1:]`` busybox-style.

    ``spec`` lists option letters; a letter followed by ``:`` takes an
    argument (the last one wins), ``:*`` collects a list, ``::`` takes an
    optional argument attached to the letter (``-i.bak``).
    ``longopts`` maps ``"name"`` or ``"name="`` (takes an argument) to the
    key stored in the result.  Flags are counted (``-vv`` -> 2).
    With ``permute`` (glibc default) options may follow operands; without
    it parsing stops at the first operand (``env``, ``xargs``).
    ``numeric``: key under which a bare ``-NUM`` is stored (``head -5``).
    Returns ``(opts: dict, operands: list)``.
    """
    takes = {}
    i = 0
    while i < len(spec):
        c = spec[i]
        kind = None
        if spec[i + 1:i + 3] == ":*":
            kind, i = "list", i + 3
        elif spec[i + 1:i + 3] == "::":
            kind, i = "optional", i + 3
        elif spec[i + 1:i + 2] == ":":
            kind, i = "arg", i + 2
        else:
            i += 1
        takes[c] = kind
    longopts = longopts or {}
    opts: dict = {}
    operands = []
    args = list(argv[1:])
    k = 0

    def store(key, kind, value=None):
        if kind == "arg":
            opts[key] = value
        elif kind == "list":
            opts.setdefault(key, []).append(value)
        else:
            opts[key] = opts.get(key, 0) + 1

    while k < len(args):
        a = args[k]
        k += 1
        if a == "--":
            operands.extend(args[k:])
            break
        if a.startswith("--") and longopts:
            name, eq, value = a[2:].partition("=")
            matches = [n for n in longopts if n.rstrip("=") == name]
            if len(matches) > 1:
                matches = [n for n in matches if n.endswith("=") == bool(eq)]
            if not matches:
                matches = [n for n in longopts if n.rstrip("=").startswith(name)]
            if len(matches) != 1:
                raise Usage(f"unrecognized option '{a}'")
            spec_name = matches[0]
            key = longopts[spec_name]
            if spec_name.endswith("="):
                if not eq:
                    if k >= len(args):
                        raise Usage(f"option '{a}' requires an argument")
                    value = args[k]
                    k += 1
                store(key, "arg", value)
            else:
                store(key, None)
            continue
        if a.startswith("-") and len(a) > 1:
            if numeric is not None and a[1:].isdigit():
                opts[numeric] = a[1:]
                continue
            j = 1
            while j < len(a):
                c = a[j]
                j += 1
                if c not in takes:
                    raise Usage(f"invalid option -- '{c}'")
                kind = takes[c]
                if kind == "optional":
                    opts[c] = a[j:] if j < len(a) else ""
                    break
                if kind:
                    if j < len(a):
                        value = a[j:]
                    elif k < len(args):
                        value = args[k]
                        k += 1
                    else:
                        raise Usage(f"option requires an argument -- '{c}'")
                    store(c, kind, value)
                    break
                store(c, None)
            continue
        operands.append(a)
        if not permute:
            operands.extend(args[k:])
            break
    return opts, operands


def errtext(err: BaseException) -> str:
    """The strerror text of a SimError (no file name)."""
    if isinstance(err, SimError):
        return err.errno_value.strerror
    return str(err)


def errno_of(err: BaseException):
    return getattr(err, "errno_value", None)


async def warn(proc, argv, text: str) -> None:
    """``applet: text`` on stderr."""
    await proc.write(2, f"{applet_name(argv)}: {text}\n")


USAGES = {}


def usage_text(name: str) -> str:
    line = USAGES.get(name, f"{name} [OPTIONS] [ARGS]...")
    return f"{VERSION_BANNER}\n\nUsage: {line}\n"


def run_applet(main):
    """Wrap an applet body ``main(proc, argv, gnu)`` so `Usage` and `Fatal`
    become busybox-style messages and exit codes."""

    async def runner(proc, argv, gnu=False):
        try:
            return await main(proc, argv, gnu)
        except Usage as u:
            name = applet_name(argv)
            if gnu:
                text = f"{name}: {u.text}\n" if u.text else ""
                text += f"Try '{name} --help' for more information.\n"
                await proc.write(2, text)
            else:
                text = f"{name}: {u.text}\n" if u.text else ""
                await proc.write(2, text + usage_text(name))
            return 1
        except Fatal as f:
            await warn(proc, argv, f.text)
            return f.code

    runner.__name__ = getattr(main, "__name__", "main")
    runner.__doc__ = main.__doc__
    return runner


class Names:
    """uid/gid -> name from /etc/passwd and /etc/group (numbers when absent)."""

    def __init__(self, proc):
        self.proc = proc
        self._users = None
        self._groups = None

    def _table(self, path):
        try:
            data = self.proc.read_file(path).decode(errors="replace")
        except (SimError, OSError):
            return []
        return [line.split(":") for line in data.splitlines() if line and not line.startswith("#")]

    @property
    def passwd(self):
        if self._users is None:
            self._users = [f for f in self._table("/etc/passwd") if len(f) >= 4]
        return self._users

    @property
    def group_entries(self):
        if self._groups is None:
            self._groups = [f for f in self._table("/etc/group") if len(f) >= 3]
        return self._groups

    # The lookups work alike on both tables, whose entries start
    # ``name:password:number``.

    @staticmethod
    def _name(entries, number: int) -> str:
        for f in entries:
            if f[2] == str(number):
                return f[0]
        return str(number)

    @staticmethod
    def _entry(entries, name: str):
        for f in entries:
            if f[0] == name or (name.isdigit() and f[2] == name):
                return f
        return None

    @staticmethod
    def _number(entries, name: str) -> int:
        if name.isdigit():
            return int(name)
        entry = Names._entry(entries, name)
        return int(entry[2]) if entry else -1

    def user(self, uid: int) -> str:
        return self._name(self.passwd, uid)

    def group(self, gid: int) -> str:
        return self._name(self.group_entries, gid)

    def user_name_or_none(self, uid):
        n = self.user(uid)
        return None if n == str(uid) else n

    def group_name_or_none(self, gid):
        n = self.group(gid)
        return None if n == str(gid) else n

    def lookup_user(self, name: str):
        """The passwd fields of user ``name`` (or numeric uid), or None."""
        return self._entry(self.passwd, name)

    def lookup_group(self, name: str):
        """The group fields of group ``name`` (or numeric gid), or None."""
        return self._entry(self.group_entries, name)

    def uid(self, name: str) -> int:
        """A user given by number or name as a uid (-1 for no such user)."""
        return self._number(self.passwd, name)

    def gid(self, name: str) -> int:
        """A group given by number or name as a gid (-1 for no such group)."""
        return self._number(self.group_entries, name)

    def supplementary(self, user: str, gid: int):
        """Group ids of ``user``: primary first, then every group listing it."""
        gids = [gid]
        for f in self.group_entries:
            members = f[3].split(",") if len(f) > 3 and f[3] else []
            if user in members and f[2].isdigit() and int(f[2]) not in gids:
                gids.append(int(f[2]))
        return gids


def human_size(value: int, block_size: int = 1, display_unit: int = 0) -> str:
    """libbb's make_human_readable_str: 12 -> "12", 4096 -> "4.0K";
    ``block_size=0`` drops the fractional digit ("4K")."""
    if value == 0:
        return "0"
    if block_size > 1:
        value *= block_size
    if display_unit:
        return str((value + display_unit // 2) // display_unit)
    units = ["", "K", "M", "G", "T", "P", "E", "Z", "Y"]
    u = 0
    frac = 0
    while value >= 1024:
        u += 1
        frac = ((value % 1024) * 10 + 512) // 1024
        value //= 1024
    if frac >= 10:
        value += 1
        frac = 0
    if u == 0:
        return str(value)
    if block_size == 0:
        if frac >= 5:
            value += 1
        return f"{value}{units[u]}"
    return f"{value}.{frac}{units[u]}"


def _smart_ulltoa(ul: int, width: int, scale: str) -> str:
    """libbb's scaled number in ``width`` characters: the number itself
    while it fits, else KiB-based steps down the ``scale`` letters with one
    decimal (``12.3m``) or, from 100 up, none (`` 123m``)."""
    limit = 10 ** width
    idx = 0
    if ul >= limit:
        ul *= 10
        while True:
            ul //= 1024
            idx += 1
            if ul < limit:
                break
    if not idx:
        return f"{ul:{width}d}"
    u, v = divmod(ul, 10)
    if u >= 100:
        return f"{u:{width - 1}d}{scale[idx]}"
    return f"{u:{width - 3}d}.{v}{scale[idx]}"


def smart_ulltoa5(ul: int, scale: str = " mgtpezy") -> str:
    """libbb's 5-character scaled number (busybox top's VSZ column)."""
    return _smart_ulltoa(ul, 5, scale)


def smart_ulltoa4(ul: int, scale: str = " mgtpezy") -> str:
    """libbb's 4-character scaled number (busybox ps's VSZ/RSS)."""
    return _smart_ulltoa(ul, 4, scale)


def mode_string(mode: int) -> str:
    """``-rw-r--r--`` (ls -l, stat %A)."""
    return filemode(mode)


def file_type_name(mode: int, size: int = 1) -> str:
    """stat's %F text."""
    fmt = _stat.S_IFMT(mode)
    if fmt == _stat.S_IFREG:
        return "regular file" if size else "regular empty file"
    return {
        _stat.S_IFDIR: "directory",
        _stat.S_IFLNK: "symbolic link",
        _stat.S_IFCHR: "character special file",
        _stat.S_IFBLK: "block special file",
        _stat.S_IFIFO: "fifo",
        _stat.S_IFSOCK: "socket",
    }.get(fmt, "weird file")


def gmtime(t: float):
    return _time.gmtime(int(t) if t >= 0 else 0)


def ctime(t: float) -> str:
    """C ctime() without the newline, in UTC: ``Wed Jun 30 21:49:08 1993``."""
    tm = gmtime(t)
    return (f"{_time.strftime('%a %b', tm)} {tm.tm_mday:2d} "
            f"{_time.strftime('%H:%M:%S', tm)} {tm.tm_year}")


def strftime(fmt: str, t: float, tz: str = "UTC") -> str:
    """strftime in UTC, with the common GNU/busybox extensions handled
    portably (%e, %s, %N, %P, %k, %l, %-d style flags, %Z)."""
    tm = gmtime(t)

    def conversion(fmt: str, i: int):
        flag = ""
        if fmt[i] in "-_0^#":
            flag = fmt[i]
            i += 1
            if i >= len(fmt):
                return "%" + flag, i
        d = fmt[i]
        i += 1
        if d == "s":
            val = str(int(t))
        elif d == "N":
            val = f"{int(round((t - int(t)) * 1e9)):09d}"
        elif d == "e":
            val = f"{tm.tm_mday:2d}"
        elif d == "k":
            val = f"{tm.tm_hour:2d}"
        elif d == "l":
            val = f"{(tm.tm_hour % 12) or 12:2d}"
        elif d == "P":
            val = _time.strftime("%p", tm).lower()
        elif d == "Z":
            val = tz
        elif d == "z":
            val = "+0000"
        elif d == "n":
            val = "\n"
        elif d == "t":
            val = "\t"
        elif d == "%":
            val = "%"
        elif d == "C":
            val = f"{tm.tm_year // 100:02d}"
        elif d == "D":
            val = _time.strftime("%m/%d/%y", tm)
        elif d == "F":
            val = _time.strftime("%Y-%m-%d", tm)
        elif d == "T":
            val = _time.strftime("%H:%M:%S", tm)
        elif d == "R":
            val = _time.strftime("%H:%M", tm)
        elif d == "r":
            val = _time.strftime("%I:%M:%S %p", tm)
        elif d == "u":
            val = str(tm.tm_wday + 1)
        elif d == "w":
            val = str((tm.tm_wday + 1) % 7)
        elif d == "h":
            val = _time.strftime("%b", tm)
        elif d == "c":
            val = ctime(t)
        elif d == "x":
            val = _time.strftime("%m/%d/%y", tm)
        elif d == "X":
            val = _time.strftime("%H:%M:%S", tm)
        elif d in "aAbBdHIjmMpSUWyYVG g":
            val = _time.strftime("%" + d, tm)
        else:
            val = "%" + flag + d
            flag = ""
        if flag == "-":
            val = val.lstrip("0 ") or "0"
        elif flag == "_":
            stripped = val.lstrip("0")
            val = " " * (len(val) - len(stripped or "0")) + (stripped or "0") if val.isdigit() else val
        elif flag == "^":
            val = val.upper()
        return val, i

    return expand_escapes(fmt, conversion, lead="%")[0]


async def change_tree(proc, argv, path: str, opts, gnu: bool, change, top: bool = True) -> bool:
    """The walk chmod and chown share: stat ``path`` (following a link
    given on the command line, not one met below it), ``await
    change(path, st)`` on it unless it is a link met below the top, and
    with -R go down into directories.  A path that cannot be reached is
    warned about unless -f; returns whether every change succeeded."""
    try:
        st = proc.stat(path) if top else proc.lstat(path)
    except SimError as e:
        if "f" not in opts:
            await warn(proc, argv, f"cannot access '{path}': {errtext(e)}" if gnu
                       else f"{path}: {errtext(e)}")
        return False
    if not top and S_ISLNK(st.mode):
        return True
    ok = await change(path, st)
    if "R" in opts and S_ISDIR(st.mode):
        try:
            names = proc.listdir(path)
        except SimError as e:
            await warn(proc, argv, f"{path}: {errtext(e)}")
            return False
        for n in names:
            ok = await change_tree(proc, argv, join_path(path, n), opts, gnu, change, False) and ok
    return ok


def join_path(directory: str, name: str) -> str:
    """libbb concat_path_file: no doubled slash."""
    if directory.endswith("/"):
        return directory + name
    return directory + "/" + name


def is_dir(proc, path: str) -> bool:
    try:
        return S_ISDIR(proc.stat(path).mode)
    except SimError:
        return False


def exists(proc, path: str, follow=False) -> bool:
    try:
        (proc.stat if follow else proc.lstat)(path)
        return True
    except SimError:
        return False


async def read_input(proc, name: str) -> bytes:
    """The whole content of file ``name`` (``-`` is stdin); raises SimError."""
    if name == "-":
        return await proc.read_all(0)
    fd = proc.open(name)
    try:
        return await proc.read_all(fd)
    finally:
        proc.close(fd)


async def read_prefix(proc, name: str, enough) -> bytes:
    """Read file ``name`` (``-`` is stdin) only until ``enough(data)`` says
    the caller has what it needs (head stops early, as the real one does, so
    ``yes | head -3`` ends)."""
    fd = 0 if name == "-" else proc.open(name)
    try:
        chunks = []
        data = b""
        while True:
            chunk = await proc.read(fd)
            if not chunk:
                return data
            chunks.append(chunk)
            data = b"".join(chunks)
            chunks = [data]
            if enough(data):
                return data
    finally:
        if fd != 0:
            proc.close(fd)


async def read_inputs(proc, argv, files, gnu=False, msg="can't open '{}': {}"):
    """Yield ``(name, data)`` for each file (stdin when none), warning about
    files that cannot be read; the caller checks ``failed`` afterwards."""
    result = []
    failed = False
    for name in files or ["-"]:
        try:
            result.append((name, await read_input(proc, name)))
        except SimError as e:
            failed = True
            if gnu:
                await warn(proc, argv, f"{name}: {errtext(e)}")
            else:
                await warn(proc, argv, msg.format(name, errtext(e)))
    return result, failed


def split_lines(data: bytes):
    """Lines with their terminators kept (last may lack one)."""
    parts = data.split(b"\n")
    lines = [p + b"\n" for p in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def text_lines(data: bytes):
    """The lines of ``data`` as text, without their newlines (a final
    newline does not start another line).  Bytes that are not UTF-8 become
    surrogates, so ``encode("utf-8", "surrogateescape")`` gives them back."""
    lines = data.decode("utf-8", errors="surrogateescape").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def parse_int(text: str, what: str = "number") -> int:
    """busybox xatoi-style: raise Fatal("invalid number 'x'")."""
    try:
        t = text.strip()
        if t.lower().startswith(("0x", "-0x", "+0x")):
            return int(t, 16)
        return int(t, 10)
    except (ValueError, AttributeError):
        raise Fatal(f"invalid number '{text}'") from None


def tty_width(proc) -> int:
    try:
        return int(proc.env.get("COLUMNS", "80"))
    except ValueError:
        return 80



def parse_mode(spec: str, mode: int, umask: int = 0, is_dir: bool = False):
    """chmod/mkdir -m mode: octal (``755``) or symbolic (``u+x,go-w,a=r``,
    ``+X``, ``u=g``).  Returns the new permission bits, or None if invalid."""
    if spec and all(c in "01234567" for c in spec):
        return int(spec, 8)
    mode &= 0o7777
    for clause in spec.split(","):
        i = 0
        who = 0
        while i < len(clause) and clause[i] in "ugoa":
            who |= {"u": 0o4700, "g": 0o2070, "o": 0o1007, "a": 0o7777}[clause[i]]
            i += 1
        if i >= len(clause):
            return None
        while i < len(clause):
            op = clause[i]
            if op not in "+-=":
                return None
            i += 1
            perm = 0
            copy = None
            while i < len(clause) and clause[i] in "rwxXstugo":
                c = clause[i]
                i += 1
                if c == "r":
                    perm |= 0o444
                elif c == "w":
                    perm |= 0o222
                elif c == "x":
                    perm |= 0o111
                elif c == "X":
                    if is_dir or mode & 0o111:
                        perm |= 0o111
                elif c == "s":
                    perm |= 0o6000
                elif c == "t":
                    perm |= 0o1000
                else:
                    shift = {"u": 6, "g": 3, "o": 0}[c]
                    bits = (mode >> shift) & 7
                    copy = (copy or 0) | bits * 0o111
            if copy is not None:
                perm |= copy
            mask = who if who else (0o7777 & ~umask)
            if not who:
                mask |= 0o7000 & ~0o1000 if perm & 0o6000 else 0
            if op == "+":
                mode |= perm & mask
            elif op == "-":
                mode &= ~(perm & mask)
            else:
                clear = who if who else 0o7777
                if not who and is_dir:
                    clear &= ~0o6000
                mode = (mode & ~clear) | (perm & mask)
    return mode


def file_mtime_arg(text: str):
    """Parse touch -d / date -d values: ``@EPOCH``, ``YYYY-MM-DD[ HH:MM[:SS]]``,
    ``HH:MM[:SS]`` (today).  Returns epoch seconds or None."""
    import calendar

    t = text.strip()
    if t.startswith("@"):
        try:
            return float(t[1:])
        except ValueError:
            return None
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d",
                "%Y.%m.%d-%H:%M:%S", "%Y.%m.%d-%H:%M", "%Y%m%d%H%M.%S", "%Y%m%d%H%M",
                "%a %b %d %H:%M:%S %Z %Y", "%a %b %d %H:%M:%S %Y"):
        try:
            return float(calendar.timegm(_time.strptime(t.replace("Z", "").strip()
                                                        if "%Z" not in fmt else t, fmt)))
        except ValueError:
            continue
    return None


def meminfo(proc) -> dict:
    """/proc/meminfo as {field: KiB}.  Raises SimError when it cannot be
    read (no /proc): there is nothing to fall back on."""
    text = proc.read_file("/proc/meminfo").decode(errors="replace")
    info = {}
    for line in text.splitlines():
        name, _, rest = line.partition(":")
        parts = rest.split()
        if parts and parts[0].isdigit():
            info[name.strip()] = int(parts[0])
    return info
