"""Moved: the Go text rules live in `dockersim.sim.golang` (shared with the
simulation's archive code).  This name stays while the builder moves over."""

from ...sim.golang import *  # noqa: F401,F403
