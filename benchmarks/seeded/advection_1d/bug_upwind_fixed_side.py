"""Always the backward difference u_i - u_{i-1}: upwind only when a > 0.

Kind: sign error
For a < 0 the difference is taken downwind, which is unconditionally unstable.
"""

import numpy as np
from correct import SOLVER, Advection1D  # noqa: F401


class FixedSide(Advection1D):
    def step(self, u):
        return u - self.speed * self.dt / self.dx * (u - np.roll(u, 1))


def solve(spec, resolution):
    return FixedSide().solve(spec, resolution)
