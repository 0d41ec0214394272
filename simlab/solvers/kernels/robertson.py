"""Robertson's stiff chemical kinetics (three species, rates k1, k2, k3).

    y1' = -k1 y1 + k3 y2 y3
    y2' =  k1 y1 - k3 y2 y3 - k2 y2^2
    y3' =  k2 y2^2

with y(0) = (1, 0, 0) by default; y1 + y2 + y3 is conserved exactly by the equations.

Resolution: the default integrators march a fixed number of steps of an L-stable Radau IIA method on
a geometric time grid (uniform in log(1 + t / t_scale)), so the error falls as ``steps^-p`` with the
tableau's order ``p`` (radau5: 5, radau3: 3, backward_euler: 1); ``Solution.h = 1 / steps``.
Measured: radau3 shows p = 2.9-3.0 and radau5 p = 4.9-5.1 at t_end = 40 and 4e5 until the error
reaches ~1e-12. Adaptive ``solve_ivp`` with tolerance as the resolution was tried and rejected for
convergence studies: its error-to-tolerance ratio wanders by 10x and the local slope by -1 to 2.8.

Explicit methods are available to show why they are the wrong choice: ``rk4`` on the same grid
blows up, ``RK45`` (adaptive) needs a step count that grows with ``t_end`` times the stiff
eigenvalue (~1e4) and stops at ``max_steps`` / ``max_seconds`` with ``meta["failed"] = True``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from simlab.errors import SolverError
from simlab.solvers.kernels import _pde_checks as check
from simlab.solvers.kernels.ode import (
    Jacobian,
    OdeTrajectory,
    Rhs,
    geometric_grid,
    integrate_adaptive,
    integrate_fixed,
)
from simlab.solvers.solution import Solution

DEFAULT_RATES = (0.04, 3.0e7, 1.0e4)
IMPLICIT_METHODS = ("radau5", "radau3", "backward_euler")
EXPLICIT_METHODS = ("rk4", "RK45")
METHODS = IMPLICIT_METHODS + EXPLICIT_METHODS
SPECIES = ("y1", "y2", "y3")


def robertson_rhs(k1: float, k2: float, k3: float) -> Rhs:
    """The right-hand side ``f(t, y)`` for rates ``k1, k2, k3``."""

    def rhs(t: float, y: np.ndarray) -> np.ndarray:
        fast = k3 * y[1] * y[2]
        dimer = k2 * y[1] * y[1]
        return np.array([-k1 * y[0] + fast, k1 * y[0] - fast - dimer, dimer])

    return rhs


def robertson_jacobian(k1: float, k2: float, k3: float) -> Jacobian:
    """The analytic Jacobian ``df/dy(t, y)``; its columns sum to zero (conservation)."""

    def jac(t: float, y: np.ndarray) -> np.ndarray:
        return np.array(
            [
                [-k1, k3 * y[2], k3 * y[1]],
                [k1, -k3 * y[2] - 2.0 * k2 * y[1], -k3 * y[1]],
                [0.0, 2.0 * k2 * y[1], 0.0],
            ]
        )

    return jac


def stiffness_ratio(y: Sequence[float], k: Sequence[float] = DEFAULT_RATES) -> float:
    """``max |Re lambda| / min |Re lambda|`` over the nonzero Jacobian eigenvalues at state ``y``.

    The Jacobian has the exact zero eigenvalue of the conserved total; the other two solve
    ``lambda^2 + a lambda + b = 0`` with ``a = k1 + k3 y3 + 2 k2 y2`` (minus the trace) and
    ``b = 2 k2 y2 (k1 + k3 y2)`` (the sum of principal 2x2 minors). Both are sums of positive terms,
    so the tiny eigenvalue ``-2b / (a + sqrt(a^2 - 4b))`` is computed without cancellation, which a
    dense eigensolver cannot do once the ratio passes ~1e13. Ratio 1 when only one is nonzero.
    """
    y1, y2, y3 = (check.finite(f"y[{i}]", v) for i, v in enumerate(y))
    k1, k2, k3 = (check.positive(f"k{i + 1}", v) for i, v in enumerate(k))
    if min(y1, y2, y3) < 0.0:
        raise check.KernelInputError(f"concentrations must be >= 0, got {tuple(y)!r}")
    a = k1 + k3 * y3 + 2.0 * k2 * y2
    b = 2.0 * k2 * y2 * (k1 + k3 * y2)
    discriminant = a * a - 4.0 * b
    if b == 0.0 or discriminant <= 0.0:
        return 1.0  # one nonzero eigenvalue, or a complex pair with equal real parts
    root = math.sqrt(discriminant)
    large, small = (a + root) / 2.0, 2.0 * b / (a + root)
    return large / small


def reference_solution(
    t_end: float,
    k: Sequence[float] = DEFAULT_RATES,
    y0: Sequence[float] = (1.0, 0.0, 0.0),
    rtol: float = 1e-12,
) -> np.ndarray:
    """y(t_end) from scipy's adaptive Radau at a tight tolerance (atol scaled per species)."""
    k1, k2, k3 = (check.positive(f"k{i + 1}", v) for i, v in enumerate(k))
    traj = integrate_adaptive(
        robertson_rhs(k1, k2, k3),
        y0,
        (0.0, check.positive("t_end", t_end)),
        method="Radau",
        rtol=rtol,
        atol=[rtol * 1e-2, rtol * 1e-8, rtol * 1e-2],
        jac=robertson_jacobian(k1, k2, k3),
        max_steps=10_000_000,
    )
    if traj.failed:
        raise SolverError(f"Robertson reference integration failed: {traj.message}")
    return traj.y[-1]


def solve_robertson(
    t_end: float = 40.0,
    steps: int = 100,
    *,
    k1: float = DEFAULT_RATES[0],
    k2: float = DEFAULT_RATES[1],
    k3: float = DEFAULT_RATES[2],
    y0: Sequence[float] = (1.0, 0.0, 0.0),
    method: str = "radau5",
    t_scale: float = 1e-3,
    rtol: float = 1e-6,
    max_steps: int = 100_000,
    max_seconds: float = 30.0,
) -> Solution:
    """Integrate Robertson's kinetics to ``t_end``.

    Args:
        t_end: final time (> 0).
        steps: steps on the geometric grid (the resolution) for the fixed-step methods.
        k1, k2, k3: rate constants (> 0).
        y0: initial concentrations (>= 0).
        method: ``radau5`` / ``radau3`` / ``backward_euler`` (L-stable, fixed step), ``rk4``
            (explicit, same grid) or ``RK45`` (explicit adaptive with tolerance ``rtol``).
        t_scale: first time scale of the geometric grid; ~ the initial transient (1e-3 for the
            default rates, where the fast eigenvalue reaches ~2e3).
        rtol: relative tolerance of ``RK45`` (absolute tolerances scaled per species).
        max_steps, max_seconds: caps for ``RK45``; hitting one sets ``meta["failed"]``.

    Observables: ``y1``, ``y2``, ``y3`` at ``t_end``, ``total`` (their sum), ``conservation_drift``
    (max |total(t) - total(0)| / total(0) over the run) and ``stiffness_ratio`` at ``t_end``.
    A failed run keeps the partial history and reports NaN observables with ``meta["failed"]``.
    """
    t_end = check.positive("t_end", t_end)
    rates = tuple(
        check.positive(name, v) for name, v in zip(("k1", "k2", "k3"), (k1, k2, k3), strict=True)
    )
    start = np.array([check.finite(f"y0[{i}]", v) for i, v in enumerate(y0)], dtype=float)
    if start.size != 3 or np.any(start < 0.0) or start.sum() <= 0.0:
        raise check.KernelInputError(f"y0 must be 3 concentrations >= 0, not all 0; got {y0!r}")
    check.choice("method", method, METHODS)
    rhs, jac = robertson_rhs(*rates), robertson_jacobian(*rates)
    if method == "RK45":
        rtol = check.positive("rtol", rtol)
        traj = integrate_adaptive(
            rhs,
            start,
            (0.0, t_end),
            method="RK45",
            rtol=rtol,
            atol=[rtol * 1e-2, rtol * 1e-8, rtol * 1e-2],
            max_steps=max_steps,
            max_seconds=check.positive("max_seconds", max_seconds),
        )
        resolution, h, order = -math.log10(rtol), rtol, math.nan
        resolution_note = "tolerance exponent -log10(rtol); error vs rtol has no formal order"
    else:
        steps = check.cell_count("steps", steps, minimum=1)
        grid = geometric_grid(t_end, steps, check.positive("t_scale", t_scale))
        traj = integrate_fixed(rhs, start, grid, method, jac)
        resolution, h, order = float(steps), 1.0 / steps, traj.order
        resolution_note = "steps on a grid uniform in log(1 + t/t_scale); h = 1/steps"
    return _solution(traj, start, rates, t_end, resolution, h, order, resolution_note, t_scale)


def _solution(
    traj: OdeTrajectory,
    start: np.ndarray,
    rates: tuple[float, ...],
    t_end: float,
    resolution: float,
    h: float,
    order: float,
    resolution_note: str,
    t_scale: float,
) -> Solution:
    totals = traj.y.sum(axis=1)
    drift = float(np.max(np.abs(totals - start.sum())) / start.sum())
    final = traj.y[-1]
    failed = traj.failed or traj.t[-1] < t_end
    observables = {name: float(v) for name, v in zip(SPECIES, final, strict=True)}
    observables |= {
        "total": float(totals[-1]),
        "conservation_drift": drift,
    }
    if failed:
        observables = dict.fromkeys([*observables, "stiffness_ratio"], math.nan)
    else:
        observables["stiffness_ratio"] = stiffness_ratio(np.maximum(final, 0.0), rates)
    fields = {name: traj.y[:, i] for i, name in enumerate(SPECIES)}
    return Solution(
        grid={"t": traj.t},
        fields=fields,
        resolution=resolution,
        h=h,
        order=order,
        observables=observables,
        history={"t": traj.t, **fields, "total": totals},
        meta={
            **traj.meta(),
            "failed": failed,
            "explicit": traj.method in EXPLICIT_METHODS,
            "rates": rates,
            "t_end": t_end,
            "t_scale": t_scale,
            "resolution_meaning": resolution_note,
            "min_concentration": float(traj.y.min()),
        },
    )
