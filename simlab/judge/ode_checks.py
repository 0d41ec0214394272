"""ODE systems in gate 3: the planned integrator against the measured stiffness and growth.

An explicit integrator on a system whose stiffness ratio exceeds
:data:`simlab.judge.stiffness.STIFF_RATIO` is rejected (S3) with the implicit method to use; a
fixed explicit step is checked against the stability function on every sampled eigenvalue;
perturbation growth beyond what double precision can hold at the tolerance is a WARN (S4).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from simlab.judge.methods import IMPLICIT_DEFAULT
from simlab.judge.report import Finding, Status
from simlab.judge.stiffness import STIFF_RATIO

if TYPE_CHECKING:
    from simlab.judge.context import JudgeContext
    from simlab.judge.stiffness import OdeProbe

MACHINE_EPS = float(np.finfo(float).eps)


def report(ctx: JudgeContext, findings: list[Finding], numbers: dict) -> None:
    probe = ctx.ode
    plan = ctx.plan
    if probe is None:
        findings.append(
            Finding(
                Status.UNVERIFIABLE,
                "S3",
                "ODE system could not be probed: stiffness and growth unknown",
            )
        )
        return
    nums = probe.to_numbers()
    numbers["ode"] = nums
    if _blowup(ctx, findings, nums):
        return
    method = plan.integrator
    ratio = probe.stiffness_ratio
    if method is not None and method.explicit:
        steps = probe.explicit_steps(method)
        nums["explicit_steps_for_stability"] = steps
        if ratio > STIFF_RATIO:
            findings.append(
                Finding(
                    Status.FAIL,
                    "S3",
                    f"explicit integrator '{plan.integrator_name}' on a stiff system: stiffness "
                    f"ratio {ratio:.3g} > {STIFF_RATIO:.0e} (fastest decay rate "
                    f"{probe.lambda_fast.max():.3g}/s at t = {probe.time_at_max:.3g} s); its "
                    f"stability limit forces about {steps:.3g} steps",
                    nums,
                    fix=f"use an implicit integrator: integrator: {IMPLICIT_DEFAULT} (or bdf)",
                    where="Discretization",
                )
            )
        if plan.dt is not None:
            amp, lam = probe.fixed_step_amplification(method, plan.dt)
            nums["fixed_step_amplification"] = amp
            if amp > 1 + 1e-9:
                findings.append(
                    Finding(
                        Status.FAIL,
                        "S3",
                        f"'{plan.integrator_name}' with dt = {plan.dt:.3g} s is unstable: mode "
                        f"|lambda| = {lam:.3g}/s gives |R(dt lambda)| = {amp:.3g} > 1",
                        nums,
                        fix=f"dt <= {method.real_interval / max(lam, 1e-300):.3g} s or an "
                        f"implicit integrator ({IMPLICIT_DEFAULT})",
                        where="Discretization",
                    )
                )
    _growth(ctx, probe, findings)
    if (
        not any(f.status == Status.FAIL for f in findings)
        and probe.truncated
        and not (ratio > STIFF_RATIO)
    ):
        findings.append(
            Finding(
                Status.WARN,
                "S3",
                f"the stiffness probe was truncated at t = {probe.t1:.4g} s of "
                f"{_t_end(ctx):.4g} s ({probe.steps} steps): stiffness ratio {ratio:.3g} on "
                "the probed part only; the rest of the interval is not characterised",
                nums,
                fix="shorten the time span, or plan an implicit integrator (works either way)",
            )
        )
    elif not any(f.status == Status.FAIL for f in findings):
        kind = "stiff" if ratio > STIFF_RATIO else "non-stiff"
        chosen = plan.integrator_name or "none planned"
        findings.append(
            Finding(
                Status.PASS,
                "S3",
                f"{kind} system (stiffness ratio {ratio:.3g}); integrator: {chosen}",
                nums,
            )
        )


def _growth(ctx: JudgeContext, probe: OdeProbe, findings: list[Finding]) -> None:
    """Perturbations may grow like exp(G) beyond the solution's own growth."""
    eps = ctx.tolerance[0] if ctx.tolerance else 1e-3
    excess = probe.growth_exponent - probe.solution_growth
    limit = math.log(eps / MACHINE_EPS)
    if excess > limit:
        findings.append(
            Finding(
                Status.WARN,
                "S4",
                f"perturbations can grow by exp({excess:.3g}) relative to the solution over the "
                f"time span (local growth rate up to {probe.abscissa.max():.3g}/s): "
                f"double-precision round-off alone exceeds the tolerance {eps:.1e} "
                f"(needs exp(G) < {math.exp(limit):.3g})",
                {
                    "growth_exponent": probe.growth_exponent,
                    "solution_growth": probe.solution_growth,
                    "limit": limit,
                },
                fix="shorten the time span, or ask for statistics of the attractor instead of "
                "the pointwise state",
            )
        )


def _t_end(ctx: JudgeContext) -> float:
    return ctx.sym.ranges_si[ctx.sym.time_name][1]  # type: ignore[index]


def _blowup(ctx: JudgeContext, findings: list[Finding], nums: dict) -> bool:
    """FAIL S2 when the solution blows up before t_end (exact for scalar autonomous ODEs)."""
    from simlab.judge.blowup import probe_blowup, scalar_blowup

    found = scalar_blowup(ctx) or probe_blowup(ctx)
    if found is None:
        return False
    t_end = _t_end(ctx)
    nums["blowup_time_s"] = found.time
    when, end = _in_spec_unit(ctx, found.time), _in_spec_unit(ctx, t_end)
    nums["blowup_method"] = found.method
    findings.append(
        Finding(
            Status.FAIL,
            "S2",
            f"the solution blows up in finite time: estimated at t = {when}, before "
            f"the end of the interval t = {end} ({found.method}); no solution exists "
            "on the whole interval",
            nums,
            fix=f"end the time interval before t = {when}, or check the sign and "
            "power of the nonlinear term",
            where="Equations",
        )
    )
    return True


def _in_spec_unit(ctx: JudgeContext, seconds: float) -> str:
    """A time in SI seconds written in the spec's own time unit (``5 hour``)."""
    from simlab.judge.numeric import unit_factor

    t = ctx.spec.domain.time
    unit = t.unit if t is not None and t.unit else "s"
    factor = unit_factor(unit)
    return f"{seconds / factor:.4g} {unit}" if factor > 0 else f"{seconds:.4g} s"
