"""Stiffness and growth of ODE systems, from the Jacobian along a cheap implicit trajectory.

The system ``y' = f(t, y)`` is read from the equations (each unknown's governing equation
solved for its time derivative) and integrated once with LSODA (BDF when stiff) at a loose
tolerance. At the accepted steps the eigenvalues of the Jacobian (central differences of the
lambdified right-hand side) give:

* ``lambda_fast(t)``: the largest ``|lambda|`` among decaying modes (``Re lambda < 0``). An
  explicit method with stability interval ``beta`` needs ``dt <= beta / lambda_fast``.
* ``tau(t) = min_i (|y_i| + eps*scale_i) / |f_i|``: the time in which the solution itself
  changes by its own size, i.e. the step accuracy asks for.
* the **stiffness ratio** ``S = max_t lambda_fast(t) * tau(t)``: how many stability-limited
  explicit steps fit into one accuracy-limited step. A zero eigenvalue (a conservation law,
  Robertson's ``y1+y2+y3``) does not enter, and a fast mode that is active in the solution
  (small ``tau``) is not counted as stiff. At ``t = 0`` Robertson has eigenvalues 0, 0, -0.04
  and ``S = 1``; the ratio grows along the trajectory, which is why it is sampled there.
* growth: ``G = int max(0, max Re lambda) dt`` (errors may grow like ``e^G``) and the
  Lipschitz constant ``L = max ||J||_2``.

``S > STIFF_RATIO`` (1e3) classifies the system as stiff: an explicit integrator would then
take more than a thousand steps per step an implicit one needs, while an implicit step of a
small system costs only a few (at most ~1e2) explicit ones.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import sympy as sp

from simlab.judge.methods import TimeMethod

if TYPE_CHECKING:
    from simlab.judge.context import JudgeContext

STIFF_RATIO = 1.0e3
MAX_STEPS = 1500
MAX_SECONDS = 0.5
#: the probe only needs the trajectory's shape, not its digits
PROBE_RTOL = 1e-3
#: Jacobian samples along the probe trajectory
SAMPLES = 48
#: the probe stops once the state exceeds its initial size by this factor (blow-up)
RUNAWAY_STOP = 1e12


@dataclass
class OdeProbe:
    """What the implicit probe trajectory told about the system."""

    names: tuple[str, ...]
    t0: float
    t1: float
    times: np.ndarray
    lambda_fast: np.ndarray
    tau: np.ndarray
    abscissa: np.ndarray
    eigenvalues: list[np.ndarray]
    steps: int
    truncated: bool
    lipschitz: float
    growth_exponent: float
    solution_growth: float
    notes: list[str] = field(default_factory=list)
    raw_times: np.ndarray | None = None  # every accepted probe step (for blow-up detection)
    raw_states: np.ndarray | None = None
    atol: float = 0.0

    @property
    def stiffness_ratio(self) -> float:
        return float(np.max(self.lambda_fast * self.tau)) if self.times.size else 0.0

    @property
    def stiff(self) -> bool:
        return self.stiffness_ratio > STIFF_RATIO

    @property
    def time_at_max(self) -> float:
        return float(self.times[int(np.argmax(self.lambda_fast * self.tau))])

    def explicit_steps(self, method: TimeMethod) -> float:
        """Steps an explicit method needs over the probed span to stay stable."""
        rate = self.lambda_fast / method.real_interval
        if self.times.size < 2:
            return float(rate.max(initial=0.0) * (self.t1 - self.t0))
        return float(np.trapezoid(rate, self.times))

    def fixed_step_amplification(self, method: TimeMethod, dt: float) -> tuple[float, float]:
        """max |R(dt*lambda)| over decaying eigenvalues, and the lambda where it peaks."""
        worst, where = 0.0, 0.0
        for ev in self.eigenvalues:
            decaying = ev[ev.real <= 0]
            if decaying.size == 0:
                continue
            with np.errstate(all="ignore"):
                r = np.abs(method.stability(dt * decaying))
            k = int(np.argmax(r))
            if r[k] > worst:
                worst, where = float(r[k]), float(abs(decaying[k]))
        return worst, where

    def to_numbers(self) -> dict[str, Any]:
        return {
            "stiffness_ratio": self.stiffness_ratio,
            "lambda_fast_max_per_s": float(self.lambda_fast.max(initial=0.0)),
            "time_of_max_ratio_s": self.time_at_max if self.times.size else None,
            "probe_steps": self.steps,
            "probe_truncated": self.truncated,
            "lipschitz_per_s": self.lipschitz,
            "growth_exponent": self.growth_exponent,
            "probe_reached_s": self.t1,
            "probe_atol": self.atol,
        }


def ode_system(ctx: JudgeContext) -> tuple[list[sp.Symbol], list[sp.Expr], list[float]] | str:
    """``(y symbols, f(t, y), y0)`` in SI, or the reason the system cannot be formed."""
    s = ctx.sym
    if not s.parsed or not s.is_time_dependent or s.has_space_derivatives:
        return "not an ODE system"
    if s.time_name is None:
        return "no time interval"
    ys: list[sp.Symbol] = []
    fs: list[sp.Expr] = []
    y0: list[float] = []
    for u in s.unknown_names:
        jet = s.jet(u)  # None when u appears only differentiated: f does not depend on it
        ys.append(jet.symbol if jet is not None else sp.Dummy(u))
    for u in s.unknown_names:
        if s.time_order(u) != 1:
            return f"unknown {u} is not first order in time"
        eq = s.governing(u)
        dj = s.jet(u, **{s.time_name: 1})
        if eq is None or dj is None:
            return f"no single equation holds d{u}/dt"
        others = [
            j
            for j in eq.jets
            if j.order(s.time_name) > 0 and j is not dj  # type: ignore[arg-type]
        ]
        if others:
            return "an equation holds several time derivatives (implicit system)"
        c = eq.coefficient(dj)
        if c.free_symbols & {j.symbol for j in s.jets.values()}:
            return f"the coefficient of d{u}/dt depends on the state"
        rest = eq.jet_residual.xreplace({dj.symbol: sp.S.Zero})
        f = -rest if c == 1 else -(rest / c)
        fs.append(s.evaluator.substitute(f))
        init = ctx.sampler.initial_expr(u)
        if init is None:
            return f"no initial value for {u}"
        value = s.evaluator.real_constant(init)
        if value is None:
            return f"the initial value of {u} is not a number"
        y0.append(value)
    t = s.time
    allowed = set(ys) | ({t} if t is not None else set())
    for f in fs:
        extra = f.free_symbols - allowed
        if extra:
            return "symbols without values: " + ", ".join(sorted(str(x) for x in extra))
    return ys, fs, y0


class _Rhs:
    """The lambdified right-hand side, evaluated for one state or for many at once."""

    def __init__(self, f_num: Any, n: int) -> None:
        self.f_num, self.n = f_num, n

    def many(self, t: np.ndarray, Y: np.ndarray) -> np.ndarray:
        """``f`` at states ``Y`` of shape (m, n) and times ``t`` (m,): shape (m, n)."""
        m = Y.shape[0]
        out = self.f_num(t, Y.T)
        return np.stack([np.broadcast_to(np.asarray(c, dtype=float), (m,)) for c in out], axis=1)

    def __call__(self, t: float, y: np.ndarray) -> np.ndarray:
        try:  # one state: every component is a float
            return np.array(self.f_num(t, y), dtype=float).reshape(self.n)
        except (TypeError, ValueError):
            return self.many(np.array([t]), y[None, :])[0]

    def jacobians(self, t: np.ndarray, Y: np.ndarray, scale: np.ndarray) -> np.ndarray:
        """Central-difference Jacobians at every state (error ~1e-10 relative): (m, n, n)."""
        m, n = Y.shape
        J = np.empty((m, n, n))
        steps = 1e-6 * np.maximum(np.maximum(np.abs(Y), 1e-3 * scale), 1e-12)
        for j in range(n):
            plus, minus = Y.copy(), Y.copy()
            plus[:, j] += steps[:, j]
            minus[:, j] -= steps[:, j]
            J[:, :, j] = (self.many(t, plus) - self.many(t, minus)) / (2 * steps[:, j, None])
        return J


def probe(ctx: JudgeContext) -> OdeProbe | None:
    """Integrate the ODE system once (LSODA, loose tolerance) and sample its Jacobian."""
    system = ode_system(ctx)
    if isinstance(system, str):
        return None
    ys, fs, y0 = system
    s = ctx.sym
    t = s.time if s.time is not None else sp.Symbol("t")
    t0, t1 = s.ranges_si[s.time_name]  # type: ignore[index]
    try:
        rhs = _Rhs(sp.lambdify((t, ys), list(fs), modules="numpy"), len(ys))
    except Exception:  # an expression numpy cannot evaluate
        return None
    y0a = np.array(y0, dtype=float)
    scale = np.maximum(np.abs(y0a), 1e-300)

    def jacobian(tt: float, y: np.ndarray) -> np.ndarray:
        np.maximum(scale, np.abs(y), out=scale)
        return rhs.jacobians(np.array([tt]), y[None, :], scale)[0]

    eps = ctx.tolerance[0] if ctx.tolerance else 1e-3
    scale0 = _state_scale(rhs, t0, t1, y0a)
    times, states = [t0], [y0a.copy()]
    truncated = False
    notes: list[str] = []
    try:
        from scipy.integrate import LSODA

        with np.errstate(all="ignore"):
            solver = LSODA(
                rhs, t0, y0a, t1, rtol=PROBE_RTOL, atol=1e-6 * PROBE_RTOL * scale0, jac=jacobian
            )
            start = time.perf_counter()
            while solver.status == "running":
                if len(times) > MAX_STEPS or time.perf_counter() - start > MAX_SECONDS:
                    truncated = True
                    break
                message = solver.step()
                if solver.status == "failed":
                    notes.append(f"probe stopped: {message}")
                    break
                times.append(solver.t)
                states.append(solver.y.copy())
                if float(np.max(np.abs(solver.y))) > RUNAWAY_STOP * scale0:
                    notes.append("probe stopped: runaway growth of the solution")
                    break
    except Exception as exc:  # a right-hand side that fails to evaluate
        notes.append(f"probe failed: {type(exc).__name__}")
    names = tuple(ctx.sym.unknown_names)
    out = _sample(names, rhs, np.array(times), np.array(states), t0, t1, eps, truncated, notes)
    if out is not None:
        out.raw_times, out.raw_states = np.array(times), np.array(states)
        out.atol = 1e-6 * PROBE_RTOL * scale0
        if solver_failed(notes):
            out.t1 = float(times[-1])
    return out


def solver_failed(notes: list[str]) -> bool:
    return any(n.startswith(("probe stopped", "probe failed")) for n in notes)


def _state_scale(rhs: _Rhs, t0: float, t1: float, y0: np.ndarray) -> float:
    """The size of the state, for the probe's absolute tolerance.

    ``max |y0|``; when the state starts at zero, the distance the right-hand side moves it over
    the interval (``|f(t0, y0)| (t1 - t0)``); when both vanish, 1 in SI units (said in notes).
    """
    size = float(np.max(np.abs(y0))) if y0.size else 0.0
    if size > 0:
        return size
    try:
        with np.errstate(all="ignore"):
            f0 = float(np.max(np.abs(rhs(t0, y0))))
    except Exception:
        f0 = 0.0
    moved = f0 * (t1 - t0)
    return moved if math.isfinite(moved) and moved > 0 else 1.0


def _sample(
    names: tuple[str, ...],
    rhs: _Rhs,
    times: np.ndarray,
    states: np.ndarray,
    t0: float,
    t1: float,
    eps: float,
    truncated: bool,
    notes: list[str],
) -> OdeProbe | None:
    good = np.all(np.isfinite(states), axis=1)
    times, states = times[good], states[good]
    if times.size == 0:
        return None
    idx = np.unique(np.linspace(0, times.size - 1, min(times.size, SAMPLES)).astype(int))
    tt, Y = times[idx], states[idx]
    scale = np.maximum(np.max(np.abs(states), axis=0), 1e-300)
    atol = max(eps, 1e-12) * scale
    with np.errstate(all="ignore"):
        J = rhs.jacobians(tt, Y, scale)
        F = np.abs(rhs.many(tt, Y))
    ok = np.all(np.isfinite(J), axis=(1, 2)) & np.all(np.isfinite(F), axis=1)
    if not np.any(ok):
        return None
    tt, Y, J, F = tt[ok], Y[ok], J[ok], F[ok]
    try:
        ev = np.linalg.eigvals(J)  # (m, n)
    except np.linalg.LinAlgError:
        return None
    decaying = np.where(ev.real < 0, np.abs(ev), 0.0)
    lam_fast = np.max(decaying, axis=1)
    absc = np.max(ev.real, axis=1)
    tau = np.minimum(np.min((np.abs(Y) + atol) / np.maximum(F, 1e-300), axis=1), t1 - t0)
    try:
        norms = np.linalg.norm(J, 2, axis=(1, 2))
    except np.linalg.LinAlgError:  # SVD of an overflowing Jacobian near a blow-up
        norms = np.array([np.inf])
    with np.errstate(all="ignore"):
        growth = float(np.trapezoid(np.maximum(absc, 0.0), tt)) if tt.size > 1 else 0.0
        norm0 = float(np.linalg.norm(states[0])) or 1e-300
        peak = float(np.max(np.linalg.norm(states, axis=1)))
    sol_growth = math.log(max(peak / norm0, 1.0)) if math.isfinite(peak) else math.inf
    return OdeProbe(
        names=names,
        t0=t0,
        t1=float(times[-1]) if truncated else t1,
        times=tt,
        lambda_fast=lam_fast,
        tau=tau,
        abscissa=absc,
        eigenvalues=list(ev),
        steps=int(times.size - 1),
        truncated=truncated,
        lipschitz=float(np.max(norms)),
        growth_exponent=growth,
        solution_growth=sol_growth,
        notes=notes,
    )
