"""Images in the simulated world: references, the layer store (DiffID,
ChainID, refcounts), the image store (id = digest of the config), the
simulated Docker Hub with its generated catalog and accounts, pull and
push.

Public API (see each module):

- `reference`: `parse`, `parse_tagged`, `parse_repo_tag`, `parse_any`, `Reference`
- `layer_store`: `LayerStore`, `Layer`
- `image_store`: `ImageStore`, `Image`, `ContainerUse`
- `hub`: `Hub`, `Manifest`, `Repository`, `Account`, `Registry` (a
  caller's session); `catalog`: the built-in images, `host_rootfs_tar()`
- `progress`: `Progress`, `render_bar`, `human_size`; `pull`: `pull`;
  `push`: `push`, `Credentials`; `v2metadata`: `V2MetadataService`
- `errors`: `ImageError` and its kinds
"""

from .catalog import host_rootfs_tar
from .errors import (
    AccessDenied,
    BlobUnknown,
    ImageConflict,
    ImageError,
    ImageNotFound,
    IncorrectCredentials,
    InvalidReference,
    LayerNotFound,
    ManifestUnknown,
    PushError,
    RegistryUnavailable,
    RepositoryNotFound,
)
from .hub import Account, Hub, Manifest, Registry, Repository
from .image_store import ContainerUse, Image, ImageStore
from .layer_store import Layer, LayerStore
from .progress import Progress, human_size, render_bar
from .pull import pull
from .push import Credentials, push
from .reference import Reference, parse, parse_any, parse_repo_tag, parse_tagged
from .v2metadata import V2Metadata, V2MetadataService

__all__ = [
    "AccessDenied", "Account", "BlobUnknown", "ContainerUse", "Credentials", "IncorrectCredentials",
    "PushError", "Registry", "V2Metadata", "V2MetadataService", "push", "Hub", "Image", "ImageConflict", "ImageError", "ImageNotFound",
    "ImageStore", "InvalidReference", "Layer", "LayerNotFound", "LayerStore", "Manifest",
    "ManifestUnknown", "Progress", "Reference", "RegistryUnavailable", "Repository",
    "RepositoryNotFound", "host_rootfs_tar", "human_size", "parse", "parse_any", "parse_repo_tag",
    "parse_tagged", "pull", "render_bar",
]
