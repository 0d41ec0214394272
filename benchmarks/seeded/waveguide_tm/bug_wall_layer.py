"""Ez = 0 imposed on the first interior node as well as on the wall.

Kind: boundary: first-order closure
The box the operator sees is two cells narrower in each direction: an O(h) error.
"""

import scipy.sparse as sp
from correct import SOLVER, Waveguide, dirichlet_1d  # noqa: F401


class WallLayer(Waveguide):
    def operator(self):
        mx, my = self.nx - 3, self.ny - 3
        return (
            sp.kron(dirichlet_1d(mx, self.hx), sp.identity(my))
            + sp.kron(sp.identity(mx), dirichlet_1d(my, self.hy))
        ).tocsc()


def solve(spec, resolution):
    return WallLayer().solve(spec, resolution)
