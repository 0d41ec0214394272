"""Simpson weights laid on n + 1 panels: with an odd panel count the 1-4-2-4-1 pattern ends
on a 4 and the last panel is weighted wrongly.

Kind: grid: off-by-one spacing
"""

import numpy as np
from correct import SOLVER, Fresnel  # noqa: F401


class OddPanels(Fresnel):
    def nodes(self):
        m = self.n + 1
        xi = np.linspace(-self.a / 2, self.a / 2, m + 1)
        w = np.ones(m + 1)
        w[1:-1:2], w[2:-1:2] = 4.0, 2.0
        return xi, w * (self.a / m) / 3.0


def solve(spec, resolution):
    return OddPanels().solve(spec, resolution)
