"""The build cache: moby's image/cache (cache.go, compare.go) and
builder/dockerfile/imageprobe.go.

A step is cached when an image exists that was built locally on the same
parent with the same container config (`compare`: Cmd, Env, Entrypoint,
Shell, ExposedPorts, Volumes, Labels, OnBuild, the booleans, User,
WorkingDir, StopSignal, StopTimeout, Healthcheck; never Image, Hostname,
Domainname or MacAddress) for the same platform; the newest one wins.
The step's container config carries what makes the step unique: RUN's
command (with its build args), the ``#(nop)`` comment of a metadata step,
``COPY file:<content hash> in /dest`` for a copy.  Once a step misses,
the rest of the stage misses without looking (moby's ``cacheBusted``);
each FROM starts over.

With ``cachefrom`` (even one naming no image) moby's ``ImageCache`` is
used instead: a local hit counts only if a cache-from image descends from
it; otherwise a step matches the cache-from image whose history, from the
parent on, continues with an entry created by the step's command; the
image for that step is then made from the cache-from image's history and
layer (or is the cache-from image itself at its last step).
"""

from ....sim.golang.json import Decoder, unmarshal
from ....sim.images.errors import ImageNotFound, InvalidReference
from ....sim.images.goconfig import CONTAINER_CONFIG, IMAGE, marshal_image
from ....sim.images.image_store import parse_created
from ...errors import InvalidParameter
from ...support import ENGINE_VERSION
from ..filters import parse_filters
from ..timestamps import TimeError, get_timestamp, parse_timestamps
from ..commit import go_value


def compare(a: "dict | None", b: "dict | None") -> bool:
    """moby's ``compare`` of two container configs."""
    if a is None or b is None:
        return False
    for key in ("Env", "Cmd", "Entrypoint", "Shell", "OnBuild"):
        if list(a.get(key) or []) != list(b.get(key) or []):
            return False
    for key in ("ExposedPorts", "Volumes"):
        if set(a.get(key) or {}) != set(b.get(key) or {}):
            return False
    la, lb = a.get("Labels") or {}, b.get("Labels") or {}
    if len(la) != len(lb) or any(lb.get(k) != v for k, v in la.items()):
        return False
    for key in ("AttachStdin", "AttachStdout", "AttachStderr", "NetworkDisabled", "Tty",
                "OpenStdin", "StdinOnce", "ArgsEscaped"):
        if bool(a.get(key)) != bool(b.get(key)):
            return False
    for key in ("User", "WorkingDir", "StopSignal"):
        if (a.get(key) or "") != (b.get(key) or ""):
            return False
    if a.get("StopTimeout") != b.get("StopTimeout"):
        return False
    ha, hb = a.get("Healthcheck"), b.get("Healthcheck")
    if (ha is None) != (hb is None):
        return False
    if ha is not None:
        for key in ("Interval", "StartInterval", "StartPeriod", "Timeout", "Retries"):
            if (ha.get(key) or 0) != (hb.get(key) or 0):
                return False
        if list(ha.get("Test") or []) != list(hb.get("Test") or []):
            return False
    return True


class LocalImageCache:
    """moby's ``LocalImageCache``: children of the parent built here."""

    def __init__(self, images, committer):
        self.images = images
        self.committer = committer

    def get_cache(self, parent_id: str, config: dict, platform) -> str:
        if parent_id:
            candidates = self.images.children(parent_id)
        else:  # FROM scratch: the parentless images built here
            candidates = [i for i in self.images.images() if i.parent is None]
        match = None
        for img in candidates:
            if not self.committer.built_locally(img):
                continue
            os_name = img.config.get("os") or ""
            arch = img.config.get("architecture") or ""
            if not os_name and not arch:
                continue
            if (os_name, arch) != (platform.os, platform.architecture):
                continue
            if compare(img.config.get("container_config"), config):
                if match is None or parse_created(img.created) > parse_created(match.created):
                    match = img
        return match.id if match is not None else ""


class ImageCache:
    """moby's ``ImageCache``: the local cache plus ``cachefrom`` images."""

    def __init__(self, images, committer, sources):
        self.images = images
        self.committer = committer
        self.local = LocalImageCache(images, committer)
        self.sources = list(sources)

    def _is_parent(self, image_id: str, parent_id: str) -> bool:
        seen = set()
        while image_id and image_id not in seen:
            seen.add(image_id)
            try:
                nxt = self.images.get(image_id).parent
            except ImageNotFound:
                return False
            if nxt == parent_id:
                return True
            image_id = nxt
        return False

    def get_cache(self, parent_id: str, config: dict, platform) -> str:
        found = self.local.get_cache(parent_id, config, platform)
        if found:
            for s in self.sources:
                if self._is_parent(s.id, found):
                    return found
        parent = self.images.get(parent_id) if parent_id else None
        parent_value = _go_image(parent) if parent is not None else None
        n = len(parent_value["history"] or []) if parent_value is not None else 0
        created_by = " ".join(config.get("Cmd") or [])
        for target in self.sources:
            target_value = _go_image(target)
            history = target_value["history"] or []
            if not _valid_parent(target, target_value, parent, parent_value):
                continue
            if history[n]["created_by"] != created_by:  # moby's isValidConfig
                continue
            if len(history) - 1 == n:
                if parent is not None:
                    self.images.set_parent(target.id, parent.id)
                return target.id
            restored = self._restore(parent, parent_value, target, target_value, n, config)
            self.sources = [target]
            return restored
        return ""

    def _restore(self, parent, parent_value, target, target_value, n: int, config: dict) -> str:
        """moby's ``restoreCachedImage``: the image of one step, made from
        the cache-from image's history entry and layer."""
        history = list(parent_value["history"] or []) if parent_value is not None else []
        rootfs = dict(parent_value["rootfs"] or {}) if parent_value is not None else {}
        diff_ids = list(rootfs.get("diff_ids") or [])
        entry = target_value["history"][n]
        history.append(entry)
        if not entry["empty_layer"]:
            layer_index = sum(1 for h in target_value["history"][:n] if not h["empty_layer"])
            diff_ids.append(target.diff_ids[layer_index])
        restored = Decoder().zero(IMAGE)
        restored.update({
            "docker_version": ENGINE_VERSION, "config": go_value(config, CONTAINER_CONFIG),
            "architecture": target_value["architecture"], "os": target_value["os"],
            "author": target_value["author"], "created": entry["created"],
            "rootfs": {"type": rootfs.get("type") or "layers", "diff_ids": diff_ids},
            "history": history, "os.features": target_value["os.features"],
            "os.version": target_value["os.version"],
        })
        img = self.images.create(marshal_image(restored), parent=parent.id if parent else None)
        return img.id


def _go_image(img) -> dict:
    """The image's config as moby holds it (an ``image.Image``)."""
    return unmarshal(img.config_bytes, IMAGE)


def _valid_parent(target, target_value, parent, parent_value) -> bool:
    """moby's ``isValidParent``: the target's history and layers start with
    the parent's."""
    history = target_value["history"] or []
    if not history:
        return False
    if parent is None:
        return True
    parent_history = parent_value["history"] or []
    if not parent_history and not parent.diff_ids:
        return True
    if len(parent_history) >= len(history):
        return False
    if len(parent.diff_ids) > len(target.diff_ids):
        return False
    if history[:len(parent_history)] != parent_history:
        return False
    return target.diff_ids[:len(parent.diff_ids)] == parent.diff_ids


class ImageProber:
    """moby's ``imageProber``: the cache for one stage; after the first
    miss every probe misses.  ``nocache`` makes a prober that never hits."""

    def __init__(self, images, committer, cache_from, no_cache: bool):
        self.images = images
        self.committer = committer
        self.cache_from = list(cache_from)
        self.no_cache = no_cache
        self.busted = False
        self.cache = None
        if not no_cache:
            self.reset()

    def reset(self) -> None:
        if self.no_cache:
            return
        sources = []
        for ref in self.cache_from:
            try:
                sources.append(self.images.lookup(ref))
            except (ImageNotFound, InvalidReference):
                continue  # moby logs "Could not look up … for cache resolution, skipping"
        if self.cache_from:  # moby's cache.New: even if none of them is found
            self.cache = ImageCache(self.images, self.committer, sources)
        else:
            self.cache = LocalImageCache(self.images, self.committer)
        self.busted = False

    def probe(self, parent_id: str, config: dict, platform) -> str:
        if self.no_cache or self.busted:
            return ""
        found = self.cache.get_cache(parent_id, config, platform)
        if not found:
            self.busted = True
        return found



#: The filters ``POST /build/prune`` accepts (moby's builder-next
#: ``Prune``: its cache fields, ``until`` and its old name, the labels).
PRUNE_FILTERS = {"unused-for", "until", "label", "label!", "id", "parent", "type", "description",
                 "inuse", "shared", "private"}


def prune_build_cache(filters_text: str, now: float) -> dict:
    """``POST /build/prune`` (``docker builder prune``, and the last step
    of ``docker system prune``): the filters checked as moby's
    builder-next checks them (``toBuildkitPruneInfo``).  dockersim's
    classic builder keeps its cache as images (pruned by ``image prune``)
    and has no BuildKit cache records, as ``/system/df``'s empty
    ``BuildCache`` says: nothing is deleted."""
    filters = parse_filters(filters_text, PRUNE_FILTERS)
    until, unused_for = filters.get("until"), filters.get("unused-for")
    if until and unused_for:
        raise InvalidParameter('conflicting filters: "until" and "unused-for"')
    single = PRUNE_FILTERS - {"unused-for", "until", "label", "label!"}
    if len(until) + len(unused_for) > 1 or any(len(filters.get(f)) > 1 for f in single):
        raise InvalidParameter("filters expect only one value")
    for key, values in (("until", until), ("unused-for", unused_for)):
        if values:
            try:
                parse_timestamps(get_timestamp(values[0], now), 0)
            except TimeError as err:
                raise InvalidParameter(f'"{key}" filter expects a duration (e.g., \'24h\') or a '
                                       f"timestamp: {err}") from None
    return {"CachesDeleted": None, "SpaceReclaimed": 0}
