"""Jacobi iteration with a fixed 2000 sweeps instead of a converged linear solve.

Kind: iteration: not converged
Jacobi's error falls like (1 - (pi h)^2 / 2) per sweep: fine grids stay far from converged.
"""

import numpy as np
from correct import SOLVER, Poisson2D  # noqa: F401

SWEEPS = 2000


class Jacobi(Poisson2D):
    def interior(self, spec):
        f = self.source(spec)
        u = np.zeros((self.nx + 1, self.ny + 1))
        cx, cy = 1.0 / self.hx**2, 1.0 / self.hy**2
        for _ in range(SWEEPS):
            u[1:-1, 1:-1] = (
                f + cx * (u[2:, 1:-1] + u[:-2, 1:-1]) + cy * (u[1:-1, 2:] + u[1:-1, :-2])
            ) / (2 * cx + 2 * cy)
        return u[1:-1, 1:-1].ravel()


def solve(spec, resolution):
    return Jacobi().solve(spec, resolution)
