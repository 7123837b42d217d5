"""``docker system df`` (moby's ``getDiskUsage`` and ``daemon/disk_usage.go``).

The answer (the API's old ``types.DiskUsage``)::

    {"LayersSize": <bytes of every layer of a listed image, each once>,
     "Images": [image summaries with SharedSize and Containers counted],
     "Containers": [container summaries of every container, with SizeRw
                    and SizeRootFs],
     "Volumes": [volumes with UsageData {Size, RefCount}], "BuildCache": []}

The ``type`` parameter (API 1.42 and later; repeatable: ``container``,
``image``, ``volume``, ``build-cache``) limits what is computed; what is
left out is null (``LayersSize`` 0).  An unknown type is a 400 ``unknown
object type: x``.  dockersim has no build cache yet, so that is always
empty.
"""

from ..errors import InvalidParameter
from ..support import version_less

OBJECT_TYPES = ("container", "image", "volume", "build-cache")


class DiskUsage:
    """What ``GET /system/df`` reads: images (`ImageService`) and the
    container views."""

    def __init__(self, imageservice, views, volumes=None):
        self.imageservice = imageservice
        self.views = views
        self.volumes = volumes

    def disk_usage(self, types: "list[str] | None" = None, api_version: str = "1.50") -> dict:
        wanted = set(OBJECT_TYPES)
        if types is not None and not version_less(api_version, "1.42"):
            wanted = set()
            for kind in types:
                if kind not in OBJECT_TYPES:
                    raise InvalidParameter(f"unknown object type: {kind}")
                wanted.add(kind)
        out = {"LayersSize": 0, "Images": None, "Containers": None, "Volumes": None, "BuildCache": None}
        if "image" in wanted:
            out["LayersSize"] = self.imageservice.layers_size()
            out["Images"] = self.imageservice.list_images(shared_size=True, container_count=True)
            if version_less(api_version, "1.44"):
                for summary in out["Images"]:
                    summary["VirtualSize"] = summary["Size"]
        if "container" in wanted:
            out["Containers"] = self.views.list_containers(all=True, size=True)
        if "volume" in wanted:
            out["Volumes"] = self.volumes.disk_usage() if self.volumes is not None else []
        if "build-cache" in wanted:
            out["BuildCache"] = []
        return out
