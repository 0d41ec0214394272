"""Node grid with the wall condition imposed by copying the neighbour (u_0 = u_1).

Kind: boundary: first-order closure
The copy puts the zero-slope condition half a cell inside the wall: O(h) eigenvalue errors.
"""

import numpy as np
import scipy.sparse as sp
from correct import SOLVER, Waveguide  # noqa: F401


def copy_1d(m, h):
    """-d2/dx2 on the m interior nodes, the wall node copied from its neighbour."""
    main = 2.0 * np.ones(m)
    main[0] = main[-1] = 1.0
    return sp.diags([-np.ones(m - 1), main, -np.ones(m - 1)], [-1, 0, 1]) / h**2


class CopyNodes(Waveguide):
    def operator(self):
        mx, my = self.nx - 1, self.ny - 1
        return (
            sp.kron(copy_1d(mx, self.hx), sp.identity(my))
            + sp.kron(sp.identity(mx), copy_1d(my, self.hy))
        ).tocsc()


def solve(spec, resolution):
    return CopyNodes().solve(spec, resolution)
