"""``POST /build``'s query, read as moby's ``newImageBuildOptions``
(api/server/router/build/build_routes.go) and ``sanitizeRepoAndTags``
(api/server/backend/build/tag.go) read it.

Booleans follow dockerd's rule (``""``, 0, no, false, none are false);
``rm`` defaults to true and ``forcerm`` implies it; the JSON parameters
(``buildargs``, ``labels``, ``cachefrom``, ``ulimits``, ``outputs``) are
refused with ``error reading build args: …`` and the like.  Errors here
come before any output, so they are HTTP statuses.
"""

import json

import attrs

from ....sim.golang import GoError, parse_int
from ....sim.golang.json import (INT64, STRING, STRING_MAP, STRINGS, Field, JSONError, Map, Ptr,
                                 Slice, Struct, unmarshal)
from ....sim.images import reference as refmod
from ....sim.images.errors import InvalidReference
from ...errors import InvalidParameter, NotImplementedYet
from ...errors import SystemError as DockerSystemError
from ..platforms import Platform, parse_platform  # noqa: F401 (the evaluator imports them here)

FALSE_WORDS = {"", "0", "no", "false", "none"}

def _bool(query, name: str) -> bool:
    values = query.get(name)
    if not values:
        return False
    return values[0].strip().lower() not in FALSE_WORDS


def _value(query, name: str) -> str:
    values = query.get(name)
    return values[0] if values else ""


#: The build's resource parameters (moby's ``httputils.Int64ValueOrZero``
#: and ``FormValue``), by the Resources field they fill.
_INT_RESOURCES = (("Memory", "memory"), ("MemorySwap", "memswap"), ("CpuShares", "cpushares"),
                  ("CpuPeriod", "cpuperiod"), ("CpuQuota", "cpuquota"))
_TEXT_RESOURCES = (("CpusetCpus", "cpusetcpus"), ("CpusetMems", "cpusetmems"),
                   ("CgroupParent", "cgroupparent"))


def _int64_or_zero(query, name: str) -> int:
    """``Int64ValueOrZero``: base 10, and 0 for what does not parse."""
    try:
        return parse_int(_value(query, name), 64) if _value(query, name) else 0
    except GoError:
        return 0


#: The Go types newImageBuildOptions unmarshals its JSON parameters into.
#: (``container.Ulimit`` is an alias: reflect names go-units' type.)
_BUILD_ARGS = Map(Ptr(STRING), "map[string]*string")
_ULIMITS = Slice(Ptr(Struct("Ulimit", "units.Ulimit", (
    Field("Name", STRING), Field("Hard", INT64), Field("Soft", INT64)))), "[]*units.Ulimit")
_OUTPUTS = Slice(Struct("ImageBuildOutput", "build.ImageBuildOutput", (
    Field("Type", STRING), Field("Attrs", STRING_MAP))), "[]build.ImageBuildOutput")


def _json(query, name: str, what: str, go_type):
    """``json.Unmarshal`` of the parameter into ``go_type`` (None when it
    is absent or empty); Go's error, wrapped in ``what``, is a 400."""
    text = _value(query, name)
    if text == "":
        return None
    try:
        return unmarshal(text, go_type)
    except JSONError as err:
        raise InvalidParameter(f"{what}: {err}") from None


@attrs.frozen
class BuildOptions:
    """What a build was asked for (moby's ``build.ImageBuildOptions``)."""

    dockerfile: str = "Dockerfile"
    tags: tuple = ()  # sanitized references, de-duplicated
    suppress_output: bool = False
    no_cache: bool = False
    remove: bool = True
    force_remove: bool = False
    pull_parent: bool = False
    build_args: dict = attrs.field(factory=dict)  # name -> value or None
    labels: dict = attrs.field(factory=dict)
    cache_from: tuple = ()
    target: str = ""
    platform: "Platform | None" = None
    network_mode: str = ""
    extra_hosts: tuple = ()
    shm_size: int = 0
    isolation: str = ""
    squash: bool = False
    want_aux: bool = True
    #: The RUN containers' Resources (moby's ``hostConfigFromOptions``):
    #: Memory, MemorySwap, CpuShares, CpuPeriod, CpuQuota, CpusetCpus,
    #: CpusetMems, CgroupParent, Ulimits, as the create API spells them.
    resources: dict = attrs.field(factory=dict)

    @classmethod
    def from_query(cls, query: "dict[str, list[str]]", *, api_version: str = "1.50",
                   host_arch: str = "amd64") -> "BuildOptions":
        """``query``: every parameter with its values in order (``t`` may
        repeat).  Raises InvalidParameter (400) or SystemError (500) with
        dockerd's words."""
        def version_at_least(v: str) -> bool:
            return tuple(int(x) for x in api_version.split(".")) >= tuple(int(x) for x in v.split("."))

        if query.get("securityopt") is not None:
            raise InvalidParameter("security options are not supported on linux")
        force_remove = _bool(query, "forcerm")
        if force_remove or _value(query, "rm") == "":
            remove = True
        else:
            remove = _bool(query, "rm")
        platform = None
        if version_at_least("1.32") and _value(query, "platform"):
            platform = parse_platform(_value(query, "platform"), host_arch)
        if version_at_least("1.40"):
            _json(query, "outputs", "invalid outputs specified", _OUTPUTS)
        shm_size = 0
        if _value(query, "shmsize"):
            try:
                shm_size = parse_int(_value(query, "shmsize"), 64)
            except GoError as err:  # returned as it is: a 500
                raise DockerSystemError(str(err)) from None
        isolation = _value(query, "isolation")
        if isolation and isolation.lower() != "default":
            raise InvalidParameter(f"unsupported isolation: {json.dumps(isolation)}")
        ulimits = _json(query, "ulimits", "error reading ulimit settings", _ULIMITS)
        resources = {field: _int64_or_zero(query, name) for field, name in _INT_RESOURCES}
        resources.update({field: _value(query, name) for field, name in _TEXT_RESOURCES})
        resources["Ulimits"] = [u for u in ulimits or () if u is not None] or None
        build_args = _json(query, "buildargs", "error reading build args", _BUILD_ARGS) or {}
        labels = _json(query, "labels", "error reading labels", STRING_MAP) or {}
        cache_from = _json(query, "cachefrom", "error reading cache-from", STRINGS) or []
        version = _value(query, "version")
        if version not in ("", "1", "2"):
            raise InvalidParameter(f"invalid version {json.dumps(version)}")
        if version == "2":
            raise NotImplementedYet("BuildKit (version=2) is not implemented by dockersim; "
                                    "use the classic builder (version=1)")
        remote = _value(query, "remote")
        if remote == "client-session":
            raise InvalidParameter("experimental session with v1 builder is no longer supported, "
                                   "use builder version v2 (BuildKit) instead")
        if remote:
            if remote.startswith(("http://", "https://", "git://", "git@", "github.com/")):
                raise DockerSystemError(f"remote build contexts are not available: the simulated "
                                        f"world is offline ({remote})")
            raise DockerSystemError(f"remoteURL ({remote}) could not be recognized as URL")
        return cls(
            dockerfile=_value(query, "dockerfile") or "Dockerfile",
            tags=tuple(sanitize_tags(query.get("t") or [])),
            suppress_output=_bool(query, "q"),
            no_cache=_bool(query, "nocache"),
            remove=remove, force_remove=force_remove,
            pull_parent=_bool(query, "pull"),
            build_args=build_args, labels=labels, cache_from=tuple(cache_from),
            target=_value(query, "target"), platform=platform,
            network_mode=_value(query, "networkmode"),
            extra_hosts=tuple(query.get("extrahosts") or ()),
            shm_size=shm_size, isolation=isolation,
            squash=_bool(query, "squash"),
            want_aux=version_at_least("1.30"),
            resources={k: v for k, v in resources.items() if v},
        )


def sanitize_tags(names) -> list:
    """``sanitizeRepoAndTags``: each ``t`` parsed (bare names get
    ``latest``), digests refused, duplicates dropped."""
    out, seen = [], set()
    for name in names:
        if not name:
            continue
        try:
            ref = refmod.parse(name)
        except InvalidReference as err:
            raise DockerSystemError(str(err)) from None
        if ref.digest is not None:
            raise DockerSystemError("build tag cannot contain a digest")
        ref = ref.with_default_tag()
        if ref.full not in seen:
            seen.add(ref.full)
            out.append(ref)
    return out
