"""The loss term -k2 y2^2 left out of the y2 equation (it is still a gain for y3).

Kind: dropped source term
y1 + y2 + y3 is no longer conserved.
"""

from correct import SOLVER, Robertson  # noqa: F401


class Dropped(Robertson):
    def rhs(self, y):
        f = super().rhs(y)
        f[1] += self.k2 * y[1] * y[1]
        return f

    def jacobian(self, y):
        J = super().jacobian(y)
        J[1, 1] += 2.0 * self.k2 * y[1]
        return J


def solve(spec, resolution):
    return Dropped().solve(spec, resolution)
