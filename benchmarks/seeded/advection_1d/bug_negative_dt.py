"""dt = cfl dx / a without abs(): a negative speed gives a negative step count.

Kind: sign error
max(1, steps) then runs a single step of negative length.
"""

import numpy as np
from correct import SOLVER, Advection1D  # noqa: F401


class NegativeStep(Advection1D):
    def setup(self, spec, n):
        super().setup(spec, n)
        self.steps = max(1, int(np.ceil((self.t1 - self.t0) * self.speed / (self.cfl * self.dx))))
        self.dt = (self.t1 - self.t0) / self.steps


def solve(spec, resolution):
    return NegativeStep().solve(spec, resolution)
