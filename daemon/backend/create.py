"""``docker create``: moby's daemon/create.go.

The client's Config and HostConfig are checked the way Go's decoder and
moby's verifiers check them, merged with the image's defaults (moby's
``merge``) and stored as a new container record; the container holds a
reference on its image's layer chain (its writable layer's parent).
"""

from ...sim.images.errors import ImageNotFound, InvalidReference
from ...sim.golang import clean_path
from ..errors import InvalidParameter, NotFound
from . import hostopts, namespaces, options, resources, restart, security
from .container import Container, merge_env
from .containernet import initial_networks, is_user_defined, link_local_warnings
from .netfiles import parse_extra_host
from .requests import CREATE_REQUEST, go_body
from .ports import check_protocols, validate_port_bindings
from .start import check_network_mode
from .events import NO_EVENTS
from .platforms import Platform, image_mismatch, image_platform, only_with_fallback, parse_platform
from ...sim.images import reference as refmod

_STRINGS = ("strings", "[]string")

#: The create body's fields whose JSON type Go's decoder would enforce:
#: field -> (accepted kinds, the Go type named in the error).
CREATE_FIELD_TYPES = {
    "Image": ("string", "string"), "Hostname": ("string", "string"),
    "Domainname": ("string", "string"), "User": ("string", "string"),
    "WorkingDir": ("string", "string"), "Env": _STRINGS,
    "Cmd": ("strslice", "string"), "Entrypoint": ("strslice", "string"),
    "Labels": ("stringmap", "map[string]string"), "ExposedPorts": ("object", "nat.PortSet"),
    "Volumes": ("object", "map[string]struct {}"), "HostConfig": ("object", "container.HostConfig"),
    "Tty": ("bool", "bool"), "OpenStdin": ("bool", "bool"), "StdinOnce": ("bool", "bool"),
    "AttachStdin": ("bool", "bool"), "AttachStdout": ("bool", "bool"),
    "AttachStderr": ("bool", "bool"), "StopSignal": ("string", "string"),
}


def _json_kind(value) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return {str: "string", list: "array", dict: "object"}.get(type(value), "value")


def _null_to_zero(kind: str, value):
    """Go's decoder leaves an element that is ``null`` at its zero value:
    ``["a", null]`` into ``[]string`` is ``["a", ""]``, and so is a null
    value of a ``map[string]string``."""
    if kind in ("strings", "strslice") and isinstance(value, list):
        return ["" if v is None else v for v in value]
    if kind == "stringmap" and isinstance(value, dict):
        return {k: "" if v is None else v for k, v in value.items()}
    return value


def check_create_body(body: dict) -> dict:
    """Refuse what Go's decoder would refuse, with its words, instead of
    letting a string Env or a numeric Cmd reach the runtime; return the
    body as Go decodes it (nulls inside lists and maps of strings made
    empty strings).  Every field of the CreateRequest (HostConfig and
    NetworkingConfig included) is checked against its Go type first
    (`requests.CREATE_REQUEST`): ``invalid JSON: json: cannot unmarshal
    ...``, as moby's ``runconfig.loadJSON`` says."""
    body = go_body(body, CREATE_REQUEST)
    decoded = dict(body)
    def ok(kind, value):
        if value is None:
            return True
        if kind == "string":
            return isinstance(value, str)
        if kind == "bool":
            return isinstance(value, bool)
        if kind == "object":
            return isinstance(value, dict)
        if kind == "strings":
            return isinstance(value, list) and all(isinstance(v, str) for v in value)
        if kind == "strslice":  # a string or a list of strings (moby's StrSlice)
            return isinstance(value, str) or ok("strings", value)
        if kind == "stringmap":
            return isinstance(value, dict) and all(isinstance(v, str) for v in value.values())
        return True

    for field, (kind, go_type) in CREATE_FIELD_TYPES.items():
        value = _null_to_zero(kind, body.get(field))
        if field in body:
            decoded[field] = value
        if not ok(kind, value):
            shown = value
            if isinstance(value, list):
                shown = next((v for v in value if not isinstance(v, str)), value)
            elif isinstance(value, dict):
                shown = next((v for v in value.values() if not isinstance(v, str)), value)
            raise InvalidParameter(f"json: cannot unmarshal {_json_kind(shown)} into Go struct field "
                                   f"CreateRequest.{field} of type {go_type}")
    return decoded


def merge_config(body: dict, image_cfg: dict, cid: str) -> dict:
    """Config as Docker stores it: the client's, with the image's
    defaults for what the client left out (moby's merge())."""
    if body.get("Entrypoint"):
        entrypoint = body.get("Entrypoint")
        cmd = body.get("Cmd") or []
    else:
        entrypoint = image_cfg.get("Entrypoint")
        cmd = body.get("Cmd") or image_cfg.get("Cmd") or []
    if isinstance(entrypoint, str):
        entrypoint = [entrypoint]
    if isinstance(cmd, str):
        cmd = [cmd]
    exposed = dict(image_cfg.get("ExposedPorts") or {})
    exposed.update(body.get("ExposedPorts") or {})
    labels = dict(image_cfg.get("Labels") or {})
    labels.update(body.get("Labels") or {})
    volumes = dict(image_cfg.get("Volumes") or {})
    volumes.update(body.get("Volumes") or {})
    config = {k: v for k, v in body.items() if k not in ("HostConfig", "NetworkingConfig")}
    config.update({
        "Hostname": body.get("Hostname") or cid[:12],
        "Domainname": body.get("Domainname") or "",
        "User": body.get("User") or image_cfg.get("User") or "",
        "AttachStdin": bool(body.get("AttachStdin")),
        "AttachStdout": bool(body.get("AttachStdout")),
        "AttachStderr": bool(body.get("AttachStderr")),
        "Tty": bool(body.get("Tty")),
        "OpenStdin": bool(body.get("OpenStdin")),
        "StdinOnce": bool(body.get("StdinOnce")),
        "Env": merge_env(image_cfg.get("Env"), body.get("Env")),
        "Cmd": list(cmd) if cmd else None,
        "Image": body.get("Image"),
        "Volumes": volumes or None,
        "WorkingDir": body.get("WorkingDir") or image_cfg.get("WorkingDir") or "",
        "Entrypoint": list(entrypoint) if entrypoint else None,
        "OnBuild": image_cfg.get("OnBuild"),
        "Labels": labels,
    })
    config.pop("ExposedPorts", None)
    config.pop("StopSignal", None)
    if exposed:
        config["ExposedPorts"] = exposed
    stop_signal = body.get("StopSignal") or image_cfg.get("StopSignal")
    if stop_signal:
        config["StopSignal"] = stop_signal
    if body.get("StopTimeout") is not None:
        config["StopTimeout"] = body["StopTimeout"]
    health = hostopts.merge_healthcheck(body.get("Healthcheck"), image_cfg.get("Healthcheck"))
    config.pop("Healthcheck", None)
    if health is not None:
        config["Healthcheck"] = health
    return config

def host_config_defaults(hc: dict) -> dict:
    """HostConfig as the client sent it, with the daemon's defaults
    filled in where inspect shows them (docker-py reads LogConfig.Type)."""
    out = dict(hc)
    if out.get("NetworkMode") in (None, "", "default"):
        out["NetworkMode"] = "bridge"
    log_config = dict(out.get("LogConfig") or {})
    if not log_config.get("Type"):
        log_config["Type"] = "json-file"
    log_config.setdefault("Config", {})
    out["LogConfig"] = log_config
    restart = dict(out.get("RestartPolicy") or {})
    restart.setdefault("Name", "no")
    restart.setdefault("MaximumRetryCount", 0)
    if not restart["Name"]:
        restart["Name"] = "no"
    out["RestartPolicy"] = restart
    out.setdefault("AutoRemove", False)
    out.setdefault("PortBindings", {})
    out.setdefault("Binds", None)
    out.setdefault("Privileged", False)
    out.setdefault("ConsoleSize", [0, 0])
    return out


def mac_address_bc(body: dict, host_body: dict, endpoints: dict) -> "list[str]":
    """moby's ``handleMACAddressBC`` (API >= 1.44): the deprecated
    container-wide Config.MacAddress moves to the endpoint of the main
    network (bridge or a user network), a different one there is refused,
    and the answer warns of the deprecation.  Returns the warnings."""
    mac = body.get("MacAddress") or ""
    if not mac:
        return []
    mode = host_body.get("NetworkMode") or "bridge"
    mode = "bridge" if mode == "default" else mode
    if mode == "bridge" or is_user_defined(mode):
        if endpoints and mode not in endpoints:
            raise InvalidParameter("unable to migrate container-wide MAC address to a specific network: "
                                   "HostConfig.NetworkMode must match the identity of a network in "
                                   "NetworkSettings.Networks")
        ep = endpoints.get(mode) or {}
        endpoints[mode] = ep
        if not ep.get("MacAddress"):
            ep["MacAddress"] = mac
        elif ep["MacAddress"] != mac:
            raise InvalidParameter("the container-wide MAC address must match the endpoint-specific MAC "
                                   "address for the main network, or be left empty")
    body.pop("MacAddress", None)
    return ["The container-wide MacAddress field is now deprecated. It should be specified in "
            "EndpointsConfig instead."]


class Creator:
    events = NO_EVENTS
    #: Set by the engine: registers volumes and bind mounts (mounts.py).
    mounts = None

    def __init__(self, records, images, layers, clock, ids, networking=None, hostname=None,
                 ncpu: int = 2, arch: str = "amd64"):
        #: The simulated host's GOARCH.
        self.arch = arch
        self.networking = networking
        #: The simulated host's CPUs (the range NanoCpus and cpusets may use).
        self.ncpu = ncpu
        #: The simulated host's name: a container on the host's network
        #: without a Hostname takes it (moby's ``newContainer``).
        self.hostname = hostname
        self.records = records
        self.images = images
        self.layers = layers
        self.clock = clock
        self.ids = ids

    def host_platform(self) -> Platform:
        """moby's ``maximumSpec``: the host's platform with the CPU variant
        its flags allow (the simulated CPU has SSE4.2 and no AVX2: amd64
        v2; arm64 reports v8)."""
        return Platform("linux", self.arch, {"amd64": "v2", "arm64": "v8"}.get(self.arch, ""))

    def _platform_check(self, image_ref: str, image, platform: str) -> "list[str]":
        """The ``platform`` parameter (API 1.41+): an image of another
        platform is NotFound with moby's words (the CLI then pulls that
        platform and creates again).  Without one, an image that is not
        the host's gets moby's warning."""
        if platform:
            wanted = parse_platform(platform, self.arch)
            name = image_ref  # moby's ParseNamed: only a canonical name is made familiar
            try:
                parsed = refmod.parse(image_ref)
                if str(parsed) == image_ref:
                    name = parsed.familiar_string
            except InvalidReference:
                pass
            mismatch = image_mismatch(name, image.config, wanted)
            if mismatch is not None:
                raise NotFound(mismatch)
            return []
        have, host = image_platform(image.config), self.host_platform()
        if only_with_fallback(host)(have):
            return []
        return [f"The requested image's platform ({have}) does not match the detected host "
                f"platform ({host}) and no specific platform was requested"]

    def create(self, name: "str | None", body: dict, platform: str = "") -> dict:
        body = check_create_body(dict(body or {}))
        image_ref = body.get("Image") or ""
        if not image_ref:
            raise InvalidParameter("config cannot be empty in order to create a container")
        workdir = body.get("WorkingDir") or ""
        if workdir:  # moby's translateWorkingDir
            if not workdir.startswith("/"):
                raise InvalidParameter(f"the working directory '{workdir}' is invalid, it needs to "
                                       "be an absolute path")
            body["WorkingDir"] = clean_path(workdir)
        for env in body.get("Env") or ():  # moby's validateContainerConfig (opts.ValidateEnv)
            if not env.partition("=")[0]:
                raise InvalidParameter(f"invalid environment variable: {env}")
        hostopts.verify_config(body)
        host_body = body.get("HostConfig") or {}
        # The router's "default" mode is the default bridge, and so is an
        # endpoint config keyed "default".
        endpoints = dict(((body.get("NetworkingConfig") or {}).get("EndpointsConfig")) or {})
        if host_body.get("NetworkMode") in (None, "", "default") and "default" in endpoints:
            endpoints["bridge"] = endpoints.pop("default")
        body["NetworkingConfig"] = {"EndpointsConfig": endpoints}
        api_warnings = mac_address_bc(body, host_body, endpoints)
        for extra_host in host_body.get("ExtraHosts") or ():  # moby's validateHostConfig
            parse_extra_host(extra_host)
        validate_port_bindings(host_body.get("PortBindings"))
        check_protocols(host_body)
        check_network_mode(body, host_body)
        security.validate(host_body)
        if self.networking is not None:
            self.networking.validate_networking_config(body.get("NetworkingConfig"))
            self.networking.check_links(host_body)
        if self.mounts is not None:
            self.mounts.validate(host_body)
        try:
            image = self.images.lookup(image_ref)
        except ImageNotFound as err:
            raise NotFound(str(err)) from None
        except InvalidReference as err:
            raise InvalidParameter(str(err)) from None
        platform_warnings = self._platform_check(image_ref, image, platform)
        name = self.records.new_name(name)
        cid = self.ids.hex_id()
        config = merge_config(body, image.container_config, cid)
        if (host_body.get("NetworkMode") == "host" and not body.get("Hostname")
                and self.hostname is not None):
            config["Hostname"] = self.hostname()
        entry = list(config.get("Entrypoint") or []) + list(config.get("Cmd") or [])
        if not entry:
            raise InvalidParameter("no command specified")
        host_config = host_config_defaults(body.get("HostConfig") or {})
        restart.validate(host_config)
        warnings = (api_warnings + platform_warnings + resources.verify(host_config, self.ncpu)
                    + link_local_warnings(endpoints))
        hostopts.verify_host_config(host_config)
        namespaces.verify(host_config)
        resources.adapt(host_config)
        security.fill_defaults(host_config)
        namespaces.adapt(host_config, self.records)
        warnings += options.said(config, host_config)
        mount_points = (self.mounts.register(cid, config, host_config, tuple(image.diff_ids))
                        if self.mounts is not None else [])
        container = Container(
            id=cid, name=name, created=self.clock.now(), config=config, host_config=host_config,
            image_id=image.id, diff_ids=image.diff_ids, path=entry[0], args=entry[1:],
            networks=initial_networks(host_config, body.get("NetworkingConfig"),
                                      bool(config.get("NetworkDisabled"))),
            mount_points=mount_points)
        if image.top_chain_id is not None:
            self.layers.acquire(image.top_chain_id)  # the writable layer's parent chain
        self.records.add(container)
        self.events.container(container, "create")
        if host_config.get("NetworkMode") == "host" and host_config.get("PortBindings"):
            warnings.append("Published ports are discarded when using host network mode")
        options.log_warnings(name, warnings)
        return {"Id": cid, "Warnings": warnings}

    def create_for_build(self, config: dict, image, host_config: dict, prepare=None) -> Container:
        """A build step's container (moby's builder calling
        ``ContainerCreateIgnoreImagesArgsEscaped``): ``config`` is used as
        given (Go-shaped, the image's config already merged in) and, as
        moby's ``newContainer`` does to the config it is handed, gets the
        container's short id as its Hostname when it has none.  ``image``
        is None for FROM scratch.  ``prepare(container)`` runs before
        anything is recorded or held (the working directory); if it raises,
        there is no container."""
        cid = self.ids.hex_id()
        if not config.get("Hostname"):
            config["Hostname"] = cid[:12]
        entry = list(config.get("Entrypoint") or []) + list(config.get("Cmd") or [])
        container = Container(
            id=cid, name=self.records.new_name(None), created=self.clock.now(), config=dict(config),
            host_config=dict(host_config), image_id=image.id if image is not None else "",
            diff_ids=list(image.diff_ids) if image is not None else [],
            path=entry[0] if entry else "", args=entry[1:])
        if prepare is not None:
            prepare(container)
        if image is not None and image.top_chain_id is not None:
            self.layers.acquire(image.top_chain_id)
        self.records.add(container)
        self.events.container(container, "create")
        return container
