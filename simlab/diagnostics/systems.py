"""Vectorised chaotic flows and maps with known Lyapunov spectra.

Each builder returns (f, jac) acting on arrays of states shaped (M, d), the convention of
:mod:`simlab.diagnostics.lyapunov`.
"""

from __future__ import annotations

import numpy as np

from simlab.diagnostics.lyapunov import VectorField


def lorenz(
    sigma: float = 10.0, rho: float = 28.0, beta: float = 8.0 / 3.0
) -> tuple[VectorField, VectorField]:
    """Lorenz flow; trace of J is -(sigma + 1 + beta) everywhere."""

    def rhs(v: np.ndarray) -> np.ndarray:
        x, y, z = v[:, 0], v[:, 1], v[:, 2]
        return np.stack([sigma * (y - x), x * (rho - z) - y, x * y - beta * z], axis=1)

    def jac(v: np.ndarray) -> np.ndarray:
        x, y, z = v[:, 0], v[:, 1], v[:, 2]
        out = np.zeros((v.shape[0], 3, 3))
        out[:, 0, 0], out[:, 0, 1] = -sigma, sigma
        out[:, 1, 0], out[:, 1, 1], out[:, 1, 2] = rho - z, -1.0, -x
        out[:, 2, 0], out[:, 2, 1], out[:, 2, 2] = y, x, -beta
        return out

    return rhs, jac


def henon(a: float = 1.4, b: float = 0.3) -> tuple[VectorField, VectorField]:
    """Henon map (x, y) -> (1 - a x^2 + y, b x); |det J| = b, so the exponents sum to ln b."""

    def step(v: np.ndarray) -> np.ndarray:
        return np.stack([1.0 - a * v[:, 0] ** 2 + v[:, 1], b * v[:, 0]], axis=1)

    def jac(v: np.ndarray) -> np.ndarray:
        out = np.zeros((v.shape[0], 2, 2))
        out[:, 0, 0], out[:, 0, 1], out[:, 1, 0] = -2.0 * a * v[:, 0], 1.0, b
        return out

    return step, jac


def logistic(r: float = 4.0) -> tuple[VectorField, VectorField]:
    """Logistic map x -> r x (1 - x); exponent ln 2 at r = 4."""

    def step(v: np.ndarray) -> np.ndarray:
        return r * v * (1.0 - v)

    def jac(v: np.ndarray) -> np.ndarray:
        return (r * (1.0 - 2.0 * v))[:, :, None]

    return step, jac
