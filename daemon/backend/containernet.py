"""A container on its networks: moby's daemon/container_operations.go.

A container record keeps ``networks``: network name -> EndpointSettings
(the Engine API's shape), the user's part (Aliases, IPAMConfig, Links,
DriverOpts, MacAddress, NetworkID) from create or ``docker network
connect``, and while it runs the operational part (EndpointID, IPAddress,
IPPrefixLen, Gateway, MacAddress; NetworkID and DNSNames stay after it
stops, as moby's ``cleanOperationalData`` leaves them).

`ContainerNetworking` turns a record into a network sandbox of the
simulated machine at start (an endpoint per network, each given its
address by that network's IPAM), publishes its ports (`PortProxy`), fills
the settings back in, and connects or disconnects containers later.
"""

from __future__ import annotations

import ipaddress
import logging

from ...sim.net import NetError
from ...sim.runtime.network import EndpointSpec, shared_sandbox
from ..errors import Conflict, DockerError, Forbidden, InvalidParameter, NotFound, SystemError
from .container import Container
from .ports import PortError, UnsupportedProtocol, requests as port_requests
from .events import NO_EVENTS

log = logging.getLogger("dockersim.network")

#: moby's runconfig errors.
ERR_SHARED_NETWORK = ("container sharing network namespace with another container or host cannot "
                      "be connected to any other network")
ERR_CONNECT_HOST = ("cannot connect container to host network - container must be created in host "
                    "network mode")
ERR_DISCONNECT_HOST = ("cannot disconnect container from host network - container was created in "
                       "host network mode")
ERR_NO_NETWORK = ("container cannot be connected to multiple networks with one of the networks in "
                  "private (none) mode")
ERR_NETWORK_AND_IP = "user specified IP address is supported on user defined networks only"
ERR_NO_SUBNET_AND_IP = ("user specified IP address is supported only when connecting to networks "
                        "with user configured subnets")
ERR_NETWORK_AND_ALIAS = "network-scoped alias is supported only for containers in user defined networks"
SETUP_NETWORKING = "failed to set up container networking"

#: The user's part of EndpointSettings (kept across runs).
CONFIG_KEYS = ("IPAMConfig", "Links", "Aliases", "DriverOpts", "GwPriority", "NetworkID",
               "MacAddress")


def blank_settings(config: "dict | None" = None) -> dict:
    """EndpointSettings with the user's ``config`` and no operational data."""
    config = config or {}
    out = {"IPAMConfig": None, "Links": None, "Aliases": None, "MacAddress": "",
           "DriverOpts": None, "GwPriority": 0, "NetworkID": "", "EndpointID": "",
           "Gateway": "", "IPAddress": "", "IPPrefixLen": 0, "IPv6Gateway": "",
           "GlobalIPv6Address": "", "GlobalIPv6PrefixLen": 0, "DNSNames": None}
    for key in CONFIG_KEYS:
        if config.get(key) is not None:
            out[key] = config[key]
    return out


def clean_operational(settings: dict) -> None:
    """moby's ``cleanOperationalData`` (at stop)."""
    settings.update({"EndpointID": "", "Gateway": "", "IPAddress": "", "IPPrefixLen": 0,
                     "IPv6Gateway": "", "GlobalIPv6Address": "", "GlobalIPv6PrefixLen": 0,
                     "MacAddress": settings.get("DesiredMacAddress", "") or ""})
    settings.pop("DesiredMacAddress", None)


def mode_of(host_config: dict) -> str:
    """HostConfig.NetworkMode with ``default`` read as ``bridge``."""
    mode = host_config.get("NetworkMode") or "bridge"
    return "bridge" if mode == "default" else mode


def is_user_defined(name: str) -> bool:
    """moby's ``NetworkMode.IsUserDefined``."""
    return not (name in ("bridge", "default", "host", "none") or name.startswith("container:"))


def initial_networks(host_config: dict, networking_config: "dict | None",
                     network_disabled: bool = False) -> dict:
    """moby's ``updateContainerNetworkSettings`` at create: the endpoint
    configs the client gave, else one for the network mode (none for a
    ``container:`` mode, nor for a container whose Config.NetworkDisabled)."""
    if network_disabled:
        return {}
    mode = mode_of(host_config)
    endpoints = (networking_config or {}).get("EndpointsConfig") or {}
    networks = {name: blank_settings(cfg) for name, cfg in endpoints.items()}
    if not networks and not mode.startswith("container:"):
        networks[mode] = blank_settings()
    return networks


def _go_ip(text: str):
    """Go's ``net.ParseIP``: None for what it rejects (a zone too)."""
    if "%" in text:
        return None
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _ip_text(text: str, version: int) -> "str | None":
    """An endpoint's IPv4Address/IPv6Address as moby's EndpointIPAMConfig
    checks it: not unspecified; IPv4 includes an IPv4-mapped IPv6 address
    (Go's ``To4``), which IPv6 does not."""
    ip = _go_ip(text)
    if ip is None or ip.is_unspecified:
        return None
    mapped = getattr(ip, "ipv4_mapped", None)
    if version == 4:
        return str(mapped) if mapped is not None else (str(ip) if ip.version == 4 else None)
    return str(ip) if ip.version == 6 and mapped is None else None


def validate_endpoint_settings(network, name: str, settings: "dict | None") -> None:
    """moby's ``validateEndpointSettings`` (``network`` None when it does
    not exist yet).  Raises InvalidParameter."""
    if settings is None:
        return
    ipam = settings.get("IPAMConfig") or {}
    v4, v6 = ipam.get("IPv4Address") or "", ipam.get("IPv6Address") or ""
    errs = []
    if not is_user_defined(name) and not (network is not None and network.user_defined):
        if v4 or v6:
            errs.append(ERR_NETWORK_AND_IP)
        if settings.get("Aliases"):
            errs.append(ERR_NETWORK_AND_ALIAS)
    if v4 and _ip_text(v4, 4) is None:
        errs.append(f"invalid IPv4 address: {v4}")
    if v6 and _ip_text(v6, 6) is None:
        errs.append(f"invalid IPv6 address: {v6}")
    for addr in ipam.get("LinkLocalIPs") or ():
        ip = _go_ip(addr)
        if ip is None or ip.is_unspecified:
            errs.append(f"invalid link-local IP address: {addr}")
    if network is not None and network.user_defined and v4 and _ip_text(v4, 4):
        if not network.user_subnet:
            errs.append(ERR_NO_SUBNET_AND_IP)
        else:
            pool = ipaddress.ip_network(network.ip_range or network.subnet, strict=False)
            if ipaddress.ip_address(_ip_text(v4, 4)) not in pool:
                errs.append(f"no configured subnet or ip-range contain the IP address {v4}")
    if network is not None and network.user_defined and v6 and _ip_text(v6, 6):
        errs.append(ERR_NO_SUBNET_AND_IP)  # dockersim's networks have no IPv6 subnet
    mac = settings.get("MacAddress") or ""
    if mac and not _valid_mac(mac):
        raise InvalidParameter(f"invalid MAC address {mac}")
    if errs:
        joined = errs[0] if len(errs) == 1 else "* " + "\n* ".join(errs)
        raise InvalidParameter(f"invalid endpoint settings:\n{joined}")


def _static_ipv4(settings: dict) -> str:
    """The endpoint's static IPv4 address ("" for none), an IPv4-mapped
    IPv6 spelling unmapped (checked by `validate_endpoint_settings`)."""
    ip = (settings.get("IPAMConfig") or {}).get("IPv4Address") or ""
    return (_ip_text(ip, 4) or ip) if ip else ""


def link_local_warnings(endpoints: dict) -> "list[str]":
    """LinkLocalIPs are checked (`validate_endpoint_settings`) but the
    simulated interfaces carry one address each: said, never dropped
    without a word."""
    out = []
    for name, settings in sorted((endpoints or {}).items()):
        ips = ((settings or {}).get("IPAMConfig") or {}).get("LinkLocalIPs") or []
        if ips:
            out.append(f"The link-local addresses {', '.join(ips)} for network {name} are recorded "
                       "but not simulated: the container's interface has only its network address")
    return out


def normal_mac(text: str) -> str:
    """A MAC address as Go's ``net.HardwareAddr.String`` writes it (lower
    case, colons); "" stays ""."""
    return text.replace("-", ":").lower()


def _valid_mac(text: str) -> bool:
    parts = text.replace("-", ":").split(":")
    return len(parts) in (6, 8, 20) and all(len(p) == 2 and all(c in "0123456789abcdefABCDEF" for c in p)
                                           for p in parts)


def dns_names(container: Container, aliases) -> list:
    """moby's ``buildEndpointDNSNames``: name, aliases, short id, hostname
    (duplicates dropped)."""
    out = []
    for name in [container.name, *(aliases or ()), container.short_id,
                 container.config.get("Hostname") or ""]:
        if name and name not in out:
            out.append(name)
    return out


class ContainerNetworking:
    """Networks of containers: the sandbox at start, connect, disconnect.
    A running container joining a network (at start, or connected live)
    and leaving one (at exit, or disconnected live) are network events
    (``connect``/``disconnect`` with ``container``), as in moby's
    ``connectToNetwork`` and ``releaseNetwork``."""

    events = NO_EVENTS

    def __init__(self, records, networks, runtime, proxy, ids):
        self.records = records
        self.networks = networks
        self.runtime = runtime
        self.proxy = proxy
        self.ids = ids

    # -- which containers are where --------------------------------------------
    def users(self, network) -> list:
        """(container, settings) of every container configured on the network."""
        out = []
        for container in self.records:
            for name, settings in container.networks.items():
                if name == network.name or (settings.get("NetworkID") == network.id):
                    out.append((container, settings))
        return out

    # -- create ----------------------------------------------------------------
    def validate_networking_config(self, networking_config: "dict | None") -> None:
        """moby's ``validateNetworkingConfig`` (a network that does not
        exist yet is fine: it is looked up at start)."""
        errs = []
        for name, settings in ((networking_config or {}).get("EndpointsConfig") or {}).items():
            if settings is None:
                errs.append(f"invalid config for network {name}: EndpointsConfig is nil")
                continue
            try:
                network = self.networks.find(settings.get("NetworkID") or name)
            except DockerError:
                network = None
            try:
                validate_endpoint_settings(network, name, settings)
            except InvalidParameter as err:
                errs.append(f"invalid config for network {name}: {err}")
        if errs:
            raise InvalidParameter(errs[0] if len(errs) == 1 else "* " + "\n* ".join(errs))

    def check_links(self, host_config: dict) -> list:
        """moby's ``registerLinks``: each ``name:alias`` names a container
        (``could not get container for x``) not on the host's network.
        Returns the links as moby stores them (``/child:/parent/alias``
        is left to inspect; the pairs are (child name, alias))."""
        out = []
        if is_user_defined(mode_of(host_config)):
            return out
        for link in host_config.get("Links") or ():
            name, _, alias = link.partition(":")
            alias = alias or name
            try:
                child = self.records.resolve(name)
            except NotFound as err:
                raise InvalidParameter(f"could not get container for {name}: {err}") from None
            if mode_of(child.host_config) == "host":
                raise InvalidParameter("conflicting options: host type networking can't be used "
                                       "with links. This would result in undefined behavior")
            out.append((child.name, alias.lstrip("/").split("/")[-1]))
        return out

    # -- start -----------------------------------------------------------------
    def sandbox(self, container: Container):
        """The network sandbox of a run, its endpoints made (addresses from
        each network's IPAM) and noted in the container's settings.  Raises
        the error Docker gives (``failed to set up container networking:
        ...``)."""
        if container.config.get("NetworkDisabled"):  # moby: no sandbox; runc's new netns has lo
            return self.runtime.network_sandbox()
        mode = mode_of(container.host_config)
        if mode == "host":
            container.networks = {"host": container.networks.get("host") or blank_settings()}
            sandbox = self.runtime.host_network()
            self._note(container, {"host": self.networks.by_name("host")}, {})
            return sandbox
        if mode.startswith("container:"):
            return shared_sandbox(self._joined(container, mode.partition(":")[2]).handle.net)
        if not container.networks:
            container.networks = initial_networks(container.host_config, None)
        plan = {}
        specs = []
        for name, settings in list(container.networks.items()):
            try:
                network = self.networks.find(settings.get("NetworkID") or name)
            except NotFound as err:
                raise NotFound(f"{SETUP_NETWORKING}: {err}") from None
            if network.driver in ("null", "host"):
                if len(container.networks) > 1:
                    raise InvalidParameter(ERR_NO_NETWORK if network.driver == "null"
                                           else ERR_SHARED_NETWORK)
                plan[network.name] = network
                continue
            validate_endpoint_settings(network, network.name, settings)
            if network.name != name:  # named by id: kept under its name (moby)
                container.networks[network.name] = container.networks.pop(name)
            plan[network.name] = network
            ip = _static_ipv4(settings)
            names = tuple(dns_names(container, settings.get("Aliases"))) if network.user_defined else ()
            specs.append(EndpointSpec(network.id, ip, names, mac=normal_mac(settings.get("MacAddress") or "")))
        try:
            sandbox = self.runtime.network_sandbox(specs, name=container.short_id)
        except NetError as err:
            raise SystemError(f"{SETUP_NETWORKING}: {_net_message(err)}") from None
        try:
            self._note(container, plan, sandbox.endpoints())
        except BaseException:
            sandbox.release()
            raise
        return sandbox

    def _joined(self, container: Container, ref: str) -> Container:
        """moby's ``getNetworkedContainer``."""
        try:
            other = self.records.resolve(ref)
        except NotFound as err:
            raise NotFound(f"joining network namespace of container: {err}") from None
        if other.id == container.id:
            raise SystemError("cannot join own network namespace")
        if not other.state.running or other.handle is None or other.handle.net is None:
            raise Conflict(f"cannot join network namespace of a non running container: container "
                           f"{other.name} is {other.state.status}")
        return other

    def _note(self, container: Container, plan: dict, infos: dict) -> None:
        """The operational data of a run's endpoints (moby's
        ``updateEndpointNetworkSettings``)."""
        for name, network in plan.items():
            settings = container.networks.setdefault(name, blank_settings())
            settings["NetworkID"] = network.id
            settings["EndpointID"] = self.ids.hex_id()
            info = infos.get(network.id)
            if network.user_defined:
                settings["DNSNames"] = dns_names(container, settings.get("Aliases"))
            if info is not None:
                if settings.get("MacAddress"):
                    settings["DesiredMacAddress"] = settings["MacAddress"]
                settings.update({"IPAddress": info.ip, "IPPrefixLen": info.prefixlen,
                                 "Gateway": info.gateway, "MacAddress": info.mac})
            self.events.network(network, "connect", container=container.id)

    def publish(self, container: Container) -> None:
        """Program the published ports on the container's first bridge
        endpoint (moby: the sandbox's first endpoint that is not internal).
        Raises SystemError with libnetwork's words."""
        container.ports = {}
        mode = mode_of(container.host_config)
        if mode == "host" or mode.startswith("container:") or mode == "none":
            return
        reqs = port_requests(container.config, container.host_config)
        exposed = {f"{r}": None for r in sorted(container.config.get("ExposedPorts") or {})}
        for name, settings in container.networks.items():
            network = self.networks.get(settings.get("NetworkID") or "")
            if network is None or network.driver != "bridge" or not settings.get("IPAddress"):
                continue
            if network.internal:
                continue
            try:
                published = self.proxy.publish(container.id, reqs, settings["IPAddress"],
                                               default_host_ip=network.host_binding_ipv4)
            except UnsupportedProtocol as err:
                raise InvalidParameter(f"{SETUP_NETWORKING}: {err}") from None
            except PortError as err:
                raise SystemError(
                    f"{SETUP_NETWORKING}: driver failed programming external connectivity on "
                    f"endpoint {container.name} ({settings['EndpointID']}): {err}") from None
            exposed.update(published)
            container.ports = exposed
            return

    def released(self, container: Container) -> None:
        """At exit (moby's ``releaseNetwork``): the ports are freed and the
        endpoints' operational data cleared."""
        self.proxy.unpublish(container.id)
        container.ports = {}
        if mode_of(container.host_config).startswith("container:"):
            return
        for settings in container.networks.values():
            network = self.networks.get(settings.get("NetworkID") or "")
            if settings.get("EndpointID") and network is not None:
                self.events.network(network, "disconnect", container=container.id)
            clean_operational(settings)

    # -- connect / disconnect ------------------------------------------------------
    async def connect(self, term: str, ref: str, endpoint_config: "dict | None") -> None:
        """``docker network connect`` (moby's ``ConnectToNetwork``)."""
        container = self.records.resolve(ref)
        config = dict(endpoint_config or {})
        for line in link_local_warnings({term: config}):  # connect answers no Warnings
            log.warning("container %s: %s", container.name, line)
        if not container.state.running:
            if container.state.status in ("removing", "dead"):
                raise SystemError(f"Container {container.id} is marked for removal and cannot be "
                                  "connected or disconnected to the network")
            try:
                network = self.networks.find(term)
            except NotFound:
                container.networks[term] = blank_settings(config)
                self.records.save(container)
                return
            self._update_settings(container, network, config)
            self.records.save(container)
            return
        mode = mode_of(container.host_config)
        if mode.startswith("container:"):
            raise InvalidParameter(ERR_SHARED_NETWORK)
        network = self.networks.find(term)
        if network.driver == "host" and mode != "host":
            raise InvalidParameter(ERR_CONNECT_HOST)
        if mode in ("host", "none") or network.driver in ("null", "host"):
            if network.name in container.networks:
                raise Forbidden(f"endpoint with name {container.name} already exists in network "
                                f"{network.name}")
            raise InvalidParameter(ERR_SHARED_NETWORK if mode == "host" or network.driver == "host"
                                   else ERR_NO_NETWORK)
        existing = container.networks.get(network.name)
        if existing is not None and existing.get("EndpointID"):
            raise Forbidden(f"endpoint with name {container.name} already exists in network "
                            f"{network.name}")
        validate_endpoint_settings(network, network.name, config)
        settings = blank_settings(config)
        ip = _static_ipv4(config)
        names = tuple(dns_names(container, config.get("Aliases"))) if network.user_defined else ()
        try:
            container.handle.net.connect(EndpointSpec(network.id, ip, names,
                                                      mac=normal_mac(settings.get("MacAddress") or "")))
        except NetError as err:
            raise SystemError(_net_message(err)) from None
        container.networks[network.name] = settings
        self._note(container, {network.name: network}, container.handle.net.endpoints())
        self._hosts_entry(container, settings.get("IPAddress"), add=True)
        if not container.ports:
            self.publish(container)
        self.records.save(container)

    def _hosts_entry(self, container: Container, ip: "str | None", add: bool) -> None:
        """libnetwork's ``addHostsEntries``/``deleteHostsEntries`` on a
        running container's /etc/hosts: the container's names at an
        address it gained (appended) or lost (its lines removed)."""
        if not ip or container.handle is None:
            return
        names = (container.config.get("Hostname") or container.short_id)
        domain = container.config.get("Domainname") or ""
        if domain:
            names += "." + domain
        if "." in names:
            names += " " + names.split(".", 1)[0]
        record = f"{ip}\t{names}\n"
        current = next((m.content for m in container.handle.rootfs.file_mounts()
                        if m.destination == "/etc/hosts"), None)
        if current is None:
            return
        text = current.decode(errors="replace")
        if add:
            text += record
        else:
            text = "".join(line for line in text.splitlines(keepends=True) if line != record)
        container.handle.rootfs.write_file_mount("/etc/hosts", text.encode())

    def _update_settings(self, container: Container, network, config: dict) -> None:
        """moby's ``updateNetworkConfig`` + ``updateNetworkSettings`` for a
        container that is not running."""
        validate_endpoint_settings(network, network.name, config)
        mode = mode_of(container.host_config)
        if mode != "host" and network.driver == "host":
            raise InvalidParameter(ERR_CONNECT_HOST)
        for name, settings in container.networks.items():
            try:
                other = self.networks.find(settings.get("NetworkID") or name)
            except DockerError:
                continue
            if other.name == network.name:
                return  # avoid duplicate config
            if other.driver in ("host",) or network.driver in ("host",) or mode.startswith("container:"):
                raise InvalidParameter(ERR_SHARED_NETWORK)
            if other.name == "none" or network.name == "none":
                raise InvalidParameter(ERR_NO_NETWORK)
        settings = blank_settings(config)
        if network.user_defined:
            settings["DNSNames"] = dns_names(container, config.get("Aliases"))
        container.networks[network.name] = settings

    async def disconnect(self, term: str, ref: str, force: bool = False) -> None:
        """``docker network disconnect`` (moby's ``DisconnectFromNetwork``)."""
        container = self.records.resolve(ref)
        try:
            network = self.networks.find(term)
        except DockerError as err:
            network, error = None, err
        else:
            error = None
        if not container.state.running or (error is not None and force):
            if container.state.status in ("removing", "dead"):
                raise SystemError(f"Container {container.id} is marked for removal and cannot be "
                                  "connected or disconnected to the network")
            name = network.name if network is not None else term
            if name not in container.networks:
                raise SystemError(f"container {container.id} is not connected to the network {name}")
            del container.networks[name]
            self.records.save(container)
            return
        if error is not None:
            raise error
        mode = mode_of(container.host_config)
        if mode == "host" and network.driver == "host":
            raise InvalidParameter(ERR_DISCONNECT_HOST)
        settings = container.networks.get(network.name)
        if settings is None or not settings.get("EndpointID"):
            raise SystemError(f"container {container.id} is not connected to network {network.name}")
        if network.driver == "bridge":
            container.handle.net.disconnect(network.id)
            self._hosts_entry(container, settings.get("IPAddress"), add=False)
            if container.ports and self._ports_endpoint(container) is settings:
                self.proxy.unpublish(container.id)  # the ports went with their endpoint
                container.ports = {}
        del container.networks[network.name]
        self.records.save(container)
        self.events.network(network, "disconnect", container=container.id)

    def _ports_endpoint(self, container: Container) -> "dict | None":
        for settings in container.networks.values():
            network = self.networks.get(settings.get("NetworkID") or "")
            if network is not None and network.driver == "bridge" and settings.get("IPAddress"):
                return settings
        return None


def _net_message(err: Exception) -> str:
    return getattr(err, "message", None) or str(err)
