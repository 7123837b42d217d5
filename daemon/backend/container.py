"""The container record: what Docker knows about one container.

`Container` holds the configuration a client gave (Config, HostConfig,
merged with the image's defaults), the runtime state and, while it runs,
the runtime's handle on it.  `State.status`
changes only through `TRANSITIONS`, Docker's lifecycle::

    created --start--> running --exit--> exited --start--> running
    created --start_failed--> created        (exec of the command failed)
    exited --schedule_restart--> restarting --start--> running   (restart policy)
    restarting --cancel_restart--> exited    (docker stop while it waits)
    created/exited/restarting --remove--> removing
    running --pause--> paused --unpause--> running   (the cgroup frozen; still running)
    paused --exit--> exited                  (killed while frozen)
"""

import attrs

from ...sim.golang import rfc3339_nano

ZERO_TIME = "0001-01-01T00:00:00Z"

#: (status, event) -> next status.
TRANSITIONS = {
    ("created", "start"): "running",
    ("exited", "start"): "running",
    ("created", "start_failed"): "created",
    ("exited", "start_failed"): "exited",
    ("running", "exit"): "exited",
    ("exited", "schedule_restart"): "restarting",
    ("restarting", "start"): "running",
    ("restarting", "start_failed"): "exited",
    ("restarting", "cancel_restart"): "exited",
    ("restarting", "remove"): "removing",
    ("created", "remove"): "removing",
    ("exited", "remove"): "removing",
    ("running", "remove"): "removing",  # only with force, after a kill
    ("running", "pause"): "paused",
    ("paused", "unpause"): "running",
    ("paused", "exit"): "exited",
    ("paused", "remove"): "removing",
    ("dead", "remove"): "removing",
}


def rfc3339(t: "float | None") -> str:
    """RFC 3339 with nanoseconds in UTC, as Go's time.RFC3339Nano prints it
    (trailing zeros of the fraction dropped); the zero time for None."""
    return rfc3339_nano(t, ZERO_TIME)


@attrs.define(eq=False)
class State:
    status: str = "created"
    pid: int = 0  # host PID of the container's first process while running
    exit_code: int = 0
    error: str = ""
    started_at: "float | None" = None
    finished_at: "float | None" = None
    oom_killed: bool = False
    #: State.Health (health.py): {"Status", "FailingStreak", "Log"}; None
    #: without a health check.
    health: "dict | None" = None

    def can(self, event: str) -> bool:
        return (self.status, event) in TRANSITIONS

    def transition(self, event: str) -> None:
        try:
            self.status = TRANSITIONS[(self.status, event)]
        except KeyError:
            raise RuntimeError(f"container state {self.status!r} has no transition {event!r}") from None

    @property
    def running(self) -> bool:
        """moby's State.Running: true while paused too."""
        return self.status in ("running", "paused")

    @property
    def paused(self) -> bool:
        return self.status == "paused"

    def to_doc(self) -> dict:
        return attrs.asdict(self)

    @classmethod
    def from_doc(cls, doc: dict) -> "State":
        fields = {f.name for f in attrs.fields(cls)}
        return cls(**{k: v for k, v in doc.items() if k in fields})


@attrs.define(eq=False)
class Container:
    id: str
    name: str  # without the leading "/"
    created: float
    #: Config as Docker reports it (image defaults merged in).
    config: dict
    host_config: dict
    image_id: str  # "sha256:<hex>"
    #: The image's layers (DiffIDs, bottom first).  The container holds a
    #: reference on their chain, so it still starts after ``rmi -f``.
    diff_ids: list
    path: str
    args: list
    state: State = attrs.field(factory=State)
    restart_count: int = 0
    #: A user stopped or killed it (restart policies leave it alone then).
    manually_stopped: bool = False
    exec_ids: list = attrs.field(factory=list)
    #: Runtime only: the pending restart (an asyncio TimerHandle) and the
    #: current back-off, while the restart policy waits to start it again.
    restart_timer: object = attrs.field(default=None, repr=False)
    restart_delay: float = 0.0
    #: Runtime only: a removal has begun (moby's RemovalInProgress): no
    #: start, restart policy or second removal may touch it meanwhile.
    removal_in_progress: bool = attrs.field(default=False, repr=False)
    #: The networks it is on: network name -> EndpointSettings (the Engine
    #: API's shape; see containernet.py), persisted.
    networks: dict = attrs.field(factory=dict)
    #: Runtime only, while running: the sandbox id of this run.
    sandbox_id: str = ""
    #: Runtime only (not persisted): the runtime's handle on the running
    #: container (`sim.runtime.handle.ContainerHandle`).
    handle: object = attrs.field(default=None, repr=False)
    #: Runtime only: NetworkSettings.Ports of this run, "8080/tcp" ->
    #: [{"HostIp", "HostPort"}] or None (exposed, not published).
    ports: dict = attrs.field(factory=dict, repr=False)
    #: Runtime only: attach subscribers, wait futures, log followers.
    hub: object = attrs.field(default=None, repr=False)
    #: The writable layer (`sim.runtime.handle.WritableLayer`), kept
    #: between runs (saved in the data root when the container stops).
    writable: object = attrs.field(default=None, repr=False)
    #: The network files of its last run by name ("hosts"...), as kept in
    #: the data root (None: not read yet).
    network_files: "dict | None" = attrs.field(default=None, repr=False)
    #: Its volumes, bind mounts and tmpfs mounts (see mounts.py), persisted.
    mount_points: list = attrs.field(factory=list)

    @property
    def short_id(self) -> str:
        return self.id[:12]

    @property
    def tty(self) -> bool:
        return bool(self.config.get("Tty"))

    PERSISTED = ("id", "name", "created", "config", "host_config", "image_id", "diff_ids", "path",
                 "args", "restart_count", "manually_stopped", "networks", "mount_points")

    def to_doc(self) -> dict:
        doc = {k: getattr(self, k) for k in self.PERSISTED}
        doc["state"] = self.state.to_doc()
        return doc

    @classmethod
    def from_doc(cls, doc: dict) -> "Container":
        kwargs = {k: doc[k] for k in cls.PERSISTED if k in doc}
        container = cls(state=State.from_doc(doc.get("state", {})), **kwargs)
        if "networks" not in doc:  # a record from before networks: its network mode's
            from .containernet import initial_networks  # noqa: PLC0415 - a cycle otherwise
            container.networks = initial_networks(container.host_config, None)
        return container


def merge_env(base, extra) -> list:
    """``base`` overridden by ``extra``, keyed by variable name (moby's
    ``ReplaceOrAppendEnvValues``: the image's Env by the client's, the
    link variables by the container's Env)."""
    out, index = [], {}
    for item in list(base or []) + list(extra or []):
        key = item.split("=", 1)[0]
        if key in index:
            out[index[key]] = item
        else:
            index[key] = len(out)
            out.append(item)
    return out
