"""Assembles laplacian(u) = f: the minus sign of -laplacian(u) = f is lost.

Kind: sign error
"""

from correct import SOLVER, Poisson2D  # noqa: F401


class SignSlip(Poisson2D):
    def matrix(self):
        return (-super().matrix()).tocsc()


def solve(spec, resolution):
    return SignSlip().solve(spec, resolution)
