"""Making an image from a parent image and a filesystem diff: moby's
``image.NewChildImage``, ``ImageService.CommitImage`` /
``CommitBuildStep`` / ``CreateImage`` (daemon/images/image_commit.go,
image_builder.go) and ``docker commit`` (daemon/commit.go,
``CreateImageFromContainer``).

The image config is an ``image.Image`` value marshalled through the Go
types of `sim.images.goconfig` (as ``docker load``/``import`` write
theirs): top-level keys sorted (``Image.MarshalJSON`` re-marshals through
a map), ``config`` and ``container_config`` as complete
``container.Config`` structs in their field order, ``history`` entries as
``ocispec.History``.  Its id is the sha256 of those bytes.

A child image is its parent's config with:

- ``rootfs.diff_ids`` plus the new layer, unless the diff is Docker's empty
  layer (1024 zero bytes, `EMPTY_LAYER_DIFF_ID`): then no layer and an
  ``empty_layer`` history entry;
- ``history`` plus one entry: ``created`` now, ``created_by`` the
  container config's Cmd joined by spaces, ``author``, ``comment``;
- ``container`` (the committed container's id), ``container_config``,
  ``config``, ``author``, ``docker_version``, ``os``; ``architecture``,
  ``variant``, ``os.version``, ``os.features`` from the parent.

The parent is not in the config: the image store records it (``docker
history`` and the build cache walk it).  Images made here are "built
locally" (moby's ``SetBuiltLocally``), which the build cache requires of
a cached step; for images with a parent that is implied, the parentless
ones (``FROM scratch`` steps) are listed in the store.
"""

import json

from ...sim.golang.json import Decoder, JSONError, TimeType, from_py, marshal_value
from ...sim.images.errors import ImageNotFound, InvalidReference
from ...sim.images.goconfig import CONTAINER_CONFIG, IMAGE, marshal_image
from ...sim.images import reference as refmod
from ..errors import Conflict, InvalidParameter, NotFound
from ..support import ENGINE_VERSION
from .container import rfc3339
from .create import check_create_body
from .events import NO_EVENTS, labels_of

#: moby's ``layer.DigestSHA256EmptyTar``: a tar of two zero blocks.
EMPTY_TAR = bytes(1024)
BUILT_LOCALLY_KEY = "image/built-locally.json"


def go_value(data, go_type):
    """Plain data as the Go value of ``go_type`` (what ``json.Unmarshal``
    of its JSON gives).  Raises JSONError for a value of the wrong type."""
    d = Decoder()
    value = d.decode(from_py(data), go_type)
    if d.saved is not None:
        raise JSONError(d.saved)
    return value


def go_config(value) -> dict:
    """A ``container.Config`` as Go marshals it, as plain data: every field
    in struct order, the ``omitempty`` ones (``ExposedPorts``,
    ``Healthcheck``, ``ArgsEscaped``, ``NetworkDisabled``, ``MacAddress``,
    ``StopSignal``, ``StopTimeout``, ``Shell``) only when set; nil lists
    and maps as None; a string Cmd or Entrypoint as a list (StrSlice)."""
    return json.loads(marshal_value(go_value(value or {}, CONTAINER_CONFIG), CONTAINER_CONFIG))


def copy_config(config: dict) -> dict:
    """moby's ``copyRunConfig``: a deep enough copy to mutate."""
    out = dict(config)
    for key in ("Cmd", "Env", "Entrypoint", "OnBuild", "Shell"):
        if out.get(key) is not None:
            out[key] = list(out[key])
    for key in ("Volumes", "ExposedPorts", "Labels"):
        if out.get(key) is not None:
            out[key] = dict(out[key])
    if out.get("Healthcheck") is not None:
        out["Healthcheck"] = dict(out["Healthcheck"])
    return out


def child_image(parent: "dict | None", *, diff_id: "str | None", created: str, created_by: str,
                config: dict, container_config: dict, container_id: str = "", author: str = "",
                comment: str = "", os_name: str = "", default_arch: str = "amd64") -> bytes:
    """moby's ``NewChildImage``, marshalled (``Image.MarshalJSON``): the
    config bytes of a child of the image whose config is ``parent`` (plain
    data; None for none).  ``diff_id`` is None when the step changed no
    file; ``created`` is RFC 3339.  As moby's, the image's own
    ``comment`` stays empty: the comment is the history entry's (image
    inspect shows it from there)."""
    base = go_value(parent or {}, IMAGE)
    rootfs = base["rootfs"] or {"type": "layers", "diff_ids": None}
    diff_ids = list(rootfs["diff_ids"] or [])
    if diff_id is not None:
        diff_ids.append(diff_id)
    when = go_value(created, TimeType())
    entry = {"created": when, "created_by": created_by, "author": author, "comment": comment,
             "empty_layer": diff_id is None}
    child = Decoder().zero(IMAGE)
    child.update({
        "docker_version": ENGINE_VERSION, "config": go_value(config, CONTAINER_CONFIG),
        "architecture": base["architecture"] or default_arch, "variant": base["variant"],
        "os": os_name or base["os"] or "linux", "container": container_id,
        "container_config": go_value(container_config, CONTAINER_CONFIG), "author": author,
        "created": when,
        "rootfs": {"type": rootfs["type"], "diff_ids": diff_ids},
        "history": list(base["history"] or []) + [entry],
        "os.features": base["os.features"], "os.version": base["os.version"],
    })
    return marshal_image(child)


class ImageCommitter:
    """The one image-creation step the builder (every step) and ``POST
    /commit`` share."""

    events = NO_EVENTS

    def __init__(self, images, layers, store, clock, arch: str = "amd64"):
        self.images = images
        self.layers = layers
        self.store = store
        self.clock = clock
        self.arch = arch
        self._local = set(store.get_json(BUILT_LOCALLY_KEY) or [])

    def commit(self, parent, diff: "bytes | None", *, config: dict, container_config: dict,
               container_id: str = "", author: str = "", comment: str = "",
               os_name: str = "", parent_doc: "dict | None" = None):
        """Register ``diff`` on ``parent``'s layers (nothing when it is
        empty), store the child image and record its parent.  ``parent``
        is an `Image` or None; ``parent_doc`` overrides its config (the
        scratch image's platform).  Returns the new `Image`."""
        empty = diff is None or diff == EMPTY_TAR
        layer = None
        if not empty:
            layer = self.layers.register(diff, parent.top_chain_id if parent is not None else None)
        try:
            data = child_image(parent_doc if parent_doc is not None else (parent.config if parent else None),
                               diff_id=None if layer is None else layer.diff_id,
                               created=rfc3339(self.clock.now()),
                               created_by=" ".join(container_config.get("Cmd") or []),
                               config=config, container_config=container_config,
                               container_id=container_id, author=author, comment=comment,
                               os_name=os_name, default_arch=self.arch)
            img = self.images.create(data, parent=parent.id if parent is not None else None)
            self.events.image(img.id, img.id, "create", labels_of(img))
        finally:
            if layer is not None:
                self.layers.release(layer.chain_id)
        if parent is None and img.id not in self._local:
            self._local.add(img.id)
            self.store.put_json(BUILT_LOCALLY_KEY, sorted(i for i in self._local if i in self.images))
        return img

    def built_locally(self, img) -> bool:
        """moby's ``IsBuiltLocally``: made by a commit or a build step."""
        return img.parent is not None or img.id in self._local


# -- docker commit ---------------------------------------------------------------------

def merge_configs(user: dict, image: dict) -> dict:
    """moby's ``merge`` (daemon/commit.go): fill what ``user`` (a Go-shaped
    config, changed in place and returned) leaves empty from ``image``."""
    if not user["User"]:
        user["User"] = image["User"]
    if not user.get("ExposedPorts"):
        if image.get("ExposedPorts"):
            user["ExposedPorts"] = dict(image["ExposedPorts"])
    elif image.get("ExposedPorts"):
        for port in image["ExposedPorts"]:
            user["ExposedPorts"].setdefault(port, {})
    if not user["Env"]:
        user["Env"] = image["Env"]
    else:
        keys = {e.partition("=")[0] for e in user["Env"]}
        for env in image["Env"] or []:
            if env.partition("=")[0] not in keys:
                user["Env"].append(env)
    if user["Labels"] is None:
        user["Labels"] = {}
    for key, value in (image["Labels"] or {}).items():
        user["Labels"].setdefault(key, value)
    if not user["Entrypoint"]:
        if not user["Cmd"]:
            user["Cmd"] = image["Cmd"]
        if user["Entrypoint"] is None:
            user["Entrypoint"] = image["Entrypoint"]
    if image.get("Healthcheck") is not None:
        if user.get("Healthcheck") is None:
            user["Healthcheck"] = dict(image["Healthcheck"])
        else:
            for key in ("Test", "Interval", "Timeout", "StartPeriod", "StartInterval", "Retries"):
                if not user["Healthcheck"].get(key) and image["Healthcheck"].get(key):
                    user["Healthcheck"][key] = image["Healthcheck"][key]
    if not user["WorkingDir"]:
        user["WorkingDir"] = image["WorkingDir"]
    if not user["Volumes"]:
        user["Volumes"] = image["Volumes"]
    else:
        for key in image["Volumes"] or {}:
            user["Volumes"][key] = {}
    if not user.get("StopSignal") and image.get("StopSignal"):
        user["StopSignal"] = image["StopSignal"]
    return go_config(user)


def repo_tag_reference(repo: str, tag: str):
    """moby's ``httputils.RepoTagReference``: None without a repo; a
    digest is refused; the tag defaults to ``latest``."""
    if not repo:
        return None
    try:
        ref = refmod.parse(repo)
        if ref.digest is not None:
            raise InvalidParameter("cannot import digest reference")
        return ref.with_tag(tag) if tag else ref.with_default_tag()
    except InvalidReference as err:
        raise InvalidParameter(str(err)) from None


class Committer:
    """``POST /commit``: a container's changes as a new image."""

    events = NO_EVENTS

    def __init__(self, committer: ImageCommitter, records, files, images):
        self.committer = committer
        self.records = records
        self.files = files
        self.images = images

    def commit_container(self, ref: str, *, repo: str = "", tag: str = "", author: str = "",
                         comment: str = "", pause: bool = True, changes=(), config=None) -> str:
        from .build.dispatch import build_from_config  # the builder's dispatchers

        if config is not None:  # moby decodes the body into a CreateRequest, as create does
            config = check_create_body(config)
        target = repo_tag_reference(repo, tag)
        container = self.records.resolve(ref)
        status = container.state.status
        if status == "dead":
            raise Conflict(f"You cannot commit container {container.id} which is Dead")
        if status == "removing":
            raise Conflict(f"You cannot commit container {container.id} which is being removed")
        # The simulation runs nothing while this method does: the container
        # is as still as a paused one, whatever ``pause`` says.
        container_config = go_config(container.config)
        base = go_config(config) if config is not None else container_config
        new_config = build_from_config(base, list(changes or ()))
        new_config = merge_configs(new_config, container_config)
        parent = None
        if container.image_id:
            try:
                parent = self.images.get(container.image_id)
            except ImageNotFound:
                raise NotFound(f"No such image: {container.image_id}") from None
        diff = self.files.rootfs(container, with_mounts=False).diff_tar()
        img = self.committer.commit(parent, diff, config=new_config,
                                    container_config=container_config, container_id=container.id,
                                    author=author, comment=comment, os_name="linux")
        if target is not None:
            self.images.tag(img.id, target)
            self.events.image(img.id, target.familiar_string, "tag", labels_of(img))
        self.events.container(container, "commit", comment=comment, imageID=img.id,
                              imageRef=target.familiar_string if target is not None else "")
        return img.id
