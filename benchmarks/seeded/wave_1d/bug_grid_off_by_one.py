"""n nodes from linspace but the spacing (b - a) / n in the stencil.

Kind: grid: off-by-one spacing
"""

import numpy as np
from correct import SOLVER, Wave1D  # noqa: F401


class OffByOne(Wave1D):
    def setup(self, spec, n):
        super().setup(spec, n)
        self.x = np.linspace(self.a, self.b, n)


def solve(spec, resolution):
    return OffByOne().solve(spec, resolution)
