"""Newton started from 'a reasonable bump' 4 sin(pi x): it converges to the upper branch.

Kind: wrong solution branch
Below the fold Bratu has two solutions; the initial guess picks one.
"""

import numpy as np
from correct import SOLVER, Bratu  # noqa: F401


class UpperBranch(Bratu):
    def guess(self):
        return 4.0 * np.sin(np.pi * self.x[1:-1])


def solve(spec, resolution):
    return UpperBranch().solve(spec, resolution)
