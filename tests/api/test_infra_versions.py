"""API-version prefixes and the standard headers on every response."""

from __future__ import annotations

import pytest

from dockersim.daemon.middleware import API_VERSION_KEY, api_version
from dockersim.daemon.routers import system
from dockersim.daemon.support import supported

TOO_NEW = "client version {v} is too new. Maximum supported API version is 1.50"
TOO_OLD = (
    "client version {v} is too old. Minimum supported API version is 1.24, "
    "please upgrade your client to a newer version"
)


@pytest.fixture
async def client(make_api_client, stub_backend):
    async def echo_version(request):
        from aiohttp import web

        return web.Response(text=api_version(request) + "|" + request[API_VERSION_KEY])

    extra = [supported("GET", "/test/version", echo_version)]
    return await make_api_client(stub_backend, modules=[system], extra_endpoints=extra)


@pytest.mark.parametrize(
    "prefix, status, message",
    [
        ("", 200, None),
        ("/v1.24", 200, None),
        ("/v1.41", 200, None),
        ("/v1.50", 200, None),
        ("/v1.51", 400, TOO_NEW.format(v="1.51")),
        ("/v2.0", 400, TOO_NEW.format(v="2.0")),
        ("/v1.12", 400, TOO_OLD.format(v="1.12")),
        ("/v1.23", 400, TOO_OLD.format(v="1.23")),
        ("/v1", 400, TOO_OLD.format(v="1")),
    ],
)
async def test_version_prefix_table(client, prefix, status, message):
    resp = await client.get(prefix + "/version")
    assert resp.status == status
    if message is None:
        assert (await resp.json())["ApiVersion"] == "1.50"
    else:
        assert resp.headers["Content-Type"] == "application/json"
        assert await resp.json() == {"message": message}


@pytest.mark.parametrize("prefix, expected", [("", "1.50"), ("/v1.24", "1.24"), ("/v1.45", "1.45")])
async def test_version_is_stored_on_request(client, prefix, expected):
    resp = await client.get(prefix + "/test/version")
    assert resp.status == 200
    assert await resp.text() == f"{expected}|{expected}"


async def test_malformed_version_prefix_is_400(client):
    resp = await client.get("/v1..2/_ping")
    assert resp.status == 400
    assert resp.headers["Content-Type"] == "application/json"


@pytest.mark.parametrize("path", ["/_ping", "/v1.50/version", "/v1.51/_ping", "/nosuch", "/containers/json"])
async def test_standard_headers_on_every_response(client, path):
    resp = await client.get(path)
    assert resp.headers["Api-Version"] == "1.50"
    assert resp.headers["Ostype"] == "linux"
    assert resp.headers["Server"] == "Docker/28.2.2 (linux)"
    assert resp.headers["Docker-Experimental"] == "false"
