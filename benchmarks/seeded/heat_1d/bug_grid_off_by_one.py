"""Grid of n nodes but spacing L / n: the stencil and the node positions disagree.

Kind: grid: off-by-one spacing
linspace(a, b, n) has spacing (b - a) / (n - 1); the Laplacian divides by ((b - a) / n)^2.
"""

import numpy as np
from correct import SOLVER, Heat1D  # noqa: F401


class OffByOne(Heat1D):
    def grid(self, n):
        x = np.linspace(self.a, self.b, n)
        return x, (self.b - self.a) / n

    def operator(self):
        m = self.x.size - 2
        r = self.kappa / self.dx**2
        return r * np.ones(m), -2.0 * r * np.ones(m), r * np.ones(m)


def solve(spec, resolution):
    return OffByOne().solve(spec, resolution)
