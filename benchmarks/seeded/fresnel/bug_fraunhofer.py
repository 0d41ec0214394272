"""Far-field (Fraunhofer) sinc^2 pattern used at Fresnel number 4.

Kind: approximation outside its validity
Fraunhofer needs a^2 / (lambda z) << 1; here it is 4 to 8.
"""

import numpy as np
from correct import SOLVER, Fresnel  # noqa: F401


class Fraunhofer(Fresnel):
    def intensity(self, x):
        amplitude = self.a / np.sqrt(self.wavelength * self.z)
        arg = self.a * x / (self.wavelength * self.z)
        return float(amplitude**2 * np.sinc(arg) ** 2)


def solve(spec, resolution):
    return Fraunhofer().solve(spec, resolution)
