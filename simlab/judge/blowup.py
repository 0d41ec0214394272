"""Finite-time blow-up of ODE systems before the end of the time interval (S2).

Two computations, the first exact where it applies:

* **comparison bound** for a scalar autonomous equation ``y' = f(y)``: starting from ``y0``
  with ``f(y0) != 0`` the solution moves monotonically and reaches infinity at
  ``T* = t0 + int_{y0}^{+-inf} dy / f(y)`` when ``f`` keeps its sign on the way and the
  integral converges (superlinear growth: ``y' = y^2`` from 1 gives ``T* = 1``,
  ``y' = 1 + y^2`` from 0 gives ``pi/2``). A sign change of ``f`` (an equilibrium) on the way
  means no blow-up.
* **growth of the probe** for systems: the implicit probe trajectory's norm growing by many
  orders of magnitude with ``|y|/|y'|`` (the time left at the current rate) shrinking towards
  zero before ``t_end``; the blow-up time is extrapolated from the last steps assuming a power
  law ``|y| ~ (T* - t)^(-a)``, for which ``|y|/|y'| = (T* - t)/a``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import sympy as sp

if TYPE_CHECKING:
    from simlab.judge.context import JudgeContext

#: growth of the probe's norm (relative to its start) that counts as runaway
RUNAWAY = 1e8


@dataclass(frozen=True)
class BlowUp:
    time: float  # estimated blow-up time (SI)
    method: str
    unknown: str | None = None


def scalar_blowup(ctx: JudgeContext) -> BlowUp | None:
    """The exact blow-up time of a scalar autonomous ODE, if it is before ``t_end``."""
    from simlab.judge.stiffness import ode_system

    system = ode_system(ctx)
    if isinstance(system, str) or len(system[0]) != 1:
        return None
    (y,), (f,), (y0,) = system
    t = ctx.sym.time
    if t is not None and t in f.free_symbols:
        return None
    t0, t1 = ctx.sym.ranges_si[ctx.sym.time_name]  # type: ignore[index]
    try:
        fn = sp.lambdify(y, f, modules="numpy")
        f0 = float(fn(y0))
    except Exception:
        return None
    if not math.isfinite(f0) or f0 == 0:
        return None
    direction = 1.0 if f0 > 0 else -1.0
    # y = y0 + direction * s, s in [0, inf): check the sign on a log grid, then integrate
    s_grid = np.concatenate([[0.0], np.logspace(-6, 300, 1200) * max(abs(y0), 1.0)])
    with np.errstate(all="ignore"):
        values = np.asarray(fn(y0 + direction * s_grid), dtype=float) * np.ones_like(s_grid)
    finite = np.isfinite(values)
    if not np.all(values[finite] * direction > 0):
        return None  # an equilibrium on the way stops the solution
    if not np.all(finite):
        values, s_grid = values[finite], s_grid[finite]
    positive = s_grid > 0
    if np.sum(positive) < 3:
        return None
    tail_s, tail_f = s_grid[positive][-40:], np.abs(values[positive][-40:])
    overflowed = not np.all(finite)  # f overflows at a finite state: faster than any power
    if not overflowed:
        with np.errstate(all="ignore"):
            slope = float(np.polyfit(np.log(tail_s), np.log(tail_f), 1)[0])
        if not np.isfinite(slope) or slope <= 1.0 + 1e-6:
            return None  # at most linear growth: a global solution
    from scipy.integrate import quad

    def inv(s: float) -> float:
        with np.errstate(all="ignore"):
            v = abs(float(fn(np.float64(y0 + direction * s))))
        return 1.0 / v if v > 0 else math.inf

    import warnings

    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            total, _ = quad(inv, 0.0, math.inf, limit=200)
            # a convergent integral has a negligible tail: y log(y) grows superlinearly but
            # int dy/(y log y) diverges (ln ln y), and quad would return a finite number
            far = 1e150 * max(abs(y0), 1.0)
            tail, _ = quad(inv, far, far * 1e150, limit=200)
    except Exception:
        return None
    if not (math.isfinite(total) and math.isfinite(tail)) or tail > 1e-3 * max(total, 1e-300):
        return None
    blow = t0 + total
    if not math.isfinite(blow) or blow >= t1:
        return None
    return BlowUp(blow, "comparison integral T* = t0 + int dy/f(y)", ctx.sym.unknown_names[0])


def probe_blowup(ctx: JudgeContext) -> BlowUp | None:
    """Runaway growth of the probe trajectory before ``t_end`` (systems, non-autonomous)."""
    probe = ctx.ode
    if probe is None or probe.raw_times is None or probe.raw_times.size < 8:
        return None
    t1 = ctx.sym.ranges_si[ctx.sym.time_name][1]  # type: ignore[index]
    times, states = probe.raw_times, probe.raw_states
    norms = np.linalg.norm(states, axis=1)
    finite = np.isfinite(norms)
    if not np.any(finite):
        return None
    times, norms = times[finite], norms[finite]
    step = np.concatenate([[True], np.diff(times) > 0])
    times, norms = times[step], norms[step]
    if times.size < 8:
        return None
    start = max(float(norms[0]), float(np.median(norms[: max(3, norms.size // 10)])), 1e-300)
    if not (norms[-1] / start > RUNAWAY and times[-1] < t1 * (1 - 1e-9)):
        return None
    # power law |y| ~ (T - t)^(-a): log|y| against log of time left is linear
    k = min(12, norms.size - 1)
    tt, nn = times[-k:], norms[-k:]
    with np.errstate(all="ignore"):
        rate = np.gradient(nn, tt)
    left = nn / np.maximum(np.abs(rate), 1e-300)  # = (T - t)/a
    if not (left[-1] < left[0] and np.all(np.isfinite(left))):
        return None
    slope = np.polyfit(tt, left, 1)[0]  # d(left)/dt = -1/a
    if slope >= 0:
        return None
    a = -1.0 / slope
    blow = float(tt[-1] + a * left[-1])
    if blow >= t1:
        return None
    return BlowUp(blow, "runaway of the probe trajectory (power-law extrapolation)")
