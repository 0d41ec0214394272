"""Gather every observable's independent evidence and fold it into the certificate.

Reference and audit evidence come from numbers already computed (the observable's exact or
data comparison, the audits of what the solver returned); the cross-solve and manufactured
solutions run here. Every kind appears on every observable, as a verdict or as
``not applicable`` with the reason.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from simlab.certify.audit_checks import CheckResult
from simlab.certify.certificate import ObservableResult, Status
from simlab.certify.convergence import ConvergenceType
from simlab.certify.evidence import (
    Evidence,
    Kind,
    Verdict,
    confirming,
    evidence_reasons,
)

RESIDUAL_CHECKS = ("ODE residual", "initial state", "trajectory time span", "trajectory")
"""Audits whose failure means the returned trajectory does not solve the spec."""


def reference_evidence(obs: ObservableResult, allowed: float | None) -> Evidence:
    """The observable against its analytic or data reference (``allowed``: ε-derived, abs)."""
    if obs.exact_value is not None and obs.exact_error is not None:
        limit = allowed if allowed is not None else obs.error_bound
        ok = limit is not None and obs.exact_error <= limit
        return Evidence(
            Kind.REFERENCE,
            Verdict.CONFIRMS if ok else Verdict.REFUTES,
            {"exact": obs.exact_value, "gap": obs.exact_error, "allowed": limit},
            f"analytic reference {obs.display(obs.exact_value):.10g}: gap "
            f"{obs.exact_error / obs.scale:.3g} "
            f"{'within' if ok else 'beyond'} the tolerance "
            f"{(limit or 0.0) / obs.scale:.3g}",
        )
    if obs.reference_agreement is not None:
        # the gap is in the spec's own metric (absolute or relative), as the tolerance is
        ok = obs.threshold is not None and obs.reference_agreement <= obs.threshold
        return Evidence(
            Kind.REFERENCE,
            Verdict.CONFIRMS if ok else Verdict.REFUTES,
            {"gap": obs.reference_agreement, "allowed": obs.threshold, "metric": obs.metric},
            f"reference data: gap {obs.reference_agreement:.3g} ({obs.metric}) "
            f"{'within' if ok else 'beyond'} the tolerance {obs.threshold}",
        )
    if obs.reference_kind == "data" and not math.isfinite(obs.formal_order):
        # a quality measured against the reference data itself (CT: PSNR vs the phantom)
        ok = not obs.reasons
        return Evidence(
            Kind.REFERENCE,
            Verdict.CONFIRMS if ok else Verdict.REFUTES,
            {"value": obs.value},
            "quality measured against the reference data, "
            + ("inside the acceptance bounds" if ok else "; ".join(obs.reasons)),
        )
    kind = obs.reference_kind or "none"
    return Evidence.not_applicable(
        Kind.REFERENCE,
        f"the spec gives no analytic or data reference for this observable (reference: {kind})",
    )


def audit_evidence(
    names: Sequence[str], audit: Sequence[CheckResult], trajectory: bool
) -> dict[str, list[Evidence]]:
    """Residual and conservation evidence per observable from the audits of the solution."""
    out: dict[str, list[Evidence]] = {n: [] for n in names}
    broken = [a for a in audit if a.name in RESIDUAL_CHECKS and not a.passed]
    residual = next((a for a in audit if a.name == "ODE residual" and a.applicable), None)
    for name in names:
        reported = next((a for a in audit if a.name == f"reported {name}"), None)
        if broken:
            out[name].append(
                Evidence(
                    Kind.RESIDUAL,
                    Verdict.REFUTES,
                    {a.name: a.value for a in broken},
                    "; ".join(f"{a.name}: {a.message}" for a in broken),
                )
            )
        elif residual is not None and reported is not None:
            numbers = {"defect": residual.value, "allowed": residual.threshold}
            numbers |= {"recomputed_gap": reported.value, "recomputed_allowed": reported.threshold}
            out[name].append(
                Evidence(
                    Kind.RESIDUAL,
                    Verdict.CONFIRMS if reported.passed else Verdict.REFUTES,
                    numbers,
                    f"{residual.message}; {reported.message}",
                )
            )
        elif residual is not None:
            out[name].append(
                Evidence(
                    Kind.RESIDUAL,
                    Verdict.SUPPORTS,
                    {"defect": residual.value, "allowed": residual.threshold},
                    f"{residual.message}; simlab cannot recompute {name} from the trajectory",
                )
            )
        else:
            out[name].append(
                Evidence.not_applicable(
                    Kind.RESIDUAL,
                    "no trajectory or field returned that simlab can evaluate in the spec's "
                    "equations"
                    if not trajectory
                    else "simlab has no residual evaluation for this spec's equations yet",
                )
            )
        laws = [a for a in audit if "conservation" in a.name.lower() and a.applicable]
        if laws:
            bad = [a for a in laws if not a.passed]
            out[name].append(
                Evidence(
                    Kind.CONSERVATION,
                    Verdict.REFUTES if bad else Verdict.SUPPORTS,
                    {a.name: a.value for a in laws},
                    "; ".join(a.message for a in (bad or laws)),
                )
            )
        else:
            out[name].append(
                Evidence.not_applicable(
                    Kind.CONSERVATION, "the equations conserve no total simlab can derive"
                )
            )
    return out


def apply_evidence(
    observables: list[ObservableResult],
    pieces: dict[str, list[Evidence]],
    tolerance: Callable[[str, float], float | None],
) -> None:
    """Attach the evidence, bound resolution-independent outputs by it, add the reasons."""
    for obs in observables:
        obs.evidence = pieces.get(obs.name, [])
        if obs.convergence == ConvergenceType.ROUND_OFF.value:
            _bound_from_evidence(obs, tolerance)
        reasons = evidence_reasons(obs.name, obs.evidence)
        if reasons:
            obs.reasons += reasons
            obs.status = Status.FLAG


def _bound_from_evidence(
    obs: ObservableResult, tolerance: Callable[[str, float], float | None]
) -> None:
    """A bound for an output that does not change with resolution.

    Equal values on every grid say nothing about the discretisation error (a solver that
    ignores the resolution produces them too), so the noise floor is no bound. The bound is
    the distance to an independent confirmation plus that confirmation's own bound.
    """
    best = None
    for e in confirming(obs.evidence):
        gap = e.numbers.get("gap")
        if gap is None:
            continue
        candidate = float(gap) + float(e.numbers.get("independent_bound") or 0.0)
        best = candidate if best is None else min(best, candidate)
    if best is None:
        obs.reasons.append(
            f"{obs.name}: no error bound: the output does not change with resolution, so the "
            "study cannot "
            "bound its error, and no independent evidence bounds it (S4)"
        )
        return
    obs.error_bound = best
    obs.relative_bound = best / abs(obs.value) if obs.value else None
    obs.notes.append(
        f"the output does not change with resolution; bound {best / obs.scale:.3g} from the "
        "independent evidence"
    )
    allowed = tolerance(obs.name, obs.value)
    if allowed is not None and best > allowed:
        obs.reasons.append(
            f"error bound {best:.3g} from independent evidence exceeds the tolerance "
            f"{allowed:.3g} (S4)"
        )


def evidence_kinds(obs: ObservableResult) -> list[str]:
    """The kinds that confirm an observable's limit."""
    return sorted({e.kind.value for e in confirming(obs.evidence)})


def collect(
    observables: list[ObservableResult],
    audit: Sequence[CheckResult],
    *,
    trajectory: bool,
    tolerance: Callable[[str, float], float | None],
    extra: Sequence[dict[str, Evidence] | dict[str, list[Evidence]]] = (),
) -> dict[str, list[Evidence]]:
    """Reference, audit and extra (cross-solve, MMS ...) evidence for every observable."""
    names = [o.name for o in observables]
    audits = audit_evidence(names, audit, trajectory)
    out: dict[str, list[Evidence]] = {}
    for obs in observables:
        allowed = tolerance(obs.name, obs.exact_value if obs.exact_value else obs.value)
        pieces = [reference_evidence(obs, allowed)]
        for more in extra:
            found = more.get(obs.name)
            pieces += found if isinstance(found, list) else [found] if found else []
        pieces += audits[obs.name]
        out[obs.name] = pieces
    return out
