"""Residual u'' - lam exp(u) (sign of the source flipped).

Kind: sign error
The flipped problem has one (negative) solution; Newton finds it without complaint.
"""

import numpy as np
from correct import SOLVER, Bratu  # noqa: F401


class SignSlip(Bratu):
    def residual(self, u):
        full = np.concatenate([[0.0], u, [0.0]])
        return (full[2:] - 2.0 * full[1:-1] + full[:-2]) / self.h**2 - self.lam * np.exp(u)

    def jacobian_bands(self, u):
        ab = super().jacobian_bands(u)
        ab[1] = -2.0 / self.h**2 - self.lam * np.exp(u)
        return ab


def solve(spec, resolution):
    return SignSlip().solve(spec, resolution)
