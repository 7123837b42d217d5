"""``docker network``: moby's daemon/network.go and api/server/router/network.

`Networks` keeps the daemon's networks (moby's libnetwork controller as
the API sees it): the three predefined ones (``bridge``, ``host``,
``none``) and those users create, persisted in the data root::

    networks/<id>.json      one `Network` record

A bridge network is also a network of the simulated machine's stack
(``machine.net``, keyed by the network's id): the stack owns the subnet's
addresses (IPAM) and the endpoints; this service owns the names, ids,
options and labels, and answers the API's questions from both.
"""

from __future__ import annotations

import ipaddress
import logging
import re

import attrs

from ..errors import Conflict, DockerError, Forbidden, InvalidParameter, NotFound, SystemError
from .container import rfc3339
from .filters import Filters, parse_filters, prune_labels_match
from .images import _time_filter
from .events import NO_EVENTS
from . import netoptions

log = logging.getLogger("dockersim.networks")

#: moby's ``network.IsPredefined``.
PREDEFINED = ("bridge", "host", "none")

#: The default bridge as dockerd configures it (daemon/daemon_unix.go
#: initBridgeDriver): docker0, 172.17.0.0/16.
DEFAULT_BRIDGE_SUBNET = "172.17.0.0/16"
DEFAULT_BRIDGE_GATEWAY = "172.17.0.1"
DEFAULT_BRIDGE_OPTIONS = {
    "com.docker.network.bridge.default_bridge": "true",
    "com.docker.network.bridge.enable_icc": "true",
    "com.docker.network.bridge.enable_ip_masquerade": "true",
    "com.docker.network.bridge.host_binding_ipv4": "0.0.0.0",
    "com.docker.network.bridge.name": "docker0",
    "com.docker.network.driver.mtu": "1500",
}

#: moby's ``api/types/network.acceptedFilters``.
LIST_FILTERS = {"dangling", "driver", "id", "label", "name", "scope", "type"}
#: moby's network prune filters (``until``, ``label``, ``label!``).
PRUNE_FILTERS = {"until", "label", "label!"}

#: The drivers dockerd has built in; only ``bridge`` can be created here.
BUILTIN_DRIVERS = ("bridge", "host", "ipvlan", "macvlan", "null", "overlay")


def is_predefined(name: str) -> bool:
    return name in PREDEFINED


@attrs.define(eq=False)
class Network:
    """One network as the daemon knows it.  ``subnet``/``gateway`` are the
    addresses in effect (the user's, or what the stack's IPAM chose);
    ``ipam_config`` is what the user asked for (moby shows that in
    inspect when given)."""

    id: str
    name: str
    driver: str
    created: float
    scope: str = "local"
    internal: bool = False
    attachable: bool = False
    enable_ipv4: bool = True
    enable_ipv6: bool = False
    ipam_driver: str = "default"
    ipam_options: "dict | None" = None
    ipam_config: list = attrs.field(factory=list)
    subnet: str = ""
    gateway: str = ""
    options: dict = attrs.field(factory=dict)
    labels: dict = attrs.field(factory=dict)

    @property
    def predefined(self) -> bool:
        return is_predefined(self.name)

    @property
    def user_defined(self) -> bool:
        """moby's ``NetworkMode.IsUserDefined``: not bridge/default, host,
        none, nor container:."""
        return not self.predefined

    @property
    def user_subnet(self) -> bool:
        """The user configured a subnet (fixed IPs are allowed then)."""
        return any(c.get("Subnet") for c in self.ipam_config)

    @property
    def prefixlen(self) -> int:
        return ipaddress.ip_network(self.subnet).prefixlen if self.subnet else 0

    @property
    def host_binding_ipv4(self) -> str:
        """The host address a published port without one binds
        (``com.docker.network.bridge.host_binding_ipv4``; "" = 0.0.0.0 and ::)."""
        value = self.options.get(netoptions.HOST_BINDING_IPV4) or ""
        return "" if value in ("", "0.0.0.0") else value

    @property
    def ip_range(self) -> str:
        return next((c.get("IPRange") or "" for c in self.ipam_config if c.get("Subnet")), "")

    def to_doc(self) -> dict:
        return attrs.asdict(self)

    @classmethod
    def from_doc(cls, doc: dict) -> "Network":
        fields = {f.name for f in attrs.fields(cls)}
        return cls(**{k: v for k, v in doc.items() if k in fields})

    def ipam_view(self) -> dict:
        """moby's ``buildIPAMResources``: the user's configs, else what the
        IPAM chose (Subnet and Gateway)."""
        if self.driver not in ("bridge",):
            config = None
        elif self.user_subnet:
            config = []
            for c in self.ipam_config:
                entry = {k: c[k] for k in ("Subnet", "IPRange", "Gateway") if c.get(k)}
                if c.get("AuxiliaryAddresses") or c.get("AuxAddress"):
                    entry["AuxiliaryAddresses"] = c.get("AuxiliaryAddresses") or c.get("AuxAddress")
                config.append(entry)
        else:
            config = [{"Subnet": self.subnet, "Gateway": self.gateway}] if self.subnet else []
        return {"Driver": self.ipam_driver, "Options": self.ipam_options, "Config": config}


def _go_match(patterns, value: str) -> bool:
    """filters.Match: the value equals a pattern or a pattern (a regular
    expression) matches part of it."""
    for pattern in patterns:
        if pattern == value:
            return True
        try:
            if re.search(pattern, value):
                return True
        except re.error:
            continue
    return False


def _bool_option(options: dict, key: str, default: bool) -> bool:
    value = options.get(key)
    if value is None:
        return default
    low = str(value).lower()
    if low in ("1", "t", "true"):
        return True
    if low in ("0", "f", "false"):
        return False
    raise InvalidParameter(f'driver-opt "{key}" is not a valid bool')


def validate_ipam(ipam: "dict | None", enable_ipv6: bool) -> None:
    """moby's ``network.ValidateIPAM``, with its words."""
    if not ipam:
        return
    errs = []
    for cfg in ipam.get("Config") or ():
        cfg = cfg or {}
        text = cfg.get("Subnet") or ""
        try:
            subnet = ipaddress.ip_network(text, strict=False)
            if "/" not in text:
                raise ValueError(text)
        except ValueError:
            errs.append(f"invalid subnet {text}: invalid CIDR block notation")
            continue
        family = "IPv6" if subnet.version == 6 else "IPv4"
        if subnet.version == 6 and not enable_ipv6:
            continue
        given = ipaddress.ip_interface(text)
        if given.ip != subnet.network_address:
            errs.append(f"invalid subnet {text}: it should be {subnet}")
        rng = cfg.get("IPRange") or ""
        if rng:
            try:
                prefix = ipaddress.ip_network(rng, strict=False)
                if "/" not in rng:
                    raise ValueError(rng)
            except ValueError:
                errs.append(f"invalid ip-range {rng}: invalid CIDR block notation")
            else:
                if prefix.version != subnet.version:
                    errs.append(f"invalid ip-range {rng}: parent subnet is an {family} block")
                else:
                    if prefix.prefixlen < subnet.prefixlen:
                        errs.append(f"invalid ip-range {rng}: CIDR block is bigger than its "
                                    f"parent subnet {subnet}")
                    if ipaddress.ip_interface(rng).ip != prefix.network_address:
                        errs.append(f"invalid ip-range {rng}: it should be {prefix}")
                    if not subnet.overlaps(prefix):
                        errs.append(f"invalid ip-range {rng}: parent subnet {subnet} doesn't "
                                    "contain ip-range")
        gateway = cfg.get("Gateway") or ""
        if gateway:
            try:
                addr = ipaddress.ip_address(gateway)
            except ValueError:
                errs.append(f"invalid gateway {gateway}: invalid address")
            else:
                if addr.version != subnet.version:
                    errs.append(f"invalid gateway {gateway}: parent subnet is an {family} block")
                elif addr not in subnet:
                    errs.append(f"invalid gateway {gateway}: parent subnet {subnet} doesn't "
                                "contain this address")
        aux = cfg.get("AuxiliaryAddresses") or cfg.get("AuxAddress") or {}
        for aux_name, text in (aux.items() if isinstance(aux, dict) else ()):
            try:
                addr = ipaddress.ip_address(text)
            except ValueError:
                errs.append(f"invalid auxiliary address {aux_name}: invalid address")
                continue
            if addr.version != subnet.version:
                errs.append(f"invalid auxiliary address {aux_name}: parent subnet is an {family} block")
            elif addr not in subnet:
                errs.append(f"invalid auxiliary address {aux_name}: parent subnet {subnet} doesn't "
                            "contain this address")
    if errs:
        joined = errs[0] if len(errs) == 1 else "* " + "\n* ".join(errs)
        raise InvalidParameter(f"invalid network config:\n{joined}")


class Networks:
    events = NO_EVENTS

    """The daemon's networks.  ``stack`` is the machine's network stack
    (``machine.net``): a bridge network is created there too.  ``users``
    answers which containers have an endpoint on a network:
    ``users(network) -> [(container, endpoint settings)]`` (set by the
    engine)."""

    def __init__(self, store, stack, clock, ids):
        self.store = store
        self.stack = stack
        self.clock = clock
        self.ids = ids
        self.by_id: "dict[str, Network]" = {}
        self.users = lambda network: []
        self.load()

    # -- persistence -----------------------------------------------------------
    def _key(self, network: Network) -> str:
        return f"networks/{network.id}.json"

    def save(self, network: Network) -> None:
        self.store.put_json(self._key(network), network.to_doc())

    def load(self) -> None:
        for key in self.store.keys("networks"):
            if not key.endswith(".json"):
                continue
            doc = self.store.get_json(key)
            if not isinstance(doc, dict) or "id" not in doc:
                continue
            try:
                network = Network.from_doc(doc)
            except (TypeError, ValueError) as exc:
                log.warning("skipping unreadable network record %s: %s", key, exc)
                continue
            self.by_id[network.id] = network
        names = {n.name for n in self.by_id.values()}
        if "bridge" not in names:
            self._add(Network(self.ids.hex_id(), "bridge", "bridge", self.clock.now(),
                              ipam_config=[], subnet=DEFAULT_BRIDGE_SUBNET,
                              gateway=DEFAULT_BRIDGE_GATEWAY, options=dict(DEFAULT_BRIDGE_OPTIONS)))
        if "host" not in names:
            self._add(Network(self.ids.hex_id(), "host", "host", self.clock.now()))
        if "none" not in names:
            self._add(Network(self.ids.hex_id(), "none", "null", self.clock.now()))
        # The bridges exist in the machine's stack again (the default one
        # first, so it keeps 172.17.0.0/16), each with the subnet it had.
        for network in sorted(self.by_id.values(), key=lambda n: (n.name != "bridge", n.created)):
            if network.driver == "bridge":
                try:
                    self._create_in_stack(network, network.subnet or None,
                                          network.gateway or None)
                except DockerError as err:
                    log.warning("network %s cannot be restored: %s", network.name, err)

    def _add(self, network: Network) -> None:
        self.by_id[network.id] = network
        self.save(network)

    def _create_in_stack(self, network: Network, subnet, gateway) -> None:
        config = (netoptions.BridgeConfig(bridge_name="docker0") if network.name == "bridge"
                  else netoptions.bridge_config(network.options, network.internal))
        bridge = config.bridge_name or f"br-{network.id[:12]}"
        aux = [a for c in network.ipam_config if c.get("Subnet")
               for a in (c.get("AuxiliaryAddresses") or {}).values()]
        try:
            made = self.stack.create_network(
                network.id, name=network.name, subnet=subnet, gateway=gateway,
                ip_range=network.ip_range or None, internal=network.internal,
                embedded_dns=network.user_defined, bridge=bridge, icc=config.enable_icc,
                mtu=config.effective_mtu, iface_prefix=config.container_iface_prefix or "eth",
                aux=aux)
        except Exception as exc:  # the stack's NetError: Docker's words
            message = getattr(exc, "message", None) or str(exc)
            raise Forbidden(message) if "overlaps" in message else InvalidParameter(message)
        network.subnet = str(made.subnet)
        network.gateway = str(made.gateway)

    # -- lookups ---------------------------------------------------------------
    def __iter__(self):
        return iter(sorted(self.by_id.values(), key=lambda n: n.created))

    def get(self, nid: str) -> "Network | None":
        return self.by_id.get(nid)

    def by_name(self, name: str) -> "Network | None":
        return next((n for n in self.by_id.values() if n.name == name), None)

    def find(self, term: str) -> Network:
        """moby's ``FindNetwork``: full id, then full name, then unique id
        prefix.  Raises NotFound ``network X not found`` / InvalidParameter
        when ambiguous."""
        return self._resolve(term, "on name")

    def find_unique(self, term: str) -> Network:
        """The router's ``findUniqueNetwork`` (inspect, remove): the same
        order, with its wording for ambiguity."""
        return self._resolve(term, "based on name")

    def _resolve(self, term: str, name_words: str) -> Network:
        if term in self.by_id:
            return self.by_id[term]
        for matches, words in (([n for n in self.by_id.values() if n.name == term], name_words),
                               ([n for n in self.by_id.values() if term and n.id.startswith(term)],
                                "based on ID prefix")):
            if len(matches) == 1:
                return matches[0]
            if len(matches) > 1:
                raise InvalidParameter(f"network {term} is ambiguous ({len(matches)} matches found "
                                       f"{words})")
        raise NotFound(f"network {term} not found")

    # -- views -----------------------------------------------------------------
    def containers(self, network: Network) -> dict:
        """moby's ``buildContainerAttachments``: the running containers'
        endpoints on the network, by container id."""
        out = {}
        for container, settings in self.users(network):
            if not settings.get("EndpointID"):
                continue
            ip = settings.get("IPAddress") or ""
            out[container.id] = {
                "Name": container.name, "EndpointID": settings.get("EndpointID") or "",
                "MacAddress": settings.get("MacAddress") or "",
                "IPv4Address": f"{ip}/{settings.get('IPPrefixLen') or 0}" if ip else "",
                "IPv6Address": "",
            }
        return out

    def view(self, network: Network, detailed: bool) -> dict:
        """moby's ``buildNetworkResource`` (+ the attachments when detailed)."""
        return {
            "Name": network.name, "Id": network.id, "Created": rfc3339(network.created),
            "Scope": network.scope, "Driver": network.driver,
            "EnableIPv4": network.enable_ipv4, "EnableIPv6": network.enable_ipv6,
            "IPAM": network.ipam_view(), "Internal": network.internal,
            "Attachable": network.attachable, "Ingress": False,
            "ConfigFrom": {"Network": ""}, "ConfigOnly": False,
            "Containers": self.containers(network) if detailed else {},
            "Options": dict(network.options), "Labels": dict(network.labels),
        }

    def in_use(self, network: Network) -> bool:
        return bool(self.containers(network))

    def _filtered(self, filters: Filters) -> "list[Network]":
        """moby's ``FilterNetworks`` (over the list's records: without
        their attachments, as the list builds them for API >= 1.28)."""
        out = []
        for network in self:
            if filters.contains("driver") and network.driver not in filters.get("driver"):
                continue
            if filters.contains("name") and not _go_match(filters.get("name"), network.name):
                continue
            if filters.contains("id") and not _go_match(filters.get("id"), network.id):
                continue
            if filters.contains("label") and not filters.match_kv_list("label", network.labels):
                continue
            if filters.contains("scope") and network.scope not in filters.get("scope"):
                continue
            out.append(network)
        values = filters.get("dangling")
        if values:
            if len(values) > 1:
                raise InvalidParameter('got more than one value for filter key "dangling"')
            if values[0] not in ("0", "false", "1", "true"):
                raise InvalidParameter("invalid value for filter 'dangling', must be \"true\" "
                                       "(or \"1\"), or \"false\" (or \"0\")")
            dangling = values[0] in ("1", "true")
            out = [n for n in out if (not n.predefined) == dangling]
        if filters.contains("type"):
            typed = []
            for value in filters.get("type"):
                if value == "builtin":
                    typed += [n for n in out if n.predefined]
                elif value == "custom":
                    typed += [n for n in out if not n.predefined]
                else:
                    raise InvalidParameter(f"invalid filter: 'type'='{value}'")
            out = typed
        return out

    def list_networks(self, filters: str = "", detailed: bool = False) -> list:
        parsed = parse_filters(filters, LIST_FILTERS)
        return [self.view(n, detailed) for n in self._filtered(parsed)]

    def inspect_network(self, term: str, verbose: bool = False, scope: str = "") -> dict:
        network = self.find_unique(term)
        if scope and scope != network.scope:
            raise NotFound(f"network {term} not found")
        return self.view(network, True)

    # -- create / remove ---------------------------------------------------------
    def create_network(self, body: dict) -> dict:
        """``POST /networks/create`` (moby's ``createNetwork`` and
        libnetwork's ``NewNetwork``, their checks in their order).  Every
        field is simulated, refused or warned about (`netoptions`): the
        answer's ``Warning`` carries the warnings, one a line."""
        name = body.get("Name") or ""
        if is_predefined(name):
            raise Forbidden(f"operation is not permitted on predefined {name} network ")
        driver = body.get("Driver") or "bridge"
        if driver == "overlay":
            raise Forbidden('This node is not a swarm manager. Use "docker swarm init" or "docker swarm '
                            'join" to connect this node to swarm and try again.')
        options = {str(k): str(v) for k, v in (body.get("Options") or {}).items()}
        enable_ipv4 = body.get("EnableIPv4")
        if enable_ipv4 is None:
            enable_ipv4 = _bool_option(options, "com.docker.network.enable_ipv4", True)
        else:
            options.pop("com.docker.network.enable_ipv4", None)
        enable_ipv6 = body.get("EnableIPv6")
        if enable_ipv6 is None:
            enable_ipv6 = _bool_option(options, "com.docker.network.enable_ipv6", False)
        else:
            options.pop("com.docker.network.enable_ipv6", None)
        ipam = body.get("IPAM") or None
        validate_ipam(ipam, bool(enable_ipv6))
        if not name.strip():
            raise InvalidParameter("invalid name: name is empty")
        if self.by_name(name) is not None:
            raise Conflict(f"network with name {name} already exists")
        internal, attachable = bool(body.get("Internal")), bool(body.get("Attachable"))
        ingress, scope = bool(body.get("Ingress")), body.get("Scope") or ""
        config_from = (body.get("ConfigFrom") or {}).get("Network") or ""
        if body.get("ConfigOnly"):  # libnetwork's validateConfiguration
            if ingress or internal or attachable or scope:
                raise Forbidden("configuration network can only contain network specific fields. "
                                "Network operator fields like [ ingress | internal | attachable | "
                                "scope ] are not supported.")
            if config_from:
                raise Forbidden("a configuration network cannot depend on another configuration network")
            raise InvalidParameter("config-only networks are not supported by dockersim yet")
        if config_from:
            ipam_given = ipam or {}
            if ((ipam_given.get("Driver") or "default") != "default" or not enable_ipv4 or enable_ipv6
                    or body.get("Labels") or ipam_given.get("Options") or ipam_given.get("Config")):
                raise Forbidden("user specified configurations are not supported if the network "
                                "depends on a configuration network")
            if options:
                raise Forbidden("network driver options are not supported if the network depends on "
                                "a configuration network")
        if driver in ("host", "null"):
            raise Forbidden(f'only one instance of "{driver}" network is allowed')
        if driver not in BUILTIN_DRIVERS:
            raise NotFound(f'plugin "{driver}" not found')
        if driver != "bridge":
            raise InvalidParameter(f"the {driver} driver is not supported by dockersim yet; "
                                   "use the bridge driver")
        if ingress:
            raise Forbidden("Ingress network can only be global scope network")
        if config_from:
            raise NotFound(f'configuration network "{config_from}" does not exist')
        if scope == "swarm":
            raise Forbidden("cannot create a swarm scoped network when swarm is not active")
        ipam = ipam or {}
        ipam_driver = ipam.get("Driver") or "default"
        if ipam_driver != "default":
            raise NotFound(f'plugin "{ipam_driver}" not found')
        bridge = netoptions.bridge_config(options, internal)
        if enable_ipv6:
            raise InvalidParameter("IPv6 networks are not supported by dockersim yet")
        if not enable_ipv4:
            raise InvalidParameter("networks without IPv4 are not supported by dockersim yet")
        configs = []
        for cfg in ipam.get("Config") or ():
            cfg = dict(cfg or {})
            if cfg.get("AuxAddress"):
                cfg["AuxiliaryAddresses"] = cfg.pop("AuxAddress")
            configs.append(cfg)
        v4 = [c for c in configs if c.get("Subnet") and ipaddress.ip_network(c["Subnet"], strict=False).version == 4]
        if len(v4) > 1:
            raise InvalidParameter("dockersim supports one IPv4 subnet per network")
        nid = self.ids.hex_id()
        self._check_bridge_name(nid, bridge.bridge_name or f"br-{nid[:12]}")
        warnings = netoptions.said(body)
        network = Network(
            nid, name, driver, self.clock.now(), scope=scope or "local",
            internal=internal, attachable=attachable,
            enable_ipv4=True, enable_ipv6=False, ipam_driver=ipam_driver,
            ipam_options=ipam.get("Options") if "Options" in ipam else None,
            ipam_config=configs, options=options, labels=dict(body.get("Labels") or {}))
        subnet = v4[0]["Subnet"] if v4 else None
        gateway = (v4[0].get("Gateway") or None) if v4 else None
        self._create_in_stack(network, subnet, gateway)
        self._add(network)
        netoptions.log_warnings(name, warnings)
        self.events.network(network, "create")
        return {"Id": network.id, "Warning": "\n".join(warnings)}

    def _check_bridge_name(self, nid: str, bridge: str) -> None:
        """The bridge driver's ``checkConflict`` (two networks with one
        bridge name), and a host interface that is not a bridge."""
        for other in self.stack.networks.values():
            if other.bridge == bridge:
                raise Forbidden(f"cannot create network {nid} ({bridge}): conflicts with network "
                                f"{other.key} ({other.bridge}): networks have same bridge name")
        if any(i.name == bridge for i in self.stack.host.interfaces):
            raise Forbidden(f"cannot create network {nid} ({bridge}): the host's interface {bridge} "
                            "is not a bridge")

    def remove_network(self, term: str) -> None:
        """``DELETE /networks/{id}`` (moby's ``deleteNetwork``)."""
        network = self.find_unique(term)
        if network.predefined:
            raise Forbidden(f"{network.name} is a pre-defined network and cannot be removed")
        users = [(c, s) for c, s in self.users(network) if s.get("EndpointID")]
        if users:
            endpoints = ", ".join(f'name:"{c.name}" id:"{s["EndpointID"][:12]}"' for c, s in users)
            raise Forbidden(f"error while removing network: network {network.name} has active "
                            f"endpoints ({endpoints})")
        self._forget(network)

    def _forget(self, network: Network) -> None:
        if network.driver == "bridge":
            try:
                self.stack.remove_network(network.id)
            except Exception as exc:  # noqa: BLE001 - the stack's NetError
                raise Forbidden(f"error while removing network: "
                                f"{getattr(exc, 'message', None) or exc}") from None
        self.by_id.pop(network.id, None)
        self.store.delete(self._key(network))
        self.events.network(network, "destroy")

    def prune_networks(self, filters: str = "") -> dict:
        """``POST /networks/prune``: the user networks no container uses
        (created before ``until``, with the ``label`` filters)."""
        parsed = parse_filters(filters, PRUNE_FILTERS)
        until = None
        if parsed.contains("until"):
            values = parsed.get("until")
            if len(values) > 1:
                raise SystemError("more than one until filter specified")
            until = _time_filter(values[0], self.clock.now())
        deleted = []
        for network in list(self):
            if network.predefined:
                continue
            if until is not None and not network.created < until:
                continue
            if not prune_labels_match(parsed, network.labels):
                continue
            if self.in_use(network):  # endpoints: a stopped container has none
                continue
            self._forget(network)
            deleted.append(network.name)
        self.events.emit("network", "prune", "", {"reclaimed": "0"})
        return {"NetworksDeleted": deleted or None}
