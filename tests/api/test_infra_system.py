"""``/_ping``, ``/version`` and ``/info`` against a stub backend."""

from __future__ import annotations

import pytest

from dockersim.daemon.routers import system


@pytest.fixture
async def client(make_api_client, stub_backend):
    return await make_api_client(stub_backend, modules=[system])


PING_HEADERS = {
    "API-Version": "1.50",
    "OSType": "linux",
    "Docker-Experimental": "false",
    "Builder-Version": "1",
    "Swarm": "inactive",
    "Cache-Control": "no-cache, no-store, must-revalidate",
    "Pragma": "no-cache",
}


@pytest.mark.parametrize("prefix", ["", "/v1.50", "/v1.24"])
async def test_get_ping(client, prefix):
    resp = await client.get(prefix + "/_ping")
    assert resp.status == 200
    assert await resp.read() == b"OK"
    for name, value in PING_HEADERS.items():
        assert resp.headers[name] == value


@pytest.mark.parametrize("prefix", ["", "/v1.50"])
async def test_head_ping(client, prefix):
    resp = await client.head(prefix + "/_ping")
    assert resp.status == 200
    assert resp.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert resp.headers["Content-Length"] == "0"
    for name, value in PING_HEADERS.items():
        assert resp.headers[name] == value


@pytest.mark.parametrize("prefix", ["", "/v1.50"])
async def test_version(client, prefix):
    resp = await client.get(prefix + "/version")
    assert resp.status == 200
    assert resp.headers["Content-Type"] == "application/json"
    body = await resp.json()
    assert body["Version"] == "28.2.2"
    assert body["ApiVersion"] == "1.50"
    assert body["MinAPIVersion"] == "1.24"
    assert body["Os"] == "linux"
    assert body["Arch"] == "arm64"
    assert body["KernelVersion"] == "6.8.0-test"
    engine = body["Components"][0]
    assert engine["Name"] == "Engine" and engine["Version"] == "28.2.2"
    assert engine["Details"]["ApiVersion"] == "1.50"
    assert engine["Details"]["MinAPIVersion"] == "1.24"
    assert body["Platform"]["Name"]


async def test_info_counts_and_facts_come_from_backend(client, stub_backend):
    stub_backend.system_info = lambda: {  # type: ignore[method-assign]
        "Containers": 3, "ContainersRunning": 1, "ContainersPaused": 1, "ContainersStopped": 1, "Images": 7,
        "Name": "simhost", "ID": "abc", "KernelVersion": "6.1.0-sim", "OperatingSystem": "SimOS",
        "NCPU": 4, "MemTotal": 1234, "DockerRootDir": "/data",
    }
    resp = await client.get("/v1.50/info")
    assert resp.status == 200
    assert resp.headers["Content-Type"] == "application/json"
    info = await resp.json()
    for key, value in stub_backend.system_info().items():
        assert info[key] == value
    assert info["ServerVersion"] == "28.2.2"
    assert info["OSType"] == "linux"
    assert info["Architecture"] == "aarch64"
    assert info["Swarm"]["LocalNodeState"] == "inactive"
    assert isinstance(info["DriverStatus"], list) and all(len(p) == 2 for p in info["DriverStatus"])
    assert isinstance(info["SecurityOptions"], list)
    assert info["Warnings"] == []


def test_system_backend_protocol(stub_backend):
    from dockersim.daemon.backend.protocols import SystemBackend

    assert isinstance(stub_backend, SystemBackend)
