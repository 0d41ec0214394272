"""Spec-driven solvers for systems of first-order ODEs (families ``ode`` and ``ode_stiff``).

The system, its Jacobian and initial state come from the compiled Problem
(:mod:`simlab.problem.ode`);
the integrator named in ``## Discretization`` is marched for a fixed number of steps with
:func:`simlab.solvers.kernels.ode.integrate_fixed`. Resolution = number of steps, ``h = 1 /
steps``, formal order = the tableau's.

* Explicit methods (and every method in the non-stiff family) step on a uniform grid.
* Implicit methods in the stiff family step on a grid uniform in ``log(1 + (t - t0) / t_scale)``
  (:func:`~simlab.solvers.kernels.ode.geometric_grid`): fine in the initial transient, coarse
  later, and still of the tableau's order in ``1 / steps`` because the map is smooth. A fixed
  grid is what gives the convergence study a clean order (adaptive ``solve_ivp`` does not, see
  ``docs/CHANGELOG.md``).
* Every observation time ``u(t=...)`` is a node (:mod:`._time_grid`); the step count is rounded
  up to a multiple of the grid's segment weights for that, and ``h = 1 / steps`` actually taken.

The time scales come from one pilot run of scipy's adaptive Radau (rtol 1e-4): the largest
Jacobian spectral radius ``rho`` met along it gives ``t_scale = 1 / rho`` (the fastest time
scale; a smaller one costs only ``log`` more steps) and the coarsest uniform grid,
``8 rho (t_end - t0)`` steps for explicit methods (``h rho = 1/8``, in the asymptotic range)
and ``rho (t_end - t0)`` for implicit ones. An explicit method on a stiff system therefore asks
for many steps, is capped at ``max_resolution / 4`` and fails visibly if that is not stable.
Observables of a failed run are NaN (``meta["failed"]``), which the study reports as a failed
run.

Adaptive names map to a fixed-step method of the same stability class, reported in
``meta["integrator_note"]``: ``rk45``/``rk23``/``dop853`` -> ``rk4``; ``bdf``/``lsoda``/
``implicit`` -> ``radau5``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from simlab.certify import audit_checks as audit
from simlab.certify.audit_checks import CheckResult
from simlab.errors import SolverError
from simlab.problem import Problem
from simlab.problem.ode import OdeSystem, first_order_system, ode_system
from simlab.solvers.builtin._base import SpecDrivenSolver
from simlab.solvers.builtin._time_grid import TimeGrid
from simlab.solvers.families import ODE, ODE_STIFF
from simlab.solvers.kernels.ode import (
    TABLEAUX,
    integrate_adaptive,
    integrate_fixed,
)
from simlab.solvers.ode_observe import (
    DenseTrajectory,
    OdeRequest,
    PeakError,
    evaluate,
    nan_observables,
    ode_requests,
)
from simlab.solvers.solution import Solution
from simlab.spec.model import Spec

EXPLICIT_ALIASES = {
    "rk4": "rk4",
    "classical_rk4": "rk4",
    "runge_kutta_4": "rk4",
    "euler": "euler",
    "forward_euler": "euler",
    "explicit_euler": "euler",
}
IMPLICIT_ALIASES = {
    "radau": "radau5",
    "radau5": "radau5",
    "radau_iia": "radau5",
    "radau3": "radau3",
    "backward_euler": "backward_euler",
    "implicit_euler": "backward_euler",
}
SUBSTITUTES = {
    **dict.fromkeys(("rk45", "dopri5", "dormand_prince", "ode45", "rk23", "dop853"), "rk4"),
    **dict.fromkeys(("bdf", "bdf2", "gear", "ode15s", "lsoda", "implicit"), "radau5"),
}
MIN_STEPS = 16
STEPS_PER_TIME_SCALE = 8
"""Explicit methods start at ``h rho = 1/8`` (implicit ones on a uniform grid at 1). SEIR-D's
peak time with rk4 shows order 2.2 (pre-asymptotic) on the triple from ``h rho = 1``, 3.4 from
1/2, 3.8 from 1/4, 3.9 from 1/8; radau5 shows 4.9-5.1 from ``h rho = 1``."""
IMPLICIT_STEPS = 24
"""Coarsest step count of implicit methods on the geometric grid (Newton converges there)."""
PILOT_RTOL = 1e-4
PILOT_MAX_STEPS = 50_000
PILOT_SECONDS = 20.0
ROUND_OFF = 1e-12
"""Relative room for round-off in the audits (conservation is exact for every RK method)."""


@dataclass(frozen=True)
class OdeProblem:
    """What one solve needs: the system, the observables and the integration plan."""

    system: OdeSystem
    requests: tuple[OdeRequest, ...]
    method: str
    grid: str
    asked: str | None
    note: str
    grid_family: TimeGrid
    pilot: dict[str, Any]


class RungeKuttaOdeSolver(SpecDrivenSolver[OdeProblem]):
    """Any first-order ODE system of the spec, fixed-step Runge-Kutta on a uniform grid.

    ``formal_order`` and ``resolutions`` are set per spec by :meth:`analyse` (the integrator's
    order; steps from the system's fastest time scale).
    """

    name = "ode_runge_kutta"
    family = ODE
    formal_order = 4.0
    resolutions = (MIN_STEPS, 2 * MIN_STEPS, 4 * MIN_STEPS)
    max_resolution = 16_384
    default_method: ClassVar[str] = "rk4"
    stiff: ClassVar[bool] = False
    reduce_order: ClassVar[bool] = False
    """Integrate higher-order equations reduced to first order (the cross-solve does)."""
    stiffness_switch: ClassVar[bool] = False
    """Run radau5 on the geometric grid when the explicit method would need more steps than
    ``max_resolution / 4`` (a stiff system), instead of failing visibly."""

    def analyse(self, problem: Problem) -> OdeProblem | str:
        read = first_order_system if self.reduce_order else ode_system
        system = read(problem)
        if isinstance(system, str):
            return system
        requests = ode_requests(problem, system)
        if isinstance(requests, str):
            return requests
        choice = self._method(problem)
        if isinstance(choice, str):
            return choice
        method, asked, note = choice
        pilot = _pilot(system)
        explicit = TABLEAUX[method].explicit
        rho = pilot["spectral_radius"]
        span = system.t_end - system.t0
        stiff = self.stiff
        too_many = STEPS_PER_TIME_SCALE * rho * span > self.max_resolution // 4
        if self.stiffness_switch and explicit and (too_many or not math.isfinite(rho)):
            method, explicit, stiff = "radau5", False, True
            note = f"stiff (spectral radius {rho:.3g} 1/s over {span:.3g} s): radau5"
        grid = "geometric" if stiff and not explicit else "uniform"
        t_scale = None
        if grid == "geometric":
            t_scale = min(span, 1.0 / rho) if rho > 0.0 else span
            base = IMPLICIT_STEPS
        else:
            per_scale = STEPS_PER_TIME_SCALE if explicit else 1
            wanted = math.ceil(per_scale * rho * span) if math.isfinite(rho) else 0
            base = int(min(max(MIN_STEPS, wanted), self.max_resolution // 4))
        times = [r.time for r in requests if r.time is not None]
        family = TimeGrid.build(grid, system.t0, system.t_end, t_scale, times)
        base = family.steps(base)
        self.formal_order = float(TABLEAUX[method].order)
        self.resolutions = (base, 2 * base, 4 * base)
        return OdeProblem(system, requests, method, grid, asked, note, family, pilot)

    def _method(self, problem: Problem) -> tuple[str, str | None, str] | str:
        """(tableau, integrator as written, note) from the planned discretization."""
        asked = problem.plan.get("integrator")
        if asked is None:
            return self.default_method, None, f"no integrator planned: {self.default_method}"
        key = asked.strip().lower().replace("-", "_").replace(" ", "_")
        if key in EXPLICIT_ALIASES:
            return EXPLICIT_ALIASES[key], asked, "as planned"
        if key in IMPLICIT_ALIASES:
            return IMPLICIT_ALIASES[key], asked, "as planned"
        if key in SUBSTITUTES:
            method = SUBSTITUTES[key]
            return (
                method,
                asked,
                (
                    f"'{asked}' adapts its step, which gives no order in the tolerance; ran the "
                    f"fixed-step {method} of the same stability class"
                ),
            )
        known = sorted({*EXPLICIT_ALIASES, *IMPLICIT_ALIASES, *SUBSTITUTES})
        return f"integrator '{asked}' is not available (known: {', '.join(known)})"

    def solve(self, spec: Spec, resolution: int) -> Solution:
        problem = self.problem(spec)
        system = problem.system
        if int(resolution) < 1:
            raise SolverError(f"the number of steps must be >= 1, got {resolution}")
        family = problem.grid_family
        steps = family.steps(int(resolution))
        times = family.times(steps)
        traj = integrate_fixed(system.rhs, system.y0, times, problem.method, system.jacobian)
        failed = traj.failed or traj.t[-1] < system.t_end
        notes: dict[str, str] = {}
        if failed:
            observables = nan_observables(problem.requests)
        else:
            dense = DenseTrajectory.build(system, traj.t, traj.y, traj.dydt, traj.order)
            observables = {}
            for request in problem.requests:
                try:
                    observables[request.name], notes[request.name] = evaluate(
                        request, system, dense
                    )
                except PeakError as exc:
                    raise SolverError(f"observable '{request.name}': {exc}") from None
        fields = {name: traj.y[:, i] for i, name in enumerate(system.names)}
        history: dict[str, np.ndarray] = {"t": traj.t, **fields}
        if system.conserved_total:
            history["total"] = traj.y.sum(axis=1)
        return self.remember(
            Solution(
                grid={"t": traj.t},
                fields=fields,
                resolution=float(steps),
                h=1.0 / steps,
                order=traj.order,
                observables=observables,
                history=history,
                meta={
                    **traj.meta(),
                    "failed": failed,
                    "integrator_asked": problem.asked,
                    "integrator_note": problem.note,
                    "grid": problem.grid,
                    "t_scale": family.t_scale,
                    "steps_multiple": family.multiple,
                    "observation_times": family.knot_times[1:-1],
                    "h_meaning": "1 / steps"
                    + (
                        " in s = log(1 + (t - t0)/t_scale), normalised to [0, 1]"
                        if problem.grid == "geometric"
                        else " of the time interval (dt = (t_end - t0) / steps)"
                    ),
                    "pilot": problem.pilot,
                    "observable_notes": notes,
                },
            )
        )

    def audit(self, spec: Spec, solution: Solution) -> list[CheckResult]:
        """Completion, and conservation, positivity, monotonicity where the equations imply them."""
        system = self.problem(spec).system
        reached = float(solution.grid["t"][-1])
        checks = [
            CheckResult(
                name=f"integration reached {system.time}_end",
                passed=not solution.meta.get("failed", False),
                value=reached,
                threshold=system.t_end,
                condition="S4",
                message=f"{solution.meta.get('message', 'ok')}; reached {system.time} = "
                f"{reached:.6g} s of {system.t_end:.6g} s",
            )
        ]
        steps = max(1, int(solution.resolution))
        if system.conserved_total and "total" in solution.history:
            checks.append(
                audit.conservation(
                    solution.history["total"],
                    rtol=max(ROUND_OFF, 64 * np.finfo(float).eps * steps),
                    name=f"conservation of {' + '.join(system.names)}",
                )
            )
        if not system.nonnegative:
            return checks
        for name, direction in zip(system.names, system.monotone, strict=True):
            series = solution.fields[name]
            scale = float(np.max(np.abs(series))) if series.size else 0.0
            checks.append(
                audit.positivity(series, atol=ROUND_OFF * scale, name=f"positivity of {name}")
            )
            if direction:
                checks.append(
                    audit.monotonicity(
                        series,
                        increasing=direction > 0,
                        atol=ROUND_OFF * scale,
                        name=f"{name} {'non-decreasing' if direction > 0 else 'non-increasing'}",
                    )
                )
        return checks


class RadauOdeSolver(RungeKuttaOdeSolver):
    """Stiff first-order ODE systems: Radau IIA (order 5 by default) on a geometric time grid."""

    name = "ode_radau_iia"
    family = ODE_STIFF
    formal_order = 5.0
    resolutions = (IMPLICIT_STEPS, 2 * IMPLICIT_STEPS, 4 * IMPLICIT_STEPS)
    default_method = "radau5"
    stiff = True


def _pilot(system: OdeSystem) -> dict[str, Any]:
    """Spectral radius of the Jacobian along one adaptive Radau run (the fastest time scale)."""
    scale = float(np.max(np.abs(system.y0))) or 1.0
    traj = integrate_adaptive(
        system.rhs,
        system.y0,
        (system.t0, system.t_end),
        method="Radau",
        rtol=PILOT_RTOL,
        atol=PILOT_RTOL * 1e-6 * scale,
        jac=system.jacobian,
        max_steps=PILOT_MAX_STEPS,
        max_seconds=PILOT_SECONDS,
    )
    radii = []
    with np.errstate(all="ignore"):
        for t, y in zip(traj.t, traj.y, strict=True):
            jac = system.jacobian(t, y)
            if np.all(np.isfinite(jac)):
                radii.append(float(np.max(np.abs(np.linalg.eigvals(jac)))))
    rho = max(radii, default=0.0)
    return {
        "spectral_radius": rho,
        "steps": traj.steps,
        "reached": float(traj.t[-1]),
        "failed": traj.failed,
        "message": traj.message,
    }
