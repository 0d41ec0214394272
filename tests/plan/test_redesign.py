"""The redesign loop against a fake planner and a fake Judge."""

from __future__ import annotations

import dataclasses

import pytest

from simlab.plan import (
    ClarifyingQuestion,
    ModelOutputError,
    RejectionFeedback,
    reasons_from,
    redesign,
)
from simlab.plan.finalize import finish
from simlab.plan.offline import OfflinePlanner
from tests.plan.dev_requests import DEV_REQUESTS, dev_spec
from tests.plan.fake_judge import AlwaysReject, FakeReport, StiffnessJudge


class ScriptedPlanner:
    """Returns the scripted drafts in order and keeps the feedback it was given."""

    name = "scripted"

    def __init__(self, *drafts) -> None:
        self.drafts = list(drafts)
        self.feedback: list[RejectionFeedback | None] = []

    def draft(self, request, *, feedback=None):
        self.feedback.append(feedback)
        item = self.drafts.pop(0)
        if isinstance(item, Exception):
            raise item
        return item


def robertson(integrator: str):
    spec = dev_spec("robertson")
    spec = dataclasses.replace(
        spec, discretization=dataclasses.replace(spec.discretization, integrator=integrator)
    )
    return finish(spec, planner="scripted", raw=f"raw-{integrator}")


def test_accepted_in_the_first_round() -> None:
    outcome = redesign(ScriptedPlanner(robertson("radau")), StiffnessJudge(), "r")
    assert outcome.status == "accepted" and len(outcome.rounds) == 1
    assert outcome.spec.spec.discretization.integrator == "radau"


def test_reasons_go_back_to_the_planner() -> None:
    planner = ScriptedPlanner(robertson("rk4"), robertson("euler"), robertson("bdf"))
    outcome = redesign(planner, StiffnessJudge(), "r")
    assert outcome.status == "accepted" and len(outcome.rounds) == 3
    assert planner.feedback[0] is None
    second, third = planner.feedback[1:]
    assert second.round == 1 and second.source == "judge"
    assert second.previous_raw == "raw-rk4" and "rk4" in second.reasons[0]
    assert "fix: use an implicit integrator" in second.reasons[0]
    assert "euler" in third.reasons[0] and third.certificate["status"] == "REJECT"


def test_at_most_three_rounds_then_the_certificate() -> None:
    planner = ScriptedPlanner(*(robertson(i) for i in ("rk4", "euler", "ftcs", "radau")))
    outcome = redesign(planner, StiffnessJudge(), "r")
    assert outcome.status == "rejected" and len(outcome.rounds) == 3
    assert outcome.certificate["violations"][0]["condition"] == "S3 stiffness"
    assert "ftcs" in outcome.reasons[0]
    assert len(planner.drafts) == 1  # the fourth draft was never asked for


def test_max_rounds_is_configurable() -> None:
    outcome = redesign(ScriptedPlanner(robertson("rk4")), StiffnessJudge(), "r", max_rounds=1)
    assert outcome.status == "rejected" and len(outcome.rounds) == 1
    with pytest.raises(ValueError):
        redesign(ScriptedPlanner(), StiffnessJudge(), "r", max_rounds=0)


def test_a_question_ends_the_loop() -> None:
    q = ClarifyingQuestion("Which final time?", ("final time",), planner="scripted")
    judge = StiffnessJudge()
    outcome = redesign(ScriptedPlanner(robertson("rk4"), q), judge, "r")
    assert outcome.status == "question" and outcome.question is q
    assert len(judge.seen) == 1


def test_unchanged_draft_stops_early() -> None:
    judge = AlwaysReject()
    outcome = redesign(OfflinePlanner(), judge, DEV_REQUESTS["heat_1d"])
    assert outcome.status == "rejected" and judge.calls == 1
    assert [r.note for r in outcome.rounds] == ["", "unchanged after feedback"]
    assert outcome.reasons[0].startswith("S2 compatibility")


def test_invalid_output_then_valid() -> None:
    bad = ModelOutputError("not valid JSON", problems=("your answer was not JSON",), raw="{")
    planner = ScriptedPlanner(bad, robertson("radau"))
    outcome = redesign(planner, StiffnessJudge(), "r")
    assert outcome.status == "accepted"
    assert planner.feedback[1].source == "validator"
    assert planner.feedback[1].reasons == ("your answer was not JSON",)
    assert planner.feedback[1].previous_raw == "{"


def test_rejection_then_invalid_outputs_keep_the_certificate() -> None:
    bad = ModelOutputError("cut off", raw="{")
    outcome = redesign(ScriptedPlanner(robertson("rk4"), bad, bad), StiffnessJudge(), "r")
    assert outcome.status == "rejected" and outcome.certificate["status"] == "REJECT"


@pytest.mark.parametrize(
    ("certificate", "expected"),
    [
        (None, ()),
        ("one reason", ("one reason",)),
        (
            {"violations": [{"gate": "S1", "reason": "units", "hint": "write m"}]},
            ("S1: units (fix: write m)",),
        ),
        ([{"message": "only a message"}], ("only a message",)),
        (FakeReport(False, []), ("FakeReport(accepted=False, violations=[])",)),
    ],
)
def test_reasons_from(certificate, expected) -> None:
    if isinstance(certificate, FakeReport):
        assert reasons_from(certificate) == ()  # its 'violations' list is empty
        return
    assert reasons_from(certificate) == expected


def test_reasons_from_objects() -> None:
    @dataclasses.dataclass
    class Violation:
        condition: str
        message: str
        fix: str | None = None

    @dataclasses.dataclass
    class Certificate:
        violations: list

    cert = Certificate(
        [Violation("S2", "no condition on 'top'", "add one"), Violation("S1", "m vs s")]
    )
    assert reasons_from(cert) == ("S2: no condition on 'top' (fix: add one)", "S1: m vs s")
