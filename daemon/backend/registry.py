"""``docker search`` (``GET /images/search``: moby's ``getImagesSearch`` and
``registry/search.go``) and ``GET /distribution/{name}/json`` (moby's
distribution router: what ``client.images.get_registry_data`` and
``docker service create`` ask).  The registry is the simulated Docker Hub
(`sim.images.hub`); nothing leaves the machine.

Search, as dockerd checks it, in its order:

- ``limit`` that is no integer is a 400 ``invalid limit specified:
  strconv.Atoi: parsing "x": invalid syntax``.  A negative one makes
  dockerd wrap a nil error, so its handler returns without writing: a
  200 with an empty body, and so it is here.  ``limit=0`` (or none) means
  25; above 100 is a 400 ``limit 101 is outside the range of [1, 100]``
  (checked once the registry is reached, after the filters).
- ``filters`` accepts ``is-official``, ``is-automated`` (deprecated:
  ``true`` answers ``[]`` at once) and ``stars`` (the largest value wins;
  ``invalid filter 'stars=x': strconv.Atoi: …``).  Hub answers the first
  ``limit`` matches and the filters then drop some: ``--limit 3`` with
  ``is-official=true`` may list fewer than 3.  ``is_automated`` is always
  false.
- The term names the registry as ``splitReposSearchTerm`` reads it (a
  first component with a ``.`` or ``:``, or ``localhost``); a term with a
  scheme is a 400.  Docker Hub (``docker.io``, ``index.docker.io``) is
  searched with ``library/`` trimmed off the term; any other registry
  does not exist in the simulated world, and dockerd's v1 ping of it
  fails: a 400 ``invalid registry endpoint https://quay.io/v1/: Get
  "https://quay.io/v1/_ping": dial tcp: lookup quay.io: no such host. If
  this private registry …`` (loopback hosts are insecure registries:
  both the HTTPS and the HTTP attempt are reported).
- ``X-Registry-Auth`` is decoded and, as dockerd does for search, an
  invalid one is ignored; every repository of the simulated Hub is
  public, so credentials change no result.

Hub's matching and order are `Hub.search`'s: the term as a substring of
the name or the description, ignoring case; official images first, then
the most starred, then by name.

Distribution inspect, as moby answers it:

- the name is ``ParseAnyReference``d: a bad one is a 400 with
  distribution/reference's words; a full image id is moby's ``no
  manifest found for full image ID`` (a 500 in dockerd, a 400 here: it
  is bad input); ``scratch`` is ``'scratch' is a reserved name`` (400).
- another registry is unreachable: moby's ping error, a 500 as dockerd
  answers it (the same words as ``docker login`` to it).
- the credentials of ``X-Registry-Auth`` (an invalid header counts as
  none) fetch the token at the first manifest request: wrong ones are a
  401 ``Head "https://registry-1.docker.io/v2/<path>/manifests/<tag>":
  unauthorized: incorrect username or password`` (``Get`` and the digest
  for a digest reference).
- a repository the caller may not pull is Hub's 401 with an
  ``insufficient_scope`` challenge, which distribution's client turns
  into ``errors:\\ndenied: requested access to the resource is
  denied\\nunauthorized: authentication required\\n``, a 403; a tag or
  digest it lacks is ``manifest unknown: manifest unknown``, a 404.
- the answer is ``{"Descriptor": {mediaType, digest, size}, "Platforms"}``:
  the manifest's media type, the digest ``docker pull`` prints and the
  manifest's size.  Platforms follow moby's switch on the manifest type:
  an index or manifest list lists its manifests' platforms; a Docker
  schema2 manifest (what ``docker push`` here sends) gives its config's
  os and architecture; an OCI image manifest (what the catalog's images
  are) is in no case of the switch, so moby answers ``"Platforms": null``.
"""

from __future__ import annotations

import json

from ...sim.golang.errors import GoError
from ...sim.golang.strconv import atoi, quote
from ...sim.images import reference as refmod
from ...sim.images.errors import (BlobUnknown, ImageError, IncorrectCredentials, ManifestUnknown,
                                  RepositoryNotFound)
from ...sim.images.hub import SEARCH_MAX
from ..errors import Forbidden, InvalidParameter, NotFound, Unauthorized
from .auth import HUB_ENDPOINT, _unreachable, decode_registry_auth, dial_error, is_insecure
from .filters import FilterError, Filters

#: The keys ``registry/search.go`` accepts.
SEARCH_FILTERS = {"is-automated", "is-official", "stars"}
#: ``defaultSearchLimit``.
DEFAULT_LIMIT = 25

#: Index names that are Docker Hub (``normalizeIndexName``).
_HUB_INDEXES = {"docker.io", "index.docker.io"}

#: What distribution's client makes of Hub's answer to a pull without access.
DENIED_UNKNOWN = ("errors:\ndenied: requested access to the resource is denied\n"
                  "unauthorized: authentication required\n")

MEDIA_OCI_INDEX = "application/vnd.oci.image.index.v1+json"
MEDIA_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
MEDIA_SCHEMA2 = "application/vnd.docker.distribution.manifest.v2+json"

#: ``ocispec.Platform``'s JSON fields, in Go's order (``architecture`` and
#: ``os`` always; the rest omitted when empty).
_PLATFORM_FIELDS = ("architecture", "os", "os.version", "os.features", "variant")


def split_search_term(term: str) -> "tuple[str, str]":
    """``splitReposSearchTerm``: (index name, remote name)."""
    parts = term.split("/", 1)
    if len(parts) == 1 or ("." not in parts[0] and ":" not in parts[0] and parts[0] != "localhost"):
        return "docker.io", term
    return parts[0], parts[1]


def _v1_unreachable(index: str) -> InvalidParameter:
    """``newV1Endpoint``'s error for a registry the simulated world lacks:
    its HTTPS ``/v1/_ping`` fails; a secure registry says so with the
    ``--insecure-registry`` advice, an insecure (loopback) one is tried
    over HTTP too and both failures are told."""
    https = f'Get "https://{index}/v1/_ping": {dial_error(index, "https")}'
    if is_insecure(index):
        http = f'Get "http://{index}/v1/_ping": {dial_error(index, "http")}'
        return InvalidParameter(f'invalid registry endpoint "http://{index}/v1/". HTTPS attempt: '
                                f"{https}. HTTP attempt: {http}")
    return InvalidParameter(
        f"invalid registry endpoint https://{index}/v1/: {https}. If this private registry "
        "supports only HTTP or HTTPS with an unknown CA certificate, please add "
        f"`--insecure-registry {index}` to the daemon's arguments. In the case of HTTPS, if you "
        "have access to the registry's CA certificate, no need for the flag; simply place the CA "
        f"certificate at /etc/docker/certs.d/{index}/ca.crt")


def _platform(doc) -> dict:
    """An ``ocispec.Platform`` as Go marshals it, from a config or an
    index entry's ``platform``."""
    doc = doc if isinstance(doc, dict) else {}
    out = {"architecture": str(doc.get("architecture") or ""), "os": str(doc.get("os") or "")}
    for key in _PLATFORM_FIELDS[2:]:
        if doc.get(key):
            out[key] = doc[key]
    return out


class RegistryService:
    """Search and distribution inspect against the simulated hub."""

    def __init__(self, hub):
        self.hub = hub

    # -- GET /images/search -----------------------------------------------------
    def search(self, term: str, limit: str = "", filters: str = "",
               registry_auth: str = "") -> "list | None":
        """The results, as moby's ``registry.SearchResult`` JSON; None
        where dockerd writes no answer (a negative limit, see above).
        Raises InvalidParameter."""
        n = 0
        if limit != "":
            try:
                n = atoi(limit)
            except GoError as err:
                raise InvalidParameter(f"invalid limit specified: {err}") from None
            if n < 0:
                return None
        try:
            f = Filters.from_json(filters)
            f.validate(SEARCH_FILTERS)
            if f.get_bool_or_default("is-automated", False):
                return []
            official = f.get_bool_or_default("is-official", False)
        except FilterError as err:
            raise InvalidParameter(str(err)) from None
        min_stars = 0
        for value in f.get("stars") if f.contains("stars") else ():
            try:
                min_stars = max(min_stars, atoi(value))
            except GoError as err:
                raise InvalidParameter(f"invalid filter 'stars={value}': {err}") from None
        decode_registry_auth(registry_auth)  # an invalid header is ignored, as dockerd does
        if term.startswith(("http://", "https://")):
            raise InvalidParameter(f"invalid repository name: repository name ({term}) "
                                   "should not have a scheme")
        index, remote = split_search_term(term)
        if index not in _HUB_INDEXES:
            raise _v1_unreachable(index)
        remote = remote.removeprefix("library/")
        n = n or DEFAULT_LIMIT
        if not 1 <= n <= SEARCH_MAX:
            raise InvalidParameter(f"limit {n} is outside the range of [1, {SEARCH_MAX}]")
        out = []
        for r in self.hub.search(remote, n):
            if f.contains("is-official") and r.is_official != official:
                continue
            if f.contains("stars") and r.star_count < min_stars:
                continue
            out.append({"star_count": r.star_count, "is_official": r.is_official, "name": r.name,
                        "is_automated": False, "description": r.description})
        return out

    # -- GET /distribution/{name}/json ----------------------------------------------
    def inspect(self, name: str, registry_auth: str = "") -> dict:
        """moby's ``getDistributionInfo``.  Raises the kinds above."""
        try:
            ref = refmod.parse_any(name)
        except ImageError as err:
            raise InvalidParameter(str(err)) from None
        if not isinstance(ref, refmod.Reference):
            raise InvalidParameter("no manifest found for full image ID")
        if ref.familiar == "scratch":
            raise InvalidParameter("'scratch' is a reserved name")
        if ref.domain != refmod.DEFAULT_DOMAIN:
            raise _unreachable(ref.domain)  # the ping of every endpoint fails
        creds, _invalid = decode_registry_auth(registry_auth)  # an invalid header: no credentials
        session = self.hub.registry(creds.username, creds.password)
        ref = ref if ref.digest is not None else ref.with_default_tag()
        method, target = ("Get", ref.digest) if ref.digest is not None else ("Head", ref.tag)
        try:
            manifest = session.manifest(ref)
        except IncorrectCredentials as err:
            raise Unauthorized(f'{method} {quote(f"{HUB_ENDPOINT}/v2/{ref.path}/manifests/{target}")}: '
                               f"{err}") from None
        except RepositoryNotFound:
            raise Forbidden(DENIED_UNKNOWN) from None
        except ManifestUnknown:
            raise NotFound("manifest unknown: manifest unknown") from None
        doc = json.loads(manifest.raw)
        media_type = doc.get("mediaType", "")
        platforms = None
        if media_type in (MEDIA_OCI_INDEX, MEDIA_MANIFEST_LIST):
            platforms = [_platform(m.get("platform")) for m in doc.get("manifests") or ()] or None
        elif media_type == MEDIA_SCHEMA2:
            try:
                platform = _platform(json.loads(session.get_blob(ref.path, doc["config"]["digest"])))
            except (BlobUnknown, RepositoryNotFound, ValueError):
                platform = None  # moby leaves it out when the config cannot be read
            if platform is not None and (platform["os"] or platform["architecture"]):
                platforms = [platform]
        return {"Descriptor": {"mediaType": media_type, "digest": manifest.digest, "size": manifest.size},
                "Platforms": platforms}
