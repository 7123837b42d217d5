"""System routes: ``/_ping`` (HEAD and GET), ``/version``, ``/info``,
``/system/df``.

``POST /auth`` and ``/events`` belong to other routers.
"""

from __future__ import annotations

import datetime
import json
import platform
from typing import Any

from aiohttp import web

from ..middleware import api_version
from ..support import API_VERSION, ENGINE_VERSION, MIN_API_VERSION, Endpoint, partial, supported

__all__ = ["routes", "PING_HEADERS", "json_response"]

#: Headers the CLI reads from the ping (protocol.md section 1.2), plus
#: dockerd's cache headers.  Builder-Version 1: the legacy builder is all we do.
PING_HEADERS = {
    "API-Version": API_VERSION,
    "OSType": "linux",
    "Docker-Experimental": "false",
    "Builder-Version": "1",
    "Swarm": "inactive",
    "Cache-Control": "no-cache, no-store, must-revalidate",
    "Pragma": "no-cache",
}

GIT_COMMIT = "dockersim"
GO_VERSION = "go1.24.3"
BUILD_TIME = "2025-05-30T00:00:00.000000000+00:00"


def json_response(data: Any, status: int = 200) -> web.Response:
    """A JSON body with ``Content-Type: application/json`` exactly (no charset)."""
    return web.Response(
        status=status, body=json.dumps(data).encode() + b"\n", headers={"Content-Type": "application/json"}
    )


def _now_rfc3339() -> str:
    """The current UTC time in Go's RFC3339Nano form."""
    now = datetime.datetime.now(datetime.timezone.utc)
    return now.strftime("%Y-%m-%dT%H:%M:%S.%f") + "000Z"


def _host_arch() -> str:
    machine = platform.machine().lower()
    return {"x86_64": "amd64", "aarch64": "arm64", "armv7l": "arm"}.get(machine, machine or "amd64")


def routes(backend: Any) -> list[Endpoint]:
    """The system endpoints, bound to *backend* (a ``SystemBackend``).

    *backend* may be ``None`` when only the table is wanted (docs).
    """

    async def head_ping(request: web.Request) -> web.Response:
        headers = dict(PING_HEADERS)
        headers["Content-Type"] = "text/plain; charset=utf-8"
        headers["Content-Length"] = "0"
        return web.Response(status=200, headers=headers)

    async def get_ping(request: web.Request) -> web.Response:
        headers = dict(PING_HEADERS)
        headers["Content-Type"] = "text/plain; charset=utf-8"
        return web.Response(status=200, body=b"OK", headers=headers)

    async def get_version(request: web.Request) -> web.Response:
        return json_response(system_version(backend.version_info()))

    async def get_info(request: web.Request) -> web.Response:
        return json_response(system_info(backend.system_info(), backend.version_info()))

    async def get_disk_usage(request: web.Request) -> web.Response:
        types = request.query.getall("type") if "type" in request.query else None
        return json_response(backend.disk_usage(types, api_version(request)))

    return [
        supported("HEAD", "/_ping", head_ping),
        supported("GET", "/_ping", get_ping),
        supported("GET", "/version", get_version),
        partial("GET", "/info", get_info, "counts and host facts are real; plugin, runtime and registry fields are fixed"),
        partial("GET", "/system/df", get_disk_usage,
                "images, layers, containers and volumes are real; no build cache yet (always [])"),
    ]


def system_version(facts: dict[str, Any]) -> dict[str, Any]:
    """Build a swagger ``SystemVersion`` from the backend's ``version_info()``."""
    arch = facts.get("Arch") or _host_arch()
    kernel = facts.get("KernelVersion") or ""
    details = {
        "ApiVersion": API_VERSION,
        "Arch": arch,
        "BuildTime": BUILD_TIME,
        "Experimental": "false",
        "GitCommit": GIT_COMMIT,
        "GoVersion": GO_VERSION,
        "KernelVersion": kernel,
        "MinAPIVersion": MIN_API_VERSION,
        "Os": "linux",
    }
    return {
        "Platform": {"Name": "Docker Engine - Community (dockersim)"},
        "Components": [{"Name": "Engine", "Version": ENGINE_VERSION, "Details": details}],
        "Version": ENGINE_VERSION,
        "ApiVersion": API_VERSION,
        "MinAPIVersion": MIN_API_VERSION,
        "GitCommit": GIT_COMMIT,
        "GoVersion": GO_VERSION,
        "Os": "linux",
        "Arch": arch,
        "KernelVersion": kernel,
        "BuildTime": BUILD_TIME,
    }


def system_info(facts: dict[str, Any], version_facts: "dict[str, Any] | None" = None) -> dict[str, Any]:
    """Build a swagger ``SystemInfo`` from the backend's ``system_info()``.

    Counts and host facts come from *facts*; everything else is a fixed,
    plausible value with the type the swagger (and Go's decoder) expects.
    """
    version_facts = version_facts or {}
    containers = int(facts.get("Containers", 0))
    running = int(facts.get("ContainersRunning", 0))
    paused = int(facts.get("ContainersPaused", 0))
    stopped = int(facts.get("ContainersStopped", max(containers - running - paused, 0)))
    arch = version_facts.get("Arch") or _host_arch()
    machine = {"amd64": "x86_64", "arm64": "aarch64"}.get(arch, arch)
    info: dict[str, Any] = {
        "ID": facts.get("ID", ""),
        "Containers": containers,
        "ContainersRunning": running,
        "ContainersPaused": paused,
        "ContainersStopped": stopped,
        "Images": int(facts.get("Images", 0)),
        "Driver": "overlay2",
        "DriverStatus": [["Backing Filesystem", "dockersim"], ["Supports d_type", "true"],
                         ["Using metacopy", "false"], ["Native Overlay Diff", "true"], ["userxattr", "false"]],
        "DockerRootDir": facts.get("DockerRootDir", ""),
        "Plugins": {
            "Volume": ["local"],
            "Network": ["bridge", "host", "ipvlan", "macvlan", "null", "overlay"],
            "Authorization": None,
            "Log": ["awslogs", "fluentd", "gcplogs", "gelf", "journald", "json-file", "local", "splunk", "syslog"],
        },
        "MemoryLimit": True,
        "SwapLimit": True,
        "KernelMemoryTCP": False,
        "CpuCfsPeriod": True,
        "CpuCfsQuota": True,
        "CPUShares": True,
        "CPUSet": True,
        "PidsLimit": True,
        "OomKillDisable": False,
        "IPv4Forwarding": True,
        "Debug": False,
        "NFd": 24,
        "NGoroutines": 40,
        "SystemTime": facts.get("SystemTime") or _now_rfc3339(),
        "LoggingDriver": "json-file",
        "CgroupDriver": "systemd",
        "CgroupVersion": "2",
        "NEventsListener": 0,
        "KernelVersion": facts.get("KernelVersion", version_facts.get("KernelVersion", "")),
        "OperatingSystem": facts.get("OperatingSystem", "dockersim"),
        "OSVersion": facts.get("OSVersion", ""),
        "OSType": "linux",
        "Architecture": machine,
        "NCPU": int(facts.get("NCPU", 1)),
        "MemTotal": int(facts.get("MemTotal", 0)),
        "IndexServerAddress": "https://index.docker.io/v1/",
        # dockerd 28 omits the deprecated AllowNondistributableArtifacts*
        # (omitempty) and sends Mirrors as [] (loadMirrors) when none are set.
        "RegistryConfig": {
            "InsecureRegistryCIDRs": ["::1/128", "127.0.0.0/8"],
            "IndexConfigs": {
                "docker.io": {"Name": "docker.io", "Mirrors": [], "Secure": True, "Official": True}
            },
            "Mirrors": [],
        },
        "GenericResources": None,
        "HttpProxy": "",
        "HttpsProxy": "",
        "NoProxy": "",
        "Name": facts.get("Name", ""),
        "Labels": [],
        "ExperimentalBuild": False,
        "ServerVersion": ENGINE_VERSION,
        "Runtimes": {"runc": {"path": "runc", "status": {}}},
        "DefaultRuntime": "runc",
        "Swarm": {
            "NodeID": "",
            "NodeAddr": "",
            "LocalNodeState": "inactive",
            "ControlAvailable": False,
            "Error": "",
            "RemoteManagers": None,
        },
        "LiveRestoreEnabled": False,
        "Isolation": "",
        "InitBinary": "docker-init",
        "ContainerdCommit": {"ID": "dockersim"},
        "RuncCommit": {"ID": "dockersim"},
        "InitCommit": {"ID": "dockersim"},
        "SecurityOptions": ["name=seccomp,profile=builtin", "name=cgroupns"],
        "CDISpecDirs": [],
        "Containerd": None,
        "Warnings": [],
    }
    # Anything else the backend reports wins (e.g. SystemTime, Warnings, Labels).
    for key, value in facts.items():
        if key not in ("Containers", "ContainersRunning", "ContainersPaused", "ContainersStopped", "Images"):
            info[key] = value
    return info
