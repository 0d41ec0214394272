"""Counting: silent, caught and false positives from case outcomes (no solver runs)."""

from __future__ import annotations

from simlab.bench.case import CaseResult, ModeResult
from simlab.bench.summary import summarize


def mode(accepted: bool, wrong: bool, caught_by: tuple[str, ...] = ()) -> ModeResult:
    return ModeResult(accepted, wrong, caught_by=list(caught_by)).settle()


def case(variant: str, point: str, *, base: bool, pipe: bool, wrong: bool, peer=None, evidence=()):
    return CaseResult(
        problem="p",
        variant=variant,
        kind="correct" if variant == "correct" else "sign error",
        point=point,
        baseline=mode(base, wrong),
        pipeline=mode(pipe, wrong, evidence),
        physverify=None if peer is None else mode(peer, wrong),
        truths={},
        status="PASS" if pipe else "FLAG",
        seconds=0.1,
        module_wrong=wrong,
    )


def test_counts_follow_the_definitions():
    cases = [
        case("correct", "a", base=True, pipe=True, wrong=False, peer=True),
        case("correct", "b", base=True, pipe=False, wrong=False, peer=False),  # false positive
        case("bug_x", "a", base=True, pipe=False, wrong=True, peer=False, evidence=("gate: g",)),
        case("bug_x", "b", base=True, pipe=True, wrong=True, peer=False),  # silent with Judge
        case("bug_y", "a", base=True, pipe=True, wrong=False, peer=True),  # benign module
        case("bug_z", "a", base=False, pipe=False, wrong=True, evidence=("audit: r",)),
    ]
    s = summarize(cases, 1.0, 0.0)
    assert s["variants"] == 2 and s["benign_modules"] == ["p/bug_y"]
    assert s["wrong_cases"] == 3
    assert s["silent_with_judge"] == 1 and s["silent_cases_with_judge"] == ["p/bug_x@b"]
    assert s["silent_without_judge"] == 2  # bug_z crashed loudly in the baseline
    assert s["false_positives"] == 1 and s["false_positive_rate"] == round(1 / 3, 4)
    assert s["first_evidence"] == {"gate": 1, "audit": 1}
    pv = s["physverify"]
    assert pv["applicable_wrong_cases"] == 2 and pv["caught"] == 2
    assert pv["false_positives"] == 1
