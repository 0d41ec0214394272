"""Right end closed with u'(1) = 0 (copy of the neighbour) instead of u(1) = 0.

Kind: boundary: wrong condition type
"""

import numpy as np
from correct import SOLVER, Bratu  # noqa: F401
from scipy.linalg import solve_banded


class FreeEnd(Bratu):
    def guess(self):
        return np.zeros(self.n)

    def residual(self, u):
        full = np.concatenate([[0.0], u, [u[-2]]])
        return (full[2:] - 2.0 * full[1:-1] + full[:-2]) / self.h**2 + self.lam * np.exp(u)

    def jacobian_bands(self, u):
        ab = super().jacobian_bands(u)
        ab[2, -2] = 2.0 / self.h**2
        return ab

    def newton(self):
        u = self.guess()
        for _ in range(self.max_iterations):
            delta = solve_banded((1, 1), self.jacobian_bands(u), -self.residual(u))
            u = u + delta
            if np.max(np.abs(delta)) < self.tolerance:
                break
        return np.concatenate([[0.0], u])


def solve(spec, resolution):
    return FreeEnd().solve(spec, resolution)
