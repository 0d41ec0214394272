"""Evidence as typed objects: the PASS rule, reference evidence, honest pre-gate lines."""

from __future__ import annotations

import math
from types import SimpleNamespace

from simlab.certify.certificate import ObservableResult, Status
from simlab.certify.evidence import Evidence, Kind, Verdict, evidence_reasons
from simlab.certify.gather import apply_evidence, reference_evidence
from simlab.pipeline import _judge_conditions


def _obs(**kw: object) -> ObservableResult:
    base = dict(
        name="q",
        value=1.0,
        unit=None,
        scale=1.0,
        metric="relative_error",
        threshold=1e-3,
        error_bound=1e-4,
        relative_bound=1e-4,
        observed_order=2.0,
        formal_order=2.0,
        convergence="monotone",
        asymptotic_ratio=1.0,
        extrapolated=1.0,
        reference_kind="extrapolation",
    )
    return ObservableResult(**{**base, **kw})  # type: ignore[arg-type]


def test_no_pass_on_convergence_alone() -> None:
    pieces = [
        Evidence.not_applicable(Kind.REFERENCE, "no reference"),
        Evidence(Kind.CROSS_SOLVE, Verdict.FAILS, {}, "cross-solver failed"),
        Evidence(Kind.CONSERVATION, Verdict.SUPPORTS, {}, "conserved"),
    ]
    (reason,) = evidence_reasons("q", pieces)
    assert "unverified limit" in reason


def test_nothing_possible_is_unauditable_with_the_fix() -> None:
    pieces = [Evidence.not_applicable(k, "n/a") for k in Kind]
    (reason,) = evidence_reasons("q", pieces)
    assert "unauditable" in reason and "fix:" in reason


def test_one_confirmation_suffices_and_a_refutation_wins() -> None:
    ok = Evidence(Kind.CROSS_SOLVE, Verdict.CONFIRMS, {}, "agrees")
    assert evidence_reasons("q", [ok]) == []
    bad = Evidence(Kind.RESIDUAL, Verdict.REFUTES, {}, "defect 0.3")
    assert "refutes" in evidence_reasons("q", [ok, bad])[0]


def test_reference_evidence_uses_the_tolerance() -> None:
    near = _obs(reference_kind="analytic", exact_value=1.0005, exact_error=5e-4)
    assert reference_evidence(near, 1e-3).status == Verdict.CONFIRMS
    far = _obs(reference_kind="analytic", exact_value=1.01, exact_error=1e-2)
    assert reference_evidence(far, 1e-3).status == Verdict.REFUTES
    data = _obs(reference_kind="data", reference_agreement=2e-3)
    assert reference_evidence(data, 1e-3).status == Verdict.REFUTES
    assert reference_evidence(_obs(), 1e-3).status == Verdict.NOT_APPLICABLE


def test_resolution_independent_output_takes_its_bound_from_evidence() -> None:
    # a 0.4 % error that does not change with resolution: no noise-floor bound any more
    obs = _obs(convergence="round-off", error_bound=None, relative_bound=None, value=1.004)
    cross = Evidence(
        Kind.CROSS_SOLVE,
        Verdict.REFUTES,
        {"gap": 4e-3, "independent_bound": 1e-6},
        "gap beyond tolerance",
    )
    apply_evidence([obs], {"q": [cross]}, lambda n, v: 1e-3 * abs(v))
    assert obs.status == Status.FLAG
    assert obs.error_bound is None
    confirmed = _obs(convergence="round-off", error_bound=None, relative_bound=None)
    agree = Evidence(
        Kind.CROSS_SOLVE, Verdict.CONFIRMS, {"gap": 1e-5, "independent_bound": 1e-6}, "agrees"
    )
    apply_evidence([confirmed], {"q": [agree]}, lambda n, v: 1e-3 * abs(v))
    assert confirmed.status == Status.PASS
    assert math.isclose(confirmed.error_bound or 0.0, 1.1e-5)


def test_unverifiable_and_crashed_gates_flag() -> None:
    def verdict(status: str, message: str) -> SimpleNamespace:
        return SimpleNamespace(gate="cost", status=status, condition="S2", message=message)

    report = SimpleNamespace(
        verdicts=[
            SimpleNamespace(gate="dims", status="PASS", condition="S1", message="ok"),
            verdict("UNVERIFIABLE", "internal error while checking (KeyError: 'x')"),
        ]
    )
    s1, s2 = _judge_conditions(report)
    assert s1.status == Status.PASS
    assert s2.status == Status.FLAG and "crashed" in s2.reason
    report.verdicts[1] = verdict("UNVERIFIABLE", "the spec does not give a time step")
    assert _judge_conditions(report)[1].reason.startswith("gate cost UNVERIFIABLE")
    report.verdicts[1] = verdict("WARN", "coarse")
    assert "warnings" in _judge_conditions(report)[1].reason
