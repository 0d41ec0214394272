"""Classical RK4 on the same graded time grid ('RK4 is accurate enough').

Kind: stiffness: explicit integrator on a stiff system
The Jacobian's fast eigenvalue (~1e4 1/s) makes every late step unstable.
"""

import numpy as np
from correct import SOLVER as BASE
from correct import Robertson

SOLVER = {
    **BASE,
    "name": "robertson_rk4",
    "formal_order": 4.0,
    "discretization": {"method": "ode", "integrator": "rk4"},
}


class Rk4(Robertson):
    def step(self, y, h):
        k1 = self.rhs(y)
        k2 = self.rhs(y + 0.5 * h * k1)
        k3 = self.rhs(y + 0.5 * h * k2)
        k4 = self.rhs(y + h * k3)
        with np.errstate(all="ignore"):
            return y + h / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4)


def solve(spec, resolution):
    return Rk4().solve(spec, resolution)
