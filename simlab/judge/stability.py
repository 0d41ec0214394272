"""Von Neumann stability of the planned explicit scheme, computed from the equation.

The linearised, frozen-coefficient equation ``u_t = sum D_i u_ii - sum a_i u_i + r u`` (its
worst coefficients over the samples) is discretised as planned: central or upwind differences
in space (semi-discrete symbol ``lambda(theta)``), then one step of the time integrator gives the
amplification factor ``G(theta) = R(dt*lambda(theta))``; Lax-Wendroff, Lax-Friedrichs and
leapfrog have their own ``G``. The scheme is stable when ``max |G| <= exp(dt*max(r, 0))`` over
all wavenumbers. This reproduces the textbook limits (upwind: ``|a| dt/dx <= 1``; FTCS:
``sum D_i dt/dx_i^2 <= 1/2``; leapfrog wave: ``c dt/dx <= 1``; FTCS advection: never) and covers
their combinations. The largest stable ``dt`` is found by bisection.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from simlab.judge.methods import TimeMethod


@dataclass(frozen=True)
class FrozenCoefficients:
    """Worst-case constant coefficients, per space direction (SI)."""

    diffusion: np.ndarray  # D_i >= 0
    velocity: np.ndarray  # a_i
    growth: float  # max r
    second_order_in_time: bool = False


@dataclass(frozen=True)
class StabilityResult:
    dt: float
    max_amplification: float
    allowed: float
    courant: float
    diffusion_number: float
    dt_max: float
    stable: bool


class Waves:
    """Wavenumbers ``theta`` (per direction) with their trigonometric factors, computed once."""

    def __init__(self, theta: list[np.ndarray]) -> None:
        self.theta = theta
        self.half_sin2 = [np.sin(t / 2) ** 2 for t in theta]
        self.sin = [np.sin(t) for t in theta]
        self.one_minus_cos = [1 - np.cos(t) for t in theta]
        self.cos = [np.cos(t) for t in theta]


def _theta(d: int) -> list[np.ndarray]:
    n = {1: 721, 2: 97, 3: 25}.get(d, 13)
    axis = np.linspace(0.0, np.pi, n)
    if d == 1:
        return [axis]
    full = np.linspace(-np.pi, np.pi, 2 * n - 1)
    mesh = np.meshgrid(axis, *([full] * (d - 1)), indexing="ij")
    return [m.ravel() for m in mesh]


def amplification(
    coef: FrozenCoefficients,
    dx: np.ndarray,
    dt: float,
    advection: str,
    method: TimeMethod | None,
    theta: list[np.ndarray] | Waves | None = None,
) -> float:
    """``max |G(theta)|`` of the scheme for step ``dt`` and spacings ``dx``."""
    d = len(dx)
    w = theta if isinstance(theta, Waves) else Waves(theta if theta is not None else _theta(d))
    D, a = coef.diffusion, coef.velocity
    diff = sum(-4.0 * D[i] / dx[i] ** 2 * w.half_sin2[i] for i in range(d))
    if coef.second_order_in_time:  # leapfrog for u_tt = sum D_i u_ii: G^2 - (2 + dt^2 mu) G + 1
        b = 2.0 + dt**2 * diff
        disc = np.sqrt((b * b - 4.0).astype(complex))
        g = np.maximum(np.abs((b + disc) / 2), np.abs((b - disc) / 2))
        return float(np.max(g))
    if advection == "lax_wendroff":
        g = 1.0 + dt * diff + dt * coef.growth
        for i in range(d):
            c = a[i] * dt / dx[i]
            g = g - 1j * c * w.sin[i] - c * c * w.one_minus_cos[i]
        return float(np.max(np.abs(g)))
    if advection == "lax_friedrichs":
        g = sum(w.cos[i] for i in range(d)) / d + dt * diff + dt * coef.growth
        for i in range(d):
            g = g - 1j * a[i] * dt / dx[i] * w.sin[i]
        return float(np.max(np.abs(g)))
    lam = diff + coef.growth + 0j
    for i in range(d):
        if advection == "upwind":
            lam = lam - abs(a[i]) / dx[i] * w.one_minus_cos[i] - 1j * a[i] / dx[i] * w.sin[i]
        else:
            lam = lam - 1j * a[i] / dx[i] * w.sin[i]
    if method is None:  # leapfrog in time for a first-order equation: G^2 - 2 z G - 1 = 0
        z = dt * lam
        disc = np.sqrt(z * z + 1.0)
        g = np.maximum(np.abs(z + disc), np.abs(z - disc))
        return float(np.max(g))
    with np.errstate(all="ignore"):
        g = np.abs(method.stability(dt * lam))
    return float(np.max(g))


def analyse(
    coef: FrozenCoefficients,
    dx: np.ndarray,
    dt: float | None,
    advection: str,
    method: TimeMethod | None,
) -> StabilityResult:
    """Stability at ``dt`` (or only the limit when ``dt`` is None) with the largest stable dt."""
    th = Waves(_theta(len(dx)))

    def stable(step: float) -> tuple[bool, float, float]:
        g = amplification(coef, dx, step, advection, method, th)
        allowed = math.exp(step * max(coef.growth, 0.0)) * (1 + 1e-9) + 1e-12
        return g <= allowed, g, allowed

    scale = _natural_step(coef, dx)
    hi = scale * 64.0
    lo = 0.0
    if stable(hi)[0]:
        dt_max = math.inf
    else:
        small = scale * 1e-9
        if not stable(small)[0]:
            dt_max = 0.0
        else:
            lo = small
            for _ in range(60):
                mid = math.sqrt(lo * hi) if lo > 0 else hi / 2
                if stable(mid)[0]:
                    lo = mid
                else:
                    hi = mid
                if hi / lo < 1 + 1e-4:  # dt_max is reported to 3 digits
                    break
            dt_max = lo
    step = dt if dt is not None else (dt_max if math.isfinite(dt_max) and dt_max > 0 else scale)
    ok, g, allowed = stable(step)
    courant = float(np.sum(np.abs(coef.velocity) * step / dx))
    if coef.second_order_in_time:
        courant = float(np.sqrt(np.sum(coef.diffusion * step**2 / dx**2)))
    dnum = 0.0 if coef.second_order_in_time else float(np.sum(coef.diffusion * step / dx**2))
    return StabilityResult(step, g, allowed, courant, dnum, dt_max, ok)


def _natural_step(coef: FrozenCoefficients, dx: np.ndarray) -> float:
    rates = []
    for i, h in enumerate(dx):
        if coef.diffusion[i] > 0:
            rates.append(coef.diffusion[i] / h**2)
            if coef.second_order_in_time:
                rates.append(math.sqrt(coef.diffusion[i]) / h)
        if coef.velocity[i] != 0:
            rates.append(abs(coef.velocity[i]) / h)
    if coef.growth:
        rates.append(abs(coef.growth))
    return 1.0 / max(rates) if rates else 1.0
