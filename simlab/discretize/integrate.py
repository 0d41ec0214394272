"""Time integration of ``du/dt = f(u, t)`` and Newton's method for ``F(u) = 0``.

* θ-scheme (Crank–Nicolson, θ = 1/2) with a Rannacher start (the first two steps replaced by
  four backward-Euler half steps, which damps the high modes of incompatible initial data and
  keeps order 2); Newton on every step with the sparse Jacobian (one factorisation per step
  size when the problem is linear);
* scipy's BDF / Radau with the same sparse Jacobian and dense output, when the spec plans them;
* Newton with backtracking for stationary problems.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sps
from scipy.integrate import solve_ivp

from simlab.discretize.linear import Factorization, factorize
from simlab.discretize.roundoff import EPS, linearized_error, solve_error
from simlab.discretize.separable import active_shape
from simlab.discretize.system import Discretization, EngineError, ResidualSet

NEWTON_RTOL = 1e-11
NEWTON_MAX = 30
STAGNATION = 1e-9
"""A Newton step this small (relative) after round-off stalls |F| ends the iteration."""


def theta_march(
    rhs: ResidualSet,
    u0: np.ndarray,
    times: list[float],
    steps: list[int],
    theta: float = 0.5,
    rannacher: bool = True,
) -> tuple[list[np.ndarray], dict]:
    """States at ``times`` (``times[0]`` the start); ``steps[k]`` steps up to ``times[k+1]``."""
    dim = rhs.disc.grid.geometry.dimension
    shape = active_shape(rhs.disc) if rhs.linear else None  # a changing J is never separable
    eye = sps.identity(u0.size, format="csr")
    cache: dict[tuple[float, float], object] = {}
    jac0 = rhs.jacobian(u0, times[0]) if rhs.linear else None
    stats = {"steps": 0, "newton": 0, "factorizations": 0}
    last: dict = {}  # the last step's solve, for the round-off estimate

    def solver_for(th: float, dt: float, u: np.ndarray, t: float, fresh: bool = False):
        """Linear: one factorisation per (θ, dt). Nonlinear: the last one is kept (simplified
        Newton) until convergence slows, then the Jacobian is refreshed."""
        key = (th, dt)
        if (rhs.linear or not fresh) and key in cache:
            return cache[key]
        if not rhs.linear:
            cache.clear()
        jac = jac0 if rhs.linear else rhs.jacobian(u, t)
        cache[key] = factorize(eye - th * dt * jac, dim, shape)
        stats["factorizations"] += 1
        return cache[key]

    if rhs.linear:  # f(u, t) = J u + b(t) exactly: one evaluation of b per step at most
        zeros = np.zeros_like(u0)
        steady = rhs.value(zeros, times[0]) if rhs.autonomous else None

        def forcing(t: float) -> np.ndarray:
            return steady if steady is not None else rhs.value(zeros, t)

    def linear_step(u: np.ndarray, t: float, dt: float, th: float) -> np.ndarray:
        """``(I - th dt J) d = dt (J u + (1 - th) b(t) + th b(t + dt))``, ``w = u + d``.

        The increment form keeps the LU's round-off relative to the small change ``d``, not
        to ``u`` (solving for ``w`` itself made a conserved mean drift by 1e-14 over a run)."""
        forcing_new = forcing(t + dt)
        mixed = forcing_new if th == 1.0 else (1.0 - th) * forcing(t) + th * forcing_new
        drive = jac0 @ u + mixed
        factor = solver_for(th, dt, u, t + dt)
        d = factor(dt * drive)
        w = u + d
        if not np.all(np.isfinite(w)):
            raise EngineError(f"the time step diverged at t = {t:.6g}")
        stats["steps"] += 1
        stats["newton"] += 1
        # the round-off estimate's |terms| are formed once, for the last step (below)
        last.update(factor=factor, x=d, rhs=dt * drive, u=w, tail=0.0, g=None)
        last.update(terms=None, linear_terms=(dt, u, mixed))
        return w

    def step(u: np.ndarray, t: float, dt: float, th: float) -> np.ndarray:
        if rhs.linear:
            return linear_step(u, t, dt, th)
        f_old = rhs.value(u, t) if th < 1.0 else 0.0
        base = u + (1.0 - th) * dt * f_old
        # explicit Euler predictor: simplified Newton then needs fewer corrections
        w = u + dt * f_old if th < 1.0 else u.copy()
        solve = solver_for(th, dt, w, t + dt)
        scale = 1.0 + float(np.max(np.abs(u))) if u.size else 1.0
        refreshed = False
        previous = np.inf
        for _it in range(NEWTON_MAX):
            g = w - base - th * dt * rhs.value(w, t + dt)
            delta = solve(g)
            w = w - delta
            stats["newton"] += 1
            if not np.all(np.isfinite(w)):
                raise EngineError(f"the time step diverged at t = {t:.6g}")
            size = float(np.max(np.abs(delta)))
            if rhs.linear or size <= NEWTON_RTOL * scale:
                # the Newton tolerance actually reached is noise of the step, like round-off
                last.update(factor=solve, x=w, g=g, u=w, terms=np.abs(base), tail=size, rhs=None)
                break
            if size > 0.25 * previous and not refreshed:  # slow contraction: new Jacobian
                solve = solver_for(th, dt, w, t + dt, fresh=True)
                refreshed = True
            previous = size
        else:
            raise EngineError(f"Newton did not converge in a time step at t = {t:.6g}")
        stats["steps"] += 1
        return w

    out = [u0.copy()]
    u, t = u0.copy(), times[0]
    first = True
    for k, n in enumerate(steps):
        t_end = times[k + 1]
        dt = (t_end - t) / n
        i = 0
        while i < n:
            if first and rannacher and theta < 1.0:
                pair = min(2, n)
                for _ in range(2 * pair):
                    u = step(u, t, dt / 2, 1.0)
                    t += dt / 2
                i += pair
                first = False
                continue
            first = False
            u = step(u, t, dt, theta)
            i += 1
            t = times[k] + i * dt
        t = t_end
        out.append(u.copy())
    if last.get("terms") is None and last.get("linear_terms") is not None:
        dt, u_before, mixed = last["linear_terms"]
        last["terms"] = dt * (abs(jac0) @ np.abs(u_before) + np.abs(mixed))
    stats["round_off"] = _march_round_off(rhs.disc, last, stats["steps"])
    return out, stats


def richardson_march(
    rhs: ResidualSet, u0: np.ndarray, times: list[float], steps: list[int]
) -> tuple[list[np.ndarray], dict]:
    """Crank–Nicolson at ``steps`` and at twice as many, extrapolated: ``(4 u_{dt/2} - u_dt)/3``.

    Crank–Nicolson's global error of a smooth solution expands in even powers of ``dt``
    (``e2(t) dt^2 + e4(t) dt^4 + ...``, the scheme being symmetric), so the combination
    removes the ``dt^2`` term and leaves ``O(dt^4)``: fourth order in time at 3x the steps.
    No Rannacher start (its backward-Euler steps break the even expansion); callers use it
    on compatible data only (simlab.discretize.order).
    """
    coarse, stats_c = theta_march(rhs, u0, times, steps, rannacher=False)
    fine, stats_f = theta_march(rhs, u0, times, [2 * n for n in steps], rannacher=False)
    states = [u0.copy()] + [(4.0 * f - c) / 3.0 for c, f in zip(coarse[1:], fine[1:], strict=True)]
    stats = {k: stats_c[k] + stats_f[k] for k in stats_c if k != "round_off"}
    # the combination's round-off: at most (4 |r_fine| + |r_coarse|) / 3 per unknown
    rc, rf = stats_c.get("round_off", {}), stats_f.get("round_off", {})
    stats["round_off"] = {n: (4.0 * rf.get(n, 0.0) + rc.get(n, 0.0)) / 3.0 for n in rf | rc}
    return states, stats


def _blocks(disc: Discretization) -> dict[str, slice]:
    return {n: slice(lay.start, lay.start + lay.count) for n, lay in disc.layouts.items()}


def _march_round_off(disc: Discretization, last: dict, steps: int) -> dict[str, float]:
    """Accumulated round-off per unknown: the steps times the last step's error (the sum of
    the local errors bounds a stable march; Higham 2002, section 1.18)."""
    if not last or steps == 0:
        return {}
    blocks = _blocks(disc)
    factor = last["factor"]
    rhs = last["rhs"] if last["rhs"] is not None else factor.matrix @ last["x"] - last["g"]
    local = solve_error(
        factor.matrix,
        factor.solve,
        last["x"],
        rhs,
        transposed=factor.transposed,
        blocks=blocks,
        rhs_terms=last["terms"],
    )
    u = last["u"]
    return {
        n: steps * (local[n] + EPS * float(np.max(np.abs(u[s]), initial=0.0)) + last["tail"])
        for n, s in blocks.items()
    }


def ivp_march(
    rhs: ResidualSet, u0: np.ndarray, times: list[float], method: str, rtol: float
) -> tuple[list[np.ndarray], dict]:
    """States at ``times`` by scipy's BDF or Radau with the sparse Jacobian (dense output)."""
    scale = max(float(np.max(np.abs(u0))), 1e-300) if u0.size else 1.0
    sol = solve_ivp(
        lambda t, y: rhs.value(y, t),
        (times[0], times[-1]),
        u0,
        method=method,
        jac=lambda t, y: rhs.jacobian(y, t),
        rtol=rtol,
        atol=rtol * scale,
        dense_output=True,
    )
    if not sol.success:
        raise EngineError(f"{method} failed: {sol.message}")
    states = [u0.copy(), *[sol.sol(t) for t in times[1:]]]
    # the error control's tolerance is the noise level of the computed states
    round_off = {
        n: rtol * float(np.max(np.abs(sol.y[s]), initial=0.0)) + rtol * scale
        for n, s in _blocks(rhs.disc).items()
    }
    stats = {"steps": int(sol.t.size - 1), "nfev": int(sol.nfev), "njev": int(sol.njev)}
    return states, {**stats, "round_off": round_off}


def newton(
    residual: ResidualSet, u0: np.ndarray, params: dict | None = None
) -> tuple[np.ndarray, dict]:
    """Solve ``F(u) = 0`` by Newton with backtracking on ``|F|``."""
    dim = residual.disc.grid.geometry.dimension
    u = u0.copy()
    f = residual.value(u, None, params)
    norm = float(np.linalg.norm(f))
    solve: Factorization | None = None
    for it in range(1, NEWTON_MAX + 1):
        if solve is None or not residual.linear:
            shape = active_shape(residual.disc) if residual.linear else None
            solve = factorize(residual.jacobian(u, None, params), dim, shape)
        delta = solve(f)
        if not np.all(np.isfinite(delta)):
            raise EngineError("Newton's linear solve failed (singular Jacobian?)")
        lam = 1.0
        while True:
            trial = u - lam * delta
            f_trial = residual.value(trial, None, params)
            n_trial = float(np.linalg.norm(f_trial))
            if np.isfinite(n_trial) and (n_trial <= (1 - 1e-4 * lam) * norm or lam < 1e-3):
                break
            lam /= 2
        u, f, norm = trial, f_trial, n_trial
        scale = 1.0 + float(np.max(np.abs(u)))
        step = float(np.max(np.abs(lam * delta)))
        linear_done = residual.linear and lam == 1.0  # one exact solve of an affine system
        if linear_done or step <= NEWTON_RTOL * scale or (it >= 2 and step <= STAGNATION * scale):
            # the last step is what Newton's stopping left (none after an exact linear solve)
            tail = 0.0 if linear_done else step
            local = linearized_error(solve, u, f, _blocks(residual.disc))
            round_off = {n: e + tail for n, e in local.items()}
            return u, {"iterations": it, "residual": norm, "round_off": round_off}
    raise EngineError(f"Newton did not converge in {NEWTON_MAX} iterations (|F| = {norm:.3g})")
