"""The error type of `dockersim.sim.golang`."""

from __future__ import annotations

__all__ = ["GoError"]


class GoError(ValueError):
    """An error whose ``str()`` is the exact text Go would print."""
