"""ADD and COPY: moby's builder/dockerfile/copy.go, copy_unix.go and
internals.go (``performCopy``), done the way moby's archiver does it: the
sources become a tar, renamed for their destination, extracted into the
step's root filesystem (`RootFs.put_archive`).

Sources (`Copier`), in the build context or, with ``--from``, in a stage's
or an image's filesystem:

- a leading ``/`` and then ``./`` are dropped; ``http://``/``https://``
  sources are downloads (refused for COPY: ``source can't be a URL for
  COPY``; for ADD the simulated world is offline);
- a path with ``*``, ``?`` or ``[`` is matched with Go's ``filepath.Match``
  against every path of the source, so a ``*`` never crosses a ``/``; no
  match at all is ``no source files were specified``;
- a path above the context root is ``forbidden path outside the build
  context: ../x ()``; a missing one ``file not found in build context or
  excluded by .dockerignore: stat x: file does not exist``;
- symlinks are followed inside the source's root; a directory's hash is
  ``dir:<sha256 of its entries' sums>``, a file's ``file:<tarsum>``.

Destinations (`perform_copy`): relative to WORKDIR, symlinks followed
inside the image's root; a directory source copies its *contents*; a file
goes into an existing directory, or into ``dest/`` when the destination
ends with a slash, else it is the destination; missing parents are made
(0755, owned by the ``--chown`` user); an ADD of a local tar (plain,
gzip, bzip2, xz) is unpacked into the destination with the owners in the
archive.  Everything copied is owned by root, by ``--chown``'s user, or,
for ``--from`` without ``--chown``, by its original owner.
"""

import hashlib
import re

import attrs

from ....sim import golang as gotext
from ....sim.fs import goarchive
from ....sim.runtime.handle import ArchiveError
from ...errors import DockerError
from ...builder.dockerignore import PatternError, go_path_match
from .context import ContextError, Tree, clean, headers, is_archive, rel_in_root

#: What ADD says for a URL: the simulated world has no network.
OFFLINE = 'Get "{url}": dial tcp: lookup {host}: no such host'


class BuildError(DockerError):
    """A step failed; ``code`` is set for a RUN's exit status (it goes into
    the in-band ``errorDetail``)."""

    def __init__(self, message: str, code: "int | None" = None):
        super().__init__(message)
        self.code = code


def is_url(text: str) -> bool:
    """moby's ``urlutil.IsURL``."""
    return text.startswith(("http://", "https://"))


def contains_wildcards(name: str) -> bool:
    i = 0
    while i < len(name):
        ch = name[i]
        if ch == "\\":
            i += 2
            continue
        if ch in "*?[":
            return True
        i += 1
    return False


@attrs.frozen
class CopyInfo:
    tree: Tree
    path: str
    hash: str


@attrs.define
class CopyInstruction:
    cmd_name: str
    infos: list
    dest: str
    chown: str = ""
    allow_decompression: bool = False
    preserve_ownership: bool = False


def source_hash(infos) -> str:
    """moby's ``getSourceHashFromInfos``: one source's hash, or
    ``multi:<sha256 of them all>``."""
    if len(infos) == 1:
        return infos[0].hash
    joined = ",".join(i.hash for i in infos)
    return "multi:" + hashlib.sha256(joined.encode("utf-8", "surrogateescape")).hexdigest()


class Copier:
    """Finds the sources of one ADD/COPY (moby's ``copier``)."""

    def __init__(self, tree: Tree, *, image_source: bool, cmd_name: str):
        self.tree = tree
        self.image_source = image_source
        self.cmd_name = cmd_name

    def create_copy_instruction(self, sources, dest: str) -> CopyInstruction:
        try:
            infos = []
            for orig in sources:
                infos.extend(self._infos_for(orig, dest))
            if not infos:
                raise BuildError("no source files were specified")
        except BuildError as err:
            raise BuildError(f"{self.cmd_name} failed: {err.message}") from None
        if len(infos) > 1 and not dest.endswith("/"):
            raise BuildError(f"When using {self.cmd_name} with more than one source file, "
                             "the destination must be a directory and end with a /")
        return CopyInstruction(self.cmd_name, infos, dest)

    def _infos_for(self, orig: str, dest: str):
        if not is_url(orig):
            return self._calc(orig, True)
        if self.cmd_name == "COPY":
            raise BuildError("source can't be a URL for COPY")
        host = re.sub(r"^https?://", "", orig).split("/", 1)[0].rsplit("@", 1)[-1]
        host = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
        raise BuildError(OFFLINE.format(url=orig, host=host))

    def _calc(self, orig: str, allow_wildcards: bool):
        path = orig[1:] if orig.startswith("/") else orig
        path = path[2:] if path.startswith("./") else path
        if allow_wildcards and contains_wildcards(path):
            return self._wildcards(path)
        outside = BuildError(f"forbidden path outside the build context: {path} ()")
        if self.tree.outside(path):
            raise outside
        try:
            node = self.tree.lookup(path)
        except ContextError:  # remotecontext.FullPath: a symlink loop
            raise outside from None
        if node is None:
            if not self.image_source:
                raise BuildError("file not found in build context or excluded by .dockerignore: "
                                 f"stat {path}: file does not exist")
            raise BuildError(f"stat {path}: file does not exist")
        if not node.is_dir:
            return [CopyInfo(self.tree, path, "file:" + self.tree.hash(path))]
        return [CopyInfo(self.tree, path, self.tree.dir_hash(path))]

    def _wildcards(self, pattern: str):
        out = []
        for rel, _node in self.tree.walk(""):
            if rel in ("", "."):
                continue
            try:
                matched = go_path_match(pattern, rel)
            except PatternError:
                matched = False
            if matched:
                out.extend(self._calc(rel, False))
        return out


# -- the destination -----------------------------------------------------------------------

def normalize_dest(workdir: str, requested: str) -> str:
    """moby's ``normalizeDest``: a relative destination is under WORKDIR;
    a trailing slash is kept."""
    ends_in_slash = requested.endswith("/")
    if requested.startswith("/"):
        return requested
    dest = clean("/" + "/".join(p for p in (workdir, requested) if p))
    return dest + "/" if ends_in_slash and dest != "/" else dest


class Target:
    """The step's root filesystem as the copy sees it: lstat, and paths
    resolved with ``FollowSymlinkInScope``."""

    def __init__(self, rootfs):
        self.fs = rootfs

    def lstat(self, path: str):
        try:
            return self.fs.stat(path)
        except ArchiveError as err:
            if err.kind == "not_found":
                return None
            raise BuildError(err.message) from None

    def resolve(self, path: str) -> str:
        parts = [p for p in clean("/" + path).split("/") if p]
        cur = "/"
        for i, part in enumerate(parts):
            cand = (cur.rstrip("/") + "/" + part)
            st = self.lstat(cand)
            if st is None:
                return "/".join([cand] + parts[i + 1:])
            cur = st.link_target if st.is_symlink else cand
        return cur

    def is_dir(self, resolved: str) -> bool:
        st = self.lstat(resolved)
        return st is not None and st.is_dir

    def missing_dirs(self, resolved: str) -> "list[str]":
        """The directories ``os.MkdirAll(resolved)`` would make, top first;
        a non-directory on the way is an error."""
        parts = [p for p in resolved.split("/") if p]
        cur = ""
        for i, part in enumerate(parts):
            cur += "/" + part
            st = self.lstat(cur)
            if st is None:
                return ["/".join([""] + parts[:j + 1]) for j in range(i, len(parts))]
            if not st.is_dir:
                raise BuildError(f"mkdir {cur}: not a directory")
        return []


#: A node's kind as a tar type flag.
_TYPEFLAG = {"dir": goarchive.TYPE_DIR, "file": goarchive.TYPE_REG,
             "symlink": goarchive.TYPE_SYMLINK, "link": goarchive.TYPE_LINK,
             "chr": goarchive.TYPE_CHAR}


def _add(out, path: str, kind: str, mode: int, uid: int, gid: int, mtime: float,
         data: bytes = b"", target: str = "", devmajor: int = 0, devminor: int = 0) -> None:
    """One entry named from ``/`` (no leading slash), as go-archive's
    tarAppender writes it (`goarchive.file_header`)."""
    out.add(goarchive.file_header(path.lstrip("/"), _TYPEFLAG[kind], mode=mode, uid=uid, gid=gid,
                                  mtime=max(0.0, mtime), size=len(data), linkname=target,
                                  devmajor=devmajor, devminor=devminor), data)


def _owner(node, identity):
    return identity if identity is not None else (node.uid, node.gid)


def perform_copy(rootfs, inst: CopyInstruction, workdir: str, identity, now: float) -> None:
    """Copy every source of ``inst`` into ``rootfs`` (moby's
    ``performCopyForInfo`` for each).  ``identity``: (uid, gid) for what
    is copied, None to keep the sources' owners."""
    target = Target(rootfs)
    dest_path = normalize_dest(workdir, inst.dest)
    for info in inst.infos:
        out = goarchive.TarWriter()
        try:
            _copy_one(target, out, info, dest_path, inst, identity, now)
        except BuildError as err:  # moby's performCopy wraps them all
            raise BuildError(f"failed to copy files: {err.message}") from None
        except (ContextError, gotext.GoError) as err:  # a local archive that does not read
            raise BuildError(f"failed to copy files: {err}") from None
        data = out.close()
        try:
            rootfs.put_archive("/", data)
        except ArchiveError as err:
            raise BuildError(f"failed to copy files: {err.message}") from None


def _copy_one(target: Target, out, info: CopyInfo, dest_path: str,
              inst: CopyInstruction, identity, now: float) -> None:
    tree = info.tree
    src_rel = tree.follow(info.path)
    node = tree.lookup(src_rel, follow_last=False)
    if node is None:
        raise BuildError(f"source path not found: stat {info.path}: no such file or directory")
    dest = target.resolve(dest_path)
    if node.is_dir:
        if target.lstat(dest) is not None and not target.is_dir(dest):
            raise BuildError(f"failed to copy directory: mkdir {dest}: not a directory")
        try:
            missing = target.missing_dirs(dest)
        except BuildError as err:
            raise BuildError(f"failed to copy directory: {err.message}") from None
        for d in missing:
            owner = identity if (identity is not None and d == dest) else (0, 0)
            _add(out, d, "dir", 0o755, owner[0], owner[1], now)
        base = "" if src_rel in ("", ".") else src_rel
        for path, child in tree.walk(base):
            if path == base or path in ("", "."):
                continue
            name = dest.rstrip("/") + "/" + path[len(base):].lstrip("/")
            _add_node(out, name, child, _owner(child, identity))
        return
    if inst.allow_decompression and is_archive(node.data):
        for d in target.missing_dirs(dest):
            _add(out, d, "dir", 0o755, 0, 0, now)
        _repack_archive(out, node.data, dest)
        return
    final = dest
    if inst_dest_is_dir(dest_path) or target.is_dir(dest):
        final = dest.rstrip("/") + "/" + gotext.base(info.path)
    parent = final.rsplit("/", 1)[0] or "/"
    try:
        missing = target.missing_dirs(parent)
    except BuildError as err:  # copyFile: MkdirAllAndChown when there is an owner to give
        if identity is None:
            raise
        raise BuildError(f"failed to create new directory: {err.message}") from None
    for d in missing:
        owner = identity if identity is not None else (0, 0)
        _add(out, d, "dir", 0o755, owner[0], owner[1], now)
    _add_node(out, final, node, _owner(node, identity))


def inst_dest_is_dir(dest_path: str) -> bool:
    return dest_path.endswith("/")


def _add_node(out, name: str, node, owner) -> None:
    uid, gid = owner
    if node.kind == "dir":
        _add(out, name, "dir", node.mode, uid, gid, node.mtime)
    elif node.kind == "symlink":
        _add(out, name, "symlink", node.mode, uid, gid, node.mtime, target=node.target)
    else:
        _add(out, name, "file", node.mode, uid, gid, node.mtime, data=node.data)


def _repack_archive(out, data: bytes, dest: str) -> None:
    """An archive to unpack into ``dest`` as go-archive unpacks it there
    in a chroot: names (and hard-link targets) cleaned against the
    destination's root, owners and modes from the archive."""
    prefix = dest.rstrip("/")
    for m, content in headers(data):
        rel = rel_in_root(m.name)
        if rel == "":
            continue
        name = prefix + "/" + rel
        mode = m.mode & 0o7777
        typ = m.typeflag
        if typ == goarchive.TYPE_DIR:
            _add(out, name, "dir", mode, m.uid, m.gid, m.mtime)
        elif typ == goarchive.TYPE_REG:
            _add(out, name, "file", mode, m.uid, m.gid, m.mtime, data=content)
        elif typ == goarchive.TYPE_SYMLINK:
            _add(out, name, "symlink", mode, m.uid, m.gid, m.mtime, target=m.linkname)
        elif typ == goarchive.TYPE_LINK:
            _add(out, name, "link", mode, m.uid, m.gid, m.mtime,
                 target=(prefix + "/" + rel_in_root(m.linkname)).lstrip("/"))
        elif typ == goarchive.TYPE_CHAR:
            _add(out, name, "chr", mode, m.uid, m.gid, m.mtime, devmajor=m.devmajor,
                 devminor=m.devminor)
        elif typ not in (goarchive.TYPE_BLOCK, goarchive.TYPE_FIFO):
            raise ContextError(f"unhandled tar header type {typ[0] if typ else 0}")


def chown_identity(rootfs, chown: str) -> "tuple[int, int]":
    """moby's ``parseChownFlag``: ``user`` (also the group) or
    ``user:group``; what ``strconv.Atoi`` reads is an id, used as it is,
    anything else a name looked up in the image's /etc/passwd or
    /etc/group."""
    parts = chown.split(":")
    if len(parts) > 2:
        raise BuildError("unable to convert uid/gid chown string to host mapping: "
                         f"invalid chown string format: {chown}")
    user, group = (parts[0], parts[0]) if len(parts) == 1 else (parts[0], parts[1])
    prefix = "unable to convert uid/gid chown string to host mapping: "
    try:
        uid = _lookup_id(rootfs.user_id, user, "user")
    except (_NoEntry, ArchiveError) as err:
        raise BuildError(f"{prefix}can't find uid for user {user}: {err}") from None
    try:
        gid = _lookup_id(rootfs.group_id, group, "group")
    except (_NoEntry, ArchiveError) as err:
        raise BuildError(f"{prefix}can't find gid for group {group}: {err}") from None
    return uid, gid


class _NoEntry(Exception):
    """No line of /etc/passwd or /etc/group has the name."""


def _lookup_id(lookup, name: str, what: str) -> int:
    """moby's ``lookupUser``/``lookupGroup``; _NoEntry when no entry has
    the name, ArchiveError when the file cannot be read."""
    try:
        return gotext.parse_int(name, 64)
    except gotext.GoError:
        pass
    found = lookup(name)
    if found is None:
        raise _NoEntry(f"no such {what}: {name}")
    return found
