"""Cell size L / (cells - 1), as for a node grid, on the cell-centred grid.

Kind: grid: off-by-one spacing
"""

from correct import SOLVER, Waveguide  # noqa: F401


class OffByOne(Waveguide):
    def setup(self, spec, n):
        super().setup(spec, n)
        self.hx, self.hy = self.lx / (self.nx - 1), self.ly / (self.ny - 1)


def solve(spec, resolution):
    return OffByOne().solve(spec, resolution)
