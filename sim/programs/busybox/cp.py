"""``cp [-rRaPdLpfinv] SOURCE... DEST``."""

import posixpath

from ...abi import O_CREAT, O_TRUNC, O_WRONLY, S_ISDIR, S_ISLNK
from ...errors import SimError
from . import util


class Copier:
    def __init__(self, proc, argv, opts, gnu):
        self.proc = proc
        self.argv = argv
        self.o = opts
        self.gnu = gnu
        self.recursive = any(k in opts for k in "rRa")
        self.preserve = "p" in opts or "a" in opts
        self.no_deref = any(k in opts for k in "dPa") or (self.recursive and "L" not in opts and not gnu)

    async def warn(self, text):
        await util.warn(self.proc, self.argv, text)

    async def copy(self, src, dst, top=True) -> bool:
        proc = self.proc
        verb = "cannot" if self.gnu else "can't"
        try:
            follow = top and not self.no_deref or "L" in self.o
            if top and "H" in self.o:
                follow = True
            st = proc.stat(src) if follow else proc.lstat(src)
        except SimError as e:
            await self.warn(f"{verb} stat '{src}': {util.errtext(e)}")
            return False
        if S_ISDIR(st.mode):
            if not self.recursive:
                await self.warn(f"-r not specified; omitting directory '{src}'" if self.gnu
                                else f"omitting directory '{src}'")
                return False
            created = False
            if not util.is_dir(proc, dst):
                try:
                    proc.mkdir(dst, 0o700)
                    created = True
                except SimError as e:
                    await self.warn(f"{verb} create directory '{dst}': {util.errtext(e)}"
                                    if self.gnu else f"can't create directory '{dst}': {util.errtext(e)}")
                    return False
            ok = True
            try:
                names = proc.listdir(src)
            except SimError as e:
                await self.warn(f"{verb} open '{src}': {util.errtext(e)}" if not self.gnu
                                else f"cannot access '{src}': {util.errtext(e)}")
                return False
            for n in names:
                ok = await self.copy(util.join_path(src, n), util.join_path(dst, n), False) and ok
                await proc.checkpoint()
            mode = st.mode & 0o7777 if self.preserve or created is False else st.mode & 0o7777 & ~proc.umask
            try:
                proc.chmod(dst, mode if self.preserve or created else proc.stat(dst).mode & 0o7777)
                if self.preserve:
                    self._preserve(dst, st)
            except SimError:
                pass
            return ok
        if "n" in self.o and util.exists(proc, dst):
            return True
        if S_ISLNK(st.mode):
            try:
                target = proc.readlink(src)
                if util.exists(proc, dst):
                    proc.unlink(dst)
                proc.symlink(target, dst)
            except SimError as e:
                await self.warn(f"{verb} create symlink '{dst}': {util.errtext(e)}")
                return False
            return True
        try:
            data = await util.read_input(proc, src)
        except SimError as e:
            await self.warn(f"{verb} open '{src}': {util.errtext(e)}" if not self.gnu
                            else f"cannot open '{src}' for reading: {util.errtext(e)}")
            return False
        try:
            existed = util.exists(proc, dst, follow=True)
            try:
                fd = proc.open(dst, O_WRONLY | O_CREAT | O_TRUNC, st.mode & 0o777)
            except SimError:
                if "f" not in self.o or not existed:
                    raise
                proc.unlink(dst)
                fd = proc.open(dst, O_WRONLY | O_CREAT | O_TRUNC, st.mode & 0o777)
            try:
                await proc.write(fd, data)
            finally:
                proc.close(fd)
            if self.preserve:
                proc.chmod(dst, st.mode & 0o7777)
                self._preserve(dst, st)
        except SimError as e:
            await self.warn(f"cannot create regular file '{dst}': {util.errtext(e)}" if self.gnu
                            else f"can't create '{dst}': {util.errtext(e)}")
            return False
        if "v" in self.o:
            await proc.write(1, f"'{src}' -> '{dst}'\n")
        return True

    def _preserve(self, dst, st):
        try:
            self.proc.utime(dst, st.mtime)
        except SimError:
            pass
        try:
            self.proc.chown(dst, st.uid, st.gid)
        except SimError:
            pass


async def copy_paths(proc, argv, opts, gnu, sources, dest, what="cp"):
    """Shared by cp (and mv across filesystems): returns exit status."""
    copier = Copier(proc, argv, opts, gnu)
    dest_dir = util.is_dir(proc, dest) and "T" not in opts
    if len(sources) > 1 and not dest_dir:
        await util.warn(proc, argv, f"target '{dest}' is not a directory" if gnu
                        else f"'{dest}' is not a directory")
        return 1
    status = 0
    for src in sources:
        target = util.join_path(dest, posixpath.basename(src.rstrip("/")) or src) if dest_dir else dest
        if not await copier.copy(src, target):
            status = 1
    return status


@util.run_applet
async def main(proc, argv, gnu):
    opts, args = util.getopt(argv, "rRaPdLHpfinvTlsu", longopts={
        "recursive": "r", "archive": "a", "preserve": "p", "force": "f", "no-clobber": "n",
        "verbose": "v", "dereference": "L", "no-dereference": "P", "no-target-directory": "T",
        "preserve=": "p"})
    if len(args) < 2:
        if gnu:
            raise util.Usage("missing file operand" if not args
                             else f"missing destination file operand after '{args[0]}'")
        raise util.Usage()
    return await copy_paths(proc, argv, opts, gnu, args[:-1], args[-1])
