"""Capabilities (capabilities(7)) as a task holds them.

A task has five sets.  The simulation keeps three of them on the `Task`
and derives the other two, as Linux would after the execve(2) of a file
without file capabilities:

- ``caps``: the bounding set (CapBnd), kept by fork and exec;
- ``cap_inheritable`` (CapInh) and ``cap_ambient`` (CapAmb);
- permitted and effective (CapPrm, CapEff): the bounding set (plus the
  inheritable set) while the task's uid is 0, the ambient set otherwise.
  So setuid(2) away from root drops them, as Linux does without
  PR_SET_KEEPCAPS (`effective`).

runc sets the bounding, effective and permitted sets of a container's
process to the list moby computes (`tweak`, moby's TweakCapabilities:
Docker's default 14, ``--cap-add``/``--cap-drop``, ``--privileged`` for all
of them), and leaves inheritable and ambient empty.  The kernel checks
`Task.capable` where Linux does: bind below the unprivileged port start
(CAP_NET_BIND_SERVICE), setuid/setgid (CAP_SETUID/CAP_SETGID),
sethostname (CAP_SYS_ADMIN), chown (CAP_CHOWN), kill of another user's
task (CAP_KILL), mknod of a device (CAP_MKNOD), raising a hard rlimit
(CAP_SYS_RESOURCE), changing interfaces (CAP_NET_ADMIN).
"""

from __future__ import annotations

from ..abi import ALL_CAPS, DOCKER_DEFAULT_CAPS, Cap, cap_mask

__all__ = ["ALL_CAPS", "DOCKER_DEFAULT_CAPS", "Cap", "cap_mask", "effective", "names",
           "normalize", "tweak", "parse"]


def effective(bounding: frozenset, inheritable: frozenset, ambient: frozenset, uid: int) -> frozenset:
    """CapPrm and CapEff after execve(2) of a plain file by ``uid``
    (capabilities(7), "Transformation of capabilities during execve()"):
    root gets its inheritable and bounding sets, anyone else its ambient
    set."""
    if uid == 0:
        return frozenset(bounding) | frozenset(inheritable)
    return frozenset(ambient)


def names(caps) -> "list[str]":
    """``CAP_X`` names in the kernel's order."""
    return [c.name for c in sorted(caps, key=int)]


def normalize(caps) -> "list[str]":
    """moby's NormalizeLegacyCapabilities: upper case, ``CAP_`` added when
    missing, ``ALL`` kept; ValueError ``unknown capability: "CAP_X"``."""
    out = []
    for c in caps or ():
        c = str(c).upper()
        if c == "ALL":
            out.append(c)
            continue
        if not c.startswith("CAP_"):
            c = "CAP_" + c
        if c not in Cap.__members__:
            raise ValueError(f'unknown capability: "{c}"')
        out.append(c)
    return out


def tweak(adds, drops, privileged: bool) -> frozenset:
    """moby's TweakCapabilities over Docker's defaults: every capability
    when privileged; ``ALL`` added (minus the drops); ``ALL`` dropped (only
    the adds); else the defaults less the drops plus the adds."""
    if privileged:
        return ALL_CAPS
    if not adds and not drops:
        return DOCKER_DEFAULT_CAPS
    drop, add = normalize(drops), normalize(adds)
    if "ALL" in add:
        return frozenset(c for c in ALL_CAPS if c.name not in drop)
    if "ALL" in drop:
        return frozenset(Cap[c] for c in add if c != "ALL")
    return frozenset(c for c in DOCKER_DEFAULT_CAPS if c.name not in drop) | {
        Cap[c] for c in add}


def parse(text: str) -> frozenset:
    """The set a hex mask (``00000000a80425fb``) stands for."""
    mask = int(text, 16)
    return frozenset(c for c in Cap if mask >> int(c) & 1)
