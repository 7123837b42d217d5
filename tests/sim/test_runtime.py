"""The container runtime: users, the init layer, runc's error words."""

import pytest

from dockersim.sim.abi import Errno
from dockersim.sim.errors import SimError
from dockersim.sim.runtime.sandbox import StartError, _exec_error, resolve_user

from .helpers import boot


def vfs():
    kernel, nsset = boot()
    return nsset.mnt


@pytest.mark.parametrize("spec, expected", [
    ("", (0, 0, "/root")),
    ("root", (0, 0, "/root")),
    ("user", (1000, 1000, "/home/user")),
    ("1000", (1000, 1000, "/home/user")),
    ("1234", (1234, 0, "/")),  # a number need not be in /etc/passwd
    ("user:daemon", (1000, 1, "/home/user")),
    ("nobody:4321", (65534, 4321, "/home")),
])
def test_users_resolve_like_runc(spec, expected):
    creds = resolve_user(vfs(), spec)
    assert (creds.uid, creds.gid, creds.home) == expected


def test_unknown_user_and_group_are_start_errors():
    with pytest.raises(StartError, match="unable to find user ghost: no matching entries in passwd file"):
        resolve_user(vfs(), "ghost")
    with pytest.raises(StartError, match="unable to find group ghosts: no matching entries in group file"):
        resolve_user(vfs(), "root:ghosts")


def test_runc_wording_and_exit_codes():
    err = _exec_error(SimError(Errno.ENOENT, "nosuch"), "nosuch")
    assert err.detail == 'exec: "nosuch": executable file not found in $PATH' and err.exit_code == 127
    assert err.message.startswith("failed to create task for container: failed to create shim task: "
                                  "OCI runtime create failed: runc create failed: unable to start "
                                  "container process: error during container init: exec: ")
    assert err.message.endswith(": unknown")
    assert err.exec_message == ("OCI runtime exec failed: exec failed: unable to start container "
                                'process: exec: "nosuch": executable file not found in $PATH: unknown')
    err = _exec_error(SimError(Errno.ENOENT, "/bin/x"), "/bin/x")
    assert err.detail == 'exec: "/bin/x": stat /bin/x: no such file or directory'
    assert _exec_error(SimError(Errno.EACCES, "/etc"), "/etc").exit_code == 126
