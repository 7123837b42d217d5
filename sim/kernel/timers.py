"""Timers: waking a sleeping task when the clock reaches a deadline.

A trap with a deadline (sleep, poll with a timeout) arms a timer when it
first blocks: an entry (deadline, sequence, task, trap) in a heap ordered
by deadline, the sequence number breaking ties in arming order.  When the
kernel clock reaches the deadline the timer wakes the task, which checks
its trap again and finds the deadline passed.

Timers are never cancelled.  An entry whose task has moved on (another
trap, or no longer asleep) is *stale*: firing it does nothing, and
`next_deadline` drops stale entries from the head, so the daemon never
sets a host timer for a sleep that already ended.  Stale entries further
back (a shim's hour-long sleep, ended by its kill) would hold their task
until their deadline: when the heap has doubled since it was last swept,
`arm` sweeps out the entries of tasks that left their trap or exited, so
the heap stays within twice the live timers (amortised O(1) per arm).

The clock is virtual: nothing here reads the wall.  The daemon asks
`next_deadline`, sleeps on the host until then (or, in tests, the clock
jumps), and calls the kernel again.
"""

import heapq
from typing import Callable

import attrs

from ..proc.task import TaskState


@attrs.define(eq=False)
class TimerQueue:
    """The armed timers, earliest deadline first."""

    _heap: list = attrs.field(factory=list, repr=False)
    _seq: int = 0
    #: The heap's size after the last sweep (the next one at twice that).
    _swept: int = 32

    def arm(self, task, t) -> None:
        """Wake ``task`` at ``t.deadline`` unless ``t`` completes first
        (once per trap: ``t.armed``)."""
        if not t.armed:
            t.armed = True
            if len(self._heap) >= 2 * self._swept:
                self._sweep()
            self._seq += 1
            heapq.heappush(self._heap, (t.deadline, self._seq, task, t))

    def _sweep(self) -> None:
        """Drop the entries whose task left the trap that armed them or
        exited (their firing would do nothing)."""
        gone = (TaskState.ZOMBIE, TaskState.DEAD)
        kept = []
        for entry in self._heap:
            _, _, task, trap_obj = entry
            if task.trap is trap_obj and task.state not in gone:
                kept.append(entry)
            else:
                trap_obj.armed = False  # a task back in this trap (after a handler) arms it again
        self._heap = kept
        heapq.heapify(self._heap)
        self._swept = max(32, len(self._heap))

    @staticmethod
    def _live(entry) -> bool:
        """Is the entry's task still asleep in the trap that armed it?"""
        _, _, task, trap_obj = entry
        return task.trap is trap_obj and task.state is TaskState.BLOCKED

    def next_deadline(self) -> "float | None":
        """The earliest live timer's deadline, or None."""
        while self._heap and not self._live(self._heap[0]):
            heapq.heappop(self._heap)
        return self._heap[0][0] if self._heap else None

    def fire(self, now: float, wake: "Callable") -> None:
        """Pop every timer due at ``now``; ``wake`` the tasks still in the
        trap that armed theirs."""
        while self._heap and self._heap[0][0] <= now:
            _, _, task, trap_obj = heapq.heappop(self._heap)
            if task.trap is trap_obj:
                wake(task)
