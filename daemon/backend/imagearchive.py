"""``docker save``, ``docker load`` and ``docker import``: moby's
image/tarexport and daemon/images/image_import.go, over the archive
formats of `sim.images.archive`.

Save resolves the names as moby's ``parseNames`` does (a bare name: every
tag of that repository; ``name:tag``: that tag; an id or unique prefix:
the image, untagged) and writes the layout Docker 25+ writes.  Load reads
any layout Docker ever wrote (and ours), then replays what moby does in
its order (`LoadResult`): layers registered with ``Loading layer``
progress, images created, tags set with ``Loaded image: …``, parents
linked, an error in-band after the images that did load.  Import makes a
one-layer image from a filesystem tar, its config built from the
``changes`` lines as ``docker commit --change`` builds one.
"""

import asyncio
from typing import BinaryIO

from ...sim.images import reference as refmod
from ...sim.images.archive import (ArchiveError, ArchiveImage, import_comment, import_config,
                                   inflate_layer, read_archive, write_archive)
from ...sim.images.errors import ImageError, ImageNotFound, InvalidReference
from ...sim.images.progress import Progress
from ...sim.images.reference import IdReference
from ..errors import InvalidParameter, NotFound, SystemError
from .images import image_error
from .platforms import Platform, decode_platform, image_platform, only_strict, parse_platform
from .events import NO_EVENTS, labels_of


def _repo(tag: str) -> str:
    head, sep, tail = tag.rpartition(":")
    return head if sep and "/" not in tail else tag


def _steps(total: int) -> "list[int]":
    """The byte counts the ``Loading layer`` updates report."""
    n = 3 if total >= 3 * 512 else 1
    return [-(-total * k // n) for k in range(1, n + 1)]


class ImageArchives:
    events = NO_EVENTS

    def __init__(self, images, layers, clock, ids, arch: str = "amd64"):
        self.images = images
        self.layers = layers
        self.clock = clock
        self.ids = ids
        #: the host's GOARCH (an import's default platform is the host's)
        self.arch = arch

    # -- save ----------------------------------------------------------------
    def _resolve(self, names, platform: "Platform | None") -> "dict[str, list[str]]":
        """image id -> tags to write, in the order names were given.  With
        a ``platform``, an image of another one fails as moby's
        ``takeLayerReference`` does (a plain error: 500)."""
        chosen: "dict[str, list[str]]" = {}
        matches = only_strict(platform) if platform is not None else None

        def add(image_id: str, tag: "str | None") -> None:
            if matches is not None and image_id not in chosen and \
                    not matches(image_platform(self.images.get(image_id).config)):
                raise SystemError(f"no suitable export target found for platform {platform}")
            tags = chosen.setdefault(image_id, [])
            if tag and tag not in tags:
                tags.append(tag)

        for name in names:
            try:
                parsed = refmod.parse_any(name)
            except InvalidReference as err:
                raise InvalidParameter(str(err)) from None
            if isinstance(parsed, IdReference):
                if parsed.digest not in self.images:
                    raise NotFound(f"No such image: {name}")
                add(parsed.digest, None)
                continue
            if parsed.tag is None and parsed.digest is None:
                by_name = sorted((tag, img.id) for img in self.images.images()
                                 for tag in self.images.tags(img.id) if _repo(tag) == parsed.familiar)
                for tag, image_id in by_name:
                    add(image_id, tag)
                if not by_name:
                    found = self.images.search(name)
                    if found is None:
                        raise NotFound(f"No such image: {name}")
                    add(found.id, None)
                continue
            image_id = self.images.resolve_tag(parsed)
            if image_id is None:
                raise NotFound("reference does not exist")
            add(image_id, None if parsed.digest is not None else parsed.familiar_tagged)
        return chosen

    def save(self, names, platform: str = "") -> bytes:
        """The tar ``docker save names…`` streams; ``platform`` (JSON, see
        `decode_platform`) limits it to images of that platform.  Raises
        before any byte is written, so errors are plain HTTP errors."""
        wanted = decode_platform(platform) if platform else None
        chosen = self._resolve([n for n in names if n], wanted)
        out = []
        for image_id, tags in chosen.items():
            img = self.images.get(image_id)
            layers = [self.layers.tar(d) for d in img.diff_ids]
            out.append(ArchiveImage(img.config_bytes, layers, tags, img.parent))
        try:
            data = write_archive(out, now=self.clock.now())
        except ImageError as err:
            raise image_error(err) from None
        for image_id in chosen:
            self.events.image(image_id, image_id, "save", labels_of(self.images.get(image_id)))
        return data

    # -- load ----------------------------------------------------------------
    def load(self, data: "BinaryIO | bytes", quiet: bool, platform: str = ""):
        """The load's JSON messages, an async iterator (the error, if any,
        raised last so the stream writes it in-band).  ``platform`` (JSON,
        see `decode_platform`) skips the images of other platforms; a bad
        one raises here, before the stream."""
        matches = only_strict(decode_platform(platform)) if platform else None
        return self._load(data, quiet, matches)

    async def _load(self, data: "BinaryIO | bytes", quiet: bool, matches):
        tmp = f"/var/lib/docker/tmp/docker-import-{self.ids.uint32()}"
        result = read_archive(data, tmp_dir=tmp, has_layer=lambda chain_id: chain_id in self.layers,
                              platform=None if matches is None else
                              lambda os_name, arch, variant: matches(Platform(os_name, arch, variant)))
        for loaded in result.images:
            chain = self.layers.chain_ids([layer.diff_id for layer in loaded.layers])
            top = None
            try:
                for layer, chain_id in zip(loaded.layers, chain):
                    if layer.tar is not None:
                        if not quiet:
                            for current in _steps(layer.size):
                                yield Progress(layer.progress_id, "Loading layer", current,
                                               layer.size).to_json()
                        registered = self.layers.register(layer.tar, top, diff_id=layer.diff_id)
                    else:  # the store has it already: moby does not read it
                        registered = self.layers.acquire(chain_id)
                    if top is not None:
                        self.layers.release(top)
                    top = registered.chain_id
                img = self.images.create(loaded.config_bytes)
            finally:
                if top is not None:
                    self.layers.release(top)
            if result.legacy and loaded.parent:
                self.images.set_parent(img.id, loaded.parent)
            for ref in loaded.repo_tags:
                old = self.images.resolve_tag(ref)
                if old is not None and old != img.id:
                    yield {"stream": f"The image {ref.familiar_tagged} already exists, renaming the old "
                                     f"one with ID {old} to empty string\n"}
                try:
                    self.images.tag(img.id, ref)
                except ImageError:
                    continue
                if not result.legacy:
                    yield {"stream": f"Loaded image: {ref.familiar_tagged}\n"}
            self.events.image(img.id, img.id, "load", labels_of(img))
            await asyncio.sleep(0)
        for image_id, ref in result.legacy_tags:
            try:
                self.images.tag(image_id, ref)
            except (ImageError, ImageNotFound):
                pass
        if not result.legacy:
            for loaded in result.images:
                if loaded.parent and loaded.parent in self.images:
                    self.images.set_parent(loaded.id, loaded.parent)
        if result.error is not None:
            if not quiet:
                for layer in result.failed_layers:
                    for current in _steps(layer.size):
                        yield Progress(layer.progress_id, "Loading layer", current,
                                       layer.size).to_json()
            raise InvalidParameter(str(result.error))
        if result.print_ids:
            yield {"stream": result.ids_text}

    # -- import --------------------------------------------------------------
    def import_image(self, src: str, repo: str, tag: str, message: str, changes, data: "BinaryIO | bytes",
                     platform: str = "") -> dict:
        """``POST /images/create?fromSrc=…``: the layer from the request
        body (``src`` "-"; the simulated world has no network, so a URL
        fails as an unreachable host does).  ``platform`` is a specifier
        (`parse_platform`; default: the host's); only linux is supported.
        Returns the closing status message ``{"status": "sha256:…"}``."""
        from .build.dispatch import build_from_config  # the --change dispatchers
        from .commit import repo_tag_reference

        wanted = parse_platform(platform, self.arch) if platform else Platform("linux", self.arch)
        target = repo_tag_reference(repo, tag)
        comment = import_comment(src, message)
        if src != "-":
            raise _unreachable(src if "://" in src else "http://" + src)
        if wanted.os.lower() != "linux":  # moby's image.CheckOS
            raise InvalidParameter("operating system is not supported")
        config = build_from_config({}, list(changes or ()))
        try:
            layer_tar = inflate_layer(data)
        except ArchiveError as err:
            raise SystemError(str(err)) from None
        layer = self.layers.register(layer_tar, None)
        try:
            config_bytes = import_config(layer.diff_id, self.clock.now(), comment, config,
                                         os=wanted.os, architecture=wanted.architecture,
                                         variant=wanted.variant)
            img = self.images.create(config_bytes)
        finally:
            self.layers.release(layer.chain_id)
        if target is not None:
            self.images.tag(img.id, target)
            self.events.image(img.id, target.familiar_string, "tag", labels_of(img))
        self.events.image(img.id, img.id, "import", labels_of(img))
        return {"status": img.id}


def _unreachable(url: str) -> Exception:
    """How ``http.Get(url)`` fails in a world without a network
    (moby's ``GetWithStatusError``): a URL without a host is Go's plain
    error (500), any host fails to resolve (a DNS error: 404)."""
    scheme, _, rest = url.partition("://")
    host = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0].rpartition("@")[2]
    if not host:
        shown = url if rest else scheme + ":"  # url.URL.String() of "http://"
        return SystemError(f'Get "{shown}": http: no Host in request URL')
    name, sep, port = host.rpartition(":")
    if not sep or "]" in port:
        name = host
    return NotFound(f'Get "{url}": dial tcp: lookup {name}: no such host')
