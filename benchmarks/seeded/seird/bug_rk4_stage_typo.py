"""RK4 with the third stage evaluated from k1 instead of k2.

Kind: method coefficients: Butcher-table typo
k3 = f(y + h/2 k1) duplicates k2: the method drops to second order.
"""

from correct import SOLVER, Seird  # noqa: F401


class Typo(Seird):
    def step(self, y, h):
        k1 = self.rhs(y)
        k2 = self.rhs(y + 0.5 * h * k1)
        k3 = self.rhs(y + 0.5 * h * k1)
        k4 = self.rhs(y + h * k3)
        return y + h / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4)


def solve(spec, resolution):
    return Typo().solve(spec, resolution)
