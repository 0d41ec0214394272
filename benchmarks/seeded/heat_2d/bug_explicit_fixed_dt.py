"""Explicit Euler with a fixed step dt = 2e-3 on every grid.

Kind: stability: time step beyond the limit
kappa dt (1/hx^2 + 1/hy^2) reaches 6.6 on the finest grid; explicit Euler needs <= 1/2.
"""

import numpy as np
from correct import SOLVER as BASE
from correct import Heat2D

SOLVER = {
    **BASE,
    "name": "heat2d_explicit",
    "discretization": {"method": "finite_difference", "scheme": "explicit_euler", "dt": 2e-3},
}


class Explicit(Heat2D):
    def time_steps(self, n):
        return max(1, int(np.ceil((self.t1 - self.t0) / 2e-3)))

    def run(self, spec):
        u = self.initial(spec)
        A = self.kappa * self.laplacian()
        inner = u[1:-1, 1:-1].ravel()
        for _ in range(self.steps):
            inner = inner + self.dt * (A @ inner)
        u[1:-1, 1:-1] = inner.reshape(self.nx - 1, self.ny - 1)
        return u


def solve(spec, resolution):
    return Explicit().solve(spec, resolution)
