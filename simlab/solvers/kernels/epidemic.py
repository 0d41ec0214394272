"""SEIR-D compartment model with a constant total population N = S + E + I + R + D.

    S' = -beta S I / N          E' = beta S I / N - sigma E
    I' = sigma E - (gamma + mu) I
    R' = gamma I                D' = mu I

The kernel marches a fixed number of steps of a Runge-Kutta tableau (default ``rk4``, order 4;
``Solution.h`` is the time step). The peak time of I is the root of I' = sigma E - (gamma + mu) I
on the cubic Hermite interpolant of the steps, so it keeps the order of the integrator.

:func:`final_size` gives the exact t -> infinity answer: with c = beta / (N (gamma + mu)),
``ln(S0 / S_inf) = c (S0 + E0 + I0 - S_inf)`` and
``D_inf = D0 + mu / (gamma + mu) (S0 + E0 + I0 - S_inf)`` (from (ln S)' = -beta I / N and
(S + E + I)' = -(gamma + mu) I), solved with :func:`scipy.optimize.brentq`.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.optimize import brentq

from simlab.solvers.kernels import _pde_checks as check
from simlab.solvers.kernels.ode import (
    FIXED_METHODS,
    OdeTrajectory,
    Rhs,
    hermite_interpolate,
    integrate_fixed,
    uniform_grid,
)
from simlab.solvers.solution import Solution

COMPARTMENTS = ("S", "E", "I", "R", "D")


def seird_rhs(beta: float, sigma: float, gamma: float, mu: float, total: float) -> Rhs:
    """The right-hand side ``f(t, y)`` for ``y = (S, E, I, R, D)`` and population ``total``."""

    def rhs(t: float, y: np.ndarray) -> np.ndarray:
        s, e, i = y[0], y[1], y[2]
        infection = beta * s * i / total
        return np.array(
            [-infection, infection - sigma * e, sigma * e - (gamma + mu) * i, gamma * i, mu * i]
        )

    return rhs


def _checked_rates(beta: float, sigma: float, gamma: float, mu: float) -> tuple[float, ...]:
    beta = check.finite("beta", beta)
    mu = check.finite("mu", mu)
    if beta < 0.0 or mu < 0.0:
        raise check.KernelInputError(f"beta and mu must be >= 0, got beta={beta}, mu={mu}")
    return beta, check.positive("sigma", sigma), check.positive("gamma", gamma), mu


def _checked_state(s0: float, e0: float, i0: float, r0: float, d0: float) -> np.ndarray:
    state = np.array(
        [check.finite(name, v) for name, v in zip(COMPARTMENTS, (s0, e0, i0, r0, d0), strict=True)]
    )
    if np.any(state < 0.0) or state.sum() <= 0.0:
        raise check.KernelInputError(f"compartments must be >= 0 with a positive total: {state}")
    return state


def final_size(
    beta: float,
    sigma: float,
    gamma: float,
    mu: float,
    s0: float,
    e0: float,
    i0: float,
    r0: float = 0.0,
    d0: float = 0.0,
) -> dict[str, float]:
    """Exact limits ``S_inf``, ``R_inf``, ``D_inf`` (and ``E_inf = I_inf = 0``) as t -> infinity."""
    beta, sigma, gamma, mu = _checked_rates(beta, sigma, gamma, mu)
    s0, e0, i0, r0, d0 = _checked_state(s0, e0, i0, r0, d0)
    total = s0 + e0 + i0 + r0 + d0
    c = beta / (total * (gamma + mu))
    susceptible_pool = s0 + e0 + i0
    if s0 == 0.0 or e0 + i0 == 0.0 or beta == 0.0:
        s_inf = s0  # nobody susceptible, nobody infectious, or no transmission
    else:

        def residual(x: float) -> float:
            return math.log(s0 / x) - c * (susceptible_pool - x)

        # the root lies in [S0 exp(-c (S0 + E0 + I0)), S0): residual > 0 below, < 0 at S0
        lower = s0 * math.exp(-c * susceptible_pool)
        if lower == 0.0 or residual(lower) <= 0.0:  # S_inf at underflow level
            s_inf = lower
        else:
            s_inf = brentq(residual, lower, s0, xtol=1e-15 * s0, rtol=4 * np.finfo(float).eps)
    removed = susceptible_pool - s_inf
    return {
        "S_inf": float(s_inf),
        "E_inf": 0.0,
        "I_inf": 0.0,
        "R_inf": float(r0 + gamma / (gamma + mu) * removed),
        "D_inf": float(d0 + mu / (gamma + mu) * removed),
    }


def solve_seird(
    beta: float,
    sigma: float,
    gamma: float,
    mu: float,
    s0: float,
    e0: float,
    i0: float,
    r0: float = 0.0,
    d0: float = 0.0,
    *,
    t_end: float = 365.0,
    steps: int = 400,
    method: str = "rk4",
) -> Solution:
    """Integrate SEIR-D from ``(s0, e0, i0, r0, d0)`` to ``t_end`` with ``steps`` equal steps.

    Observables: ``peak_time`` and ``peak_infected`` (NaN when I still rises at ``t_end``, see
    ``meta["peak_status"]``), ``final_deaths`` = D(t_end), ``final_susceptible`` = S(t_end),
    ``total`` at ``t_end``, ``conservation_drift`` (max relative change of the total),
    ``min_compartment`` (most negative value met, 0 if none) and ``active_at_end`` = E + I at
    ``t_end`` (how far the run is from the t -> infinity limit of :func:`final_size`).
    """
    rates = _checked_rates(beta, sigma, gamma, mu)
    start = _checked_state(s0, e0, i0, r0, d0)
    check.choice("method", method, FIXED_METHODS)
    times = uniform_grid(check.positive("t_end", t_end), steps)
    rhs = seird_rhs(*rates, float(start.sum()))
    traj = integrate_fixed(rhs, start, times, method)
    observables, peak_status = _observables(traj, rhs, start, rates)
    fields = {name: traj.y[:, k] for k, name in enumerate(COMPARTMENTS)}
    return Solution(
        grid={"t": traj.t},
        fields=fields,
        resolution=float(steps),
        h=float(times[1] - times[0]),
        order=traj.order,
        observables=observables,
        history={"t": traj.t, **fields, "total": traj.y.sum(axis=1)},
        meta={
            **traj.meta(),
            "rates": dict(zip(("beta", "sigma", "gamma", "mu"), rates, strict=True)),
            "basic_reproduction_number": rates[0] / (rates[2] + rates[3]),
            "peak_status": peak_status,
            "t_end": float(times[-1]),
        },
    )


def _observables(
    traj: OdeTrajectory, rhs: Rhs, start: np.ndarray, rates: tuple[float, ...]
) -> tuple[dict[str, float], str]:
    total = traj.y.sum(axis=1)
    names = ("peak_time", "peak_infected", "final_deaths", "final_susceptible", "total")
    base = {
        "conservation_drift": float(np.max(np.abs(total - start.sum())) / start.sum()),
        "min_compartment": float(min(0.0, traj.y.min())),
    }
    if traj.failed:
        return {**dict.fromkeys(names, math.nan), **base, "active_at_end": math.nan}, "failed"
    slopes = (
        traj.dydt
        if traj.dydt is not None
        else np.array([rhs(t, y) for t, y in zip(traj.t, traj.y, strict=True)])
    )
    peak_time, peak_value, status = _peak(traj.t, traj.y, slopes, rates)
    final = traj.y[-1]
    return {
        "peak_time": peak_time,
        "peak_infected": peak_value,
        "final_deaths": float(final[4]),
        "final_susceptible": float(final[0]),
        "total": float(total[-1]),
        **base,
        "active_at_end": float(final[1] + final[2]),
    }, status


def _peak(
    t: np.ndarray, y: np.ndarray, slopes: np.ndarray, rates: tuple[float, ...]
) -> tuple[float, float, str]:
    """Peak of I: root of I' = sigma E - (gamma + mu) I on the Hermite interpolant."""
    _, sigma, gamma, mu = rates
    growth = slopes[:, 2]
    k = int(np.argmax(y[:, 2]))
    if k == t.size - 1 and growth[-1] > 0.0:
        return math.nan, math.nan, "not reached: I still rises at t_end"
    if k == 0 and growth[0] <= 0.0:
        return float(t[0]), float(y[0, 2]), "at t = 0: I only falls"
    # I' changes sign from + to - in the step before or after the largest node value
    left = k - 1 if growth[k] <= 0.0 else k
    left = max(0, min(left, t.size - 2))

    def growth_at(time: float) -> float:
        state = hermite_interpolate(t, y, slopes, time)
        return float(sigma * state[1] - (gamma + mu) * state[2])

    a, b = t[left], t[left + 1]
    if growth_at(a) * growth_at(b) > 0.0:
        return float(t[k]), float(y[k, 2]), "at a node: no sign change of I' in the adjacent step"
    peak = brentq(growth_at, a, b, xtol=1e-13 * max(1.0, b), rtol=4 * np.finfo(float).eps)
    return float(peak), float(hermite_interpolate(t, y, slopes, peak)[2]), "interior"
