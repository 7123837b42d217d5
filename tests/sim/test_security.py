"""Capabilities, supplementary groups, rlimits, no_new_privs, seccomp,
oom_score_adj, devices and sysctls of a container's processes, as runc
sets them from the spec and the kernel shows and enforces them."""

import pytest

from dockersim.sim.abi import ALL_CAPS, DOCKER_DEFAULT_CAPS, Cap, cap_mask
from dockersim.sim.proc import caps as capsets
from dockersim.sim.proc.limits import DOCKER_DEFAULTS, RLIM_INFINITY, proc_limits
from dockersim.sim.runtime.sandbox import SpecError, ValidationError
from dockersim.sim.runtime.spec import ContainerSpec, Device, ProcessSpec, RootSpec, Security

from .helpers import boot_machine, run_to_exit

GROUP = "root:x:0:\nwheel:x:10:root\nstaff:x:50:\n"


def _run(argv, security=Security(), files=None, **kw):
    machine = boot_machine(files={"/etc/group": GROUP, **(files or {})})
    spec = ContainerSpec("c" * 64, ProcessSpec(argv, user=kw.pop("user", "")), RootSpec(["sha256:x"]),
                         "box", security=security, **kw)
    handle = machine.runtime.create(spec)
    return run_to_exit(machine, handle)


def _status(text: str) -> dict:
    return dict(line.split(":\t", 1) for line in text.splitlines() if ":\t" in line)


# -- capabilities -------------------------------------------------------------
def test_tweak_follows_moby():
    assert capsets.tweak([], [], False) == DOCKER_DEFAULT_CAPS
    assert capsets.tweak([], [], True) == ALL_CAPS
    assert capsets.tweak(["sys_admin"], ["CAP_CHOWN"], False) == \
        (DOCKER_DEFAULT_CAPS - {Cap.CAP_CHOWN}) | {Cap.CAP_SYS_ADMIN}
    assert capsets.tweak(["NET_ADMIN"], ["ALL"], False) == {Cap.CAP_NET_ADMIN}
    assert capsets.tweak(["ALL"], ["MKNOD"], False) == ALL_CAPS - {Cap.CAP_MKNOD}
    with pytest.raises(ValueError, match='unknown capability: "CAP_FOO"'):
        capsets.normalize(["foo"])


def test_status_shows_the_default_sets_and_seccomp():
    code, out, _ = _run(["cat", "/proc/self/status"])
    st = _status(out)
    assert code == 0
    assert st["CapBnd"] == st["CapEff"] == st["CapPrm"] == "00000000a80425fb"
    assert st["CapInh"] == st["CapAmb"] == "0000000000000000"
    assert (st["NoNewPrivs"], st["Seccomp"], st["Seccomp_filters"]) == ("0", "2", "1")
    assert st["Groups"] == "0 10 "


def test_a_non_root_user_has_no_effective_caps_but_the_bounding_set():
    _, out, _ = _run(["cat", "/proc/self/status"], user="1000")
    st = _status(out)
    assert st["CapEff"] == "0000000000000000" and st["CapBnd"] == "00000000a80425fb"


def test_privileged_and_unconfined_and_nnp():
    sec = Security(caps=ALL_CAPS, seccomp=False, no_new_privs=True)
    _, out, _ = _run(["cat", "/proc/self/status"], security=sec)
    st = _status(out)
    assert st["CapEff"] == f"{cap_mask(ALL_CAPS):016x}"
    assert (st["NoNewPrivs"], st["Seccomp"], st["Seccomp_filters"]) == ("1", "0", "0")


def test_chown_needs_cap_chown():
    assert _run(["chown", "1", "/tmp"])[0] == 0
    code, _, err = _run(["chown", "1", "/tmp"], security=Security(caps=DOCKER_DEFAULT_CAPS - {Cap.CAP_CHOWN}))
    assert code == 1 and err == "chown: /tmp: Operation not permitted\n"


def test_hostname_needs_cap_sys_admin():
    code, _, err = _run(["hostname", "foo"])
    assert code == 1 and err == "hostname: sethostname: Operation not permitted\n"
    code, out, _ = _run(["sh", "-c", "hostname foo && hostname"],
                        security=Security(caps=DOCKER_DEFAULT_CAPS | {Cap.CAP_SYS_ADMIN}))
    assert (code, out) == (0, "foo\n")


def test_kill_of_another_users_task_needs_cap_kill():
    script = "sleep 100 & su=$!; kill $su && echo killed"
    # as root with CAP_KILL dropped, a task of uid 0 is its own: fine
    assert _run(["sh", "-c", script], security=Security(caps=DOCKER_DEFAULT_CAPS - {Cap.CAP_KILL}))[1] == "killed\n"


# -- groups ---------------------------------------------------------------------
def test_group_add_by_number_and_name():
    code, out, _ = _run(["id"], security=Security(group_add=("1234", "staff")))
    assert (code, out) == (0, "uid=0(root) gid=0(root) groups=0(root),10(wheel),1234,50(staff)\n")


def test_group_add_unknown_name_is_dockerds_error():
    with pytest.raises(SpecError) as info:
        _run(["id"], security=Security(group_add=("nosuch",)))
    assert info.value.message == "Unable to find group nosuch: no matching entries in group file"


# -- rlimits --------------------------------------------------------------------
def test_ulimit_in_ash_and_proc_limits():
    sec = Security(rlimits=(("nofile", 1024, 2048),))
    code, out, _ = _run(["sh", "-c", "ulimit -n; ulimit -Hn; ulimit -a | grep open"], security=sec)
    assert (code, out) == (0, "1024\n2048\nopen files                      (-n) 1024\n")
    _, out, _ = _run(["cat", "/proc/self/limits"], security=sec)
    assert "Max open files            1024                 2048                 files     \n" in out
    assert out.splitlines()[0] == "Limit                     Soft Limit           Hard Limit           Units     "


def test_default_limits_are_dockers():
    _, out, _ = _run(["sh", "-c", "ulimit -n; ulimit -u; ulimit -s"])
    assert out == "1048576\nunlimited\n8192\n"
    assert DOCKER_DEFAULTS.get("nofile") == (1048576, 1048576)
    assert "Max processes             unlimited" in proc_limits(DOCKER_DEFAULTS)


def test_nofile_is_enforced_emfile():
    sec = Security(rlimits=(("nofile", 5, 5),))
    code, out, err = _run(["sh", "-c", "cat /etc/group /etc/group > /dev/null 3</dev/null 4</dev/null && echo ok"],
                          security=sec)
    assert code == 1 and "Too many open files" in err, (code, out, err)


def test_raising_the_hard_limit_needs_cap_sys_resource():
    sec = Security(rlimits=(("nofile", 100, 200),))
    code, _, err = _run(["sh", "-c", "ulimit -n 300"], security=sec)
    assert code == 1 and "ulimit: error setting limit: Operation not permitted" in err
    assert _run(["sh", "-c", "ulimit -n 150; ulimit -n"], security=sec)[1] == "150\n"


def test_nproc_is_enforced_for_non_root():
    sec = Security(rlimits=(("nproc", 1, 1),))
    code, out, err = _run(["sh", "-c", "sleep 1 & echo forked"], security=sec, user="1000")
    assert "forked" not in out and err, (code, out, err)


def test_rlimit_constant():
    assert RLIM_INFINITY == 2 ** 64 - 1


# -- oom_score_adj, devices, sysctls ----------------------------------------------
def test_oom_score_adj_is_readable():
    assert _run(["cat", "/proc/self/oom_score_adj"], security=Security(oom_score_adj=500))[1] == "500\n"
    assert _run(["cat", "/proc/1/oom_score_adj"])[1] == "0\n"


def test_a_mapped_device_is_the_hosts_device():
    code, out, _ = _run(["sh", "-c", "ls -l /dev/mynull | cut -c1; echo hi > /dev/mynull; cat /dev/mynull | wc -c"],
                        devices=(Device("/dev/null", "/dev/mynull"),))
    assert (code, out.split()) == (0, ["c", "0"])


def test_a_missing_device_is_dockerds_error():
    with pytest.raises(SpecError) as info:
        _run(["true"], devices=(Device("/dev/nosuch", "/dev/nosuch"),))
    assert info.value.message == ('error gathering device information while adding custom device '
                                  '"/dev/nosuch": no such file or directory')


def test_sysctls_runc_validates_and_domainname_applies():
    with pytest.raises(ValidationError, match='sysctl "kernel.printk" is not in a separate kernel namespace'):
        _run(["true"], sysctls={"kernel.printk": "1"})
    with pytest.raises(ValidationError, match="not allowed in host network namespace"):
        _run(["true"], sysctls={"net.core.somaxconn": "1"}, host_network=True)
    machine = boot_machine()
    spec = ContainerSpec("d" * 64, ProcessSpec(["true"]), RootSpec(["sha256:x"]), "box",
                         sysctls={"kernel.domainname": "example.org"})
    handle = machine.runtime.create(spec)
    assert handle._nsset.uts.domainname == "example.org"
