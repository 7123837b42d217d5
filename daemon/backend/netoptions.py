"""Every field of a network create request, and what dockersim does with it.

``POST /networks/create`` takes a ``NetworkCreateRequest`` (Engine API
v1.50; moby's ``network.CreateRequest``) whose ``Options`` are the
driver's (``-o`` on the CLI: the bridge driver's
``com.docker.network.bridge.*`` and libnetwork's generic keys).  Each gets
exactly one of three treatments, as the create-options table
(`dockersim.daemon.backend.options`) gives a container's fields:

- **simulated**: its effect is visible in the simulated world (``where``
  names the code that carries it out);
- **refused**: with dockerd's words where dockerd refuses the value; a
  feature dockersim does not have (another driver, IPv6, config-only
  networks) is refused with words that say so;
- **warned**: accepted, and the create answer's ``Warning`` says the
  simulation gives it no meaning (the daemon logs it too).  The docker
  CLI does not print a network create's ``Warning``; docker-py returns it.

`bridge_config` parses the bridge driver's options with moby's rules
(libnetwork/drivers/bridge ``fromLabels``) and refuses what it refuses;
`said` gives the Warnings entries of a request.  ``docs/network-options.md``
is this table rendered; regenerate it with::

    .venv/bin/python -m dockersim.daemon.backend.netoptions --write
"""

from __future__ import annotations

import ipaddress
import logging
from typing import Callable

import attrs

from ...sim.golang import GoError
from ...sim.golang.strconv import atoi, parse_bool
from ..errors import InvalidParameter
from .options import REFUSED, SIMULATED, WARNED, Option, doc_main, render_table

log = logging.getLogger("dockersim.networks")

__all__ = ["NetOption", "NET_OPTIONS", "BridgeConfig", "bridge_config", "said", "render_markdown"]

# -- option keys (moby's libnetwork/drivers/bridge/labels.go, netlabel) ---------
BRIDGE = "com.docker.network.bridge."
BRIDGE_NAME = BRIDGE + "name"
ENABLE_IP_MASQUERADE = BRIDGE + "enable_ip_masquerade"
GATEWAY_MODE_IPV4 = BRIDGE + "gateway_mode_ipv4"
GATEWAY_MODE_IPV6 = BRIDGE + "gateway_mode_ipv6"
ENABLE_ICC = BRIDGE + "enable_icc"
INHIBIT_IPV4 = BRIDGE + "inhibit_ipv4"
HOST_BINDING_IPV4 = BRIDGE + "host_binding_ipv4"
DEFAULT_BRIDGE = BRIDGE + "default_bridge"
TRUSTED_HOST_INTERFACES = BRIDGE + "trusted_host_interfaces"
DRIVER_MTU = "com.docker.network.driver.mtu"
ENABLE_IPV4 = "com.docker.network.enable_ipv4"
ENABLE_IPV6 = "com.docker.network.enable_ipv6"
CONTAINER_IFACE_PREFIX = "com.docker.network.container_iface_prefix"
HOST_IPV4 = "com.docker.network.host_ipv4"
HOST_IPV6 = "com.docker.network.host_ipv6"

KNOWN_KEYS = (BRIDGE_NAME, ENABLE_IP_MASQUERADE, GATEWAY_MODE_IPV4, GATEWAY_MODE_IPV6, ENABLE_ICC,
              INHIBIT_IPV4, HOST_BINDING_IPV4, DEFAULT_BRIDGE, TRUSTED_HOST_INTERFACES, DRIVER_MTU,
              ENABLE_IPV4, ENABLE_IPV6, CONTAINER_IFACE_PREFIX, HOST_IPV4, HOST_IPV6)

GATEWAY_MODES = ("nat", "nat-unprotected", "routed", "isolated")

#: Linux's limits on an Ethernet device's MTU (ETH_MIN_MTU, ETH_MAX_MTU).
MIN_MTU, MAX_MTU = 68, 65535
#: IFNAMSIZ - 1: the longest interface name Linux takes.
MAX_IFNAME = 15


# -- Go's parsers, with their words ------------------------------------------------
def _parse_err(label: str, value: str, why: str) -> InvalidParameter:
    """libnetwork's bridge ``parseErr``."""
    return InvalidParameter(f"failed to parse {label} value: {value} ({why})")


def go_parse_bool(label: str, value: str) -> bool:
    try:
        return parse_bool(value)
    except GoError as err:
        raise _parse_err(label, value, str(err)) from None


def go_atoi(label: str, value: str) -> int:
    try:
        return atoi(value)
    except GoError as err:
        raise _parse_err(label, value, str(err)) from None


def go_parse_ip(label: str, value: str) -> str:
    """Go's ``net.ParseIP`` (no zone, no brackets)."""
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        raise _parse_err(label, value, "nil ip") from None


@attrs.frozen
class BridgeConfig:
    """The bridge driver's options as moby's ``networkConfiguration`` holds
    them (defaults: ICC and masquerading on, MTU 0 = the default 1500)."""

    bridge_name: str = ""
    mtu: int = 0
    enable_icc: bool = True
    enable_ip_masquerade: bool = True
    gateway_mode_ipv4: str = "nat"
    gateway_mode_ipv6: str = "nat"
    inhibit_ipv4: bool = False
    default_bridge: bool = False
    host_binding_ipv4: str = ""
    container_iface_prefix: str = ""
    trusted_host_interfaces: tuple = ()
    host_ipv4: str = ""
    host_ipv6: str = ""

    @property
    def effective_mtu(self) -> int:
        return self.mtu or 1500


def bridge_config(options: dict, internal: bool) -> BridgeConfig:
    """moby's ``parseNetworkOptions`` over the request's Options (the
    ``fromLabels`` parse errors, 400) and the checks of the driver's
    CreateNetwork that need no other network (``Validate``, setupMTU,
    the isolated gateway mode)."""
    kw: dict = {}
    for label, value in options.items():
        if label == BRIDGE_NAME:
            kw["bridge_name"] = value
        elif label == DRIVER_MTU:
            kw["mtu"] = go_atoi(label, value)
        elif label in (ENABLE_IPV4, ENABLE_IPV6):
            go_parse_bool(label, value)
        elif label == ENABLE_IP_MASQUERADE:
            kw["enable_ip_masquerade"] = go_parse_bool(label, value)
        elif label in (GATEWAY_MODE_IPV4, GATEWAY_MODE_IPV6):
            if value not in GATEWAY_MODES:
                raise _parse_err(label, value, f"unknown gateway mode {value}")
            kw["gateway_mode_ipv4" if label == GATEWAY_MODE_IPV4 else "gateway_mode_ipv6"] = value
        elif label == ENABLE_ICC:
            kw["enable_icc"] = go_parse_bool(label, value)
        elif label == TRUSTED_HOST_INTERFACES:
            kw["trusted_host_interfaces"] = tuple(p for p in value.split(":") if p)
        elif label == INHIBIT_IPV4:
            kw["inhibit_ipv4"] = go_parse_bool(label, value)
        elif label == DEFAULT_BRIDGE:
            kw["default_bridge"] = go_parse_bool(label, value)
        elif label == HOST_BINDING_IPV4:
            kw["host_binding_ipv4"] = go_parse_ip(label, value)
        elif label == CONTAINER_IFACE_PREFIX:
            kw["container_iface_prefix"] = value
        elif label == HOST_IPV4:
            kw["host_ipv4"] = go_parse_ip(label, value)
        elif label == HOST_IPV6:
            kw["host_ipv6"] = go_parse_ip(label, value)
    config = BridgeConfig(**kw)
    if "isolated" in (config.gateway_mode_ipv4, config.gateway_mode_ipv6) and not internal:
        raise InvalidParameter("gateway mode 'isolated' can only be used for an internal network")
    if config.mtu < 0:
        raise InvalidParameter(f"invalid MTU number: {config.mtu}")
    if config.mtu and not MIN_MTU <= config.mtu <= MAX_MTU:
        # setupMTU: netlink's RTM_SETLINK answers EINVAL (moby: a 500).
        raise InvalidParameter("invalid argument")
    name = config.bridge_name
    if name and (len(name) > MAX_IFNAME or "/" in name or name.strip() != name or ":" in name):
        # dev_valid_name: netlink's RTM_NEWLINK answers EINVAL (moby: a 500).
        raise InvalidParameter("invalid argument")
    prefix = config.container_iface_prefix
    if prefix and (len(prefix) + 1 > MAX_IFNAME or "/" in prefix or " " in prefix or ":" in prefix):
        raise InvalidParameter("invalid argument")
    if config.default_bridge and name != "docker0":
        raise _forbidden(f"bridge device with non default name {name} must be created manually")
    return config


def _forbidden(message: str):
    from ..errors import Forbidden

    return Forbidden(message)


# -- the table ------------------------------------------------------------------------
Warn = Callable[[dict], "list[str]"]


#: A row of the network table: the create table's `Option`, whose ``warn``
#: here takes the create body (-> its Warnings entries) and whose
#: ``sample`` is a body fragment the test creates a network with; the
#: sections are "CreateRequest", "IPAM" and "Options" (a driver option key).
NetOption = Option


def _opts(body: dict) -> dict:
    return {str(k): str(v) for k, v in (body.get("Options") or {}).items()}


def _warn_attachable(body: dict) -> "list[str]":
    if body.get("Attachable"):
        return ["Attachable is recorded but has no effect: it lets standalone containers join a "
                "swarm-scoped network, and dockersim has no swarm; every container can join a local "
                "bridge network"]
    return []


def _warn_scope(body: dict) -> "list[str]":
    scope = body.get("Scope") or ""
    if scope and scope not in ("local", "swarm"):
        return [f"Scope {scope!r} is recorded but the network is a local bridge of this daemon"]
    return []


def _warn_ipam_options(body: dict) -> "list[str]":
    options = (body.get("IPAM") or {}).get("Options") or {}
    if options:
        return [f"IPAM options {', '.join(sorted(options))} are recorded but the default IPAM driver "
                "takes none"]
    return []


def _warn_key(key: str, why: str, when: Callable[[str], bool] = lambda v: True) -> Warn:
    def warn(body: dict) -> "list[str]":
        value = _opts(body).get(key)
        if value is not None and when(value):
            return [f"Option {key}={value} is recorded but not simulated: {why}"]
        return []
    return warn


def _is_false(value: str) -> bool:
    try:
        return not parse_bool(value)
    except GoError:
        return False


def _warn_unknown(body: dict) -> "list[str]":
    unknown = [k for k in _opts(body) if k not in KNOWN_KEYS]
    if unknown:
        return [f"Option {k} is not an option of the bridge driver; it is recorded and has no effect "
                "(dockerd ignores it too)" for k in unknown]
    return []


def _n(field, flag, treatment, effect, where, **kw) -> NetOption:
    return NetOption("CreateRequest", field, flag, treatment, effect, where, **kw)


def _i(field, flag, treatment, effect, where, **kw) -> NetOption:
    return NetOption("IPAM", field, flag, treatment, effect, where, **kw)


def _k(field, flag, treatment, effect, where, **kw) -> NetOption:
    return NetOption("Options", field, flag, treatment, effect, where, **kw)


NB, NS, CN, PT = "daemon.backend.networks", "sim.net.stack", "daemon.backend.containernet", "daemon.backend.ports"

NET_OPTIONS: "tuple[NetOption, ...]" = (
    # -- NetworkCreateRequest ----------------------------------------------------
    _n("Name", "NAME", SIMULATED, "the network's name (`docker network ls`, DNS scope, `--network NAME`)", NB,
       refuses="a predefined name: `operation is not permitted on predefined bridge network ` (403); a taken one: `network with name X already exists` (409); empty: `invalid name: name is empty`",
       sample={"Name": "bridge"}),
    _n("Driver", "--driver/-d", SIMULATED, "`bridge` (the default): a bridge of the simulated host with its subnet", NB,
       refuses="`overlay` without swarm: `This node is not a swarm manager. Use \"docker swarm init\" ...` (403); `host`/`null`: `only one instance of \"host\" network is allowed` (403); an unknown driver: `plugin \"x\" not found` (404); `ipvlan`, `macvlan`: not simulated, refused with dockersim's words",
       sample={"Driver": "overlay"}),
    _n("Scope", "--scope", SIMULATED, "`local` (the default): shown in inspect and `ls`, filtered on by `--filter scope=`", NB,
       refuses="`swarm`: `cannot create a swarm scoped network when swarm is not active` (403)",
       warns="another value (e.g. `global`): recorded, the network stays a local bridge",
       warn=_warn_scope, sample={"Scope": "swarm"}),
    _n("Internal", "--internal", SIMULATED, "no default route in the containers (`ip route`), no gateway in inspect; they reach only the bridge's own address, not the host's other addresses nor other networks (`Network is unreachable`); their ports are not published (as in moby 28: no port mapping on an internal network)", NS),
    _n("Attachable", "--attachable", WARNED, "recorded in inspect; a swarm notion, without effect on a local bridge", NB,
       warns="true", warn=_warn_attachable, sample={"Attachable": True}),
    _n("Ingress", "--ingress", REFUSED, "the swarm routing mesh; dockersim has no swarm", NB,
       refuses="true on a bridge: `Ingress network can only be global scope network` (403, libnetwork's words)",
       sample={"Ingress": True}),
    _n("ConfigOnly", "--config-only", REFUSED, "config-only networks are not simulated", NB,
       refuses="with Internal, Attachable, Ingress or a Scope: `configuration network can only contain network specific fields. Network operator fields like [ ingress | internal | attachable | scope ] are not supported.` (403); otherwise dockersim's `config-only networks are not supported by dockersim yet`",
       sample={"ConfigOnly": True}),
    _n("ConfigFrom", "--config-from", REFUSED, "config-only networks are not simulated", NB,
       refuses="with ConfigOnly: `a configuration network cannot depend on another configuration network` (403); with its own IPAM, labels or options: `user specified configurations are not supported if the network depends on a configuration network` / `network driver options are not supported ...` (403); a missing one: `configuration network \"x\" does not exist` (404)",
       sample={"ConfigFrom": {"Network": "nosuch"}}),
    _n("IPAM", "--subnet, --ip-range, --gateway, --aux-address, --ipam-driver, --ipam-opt", SIMULATED, "the network's address management: see the IPAM rows", NB),
    _n("EnableIPv4", "--ipv4", SIMULATED, "true (the default): the subnet's addresses", NB,
       refuses="false: dockersim's `networks without IPv4 are not supported by dockersim yet`",
       sample={"EnableIPv4": False}),
    _n("EnableIPv6", "--ipv6", REFUSED, "IPv6 networks are not simulated", NB,
       refuses="true: dockersim's `IPv6 networks are not supported by dockersim yet`",
       sample={"EnableIPv6": True}),
    _n("Options", "--opt/-o", SIMULATED, "the driver's options, shown in inspect: see the Options rows", NB),
    _n("Labels", "--label", SIMULATED, "shown in inspect; `network ls --filter label=`, `network prune --filter label=`", "daemon.backend.filters"),
    _n("CheckDuplicate", "", SIMULATED, "deprecated; as dockerd since API 1.44, a name is always unique (409)", NB),

    # -- IPAM ----------------------------------------------------------------------
    _i("Driver", "--ipam-driver", SIMULATED, "`default`: libnetwork's default IPAM (pools 172.17-31.0.0/16, then 192.168.x.0/20)", NS,
       refuses="another: `plugin \"x\" not found` (404)", sample={"IPAM": {"Driver": "nosuch"}}),
    _i("Config.Subnet", "--subnet", SIMULATED, "the bridge's subnet (`ip addr` in the container, inspect)", NS,
       refuses="bad or overlapping: `invalid network config: invalid subnet X: ...` (400), `Pool overlaps with other one on this address space` (403); a second IPv4 subnet: dockersim's words",
       sample={"IPAM": {"Config": [{"Subnet": "10.99.0.1/24"}]}}),
    _i("Config.IPRange", "--ip-range", SIMULATED, "the addresses containers are given come from this range", NS,
       refuses="outside the subnet: `invalid ip-range X: parent subnet Y doesn't contain ip-range`",
       sample={"IPAM": {"Config": [{"Subnet": "10.99.0.0/24", "IPRange": "10.98.0.0/25"}]}}),
    _i("Config.Gateway", "--gateway", SIMULATED, "the bridge's address on the host and the containers' default route", NS,
       refuses="outside the subnet: `invalid gateway X: parent subnet Y doesn't contain this address`",
       sample={"IPAM": {"Config": [{"Subnet": "10.99.0.0/24", "Gateway": "10.98.0.1"}]}}),
    _i("Config.AuxiliaryAddresses", "--aux-address", SIMULATED, "reserved: never given to a container; a container asking for one by `--ip` is refused (`Address already in use`)", NS,
       refuses="outside the subnet: `invalid auxiliary address X: parent subnet Y doesn't contain this address`",
       sample={"IPAM": {"Config": [{"Subnet": "10.99.0.0/24", "AuxiliaryAddresses": {"a": "10.98.0.3"}}]}}),
    _i("Options", "--ipam-opt", WARNED, "recorded in inspect; the default IPAM takes no options", NB,
       warns="any", warn=_warn_ipam_options, sample={"IPAM": {"Options": {"foo": "bar"}}}),

    # -- Options: the bridge driver's and libnetwork's keys ---------------------------
    _k(BRIDGE_NAME, "-o", SIMULATED, "the name of the bridge on the host (`dockersim host ip link`); `br-<id12>` otherwise", NS,
       refuses="the name of another network's bridge: `cannot create network X (br9): conflicts with network Y (br9): networks have same bridge name` (403); longer than 15 characters: `invalid argument` (netlink's EINVAL; moby answers 500)",
       sample={"Options": {BRIDGE_NAME: "docker0"}}),
    _k(DRIVER_MTU, "-o", SIMULATED, "the MTU of the bridge and of each container's interface (`ip link`, `ifconfig`)", NS,
       refuses="not a number: `failed to parse com.docker.network.driver.mtu value: x (strconv.Atoi: parsing \"x\": invalid syntax)`; negative: `invalid MTU number: -1`; outside 68..65535: `invalid argument` (netlink's EINVAL; moby answers 500)",
       sample={"Options": {DRIVER_MTU: "x"}}),
    _k(ENABLE_ICC, "-o", SIMULATED, "false: the bridge drops what its containers send each other (connect times out, ping gets no reply); the gateway and the host still reach them", NS,
       refuses="not a bool: `failed to parse ... (strconv.ParseBool: parsing \"x\": invalid syntax)`",
       sample={"Options": {ENABLE_ICC: "maybe"}}),
    _k(ENABLE_IP_MASQUERADE, "-o", WARNED, "true (the default) is what the simulation does; false is recorded only: the simulated world has no outside for masquerading to show", NB,
       refuses="not a bool",
       warns="false: nothing leaves the simulated world, so no source address is ever rewritten or kept",
       warn=_warn_key(ENABLE_IP_MASQUERADE, "the simulated world has no outside network, so there is no "
                      "source address to masquerade or keep", _is_false),
       sample={"Options": {ENABLE_IP_MASQUERADE: "false"}}),
    _k(HOST_BINDING_IPV4, "-o", SIMULATED, "the host address a `-p` without one binds (`docker port`, `ps`; the real listening socket)", PT,
       refuses="not an address: `failed to parse ... value: x (nil ip)`",
       sample={"Options": {HOST_BINDING_IPV4: "x"}}),
    _k(CONTAINER_IFACE_PREFIX, "-o", SIMULATED, "the name of a container's interface on this network: the prefix and the lowest free number (`ip link`)", NS,
       refuses="a name too long for Linux: `invalid argument`",
       sample={"Options": {CONTAINER_IFACE_PREFIX: "averyveryverylongprefix"}}),
    _k(DEFAULT_BRIDGE, "-o", REFUSED, "dockerd's own default bridge; a user network cannot be it", NB,
       refuses="true: `bridge device with non default name br-... must be created manually` (403); with name docker0: `... networks have same bridge name` (403); not a bool",
       sample={"Options": {DEFAULT_BRIDGE: "true"}}),
    _k(GATEWAY_MODE_IPV4, "-o", WARNED, "`nat` (the default) is what the simulation does; `routed`, `nat-unprotected`, `isolated` are recorded only", NB,
       refuses="another value: `failed to parse ... (unknown gateway mode x)`; `isolated` on a network that is not internal: `gateway mode 'isolated' can only be used for an internal network`",
       warns="routed, nat-unprotected, isolated",
       warn=_warn_key(GATEWAY_MODE_IPV4, "the simulated bridge always behaves as in nat mode",
                      lambda v: v != "nat"),
       sample={"Options": {GATEWAY_MODE_IPV4: "routed"}}),
    _k(GATEWAY_MODE_IPV6, "-o", WARNED, "IPv6 networks are not simulated", NB,
       refuses="another value than nat, nat-unprotected, routed, isolated",
       warns="any", warn=_warn_key(GATEWAY_MODE_IPV6, "dockersim's networks have no IPv6"),
       sample={"Options": {GATEWAY_MODE_IPV6: "routed"}}),
    _k(INHIBIT_IPV4, "-o", WARNED, "the bridge keeps its gateway address", NB,
       refuses="not a bool", warns="true",
       warn=_warn_key(INHIBIT_IPV4, "the simulated bridge always has its gateway address",
                      lambda v: not _is_false(v)),
       sample={"Options": {INHIBIT_IPV4: "true"}}),
    _k(TRUSTED_HOST_INTERFACES, "-o", WARNED, "the simulated host has no other interfaces to trust", NB,
       warns="any", warn=_warn_key(TRUSTED_HOST_INTERFACES, "the simulated host has no other "
                                   "interfaces to reach containers' addresses through"),
       sample={"Options": {TRUSTED_HOST_INTERFACES: "eth1"}}),
    _k(HOST_IPV4, "-o", WARNED, "the source address of what leaves the host (SNAT); nothing leaves the simulated world", NB,
       refuses="not an address: `(nil ip)`",
       warns="any", warn=_warn_key(HOST_IPV4, "nothing leaves the simulated world to be given this "
                                   "source address"),
       sample={"Options": {HOST_IPV4: "192.168.65.3"}}),
    _k(HOST_IPV6, "-o", WARNED, "IPv6 is not simulated", NB,
       refuses="not an address: `(nil ip)`",
       warns="any", warn=_warn_key(HOST_IPV6, "dockersim's networks have no IPv6"),
       sample={"Options": {HOST_IPV6: "fd00::1"}}),
    _k(ENABLE_IPV4, "-o", SIMULATED, "as EnableIPv4 when that field is absent", NB,
       refuses="not a bool: `driver-opt \"com.docker.network.enable_ipv4\" is not a valid bool`",
       sample={"Options": {ENABLE_IPV4: "x"}}),
    _k(ENABLE_IPV6, "-o", REFUSED, "as EnableIPv6 when that field is absent", NB,
       refuses="true: as EnableIPv6; not a bool: `driver-opt \"com.docker.network.enable_ipv6\" is not a valid bool`",
       sample={"Options": {ENABLE_IPV6: "true"}}),
    _k("(any other key)", "-o", WARNED, "recorded in inspect; not an option of the bridge driver (dockerd ignores it)", NB,
       warns="any", warn=_warn_unknown, sample={"Options": {"com.example.nosuch": "1"}}),
)

_BY_FIELD = {(o.section, o.field): o for o in NET_OPTIONS}
assert len(_BY_FIELD) == len(NET_OPTIONS), "one row per field"


def said(body: dict) -> "list[str]":
    """The Warnings entries of the rows that warn about this request."""
    out = []
    for row in NET_OPTIONS:
        if row.warn is not None:
            out.extend(row.warn(body))
    return out


def log_warnings(name: str, warnings: "list[str]") -> None:
    for line in warnings:
        log.warning("network %s: %s", name, line)


def render_markdown() -> str:
    return render_table(
        "Network create options in dockersim", "dockersim.daemon.backend.netoptions",
        ["Every field of `NetworkCreateRequest` (Engine API v1.50), of its `IPAM`, and every option of",
         "the bridge driver (`-o KEY=VALUE`), with what dockersim does with it: **simulated** (the",
         "effect is visible in the simulated world), **refused** (with dockerd's error for the values",
         "dockerd refuses; a feature dockersim lacks is refused with words that say so), or **warned**",
         "(accepted; the create answer's `Warning` says so and the daemon logs it; the docker CLI does",
         "not print a network create's `Warning`, docker-py returns it)."],
        NET_OPTIONS, {"CreateRequest": "NetworkCreateRequest", "IPAM": "IPAM",
                      "Options": "Options (bridge driver)"})


def main(argv: "list[str] | None" = None) -> int:
    return doc_main(argv, "dockersim.daemon.backend.netoptions", "network-options.md", render_markdown)


if __name__ == "__main__":
    raise SystemExit(main())
