"""Audits simlab computes from the spec on what a supplied solver returned.

A supplied module's own checks are not evidence; these are, because simlab computes them
from the compiled Problem's equations and data (:mod:`simlab.problem`; nothing here reads the
spec), independently of the module's code:

* **ODE residual** (trajectory returned): the trajectory must follow the spec's equations
  ``y' = f(t, y)``. It is cut into 32 windows; each window is re-integrated from the
  trajectory's own state at its start with the spec's equations (scipy Radau, rtol 1e-10)
  and compared with the trajectory at its end, relative to each unknown's size. A correct
  solver's defect is its own discretisation error and falls under refinement; a trajectory
  of other equations (a wrong rate, a dropped term, a unit slip) keeps an O(1) defect.
  Allowed: the spec's relative tolerance plus the study's largest relative bound (a defect
  beyond both moves the answer by more than it claims), unless it falls from the next coarser
  solve at the declared order (ratio >= (h_c/h_f)^(p - 1/2)): a trajectory converging to the
  spec's flow. (An integral residual by quadrature was tried first: on
  Robertson the quadrature error of the stiff right-hand side evaluated along a wrong
  trajectory is huge but falls like h^2, which hid two wrong-rate bugs.)
* **reported observables** (trajectory returned): simlab recomputes every observable from
  the trajectory (Hermite interpolant with the spec's slopes; peak times as roots of the
  slope) and compares with the reported value within the spec's tolerance.
* **time span**, **initial state** and **conservation** (trajectory returned): the trajectory
  covers the spec's time interval, ``y(t0)`` is the spec's initial value, and a total the
  equations conserve (``sum f_i = 0``) stays constant to within the tolerance.
* **pulled-front speed** (Fisher-KPP with steep data): the front speed over ``[T/2, T]``
  against the Bramson / Ebert-van Saarloos prediction, as for the built-in solver.
* **constraints** (fields returned): a spec constraint ``u >= c`` holds on the field.
* **reported quality** (CT image returned): PSNR and relative error recomputed by simlab from
  the returned image against the reference data agree with the reported values.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from simlab.certify.audit_checks import CheckResult
from simlab.certify.convergence import grid_study
from simlab.problem import Problem
from simlab.problem.ode import ode_system
from simlab.solvers.solution import Solution

ORDER_SLACK = 0.5
"""A defect above the allowance must fall at the declared order less this (Roache's ±0.5)."""
WINDOWS = 32
"""Windows of the trajectory re-integrated with the spec's equations."""
QUALITY_TOLERANCE = {"psnr": 0.05, "relative_error": 1e-3}
"""Reported minus recomputed quality allowed (dB; relative error, absolute)."""


def supplied_audit(problem: Problem, solves: Sequence[Solution]) -> list[CheckResult]:
    """Every audit that applies to the compiled ``problem``; ``solves`` finest first."""
    if not solves:
        return []
    finest = solves[0]
    checks: list[CheckResult] = []
    if finest.history.get("t") is not None and finest.history["t"].size > 1:
        checks += trajectory_checks(problem, solves, study_relative_bound(solves))
    elif _is_ode_system(problem):
        checks.append(
            CheckResult.not_applicable(
                "ODE residual",
                "the module returned plain numbers, no trajectory (return {'observables': ..., "
                "'trajectory': {'t': [...], '<unknown>': [...]}} to have it audited)",
            )
        )
    checks += _front_speed(problem, solves)
    if finest.fields:
        checks += constraint_checks(problem, finest)
        checks += _quality(problem, finest)
    return checks


# --------------------------------------------------------------------------- ODE trajectories


def _is_ode_system(problem: Problem) -> bool:
    try:
        return not isinstance(ode_system(problem), str)
    except Exception:  # not an ODE system simlab can read
        return False


def study_relative_bound(solves: Sequence[Solution]) -> float:
    """The largest relative GCI bound over the observables of the three finest solves."""
    if len(solves) < 3:
        return 0.0
    worst = 0.0
    for name, value in solves[0].observables.items():
        try:
            res = grid_study([s.observables[name] for s in solves[:3]], [s.h for s in solves[:3]])
        except Exception:  # a failed study gives no bound to widen the allowance with
            continue
        if res.gci_fine_abs is not None and value:
            worst = max(worst, res.gci_fine_abs / abs(value))
    return worst


def trajectory_checks(
    problem: Problem, solves: Sequence[Solution], relative_bound: float = 0.0
) -> list[CheckResult]:
    """The returned trajectory against the problem's ODE system (``solves`` finest first)."""
    system = ode_system(problem)
    if isinstance(system, str):
        return []
    states = [_states(s, system.names) for s in solves]
    if states[0] is None:
        return [
            CheckResult(
                "trajectory",
                False,
                math.inf,
                0.0,
                "S4",
                f"the trajectory lacks unknowns of the spec ({', '.join(system.names)})",
            )
        ]
    t, y = states[0]
    scale = np.maximum(np.max(np.abs(y), axis=0), 1e-300)
    eps = _relative_tolerance(problem, float(np.max(scale)))
    checks = [_initial_state(system, y[0], scale)]
    span = _span(system, t)
    if span is not None:
        return [*checks, span]
    residual = _defect(system, t, y, scale)
    coarser = None
    if len(states) > 1 and states[1] is not None:
        tc, yc = states[1]
        coarser = _defect(system, tc, yc, np.maximum(np.max(np.abs(yc), axis=0), 1e-300))
    allowed = eps + relative_bound
    order = solves[0].order if math.isfinite(solves[0].order) else 1.0
    needed = (solves[1].h / solves[0].h) ** max(order - ORDER_SLACK, 0.5) if len(solves) > 1 else 0
    falling = coarser is not None and residual > 0 and coarser / residual >= needed
    passed = residual <= allowed or falling
    trend = (
        f"; {coarser:.3g} on the next coarser solve (falls {coarser / residual:.3g}x)"
        if coarser is not None and residual > 0
        else ""
    )
    checks.append(
        CheckResult(
            "ODE residual",
            bool(passed),
            float(residual),
            float(allowed),
            "S4",
            f"trajectory vs the spec's equations: largest relative defect {residual:.3g}"
            f"{trend}; allowed {allowed:.3g} (tolerance + study bound)"
            + (f" or a fall of at least {needed:.3g}x (the declared order)" if needed else ""),
        )
    )
    checks += _recomputed_observables(problem, system, t, y, solves[0], relative_bound)
    if system.conserved_total:
        total = y.sum(axis=1)
        drift = float(np.max(np.abs(total - total[0])) / max(abs(total[0]), 1e-300))
        checks.append(
            CheckResult(
                "conservation",
                drift <= eps,
                drift,
                eps,
                "S4",
                f"sum of {', '.join(system.names)} drifts by {drift:.3g} (relative; allowed "
                f"{eps:.3g}, the tolerance); the equations conserve it",
            )
        )
    return checks


def _recomputed_observables(
    problem: Problem,
    system: object,
    t: np.ndarray,
    y: np.ndarray,
    sol: Solution,
    relative_bound: float = 0.0,
) -> list[CheckResult]:
    """simlab's own value of each observable from the returned trajectory vs the reported one.

    Point and final values, peak times and extrema, from a Hermite interpolant whose slopes
    come from the spec's equations (:mod:`simlab.solvers.ode_observe`).
    """
    from simlab.solvers.ode_observe import DenseTrajectory, PeakError, evaluate, ode_requests

    requests = ode_requests(problem, system)  # type: ignore[arg-type]
    if isinstance(requests, str):
        return []
    with np.errstate(all="ignore"):
        dense = DenseTrajectory.build(system, t, y, None, order=4.0)  # type: ignore[arg-type]
    checks = []
    for request in requests:
        reported = sol.observables.get(request.name, math.nan)
        try:
            value, _ = evaluate(request, system, dense)  # type: ignore[arg-type]
        except (PeakError, ValueError) as exc:
            value, note = math.nan, str(exc)
        else:
            note = ""
        allowed = (
            allowed_error(problem, request.name, value) + relative_bound * abs(value)
            if math.isfinite(value)
            else 0.0
        )
        gap = (
            abs(reported - value) if math.isfinite(reported) and math.isfinite(value) else math.inf
        )
        checks.append(
            CheckResult(
                f"reported {request.name}",
                gap <= allowed,
                gap,
                allowed,
                "S4",
                f"reported {reported:.8g}, recomputed by simlab from the returned trajectory "
                f"{value:.8g} (SI; allowed {allowed:.3g}){'; ' + note if note else ''}",
            )
        )
    return checks


def _states(sol: Solution, names: Sequence[str]) -> tuple[np.ndarray, np.ndarray] | None:
    h = sol.history
    if "t" not in h or any(n not in h for n in names):
        return None
    return h["t"], np.column_stack([h[n] for n in names])


def _relative_tolerance(problem: Problem, size: float) -> float:
    """The problem's tolerance relative to a state of magnitude ``size`` (SI).

    A relative metric is used as written; an absolute one (in each observable's declared
    unit, a difference) is converted to SI and divided by ``size``.
    """
    from simlab.certify.display import display_units

    tol = problem.tolerance
    metric = tol.metric
    if metric.startswith("absolute"):
        allowed = [
            t * display_units(f.unit)[0]
            for f in problem.functionals
            if (t := tol.for_observable(f.name)) is not None and t > 0
        ]
        if allowed:
            return min(allowed) / max(size, 1e-300)
    values = [tol.threshold, *dict(tol.thresholds).values()]
    finite = [v for v in values if v is not None and v > 0]
    return min(finite) if finite and metric.startswith("relative") else 1e-3


def allowed_error(problem: Problem, name: str, value: float) -> float:
    """Absolute error (SI) the problem's tolerance allows for an observable's value."""
    from simlab.certify.display import display_units

    tol = problem.tolerance
    eps = tol.for_observable(name)
    metric = tol.metric
    if eps is None or eps <= 0:
        return 1e-3 * abs(value)
    if metric.startswith("absolute"):
        functional = problem.functional(name)
        return eps * display_units(functional.unit if functional else None)[0]
    return eps * abs(value)


def _span(system: object, t: np.ndarray) -> CheckResult | None:
    """A failed check when the trajectory does not cover the spec's time interval."""
    t0, t1 = system.t0, system.t_end  # type: ignore[attr-defined]
    slack = 1e-9 * max(abs(t0), abs(t1), t1 - t0)
    if abs(t[0] - t0) <= slack and abs(t[-1] - t1) <= slack and np.all(np.diff(t) > 0):
        return None
    return CheckResult(
        "trajectory time span",
        False,
        float(t[-1]),
        float(t1),
        "S4",
        f"the trajectory runs over [{t[0]:.6g}, {t[-1]:.6g}] s (times increasing: "
        f"{bool(np.all(np.diff(t) > 0))}); the spec asks for [{t0:.6g}, {t1:.6g}] s",
    )


def _initial_state(system: object, y0: np.ndarray, scale: np.ndarray) -> CheckResult:
    wanted = np.asarray(system.y0, dtype=float)  # type: ignore[attr-defined]
    gap = float(np.max(np.abs(y0 - wanted) / scale))
    return CheckResult(
        "initial state",
        gap <= 1e-9,
        gap,
        1e-9,
        "S4",
        f"y(t0) differs from the spec's initial value by {gap:.3g} (relative to each size)",
    )


def _defect(system: object, t: np.ndarray, y: np.ndarray, scale: np.ndarray) -> float:
    """Largest gap between the trajectory and the spec's own flow over windows of steps.

    Each window starts on the trajectory and is integrated with the spec's equations by an
    implicit, error-controlled integrator (scipy Radau, rtol 1e-10); the gap at the window's
    end, relative to each unknown's size, is the trajectory's defect there.
    """
    from scipy.integrate import solve_ivp

    rhs, jac = system.rhs, system.jacobian  # type: ignore[attr-defined]
    edges = np.unique(np.round(np.linspace(0, t.size - 1, min(t.size - 1, WINDOWS) + 1)))
    worst = 0.0
    for a, b in zip(edges[:-1].astype(int), edges[1:].astype(int), strict=True):
        if not np.all(np.isfinite(y[a])):
            return math.inf
        with np.errstate(all="ignore"):
            flow = solve_ivp(
                rhs,
                (t[a], t[b]),
                y[a],
                method="Radau",
                jac=jac,
                rtol=1e-10,
                atol=1e-12 * scale,
            )
        if not flow.success:
            return math.inf
        gap = float(np.max(np.abs(y[b] - flow.y[:, -1]) / scale))
        worst = max(worst, gap if math.isfinite(gap) else math.inf)
    return worst


# --------------------------------------------------------------------------- Fisher-KPP


def _front_speed(problem: Problem, solves: Sequence[Solution]) -> list[CheckResult]:
    """The measured front speed against Bramson's delayed asymptote.

    The equations decide whether it applies (a Fisher-KPP reaction, steep initial data, a
    front-speed observable), never the method the module declares: the problem is read without
    its planned discretization. The allowance is the tolerance plus the study's bound plus the
    spread between two asymptotic corrections (Bramson, Ebert-van Saarloos): the theory is
    no sharper than that, so this audit refutes gross errors and never confirms a limit alone
    (the cross-solve does).
    """
    from dataclasses import replace

    from simlab.solvers.builtin.parabolic import FisherKppSolver
    from simlab.solvers.kernels.fisher_kpp import bramson_window_speed, minimal_front_speed

    name_of = "front speed vs Bramson"
    if not any(f.head == "front_speed" for f in problem.functionals):
        return []
    fisher = FisherKppSolver().analyse(replace(problem, plan={}))
    if isinstance(fisher, str):
        return [CheckResult.not_applicable(name_of, f"the equations are not Fisher-KPP ({fisher})")]
    if not fisher.steep:
        return [
            CheckResult.not_applicable(
                name_of, "the initial data are not steep, so the front is not pulled"
            )
        ]
    names = [f.name for f in problem.functionals if f.kind == "front_speed"]
    if not names:
        return [CheckResult.not_applicable(name_of, "no front-speed observable")]
    name = names[0]
    D, r, T = fisher.rd.kappa, fisher.r, fisher.rd.duration
    t1, t2 = 0.5 * T, T
    measured = solves[0].observables[name]
    bramson = bramson_window_speed(D, r, t1, t2)
    evs = bramson_window_speed(D, r, t1, t2, ebert_van_saarloos=True)
    bound = 0.0
    if len(solves) >= 3:
        study = grid_study([s.observables[name] for s in solves[:3]], [s.h for s in solves[:3]])
        bound = study.gci_fine_abs or 0.0
    allowed = allowed_error(problem, name, bramson) + bound + abs(evs - bramson)
    gap = abs(measured - bramson) if math.isfinite(measured) else math.inf
    return [
        CheckResult(
            name_of,
            gap <= allowed,
            gap,
            allowed,
            "S4",
            f"measured {measured:.6g} over [{t1:g}, {t2:g}] vs Bramson {bramson:.6g} "
            f"(c* = {minimal_front_speed(D, r):.6g}): gap {gap:.3g}, allowed {allowed:.3g}",
        )
    ]


# --------------------------------------------------------------------------- fields


def constraint_checks(problem: Problem, sol: Solution) -> list[CheckResult]:
    """The problem's constraints ``u >= c`` on the returned fields."""
    checks = []
    for constraint in problem.constraints:
        if constraint.unknown not in sol.fields:
            continue
        lower = constraint.lower
        field = sol.fields[constraint.unknown]
        scale = max(float(np.max(np.abs(field))), 1e-300)
        low = float(np.min(field))
        checks.append(
            CheckResult(
                f"constraint {constraint.text}",
                low >= lower - 1e-9 * scale,
                low,
                lower,
                "S4",
                f"min {constraint.unknown} = {low:.3g} (the spec requires {constraint.text})",
            )
        )
    return checks


def recomputed_quality(problem: Problem, sol: Solution) -> dict[str, float] | None:
    """PSNR and relative error of a returned CT image against the problem's reference data."""
    functionals = problem.functionals
    ref = problem.tolerance.reference_for(functionals[0].name) if functionals else None
    if ref is None or ref.kind != "data" or "shepp_logan" not in str(ref.value):
        return None
    image = next((f for f in sol.fields.values() if f.ndim == 2), None)
    if image is None or image.shape[0] != image.shape[1]:
        return None
    from skimage.metrics import peak_signal_noise_ratio

    from simlab.solvers.kernels.ct import phantom

    truth = phantom(image.shape[0], 3)
    c = np.arange(image.shape[0]) - image.shape[0] // 2
    disk = (c[:, None] ** 2 + c[None, :] ** 2) <= (image.shape[0] // 2) ** 2
    with np.errstate(all="ignore"):
        psnr = peak_signal_noise_ratio(truth, image, data_range=truth.max() - truth.min())
        rel = np.linalg.norm(image[disk] - truth[disk]) / np.linalg.norm(truth[disk])
    out = {}
    for f in functionals:
        if f.head == "psnr":
            out[f.name] = float(psnr)
        elif f.head in ("relative_error", "rel_l2_error"):
            out[f.name] = float(rel)
    return out


def _quality(problem: Problem, sol: Solution) -> list[CheckResult]:
    recomputed = recomputed_quality(problem, sol)
    if not recomputed:
        return []
    checks = []
    for name, value in recomputed.items():
        head = problem.functional(name).head  # type: ignore[union-attr]
        allowed = QUALITY_TOLERANCE["psnr" if head == "psnr" else "relative_error"]
        reported = sol.observables.get(name, math.nan)
        gap = (
            abs(reported - value) if math.isfinite(reported) and math.isfinite(value) else math.inf
        )
        checks.append(
            CheckResult(
                f"reported {name}",
                gap <= allowed,
                gap,
                allowed,
                "S4",
                f"reported {reported:.6g}, recomputed by simlab from the returned image "
                f"{value:.6g} (allowed difference {allowed:g})",
            )
        )
    return checks
