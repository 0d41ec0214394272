"""Lyapunov spectra by the Benettin algorithm with QR re-orthonormalisation.

Flows: the state and k tangent vectors are integrated together with classical RK4 on the
variational equations dQ/dt = J(x) Q (fixed step: the tangent map is then the exact
derivative of the discrete flow map, so the sum of exponents equals the mean trace of J to
O(dt^4)). Maps: Q <- J(x) Q, x <- f(x) with a QR step every iteration.

Several trajectories are advanced at once (callables are vectorised over a leading axis),
and their spread gives a standard error: the estimate carries its own evidence.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from simlab.diagnostics.errors import DiagnosticsError

VectorField = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class LyapunovResult:
    """Lyapunov exponents with their spread over independent trajectories.

    Attributes:
        exponents: mean exponents, descending (per unit time, or per iteration for maps).
        stderr: standard error of each mean over trajectories (nan for one trajectory).
        per_trajectory: exponents of each trajectory, shape (M, k).
        duration: averaging time (flows) or number of iterations (maps) per trajectory.
        method: a short description of the integrator and settings.
    """

    exponents: np.ndarray
    stderr: np.ndarray
    per_trajectory: np.ndarray
    duration: float
    method: str

    @property
    def largest(self) -> float:
        return float(self.exponents[0])

    @property
    def total(self) -> float:
        """Sum of the computed exponents."""
        return float(self.exponents.sum())


def _start(x0: np.ndarray, n_trajectories: int, spread: float, seed: int) -> np.ndarray:
    x0 = np.asarray(x0, dtype=float).ravel()
    if n_trajectories < 1:
        raise DiagnosticsError(f"n_trajectories must be >= 1, got {n_trajectories}")
    rng = np.random.default_rng(seed)
    scale = spread * max(float(np.max(np.abs(x0))), 1.0)
    offsets = scale * rng.standard_normal((n_trajectories, x0.size))
    offsets[0] = 0.0
    return x0[None, :] + offsets


def _check(f: VectorField, jac: VectorField, x: np.ndarray) -> None:
    fx, jx = np.asarray(f(x)), np.asarray(jac(x))
    m, d = x.shape
    if fx.shape != (m, d) or jx.shape != (m, d, d):
        raise DiagnosticsError(
            f"vectorised callables must map (M, d) -> (M, d) and (M, d, d); got {fx.shape} "
            f"and {jx.shape} for M={m}, d={d}"
        )


def _result(logs: np.ndarray, duration: float, method: str) -> LyapunovResult:
    per = logs / duration
    m = per.shape[0]
    stderr = per.std(axis=0, ddof=1) / np.sqrt(m) if m > 1 else np.full(per.shape[1], np.nan)
    return LyapunovResult(per.mean(axis=0), stderr, per, float(duration), method)


def lyapunov_flow(
    rhs: VectorField,
    jac: VectorField,
    x0: np.ndarray,
    *,
    t_total: float = 200.0,
    dt: float = 0.01,
    t_transient: float = 20.0,
    n_exponents: int | None = None,
    n_trajectories: int = 16,
    renorm_every: int = 10,
    spread: float = 1e-3,
    seed: int = 0,
) -> LyapunovResult:
    """Lyapunov spectrum of dx/dt = rhs(x) (autonomous), averaged over trajectories.

    ``rhs`` maps states (M, d) to (M, d) and ``jac`` to (M, d, d). Trajectories start at
    x0 plus Gaussian offsets of relative size ``spread``, run ``t_transient`` (tangent
    vectors included, to align them) and then average over ``t_total``.
    """
    if t_total <= 0 or dt <= 0 or t_transient < 0 or renorm_every < 1:
        raise DiagnosticsError("need t_total > 0, dt > 0, t_transient >= 0, renorm_every >= 1")
    x = _start(x0, n_trajectories, spread, seed)
    _check(rhs, jac, x)
    d = x.shape[1]
    k = d if n_exponents is None else int(n_exponents)
    if not 1 <= k <= d:
        raise DiagnosticsError(f"n_exponents must be in 1..{d}, got {k}")
    q = np.broadcast_to(np.eye(d)[:, :k], (x.shape[0], d, k)).copy()

    def rk4(x: np.ndarray, q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        k1x, k1q = rhs(x), jac(x) @ q
        x2, q2 = x + 0.5 * dt * k1x, q + 0.5 * dt * k1q
        k2x, k2q = rhs(x2), jac(x2) @ q2
        x3, q3 = x + 0.5 * dt * k2x, q + 0.5 * dt * k2q
        k3x, k3q = rhs(x3), jac(x3) @ q3
        x4, q4 = x + dt * k3x, q + dt * k3q
        k4x, k4q = rhs(x4), jac(x4) @ q4
        return (
            x + dt / 6.0 * (k1x + 2 * k2x + 2 * k3x + k4x),
            q + dt / 6.0 * (k1q + 2 * k2q + 2 * k3q + k4q),
        )

    logs = np.zeros((x.shape[0], k))
    blocks_transient = round(t_transient / (dt * renorm_every))
    blocks = max(round(t_total / (dt * renorm_every)), 1)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for block in range(blocks_transient + blocks):
            for _ in range(renorm_every):
                x, q = rk4(x, q)
            if not (np.all(np.isfinite(x)) and np.all(np.isfinite(q))):
                raise DiagnosticsError(
                    f"trajectory left the finite range at t={(block + 1) * renorm_every * dt:g}",
                    hint="reduce dt or check rhs and jac",
                )
            q, r = np.linalg.qr(q)
            if block >= blocks_transient:
                logs += np.log(np.abs(np.diagonal(r, axis1=1, axis2=2)))
    duration = blocks * renorm_every * dt
    method = f"Benettin-QR, RK4 dt={dt}, QR every {renorm_every} steps, M={x.shape[0]}"
    return _result(logs, duration, method)


def lyapunov_map(
    step: VectorField,
    jac: VectorField,
    x0: np.ndarray,
    *,
    n_iter: int = 20_000,
    n_transient: int = 1_000,
    n_trajectories: int = 32,
    spread: float = 1e-3,
    seed: int = 0,
) -> LyapunovResult:
    """Lyapunov spectrum (per iteration) of x_{k+1} = step(x_k), vectorised like the flow."""
    if n_iter < 1 or n_transient < 0:
        raise DiagnosticsError("need n_iter >= 1 and n_transient >= 0")
    x = _start(x0, n_trajectories, spread, seed)
    _check(step, jac, x)
    q = np.broadcast_to(np.eye(x.shape[1]), (x.shape[0], x.shape[1], x.shape[1])).copy()
    logs = np.zeros(x.shape)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for it in range(n_transient + n_iter):
            q, r = np.linalg.qr(jac(x) @ q)
            x = step(x)
            if not np.all(np.isfinite(x)):
                raise DiagnosticsError(
                    f"orbit escaped to infinity after {it + 1} iterations",
                    hint="start inside the basin of the attractor",
                )
            if it >= n_transient:
                logs += np.log(np.abs(np.diagonal(r, axis1=1, axis2=2)))
    return _result(logs, float(n_iter), f"Benettin-QR map, M={x.shape[0]}")
