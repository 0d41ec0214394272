"""Diffusion coefficients D / dx where D / dx^2 belongs.

Kind: wrong coefficient
"""

import numpy as np
from correct import SOLVER, Fisher  # noqa: F401


class OverDx(Fisher):
    def laplacian_bands(self):
        m = self.n + 1
        k = self.D / self.dx
        upper, diag, lower = k * np.ones(m), -2.0 * k * np.ones(m), k * np.ones(m)
        upper[1] = 2.0 * k
        lower[-2] = 2.0 * k
        return upper, diag, lower


def solve(spec, resolution):
    return OverDx().solve(spec, resolution)
