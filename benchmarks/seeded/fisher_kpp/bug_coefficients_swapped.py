"""D and r swapped when unpacking the parameters.

Kind: parameter mix-up
The minimal speed 2 sqrt(r D) is symmetric in D and r, and D = r = 1 at the spec's point, so
the swap only shows where D != r: the front's shape and its finite-time delay change.
"""

from correct import SOLVER, Fisher  # noqa: F401


class Swapped(Fisher):
    def coefficients(self):
        return self.p["r"], self.p["D"]


def solve(spec, resolution):
    return Swapped().solve(spec, resolution)
