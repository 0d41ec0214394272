"""The time step computed once from the coarsest grid (128 cells) and used on every grid.

Kind: stability: time step beyond the limit
The declared Courant number 0.8 holds on the coarsest grid only; on 512 cells it is 3.2.
"""

import numpy as np
from correct import SOLVER, Advection1D

COARSEST = SOLVER["resolutions"][0]


class FixedStep(Advection1D):
    def setup(self, spec, n):
        super().setup(spec, n)
        dt = self.cfl * (self.x1 - self.x0) / COARSEST / abs(self.speed)
        self.steps = max(1, int(np.ceil((self.t1 - self.t0) / dt)))
        self.dt = (self.t1 - self.t0) / self.steps


def solve(spec, resolution):
    return FixedStep().solve(spec, resolution)
