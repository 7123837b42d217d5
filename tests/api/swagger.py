"""A small validator for the Engine API's Swagger 2.0 schemas.

``validate(instance, schema_or_ref)`` returns the contract violations (wrong
type, missing ``required`` key, null where the schema has no
``x-nullable: true``, a string outside its ``enum``); ``unknown_keys(...)``
returns the softer list of keys the schema does not declare (dockerd sends
no field its swagger omits, so an extra key is usually a typo).  A schema is
a dict or a definition name (``"ContainerSummary"``, ``"#/definitions/X"``).
Handled: ``type``, ``required``, ``x-nullable``, ``$ref``, ``allOf``,
``items``, ``properties``, ``additionalProperties`` and string ``enum``.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import yaml

#: moby's api/swagger.yaml for v1.50, vendored as test data (see its README).
SPEC_PATH = Path(os.environ.get("DOCKERSIM_API_SPEC", Path(__file__).resolve().parents[1] / "data" / "spec" / "engine-api-v1.50.yaml"))

_TYPES = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
}


@functools.cache
def spec() -> dict:
    return yaml.safe_load(SPEC_PATH.read_text())


def definition(name: str) -> dict:
    return spec()["definitions"][name.rsplit("/", 1)[-1]]


def response_schema(path: str, method: str, status: int = 200) -> dict:
    """The schema of a path's response, e.g. ``("/exec/{id}/json", "get")``."""
    responses = spec()["paths"][path][method.lower()]["responses"]
    return responses.get(status, responses.get(str(status)))["schema"]


def _flatten(schema, owner: str = "") -> dict:
    """One schema with its ``$ref`` and ``allOf`` merged in: type, nullable,
    properties (clashes become allOf), required, items, enum, additionalProperties,
    and ``owners``: the definition each property comes from."""
    if isinstance(schema, str):
        owner = schema.rsplit("/", 1)[-1]
        schema = definition(owner)
    owner = owner or schema.get("title", "")  # inline response schemas have a title
    out = {k: v for k, v in schema.items() if k not in ("$ref", "allOf", "properties", "required")}
    out["nullable"] = bool(schema.get("x-nullable"))
    out["properties"] = dict(schema.get("properties") or {})
    out["owners"] = dict.fromkeys(out["properties"], owner)
    out["required"] = set(schema.get("required") or ())
    parts = ([schema["$ref"]] if "$ref" in schema else []) + list(schema.get("allOf") or ())
    for part in parts:
        sub = _flatten(part, owner)
        out["owners"] = {**sub["owners"], **out["owners"]}
        for key in ("type", "items", "enum", "additionalProperties"):
            if key in sub and key not in out:
                out[key] = sub[key]
        out["nullable"] = out["nullable"] or sub["nullable"]
        out["required"] |= sub["required"]
        for name, prop in sub["properties"].items():
            mine = out["properties"].get(name)
            out["properties"][name] = prop if mine is None else {"allOf": [mine, prop]}
    if "type" not in out and (out["properties"] or "additionalProperties" in out):
        out["type"] = "object"
    return out


def _walk(value, schema, where: str, errors: list, extras: list, go_nil=frozenset(), field="") -> None:
    s = _flatten(schema)
    if value is None:
        if not s["nullable"] and field not in go_nil:
            errors.append(f"{where}: null, expected {s.get('type', 'a value')} (not x-nullable)")
        return
    kind = s.get("type")
    if kind and not _TYPES[kind](value):
        errors.append(f"{where}: {type(value).__name__} {value!r:.60}, expected {kind}")
        return
    if isinstance(value, str) and s.get("enum") and value not in s["enum"]:
        errors.append(f"{where}: {value!r} not in enum {s['enum']}")
    if isinstance(value, list) and "items" in s:
        for i, item in enumerate(value):
            _walk(item, s["items"], f"{where}[{i}]", errors, extras, go_nil)
    if isinstance(value, dict):
        for name in sorted(s["required"] - value.keys()):
            errors.append(f"{where}: missing required key {name!r}")
        extra = s.get("additionalProperties")
        for name, item in value.items():
            if name in s["properties"]:
                _walk(item, s["properties"][name], f"{where}.{name}", errors, extras, go_nil,
                      f"{s['owners'][name]}.{name}")
            elif isinstance(extra, dict) and extra:
                _walk(item, extra, f"{where}.{name}", errors, extras, go_nil)
            elif extra is False or (s["properties"] and extra is None):
                extras.append(f"{where}.{name}")


def check(instance, schema_or_ref, where: str = "$", go_nil=frozenset()) -> tuple[list, list]:
    """(violations, unknown keys) of *instance* against the schema.  *go_nil*
    names fields (``"Definition.Property"``) where null is accepted although
    the swagger lacks ``x-nullable`` (see ``GO_NIL``)."""
    errors: list = []
    extras: list = []
    _walk(instance, schema_or_ref, where, errors, extras, frozenset(go_nil))
    return errors, extras


def validate(instance, schema_or_ref, where: str = "$", go_nil=frozenset()) -> list:
    """The contract violations of *instance*; empty when it conforms."""
    return check(instance, schema_or_ref, where, go_nil)[0]


def unknown_keys(instance, schema_or_ref, where: str = "$") -> list:
    """Keys of *instance* (at any depth) that the schema does not declare."""
    return check(instance, schema_or_ref, where)[1]


#: Fields where dockerd sends null although the swagger has no
#: ``x-nullable``: Go nil slices, maps and pointers whose moby struct tag has
#: no ``omitempty``.  Go's decoder takes null for these (it leaves nil), so
#: the CLI never fails on them; we send what dockerd sends.
GO_NIL = frozenset({
    "ContainerConfig.Entrypoint",  # container.Config: strslice.StrSlice `json:"Entrypoint"`
    "ContainerConfig.Volumes",  # container.Config: map[string]struct{} `json:"Volumes"`
    "HostConfig.Binds",  # container.HostConfig: []string, nil without -v
    "HostConfig.Links",  # idem: inspect rebuilds it from the link graph, nil without links
    # container.HostConfig's other nil slices and maps (no omitempty), as a
    # sparse create (docker-py) leaves them:
    "HostConfig.PortBindings", "HostConfig.VolumesFrom", "HostConfig.CapAdd", "HostConfig.CapDrop",
    "HostConfig.Dns", "HostConfig.DnsOptions", "HostConfig.DnsSearch", "HostConfig.ExtraHosts",
    "HostConfig.GroupAdd", "HostConfig.SecurityOpt", "HostConfig.MaskedPaths",
    "HostConfig.ReadonlyPaths",
    # ... and its embedded Resources':
    "Resources.BlkioWeightDevice", "Resources.BlkioDeviceReadBps", "Resources.BlkioDeviceWriteBps",
    "Resources.BlkioDeviceReadIOps", "Resources.BlkioDeviceWriteIOps", "Resources.Devices",
    "Resources.DeviceCgroupRules", "Resources.DeviceRequests", "Resources.MemorySwappiness",
    "Resources.OomKillDisable", "Resources.Ulimits",
    "EndpointSettings.Links",  # network.EndpointSettings: []string, nil on the default bridge
    "EndpointSettings.Aliases",  # idem
    "EndpointSettings.DNSNames",  # idem: set only on user-defined networks
    "ExecInspectResponse.ExitCode",  # backend.ExecInspect: *int, nil until the exec exits
    "ImageHistoryResponseItem.Tags",  # image.HistoryResponseItem: []string `json:"Tags"`, nil but on the top row
    "ImageSummary.Labels",  # image.Summary: map[string]string `json:"Labels"`, the config's (nil without labels)
    "ImagePruneResponse.ImagesDeleted",  # image.PruneReport: []DeleteResponse, nil when nothing was pruned
    "SystemDataUsageResponse.Images",  # types.DiskUsage: nil slices for the kinds ?type= left out
    "SystemDataUsageResponse.Containers",
    "SystemDataUsageResponse.Volumes",
    "SystemDataUsageResponse.BuildCache",
    "PluginsInfo.Authorization",  # system.PluginsInfo: []string, nil without authz plugins
    "SystemInfo.GenericResources",  # system.Info: []swarm.GenericResource, nil
    "DistributionInspect.Platforms",  # registry.DistributionInspect: []ocispec.Platform, nil for an OCI image manifest
})
