"""Jacobian off-diagonals 1/h where 1/h^2 belongs: Newton turns into a slow, wrong iteration
that stops after its iteration cap.

Kind: wrong coefficient
"""

from correct import SOLVER, Bratu  # noqa: F401


class JacobianH(Bratu):
    def jacobian_bands(self, u):
        ab = super().jacobian_bands(u)
        ab[0, 1:] = 1.0 / self.h
        ab[2, :-1] = 1.0 / self.h
        return ab


def solve(spec, resolution):
    return JacobianH().solve(spec, resolution)
