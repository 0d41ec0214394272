"""Uniform time steps: the initial layer (t ~ 1e-4 s) falls inside the first step.

Kind: grid: no refinement where the solution changes fast
"""

import numpy as np
from correct import SOLVER, Robertson  # noqa: F401


class Uniform(Robertson):
    def time_grid(self, n):
        return np.linspace(self.t0, self.t1, n + 1)


def solve(spec, resolution):
    return Uniform().solve(spec, resolution)
