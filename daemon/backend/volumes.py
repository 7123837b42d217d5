"""Named volumes: moby's volume service with the ``local`` driver
(volume/service, volume/local) and the ``/volumes`` API's answers.

A volume is a directory of the data root, kept as dockerd keeps it::

    <data root>/volumes/<name>/_data         the volume's files (real files)
    <data root>/volumes/<name>/dockersim.json  name, labels, options, created

and shown at the path dockerd shows (``/var/lib/docker/volumes/<name>/_data``).
A container reaches the files through `HostFs`, the same confined view
of a host directory a bind mount gets.  Whether a volume is in use is
read from the containers' mount points (moby keeps the same references).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import time

import attrs

from ..errors import Conflict, InvalidParameter, NotFound
from .events import NO_EVENTS
from .filters import parse_filters, prune_labels_match
from .hostfs import HostFs
from .requests import VOLUME_CREATE_OPTIONS, go_body

#: What dockerd shows as a volume's Mountpoint (its data root is /var/lib/docker).
DOCKER_VOLUMES = "/var/lib/docker/volumes"
#: The label moby puts on an anonymous volume (``docker volume prune`` removes
#: only these unless ``all=true``).
ANONYMOUS_LABEL = "com.docker.volume.anonymous"
_NAME = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9_.-]+$")
LIST_FILTERS = {"dangling", "driver", "label", "name"}
PRUNE_FILTERS = {"label", "label!", "all"}
#: moby's local driver options (volume/local/local_unix.go validOpts) and
#: which others each one requires (mandatoryOpts).
LOCAL_OPTS = ("type", "o", "device", "size")
MANDATORY = {"device": ("type",), "type": ("device",), "o": ("device", "type")}


@attrs.define(eq=False)
class Volume:
    name: str
    driver: str = "local"
    labels: "dict | None" = None
    options: "dict | None" = None
    created: float = 0.0

    def to_doc(self) -> dict:
        return {"Name": self.name, "Driver": self.driver, "Labels": self.labels,
                "Options": self.options, "CreatedAt": self.created}

    @property
    def mountpoint(self) -> str:
        return f"{DOCKER_VOLUMES}/{self.name}/_data"

    @property
    def anonymous(self) -> bool:
        return ANONYMOUS_LABEL in (self.labels or {})


class Volumes:
    """The volume service.  ``root`` is the host folder holding the
    volumes (the data root's ``volumes``; a temporary folder when the
    daemon keeps nothing); ``users()`` maps each volume name to the ids
    of the containers that mount it (one pass over the containers)."""

    events = NO_EVENTS

    def __init__(self, root: "str | None", clock, ids, users):
        self._temp = None
        if root is None:
            self._temp = tempfile.mkdtemp(prefix="dockersim-volumes-")
            root = self._temp
        self.root = root
        os.makedirs(self.root, exist_ok=True)
        self.clock = clock
        self.ids = ids
        self.users = users
        self.volumes: "dict[str, Volume]" = {}
        self._load()

    def close(self) -> None:
        if self._temp is not None:
            shutil.rmtree(self._temp, ignore_errors=True)

    def _load(self) -> None:
        """The volumes of the data root; what a killed daemon left half
        done goes: a removal's folder (``.removing``) and temporary files."""
        for name in sorted(os.listdir(self.root)):
            folder = os.path.join(self.root, name)
            if os.path.exists(os.path.join(folder, ".removing")):
                shutil.rmtree(folder, ignore_errors=True)
                continue
            if os.path.isdir(folder):
                for entry in os.listdir(folder):
                    if entry.startswith(".tmp-"):
                        try:
                            os.unlink(os.path.join(folder, entry))
                        except OSError:
                            pass
            meta = os.path.join(folder, "dockersim.json")
            try:
                with open(meta, encoding="utf-8") as fh:
                    doc = json.load(fh)
            except (OSError, ValueError):
                continue
            self.volumes[name] = Volume(doc.get("Name", name), doc.get("Driver", "local"),
                                        doc.get("Labels"), doc.get("Options"),
                                        float(doc.get("CreatedAt") or 0.0))

    def _save(self, volume: Volume) -> None:
        folder = os.path.join(self.root, volume.name)
        os.makedirs(os.path.join(folder, "_data"), mode=0o755, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(volume.to_doc(), fh)
        os.replace(tmp, os.path.join(folder, "dockersim.json"))

    def data_dir(self, name: str) -> str:
        return os.path.join(self.root, name, "_data")

    def filesystem(self, name: str, readonly: bool = False) -> HostFs:
        """The volume's files for a container's mount namespace."""
        return HostFs(self.data_dir(name), readonly=readonly, now=self.clock.now)

    # -- the service --------------------------------------------------------------

    def get(self, name: str) -> Volume:
        volume = self.volumes.get(name)
        if volume is None:
            raise NotFound(f"get {name}: no such volume")
        return volume

    def create(self, name: str = "", driver: str = "", driver_opts=None, labels=None) -> Volume:
        """moby's ``VolumesService.Create``: an existing volume of the same
        name is returned as it is."""
        driver = driver or "local"
        if not name:
            name = self.ids.hex_id()
        existing = self.volumes.get(name)
        if existing is not None:
            if driver != existing.driver:
                raise Conflict(f"create {name}: volume name must be unique: a volume with the "
                               f"same name already exists with a different driver")
            return existing
        if driver != "local":
            raise NotFound(f'create {name}: error looking up volume plugin {driver}: '
                           f'plugin "{driver}" not found')
        if len(name) < 2 and _NAME.match(name + "x") is not None:
            raise InvalidParameter(f"create {name}: volume name is too short, names should be at "
                                   "least two alphanumeric characters")
        if not _NAME.match(name):
            raise InvalidParameter(f'create {name}: "{name}" includes invalid characters for a local '
                                   'volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you '
                                   'intended to pass a host directory, use absolute path')
        opts = dict(driver_opts or {})
        _validate_local_opts(name, opts)
        volume = Volume(name, "local", dict(labels) if labels is not None else None,
                        opts if driver_opts is not None else None, self.clock.now())
        self._save(volume)
        self.volumes[name] = volume
        self.events.emit("volume", "create", name, {"driver": "local"})
        return volume

    def remove(self, name: str, force: bool = False) -> None:
        volume = self.volumes.get(name)
        if volume is None:
            if force:
                return
            raise NotFound(f"get {name}: no such volume")
        users = self.users().get(name, [])
        if users:
            raise Conflict(f"remove {name}: volume is in use - [{', '.join(users)}]")
        self._destroy(volume)

    def _destroy(self, volume: Volume) -> None:
        folder = os.path.join(self.root, volume.name)
        os.replace(os.path.join(folder, "dockersim.json"), os.path.join(folder, ".removing"))
        del self.volumes[volume.name]
        shutil.rmtree(folder, ignore_errors=True)
        self.events.emit("volume", "destroy", volume.name, {"driver": volume.driver})

    def release_anonymous(self, name: str) -> None:
        """``docker rm -v`` / ``--rm``: an anonymous volume goes with its
        container once no other container uses it."""
        volume = self.volumes.get(name)
        if volume is not None and volume.anonymous and not self.users().get(name):
            self._destroy(volume)

    def usage(self, name: str) -> int:
        total = 0
        for dirpath, _dirs, files in os.walk(self.data_dir(name)):
            for f in files:
                try:
                    total += os.lstat(os.path.join(dirpath, f)).st_size
                except OSError:
                    pass
        return total

    # -- the API's answers -----------------------------------------------------------

    def view(self, volume: Volume) -> dict:
        created = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(volume.created))
        return {"CreatedAt": created,
                "Driver": volume.driver, "Labels": volume.labels, "Mountpoint": volume.mountpoint,
                "Name": volume.name, "Options": volume.options, "Scope": "local"}

    def list_volumes(self, filters: str = "") -> dict:
        parsed = parse_filters(filters, LIST_FILTERS)
        out, users = [], self.users()
        for volume in sorted(self.volumes.values(), key=lambda v: v.name):
            if parsed.contains("name") and not any(n in volume.name for n in parsed.get("name")):
                continue
            if parsed.contains("driver") and volume.driver not in parsed.get("driver"):
                continue
            if parsed.contains("label") and not parsed.match_kv_list("label", volume.labels or {}):
                continue
            if parsed.contains("dangling"):
                dangling = parsed.get_bool_or_default("dangling", False)
                if bool(users.get(volume.name)) == dangling:
                    continue
            out.append(self.view(volume))
        return {"Volumes": out, "Warnings": None}

    def disk_usage(self) -> list:
        """``docker system df``: each volume with its size and how many
        containers use it (moby's volumesToAPI with getSize)."""
        out, users = [], self.users()
        for volume in sorted(self.volumes.values(), key=lambda v: v.name):
            view = self.view(volume)
            view["UsageData"] = {"Size": self.usage(volume.name), "RefCount": len(users.get(volume.name, ()))}
            out.append(view)
        return out

    def inspect_volume(self, name: str) -> dict:
        return self.view(self.get(name))

    def create_volume(self, body: dict) -> dict:
        body = body or {}
        body = go_body(body, VOLUME_CREATE_OPTIONS)  # moby's ReadJSON into volume.CreateOptions
        volume = self.create(body.get("Name") or "", body.get("Driver") or "",
                             body.get("DriverOpts"), body.get("Labels"))
        return self.view(volume)

    def prune_volumes(self, filters: str = "", all_volumes: bool = False) -> dict:
        """``POST /volumes/prune``: unused anonymous volumes, or every
        unused volume with ``all=true`` (``all_volumes``: an API before
        1.42)."""
        parsed = parse_filters(filters, PRUNE_FILTERS)
        everything = all_volumes
        if parsed.contains("all"):
            values = parsed.get("all")
            if len(values) > 1 or values[0] not in ("1", "true", "True", "0", "false", "False"):
                raise InvalidParameter(f"invalid filter 'all={values[0]}': value must be a boolean")
            everything = values[0] in ("1", "true", "True")
        deleted, space, users = [], 0, self.users()
        for volume in sorted(self.volumes.values(), key=lambda v: v.name):
            if not everything and not volume.anonymous:
                continue
            if not prune_labels_match(parsed, volume.labels or {}) or users.get(volume.name):
                continue
            size = self.usage(volume.name)
            self._destroy(volume)
            deleted.append(volume.name)
            space += size
        self.events.emit("volume", "prune", "", {"reclaimed": str(space)})
        return {"VolumesDeleted": deleted, "SpaceReclaimed": space}


def _validate_local_opts(name: str, opts: dict) -> None:
    """moby's local driver ``validateOpts``, then what the simulation can
    mount: a bind of a host directory (``type=none,o=bind,device=/path``)
    or a tmpfs (``type=tmpfs,device=tmpfs``)."""
    for key in opts:
        if key not in LOCAL_OPTS:
            raise InvalidParameter(f'create {name}: invalid option: "{key}"')
    if "size" in opts:
        raise InvalidParameter(f"create {name}: quota size requested but no quota support")
    for key, needed in MANDATORY.items():
        if key in opts:
            for other in needed:
                if other not in opts:
                    raise InvalidParameter(f'create {name}: missing required option: "{other}"')
    kind = opts.get("type")
    if kind is None:
        return
    mount_opts = [o for o in (opts.get("o") or "").split(",") if o]
    if kind == "tmpfs":
        return
    if "bind" in mount_opts or "rbind" in mount_opts:
        return
    raise InvalidParameter(f'create {name}: local volume type "{kind}" cannot be simulated: '
                           'only tmpfs and bind (o=bind) volumes are')
