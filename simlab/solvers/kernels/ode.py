"""Generic ODE integration for systems ``y' = f(t, y)`` given as plain callables.

Two integrators share one result type, :class:`OdeTrajectory`:

* :func:`integrate_fixed` marches a Runge-Kutta tableau on a given time grid. Explicit tableaux
  (``euler``, ``rk4``) and stiffly accurate, L-stable implicit ones (``backward_euler``,
  ``radau3``, ``radau5`` = Radau IIA with 1, 2, 3 stages) are available. Implicit stages are solved
  with full Newton iterations on the stacked stage system. A fixed grid gives a clean formal order
  in the step of the grid variable, which is what a convergence study needs.
* :func:`integrate_adaptive` drives a :mod:`scipy.integrate` ``OdeSolver`` (``RK45``, ``DOP853``,
  ``Radau``, ``BDF`` ...) step by step, with a step cap and an optional wall-clock cap, so that an
  explicit method on a stiff problem fails visibly instead of hanging.

Neither raises when the integration fails; the trajectory carries ``failed`` and ``message``.
:func:`solve_ode` wraps :func:`integrate_fixed` into a :class:`~simlab.solvers.solution.Solution`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.integrate

from simlab.solvers.kernels import _pde_checks as check
from simlab.solvers.solution import Solution

Rhs = Callable[[float, np.ndarray], np.ndarray]
Jacobian = Callable[[float, np.ndarray], np.ndarray]


@dataclass(frozen=True)
class ButcherTableau:
    """A Runge-Kutta method: stage matrix ``a``, weights ``b``, nodes ``c`` and its order."""

    name: str
    a: np.ndarray
    b: np.ndarray
    c: np.ndarray
    order: int
    explicit: bool


_S6 = math.sqrt(6.0)
TABLEAUX: dict[str, ButcherTableau] = {
    "euler": ButcherTableau("euler", np.array([[0.0]]), np.array([1.0]), np.array([0.0]), 1, True),
    "rk4": ButcherTableau(
        "rk4",
        np.array([[0, 0, 0, 0], [0.5, 0, 0, 0], [0, 0.5, 0, 0], [0, 0, 1.0, 0]]),
        np.array([1 / 6, 1 / 3, 1 / 3, 1 / 6]),
        np.array([0.0, 0.5, 0.5, 1.0]),
        4,
        True,
    ),
    "backward_euler": ButcherTableau(
        "backward_euler", np.array([[1.0]]), np.array([1.0]), np.array([1.0]), 1, False
    ),
    "radau3": ButcherTableau(
        "radau3",
        np.array([[5 / 12, -1 / 12], [3 / 4, 1 / 4]]),
        np.array([3 / 4, 1 / 4]),
        np.array([1 / 3, 1.0]),
        3,
        False,
    ),
    "radau5": ButcherTableau(
        "radau5",
        np.array(
            [
                [(88 - 7 * _S6) / 360, (296 - 169 * _S6) / 1800, (-2 + 3 * _S6) / 225],
                [(296 + 169 * _S6) / 1800, (88 + 7 * _S6) / 360, (-2 - 3 * _S6) / 225],
                [(16 - _S6) / 36, (16 + _S6) / 36, 1 / 9],
            ]
        ),
        np.array([(16 - _S6) / 36, (16 + _S6) / 36, 1 / 9]),
        np.array([(4 - _S6) / 10, (4 + _S6) / 10, 1.0]),
        5,
        False,
    ),
}
FIXED_METHODS = tuple(TABLEAUX)
ADAPTIVE_METHODS = ("RK23", "RK45", "DOP853", "Radau", "BDF", "LSODA")
EXPLICIT_ADAPTIVE = ("RK23", "RK45", "DOP853")
ADAPTIVE_ORDERS = {
    "RK23": 3.0,
    "RK45": 5.0,
    "DOP853": 8.0,
    "Radau": 5.0,
    "BDF": math.nan,
    "LSODA": math.nan,
}
"""Order of the formula each adaptive method advances with (BDF and LSODA vary it: NaN)."""


@dataclass
class OdeTrajectory:
    """States at the accepted time points of one integration.

    ``t`` and ``y`` stop at the last good state when the integration failed; ``dydt`` holds
    ``f(t, y)`` at those points when it was available (used for Hermite interpolation).
    """

    t: np.ndarray
    y: np.ndarray
    method: str
    order: float
    failed: bool = False
    message: str = "ok"
    steps: int = 0
    rhs_evals: int = 0
    jac_evals: int = 0
    newton_iterations: int = 0
    dydt: np.ndarray | None = None

    def meta(self) -> dict[str, object]:
        """What the integrator did, as plain values for ``Solution.meta``."""
        return {
            "method": self.method,
            "failed": self.failed,
            "message": self.message,
            "steps": self.steps,
            "t_reached": float(self.t[-1]),
            "rhs_evals": self.rhs_evals,
            "jac_evals": self.jac_evals,
            "newton_iterations": self.newton_iterations,
        }


def uniform_grid(t_end: float, steps: int, t_start: float = 0.0) -> np.ndarray:
    """``steps + 1`` equally spaced times from ``t_start`` to ``t_end``."""
    steps = check.cell_count("steps", steps, minimum=1)
    t_end = check.finite("t_end", t_end)
    t_start = check.finite("t_start", t_start)
    if t_end <= t_start:
        raise check.KernelInputError(f"t_end must exceed t_start, got {t_end} <= {t_start}")
    grid = np.linspace(t_start, t_end, steps + 1)
    grid[-1] = t_end
    return grid


def geometric_grid(t_end: float, steps: int, t_scale: float, t_start: float = 0.0) -> np.ndarray:
    """Times uniform in ``s ~ log(1 + (t - t_start) / t_scale)``: fine early, coarse later.

    With ``s`` normalised to ``[0, 1]`` the map ``t(s)`` is smooth, so a fixed-step method of order
    ``p`` keeps order ``p`` in the step ``1 / steps`` of ``s``. Suited to problems whose time
    scales grow with ``t`` (stiff kinetics).
    """
    steps = check.cell_count("steps", steps, minimum=1)
    t_scale = check.positive("t_scale", t_scale)
    t_start = check.finite("t_start", t_start)
    t_end = check.finite("t_end", t_end)
    if t_end <= t_start:
        raise check.KernelInputError(f"t_end must exceed t_start, got {t_end} <= {t_start}")
    span = math.log1p((t_end - t_start) / t_scale)
    grid = t_start + t_scale * np.expm1(np.linspace(0.0, span, steps + 1))
    grid[0], grid[-1] = t_start, t_end
    return grid


def _as_state(y0: Sequence[float] | np.ndarray) -> np.ndarray:
    state = np.array(y0, dtype=float).reshape(-1)
    if state.size == 0 or not np.all(np.isfinite(state)):
        raise check.KernelInputError(f"y0 must be a non-empty vector of finite numbers, got {y0!r}")
    return state


def _checked_grid(t_grid: Sequence[float] | np.ndarray) -> np.ndarray:
    grid = np.asarray(t_grid, dtype=float).reshape(-1)
    if grid.size < 2 or not np.all(np.isfinite(grid)) or np.any(np.diff(grid) <= 0):
        raise check.KernelInputError("t_grid must hold >= 2 finite, strictly increasing times")
    return grid


def finite_difference_jacobian(rhs: Rhs, t: float, y: np.ndarray, f0: np.ndarray) -> np.ndarray:
    """Forward-difference Jacobian ``df/dy`` (used when no analytic Jacobian is given)."""
    jac = np.empty((y.size, y.size))
    for j in range(y.size):
        step = math.sqrt(np.finfo(float).eps) * max(1.0, abs(y[j]))
        shifted = y.copy()
        shifted[j] += step
        jac[:, j] = (np.asarray(rhs(t, shifted), dtype=float) - f0) / step
    return jac


class _Counter:
    """Counts right-hand-side and Jacobian evaluations of one integration."""

    def __init__(self, rhs: Rhs, jac: Jacobian | None) -> None:
        self._rhs, self._jac = rhs, jac
        self.rhs_evals = self.jac_evals = 0

    def f(self, t: float, y: np.ndarray) -> np.ndarray:
        self.rhs_evals += 1
        return np.asarray(self._rhs(t, y), dtype=float).reshape(-1)

    def jacobian(self, t: float, y: np.ndarray) -> np.ndarray:
        self.jac_evals += 1
        if self._jac is not None:
            return np.asarray(self._jac(t, y), dtype=float).reshape(y.size, y.size)
        return finite_difference_jacobian(self.f, t, y, self.f(t, y))


def _explicit_step(
    fn: _Counter, tab: ButcherTableau, t: float, y: np.ndarray, h: float
) -> tuple[np.ndarray, np.ndarray]:
    stages = np.zeros((tab.c.size, y.size))
    for i in range(tab.c.size):
        stages[i] = fn.f(t + tab.c[i] * h, y + h * (tab.a[i, :i] @ stages[:i]))
    return y + h * (tab.b @ stages), stages[0]


def _implicit_step(
    fn: _Counter,
    tab: ButcherTableau,
    t: float,
    y: np.ndarray,
    h: float,
    newton_tol: float,
    newton_max_iter: int,
) -> tuple[np.ndarray | None, int]:
    """Solve ``Z = h (A x I) F(y + Z)`` for the stage increments by full Newton iteration."""
    s, n = tab.c.size, y.size
    z = np.zeros((s, n))
    for iteration in range(1, newton_max_iter + 1):
        stages = y + z
        values = np.array([fn.f(t + tab.c[i] * h, stages[i]) for i in range(s)])
        residual = (z - h * tab.a @ values).reshape(-1)
        matrix = np.eye(s * n)
        for j in range(s):
            jac = fn.jacobian(t + tab.c[j] * h, stages[j])
            for i in range(s):
                matrix[i * n : (i + 1) * n, j * n : (j + 1) * n] -= h * tab.a[i, j] * jac
        try:
            delta = np.linalg.solve(matrix, -residual).reshape(s, n)
        except np.linalg.LinAlgError:
            return None, iteration
        z += delta
        if not np.all(np.isfinite(z)):
            return None, iteration
        scale = max(float(np.max(np.abs(y))), float(np.max(np.abs(z))), np.finfo(float).tiny)
        if float(np.max(np.abs(delta))) <= newton_tol * scale:
            # every implicit tableau here is stiffly accurate: the new state is the last stage
            return y + z[-1], iteration
    return None, newton_max_iter


def integrate_fixed(
    rhs: Rhs,
    y0: Sequence[float] | np.ndarray,
    t_grid: Sequence[float] | np.ndarray,
    method: str = "rk4",
    jac: Jacobian | None = None,
    *,
    newton_tol: float = 1e-12,
    newton_max_iter: int = 25,
    blowup: float = 1e150,
) -> OdeTrajectory:
    """March ``y' = rhs(t, y)`` from ``y0`` over the given time grid with a fixed RK tableau.

    Args:
        rhs: ``f(t, y)`` returning an array shaped like ``y``.
        y0: initial state at ``t_grid[0]``.
        t_grid: strictly increasing times; one step per interval.
        method: one of :data:`FIXED_METHODS`.
        jac: ``df/dy(t, y)`` for implicit methods (finite differences when omitted).
        newton_tol: relative size of the last Newton increment that counts as converged.
        newton_max_iter: Newton iterations per step before the step is declared failed.
        blowup: a state with ``max|y|`` above this (or non-finite) stops the run as failed.
    """
    tab = TABLEAUX[check.choice("method", method, FIXED_METHODS)]
    y = _as_state(y0)
    grid = _checked_grid(t_grid)
    fn = _Counter(rhs, jac)
    ys, slopes = [y.copy()], []
    newton_total, failed, message = 0, False, "ok"
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for k in range(grid.size - 1):
            t, h = grid[k], grid[k + 1] - grid[k]
            if tab.explicit:
                new, slope = _explicit_step(fn, tab, t, y, h)
                slopes.append(slope)
            else:
                new, iterations = _implicit_step(fn, tab, t, y, h, newton_tol, newton_max_iter)
                newton_total += iterations
                if new is None:
                    failed, message = True, f"Newton did not converge in the step at t = {t:.6g}"
                    break
            if not np.all(np.isfinite(new)) or float(np.max(np.abs(new))) > blowup:
                failed, message = True, f"solution blew up in the step at t = {t:.6g}"
                break
            y = new
            ys.append(y.copy())
    taken = len(ys) - 1
    dydt = None
    if tab.explicit and not failed:
        slopes.append(fn.f(grid[taken], y))
        dydt = np.array(slopes)
    return OdeTrajectory(
        t=grid[: taken + 1].copy(),
        y=np.array(ys),
        method=tab.name,
        order=float(tab.order),
        failed=failed,
        message=message,
        steps=taken,
        rhs_evals=fn.rhs_evals,
        jac_evals=fn.jac_evals,
        newton_iterations=newton_total,
        dydt=dydt,
    )


def integrate_adaptive(
    rhs: Rhs,
    y0: Sequence[float] | np.ndarray,
    t_span: tuple[float, float],
    *,
    method: str = "Radau",
    rtol: float = 1e-8,
    atol: float | Sequence[float] = 1e-10,
    jac: Jacobian | None = None,
    t_eval: Sequence[float] | np.ndarray | None = None,
    max_steps: int = 100_000,
    max_seconds: float | None = None,
) -> OdeTrajectory:
    """Integrate with an adaptive :mod:`scipy.integrate` solver, stepping under explicit caps.

    ``t_eval`` (inside ``t_span``) selects output times, filled from the solver's dense output;
    otherwise every accepted step is returned. Reaching ``max_steps`` or ``max_seconds`` before
    ``t_span[1]`` ends the run with ``failed=True``; nothing here can loop without bound.
    """
    check.choice("method", method, ADAPTIVE_METHODS)
    y = _as_state(y0)
    t0, t1 = check.finite("t_span[0]", t_span[0]), check.finite("t_span[1]", t_span[1])
    if t1 <= t0:
        raise check.KernelInputError(f"t_span must be increasing, got {t_span!r}")
    max_steps = check.cell_count("max_steps", max_steps, minimum=1)
    outputs = None if t_eval is None else np.asarray(t_eval, dtype=float).reshape(-1)
    if outputs is not None and (
        np.any(np.diff(outputs) < 0) or outputs[0] < t0 or outputs[-1] > t1
    ):
        raise check.KernelInputError("t_eval must be sorted and inside t_span")
    fn = _Counter(rhs, None)
    options: dict[str, object] = {"rtol": rtol, "atol": atol}
    if jac is not None and method in ("Radau", "BDF", "LSODA"):
        options["jac"] = jac
    solver_class = getattr(scipy.integrate, method)
    solver = solver_class(fn.f, t0, y, t1, **options)
    times, states = [t0], [y.copy()]
    if outputs is not None:
        times, states = [], []
        while len(times) < outputs.size and outputs[len(times)] <= t0:
            times.append(outputs[len(times)])
            states.append(y.copy())
    started = time.perf_counter()
    failed, message, steps = False, "ok", 0
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        while solver.status == "running":
            if steps >= max_steps:
                failed, message = True, f"step cap {max_steps} reached at t = {solver.t:.6g}"
                break
            if max_seconds is not None and time.perf_counter() - started > max_seconds:
                failed, message = True, f"time cap {max_seconds} s reached at t = {solver.t:.6g}"
                break
            error = solver.step()
            steps += 1
            if solver.status == "failed" or not np.all(np.isfinite(solver.y)):
                failed, message = True, f"{method} failed at t = {solver.t:.6g}: {error}"
                break
            if outputs is None:
                times.append(solver.t)
                states.append(solver.y.copy())
                continue
            dense = None
            while len(times) < outputs.size and outputs[len(times)] <= solver.t:
                if dense is None:
                    dense = solver.dense_output()
                times.append(outputs[len(times)])
                states.append(np.asarray(dense(outputs[len(times) - 1]), dtype=float))
    return OdeTrajectory(
        t=np.asarray(times, dtype=float),
        y=np.array(states).reshape(len(states), y.size),
        method=method,
        order=ADAPTIVE_ORDERS[method],
        failed=failed,
        message=message,
        steps=steps,
        rhs_evals=fn.rhs_evals,
        jac_evals=int(getattr(solver, "njev", 0)),
    )


def hermite_interpolate(
    t: np.ndarray, y: np.ndarray, dydt: np.ndarray, t_query: float
) -> np.ndarray:
    """Cubic Hermite value at ``t_query`` from node values and slopes (error O(h^4))."""
    k = int(np.clip(np.searchsorted(t, t_query) - 1, 0, t.size - 2))
    h = t[k + 1] - t[k]
    s = (t_query - t[k]) / h
    h00, h10 = (1 + 2 * s) * (1 - s) ** 2, s * (1 - s) ** 2
    h01, h11 = s**2 * (3 - 2 * s), s**2 * (s - 1)
    return h00 * y[k] + h10 * h * dydt[k] + h01 * y[k + 1] + h11 * h * dydt[k + 1]


def stiffness_ratio_from_jacobian(
    jacobian: np.ndarray, conserved: np.ndarray | None = None, zero_tol: float = 1e-12
) -> float:
    """``max |Re lambda| / min |Re lambda|`` over the eigenvalues of a Jacobian that are not zero.

    Linear invariants (rows of ``conserved``, vectors ``w`` with ``w^T J = 0``) each add an exact
    zero eigenvalue; they are projected out first. Remaining eigenvalues with
    ``|Re lambda| <= zero_tol * max |Re lambda|`` count as zero. With fewer than two nonzero
    eigenvalues the ratio is 1. Eigenvalues far below ``eps * max|lambda|`` are not resolved by a
    dense eigensolver; use a closed form where one exists (see ``robertson.stiffness_ratio``).
    """
    matrix = np.asarray(jacobian, dtype=float)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1] or not np.all(np.isfinite(matrix)):
        raise check.KernelInputError("jacobian must be a finite square matrix")
    if conserved is not None:
        constraints = np.atleast_2d(np.asarray(conserved, dtype=float))
        _, _, vh = np.linalg.svd(constraints)
        basis = vh[constraints.shape[0] :].T  # orthonormal basis of the invariant subspace
        matrix = basis.T @ matrix @ basis
    real = np.abs(np.linalg.eigvals(matrix).real)
    if real.size == 0 or real.max() == 0.0:
        return 1.0
    nonzero = real[real > zero_tol * real.max()]
    return float(nonzero.max() / nonzero.min()) if nonzero.size >= 2 else 1.0


def solve_ode(
    rhs: Rhs,
    y0: Sequence[float] | np.ndarray,
    t_end: float,
    steps: int,
    *,
    method: str = "rk4",
    jac: Jacobian | None = None,
    names: Sequence[str] | None = None,
    grid: str = "uniform",
    t_scale: float | None = None,
    t_start: float = 0.0,
) -> Solution:
    """Generic fixed-step ODE kernel: ``steps`` steps of ``method`` on a uniform or geometric grid.

    ``Solution.h`` is the uniform step of the grid variable: ``(t_end - t_start) / steps`` on a
    uniform grid, ``1 / steps`` in ``s`` on a geometric grid (see :func:`geometric_grid`).
    Observables are the final values ``<name>_final``; the whole trajectory is in ``history``.
    On failure ``meta["failed"]`` is True and the observables are NaN.
    """
    state = _as_state(y0)
    labels = list(names) if names is not None else [f"y{i}" for i in range(state.size)]
    if len(labels) != state.size or len(set(labels)) != len(labels):
        raise check.KernelInputError(f"names must be {state.size} distinct names, got {names!r}")
    check.choice("grid", grid, ("uniform", "geometric"))
    if grid == "uniform":
        times = uniform_grid(t_end, steps, t_start)
        h = (times[-1] - times[0]) / steps
    else:
        if t_scale is None:
            raise check.KernelInputError("a geometric grid needs t_scale (the first time scale)")
        times = geometric_grid(t_end, steps, t_scale, t_start)
        h = 1.0 / steps
    traj = integrate_fixed(rhs, state, times, method, jac)
    final = traj.y[-1] if not traj.failed else np.full(state.size, math.nan)
    history = {"t": traj.t, **{name: traj.y[:, i] for i, name in enumerate(labels)}}
    return Solution(
        grid={"t": traj.t},
        fields={name: traj.y[:, i] for i, name in enumerate(labels)},
        resolution=float(steps),
        h=h,
        order=traj.order,
        observables={f"{name}_final": float(v) for name, v in zip(labels, final, strict=True)},
        history=history,
        meta={**traj.meta(), "grid": grid, "t_scale": t_scale, "h_meaning": _H_MEANING[grid]},
    )


_H_MEANING = {
    "uniform": "time step (t_end - t_start) / steps",
    "geometric": "step 1/steps in s = log(1 + (t - t_start)/t_scale) / log(1 + span/t_scale)",
}
