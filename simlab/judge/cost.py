"""Gate 5, cost estimation (S3, S4): resolution, unknowns, memory and time against a budget.

From the tolerance ``eps`` and the method's formal order ``p`` the needed spacing is
``h = ell (c_p eps)^(1/p)`` (:mod:`simlab.judge.scales`); a planned grid is used as written.
Then, per solver family:

* unknowns ``N = prod(L_i/h_i) * n_fields``;
* sparse direct factorisation (stationary, implicit, eigenproblems): fill ``nnz(L)`` ~ ``5N``
  (1-D band), ``10 N log2 N`` (2-D nested dissection), ``10 N^(4/3)`` (3-D), flops ~ ``10N``,
  ``10 N^1.5``, ``10 N^2`` (George 1973; constants are order-of-magnitude);
* explicit steps: ``2 (2d+1) N`` flops per stage; steps ``T/dt`` with ``dt`` the smaller of the
  accuracy step and the stability limit;
* ODE systems: the probe trajectory's step count scaled to the tolerance, at a conservative
  5e-5 s of Python overhead per stage;
* memory: 12 bytes per stored nonzero and 8 bytes per unknown per stored vector.

Time is flops over the budget's flop rate. Above the budget: FAIL (S4, with the numbers). A
tolerance below what double precision can reach (truncation ``(h/ell)^p/c_p`` against round-off
``eps_mach (ell/h)^m`` for derivatives of order ``m``) is FAIL too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from simlab.judge.report import Finding, GateVerdict, Status
from simlab.judge.scales import DEFAULT_ORDER, error_constant, needed_time_step, scales
from simlab.judge.stiffness import PROBE_RTOL

if TYPE_CHECKING:
    from simlab.judge.context import JudgeContext

GATE_ID = "cost"
TITLE = "Cost estimation"
CONDITIONS = ("S4", "S3")
MACHINE_EPS = float(np.finfo(float).eps)
BYTES_PER_NONZERO = 12.0
BYTES_PER_VALUE = 8.0
PYTHON_STAGE_SECONDS = 5e-5
NEWTON_ITERATIONS = 8
#: an estimate beyond this factor of the budget is outside the model constants' uncertainty
HEURISTIC_MARGIN = 100.0


@dataclass
class Estimate:
    unknowns: float
    steps: float
    memory_bytes: float
    flops: float
    seconds: float
    notes: list[str]


def check(ctx: JudgeContext) -> GateVerdict:
    s = ctx.sym
    findings: list[Finding] = []
    if s.ns is None or not s.equations:
        findings.append(
            Finding(
                Status.UNVERIFIABLE,
                "S4",
                "cost cannot be estimated: the equations are not machine-readable",
            )
        )
        return GateVerdict.from_findings(GATE_ID, TITLE, CONDITIONS, findings)
    family = ctx.analysis.family
    if family is None:
        findings.append(
            Finding(
                Status.UNVERIFIABLE,
                "S4",
                "the problem could not be classified: no solver family, so no cost model",
            )
        )
        return GateVerdict.from_findings(GATE_ID, TITLE, CONDITIONS, findings)
    tol = ctx.tolerance
    numbers: dict[str, Any] = {"family": family}
    if tol is not None:
        numbers["tolerance"] = tol[0]
        numbers["tolerance_reading"] = tol[1]
    sc = scales(ctx) if family not in ("ode", "ode_stiff") else None
    if sc is not None and sc.length is not None:
        numbers["resolving_length_m"] = sc.length
        numbers["length_candidates"] = sc.candidates
    order = _order(ctx)
    numbers["order"] = order
    floor = _roundoff(ctx, order)
    if tol is not None and floor is not None:
        numbers["attainable_error_floor"] = floor
        if tol[0] < floor:
            findings.append(
                Finding(
                    Status.FAIL,
                    "S4",
                    f"tolerance {tol[0]:.3g} is below the error floor {floor:.3g} that a method "
                    f"of order {order:g} can reach in double precision (truncation vs round-off)",
                    {"tolerance": tol[0], "floor": floor},
                    fix=f"ask for a tolerance >= {floor:.2g} (or use higher precision arithmetic)",
                    where="Tolerance",
                )
            )
    est = _estimate(ctx, family, order, numbers, findings)
    if est is None:
        if not findings:
            why = (
                "the ODE system could not be probed (initial values missing or not numbers)"
                if family in ("ode", "ode_stiff")
                else "no tolerance and no planned grid"
                if tol is None
                else "no length scale could be computed"
            )
            findings.append(
                Finding(
                    Status.UNVERIFIABLE, "S4", f"resolution cannot be estimated: {why}", numbers
                )
            )
        return GateVerdict.from_findings(GATE_ID, TITLE, CONDITIONS, findings, numbers)
    budget = ctx.budget
    numbers.update(
        {
            "unknowns": est.unknowns,
            "time_steps": est.steps,
            "memory_bytes": est.memory_bytes,
            "flops": est.flops,
            "time_s": est.seconds,
            "budget_memory_bytes": budget.memory_bytes,
            "budget_time_s": budget.time_seconds,
            "notes": est.notes,
        }
    )
    summary = (
        f"{est.unknowns:.3g} unknowns x {est.steps:.3g} steps: memory {_bytes(est.memory_bytes)}"
        f", time {_seconds(est.seconds)} (budget {_bytes(budget.memory_bytes)}, "
        f"{_seconds(budget.time_seconds)})"
    )
    over = []
    factor = max(est.memory_bytes / budget.memory_bytes, est.seconds / budget.time_seconds)
    if est.memory_bytes > budget.memory_bytes:
        over.append(f"memory {est.memory_bytes / budget.memory_bytes:.3g}x the budget")
    if est.seconds > budget.time_seconds:
        over.append(f"time {est.seconds / budget.time_seconds:.3g}x the budget")
    smoothing = _smoothed_kink(ctx, family, sc)
    if smoothing:
        numbers["parabolic_smoothing"] = smoothing
    # lower bounds no constant can shrink: two stored vectors, one operation per unknown-step
    # (certain only where the plan fixes them: a planned grid, a planned step)
    plan = ctx.plan
    grid_planned = bool(plan.cells) and all(x in plan.cells for x in ctx.sym.coordinate_names)
    steps_planned = plan.dt is not None or not ctx.sym.is_time_dependent
    floor_memory = 2 * BYTES_PER_VALUE * est.unknowns
    floor_seconds = est.unknowns * max(est.steps, 1) / budget.flop_rate
    hard = (grid_planned and floor_memory > budget.memory_bytes) or (
        grid_planned and steps_planned and floor_seconds > budget.time_seconds
    )
    certain = hard or (factor > HEURISTIC_MARGIN and not smoothing)
    if over and not certain:
        why = (
            smoothing
            if smoothing
            else f"the cost model's constants are order-of-magnitude; {factor:.3g}x the budget "
            f"is within their uncertainty (FAIL needs > {HEURISTIC_MARGIN:g}x)"
        )
        findings.append(
            Finding(
                Status.WARN,
                "S4",
                f"possibly over budget ({'; '.join(over)}): {summary}; {why}",
                numbers,
                fix="coarsen the grid or relax the tolerance, or raise the budget",
                where="Discretization",
            )
        )
    elif over:
        findings.append(
            Finding(
                Status.FAIL,
                "S4",
                f"over budget ({'; '.join(over)}): {summary}",
                numbers,
                fix="coarsen the grid or relax the tolerance, use a higher-order method, or "
                "raise the budget (--budget-memory / --budget-time)",
                where="Discretization",
            )
        )
    else:
        findings.append(Finding(Status.PASS, "S4", f"within budget: {summary}", numbers))
    return GateVerdict.from_findings(GATE_ID, TITLE, CONDITIONS, findings, numbers)


def _smoothed_kink(ctx: JudgeContext, family: str, sc: Any) -> str | None:
    """A parabolic problem whose finest length comes from its initial data: smoothed at t > 0.

    The heat kernel widens a kink to ``sqrt(2 D t)`` after time ``t``, so the initial data's
    length only has to be resolved for the first instants (a few small steps, or a locally
    refined start), not on the whole run: the uniform-grid estimate is pessimistic.
    """
    if family != "parabolic" or sc is None or not getattr(sc, "candidates", None):
        return None
    name, length = min(sc.candidates.items(), key=lambda kv: kv[1])
    if not name.startswith("initial data"):
        return None
    return (
        f"the finest length ({length:.3g} m) is a feature of the initial data ({name}), which "
        "diffusion smooths for t > 0 (width sqrt(2 D t)); only the first steps need it, so the "
        "uniform-grid estimate is an upper bound"
    )


def _order(ctx: JudgeContext) -> float:
    plan = ctx.plan
    if ctx.sym.has_space_derivatives or ctx.analysis.family == "integral_transform":
        return float(plan.space_order or DEFAULT_ORDER)
    return float(plan.time_order or DEFAULT_ORDER)


def _roundoff(ctx: JudgeContext, order: float) -> float | None:
    """min over h of (h/ell)^p/c_p + eps_mach (ell/h)^m (m = highest derivative order)."""
    s = ctx.sym
    m = max((s.order(u, x) for u in s.unknown_names for x in s.coordinate_names), default=0)
    if m == 0:
        return 10 * MACHINE_EPS
    c = error_constant(order)
    ratios = np.logspace(-8, 0, 2000)  # h / ell
    err = ratios**order / c + MACHINE_EPS * ratios ** (-m)
    return float(np.min(err))


def _estimate(
    ctx: JudgeContext, family: str | None, order: float, numbers: dict, findings: list[Finding]
) -> Estimate | None:
    if family in ("ode", "ode_stiff"):
        return _ode(ctx, numbers)
    cells = _cells(ctx, order, numbers)
    if cells is None:
        return None
    d = max(len(cells), 1)
    fields = max(len(ctx.sym.unknown_names), 1)
    n = float(np.prod([max(c, 1) for c in cells.values()])) * fields if cells else float(fields)
    notes: list[str] = []
    if family == "integral_transform":
        return _quadrature(ctx, n, cells, notes)
    if family == "inverse":
        flops = 40.0 * n**1.5 * 20
        memory = BYTES_PER_VALUE * n * 30
        notes.append("inverse: ~20 projection/back-projection sweeps of cost ~40 N^1.5")
        return Estimate(n, 1, memory, flops, flops / ctx.budget.flop_rate, notes)
    fill, factor_flops = _direct(n, d)
    stencil = (2 * d + 1) * fields
    matrix = BYTES_PER_NONZERO * stencil * n
    if not ctx.sym.is_time_dependent:
        iterations = NEWTON_ITERATIONS if family == "nonlinear_stationary" else 1
        extra = 1.0
        if family == "eigenproblem":
            count = ctx.spec.equations.eigenvalue.count if ctx.spec.equations.eigenvalue else 1
            extra = 1 + 30 * (count + 5) * 2 * fill / max(factor_flops, 1)
            notes.append(f"shift-invert Lanczos for {count} eigenvalue(s)")
        flops = iterations * factor_flops * extra
        memory = matrix + BYTES_PER_NONZERO * fill + BYTES_PER_VALUE * n * 10
        notes.append("sparse direct factorisation" + (" per Newton step" if iterations > 1 else ""))
        return Estimate(n, 1, memory, flops, flops / ctx.budget.flop_rate, notes)
    steps, _ = _steps(ctx, cells, numbers)
    if steps is None:
        return None
    plan = ctx.plan
    stages = plan.integrator.order if plan.integrator is not None else 1
    if plan.explicit:
        flops = steps * stages * 2 * stencil * n
        memory = BYTES_PER_VALUE * n * (4 + stages)
        notes.append("explicit time stepping")
    else:
        per_step = 2 * BYTES_PER_NONZERO * fill / BYTES_PER_NONZERO
        nonlinear = 1 if ctx.sym.linear else 3
        flops = factor_flops * (1 if ctx.sym.linear else steps * nonlinear) + steps * per_step
        memory = matrix + BYTES_PER_NONZERO * fill + BYTES_PER_VALUE * n * 8
        notes.append(
            "implicit steps with a sparse factorisation"
            + (" reused" if ctx.sym.linear else " per Newton step")
        )
    return Estimate(n, steps, memory, flops, flops / ctx.budget.flop_rate, notes)


def _direct(n: float, d: int) -> tuple[float, float]:
    """Fill of the sparse factor and flops to factor (nested dissection estimates)."""
    if d <= 1:
        return 5.0 * n, 10.0 * n
    if d == 2:
        return 10.0 * n * max(math.log2(n), 1.0), 10.0 * n**1.5
    return 10.0 * n ** (4 / 3), 10.0 * n**2


def _cells(ctx: JudgeContext, order: float, numbers: dict) -> dict[str, float] | None:
    s = ctx.sym
    plan = ctx.plan
    if not s.space:
        return {}
    if plan.cells and all(x in plan.cells for x in s.coordinate_names):
        numbers["cells"] = dict(plan.cells)
        numbers["cells_source"] = "planned grid"
        return {x: float(plan.cells[x]) for x in s.coordinate_names}
    sc = scales(ctx)
    tol = ctx.tolerance
    if sc.length is None or tol is None:
        return None
    h = sc.length * min(error_constant(order) * tol[0], 1.0) ** (1 / order)
    cells = {}
    for x in s.coordinate_names:
        lo, hi = s.ranges_si[x]
        cells[x] = max(math.ceil((hi - lo) / h), 4)
    numbers["spacing_m"] = h
    numbers["cells"] = cells
    numbers["cells_source"] = f"needed for tolerance {tol[0]:.3g} at order {order:g}"
    return {k: float(v) for k, v in cells.items()}


def _steps(ctx: JudgeContext, cells: dict[str, float], numbers: dict) -> tuple[float | None, float]:
    s = ctx.sym
    plan = ctx.plan
    t0, t1 = s.ranges_si[s.time_name] if s.time_name else (0.0, 0.0)
    span = t1 - t0
    dts = []
    if plan.dt is not None:
        dts.append(plan.dt)
    elif plan.explicit and plan.cfl is not None:
        from simlab.judge.explicit import explicit_step

        step = explicit_step(ctx)
        if step is not None:
            dts.append(step)
    else:
        q = plan.time_order or DEFAULT_ORDER
        acc = needed_time_step(ctx, q)
        if acc is not None:
            dts.append(acc)
        if plan.explicit:
            from simlab.judge.explicit import explicit_step

            limit = explicit_step(ctx)
            if limit is not None:
                dts.append(limit)
    if not dts:
        return None, 0.0
    dt = min(dts)
    numbers["dt_s"] = dt
    return max(math.ceil(span / dt), 1), dt


def _ode(ctx: JudgeContext, numbers: dict) -> Estimate | None:
    probe = ctx.ode
    plan = ctx.plan
    n = float(len(ctx.sym.unknown_names))
    if probe is None:
        return None
    tol = ctx.tolerance[0] if ctx.tolerance else 1e-3
    method = plan.integrator
    p = method.order if method is not None else 5.0
    probe_tol = PROBE_RTOL
    t0, t_end = ctx.sym.ranges_si[ctx.sym.time_name]  # type: ignore[index]
    probed = probe.t1 - probe.t0
    base = float(max(probe.steps, 1))
    notes = []
    stretch = 1.0
    if probe.truncated and 0 < probed < t_end - t0:
        stretch = (t_end - t0) / probed
        base *= stretch  # the step density of the probed part, over the span
        notes.append(
            f"probe truncated at t = {probe.t1:.4g} s: its {probe.steps} steps extrapolated "
            f"linearly to t = {t_end:.4g} s"
        )
    accuracy_steps = base * (probe_tol / tol) ** (1 / p)
    steps = accuracy_steps
    notes.append(f"{base:.3g} probe steps scaled to the tolerance at order {p:g}")
    if method is not None and method.explicit:
        steps = max(steps, probe.explicit_steps(method) * stretch)
        notes.append("explicit: at least the stability-limited step count")
    if plan.dt is not None:
        steps = (t_end - t0) / plan.dt
        notes = ["planned fixed dt"]
    stages = method.order if method is not None and method.explicit else 3 * 3
    seconds = steps * stages * PYTHON_STAGE_SECONDS
    flops = steps * stages * (n * n * 10 + 50 * n)
    numbers["ode_steps"] = steps
    return Estimate(n, steps, BYTES_PER_VALUE * n * max(steps, 1) * 2, flops, seconds, notes)


def _quadrature(ctx: JudgeContext, n: float, cells: dict, notes: list[str]) -> Estimate:
    sc = scales(ctx)
    tol = ctx.tolerance[0] if ctx.tolerance else 1e-6
    order = ctx.plan.space_order or DEFAULT_ORDER
    nodes = 1.0
    ell = sc.candidates.get("integrand oscillation")
    if ell is not None:
        h = ell * min(error_constant(order) * tol, 1.0) ** (1 / order)
        span = _integration_span(ctx)
        nodes = max(span / h, 8.0) if span else 64.0
    points = max(len(ctx.spec.observables), 1) if not ctx.plan.cells else n
    flops = points * nodes * 40
    notes.append(f"{nodes:.3g} quadrature nodes per evaluation, {points:.3g} evaluation points")
    memory = BYTES_PER_VALUE * (nodes + points) * 4
    return Estimate(points, 1, memory, flops, flops / ctx.budget.flop_rate, notes)


def _integration_span(ctx: JudgeContext) -> float:
    import sympy as sp

    s = ctx.sym
    best = 0.0
    for eq in s.equations:
        for integral in eq.residual.atoms(sp.Integral):
            for limit in integral.limits:
                if len(limit) == 3:
                    lo, hi = (s.evaluator.real_constant(x) for x in limit[1:])
                    if lo is not None and hi is not None:
                        best = max(best, hi - lo)
    return best


def _bytes(b: float) -> str:
    for unit, size in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if b >= size:
            return f"{b / size:.3g} {unit}"
    return f"{b:.3g} B"


def _seconds(t: float) -> str:
    if t >= 86400 * 365:
        return f"{t / (86400 * 365):.3g} years"
    if t >= 86400:
        return f"{t / 86400:.3g} days"
    if t >= 3600:
        return f"{t / 3600:.3g} h"
    if t >= 1:
        return f"{t:.3g} s"
    return f"{t * 1e3:.3g} ms"
