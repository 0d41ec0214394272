"""Reports the temperature at the middle node, wherever the spec asks for it.

Kind: observable: hard-coded probe location
Written for 'u at the centre'; the observable's x is never read.
"""

from correct import SOLVER, Heat1D  # noqa: F401


class Midpoint(Heat1D):
    def probe(self, u, where):
        return float(u[self.n // 2])


def solve(spec, resolution):
    return Midpoint().solve(spec, resolution)
