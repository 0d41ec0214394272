"""Backward Euler in time, declared as Crank-Nicolson (second order) with dt ~ h.

Kind: order: first-order method declared second order
The time error is O(dt) = O(h): the observed order is 1, not the declared 2.
"""

import numpy as np
from correct import SOLVER, Heat1D  # noqa: F401
from scipy.linalg import solve_banded


class BackwardEuler(Heat1D):
    def step(self, u, left, right):
        up, dg, lo = self.operator()
        inner = u[1:-1].copy()
        inner[0] += self.dt * lo[0] * left
        inner[-1] += self.dt * up[-1] * right
        banded = np.zeros((3, inner.size))
        banded[0, 1:] = -self.dt * up[:-1]
        banded[1] = 1.0 - self.dt * dg
        banded[2, :-1] = -self.dt * lo[1:]
        out = u.copy()
        out[1:-1] = solve_banded((1, 1), banded, inner)
        out[0], out[-1] = left, right
        return out


def solve(spec, resolution):
    return BackwardEuler().solve(spec, resolution)
