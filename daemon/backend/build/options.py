"""``POST /build``'s query, read as moby's ``newImageBuildOptions``
(api/server/router/build/build_routes.go) and ``sanitizeRepoAndTags``
(api/server/backend/build/tag.go) read it.

Booleans follow dockerd's rule (``""``, 0, no, false, none are false);
``rm`` defaults to true and ``forcerm`` implies it; the JSON parameters
(``buildargs``, ``labels``, ``cachefrom``, ``ulimits``, ``outputs``) are
refused with ``error reading build args: …`` and the like.  Errors here
come before any output, so they are HTTP statuses.
"""

import base64
import json
import re

import attrs

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


def _go_json_error(text: str, exc: ValueError) -> str:
    """A Python JSON error in the words Go's decoder uses most often."""
    if not text.strip():
        return "unexpected end of JSON input"
    msg = str(exc)
    if "Expecting value" in msg or "Extra data" in msg or "Expecting" in msg:
        pos = getattr(exc, "pos", 0) or 0
        ch = text[pos] if pos < len(text) else ""
        if ch == "":
            return "unexpected end of JSON input"
        return f"invalid character {json.dumps(ch)[1:-1]!r} looking for beginning of value"
    return msg


def _json(query, name: str, what: str, check):
    text = _value(query, name)
    if text == "":
        return None
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise InvalidParameter(f"{what}: {_go_json_error(text, exc)}") from None
    if not check(value):
        kind = {list: "array", dict: "object", str: "string", bool: "bool"}.get(type(value), "number")
        raise InvalidParameter(f"{what}: json: cannot unmarshal {kind} into Go value")
    return value


def _string_map(value, allow_null=False) -> bool:
    return isinstance(value, dict) and all(
        isinstance(v, str) or (allow_null and v is None) for v in value.values())


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
    auth_configs: dict = attrs.field(factory=dict)
    want_aux: bool = True

    @classmethod
    def from_query(cls, query: "dict[str, list[str]]", *, headers=None, api_version: str = "1.50",
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
            _json(query, "outputs", "invalid outputs specified", lambda v: isinstance(v, list))
        shm_size = 0
        if _value(query, "shmsize"):
            text = _value(query, "shmsize")
            if not re.fullmatch(r"[+-]?[0-9]+", text):
                raise DockerSystemError(f'strconv.ParseInt: parsing {json.dumps(text)}: invalid syntax')
            shm_size = int(text)
        isolation = _value(query, "isolation")
        if isolation and isolation.lower() != "default":
            raise InvalidParameter(f"unsupported isolation: {json.dumps(isolation)}")
        _json(query, "ulimits", "error reading ulimit settings", lambda v: isinstance(v, list))
        build_args = _json(query, "buildargs", "error reading build args",
                           lambda v: _string_map(v, allow_null=True)) or {}
        labels = _json(query, "labels", "error reading labels", _string_map) or {}
        cache_from = _json(query, "cachefrom", "error reading cache-from",
                           lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v)) or []
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
            auth_configs=auth_configs(headers or {}),
            want_aux=version_at_least("1.30"),
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


def auth_configs(headers) -> dict:
    """``X-Registry-Config``: base64url JSON of registry -> credentials;
    undecodable values are ignored, as dockerd ignores them."""
    value = headers.get("X-Registry-Config", "") if headers else ""
    if not value:
        return {}
    try:
        padded = value + "=" * (-len(value) % 4)
        doc = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError):
        return {}
    return doc if isinstance(doc, dict) else {}
