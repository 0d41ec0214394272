"""Leapfrog with the sign of the spatial term flipped: u_tt = -c^2 u_xx.

Kind: sign error
The flipped equation is elliptic in space-time: every mode grows.
"""

from correct import SOLVER, Wave1D  # noqa: F401


class SignSlip(Wave1D):
    def leapfrog(self, previous, current):
        return 2.0 * current - previous - (self.c * self.dt) ** 2 * self.second_difference(current)


def solve(spec, resolution):
    return SignSlip().solve(spec, resolution)
