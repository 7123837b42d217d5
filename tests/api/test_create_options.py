"""The create-options table (daemon/backend/options.py): every field of the
spec's ContainerConfig and HostConfig has one row, the doc is the table
rendered, and each row's sample is treated as the row says: a warned value
gets a Warnings entry (and a daemon log line), a refused one a 4xx with
dockerd's words."""

from __future__ import annotations

import importlib
import logging
from pathlib import Path

import pytest
import yaml

from dockersim.daemon.backend import options

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "tests" / "data" / "spec" / "engine-api-v1.50.yaml"
DOC = ROOT / "docs" / "create-options.md"


def _spec_fields(definitions: dict, name: str) -> list:
    node = definitions[name]
    out = []
    for part in node.get("allOf", [node]):
        if "$ref" in part:
            out += _spec_fields(definitions, part["$ref"].rsplit("/", 1)[-1])
        else:
            out += list(part.get("properties", {}))
    return out


def test_every_spec_field_has_exactly_one_row():
    definitions = yaml.safe_load(SPEC.read_text())["definitions"]
    wanted = {("Config", f) for f in _spec_fields(definitions, "ContainerConfig")}
    wanted |= {("HostConfig", f) for f in _spec_fields(definitions, "HostConfig")}
    have = [(o.section, o.field) for o in options.OPTIONS]
    assert len(have) == len(set(have))
    assert set(have) == wanted


def test_each_row_names_code_that_exists():
    for row in options.OPTIONS:
        importlib.import_module("dockersim." + row.where)


def test_rows_say_what_they_refuse_and_warn():
    for row in options.OPTIONS:
        if row.treatment is options.REFUSED:
            assert row.refuses, row.field
            assert row.sample is not None, row.field
        if row.treatment is options.WARNED:
            assert row.warn is not None or row.where == "daemon.backend.resources", row.field
            assert row.sample is not None, row.field


def test_committed_doc_is_up_to_date():
    hint = "run: .venv/bin/python -m dockersim.daemon.backend.options --write"
    assert DOC.exists(), hint
    assert DOC.read_text() == options.render_markdown(), hint


SAMPLED = [o for o in options.OPTIONS if o.sample is not None and o.treatment is not options.SIMULATED]


@pytest.mark.parametrize("row", SAMPLED, ids=[f"{o.section}.{o.field}" for o in SAMPLED])
async def test_sample_is_treated_as_the_row_says(api, row, caplog):
    body = {"Image": "busybox", "Cmd": ["true"]}
    for key, value in row.sample.items():
        if isinstance(value, dict):
            body.setdefault(key, {}).update(value)
        else:
            body[key] = value
    caplog.set_level(logging.WARNING, logger="dockersim.create")
    resp = await api.post("/v1.50/containers/create", json=body)
    answer = await resp.json()
    if row.treatment is options.WARNED:
        assert resp.status == 201, answer
        assert answer["Warnings"], answer
        assert any(answer["Warnings"][0] in r.getMessage() for r in caplog.records)
        return
    if resp.status == 201:  # dockerd refuses some values only at start
        resp = await api.post(f"/v1.50/containers/{answer['Id']}/start")
        answer = await resp.json()
    assert 400 <= resp.status < 500, answer
    assert answer["message"]


async def test_a_plain_create_warns_of_nothing(api, caplog):
    caplog.set_level(logging.WARNING, logger="dockersim.create")
    resp = await api.post("/v1.50/containers/create", json={"Image": "busybox", "Cmd": ["true"]})
    assert (await resp.json())["Warnings"] == []
    assert not [r for r in caplog.records if r.name == "dockersim.create"]
