"""A container's security settings: capabilities, ``--security-opt``,
``--group-add``, ``--ulimit``, ``--oom-score-adj``, the masked and
read-only paths, sysctls and devices (moby's validateHostConfig,
verifyPlatformContainerSettings, parseSecurityOpt, createContainerOSSpecificSettings
and createSpec), turned into the runtime's `Security` and `Device` values.

Checks at create answer moby's words with 400 (where moby answers 500,
for a malformed ``--security-opt``, the status is 400: bad input is
never a server error here).  What the simulation cannot enforce (a
seccomp profile's rules, AppArmor, SELinux labels, device cgroup
rules, sysctls other than the simulated ones) is accepted with a
Warnings entry (`warnings`).
"""

from __future__ import annotations

import re

from ...sim.golang.strconv import parse_bool, quote
from ...sim.runtime.spec import RLIMIT_NAMES, Device, Security, normalize_caps, tweak_caps
from ..errors import InvalidParameter

#: oci/defaults.go (on a host without thermal_throttle entries).
DEFAULT_MASKED_PATHS = (
    "/proc/asound", "/proc/acpi", "/proc/interrupts", "/proc/kcore", "/proc/keys",
    "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
    "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap",
)
DEFAULT_READONLY_PATHS = ("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger")

#: oci.AppendDevicePermissionsFromCgroupRules's pattern.
_CGROUP_RULE = re.compile(r"^([acb]) ([0-9]+|\*):([0-9]+|\*) ([rwm]{1,3})$")

#: The sysctls whose effect the simulation shows; others are warned about.
SIMULATED_SYSCTLS = ("kernel.domainname", "net.ipv4.ip_unprivileged_port_start")

def parse_security_opt(opts) -> dict:
    """moby's parseSecurityOpt: {no_new_privs, seccomp, apparmor, labels};
    InvalidParameter ``invalid --security-opt 1|2: "..."``."""
    out = {"no_new_privs": False, "seccomp": "", "apparmor": "", "labels": [],
           "writable_cgroups": None}
    for opt in opts or ():
        if opt == "no-new-privileges":
            out["no_new_privs"] = True
            continue
        if opt == "writable-cgroups":
            out["writable_cgroups"] = True
            continue
        if opt == "disable":
            out["labels"].append("disable")
            continue
        if "=" in opt:
            key, _, value = opt.partition("=")
        elif ":" in opt:
            key, _, value = opt.partition(":")
        else:
            raise InvalidParameter(f"invalid --security-opt 1: {quote(opt)}")
        if key == "label":
            out["labels"].append(value)
        elif key == "apparmor":
            out["apparmor"] = value
        elif key == "seccomp":
            out["seccomp"] = value
        elif key in ("no-new-privileges", "writable-cgroups"):
            try:
                on = parse_bool(value)
            except ValueError:
                raise InvalidParameter(f"invalid --security-opt 2: {quote(opt)}") from None
            out[key.replace("-", "_").replace("privileges", "privs")] = on
        else:
            raise InvalidParameter(f"invalid --security-opt 2: {quote(opt)}")
    return out


def validate(host_config: dict) -> None:
    """The create-time checks, in moby's order."""
    for field in ("CapAdd", "CapDrop"):
        try:
            normalize_caps(host_config.get(field) or ())
        except ValueError as err:
            raise InvalidParameter(f"invalid {field}: {err}") from None
    score = int(host_config.get("OomScoreAdj") or 0)
    if score < -1000 or score > 1000:
        raise InvalidParameter(f"Invalid value {score}, range for oom score adj is [-1000, 1000]")
    parse_security_opt(host_config.get("SecurityOpt"))


def fill_defaults(host_config: dict) -> None:
    """createContainerOSSpecificSettings: the default masked and read-only
    paths when the client sent none and the container is not privileged
    (inspect shows them)."""
    if not host_config.get("Privileged"):
        if host_config.get("MaskedPaths") is None:
            host_config["MaskedPaths"] = list(DEFAULT_MASKED_PATHS)
        if host_config.get("ReadonlyPaths") is None:
            host_config["ReadonlyPaths"] = list(DEFAULT_READONLY_PATHS)


def warnings(config: dict, host_config: dict) -> "list[str]":
    """The Warnings entries for what is accepted but not enforced."""
    out = []
    sec = parse_security_opt(host_config.get("SecurityOpt"))
    if sec["seccomp"] not in ("", "unconfined", "builtin"):
        out.append("The seccomp profile given with --security-opt seccomp is accepted but not "
                   "enforced: dockersim simulates no system call filter (/proc/<pid>/status shows "
                   "Seccomp: 2)")
    if sec["apparmor"] not in ("", "unconfined"):  # unconfined is what the simulation is
        out.append(f"The AppArmor profile {sec['apparmor']!r} is accepted but not enforced: "
                   "dockersim simulates no AppArmor")
    if any(label != "disable" for label in sec["labels"]):
        out.append("SELinux labels (--security-opt label=...) are accepted but not enforced: "
                   "dockersim simulates no SELinux")
    if sec["writable_cgroups"]:
        out.append("writable-cgroups is accepted but not simulated: /sys/fs/cgroup stays read-only")
    return out


def device_warnings(config: dict, host_config: dict) -> "list[str]":
    """``--device A:B:r``: the node is made, but with no device cgroup
    nothing holds the container to the permissions asked."""
    limited = sorted({d.get("CgroupPermissions") for d in host_config.get("Devices") or ()
                      if d.get("CgroupPermissions") and set("rwm") - set(d["CgroupPermissions"])})
    if not limited or host_config.get("Privileged"):
        return []
    return [f"The device cgroup permissions {limited} are accepted but not enforced: dockersim "
            "simulates no device cgroup, so the devices are readable and writable"]


def cgroup_rule_warnings(config: dict, host_config: dict) -> "list[str]":
    rules = host_config.get("DeviceCgroupRules") or ()
    if not rules or host_config.get("Privileged"):
        return []
    return [f"The device cgroup rules {list(rules)} are accepted but not enforced: dockersim "
            "simulates no device cgroup"]


def sysctl_warnings(config: dict, host_config: dict) -> "list[str]":
    other = sorted(k for k in (host_config.get("Sysctls") or {}) if k not in SIMULATED_SYSCTLS)
    if not other:
        return []
    return [f"The sysctls {', '.join(other)} are accepted but have no effect in dockersim (simulated: "
            f"{', '.join(SIMULATED_SYSCTLS)})"]


def check_cgroup_rules(host_config: dict) -> None:
    """At start (moby's WithDevices): AppendDevicePermissionsFromCgroupRules."""
    if host_config.get("Privileged"):
        return
    for rule in host_config.get("DeviceCgroupRules") or ():
        if not _CGROUP_RULE.match(rule):
            raise InvalidParameter(f"invalid device cgroup rule format: '{rule}'")


def check_device_requests(host_config: dict) -> None:
    """At start (moby's handleDevice): no device driver is registered on
    the simulated host (no GPU, no CDI)."""
    for req in host_config.get("DeviceRequests") or ():
        driver = req.get("Driver") or ""
        caps = req.get("Capabilities") or []
        shown = "[" + " ".join("[" + " ".join(c) + "]" for c in caps) + "]"
        raise InvalidParameter(f'could not select device driver "{driver}" with capabilities: {shown}')


def _rlimits(host_config: dict) -> tuple:
    out = []
    for ul in host_config.get("Ulimits") or ():
        name = str(ul.get("Name") or "")
        soft, hard = int(ul.get("Soft") or 0), int(ul.get("Hard") or 0)
        if name not in RLIMIT_NAMES:
            raise InvalidParameter(_runc(f"wrong rlimit value: RLIMIT_{name.upper()}"))
        if soft > hard:
            raise InvalidParameter(_runc(f"error setting rlimit type {RLIMIT_NAMES.index(name)}: "
                                         "invalid argument"))
        out.append((name, soft, hard))
    return tuple(out)


def _runc(detail: str) -> str:
    return ("failed to create task for container: failed to create shim task: OCI runtime create "
            "failed: runc create failed: unable to start container process: error during container "
            f"init: {detail}: unknown")


def security_of(host_config: dict, privileged_exec: bool = False) -> Security:
    """The runtime's `Security` for the container (moby's createSpec):
    raises InvalidParameter for what dockerd or runc refuse at start."""
    check_cgroup_rules(host_config)
    check_device_requests(host_config)
    privileged = bool(host_config.get("Privileged"))
    sec = parse_security_opt(host_config.get("SecurityOpt"))
    caps = tweak_caps(host_config.get("CapAdd") or (), host_config.get("CapDrop") or (),
                         privileged or privileged_exec)
    return Security(caps=caps, group_add=tuple(host_config.get("GroupAdd") or ()),
                    no_new_privs=sec["no_new_privs"],
                    seccomp=not privileged and sec["seccomp"] != "unconfined",
                    rlimits=_rlimits(host_config),
                    oom_score_adj=int(host_config.get("OomScoreAdj") or 0))


def devices_of(host_config: dict) -> "tuple[Device, ...]":
    out = []
    for d in host_config.get("Devices") or ():
        host = d.get("PathOnHost") or ""
        out.append(Device(host, d.get("PathInContainer") or host, d.get("CgroupPermissions") or "rwm"))
    return tuple(out)


def paths_of(host_config: dict) -> "tuple[tuple[str, ...], tuple[str, ...]]":
    """The masked and read-only paths runc applies (none when privileged)."""
    if host_config.get("Privileged"):
        return (), ()
    return tuple(host_config.get("MaskedPaths") or ()), tuple(host_config.get("ReadonlyPaths") or ())
