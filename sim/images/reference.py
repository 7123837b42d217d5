"""Image references, parsed and normalised the way docker/distribution's
``reference`` package does (``ParseNormalizedNamed``, ``ParseAnyReference``,
``TagNameOnly``, ``FamiliarName``/``FamiliarString``).

Grammar (distribution/reference ``regexp.go``)::

    reference  := name [ ":" tag ] [ "@" digest ]
    name       := [domain "/"] remote-name
    domain     := host [":" port]           host: DNS labels joined by "." | "[" ipv6 "]"
    remote-name:= path-component ("/" path-component)*
    path-component := [a-z0-9]+ ((\\.|_|__|-+) [a-z0-9]+)*
    tag        := [\\w][\\w.-]{0,127}
    digest     := algorithm ":" hex{32,}

Normalisation (``splitDockerDomain``): a first path element is a registry
domain only if it is ``localhost``, contains ``.`` or ``:``, or has an
uppercase letter; otherwise the domain is ``docker.io``.
``index.docker.io`` becomes ``docker.io``, and a one-element Docker Hub path
gets the ``library/`` prefix.  Error texts are distribution's and dockerd's.
"""

import re

import attrs

from .errors import InvalidReference

DEFAULT_DOMAIN = "docker.io"
LEGACY_DEFAULT_DOMAIN = "index.docker.io"
OFFICIAL_REPO_PREFIX = "library/"
DEFAULT_TAG = "latest"
NAME_TOTAL_LENGTH_MAX = 255

_ALNUM = r"[a-z0-9]+"
_SEPARATOR = r"(?:[._]|__|[-]+)"
_PATH_COMPONENT = rf"{_ALNUM}(?:{_SEPARATOR}{_ALNUM})*"
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN_NAME = rf"{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*"
_IPV6 = r"\[(?:[a-fA-F0-9:]+)\]"
_DOMAIN_AND_PORT = rf"(?:{_DOMAIN_NAME}|{_IPV6})(?::[0-9]+)?"
_REMOTE_NAME = rf"{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*"
_NAME = rf"(?:{_DOMAIN_AND_PORT}/)?{_REMOTE_NAME}"
_TAG = r"[\w][\w.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}"

_REFERENCE_RE = re.compile(rf"({_NAME})(?::({_TAG}))?(?:@({_DIGEST}))?", re.ASCII)
_TAG_RE = re.compile(_TAG, re.ASCII)
_IDENTIFIER_RE = re.compile(r"[a-f0-9]{64}")

#: distribution/reference's error texts.
ERR_INVALID_FORMAT = "invalid reference format"
ERR_NAME_EMPTY = "repository name must have at least one component"
ERR_NAME_UPPERCASE = "invalid reference format: repository name must be lowercase"
ERR_NAME_TOO_LONG = f"repository name must not be more than {NAME_TOTAL_LENGTH_MAX} characters"
ERR_TAG_FORMAT = "invalid tag format"


def _check_digest(digest: str) -> str:
    """go-digest's ``Digest.Validate`` for the one algorithm we know."""
    algo, _, hexpart = digest.partition(":")
    if algo != "sha256":
        raise InvalidReference("unsupported digest algorithm")
    if len(hexpart) != 64:
        raise InvalidReference("invalid checksum digest length")
    if not re.fullmatch(r"[a-f0-9]{64}", hexpart):
        raise InvalidReference("invalid checksum digest format")
    return digest


@attrs.frozen
class Reference:
    """A normalised, fully qualified image reference.

    Invariant: ``domain`` is never empty (``docker.io`` for Docker Hub), and
    a Docker Hub ``path`` always has a namespace (``library/busybox``).
    ``tag`` and ``digest`` may both be None (a bare name, see
    `with_default_tag`) or both set.
    """

    domain: str  # "docker.io", "localhost:5000"
    path: str  # "library/busybox", "museopkim/kubia"
    tag: "str | None" = None  # "latest"
    digest: "str | None" = None  # "sha256:<64 hex>"

    # -- forms -------------------------------------------------------------

    @property
    def name(self) -> str:
        """The fully qualified repository name: ``docker.io/library/busybox``."""
        return f"{self.domain}/{self.path}"

    @property
    def repo_path(self) -> str:
        """The repository path inside its registry: ``library/busybox``."""
        return self.path

    @property
    def familiar(self) -> str:
        """``FamiliarName``: ``busybox``, ``museopkim/kubia``,
        ``localhost:5000/x/y`` (docker.io and a lone ``library/`` dropped)."""
        if self.domain != DEFAULT_DOMAIN:
            return self.name
        path = self.path
        if path.startswith(OFFICIAL_REPO_PREFIX) and path.count("/") == 1:
            return path[len(OFFICIAL_REPO_PREFIX):]
        return path

    @property
    def familiar_string(self) -> str:
        """``FamiliarString``: the familiar name with whatever tag and digest
        this reference carries (``busybox``, ``busybox:1.36``,
        ``busybox@sha256:…``)."""
        return self.familiar + self._suffix()

    @property
    def familiar_tagged(self) -> str:
        """``FamiliarString(TagNameOnly(ref))``: ``busybox:latest`` for a bare
        name, as dockerd prints it in "No such image" and pull statuses."""
        return self.with_default_tag().familiar_string

    @property
    def full(self) -> str:
        """The canonical string with the default tag:
        ``docker.io/library/busybox:latest``."""
        return self.with_default_tag().name + self.with_default_tag()._suffix()

    @property
    def tag_or_digest(self) -> str:
        """What pull shows as the id of "Pulling from …": the tag, else the
        digest (``latest``, ``sha256:…``)."""
        ref = self.with_default_tag()
        return ref.tag if ref.tag is not None else ref.digest

    def _suffix(self) -> str:
        out = ""
        if self.tag is not None:
            out += ":" + self.tag
        if self.digest is not None:
            out += "@" + self.digest
        return out

    # -- derived references ---------------------------------------------------

    @property
    def is_name_only(self) -> bool:
        return self.tag is None and self.digest is None

    def with_default_tag(self) -> "Reference":
        """``TagNameOnly``: a bare name gets the ``latest`` tag."""
        if self.is_name_only:
            return attrs.evolve(self, tag=DEFAULT_TAG)
        return self

    def with_tag(self, tag: str) -> "Reference":
        if not _TAG_RE.fullmatch(tag):
            raise InvalidReference(ERR_TAG_FORMAT)
        return Reference(self.domain, self.path, tag, None)

    def with_digest(self, digest: str) -> "Reference":
        return Reference(self.domain, self.path, None, _check_digest(digest))

    def repository(self) -> "Reference":
        """The name alone (no tag, no digest)."""
        return Reference(self.domain, self.path)

    def __str__(self) -> str:
        return self.name + self._suffix()


def _split_docker_domain(text: str) -> "tuple[str, str]":
    """distribution/reference ``splitDockerDomain``."""
    first, sep, rest = text.partition("/")
    if not sep:
        return DEFAULT_DOMAIN, OFFICIAL_REPO_PREFIX + text
    if first == "localhost":
        domain, remainder = first, rest
    elif first == LEGACY_DEFAULT_DOMAIN:
        domain, remainder = DEFAULT_DOMAIN, rest
    elif "." in first or ":" in first:
        domain, remainder = first, rest
    elif first.lower() != first:
        domain, remainder = first, rest
    else:
        domain, remainder = DEFAULT_DOMAIN, text
    if domain == DEFAULT_DOMAIN and "/" not in remainder:
        remainder = OFFICIAL_REPO_PREFIX + remainder
    return domain, remainder


def _parse_qualified(text: str) -> Reference:
    """distribution/reference ``Parse`` on ``domain/remainder`` (the
    domain is already explicit)."""
    m = _REFERENCE_RE.fullmatch(text)
    if m is None:
        if text == "":
            raise InvalidReference(ERR_NAME_EMPTY)
        if _REFERENCE_RE.fullmatch(text.lower()) is not None:
            raise InvalidReference(ERR_NAME_UPPERCASE)
        raise InvalidReference(ERR_INVALID_FORMAT)
    name, tag, digest = m.group(1), m.group(2), m.group(3)
    if len(name) > NAME_TOTAL_LENGTH_MAX:
        raise InvalidReference(ERR_NAME_TOO_LONG)
    if digest is not None:
        _check_digest(digest)
    domain, _, path = name.partition("/")
    return Reference(domain, path, tag, digest)


def parse(text: str) -> Reference:
    """``ParseNormalizedNamed``: any form a user types (``busybox``,
    ``busybox:1.36``, ``docker.io/library/busybox``,
    ``index.docker.io/library/busybox:latest``, ``museopkim/kubia``,
    ``name@sha256:<hex>``, ``localhost:5000/x/y:t``).  The tag is left None
    when absent; call `Reference.with_default_tag` for ``latest``.

    Raises InvalidReference with distribution's/dockerd's texts.
    """
    if _IDENTIFIER_RE.fullmatch(text):
        raise InvalidReference(
            f"invalid repository name ({text}), cannot specify 64-byte hexadecimal strings"
        )
    domain, remainder = _split_docker_domain(text)
    remote = remainder.split(":", 1)[0]
    if remote.lower() != remote:
        raise InvalidReference(
            f"invalid reference format: repository name ({remote}) must be lowercase"
        )
    return _parse_qualified(f"{domain}/{remainder}")


def parse_tagged(text: str) -> Reference:
    """`parse`, then ``TagNameOnly`` (bare names get ``latest``)."""
    return parse(text).with_default_tag()


def parse_repo_tag(repo: str, tag: "str | None" = None) -> Reference:
    """The (``fromImage``/``repo``, ``tag``) query pair of ``images/create``
    and ``images/{name}/tag``: ``tag`` may be empty (→ the repo's own tag or
    ``latest``), a tag, or a digest (``sha256:…``, digest pulls)."""
    ref = parse(repo)
    if tag:
        if ":" in tag and tag.split(":", 1)[0] == "sha256":
            return ref.with_digest(tag)
        return ref.with_tag(tag)
    return ref.with_default_tag()


@attrs.frozen
class IdReference:
    """``ParseAnyReference`` of a bare 64-hex id or ``sha256:<64 hex>``: an
    image id, not a name."""

    digest: str  # "sha256:<64 hex>"

    @property
    def familiar_string(self) -> str:
        return self.digest

    familiar_tagged = familiar_string


def parse_any(text: str) -> "Reference | IdReference":
    """``ParseAnyReference``: a 64-hex string or a ``sha256:`` digest is an
    image id; anything else is `parse`d as a name."""
    if _IDENTIFIER_RE.fullmatch(text):
        return IdReference("sha256:" + text)
    if text.startswith("sha256:"):
        try:
            return IdReference(_check_digest(text))
        except InvalidReference:
            pass
    return parse(text)


def is_short_id(text: str) -> bool:
    """Whether ``text`` could be an abbreviated image id (hex, optionally
    with ``sha256:``)."""
    hexpart = text[len("sha256:"):] if text.startswith("sha256:") else text
    return bool(hexpart) and re.fullmatch(r"[a-f0-9]{1,64}", hexpart) is not None
