"""The security create options through the API: moby's checks at create
(400 with its words), inspect's defaults, and the effect in the container."""

from dockersim.daemon.wire.stdcopy import demux

from .test_containers import run


async def _out(api, cmd, **hc):
    cid, result = await run(api, cmd, HostConfig=hc)
    out, err = demux(await (await api.get(f"/v1.50/containers/{cid}/logs?stdout=1&stderr=1")).read())
    return result["StatusCode"], out.decode(), err.decode()


async def _create(api, **hc):
    resp = await api.post("/v1.50/containers/create", json={"Image": "busybox", "Cmd": ["true"],
                                                             "HostConfig": hc})
    return resp.status, await resp.json()


async def test_create_refuses_with_mobys_words(api):
    assert await _create(api, CapAdd=["FOO"]) == (
        400, {"message": 'invalid CapAdd: unknown capability: "CAP_FOO"'})
    assert await _create(api, CapDrop=["cap_bar"]) == (
        400, {"message": 'invalid CapDrop: unknown capability: "CAP_BAR"'})
    assert await _create(api, OomScoreAdj=1001) == (
        400, {"message": "Invalid value 1001, range for oom score adj is [-1000, 1000]"})
    assert await _create(api, SecurityOpt=["foo=bar"]) == (
        400, {"message": 'invalid --security-opt 2: "foo=bar"'})
    assert await _create(api, SecurityOpt=["nonsense"]) == (
        400, {"message": 'invalid --security-opt 1: "nonsense"'})
    assert await _create(api, SecurityOpt=["no-new-privileges:maybe"]) == (
        400, {"message": 'invalid --security-opt 2: "no-new-privileges:maybe"'})


async def test_warnings_for_what_is_not_enforced(api):
    status, answer = await _create(api, SecurityOpt=["apparmor=docker-default", "seccomp=unconfined"])
    assert status == 201 and len(answer["Warnings"]) == 1 and "AppArmor" in answer["Warnings"][0]
    status, answer = await _create(api, SecurityOpt=['seccomp={"defaultAction":"SCMP_ACT_ALLOW"}'])
    assert "seccomp" in answer["Warnings"][0]
    # unconfined is what the simulation is: nothing to warn about
    status, answer = await _create(api, SecurityOpt=["apparmor=unconfined", "seccomp=unconfined"])
    assert status == 201 and answer["Warnings"] == []


async def test_inspect_shows_the_default_masked_and_readonly_paths(api):
    _, answer = await _create(api)
    hc = (await (await api.get(f"/v1.50/containers/{answer['Id']}/json")).json())["HostConfig"]
    assert hc["MaskedPaths"][0] == "/proc/asound" and "/proc/kcore" in hc["MaskedPaths"]
    assert hc["ReadonlyPaths"] == ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]
    _, answer = await _create(api, Privileged=True)
    hc = (await (await api.get(f"/v1.50/containers/{answer['Id']}/json")).json())["HostConfig"]
    assert hc.get("MaskedPaths") is None and hc.get("ReadonlyPaths") is None


async def test_caps_nnp_seccomp_in_status(api):
    code, out, _ = await _out(api, ["grep", "-E", "CapEff|NoNewPrivs|Seccomp:", "/proc/self/status"],
                              CapDrop=["ALL"], CapAdd=["NET_ADMIN"], SecurityOpt=["no-new-privileges"])
    assert out == "CapEff:\t0000000000001000\nNoNewPrivs:\t1\nSeccomp:\t2\n"
    code, out, _ = await _out(api, ["grep", "-E", "CapEff|Seccomp:", "/proc/self/status"], Privileged=True)
    assert out == "CapEff:\t000001ffffffffff\nSeccomp:\t0\n"


async def test_cap_drop_chown_fails_chown(api):
    code, _, err = await _out(api, ["chown", "1", "/tmp"], CapDrop=["chown"])
    assert (code, err) == (1, "chown: /tmp: Operation not permitted\n")


async def test_ulimit_group_add_and_oom_score(api):
    code, out, _ = await _out(api, ["sh", "-c", "ulimit -n; ulimit -Hn; id; cat /proc/self/oom_score_adj"],
                              Ulimits=[{"Name": "nofile", "Soft": 1024, "Hard": 2048}],
                              GroupAdd=["1234"], OomScoreAdj=-500)
    assert out == "1024\n2048\nuid=0(root) gid=0(root) groups=0(root),10(wheel),1234\n-500\n"


async def test_start_time_refusals_are_400(api):
    for hc, words in (
            ({"GroupAdd": ["nosuch"]}, "Unable to find group nosuch: no matching entries in group file"),
            ({"Devices": [{"PathOnHost": "/dev/nosuch", "PathInContainer": "/dev/nosuch",
                           "CgroupPermissions": "rwm"}]},
             'error gathering device information while adding custom device "/dev/nosuch": '
             "no such file or directory"),
            ({"DeviceCgroupRules": ["x 1:3 rwm"]}, "invalid device cgroup rule format: 'x 1:3 rwm'"),
            ({"DeviceRequests": [{"Count": -1, "Capabilities": [["gpu"]]}]},
             'could not select device driver "" with capabilities: [[gpu]]'),
            ({"Sysctls": {"kernel.printk": "1"}}, 'sysctl "kernel.printk" is not in a separate kernel namespace'),
            ({"Ulimits": [{"Name": "nofile", "Soft": 10, "Hard": 5}]}, "error setting rlimit type 7: invalid argument")):
        status, answer = await _create(api, **hc)
        assert status == 201, answer
        resp = await api.post(f"/v1.50/containers/{answer['Id']}/start")
        assert resp.status == 400, hc
        assert words in (await resp.json())["message"]


async def test_a_mapped_device(api):
    code, out, _ = await _out(api, ["sh", "-c", "ls -l /dev/mynull | cut -c1"],
                              Devices=[{"PathOnHost": "/dev/null", "PathInContainer": "/dev/mynull",
                                        "CgroupPermissions": "rwm"}])
    assert (code, out) == (0, "c\n")


async def test_narrowed_device_permissions_are_said(api):
    """No device cgroup: ``--device /dev/null:/dev/ro:r`` makes the node,
    and create says its permissions are not enforced."""
    status, answer = await _create(api, Devices=[{"PathOnHost": "/dev/null", "PathInContainer": "/dev/ro",
                                                  "CgroupPermissions": "r"}])
    assert status == 201
    assert answer["Warnings"] == ["The device cgroup permissions ['r'] are accepted but not enforced: "
                                  "dockersim simulates no device cgroup, so the devices are readable and "
                                  "writable"]
    status, answer = await _create(api, Devices=[{"PathOnHost": "/dev/null", "PathInContainer": "/dev/rw",
                                                  "CgroupPermissions": "rwm"}])
    assert answer["Warnings"] == []
