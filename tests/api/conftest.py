"""Shared fixtures for the in-process API tests (pytest-aiohttp).

- ``stub_backend``: a ``StubBackend`` (system facet only) from ``daemon.server``.
- ``make_api_client(backend, modules=None, extra_endpoints=())``: an
  ``aiohttp_client`` for ``create_app(...)``; ``modules`` limits the routers
  (default: every router in ``ROUTER_MODULES``).  Like the real daemon (and
  unlike aiohttp's TestServer default), handlers are *not* cancelled when the
  client disconnects.
"""

from __future__ import annotations

import pytest

from dockersim.daemon.app import create_app
from dockersim.daemon.backend.engine import Engine
from dockersim.daemon.server import StubBackend


@pytest.fixture
def stub_backend(tmp_path):
    return StubBackend(tmp_path / "data", name="testhost", kernel_version="6.8.0-test", arch="arm64")


@pytest.fixture
def make_api_client(aiohttp_client):
    async def make(backend, *, modules=None, extra_endpoints=()):
        client = await aiohttp_client(create_app(backend, modules=modules, extra_endpoints=extra_endpoints))
        client.server.runner.server.handler_cancellation = False  # as web.AppRunner's default
        return client

    return make


@pytest.fixture
async def api(make_api_client):
    engine = Engine(None, seed=1)
    client = await make_api_client(engine)
    resp = await client.post("/v1.50/images/create?fromImage=docker.io%2Flibrary%2Fbusybox&tag=latest")
    assert resp.status == 200
    await resp.read()
    yield client
    await kill_running(engine)
    await engine.close()


async def kill_running(engine) -> None:
    """A test's containers go at once: the daemon's shutdown would give each
    (a ``sleep`` as PID 1, which ignores SIGTERM) its 2 s grace."""
    for container in list(engine.records):
        if container.state.running:
            await engine.stopper.kill_now(container)
