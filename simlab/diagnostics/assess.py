"""Run the diagnostics that apply to a spec and say whether its answer sits near a bifurcation.

Which diagnostics apply is computed from the spec (:mod:`simlab.diagnostics.spec_bridge`):

========================  ====================================================================
stationary, 1-D / 2-D     ``continuation`` in each parameter of the equation (1-D; the first
                          candidate only in 2-D) from the spec's solution, and the ``probe``
                          (every parameter the solution depends on, +- 5 %)
stationary, other         the ``probe`` (integral transforms ...), when parameters enter
ODE system                ``lyapunov`` (autonomous, affordable with explicit RK4),
                          ``continuation`` of every isolated equilibrium near the trajectory
                          (fold, branch point, Hopf) in each parameter, and the ``ensemble``
time-dependent PDE        the ``ensemble`` over parameters and initial values
========================  ====================================================================

Thresholds (from the issue and the numerical core; none was tuned on specs/interior):

* continuation flags a special point within ``DELTA = 5 %`` of the parameter's scale: the
  width of the probe, so the continuation flags exactly the bifurcations a +- 5 % probe would
  step across, including those (branch points, Hopf points) across which the probe sees no
  jump because the branch goes on;
* lyapunov flags ``lambda_1 > 3 SE`` *and* ``lambda_1 (t_end - t0) > ln 10``: positive beyond
  its error and amplifying input errors by more than a decade within the spec's own horizon;
* ensemble (CV > 0.1 of N = 5 members perturbed by 1e-3) and probe (relative jump > 0.5 or a
  failed solve) as in the numerical core.

The distance to a special point is the relative change of the parameter that reaches it,
``|lam* - lam0| / |lam0|`` (``|lam*|`` when lam0 = 0): a ratio of like quantities, the same
in every system of units, and the probe's +- 5 % measure. (Session 2 measured a dimensionless
parameter against ``max(|value|, 1)`` so that the normal forms' bifurcations at 0 were
"near" ``mu = 0.01``; that is not scale-free, and a normal form has no scale of its own:
``x' = mu x - x^3`` at ``mu = 0.01`` is the one at ``mu = 1`` with x and t rescaled.)

Solver-based diagnostics run at the coarsest resolution of the study, on a fresh solver.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from simlab.certify.certificate import Certificate, Status
from simlab.diagnostics.ensemble import ensemble_perturbation
from simlab.diagnostics.errors import DiagnosticsError
from simlab.diagnostics.flags import DiagnosticResult, Flag
from simlab.diagnostics.lyapunov import lyapunov_flow
from simlab.diagnostics.probe import parameter_probe
from simlab.diagnostics.spec_bridge import (
    GridSolve,
    ObservableSolve,
    SpecContinuation,
    candidate_parameters,
    equilibria,
    equilibrium_continuations,
    flow,
    influential_inputs,
    input_values,
    stationary_continuation,
    trajectory,
)
from simlab.diagnostics.types import Branch
from simlab.errors import SimlabError
from simlab.spec.model import Spec

DELTA = 0.05
"""Relative distance to a special point that flags (the probe's width)."""
WINDOW = 0.25
"""Continuation explores +- WINDOW x scale around the spec's value (reports near misses)."""
GRID_CELLS = {1: 64, 2: 24}
"""Cells per side of the bridge's own grid for stationary continuation."""
LYAPUNOV_DECADES = math.log(10.0)
LYAPUNOV_SIGMAS = 3.0
LYAPUNOV_STEP = 0.5
"""RK4 step times the largest |eigenvalue| of J along the trajectory (stable up to 2.8)."""
LYAPUNOV_AVERAGING = 2.0
"""Averaging time in horizons, after a transient of one horizon: a periodic orbit's finite-
time exponent log(max|f| / min|f|) / T then stays below the growth threshold."""
LYAPUNOV_MAX_STEPS = 20_000
LYAPUNOV_SPREAD = 1e-6
"""Start offsets relative to the largest state component: small, so that a component that
starts at 0 in a positive system (SEIR-D's E) is not pushed far negative, where such systems
blow up; chaotic trajectories still decorrelate within the transient."""
EQUILIBRIUM_SAMPLES = 4
LYAPUNOV_TRAJECTORIES = 8
S4_TEXT = "near the boundary of certifiability (S4)"


@dataclass
class Assessment:
    """What the diagnostics found for one spec.

    Attributes:
        results: every diagnostic that ran, with flags and evidence.
        skipped: diagnostic -> why it did not apply or could not run.
        seconds: wall time per diagnostic.
    """

    results: list[DiagnosticResult] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def flagged(self) -> bool:
        return any(r.flagged for r in self.results)

    @property
    def flags(self) -> list[Flag]:
        return [f for r in self.results for f in r.flags]

    def entries(self) -> list[dict[str, Any]]:
        """JSON-ready entries for :attr:`Certificate.diagnostics`."""
        out: list[dict[str, Any]] = []
        for r in self.results:
            out.append(
                {
                    "diagnostic": r.diagnostic,
                    "applied": True,
                    "flagged": r.flagged,
                    "flags": [
                        {
                            "quantity": f.quantity,
                            "value": f.value,
                            "threshold": f.threshold,
                            "message": f.message,
                        }
                        for f in r.flags
                    ],
                    "evidence": r.evidence,
                    "seconds": self.seconds.get(r.diagnostic),
                }
            )
        for name, reason in self.skipped.items():
            out.append({"diagnostic": name, "applied": False, "flagged": False, "reason": reason})
        return out

    def reason(self) -> str | None:
        """One S4 sentence with the evidence numbers, or None when nothing flagged."""
        if not self.flagged:
            return None
        return f"{S4_TEXT}: " + "; ".join(
            f"{f.diagnostic}: {f.message.splitlines()[0]}" for f in self.flags
        )


def flag_certificate(cert: Certificate, assessment: Assessment) -> Certificate:
    """Record the diagnostics on ``cert``; any flag turns a PASS into a FLAG naming S4."""
    cert.diagnostics = assessment.entries()
    reason = assessment.reason()
    if reason is None:
        return cert
    cert.reasons.append(reason)
    if cert.status == Status.PASS:
        cert.status = Status.FLAG
    for condition in cert.conditions:
        if condition.condition == "S4":
            condition.reason = (
                reason if condition.status == Status.PASS else f"{condition.reason}; {reason}"
            )
            if condition.status == Status.PASS:
                condition.status = Status.FLAG
    return cert


# ------------------------------------------------------------------ the driver


def assess(
    spec: Spec,
    solver: Any = None,
    study: Any = None,
    *,
    scheduler: Any = None,
) -> Assessment:
    """Run every diagnostic that applies to ``spec`` (see the module docstring).

    ``solver``/``study`` are the pipeline's (the solver's class is re-instantiated; the
    study gives the coarsest resolution and its observables). Without a solver, one is
    chosen by the Judge's family when a built-in fits; without one, only the bridge's own
    diagnostics run. ``scheduler`` is passed to the ensemble (None: in this process).
    A diagnostic that cannot run is listed in ``skipped`` with the reason, never raised.
    """
    out = Assessment()
    if solver is None:
        solver = _choose_solver(spec, out)
    context = _SolveContext.build(spec, solver, study, out)
    if spec.domain.time is None:
        _stationary(spec, context, out)
    elif not spec.domain.coordinates:
        path = _Path(spec)
        _timed(out, "lyapunov", lambda: _lyapunov(spec, path.states()))
        _timed(out, "continuation", lambda: _equilibria(spec, path.starts()))
        _timed(out, "ensemble", lambda: _ensemble(spec, context, scheduler))
    else:
        _timed(out, "ensemble", lambda: _ensemble(spec, context, scheduler))
    return out


def _timed(out: Assessment, name: str, run: Callable[[], DiagnosticResult | str]) -> None:
    t0 = time.perf_counter()
    try:
        result = run()
    except DiagnosticsError as exc:  # the spec is outside what the diagnostic handles
        result = f"not applicable: {exc.message}"
    except (SimlabError, ArithmeticError, ValueError, np.linalg.LinAlgError) as exc:
        result = f"could not run: {type(exc).__name__}: {exc}"
    out.seconds[name] = time.perf_counter() - t0
    if isinstance(result, str):
        out.skipped[name] = result
    else:
        out.results.append(result)


def _choose_solver(spec: Spec, out: Assessment) -> Any:
    from simlab.judge import judge
    from simlab.solvers.registry import select

    try:
        report = judge(spec)
        if not report.accepted or report.classification is None:
            out.skipped["solver"] = "the Judge did not accept and classify the spec"
            return None
        return select(spec, report.classification.family)
    except SimlabError as exc:
        out.skipped["solver"] = f"no built-in solver: {exc.message}"
        return None


@dataclass
class _SolveContext:
    """A solver type, the resolution to run it at and the baseline observables there."""

    solver_type: type | None
    resolution: int | None
    baseline: dict[str, float] | None

    @classmethod
    def build(cls, spec: Spec, solver: Any, study: Any, out: Assessment) -> _SolveContext:
        if solver is None:
            return cls(None, None, None)
        try:
            fresh = type(solver)()
        except Exception:  # a supplied (sandboxed) solver needs its module: not re-run here
            out.skipped["solver"] = (
                f"{getattr(solver, 'name', type(solver).__name__)} cannot be re-instantiated "
                "(a supplied solver): the diagnostics do not re-run supplied code"
            )
            return cls(None, None, None)
        if study is not None and study.records:
            coarsest = min(study.records, key=lambda r: r.resolution)
            return cls(type(solver), int(coarsest.resolution), dict(coarsest.observables))
        if not fresh.fit(spec).ok:
            out.skipped["solver"] = f"{fresh.name} does not fit the spec"
            return cls(None, None, None)
        resolution = int(min(fresh.resolutions))
        try:
            baseline = dict(fresh.solve(spec, resolution).observables)
        except SimlabError as exc:
            out.skipped["solver"] = f"the baseline solve failed: {exc.message}"
            return cls(None, None, None)
        return cls(type(solver), resolution, baseline)

    def solve(self, spec: Spec) -> ObservableSolve | None:
        if self.solver_type is None or self.resolution is None or self.baseline is None:
            return None
        return ObservableSolve(spec, self.solver_type, self.resolution, self.baseline)


# ------------------------------------------------------------------ stationary problems


def _stationary(spec: Spec, context: _SolveContext, out: Assessment) -> None:
    dims = spec.domain.dimension
    if dims in GRID_CELLS:
        _timed(out, "continuation", lambda: _stationary_continuation(spec, GRID_CELLS[dims]))
    else:
        out.skipped["continuation"] = f"{dims}-D: the grid bridge handles 1-D and 2-D"
    _timed(out, "probe", lambda: _probe(spec, context, GRID_CELLS.get(dims, 0)))


def _stationary_continuation(spec: Spec, cells: int) -> DiagnosticResult | str:
    candidates = candidate_parameters(spec)
    if not candidates:
        return "no numeric parameter in the equations"
    if spec.domain.dimension > 1:
        candidates = candidates[:1]  # one parameter in 2-D: each continuation costs sparse LUs
    found, problems = [], []
    for info in candidates:
        try:
            found.append(stationary_continuation(spec, info.name, cells))
        except SimlabError as exc:
            problems.append(f"{info.name}: {exc.message}")
    if not found:
        return "; ".join(problems)
    return _continuation_result(found, n_eigs=0, notes=problems)


def _probe(spec: Spec, context: _SolveContext, cells: int) -> DiagnosticResult | str:
    parameters, _ = influential_inputs(spec)
    if not parameters:
        return "no nonzero numeric parameter enters the equations, boundary or initial data"
    params = input_values(spec, parameters, [])
    solve = context.solve(spec)
    baseline = None
    if solve is not None:
        baseline = np.array([context.baseline[n] for n in solve.names]) / solve.scales
    elif cells:
        solve = GridSolve(spec, cells)
        baseline = solve.baseline
    else:
        return "no solver fits the spec and the grid bridge cannot discretise it"
    result = parameter_probe(solve, params, parameters=parameters, baseline=baseline)
    what = "observables" if isinstance(solve, ObservableSolve) else "grid solution"
    evidence = {**result.evidence, "output": what, "resolution": context.resolution or cells}
    return DiagnosticResult(result.diagnostic, result.flags, evidence)


# ------------------------------------------------------------------ continuation flags


def _continuation_result(
    runs: list[SpecContinuation], *, n_eigs: int, notes: list[str]
) -> DiagnosticResult:
    """Continue each problem both ways within the window; flag special points within DELTA."""
    points, branches = [], []
    for run in runs:
        for direction in (1, -1):
            branch = run.run(direction, window=WINDOW, n_eigs=n_eigs, stop_at_first=True)
            step = (
                abs(run.value(branch.lam[1]) - run.value(branch.lam[0]))
                if len(branch) > 1
                else None
            )
            branches.append(
                {
                    "parameter": run.parameter.name,
                    "start": run.description,
                    "direction": direction,
                    "points": len(branch),
                    "local_step": step,
                    "stop_reason": branch.stop_reason,
                    "notes": branch.notes,
                }
            )
            found = [(p.type, run.value(p.value), p.frequency, None) for p in branch.special_points]
            found += _unlocated(branch, run)
            for kind, lam, frequency, bracket in found:
                lam0 = run.parameter.value
                points.append(
                    {
                        "type": kind,
                        "parameter": run.parameter.name,
                        "value": lam,
                        "spec_value": lam0,
                        "unit": run.parameter.unit,
                        "relative_distance": relative_distance(lam, lam0),
                        "distance_in_steps": abs(lam - lam0) / step if step else None,
                        "start": run.description,
                        "frequency": frequency,
                        "located": bracket is None,
                        "bracket": bracket,
                    }
                )
    points = _unique(points)
    points.sort(key=lambda p: p["relative_distance"])
    flags = tuple(
        Flag(
            "continuation",
            f"relative_distance[{p['type']} in {p['parameter']}]",
            p["relative_distance"],
            DELTA,
            f"{p['type']}{'' if p['located'] else ' (detected, not located)'} at "
            f"{p['parameter']} = {p['value']:.6g}, "
            f"{100 * p['relative_distance']:.2g} % from the spec's {p['spec_value']:.6g}"
            + (
                f" ({p['distance_in_steps']:.2g} continuation steps)"
                if p["distance_in_steps"] is not None
                else ""
            )
            + f" [{p['start']}]",
        )
        for p in points
        if p["relative_distance"] <= DELTA
    )
    evidence = {
        "threshold_relative_distance": DELTA,
        "window": WINDOW,
        "parameters": sorted({r.parameter.name for r in runs}),
        "nearest": points[0] if points else None,
        "special_points": points,
        "branches": branches,
        "not_continued": notes,
    }
    return DiagnosticResult("continuation", flags, evidence)


def relative_distance(value: float, start: float) -> float:
    """|value - start| relative to the start's own magnitude (the special point's at 0)."""
    gap = abs(value - start)
    size = abs(start) or abs(value)
    return gap / size if size else 0.0


_EVENT = re.compile(r"^(fold|branch_point|hopf) between points (\d+) and (\d+)")


def _unlocated(branch: Branch, run: SpecContinuation) -> list[tuple]:
    """Events detected by a sign change but not located (e.g. a pitchfork met on one of its
    half-branches, where the fold and branch-point systems are both singular): the bracket's
    end nearer to the spec's value stands for the point, so the distance is not overstated.
    """
    out = []
    for note in branch.notes:
        match = _EVENT.match(note)
        if match is None:
            continue
        i, j = int(match.group(2)), int(match.group(3))
        ends = [run.value(branch.lam[k]) for k in (i, j) if k < len(branch)]
        if not ends:
            continue
        nearest = min(ends, key=lambda lam: abs(lam - run.parameter.value))
        out.append((match.group(1), nearest, None, sorted(ends)))
    return out


def _unique(points: list[dict]) -> list[dict]:
    """One entry per (type, parameter, start, value) found from both directions."""
    out: list[dict] = []
    for p in points:
        same = [
            q
            for q in out
            if (q["type"], q["parameter"], q["start"]) == (p["type"], p["parameter"], p["start"])
            and abs(q["value"] - p["value"]) <= 1e-8 * max(abs(p["value"]), 1.0)
        ]
        if not same:
            out.append(p)
    return out


# ------------------------------------------------------------------ ODE systems


class _Path:
    """The spec's trajectory, computed once for the Lyapunov and equilibrium diagnostics."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self._states: np.ndarray | None = None

    def states(self) -> np.ndarray:
        if self._states is None:
            self._states = trajectory(self.spec)[1]
        return self._states

    def starts(self) -> np.ndarray:
        """Newton starts for equilibria: final state, mean of the second half, then samples."""
        ys = self.states()
        picks = ys[:: max(1, len(ys) // EQUILIBRIUM_SAMPLES)]
        return np.vstack([ys[-1], ys[len(ys) // 2 :].mean(axis=0), *picks])


def _equilibria(spec: Spec, starts: np.ndarray) -> DiagnosticResult | str:
    points = equilibria(spec, starts)
    if not points:
        return (
            "no isolated equilibrium near the trajectory (Newton did not converge, or the "
            "equilibria come in lines, e.g. from a conservation law)"
        )
    candidates = candidate_parameters(spec)
    if not candidates:
        return "no numeric parameter in the equations"
    runs = [r for c in candidates for r in equilibrium_continuations(spec, c.name, points)]
    return _continuation_result(runs, n_eigs=min(runs[0].v0.size, 6), notes=[])


def _lyapunov(spec: Spec, states: np.ndarray) -> DiagnosticResult | str:
    rhs, jac, field = flow(spec)
    horizon = field.t_end - field.t0
    with np.errstate(all="ignore"):
        radii = np.abs(np.linalg.eigvals(jac(states))).max(axis=1)
    rho = float(np.max(radii[np.isfinite(radii)], initial=0.0))
    if rho <= 0.0:
        return "the Jacobian vanishes along the trajectory: no time scale"
    dt = min(LYAPUNOV_STEP / rho, horizon / 200.0)
    steps_needed = (1.0 + LYAPUNOV_AVERAGING) * horizon / dt
    if steps_needed > LYAPUNOV_MAX_STEPS:
        return (
            f"needs {steps_needed:.3g} RK4 steps (spectral radius {rho:.3g} x horizon "
            f"{horizon:.3g} = {rho * horizon:.3g}: stiff or long); the ensemble covers it"
        )
    averaging = LYAPUNOV_AVERAGING * horizon
    result = lyapunov_flow(
        rhs,
        jac,
        field.y0,
        t_total=averaging,
        dt=dt,
        t_transient=horizon,
        n_exponents=1,
        n_trajectories=LYAPUNOV_TRAJECTORIES,
        spread=LYAPUNOV_SPREAD,
        renorm_every=max(1, min(10, round(averaging / dt / 20))),
    )
    largest, stderr = result.largest, float(result.stderr[0])
    growth = largest * horizon
    evidence = {
        "largest_exponent": largest,
        "stderr": stderr,
        "horizon": horizon,
        "growth_over_horizon": growth,
        "amplification": math.exp(min(growth, 700.0)),
        "dt": dt,
        "spectral_radius": rho,
        "transient": horizon,
        "averaging_time": result.duration,
        "trajectories": LYAPUNOV_TRAJECTORIES,
        "threshold_sigmas": LYAPUNOV_SIGMAS,
        "threshold_growth": LYAPUNOV_DECADES,
        "method": result.method,
    }
    flags: tuple[Flag, ...] = ()
    if largest > LYAPUNOV_SIGMAS * stderr and growth > LYAPUNOV_DECADES:
        flags = (
            Flag(
                "lyapunov",
                "largest_exponent",
                largest,
                max(LYAPUNOV_SIGMAS * stderr, LYAPUNOV_DECADES / horizon),
                f"largest Lyapunov exponent {largest:.3g} +- {stderr:.2g} > 0: input errors "
                f"grow by e^{growth:.3g} over the horizon {horizon:.3g} (chaos)",
            ),
        )
    return DiagnosticResult("lyapunov", flags, evidence)


def _ensemble(spec: Spec, context: _SolveContext, scheduler: Any) -> DiagnosticResult | str:
    solve = context.solve(spec)
    if solve is None:
        return "no solver fits the spec: nothing to re-solve"
    parameters, initial = influential_inputs(spec)
    params = input_values(spec, parameters, initial)
    if not params:
        return "no nonzero numeric parameter or initial value to perturb"
    result = ensemble_perturbation(solve, params, scheduler=scheduler)
    evidence = {
        **result.evidence,
        "resolution": context.resolution,
        "observables": list(solve.names),
        "output": "observables / baseline",
    }
    return DiagnosticResult(result.diagnostic, result.flags, evidence)
