"""The certificate: PASS / FLAG / REJECT per condition, with the numbers behind each.

A result is certified only with its evidence: an error bound at most ε from a convergence
study whose observed order agrees with the formal one, an honest bound (true error under
the bound wherever an exact answer exists), physics that holds, and no diagnostic saying the
answer sits near a bifurcation.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from simlab.certify.audit_checks import CheckResult
from simlab.certify.convergence import ConvergenceResult, ConvergenceType
from simlab.certify.evidence import Evidence


class Status(StrEnum):
    PASS = "PASS"
    FLAG = "FLAG"
    REJECT = "REJECT"


ORDER_TOLERANCE = 0.5
"""Observed order must be within this of the formal one (Roache's practice: about ±0.5)."""


@dataclass
class ObservableResult:
    """The verified value of one observable (SI numbers; ``unit``/``scale`` for display)."""

    name: str
    value: float
    unit: str | None
    scale: float
    metric: str
    threshold: float | None
    error_bound: float | None
    relative_bound: float | None
    observed_order: float | None
    formal_order: float
    convergence: str
    asymptotic_ratio: float | None
    extrapolated: float | None
    reference_kind: str | None
    exact_value: float | None = None
    exact_error: float | None = None
    reference_agreement: float | None = None
    status: Status = Status.PASS
    reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    offset: float = 0.0
    """SI value of the display unit's zero (273.15 K for degC); bounds are differences."""

    @property
    def display_value(self) -> float:
        return self.display(self.value)

    def display(self, si: float) -> float:
        """An SI value of this observable in its declared unit (offset scales included)."""
        return (si - self.offset) / self.scale

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["status"] = self.status.value
        data["evidence"] = [e.to_dict() for e in self.evidence]
        data["display_value"] = self.display_value
        return data


@dataclass
class ConditionVerdict:
    """One of S1–S4 on the certificate."""

    condition: str
    status: Status
    reason: str


@dataclass
class Certificate:
    """What simlab vouches for, and on what evidence."""

    status: Status
    conditions: list[ConditionVerdict]
    observables: list[ObservableResult] = field(default_factory=list)
    audit: list[CheckResult] = field(default_factory=list)
    diagnostics: list[dict[str, Any]] = field(default_factory=list)
    solver: str | None = None
    resolutions: list[float] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    sandbox: dict[str, Any] | None = None
    """For a supplied solver: the confinement it ran under and its violations (issue 17)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status.value,
            "conditions": [
                {"condition": c.condition, "status": c.status.value, "reason": c.reason}
                for c in self.conditions
            ],
            "observables": [o.to_dict() for o in self.observables],
            "audit": [asdict(a) for a in self.audit],
            "diagnostics": self.diagnostics,
            "solver": self.solver,
            "resolutions": self.resolutions,
            "reasons": self.reasons,
            "sandbox": self.sandbox,
        }


def judge_observable(
    name: str,
    study: ConvergenceResult,
    *,
    metric: str,
    threshold: float | None,
    formal_order: float,
    unit: str | None,
    scale: float,
    reference_kind: str | None,
    exact_value: float | None,
    data_value: float | None,
    minimum: float | None = None,
    maximum: float | None = None,
    offset: float = 0.0,
) -> ObservableResult:
    """Turn one grid study into a verified (or flagged) observable.

    ``minimum``/``maximum`` are acceptance bounds on the value itself, in the observable's
    declared unit. A method without a formal order (``nan``: CT reconstruction, where the
    error saturates at the pixel floor) has no GCI bound; its value is then accepted only
    when it lies inside the acceptance bounds by more than its change between the two finest
    resolutions, so the verdict does not hinge on the resolution.
    """
    if not math.isfinite(formal_order):
        return _judge_without_order(
            name,
            study,
            unit=unit,
            scale=scale,
            metric=metric,
            reference_kind=reference_kind,
            minimum=minimum,
            maximum=maximum,
        )
    value = study.values[0]
    bound = study.gci_fine_abs
    rel = bound / abs(value) if bound is not None and value != 0 else None
    reasons: list[str] = []
    result = ObservableResult(
        name=name,
        value=value,
        unit=unit,
        scale=scale,
        metric=metric,
        threshold=threshold,
        error_bound=bound,
        relative_bound=rel,
        observed_order=study.p_observed,
        formal_order=formal_order,
        convergence=study.status.value,
        asymptotic_ratio=study.asymptotic_ratio,
        extrapolated=study.f_ext,
        reference_kind=reference_kind,
        offset=offset,
    )
    measured = rel if metric.startswith("relative") else (None if bound is None else bound / scale)
    if bound is None:
        reasons.append(f"no error bound: {study.message}")
    elif threshold is not None and measured is not None and measured > threshold:
        reasons.append(f"error bound {measured:.3g} exceeds the tolerance {threshold:.3g} (S4)")
    if study.status == ConvergenceType.ROUND_OFF:
        # equal values on every grid say nothing about the discretisation error (a solver
        # that ignores its resolution gives them too): no bound from the study; the bound
        # comes from independent evidence (simlab.certify.gather), or there is none
        reasons = [r for r in reasons if not r.startswith("no error bound")]
        result.error_bound = None
        result.relative_bound = None
        result.notes.append(
            f"the output does not change with resolution (changes below "
            f"{max((abs(d) for d in study.differences), default=0.0) / scale:.3g}): the study "
            "gives no error bound"
        )
    elif study.status != ConvergenceType.MONOTONE:
        reasons.append(f"convergence is {study.status.value}, not monotone (S3)")
    elif (
        study.p_observed is not None
        and study.p_observed > formal_order + ORDER_TOLERANCE
        and study.p_used is not None
        and study.p_used <= formal_order
    ):
        # super-convergence at a special point (e.g. a zero or peak of the exact solution):
        # the order is not below the method's; the bound extrapolates with the formal order
        result.notes.append(
            f"observed order {study.p_observed:.2f} exceeds the formal {formal_order:g} "
            "(super-convergence at this point); the bound uses the formal order"
        )
    elif not study.consistent_with_formal_order(formal_order, ORDER_TOLERANCE):
        p = study.p_observed
        reasons.append(
            f"observed order {p:.2f} differs from the formal order {formal_order:g} "
            f"by more than {ORDER_TOLERANCE} (S3)"
            if p is not None
            else "observed order undetermined (S3)"
        )
    if exact_value is not None and math.isfinite(exact_value):
        result.exact_value = exact_value
        result.exact_error = abs(value - exact_value)
        if result.error_bound is not None and result.exact_error > result.error_bound:
            reasons.append(
                f"true error {result.exact_error:.3g} exceeds the computed bound "
                f"{result.error_bound:.3g}: the bound is not honest here (S4)"
            )
    if data_value is not None and math.isfinite(data_value) and data_value != 0:
        # measured in the spec's metric: an absolute tolerance compares absolute differences
        absolute = metric.lower().startswith("absolute")
        gap = abs(value - data_value) / (scale if absolute else abs(data_value))
        result.reference_agreement = gap
        if threshold is not None and gap > threshold:
            reasons.append(
                f"disagrees with the reference data by {gap:.3g} "
                f"({'absolute' if absolute else 'relative'}), more than {threshold:.3g}"
            )
    reasons += _acceptance(result.display_value, minimum, maximum, margin=0.0)
    result.reasons = reasons
    result.status = Status.FLAG if reasons else Status.PASS
    return result


def _acceptance(
    value: float, minimum: float | None, maximum: float | None, margin: float
) -> list[str]:
    """Reasons the value (display unit) misses its acceptance bounds by more than ``margin``."""
    reasons = []
    if minimum is not None and not value - margin >= minimum:
        reasons.append(
            f"value {value:.6g} is not above the required minimum {minimum:g}"
            + (f" by more than its resolution sensitivity {margin:.3g}" if margin else "")
            + " (S4)"
        )
    if maximum is not None and not value + margin <= maximum:
        reasons.append(
            f"value {value:.6g} is not below the allowed maximum {maximum:g}"
            + (f" by more than its resolution sensitivity {margin:.3g}" if margin else "")
            + " (S4)"
        )
    return reasons


def _judge_without_order(
    name: str,
    study: ConvergenceResult,
    *,
    unit: str | None,
    scale: float,
    metric: str,
    reference_kind: str | None,
    minimum: float | None,
    maximum: float | None,
) -> ObservableResult:
    value = study.values[0]
    sensitivity = abs(study.values[0] - study.values[1]) if len(study.values) > 1 else math.inf
    result = ObservableResult(
        name=name,
        value=value,
        unit=unit,
        scale=scale,
        metric=metric,
        threshold=None,
        error_bound=None,
        relative_bound=None,
        observed_order=None,
        formal_order=math.nan,
        convergence="no formal order",
        asymptotic_ratio=None,
        extrapolated=None,
        reference_kind=reference_kind,
    )
    result.notes.append(
        f"no formal order: no GCI bound; change between the two finest resolutions "
        f"{sensitivity / scale:.3g}"
    )
    if minimum is None and maximum is None:
        result.reasons = [
            "the method has no formal order and the spec gives no acceptance bound for this "
            "observable: nothing certifies it (S4)"
        ]
    else:
        result.reasons = _acceptance(value / scale, minimum, maximum, margin=sensitivity / scale)
    result.status = Status.FLAG if result.reasons else Status.PASS
    return result
