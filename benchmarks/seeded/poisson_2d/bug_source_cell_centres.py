"""The source sampled at cell centres (x + h/2, y + h/2) for the node equations.

Kind: grid: staggered sampling
"""

import numpy as np
from correct import SOLVER, Poisson2D, evaluate  # noqa: F401


class Staggered(Poisson2D):
    def source(self, spec):
        X, Y = np.meshgrid(
            self.x[1:-1] + 0.5 * self.hx, self.y[1:-1] + 0.5 * self.hy, indexing="ij"
        )
        text = spec["equations"]["definitions"]["f"]
        return np.broadcast_to(evaluate(text, x=X, y=Y, **self.p), X.shape).astype(float)


def solve(spec, resolution):
    return Staggered().solve(spec, resolution)
