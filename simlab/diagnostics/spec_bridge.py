"""From a spec to the diagnostics' inputs: continuation problems and solve callables.

Everything is computed from the spec's equations (never from its title or file name):

* :func:`stationary_continuation` discretises a stationary problem (1-D to 3-D, systems)
  on the general engine's grid (:mod:`simlab.diagnostics.spec_engine`, the residual and sparse
  Jacobian of :mod:`simlab.discretize`) and solves it at the spec's parameter value from the
  spec's initial guess; :func:`equilibrium_continuations` follows the isolated equilibria of
  an autonomous ODE system (:mod:`simlab.diagnostics.spec_ode`). Both return
  :class:`SpecContinuation` s in scaled variables (``p = lam / scale``, ``v = u / u_scale``)
  so that the default step sizes fit any units; :func:`continuations` picks the right one.
* :class:`ObservableSolve` re-solves a perturbed spec with a built-in solver;
  :class:`GridSolve` with the bridge's own grid (stationary specs no solver fits).

Parameters and spec edits live in :mod:`simlab.diagnostics.spec_params`, ODE systems in
:mod:`simlab.diagnostics.spec_ode`; their public names are re-exported here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from simlab.diagnostics.continuation import ContinuationSettings, continuation
from simlab.diagnostics.corrector import newton_fixed_parameter
from simlab.diagnostics.errors import ConvergenceError, DiagnosticsError
from simlab.diagnostics.spec_engine import EngineGrid, engine_grid
from simlab.diagnostics.spec_ode import (
    OdeField,
    equilibria,
    flow,
    ode_field,
    parametric,
    state_scale,
    trajectory,
)
from simlab.diagnostics.spec_params import (
    INITIAL_SUFFIX,
    ParameterInfo,
    candidate_parameters,
    influential_inputs,
    input_values,
    parameter_info,
    spec_with,
)
from simlab.diagnostics.types import Branch, ContinuationProblem, SpecialType
from simlab.spec.model import Spec

__all__ = [
    "INITIAL_SUFFIX",
    "GridSolve",
    "ObservableSolve",
    "OdeField",
    "ParameterInfo",
    "SpecContinuation",
    "candidate_parameters",
    "continuations",
    "equilibria",
    "equilibrium_continuations",
    "flow",
    "influential_inputs",
    "input_values",
    "ode_field",
    "parameter_info",
    "spec_with",
    "stationary_continuation",
    "trajectory",
]


@dataclass(frozen=True)
class SpecContinuation:
    """F(v, p) = 0 for one spec and parameter, in scaled variables, with a converged start.

    ``p = lam / parameter.scale`` (lam in the parameter's unit) and ``u = u_scale * v``.
    """

    kind: Literal["stationary", "equilibrium"]
    parameter: ParameterInfo
    problem: ContinuationProblem
    v0: np.ndarray
    u_scale: float
    detect: tuple[SpecialType, ...]
    resolution: int | None = None
    description: str = ""

    @property
    def p0(self) -> float:
        return self.parameter.value / self.parameter.scale

    def value(self, p: float) -> float:
        """The parameter in its unit at scaled value ``p``."""
        return float(p) * self.parameter.scale

    def run(
        self,
        direction: int,
        *,
        window: float,
        bounds: tuple[float | None, float | None] = (None, None),
        max_steps: int = 200,
        n_eigs: int = 0,
        max_norm: float = 1e3,
        ds: float = 0.02,
        ds_max: float = 0.25,
        stop_at_first: bool = False,
        stop_at: tuple[SpecialType, ...] = (),
        stop_count: int = 1,
    ) -> Branch:
        """Continue from the start in ``direction`` while |lam - lam0| <= window * scale.

        ``bounds`` (in the parameter's unit) replace either end of that range.
        ``max_norm`` bounds max|u| / u_scale. ``stop_at_first``: stop at the first located
        special point (the nearest one in this direction, all a distance check needs);
        ``stop_at``/``stop_count``: detect only these types and stop at the stop_count-th.
        """
        detect = self.detect if n_eigs else tuple(t for t in self.detect if t != "hopf")
        if stop_at:
            detect = tuple(t for t in detect if t in stop_at)
        low, high = self.p0 - window, self.p0 + window
        if bounds[0] is not None:
            low = bounds[0] / self.parameter.scale
        if bounds[1] is not None:
            high = bounds[1] / self.parameter.scale
        if not low <= self.p0 <= high:
            raise DiagnosticsError(
                f"{self.parameter.name} = {self.parameter.value:g} lies outside the range "
                f"[{self.value(low):g}, {self.value(high):g}]"
            )
        settings = ContinuationSettings(
            ds=ds,
            ds_min=1e-6,
            ds_max=max(ds, ds_max),
            max_steps=max_steps,
            lam_min=low,
            lam_max=high,
            max_norm=max_norm,
            n_eigs=n_eigs,
            detect=detect,
            stop_at=stop_at or (detect if stop_at_first else ()),
            stop_count=stop_count,
        )
        branch = continuation(
            self.problem, self.v0, self.p0, direction=direction, settings=settings
        )
        scaled = f"{self.problem.parameter} left [{low}, {high}]"
        if branch.stop_reason == scaled:  # the range in the parameter's unit, not scaled
            unit = f" {self.parameter.unit}" if self.parameter.unit else ""
            branch.stop_reason = (
                f"{self.parameter.name} left [{self.value(low):.6g}, {self.value(high):.6g}]{unit}"
            )
        return branch


def _scaled(
    residual: Callable,
    jacobian: Callable,
    dparam: Callable,
    info: ParameterInfo,
    u_scale: float,
    *,
    symmetric: bool = False,
    functional: Callable | None = None,
) -> ContinuationProblem:
    """F(v, p) = R(u_scale v, lam_SI = p scale si) / u_scale with exact chain-rule derivatives.

    Dividing by ``u_scale`` makes dF/dv equal to dR/du, so the eigenvalues (stability, Hopf
    detection) are those of the spec's own Jacobian, in its time unit.
    """
    to_si = info.scale * info.si
    return ContinuationProblem(
        residual=lambda v, p: residual(u_scale * v, p * to_si) / u_scale,
        jacobian=lambda v, p: jacobian(u_scale * v, p * to_si),
        dparam=lambda v, p: dparam(u_scale * v, p * to_si) * (to_si / u_scale),
        parameter=info.name,
        functional=(lambda v: functional(u_scale * v)) if functional else None,
        symmetric=symmetric,
    )


def signed_peak(u: np.ndarray) -> float:
    """The entry of largest magnitude, with its sign (the branch functional)."""
    return float(u[np.argmax(np.abs(u))]) if u.size else 0.0


def stationary_continuation(
    spec: Spec, parameter: str | None = None, resolution: int = 64
) -> SpecContinuation:
    """The spec's stationary problem on a grid, solved at the spec's parameter value."""
    info = parameter_info(spec, parameter)
    grid = engine_grid(spec, info.name, resolution)
    if isinstance(grid, str):
        raise DiagnosticsError(f"not continuable: {grid}")
    lam_si = info.value * info.si
    raw = ContinuationProblem(grid.residual, grid.jacobian, grid.dparam, info.name)
    try:
        u = newton_fixed_parameter(raw, grid.guess, lam_si)
    except ConvergenceError as exc:
        raise DiagnosticsError(
            f"not continuable: Newton from the spec's initial guess did not converge at "
            f"{info.name} = {info.value:g} ({exc})",
            hint="give an initial_guess closer to the solution",
        ) from None
    scale = state_scale(u, state_scale(grid.guess))
    problem = _scaled(
        grid.residual,
        grid.jacobian,
        grid.dparam,
        info,
        scale,
        symmetric=grid.symmetric,
        functional=signed_peak,
    )
    return SpecContinuation(
        "stationary",
        info,
        problem,
        u / scale,
        scale,
        ("fold", "branch_point"),
        resolution,
        grid.describe(),
    )


def equilibrium_continuations(
    spec: Spec, parameter: str | None = None, points: list[np.ndarray] | None = None
) -> list[SpecContinuation]:
    """One :class:`SpecContinuation` per isolated equilibrium (``points`` or :func:`equilibria`)."""
    info = parameter_info(spec, parameter)
    field = ode_field(spec)
    points = equilibria(spec) if points is None else points
    raw = parametric(field, info.name)
    out = []
    for y in points:
        scale = state_scale(y, state_scale(field.y0))
        problem = _scaled(
            raw.residual, raw.jacobian, raw.dparam, info, scale, functional=lambda v: float(v[0])
        )
        shown = ", ".join(f"{n}={v:.6g}" for n, v in zip(field.names, y, strict=True))
        out.append(
            SpecContinuation(
                "equilibrium",
                info,
                problem,
                y / scale,
                scale,
                ("fold", "branch_point", "hopf"),
                None,
                f"equilibrium ({shown})",
            )
        )
    return out


def continuations(
    spec: Spec, parameter: str | None = None, resolution: int = 64
) -> list[SpecContinuation]:
    """Stationary problem or ODE equilibria, whichever the spec is (a clear error otherwise)."""
    if spec.domain.time is None:
        return [stationary_continuation(spec, parameter, resolution)]
    if spec.domain.coordinates:
        raise DiagnosticsError(
            "not continuable: a time-dependent PDE (continuation follows stationary problems "
            "and equilibria of ODE systems)"
        )
    found = equilibrium_continuations(spec, parameter)
    if not found:
        raise DiagnosticsError(
            "not continuable: no isolated equilibrium found near the spec's trajectory "
            "(a conservation law makes equilibria come in lines, or Newton did not converge)"
        )
    return found


# ------------------------------------------------------------------ solve callables


class ObservableSolve:
    """inputs -> the spec's observables solved at one resolution, each divided by a scale.

    A fresh solver instance per call (the pipeline's instance keeps its study's solves for the
    audit). Scales are the baseline observables (1 where one is 0), so every entry of the
    returned vector is relative and no observable dominates the ensemble's norm by its unit.
    """

    def __init__(
        self, spec: Spec, solver_type: type, resolution: int, scales: dict[str, float]
    ) -> None:
        self.spec = spec
        self.solver_type = solver_type
        self.resolution = int(resolution)
        self.names = tuple(scales)
        sizes = np.array([abs(scales[n]) for n in self.names], dtype=float)
        largest = float(sizes.max(initial=0.0)) or 1.0
        # an observable at round-off level of the others is measured against the largest
        self.scales = np.where(sizes > 1e-12 * largest, sizes, largest)

    def observables(self, spec: Spec) -> dict[str, float]:
        solver = self.solver_type()
        fit = solver.fit(spec)
        if not fit.ok:
            raise DiagnosticsError(f"the perturbed spec does not fit {solver.name}: {fit.reason}")
        return dict(solver.solve(spec, self.resolution).observables)

    def __call__(self, inputs: dict[str, Any]) -> np.ndarray:
        observed = self.observables(spec_with(self.spec, inputs))
        return np.array([observed[n] for n in self.names], dtype=float) / self.scales


class GridSolve:
    """inputs -> the solution on the engine's grid (for stationary specs no solver fits).

    The returned vector is the nodal solution with one more entry, ``FLOOR sqrt(n) s``, ``s``
    the larger of the spec's initial guess and solution (1 when both vanish): the probe's
    relative jump is then measured against ``max(|u|, FLOOR s)``, so round-off around a
    trivial solution u = 0 is no jump while a switch to a nontrivial branch is a large one.
    """

    FLOOR = 1e-3

    def __init__(self, spec: Spec, resolution: int) -> None:
        self.spec = spec
        self.resolution = resolution
        grid = self._grid(spec)
        u = self._solve(grid)
        self.reference = max(state_scale(u, 0.0), state_scale(grid.guess, 0.0)) or 1.0
        self.baseline = self._output(u)

    def _grid(self, spec: Spec) -> EngineGrid:
        grid = engine_grid(spec, None, self.resolution)
        if isinstance(grid, str):
            raise DiagnosticsError(grid)
        return grid

    @staticmethod
    def _solve(grid: EngineGrid) -> np.ndarray:
        problem = ContinuationProblem(grid.residual, grid.jacobian, grid.dparam)
        return newton_fixed_parameter(problem, grid.guess, 0.0)

    def _output(self, u: np.ndarray) -> np.ndarray:
        return np.append(u, self.FLOOR * np.sqrt(u.size) * self.reference)

    def __call__(self, inputs: dict[str, Any]) -> np.ndarray:
        return self._output(self._solve(self._grid(spec_with(self.spec, inputs))))
