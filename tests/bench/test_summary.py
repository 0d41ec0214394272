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


def test_corpora_are_counted_apart_and_together():
    from dataclasses import replace

    from simlab.bench.summary import summarize_corpora

    first = [
        case("correct", "a", base=True, pipe=True, wrong=False),
        case("bug_x", "a", base=True, pipe=False, wrong=True, evidence=("gate: g",)),
    ]
    second = [
        replace(case("correct_loops", "a", base=True, pipe=True, wrong=False), corpus="indep"),
        replace(case("bug_x", "a", base=True, pipe=True, wrong=True), corpus="indep"),  # silent
    ]
    s = summarize_corpora(first + second, 1.0, 0.0)
    assert s["corpora"] == ["indep", "seeded"]
    assert s["variants"] == 2  # the same module name in two corpora is two modules
    assert s["correct_modules"] == 2 and s["correct_module_cases"] == 2
    assert s["silent_with_judge"] == 1
    assert s["silent_cases_with_judge"] == ["indep:p/bug_x@a"]
    assert s["per_corpus"]["seeded"]["silent_with_judge"] == 0
    assert s["per_corpus"]["indep"]["silent_with_judge"] == 1
    assert s["per_corpus"]["indep"]["silent_details"][0]["case"] == "indep:p/bug_x@a"
    assert s["caught_cases"] == {"p/bug_x@a": ["gate: g"]}


def test_evidence_per_pass_counts_independent_kinds_and_names_bare_passes():
    from simlab.bench.summary import evidence_per_pass

    confirmed = case("correct", "a", base=True, pipe=True, wrong=False)
    confirmed.pipeline.evidence = {"u": ["reference", "mms"], "v": ["cross_solve"]}
    bare = case("correct", "b", base=True, pipe=True, wrong=False)
    bare.pipeline.evidence = {"u": []}
    flagged = case("bug_x", "a", base=True, pipe=False, wrong=True)
    e = evidence_per_pass([confirmed, bare, flagged])
    assert e["passes"] == 2 and e["observables"] == 3
    assert e["min"] == 0 and e["mean"] == 1.0
    assert e["histogram"] == {"0": 1, "1": 1, "2": 1}
    assert e["by_kind"] == {"reference": 1, "mms": 1, "cross_solve": 1}
    assert e["without_independent_evidence"] == ["p/correct@b"]


def test_evidence_is_read_from_the_certificate_entries():
    from simlab.bench.case import confirming_evidence

    class Cert:
        def __init__(self, observables, audit=()):
            self.data = {"observables": observables, "audit": list(audit)}

        def to_dict(self):
            return self.data

    new = Cert(
        [
            {
                "name": "u",
                "evidence": [
                    {"kind": "reference", "status": "confirms"},
                    {"kind": "conservation", "status": "supports"},
                    {"kind": "mms", "status": "not applicable"},
                    {"kind": "cross_solve", "status": "confirms"},
                ],
            }
        ]
    )
    assert confirming_evidence(new) == {"u": ["cross_solve", "reference"]}
    # a certificate from before evidence entries: its reference and passed audits
    old = Cert(
        [{"name": "u", "reference_kind": "analytic", "status": "PASS"}],
        [{"name": "conservation", "passed": True}, {"name": "trajectory", "passed": False}],
    )
    assert confirming_evidence(old) == {"u": ["conservation", "reference: analytic"]}


def test_report_tables_show_each_corpus_each_point_and_each_silent_case():
    from dataclasses import replace

    from simlab.bench.report import corpora_table, point_table, silent_table
    from simlab.bench.summary import summarize_corpora

    silent = replace(case("bug_x", "b", base=True, pipe=True, wrong=True), corpus="indep")
    silent.pipeline.values = {"u": 1.5}
    silent.truths = {"u": {"kind": "computed", "value": 1.0, "allowed": 0.01}}
    silent.pipeline.evidence = {"u": []}
    cases = [case("correct", "a", base=True, pipe=True, wrong=False), silent]
    s = summarize_corpora(cases, 1.0, 0.0)
    table = corpora_table(s)
    assert "| indep | 1 (0) | 1 | 1 | 1 |" in table and "| **total** |" in table
    assert "| p | b | 1 | 1 | 1 | 0/0 |" in point_table(s)
    assert "indep:p/bug_x@b | sign error | u 1.5 vs 1 | u: convergence study only" in (
        silent_table(s)
    )


def test_certificate_reasons_name_the_evidence_kind_that_caught():
    from simlab.bench.case import _classify

    assert _classify("front_speed: cross_solve refutes the answer: 1.98 vs 1.97") == (
        "evidence: cross_solve"
    )
    assert _classify("u: mms fails: the solver ignores the manufactured source") == "evidence: mms"
    assert _classify("peak_time: unverified limit: only the convergence study") == (
        "evidence: unverified limit"
    )
    assert _classify("y1_end: unauditable: no trajectory") == "evidence: unauditable"


def test_the_stratified_plan_runs_every_module_and_correct_ones_everywhere():
    from simlab.bench.run import BenchConfig, plan

    full = plan(BenchConfig())
    cases = plan(BenchConfig(stratified=True))
    assert {v for v, _ in cases} == {v for v, _ in full}  # every module
    correct = [(v, p) for v, p in full if v.correct]
    assert set(correct) <= set(cases)  # correct modules at every point
    bugs = [v for v, _ in cases if not v.correct]
    assert len(bugs) == len(set(bugs))  # each bug module once
    assert len({p for v, p in cases if not v.correct}) > 1  # rotating through the points
