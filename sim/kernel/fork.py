"""Creating tasks: fork(2) and clone(2), and fork + exec from outside.

A new task gets:

- a PID in its PID namespace *and in every ancestor namespace* (PID 1 in a
  container is, say, 4242 on the host: `sim.proc.pidns`); its host PID is
  the root namespace's;
- copies of what a child inherits: environment, working directory,
  credentials, umask, signal dispositions, capability bounding set, the
  controlling terminal;
- the parent's file descriptions, *shared* rather than copied (each fd
  takes a reference, `sim.kernel.fdtable`), which is why a shell's child
  writes to the same pipe the shell does;
- a place in the process tree (its parent's ``children``);
- something to run: a program image, started as exec does
  (`sim.kernel.exec.start_image`), or for a forked subshell a coroutine
  function of its own (a shell running ``( … )`` or a pipeline stage
  continues its own code in the child, not a new program).

It joins the run queue at once.  `spawn` is fork + exec as the daemon
uses it (posix_spawn(3)): it loads the image first, so a command that
cannot run fails before any task exists.
"""

from ..abi import ALL_CAPS
from ..ns.nsset import NamespaceSet
from ..proc.task import ProgramImage, Task
from .exec import load_image, start_image
from .jobctl import new_session

#: The task attributes a child copies from its parent besides those
#: create_task is handed.
INHERITED = ("cap_inheritable", "cap_ambient", "groups", "no_new_privs", "seccomp",
             "seccomp_filters", "rlimits", "oom_score_adj")


def create_task(kernel, *, parent: "Task | None", image: ProgramImage, nsset: NamespaceSet,
                env: dict, cwd: str, uid: int = 0, gid: int = 0, fds: "dict | None" = None,
                coro_fn=None, sig_actions: "dict | None" = None, umask: int = 0o022,
                caps: "frozenset | None" = None, cgroup=None) -> Task:
    """A new task: PIDs in its namespace and every ancestor, its fds
    (descriptions shared, refcounts taken), running either ``image``'s
    program or, for a forked subshell, ``coro_fn(proc)`` (``image`` then
    only names the task, as a fork keeps its parent's command line).
    ``caps`` is its capability bounding set (`Task.caps`); None inherits
    the parent's (every capability for a task without a parent).
    ``cgroup``: the control group it starts in (None: its parent's); a
    group at its pids.max refuses it (SimError EAGAIN)."""
    if caps is None:
        caps = parent.caps if parent is not None else ALL_CAPS
    if parent is not None:
        _check_nproc(kernel, parent, uid)
    if cgroup is None and parent is not None:
        cgroup = parent.cgroup
    if cgroup is not None:
        cgroup.charge_fork()
    task = Task(host_pid=0, image=image, nsset=nsset, parent=parent, env=dict(env),
                cwd=cwd, uid=uid, gid=gid, umask=umask, start_time=kernel.clock.now(),
                sig_actions=dict(sig_actions or {}), caps=frozenset(caps))
    if parent is not None:  # what else fork copies: groups, limits, no_new_privs, seccomp
        for name in INHERITED:
            setattr(task, name, getattr(parent, name))
    nsset.pid.allocate(task)
    if cgroup is not None:
        task.cgroup = cgroup
        cgroup.join(task)
    task.host_pid = kernel.root_pidns.pid_of(task)
    for fd, desc in (fds or {}).items():
        desc.refs += 1
        task.fds[fd] = desc
    if parent is not None:
        parent.children.add(task)
        task.pgrp = parent.pgrp  # same process group and session
    if task.pgrp is None:
        new_session(task)
    if coro_fn is None:
        start_image(kernel, task, image)
    else:
        from ..proc.syscalls import Proc

        task.coro = coro_fn(Proc(kernel, task))
    kernel.sched.enqueue(task)
    return task


def spawn(kernel, *, argv, env: dict, cwd: str = "/", nsset: "NamespaceSet | None" = None,
          parent: "Task | None" = None, uid: int = 0, gid: int = 0,
          fds: "dict | None" = None, sig_actions: "dict | None" = None,
          caps: "frozenset | None" = None, cgroup=None) -> Task:
    """fork + execve from outside any program (the daemon starting a
    container's process, or a test).  ``caps``: the capability bounding
    set (None: the parent's, or all of them).  Raises SimError if
    ``argv`` cannot be executed, before any task exists."""
    nsset = nsset or kernel.host_ns
    image = load_image(nsset.mnt, argv, env, cwd, uid)
    return create_task(kernel, parent=parent, image=image, nsset=nsset, env=env, cwd=cwd,
                       uid=uid, gid=gid, fds=fds, sig_actions=sig_actions, caps=caps,
                       cgroup=cgroup)


def _check_nproc(kernel, parent: Task, uid: int) -> None:
    """RLIMIT_NPROC (kernel/fork.c): a non-root uid that already has its
    soft limit's worth of tasks cannot fork (EAGAIN) unless it holds
    CAP_SYS_RESOURCE or CAP_SYS_ADMIN."""
    from ..abi import Cap, Errno
    from ..errors import SimError
    from ..proc.limits import RLIM_INFINITY

    limit = parent.rlimits.soft("nproc")
    if limit == RLIM_INFINITY or uid == 0:
        return
    if parent.capable(Cap.CAP_SYS_RESOURCE) or parent.capable(Cap.CAP_SYS_ADMIN):
        return
    count = sum(1 for t in kernel.root_pidns.tasks.values() if t.uid == uid and t.alive)
    if count >= limit:
        raise SimError(Errno.EAGAIN)
