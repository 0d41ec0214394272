"""Second differences divided by h instead of h^2.

Kind: wrong coefficient
"""

import numpy as np
import scipy.sparse as sp
from correct import SOLVER, Poisson2D  # noqa: F401


def first_power(m, h):
    return sp.diags([np.ones(m - 1), -2.0 * np.ones(m), np.ones(m - 1)], [-1, 0, 1]) / h


class HNotSquared(Poisson2D):
    def matrix(self):
        mx, my = self.nx - 1, self.ny - 1
        lap = sp.kron(first_power(mx, self.hx), sp.identity(my)) + sp.kron(
            sp.identity(mx), first_power(my, self.hy)
        )
        return (-lap).tocsc()


def solve(spec, resolution):
    return HNotSquared().solve(spec, resolution)
