"""Swarm mode, as a dockerd that is not part of a swarm answers it
(moby's ``daemon/cluster``: ``Cluster`` with no node runner).

dockersim simulates one engine and no swarm: the node's state is
``inactive`` for ever.  What dockerd answers in that state, it answers
here, in its words and with its status (``errdefs.Unavailable``: 503):

- every manager action (``lockedManagerAction`` and the list calls that
  check ``IsActiveManager`` themselves: swarm inspect, update, unlock key,
  unlock; services, nodes, tasks, secrets, configs; service and task
  logs) is ``errNoManager`` of a node without a swarm node:
  ``This node is not a swarm manager. Use "docker swarm init" or "docker
  swarm join" to connect this node to swarm and try again.``;
- ``Leave`` without a node runner is ``errNoSwarm``: ``This node is not
  part of a swarm``;
- ``Info`` is the ``Swarm`` section of ``GET /info``: ``LocalNodeState``
  ``inactive``, no node id, no address, no control.

``Init`` and ``Join`` are where a real dockerd would start a swarmkit
node; dockersim does not simulate one, so both are refused with 501 in
dockersim's words (``NotImplementedYet``), never a 500.
"""

from __future__ import annotations

from ...sim.golang.errors import GoError
from ...sim.golang.json import BOOL, STRING, STRING_MAP, STRINGS, Field, Ptr, Scalar, Slice, Struct
from ...sim.golang.strconv import parse_bool, parse_uint
from ..errors import InvalidParameter, NotImplementedYet, Unavailable
from ..support import version_less
from .filters import FilterError, Filters
from .requests import check_go_types

__all__ = ["Cluster", "NOT_MANAGER", "NO_SWARM", "NOT_SIMULATED", "LOCAL_NODE_STATE", "KINDS"]

#: The swarm objects, and how the router names each in its version error
#: (``invalid service version '…': …``; secrets and configs say no more).
KINDS = {"services": "service", "nodes": "node", "tasks": "task", "secrets": "secret", "configs": "config"}

#: ``errNoManager`` for a node that has no swarm node (cluster.go).
NOT_MANAGER = ('This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" '
               "to connect this node to swarm and try again.")
#: ``errNoSwarm`` (errors.go): ``Leave`` without a node runner.
NO_SWARM = "This node is not part of a swarm"
#: dockersim's own refusal of ``swarm init`` and ``swarm join``.
NOT_SIMULATED = ("swarm mode is not simulated by dockersim: this node cannot {verb} a swarm; "
                 "it stays a single engine (LocalNodeState \"inactive\"), so services, nodes, "
                 "tasks, secrets and configs are unavailable")
def _opaque(short: str, package: str = "swarm") -> Struct:
    """A nested spec type whose fields dockersim does not check (nothing
    reads them: every use of a spec ends at the manager check)."""
    return Struct(short, f"{package}.{short}", ())


def _annotated(short: str, fields: tuple) -> Struct:
    """A spec with ``Annotations`` embedded (Name, Labels)."""
    via = ("Annotations",)
    return Struct(short, f"swarm.{short}", (Field("Name", STRING, via=via), Field("Labels", STRING_MAP, via=via))
                  + fields)


_UINT32 = Scalar("int", "uint32")
_BYTES = Scalar("string", "[]uint8")  # Go's []byte: base64 text (its alphabet is not checked)
_DRIVER = Ptr(Struct("Driver", "swarm.Driver", (Field("Name", STRING), Field("Options", STRING_MAP))))
_NODE_AVAILABILITY = Scalar("string", "swarm.NodeAvailability")

#: The request bodies of the swarm routes, at the depth their fields are
#: checked (top-level fields with their Go types; nested specs opaque).
SPEC = _annotated("Spec", (
    Field("Orchestration", _opaque("OrchestrationConfig")), Field("Raft", _opaque("RaftConfig")),
    Field("Dispatcher", _opaque("DispatcherConfig")), Field("CAConfig", _opaque("CAConfig")),
    Field("TaskDefaults", _opaque("TaskDefaults")), Field("EncryptionConfig", _opaque("EncryptionConfig"))))
BODY_TYPES = {
    "swarm.InitRequest": Struct("InitRequest", "swarm.InitRequest", (
        Field("ListenAddr", STRING), Field("AdvertiseAddr", STRING), Field("DataPathAddr", STRING),
        Field("DataPathPort", _UINT32), Field("ForceNewCluster", BOOL), Field("Spec", SPEC),
        Field("AutoLockManagers", BOOL), Field("Availability", _NODE_AVAILABILITY),
        Field("DefaultAddrPool", STRINGS), Field("SubnetSize", _UINT32))),
    "swarm.JoinRequest": Struct("JoinRequest", "swarm.JoinRequest", (
        Field("ListenAddr", STRING), Field("AdvertiseAddr", STRING), Field("DataPathAddr", STRING),
        Field("RemoteAddrs", STRINGS), Field("JoinToken", STRING), Field("Availability", _NODE_AVAILABILITY))),
    "swarm.UnlockRequest": Struct("UnlockRequest", "swarm.UnlockRequest", (Field("UnlockKey", STRING),)),
    "swarm.Spec": SPEC,
    "swarm.ServiceSpec": _annotated("ServiceSpec", (
        Field("TaskTemplate", _opaque("TaskSpec")), Field("Mode", _opaque("ServiceMode")),
        Field("UpdateConfig", Ptr(_opaque("UpdateConfig"))), Field("RollbackConfig", Ptr(_opaque("UpdateConfig"))),
        Field("Networks", Slice(_opaque("NetworkAttachmentConfig"), "[]swarm.NetworkAttachmentConfig")),
        Field("EndpointSpec", Ptr(_opaque("EndpointSpec"))))),
    "swarm.NodeSpec": _annotated("NodeSpec", (
        Field("Role", Scalar("string", "swarm.NodeRole")), Field("Availability", _NODE_AVAILABILITY))),
    "swarm.SecretSpec": _annotated("SecretSpec", (
        Field("Data", _BYTES), Field("Driver", _DRIVER), Field("Templating", _DRIVER))),
    "swarm.ConfigSpec": _annotated("ConfigSpec", (Field("Data", _BYTES), Field("Templating", _DRIVER))),
}


_SPEC_TYPES = {"services": "swarm.ServiceSpec", "nodes": "swarm.NodeSpec", "secrets": "swarm.SecretSpec",
               "configs": "swarm.ConfigSpec"}


def check_body(body: dict, go_type: str) -> None:
    """Go's type errors for a swarm request body (``invalid JSON: json:
    cannot unmarshal number into Go struct field ServiceSpec.Annotations.Name
    of type string``)."""
    if go_type in BODY_TYPES:
        check_go_types(body, BODY_TYPES[go_type])


#: ``swarm.LocalNodeStateInactive``.
LOCAL_NODE_STATE = "inactive"


class Cluster:
    """The swarm side of the engine: a node outside any swarm.

    The state is data (``state``), not a constant in every method, so the
    answers follow from it as dockerd's follow from ``nodeState``.
    """

    def __init__(self) -> None:
        self.state = LOCAL_NODE_STATE
        self.node_id = ""
        self.node_addr = ""

    def is_active_manager(self) -> bool:
        return False  # no swarmkit node runs here, ever

    # -- the manager actions ----------------------------------------------------

    def manager_action(self) -> None:
        """``lockedManagerAction``'s check: raises ``errNoManager``."""
        if not self.is_active_manager():
            raise Unavailable(NOT_MANAGER)

    # -- the swarm itself -------------------------------------------------------

    def init(self, request: dict) -> str:
        """``POST /swarm/init``: refused, a swarm is not simulated."""
        check_body(request, "swarm.InitRequest")
        raise NotImplementedYet(NOT_SIMULATED.format(verb="initialize"))

    def join(self, request: dict) -> None:
        """``POST /swarm/join``: refused, a swarm is not simulated."""
        check_body(request, "swarm.JoinRequest")
        raise NotImplementedYet(NOT_SIMULATED.format(verb="join"))

    def leave(self, force: bool) -> None:
        """``POST /swarm/leave``: no node runner, ``errNoSwarm`` (force or not)."""
        if self.state == LOCAL_NODE_STATE:
            raise Unavailable(NO_SWARM)

    def info(self) -> dict:
        """``Cluster.Info``: the ``Swarm`` section of ``GET /info``
        (``Nodes``, ``Managers``, ``Cluster`` and ``Warnings`` are omitted
        when empty, as their ``omitempty`` tags say)."""
        return {
            "NodeID": self.node_id,
            "NodeAddr": self.node_addr,
            "LocalNodeState": self.state,
            "ControlAvailable": self.is_active_manager(),
            "Error": "",
            "RemoteManagers": None,
        }

    # -- the parameters the swarm router reads before it asks the cluster ------

    def _version(self, kind: str, raw: str) -> int:
        """The ``version`` query parameter, ``strconv.ParseUint(raw, 10, 64)``."""
        try:
            return parse_uint(raw)
        except GoError as err:
            if kind in ("secret", "config"):
                raise InvalidParameter(f"invalid {kind} version") from None
            raise InvalidParameter(f"invalid {kind} version '{raw}': {err}") from None

    @staticmethod
    def _filters(text: str) -> Filters:
        """``filters.FromJSON`` (the keys are checked later, by the manager)."""
        try:
            return Filters.from_json(text or "")
        except FilterError as err:
            raise InvalidParameter(str(err)) from None

    @staticmethod
    def _bool(name: str, raw: str) -> bool:
        """``strconv.ParseBool`` of a query value, wrapped as the router does."""
        try:
            return parse_bool(raw)
        except GoError as err:
            raise InvalidParameter(f"invalid value for {name}: {raw}: {err}") from None

    # -- the swarm routes -------------------------------------------------------

    def inspect(self) -> dict:
        """``GET /swarm``."""
        self.manager_action()
        return {}

    def update(self, spec: dict, version: str, rotations: "dict[str, str]") -> None:
        """``POST /swarm/update``: the version and the rotate flags are read
        first (``invalid swarm version '…'``, ``invalid value for
        rotateWorkerToken: …``), then the manager is asked."""
        check_body(spec, "swarm.Spec")
        self._version("swarm", version)
        for name in ("rotateWorkerToken", "rotateManagerToken", "rotateManagerUnlockKey"):
            value = rotations.get(name, "")
            if value:
                try:
                    parse_bool(value)
                except GoError:
                    raise InvalidParameter(f"invalid value for {name}: {value}") from None
        self.manager_action()

    def unlock_key(self) -> dict:
        """``GET /swarm/unlockkey``."""
        self.manager_action()
        return {}

    def unlock(self, request: dict) -> None:
        """``POST /swarm/unlock``: ``UnlockSwarm`` of a node that is not
        locked and not a manager answers ``errNoManager``."""
        check_body(request, "swarm.UnlockRequest")
        self.manager_action()

    # -- services, nodes, tasks, secrets, configs -------------------------------

    def list(self, kind: str, filters: str = "", status: str = "", api_version: str = "") -> list:
        """``GET /services``, ``/nodes``, ``/tasks``, ``/secrets``, ``/configs``."""
        self._filters(filters)
        if kind == "services" and status and not version_less(api_version or "1.50", "1.41"):
            self._bool("status", status)
        self.manager_action()
        return []

    def inspect_object(self, kind: str, ref: str, insert_defaults: str = "") -> dict:
        """``GET /<kind>/{id}``."""
        if kind == "services" and insert_defaults:
            self._bool("insertDefaults", insert_defaults)
        self.manager_action()
        return {}

    def create(self, kind: str, spec: dict, api_version: str = "") -> dict:
        """``POST /<kind>/create``: secrets and configs refuse templating
        below API 1.37 before the manager is asked."""
        check_body(spec, _SPEC_TYPES[kind])
        version = api_version or "1.50"
        if kind in ("secrets", "configs") and spec.get("Templating") is not None \
                and version_less(version, "1.37"):
            raise InvalidParameter(f"{KINDS[kind]} templating is not supported on the specified "
                                   f"API version: {version}")
        self.manager_action()
        return {}

    def update_object(self, kind: str, ref: str, spec: dict, version: str) -> dict:
        """``POST /<kind>/{id}/update``: the version first."""
        check_body(spec, _SPEC_TYPES[kind])
        self._version(KINDS[kind], version)
        self.manager_action()
        return {}

    def remove(self, kind: str, ref: str, force: bool = False) -> None:
        """``DELETE /<kind>/{id}``."""
        self.manager_action()

    def logs(self, kind: str, ref: str, stdout: bool, stderr: bool) -> None:
        """``GET /services/{id}/logs``, ``/tasks/{id}/logs``: ``swarmLogs``
        checks the streams, then looks the service or task up (a manager
        action).  moby's stream error is untyped (its 500); it is the
        client's input, so dockersim answers 400."""
        if not stdout and not stderr:
            raise InvalidParameter("Bad parameters: you must choose at least one stream")
        self.manager_action()
