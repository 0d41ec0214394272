"""Incidence beta S I instead of beta S I / N (density- for frequency-dependence).

Kind: dropped factor
"""

import numpy as np
from correct import SOLVER, Seird  # noqa: F401


class Density(Seird):
    def rhs(self, y):
        S, E, I, _R, _D = y
        infection = self.beta * S * I
        return np.array(
            [
                -infection,
                infection - self.sigma * E,
                self.sigma * E - (self.gamma + self.mu) * I,
                self.gamma * I,
                self.mu * I,
            ]
        )


def solve(spec, resolution):
    return Density().solve(spec, resolution)
