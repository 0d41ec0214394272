"""Fresnel phase written k (x - xi)^2 / z = 2 pi (x - xi)^2 / (lambda z): the 1/2 of k/2z lost.

Kind: wrong coefficient
"""

import numpy as np
from correct import SOLVER, Fresnel  # noqa: F401


class TwoPi(Fresnel):
    def phase(self, x, xi):
        return 2.0 * np.pi * (x - xi) ** 2 / (self.wavelength * self.z)


def solve(spec, resolution):
    return TwoPi().solve(spec, resolution)
