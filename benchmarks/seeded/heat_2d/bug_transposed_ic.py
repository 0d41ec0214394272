"""Initial data sampled with meshgrid's default 'xy' indexing on an 'ij' grid: x and y swap.

Kind: index: x/y transposition
Invisible for data symmetric in x and y (the spec's own sin(pi x) sin(pi y)).
"""

import numpy as np
from correct import SOLVER, Heat2D, evaluate  # noqa: F401


class Transposed(Heat2D):
    def initial(self, spec):
        text = spec["initial"]["conditions"][0]["value"]
        X, Y = np.meshgrid(self.x, self.y)  # 'xy' indexing: shape (ny+1, nx+1)
        return np.broadcast_to(evaluate(text, x=X, y=Y, **self.p), X.shape).astype(float)


def solve(spec, resolution):
    return Transposed().solve(spec, resolution)
