"""The 2-D Laplacian assembled with the x second difference only.

Kind: dropped term
kron(Dxx, I) is there, kron(I, Dyy) was never added: the y diffusion is missing.
"""

import scipy.sparse as sp
from correct import SOLVER, Heat2D, second_difference  # noqa: F401


class OneDirection(Heat2D):
    def laplacian(self):
        mx, my = self.nx - 1, self.ny - 1
        return sp.kron(second_difference(mx, self.hx), sp.identity(my)).tocsr()


def solve(spec, resolution):
    return OneDirection().solve(spec, resolution)
