"""Sessions and process groups (credentials(7), "Sessions and process groups").

Every task belongs to a *process group* (a job: a shell puts each pipeline
in a group of its own) and every group to a *session* (a login, a
``docker run -it``, a ``docker exec -it``).  A session may have one
*controlling terminal*; of its groups one is the terminal's *foreground*
group, the one that reads the keyboard and receives ^C, ^\\ and ^Z.

Groups and sessions are objects, not numbers: their IDs are the PIDs of
the tasks that created them, as each PID namespace numbered those tasks
when they did (``ids``: namespace -> number), so the IDs outlive their
leaders as on Linux, and a namespace that cannot see the leader sees 0.
The rules (setsid, setpgid, signalling a group, the terminal's
foreground) live in `sim.kernel.jobctl`.
"""

import attrs


def pid_numbers(task) -> dict:
    """The PIDs ``task`` has in its namespace and every ancestor."""
    return {ns: ns.pid_of(task) for ns in task.nsset.pid.ancestors()}


@attrs.define(eq=False)
class Session:
    #: Namespace -> session ID (the leader's PID there).
    ids: dict = attrs.field(repr=False)
    #: The session leader (the controlling process once it has a terminal).
    leader: object = attrs.field(repr=False)
    #: The controlling terminal (`sim.io.pty.Pty`), None without one.
    tty: object = attrs.field(default=None, repr=False)

    def id_in(self, ns) -> int:
        return self.ids.get(ns, 0)


@attrs.define(eq=False)
class ProcessGroup:
    #: Namespace -> process group ID (the first member's PID there).
    ids: dict = attrs.field(repr=False)
    session: Session = attrs.field(repr=False)
    leader: object = attrs.field(repr=False)

    def id_in(self, ns) -> int:
        return self.ids.get(ns, 0)
