"""The prefactor sqrt(1 / (i lambda z)) written as sqrt(1 / i): the intensity loses 1/(lambda z).

Kind: dropped factor
"""

import numpy as np
from correct import SOLVER, Fresnel  # noqa: F401


class NoPrefactor(Fresnel):
    def field(self, x):
        xi, w = self.nodes()
        return np.sqrt(1.0 / 1j) * np.sum(w * np.exp(1j * self.phase(x, xi)))


def solve(spec, resolution):
    return NoPrefactor().solve(spec, resolution)
