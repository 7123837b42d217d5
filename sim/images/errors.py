"""Errors of the image subsystem, with Docker's message texts.

Each class carries ``status_hint`` (the HTTP status dockerd answers with,
the way h11's ``ProtocolError.error_status_hint`` does) and ``kind`` (the
error-kind name the backend maps: ``"invalid"``, ``"not_found"``,
``"conflict"``, ``"denied"``, ``"unavailable"``).  ``str(err)`` is exactly
the message dockerd sends in ``{"message": …}`` or in-band in a stream.
"""


class ImageError(Exception):
    """Base of every error raised by ``sim.images``."""

    status_hint = 500
    kind = "system"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InvalidReference(ImageError):
    """A reference that distribution/reference rejects, e.g.
    ``invalid reference format`` or
    ``invalid reference format: repository name (library/Foo) must be lowercase``."""

    status_hint = 400
    kind = "invalid"


class RepositoryNotFound(ImageError):
    """The registry has no such repository (or it is private and the caller
    may not see it).  Docker cannot tell those apart, hence the text::

        pull access denied for busybox2, repository does not exist or may
        require 'docker login': denied: requested access to the resource is denied
    """

    status_hint = 404
    kind = "not_found"

    def __init__(self, familiar_name: str):
        super().__init__(
            f"pull access denied for {familiar_name}, repository does not exist or may "
            "require 'docker login': denied: requested access to the resource is denied"
        )
        self.name = familiar_name


class ManifestUnknown(ImageError):
    """The repository exists but has no such tag or digest::

        manifest for busybox:nosuch not found: manifest unknown: manifest unknown
    """

    status_hint = 404
    kind = "not_found"

    def __init__(self, familiar_ref: str):
        super().__init__(f"manifest for {familiar_ref} not found: manifest unknown: manifest unknown")
        self.ref = familiar_ref


class RegistryUnavailable(ImageError):
    """A registry domain the simulated world does not serve (only Docker Hub,
    ``docker.io``, exists).  The text is what Go's resolver failure looks
    like through dockerd."""

    status_hint = 500
    kind = "unavailable"

    def __init__(self, domain: str):
        super().__init__(
            f'Get "https://{domain}/v2/": dial tcp: lookup {domain.split(":")[0]}: no such host'
        )
        self.domain = domain


class ImageNotFound(ImageError):
    """``No such image: busybox:latest`` (moby's ErrImageDoesNotExist: a named
    reference is shown tagged, so ``docker rmi nosuch`` says
    ``No such image: nosuch:latest``)."""

    status_hint = 404
    kind = "not_found"

    def __init__(self, shown: str):
        super().__init__(f"No such image: {shown}")
        self.ref = shown


class ImageConflict(ImageError):
    """A refused ``docker rmi`` / tag.  The texts follow moby's
    image_delete.go, e.g.::

        conflict: unable to remove repository reference "busybox" (must force) - container 1a2b3c4d5e6f is using its referenced image 3f57d9401f8d
        conflict: unable to delete 3f57d9401f8d (must be forced) - image is referenced in multiple repositories
        conflict: unable to delete 3f57d9401f8d (must be forced) - image is being used by stopped container 1a2b3c4d5e6f
        conflict: unable to delete 3f57d9401f8d (cannot be forced) - image is being used by running container 1a2b3c4d5e6f
        conflict: unable to delete 3f57d9401f8d (cannot be forced) - image has dependent child images
    """

    status_hint = 409
    kind = "conflict"
    #: True when a container using the image caused the conflict (moby's
    #: ``imageDeleteConflict.used``; quiet parent pruning skips those).
    used = False


class LayerNotFound(ImageError):
    """A chain id or diff id the layer store does not hold (an internal
    inconsistency or a config whose layers were never registered)."""

    status_hint = 500
    kind = "system"

    def __init__(self, key: str):
        super().__init__(f"layer does not exist: {key}")
        self.key = key


class BlobUnknown(ImageError):
    """The registry has no blob with that digest."""

    status_hint = 404
    kind = "not_found"

    def __init__(self, digest: str):
        super().__init__(f"blob unknown: blob unknown to registry: {digest}")
        self.digest = digest


class AccessDenied(ImageError):
    """The registry refused an operation the caller's token does not
    grant (pushing without credentials, to ``library/…`` or to another
    user's namespace)::

        denied: requested access to the resource is denied
    """

    status_hint = 403
    kind = "denied"

    def __init__(self):
        super().__init__("denied: requested access to the resource is denied")


class IncorrectCredentials(ImageError):
    """The registry's token service refused a username and password::

        unauthorized: incorrect username or password

    (dockerd's ``/auth`` prefixes it with ``Get "https://registry-1.docker.io/v2/": ``.)"""

    status_hint = 401
    kind = "unauthorized"

    def __init__(self):
        super().__init__("unauthorized: incorrect username or password")


class PushError(ImageError):
    """A push refused by the local side, before any registry call, with
    moby's words, e.g. ``An image does not exist locally with the tag:
    museopkim/kubia``, ``tag does not exist: museopkim/kubia:v2``,
    ``no tags to push for museopkim/kubia``, ``cannot push a digest
    reference``."""

    status_hint = 500
    kind = "system"
