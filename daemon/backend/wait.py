"""``docker wait`` (and the wait ``docker run`` opens before it starts the
container): moby's daemon/wait.go, with its three conditions."""

import asyncio

from ..errors import InvalidParameter

WAIT_CONDITIONS = ("not-running", "next-exit", "removed")


def wait_container(records, ref: str, condition: str = "not-running"):
    """Validate now; return an awaitable of the wait body.  The router
    flushes its headers between the two (the CLI waits for them before it
    starts the container)."""
    condition = condition or "not-running"
    if condition not in WAIT_CONDITIONS:
        raise InvalidParameter(f"invalid condition: {condition!r}")
    container = records.resolve(ref)
    hub = records.hub(container)
    fut = asyncio.get_running_loop().create_future()
    if condition == "removed":
        hub.removal_waiters.append(fut)
    elif condition == "not-running" and not container.state.running:
        fut.set_result({"StatusCode": container.state.exit_code, "Error": None})
    else:
        hub.exit_waiters.append(fut)
    return fut
