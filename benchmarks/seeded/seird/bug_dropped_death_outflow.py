"""I loses only gamma I; the deaths mu I are added to D but never taken out of I.

Kind: dropped source term
The total population is no longer conserved.
"""

from correct import SOLVER, Seird  # noqa: F401


class Dropped(Seird):
    def rhs(self, y):
        f = super().rhs(y)
        f[2] += self.mu * y[2]
        return f


def solve(spec, resolution):
    return Dropped().solve(spec, resolution)
