"""Spacing from the count of interior nodes: h = L / (cells + 1) instead of L / cells.

Kind: grid: off-by-one spacing
"""

from correct import SOLVER, Poisson2D  # noqa: F401


class Spacing(Poisson2D):
    def setup(self, spec, n):
        super().setup(spec, n)
        self.hx = (self.x1 - self.x0) / (self.nx + 1)
        self.hy = (self.y1 - self.y0) / (self.ny + 1)


def solve(spec, resolution):
    return Spacing().solve(spec, resolution)
