"""Walls treated as dEz/dn = 0 (the TE condition) instead of Ez = 0.

Kind: boundary: wrong condition type
The constant mode is dropped as 'not a mode', so the numbers even look like cutoffs.
"""

import numpy as np
import scipy.sparse as sp
from correct import SOLVER, Waveguide  # noqa: F401
from scipy.sparse.linalg import eigsh


def neumann_1d(m, h):
    main = 2.0 * np.ones(m)
    main[0] = main[-1] = 1.0
    return sp.diags([-np.ones(m - 1), main, -np.ones(m - 1)], [-1, 0, 1]) / h**2


class Neumann(Waveguide):
    def operator(self):
        return (
            sp.kron(neumann_1d(self.nx, self.hx), sp.identity(self.ny))
            + sp.kron(sp.identity(self.nx), neumann_1d(self.ny, self.hy))
        ).tocsc()

    def eigenvalues(self, count):
        shift = -1.0 / max(self.lx, self.ly) ** 2
        values = np.sort(
            eigsh(self.operator(), k=count + 2, sigma=shift, which="LM", return_eigenvectors=False)
        )
        return values[values > 1e-8 * values.max()][:count]


def solve(spec, resolution):
    return Neumann().solve(spec, resolution)
