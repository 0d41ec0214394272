"""sigma and gamma swapped when unpacking the rates.

Kind: parameter mix-up
"""

from correct import SOLVER, Seird  # noqa: F401


class Swapped(Seird):
    def rates(self):
        return self.p["beta"], self.p["gamma"], self.p["sigma"], self.p["mu"]


def solve(spec, resolution):
    return Swapped().solve(spec, resolution)
