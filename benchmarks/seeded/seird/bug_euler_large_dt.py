"""Forward Euler with a fixed 10-day step ('the epidemic is slow').

Kind: stability: time step beyond the limit
The fastest decay rate (~0.3 1/day) times 10 days is far outside Euler's stability interval.
"""

import numpy as np
from correct import SOLVER as BASE
from correct import Seird

SOLVER = {
    **BASE,
    "name": "seird_euler_10d",
    "formal_order": 1.0,
    "discretization": {"method": "ode", "integrator": "forward_euler", "dt": "10 day"},
}


class Euler(Seird):
    def setup(self, spec, n):
        super().setup(
            spec, max(1, int(np.ceil((spec["si"]["time"][1] - spec["si"]["time"][0]) / 864000.0)))
        )

    def step(self, y, h):
        return y + h * self.rhs(y)


def solve(spec, resolution):
    return Euler().solve(spec, resolution)
