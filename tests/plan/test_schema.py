"""The reply schema: strict form, and it covers every dev spec through the typed model."""

from __future__ import annotations

import dataclasses
import json

import pytest
from anthropic.lib._parse._transform import transform_schema

from simlab.errors import PlanError
from simlab.plan.finalize import finish
from simlab.plan.schema import REPLY_SCHEMA, SPEC_SCHEMA, payload_from_spec, spec_from_payload
from simlab.spec import model, parse_file
from tests.conftest import DEV_SPECS

SECTIONS = (
    "title",
    "description",
    "domain",
    "equations",
    "boundary",
    "initial",
    "observables",
    "tolerance",
    "discretization",
)


def test_schema_is_already_in_the_sdk_strict_form() -> None:
    assert transform_schema(REPLY_SCHEMA) == REPLY_SCHEMA


def _objects(schema):
    if isinstance(schema, dict):
        if schema.get("type") == "object":
            yield schema
        for value in schema.values():
            yield from _objects(value)
    elif isinstance(schema, list):
        for value in schema:
            yield from _objects(value)


def test_every_object_is_closed_and_fully_required() -> None:
    for obj in _objects(REPLY_SCHEMA):
        assert obj["additionalProperties"] is False
        assert set(obj["required"]) == set(obj["properties"])


@pytest.mark.parametrize("path", DEV_SPECS, ids=lambda p: p.stem)
def test_dev_specs_round_trip_through_the_schema(path) -> None:
    spec = parse_file(path)
    payload = json.loads(json.dumps(payload_from_spec(spec)))
    back = finish(spec_from_payload(payload), planner="t").spec
    for name in SECTIONS:
        assert getattr(back, name) == getattr(spec, name), name


def test_schema_covers_the_model() -> None:
    """A field added to the model must be added to the schema (or listed here as not planned)."""
    not_planned = {"extra", "source", "lines", "extensions", "free_text", "resolution", "dt"}
    covered = {
        model.Spec: set(SPEC_SCHEMA["properties"]),
        model.Domain: set(SPEC_SCHEMA["properties"]["domain"]["properties"]),
        model.Equations: set(SPEC_SCHEMA["properties"]["equations"]["properties"]),
        model.Tolerance: set(SPEC_SCHEMA["properties"]["tolerance"]["properties"]),
    }
    for cls, props in covered.items():
        fields = {f.name for f in dataclasses.fields(cls)} - not_planned
        assert fields <= props, (cls.__name__, fields - props)


def test_bad_shapes_are_plan_errors() -> None:
    with pytest.raises(PlanError):
        spec_from_payload([])
    payload = payload_from_spec(parse_file(DEV_SPECS[0]))
    payload["domain"]["time"] = [{"lower": 0, "upper": 1, "unit": ""}] * 2
    with pytest.raises(PlanError, match="at most one"):
        spec_from_payload(payload)
    payload["domain"]["time"] = payload["domain"]["time"][:1]
    del payload["tolerance"]
    with pytest.raises(PlanError, match="does not follow the schema"):
        spec_from_payload(payload)
