"""Small ODE systems with known bifurcations: normal forms, Brusselator, Lorenz equilibria."""

from __future__ import annotations

import numpy as np

from simlab.diagnostics.errors import DiagnosticsError
from simlab.diagnostics.types import ContinuationProblem, Setup


def pitchfork(mu0: float = -1.0) -> Setup:
    """x' = mu x - x^3: branch point at mu = 0, branches x = +-sqrt(mu)."""
    return Setup(
        problem=ContinuationProblem(
            residual=lambda x, mu: mu * x - x**3,
            jacobian=lambda x, mu: np.array([[mu - 3.0 * x[0] ** 2]]),
            dparam=lambda x, mu: x.copy(),
            parameter="mu",
            functional=lambda x: float(x[0]),
        ),
        grid=np.zeros(1),
        h=0.0,
        u0=np.zeros(1),
        lam0=mu0,
    )


def saddle_node(mu0: float = 1.0) -> Setup:
    """x' = mu - x^2: fold at mu = 0, x = +sqrt(mu) stable, -sqrt(mu) unstable."""
    return Setup(
        problem=ContinuationProblem(
            residual=lambda x, mu: mu - x**2,
            jacobian=lambda x, mu: np.array([[-2.0 * x[0]]]),
            dparam=lambda x, mu: np.ones(1),
            parameter="mu",
            functional=lambda x: float(x[0]),
        ),
        grid=np.zeros(1),
        h=0.0,
        u0=np.array([np.sqrt(max(mu0, 0.0))]),
        lam0=mu0,
    )


def brusselator(a: float, b0: float = 0.5) -> Setup:
    """x' = a - (b+1) x + x^2 y, y' = b x - x^2 y; equilibrium (a, b/a), Hopf at b = 1 + a^2."""
    if a <= 0:
        raise DiagnosticsError(f"Brusselator needs a > 0, got {a}")

    def residual(v: np.ndarray, b: float) -> np.ndarray:
        x, y = v
        return np.array([a - (b + 1.0) * x + x * x * y, b * x - x * x * y])

    def jacobian(v: np.ndarray, b: float) -> np.ndarray:
        x, y = v
        return np.array([[-(b + 1.0) + 2 * x * y, x * x], [b - 2 * x * y, -x * x]])

    return Setup(
        problem=ContinuationProblem(
            residual=residual,
            jacobian=jacobian,
            dparam=lambda v, b: np.array([-v[0], v[0]]),
            parameter="b",
            functional=lambda v: float(v[1]),
        ),
        grid=np.zeros(2),
        h=0.0,
        u0=np.array([a, b0 / a]),
        lam0=b0,
    )


def lorenz_equilibria(sigma: float = 10.0, beta: float = 8.0 / 3.0, rho0: float = 0.5) -> Setup:
    """Lorenz equilibria in rho: pitchfork at 1, Hopf at sigma (sigma+beta+3) / (sigma-beta-1)."""

    def residual(v: np.ndarray, rho: float) -> np.ndarray:
        x, y, z = v
        return np.array([sigma * (y - x), x * (rho - z) - y, x * y - beta * z])

    def jacobian(v: np.ndarray, rho: float) -> np.ndarray:
        x, y, z = v
        return np.array([[-sigma, sigma, 0.0], [rho - z, -1.0, -x], [y, x, -beta]])

    return Setup(
        problem=ContinuationProblem(
            residual=residual,
            jacobian=jacobian,
            dparam=lambda v, rho: np.array([0.0, v[0], 0.0]),
            parameter="rho",
            functional=lambda v: float(v[0]),
        ),
        grid=np.zeros(3),
        h=0.0,
        u0=np.zeros(3),
        lam0=rho0,
    )
