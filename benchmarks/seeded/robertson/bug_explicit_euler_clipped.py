"""Explicit Euler with the concentrations clipped to [0, 1] after every step 'to stay physical'.

Kind: stiffness: explicit integrator on a stiff system
The clip hides the instability: the numbers stay finite and look plausible.
"""

import numpy as np
from correct import SOLVER as BASE
from correct import Robertson

SOLVER = {
    **BASE,
    "name": "robertson_euler_clipped",
    "formal_order": 1.0,
    "discretization": {"method": "ode", "integrator": "forward_euler"},
}


class ClippedEuler(Robertson):
    def step(self, y, h):
        return np.clip(y + h * self.rhs(y), 0.0, 1.0)


def solve(spec, resolution):
    return ClippedEuler().solve(spec, resolution)
