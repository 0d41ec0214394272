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
import sympy as sp

from simlab.judge import explicit, ode_checks, proofs
from simlab.judge.outcomes import outcome_observables
from simlab.judge.principal import definiteness
from simlab.judge.rangeproof import Outcome
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
        _first_order_system(ctx, findings, numbers)
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
    """The principal symbol's sign condition, proven over Omega x [t0, T] (any even order)."""
    if part.time_order == 0 or part.max_space_order == 0:
        return
    u = part.unknown
    symbol = principal_symbol(ctx, part)
    if isinstance(symbol, str):
        findings.append(Finding(Status.UNVERIFIABLE, "S2", f"{u}: {symbol}", where="Equations"))
        return
    order, q, extra = symbol
    m = part.time_order
    if order % 2 == 1:
        text = (
            "first-order hyperbolic with real characteristic speeds"
            if order == 1
            else f"odd order {order} in space: real coefficients give an imaginary principal "
            "symbol (dispersive, no growth from the principal part)"
        )
        findings.append(Finding(Status.PASS, "S2", f"{u}: {text}"))
        return
    proof = proofs.sign(ctx, q, extra)
    nums = proof.to_numbers()
    nums["principal_order"] = order
    numbers[f"{u}_principal_symbol"] = nums
    what = _what(order, m)
    state = " (state-dependent coefficients at the initial state)" if part.state_dependent else ""
    if proof.outcome == Outcome.PROVEN:
        assert proof.bound is not None
        findings.append(
            Finding(
                Status.PASS,
                "S2",
                f"{u}: {what} proven positive on the whole domain and time interval{state}: "
                f"bound >= {proof.bound.lower:.4g} (SI), smallest value found "
                f"{proof.bound.best:.4g}",
                nums,
            )
        )
        return
    if proof.outcome == Outcome.VIOLATED:
        assert proof.bound is not None
        findings.append(_ill_posed(u, order, m, proof.bound.best, proof.witness or {}, nums, state))
        return
    b = proof.bound
    if proof.outcome == Outcome.TOUCHES and b is not None:
        findings.append(
            Finding(
                Status.WARN,
                "S2",
                f"{u}: degenerate {what}: it vanishes {proofs.at(b.witness)}: no smoothing there",
                nums,
            )
        )
        return
    region = "" if b is None or b.region is None else f" in the region {_region(b.region)}"
    reason = proof.problem or "the interval bound did not separate it from zero within budget"
    findings.append(
        Finding(
            Status.UNVERIFIABLE,
            "S2",
            f"{u}: the sign of the {what} could not be established{region}: {reason}",
            nums,
            where="Equations",
        )
    )


def _first_order_system(ctx: JudgeContext, findings: list[Finding], numbers: dict) -> None:
    from simlab.judge.first_order import system_type

    st = system_type(ctx)
    if st is None or not st.coupled:
        return  # uncoupled principal parts were checked equation by equation
    numbers["system_symbol"] = {"type": st.family, "constant_coefficients": st.constant}
    if st.family == "ill_posed":
        findings.append(
            Finding(
                Status.FAIL,
                "S2",
                f"ill-posed evolution system: {st.description} (at {proofs.where(st.witness)})",
                {"growth_rate_per_s": st.growth_rate, "witness": st.witness},
                fix="check the signs: u_t = v, v_t = +c^2 u_xx is the wave equation",
                where="Equations",
            )
        )
        return
    status = Status.PASS if st.constant else Status.WARN
    findings.append(Finding(status, "S2", st.description, {"speed_m_per_s": st.speeds}))


def principal_symbol(
    ctx: JudgeContext, part: PrincipalPart
) -> tuple[int, sp.Expr, dict[sp.Symbol, tuple[float, float]]] | str:
    """``(order 2p, Q, direction ranges)``: well-posed needs ``Q > 0`` for all unit xi.

    For ``c_t d^m u/dt^m + sum_|a|=2p C_a d^a u + ... = 0`` the evolution operator's principal
    symbol is ``-(sum C_a (i xi)^a)/c_t``; forward well-posedness (parabolic decay for m = 1,
    real frequencies for m = 2) needs ``Q = (-1)^p sum C_a xi^a / c_t > 0``. ``xi`` runs over
    the unit half-sphere, parametrised by angles that join the box.
    """
    s = ctx.sym
    eq, u = part.equation, part.unknown
    t_name = s.time_name
    tjet = s.jet(u, **{t_name: part.time_order}) if t_name else None
    if tjet is None or tjet not in eq.jets:
        return "the time-derivative coefficient could not be read"
    c_t = eq.coefficient(tjet)
    space = [j for j in eq.jets if j.unknown == u and (t_name is None or j.order(t_name) == 0)]
    order = max((j.total for j in space), default=0)
    if order == 0:
        return "no space derivative"
    coords = list(s.coordinate_names)
    xi, extra = _directions(len(coords))
    total = sp.Integer(0)
    for j in space:
        if j.total != order:
            continue
        mono = sp.Integer(1)
        for var, n in j.orders:
            mono *= xi[coords.index(var)] ** n
        total += eq.coefficient(j) * mono
    if order % 2:
        return order, total, extra
    q = (-1) ** (order // 2) * total / c_t
    return order, q, extra


_THETA = sp.Symbol("xi_angle", real=True)
_PHI = sp.Symbol("xi_polar", real=True)


def _directions(d: int) -> tuple[list[sp.Expr], dict[sp.Symbol, tuple[float, float]]]:
    if d == 1:
        return [sp.Integer(1)], {}
    if d == 2:
        return [sp.cos(_THETA), sp.sin(_THETA)], {_THETA: (0.0, math.pi)}
    return (
        [sp.sin(_PHI) * sp.cos(_THETA), sp.sin(_PHI) * sp.sin(_THETA), sp.cos(_PHI)],
        {_THETA: (0.0, math.pi), _PHI: (0.0, math.pi)},
    )


def _what(order: int, m: int) -> str:
    if order == 2:
        return "diffusion coefficient (principal symbol)" if m == 1 else "squared wave speed"
    return f"principal symbol of order {order}"


def _ill_posed(
    u: str, order: int, m: int, value: float, point: dict, nums: dict, state: str
) -> Finding:
    at = proofs.at(point)
    if order == 2 and m == 1:
        message = (
            f"{u}: backward diffusion: the diffusion coefficient is {value:.4g} < 0 {at}"
            f"{state} (u_t = -|D| u_xx is the backward heat equation); high wavenumbers grow "
            "like exp(|D| k^2 t), so the solution does not depend continuously on the data"
        )
        fix = "check the sign of the diffusion term and of the diffusivity parameter"
    elif order == 2:
        message = (
            f"{u}: second order in time with squared wave speed {value:.4g} < 0 {at}{state}: "
            "the equation is elliptic in space-time, and the initial-value problem is "
            "ill-posed (Hadamard)"
        )
        fix = "the wave equation is u_tt = c^2 u_xx with c^2 > 0"
    else:
        p = order // 2
        good = "-" if p % 2 == 0 else "+"
        message = (
            f"{u}: the order-{order} principal part has the wrong sign ({value:.4g} {at}"
            f"{state}): wavenumber k grows like exp(|K| k^{order} t), so the initial-value "
            "problem is ill-posed"
        )
        fix = (
            f"the well-posed form is u_t = {good}K d^{order}u/dx^{order} with K > 0 "
            f"(e.g. u_t = -K u_xxxx)"
        )
    return Finding(Status.FAIL, "S2", message, nums, fix=fix, where="Equations")


def _region(region: dict[str, tuple[float, float]]) -> str:
    return ", ".join(f"{k} in [{a:.4g}, {b:.4g}]" for k, (a, b) in region.items())


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
    jet0 = s.jet(part.unknown)
    if c_min >= 0 and jet0 is not None and jet0 in part.equation.jets:
        # the samples say c >= 0: prove it on the whole domain (or find where it fails)
        proof = proofs.sign(ctx, std.sign * part.equation.coefficient(jet0), strict=False)
        nums["c_proof"] = proof.to_numbers()
        if proof.outcome == Outcome.VIOLATED and proof.bound is not None:
            c_min = proof.bound.best
            nums["c_min"] = c_min
        elif proof.outcome == Outcome.UNDECIDED:
            findings.append(
                Finding(
                    Status.UNVERIFIABLE,
                    "S2",
                    "c >= 0 at the samples, but it could not be proven on the whole domain: "
                    + (proof.problem or "the interval bound stayed undecided"),
                    nums,
                )
            )
            return
    linear = s.linear
    where = "at the initial iterate" if not linear else ""
    if c_min >= 0 and float(np.max(std.c)) == 0 and not _anchored(ctx):
        findings.append(
            Finding(
                Status.WARN,
                "S2",
                "not coercive: no zero-order term, and no Dirichlet data or Robin condition "
                "with alpha > 0 anywhere on the boundary (a Robin alpha = 0 is a Neumann "
                "condition): constants are in the kernel, so a solution exists only if source "
                "and flux balance, and is unique only up to a constant",
                nums,
                fix="prescribe u on part of the boundary, or use Robin alpha > 0",
                where="Boundary Conditions",
            )
        )
        return
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


def _anchored(ctx: JudgeContext) -> bool:
    """Dirichlet data somewhere, or a Robin alpha proven >= 0 and positive somewhere."""
    from simlab.judge.compatibility import flux_kind

    for pc in ctx.sym.conditions:
        kind = flux_kind(ctx, pc)
        if kind in ("dirichlet", "constraint"):
            return True
        if kind == "robin" and pc.alpha is not None:
            nonneg = proofs.sign(ctx, pc.alpha, strict=False)
            positive = proofs.sup(ctx, pc.alpha)
            if nonneg.outcome == Outcome.PROVEN and positive is not None and positive[0] > 0:
                return True
    return False


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
