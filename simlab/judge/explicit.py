"""Reporting the von Neumann stability of the planned explicit scheme (part of gate 3).

The coefficients are frozen at their worst values over the samples (largest diffusion, fastest
velocity, largest growth rate), the spacing is the planned grid (or the spacing the tolerance
needs), and ``dt`` is the planned step, or ``cfl * dx / speed`` when a Courant number is
planned. :mod:`simlab.judge.stability` computes the amplification factor and the largest stable
step; the cost gate reuses that step.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from simlab.judge import proofs, stability
from simlab.judge.methods import time_method
from simlab.judge.report import Finding, Status
from simlab.judge.scales import DEFAULT_ORDER, needed_spacing

if TYPE_CHECKING:
    from simlab.judge.context import JudgeContext


@dataclass
class ExplicitCheck:
    """The stability analysis of the planned explicit scheme (or why it was not possible)."""

    result: stability.StabilityResult | None
    numbers: dict
    dx: np.ndarray | None
    dx_source: str
    dt_given: bool
    problem: str | None = None
    proof: str = "proven"  # 'proven' (stable with rigorous bounds), 'violated', 'undecided'


def explicit_check(ctx: JudgeContext) -> ExplicitCheck | None:
    """Run (once per judge call) the von Neumann analysis of the planned explicit scheme."""
    if "explicit" in ctx.cache:
        return ctx.cache["explicit"]
    out = _explicit_check(ctx)
    ctx.cache["explicit"] = out
    return out


def explicit_step(ctx: JudgeContext) -> float | None:
    """The time step the explicit plan runs with: planned (or from cfl), else the limit."""
    chk = explicit_check(ctx)
    if chk is None or chk.result is None:
        return None
    r = chk.result
    if chk.dt_given:
        return r.dt
    return r.dt_max if math.isfinite(r.dt_max) and r.dt_max > 0 else None


def _explicit_check(ctx: JudgeContext) -> ExplicitCheck | None:
    plan = ctx.plan
    s = ctx.sym
    if not plan.explicit or not (s.is_time_dependent and s.has_space_derivatives):
        return None
    coef = _frozen(ctx)
    if coef is None:
        return ExplicitCheck(None, {}, None, "", False, "the coefficients could not be evaluated")
    dx, source = _spacing(ctx)
    if dx is None:
        return ExplicitCheck(
            None, {}, None, "", False, "no grid spacing is given or can be estimated (no tolerance)"
        )
    dt = plan.dt
    dt_source = "planned dt"
    if dt is None and plan.cfl is not None:
        speeds = np.sqrt(coef.diffusion) if coef.second_order_in_time else np.abs(coef.velocity)
        rate = float(np.max(speeds / dx)) if np.any(speeds > 0) else 0.0
        if rate > 0:
            dt = plan.cfl / rate
            dt_source = f"dt = cfl*dx/speed with cfl = {plan.cfl:g}"
    advection = plan.scheme.advection if plan.scheme is not None else "central"
    leapfrog = plan.scheme is not None and plan.scheme.two_level_second_order
    method = None if leapfrog else plan.integrator or time_method("forward_euler")
    result = stability.analyse(coef, dx, dt, advection, method)
    proof = "proven"
    if dt is not None and not result.stable:
        seen = _frozen(ctx, rigorous=False)
        attained = None if seen is None else stability.analyse(seen, dx, dt, advection, method)
        if attained is not None and not attained.stable:
            proof = "violated"
            result = attained
        else:
            proof = "undecided"
    nums = {
        "scheme": plan.scheme_name or plan.integrator_name or "explicit scheme",
        "dt_s": result.dt,
        "dt_source": dt_source if dt is not None else "largest stable dt",
        "dx_m": [float(h) for h in dx],
        "dx_source": source,
        "courant_number": result.courant,
        "diffusion_number": result.diffusion_number,
        "max_amplification": result.max_amplification,
        "dt_max_s": result.dt_max,
        "proof": proof,
        "coefficient_bounds": {
            "method": "interval branch-and-bound over the domain and time interval",
            "max_diffusion": [float(v) for v in coef.diffusion],
            "max_speed": [float(abs(v)) for v in coef.velocity],
            "max_growth_rate": coef.growth,
            "witness_points": ctx.cache.get("frozen_witness", {}),
        },
    }
    return ExplicitCheck(result, nums, dx, source, dt is not None, proof=proof)


def report(ctx: JudgeContext, findings: list[Finding], numbers: dict) -> None:
    plan = ctx.plan
    if not plan.explicit:
        name = plan.scheme_name or plan.integrator_name
        if name:
            findings.append(
                Finding(
                    Status.PASS,
                    "S3",
                    f"planned scheme '{name}' is implicit "
                    "(A-stable): no step-size limit from stability",
                )
            )
        return
    chk = explicit_check(ctx)
    if chk is None:
        return
    if chk.result is None or chk.dx is None:
        findings.append(
            Finding(
                Status.UNVERIFIABLE,
                "S3",
                f"explicit scheme planned, but {chk.problem}: stability not checked",
            )
        )
        return
    result, nums, dx, source = chk.result, chk.numbers, chk.dx, chk.dx_source
    numbers["stability"] = nums
    scheme = nums["scheme"]
    if not chk.dt_given:
        limit = (
            "unconditionally unstable"
            if result.dt_max == 0
            else (
                f"stable for dt <= {result.dt_max:.3g} s"
                if math.isfinite(result.dt_max)
                else "stable for any dt"
            )
        )
        status = Status.FAIL if result.dt_max == 0 else Status.PASS
        findings.append(
            Finding(
                status,
                "S3",
                f"{scheme}: {limit} at dx = {_fmt(dx)} ({source})",
                nums,
                fix=None if status == Status.PASS else _fix(ctx),
            )
        )
        return
    if result.stable:
        findings.append(
            Finding(
                Status.PASS,
                "S3",
                f"{scheme} stable with the proven bounds of the coefficients over the whole "
                f"domain and time interval: Courant number <= {result.courant:.3g}, "
                f"diffusion number {result.diffusion_number:.3g}, max |G| = "
                f"{result.max_amplification:.6g} (dt = {result.dt:.3g} s, dx = {_fmt(dx)})",
                nums,
            )
        )
        return
    if chk.proof == "undecided":
        findings.append(
            Finding(
                Status.UNVERIFIABLE,
                "S3",
                f"{scheme} at dt = {result.dt:.3g} s, dx = {_fmt(dx)}: stable with the largest "
                "coefficients found, unstable with their proven upper bounds (Courant number "
                f"<= {result.courant:.3g}); stability is not established",
                nums,
                fix=(
                    f"reduce dt below {result.dt_max:.3g} s to be safe"
                    if 0 < result.dt_max < math.inf
                    else "reduce dt"
                ),
                where="Discretization",
            )
        )
        return
    witness = ctx.cache.get("frozen_witness", {})
    at = "; ".join(f"{k} largest {proofs.at(p)}" for k, p in witness.items() if p)
    finite = math.isfinite(result.dt_max)
    limit = (
        "it is unstable for every dt"
        if result.dt_max == 0
        else f"stable only for dt <= {result.dt_max:.3g} s" + _courant_at(chk, result.dt_max)
        if finite
        else "the stable steps do not form one interval [0, dt_max] for this scheme, so no "
        "single step limit can be quoted"
    )
    findings.append(
        Finding(
            Status.FAIL,
            "S3",
            f"{scheme} is unstable at dt = {result.dt:.3g} s, dx = {_fmt(dx)}: Courant number "
            f"{result.courant:.3g}, diffusion number {result.diffusion_number:.3g}, "
            f"amplification max |G| = {result.max_amplification:.4g} per step; {limit}"
            + (f" (coefficients: {at})" if at else ""),
            nums,
            fix=(
                f"reduce dt to at most {result.dt_max:.3g} s, or "
                if 0 < result.dt_max < math.inf
                else ""
            )
            + _fix(ctx),
            where="Discretization",
        )
    )


def _courant_at(chk: ExplicitCheck, dt: float) -> str:
    """The Courant number at the stable limit, when there is an advection speed."""
    r = chk.result
    if r is None or r.dt <= 0 or r.courant <= 0:
        return ""
    return f" (Courant number {r.courant * dt / r.dt:.3g})"


def _fix(ctx: JudgeContext) -> str:
    family = ctx.analysis.family
    if family == "parabolic":
        return "use an implicit scheme (crank_nicolson or backward_euler)"
    return "use a stable explicit scheme (upwind or lax_wendroff with Courant number <= 1)"


def _fmt(dx: np.ndarray) -> str:
    return ", ".join(f"{h:.3g} m" for h in dx)


def _frozen(ctx: JudgeContext, rigorous: bool = True) -> stability.FrozenCoefficients | None:
    """Worst constant coefficients over Omega x [t0, T] (cached per judge call).

    ``rigorous``: interval upper bounds of every diffusion coefficient, speed and growth rate
    (a scheme stable with them is stable everywhere); otherwise the largest values attained
    at witness points (a scheme unstable with them is unstable at that point).
    """
    key = "frozen"
    if key not in ctx.cache:
        ctx.cache[key] = _frozen_bounds(ctx)
    both = ctx.cache[key]
    if both is None:
        return None
    return both[0] if rigorous else both[1]


def _frozen_bounds(
    ctx: JudgeContext,
) -> tuple[stability.FrozenCoefficients, stability.FrozenCoefficients] | None:
    s = ctx.sym
    d = len(s.space)
    coords = list(s.coordinate_names)
    hi = {"D": np.zeros(d), "a": np.zeros(d), "r": -math.inf}
    seen = {"D": np.zeros(d), "a": np.zeros(d), "r": -math.inf}
    witness: dict[str, dict] = {}
    second = False
    found = False
    for part in ctx.parts:
        if part.time_order == 0 or s.time_name is None:
            continue
        eq, u = part.equation, part.unknown
        tjet = s.jet(u, **{s.time_name: part.time_order})
        if tjet is None or tjet not in eq.jets:
            continue
        c_t = eq.coefficient(tjet)
        found = True
        second = second or part.time_order == 2
        for i, x in enumerate(coords):
            for kind, jet, sign in (
                ("D", s.jet(u, **{x: 2}), -1),
                ("a", s.jet(u, **{x: 1}), 1),
                ("a-", s.jet(u, **{x: 1}), -1),
            ):
                if jet is None or jet not in eq.jets:
                    continue
                bound = proofs.sup(ctx, sign * eq.coefficient(jet) / c_t)
                if bound is None:
                    return None
                got, upper, point = bound
                slot = "a" if kind.startswith("a") else "D"
                if upper > hi[slot][i]:
                    hi[slot][i] = upper
                if got > abs(seen[slot][i]):
                    seen[slot][i] = got if kind != "a-" else -got
                    witness[f"{slot}_{x}"] = point
        jet0 = s.jet(u)
        r_expr = -eq.coefficient(jet0) / c_t if jet0 is not None and jet0 in eq.jets else None
        if r_expr is None:
            hi["r"] = max(hi["r"], 0.0)
            seen["r"] = max(seen["r"], 0.0)
            continue
        bound = proofs.sup(ctx, r_expr)
        if bound is None:
            return None
        hi["r"] = max(hi["r"], bound[1])
        seen["r"] = max(seen["r"], bound[0])
    if not found:
        return None
    ctx.cache["frozen_witness"] = witness
    upper = stability.FrozenCoefficients(np.maximum(hi["D"], 0), hi["a"], hi["r"], second)
    attained = stability.FrozenCoefficients(np.maximum(seen["D"], 0), seen["a"], seen["r"], second)
    return upper, attained


def _spacing(ctx: JudgeContext) -> tuple[np.ndarray | None, str]:
    s = ctx.sym
    plan = ctx.plan
    if plan.spacing and all(x in plan.spacing for x in s.coordinate_names):
        return np.array([plan.spacing[x] for x in s.coordinate_names]), "planned grid"
    order = plan.space_order or DEFAULT_ORDER
    h = needed_spacing(ctx, order)
    if h is None:
        return None, ""
    return np.full(len(s.space), h), f"spacing the tolerance needs at order {order:g}"
