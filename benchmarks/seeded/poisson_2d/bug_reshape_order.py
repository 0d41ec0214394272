"""The solution vector reshaped as (ny-1, nx-1) although it was ordered x-major.

Kind: index: x/y transposition
The kron ordering puts x slowest; reshape(ny - 1, nx - 1) reads it the other way round. On a
square grid this transposes the field, which a symmetric solution hides.
"""

import numpy as np
from correct import SOLVER, Poisson2D  # noqa: F401


class Reshape(Poisson2D):
    def field(self, spec):
        u = np.zeros((self.nx + 1, self.ny + 1))
        inner = self.interior(spec).reshape(self.ny - 1, self.nx - 1)
        u[1:-1, 1:-1] = inner.T
        return u


def solve(spec, resolution):
    return Reshape().solve(spec, resolution)
