"""Health checks: moby's daemon/health.go.

A container whose Config.Healthcheck (its own, or its image's HEALTHCHECK)
has a ``CMD`` or ``CMD-SHELL`` test gets a monitor while it runs, unpaused:
after each interval the daemon runs the test as an exec in the container
(``exec_create``, ``exec_start`` and ``exec_die`` events, listed in
ExecIDs and by ``docker top`` while it runs), keeps its first 4096 bytes
of output, kills it when it outlives the timeout, and records the result
in ``State.Health``:

- ``Status``: ``starting`` until the first success (failures inside the
  start period do not count), ``healthy`` after a success, ``unhealthy``
  after ``Retries`` failures in a row (``FailingStreak``);
- ``Log``: the last five results (Start, End, ExitCode, Output).

Each change of status is the event ``health_status: <status>``.
Defaults as moby's: interval 30s, timeout 30s, retries 3, start period 0,
start interval 5s (between probes of the start period while starting).
A monitor stops when the container exits or is paused (the status then
says ``unhealthy``, as moby's CloseMonitorChannel sets it) and starts
again at unpause.  Timers are the event loop's (as the restart manager's);
times come from the daemon's clock.
"""

from __future__ import annotations

import asyncio
import logging

from ...sim.golang import format_duration
from ..errors import DockerError
from .container import Container, rfc3339
from .events import NO_EVENTS

log = logging.getLogger("dockersim.engine")

MAX_OUTPUT = 4096
DEFAULT_INTERVAL = 30 * 10**9
DEFAULT_TIMEOUT = 30 * 10**9
DEFAULT_START_PERIOD = 0
DEFAULT_START_INTERVAL = 5 * 10**9
DEFAULT_RETRIES = 3
MAX_LOG_ENTRIES = 5
STARTING, HEALTHY, UNHEALTHY = "starting", "healthy", "unhealthy"


def _ns(health: dict, field: str, default: int) -> int:
    return int(health.get(field) or 0) or default


def probe_command(config: dict) -> "list[str] | None":
    """The argv of the probe, or None when there is none (no check,
    ``NONE``, an unknown type)."""
    health = config.get("Healthcheck") or {}
    test = list(health.get("Test") or [])
    if not test:
        return None
    if test[0] == "CMD":
        return test[1:] or None
    if test[0] == "CMD-SHELL":
        shell = list(config.get("Shell") or []) or ["/bin/sh", "-c"]
        return shell + test[1:]
    if test[0] != "NONE":
        log.warning("Unknown healthcheck type '%s' (expected 'CMD')", test[0])
    return None


def health_view(health: "dict | None") -> "dict | None":
    """State.Health as inspect shows it."""
    if health is None:
        return None
    return {"Status": health.get("Status") or UNHEALTHY,
            "FailingStreak": health.get("FailingStreak", 0),
            "Log": [dict(r) for r in health.get("Log") or []]}


def status_suffix(container: Container) -> str:
    """moby's Health.String for the STATUS column ("" without a check)."""
    health = container.state.health
    if health is None:
        return ""
    status = health.get("Status") or UNHEALTHY
    return " (health: starting)" if status == STARTING else f" ({status})"


def health_status(container: Container) -> str:
    """The value ``ps --filter health=`` matches: none without a check."""
    health = container.state.health
    return "none" if health is None else (health.get("Status") or UNHEALTHY)


class HealthMonitor:
    events = NO_EVENTS

    def __init__(self, records, execs, clock):
        self.records = records
        self.execs = execs
        self.clock = clock
        #: container id -> the running monitor (an asyncio Task).
        self.monitors: "dict[str, asyncio.Task]" = {}

    # -- the life cycle (moby's initHealthMonitor, updateHealthMonitor, stopHealthchecks)
    def started(self, container: Container) -> None:
        """A run began: health ``starting``, the monitor running."""
        if probe_command(container.config) is None:
            return
        self.stop(container)
        health = container.state.health or {"Log": []}
        health["Status"] = STARTING
        health["FailingStreak"] = 0
        container.state.health = health
        self.update(container)

    def update(self, container: Container) -> None:
        """Run the monitor exactly while the container runs unpaused."""
        if container.state.health is None:
            return
        want = (container.state.running and not container.state.paused
                and probe_command(container.config) is not None)
        if not want:
            self.stop(container)
        elif container.id not in self.monitors:
            loop = asyncio.get_running_loop()
            self.monitors[container.id] = loop.create_task(self._monitor(container))

    def stop(self, container: Container) -> None:
        task = self.monitors.pop(container.id, None)
        if task is not None:
            task.cancel()
            if container.state.health is not None:
                container.state.health["Status"] = UNHEALTHY

    def close(self) -> None:
        for task in self.monitors.values():
            task.cancel()
        self.monitors.clear()

    # -- the monitor -----------------------------------------------------------
    def _interval(self, container: Container) -> float:
        health = container.config.get("Healthcheck") or {}
        interval = _ns(health, "Interval", DEFAULT_INTERVAL)
        start_period = _ns(health, "StartPeriod", DEFAULT_START_PERIOD)
        started = container.state.started_at or self.clock.now()
        if (self.clock.now() - started) * 1e9 >= start_period:
            return interval / 1e9
        if (container.state.health or {}).get("Status") == STARTING:
            return _ns(health, "StartInterval", DEFAULT_START_INTERVAL) / 1e9
        return interval / 1e9

    async def _monitor(self, container: Container) -> None:
        try:
            while True:
                await asyncio.sleep(self._interval(container))
                start = self.clock.now()
                try:
                    result = await self._probe(container)
                except DockerError as err:
                    log.warning("Health check for container %s error: %s", container.id, err.message)
                    result = {"ExitCode": -1, "Output": err.message, "End": self.clock.now()}
                result["Start"] = start
                self._handle(container, result)
        except asyncio.CancelledError:
            pass
        except Exception:  # a monitor must not take the daemon with it
            log.exception("health monitor of %s failed", container.id)

    async def _probe(self, container: Container) -> dict:
        """One run of the test (moby's cmdProbe.run)."""
        cmd = probe_command(container.config)
        health = container.config.get("Healthcheck") or {}
        eid = self.execs.exec_create(container.id, {
            "Cmd": cmd, "AttachStdout": True, "AttachStderr": True,
            "User": container.config.get("User") or "",
            "WorkingDir": container.config.get("WorkingDir") or ""})["Id"]
        exe = self.execs.exec_start_check(eid)
        listener = exe.hub.listen((1, 2))
        output = bytearray()
        truncated = False

        async def drain() -> None:
            nonlocal truncated
            while True:
                item = await listener.queue.get()
                if item is None:
                    return
                data = item[1]
                keep = max(0, MAX_OUTPUT - len(output))
                output.extend(data[:keep])
                truncated = truncated or len(data) > keep

        def text() -> str:
            return output.decode("utf-8", "replace") + ("..." if truncated else "")

        reader = asyncio.ensure_future(drain())
        try:
            await self.execs.exec_start(exe, detach=True, conn=None)
            timeout = _ns(health, "Timeout", DEFAULT_TIMEOUT)
            try:
                await asyncio.wait_for(asyncio.shield(reader), timeout / 1e9)
            except asyncio.TimeoutError:
                self.execs.kill(exe)  # moby cancels the exec's context: containerd kills it
                await reader
                shown = format_duration(timeout)
                out = text()
                msg = (f"Health check exceeded timeout ({shown}): {out}" if out
                       else f"Health check exceeded timeout ({shown})")
                return {"ExitCode": -1, "Output": msg, "End": self.clock.now()}
        finally:
            if not reader.done():
                reader.cancel()
            exe.hub.unlisten(listener)
        if exe.exit_code is None:
            return {"ExitCode": -1, "End": self.clock.now(),
                    "Output": f"healthcheck for container {container.id} has no exit code"}
        return {"ExitCode": exe.exit_code, "Output": text(), "End": self.clock.now()}

    def _handle(self, container: Container, result: dict) -> None:
        """moby's handleProbeResult."""
        health = container.state.health
        if health is None or self.monitors.get(container.id) is None:
            return
        spec = container.config.get("Healthcheck") or {}
        retries = int(spec.get("Retries") or 0)
        if retries <= 0:
            retries = DEFAULT_RETRIES
        old = health.get("Status")
        entry = {"Start": rfc3339(result["Start"]), "End": rfc3339(result["End"]),
                 "ExitCode": result["ExitCode"], "Output": result["Output"]}
        health["Log"] = (list(health.get("Log") or []) + [entry])[-MAX_LOG_ENTRIES:]
        if result["ExitCode"] == 0:
            health["FailingStreak"] = 0
            health["Status"] = HEALTHY
        else:
            count = True
            if health.get("Status") == STARTING:
                start_period = _ns(spec, "StartPeriod", DEFAULT_START_PERIOD)
                since_start = result["Start"] - (container.state.started_at or result["Start"])
                if since_start * 1e9 < start_period:
                    count = False
            if count:
                health["FailingStreak"] = health.get("FailingStreak", 0) + 1
                if health["FailingStreak"] >= retries:
                    health["Status"] = UNHEALTHY
        if health["Status"] != old:
            self.events.container(container, f"health_status: {health['Status']}")
