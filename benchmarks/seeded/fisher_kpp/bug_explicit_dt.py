"""Explicit Euler for diffusion and reaction with a fixed dt = 0.05 s.

Kind: stability: time step beyond the limit
D dt / dx^2 = 1 on 2000 cells (stable only up to 1/2); the run blows up or rings.
"""

import numpy as np
from correct import SOLVER as BASE
from correct import Fisher

SOLVER = {
    **BASE,
    "name": "fisher_explicit",
    "discretization": {"method": "finite_difference", "scheme": "explicit_euler", "dt": "0.05 s"},
}


class Explicit(Fisher):
    def setup(self, spec, n):
        super().setup(spec, n)
        self.steps = 2 * int(np.ceil((self.t1 - self.t0) / 0.05 / 2))
        self.dt = (self.t1 - self.t0) / self.steps

    def diffuse(self, u, k, bands):
        return u + self.dt * self.apply(bands, u)

    def reaction(self, u, tau):
        return u + tau * self.r * u * (1.0 - u)


def solve(spec, resolution):
    return Explicit().solve(spec, resolution)
