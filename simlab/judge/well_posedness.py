"""Gate 3, well-posedness (S2) and approximability of the planned method (S3).

Computed checks:

* type and sign of every evolution equation: the diffusion matrix ``D = -C/c_t`` must be
  positive definite (a backward heat equation or a negative diffusivity is ill-posed); a wave
  equation needs ``D`` positive too (else it is elliptic in space-time, Hadamard's example);
* stationary problems: coercivity of ``-div(A grad u) + c u``, the distance of a Helmholtz
  ``k^2`` to the Dirichlet/Neumann spectrum of the box (:mod:`simlab.judge.resonance`), the
  Dirichlet problem for an operator of hyperbolic type, ellipticity and the conditioning of
  the principal symbol of systems (near-incompressible elasticity locks low-order elements);
* explicit schemes: von Neumann stability at the planned ``dt`` and spacing
  (:mod:`simlab.judge.explicit`, :mod:`simlab.judge.stability`);
* ODE systems: the stiffness ratio against an explicit integrator, fixed-step stability, and
  the growth of perturbations (:mod:`simlab.judge.ode_checks`, :mod:`simlab.judge.stiffness`);
* observables asking for a single random outcome (:mod:`simlab.judge.outcomes`).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from simlab.judge import explicit, ode_checks
from simlab.judge.outcomes import outcome_observables
from simlab.judge.principal import definiteness
from simlab.judge.report import Finding, GateVerdict, Status
from simlab.judge.resonance import Resonance, resonance, standard_form

if TYPE_CHECKING:
    from simlab.judge.context import JudgeContext
    from simlab.judge.principal import PrincipalPart

GATE_ID = "well_posedness"
TITLE = "Well-posedness and stability"
CONDITIONS = ("S2", "S3")
LOCKING_RATIO = 100.0


def check(ctx: JudgeContext) -> GateVerdict:
    s = ctx.sym
    findings: list[Finding] = []
    numbers: dict = {}
    if s.ns is None or not s.equations:
        findings.append(
            Finding(
                Status.UNVERIFIABLE,
                "S2",
                "well-posedness cannot be checked: the equations are not machine-readable",
            )
        )
        return GateVerdict.from_findings(GATE_ID, TITLE, CONDITIONS, findings)
    family = ctx.analysis.family
    if s.is_time_dependent and s.has_space_derivatives:
        for part in ctx.parts:
            _evolution_sign(ctx, part, findings, numbers)
        explicit.report(ctx, findings, numbers)
    elif not s.is_time_dependent and s.has_space_derivatives and family != "eigenproblem":
        _stationary(ctx, findings, numbers)
    if family in ("ode", "ode_stiff"):
        ode_checks.report(ctx, findings, numbers)
    _outcomes(ctx, findings, numbers)
    if not findings:
        if family is None:
            findings.append(
                Finding(
                    Status.UNVERIFIABLE,
                    "S2",
                    "the problem could not be classified, so its well-posedness cannot be judged",
                )
            )
        else:
            findings.append(
                Finding(Status.PASS, "S2", f"no ill-posedness found for the {family} problem")
            )
    return GateVerdict.from_findings(GATE_ID, TITLE, CONDITIONS, findings, numbers)


# ---------------------------------------------------------------- evolution equations


def _evolution_sign(
    ctx: JudgeContext, part: PrincipalPart, findings: list[Finding], numbers: dict
) -> None:
    if part.time_order == 0 or part.max_space_order == 0:
        return
    u = part.unknown
    ev = part.evolution()
    if ev is None or not np.all(np.isfinite(ev[0])):
        findings.append(
            Finding(
                Status.UNVERIFIABLE,
                "S2",
                f"the principal coefficients of {u} could not be "
                "evaluated: " + "; ".join(part.missing[:2]),
                where="Equations",
            )
        )
        return
    D = ev[0]
    n, m = part.max_space_order, part.time_order
    if n == 1:
        findings.append(
            Finding(
                Status.PASS, "S2", f"{u}: first-order hyperbolic with real characteristic speeds"
            )
        )
        return
    if n != 2:
        findings.append(
            Finding(
                Status.UNVERIFIABLE, "S2", f"{u}: order {n} in space: sign condition not checked"
            )
        )
        return
    kind, lo, hi = definiteness(D)
    numbers[f"{u}_diffusion_eigenvalues"] = [lo, hi]
    what = "diffusion" if m == 1 else "squared wave speed"
    if kind == "positive":
        findings.append(
            Finding(
                Status.PASS,
                "S2",
                f"{u}: {what} matrix positive definite (eigenvalues "
                f"{lo:.3g} to {hi:.3g} in SI units)",
                {"min": lo, "max": hi},
            )
        )
    elif kind in ("negative", "indefinite"):
        if m == 1:
            message = (
                f"{u}: backward diffusion: the diffusion matrix has eigenvalue {lo:.3g} < 0 "
                "(u_t = -|D| u_xx is the backward heat equation); high wavenumbers grow like "
                "exp(|D| k^2 t), so the solution does not depend continuously on the data"
            )
            fix = "check the sign of the diffusion term and of the diffusivity parameter"
        else:
            message = (
                f"{u}: second order in time with {what} {lo:.3g} < 0: the equation is elliptic "
                "in space-time, and the initial-value problem is ill-posed (Hadamard)"
            )
            fix = "the wave equation is u_tt = c^2 u_xx with c^2 > 0"
        findings.append(
            Finding(
                Status.FAIL,
                "S2",
                message,
                {"min_eigenvalue": lo, "max_eigenvalue": hi},
                fix=fix,
                where="Equations",
            )
        )
    else:
        findings.append(
            Finding(
                Status.WARN,
                "S2",
                f"{u}: degenerate {what} (eigenvalues {lo:.3g} to "
                f"{hi:.3g}): no smoothing in some direction",
                {"min": lo, "max": hi},
            )
        )


# ---------------------------------------------------------------- stationary problems


def _stationary(ctx: JudgeContext, findings: list[Finding], numbers: dict) -> None:
    s = ctx.sym
    if len(s.unknown_names) > 1:
        _system(ctx, findings, numbers)
        return
    if not ctx.parts:
        return
    part = ctx.parts[0]
    if part.max_space_order != 2:
        return
    kind = definiteness(part.C)[0] if part.C is not None and np.all(np.isfinite(part.C)) else "?"
    if kind == "indefinite":
        _hyperbolic_dirichlet(ctx, findings)
        return
    std = standard_form(part)
    if std is None:
        findings.append(
            Finding(
                Status.UNVERIFIABLE,
                "S2",
                "principal part not definite or not evaluable: coercivity not checked",
            )
        )
        return
    c_min = float(np.min(std.c))
    nums = {"A_min_eigenvalue": float(np.min(np.linalg.eigvalsh(std.A))), "c_min": c_min}
    linear = s.linear
    where = "at the initial iterate" if not linear else ""
    if c_min >= 0:
        findings.append(
            Finding(
                Status.PASS,
                "S2",
                f"coercive: -div(A grad u) + c u with A positive definite "
                f"and c >= 0 {where}".strip(),
                nums,
            )
        )
        return
    res = resonance(ctx, part, std)
    if isinstance(res, str):
        findings.append(
            Finding(
                Status.UNVERIFIABLE,
                "S2",
                f"not coercive (c = {c_min:.3g} < 0) and the "
                f"distance to resonance cannot be computed: {res}",
                nums,
            )
        )
        return
    _report_resonance(ctx, res, findings, numbers, linear)


def _report_resonance(
    ctx: JudgeContext, res: Resonance, findings: list[Finding], numbers: dict, linear: bool
) -> None:
    eps = ctx.tolerance[0] if ctx.tolerance else 1e-3
    nums = {
        "k2": res.k2,
        "nearest_eigenvalue": res.nearest,
        "distance": res.distance,
        "relative_distance": res.distance / res.k2 if res.k2 else None,
        "amplification": res.amplification,
        "boundary_kinds": res.kinds,
        "tolerance": eps,
    }
    numbers["resonance"] = nums
    product = res.amplification * eps
    what = "k^2" if linear else "the linearisation at the initial iterate: k^2"
    text = (
        f"{what} = {res.k2:.6g} is {res.distance:.3g} from the eigenvalue {res.nearest:.6g} of "
        f"the domain ({'/'.join(res.kinds)} conditions; relative distance "
        f"{res.distance / res.k2 if res.k2 else 0:.2e}): errors are amplified by "
        f"{res.amplification:.3g}"
    )
    if not linear:
        status = Status.WARN if product >= 0.1 else Status.PASS
        findings.append(Finding(status, "S2", "Newton's first Jacobian: " + text, nums))
        return
    if product >= 1:
        findings.append(
            Finding(
                Status.FAIL,
                "S2",
                ("at resonance: " if res.distance == 0 else "near resonance: ")
                + text
                + f", beyond 1/tolerance = {1 / eps:.3g}",
                nums,
                fix="move k away from the eigenvalue, add damping (complex k), or change the "
                "domain size",
                where="Equations",
            )
        )
    elif product >= 0.1:
        findings.append(Finding(Status.WARN, "S2", "close to resonance: " + text, nums))
    else:
        findings.append(Finding(Status.PASS, "S2", "away from resonance: " + text, nums))


def _hyperbolic_dirichlet(ctx: JudgeContext, findings: list[Finding]) -> None:
    s = ctx.sym
    faces_of = {n: loc.face for n, loc in ctx.segments.items() if loc.face is not None}
    covered = {faces_of.get(pc.cond.boundary) for pc in s.conditions} - {None}
    total = 2 * len(s.space)
    if len(covered) == total:
        findings.append(
            Finding(
                Status.FAIL,
                "S2",
                "the principal symbol is indefinite (hyperbolic type, e.g. u_xx - u_yy) and data "
                "is prescribed on the whole boundary: this boundary-value problem is ill-posed "
                "(no solution or not unique for most data)",
                {"faces_with_data": len(covered)},
                fix="pose it as an initial-boundary value problem in the time-like direction",
                where="Equations",
            )
        )
    else:
        findings.append(
            Finding(
                Status.WARN,
                "S2",
                "stationary equation of hyperbolic type: "
                "well-posed only with data on non-characteristic parts",
            )
        )


def _system(ctx: JudgeContext, findings: list[Finding], numbers: dict) -> None:
    a = ctx.analysis
    ev = a.details.get("symbol_eigenvalues")
    ratio = a.details.get("symbol_condition")
    if ev is None or ratio is None:
        findings.append(
            Finding(
                Status.UNVERIFIABLE, "S2", "principal symbol of the system could not be evaluated"
            )
        )
        return
    lo, hi = ev
    nums = {"symbol_eigenvalue_min": lo, "symbol_eigenvalue_max": hi, "symbol_condition": ratio}
    numbers["system_symbol"] = nums
    if lo * hi <= 0 or not math.isfinite(ratio):
        findings.append(
            Finding(
                Status.FAIL,
                "S2",
                f"the system is not elliptic: its principal symbol has eigenvalues from {lo:.3g} "
                f"to {hi:.3g} (both signs or zero), e.g. a Poisson ratio at or above 1/2",
                nums,
                fix="check the material parameters (0 < nu < 1/2, E > 0)",
                where="Equations",
            )
        )
        return
    scheme = ctx.plan.scheme
    if ratio > LOCKING_RATIO and not (scheme is not None and scheme.locking_free):
        findings.append(
            Finding(
                Status.WARN,
                "S3",
                f"nearly incompressible: the principal symbol's eigenvalues differ by a factor "
                f"{ratio:.3g} (> {LOCKING_RATIO:g}); low-order displacement elements lock and "
                "converge only at impractical resolution",
                nums,
                fix="use a mixed (u-p) formulation such as Taylor-Hood, or B-bar",
                where="Discretization",
            )
        )
    else:
        findings.append(
            Finding(Status.PASS, "S2", f"elliptic system, symbol condition {ratio:.3g}", nums)
        )


# ---------------------------------------------------------------- observables


def _outcomes(ctx: JudgeContext, findings: list[Finding], numbers: dict) -> None:
    for chk in outcome_observables(ctx):
        if chk.probabilities is None:
            findings.append(
                Finding(
                    Status.UNVERIFIABLE,
                    "S2",
                    f"observable '{chk.observable}' asks for a "
                    f"single outcome, whose distribution could not be computed: "
                    f"{chk.problem}",
                    where=f"Observables, {chk.observable}",
                )
            )
            continue
        probs = [round(p, 6) for p in chk.probabilities]
        nums = {"probabilities": probs, "entropy_bits": chk.entropy_bits}
        numbers[f"outcome_{chk.observable}"] = nums
        if chk.determined:
            findings.append(
                Finding(
                    Status.PASS,
                    "S2",
                    f"observable '{chk.observable}': one "
                    f"outcome has probability {max(probs):.6g}: determined",
                    nums,
                )
            )
        else:
            findings.append(
                Finding(
                    Status.FAIL,
                    "S2",
                    f"observable '{chk.observable}' is the outcome of a single random event with "
                    f"probabilities {probs} ({chk.entropy_bits:.3g} bits of entropy): it has no "
                    "unique answer; only its distribution is computable",
                    nums,
                    fix="ask for the probabilities (the integral of the density over each "
                    "region) or an ensemble histogram instead of one outcome",
                    where=f"Observables, {chk.observable}",
                )
            )
