"""The endpoint table: 501 rows for the rest of the swagger, and the generated doc."""

from __future__ import annotations

from pathlib import Path

from dockersim.daemon import support
from dockersim.daemon.app import endpoint_table
from dockersim.daemon.routers import system

DOC = Path(__file__).resolve().parents[2] / "docs" / "api-support.md"


def test_every_spec_endpoint_is_in_the_table():
    keys = {e.key for e in endpoint_table(modules=[system])}
    for method, path, _ in support.SPEC_ENDPOINTS:
        assert (method, support.canonical_path(path)) in keys


def test_declared_rows_win_over_unsupported_ones():
    table = endpoint_table(modules=[system])
    ping = [e for e in table if e.key == ("GET", "/_ping")]
    assert len(ping) == 1 and ping[0].support is support.Support.SUPPORTED


def test_canonical_and_display_paths():
    assert support.canonical_path("/images/{name:.+}/push") == "/images/{}/push"
    assert support.display_path("/images/{name:.+}/push") == "/images/{name}/push"


def test_version_helpers():
    assert support.parse_version("1.50") == (1, 50)
    assert support.version_less("1.9", "1.24")
    assert not support.version_less("1.50", "1.50")


def test_committed_api_support_doc_is_up_to_date():
    expected = support.render_markdown(endpoint_table())
    assert DOC.exists(), "run: .venv/bin/python -m dockersim.daemon.support --write"
    assert DOC.read_text() == expected, "docs/api-support.md is stale; run: .venv/bin/python -m dockersim.daemon.support --write"
