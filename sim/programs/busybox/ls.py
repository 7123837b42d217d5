"""``ls [-1AaCxdlnghiRrtSXcusFpLH] [-w WIDTH] [FILE]...``

busybox 1.37 layout: one name per line when stdout is not a terminal,
columns (width from COLUMNS, default 80, minus one) when it is; ``-l`` as
``%-10s %4lu %-8s %-8s %9llu Mmm dd HH:MM name``, ``total N`` per
directory.  Colours when stdout is a terminal (busybox's default).
With ``gnu=True`` (the Debian images' coreutils ``ls``): GNU error texts
(``cannot access``, exit 2) and ``-l`` columns sized to their contents.
"""

import stat as _s

from ...abi import S_ISDIR, S_ISLNK, text_bytes
from ...errors import SimError
from . import util

SIX_MONTHS = 3600 * 24 * 365 // 2


class Entry:
    __slots__ = ("name", "fullname", "st", "lst")

    def __init__(self, name, fullname, st, lst=None):
        self.name = name
        self.fullname = fullname
        self.st = st
        self.lst = lst

    @property
    def mode(self):
        return self.st.mode

    @property
    def blocks(self) -> int:
        """512-byte blocks, as a 4 KiB-block filesystem would allocate."""
        if S_ISLNK(self.st.mode) or not (_s.S_ISREG(self.st.mode) or S_ISDIR(self.st.mode)):
            return 0
        return -(-self.st.size // 4096) * 8


# busybox ls colours: (attribute, colour) by file type; executables apart.
_COLOR = {_s.S_IFIFO: (0, 33), _s.S_IFCHR: (1, 33), _s.S_IFDIR: (1, 34),
          _s.S_IFBLK: (1, 33), _s.S_IFREG: (0, 0), _s.S_IFLNK: (1, 36),
          _s.S_IFSOCK: (1, 35)}


def _color(mode: int) -> str:
    if _s.S_ISREG(mode) and mode & 0o111:
        attr, fg = 1, 32
    else:
        attr, fg = _COLOR.get(_s.S_IFMT(mode), (1, 31)) if mode else (1, 31)
    return f"\x1b[{attr};{fg}m"


class Lister:
    def __init__(self, proc, argv, gnu, opts):
        self.proc = proc
        self.argv = argv
        self.gnu = gnu
        self.o = opts
        self.names = util.Names(proc)
        self.now = proc.time()
        self.out = []
        self.status = 0

    # -- gathering ---------------------------------------------------------
    async def stat_entry(self, fullname, name, follow):
        try:
            lst = self.proc.lstat(fullname)
            st = lst
            if follow or "L" in self.o:
                try:
                    st = self.proc.stat(fullname)
                except SimError:
                    if "L" in self.o:
                        raise
        except SimError as e:
            await self.report(fullname, e)
            return None
        return Entry(name, fullname, st, lst)

    async def report(self, path, err):
        if self.gnu:
            await util.warn(self.proc, self.argv, f"cannot access '{path}': {util.errtext(err)}")
            self.status = 2
        else:
            await util.warn(self.proc, self.argv, f"{path}: {util.errtext(err)}")
            self.status = 1

    async def scan_dir(self, path):
        try:
            names = self.proc.listdir(path)
        except SimError as e:
            if self.gnu:
                await util.warn(self.proc, self.argv,
                                f"cannot open directory '{path}': {util.errtext(e)}")
                self.status = 2
            else:
                await util.warn(self.proc, self.argv, f"{path}: {util.errtext(e)}")
                self.status = 1
            return None
        if "a" in self.o:
            names = [".", ".."] + list(names)
        elif "A" not in self.o:
            names = [n for n in names if not n.startswith(".")]
        entries = []
        for n in names:
            e = await self.stat_entry(util.join_path(path, n), n, False)
            if e is not None:
                entries.append(e)
        return entries

    # -- ordering ----------------------------------------------------------
    def sort(self, entries):
        o = self.o
        if "f" in o or "U" in o:
            return list(entries)

        def key(e):
            name = e.name.encode(errors="surrogateescape")
            if "S" in o:
                return (-e.st.size, name)
            if "t" in o:
                return (-int(e.st.mtime), name)
            if "X" in o:
                dot = e.name.find(".")
                return (text_bytes(e.name[dot:] if dot >= 0 else ""), name)
            return (name,)

        result = sorted(entries, key=key)
        if "group-directories-first" in o:
            result.sort(key=lambda e: 0 if S_ISDIR(e.mode) else 1)
        if "r" in o:
            result.reverse()
        return result

    # -- formatting --------------------------------------------------------
    def suffix(self, mode) -> str:
        o = self.o
        if "F" not in o and "p" not in o:
            return ""
        if S_ISDIR(mode):
            return "/"
        if "F" not in o:
            return ""
        if _s.S_ISREG(mode) and mode & 0o111:
            return "*"
        return {_s.S_IFIFO: "|", _s.S_IFLNK: "@", _s.S_IFSOCK: "="}.get(_s.S_IFMT(mode), "")

    def color_name(self, name, mode) -> str:
        if not self.color:
            return name
        return f"{_color(mode)}{name}\x1b[m"

    def date(self, t) -> str:
        if "full-time" in self.o:
            return util.strftime("%Y-%m-%d %H:%M:%S +0000", t)
        ct = util.ctime(t)
        age = self.now - t
        if -15 * 60 < age < SIX_MONTHS:
            return ct[4:16]
        if self.gnu:
            return ct[4:11] + " " + ct[20:]
        return ct[4:11] + f"{ct[20:]:>5s}"

    def name_part(self, e) -> str:
        text = self.color_name(e.name, e.lst.mode if e.lst else e.mode)
        if ("l" in self.o or "n" in self.o or "g" in self.o) and S_ISLNK(e.mode):
            try:
                target = self.proc.readlink(e.fullname)
            except SimError:
                target = "?"
            try:
                tmode = self.proc.stat(e.fullname).mode
            except SimError:
                tmode = 0
            text += " -> " + self.color_name(target, tmode) if self.color else " -> " + target
            if "F" in self.o or "p" in self.o:
                text += self.suffix(tmode)
            return text
        return text + self.suffix(e.mode)

    def long_fields(self, e):
        st = e.st
        o = self.o
        if "n" in o:
            user, group = str(st.uid), str(st.gid)
        else:
            user, group = self.names.user(st.uid), self.names.group(st.gid)
        if _s.S_ISCHR(st.mode) or _s.S_ISBLK(st.mode):
            major, minor = (st.rdev >> 8) & 0xFFF, (st.rdev & 0xFF) | ((st.rdev >> 12) & 0xFFF00)
            size = f"{major}, {minor:>3}" if self.gnu else f"{major:4d}, {minor:3d}"
        elif "h" in o:
            size = util.human_size(st.size, 1, 0)
        else:
            size = str(st.size)
        return util.mode_string(st.mode), str(st.nlink), user, group, size

    def prefix(self, e) -> str:
        text = ""
        if "i" in self.o:
            text += f"{e.st.ino:7d} " if not self.gnu else f"{e.st.ino} "
        if "s" in self.o:
            if "h" in self.o:
                text += f"{util.human_size(e.blocks * 512, 1, 0):>7s} "
            else:
                text += f"{e.blocks // 2:6d} " if not self.gnu else f"{e.blocks // 2} "
        return text

    def display(self, entries):
        o = self.o
        long = "l" in o
        if long:
            rows = [self.long_fields(e) for e in entries]
            if self.gnu:
                w = [max((len(r[i]) for r in rows), default=0) for i in range(5)]
                for e, r in zip(entries, rows):
                    parts = [r[0], r[1].rjust(w[1])]
                    if "g" not in o:
                        parts.append(r[2].ljust(w[2]))
                    parts.append(r[3].ljust(w[3]))
                    parts.append(r[4].rjust(w[4]))
                    parts.append(self.date(e.st.mtime))
                    self.out.append(self.prefix(e) + " ".join(parts) + " " + self.name_part(e) + "\n")
            else:
                for e, r in zip(entries, rows):
                    line = f"{r[0]:<10s} {int(r[1]):4d} "
                    if "g" in o:
                        line += f"{r[3]:<8s} "
                    else:
                        line += f"{r[2]:<8s} {r[3]:<8s} "
                    if "h" in o:
                        line += f"{r[4]:>7s} "
                    elif "," in r[4]:
                        line += r[4] + " "
                    else:
                        line += f"{int(r[4]):9d} "
                    line += self.date(e.st.mtime) + " "
                    self.out.append(self.prefix(e) + line + self.name_part(e) + "\n")
            return
        if "1" in o or not ("C" in o or "x" in o):
            for e in entries:
                self.out.append(self.prefix(e) + self.name_part(e) + "\n")
            return
        # columns
        if not entries:
            return
        colw = max(len(e.name) for e in entries) + 2
        colw += (8 if "i" in o else 0) + (5 if "s" in o else 0)
        ncols = max(1, self.width // colw)
        nrows = -(-len(entries) // ncols)
        if ncols > 1:
            ncols = -(-len(entries) // nrows) if "x" not in o else ncols
        for row in range(nrows):
            line = ""
            column = 0
            nexttab = 0
            for nc in range(ncols):
                i = row * ncols + nc if "x" in o else nc * nrows + row
                if i >= len(entries):
                    continue
                if column > 0:
                    line += " " * (nexttab - column)
                    column = nexttab
                nexttab = column + colw
                e = entries[i]
                text = self.prefix(e) + self.name_part(e)
                line += text
                column += len(self.prefix(e)) + len(e.name) + len(self.suffix(e.mode))
            self.out.append(line + "\n")

    def total(self, entries):
        if "l" in self.o or "s" in self.o:
            blocks = sum(e.blocks for e in entries or [])
            if "h" in self.o:
                self.out.append(f"total {util.human_size(((blocks + 1) // 2) * 1024, 0):<7s}\n"
                                if not self.gnu else f"total {util.human_size(blocks * 512, 1)}\n")
            else:
                self.out.append(f"total {(blocks + 1) // 2 if not self.gnu else blocks // 2}\n")

    async def list_dirs(self, dirs, first, show_name):
        for d in dirs:
            if show_name or "R" in self.o:
                if not first:
                    self.out.append("\n")
                first = False
                self.out.append(f"{d.fullname}:\n")
            entries = await self.scan_dir(d.fullname)
            if entries is None:
                continue
            self.total(entries)
            entries = self.sort(entries)
            self.display(entries)
            await self.flush()
            if "R" in self.o:
                subdirs = [e for e in entries if S_ISDIR(e.mode) and e.name not in (".", "..")]
                await self.list_dirs(subdirs, False, True)

    async def flush(self):
        if self.out:
            await self.proc.write(1, "".join(self.out))
            self.out = []


LONGOPTS = {"full-time": "full-time", "group-directories-first": "group-directories-first",
            "color": "color", "color=": "color", "all": "a", "almost-all": "A",
            "human-readable": "h", "recursive": "R", "reverse": "r", "directory": "d",
            "classify": "F", "numeric-uid-gid": "n", "inode": "i", "size": "s"}


@util.run_applet
async def main(proc, argv, gnu):
    opts, files = util.getopt(argv, "Cadi1lgnsxAkFpRQctuSXrvLHhT:w:fU", longopts=LONGOPTS)
    o = dict(opts)
    for k in ("n", "g", "full-time"):
        if k in o:
            o["l"] = 1
    # the last of -C/-x/-l/-1 wins (approximation: explicit -1 or -l beats -C)
    tty = proc.isatty(1)
    if not any(k in o for k in "l1xC"):
        o["C" if tty else "1"] = 1
    if "d" in o:
        o.pop("R", None)
    if "l" not in o and ("c" in o or "u" in o):
        o["t"] = 1
    lister = Lister(proc, argv, gnu, o)
    lister.width = util.parse_int(o["w"]) if "w" in o else util.tty_width(proc) - (0 if gnu else 1)
    color_opt = o.get("color")
    term_ok = proc.env.get("TERM") != "dumb"
    if gnu:
        lister.color = color_opt in ("always", "yes", "force") or (
            color_opt in ("auto", "tty", "if-tty") and tty)
    else:
        ls_colors = proc.env.get("LS_COLORS")
        lister.color = tty and term_ok and (ls_colors is None or (ls_colors not in ("", "none")))
        if color_opt is not None:
            if isinstance(color_opt, str) and color_opt.startswith("n"):
                lister.color = False
            elif color_opt in (1, "always", "yes", "force"):
                lister.color = True
    if not files:
        files = ["."]
    show_names = len(files) > 1
    follow_cmdline = not any(k in o for k in "lisF") or "H" in o
    entries = []
    for f in files:
        e = await lister.stat_entry(f, f, follow_cmdline)
        if e is not None:
            entries.append(e)
    if "d" in o:
        lister.display(lister.sort(entries))
    else:
        plain = [e for e in entries if not S_ISDIR(e.mode)]
        dirs = [e for e in entries if S_ISDIR(e.mode)]
        if plain:
            lister.display(lister.sort(plain))
        if dirs:
            await lister.list_dirs(lister.sort(dirs), not plain, show_names)
    await lister.flush()
    return lister.status
