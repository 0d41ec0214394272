"""nx interior nodes with spacing L / nx: one interior node too many for the spacing.

Kind: grid: off-by-one spacing
"""

import scipy.sparse as sp
from correct import SOLVER, Waveguide, dirichlet_1d  # noqa: F401


class InteriorCount(Waveguide):
    def operator(self):
        mx, my = self.nx, self.ny
        return (
            sp.kron(dirichlet_1d(mx, self.hx), sp.identity(my))
            + sp.kron(sp.identity(mx), dirichlet_1d(my, self.hy))
        ).tocsc()


def solve(spec, resolution):
    return InteriorCount().solve(spec, resolution)
