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

import asyncio
import logging

from ..errors import InvalidParameter

log = logging.getLogger("dockersim.engine")

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


class RestartManager:
    """Applies the policies: after an exit it schedules the next start
    (the container is ``restarting`` meanwhile), a user's start, stop or
    removal cancels it, and at daemon start it brings back what the
    policies say."""

    def __init__(self, records, start):
        self.records = records
        #: ``start(container)``: starts a container now (`Starter.start`).
        self.start = start
        #: True while the daemon shuts down: policies rest.
        self.suspended = False

    def after_exit(self, container) -> bool:
        """The container exited: schedule a restart if its policy says so."""
        if self.suspended or not should_restart(container.host_config, container.state.exit_code,
                                                container.manually_stopped, container.restart_count):
            return False
        state = container.state
        ran_for = (state.finished_at or 0) - (state.started_at or 0)
        container.restart_delay = next_delay(container.restart_delay, ran_for)
        state.transition("schedule_restart")
        container.restart_count += 1
        self.records.save(container)
        loop = asyncio.get_running_loop()
        container.restart_timer = loop.call_later(container.restart_delay, self._restart_now, container)
        return True

    def _restart_now(self, container) -> None:
        container.restart_timer = None
        if self.records.get(container.id) is not container or container.state.status != "restarting":
            return
        try:
            self.start(container)
        except Exception as err:  # a start error ends the policy's attempts, as in moby
            log.warning("restart of %s failed: %s", container.name, err)

    def cancel(self, container) -> None:
        if container.restart_timer is not None:
            container.restart_timer.cancel()
            container.restart_timer = None
        if container.state.status == "restarting":
            container.state.transition("cancel_restart")
            self.records.save(container)

    def at_boot(self) -> None:
        """After a daemon start: bring back what the policies say."""
        for container in list(self.records):
            if container.state.status in ("exited", "created") and container.state.finished_at \
                    and restart_at_boot(container.host_config, container.manually_stopped):
                try:
                    self.start(container)
                except Exception as err:
                    log.warning("restart of %s at daemon start failed: %s", container.name, err)
