"""Logistic term written r u (u - 1): the invading state becomes the unstable one.

Kind: sign error
"""

import numpy as np
from correct import SOLVER, Fisher  # noqa: F401


class SignSlip(Fisher):
    def reaction(self, u, tau):
        g = np.exp(-self.r * tau)
        return u * g / (1.0 + u * (g - 1.0))


def solve(spec, resolution):
    return SignSlip().solve(spec, resolution)
