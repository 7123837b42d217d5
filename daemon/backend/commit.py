"""Making an image from a parent image and a filesystem diff: moby's
``image.NewChildImage``, ``ImageService.CommitImage`` /
``CommitBuildStep`` / ``CreateImage`` (daemon/images/image_commit.go,
image_builder.go) and ``docker commit`` (daemon/commit.go,
``CreateImageFromContainer``).

The image config is written the way Go marshals moby's ``image.Image``:
top-level keys sorted (``Image.MarshalJSON`` re-marshals through a map),
``config`` and ``container_config`` as complete ``container.Config``
structs in their field order (``omitempty`` where the struct says so, maps
with sorted keys, ``<``/``>``/``&`` escaped), ``history`` entries as
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
import re

from ...sim.images.errors import ImageNotFound, InvalidReference
from ...sim.images import reference as refmod
from ..errors import Conflict, InvalidParameter, NotFound
from ..support import ENGINE_VERSION
from .container import rfc3339

#: moby's ``layer.DigestSHA256EmptyTar``: a tar of two zero blocks.
EMPTY_TAR = bytes(1024)
BUILT_LOCALLY_KEY = "image/built-locally.json"


# -- Go's encoding/json ----------------------------------------------------------

_HTML = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_HTML_RE = re.compile("[<>&\u2028\u2029]")


def go_json(obj) -> bytes:
    """``json.Marshal``'s bytes for plain data: compact, non-ASCII kept,
    ``<``, ``>``, ``&``, U+2028 and U+2029 escaped; key order as given.
    Strings holding raw bytes (surrogate-escaped) become U+FFFD, as Go
    replaces invalid UTF-8."""
    text = json.dumps(obj, separators=(",", ":"), ensure_ascii=False)
    text = _HTML_RE.sub(lambda m: _HTML[m.group(0)], text)
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace").encode("utf-8")


def strslice(value) -> "list | None":
    """moby's ``strslice.StrSlice``: a JSON string is a one-element list,
    null stays nil (None), a list is kept (an empty one too)."""
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def _string_list(value) -> "list | None":
    return None if value is None else [str(v) for v in value]


def _set(value) -> "dict | None":
    """A ``map[string]struct{}`` (ExposedPorts, Volumes): keys sorted as Go
    marshals a map; nil stays None, an empty map stays ``{}``."""
    if value is None:
        return None
    return {k: {} for k in sorted(value)}


def go_health(value) -> "dict | None":
    """``container.HealthConfig`` (every field ``omitempty``)."""
    if value is None:
        return None
    out = {}
    if value.get("Test"):
        out["Test"] = [str(t) for t in value["Test"]]
    for key in ("Interval", "Timeout", "StartPeriod", "StartInterval", "Retries"):
        if value.get(key):
            out[key] = int(value[key])
    return out


def go_config(value) -> dict:
    """A ``container.Config`` as Go marshals it: every field in struct
    order; ``ExposedPorts``, ``Healthcheck``, ``ArgsEscaped``,
    ``NetworkDisabled``, ``MacAddress``, ``StopSignal``, ``StopTimeout``
    and ``Shell`` only when set; nil lists and maps as null."""
    c = value or {}
    out = {
        "Hostname": str(c.get("Hostname") or ""),
        "Domainname": str(c.get("Domainname") or ""),
        "User": str(c.get("User") or ""),
        "AttachStdin": bool(c.get("AttachStdin")),
        "AttachStdout": bool(c.get("AttachStdout")),
        "AttachStderr": bool(c.get("AttachStderr")),
    }
    if c.get("ExposedPorts"):
        out["ExposedPorts"] = _set(c["ExposedPorts"])
    out["Tty"] = bool(c.get("Tty"))
    out["OpenStdin"] = bool(c.get("OpenStdin"))
    out["StdinOnce"] = bool(c.get("StdinOnce"))
    out["Env"] = _string_list(c.get("Env"))
    out["Cmd"] = strslice(c.get("Cmd"))
    if c.get("Healthcheck") is not None:
        out["Healthcheck"] = go_health(c["Healthcheck"])
    if c.get("ArgsEscaped"):
        out["ArgsEscaped"] = True
    out["Image"] = str(c.get("Image") or "")
    out["Volumes"] = _set(c.get("Volumes"))
    out["WorkingDir"] = str(c.get("WorkingDir") or "")
    out["Entrypoint"] = strslice(c.get("Entrypoint"))
    if c.get("NetworkDisabled"):
        out["NetworkDisabled"] = True
    if c.get("MacAddress"):
        out["MacAddress"] = str(c["MacAddress"])
    out["OnBuild"] = _string_list(c.get("OnBuild"))
    labels = c.get("Labels")
    out["Labels"] = None if labels is None else {k: str(labels[k]) for k in sorted(labels)}
    if c.get("StopSignal"):
        out["StopSignal"] = str(c["StopSignal"])
    if c.get("StopTimeout") is not None:
        out["StopTimeout"] = int(c["StopTimeout"])
    if c.get("Shell"):
        out["Shell"] = strslice(c["Shell"])
    return out


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


_TIME_RE = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$")


def go_time(text: str) -> str:
    """An RFC 3339 time re-marshalled as Go does (RFC3339Nano: the
    fraction without trailing zeros, the zone kept)."""
    m = _TIME_RE.match(text or "")
    if not m:
        return text
    frac = (m.group(2) or "")[:9].rstrip("0")
    return m.group(1) + ("." + frac if frac else "") + m.group(3)


def go_history(entry: dict) -> dict:
    """One ``ocispec.History`` entry (every field ``omitempty``)."""
    out = {}
    if entry.get("created"):
        out["created"] = go_time(entry["created"])
    for key in ("created_by", "author", "comment"):
        if entry.get(key):
            out[key] = str(entry[key])
    if entry.get("empty_layer"):
        out["empty_layer"] = True
    return out


def child_image(parent: "dict | None", *, diff_id: "str | None", created: str, created_by: str,
                config: dict, container_config: dict, container_id: str = "", author: str = "",
                comment: str = "", os_name: str = "", default_arch: str = "amd64") -> dict:
    """moby's ``NewChildImage`` (then ``MarshalJSON``): the image config
    document, keys sorted.  ``parent`` is the parent's config (None for
    none); ``diff_id`` None when the step changed no file."""
    parent = parent or {}
    diff_ids = list((parent.get("rootfs") or {}).get("diff_ids") or [])
    if diff_id is not None:
        diff_ids.append(diff_id)
    entry = {"created": created}
    if created_by:
        entry["created_by"] = created_by
    if author:
        entry["author"] = author
    if comment:
        entry["comment"] = comment
    if diff_id is None:
        entry["empty_layer"] = True
    history = [go_history(h) for h in parent.get("history") or []] + [entry]
    rootfs = {"type": "layers"}
    if diff_ids:
        rootfs["diff_ids"] = diff_ids
    doc = {
        "architecture": parent.get("architecture") or default_arch,
        "config": go_config(config),
        "container_config": go_config(container_config),
        "created": created,
        "docker_version": ENGINE_VERSION,
        "history": history,
        "os": os_name or parent.get("os") or "linux",
        "rootfs": rootfs,
    }
    if author:
        doc["author"] = author
    if comment:
        doc["comment"] = comment
    if container_id:
        doc["container"] = container_id
    if parent.get("variant"):
        doc["variant"] = parent["variant"]
    if parent.get("os.version"):
        doc["os.version"] = parent["os.version"]
    if parent.get("os.features"):
        doc["os.features"] = list(parent["os.features"])
    return {k: doc[k] for k in sorted(doc)}


class ImageCommitter:
    """The one image-creation step the builder (every step) and ``POST
    /commit`` share."""

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
            doc = child_image(parent_doc if parent_doc is not None else (parent.config if parent else None),
                              diff_id=None if layer is None else layer.diff_id,
                              created=rfc3339(self.clock.now()),
                              created_by=" ".join(container_config.get("Cmd") or []),
                              config=config, container_config=container_config,
                              container_id=container_id, author=author, comment=comment,
                              os_name=os_name, default_arch=self.arch)
            img = self.images.create(go_json(doc), parent=parent.id if parent is not None else None)
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

    def __init__(self, committer: ImageCommitter, records, files, images):
        self.committer = committer
        self.records = records
        self.files = files
        self.images = images

    def commit_container(self, ref: str, *, repo: str = "", tag: str = "", author: str = "",
                         comment: str = "", pause: bool = True, changes=(), config=None) -> str:
        from .build.dispatch import build_from_config  # the builder's dispatchers

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
        diff = self.files.rootfs(container).diff_tar()
        img = self.committer.commit(parent, diff, config=new_config,
                                    container_config=container_config, container_id=container.id,
                                    author=author, comment=comment, os_name="linux")
        if target is not None:
            self.images.tag(img.id, target)
        return img.id
