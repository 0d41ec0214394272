"""Propagator written exp(-i pi (x - xi)^2 / (lambda z)): the complex conjugate field.

Kind: sign error
The intensity |U|^2 of the conjugate field is the same: this slip cannot change the answer.
"""

import numpy as np
from correct import SOLVER, Fresnel  # noqa: F401


class Conjugate(Fresnel):
    def field(self, x):
        xi, w = self.nodes()
        integral = np.sum(w * np.exp(-1j * self.phase(x, xi)))
        return np.sqrt(1.0 / (1j * self.wavelength * self.z)) * integral


def solve(spec, resolution):
    return Conjugate().solve(spec, resolution)
