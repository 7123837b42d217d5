"""The image archives of ``docker save`` / ``docker load`` and the config
``docker import`` builds, as moby v28.2.2 with the graphdriver image store
reads and writes them (``image/tarexport``, ``daemon/images/image_import.go``).

Public API:

- `write_archive(images, now=…)` -> the tar ``GET /images/get`` streams;
- `read_archive(data, tmp_dir=…, has_layer=…)` -> `LoadResult`: what
  ``POST /images/load`` registers, in moby's order, and the error it stops
  with (moby's words, see `ArchiveError`);
- `inflate_layer(data)` -> an uncompressed layer tar, checked the way the
  layer store reads it (for ``docker import`` too);
- `import_config(...)` / `import_comment(...)` -> the config bytes of an
  imported image.

Everything works on bytes in memory.  Nothing in an archive can name
anything outside it: ``docker load`` extracts the archive chrooted into a
temporary directory, so ``../x`` and ``/etc/passwd`` land at ``x`` and
``etc/passwd`` inside it, and every file the loader opens afterwards is
resolved with symlinks confined to that directory.  This module does the
same in a `Vfs` over a fresh `MemFs`; the host's files are never touched.

The Go libraries moby uses matter because their error texts are what
``docker load`` prints: ``encoding/json`` (syntax and type errors, struct
field order, HTML escaping), ``time`` (RFC 3339) and ``moby/sys/symlink``
come from `dockersim.sim.golang`; go-archive (decompression, the
``archive/tar`` reader and writer, ``Unpack``) from `sim.fs.goarchive`,
which the daemon's builder uses too (`sim.fs.goarchive` is one of the
modules the daemon may import).
"""

from __future__ import annotations

from typing import BinaryIO, Callable, Sequence

import attrs

from ..abi import O_RDONLY, Errno
from ..errors import SimError
from ..fs.goarchive import (TYPE_DIR, TYPE_REG, GoArchiveError, TarWriter, decompress_stream,
                            errno_text, file_header, unpack)
from ..fs.memfs import MemFs
from ..fs.vfs import Vfs
from ..golang.errors import GoError
from ..golang.json import (INT64, STRING, STRING_MAP, STRINGS, Decoder, Field, JSONError, Map, Ptr,
                           Scalar, Slice, Struct, compact, encode_string, from_py, marshal_value,
                           raw_pairs, struct_pairs, unmarshal)
from ..golang.path import clean_path as _clean
from ..golang.path import join_path as _join
from ..golang.strconv import quote as _go_quote
from ..golang.symlink import follow_symlink_in_scope
from ..golang.time import Time
from ..ids import chain_id as _chain_id
from ..ids import sha256_digest
from . import reference as refmod
from .goconfig import CONTAINER_CONFIG as _CONTAINER_CONFIG
from .goconfig import HISTORIES as _HISTORIES
from .goconfig import IMAGE as _IMAGE
from .goconfig import ROOTFS as _ROOTFS
from .goconfig import V1IMAGE as _V1IMAGE
from .goconfig import marshal_image
from .errors import ImageError, InvalidReference
from .reference import Reference

MEDIA_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
MEDIA_INDEX = "application/vnd.oci.image.index.v1+json"
MEDIA_CONFIG = "application/vnd.oci.image.config.v1+json"
MEDIA_LAYER = "application/vnd.oci.image.layer.v1.tar"
ANNOTATION_IMAGE_NAME = "io.containerd.image.name"
ANNOTATION_REF_NAME = "org.opencontainers.image.ref.name"
OCI_LAYOUT = b'{"imageLayoutVersion": "1.0.0"}'

#: ``dockerversion.Version`` of the engine we impersonate.
DOCKER_VERSION = "28.2.2"

#: Where dockerd makes its temporary directories (``$root/tmp``); the load
#: directory is ``docker-import-<random uint32 in decimal>`` below it.
DEFAULT_TMP_DIR = "/var/lib/docker/tmp/docker-import-1"


class ArchiveError(ImageError):
    """A save, load or import refused.  ``str(err)`` is moby's message
    (what the daemon sends in ``{"errorDetail": {"message": …}}``)."""

    status_hint = 500
    kind = "system"


# ==========================================================================
# Extraction: chrootarchive.Untar into an in-memory directory
# ==========================================================================


def _extract(data: "BinaryIO | bytes") -> Vfs:
    """``chrootarchive.Untar`` of the archive into an empty directory: go-
    archive's `unpack` (decompressed first) at the root of a fresh
    in-memory filesystem, so every later lookup resolves inside it, as in
    the chroot.  Raises ArchiveError with moby's message."""
    view = Vfs(MemFs())
    try:
        unpack(view, "/", decompress_stream(data))
    except GoArchiveError as e:
        raise ArchiveError(str(e)) from None
    return view


def _follow_in_scope(view: Vfs, path: str, root: str) -> str:
    """moby/sys/symlink ``FollowSymlinkInScope(path, root)`` over the
    extracted tree (``root`` is the host path of its top)."""
    def read_link(inner: str, full: str) -> "str | None":
        try:
            if not view.lstat(inner).is_symlink:
                return None
            return view.readlink(inner)
        except SimError as e:
            if e.errno_value == Errno.ENOENT:
                return None
            raise ArchiveError(f"lstat {full}: {errno_text(e)}") from None

    try:
        return follow_symlink_in_scope(path, root, read_link)
    except GoError as e:
        raise ArchiveError(str(e)) from None


# ==========================================================================
# The Go types moby reads and writes
# ==========================================================================

#: The ``created`` moby gives the v1 config of a lower layer (``time.Unix(0, 0)``).
_EPOCH = Time(0)

_V1_KEYS = [f.key for f in _V1IMAGE.fields]

_PLATFORM = Struct("Platform", "v1.Platform", (
    Field("architecture", STRING), Field("os", STRING), Field("os.version", STRING, True),
    Field("os.features", STRINGS, True), Field("variant", STRING, True),
))

#: ``distribution.Descriptor`` (LayerSources values).
_DESCRIPTOR = Struct("Descriptor", "distribution.Descriptor", (
    Field("mediaType", STRING, True), Field("size", INT64, True),
    Field("digest", Scalar("string", "digest.Digest"), True), Field("urls", STRINGS, True),
    Field("annotations", STRING_MAP, True), Field("platform", Ptr(_PLATFORM), True),
))

#: ``tarexport.manifestItem`` (manifest.json).
_MANIFEST_ITEM = Struct("manifestItem", "tarexport.manifestItem", (
    Field("Config", STRING), Field("RepoTags", STRINGS), Field("Layers", STRINGS),
    Field("Parent", Scalar("string", "image.ID"), True),
    Field("LayerSources", Map(_DESCRIPTOR, "map[layer.DiffID]distribution.Descriptor"), True),
))
_MANIFEST = Slice(_MANIFEST_ITEM, "[]tarexport.manifestItem")

_REPOSITORIES = Map(Map(STRING, "map[string]string"), "map[string]map[string]string")

_LEGACY_OS_PARENT = Struct("", "struct { OS string; Parent string }", (
    Field("OS", STRING), Field("Parent", STRING),
))
_DOCKER_VERSION_ONLY = Struct("", 'struct { DockerVersion string "json:\\"docker_version\\"" }', (
    Field("docker_version", STRING),
))


def _decode_image(config: bytes) -> dict:
    """``image.NewFromJSON``: the config as Go sees it.  Raises ArchiveError
    with moby's message."""
    try:
        img = unmarshal(config, _IMAGE)
    except JSONError as e:
        raise ArchiveError(str(e)) from None
    if img["rootfs"] is None:
        raise ArchiveError("invalid image JSON, no RootFS key")
    return img


def _diff_ids(img: dict) -> "list[str]":
    return list((img["rootfs"] or {}).get("diff_ids") or [])


def _chain(diff_ids: "Sequence[str]") -> str:
    """``layer.CreateChainID`` ("" for no layers)."""
    current: "str | None" = None
    for d in diff_ids:
        current = _chain_id(current, d)
    return current or ""


def _truncate_id(ident: str) -> str:
    """``stringid.TruncateID``."""
    if ":" in ident:
        ident = ident.split(":", 1)[1]
    return ident[:12]


def _hex(digest: str) -> str:
    return digest.split(":", 1)[1] if ":" in digest else digest


# ==========================================================================
# docker save
# ==========================================================================


@attrs.frozen
class ArchiveImage:
    """One image to save: its config (exact bytes), its layer tars
    (uncompressed, base first, one per ``rootfs.diff_ids``), its tags
    (familiar strings such as ``busybox:latest``; a bare name means
    ``:latest``, digest references are skipped as moby does) and its
    parent image id if it has one (written only when the parent is saved
    too)."""

    config_bytes: bytes = attrs.field(repr=False)
    layers: "tuple[bytes, ...]" = attrs.field(repr=False, converter=tuple)
    repo_tags: "tuple[str, ...]" = attrs.field(default=(), converter=tuple)
    parent: "str | None" = None

    @property
    def id(self) -> str:
        return sha256_digest(self.config_bytes)


def _go_manifest(config_bytes: bytes, layers: "list[tuple[str, int]]") -> bytes:
    """The OCI manifest moby marshals (struct field order, no newline)."""
    layer_text = ",".join(
        '{"mediaType":%s,"digest":%s,"size":%d}' % (encode_string(MEDIA_LAYER), encode_string(d), size)
        for d, size in layers)
    return ('{"schemaVersion":2,"mediaType":%s,"config":{"mediaType":%s,"digest":%s,"size":%d},'
            '"layers":[%s]}' % (encode_string(MEDIA_MANIFEST), encode_string(MEDIA_CONFIG),
                                encode_string(sha256_digest(config_bytes)), len(config_bytes),
                                layer_text)).encode()


def _v1_create_id(v1: dict, layer_chain: str, parent: str) -> str:
    """``v1.CreateID``: the legacy id of one layer's v1 config."""
    pairs = dict(struct_pairs(dict(v1, id=""), _V1IMAGE))
    pairs["layer_id"] = encode_string(layer_chain)
    if parent:
        pairs["parent"] = encode_string(parent)
    text = "{" + ",".join(encode_string(k) + ":" + pairs[k] for k in sorted(pairs)) + "}"
    return sha256_digest(text.encode())


def _parse_tag(text: str) -> "Reference | None":
    """A tag to save: ``TagNameOnly`` of the reference; None for a digest
    reference (moby skips those)."""
    ref = refmod.parse(text)
    if ref.digest is not None:
        return None
    return ref.with_default_tag()


def _validated_parents(links: "list[tuple[str, str | None]]") -> "list[tuple[str, str | None]]":
    """moby ``validatedParentLinks``: a parent is kept only if it is one of
    the other images of the list."""
    ids = [i for i, _ in links]
    out = []
    for image_id, parent in links:
        keep = parent is not None and any(other == parent and other != image_id for other in ids)
        out.append((image_id, parent if keep else None))
    return out


def write_archive(images: Sequence[ArchiveImage], now: float = 0.0) -> bytes:
    """The tar ``docker save`` streams (graphdriver store, moby 28.2.2).

    Layout (entries in this order, like go-archive's ``Tar`` of the
    directory moby builds: a depth-first walk sorted by name, the top
    directory itself left out; USTAR headers, uid/gid 0, no owner names,
    files 0644, directories 0755, two zero blocks at the end and no
    record padding)::

        blobs/                  mtime: the last image's ``created``
        blobs/sha256/           mtime: ``now`` (the last manifest write)
        blobs/sha256/<hex>…     configs and layers (mtime: their image's
                                ``created``), the OCI manifests (mtime 0),
                                and one legacy v1 JSON per layer (below)
        index.json              OCI index: one descriptor per tag
        manifest.json           [{Config, RepoTags, Layers, Parent?, LayerSources}]
        oci-layout              {"imageLayoutVersion": "1.0.0"}
        repositories            {name: {tag: top layer diff id hex}}, only with tags

    Images are written in the order given (moby walks a Go map, so its
    order is random); an image listed twice is written once with the
    union of its tags; a layer shared by several images is written once.
    Each layer also gets moby's legacy v1 config blob (``id``, ``parent``,
    ``created``, ``container_config``, ``os``; the top one carries the
    image's own v1 fields), which no index points at.  An image without
    tags gets an untagged index entry only when no image before it had
    one (moby's check looks at the whole list).

    ``now`` is the save time (epoch seconds).  The same images and ``now``
    always give the same bytes.  Raises ArchiveError
    ``empty export - not implemented`` for an image without layers, and
    ValueError if an image has fewer or more tars than diff ids.  Each
    tar is trusted to be its diff id's (the layer store is content
    addressed): none is hashed again."""
    merged: "dict[str, tuple[ArchiveImage, list[Reference]]]" = {}
    for img in images:
        entry = merged.setdefault(img.id, (img, []))
        for text in img.repo_tags:
            ref = _parse_tag(text)
            if ref is not None and all(str(r) != str(ref) for r in entry[1]):
                entry[1].append(ref)

    blobs: "dict[str, tuple[bytes, int]]" = {}  # hex -> (bytes, mtime)

    def put(digest: str, data: bytes, mtime: int) -> None:
        blobs.setdefault(_hex(digest), (data, mtime))

    saved_v1: "set[str]" = set()
    saved_layers: "dict[str, int]" = {}
    items: "list[dict]" = []
    index: "list[str]" = []
    repos: "dict[str, dict[str, str]]" = {}
    links: "list[tuple[str, str | None]]" = []
    blobs_mtime = 0
    for image_id, (img, tags) in merged.items():
        cfg = _decode_image(img.config_bytes)
        diff_ids = _diff_ids(cfg)
        if not diff_ids:
            raise ArchiveError("empty export - not implemented")
        if len(img.layers) != len(diff_ids):
            raise ValueError(f"{image_id}: {len(img.layers)} layer tars for {len(diff_ids)} diff ids")
        created = cfg["created"]
        ts = created.sec if created is not None else 0
        parent_v1 = ""
        for i, diff in enumerate(diff_ids):
            if i == len(diff_ids) - 1:
                v1 = {k: cfg.get(k) for k in _V1_KEYS}
                v1["parent"] = ""
            else:
                v1 = Decoder().zero(_V1IMAGE)
                v1["created"] = _EPOCH
            v1_id = _v1_create_id(v1, _chain(diff_ids[:i + 1]), parent_v1)
            v1["id"] = _hex(v1_id)
            if parent_v1:
                v1["parent"] = _hex(parent_v1)
            v1["os"] = cfg["os"]
            if v1_id not in saved_v1:
                data = marshal_value(v1, _V1IMAGE).encode()
                put(sha256_digest(data), data, ts)
                saved_v1.add(v1_id)
            if diff not in saved_layers:
                tar = img.layers[i]
                put(diff, tar, ts)
                saved_layers[diff] = len(tar)
            parent_v1 = v1_id
        put(image_id, img.config_bytes, ts)
        blobs_mtime = ts
        manifest = _go_manifest(img.config_bytes, [(d, saved_layers[d]) for d in diff_ids])
        put(sha256_digest(manifest), manifest, 0)
        untagged = '{"mediaType":%s,"digest":%s,"size":%d' % (
            encode_string(MEDIA_MANIFEST), encode_string(sha256_digest(manifest)), len(manifest))
        repo_tags = []
        for ref in tags:
            repos.setdefault(ref.familiar, {})[ref.tag] = _hex(diff_ids[-1])
            repo_tags.append(ref.familiar_string)
            index.append(untagged + ',"annotations":{%s:%s,%s:%s}}' % (
                encode_string(ANNOTATION_IMAGE_NAME), encode_string(str(ref)),
                encode_string(ANNOTATION_REF_NAME), encode_string(ref.tag)))
        if not index:
            index.append(untagged + "}")
        sources = {d: {"mediaType": MEDIA_LAYER, "size": saved_layers[d], "digest": d} for d in diff_ids}
        items.append({
            "Config": f"blobs/sha256/{_hex(image_id)}",
            "RepoTags": repo_tags or None,
            "Layers": [f"blobs/sha256/{_hex(d)}" for d in diff_ids],
            "Parent": "",
            "LayerSources": sources,
        })
        links.append((image_id, img.parent))
    for item, (_, parent) in zip(items, _validated_parents(links)):
        item["Parent"] = parent or ""

    # With no image at all, moby's nil slices marshal as null.
    manifest_json = (marshal_value(items or None, _MANIFEST) + "\n").encode()
    index_json = ('{"schemaVersion":2,"mediaType":%s,"manifests":%s}'
                  % (encode_string(MEDIA_INDEX), "[" + ",".join(index) + "]" if index else "null")).encode()
    now_s = int(now // 1)
    out = TarWriter()

    def entry(name: str, data: "bytes | None", mtime: int) -> None:
        if data is None:
            out.add(file_header(name, TYPE_DIR, mode=0o755, mtime=mtime))
        else:
            out.add(file_header(name, TYPE_REG, mode=0o644, mtime=mtime, size=len(data)), data)

    if merged:  # moby makes blobs/sha256/ while saving the first image
        entry("blobs/", None, blobs_mtime)
        entry("blobs/sha256/", None, now_s)
    for hex_name in sorted(blobs):
        data, mtime = blobs[hex_name]
        entry(f"blobs/sha256/{hex_name}", data, mtime)
    entry("index.json", index_json, 0)
    entry("manifest.json", manifest_json, 0)
    entry("oci-layout", OCI_LAYOUT, 0)
    if repos:
        entry("repositories", (marshal_value(repos, _REPOSITORIES) + "\n").encode(), 0)
    return out.close()


# ==========================================================================
# docker load
# ==========================================================================


@attrs.frozen
class LoadedLayer:
    """One layer of a loaded image.

    ``tar`` is the uncompressed layer (its sha256 is ``diff_id``), or None
    when moby did not read it because the layer store already had the
    chain (`read_archive`'s ``has_layer``, or an earlier image of the same
    archive).  ``size`` is the size of the file in the archive (the total
    of its ``Loading layer`` progress) and ``progress_id`` the id shown
    next to it; both only matter when ``tar`` is set."""

    diff_id: str
    tar: "bytes | None" = attrs.field(repr=False)
    size: int = 0
    progress_id: str = ""


@attrs.frozen
class LoadedImage:
    """One image ``docker load`` registers: the config (exact bytes; its
    sha256 is the image id), its layers base first, the tags moby sets on
    it (in order; each announced with ``Loaded image: <familiar>``), and
    the parent image id moby records for it, if any."""

    config_bytes: bytes = attrs.field(repr=False)
    layers: "tuple[LoadedLayer, ...]" = attrs.field(repr=False)
    repo_tags: "tuple[Reference, ...]" = ()
    parent: "str | None" = None

    @property
    def id(self) -> str:
        return sha256_digest(self.config_bytes)

    @property
    def layer_tars(self) -> "tuple[bytes | None, ...]":
        return tuple(layer.tar for layer in self.layers)


@attrs.frozen
class LoadResult:
    """What ``docker load`` does with an archive, in moby's order.

    The daemon replays it:

    1. for each image of ``images``, in order: for each layer with a
       ``tar``, stream ``Loading layer`` progress (unless quiet) and
       register it; create the image; then for each of ``repo_tags``:
       tag it (printing ``The image <ref> already exists, renaming the old
       one with ID <old id> to empty string`` when the tag pointed at
       another image; a tag the store refuses is silently skipped) and,
       unless ``legacy``, print ``Loaded image: <familiar ref>``.  In
       legacy mode the parent is set right after creating the image;
    2. legacy mode only: set the tags of ``legacy_tags`` in order, silently;
    3. manifest mode: set the ``parent`` links (after all images);
    4. if ``error`` is set: stream the progress of ``failed_layers`` (the
       layers moby read for the image it then gave up on; they are not
       kept), then report the error in-band and stop.  The images above
       stay loaded;
    5. otherwise, if ``print_ids``: print ``ids_text`` as one stream message
       (``Loaded image ID: sha256:…\\n`` per image; empty text for an empty
       manifest still makes one message).
    """

    images: "tuple[LoadedImage, ...]" = ()
    error: "ArchiveError | None" = None
    failed_layers: "tuple[LoadedLayer, ...]" = ()
    legacy: bool = False
    legacy_tags: "tuple[tuple[str, Reference], ...]" = ()
    print_ids: bool = False

    @property
    def ids_text(self) -> str:
        return "".join(f"Loaded image ID: {img.id}\n" for img in self.images)


class _LoadFailed(Exception):
    def __init__(self, error: ArchiveError, layers: "tuple[LoadedLayer, ...]" = ()):
        super().__init__(str(error))
        self.error = error
        self.layers = layers


def inflate_layer(data: "BinaryIO | bytes") -> bytes:
    """A layer as moby's layer store takes it: decompressed
    (``DecompressStream``: gzip, bzip2, xz, or as is) and read through as
    a tar.  Returns every decompressed byte (the diff id is their sha256).
    Raises ArchiveError with moby's message for a layer it would refuse
    (``archive/tar: invalid tar header``, ``unexpected EOF``,
    ``gzip: invalid header``, ``unhandled tar header type 55``, …)."""
    try:
        stream = decompress_stream(data, keep=True)
        unpack(Vfs(MemFs()), "/", stream)
    except GoArchiveError as e:
        raise ArchiveError(str(e)) from None
    # The layer store hashes everything it drains after the tar, up to a
    # decompression error it then ignores.
    stream.drain()
    return bytes(stream.kept)


class _Loader:
    """``tarexport.Load`` over the extracted archive (``view``: the
    temporary directory as the chroot saw it; ``tmp_dir``: its host path,
    for the messages)."""

    def __init__(self, view: Vfs, tmp_dir: str, has_layer: Callable[[str], bool],
                 platform: "Callable[[str, str, str], bool] | None"):
        self.view = view
        self.root = _clean(tmp_dir)
        self.has_layer = has_layer
        self.platform = platform
        self.registered: "set[str]" = set()
        self.images: "list[LoadedImage]" = []
        self.legacy_mode = False
        self.legacy_tags: "list[tuple[str, Reference]]" = []

    def safe_path(self, rel: str) -> str:
        return _follow_in_scope(self.view, _join(self.root, rel), self.root)

    def _inner(self, host_path: str) -> str:
        return host_path[len(self.root):] or "/"

    def read(self, host_path: str) -> bytes:
        """``os.ReadFile``, worded with the host path."""
        try:
            f = self.view.open(self._inner(host_path), O_RDONLY)
        except SimError as e:
            raise ArchiveError(f"open {host_path}: {errno_text(e)}") from None
        try:
            return f.read()
        except SimError as e:
            raise ArchiveError(f"read {host_path}: {errno_text(e)}") from None

    def exists(self, host_path: str) -> bool:
        try:
            self.view.stat(self._inner(host_path))
            return True
        except SimError as e:
            if e.errno_value == Errno.ENOENT:
                return False
            raise ArchiveError(f"open {host_path}: {errno_text(e)}") from None

    def load_layer(self, host_path: str, progress_id: str) -> LoadedLayer:
        raw = self.read(host_path)
        tar = inflate_layer(raw)
        return LoadedLayer(sha256_digest(tar), tar, len(raw), progress_id)

    # -- manifest.json ---------------------------------------------------------------

    def run(self) -> LoadResult:
        manifest_path = self.safe_path("manifest.json")
        if not self.exists(manifest_path):
            return self.legacy()
        try:
            manifest = unmarshal(self.read(manifest_path), _MANIFEST, stream=True)
        except JSONError as e:
            raise _LoadFailed(ArchiveError(str(e))) from None
        if manifest is None:
            raise _LoadFailed(ArchiveError("invalid manifest, manifest cannot be null (but can be [])"))
        links: "list[tuple[str, str | None]]" = []
        ref_count = 0
        for m in manifest:
            config = self.read(self.safe_path(m["Config"]))
            img = _decode_image(config)
            os_name = img["os"] or "linux"
            if os_name.lower() != "linux":
                raise ArchiveError(f"cannot load {os_name} image on linux")
            if self.platform is not None and not self.platform(img["os"], img["architecture"], img["variant"]):
                continue
            diff_ids = _diff_ids(img)
            paths = m["Layers"] or []
            if len(paths) != len(diff_ids):
                raise ArchiveError(f"invalid manifest, layers length mismatch: expected {len(paths)}, "
                                   f"got {len(diff_ids)}")
            layers: "list[LoadedLayer]" = []
            for i, diff in enumerate(diff_ids):
                layer_path = self.safe_path(paths[i])
                chain = _chain(diff_ids[:i + 1])
                if chain in self.registered or self.has_layer(chain):
                    layers.append(LoadedLayer(diff, None, 0, _truncate_id(diff)))
                    continue
                try:
                    layer = self.load_layer(layer_path, _truncate_id(diff))
                except ArchiveError as e:
                    raise _LoadFailed(e, tuple(layers)) from None
                layers.append(layer)
                if layer.diff_id != diff:
                    raise _LoadFailed(ArchiveError(
                        f"invalid diffID for layer {i}: expected {_go_quote(diff)}, got {_go_quote(layer.diff_id)}"),
                        tuple(layers))
                self.registered.add(chain)
            non_empty = sum(1 for h in img["history"] or [] if not h["empty_layer"])
            if non_empty > len(diff_ids):
                raise _LoadFailed(ArchiveError("too many non-empty layers in History section"), tuple(layers))
            tags: "list[Reference]" = []
            ref_count = 0
            failure = None
            for text in m["RepoTags"] or []:
                try:
                    ref = refmod.parse(text)
                except InvalidReference as e:
                    failure = ArchiveError(str(e))
                    break
                if ref.tag is None:
                    failure = ArchiveError(f"invalid tag {_go_quote(text)}")
                    break
                tags.append(ref)
                ref_count += 1
            image = LoadedImage(config, tuple(layers), tuple(tags))
            self.images.append(image)
            if failure is not None:
                raise failure
            links.append((image.id, m["Parent"] or None))
        for image_id, parent in _validated_parents(links):
            if parent is None:
                continue
            child_cfg = self._config_of(image_id)
            parent_cfg = self._config_of(parent)
            if not _valid_parent(child_cfg, parent_cfg):
                raise ArchiveError(f"image {parent} is not a valid parent for {image_id}")
            self._set_parent(image_id, parent)
        return LoadResult(tuple(self.images), print_ids=ref_count == 0)

    def _config_of(self, image_id: str) -> dict:
        for img in self.images:
            if img.id == image_id:
                return _decode_image(img.config_bytes)
        raise ArchiveError(f"No such image: {image_id}")

    def _set_parent(self, image_id: str, parent: str) -> None:
        self.images = [attrs.evolve(img, parent=parent) if img.id == image_id else img for img in self.images]

    # -- the pre-1.10 layout (no manifest.json) -----------------------------------------

    def legacy(self) -> LoadResult:
        self.legacy_mode = True
        loaded: "dict[str, str]" = {}  # old id -> image id
        configs: "dict[str, dict]" = {}  # image id -> decoded config
        dirs = [name for name in sorted(self.view.listdir("/"))
                if self.view.lstat("/" + name).is_dir]
        for name in dirs:
            self._legacy_image(name, loaded, configs, ())
        repos_path = self.safe_path("repositories")
        try:
            repos = unmarshal(self.read(repos_path), _REPOSITORIES, stream=True)
        except JSONError as e:
            raise ArchiveError(str(e)) from None
        tags = self.legacy_tags
        for name in sorted(repos or {}):
            for tag in sorted(repos[name] or {}):
                old_id = repos[name][tag]
                image_id = loaded.get(old_id)
                if image_id is None:
                    raise ArchiveError(f"invalid target ID: {old_id}")
                try:
                    ref = refmod.parse(name).with_tag(tag)
                except InvalidReference as e:
                    raise ArchiveError(str(e)) from None
                tags.append((image_id, ref))
        return LoadResult(tuple(self.images), legacy=True, legacy_tags=tuple(tags))

    def _legacy_image(self, old_id: str, loaded: dict, configs: dict, chain: "tuple[str, ...]") -> None:
        if old_id in loaded:
            return
        if old_id in chain:
            raise ArchiveError(f"dockersim: the parents of image {old_id} in the archive form a loop")
        image_json = self.read(self.safe_path(_join(old_id, "json")))
        try:
            head = unmarshal(image_json, _LEGACY_OS_PARENT)
        except JSONError as e:
            raise ArchiveError(str(e)) from None
        os_name = head["OS"] or "linux"
        if os_name.lower() != "linux":
            raise ArchiveError(f"cannot load {os_name} image on linux")
        parent_id = None
        if head["Parent"]:
            while head["Parent"] not in loaded:
                self._legacy_image(head["Parent"], loaded, configs, chain + (old_id,))
            parent_id = loaded[head["Parent"]]
        rootfs = {"type": "layers", "diff_ids": None}
        history: list = []
        if parent_id is not None:
            parent_cfg = configs[parent_id]
            rootfs = dict(parent_cfg["rootfs"])
            history = list(parent_cfg["history"] or [])
        layer_path = self.safe_path(_join(old_id, "layer.tar"))
        try:
            layer = self.load_layer(layer_path, _truncate_id(old_id))
        except ArchiveError as e:
            raise _LoadFailed(e) from None
        rootfs["diff_ids"] = list(rootfs["diff_ids"] or []) + [layer.diff_id]
        try:
            v1 = unmarshal(image_json, _V1IMAGE)
            history.append({
                "created": v1["created"], "created_by": " ".join(v1["container_config"]["Cmd"] or []),
                "author": v1["author"], "comment": v1["comment"], "empty_layer": False,
            })
            config = _make_config_from_v1(image_json, rootfs, history)
        except JSONError as e:
            raise _LoadFailed(ArchiveError(str(e)), (layer,)) from None
        image = LoadedImage(config, (layer,), (), parent_id)
        self.images.append(image)
        configs[image.id] = _decode_image(config)
        loaded[old_id] = image.id


def _version_less(v: str, other: str) -> bool:
    """moby ``versions.LessThan``."""
    a, b = v.split("."), other.split(".")

    def num(s: str) -> int:
        try:
            return int(s)
        except ValueError:
            return 0

    for i in range(max(len(a), len(b))):
        x = num(a[i]) if i < len(a) else 0
        y = num(b[i]) if i < len(b) else 0
        if x != y:
            return x < y
    return False


def _make_config_from_v1(image_json: bytes, rootfs: dict, history: list) -> bytes:
    """``v1.MakeConfigFromV1Config``: the legacy json minus its v1-only
    keys, plus rootfs and history, keys sorted."""
    dver = unmarshal(image_json, _DOCKER_VERSION_ONLY)["docker_version"]
    if _version_less(dver, "1.8.3"):
        image_json = marshal_value(unmarshal(image_json, _V1IMAGE), _V1IMAGE).encode()
    pairs = {k: compact(raw) for k, raw in raw_pairs(image_json)}
    for k in ("id", "parent", "Size", "parent_id", "layer_id", "throwaway"):
        pairs.pop(k, None)
    pairs["rootfs"] = marshal_value(rootfs, _ROOTFS)
    pairs["history"] = marshal_value(history, _HISTORIES)
    return ("{" + ",".join(encode_string(k) + ":" + pairs[k] for k in sorted(pairs)) + "}").encode()


def _valid_parent(img: dict, parent: dict) -> bool:
    """moby ``checkValidParent``: the child's history is the parent's plus
    one entry."""
    ih, ph = img["history"] or [], parent["history"] or []
    if not ih and not ph:
        return True
    if len(ih) - len(ph) != 1:
        return False
    for hp, hc in zip(ph, ih):
        if (hp["created"] is None) != (hc["created"] is None):
            return False
        if hp["created"] is not None and (hp["created"].sec, hp["created"].nsec) != (hc["created"].sec, hc["created"].nsec):
            return False
        if any(hp[k] != hc[k] for k in ("created_by", "author", "comment", "empty_layer")):
            return False
    return True


def read_archive(data: "BinaryIO | bytes", *, tmp_dir: str = DEFAULT_TMP_DIR,
                 has_layer: Callable[[str], bool] = lambda chain_id: False,
                 platform: "Callable[[str, str, str], bool] | None" = None) -> LoadResult:
    """What ``docker load`` does with ``data`` (moby ``tarexport.Load``).

    The input may be a tar, or a gzip/bzip2/xz-compressed tar; in the
    layout ``docker save`` writes now (OCI layout with ``manifest.json``),
    the one Docker 1.10–24 wrote (``<id>.json``, ``<v1 id>/layer.tar``,
    ``manifest.json``) or the pre-1.10 one (``<v1 id>/{json,layer.tar}``
    and ``repositories``, no ``manifest.json``).  Layers may be compressed
    too.

    ``tmp_dir`` is the host path of the directory moby would extract into
    (it appears in error messages, e.g. ``open
    /var/lib/docker/tmp/docker-import-123/repositories: no such file or
    directory``); pick ``docker-import-<random uint32>``.  ``has_layer``
    says whether the layer store already has a chain id (then moby does
    not read that layer).  ``platform(os, architecture, variant)``, when
    given, skips the images it refuses (``--platform``).

    Never raises for a bad archive: the error is in the result (see
    `LoadResult`), with the images moby had registered before it."""
    tmp_dir = _clean(tmp_dir)
    try:
        view = _extract(data)
    except ArchiveError as e:
        return LoadResult(error=e)
    loader = _Loader(view, tmp_dir, has_layer, platform)
    try:
        return loader.run()
    except (_LoadFailed, ArchiveError) as e:
        failed = e if isinstance(e, _LoadFailed) else _LoadFailed(e)
        return LoadResult(tuple(loader.images), error=failed.error, failed_layers=failed.layers,
                          legacy=loader.legacy_mode, legacy_tags=tuple(loader.legacy_tags))


# ==========================================================================
# docker import
# ==========================================================================


def import_comment(src: str, message: str = "") -> str:
    """The history comment of an imported image: ``message`` if given,
    else ``Imported from <fromSrc>`` (``-`` for the request body; a URL
    as the client sent it, before moby adds ``http://``)."""
    return message if message else "Imported from " + src


def import_config(layer_diff_id: str, created: float, comment: str,
                  changes_config: "dict | None" = None, *, os: str = "linux",
                  architecture: str = "amd64", variant: str = "",
                  docker_version: str = DOCKER_VERSION) -> bytes:
    """The config bytes moby's ``ImageService.ImportImage`` stores for an
    imported layer (graphdriver store), keys sorted as ``image.Image``'s
    MarshalJSON sorts them::

        {"architecture":"amd64","comment":"Imported from -",
         "config":{<container.Config, every field>},
         "container_config":{<an empty container.Config>},
         "created":"<RFC 3339, ns>","docker_version":"28.2.2",
         "history":[{"created":"<same>","comment":"Imported from -"}],
         "os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:…"]}}

    ``comment`` is the request's ``message`` or `import_comment`'s
    default; it is both the image comment and the one history entry's
    (which has no ``created_by``).  ``created`` is the import time (epoch
    seconds, kept to the nanosecond).  ``changes_config`` is the
    ``container.Config`` the ``changes`` instructions produced (Go field
    names: ``Cmd``, ``Env``, ``ExposedPorts``, …); None or {} for none.
    ``os``/``architecture``/``variant`` come from the ``platform`` query
    (default linux/amd64); ``variant`` is written only when set."""
    d = Decoder()
    config = d.decode(from_py(changes_config or {}), _CONTAINER_CONFIG)
    if d.saved is not None:
        raise ArchiveError(d.saved)
    when = Time.from_float(created)
    image = Decoder().zero(_IMAGE)
    image.update({
        "comment": comment, "created": when, "docker_version": docker_version, "config": config,
        "architecture": architecture, "variant": variant, "os": os,
        "rootfs": {"type": "layers", "diff_ids": [layer_diff_id]},
        "history": [{"created": when, "created_by": "", "author": "", "comment": comment,
                     "empty_layer": False}],
    })
    return marshal_image(image)
