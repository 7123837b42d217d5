"""Images: pull, list, inspect, history, tag, remove (moby's
daemon/images/ and distribution/pull).  The layer store, the image store and
the Hub are the sim's; this module turns them into Docker's shapes."""

import asyncio

from ...sim.images import reference as refmod
from ...sim.images.errors import (ImageConflict, ImageNotFound, InvalidReference,
                                  ManifestUnknown, RegistryUnavailable, RepositoryNotFound)
from ...sim.images.image_store import parse_created
from ...sim.images.pull import pull as sim_pull
from ..errors import Conflict, InvalidParameter, NotFound
from .container import rfc3339


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
    return err


class ImageService:
    """Images: pull, list, inspect, history, tag, remove."""

    def __init__(self, images, layers, hub, runtime, records, clock, data_root):
        self.images = images
        self.layers = layers
        self.hub = hub
        self.runtime = runtime
        self.records = records
        self.clock = clock
        self.data_root = data_root

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

    async def pull(self, ref_text: str):
        """Yield the pull's JSON messages.  Errors found before the first
        message (unknown repository or tag) raise, so they become an HTTP
        status; later ones raise from inside the iteration."""
        try:
            ref = refmod.parse(ref_text)
            events = iter(sim_pull(ref, self.hub, self.layers, self.images, self.clock))
            first = next(events, None)
        except Exception as err:
            raise image_error(err) from None
        if first is None:
            return
        yield first.to_json()
        for event in events:
            yield event.to_json()
            await asyncio.sleep(0)

    # -- views ---------------------------------------------------------------
    def list_images(self, all: bool = False, filters: "dict | None" = None) -> list:
        counts = {}
        for c in self.records:
            counts[c.image_id] = counts.get(c.image_id, 0) + 1
        out = []
        for img in self.images.list(all=all):
            out.append({
                "Id": img.id,
                "ParentId": img.parent or "",
                "RepoTags": self.images.tags(img.id),
                "RepoDigests": self.images.repo_digests(img.id),
                "Created": img.created_unix,
                "Size": self.images.size(img.id),
                "SharedSize": -1,
                "Labels": img.container_config.get("Labels") or {},
                "Containers": counts.get(img.id, 0),
            })
        return sorted(out, key=lambda i: i["Created"], reverse=True)

    def inspect_image(self, name: str) -> dict:
        img = self._image(name)
        cfg = img.config
        return {
            "Id": img.id,
            "RepoTags": self.images.tags(img.id),
            "RepoDigests": self.images.repo_digests(img.id),
            "Parent": img.parent or "",
            "Comment": cfg.get("comment", ""),
            "Created": img.created,
            "DockerVersion": cfg.get("docker_version", ""),
            "Author": cfg.get("author", ""),
            "Config": img.container_config,
            "Architecture": cfg.get("architecture", "amd64"),
            "Os": cfg.get("os", "linux"),
            "Size": self.images.size(img.id),
            "GraphDriver": {"Data": self._image_driver_data(img), "Name": "overlay2"},
            "RootFS": {"Type": "layers", "Layers": img.diff_ids},
            "Metadata": {"LastTagTime": rfc3339(img.last_tag_time)},
        }

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
        first; a non-empty entry's size is its layer's."""
        img = self._image(name)
        layer_sizes = []
        for chain_id in img.chain_ids:
            layer_sizes.append(self.layers.get(chain_id).size)
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
        if rows:
            rows[0]["Id"] = img.id
            rows[0]["Tags"] = self.images.tags(img.id) or None
        return rows

    # -- tags and removal ----------------------------------------------------
    def tag_image(self, name: str, repo: str, tag: str = "") -> None:
        img = self._image(name)
        if not repo:
            raise InvalidParameter("repository name must have at least one component")
        text = f"{repo}:{tag}" if tag else repo
        try:
            ref = refmod.parse(text)
            self.images.tag(img.id, ref)
        except Exception as err:
            raise image_error(err) from None

    def remove_image(self, name: str, force: bool = False, noprune: bool = False) -> list:
        try:
            records = self.images.delete(name, force=force, prune=not noprune,
                                         containers_using=self.records.using_image)
        except Exception as err:
            raise image_error(err) from None
        self.runtime.forget_deleted_layers()
        return records
