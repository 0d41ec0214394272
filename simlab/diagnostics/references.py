"""Independent reference values for the continuation tests and benchmarks.

None of these uses the continuation code: closed forms, and a shooting method for the
discrete Bratu fold, so that "located to round-off of the discrete problem" can be checked
against a different algorithm.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.optimize import brentq, minimize_scalar

from simlab.diagnostics.errors import DiagnosticsError


def dirichlet_eigenvalue(n: int, k: int, length: float) -> float:
    """k-th eigenvalue of -D2 on n interior nodes of (0, length): (2/h^2)(1 - cos(k pi h / L))."""
    h = length / (n + 1)
    return 2.0 / h**2 * (1.0 - np.cos(k * np.pi * h / length))


def bratu_fold_exact() -> tuple[float, float]:
    """Continuum Bratu 1D fold (lam_c, u(1/2)) from theta = sqrt(2 lam) cosh(theta / 4).

    lam(theta) = theta^2 / (2 cosh^2(theta/4)) is largest where (theta/4) tanh(theta/4) = 1;
    there u(1/2) = 2 ln cosh(theta/4).
    """
    theta = brentq(lambda t: t / 4.0 * np.tanh(t / 4.0) - 1.0, 1.0, 10.0, xtol=1e-15, rtol=1e-15)
    lam = theta**2 / (2.0 * np.cosh(theta / 4.0) ** 2)
    return float(lam), float(2.0 * np.log(np.cosh(theta / 4.0)))


def bratu_discrete_fold(n: int) -> float:
    """Fold of the 2nd-order FD Bratu problem on n interior nodes, by shooting.

    The scheme u[i+1] = 2 u[i] - u[i-1] - h^2 lam exp(u[i]), u[0] = 0, u[1] = a is
    marched to u[n+1]; lam(a) solves u[n+1] = 0 (Brent), and the fold is the maximum of
    lam(a) over a (bounded Brent). The maximum is flat, so its value is accurate to
    round-off even though a is only found to about sqrt(eps).
    """
    if n < 1:
        raise DiagnosticsError(f"need n >= 1 interior nodes, got {n}")
    h2 = (1.0 / (n + 1)) ** 2

    def end_value(a: float, lam: float) -> float:
        prev, cur = 0.0, a
        for _ in range(n):
            prev, cur = cur, 2.0 * cur - prev - h2 * lam * math.exp(cur)
        return cur

    def lam_of(a: float) -> float:
        return brentq(lambda lam: end_value(a, lam), 0.0, 50.0, xtol=1e-300, rtol=1e-15)

    h = 1.0 / (n + 1)
    best = minimize_scalar(
        lambda a: -lam_of(a),
        bounds=(0.5 * h, 12.0 * h),
        method="bounded",
        options={"xatol": 1e-9 * h},
    )
    return float(-best.fun)
