"""Exec: turning a file into the program a task runs (execve(2)).

The simulation has no machine code.  An image's "binary" is a small marker
file naming a program registered in the program table
(`sim.programs.table`), and a program is an ``async def main(proc, argv)``.
Loading one is still the walk Linux's ``execve`` makes:

1. *resolve* the command (`resolve_command`): a name with a slash is a
   path; a bare name is looked up in each directory of ``$PATH`` in turn
   (what execvp(3) does in libc), skipping directories and, with EACCES in
   the end, files the caller may not execute;
2. *check* the file: it must exist (ENOENT), be no directory and carry an
   execute bit the caller may use (EACCES);
3. *read its head*: a ``#!`` line names an interpreter, and exec starts
   again with ``interpreter [arg] script args…`` (at most four levels:
   ELOOP); otherwise a marker names the program, and anything else cannot
   be run (ENOEXEC);
4. *start* it (`start_image`): the old coroutine is closed, a fresh one
   is created from the program's ``main``, and caught signals go back to
   their default action (a handler's code is gone); ignored ones stay
   ignored, as execve(2) specifies.

`load_image` does 1 to 3 without touching any task, so a failed exec
leaves the caller as it was and ``docker run`` of a missing command fails
before a process exists.
"""

import posixpath

from ..abi import O_RDONLY, Errno, S_ISDIR
from ..errors import SimError
from ..proc.task import ProgramImage, Task
from ..programs import table

DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def resolve_command(vfs, argv, env, cwd="/", uid=0) -> str:
    """Find the file ``argv[0]`` names: a path as given when it contains
    a slash, else the first match in ``$PATH`` (execvp(3)).  Raises
    ENOENT (not found), EACCES (not executable)."""
    name = argv[0] if argv else ""
    if not name:
        raise SimError(Errno.ENOENT, name)
    if "/" in name:
        return name
    denied = False
    for directory in (env.get("PATH", DEFAULT_PATH) or ".").split(":"):
        candidate = posixpath.join(directory or ".", name)
        try:
            st = vfs.stat(candidate, cwd=cwd)
        except SimError:
            continue
        if S_ISDIR(st.mode):
            continue
        if not executable(st, uid):
            denied = True
            continue
        return candidate
    raise SimError(Errno.EACCES if denied else Errno.ENOENT, name)


def executable(st, uid: int) -> bool:
    """May ``uid`` execute a file with stat ``st``?  Root needs some x bit;
    others the owner's, else the group's or others' bit."""
    if uid == 0:
        return bool(st.mode & 0o111)
    if st.uid == uid:
        return bool(st.mode & 0o100)
    return bool(st.mode & 0o001) or bool(st.mode & 0o010)


def load_image(vfs, argv, env, cwd="/", uid=0, _depth=0) -> ProgramImage:
    """What execve(2) would run for ``argv``: follows ``#!`` lines and
    marker files to a registered program."""
    argv = [str(a) for a in argv]
    path = resolve_command(vfs, argv, env, cwd, uid)
    st = vfs.stat(path, cwd=cwd)
    if S_ISDIR(st.mode) or not executable(st, uid):
        raise SimError(Errno.EACCES, path)
    if "noexec" in getattr(vfs.mount_of(path, cwd=cwd), "flags", ()):
        raise SimError(Errno.EACCES, path)
    head = vfs.open(path, O_RDONLY, cwd=cwd, uid=uid).read(512)
    if head.startswith(b"#!"):
        if _depth >= 4:
            raise SimError(Errno.ELOOP, path)
        line = head[2:].split(b"\n", 1)[0].decode(errors="replace").strip()
        interp, _, arg = line.partition(" ")
        if not interp:
            raise SimError(Errno.ENOEXEC, path)
        new_argv = [interp] + ([arg.strip()] if arg.strip() else []) + [path] + argv[1:]
        return load_image(vfs, new_argv, env, cwd, uid, _depth + 1)
    name = table.parse_marker(head)
    program = table.lookup(name) if name else None
    if program is None:
        raise SimError(Errno.ENOEXEC, path)
    absolute = path if path.startswith("/") else posixpath.normpath(posixpath.join(cwd, path))
    return ProgramImage(program, tuple(argv), absolute, posixpath.basename(path)[:15])


def start_image(kernel, task: Task, image: ProgramImage) -> None:
    """Make ``image`` the task's program (exec, or a new task's start).
    Caught signals revert to their default action; ignored ones stay
    ignored (execve(2))."""
    if task.coro is not None:
        try:
            task.coro.close()
        except RuntimeError:
            pass
    task.image = image
    task.sig_actions = {s: a for s, a in task.sig_actions.items() if a == "ignore"}
    from ..proc.syscalls import Proc  # the syscall facade needs the kernel types

    task.coro = image.program.main(Proc(kernel, task), list(image.argv))
    task.trap = None
    task.resume_value = None
    task.resume_exc = None
