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
  ``LogPath`` names.
- ``local``: the same records kept under the container's
  ``local-logs/container.log`` (moby's file; its protobuf framing is not
  visible to a user, so the stand-in keeps the json-file records);
  ``LogPath`` is empty, as moby leaves it for every driver but json-file.
- ``none``: nothing is kept; ``docker logs`` answers moby's
  ``configured logging driver does not support reading`` (501).
- the drivers that send elsewhere (syslog, journald, gelf, fluentd,
  awslogs, splunk, gcplogs): the simulated host has nowhere to send to,
  so create warns; dockerd 20.10+ keeps a local cache of what those drivers
  send (dual logging), and so does the simulation, so ``docker logs``
  reads the cache, unless ``cache-disabled=true``.
"""

from __future__ import annotations

import re

from ..errors import InvalidParameter

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


def driver_of(host_config: dict) -> str:
    return ((host_config.get("LogConfig") or {}).get("Type")) or JSON_FILE


def _options(host_config: dict) -> dict:
    return dict(((host_config.get("LogConfig") or {}).get("Config")) or {})


def _ram_in_bytes(text: str) -> bool:
    """go-units RAMInBytes accepts ``<number>[b|k|m|g|t|p][b|ib]``."""
    return re.fullmatch(r"\s*[0-9]+(\.[0-9]+)?\s*([kKmMgGtTpP]?[iI]?[bB]?)?\s*", text) is not None


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
        if not _ram_in_bytes(cfg["max-buffer-size"]):
            raise InvalidParameter(f"error parsing option max-buffer-size: invalid size: "
                                   f"'{cfg['max-buffer-size']}'")
    disabled = cfg.get("cache-disabled", "")
    if disabled and disabled not in ("1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE",
                                     "false", "False"):
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


def readable(host_config: dict) -> bool:
    """Can ``docker logs`` read this container's log?  Not with ``none``,
    nor with a remote driver whose cache is disabled."""
    name = driver_of(host_config)
    if name == NONE:
        return False
    if name in REMOTE:
        return _options(host_config).get("cache-disabled", "") not in (
            "1", "t", "T", "TRUE", "true", "True")
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
        return []
    kept = ("the output is kept only in the daemon's local cache, which `docker logs` reads"
            if readable(host_config) else "with cache-disabled the output is not kept at all")
    return [f"dockersim does not send to the {name} log driver (the simulated host has no "
            f"{name} endpoint): {kept}"]
