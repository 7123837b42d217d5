"""The container runtime: users, the init layer, runc's error words."""

import pytest

from dockersim.sim.abi import Errno
from dockersim.sim.errors import SimError
from dockersim.sim.runtime.sandbox import StartError, _exec_error, resolve_user

from .helpers import boot, boot_machine


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


# -- containers on a booted host: capabilities, hostname, SizeRw ---------------------------

from dockersim.sim.abi import ALL_CAPS, DOCKER_DEFAULT_CAPS, cap_mask  # noqa: E402
from dockersim.sim.clock import ManualClock  # noqa: E402
from dockersim.sim.fs.memfs import Dir, File, tree_from_dict  # noqa: E402
from dockersim.sim.fs.tar import write_tree  # noqa: E402
from dockersim.sim.ids import IdSource  # noqa: E402
from dockersim.sim.runtime.handle import WritableLayer  # noqa: E402
from dockersim.sim.runtime.machine import Machine  # noqa: E402
from dockersim.sim.runtime.spec import ContainerSpec, FileMount, ProcessSpec, RootSpec  # noqa: E402

from .helpers import rootfs_spec, run_to_exit  # noqa: E402


def _machine():
    return boot_machine()


def _spec(argv, user="", mounts=()):
    return ContainerSpec("c" * 64, ProcessSpec(argv, user=user), RootSpec(["sha256:x"]), "box",
                         mounts=mounts)


def _run(machine, argv, **kw):
    handle = machine.runtime.create(_spec(argv, **kw))
    return handle, run_to_exit(machine, handle)


def test_container_root_lacks_cap_sys_admin_and_cannot_set_the_hostname():
    machine = _machine()
    handle, (code, out, err) = _run(machine, ["hostname", "foo"])
    assert (code, out, err) == (1, "", "hostname: sethostname: Operation not permitted\n")
    assert handle.hostname == "box" and machine.hostname == "dockersim"


def test_container_processes_show_dockers_default_capabilities():
    machine = _machine()
    assert cap_mask(DOCKER_DEFAULT_CAPS) == 0xA80425FB
    script = "grep Cap /proc/1/status; sh -c 'grep -h CapEff /proc/[0-9]*/status' | sort -u"
    _, (code, out, _) = _run(machine, ["sh", "-c", script])
    assert code == 0
    assert out.splitlines()[:5] == ["CapInh:\t0000000000000000", "CapPrm:\t00000000a80425fb",
                                    "CapEff:\t00000000a80425fb", "CapBnd:\t00000000a80425fb",
                                    "CapAmb:\t0000000000000000"]
    assert set(out.splitlines()[5:]) == {"CapEff:\t00000000a80425fb"}  # children keep them
    # A non-root user keeps the bounding set but has no effective capability.
    _, (code, out, _) = _run(machine, ["grep", "Cap[EB]", "/proc/1/status"], user="1000")
    assert out == "CapEff:\t0000000000000000\nCapBnd:\t00000000a80425fb\n"


def test_docker_exec_gets_the_default_set_too():
    machine = _machine()
    handle = machine.runtime.create(_spec(["sleep", "100"]))
    machine.kernel.run_until_idle()
    proc = handle.exec(ProcessSpec(["sh", "-c", "grep CapEff /proc/$$/status; hostname bar"]))
    assert proc.pid in handle.pids()
    code, out, err = run_to_exit(machine, proc)
    assert (code, out, err) == (1, "CapEff:\t00000000a80425fb\n",
                                "hostname: sethostname: Operation not permitted\n")
    assert handle.hostname == "box" and proc.pid not in handle.pids()


def test_the_hosts_root_has_every_capability_and_sets_the_hosts_name():
    machine = _machine()
    assert machine.host.init.caps == ALL_CAPS and machine.host.dockerd.caps == ALL_CAPS
    proc = machine.runtime.host_exec(["hostname", "newname"])
    assert run_to_exit(machine, proc)[0] == 0
    # One name: the host UTS namespace's, which the machine reports.
    assert machine.kernel.host_ns.uts.hostname == "newname" == machine.hostname
    proc = machine.runtime.host_exec(["sh", "-c", "echo $HOSTNAME; cat /proc/sys/kernel/hostname"])
    assert run_to_exit(machine, proc)[1] == "newname\nnewname\n"


def test_file_mounts_are_the_specs_and_writes_stay_in_them():
    machine = _machine()
    mounts = (FileMount("/etc/resolv.conf", b"nameserver 10.9.9.9\n"),
              FileMount("/etc/hostname", b"box\n"))
    handle, (_, out, _) = _run(machine, ["sh", "-c", "cat /etc/resolv.conf /etc/hostname; "
                                                      "echo x >> /etc/hostname"], mounts=mounts)
    assert out == "nameserver 10.9.9.9\nbox\n"
    assert handle.rootfs.changes() == []  # the mounted file changed, not the image's


def test_signals_exits_and_pids_through_the_handle():
    machine = _machine()
    handle = machine.runtime.create(_spec(["sh", "-c", "sleep 100 & sleep 100"]))
    machine.kernel.run_until_idle()
    assert handle.running and len(handle.pids()) == 3
    seen = []
    handle.on_exit(seen.append)
    handle.signal(15)  # sh as PID 1 has no handler: ignored
    machine.kernel.run_until_idle()
    machine.collect()
    assert handle.running and seen == []
    handle.signal(9)
    machine.kernel.run_until_idle()
    machine.collect()
    assert seen == [137] and handle.exit_code == 137 and handle.stdout.closed


def test_the_writable_layer_outlives_the_run():
    machine = _machine()
    handle, (code, _, _) = _run(machine, ["sh", "-c", "echo hi > /new; rm /etc/passwd"])
    assert code == 0
    writable = handle.rootfs.writable
    assert ("A", "/new") in handle.rootfs.changes() and ("D", "/etc/passwd") in handle.rootfs.changes()
    again = WritableLayer.from_tar(writable.tar())
    rootfs = machine.runtime.rootfs(RootSpec(["sha256:x"], again))
    assert rootfs.changes() == handle.rootfs.changes() and rootfs.diff_tar() == writable.tar()
    spec = ContainerSpec("d" * 64, ProcessSpec(["cat", "/new"]), RootSpec(["sha256:x"], again), "b")
    assert run_to_exit(machine, machine.runtime.create(spec))[1] == "hi\n"


def test_a_root_without_the_init_layer_is_the_image_alone():
    """A build step's ADD/COPY root and ``COPY --from`` sources (moby's
    ``NewRWLayer`` with no init function): none of the init layer's
    files or mount points, and the image's own files where it has them."""
    machine = _machine()
    with_init = machine.runtime.rootfs(RootSpec(["sha256:x"]))
    without = machine.runtime.rootfs(RootSpec(["sha256:x"], init_layer=False))
    init_only = ["/.dockerenv", "/etc/hostname", "/etc/hosts", "/etc/resolv.conf", "/etc/mtab",
                 "/proc", "/sys", "/dev/pts", "/dev/shm"]
    image = {p for p in init_only if _image_has(machine, p)}
    for path in init_only:
        assert with_init.vfs.exists(path, follow=False)
        assert without.vfs.exists(path, follow=False) == (path in image)
    assert without.vfs.read_bytes("/etc/passwd") == with_init.vfs.read_bytes("/etc/passwd")
    assert without.changes() == [] and without.diff_tar() == with_init.diff_tar()


def _image_has(machine, path: str) -> bool:
    return machine.runtime.layer_tree("sha256:x").get(path) is not None


def test_upper_size_counts_a_hard_linked_file_once():
    data = File(b"x" * 1000)
    upper = Dir({"a": data, "b": data, "d": Dir({"c": File(b"yy")})})
    assert WritableLayer(upper).size == 1002
    assert WritableLayer().size == 0


def test_the_rootfs_copies_in_and_out_running_or_not():
    import io
    import tarfile

    machine = _machine()
    handle = machine.runtime.create(_spec(["sleep", "100"], mounts=(
        FileMount("/etc/hostname", b"box\n"),)))
    machine.kernel.run_until_idle()
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tf:
        info = tarfile.TarInfo("hello.txt")
        info.size, info.uid, info.mode = 3, 1000, 0o600
        tf.addfile(info, io.BytesIO(b"hi\n"))
    handle.rootfs.put_archive("/tmp", buf.getvalue(), no_overwrite_dir_non_dir=True)
    proc = handle.exec(ProcessSpec(["sh", "-c", "cat /tmp/hello.txt; stat -c %u:%a /tmp/hello.txt"]))
    assert run_to_exit(machine, proc)[1] == "hi\n1000:600\n"
    stat, data = handle.rootfs.get_archive("/etc/hostname")
    assert stat.name == "hostname" and stat.size == 4
    with tarfile.open(fileobj=io.BytesIO(data)) as tf:
        assert tf.extractfile("hostname").read() == b"box\n"  # the mount's file
    handle.signal(9)
    run_to_exit(machine, handle)
    # Stopped: the same writable layer, seen through a fresh root.
    rootfs = machine.runtime.rootfs(RootSpec(["sha256:x"], handle.rootfs.writable))
    assert rootfs.stat("/tmp/hello.txt").size == 3
    rootfs.mkdir_all("/app/src")
    assert ("A", "/app/src") in rootfs.changes()
    names = tarfile.open(fileobj=io.BytesIO(rootfs.export())).getnames()
    assert "tmp/hello.txt" in names and "app/src" in names
    assert rootfs.user_ids("user") == (1000, 1000) and rootfs.user_ids("0:5") == (0, 5)


def test_a_working_directory_runc_cannot_make_is_a_start_error_with_its_words():
    machine = _machine()
    for cwd in ("/etc/passwd/sub", "/etc/passwd"):
        spec = ContainerSpec("c" * 64, ProcessSpec(["pwd"], cwd=cwd), RootSpec(["sha256:x"]), "box")
        with pytest.raises(StartError) as caught:
            machine.runtime.create(spec)
        assert caught.value.detail == "mkdir /etc/passwd: not a directory"
        assert caught.value.message.endswith(
            "error during container init: mkdir /etc/passwd: not a directory: unknown")
    # Nothing was started for them: no shim, no process.
    assert [t.comm for t in machine.kernel.task_infos(machine.kernel.root_pidns)
            if "shim" in t.comm] == []
    spec = ContainerSpec("c" * 64, ProcessSpec(["pwd"], cwd="/srv/app/"), RootSpec(["sha256:x"]), "b")
    assert run_to_exit(machine, machine.runtime.create(spec))[1] == "/srv/app\n"


def test_an_exec_in_a_missing_working_directory_fails_as_runc_chdir_does():
    machine = _machine()
    handle = machine.runtime.create(_spec(["sleep", "100"]))
    machine.kernel.run_until_idle()
    with pytest.raises(StartError) as caught:
        handle.exec(ProcessSpec(["pwd"], cwd="/nosuch"))
    assert caught.value.exec_message == (
        "OCI runtime exec failed: exec failed: unable to start container process: "
        'chdir to cwd ("/nosuch") set in config.json failed: no such file or directory: unknown')
    with pytest.raises(StartError, match="set in config.json failed: not a directory"):
        handle.exec(ProcessSpec(["pwd"], cwd="/etc/passwd"))
    assert run_to_exit(machine, handle.exec(ProcessSpec(["pwd"], cwd="/tmp")))[1] == "/tmp\n"


def test_a_read_only_root_refuses_writes_after_runc_made_the_working_directory():
    machine = _machine()
    script = ("pwd; touch /x /tmp/x; echo hi > /dev/shm/ok && cat /dev/shm/ok; "
              "echo h >> /etc/hostname; grep ' / ' /proc/mounts")
    spec = ContainerSpec("c" * 64, ProcessSpec(["sh", "-c", script], cwd="/made/by/runc"),
                         RootSpec(["sha256:x"], readonly=True), "box",
                         mounts=(FileMount("/etc/hostname", b"box\n", readonly=True),))
    handle = machine.runtime.create(spec)
    code, out, err = run_to_exit(machine, handle)
    assert out.splitlines()[:2] == ["/made/by/runc", "hi"]
    assert out.splitlines()[2].startswith("overlay / overlay ro,")
    assert err == ("touch: /x: Read-only file system\ntouch: /tmp/x: Read-only file system\n"
                   "sh: can't create /etc/hostname: Read-only file system\n")
    assert handle.rootfs.changes() == [("A", "/made"), ("A", "/made/by"), ("A", "/made/by/runc")]
    # Stopped: still read-only for docker cp (moby's check reads the root mount).
    rootfs = machine.runtime.rootfs(RootSpec(["sha256:x"], handle.rootfs.writable, readonly=True))
    with pytest.raises(Exception, match="container rootfs is marked read-only"):
        rootfs.put_archive("/tmp", b"", no_overwrite_dir_non_dir=True)


def test_the_layer_tree_cache_follows_the_layer_store():
    from dockersim.sim.images.layer_store import LayerStore
    from dockersim.sim.store import MemoryStore

    layers = LayerStore(MemoryStore())
    seen = []
    layers.on_delete.append(lambda layer: seen.append(layer.chain_id))
    base = layers.register(write_tree(tree_from_dict(rootfs_spec("busybox"))))
    top = layers.register(write_tree(tree_from_dict({"/hello": b"hi\n"})), base.chain_id)
    machine = Machine.boot(ManualClock(), IdSource(seed=1), layers)
    spec = ContainerSpec("c" * 64, ProcessSpec(["cat", "/hello"]),
                         RootSpec([base.diff_id, top.diff_id]), "box")
    assert run_to_exit(machine, machine.runtime.create(spec))[1] == "hi\n"
    assert machine.runtime.cached_layers == sorted([base.diff_id, top.diff_id])
    layers.release(top.chain_id)  # top goes; base keeps the reference register gave
    assert seen == [top.chain_id] and machine.runtime.cached_layers == [base.diff_id]
    layers.release(base.chain_id)
    assert seen == [top.chain_id, base.chain_id] and machine.runtime.cached_layers == []


def test_file_mounts_are_read_back_and_mounted_again_for_a_stopped_root():
    machine = _machine()
    mounts = (FileMount("/etc/hosts", b"127.0.0.1\tlocalhost\n"),)
    handle, _ = _run(machine, ["sh", "-c", "echo 10.0.0.9 db >> /etc/hosts"], mounts=mounts)
    last = handle.rootfs.file_mounts()
    assert last == (FileMount("/etc/hosts", b"127.0.0.1\tlocalhost\n10.0.0.9 db\n"),)
    rootfs = machine.runtime.rootfs(RootSpec(["sha256:x"], handle.rootfs.writable), last)
    assert rootfs.stat("/etc/hosts").size == len(last[0].content)
    assert rootfs.changes() == []


def test_a_host_command_that_cannot_run_is_a_start_error():
    machine = _machine()
    with pytest.raises(StartError) as caught:
        machine.runtime.host_exec(["nosuch"])
    assert (caught.value.detail, caught.value.exit_code) == ("nosuch: No such file or directory", 127)
    with pytest.raises(StartError) as caught:
        machine.runtime.host_exec(["/etc/hostname"])
    assert (caught.value.detail, caught.value.exit_code) == ("/etc/hostname: Permission denied", 126)


def test_one_reading_of_passwd_and_group_for_the_runtime_and_docker_cp():
    """moby/sys/user's rules: lines trimmed, blank ones skipped, missing
    fields empty, bad numbers 0; /etc/group also skips comments."""
    from dockersim.sim.fs import archive
    from dockersim.sim.fs.vfs import Vfs

    view = Vfs(tree_from_dict({
        "/etc/passwd": b"root:x:0:0:root:/root:/bin/sh\n\n   app:x:1500:1600::/srv/app:/bin/sh  \n"
                       b"short:x:1234\nodd:x:abc:7:::\n",
        "/etc/group": b"root:x:0:\n#staff:x:50:\n  staff:x:60:app\n",
    }))
    for spec, ids in (("app", (1500, 1600)), ("short", (1234, 0)), ("odd", (0, 7)),
                      ("app:staff", (1500, 60)), ("1500", (1500, 1600)), ("short:61", (1234, 61))):
        creds = resolve_user(view, spec)
        assert (creds.uid, creds.gid) == ids == archive.container_user_ids(view, spec), spec
    assert resolve_user(view, "app").home == "/srv/app"
    with pytest.raises(StartError, match="unable to find group #staff: no matching entries in group file"):
        resolve_user(view, "app:#staff")
    with pytest.raises(archive.ArchiveError, match='failed to look up group "#staff" in container: '
                                                   "no matching entries in group file"):
        archive.container_user_ids(view, "app:#staff")
