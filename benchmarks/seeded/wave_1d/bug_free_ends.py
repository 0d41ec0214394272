"""Ends updated with a mirrored ghost node (free ends) instead of being held at zero.

Kind: boundary: wrong condition type
The spec fixes u = 0 at both ends; a Neumann closure lets them move.
"""

import numpy as np
from correct import SOLVER, Wave1D  # noqa: F401


class FreeEnds(Wave1D):
    def second_difference(self, u):
        padded = np.concatenate([[u[1]], u, [u[-2]]])
        return (padded[2:] - 2.0 * padded[1:-1] + padded[:-2]) / self.dx**2

    def run(self, spec):
        u0, v0 = self.data(spec)
        previous, current = u0, self.first_step(u0, v0)
        for _ in range(self.steps - 1):
            previous, current = current, self.leapfrog(previous, current)
        return current


def solve(spec, resolution):
    return FreeEnds().solve(spec, resolution)
