"""ClaudePlanner through the real anthropic SDK code path, with httpx2.MockTransport."""

from __future__ import annotations

import dataclasses
import json

import httpx2
import pytest

from simlab.errors import PlanError
from simlab.plan import (
    ClarifyingQuestion,
    ClaudePlanner,
    InferenceLog,
    InvalidDraftError,
    ModelOutputError,
    ModelRefusalError,
    SpecDraft,
    redesign,
)
from simlab.plan.prompts import SYSTEM_PROMPT
from simlab.plan.schema import REPLY_SCHEMA
from tests.plan.dev_requests import dev_spec
from tests.plan.fake_api import FakeMessagesAPI, question_reply, spec_reply
from tests.plan.fake_judge import StiffnessJudge

KEY = "test-key-0123456789"


def planner(api: FakeMessagesAPI, **kwargs) -> ClaudePlanner:
    return ClaudePlanner(api_key=KEY, transport=api.transport, **kwargs)


@pytest.mark.parametrize("key", ["heat_1d", "waveguide_te", "ct_shepp_logan", "seird"])
def test_spec_reply_becomes_a_validated_draft(key: str) -> None:
    dev = dev_spec(key)
    api = FakeMessagesAPI(spec_reply(dev))
    draft = planner(api).draft("some request")
    assert isinstance(draft, SpecDraft)
    assert draft.spec.equations == dev.equations and draft.spec.tolerance == dev.tolerance
    assert draft.planner == "claude:claude-sonnet-4-6"
    assert draft.raw == spec_reply(dev)


def test_request_asks_for_structured_output_and_streams() -> None:
    api = FakeMessagesAPI(question_reply("Which domain?", ["domain"]))
    planner(api, model="claude-opus-4-7", max_tokens=1234).draft("solve the wave equation")
    (body,) = api.bodies()
    assert body["model"] == "claude-opus-4-7" and body["max_tokens"] == 1234
    assert body["stream"] is True
    assert body["system"] == SYSTEM_PROMPT
    assert body["output_config"] == {"format": {"type": "json_schema", "schema": REPLY_SCHEMA}}
    assert body["messages"] == [{"role": "user", "content": "solve the wave equation"}]


def test_question_reply() -> None:
    api = FakeMessagesAPI(question_reply("Which length and wave speed?", ["domain", "wave speed"]))
    q = planner(api).draft("solve the wave equation")
    assert isinstance(q, ClarifyingQuestion)
    assert q.missing == ("domain", "wave speed") and "wave speed" in q.question


def test_reply_text_streams_to_the_chat_view() -> None:
    pieces: list[str] = []
    api = FakeMessagesAPI(
        spec_reply(dev_spec("heat_1d"), reply="A rod relaxing from a sine profile.")
    )
    planner(api, on_text=pieces.append).draft("heat in a rod")
    assert "".join(pieces) == "A rod relaxing from a sine profile."
    assert len(pieces) >= 1 and not any("{" in p for p in pieces)


def test_key_never_reaches_the_log_or_files(tmp_path) -> None:
    log_path = tmp_path / "bundle" / "inference.jsonl"
    api = FakeMessagesAPI(spec_reply(dev_spec("heat_1d")), question_reply("Which?", ["domain"]))
    p = planner(api, log=InferenceLog(log_path))
    draft = p.draft("heat in a rod")
    p.draft("solve the wave equation")
    out = tmp_path / "spec.md"
    out.write_text(draft.text)
    InferenceLog(log_path).save(tmp_path / "copy.jsonl")
    assert KEY in api.requests[0].headers.get("authorization", "") + api.requests[0].headers.get(
        "x-api-key", ""
    )
    for f in tmp_path.rglob("*"):
        if f.is_file():
            assert KEY not in f.read_text(), f
    assert KEY not in repr(p)
    entries = InferenceLog(log_path).entries()
    assert len(entries) == 2
    assert {e.model for e in entries} == {"claude-sonnet-4-6"}
    assert all(e.sdk.startswith("anthropic 2.") and e.time.endswith("+00:00") for e in entries)


def test_missing_key_is_a_clear_error(monkeypatch) -> None:
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    with pytest.raises(PlanError, match="ANTHROPIC_API_KEY"):
        ClaudePlanner(transport=FakeMessagesAPI().transport)


def test_key_is_read_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    api = FakeMessagesAPI(question_reply("Which?", ["domain"]))
    ClaudePlanner(transport=api.transport).draft("x")
    headers = api.requests[0].headers
    assert KEY in headers.get("authorization", "") + headers.get("x-api-key", "")


# ---------------------------------------------------------------- malformed output


def test_invalid_json_is_a_retryable_error() -> None:
    api = FakeMessagesAPI('{"reply": "oops", "kind": "spec", "spec": {"title": ')
    with pytest.raises(ModelOutputError, match="not valid JSON") as info:
        planner(api).draft("heat")
    assert info.value.retryable and info.value.raw.startswith('{"reply"')


def test_truncated_at_max_tokens() -> None:
    text = spec_reply(dev_spec("heat_1d"))[:500]
    api = FakeMessagesAPI((text, "max_tokens"))
    with pytest.raises(ModelOutputError, match="max_tokens=8192") as info:
        planner(api).draft("heat")
    assert info.value.retryable and "concisely" in info.value.problems[0]


def test_refusal_is_final() -> None:
    api = FakeMessagesAPI(("", "refusal"))
    with pytest.raises(ModelRefusalError, match="declined") as info:
        planner(api).draft("something harmful")
    assert not info.value.retryable


def test_spec_that_fails_validation_lists_its_problems() -> None:
    dev = dev_spec("heat_1d")
    broken = dataclasses.replace(
        dev, equations=dataclasses.replace(dev.equations, equations=dev.equations.equations[:0])
    )
    api = FakeMessagesAPI(spec_reply(broken))
    with pytest.raises(InvalidDraftError) as info:
        planner(api).draft("heat")
    assert info.value.retryable and info.value.problems
    assert any("Equations" in p for p in info.value.problems)


def test_spec_with_an_undeclared_symbol_is_not_machine_checkable() -> None:
    dev = dev_spec("heat_1d")
    payload = json.loads(spec_reply(dev))
    payload["spec"]["equations"]["equations"] = ["diff(u, t) = nu*diff(u, x, 2)"]
    api = FakeMessagesAPI(json.dumps(payload))
    with pytest.raises(InvalidDraftError, match=r"not machine-checkable|invalid"):
        planner(api).draft("heat")


def test_reply_not_following_the_schema() -> None:
    api = FakeMessagesAPI(
        '{"reply": "hi", "kind": "poem"}', '{"reply": "x", "kind": "spec", "spec": null}'
    )
    with pytest.raises(ModelOutputError, match="reply schema"):
        planner(api).draft("heat")
    with pytest.raises(ModelOutputError, match="no spec"):
        planner(api).draft("heat")


@pytest.mark.parametrize(
    ("status", "match"),
    [(401, "did not accept the key"), (500, "answered 500"), (400, "answered 400")],
)
def test_http_errors_are_plan_errors(status: int, match: str) -> None:
    body = {"type": "error", "error": {"type": "api_error", "message": "boom"}}
    api = FakeMessagesAPI(*[httpx2.Response(status, json=body)] * 3)
    with pytest.raises(PlanError, match=match):
        planner(api, max_retries=0).draft("heat")


def test_network_failure_is_a_plan_error() -> None:
    def fail(request: httpx2.Request) -> httpx2.Response:
        raise httpx2.ConnectError("no route")

    p = ClaudePlanner(api_key=KEY, transport=httpx2.MockTransport(fail), max_retries=0)
    with pytest.raises(PlanError, match="cannot reach the Anthropic API"):
        p.draft("heat")


def test_empty_request() -> None:
    with pytest.raises(PlanError, match="empty"):
        planner(FakeMessagesAPI()).draft("  ")


# ---------------------------------------------------------------- redesign with a model


def test_malformed_output_then_judge_rejection_then_acceptance() -> None:
    good = dev_spec("robertson")
    explicit = dataclasses.replace(
        good, discretization=dataclasses.replace(good.discretization, integrator="rk4")
    )
    api = FakeMessagesAPI("not json at all", spec_reply(explicit), spec_reply(good))
    outcome = redesign(planner(api), StiffnessJudge(), "Robertson kinetics ...")
    assert outcome.status == "accepted"
    assert [r.source for r in outcome.rounds] == ["validator", "judge", "judge"]
    assert [r.accepted for r in outcome.rounds] == [None, False, True]
    second, third = api.bodies()[1:]
    # round 2 sees its broken answer and why it was refused
    assert second["messages"][1] == {"role": "assistant", "content": "not json at all"}
    assert "not valid JSON" in second["messages"][2]["content"]
    # round 3 sees the Judge's reason and fix
    feedback = third["messages"][2]["content"]
    assert "S3 stiffness" in feedback and "radau or bdf" in feedback
    assert third["messages"][1]["content"] == spec_reply(explicit)


def test_refusal_is_not_retried() -> None:
    api = FakeMessagesAPI(("", "refusal"))
    with pytest.raises(ModelRefusalError):
        redesign(planner(api), StiffnessJudge(), "x")
    assert len(api.requests) == 1


def test_three_invalid_outputs_end_in_the_last_error() -> None:
    api = FakeMessagesAPI("{", "{", "{")
    with pytest.raises(ModelOutputError, match="not valid JSON"):
        redesign(planner(api), StiffnessJudge(), "x")
    assert len(api.requests) == 3
