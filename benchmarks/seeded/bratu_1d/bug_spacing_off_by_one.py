"""Spacing 1 / (n + 1) on a grid of n cells (the 'interior nodes' formula).

Kind: grid: off-by-one spacing
"""

from correct import SOLVER, Bratu  # noqa: F401


class OffByOne(Bratu):
    def setup(self, spec, n):
        super().setup(spec, n)
        self.h = (self.b - self.a) / (n + 1)


def solve(spec, resolution):
    return OffByOne().solve(spec, resolution)
