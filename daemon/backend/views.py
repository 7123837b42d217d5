"""How containers look to clients: ContainerSummary (``docker ps``) and
ContainerInspectResponse (``docker inspect``), shaped per the Engine API
v1.50 definitions, every value derived from the container's record and the
runtime handle."""

from . import links, logdrivers
from .container import Container, rfc3339
from .health import health_status, health_view, status_suffix
from .mounts import Mounts as _Mounts
from ..errors import InvalidParameter
from .filters import Filters, parse_filters
from .ports import parse_port_range, split_proto_port

# go-units HumanDuration thresholds (seconds).
_MINUTE, _HOUR, _DAY, _WEEK = 60, 3600, 86400, 7 * 86400


def human_duration(seconds: float) -> str:
    """Docker's HumanDuration: "Less than a second", "3 seconds",
    "About a minute", "5 minutes", "About an hour", "3 hours", "2 days"..."""
    s = int(seconds)
    if s < 1:
        return "Less than a second"
    if s == 1:
        return "1 second"
    if s < _MINUTE:
        return f"{s} seconds"
    minutes = s // _MINUTE
    if minutes == 1:
        return "About a minute"
    if minutes < 60:
        return f"{minutes} minutes"
    hours = int(round(s / _HOUR))
    if hours == 1:
        return "About an hour"
    if hours < 48:
        return f"{hours} hours"
    if hours < 24 * 7 * 2:
        return f"{hours // 24} days"
    if hours < 24 * 30 * 2:
        return f"{hours // 24 // 7} weeks"
    if hours < 24 * 365 * 2:
        return f"{hours // 24 // 30} months"
    return f"{hours // 24 // 365} years"


def status_text(container: Container, now: float) -> str:
    """The STATUS column (moby's State.String)."""
    st = container.state
    if st.status == "running":
        return f"Up {human_duration(now - (st.started_at or now))}{status_suffix(container)}"
    if st.status == "paused":
        return f"Up {human_duration(now - (st.started_at or now))} (Paused)"
    if st.status == "restarting":
        return f"Restarting ({st.exit_code}) {human_duration(now - (st.finished_at or now))} ago"
    if st.status == "removing":
        return "Removal In Progress"
    if st.status == "dead":
        return "Dead"
    if st.status == "created" or st.finished_at is None:
        return "Created"
    return f"Exited ({st.exit_code}) {human_duration(now - st.finished_at)} ago"


def _ports(container: Container) -> list:
    """Ports[] of the summary (moby's container view): each binding of
    NetworkSettings.Ports, or the bare port when it is exposed only; none
    while the container is not running."""
    out = []
    for spec, bindings in (container.ports or {}).items():
        port, _, proto = spec.partition("/")
        if not bindings:
            out.append({"PrivatePort": int(port), "Type": proto or "tcp"})
            continue
        for binding in bindings:
            out.append({"IP": binding["HostIp"], "PrivatePort": int(port),
                        "PublicPort": int(binding["HostPort"]), "Type": proto or "tcp"})
    return out


def _command(container: Container) -> str:
    parts = [container.path] + list(container.args)
    return " ".join(str(p) for p in parts)


def _networks(container: Container) -> dict:
    """NetworkSettings.Networks: the container's EndpointSettings by
    network name (the operational fields are empty unless it runs)."""
    return {name: {k: v for k, v in settings.items() if k != "DesiredMacAddress"}
            for name, settings in container.networks.items()}


_SUMMARY_KEYS = ("IPAMConfig", "Links", "Aliases", "MacAddress", "DriverOpts", "GwPriority",
                 "NetworkID", "EndpointID", "Gateway", "IPAddress", "IPPrefixLen", "IPv6Gateway",
                 "GlobalIPv6Address", "GlobalIPv6PrefixLen", "DNSNames")


def _summary_networks(container: Container) -> dict:
    """The list's NetworkSettings.Networks (moby's container view: the
    addresses and ids; IPAMConfig only the addresses; no aliases)."""
    out = {}
    for name, settings in container.networks.items():
        entry = dict.fromkeys(_SUMMARY_KEYS)
        entry.update({k: settings.get(k) for k in ("MacAddress", "GwPriority", "NetworkID",
                                                   "EndpointID", "Gateway", "IPAddress",
                                                   "IPPrefixLen", "IPv6Gateway", "GlobalIPv6Address",
                                                   "GlobalIPv6PrefixLen")})
        ipam = settings.get("IPAMConfig")
        if ipam is not None:
            entry["IPAMConfig"] = {"IPv4Address": ipam.get("IPv4Address") or "",
                                   "IPv6Address": ipam.get("IPv6Address") or ""}
        out[name] = entry
    return out


def summary(ctx, container: Container, size: bool = False, link_names=None) -> dict:
    """One /containers/json entry; ``link_names`` is `links.link_names`
    (computed once per list)."""
    image = container.config.get("Image") or container.image_id
    out = {
        "Id": container.id,
        "Names": ["/" + container.name] + list((link_names or {}).get(container.id, ())),
        "Image": image,
        "ImageID": container.image_id,
        "Command": _command(container),
        "Created": int(container.created),
        "Ports": _ports(container),
        "Labels": dict(container.config.get("Labels") or {}),
        "State": container.state.status,
        "Status": status_text(container, ctx.clock.now()),
        "HostConfig": {"NetworkMode": container.host_config.get("NetworkMode", "bridge")},
        "NetworkSettings": {"Networks": _summary_networks(container)},
        "Mounts": mount_view(container),
    }
    if size:
        out["SizeRw"], out["SizeRootFs"] = ctx.sizes(container)
    return out


#: The filters ``docker ps`` accepts (moby's ``acceptedPsFilterTags``);
#: those `_matches` does not know yet are accepted and ignored.
LIST_FILTERS = {"ancestor", "before", "exited", "id", "isolation", "label", "name", "status",
                "health", "since", "volume", "network", "is-task", "publish", "expose"}


def _port_filter(key: str, values) -> set:
    """moby's ``portOp``: ``80``, ``80/udp``, ``8000-8080/tcp`` as a set
    of "port/proto"."""
    out = set()
    for value in values:
        if ":" in value:
            raise InvalidParameter(f"filter for '{key}' should not contain ':': {value}")
        proto, port = split_proto_port(value)
        try:
            if not port:
                raise ValueError("empty string specified for ports")
            start, end = parse_port_range(port)
        except ValueError as err:
            raise InvalidParameter(f"error while looking up for {key} {value}: {err}") from None
        out.update(f"{p}/{proto}" for p in range(start, end + 1))
    return out


def _matches(ctx, container: Container, filters: Filters) -> bool:
    if filters.contains("network"):
        wanted = filters.get("network")
        if not any(w in container.networks
                   or any((s.get("NetworkID") or "").startswith(w) for s in container.networks.values())
                   for w in wanted):
            return False
    if filters.get("publish") or filters.get("expose"):
        publish = _port_filter("publish", filters.get("publish"))
        expose = _port_filter("expose", filters.get("expose"))
        if not any(f"{p.get('PublicPort', 0)}/{p['Type']}" in publish
                   or f"{p['PrivatePort']}/{p['Type']}" in expose for p in _ports(container)):
            return False
    for key in sorted(filters.fields):
        wanted = filters.get(key)
        if not wanted:
            continue
        if key == "id" and not any(container.id.startswith(w) for w in wanted):
            return False
        if key == "name" and not any(w.lstrip("/") in container.name for w in wanted):
            return False
        if key == "status" and container.state.status not in wanted:
            return False
        if key == "health" and health_status(container) not in wanted:
            return False
        if key == "exited":
            if container.state.status != "exited" or str(container.state.exit_code) not in wanted:
                return False
        if key == "label" and not filters.match_kv_list("label", container.config.get("Labels")):
            return False
        if key == "ancestor":
            ok = False
            for w in wanted:
                try:
                    img = ctx.images.lookup(w)
                except Exception:
                    continue
                if img.id == container.image_id:
                    ok = True
            if not ok:
                return False
    return True


def list_containers(ctx, *, all: bool, limit: int, size: bool, filters: Filters) -> list:
    items = sorted(ctx.records, key=lambda c: c.created, reverse=True)
    if (not all and not (limit and limit > 0) and not filters.contains("status")
            and not filters.contains("exited")):
        items = [c for c in items if c.state.running]
    items = [c for c in items if _matches(ctx, c, filters)]
    if limit and limit > 0:
        items = items[:limit]
    names = links.link_names(ctx.records)
    return [summary(ctx, c, size, names) for c in items]


#: moby's container.HostConfig (with its embedded Resources) as Go
#: encodes it: the fields in declaration order, each with its zero value,
#: or OMIT for a field tagged ``omitempty`` (left out when empty).
OMIT = object()
_HOST_CONFIG_FIELDS = (
    ("Binds", None), ("ContainerIDFile", ""), ("LogConfig", {"Type": "", "Config": None}),
    ("NetworkMode", ""), ("PortBindings", None), ("RestartPolicy", {"Name": "", "MaximumRetryCount": 0}),
    ("AutoRemove", False), ("VolumeDriver", ""), ("VolumesFrom", None), ("ConsoleSize", [0, 0]),
    ("Annotations", OMIT), ("CapAdd", None), ("CapDrop", None), ("CgroupnsMode", ""), ("Dns", None),
    ("DnsOptions", None), ("DnsSearch", None), ("ExtraHosts", None), ("GroupAdd", None),
    ("IpcMode", ""), ("Cgroup", ""), ("Links", None), ("OomScoreAdj", 0), ("PidMode", ""),
    ("Privileged", False), ("PublishAllPorts", False), ("ReadonlyRootfs", False),
    ("SecurityOpt", None), ("StorageOpt", OMIT), ("Tmpfs", OMIT), ("UTSMode", ""), ("UsernsMode", ""),
    ("ShmSize", 0), ("Sysctls", OMIT), ("Runtime", OMIT), ("Isolation", ""),
    # Resources
    ("CpuShares", 0), ("Memory", 0), ("NanoCpus", 0), ("CgroupParent", ""), ("BlkioWeight", 0),
    ("BlkioWeightDevice", None), ("BlkioDeviceReadBps", None), ("BlkioDeviceWriteBps", None),
    ("BlkioDeviceReadIOps", None), ("BlkioDeviceWriteIOps", None), ("CpuPeriod", 0), ("CpuQuota", 0),
    ("CpuRealtimePeriod", 0), ("CpuRealtimeRuntime", 0), ("CpusetCpus", ""), ("CpusetMems", ""),
    ("Devices", None), ("DeviceCgroupRules", None), ("DeviceRequests", None), ("KernelMemory", OMIT),
    ("KernelMemoryTCP", OMIT), ("MemoryReservation", 0), ("MemorySwap", 0),
    ("MemorySwappiness", None), ("OomKillDisable", None), ("PidsLimit", None), ("Ulimits", None),
    ("CpuCount", 0), ("CpuPercent", 0), ("IOMaximumIOps", 0), ("IOMaximumBandwidth", 0),
    ("Mounts", OMIT), ("MaskedPaths", None), ("ReadonlyPaths", None), ("Init", OMIT),
)


def go_host_config(hc: dict) -> dict:
    """A stored HostConfig as dockerd's inspect encodes it: every field in
    Go's order, absent ones at their zero value, empty ``omitempty`` ones
    left out (a client that sent a sparse HostConfig, as docker-py does,
    reads ``HostConfig["Memory"]`` as on Docker)."""
    out = {}
    for name, zero in _HOST_CONFIG_FIELDS:
        value = hc.get(name, None if zero is OMIT else zero)
        if zero is OMIT and value in (None, "", 0, {}, []):
            continue
        out[name] = value
    return out


def inspect_container(ctx, container: Container, size: bool = False) -> dict:
    st = container.state
    cid = container.id
    root = ctx.data_root or "/var/lib/docker"
    networks = _networks(container)
    # The top-level fields are the default bridge's (moby's getDefaultNetworkSettings).
    bridge = networks.get("bridge") or {
        "EndpointID": "", "Gateway": "", "IPAddress": "", "IPPrefixLen": 0, "MacAddress": ""}
    ports = {k: (list(v) if v else None) for k, v in (container.ports or {}).items()}
    out = {
        "Id": cid,
        "Created": rfc3339(container.created),
        "Path": container.path,
        "Args": list(container.args),
        "State": {
            "Status": st.status,
            "Running": st.running,
            "Paused": st.paused,
            "Restarting": st.status == "restarting",
            "OOMKilled": st.oom_killed,
            "Dead": st.status == "dead",
            "Pid": st.pid,
            "ExitCode": st.exit_code,
            "Error": st.error,
            "StartedAt": rfc3339(st.started_at),
            "FinishedAt": rfc3339(st.finished_at),
            **({"Health": health_view(st.health)} if st.health is not None else {}),
        },
        "Image": container.image_id,
        "ResolvConfPath": f"{root}/containers/{cid}/resolv.conf",
        "HostnamePath": f"{root}/containers/{cid}/hostname",
        "HostsPath": f"{root}/containers/{cid}/hosts",
        "LogPath": logdrivers.log_path(container, root),
        "Name": "/" + container.name,
        "RestartCount": container.restart_count,
        "Driver": "overlay2",
        "Platform": "linux",
        "MountLabel": "",
        "ProcessLabel": "",
        "AppArmorProfile": "",
        "ExecIDs": list(container.exec_ids) or None,
        "HostConfig": go_host_config({**container.host_config,
                                      "Links": links.inspect_links(ctx.records, container)}),
        "GraphDriver": {"Data": {"MergedDir": f"{root}/overlay2/{cid}/merged",
                                 "UpperDir": f"{root}/overlay2/{cid}/diff",
                                 "WorkDir": f"{root}/overlay2/{cid}/work"},
                        "Name": "overlay2"},
        "Mounts": mount_view(container),
        "Config": container.config,
        "NetworkSettings": {
            "Bridge": "", "SandboxID": container.sandbox_id,
            "SandboxKey": f"/var/run/docker/netns/{cid[:12]}" if st.running else "",
            "Ports": ports, "HairpinMode": False, "LinkLocalIPv6Address": "",
            "LinkLocalIPv6PrefixLen": 0, "SecondaryIPAddresses": None,
            "SecondaryIPv6Addresses": None, "EndpointID": bridge["EndpointID"],
            "Gateway": bridge["Gateway"], "GlobalIPv6Address": "", "GlobalIPv6PrefixLen": 0,
            "IPAddress": bridge["IPAddress"], "IPPrefixLen": bridge["IPPrefixLen"],
            "IPv6Gateway": "", "MacAddress": bridge["MacAddress"],
            "Networks": networks,
        },
    }
    if size:
        out["SizeRw"], out["SizeRootFs"] = ctx.sizes(container)
    return out


class Views:
    """What the view functions read: the records, images and layers, the
    clock, the data root and the networks."""

    def __init__(self, records, images, layers, clock, data_root, networks):
        self.records = records
        self.images = images
        self.layers = layers
        self.clock = clock
        self.data_root = data_root
        self.networks = networks

    def sizes(self, container: Container) -> "tuple[int, int]":
        """(SizeRw, SizeRootFs): the writable layer's bytes, and those plus
        the image layers' under it (its chain is held by the container, so
        this works even after ``rmi -f``)."""
        writable = self.records.writable_layer(container)
        rw = writable.size if writable is not None else 0
        chain = self.layers.chain_ids(container.diff_ids)
        image = self.layers.chain_size(chain[-1]) if chain and chain[-1] in self.layers else 0
        return rw, rw + image

    def list_containers(self, all: bool = False, limit: int = -1, size: bool = False,
                        filters: str = "") -> list:
        """``docker ps``; ``filters`` is the query parameter's JSON (moby's
        filters.Args, either form), checked against `LIST_FILTERS`."""
        parsed = parse_filters(filters, LIST_FILTERS)
        for value in parsed.get("health"):  # moby's ValidateHealthStatus
            if value not in ("none", "starting", "healthy", "unhealthy"):
                raise InvalidParameter(f"invalid filter 'health={value}': invalid value for health "
                                       f"({value}): must be one of none, starting, healthy, unhealthy")
        return list_containers(self, all=all, limit=limit, size=size, filters=parsed)

    def inspect_container(self, ref: str, size: bool = False) -> dict:
        return inspect_container(self, self.records.resolve(ref), size=size)


mount_view = _Mounts.view
