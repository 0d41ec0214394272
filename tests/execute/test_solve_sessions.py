"""Execute sessions from recorded cassettes, through the real anthropic SDK, without a key.

Each cassette (tests/execute/cassettes, written by make_cassettes.py from the seeded-bug
corpus) scripts the model's replies; simlab runs every round in the sandbox and certifies it
with the full pipeline. A buggy first round must be caught and its reasons sent back; the
corrected round must be certified; a model that never gets it right is refused. The bundle
then replays byte for byte from its inference log alone.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simlab.execute import ClaudeCoder, replay_bundle, run_session, write_session
from simlab.paths import SPECS_DIR
from simlab.sandbox import Sandbox, SandboxLimits
from simlab.spec.parse import parse_file
from tests.plan.fake_api import FakeMessagesAPI

CASSETTES = Path(__file__).with_name("cassettes")
pytestmark = pytest.mark.slow  # every round is a full certification (about 5-10 s each)
KEY = "test-key-0123456789"


def cassette(name: str) -> dict:
    return json.loads((CASSETTES / f"{name}.json").read_text())


@pytest.fixture(scope="module")
def box():
    with Sandbox(SandboxLimits(wall_seconds=60, cpu_seconds=120)) as sandbox:
        yield sandbox


_PLAYED: dict[str, tuple] = {}


def play(name: str, box: Sandbox):
    """The session of a cassette (played once per test module: certification is costly)."""
    if name not in _PLAYED:
        _PLAYED[name] = _play(name, box)
    return _PLAYED[name]


def _play(name: str, box: Sandbox):
    data = cassette(name)
    api = FakeMessagesAPI(*[json.dumps(r["reply"]) for r in data["rounds"]])
    coder = ClaudeCoder(api_key=KEY, transport=api.transport, retry_wait=0.0)
    spec = parse_file(SPECS_DIR / f"{data['spec']}.md")
    session = run_session(spec, coder, sandbox=box, max_rounds=len(data["rounds"]))
    return session, api


@pytest.mark.parametrize(
    ("name", "evidence"),
    [
        ("heat_explicit_unstable", "unstable"),
        ("heat_boundary_closure", "observed order"),
        ("robertson_unit_slip", "disagrees with the reference data"),
    ],
)
def test_a_buggy_first_round_is_caught_and_the_fix_is_certified(name, evidence, box):
    session, api = play(name, box)
    first, second = session.rounds
    assert first.status in ("FLAG", "REJECT")
    assert evidence in " ".join(first.certificate["reasons"])
    assert second.status == "PASS"
    assert session.certified
    # round 2 was asked with round 1's answer and the certificate's reasons
    messages = api.bodies()[1]["messages"]
    assert [m["role"] for m in messages] == ["user", "assistant", "user"]
    assert "round-1 solver: " + first.status in messages[2]["content"]
    assert first.certificate["reasons"][0] in messages[2]["content"]


def test_a_hard_coded_coefficient_is_caught_at_a_drawn_parameter_point(box):
    """kappa copied from the spec is right at the spec's own point: only the parameter points
    the certificate draws (kappa scaled) can refute it."""
    session, _ = play("heat_hardcoded_kappa", box)
    first, second = session.rounds
    assert first.status in ("FLAG", "REJECT"), first.certificate["reasons"]
    assert second.status == "PASS"


def test_a_hard_coded_end_time_is_caught(box):
    """The end time copied from the spec is right at the spec's own point: the drawn points
    move the time span (and the observation times with it), where it is refuted."""
    session, _ = play("robertson_hardcoded_end", box)
    first = session.rounds[0]
    assert first.status in ("FLAG", "REJECT")
    assert "drawn point" in " ".join(first.certificate["reasons"])


def test_a_model_that_never_gets_it_right_is_refused(box, tmp_path):
    session, api = play("heat_never_right", box)
    assert len(session.rounds) == 3 == len(api.requests)
    assert all(r.status in ("FLAG", "REJECT") for r in session.rounds)
    assert not session.certified
    assert session.outcome().startswith("refused")
    bundle = write_session(session, tmp_path)
    assert json.loads((bundle / "certificate.json").read_text())["status"] != "PASS"
    assert (bundle / "round-3-solver.py").read_text() == session.rounds[2].code


def test_the_bundle_replays_byte_for_byte_without_a_key(box, tmp_path, monkeypatch):
    session, _ = play("heat_explicit_unstable", box)
    bundle = write_session(session, tmp_path)
    names = {p.name for p in bundle.iterdir()}
    assert {"inference.jsonl", "spec.md", "session.json", "certificate.json"} <= names
    assert {"round-1-solver.py", "round-2-solver.py", "round-1-certificate.json"} <= names
    assert KEY not in "".join(p.read_text() for p in bundle.iterdir() if p.suffix != ".npz")
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    report = replay_bundle(bundle, sandbox=box)
    assert report.identical, report.differences
    assert len(report.compared) >= 8
    # a changed certificate would be noticed
    cert = bundle / "round-1-certificate.json"
    cert.write_text(cert.read_text().replace('"REJECT"', '"PASS"', 1))
    assert replay_bundle(bundle, sandbox=box).differences == ["round-1-certificate.json"]
