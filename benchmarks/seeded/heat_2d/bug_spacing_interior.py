"""Spacing computed from the number of interior nodes: h = L / (cells + 1).

Kind: grid: off-by-one spacing
The nodes are where linspace puts them, but the stencil uses a slightly smaller h.
"""

import numpy as np
from correct import SOLVER, Heat2D  # noqa: F401


class Spacing(Heat2D):
    def axis(self, a, b, cells):
        return np.linspace(a, b, cells + 1), (b - a) / (cells + 1)


def solve(spec, resolution):
    return Spacing().solve(spec, resolution)
