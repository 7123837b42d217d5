"""Every field of a create request, and what dockersim does with it.

Docker's create body is a ``ContainerConfig`` with a ``HostConfig``
(Engine API v1.50).  Each of their fields gets exactly one of three
treatments here:

- **simulated**: its effect is visible in the simulated world, where a
  Docker user would look for it (``where`` names the code that does it);
- **refused**: dockersim answers as dockerd does when dockerd refuses the
  value, with dockerd's words; values dockerd accepts are simulated;
- **warned**: accepted, and the create answer carries a ``Warnings``
  entry (the CLI prints ``WARNING: ...``) and the daemon logs a line,
  because the simulation cannot give it a meaning.

A row may name, besides its treatment, the values that are refused or
warned about (``refuses`` / ``warns``): a log driver the simulation
cannot reach is warned about while ``json-file`` is simulated, for
instance.  The row's treatment is what a user gets for the values the
flag is mostly used with.

`said()` runs the warned rows' ``warn`` functions over a container's
Config and HostConfig: the create path returns their words in
``Warnings`` and logs them.  ``docs/create-options.md`` is this table
rendered (`render_markdown`); a test keeps it current and checks that
every field of the vendored spec has a row, and that each row's
``sample`` is treated as the row says.

Regenerate the doc with::

    .venv/bin/python -m dockersim.daemon.backend.options --write
"""

from __future__ import annotations

import enum
import logging
from typing import Callable, Optional

import attrs

from . import hostopts, logdrivers

log = logging.getLogger("dockersim.create")

__all__ = ["Treatment", "Option", "OPTIONS", "said", "log_warnings", "render_markdown"]


class Treatment(enum.Enum):
    SIMULATED = "simulated"
    REFUSED = "refused"
    WARNED = "warned"


SIMULATED, REFUSED, WARNED = Treatment.SIMULATED, Treatment.REFUSED, Treatment.WARNED

Warn = Callable[[dict, dict], "list[str]"]


@attrs.frozen
class Option:
    #: "Config" or "HostConfig" (the Resources fields are HostConfig's).
    section: str
    #: The JSON field name.
    field: str
    #: The docker CLI flag(s) that set it ("" when only the API does).
    flag: str
    treatment: Treatment
    #: What it does in dockersim, in a line.
    effect: str
    #: The dotted module (under ``dockersim``) that carries it out.
    where: str
    #: The values refused, and dockerd's words for them.
    refuses: str = ""
    #: The values warned about (the Warnings entry).
    warns: str = ""
    #: For warned rows (and rows with warned values): Config, HostConfig
    #: -> the Warnings entries (the network table's rows: the body ->).
    warn: Optional[Warn] = attrs.field(default=None, eq=False, repr=False)
    #: A value that shows the treatment (a test creates a container with
    #: it): a create body fragment ``{"HostConfig": {...}}`` or
    #: ``{"Cmd": ...}``; None when the effect is shown elsewhere.
    sample: Optional[dict] = attrs.field(default=None, eq=False)


def _security():
    from . import security

    return security


def _mounts():
    from . import mounts

    return mounts


def _o(section, field, flag, treatment, effect, where, **kw) -> Option:
    return Option(section, field, flag, treatment, effect, where, **kw)


C, H = "Config", "HostConfig"


def _warn_cgroup(config: dict, host_config: dict) -> "list[str]":
    if host_config.get("Cgroup"):
        return ["dockersim does not use HostConfig.Cgroup (dockerd v28 does not either); the container "
                "keeps a cgroup of its own. Cgroup discarded."]
    return []

# The rows, in the spec's order within each group.  Keep one row per field.
OPTIONS: "tuple[Option, ...]" = (
    # -- Config ------------------------------------------------------------
    _o(C, "Hostname", "--hostname", SIMULATED, "the UTS namespace's name (`hostname`, /etc/hostname, /etc/hosts)", "daemon.backend.netfiles"),
    _o(C, "Domainname", "--domainname", SIMULATED, "the UTS namespace's domain name (`domainname`)", "daemon.backend.start"),
    _o(C, "User", "--user", SIMULATED, "the process's uid/gid from the image's /etc/passwd and /etc/group", "sim.runtime.sandbox",
       refuses="an unknown user name at start: `unable to find user X: no matching entries in passwd file`"),
    _o(C, "AttachStdin", "--attach/-i", SIMULATED, "stdin attached through the hijacked stream", "daemon.backend.attach"),
    _o(C, "AttachStdout", "--attach", SIMULATED, "stdout attached", "daemon.backend.attach"),
    _o(C, "AttachStderr", "--attach", SIMULATED, "stderr attached", "daemon.backend.attach"),
    _o(C, "ExposedPorts", "--expose", SIMULATED, "published by -P, listed by `docker ps`", "daemon.backend.ports"),
    _o(C, "Tty", "--tty/-t", SIMULATED, "a pseudo-terminal (n_tty line discipline) on the process's stdio", "sim.io.pty"),
    _o(C, "OpenStdin", "--interactive/-i", SIMULATED, "the process's stdin is a pipe the attach streams feed", "daemon.backend.attach"),
    _o(C, "StdinOnce", "", SIMULATED, "stdin is closed when the first attach ends (moby's CopyStreams)", "daemon.backend.attach"),
    _o(C, "Env", "--env/-e", SIMULATED, "the process's environment, merged with the image's", "daemon.backend.create"),
    _o(C, "Cmd", "COMMAND", SIMULATED, "the program run", "daemon.backend.start"),
    _o(C, "Healthcheck", "--health-*", SIMULATED, "the test runs as an exec in the container at each interval; State.Health, `ps` (healthy), `health_status` events", "daemon.backend.health",
       refuses="durations under 1ms, negative retries: `Interval in Healthcheck cannot be less than 1ms`",
       sample={"Healthcheck": {"Test": ["CMD", "true"], "Interval": 1000}}),
    _o(C, "ArgsEscaped", "", SIMULATED, "kept in Config; as on a Linux dockerd, it changes nothing (a Windows option)", "daemon.backend.create"),
    _o(C, "Image", "IMAGE", SIMULATED, "the root filesystem's layers from the layer store", "daemon.backend.create"),
    _o(C, "Volumes", "--volume/-v", SIMULATED, "anonymous volumes at these paths", "daemon.backend.mounts"),
    _o(C, "WorkingDir", "--workdir/-w", SIMULATED, "the process's working directory (made when missing)", "daemon.backend.start",
       refuses="a relative path: `the working directory 'x' is invalid, it needs to be an absolute path`"),
    _o(C, "Entrypoint", "--entrypoint", SIMULATED, "the program run, before Cmd", "daemon.backend.start"),
    _o(C, "NetworkDisabled", "", SIMULATED, "no network but lo (`ip addr`); no endpoints in inspect", "daemon.backend.containernet"),
    _o(C, "MacAddress", "--mac-address", SIMULATED, "deprecated: moved to the main network's endpoint (its MAC in `ip link` and inspect), with moby's Warnings entry", "daemon.backend.create",
       refuses="a different endpoint MAC: `the container-wide MAC address must match the endpoint-specific MAC address for the main network, or be left empty`; an invalid one: `invalid MAC address X`",
       warns="always, as dockerd: `The container-wide MacAddress field is now deprecated. It should be specified in EndpointsConfig instead.`"),
    _o(C, "OnBuild", "", SIMULATED, "kept; a build FROM a commit of this container runs the triggers", "daemon.backend.build"),
    _o(C, "Labels", "--label/-l", SIMULATED, "stored, merged with the image's, filtered on by `ps --filter label=`", "daemon.backend.filters"),
    _o(C, "StopSignal", "--stop-signal", SIMULATED, "the signal `docker stop` sends (the image's STOPSIGNAL otherwise)", "daemon.backend.stop",
       refuses="an unknown signal: `invalid signal: SIGFOO`", sample={"StopSignal": "SIGFOO"}),
    _o(C, "StopTimeout", "--stop-timeout", SIMULATED, "the grace period of `docker stop` before SIGKILL", "daemon.backend.stop"),
    _o(C, "Shell", "", SIMULATED, "kept; the builder's SHELL for a commit of this container", "daemon.backend.build"),

    # -- HostConfig: resources (cgroup) --------------------------------------
    _o(H, "CpuShares", "--cpu-shares/-c", SIMULATED, "cpu.weight in the container's cgroup", "sim.kernel.cgroup"),
    _o(H, "Memory", "--memory/-m", SIMULATED, "memory.max, enforced: past it (resident pages, tmpfs and /dev/shm pages; no swap on the host) the OOM killer SIGKILLs the largest task, State.OOMKilled, the `oom` event, exit 137; `docker stats`", "sim.kernel.cgroup",
       refuses="below 6 MB: `Minimum memory limit allowed is 6MB`"),
    _o(H, "CgroupParent", "--cgroup-parent", SIMULATED, "the systemd slice the container's cgroup sits in (`/proc/self/cgroup` with `--cgroupns host`)", "sim.runtime.sandbox",
       refuses='not a slice: `cgroup-parent for systemd cgroup should be a valid slice named as "xxx.slice"`',
       sample={"HostConfig": {"CgroupParent": "mygroup"}}),
    _o(H, "BlkioWeight", "--blkio-weight", WARNED, "discarded, as moby does with no BFQ scheduler", "daemon.backend.resources",
       sample={"HostConfig": {"BlkioWeight": 300}}),
    _o(H, "BlkioWeightDevice", "--blkio-weight-device", WARNED, "discarded, as moby does with no BFQ scheduler", "daemon.backend.resources",
       sample={"HostConfig": {"BlkioWeightDevice": [{"Path": "/dev/sda", "Weight": 300}]}}),
    _o(H, "BlkioDeviceReadBps", "--device-read-bps", WARNED, "recorded; the simulated disk has no io.max throttle (cgroup v2 dockerd accepts it)", "daemon.backend.hostopts",
       warns="any device", warn=hostopts.warn_blkio_throttle("BlkioDeviceReadBps"),
       sample={"HostConfig": {"BlkioDeviceReadBps": [{"Path": "/dev/sda", "Rate": 1048576}]}}),
    _o(H, "BlkioDeviceWriteBps", "--device-write-bps", WARNED, "recorded; the simulated disk has no io.max throttle (cgroup v2 dockerd accepts it)", "daemon.backend.hostopts",
       warns="any device", warn=hostopts.warn_blkio_throttle("BlkioDeviceWriteBps"),
       sample={"HostConfig": {"BlkioDeviceWriteBps": [{"Path": "/dev/sda", "Rate": 1048576}]}}),
    _o(H, "BlkioDeviceReadIOps", "--device-read-iops", WARNED, "recorded; the simulated disk has no io.max throttle (cgroup v2 dockerd accepts it)", "daemon.backend.hostopts",
       warns="any device", warn=hostopts.warn_blkio_throttle("BlkioDeviceReadIOps"),
       sample={"HostConfig": {"BlkioDeviceReadIOps": [{"Path": "/dev/sda", "Rate": 1048576}]}}),
    _o(H, "BlkioDeviceWriteIOps", "--device-write-iops", WARNED, "recorded; the simulated disk has no io.max throttle (cgroup v2 dockerd accepts it)", "daemon.backend.hostopts",
       warns="any device", warn=hostopts.warn_blkio_throttle("BlkioDeviceWriteIOps"),
       sample={"HostConfig": {"BlkioDeviceWriteIOps": [{"Path": "/dev/sda", "Rate": 1048576}]}}),
    _o(H, "CpuPeriod", "--cpu-period", SIMULATED, "cpu.max's period; caps the CPU time the tasks get", "sim.kernel.cgroup"),
    _o(H, "CpuQuota", "--cpu-quota", SIMULATED, "cpu.max's quota; caps the CPU time the tasks get", "sim.kernel.cgroup"),
    _o(H, "CpuRealtimePeriod", "--cpu-rt-period", WARNED, "dropped: cgroup v2 has no real-time group scheduling (dockerd passes it to runc, which drops it)", "daemon.backend.hostopts",
       warns="any non-zero value", warn=hostopts.warn_cpu_realtime("CpuRealtimePeriod"), sample={"HostConfig": {"CpuRealtimePeriod": 1000000}}),
    _o(H, "CpuRealtimeRuntime", "--cpu-rt-runtime", WARNED, "dropped: cgroup v2 has no real-time group scheduling (dockerd passes it to runc, which drops it)", "daemon.backend.hostopts",
       warns="any non-zero value", warn=hostopts.warn_cpu_realtime("CpuRealtimeRuntime"), sample={"HostConfig": {"CpuRealtimeRuntime": 950000}}),
    _o(H, "CpusetCpus", "--cpuset-cpus", SIMULATED, "cpuset.cpus; caps the CPU time the tasks get", "sim.kernel.cgroup"),
    _o(H, "CpusetMems", "--cpuset-mems", SIMULATED, "cpuset.mems (one memory node, 0)", "sim.kernel.cgroup"),
    _o(H, "Devices", "--device", SIMULATED, "the host's device node made in the container's /dev (runc's mknod): same driver, major, minor", "sim.runtime.sandbox",
       refuses="a host path that is no device, at start (400; moby answers 500): `error gathering device information while adding custom device \"/dev/nosuch\": no such file or directory`",
       warns="permissions narrower than rwm (`/dev/x:/dev/x:r`): not enforced, no device cgroup",
       warn=lambda c, h: _security().device_warnings(c, h)),
    _o(H, "DeviceCgroupRules", "--device-cgroup-rule", WARNED, "validated; the simulation has no device cgroup", "daemon.backend.security",
       refuses="a malformed rule, at start: `invalid device cgroup rule format: 'x'`",
       warns="every valid rule: `The device cgroup rules [...] are accepted but not enforced`",
       warn=lambda c, h: _security().cgroup_rule_warnings(c, h),
       sample={"HostConfig": {"DeviceCgroupRules": ["c 1:3 rwm"]}}),
    _o(H, "DeviceRequests", "--gpus", REFUSED, "the simulated host has no device driver (no GPU, no CDI)", "daemon.backend.security",
       refuses="at start: `could not select device driver \"\" with capabilities: [[gpu]]`",
       sample={"HostConfig": {"DeviceRequests": [{"Driver": "", "Count": -1, "Capabilities": [["gpu"]]}]}}),
    _o(H, "KernelMemoryTCP", "", WARNED, "dropped, as on a cgroup v2 dockerd (runc has no kernel TCP limit there)", "daemon.backend.hostopts",
       warns="any non-zero value", warn=hostopts.warn_kernel_memory_tcp, sample={"HostConfig": {"KernelMemoryTCP": 10485760}}),
    _o(H, "MemoryReservation", "--memory-reservation", SIMULATED, "memory.low in the cgroup (/sys/fs/cgroup/memory.low); the simulated host never runs short, so it never protects anything", "sim.kernel.cgroup"),
    _o(H, "MemorySwap", "--memory-swap", SIMULATED, "memory.swap.max in the cgroup and `docker stats`", "sim.kernel.cgroup"),
    _o(H, "MemorySwappiness", "--memory-swappiness", WARNED, "discarded, as moby does on cgroup v2", "daemon.backend.resources",
       sample={"HostConfig": {"MemorySwappiness": 10}}),
    _o(H, "NanoCpus", "--cpus", SIMULATED, "cpu.max; caps the CPU time the tasks get (`docker stats`)", "sim.kernel.cgroup"),
    _o(H, "OomKillDisable", "--oom-kill-disable", WARNED, "discarded, as moby does on cgroup v2", "daemon.backend.resources",
       sample={"HostConfig": {"OomKillDisable": True}}),
    _o(H, "Init", "--init", SIMULATED, "docker-init (tini) at /sbin/docker-init as PID 1: forwards signals, reaps zombies, exits with the command's status", "sim.programs.misc.dockerinit"),
    _o(H, "PidsLimit", "--pids-limit", SIMULATED, "pids.max: fork fails with EAGAIN past it", "sim.kernel.cgroup"),
    _o(H, "Ulimits", "--ulimit", SIMULATED, "the process's rlimits over Docker's defaults (nofile 1048576): `ulimit -a`, /proc/<pid>/limits; nofile (EMFILE) and nproc (EAGAIN) enforced", "sim.proc.limits",
       refuses="at start (400): soft above hard `error setting rlimit type 7: invalid argument`, an unknown name `wrong rlimit value: RLIMIT_X` (runc's words)"),
    _o(H, "CpuCount", "", WARNED, "ignored: a Windows option, which a Linux dockerd ignores too", "daemon.backend.hostopts",
       warns="any non-zero value", warn=hostopts.warn_cpu_count, sample={"HostConfig": {"CpuCount": 2}}),
    _o(H, "CpuPercent", "", WARNED, "discarded, as moby on Linux", "daemon.backend.resources",
       sample={"HostConfig": {"CpuPercent": 50}}),
    _o(H, "IOMaximumIOps", "", REFUSED, "a Windows option", "daemon.backend.resources",
       refuses="`Invalid QoS settings: linux does not support Maximum IO Bandwidth or Maximum IO IOps`",
       sample={"HostConfig": {"IOMaximumIOps": 5}}),
    _o(H, "IOMaximumBandwidth", "", REFUSED, "a Windows option", "daemon.backend.resources",
       refuses="`Invalid QoS settings: linux does not support Maximum IO Bandwidth or Maximum IO IOps`",
       sample={"HostConfig": {"IOMaximumBandwidth": 5}}),

    # -- HostConfig: the rest ---------------------------------------------------
    _o(H, "Binds", "--volume/-v", SIMULATED, "bind mounts of host directories (confined) and named volumes", "daemon.backend.mounts"),
    _o(H, "ContainerIDFile", "--cidfile", SIMULATED, "the CLI writes the file; the daemon keeps the path in HostConfig, as dockerd does", "daemon.backend.create"),
    _o(H, "LogConfig", "--log-driver/--log-opt", SIMULATED, "json-file, local (`docker logs` reads them, across rotated files) and none (it cannot), opts checked as moby's drivers do; json-file's records carry the labels, env and tag the opts name (`docker logs --details`); max-size/max-file/compress rotate the log as moby's LogFile does (json-file: none unless max-size; local and the dual-logging cache: 20m x 5, gzipped; cache-max-size/-file/-compress set the cache)", "daemon.backend.logdrivers",
       refuses="an unknown driver: `logger: no log driver named 'nosuch' is registered`; an unknown opt: `unknown log opt 'foo' for json-file log driver`; a bad value fails the start (400, exit code 128; moby answers 500), as moby makes the driver there: `failed to create task for container: failed to initialize logging driver: max-file cannot be less than 1`",
       warns="syslog, journald, gelf, fluentd, awslogs, splunk, gcplogs: nothing is sent; `docker logs` reads the local cache (dual logging); cache-* opts on json-file/local: no cache to apply them to",
       warn=logdrivers.warn, sample={"HostConfig": {"LogConfig": {"Type": "nosuch", "Config": {}}}}),
    _o(H, "NetworkMode", "--network", SIMULATED, "bridge, user networks, host, none, container:<id>", "daemon.backend.containernet"),
    _o(H, "PortBindings", "--publish/-p", SIMULATED, "real listeners on the host, proxied to the container", "daemon.backend.ports"),
    _o(H, "RestartPolicy", "--restart", SIMULATED, "restarts with moby's back-off", "daemon.backend.restart"),
    _o(H, "AutoRemove", "--rm", SIMULATED, "the container is removed when it exits", "daemon.backend.monitor"),
    _o(H, "VolumeDriver", "--volume-driver", REFUSED, "the driver of the container's new volumes: only local exists", "daemon.backend.mounts",
       refuses="another driver, when a volume is made with it: `create <name>: error looking up volume plugin nosuch: plugin \"nosuch\" not found`",
       sample={"Volumes": {"/data": {}}, "HostConfig": {"VolumeDriver": "nosuch"}}),
    _o(H, "VolumesFrom", "--volumes-from", SIMULATED, "the other container's mounts", "daemon.backend.mounts"),
    _o(H, "Mounts", "--mount", SIMULATED, "bind, volume and tmpfs mounts, a named volume's `volume-subpath` (API 1.45+: that directory or file of the volume mounted, the volume's own files, shared live, read-only when asked; links in it followed inside the volume), and image mounts (`type=image`: the image's layers read-only, or its `image-subpath`; the image's layers held while the container exists)", "daemon.backend.mounts",
       refuses="a subpath, at start as dockerd's safepath.Join: a missing one `cannot access path <volume>/<sub>: lstat …: no such file or directory` (404), one escaping through `..` or a link `path concatenation escapes the base directory, base: …, subpath: …` (400), a file in its middle or a link loop (400 where dockerd answers 500: bad input); these two already at create, `failed to populate volume: …`, when the volume is to be copied into at a destination the image has (dockerd's populateVolumes); at create: `must not set Subpath when using anonymous volumes`, `subpath must be a relative path within the volume`; before API 1.45: `VolumeOptions.Subpath needs API v1.45 or newer`",
       warns="an image mount, as dockerd: `Image mount is an experimental feature`", warn=lambda c, h: _mounts().warn_image_mounts(c, h),
       sample={"HostConfig": {"Mounts": [{"Type": "image", "Source": "busybox", "Target": "/img"}]}}),
    _o(H, "ConsoleSize", "", SIMULATED, "the terminal's first window size", "daemon.backend.resize"),
    _o(H, "Annotations", "--annotation", SIMULATED, "stored and shown by inspect; runc gives them no effect either", "daemon.backend.hostopts",
       refuses="an empty key: `invalid Annotations: the empty string is not permitted as an annotation key`"),
    _o(H, "CapAdd", "--cap-add", SIMULATED, "the process's capability sets (moby's TweakCapabilities; /proc/<pid>/status Cap*; chown, sethostname, kill, setuid, bind, setrlimit check them)", "sim.proc.caps",
       refuses="an unknown capability: `invalid CapAdd: unknown capability: \"CAP_FOO\"`",
       sample={"HostConfig": {"CapAdd": ["FOO"]}}),
    _o(H, "CapDrop", "--cap-drop", SIMULATED, "the process's capability sets (as CapAdd)", "sim.proc.caps",
       refuses="an unknown capability: `invalid CapDrop: unknown capability: \"CAP_FOO\"`"),
    _o(H, "CgroupnsMode", "--cgroupns", SIMULATED, "private (default) or host cgroup namespace: /proc/self/cgroup reads `0::/` or the full path (/sys/fs/cgroup shows the container's group either way)", "daemon.backend.namespaces",
       refuses="anything else: `invalid cgroup namespace mode: X`", sample={"HostConfig": {"CgroupnsMode": "bogus"}}),
    _o(H, "Dns", "--dns", SIMULATED, "resolv.conf's nameservers", "daemon.backend.netfiles"),
    _o(H, "DnsOptions", "--dns-option", SIMULATED, "resolv.conf's options", "daemon.backend.netfiles"),
    _o(H, "DnsSearch", "--dns-search", SIMULATED, "resolv.conf's search domains", "daemon.backend.netfiles"),
    _o(H, "ExtraHosts", "--add-host", SIMULATED, "lines of /etc/hosts", "daemon.backend.netfiles"),
    _o(H, "GroupAdd", "--group-add", SIMULATED, "supplementary groups after the image's /etc/group ones (`id`, /proc/<pid>/status Groups)", "sim.runtime.sandbox",
       refuses="an unknown group name, at start (400; moby answers 500): `Unable to find group nosuch: no matching entries in group file`",
       sample={"HostConfig": {"GroupAdd": ["nosuch"]}}),
    _o(H, "IpcMode", "--ipc", SIMULATED, "private (default), shareable, host, none, container:<x>: the IPC namespace and its /dev/shm tmpfs, shared with the donor or the host, absent for none (no System V IPC)", "daemon.backend.namespaces",
       refuses="an unknown mode: `invalid IPC mode: X`; a donor not shareable: `failed to join IPC namespace: container X: non-shareable IPC (hint: use IpcMode:shareable for the donor container)`, not running: `... container X is not running`",
       sample={"HostConfig": {"IpcMode": "bogus"}}),
    _o(H, "Cgroup", "", WARNED, "discarded: dockerd v28 never reads it either; the container keeps its own cgroup", "daemon.backend.options",
       warns="any value", warn=_warn_cgroup, sample={"HostConfig": {"Cgroup": "container:x"}}),
    _o(H, "Links", "--link", SIMULATED, "/etc/hosts entries and the legacy link environment", "daemon.backend.containernet"),
    _o(H, "OomScoreAdj", "--oom-score-adj", SIMULATED, "/proc/<pid>/oom_score_adj (read-only: procfs takes no writes)", "sim.fs.procfs",
       refuses="outside [-1000, 1000]: `Invalid value 1001, range for oom score adj is [-1000, 1000]`",
       sample={"HostConfig": {"OomScoreAdj": 1001}}),
    _o(H, "PidMode", "--pid", SIMULATED, "the PID namespace: its own, the host's (ps lists the host's tasks and other containers'), or a running container's", "daemon.backend.namespaces",
       refuses="an unknown mode: `invalid PID mode: X`; a donor not running: `failed to join PID namespace: container X is not running` (409; dockerd says 500)",
       sample={"HostConfig": {"PidMode": "bogus"}}),
    _o(H, "Privileged", "--privileged", SIMULATED, "every capability, no seccomp filter, no masked or read-only paths", "sim.proc.caps"),
    _o(H, "PublishAllPorts", "--publish-all/-P", SIMULATED, "ephemeral host ports for every exposed port", "daemon.backend.ports"),
    _o(H, "ReadonlyRootfs", "--read-only", SIMULATED, "writes to the root filesystem fail with EROFS", "sim.fs"),
    _o(H, "SecurityOpt", "--security-opt", SIMULATED, "no-new-privileges (/proc/<pid>/status NoNewPrivs), seccomp=unconfined (Seccomp: 0; default 2 with one filter)", "daemon.backend.security",
       refuses="a malformed option (400; moby answers 500): `invalid --security-opt 2: \"foo=bar\"`",
       warns="a seccomp profile, apparmor=, label=, writable-cgroups: accepted, not enforced",
       warn=lambda c, h: _security().warnings(c, h),
       sample={"HostConfig": {"SecurityOpt": ["apparmor=docker-default"]}}),
    _o(H, "StorageOpt", "--storage-opt", REFUSED, "overlay2 on the data root has no project quota", "daemon.backend.hostopts",
       refuses="`--storage-opt is supported only for overlay over xfs with 'pquota' mount option`; another key: `Unknown option foo`",
       sample={"HostConfig": {"StorageOpt": {"size": "1G"}}}),
    _o(H, "Tmpfs", "--tmpfs", SIMULATED, "tmpfs mounts (`df`, /proc/mounts)", "daemon.backend.mounts"),
    _o(H, "UTSMode", "--uts", SIMULATED, "its own UTS namespace or the host's (`hostname` prints the host's)", "daemon.backend.namespaces",
       refuses="an unknown mode: `invalid UTS mode: X`; with a Hostname: `conflicting options: hostname and the UTS mode`",
       sample={"HostConfig": {"UTSMode": "bogus"}}),
    _o(H, "UsernsMode", "--userns", SIMULATED, "no remapping, whatever the value, as a dockerd without userns-remap (the CLI refuses values but host)", "daemon.backend.namespaces"),
    _o(H, "ShmSize", "--shm-size", SIMULATED, "the size of the /dev/shm tmpfs (64 MiB by default; `df`, /proc/mounts); its pages count toward memory.max", "sim.runtime.sandbox",
       refuses="negative: `SHM size can not be less than 0`", sample={"HostConfig": {"ShmSize": -1}}),
    _o(H, "Sysctls", "--sysctl", WARNED, "runc's validation; kernel.domainname and net.ipv4.ip_unprivileged_port_start simulated, other namespaced ones warned about", "daemon.backend.security",
       refuses="at start (400), runc's words: `sysctl \"kernel.printk\" is not in a separate kernel namespace`, `sysctl \"net.x\" not allowed in host network namespace`",
       warns="allowed sysctls the simulation has no effect for",
       warn=lambda c, h: _security().sysctl_warnings(c, h),
       sample={"HostConfig": {"Sysctls": {"net.core.somaxconn": "1024"}}}),
    _o(H, "Runtime", "--runtime", SIMULATED, "runc (the default, shown by inspect) or io.containerd.runc.v2", "daemon.backend.hostopts",
       refuses="another name: `unknown or invalid runtime name: nosuch`", sample={"HostConfig": {"Runtime": "nosuch"}}),
    _o(H, "Isolation", "--isolation", REFUSED, "Linux supports only default", "daemon.backend.hostopts",
       refuses="anything but \"\" and default: `invalid isolation 'hyperv' on linux`", sample={"HostConfig": {"Isolation": "hyperv"}}),
    _o(H, "MaskedPaths", "", SIMULATED, "moby's default list in inspect unless privileged; each path the simulated /proc or /sys has is masked (/dev/null or an empty read-only tmpfs)", "sim.runtime.sandbox"),
    _o(H, "ReadonlyPaths", "", SIMULATED, "moby's default list in inspect unless privileged; each path that is a mount is remounted read-only (the simulated /proc takes no writes anyway)", "sim.runtime.sandbox"),
)

_BY_FIELD = {(o.section, o.field): o for o in OPTIONS}
assert len(_BY_FIELD) == len(OPTIONS), "one row per field"


def option(section: str, field: str) -> Option:
    return _BY_FIELD[(section, field)]


def said(config: dict, host_config: dict) -> "list[str]":
    """The Warnings entries of the rows that warn about this container's
    values (the resource checks of `resources.verify` add theirs)."""
    out = []
    for row in OPTIONS:
        if row.warn is not None:
            out.extend(row.warn(config, host_config))
    return out


def log_warnings(name: str, warnings: "list[str]") -> None:
    """The daemon's log line for each Warnings entry of a create."""
    for line in warnings:
        log.warning("container %s: %s", name, line)


def render_table(title: str, module: str, intro: "list[str]", rows, sections: dict) -> str:
    """A table of rows (`Option` or the network table's rows: section,
    field, flag, treatment, effect, refuses, warns, where) as the
    Markdown of a generated doc: ``title``, the regeneration comment for
    ``module``, ``intro``, the totals, then one table per section
    (``sections``: section -> heading)."""
    rows = list(rows)
    counts = {t: sum(1 for o in rows if o.treatment is t) for t in Treatment}
    lines = [f"# {title}", "",
             f"<!-- Generated by `python -m {module} --write`; do not edit by hand. -->", "",
             *intro, "",
             f"Totals: {counts[SIMULATED]} simulated, {counts[REFUSED]} refused, {counts[WARNED]} warned.",
             ""]
    for section, heading in sections.items():
        lines += [f"## {heading}", "", "| Field | CLI flag | Treatment | In dockersim | Refused | Warned | Code |",
                  "|---|---|---|---|---|---|---|"]
        for o in rows:
            if o.section == section:
                cells = [f"`{o.field}`", f"`{o.flag}`" if o.flag else "", o.treatment.value, o.effect,
                         o.refuses, o.warns, f"`{o.where}`"]
                lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        lines.append("")
    return "\n".join(lines)


def render_markdown() -> str:
    return render_table(
        "Create options in dockersim", "dockersim.daemon.backend.options",
        ["Every field of `ContainerConfig` and `HostConfig` (Engine API v1.50) and what dockersim does",
         "with it: **simulated** (the effect is visible in the simulated world), **refused** (with",
         "dockerd's error, for the values dockerd refuses), or **warned** (accepted; create's",
         "`Warnings` says so, the CLI prints `WARNING: ...`, and the daemon logs it)."],
        OPTIONS, {C: C, H: H})


def doc_main(argv, module: str, doc: str, render) -> int:
    """``python -m <module> [--write]``: print the rendered table, or
    write it to ``docs/<doc>``."""
    import argparse
    from pathlib import Path

    parser = argparse.ArgumentParser(prog=f"python -m {module}")
    parser.add_argument("--write", action="store_true", help=f"write docs/{doc}")
    args = parser.parse_args(argv)
    text = render()
    if args.write:
        target = Path(__file__).resolve().parents[2] / "docs" / doc
        target.write_text(text)
        print(f"wrote {target}")
    else:
        print(text, end="")
    return 0


def main(argv: "list[str] | None" = None) -> int:
    return doc_main(argv, "dockersim.daemon.backend.options", "create-options.md", render_markdown)


if __name__ == "__main__":
    raise SystemExit(main())
