"""``docker save``, ``docker load`` and ``docker import`` over the API
(``GET /images/get``, ``POST /images/load``, ``POST /images/create`` with
``fromSrc``): statuses, messages and the platform parameters."""

from __future__ import annotations

import json

import pytest

from dockersim.daemon.backend.engine import Engine
from dockersim.sim.images import reference as refmod
from dockersim.sim.images.image_store import canonical_json


@pytest.fixture
async def engine_client(make_api_client):
    engine = Engine(None, seed=7)
    client = await make_api_client(engine)
    yield engine, client
    await engine.close()


def messages(body: bytes) -> list:
    return [json.loads(line) for line in body.split(b"\r\n") if line.strip()]


async def test_saving_an_image_without_layers_is_a_500(engine_client):
    engine, client = engine_client
    doc = {"architecture": "amd64", "os": "linux", "created": "2024-05-01T10:00:00Z",
           "config": {}, "rootfs": {"type": "layers", "diff_ids": []}}
    img = engine.images.create(canonical_json(doc))
    engine.images.tag(img.id, refmod.parse("empty:latest"))
    resp = await client.get("/v1.50/images/empty/get")
    assert resp.status == 500
    assert (await resp.json()) == {"message": "empty export - not implemented"}
