"""Front position = the first node where u drops below 1/2 (no interpolation).

Kind: observable: interpolation dropped
The position jumps by whole cells; the speed picks up an O(h / T) error.
"""

import numpy as np
from correct import SOLVER, Fisher  # noqa: F401


class NearestNode(Fisher):
    def front(self, u):
        below = np.flatnonzero(u < self.level)
        return float(self.x[below[0]]) if below.size else np.nan


def solve(spec, resolution):
    return NearestNode().solve(spec, resolution)
