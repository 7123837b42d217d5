"""Restart policies (moby's restartmanager and its create-time checks).

A container's ``HostConfig.RestartPolicy`` says whether the daemon starts
it again when it exits:

| policy | restarts when |
|---|---|
| ``no`` | never |
| ``always`` | it exits, unless it was stopped by a user |
| ``unless-stopped`` | as ``always``; and at daemon start unless a user stopped it |
| ``on-failure[:N]`` | it exits non-zero, at most N times (N 0: no limit) |

Between restarts the daemon waits, starting at 100 ms and doubling up to a
minute; a container that ran for 10 s or more starts over at 100 ms.
"""

from ..errors import InvalidParameter

POLICIES = ("no", "always", "unless-stopped", "on-failure")
FIRST_DELAY = 0.1
MAX_DELAY = 60.0
#: A run this long resets the back-off (moby: 10 seconds).
STEADY_RUN = 10.0


def validate(host_config: dict) -> None:
    """Refuse what moby's create refuses, with its words."""
    policy = host_config.get("RestartPolicy") or {}
    name = policy.get("Name") or "no"
    retries = policy.get("MaximumRetryCount") or 0
    if name not in POLICIES:
        raise InvalidParameter(f"invalid restart policy: unknown policy '{name}'; use one of "
                               "'no', 'always', 'on-failure', or 'unless-stopped'")
    if not isinstance(retries, int) or retries < 0:
        raise InvalidParameter("invalid restart policy: maximum retry count cannot be negative")
    if retries and name != "on-failure":
        raise InvalidParameter(
            "invalid restart policy: maximum retry count can only be used with 'on-failure'")
    if name != "no" and host_config.get("AutoRemove"):
        raise InvalidParameter("can't create 'AutoRemove' container with restart policy")


def should_restart(host_config: dict, exit_code: int, manually_stopped: bool,
                   restart_count: int) -> bool:
    """After an exit: does the policy start the container again?"""
    policy = host_config.get("RestartPolicy") or {}
    name = policy.get("Name") or "no"
    if manually_stopped or name == "no":
        return False
    if name in ("always", "unless-stopped"):
        return True
    retries = policy.get("MaximumRetryCount") or 0
    return exit_code != 0 and (retries == 0 or restart_count < retries)


def restart_at_boot(host_config: dict, manually_stopped: bool) -> bool:
    """At daemon start: which stopped containers come back up."""
    name = (host_config.get("RestartPolicy") or {}).get("Name") or "no"
    return name == "always" or (name == "unless-stopped" and not manually_stopped)


def next_delay(previous: float, ran_for: float) -> float:
    """The back-off before the next restart."""
    if ran_for >= STEADY_RUN or previous <= 0:
        return FIRST_DELAY
    return min(previous * 2, MAX_DELAY)
