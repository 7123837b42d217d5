"""``docker push`` (moby's ``postImagesPush``, ``daemon/images/image_push.go``
and ``distribution/push.go``); the push itself is ``sim.images.push``.

Before the stream (an HTTP status):
- a name that does not parse is a 400 with distribution's words
  (``invalid reference format``); with a ``tag`` parameter a digest name
  is ``cannot import digest reference`` and a bad tag ``invalid tag
  format``;
- without ``X-Registry-Auth`` the body must hold the credentials (old
  clients): ``bad parameters and missing X-Registry-Auth: invalid
  X-Registry-Auth header: EOF`` when it does not.  A header that does not
  decode counts as no credentials at all.

Everything else arrives in-band, after ``The push refers to repository
[docker.io/museopkim/kubia]``.  An empty ``tag`` pushes every tag of the
repository (``docker push -a``).
"""

import asyncio

import attrs

from ...sim.images import reference as refmod
from ...sim.images.errors import ImageError, InvalidReference
from ...sim.images.push import Credentials
from ...sim.images.push import push as sim_push
from ..errors import InvalidParameter, NotFound
from .auth import decode_auth_body, decode_registry_auth
from .images import image_error
from .platforms import Platform, decode_platform, image_mismatch
from .events import NO_EVENTS, find_image, labels_of


@attrs.frozen
class PushJob:
    """A checked push request: what to push, with which credentials."""

    ref: refmod.Reference
    credentials: Credentials
    platform: "Platform | None" = None


class Pusher:
    """Pushes to the simulated hub."""

    events = NO_EVENTS

    def __init__(self, images, layers, hub, metadata):
        self.images = images
        self.layers = layers
        self.hub = hub
        self.metadata = metadata

    def push_check(self, name: str, tag: str = "", registry_auth: str = "",
                   body: bytes = b"", platform: str = "") -> PushJob:
        """Parse the request; raises InvalidParameter (400).  ``platform``
        is JSON (`decode_platform`)."""
        if registry_auth:
            creds, _ignored = decode_registry_auth(registry_auth)
        else:
            creds, err = decode_auth_body(body)
            if err is not None:
                raise InvalidParameter(f"bad parameters and missing X-Registry-Auth: {err}")
        try:
            if tag:
                ref = refmod.parse(name)
                if ref.digest is not None:
                    raise InvalidReference("cannot import digest reference")
                ref = ref.with_tag(tag)
            else:
                ref = refmod.parse(name)
        except ImageError as err:
            raise InvalidParameter(str(err)) from None
        return PushJob(ref, creds, decode_platform(platform) if platform else None)

    def _check_platform(self, ref: refmod.Reference, platform: Platform) -> None:
        """moby's ``GetImage`` with a platform, before a push: the image
        the reference names (a bare name: ``:latest``) must be of that
        platform (`only_with_fallback`).  Raises NotFound."""
        try:
            img = self.images.lookup(str(ref))
        except ImageError as err:
            raise image_error(err) from None
        mismatch = image_mismatch(ref.familiar_string, img.config, platform)
        if mismatch is not None:
            raise NotFound(mismatch)

    async def push(self, job: PushJob):
        """The JSON messages of the push; errors raise from inside the
        iteration (in-band once the first message is out; a platform the
        image does not have is found before, a 404)."""
        if job.platform is not None:
            self._check_platform(job.ref, job.platform)
        events = iter(sim_push(job.ref, self.hub, self.layers, self.images, self.metadata,
                               job.credentials))
        while True:
            try:
                event = next(events, None)
            except ImageError as err:
                raise image_error(err) from None
            if event is None:
                self.events.image(job.ref.familiar_string, job.ref.familiar, "push",
                                  labels_of(find_image(self.images, str(job.ref))))
                return
            yield event.to_json()
            await asyncio.sleep(0)
