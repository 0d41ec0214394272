"""RK4 stages advanced by k instead of h k: y + 0.5 * k1 (the step size left out).

Kind: method coefficients: Butcher-table typo
"""

from correct import SOLVER, Seird  # noqa: F401


class NoStep(Seird):
    def step(self, y, h):
        k1 = self.rhs(y)
        k2 = self.rhs(y + 0.5 * k1)
        k3 = self.rhs(y + 0.5 * k2)
        k4 = self.rhs(y + k3)
        return y + h / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4)


def solve(spec, resolution):
    return NoStep().solve(spec, resolution)
