"""Initial front tanh(x - x0) with the width w = 1 m hard-coded.

Kind: hard-coded parameter
"""

import numpy as np
from correct import SOLVER, Fisher  # noqa: F401


class FixedWidth(Fisher):
    def initial(self, spec):
        return 0.5 * (1.0 - np.tanh((self.x - self.p["x0"]) / 1.0))


def solve(spec, resolution):
    return FixedWidth().solve(spec, resolution)
