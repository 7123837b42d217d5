"""Error kinds -> status codes and ``{"message": ...}`` bodies (Content-Type exact)."""

from __future__ import annotations

import logging

import pytest
from aiohttp import web

from dockersim.daemon import errors
from dockersim.daemon.routers import system
from dockersim.daemon.support import supported


def raiser(exc):
    async def handler(request):
        raise exc

    return handler


KINDS = [
    (errors.NotFound("No such container: x"), 404),
    (errors.InvalidParameter("bad"), 400),
    (errors.Conflict("busy"), 409),
    (errors.Forbidden("no"), 403),
    (errors.Unauthorized("who"), 401),
    (errors.NotImplementedYet("later"), 501),
    (errors.Unavailable("down"), 503),
    (errors.SystemError("broken"), 500),
]


@pytest.fixture
async def client(make_api_client, stub_backend):
    extra = [supported("GET", f"/test/kind/{i}", raiser(exc)) for i, (exc, _) in enumerate(KINDS)]
    extra += [
        supported("GET", "/test/notmodified", raiser(errors.NotModified("already"))),
        supported("GET", "/test/bug", raiser(ZeroDivisionError("division by zero"))),
        supported("GET", "/test/builtin501", raiser(NotImplementedError("nope"))),
    ]
    return await make_api_client(stub_backend, modules=[system], extra_endpoints=extra)


@pytest.mark.parametrize("index", range(len(KINDS)))
async def test_kind_maps_to_status_and_json(client, index):
    exc, status = KINDS[index]
    assert errors.status_for(exc) == status
    resp = await client.get(f"/v1.50/test/kind/{index}")
    assert resp.status == status
    assert resp.headers["Content-Type"] == "application/json"
    assert await resp.json() == {"message": exc.message}


def test_status_for_other_exceptions():
    assert errors.status_for(NotImplementedError()) == 501
    assert errors.status_for(KeyError("x")) == 500
    assert errors.status_for(errors.NotModified("x")) == 304


def test_error_kinds_import_without_aiohttp():
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(errors))
    names = {a.name for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom)) for a in n.names}
    modules = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert not any("aiohttp" in (m or "") for m in names | modules)


async def test_not_modified_has_no_body(client):
    resp = await client.get("/test/notmodified")
    assert resp.status == 304
    assert await resp.read() == b""


async def test_unhandled_exception_is_logged_500_and_daemon_survives(client, caplog):
    with caplog.at_level(logging.ERROR, logger="dockersim.daemon"):
        resp = await client.get("/test/bug")
    assert resp.status == 500
    assert resp.headers["Content-Type"] == "application/json"
    assert await resp.json() == {"message": "division by zero"}
    assert any(r.exc_info and r.exc_info[0] is ZeroDivisionError for r in caplog.records)
    assert (await client.get("/_ping")).status == 200


async def test_builtin_not_implemented_is_501(client):
    resp = await client.get("/test/builtin501")
    assert resp.status == 501


@pytest.mark.parametrize("path", ["/nosuch", "/v1.50/nosuch", "/v1.50/containers/x/frobnicate"])
async def test_unknown_route_is_json_404(client, path):
    resp = await client.get(path)
    assert resp.status == 404
    assert resp.headers["Content-Type"] == "application/json"
    assert await resp.json() == {"message": "page not found"}


async def test_wrong_method_is_json_page_not_found(client):
    resp = await client.delete("/version")
    assert resp.status == 405
    assert resp.headers["Content-Type"] == "application/json"
    assert await resp.json() == {"message": "page not found"}


async def test_unsupported_endpoint_is_501(client):
    resp = await client.get("/v1.50/containers/abc/export")
    assert resp.status == 501
    assert resp.headers["Content-Type"] == "application/json"
    assert await resp.json() == {"message": "GET /containers/{id}/export is not implemented by dockersim yet"}


@pytest.mark.parametrize(
    "path, message",
    [
        ("/v1.50/networks/foo", "network foo not found"),
        ("/v1.50/volumes/foo", "get foo: no such volume"),
        ("/v1.50/plugins/foo/json", 'plugin "foo" not found'),
    ],
)
async def test_inspect_fallbacks_answer_404(client, path, message):
    resp = await client.get(path)
    assert resp.status == 404
    assert await resp.json() == {"message": message}


async def test_request_too_large_is_json(make_api_client, stub_backend):
    from dockersim.daemon.app import create_app

    async def read_body(request):
        await request.read()
        return web.Response(status=204)

    app = create_app(stub_backend, modules=[system], extra_endpoints=[supported("POST", "/test/body", read_body)],
                     client_max_size=10)
    from aiohttp.test_utils import TestClient, TestServer

    async with TestClient(TestServer(app)) as client:
        resp = await client.post("/test/body", data=b"x" * 100)
        assert resp.status == 413
        assert resp.headers["Content-Type"] == "application/json"
        assert "message" in await resp.json()
