"""Walls treated as Hz = 0 (Dirichlet) instead of dHz/dn = 0: the TM operator for TE modes.

Kind: boundary: wrong condition type
"""

import numpy as np
import scipy.sparse as sp
from correct import SOLVER, Waveguide  # noqa: F401


def dirichlet_1d(m, h):
    return sp.diags([-np.ones(m - 1), 2.0 * np.ones(m), -np.ones(m - 1)], [-1, 0, 1]) / h**2


class Dirichlet(Waveguide):
    def operator(self):
        mx, my = self.nx - 1, self.ny - 1
        return (
            sp.kron(dirichlet_1d(mx, self.hx), sp.identity(my))
            + sp.kron(sp.identity(mx), dirichlet_1d(my, self.hy))
        ).tocsc()


def solve(spec, resolution):
    return Dirichlet().solve(spec, resolution)
