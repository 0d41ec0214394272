"""The time loop runs range(1, n): one step fewer than the grid has.

Kind: time: final time not reached
The last state is reported as the state at T.
"""

import numpy as np
from correct import SOLVER, Seird  # noqa: F401


class OneShort(Seird):
    def run(self, spec):
        y = self.initial(spec)
        states = np.empty((self.n + 1, 5))
        states[0] = y
        for k in range(1, self.n):
            y = self.step(y, self.h)
            states[k] = y
        states[self.n] = y
        return states


def solve(spec, resolution):
    return OneShort().solve(spec, resolution)
