"""Plain back-projection (filter_name=None) and no SART: the ramp filter is left out.

Kind: dropped term
Unfiltered back-projection blurs every edge (the 1/r point-spread function).
"""

import numpy as np
from correct import SOLVER, Ct  # noqa: F401
from skimage.transform import iradon


class Unfiltered(Ct):
    def reconstruct(self, data, theta):
        return np.clip(iradon(data, theta, filter_name=None, circle=True), 0.0, None)


def solve(spec, resolution):
    return Unfiltered().solve(spec, resolution)
