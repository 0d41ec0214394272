"""Crank-Nicolson with the sign of the explicit half flipped: the solution never evolves.

Kind: sign error
(I - dt/2 A) u_new = (I - dt/2 A) u_old: a one-character slip that returns the initial data.
"""

import numpy as np
from correct import SOLVER, Heat1D  # noqa: F401
from scipy.linalg import solve_banded


class SignSlip(Heat1D):
    def step(self, u, left, right):
        up, dg, lo = self.operator()
        half = 0.5 * self.dt
        inner = u[1:-1]
        rhs = inner - half * (dg * inner)
        rhs[1:] -= half * lo[1:] * inner[:-1]
        rhs[:-1] -= half * up[:-1] * inner[1:]
        rhs[0] += half * lo[0] * left * 2.0
        rhs[-1] += half * up[-1] * right * 2.0
        banded = np.zeros((3, inner.size))
        banded[0, 1:] = -half * up[:-1]
        banded[1] = 1.0 - half * dg
        banded[2, :-1] = -half * lo[1:]
        out = u.copy()
        out[1:-1] = solve_banded((1, 1), banded, rhs)
        out[0], out[-1] = left, right
        return out


def solve(spec, resolution):
    return SignSlip().solve(spec, resolution)
