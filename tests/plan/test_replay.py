"""Inference log and replay: byte for byte, from the log alone, a miss is a clear error."""

from __future__ import annotations

import json
import socket

import httpx2
import pytest

from simlab.errors import PlanError
from simlab.plan import (
    ClaudePlanner,
    InferenceLog,
    ReplayMissError,
    ReplayPlanner,
    redesign,
    request_hash,
)
from simlab.plan.inference_log import ReplayTransport
from tests.plan.dev_requests import dev_spec
from tests.plan.fake_api import FakeMessagesAPI, question_reply, spec_reply
from tests.plan.fake_judge import StiffnessJudge
from tests.plan.fixtures.record_session import (
    ROBERTSON_REQUEST,
    SESSION,
    WAVE_REQUEST,
    record,
    scripted_api,
)


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("replay tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(httpx2.HTTPTransport, "handle_request", refuse)
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)


def test_request_hash_is_canonical() -> None:
    a = {"model": "m", "messages": [{"role": "user", "content": "é"}], "max_tokens": 5}
    b = json.dumps(dict(reversed(list(a.items()))), indent=3, ensure_ascii=True)
    assert request_hash(a) == request_hash(b) == request_hash(b.encode())
    assert request_hash(a) != request_hash({**a, "max_tokens": 6})


def test_recorded_session_replays_without_network(no_network) -> None:
    """The committed fixture: two redesign rounds and a question, replayed from the log."""
    replay = ReplayPlanner(SESSION)
    assert replay.name == "replay:claude-sonnet-4-6"
    outcome = redesign(replay, StiffnessJudge(), ROBERTSON_REQUEST)
    assert outcome.status == "accepted" and len(outcome.rounds) == 2
    assert outcome.rounds[0].reasons[0].startswith("S3 stiffness")
    assert outcome.spec.spec.discretization.integrator == "radau"
    assert replay.draft(WAVE_REQUEST).missing == (
        "domain",
        "wave speed",
        "boundary conditions",
        "initial condition",
    )


def test_fixture_is_current(tmp_path) -> None:
    """Re-recording gives the same requests: the prompt and schema did not drift from the
    fixture (if this fails, run: python -m tests.plan.fixtures.record_session)."""
    fresh = record(tmp_path / "fresh.jsonl")
    old = [e.request_hash for e in InferenceLog(SESSION).entries()]
    new = [e.request_hash for e in InferenceLog(fresh).entries()]
    assert new == old


def test_replay_is_byte_for_byte(tmp_path, no_network) -> None:
    log = InferenceLog(tmp_path / "log.jsonl")
    api = scripted_api()
    # record with a live planner (fake API), then compare what replay hands the SDK
    live_planner = ClaudePlanner(api_key="test-key", transport=api.transport, log=log)
    live = redesign(live_planner, StiffnessJudge(), ROBERTSON_REQUEST)
    recorded = log.entries()
    seen: list[bytes] = []

    class Spy(ReplayTransport):
        def handle_request(self, request):
            response = super().handle_request(request)
            seen.append(response.content)
            return response

    replay = ReplayPlanner(log)
    replay._client._client._transport = Spy(log)  # observe the replayed bytes
    again = redesign(replay, StiffnessJudge(), ROBERTSON_REQUEST)
    assert seen == [e.response.encode() for e in recorded[:2]]
    assert [r.draft.raw for r in again.rounds] == [r.draft.raw for r in live.rounds]
    assert again.spec.text == live.spec.text


def test_missing_request_names_hash_and_log(tmp_path, no_network) -> None:
    replay = ReplayPlanner(SESSION)
    with pytest.raises(ReplayMissError) as info:
        replay.draft("a request nobody recorded")
    message = str(info.value)
    assert str(SESSION) in message and "never calls the API" in message
    assert any(len(w) == 64 and all(c in "0123456789abcdef" for c in w) for w in message.split())


def test_other_model_is_a_miss(no_network) -> None:
    with pytest.raises(ReplayMissError):
        ReplayPlanner(SESSION, model="claude-opus-4-7").draft(WAVE_REQUEST)


def test_tampered_response_is_detected(tmp_path, no_network) -> None:
    lines = SESSION.read_text().splitlines()
    entry = json.loads(lines[-1])
    entry["response"] = entry["response"].replace("wave speed", "wave sped")
    bad = tmp_path / "tampered.jsonl"
    bad.write_text(json.dumps(entry) + "\n")
    with pytest.raises(PlanError, match="altered"):
        ReplayPlanner(bad).draft(WAVE_REQUEST)


def test_log_errors(tmp_path) -> None:
    with pytest.raises(PlanError, match="no inference log"):
        ReplayPlanner(tmp_path / "missing.jsonl")
    corrupt = tmp_path / "corrupt.jsonl"
    corrupt.write_text("{not json}\n")
    with pytest.raises(PlanError, match="line 1"):
        InferenceLog.open(corrupt)
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    with pytest.raises(ReplayMissError, match="no planning exchange"):
        ReplayPlanner(empty)


def test_in_memory_log_and_save(tmp_path) -> None:
    api = FakeMessagesAPI(question_reply("Which?", ["domain"]), spec_reply(dev_spec("bratu_1d")))
    p = ClaudePlanner(api_key="test-key", transport=api.transport)
    p.draft("a")
    p.draft("b")
    assert p.log.path is None and len(p.log.entries()) == 2
    saved = p.log.save(tmp_path / "bundle" / "inference.jsonl")
    assert [e.request_hash for e in InferenceLog(saved).entries()] == [
        e.request_hash for e in p.log.entries()
    ]
    assert ReplayPlanner(saved).draft("b").spec.title == "Bratu problem in 1D"


def test_find_prefers_complete_successful_exchange(tmp_path) -> None:
    from simlab.plan.inference_log import Exchange

    log = InferenceLog()
    base = dict(request={"a": 1}, content_type="t", model="m", sdk="s", time="t", purpose="plan")
    h = request_hash({"a": 1})
    log.append(Exchange(h, response="ok", status=200, response_sha256="x", **base))
    log.append(Exchange(h, response="busy", status=529, response_sha256="y", **base))
    log.append(Exchange(h, response="cut", status=200, response_sha256="z", complete=False, **base))
    assert log.find(h).response == "ok"
    assert log.find("0" * 64) is None
