"""Images: pull, list (with filters), inspect, history, tag, remove,
prune (moby's daemon/images/ and distribution/pull).  The layer store, the
image store and the Hub are the sim's; this module turns them into
Docker's shapes.

Filters (moby's ``image_list.go`` and ``image_prune.go``):

- list accepts ``dangling``, ``label`` (``k``, ``k=v``), ``before`` and
  ``since`` (an image: older / newer than it), ``reference`` (Go's
  ``path.Match`` against each tag and digest in its familiar form, and
  its familiar name: ``busy*``, ``*/kubia:v?``) and ``until``; a
  ``reference`` filter also narrows the RepoTags and RepoDigests shown.
- prune accepts ``dangling`` (default true: untagged images only; false:
  every image no container uses), ``until``, ``label`` and ``label!``.
- An unknown key is a 400 ``invalid filter 'foo'``, a bad ``dangling``
  ``invalid filter 'dangling=[maybe]'``, JSON that is no filter
  ``invalid filter``; a bad ``until`` is a 500 with Go's words, and so is
  a malformed pattern (``syntax error in pattern``).
"""

import asyncio
import logging

from ...sim.golang import PatternError, path_match
from ...sim.images import reference as refmod
from ...sim.images.errors import (AccessDenied, ImageConflict, ImageError, ImageNotFound,
                                  IncorrectCredentials, InvalidReference, ManifestUnknown,
                                  RegistryUnavailable, RepositoryNotFound)
from ...sim.images.image_store import parse_created
from ...sim.images.pull import pull as sim_pull
from ..support import API_VERSION, version_less
from ..errors import Conflict, Forbidden, InvalidParameter, NotFound, SystemError, Unauthorized
from .container import rfc3339
from .filters import FilterError, Filters, parse_filters, prune_labels_match
from .platforms import Platform, image_mismatch
from .timestamps import TimeError, get_timestamp, parse_timestamps
from .events import NO_EVENTS, find_image, labels_of

log = logging.getLogger("dockersim.daemon.images")

LIST_FILTERS = {"dangling", "label", "before", "since", "reference", "until"}
PRUNE_FILTERS = {"dangling", "label", "label!", "until"}


def image_error(err: Exception):
    """The error kind a sim image error becomes."""
    if isinstance(err, (ImageNotFound, RepositoryNotFound, ManifestUnknown)):
        return NotFound(str(err))
    if isinstance(err, ImageConflict):
        return Conflict(str(err))
    if isinstance(err, InvalidReference):
        return InvalidParameter(str(err))
    if isinstance(err, RegistryUnavailable):
        return NotFound(str(err))
    if isinstance(err, AccessDenied):
        return Forbidden(str(err))
    if isinstance(err, IncorrectCredentials):
        return Unauthorized(str(err))
    if isinstance(err, ImageError):
        return SystemError(str(err))
    return err


def _bool_filter(filters: Filters, key: str, default: bool) -> bool:
    try:
        return filters.get_bool_or_default(key, default)
    except FilterError as err:
        raise InvalidParameter(str(err)) from None


def _time_filter(value: str, now: float) -> float:
    """An ``until`` value as epoch seconds (a 500 with Go's words when it
    is no time)."""
    try:
        seconds, nanos = parse_timestamps(get_timestamp(value, now), 0)
    except TimeError as err:
        raise SystemError(str(err)) from None
    return seconds + nanos / 1e9


def _created(img) -> "float | None":
    """The image's creation time (None when its config has none)."""
    text = img.config.get("created")
    return parse_created(text) if text else None


def _familiar_match(pattern: str, ref_text: str) -> bool:
    """distribution's ``FamiliarMatch``: the pattern against the familiar
    string, then against the familiar name.  Raises SystemError for a
    malformed pattern."""
    try:
        if path_match(pattern, ref_text):
            return True
    except PatternError as err:
        raise SystemError(str(err)) from None
    name = ref_text.split("@", 1)[0]
    head, sep, tail = name.rpartition(":")
    if sep and "/" not in tail:
        name = head
    try:
        return path_match(pattern, name)
    except PatternError:
        return False


class ImageService:
    """Images: pull, list, inspect, history, tag, remove."""

    events = NO_EVENTS

    def __init__(self, images, layers, hub, records, clock, data_root, metadata):
        self.images = images
        self.layers = layers
        self.hub = hub
        self.records = records
        self.clock = clock
        self.data_root = data_root
        #: the V2 metadata service (where pulled layers live in the hub)
        self.metadata = metadata

    def _image(self, name: str):
        try:
            return self.images.lookup(name)
        except Exception as err:  # ImageNotFound, InvalidReference
            raise image_error(err) from None

    # -- pull ----------------------------------------------------------------
    def pull_reference(self, from_image: str, tag: str = "") -> str:
        if not from_image:
            raise InvalidParameter("fromImage is required")
        if tag:
            from_image = f"{from_image}@{tag}" if tag.startswith("sha256:") else f"{from_image}:{tag}"
        return from_image

    async def pull(self, ref_text: str, platform: "Platform | None" = None):
        """``docker pull`` (moby's ``PullImage``): the JSON messages of
        `pull_with_reference`, then, with a ``platform``, moby's check of
        the image it got: the hub's images are single-platform, so one of
        another platform is kept, with a ``WARNING: image with reference
        … was found but its platform (…) does not match the specified
        platform (…)`` message at the end."""
        messages = self.pull_with_reference(ref_text, platform)
        try:
            async for message in messages:
                yield message
        finally:
            await messages.aclose()
        if platform is None:
            return
        ref = refmod.parse(ref_text).with_default_tag()
        mismatch = image_mismatch(ref.familiar_string, self._image(str(ref)).config, platform)
        if mismatch is not None:
            yield {"status": f"WARNING: {mismatch}"}

    async def pull_with_reference(self, ref_text: str, platform: "Platform | None" = None):
        """Yield the pull's JSON messages (moby's ``pullImageWithReference``,
        what the builder's pulls use).  Errors found before the first
        message (unknown repository or tag) raise, so they become an HTTP
        status; later ones raise from inside the iteration.  The pull
        records where each layer lives (V2 metadata) as it registers it,
        for later pushes to mount them.  A ``platform`` of another OS than
        linux cannot be pulled into this daemon's layer store."""
        try:
            ref = refmod.parse(ref_text).with_default_tag()
            events = sim_pull(ref, self.hub, self.layers, self.images, self.clock, self.metadata,
                              os=platform.os if platform is not None else "linux")
            first = next(events, None)
        except Exception as err:
            raise image_error(err) from None
        if first is None:
            return
        try:
            yield first.to_json()
            for event in events:
                yield event.to_json()
                await asyncio.sleep(0)
            self.events.image(ref.familiar_string, ref.familiar, "pull",
                              labels_of(find_image(self.images, str(ref))))
        except ImageError as err:
            raise image_error(err) from None
        finally:
            events.close()  # a client that left: the sim pull drops its layer reference now

    # -- views ---------------------------------------------------------------
    def list_images(self, all: bool = False, filters: str = "", *, shared_size: bool = False,
                    container_count: bool = False, legacy_filter: str = "") -> list:
        """``GET /images/json`` (moby's ``Images``): summaries newest
        first.  ``filters`` is the raw JSON parameter; ``legacy_filter``
        the ``filter`` parameter of API versions before 1.41 (one more
        ``reference`` pattern).  ``SharedSize`` and ``Containers`` are -1
        unless asked for (``shared-size=1``; system df asks for both)."""
        f = parse_filters(filters, LIST_FILTERS, reference=legacy_filter)
        dangling_only = _bool_filter(f, "dangling", False)
        before = since = None
        for value in f.get("before"):
            created = _created(self._image(value))
            if created is not None and (before is None or before > created):
                before = created
        for value in f.get("until"):
            t = _time_filter(value, self.clock.now())
            if before is None or before > t:
                before = t
        for value in f.get("since"):
            created = _created(self._image(value))
            if created is not None and (since is None or since < created):
                since = created
        patterns = f.get("reference")
        counts: "dict[str, int]" = {}
        if container_count:
            for c in self.records:
                counts[c.image_id] = counts.get(c.image_id, 0) + 1
        out = []
        for img in self.images.images():
            if dangling_only and self.images.children(img.id):
                continue
            created = _created(img)
            if before is not None and (created is None or not created < before):
                continue
            if since is not None and (created is None or not created > since):
                continue
            config = img.config.get("config")
            if f.contains("label") and (config is None or not f.match_kv_list("label", config.get("Labels"))):
                continue
            tags, digests = [], []
            refs = sorted(self.images.references(img.id), key=lambda r: str(refmod.parse(r)))
            for ref_text in refs:
                if f.contains("reference") and not any(_familiar_match(p, ref_text) for p in patterns):
                    continue
                (digests if "@" in ref_text else tags).append(ref_text)
            if not tags and not digests:
                if all or not self.images.children(img.id):
                    if f.contains("dangling") and not dangling_only:
                        continue
                    if f.contains("reference"):
                        continue
                else:
                    continue
            elif dangling_only and tags:
                continue
            out.append(self._summary(img, tags, digests, counts.get(img.id, 0) if container_count else -1))
        if shared_size:
            self._shared_sizes(out)
        out.sort(key=lambda i: i["Created"], reverse=True)
        return out

    def _summary(self, img, tags: list, digests: list, containers: int) -> dict:
        """moby's ``image.Summary``, keys in its order."""
        config = img.config.get("config")
        created = _created(img)
        return {
            "Containers": containers,
            "Created": int(created) if created is not None else 0,
            "Id": img.id,
            "Labels": config.get("Labels") if isinstance(config, dict) else None,
            "ParentId": img.parent or "",
            "RepoDigests": digests,
            "RepoTags": tags,
            "SharedSize": -1,
            "Size": self.images.size(img.id),
        }

    def _layer_refs(self, only_top: bool) -> "dict[str, int]":
        """How many images use each layer (chain id).  ``only_top``: skip
        untagged images with children (build intermediates)."""
        refs: "dict[str, int]" = {}
        for img in self.images.images():
            if only_top and not self.images.references(img.id) and self.images.children(img.id):
                continue
            for chain_id in img.chain_ids:
                refs[chain_id] = refs.get(chain_id, 0) + 1
        return refs

    def _shared_sizes(self, summaries: list) -> None:
        """``SharedSize``: the bytes of an image's layers that another
        image uses too."""
        refs = self._layer_refs(only_top=False)
        for summary in summaries:
            img = self.images.get(summary["Id"])
            summary["SharedSize"] = sum(self.layers.get(c).size for c in img.chain_ids
                                        if refs.get(c, 0) > 1 and c in self.layers)

    def layers_size(self) -> int:
        """``LayersSize`` of system df: every layer of a listed image,
        counted once however many images share it."""
        refs = self._layer_refs(only_top=True)
        return sum(layer.size for layer in self.layers.layers() if layer.chain_id in refs)

    # -- prune -----------------------------------------------------------------
    def prune_images(self, filters: str = "") -> dict:
        """``docker image prune`` (moby's ``ImagesPrune``)."""
        f = parse_filters(filters, PRUNE_FILTERS)
        dangling_only = _bool_filter(f, "dangling", True)
        until = None
        if f.contains("until"):
            values = f.get("until")
            if len(values) > 1:
                raise SystemError("more than one until filter specified")
            until = _time_filter(values[0], self.clock.now())
        sizes = {layer.chain_id: layer.size for layer in self.layers.layers()}
        candidates = []
        for img in self.images.images():
            children = self.images.children(img.id)
            if dangling_only and children:
                continue
            if not self.images.references(img.id) and children:
                continue
            created = _created(img)
            if until is not None and (created is None or created > until):
                continue
            config = img.config.get("config")
            if isinstance(config, dict) and not prune_labels_match(f, config.get("Labels")):
                continue
            candidates.append(img.id)
        deleted: list = []
        for image_id in candidates:
            if image_id not in self.images:
                continue  # went with an earlier one (a pruned parent)
            refs = self.images.references(image_id)
            if refs:
                if dangling_only and any("@" not in r for r in refs):
                    continue
                for ref_text in refs:
                    deleted += self._prune_delete(str(refmod.parse(ref_text)))
            else:
                deleted += self._prune_delete(image_id.split(":", 1)[1])
        reclaimed = sum(sizes.get(item["Deleted"], 0) for item in deleted if "Deleted" in item)
        self.events.emit("image", "prune", "", {"reclaimed": str(reclaimed)})
        return {"ImagesDeleted": deleted or None, "SpaceReclaimed": reclaimed}

    def _prune_delete(self, name: str) -> list:
        """One ``ImageDelete`` of prune: a conflict (an image in use) skips it."""
        try:
            return self.delete_logged(name, force=False, prune=True)
        except ImageConflict:
            return []
        except ImageError as err:
            log.warning("failed to prune image %s: %s", name, err)
            return []

    def inspect_image(self, name: str, api_version: str = API_VERSION) -> dict:
        """``GET /images/{name}/json`` as moby 28 answers each API version:
        ``Config`` in the OCI image-config shape from 1.50 on (the legacy
        container.Config shape before), ``Container`` and
        ``ContainerConfig`` only before 1.45, ``VirtualSize`` before 1.44."""
        img = self._image(name)
        cfg = img.config
        config = img.container_config
        out = {
            "Id": img.id,
            "RepoTags": self.images.tags(img.id),
            "RepoDigests": self.images.repo_digests(img.id),
            "Parent": img.parent or "",
            "Comment": cfg.get("comment") or ((cfg.get("history") or [{}])[-1].get("comment") or ""),
            "Created": img.created,
        }
        if version_less(api_version, "1.45"):
            out["Container"] = cfg.get("container", "")
            out["ContainerConfig"] = legacy_container_config(cfg.get("container_config") or {})
        out.update({
            "DockerVersion": cfg.get("docker_version", ""),
            "Author": cfg.get("author", ""),
            "Config": (oci_image_config(config) if not version_less(api_version, "1.50")
                       else legacy_container_config(oci_image_config(config))),
            "Architecture": cfg.get("architecture", "amd64"),
        })
        if cfg.get("variant"):
            out["Variant"] = cfg["variant"]
        out["Os"] = cfg.get("os", "linux")
        out["Size"] = self.images.size(img.id)
        if version_less(api_version, "1.44"):
            out["VirtualSize"] = out["Size"]
        out.update({
            "GraphDriver": {"Data": self._image_driver_data(img), "Name": "overlay2"},
            "RootFS": {"Type": "layers", "Layers": img.diff_ids},
            "Metadata": {"LastTagTime": rfc3339(img.last_tag_time)},
        })
        return out

    def _image_driver_data(self, img) -> "dict | None":
        """overlay2's GraphDriver.Data for an image: its top layer's
        directories, the lower layers' diffs (nearest first) as LowerDir,
        keys sorted as Go encodes a map.  Null for an image without layers,
        as dockerd (no layer, no metadata)."""
        if not img.chain_ids:
            return None
        root = self.data_root or "/var/lib/docker"
        dirs = [f"{root}/overlay2/{chain_id.split(':', 1)[-1]}" for chain_id in img.chain_ids]
        top = dirs[-1]
        data = {"MergedDir": f"{top}/merged", "UpperDir": f"{top}/diff", "WorkDir": f"{top}/work"}
        if len(dirs) > 1:
            data["LowerDir"] = ":".join(f"{d}/diff" for d in reversed(dirs[:-1]))
        return dict(sorted(data.items()))

    def image_history(self, name: str) -> list:
        """``docker history``: one row per config history entry, newest
        first; a non-empty entry's size is its layer's.  Ids and tags are
        filled in walking the parent chain, as moby does: the newest row is
        the image, the next its parent (a build step), and so on until an
        image has no parent (pulled ones have none); the rest are
        ``<missing>``."""
        img = self._image(name)
        layer_sizes = [self.layers.get(chain_id).size for chain_id in img.chain_ids]
        rows = []
        layer_index = 0
        for entry in img.config.get("history") or []:
            empty = bool(entry.get("empty_layer"))
            size = 0
            if not empty and layer_index < len(layer_sizes):
                size = layer_sizes[layer_index]
                layer_index += 1
            rows.append({"Id": "<missing>", "Created": int(parse_created(entry.get("created", ""))),
                         "CreatedBy": entry.get("created_by", ""), "Tags": None, "Size": size,
                         "Comment": entry.get("comment", "")})
        rows.reverse()
        current = img
        for row in rows:
            row["Id"] = current.id
            row["Tags"] = self.images.tags(current.id) or None
            if not current.parent or current.parent not in self.images:
                break
            current = self.images.get(current.parent)
        return rows

    # -- tags and removal ----------------------------------------------------
    def tag_image(self, name: str, repo: str, tag: str = "") -> None:
        img = self._image(name)
        if not repo:
            raise InvalidParameter("repository name must have at least one component")
        text = f"{repo}:{tag}" if tag else repo
        try:
            self.tag_reference(img.id, refmod.parse(text))
        except Exception as err:
            raise image_error(err) from None

    def tag_reference(self, image_id: str, ref) -> None:
        """moby's ``TagImage``: the reference (a bare name: ``:latest``)
        now names the image, and a ``tag`` event says so."""
        self.images.tag(image_id, ref)
        self.events.image(image_id, ref.with_default_tag().familiar_string, "tag",
                          labels_of(self.images.get(image_id)))

    def remove_image(self, name: str, force: bool = False, noprune: bool = False) -> list:
        try:
            return self.delete_logged(name, force=force, prune=not noprune)
        except Exception as err:
            raise image_error(err) from None

    def delete_logged(self, name: str, *, force: bool, prune: bool) -> list:
        """The image store's delete, and its events as moby's
        ``ImageDelete`` logs them: ``untag`` for each reference removed
        (the image's labels, ``name`` its id), ``delete`` for each image
        removed (no labels left), in the order of the records."""
        target = find_image(self.images, name)
        before = {img.id: img for img in self.images.images()}
        records = self.images.delete(name, force=force, prune=prune,
                                     containers_using=self.records.using_image)
        for record in records:
            if "Untagged" in record and target is not None:
                self.events.image(target.id, target.id, "untag", labels_of(target))
            elif record.get("Deleted") in before:
                self.events.image(record["Deleted"], record["Deleted"], "delete")
        return records


#: The OCI image config's fields (moby's DockerOCIImageConfig), in the
#: order Go writes them, each left out when empty.
_OCI_CONFIG_FIELDS = ("User", "ExposedPorts", "Env", "Entrypoint", "Cmd", "Volumes", "WorkingDir",
                      "Labels", "StopSignal", "ArgsEscaped", "Healthcheck", "OnBuild", "Shell")


def oci_image_config(config: dict) -> dict:
    """An image's stored container config as the OCI image config moby 28
    shows (``containerConfigToDockerOCIImageConfig``): the image-level
    fields only, empty ones left out."""
    return {k: config[k] for k in _OCI_CONFIG_FIELDS if config.get(k)}


def legacy_container_config(config: dict) -> dict:
    """The container.Config shape (every field Go does not omit) that API
    versions before 1.50 get (moby's ``dockerOCIImageConfigToContainerConfig``)."""
    out = {"Hostname": config.get("Hostname", ""), "Domainname": config.get("Domainname", ""),
           "User": config.get("User", ""), "AttachStdin": bool(config.get("AttachStdin")),
           "AttachStdout": bool(config.get("AttachStdout")),
           "AttachStderr": bool(config.get("AttachStderr"))}
    if config.get("ExposedPorts"):
        out["ExposedPorts"] = config["ExposedPorts"]
    out.update({"Tty": bool(config.get("Tty")), "OpenStdin": bool(config.get("OpenStdin")),
                "StdinOnce": bool(config.get("StdinOnce")), "Env": config.get("Env") or None,
                "Cmd": config.get("Cmd") or None})
    if config.get("Healthcheck"):
        out["Healthcheck"] = config["Healthcheck"]
    if config.get("ArgsEscaped"):
        out["ArgsEscaped"] = True
    out.update({"Image": config.get("Image", ""), "Volumes": config.get("Volumes") or None,
                "WorkingDir": config.get("WorkingDir", ""),
                "Entrypoint": config.get("Entrypoint") or None,
                "OnBuild": config.get("OnBuild") or None, "Labels": config.get("Labels") or None})
    for key in ("StopSignal", "StopTimeout", "Shell"):
        if config.get(key):
            out[key] = config[key]
    return out
