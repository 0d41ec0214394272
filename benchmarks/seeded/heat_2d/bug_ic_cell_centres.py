"""Initial data sampled at cell centres (x + h/2, y + h/2) but stored on the nodes.

Kind: grid: staggered sampling
The data are shifted by half a cell: an O(h) error in every observable.
"""

import numpy as np
from correct import SOLVER, Heat2D, evaluate  # noqa: F401


class Staggered(Heat2D):
    def initial(self, spec):
        text = spec["initial"]["conditions"][0]["value"]
        X, Y = np.meshgrid(self.x + 0.5 * self.hx, self.y + 0.5 * self.hy, indexing="ij")
        u = np.broadcast_to(evaluate(text, x=X, y=Y, **self.p), X.shape).astype(float)
        u[-1, :] = u[:, -1] = 0.0
        return u


def solve(spec, resolution):
    return Staggered().solve(spec, resolution)
