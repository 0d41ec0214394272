"""Live events reach observers in order; the report and certificate serialise."""

from __future__ import annotations

import json

import pytest

from simlab.errors import JudgeError, SimlabError
from simlab.judge import (
    GATE_IDS,
    EventLog,
    GateFinished,
    GateStarted,
    JudgeDone,
    Status,
    judge,
)
from simlab.spec import parse
from tests.judge.builders import heat


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def on_gate_start(self, gate_id: str, index: int, total: int) -> None:
        self.calls.append(("start", gate_id, index, total))

    def on_gate_end(self, verdict) -> None:
        self.calls.append(("end", verdict.gate))

    def on_done(self, report) -> None:
        self.calls.append(("done", report.accepted))


def test_observers_hear_each_gate_start_and_end_in_order() -> None:
    rec, log = Recorder(), EventLog()
    report = judge(parse(heat()), observers=[rec, log])
    expected = []
    for i, g in enumerate(GATE_IDS):
        expected += [("start", g, i, 5), ("end", g)]
    assert rec.calls == [*expected, ("done", True)]
    kinds = [type(e) for e in log.events]
    assert kinds == [GateStarted, GateFinished] * 5 + [JudgeDone]
    assert log.events[-1].report is report
    assert [e.verdict.gate for e in log.events if isinstance(e, GateFinished)] == list(GATE_IDS)


def test_gates_collect_every_failure() -> None:
    text = heat(kappa="-0.5 m/s", ic="initial: none")
    report = judge(parse(text))
    failed = {v.gate for v in report.verdicts if v.status == Status.FAIL}
    assert {"dimensions", "bc_ic", "well_posedness"} <= failed
    cert = report.rejection_certificate()
    assert cert is not None and set(cert.conditions) == {"S1", "S2"}
    assert "S1" in str(cert) and "fix" in str(cert)


def test_report_to_dict_is_json_with_the_required_keys() -> None:
    report = judge(parse(heat(kappa="0.5 m/s")))
    data = json.loads(json.dumps(report.to_dict()))
    assert data["accepted"] is False
    assert data["rejection_certificate"]["conditions"] == ["S1"]
    for g in data["gates"]:
        assert {"gate", "status", "condition", "message"} <= set(g)
    assert data["classification"]["family"] == "parabolic"
    assert data["method"]["scheme"] == "crank_nicolson"


def test_accepted_report_has_no_certificate() -> None:
    report = judge(parse(heat()))
    assert report.accepted and report.rejection_certificate() is None
    assert all(v.elapsed_ms >= 0 for v in report.verdicts)


def test_judge_needs_a_spec() -> None:
    with pytest.raises(JudgeError) as err:
        judge("specs/dev/heat_1d.md")  # type: ignore[arg-type]
    assert isinstance(err.value, SimlabError) and "parse_file" in str(err.value)
