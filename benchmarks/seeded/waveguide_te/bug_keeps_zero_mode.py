"""The constant mode (kc2 = 0) counted as the first TE mode.

Kind: observable: spurious mode kept
"""

import numpy as np
from correct import SOLVER, Waveguide  # noqa: F401
from scipy.sparse.linalg import eigsh


class ZeroMode(Waveguide):
    def eigenvalues(self, count):
        shift = -1.0 / max(self.lx, self.ly) ** 2
        values = eigsh(self.operator(), k=count, sigma=shift, which="LM", return_eigenvectors=False)
        return np.abs(np.sort(values))


def solve(spec, resolution):
    return ZeroMode().solve(spec, resolution)
