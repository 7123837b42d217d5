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


# -- containers on a booted host: capabilities, resolv.conf, hostname, SizeRw --------------

from dockersim.sim.abi import ALL_CAPS, DOCKER_DEFAULT_CAPS, Cap, cap_mask  # noqa: E402
from dockersim.sim.clock import ManualClock  # noqa: E402
from dockersim.sim.fs.memfs import Dir, File, tree_from_dict  # noqa: E402
from dockersim.sim.fs.tar import write_tree  # noqa: E402
from dockersim.sim.ids import IdSource  # noqa: E402
from dockersim.sim.runtime.host import boot_host  # noqa: E402
from dockersim.sim.runtime.sandbox import Runtime, container_resolv_conf  # noqa: E402

from .helpers import rootfs_spec  # noqa: E402


class _Layers:
    def __init__(self, tar):
        self._tar = tar

    def tar(self, diff_id):
        return self._tar


def _host():
    kernel, host = boot_host(ManualClock(), IdSource(seed=1))
    runtime = Runtime(_Layers(write_tree(tree_from_dict(rootfs_spec("busybox")))))
    return kernel, host, runtime


def _finish(kernel, rt):
    while rt.task.exit_status is None:
        kernel.run_until_idle()
        if rt.task.exit_status is None:
            kernel.clock.set(kernel.next_deadline())
    kernel.run_until_idle()
    err = rt.stderr.drain().decode() if rt.stderr is not None else ""
    return rt.task.exit_status.exit_code, rt.stdout.drain().decode(), err


def _run(kernel, host, runtime, argv, **kw):
    opts = dict(container_id="c" * 64, diff_ids=["sha256:x"], hostname="box", domainname="",
                env=[], workdir="", user="", tty=False, stdin=None)
    opts.update(kw)
    crt = runtime.start(kernel, host, argv=argv, **opts)
    return crt, _finish(kernel, crt)


def test_container_root_lacks_cap_sys_admin_and_cannot_set_the_hostname():
    kernel, host, runtime = _host()
    crt, (code, out, err) = _run(kernel, host, runtime, ["hostname", "foo"])
    assert (code, out, err) == (1, "", "hostname: sethostname: Operation not permitted\n")
    assert crt.nsset.uts.hostname == "box" and kernel.hostname == "dockersim"
    assert crt.task.caps == DOCKER_DEFAULT_CAPS and Cap.CAP_SYS_ADMIN not in crt.task.caps


def test_container_processes_show_dockers_default_capabilities():
    kernel, host, runtime = _host()
    assert cap_mask(DOCKER_DEFAULT_CAPS) == 0xA80425FB
    script = "grep Cap /proc/1/status; sh -c 'grep -h CapEff /proc/[0-9]*/status' | sort -u"
    crt, (code, out, _) = _run(kernel, host, runtime, ["sh", "-c", script])
    assert code == 0
    assert out.splitlines()[:5] == ["CapInh:\t0000000000000000", "CapPrm:\t00000000a80425fb",
                                    "CapEff:\t00000000a80425fb", "CapBnd:\t00000000a80425fb",
                                    "CapAmb:\t0000000000000000"]
    assert set(out.splitlines()[5:]) == {"CapEff:\t00000000a80425fb"}  # children keep them
    # A non-root user keeps the bounding set but has no effective capability.
    crt, (code, out, _) = _run(kernel, host, runtime, ["grep", "Cap[EB]", "/proc/1/status"],
                               user="1000")
    assert out == "CapEff:\t0000000000000000\nCapBnd:\t00000000a80425fb\n"


def test_docker_exec_gets_the_default_set_too():
    kernel, host, runtime = _host()
    crt = runtime.start(kernel, host, container_id="c" * 64, diff_ids=["sha256:x"], hostname="box",
                        domainname="", argv=["sleep", "100"], env=[], workdir="", user="",
                        tty=False, stdin=None)
    kernel.run_until_idle()
    prt = runtime.exec(kernel, crt, argv=["hostname", "bar"], env=[], workdir="", user="",
                       tty=False, stdin=None)
    code, out, err = _finish(kernel, prt)
    assert (code, err) == (1, "hostname: sethostname: Operation not permitted\n")
    assert prt.task.caps == DOCKER_DEFAULT_CAPS and crt.nsset.uts.hostname == "box"


def test_the_hosts_root_has_every_capability_and_sets_the_hosts_name():
    kernel, host, runtime = _host()
    assert host.init.caps == ALL_CAPS and host.dockerd.caps == ALL_CAPS
    prt = runtime.host_spawn(kernel, host, ["hostname", "newname"])
    assert _finish(kernel, prt)[0] == 0
    # One name: the host UTS namespace's, which Kernel.hostname reads.
    assert kernel.host_ns.uts.hostname == "newname" == kernel.hostname
    prt = runtime.host_spawn(kernel, host, ["sh", "-c", "echo $HOSTNAME; cat /proc/sys/kernel/hostname"])
    assert _finish(kernel, prt)[1] == "newname\nnewname\n"
    kernel.hostname = "other"
    assert kernel.host_ns.uts.hostname == "other"


def test_resolv_conf_is_the_hosts():
    kernel, host, runtime = _host()
    _, (_, out, _) = _run(kernel, host, runtime, ["cat", "/etc/resolv.conf"])
    assert out == "nameserver 10.0.2.3\n"  # the simulated host's own file
    kernel.host_vfs.write_bytes("/etc/resolv.conf", b"nameserver 127.0.0.53\noptions edns0 trust-ad\n"
                                                   b"search lan\n")
    _, (_, out, _) = _run(kernel, host, runtime, ["cat", "/etc/resolv.conf"])
    assert out == ("options edns0 trust-ad\nsearch lan\n"
                   "nameserver 8.8.8.8\nnameserver 8.8.4.4\n")


@pytest.mark.parametrize("host_conf, expected", [
    (b"nameserver 192.168.1.1\nnameserver 127.0.0.1\n", b"nameserver 192.168.1.1\n"),
    (b"# comment\nnameserver 127.1.2.3\nnameserver ::1\n",
     b"# comment\nnameserver 8.8.8.8\nnameserver 8.8.4.4\n"),
    (b"nameserver 2001:4860:4860::8888\nnameserver 1.1.1.1\n", b"nameserver 1.1.1.1\n"),
    (b"", b"nameserver 8.8.8.8\nnameserver 8.8.4.4\n"),
    (b"search example.com\nnameserver\t10.0.0.2  \n", b"search example.com\nnameserver\t10.0.0.2  \n"),
])
def test_resolv_conf_drops_localhost_nameservers(host_conf, expected):
    assert container_resolv_conf(host_conf) == expected


def test_upper_size_counts_a_hard_linked_file_once():
    data = File(b"x" * 1000)
    upper = Dir({"a": data, "b": data, "d": Dir({"c": File(b"yy")})})
    assert Runtime.upper_size(upper) == 1002
    assert Runtime.upper_size(None) == 0
