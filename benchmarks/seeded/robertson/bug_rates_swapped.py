"""k2 and k3 swapped between the dimerisation and the y2 y3 reaction.

Kind: parameter mix-up
"""

import numpy as np
from correct import SOLVER, Robertson  # noqa: F401


class Swapped(Robertson):
    def rhs(self, y):
        fast = self.k2 * y[1] * y[2]
        dimer = self.k3 * y[1] * y[1]
        return np.array([-self.k1 * y[0] + fast, self.k1 * y[0] - fast - dimer, dimer])

    def jacobian(self, y):
        k1, k2, k3 = self.k1, self.k3, self.k2
        return np.array(
            [
                [-k1, k3 * y[2], k3 * y[1]],
                [k1, -k3 * y[2] - 2.0 * k2 * y[1], -k3 * y[1]],
                [0.0, 2.0 * k2 * y[1], 0.0],
            ]
        )


def solve(spec, resolution):
    return Swapped().solve(spec, resolution)
