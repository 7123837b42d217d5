"""Log drivers: moby's daemon/logger factory as the simulation offers it.

``HostConfig.LogConfig`` names a driver and its options.  At create the
options are checked as moby's ``logger.ValidateLogOpts`` checks them
(``mode`` and ``max-buffer-size`` for every driver, the ``cache-*``
options of the dual-logging cache, then the driver's own validator), and
an unknown driver is refused with its words: ``logger: no log driver
named 'nosuch' is registered``.

What each driver does here:

- ``json-file`` (the default): records in the json-file format at
  ``containers/<id>/<id>-json.log``, the file ``docker inspect``'s
  ``LogPath`` names; no rotation unless ``max-size`` is set, then
  ``max-file`` files in all (default 1), rotated ones gzipped with
  ``compress=true`` (logfile.py).
- ``local``: the same records kept under the container's
  ``local-logs/container.log`` (moby's file; its protobuf framing is not
  visible to a user, so the stand-in keeps the json-file records), rotated
  by default: 20m per file, 5 files, compressed;
  ``LogPath`` is empty, as moby leaves it for every driver but json-file.
- ``none``: nothing is kept; ``docker logs`` answers moby's
  ``configured logging driver does not support reading`` (501).
- the drivers that send elsewhere (syslog, journald, gelf, fluentd,
  awslogs, splunk, gcplogs): the simulated host has nowhere to send to,
  so create warns; dockerd 20.10+ keeps a local cache of what those drivers
  send (dual logging), and so does the simulation, so ``docker logs``
  reads the cache, unless ``cache-disabled=true``.  The cache is a local
  driver (20m x 5, compressed); ``cache-max-size``, ``cache-max-file`` and
  ``cache-compress`` set it (dockerd 28.2.2 accepts them but hands its
  cache the driver's own options, so there they change nothing).

The option values (sizes, counts, booleans) are checked where moby checks
them: when the driver is made, at start, so a bad value makes the start
fail (``failed to create task for container: failed to initialize logging
driver: max-file cannot be less than 1``, 500, exit code 128), and
``docker logs`` of such a container answers the driver's own error.
"""

from __future__ import annotations

import re
from urllib.parse import quote_plus

from ..errors import InvalidParameter
from ...sim.golang.strconv import atoi, parse_bool
from .logfile import NO_ROTATION, Rotation, from_human_size, ram_in_bytes

JSON_FILE, LOCAL, NONE = "json-file", "local", "none"

_TAGGING = ("env", "env-regex", "labels", "labels-regex", "tag")

#: Linux dockerd's registered drivers -> the options their validators know
#: (None: the driver checks its own way, below).
DRIVERS: "dict[str, tuple]" = {
    JSON_FILE: ("max-file", "max-size", "compress") + _TAGGING,
    LOCAL: ("max-file", "max-size", "compress"),
    "syslog": _TAGGING + ("syslog-address", "syslog-facility", "syslog-tls-ca-cert", "syslog-tls-cert",
                          "syslog-tls-key", "syslog-tls-skip-verify", "syslog-format"),
    "journald": _TAGGING,
    "gelf": _TAGGING + ("gelf-address", "gelf-compression-level", "gelf-compression-type",
                        "gelf-tcp-max-reconnect", "gelf-tcp-reconnect-delay"),
    "fluentd": _TAGGING + ("fluentd-address", "fluentd-async", "fluentd-async-reconnect-interval",
                           "fluentd-buffer-limit", "fluentd-max-retries", "fluentd-request-ack",
                           "fluentd-retry-wait", "fluentd-sub-second-precision", "fluentd-write-timeout"),
    "awslogs": ("tag", "awslogs-region", "awslogs-endpoint", "awslogs-group", "awslogs-stream",
                "awslogs-create-group", "awslogs-create-stream", "awslogs-datetime-format",
                "awslogs-multiline-pattern", "awslogs-credentials-endpoint",
                "awslogs-force-flush-interval-seconds", "awslogs-max-buffered-events", "awslogs-format"),
    "splunk": _TAGGING + ("splunk-url", "splunk-token", "splunk-source", "splunk-sourcetype",
                          "splunk-index", "splunk-capath", "splunk-caname", "splunk-insecureskipverify",
                          "splunk-format", "splunk-verify-connection", "splunk-gzip", "splunk-gzip-level",
                          "splunk-index-acknowledgment"),
    "gcplogs": ("gcp-project", "labels", "labels-regex", "env", "env-regex", "gcp-log-cmd",
                "gcp-meta-zone", "gcp-meta-name", "gcp-meta-id"),
}

#: The drivers that send to a place outside the simulated host.
REMOTE = tuple(d for d in DRIVERS if d not in (JSON_FILE, LOCAL))

#: Options every driver takes (logger.builtInLogOpts, the cache's).
_BUILT_IN = {"mode", "max-buffer-size", "cache-disabled", "cache-max-file", "cache-max-size",
             "cache-compress"}


def _is_bool(text: str) -> bool:
    """Whether strconv.ParseBool takes ``text``."""
    try:
        parse_bool(text)
    except ValueError:
        return False
    return True


def driver_of(host_config: dict) -> str:
    return ((host_config.get("LogConfig") or {}).get("Type")) or JSON_FILE


def _options(host_config: dict) -> dict:
    return dict(((host_config.get("LogConfig") or {}).get("Config")) or {})


def validate(host_config: dict) -> None:
    """moby's mergeAndVerifyLogConfig -> logger.ValidateLogOpts."""
    name = driver_of(host_config)
    cfg = _options(host_config)
    if name == NONE:
        return
    mode = cfg.get("mode", "")
    if mode not in ("", "blocking", "non-blocking"):
        raise InvalidParameter(f"logger: logging mode not supported: {mode}")
    if "max-buffer-size" in cfg:
        if mode != "non-blocking":
            raise InvalidParameter("logger: max-buffer-size option is only supported with 'mode=non-blocking'")
        try:
            ram_in_bytes(cfg["max-buffer-size"])
        except ValueError as exc:
            raise InvalidParameter(f"error parsing option max-buffer-size: {exc}") from None
    disabled = cfg.get("cache-disabled", "")
    if disabled and not _is_bool(disabled):
        raise InvalidParameter(f"invalid value for option cache-disabled: {disabled}")
    if name not in DRIVERS:
        raise InvalidParameter(f"logger: no log driver named '{name}' is registered")
    known = DRIVERS[name]
    for key in cfg:
        if key in _BUILT_IN or key in known:
            continue
        if name == LOCAL:
            raise InvalidParameter(f"unknown log opt '{key}' for log driver local")
        if name == "gelf":
            raise InvalidParameter(f'unknown log opt "{key}" for gelf log driver')
        if name == "gcplogs":
            raise InvalidParameter(f'"{key}" is not a valid option for the gcplogs driver')
        raise InvalidParameter(f"unknown log opt '{key}' for {name} log driver")
    if name == "awslogs" and not cfg.get("awslogs-group"):
        raise InvalidParameter("must specify a value for log opt 'awslogs-group'")


class LogDriverError(Exception):
    """A log option value the driver refuses when it is made (moby's
    driver ``New``).  Bad input: a 400 wherever it surfaces (moby answers
    500 for json-file's)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _json_file_rotation(cfg: dict) -> Rotation:
    """moby's jsonfilelog.New (v28.2.2): no rotation unless max-size."""
    capacity, max_files, compress = -1, 1, False
    try:
        if "max-size" in cfg:
            capacity = from_human_size(cfg["max-size"])
            if capacity <= 0:
                raise ValueError("max-size must be a positive number")
        if "max-file" in cfg:
            max_files = atoi(cfg["max-file"])
            if max_files < 1:
                raise ValueError("max-file cannot be less than 1")
        if "compress" in cfg:
            compress = parse_bool(cfg["compress"])
            if compress and (max_files == 1 or capacity == -1):
                raise ValueError("compress cannot be true when max-file is less than 2 or "
                                 "max-size is not set")
    except ValueError as exc:
        raise LogDriverError(str(exc)) from None
    return Rotation(capacity, max_files, compress)


#: moby's local driver defaults (defaultMaxFileSize, defaultMaxFileCount,
#: defaultCompressLogs): also the dual-logging cache's.
LOCAL_DEFAULTS = Rotation(20 * 1024 * 1024, 5, True)


def _local_rotation(cfg: dict, prefix: str = "") -> Rotation:
    """moby's local.New (v28.2.2) and validateConfig; ``prefix``
    ``cache-``: the dual-logging cache's options."""
    d = LOCAL_DEFAULTS
    capacity, max_files, compress = d.capacity, d.max_files, d.compress
    size_key, file_key, compress_key = (prefix + k for k in ("max-size", "max-file", "compress"))
    if size_key in cfg:
        try:
            capacity = from_human_size(cfg[size_key])
        except ValueError as exc:
            raise LogDriverError(f"invalid value for {size_key}: {cfg[size_key]}: {exc}") from None
    if file_key in cfg:
        try:
            max_files = atoi(cfg[file_key])
        except ValueError as exc:
            raise LogDriverError(f"invalid value for {file_key}: {cfg[file_key]}: {exc}") from None
    if compress_key in cfg:
        try:
            compress = parse_bool(cfg[compress_key])
        except ValueError as exc:
            raise LogDriverError(f"error reading {compress_key} log option: {exc}") from None
    if capacity < 0:
        raise LogDriverError("max size should be a positive number")
    if max_files < 0:
        raise LogDriverError("max file count cannot be less than 0")
    if compress and max_files <= 1:
        raise LogDriverError("compression cannot be enabled when max file count is 1")
    return Rotation(capacity, max_files, compress)


def rotation(host_config: dict) -> Rotation:
    """How the container's log file is kept, from its options; raises
    LogDriverError with moby's words for a value its driver refuses."""
    name = driver_of(host_config)
    cfg = _options(host_config)
    if name == JSON_FILE:
        return _json_file_rotation(cfg)
    if name == LOCAL:
        return _local_rotation(cfg)
    if name in REMOTE and readable(host_config):
        try:
            return _local_rotation(cfg, "cache-")
        except LogDriverError as exc:
            raise LogDriverError("error setting up local container log cache: error initializing "
                                 f"local log cache driver: {exc.message}") from None
    return NO_ROTATION


def rotation_or_none(host_config: dict) -> Rotation:
    """`rotation`, or no rotation for options the driver refuses (such a
    container never starts, so its log is never written)."""
    try:
        return rotation(host_config)
    except LogDriverError:
        return NO_ROTATION


def readable(host_config: dict) -> bool:
    """Can ``docker logs`` read this container's log?  Not with ``none``,
    nor with a remote driver whose cache is disabled."""
    name = driver_of(host_config)
    if name == NONE:
        return False
    if name in REMOTE:
        disabled = _options(host_config).get("cache-disabled", "")
        return not (_is_bool(disabled) and parse_bool(disabled))
    return True


def log_key(container) -> str:
    """Where the container's records are kept ("" when nowhere)."""
    name = driver_of(container.host_config)
    if name == JSON_FILE:
        return f"containers/{container.id}/{container.id}-json.log"
    if not readable(container.host_config):
        return ""
    if name == LOCAL:
        return f"containers/{container.id}/local-logs/container.log"
    return f"containers/{container.id}/container-cached.log"


def log_path(container, root: str) -> str:
    """inspect's ``LogPath``: the json-file's, empty for the other drivers."""
    if driver_of(container.host_config) == JSON_FILE:
        return f"{root}/{log_key(container)}"
    return ""


def warn(config: dict, host_config: dict) -> "list[str]":
    """The remote drivers: accepted, and said not to reach anywhere."""
    name = driver_of(host_config)
    if name not in REMOTE:
        cache = sorted(k for k in _options(host_config) if k.startswith("cache-"))
        if name != NONE and cache:  # accepted by moby for every driver, used by none of these
            return [f"the {name} log driver is read directly, so it has no dual-logging cache: "
                    f"{', '.join(cache)} change nothing"]
        return []
    kept = ("the output is kept only in the daemon's local cache, which `docker logs` reads"
            if readable(host_config) else "with cache-disabled the output is not kept at all")
    return [f"dockersim does not send to the {name} log driver (the simulated host has no "
            f"{name} endpoint): {kept}"]


# -- the records' attributes (json-file's "attrs", `docker logs --details`) ----

#: logger.Info's methods a ``tag`` template may name (``{{.Name}}``).
_TAG_FIELDS = {
    "ID": lambda c, host: c.id[:12],
    "FullID": lambda c, host: c.id,
    "Name": lambda c, host: c.name,
    "ImageID": lambda c, host: c.image_id.removeprefix("sha256:")[:12],
    "ImageFullID": lambda c, host: c.image_id,
    "ImageName": lambda c, host: c.config.get("Image") or "",
    "DaemonName": lambda c, host: "docker",
    "Command": lambda c, host: " ".join([c.path] + list(c.args)),
    "Hostname": lambda c, host: host,
}
_ACTION = re.compile(r"\{\{-?\s*(.*?)\s*-?\}\}", re.S)


def log_tag(container, template: str, hostname: str = "") -> str:
    """moby's ``ParseLogTag``: the ``tag`` option, a Go template over the
    container's logger.Info, with its fields (``{{.ID}}``, ``{{.Name}}``,
    ``{{.ImageName}}``, ...).  Raises LogDriverError with text/template's
    words for a field Info has not; other template actions are not
    simulated and say so."""
    out, pos = [], 0
    for match in _ACTION.finditer(template):
        out.append(template[pos:match.start()])
        pos = match.end()
        action = match.group(1)
        field = action[1:] if action.startswith(".") else None
        line = template.count("\n", 0, match.start()) + 1
        if field is None or not field.isidentifier():
            raise LogDriverError(f"template: log-tag:{line}: the action {{{{{action}}}}} is not "
                                 "simulated by dockersim (fields such as {{.Name}} are)")
        if field not in _TAG_FIELDS:
            col = match.start() - (template.rfind("\n", 0, match.start()) + 1) + 2
            raise LogDriverError(f'template: log-tag:{line}:{col}: executing "log-tag" at '
                                 f"<.{field}>: can't evaluate field {field} in type *logger.Info")
        out.append(_TAG_FIELDS[field](container, hostname))
    out.append(template[pos:])
    return "".join(out)


def extra_attributes(container) -> dict:
    """logger.Info's ``ExtraAttributes``: the labels named by ``labels``
    or matching ``labels-regex``, the environment variables named by
    ``env`` or matching ``env-regex``."""
    cfg = _options(container.host_config)
    labels = container.config.get("Labels") or {}
    extra = {}
    for name in (cfg.get("labels") or "").split(",") if cfg.get("labels") else ():
        if name in labels:
            extra[name] = labels[name]
    if cfg.get("labels-regex"):
        pattern = _regex(cfg["labels-regex"])
        extra.update({k: v for k, v in labels.items() if pattern.search(k)})
    env = {}
    for item in container.config.get("Env") or ():
        key, sep, value = item.partition("=")
        if sep:
            env[key] = value
    if not env:
        return extra
    for name in (cfg.get("env") or "").split(",") if cfg.get("env") else ():
        if name in env:
            extra[name] = env[name]
    if cfg.get("env-regex"):
        pattern = _regex(cfg["env-regex"])
        extra.update({k: v for k, v in env.items() if pattern.search(k)})
    return extra


def _regex(text: str):
    try:
        return re.compile(text)
    except re.error as err:
        raise LogDriverError(f"error parsing regexp: {err}") from None


def record_attrs(container, hostname: str = "") -> dict:
    """The attributes json-file writes into each record (``attrs``): the
    extra attributes, and ``tag`` when the option is set.  Other drivers
    keep none that ``docker logs`` reads back (the local format has no
    attributes)."""
    if driver_of(container.host_config) != JSON_FILE:
        return {}
    attrs = extra_attributes(container)
    template = _options(container.host_config).get("tag", "")
    if template:
        tag = log_tag(container, template, hostname)
        if tag:
            attrs["tag"] = tag
    return attrs


def details_prefix(attrs: "dict | None") -> bytes:
    """``docker logs --details``: moby's ``attrsByteSlice``, the
    attributes sorted by key, query-escaped, ``k=v`` joined by commas,
    then a space (a lone space without attributes)."""
    pairs = sorted((attrs or {}).items())
    return (",".join(f"{quote_plus(k, safe='')}={quote_plus(v, safe='')}" for k, v in pairs)
            + " ").encode()
