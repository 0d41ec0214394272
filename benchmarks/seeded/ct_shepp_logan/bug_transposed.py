"""Image returned transposed (row/column order of the detector axis mixed up).

Kind: index: x/y transposition
"""

from correct import SOLVER, Ct  # noqa: F401


class Transposed(Ct):
    def reconstruct(self, data, theta):
        return super().reconstruct(data, theta).T


def solve(spec, resolution):
    return Transposed().solve(spec, resolution)
