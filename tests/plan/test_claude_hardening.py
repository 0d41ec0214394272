"""Claude planner hardening (issue 15 item 4): model choice, stream errors, bad bodies, units."""

from __future__ import annotations

import json

import httpx2
import pytest

from simlab.errors import PlanError
from simlab.plan import ClaudePlanner, InferenceLog, ReplayPlanner
from simlab.plan.claude import DEFAULT_MODEL, MODEL_ENV, StreamError
from simlab.plan.schema import payload_from_spec, spec_from_payload
from tests.plan.dev_requests import dev_spec
from tests.plan.fake_api import FakeMessagesAPI, spec_reply, sse_body

KEY = "test-key-0123456789"


def planner(api: FakeMessagesAPI, **kwargs) -> ClaudePlanner:
    return ClaudePlanner(api_key=KEY, transport=api.transport, retry_wait=0.0, **kwargs)


def error_midstream(kind: str, message: str) -> httpx2.Response:
    """A 200 stream that starts a message, then sends an error event (as the API does)."""
    head = sse_body("{", stop_reason="end_turn").split(b"event: content_block_stop")[0]
    error = {"type": "error", "error": {"type": kind, "message": message}}
    body = head + f"event: error\ndata: {json.dumps(error)}\n\n".encode()
    return httpx2.Response(200, headers={"content-type": "text/event-stream"}, content=body)


# ---------------------------------------------------------------- the model


def test_model_comes_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("SIMLAB_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv(MODEL_ENV, "claude-opus-4-1")
    api = FakeMessagesAPI(spec_reply(dev_spec("heat_1d")))
    p = planner(api)
    p.draft("heat")
    assert p.model == "claude-opus-4-1"
    assert api.bodies()[0]["model"] == "claude-opus-4-1"


def test_model_comes_from_the_config_file(monkeypatch, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[claude]\nmodel = "claude-haiku-4-5"\n')
    monkeypatch.setenv("SIMLAB_CONFIG", str(config))
    monkeypatch.delenv(MODEL_ENV, raising=False)
    assert planner(FakeMessagesAPI()).model == "claude-haiku-4-5"
    monkeypatch.setenv(MODEL_ENV, "claude-opus-4-1")  # the environment wins
    assert planner(FakeMessagesAPI()).model == "claude-opus-4-1"
    assert planner(FakeMessagesAPI(), model="claude-x").model == "claude-x"  # the argument too


def test_without_either_the_built_in_default(monkeypatch, tmp_path):
    monkeypatch.setenv("SIMLAB_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.delenv(MODEL_ENV, raising=False)
    assert planner(FakeMessagesAPI()).model == DEFAULT_MODEL


def test_a_key_in_the_config_file_is_refused(monkeypatch, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[claude]\napi_key = "sk-ant-xyz"\n')
    monkeypatch.setenv("SIMLAB_CONFIG", str(config))
    monkeypatch.delenv(MODEL_ENV, raising=False)
    with pytest.raises(PlanError, match="secrets never go in a file"):
        planner(FakeMessagesAPI())


def test_a_broken_config_names_file_and_line(monkeypatch, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[claude]\nmodel = "unterminated\n')
    monkeypatch.setenv("SIMLAB_CONFIG", str(config))
    monkeypatch.delenv(MODEL_ENV, raising=False)
    with pytest.raises(PlanError) as info:
        planner(FakeMessagesAPI())
    assert info.value.file == str(config) and info.value.line == 2


# ---------------------------------------------------------------- stream errors


def test_an_overloaded_event_mid_stream_is_retried_and_then_succeeds():
    log = InferenceLog()
    api = FakeMessagesAPI(
        error_midstream("overloaded_error", "Overloaded"), spec_reply(dev_spec("heat_1d"))
    )
    draft = planner(api, log=log).draft("heat")
    assert draft.spec.title
    assert len(api.requests) == 2
    assert [e.status for e in log.entries()] == [200, 200]
    # the session replays from the log without a key, to the same draft
    replayed = ReplayPlanner(log).draft("heat")
    assert replayed.spec == draft.spec


def test_a_persistent_overload_says_what_it_means():
    api = FakeMessagesAPI(*[error_midstream("overloaded_error", "Overloaded")] * 3)
    with pytest.raises(StreamError) as info:
        planner(api).draft("heat")
    assert "overloaded" in info.value.message and "gave up after 3 attempts" in info.value.message
    assert "answered 200" not in str(info.value)
    assert len(api.requests) == 3


def test_an_invalid_request_event_is_not_retried():
    api = FakeMessagesAPI(error_midstream("invalid_request_error", "prompt is too long"))
    with pytest.raises(StreamError, match=r"rejected the request.*prompt is too long"):
        planner(api).draft("heat")
    assert len(api.requests) == 1


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/event-stream", b""),
        ("text/html", b"<html><body><h1>Welcome to the hotel wifi</h1></body></html>"),
        ("text/event-stream", b"<!DOCTYPE html><html>502 Bad Gateway</html>"),
    ],
)
def test_a_200_with_an_empty_or_html_body_is_a_plan_error_with_a_hint(content_type, body):
    api = FakeMessagesAPI(
        httpx2.Response(200, headers={"content-type": content_type}, content=body)
    )
    with pytest.raises(PlanError) as info:
        planner(api).draft("heat")
    assert "without a message" in info.value.message
    assert "proxy" in (info.value.hint or "")


# ---------------------------------------------------------------- values against units


def payload(**changes) -> dict:
    data = payload_from_spec(dev_spec("heat_1d"))
    for p in data["equations"]["parameters"]:
        if p["name"] in changes:
            p["value"] = changes[p["name"]]
    return data


def test_a_parameter_with_a_unit_must_be_a_number():
    with pytest.raises(PlanError, match="'kappa' = 'not-a-number' has the unit"):
        spec_from_payload(payload(kappa="not-a-number"))


def test_a_numeric_text_value_keeps_its_unit():
    spec = spec_from_payload(payload(kappa="2.5e-5"))
    kappa = next(p for p in spec.equations.parameters if p.name == "kappa")
    assert kappa.value == pytest.approx(2.5e-5) and kappa.unit


def test_an_unknown_unit_is_refused_with_a_suggestion():
    data = payload()
    data["equations"]["parameters"][0]["unit"] = "metres^2/sekond"
    with pytest.raises(PlanError, match="unknown unit"):
        spec_from_payload(data)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("domain", "coordinates", 0, "upper"), "one metre"),
        (("tolerance", "threshold"), "tight"),
        (("observables", 0, "unit"), "furlongz"),
    ],
)
def test_every_number_and_unit_field_is_checked(path, value):
    data = payload()
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(PlanError) as info:
        spec_from_payload(data)
    assert path[0] in info.value.message
