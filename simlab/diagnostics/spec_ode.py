"""An ODE system read from a spec: symbolic right-hand side, vectorised flow, equilibria.

``y' = f(t, y)`` comes from the Judge's jets (each equation's one first-order time derivative
solved for), with every parameter kept symbolic so that any one of them can be continued in;
the spec's own trajectory (adaptive LSODA) supplies Newton starts for the equilibria.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import sympy

from simlab.diagnostics.corrector import newton_fixed_parameter
from simlab.diagnostics.errors import ConvergenceError, DiagnosticsError
from simlab.diagnostics.types import ContinuationProblem
from simlab.problem import compile_problem
from simlab.problem.ode import ode_system
from simlab.solvers.kernels.ode import integrate_adaptive
from simlab.spec.expressions import safe_name
from simlab.spec.model import Spec

TRAJECTORY_SAMPLES = 64
EQUILIBRIUM_STARTS = 4
SINGULAR_CONDITION = 1e10
"""An equilibrium whose Jacobian has a larger condition number is not isolated (a line of
equilibria from a conservation law, as in SEIR-D or Robertson): nothing to continue."""


def state_scale(u: np.ndarray, fallback: float = 1.0) -> float:
    """max|u|, or ``fallback`` when that is 0 or not finite."""
    size = float(np.max(np.abs(u))) if u.size else 0.0
    return size if size > 0.0 and np.isfinite(size) else fallback


@dataclass(frozen=True)
class OdeField:
    """``y' = f(t, y)`` read from a spec, every parameter symbolic (``values`` holds SI).

    Attributes:
        names: the unknowns, in the order of ``y``.
        t, y: the time symbol and one symbol per unknown.
        exprs: ``f_i`` with the parameters as symbols.
        parameters: parameter symbol -> SI value.
        y0, t0, t_end: initial state and time interval (SI).
    """

    names: tuple[str, ...]
    t: sympy.Symbol
    y: tuple[sympy.Symbol, ...]
    exprs: tuple[sympy.Expr, ...]
    parameters: dict[sympy.Symbol, float]
    y0: np.ndarray
    t0: float
    t_end: float

    @property
    def autonomous(self) -> bool:
        return not any(self.t in e.free_symbols for e in self.exprs)

    def symbol(self, name: str) -> sympy.Symbol:
        return sympy.Symbol(safe_name(name), real=True)

    def keeping(self, name: str | None) -> tuple[sympy.Expr, ...]:
        """``f`` with every parameter but ``name`` replaced by its SI value."""
        keep = self.symbol(name) if name else None
        fixed = {s: v for s, v in self.parameters.items() if s != keep}
        return tuple(e.subs(fixed) for e in self.exprs)


def ode_field(spec: Spec) -> OdeField:
    """The spec's first-order ODE system from its compiled Problem, or a clear error."""
    system = ode_system(compile_problem(spec))
    if isinstance(system, str):
        raise DiagnosticsError(f"not an ODE system: {system}")
    return OdeField(
        system.names,
        system.t,
        system.y,
        system.symbolic,
        dict(system.parameters),
        system.y0,
        system.t0,
        system.t_end,
    )


def _vectorised(args: list, exprs: Sequence[sympy.Expr]) -> Callable[..., np.ndarray]:
    """The expressions as one lambdified callable, broadcast and stacked on the last axis."""
    raw = sympy.lambdify(args, list(exprs), modules="numpy", cse=True)

    def call(*values: np.ndarray) -> np.ndarray:
        shape = np.broadcast(*values).shape if values else ()
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            out = raw(*values)
        stacked = np.empty((*shape, len(out)))
        for i, item in enumerate(out):
            stacked[..., i] = item
        return stacked

    return call


def flow(spec: Spec) -> tuple[Callable, Callable, OdeField]:
    """Vectorised ``rhs: (M, d) -> (M, d)`` and ``jac: (M, d) -> (M, d, d)`` of the system."""
    field = ode_field(spec)
    if not field.autonomous:
        raise DiagnosticsError("the ODE system depends explicitly on time: not an autonomous flow")
    d = len(field.y)
    exprs = field.keeping(None)
    f = _vectorised(list(field.y), exprs)
    j = _vectorised(list(field.y), list(sympy.Matrix(exprs).jacobian(list(field.y))))

    def rhs(v: np.ndarray) -> np.ndarray:
        return f(*(v[:, i] for i in range(d)))

    def jac(v: np.ndarray) -> np.ndarray:
        return j(*(v[:, i] for i in range(d))).reshape(v.shape[0], d, d)

    return rhs, jac, field


def trajectory(spec: Spec, samples: int = TRAJECTORY_SAMPLES) -> tuple[np.ndarray, np.ndarray]:
    """(t, y) of the spec's trajectory at ``samples`` times (adaptive LSODA, rtol 1e-6)."""
    rhs, jac, field = flow(spec)
    times = np.linspace(field.t0, field.t_end, samples)
    scale = state_scale(field.y0)
    traj = integrate_adaptive(
        lambda t, y: rhs(y[None, :])[0],
        field.y0,
        (field.t0, field.t_end),
        method="LSODA",
        rtol=1e-6,
        atol=1e-9 * scale,
        jac=lambda t, y: jac(y[None, :])[0],
        t_eval=times,
        max_seconds=10.0,
    )
    return traj.t, traj.y


def parametric(field: OdeField, name: str) -> ContinuationProblem:
    """F(y, lam) = f(y; lam) with every other parameter at its SI value."""
    exprs = field.keeping(name)
    states, lam = list(field.y), field.symbol(name)
    matrix = sympy.Matrix(exprs)
    f = _vectorised([*states, lam], exprs)
    j = _vectorised([*states, lam], list(matrix.jacobian(states)))
    dl = _vectorised([*states, lam], list(matrix.diff(lam)))
    d = len(states)
    return ContinuationProblem(
        residual=lambda y, p: f(*y, p),
        jacobian=lambda y, p: j(*y, p).reshape(d, d),
        dparam=lambda y, p: dl(*y, p),
        parameter=name,
    )


def equilibria(spec: Spec, starts: np.ndarray | None = None) -> list[np.ndarray]:
    """Isolated equilibria at the spec's parameter values, by Newton from ``starts``.

    Default starts: the final state, the mean of the second half of the trajectory, then
    states along it. An equilibrium whose Jacobian is singular to working precision (a line of
    equilibria from a conservation law) is not isolated and is left out.
    """
    field = ode_field(spec)
    if not field.autonomous:
        raise DiagnosticsError("not continuable: the ODE system depends explicitly on time")
    if starts is None:
        _, ys = trajectory(spec)
        picks = ys[:: max(1, len(ys) // EQUILIBRIUM_STARTS)]
        starts = np.vstack([ys[-1], ys[len(ys) // 2 :].mean(axis=0), *picks])
    exprs = field.keeping(None)
    f = _vectorised(list(field.y), exprs)
    j = _vectorised(list(field.y), list(sympy.Matrix(exprs).jacobian(list(field.y))))
    d, lam = len(field.y), 0.0
    problem = ContinuationProblem(
        lambda y, p: f(*y), lambda y, p: j(*y).reshape(d, d), lambda y, p: np.zeros(d)
    )
    found: list[np.ndarray] = []
    floor = state_scale(field.y0)
    for start in starts:
        try:
            y = newton_fixed_parameter(problem, np.asarray(start, dtype=float), lam)
        except (ConvergenceError, np.linalg.LinAlgError, ValueError):
            continue
        if not np.all(np.isfinite(y)):
            continue
        if np.linalg.cond(problem.jacobian(y, lam)) > SINGULAR_CONDITION:
            continue
        size = max(state_scale(y, 0.0), floor)
        if all(np.max(np.abs(y - z)) > 1e-6 * size for z in found):
            found.append(y)
    return found
