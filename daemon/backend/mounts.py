"""A container's mounts: moby's volume/mounts/linux_parser.go (``-v``
specs and ``--mount`` with their exact errors), daemon/volumes.go
(``registerMountPoints``), daemon/create.go (anonymous volumes from
Config.Volumes: the image's VOLUME and ``-v /path``), and what start
hands the runtime (`DirMount`s).

A mount point is kept on the container record as a dict with the
fields of the API's ``MountPoint`` (Type, Name, Source, Destination,
Driver, Mode, RW, Propagation) plus ``CopyData``; for a tmpfs
``--mount``, ``TmpfsSize``/``TmpfsMode``; for an image mount
(``--mount type=image``), ``ImageID``, ``DiffIDs``, ``Subpath`` and
``Layer``: the chain the container holds while it exists (moby's layer
made from the image; a ``--volumes-from`` copy holds none).  A named
volume's ``--mount`` keeps its ``Subpath`` (``volume-subpath``) too.

A subpath (an image's or a volume's) is joined at each start as moby's
``MountPoint.Setup`` joins it (``safepath.Join``): `_join_subpath`
resolves it in the filesystem with `sim.runtime.imagemount.resolve_subpath`
and answers with moby's errors; the runtime mounts the directory (or
file) it names (`DirMount.subpath`).
"""

from __future__ import annotations

import os
import posixpath
import re

from ...sim.images.errors import ImageNotFound, InvalidReference
from ...sim.runtime.imagemount import SubpathError, clean_subpath, resolve_subpath
from ...sim.runtime.spec import DirMount
from ..errors import DockerError, InvalidParameter, NotFound
from .events import NO_EVENTS
from .hostfs import HostFs

_RW = {"rw", "ro"}
_LABEL = {"z", "Z"}
_PROPAGATION = ("private", "rprivate", "slave", "rslave", "shared", "rshared")
_COPY = {"nocopy"}
_CONSISTENCY = {"consistent", "cached", "delegated"}
PUBLIC_FIELDS = ("Type", "Name", "Source", "Destination", "Driver", "Mode", "RW", "Propagation")


class MountError(InvalidParameter):
    pass


def _valid_mode(mode: str) -> bool:
    """linuxValidMountMode: each kind of option at most once."""
    if mode == "":
        return True
    counts = {}
    for o in mode.split(","):
        for kind, values in (("rw", _RW), ("label", _LABEL), ("prop", _PROPAGATION),
                             ("copy", _COPY), ("cons", _CONSISTENCY)):
            if o in values:
                counts[kind] = counts.get(kind, 0) + 1
                break
        else:
            return False
    return all(n <= 1 for n in counts.values())


def _propagation(mode: str) -> "str | None":
    for o in mode.split(","):
        if o in _PROPAGATION:
            return o
    return None


def _clean(p: str) -> str:
    return posixpath.normpath(p) if p else p


def _is_local(path: str) -> bool:
    """Go's ``filepath.IsLocal`` (unix): relative, and not above ``.``."""
    if not path or path.startswith("/"):
        return False
    clean = posixpath.normpath(path)
    return clean != ".." and not clean.startswith("../")


def _validate(mnt: dict, check_source: bool) -> None:
    """linuxParser.validateMountConfigImpl, with its words."""
    kind = mnt.get("Type") or ""

    def fail(msg: str):
        raise MountError(f'invalid mount config for type "{kind}": {msg}')

    target = mnt.get("Target") or ""
    if not target:
        fail("field Target must not be empty")
    if posixpath.normpath(target.replace("\\", "/")) in ("/", "//"):
        fail("invalid specification: destination can't be '/'")
    if not target.replace("\\", "/").startswith("/"):
        fail(f"invalid mount path: '{target}' mount path must be absolute")
    source = mnt.get("Source") or ""
    if kind == "bind":
        if not source:
            fail("field Source must not be empty")
        prop = (mnt.get("BindOptions") or {}).get("Propagation") or ""
        if prop and prop not in _PROPAGATION:
            fail(f"invalid propagation mode: {prop}")
        if mnt.get("VolumeOptions") is not None:
            fail("field VolumeOptions must not be specified")
        if mnt.get("ImageOptions") is not None:
            fail("field ImageOptions must not be specified")
        if not source.startswith("/"):
            fail(f"invalid mount path: '{source}' mount path must be absolute")
        if check_source and not os.path.exists(source) and not (mnt.get("BindOptions") or {}).get("CreateMountpoint"):
            fail(f"bind source path does not exist: {source}")
    elif kind == "volume":
        if mnt.get("BindOptions") is not None:
            fail("field BindOptions must not be specified")
        if mnt.get("ImageOptions") is not None:
            fail("field ImageOptions must not be specified")
        subpath = (mnt.get("VolumeOptions") or {}).get("Subpath") or ""
        if subpath:
            if not source:
                fail("must not set Subpath when using anonymous volumes")
            if not _is_local(subpath):
                fail("subpath must be a relative path within the volume")
        if mnt.get("ReadOnly") and not source:
            fail("must not set ReadOnly mode when using anonymous volumes")
    elif kind == "tmpfs":
        if mnt.get("BindOptions") is not None:
            fail("field BindOptions must not be specified")
        if mnt.get("ImageOptions") is not None:
            fail("field ImageOptions must not be specified")
        if source:
            fail("field Source must not be specified")
        opts = mnt.get("TmpfsOptions") or {}
        for opt in opts.get("Options") or ():
            if not isinstance(opt, list) or not 1 <= len(opt) <= 2:
                fail("invalid option array length")
            if opt[0] not in ("exec", "noexec"):
                fail("invalid option: " + str(opt[0]))
    elif kind == "image":
        if mnt.get("BindOptions") is not None:
            fail("field BindOptions must not be specified")
        if mnt.get("VolumeOptions") is not None:
            fail("field VolumeOptions must not be specified")
        if not source:
            fail("field Source must not be empty")
        subpath = (mnt.get("ImageOptions") or {}).get("Subpath") or ""
        if subpath and not _is_local(subpath):
            fail("subpath must be a relative path within the volume")
    else:
        fail("mount type unknown")


def _point(spec: dict) -> dict:
    """parseMountSpec: the mount point of a validated spec."""
    kind = spec["Type"]
    mp = {"Type": kind, "Name": "", "Source": "", "Destination": _clean(spec["Target"]),
          "Driver": "", "Mode": "", "RW": not spec.get("ReadOnly"), "Propagation": "",
          "CopyData": False}
    if kind == "volume":
        mp["Name"] = spec.get("Source") or ""
        mp["CopyData"] = True
        vo = spec.get("VolumeOptions") or {}
        mp["Driver"] = ((vo.get("DriverConfig") or {}).get("Name")) or ""
        if vo.get("NoCopy"):
            mp["CopyData"] = False
        mp["Subpath"] = vo.get("Subpath") or ""
    elif kind == "bind":
        mp["Source"] = _clean(spec["Source"])
        mp["Propagation"] = (spec.get("BindOptions") or {}).get("Propagation") or "rprivate"
    elif kind == "image":  # BindOptions are refused, so moby's default propagation
        mp["Source"] = spec["Source"]
        mp["Propagation"] = "rprivate"
        mp["Subpath"] = (spec.get("ImageOptions") or {}).get("Subpath") or ""
    elif kind == "tmpfs":
        opts = spec.get("TmpfsOptions") or {}
        mp["TmpfsSize"] = int(opts.get("SizeBytes") or 0) or None
        mp["TmpfsMode"] = int(opts.get("Mode") or 0) or 0o1777
        mp["TmpfsExec"] = any(o and o[0] == "exec" for o in opts.get("Options") or ())
    return mp


def parse_bind(raw: str, volume_driver: str = "") -> dict:
    """linuxParser.ParseMountRaw: a ``-v`` spec."""
    invalid = f"invalid volume specification: '{raw}'"
    arr = raw.split(":", 3)
    if arr[0] == "":
        raise MountError(invalid)
    mode = ""
    spec: dict = {}
    if len(arr) == 1:
        spec["Target"] = arr[0]
    elif len(arr) == 2:
        if _valid_mode(arr[1]):
            raise MountError(invalid)
        spec["Source"], spec["Target"] = arr[0], arr[1]
    elif len(arr) == 3:
        spec["Source"], spec["Target"], mode = arr
    else:
        raise MountError(invalid)
    if not _valid_mode(mode):
        raise MountError(f"invalid mode: {mode}")
    spec["Type"] = "bind" if (spec.get("Source") or "").startswith("/") else "volume"
    spec["ReadOnly"] = "ro" in mode.split(",")
    if volume_driver and spec["Type"] == "volume":
        spec["VolumeOptions"] = {"DriverConfig": {"Name": volume_driver}}
    if "nocopy" in mode.split(","):
        spec.setdefault("VolumeOptions", {})["NoCopy"] = True
    prop = _propagation(mode)
    if prop:
        spec["BindOptions"] = {"Propagation": prop}
    try:
        _validate(spec, check_source=False)
    except MountError as err:
        raise MountError(f"{invalid}: {err}") from None
    mp = _point(spec)
    mp["Mode"] = mode
    return mp


_SIZE = re.compile(r"^(\d+(?:\.\d+)?)\s*([kKmMgGtTpP]?)[iI]?[bB]?$")


def parse_size(text: str) -> int:
    """go-units RAMInBytes (k, m, g... as powers of 1024)."""
    m = _SIZE.match(text.strip())
    if not m:
        raise InvalidParameter(f"invalid size: '{text}'")
    unit = "bkmgtp".index((m.group(2) or "b").lower())
    return int(float(m.group(1)) * (1024 ** unit))


#: tmpfs options that change nothing the simulation shows (moby merges
#: nosuid,nodev in anyway; atime options do not show).
_TMPFS_NOOPS = {"", "rw", "nosuid", "nodev", "suid", "dev", "relatime", "noatime", "atime",
                "strictatime", "nodiratime", "diratime", "rprivate", "private"}


def tmpfs_options(options: str) -> "tuple[int | None, int, bool, bool]":
    """``--tmpfs /path:size=64m,mode=1777``: (size, mode, readonly,
    noexec).  moby starts from ``noexec,nosuid,nodev`` and merges the
    client's options in (``exec`` lifts noexec)."""
    size, mode, ro, noexec = None, 0o1777, False, True
    for opt in (options or "").split(","):
        key, _, value = opt.partition("=")
        if key in ("exec", "noexec"):
            noexec = key == "noexec"
        elif key == "size":
            size = parse_size(value)
        elif key == "mode":
            try:
                mode = int(value, 8)
            except ValueError:
                raise InvalidParameter(f"invalid tmpfs mode: {value}") from None
        elif key == "ro":
            ro = True
        elif key not in _TMPFS_NOOPS:
            raise InvalidParameter(f"tmpfs option {opt} is not simulated")
    return size, mode, ro, noexec


class Mounts:
    """Registers a container's mount points at create (volumes created,
    references taken) and turns them into the runtime's mounts at start."""

    events = NO_EVENTS

    def __init__(self, volumes, records, images=None, layers=None, runtime=None, ids=None,
                 data_root: "str | None" = None):
        self.volumes = volumes
        self.records = records
        #: For image mounts: the image store, the layer store (the chain a
        #: mount holds), the runtime (an image's filesystem), ids (the
        #: layer's cache id in its path) and the data root.
        self.images = images
        self.layers = layers
        self.runtime = runtime
        self.ids = ids
        self.data_root = data_root

    # -- create -----------------------------------------------------------------------

    def validate(self, host_config: dict) -> None:
        """verifyContainerSettings: every HostConfig.Mounts entry checked
        (bind sources must exist) before anything is made."""
        mounts = host_config.get("Mounts") or []
        if not isinstance(mounts, list):
            raise InvalidParameter("json: cannot unmarshal into Go struct field HostConfig.Mounts "
                                   "of type []mount.Mount")
        for m in mounts:
            if not isinstance(m, dict):
                raise InvalidParameter("json: cannot unmarshal into Go struct field HostConfig.Mounts "
                                       "of type mount.Mount")
            _validate(m, check_source=True)
        binds = host_config.get("Binds") or []
        if not isinstance(binds, list) or not all(isinstance(b, str) for b in binds):
            raise InvalidParameter("json: cannot unmarshal into Go struct field HostConfig.Binds "
                                   "of type []string")
        tmpfs = host_config.get("Tmpfs") or {}
        if not isinstance(tmpfs, dict) or not all(isinstance(v, str) for v in tmpfs.values()):
            raise InvalidParameter("json: cannot unmarshal into Go struct field HostConfig.Tmpfs "
                                   "of type map[string]string")
        for dest, opts in tmpfs.items():
            if not dest.startswith("/"):
                raise InvalidParameter(f"invalid mount path: '{dest}' mount path must be absolute")
            tmpfs_options(opts)

    def register(self, container_id: str, config: dict, host_config: dict,
                 diff_ids: "tuple[str, ...]" = ()) -> list:
        """registerMountPoints + the anonymous volumes of Config.Volumes:
        the container's mount points (volumes created as needed).
        ``diff_ids``: the container's image (moby's populateVolumes joins a
        volume's subpath at create, see `_populate_subpaths`)."""
        points: "dict[str, dict]" = {}
        binds: "set[str]" = set()
        tmpfs = host_config.get("Tmpfs") or {}
        for ref in host_config.get("VolumesFrom") or ():
            if not ref:
                raise InvalidParameter("volumes-from specification cannot be an empty string")
            cid, _, mode = ref.partition(":")
            mode = mode or "rw"
            if not _valid_mode(mode) or _propagation(mode) or "nocopy" in mode.split(","):
                raise InvalidParameter(f"invalid mode: {mode}")
            try:
                other = self.records.resolve(cid)
            except NotFound as err:
                raise InvalidParameter(str(err)) from None
            for m in getattr(other, "mount_points", None) or ():
                cp = dict(m)
                cp["RW"] = m["RW"] and "ro" not in mode.split(",")
                cp["CopyData"] = False
                cp.pop("Layer", None)  # moby's copy has no Layer: the other container's holds it
                points[cp["Destination"]] = cp
        for raw in host_config.get("Binds") or ():
            mp = parse_bind(raw, host_config.get("VolumeDriver") or "")
            if mp["Destination"] in binds or mp["Destination"] in tmpfs:
                raise InvalidParameter(f"Duplicate mount point: {mp['Destination']}")
            if mp["Type"] == "volume":
                volume = self.volumes.create(mp["Name"], mp["Driver"])
                mp["Source"] = volume.mountpoint
                mp["Driver"] = volume.driver
                mp["Mode"] = mp["Mode"] or "z"
            binds.add(mp["Destination"])
            points[mp["Destination"]] = mp
        for spec in host_config.get("Mounts") or ():
            _validate(spec, check_source=True)
            mp = _point(spec)
            if mp["Destination"] in binds:
                raise InvalidParameter(f"Duplicate mount point: {spec['Target']}")
            if mp["Type"] == "volume":
                vo = spec.get("VolumeOptions") or {}
                labels = vo.get("Labels")
                if not mp["Name"]:
                    labels = {**(labels or {}), "com.docker.volume.anonymous": ""}
                volume = self.volumes.create(mp["Name"], mp["Driver"],
                                             (vo.get("DriverConfig") or {}).get("Options"), labels)
                mp["Name"], mp["Driver"] = volume.name, volume.driver
                mp["Source"] = volume.mountpoint
                mp["Mode"] = mp["Mode"] or "z"
            elif mp["Type"] == "image":
                self._image_point(container_id, mp)
            binds.add(mp["Destination"])
            points[mp["Destination"]] = mp
        # daemon/create.go createContainerOSSpecificSettings: Config.Volumes
        for dest in sorted((config.get("Volumes") or {})):
            dest = _clean(dest)
            if dest in points or dest in tmpfs:
                continue
            if dest == "/":
                raise InvalidParameter("invalid specification: destination can't be '/'")
            # moby creates these with HostConfig.VolumeDriver (create_unix.go)
            volume = self.volumes.create("", host_config.get("VolumeDriver") or "", None,
                                         {"com.docker.volume.anonymous": ""})
            points[dest] = {"Type": "volume", "Name": volume.name, "Source": volume.mountpoint,
                            "Destination": dest, "Driver": volume.driver, "Mode": "", "RW": True,
                            "Propagation": "", "CopyData": True}
        out = [points[d] for d in sorted(points)]
        try:
            self._populate_subpaths(out, config, diff_ids)
        except DockerError:  # moby's cleanupContainer takes the anonymous volumes
            for mp in out:
                if mp["Type"] == "volume" and mp.get("Name"):
                    self.volumes.release_anonymous(mp["Name"])
            raise
        for mp in out:  # nothing fails from here: the layers each image mount holds
            if mp["Type"] == "image" and mp.get("Layer"):
                self.layers.acquire(mp["Layer"])
        return out

    def _populate_subpaths(self, points: list, config: dict, diff_ids) -> None:
        """moby's populateVolumes at create: a volume to be copied into
        (CopyData) whose destination is in the container's root (the
        image's files, or the working directory moby makes) is set up
        there and then, so its subpath is joined at create: a missing one
        is let be (the start fails on it), another refusal fails the
        create, ``failed to populate volume: …``.  (The copy itself is the
        runtime's, at the first start.)"""
        wanted = [mp for mp in points if mp["Type"] == "volume" and mp.get("Subpath") and mp.get("CopyData")]
        if not wanted or self.runtime is None:
            return
        tree = self.runtime.image_tree(tuple(diff_ids))
        workdir = _clean(config.get("WorkingDir") or "")
        for mp in wanted:
            if mp["Destination"] != workdir:
                try:
                    resolve_subpath(tree, mp["Destination"], scoped=True)
                except SubpathError:  # os.Stat: not there, nothing to copy
                    continue
            try:
                self._volume_mount(mp, False)
            except NotFound:
                continue
            except DockerError as err:
                raise type(err)(f"failed to populate volume: {err}") from None

    def _image_point(self, container_id: str, mp: dict) -> None:
        """registerMountPoints for an image mount: the image looked up
        (moby's GetImage: 404 ``No such image: …``), a layer made from it
        (its path is the mount point's Source), Name the source as given,
        RW false."""
        if self.images is None:
            raise InvalidParameter("image mounts need the image store")
        try:
            img = self.images.lookup(mp["Source"])
        except ImageNotFound as err:
            raise NotFound(str(err)) from None
        except InvalidReference as err:
            raise InvalidParameter(str(err)) from None
        root = self.data_root or "/var/lib/docker"
        mp["Name"] = mp["Source"]
        mp["Source"] = f"{root}/overlay2/{self.ids.hex_id()}/merged"
        mp["RW"] = False
        mp["ImageID"] = img.id
        mp["DiffIDs"] = list(img.diff_ids)
        mp["Layer"] = img.top_chain_id  # None: an image with no layers holds nothing

    # -- start -------------------------------------------------------------------------

    def dir_mounts(self, container) -> "tuple[DirMount, ...]":
        """The runtime's mounts for a run: volumes and binds through the
        confined host filesystem, tmpfs as the simulation's own."""
        out = []
        for mp in getattr(container, "mount_points", None) or ():
            ro = not mp.get("RW", True)
            if mp["Type"] == "tmpfs":
                out.append(DirMount(mp["Destination"], None, ro, "tmpfs",
                                    size=mp.get("TmpfsSize"), mode=mp.get("TmpfsMode") or 0o1777,
                                    noexec=not mp.get("TmpfsExec")))
            elif mp["Type"] == "image":
                out.append(self._image_mount(mp))
            elif mp["Type"] == "volume":
                out.append(self._volume_mount(mp, ro))
            else:  # bind: moby makes a missing source (``-v`` only)
                source = mp["Source"]
                if not os.path.lexists(source):
                    os.makedirs(source, exist_ok=True)
                source = os.path.realpath(source)  # mount(2) follows the source's links
                if os.path.isdir(source):
                    fs = HostFs(source, readonly=ro, now=self.volumes.clock.now)
                else:  # a single file (or device node) bind-mounted
                    fs = HostFs(os.path.dirname(source), readonly=ro, now=self.volumes.clock.now,
                                entry=os.path.basename(source))
                out.append(DirMount(mp["Destination"], fs, ro, "bind"))
        for dest, opts in sorted((container.host_config.get("Tmpfs") or {}).items()):
            size, mode, ro, noexec = tmpfs_options(opts)
            out.append(DirMount(_clean(dest), None, ro, "tmpfs", size=size, mode=mode, noexec=noexec))
        return tuple(out)

    def _image_mount(self, mp: dict) -> DirMount:
        """An image mount at start (moby's ``MountPoint.Setup``): the
        image's layers read-only; a subpath joined as ``safepath.Join``
        joins it to the layer's path, with its errors."""
        diff_ids = tuple(mp.get("DiffIDs") or ())
        chain = self.layers.chain_ids(diff_ids)[-1:] if self.layers is not None else []
        if chain and chain[0] not in self.layers:  # a --volumes-from copy outliving its source
            raise NotFound(f"cannot access path {mp['Source']}: lstat {mp['Source']}: "
                           "no such file or directory")
        resolved = _join_subpath(mp["Source"], mp.get("Subpath") or "",
                                 lambda sub: self.runtime.image_subpath(diff_ids, sub))
        return DirMount(mp["Destination"], None, True, "image", layers=diff_ids, subpath=resolved)

    def _volume_mount(self, mp: dict, ro: bool) -> DirMount:
        """A volume at start (moby's ``MountPoint.Setup``): the volume's
        files (its directory, a ``device`` it binds, or a tmpfs), or the
        directory (or file) of it its ``Subpath`` names, joined as
        ``safepath.Join`` joins it to the volume's path (its Source), with
        its errors.  The files are the volume's own: what the container
        writes there is in the volume, live."""
        name = mp["Name"]
        volume = self.volumes.get(name)
        opts = volume.options or {}
        subpath = mp.get("Subpath") or ""
        if opts.get("type") == "tmpfs":
            # a fresh tmpfs (the simulation gives each container its own)
            # holds nothing: lstat fails on the subpath's first component
            def empty(sub):
                raise SubpathError("missing", clean_subpath(sub).split("/")[0])
            _join_subpath(volume.mountpoint, subpath, empty)
            size, mode, _, _ = tmpfs_options(opts.get("o") or "")
            return DirMount(mp["Destination"], None, ro, "tmpfs", size=size, mode=mode)
        if opts.get("device"):
            source = HostFs(opts["device"], readonly=ro, now=self.volumes.clock.now)
            copy_up = False
        else:
            source = self.volumes.filesystem(name, ro)
            copy_up = bool(mp.get("CopyData"))
        resolved = _join_subpath(volume.mountpoint, subpath,
                                 lambda sub: "/".join(resolve_subpath(source, sub)[0]))
        return DirMount(mp["Destination"], source, ro, "volume", copy_up=copy_up, subpath=resolved)

    def mounted(self, container) -> None:
        """The container started: a volume is copied into only at its
        first mount (moby clears CopyData once done), and each volume's
        ``mount`` event (moby's setupMounts)."""
        for mp in getattr(container, "mount_points", None) or ():
            mp["CopyData"] = False
            if mp["Type"] == "volume" and mp.get("Name"):
                self.events.emit("volume", "mount", mp["Name"], {
                    "container": container.id, "destination": mp["Destination"],
                    "driver": mp.get("Driver") or "local", "propagation": mp.get("Propagation") or "",
                    "read/write": "true" if mp.get("RW", True) else "false"})

    def unmounted(self, container) -> None:
        """The container stopped: each volume's ``unmount`` event."""
        for mp in getattr(container, "mount_points", None) or ():
            if mp["Type"] == "volume" and mp.get("Name"):
                self.events.emit("volume", "unmount", mp["Name"], {
                    "container": container.id, "driver": mp.get("Driver") or "local"})

    # -- views and removal ---------------------------------------------------------------

    @staticmethod
    def view(container) -> list:
        return [{k: mp.get(k, "") for k in PUBLIC_FIELDS if not (k in ("Name", "Driver", "Type") and not mp.get(k))}
                for mp in getattr(container, "mount_points", None) or ()]

    def release(self, container, remove_volumes: bool) -> None:
        """``docker rm [-v]``: the layers of its image mounts are released
        (moby's removeMountPoints), and with -v its anonymous volumes go."""
        for mp in getattr(container, "mount_points", None) or ():
            if mp["Type"] == "image" and mp.get("Layer") and self.layers is not None:
                if mp["Layer"] in self.layers:
                    self.layers.release(mp["Layer"])
                mp["Layer"] = None
        if not remove_volumes:
            return
        for mp in getattr(container, "mount_points", None) or ():
            if mp["Type"] == "volume" and mp.get("Name"):
                self.volumes.release_anonymous(mp["Name"])


def _join_subpath(base: str, subpath: str, resolve) -> str:
    """moby's ``safepath.Join(base, subpath)`` at ``MountPoint.Setup``:
    ``resolve(subpath)`` (`sim.runtime.imagemount.resolve_subpath` in the
    filesystem whose path is ``base``) gives the resolved path, relative to
    the base, to mount; its refusals are moby's errors (``ErrNotAccessible``
    404, ``ErrEscapesBase`` 400).  No subpath: "" (the whole filesystem)."""
    if not subpath:
        return ""
    combined = posixpath.join(base, clean_subpath(subpath))
    try:
        return resolve(subpath)
    except SubpathError as err:
        if err.kind == "missing":
            failed = posixpath.join(base, err.failed)
            raise NotFound(f"cannot access path {combined}: lstat {failed}: "
                           "no such file or directory") from None
        if err.kind == "escapes":
            raise InvalidParameter("path concatenation escapes the base directory, "
                                   f"base: {base}, subpath: {subpath}") from None
        why = "not a directory" if err.kind == "notdir" else "EvalSymlinks: too many links"
        # moby's 500 (an untyped error); bad input here, so a 400
        raise InvalidParameter(f'error while resolving symlinks in combined path "{combined}": '
                               f"{why}") from None


def warn_image_mounts(config: dict, host_config: dict) -> "list[str]":
    """moby's validateHostConfig: each image mount is experimental."""
    mounts = host_config.get("Mounts") or []
    if not isinstance(mounts, list):
        return []
    return ["Image mount is an experimental feature"
            for m in mounts if isinstance(m, dict) and m.get("Type") == "image"]
