"""Load averages: how busy the machine has been over 1, 5 and 15 minutes.

The three numbers ``uptime`` and ``top`` show are exponentially damped
moving averages of the number of *active* tasks (runnable, plus those in
uninterruptible sleep; the simulation has no uninterruptible sleep).
Linux (kernel/sched/loadavg.c) samples that count every `LOAD_FREQ`
(5 s and one tick) and folds it in::

    load = load·e + active·(1 − e),   e = exp(−5 s / 1, 5 or 15 min)

all in integer fixed point: `FSHIFT` fractional bits, so 1.0 is `FIXED_1`
and the factors are `EXP_1`, `EXP_5`, `EXP_15`.  /proc/loadavg prints the
fixed-point values with loadavg.c's own rounding, and sysinfo(2) shifts
them to 16 fractional bits.

In the simulation task states change only inside `Kernel.run`, so the
count left at the end of one run holds for every sample due before the
next; `LoadAverage.catch_up` folds ``n`` missed samples in at once
(``calc_load_n``, which Linux uses after idle periods without ticks).
Only virtual time counts: the result depends on the kernel clock, never
on the wall.
"""

import attrs

#: The kernel's timer frequency (CONFIG_HZ): one jiffy is 1/HZ s.
HZ = 250
#: Seconds between two load samples (5 s and one tick).
LOAD_FREQ = (5 * HZ + 1) / HZ
#: Fractional bits of the fixed-point loads.
FSHIFT = 11
FIXED_1 = 1 << FSHIFT
#: FIXED_1 / exp(5 s / (1, 5, 15 min)).
EXP_1 = 1884
EXP_5 = 2014
EXP_15 = 2037


def _fixed_power_int(x: int, n: int) -> int:
    """x**n in FSHIFT fixed point, rounding each step (loadavg.c)."""
    result = FIXED_1
    half = 1 << (FSHIFT - 1)
    while n:
        if n & 1:
            result = (result * x + half) >> FSHIFT
        n >>= 1
        if n:
            x = (x * x + half) >> FSHIFT
    return result


def calc_load(load: int, exp: int, active: int) -> int:
    """One damping step (loadavg.c ``calc_load``): ``active`` is the number
    of active tasks times FIXED_1."""
    newload = load * exp + active * (FIXED_1 - exp)
    if active >= load:
        newload += FIXED_1 - 1
    return newload // FIXED_1


def calc_load_n(load: int, exp: int, active: int, n: int) -> int:
    """``n`` damping steps at once, with the same ``active`` count
    (loadavg.c ``calc_load_n``, used after idle periods without ticks)."""
    return calc_load(load, _fixed_power_int(exp, n), active)


@attrs.define(eq=False)
class LoadAverage:
    """The machine's load averages and when the next sample is due."""

    #: When the next sample is due (kernel clock).
    next_sample: float
    #: The 1, 5 and 15 minute load averages, FSHIFT fixed point (loadavg.c
    #: ``avenrun``).
    avenrun: list = attrs.field(factory=lambda: [0, 0, 0])
    #: Active tasks at the end of the last `Kernel.run`: the count that
    #: held while no task ran.
    active: int = 0

    def catch_up(self, now: float) -> None:
        """Fold in every sample due by ``now``, each with `active`."""
        if now < self.next_sample:
            return
        n = int((now - self.next_sample) // LOAD_FREQ) + 1
        self.next_sample += n * LOAD_FREQ
        active = self.active * FIXED_1
        self.avenrun = [calc_load_n(load, exp, active, n)
                        for load, exp in zip(self.avenrun, (EXP_1, EXP_5, EXP_15))]

    def as_floats(self) -> "tuple[float, float, float]":
        """The 1, 5 and 15 minute load averages as numbers."""
        return tuple(a / FIXED_1 for a in self.avenrun)
