"""The Go types dockerd decodes request bodies into, for Go's type errors
(``json: cannot unmarshal string into Go struct field
HostConfig.HostConfig.RestartPolicy of type container.RestartPolicy``).

- `CREATE_REQUEST`: moby's ``container.CreateRequest`` (an embedded
  ``*Config``, ``HostConfig``, ``NetworkingConfig``), decoded by
  ``runconfig.loadJSON``: errors are ``invalid JSON: ...``.
- `UPDATE_CONFIG`: ``container.UpdateConfig`` (an embedded
  ``Resources`` and a ``RestartPolicy``), read by ``ReadJSON``.
- `VOLUME_CREATE_OPTIONS`: ``volume.CreateOptions`` (volume create).
- `EXEC_OPTIONS`: ``container.ExecOptions`` (exec create; ``Cmd`` is a
  plain ``[]string`` there, not a StrSlice).

Only the field types matter here (the values the backend uses are the
plain data the router decoded); HostConfig lists the fields of moby
v28.2.2's ``api/types/container/hostconfig.go`` with their JSON names,
the embedded ``Resources`` reported on the Go 1.24 error path
(``HostConfig.Resources.Memory``).
"""

from __future__ import annotations

from ...sim.golang.json import (BOOL, INT, INT64, STRING, STRING_MAP, STRINGS, Decoder, Field, JSONError,
                                Map, Ptr, Scalar, Slice, StrSlice, Struct, canonical_keys, from_py)
from ...sim.images.goconfig import CONTAINER_CONFIG
from ..errors import InvalidParameter

__all__ = ["CREATE_REQUEST", "EXEC_OPTIONS", "UPDATE_CONFIG", "VOLUME_CREATE_OPTIONS", "check_go_types", "go_body"]

UINT = Scalar("int", "uint")
UINT16 = Scalar("int", "uint16")
UINT64 = Scalar("int", "uint64")


def _named(name: str) -> Scalar:
    return Scalar("string", name)


_ULIMIT = Ptr(Struct("Ulimit", "container.Ulimit", (
    Field("Name", STRING), Field("Hard", INT64), Field("Soft", INT64))))
_WEIGHT_DEVICE = Ptr(Struct("WeightDevice", "blkiodev.WeightDevice", (
    Field("Path", STRING), Field("Weight", UINT16))))
_THROTTLE_DEVICE = Ptr(Struct("ThrottleDevice", "blkiodev.ThrottleDevice", (
    Field("Path", STRING), Field("Rate", UINT64))))
_DEVICE_MAPPING = Struct("DeviceMapping", "container.DeviceMapping", (
    Field("PathOnHost", STRING), Field("PathInContainer", STRING), Field("CgroupPermissions", STRING)))
_DEVICE_REQUEST = Struct("DeviceRequest", "container.DeviceRequest", (
    Field("Driver", STRING), Field("Count", INT), Field("DeviceIDs", STRINGS),
    Field("Capabilities", Slice(STRINGS, "[][]string")), Field("Options", STRING_MAP)))

_RES = ("Resources",)
RESOURCES = (
    ("CpuShares", INT64), ("Memory", INT64), ("NanoCpus", INT64), ("CgroupParent", STRING),
    ("BlkioWeight", UINT16),
    ("BlkioWeightDevice", Slice(_WEIGHT_DEVICE, "[]*blkiodev.WeightDevice")),
    ("BlkioDeviceReadBps", Slice(_THROTTLE_DEVICE, "[]*blkiodev.ThrottleDevice")),
    ("BlkioDeviceWriteBps", Slice(_THROTTLE_DEVICE, "[]*blkiodev.ThrottleDevice")),
    ("BlkioDeviceReadIOps", Slice(_THROTTLE_DEVICE, "[]*blkiodev.ThrottleDevice")),
    ("BlkioDeviceWriteIOps", Slice(_THROTTLE_DEVICE, "[]*blkiodev.ThrottleDevice")),
    ("CpuPeriod", INT64), ("CpuQuota", INT64), ("CpuRealtimePeriod", INT64),
    ("CpuRealtimeRuntime", INT64), ("CpusetCpus", STRING), ("CpusetMems", STRING),
    ("Devices", Slice(_DEVICE_MAPPING, "[]container.DeviceMapping")),
    ("DeviceCgroupRules", STRINGS),
    ("DeviceRequests", Slice(_DEVICE_REQUEST, "[]container.DeviceRequest")),
    ("KernelMemory", INT64), ("KernelMemoryTCP", INT64), ("MemoryReservation", INT64),
    ("MemorySwap", INT64), ("MemorySwappiness", Ptr(INT64)), ("OomKillDisable", Ptr(BOOL)),
    ("PidsLimit", Ptr(INT64)), ("Ulimits", Slice(_ULIMIT, "[]*container.Ulimit")),
    ("CpuCount", INT64), ("CpuPercent", INT64), ("IOMaximumIOps", UINT64),
    ("IOMaximumBandwidth", UINT64),
)

_PORT_BINDING = Struct("PortBinding", "nat.PortBinding", (Field("HostIp", STRING), Field("HostPort", STRING)))
_MOUNT = Struct("Mount", "mount.Mount", (
    Field("Type", _named("mount.Type")), Field("Source", STRING), Field("Target", STRING),
    Field("ReadOnly", BOOL), Field("Consistency", _named("mount.Consistency")),
    Field("BindOptions", Ptr(Struct("BindOptions", "mount.BindOptions", (
        Field("Propagation", _named("mount.Propagation")), Field("NonRecursive", BOOL),
        Field("CreateMountpoint", BOOL), Field("ReadOnlyNonRecursive", BOOL),
        Field("ReadOnlyForceRecursive", BOOL))))),
    Field("VolumeOptions", Ptr(Struct("VolumeOptions", "mount.VolumeOptions", (
        Field("NoCopy", BOOL), Field("Labels", STRING_MAP), Field("Subpath", STRING))))),
    Field("TmpfsOptions", Ptr(Struct("TmpfsOptions", "mount.TmpfsOptions", (
        Field("SizeBytes", INT64), Field("Mode", Scalar("int", "fs.FileMode")),
        Field("Options", Slice(STRINGS, "[][]string")))))),
))

HOST_CONFIG = Struct("HostConfig", "container.HostConfig", (
    Field("Binds", STRINGS), Field("ContainerIDFile", STRING),
    Field("LogConfig", Struct("LogConfig", "container.LogConfig", (
        Field("Type", STRING), Field("Config", STRING_MAP)))),
    Field("NetworkMode", _named("container.NetworkMode")),
    Field("PortBindings", Map(Slice(_PORT_BINDING, "[]nat.PortBinding"), "nat.PortMap")),
    Field("RestartPolicy", Struct("RestartPolicy", "container.RestartPolicy", (
        Field("Name", _named("container.RestartPolicyMode")), Field("MaximumRetryCount", INT)))),
    Field("AutoRemove", BOOL), Field("VolumeDriver", STRING), Field("VolumesFrom", STRINGS),
    Field("ConsoleSize", Slice(UINT, "[2]uint")), Field("Annotations", STRING_MAP),
    Field("CapAdd", StrSlice()), Field("CapDrop", StrSlice()),
    Field("CgroupnsMode", _named("container.CgroupnsMode")),
    Field("Dns", STRINGS), Field("DnsOptions", STRINGS), Field("DnsSearch", STRINGS),
    Field("ExtraHosts", STRINGS), Field("GroupAdd", STRINGS), Field("IpcMode", _named("container.IpcMode")),
    Field("Cgroup", _named("container.CgroupSpec")), Field("Links", STRINGS), Field("OomScoreAdj", INT),
    Field("PidMode", _named("container.PidMode")), Field("Privileged", BOOL), Field("PublishAllPorts", BOOL),
    Field("ReadonlyRootfs", BOOL), Field("SecurityOpt", STRINGS), Field("StorageOpt", STRING_MAP),
    Field("Tmpfs", STRING_MAP), Field("UTSMode", _named("container.UTSMode")),
    Field("UsernsMode", _named("container.UsernsMode")), Field("ShmSize", INT64),
    Field("Sysctls", STRING_MAP), Field("Runtime", STRING),
    Field("Isolation", _named("container.Isolation")),
) + tuple(Field(name, t, via=_RES) for name, t in RESOURCES) + (
    Field("Mounts", Slice(_MOUNT, "[]mount.Mount")), Field("MaskedPaths", STRINGS),
    Field("ReadonlyPaths", STRINGS), Field("Init", Ptr(BOOL)),
))

_ENDPOINT = Ptr(Struct("EndpointSettings", "network.EndpointSettings", (
    Field("IPAMConfig", Ptr(Struct("EndpointIPAMConfig", "network.EndpointIPAMConfig", (
        Field("IPv4Address", STRING), Field("IPv6Address", STRING), Field("LinkLocalIPs", STRINGS))))),
    Field("Links", STRINGS), Field("Aliases", STRINGS), Field("MacAddress", STRING),
    Field("DriverOpts", STRING_MAP), Field("GwPriority", INT), Field("NetworkID", STRING),
    Field("EndpointID", STRING), Field("Gateway", STRING), Field("IPAddress", STRING),
    Field("IPPrefixLen", INT), Field("IPv6Gateway", STRING), Field("GlobalIPv6Address", STRING),
    Field("GlobalIPv6PrefixLen", INT), Field("DNSNames", STRINGS),
)))

NETWORKING_CONFIG = Struct("NetworkingConfig", "network.NetworkingConfig", (
    Field("EndpointsConfig", Map(_ENDPOINT, "map[string]*network.EndpointSettings")),
))

CREATE_REQUEST = Struct("CreateRequest", "container.CreateRequest", tuple(
    Field(f.key, f.type, f.omitempty, via=("Config",)) for f in CONTAINER_CONFIG.fields) + (
    Field("HostConfig", Ptr(HOST_CONFIG), True),
    Field("NetworkingConfig", Ptr(NETWORKING_CONFIG), True),
))

UPDATE_CONFIG = Struct("UpdateConfig", "container.UpdateConfig", tuple(
    Field(name, t, via=_RES) for name, t in RESOURCES) + (
    Field("RestartPolicy", Struct("RestartPolicy", "container.RestartPolicy", (
        Field("Name", _named("container.RestartPolicyMode")), Field("MaximumRetryCount", INT)))),
))

VOLUME_CREATE_OPTIONS = Struct("CreateOptions", "volume.CreateOptions", (
    Field("Driver", STRING), Field("DriverOpts", STRING_MAP), Field("Labels", STRING_MAP),
    Field("Name", STRING),
))

EXEC_OPTIONS = Struct("ExecOptions", "container.ExecOptions", (
    Field("User", STRING), Field("Privileged", BOOL), Field("Tty", BOOL),
    Field("ConsoleSize", Ptr(Slice(UINT, "[2]uint")), True),
    Field("AttachStdin", BOOL), Field("AttachStderr", BOOL), Field("AttachStdout", BOOL),
    Field("Detach", BOOL), Field("DetachKeys", STRING), Field("Env", STRINGS),
    Field("WorkingDir", STRING), Field("Cmd", STRINGS),
))

_UNSIGNED = {"uint": 64, "uint16": 16, "uint64": 64}



def go_body(body, go_type, *, prefix: str = "invalid JSON: "):
    """`check_go_types`, then the body with its keys as Go reads them:
    encoding/json fills a struct field from a key that matches its name
    case-insensitively (``{"image": "busybox"}`` creates a busybox
    container on dockerd), so each key is renamed to its field's name
    (`canonical_keys`)."""
    check_go_types(body, go_type, prefix=prefix)
    return canonical_keys(body, go_type)


def check_go_types(body, go_type, *, prefix: str = "invalid JSON: "):
    """Raise InvalidParameter with Go's words (after ``prefix``) when
    ``body`` (plain decoded JSON) does not fit ``go_type``; else the Go
    value (a dict of every field; nulls in lists of strings made "")."""
    value = None
    try:
        d = Decoder()
        value = d.decode(from_py(body), go_type)
        message = d.saved
    except JSONError as err:
        message = str(err)
    except RecursionError:
        message = "exceeded max depth"
    if message is None:
        message = _unsigned_check(from_py(body), go_type, (None, ()))
    if message is not None:
        raise InvalidParameter(prefix + message)
    return value


def _unsigned_check(v, t, ctx) -> "str | None":
    """The first negative or out-of-range number of an unsigned field."""
    if v is None:
        return None
    if isinstance(t, Ptr):
        return _unsigned_check(v, t.elem, ctx)
    if isinstance(t, Scalar) and t.name in _UNSIGNED:
        try:
            n = int(v.text)
        except (ValueError, AttributeError):
            return None
        if n < 0 or n >= 1 << _UNSIGNED[t.name]:
            return Decoder()._ctx_message("number " + v.text, t.name, ctx)
        return None
    if isinstance(t, Slice) and isinstance(v, list):
        for x in v:
            found = _unsigned_check(x, t.elem, ctx)
            if found:
                return found
    if isinstance(t, Map) and isinstance(v, list):
        for _key, x in v:
            found = _unsigned_check(x, t.elem, ctx)
            if found:
                return found
    if isinstance(t, Struct) and isinstance(v, list):
        by_name = {f.key.lower(): f for f in t.fields}
        for key, x in v:
            f = by_name.get(key.lower())
            if f is not None:
                found = _unsigned_check(x, f.type, (t.short, tuple(ctx[1]) + f.via + (f.key,)))
                if found:
                    return found
    return None
