"""Clocks.  The kernel never reads the wall clock itself: it is handed a
`Clock`.  The daemon passes a `WallClock`; tests and the deterministic mode
pass a `ManualClock` that only moves when told to."""

from typing import Callable, Protocol

import attrs


class Clock(Protocol):
    def now(self) -> float:
        """Seconds since the Unix epoch."""


@attrs.define(eq=False)
class ManualClock:
    """A clock that moves only through `advance` / `set`."""

    t: float = 1_700_000_000.0  # 2023-11-14T22:13:20Z, an arbitrary fixed start

    def now(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("a clock never goes back")
        self.t += seconds

    def set(self, t: float) -> None:
        self.t = max(self.t, t)


@attrs.define(eq=False)
class WallClock:
    """Reads time from a function the caller injects (``time.time`` in the
    daemon), so `sim` itself never touches the wall clock."""

    source: Callable[[], float]

    def now(self) -> float:
        return self.source()
