"""Lax-Friedrichs (very diffusive) declared as the upwind scheme.

Kind: order: numerical diffusion far above the declared scheme's
Its diffusion is h^2 / (2 dt) = h / (2 nu) per unit speed, twice upwind's at this Courant
number and more: still first order, but the error constant is large.
"""

import numpy as np
from correct import SOLVER, Advection1D  # noqa: F401


class LaxFriedrichs(Advection1D):
    def step(self, u):
        nu = self.speed * self.dt / self.dx
        return 0.5 * (np.roll(u, -1) + np.roll(u, 1)) - 0.5 * nu * (np.roll(u, -1) - np.roll(u, 1))


def solve(spec, resolution):
    return LaxFriedrichs().solve(spec, resolution)
