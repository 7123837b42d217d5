"""The event bus behind ``GET /events``: moby's daemon/events (events.go,
filter.go) and the ``Log*Event`` helpers of daemon/events.go.

Emitting (one line at the service, at the moment dockerd logs it)::

    self.events.container(container, "start")                  # labels + image + name
    self.events.container(container, "die", exitCode="0", execDuration="3")
    self.events.image(image_id, ref_name, "tag", labels)       # name=ref_name
    self.events.network(network, "connect", container=cid)     # name + type
    self.events.emit("volume", "create", name, {"driver": "local"})   # anything else

Every service that emits has ``events = NO_EVENTS`` as a class attribute
(a bus that drops everything, so a service built alone in a test needs
nothing); the engine sets the real bus on each one.  Attribute values are
strings, as on the wire.

The bus stamps each message with the injected clock (``time`` in seconds,
``timeNano``), keeps the last `EVENTS_LIMIT` (256) for replay with
``since``/``until`` and hands every new message to each subscription
whose filter includes it.  A subscription holds at most `BUFFER_SIZE`
(1024) messages; a subscriber that falls that far behind misses the new
ones (moby's pubsub gives each subscriber 100 ms and then skips it), so
the daemon never waits for a slow client.
"""

from __future__ import annotations

import asyncio
import collections
from typing import Any, Optional

import attrs

from ...sim.golang.json import encode_string
from ...sim.images import reference as refmod
from ...sim.images.errors import InvalidReference
from ..errors import InvalidParameter, SystemError
from ..support import version_less
from .filters import FilterError, Filters

__all__ = ["EventBus", "EventFilter", "Subscription", "Events", "EventStream", "NO_EVENTS",
           "EVENTS_LIMIT", "BUFFER_SIZE"]

#: Messages kept for replay (moby's ``eventsLimit``).
EVENTS_LIMIT = 256
#: Messages a subscription holds before it skips new ones (moby's ``bufferSize``).
BUFFER_SIZE = 1024

#: Actions an ``event`` filter matches by prefix when named without their
#: ``: command`` tail (moby #25798: ``exec_start`` matches ``exec_start: sh -c ...``).
_FUZZY_ACTIONS = {"health_status", "exec_create", "exec_start"}

#: The types whose filter (of the same name) matches the actor's id or name by prefix.
_NAMED_TYPES = ("daemon", "container", "plugin", "volume", "network", "service", "node",
                "secret", "config")


def _nanos(seconds: float) -> int:
    """Unix nanoseconds of a clock reading (a float holds microseconds
    exactly; finer digits would be noise)."""
    return int(round(seconds * 1_000_000)) * 1000


def _strip_tag(image: str) -> str:
    """filter.go's ``stripTag``: the familiar repository name of a reference."""
    try:
        return refmod.parse(image).familiar
    except (InvalidReference, ValueError):
        return image


class EventFilter:
    """moby's ``events.Filter``: which messages a ``filters`` value includes.
    Unknown filter names are accepted and ignored, as dockerd does."""

    def __init__(self, filters: Filters):
        self.f = filters

    def _exact(self, key: str, source: str) -> bool:
        values = self.f.fields.get(key)
        return not values or bool(values.get(source))

    def _fuzzy(self, key: str, source: str) -> bool:
        if self._exact(key, source):
            return True
        return any(source.startswith(prefix) for prefix in self.f.fields.get(key) or {})

    def _named(self, msg: dict, kind: str) -> bool:
        actor = msg["Actor"]
        return self._fuzzy(kind, actor["ID"]) or self._fuzzy(kind, actor["Attributes"].get("name", ""))

    def _event(self, action: str) -> bool:
        if any(v in _FUZZY_ACTIONS for v in self.f.fields.get("event") or {}):
            return self._fuzzy("event", action)
        return self._exact("event", action)

    def _image(self, msg: dict) -> bool:
        actor = msg["Actor"]
        name = actor["Attributes"].get("name" if msg["Type"] == "image" else "image", "")
        return any(self._exact("image", s)
                   for s in (actor["ID"], name, _strip_tag(actor["ID"]), _strip_tag(name)))

    def include(self, msg: dict) -> bool:
        return (self._event(msg["Action"])
                and self._exact("type", msg["Type"])
                and (not self.f.contains("scope") or self._exact("scope", msg.get("scope", "")))
                and all(self._named(msg, kind) for kind in _NAMED_TYPES)
                and self._image(msg)
                and (not self.f.contains("label")
                     or self.f.match_kv_list("label", msg["Actor"]["Attributes"])))


class Subscription:
    """One listener: a bounded queue of messages its filter included."""

    def __init__(self, bus: "EventBus", topic: Optional[EventFilter]):
        self.bus = bus
        self.topic = topic
        self.queue: "collections.deque[dict]" = collections.deque()
        self.skipped = 0
        self._waiter: "Optional[asyncio.Future]" = None

    def offer(self, msg: dict) -> None:
        if self.topic is not None and not self.topic.include(msg):
            return
        if len(self.queue) >= BUFFER_SIZE:
            self.skipped += 1  # a slow subscriber misses it; the daemon never waits
            return
        self.queue.append(msg)
        self.wake()

    async def next(self) -> "dict | None":
        """The next message (waits for one); None once the bus is closed."""
        while not self.queue:
            if self.bus.closed:
                return None
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        return self.queue.popleft()

    def wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    def close(self) -> None:
        """``Evict``: stop receiving."""
        self.bus.subscribers.discard(self)


class EventBus:
    """moby's ``events.Events``: the log of recent messages and the subscribers."""

    def __init__(self, clock):
        self.clock = clock
        self.log: "collections.deque[dict]" = collections.deque(maxlen=EVENTS_LIMIT)
        self.subscribers: "set[Subscription]" = set()
        #: True once the daemon stops: waiting subscribers get None.
        self.closed = False

    def close(self) -> None:
        self.closed = True
        for sub in list(self.subscribers):
            sub.wake()

    # -- emitting --------------------------------------------------------------
    def emit(self, type: str, action: str, actor_id: str,
             attributes: "dict[str, str] | None" = None) -> dict:
        """``Events.Log``: a local-scope message stamped now, published."""
        nanos = _nanos(self.clock.now())
        msg: "dict[str, Any]" = {}
        # The deprecated top-level fields dockerd still fills for containers and images.
        if type in ("container", "image"):
            msg["status"] = action
            if actor_id:
                msg["id"] = actor_id
            if type == "container" and (attributes or {}).get("image"):
                msg["from"] = attributes["image"]
        msg.update({"Type": type, "Action": action,
                    "Actor": {"ID": actor_id, "Attributes": dict(attributes or {})},
                    "scope": "local", "time": nanos // 1_000_000_000, "timeNano": nanos})
        self.log.append(msg)
        for sub in list(self.subscribers):
            sub.offer(msg)
        return msg

    def container(self, container, action: str, **extra: str) -> dict:
        """``LogContainerEventWithAttributes``: the container's labels, then
        ``image`` (as the user named it) and ``name``, then ``extra``."""
        config = container.config
        attributes = {**(config.get("Labels") or {}), **extra}
        if config.get("Image"):
            attributes["image"] = config["Image"]
        attributes["name"] = container.name.lstrip("/")
        return self.emit("container", action, container.id, attributes)

    def image(self, image_id: str, ref_name: str, action: str,
              labels: "dict[str, str] | None" = None) -> dict:
        """``LogImageEvent``: the image's labels (when it still exists) and
        ``name``."""
        attributes = dict(labels or {})
        if ref_name:
            attributes["name"] = ref_name
        return self.emit("image", action, image_id, attributes)

    def network(self, network, action: str, **extra: str) -> dict:
        """``LogNetworkEventWithAttributes``: ``name`` and ``type`` (the driver)."""
        attributes = dict(extra)
        attributes["name"] = network.name
        attributes["type"] = network.driver
        return self.emit("network", action, network.id, attributes)

    # -- listening -------------------------------------------------------------
    def subscribe(self, since_ns: "int | None", until_ns: "int | None",
                  filters: Filters) -> "tuple[list[dict], Subscription]":
        """``SubscribeTopic``: the logged messages between ``since`` and
        ``until`` (none when neither is given) that the filters include,
        and a subscription for what comes next (no gap, no repeat)."""
        topic = EventFilter(filters) if filters.fields else None
        buffered: "list[dict]" = []
        if since_ns is not None or until_ns is not None:
            since = since_ns or 0
            for msg in reversed(self.log):
                if msg["timeNano"] < since:
                    break
                if until_ns and msg["timeNano"] > until_ns:
                    continue
                if topic is None or topic.include(msg):
                    buffered.append(msg)
            buffered.reverse()
        sub = Subscription(self, topic)
        self.subscribers.add(sub)
        return buffered, sub

    def listeners(self) -> int:
        return len(self.subscribers)


class _NoEvents(EventBus):
    """A bus that keeps and sends nothing (services built without an engine)."""

    def __init__(self):
        super().__init__(clock=None)

    def emit(self, type, action, actor_id, attributes=None) -> dict:
        return {}


NO_EVENTS = _NoEvents()


def _event_time(value: str) -> "int | None":
    """The router's ``eventTime``: ``<seconds>[.<fraction>]`` (the CLI
    turns durations and dates into this before sending) as nanoseconds;
    None when absent.  Anything else is Go's strconv error, which dockerd
    answers with a 500."""
    if value == "":
        return None
    sec_text, dot, frac_text = value.partition(".")
    for text in (sec_text,) + ((frac_text,) if dot else ()):
        if not text or not text.lstrip("+-").isdigit() or text[0] in "+-" and len(text) == 1:
            raise SystemError(f'strconv.ParseInt: parsing "{text}": invalid syntax')
    seconds = int(sec_text)
    nanos = int(int(frac_text) * 10 ** (9 - len(frac_text))) if dot else 0
    return seconds * 1_000_000_000 + nanos


def _encode_value(value) -> str:
    if isinstance(value, dict):
        return "{" + ",".join(encode_string(k) + ":" + _encode_value(v) for k, v in value.items()) + "}"
    if isinstance(value, str):
        return encode_string(value)
    return str(int(value))


def encode_message(msg: dict) -> bytes:
    """One message as Go's ``json.Encoder`` writes an ``events.Message``:
    the struct's field order, the attributes (a map) sorted, HTML-safe
    strings, a newline after."""
    actor = msg["Actor"]
    msg = dict(msg, Actor={"ID": actor["ID"], "Attributes": dict(sorted(actor["Attributes"].items()))})
    return (_encode_value(msg) + "\n").encode()


@attrs.frozen
class EventStream:
    """What ``GET /events`` streams: the replayed messages, then (unless
    ``until`` is past) the subscription's, until ``deadline`` (seconds from
    now; None: until the client leaves)."""

    buffered: "list[dict]"
    subscription: Subscription
    past_only: bool
    deadline: "float | None"

    @staticmethod
    def encode(msg: dict) -> bytes:
        return encode_message(msg)


class Events:
    """The ``/events`` facet over the bus: parses ``since``, ``until`` and
    ``filters`` as system_routes.go's ``getEvents`` does."""

    def __init__(self, bus: EventBus, clock):
        self.bus = bus
        self.clock = clock

    def subscribe(self, since: str = "", until: str = "", filters: str = "",
                  api_version: str = "") -> EventStream:
        since_ns = _event_time(since)
        until_ns = _event_time(until)
        past_only, deadline = False, None
        if until_ns is not None:
            if since_ns is not None and until_ns < since_ns:
                raise InvalidParameter(f"`since` time ({since}) cannot be after `until` time ({until})")
            now_ns = _nanos(self.clock.now())
            past_only = until_ns < now_ns
            deadline = None if past_only else (until_ns - now_ns) / 1e9
        try:
            f = Filters.from_json(filters)
        except FilterError as err:
            raise InvalidParameter(str(err)) from None
        buffered, sub = self.bus.subscribe(since_ns, until_ns, f)
        if api_version and version_less(api_version, "1.46"):
            # Image create events came with API 1.46.
            sub.topic = _SkipImageCreate(sub.topic)
            buffered = [m for m in buffered if not (m["Type"] == "image" and m["Action"] == "create")]
        return EventStream(buffered, sub, past_only, deadline)


class _SkipImageCreate:
    def __init__(self, inner: "EventFilter | None"):
        self.inner = inner

    def include(self, msg: dict) -> bool:
        if msg["Type"] == "image" and msg["Action"] == "create":
            return False
        return self.inner is None or self.inner.include(msg)



def labels_of(img) -> "dict[str, str]":
    """An image's ``Config.Labels`` (what ``LogImageEvent`` copies)."""
    config = (img.config or {}).get("config") if img is not None else None
    return dict((config or {}).get("Labels") or {}) if isinstance(config, dict) else {}


def find_image(images, name: str):
    """The image ``name`` names now, or None (``GetImage`` in ``LogImageEvent``)."""
    try:
        return images.lookup(name)
    except Exception:  # noqa: BLE001 - ImageNotFound, InvalidReference: no labels then
        return None
