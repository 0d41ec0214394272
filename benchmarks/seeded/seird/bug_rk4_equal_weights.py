"""RK4 stages combined with equal weights (k1 + k2 + k3 + k4) / 4 instead of 1, 2, 2, 1 / 6.

Kind: method coefficients: Butcher-table typo
Still consistent (the weights sum to one) but only first order.
"""

from correct import SOLVER, Seird  # noqa: F401


class EqualWeights(Seird):
    def step(self, y, h):
        k1 = self.rhs(y)
        k2 = self.rhs(y + 0.5 * h * k1)
        k3 = self.rhs(y + 0.5 * h * k2)
        k4 = self.rhs(y + h * k3)
        return y + h / 4.0 * (k1 + k2 + k3 + k4)


def solve(spec, resolution):
    return EqualWeights().solve(spec, resolution)
