"""hx and hy computed from the wrong side lengths.

Kind: index: x/y transposition
"""

from correct import SOLVER, Waveguide  # noqa: F401


class Swapped(Waveguide):
    def setup(self, spec, n):
        super().setup(spec, n)
        self.hx, self.hy = self.ly / self.nx, self.lx / self.ny


def solve(spec, resolution):
    return Swapped().solve(spec, resolution)
