"""Central difference in space with forward Euler in time (FTCS) at Courant number 0.8.

Kind: stability: unconditionally unstable scheme
FTCS for advection amplifies every mode: |G|^2 = 1 + nu^2 sin^2(k h) > 1.
"""

import numpy as np
from correct import SOLVER as BASE
from correct import Advection1D

SOLVER = {
    **BASE,
    "name": "advection_ftcs",
    "formal_order": 2.0,
    "discretization": {
        "method": "finite_difference",
        "scheme": "central",
        "integrator": "forward_euler",
        "cfl": 0.8,
    },
}


class Ftcs(Advection1D):
    def step(self, u):
        return u - 0.5 * self.speed * self.dt / self.dx * (np.roll(u, -1) - np.roll(u, 1))


def solve(spec, resolution):
    return Ftcs().solve(spec, resolution)
