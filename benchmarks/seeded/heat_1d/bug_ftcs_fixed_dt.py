"""Explicit Euler (FTCS) with a fixed step dt = 1e-3 s on every grid.

Kind: stability: time step beyond the limit
The diffusion number kappa dt / dx^2 reaches 2 on the finest grid (stable only up to 1/2).
"""

import numpy as np
from correct import SOLVER as BASE
from correct import Heat1D

SOLVER = {
    **BASE,
    "name": "heat1d_ftcs",
    "discretization": {"method": "finite_difference", "scheme": "explicit_euler", "dt": "1e-3 s"},
}


class Ftcs(Heat1D):
    def time_steps(self, n):
        return max(1, int(np.ceil((self.t1 - self.t0) / 1e-3)))

    def step(self, u, left, right):
        out = u.copy()
        out[1:-1] = u[1:-1] + self.kappa * self.dt / self.dx**2 * (u[2:] - 2 * u[1:-1] + u[:-2])
        out[0], out[-1] = left, right
        return out


def solve(spec, resolution):
    return Ftcs().solve(spec, resolution)
