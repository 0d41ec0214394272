"""Aperture integrated over [0, a] instead of [-a/2, a/2].

Kind: wrong integration limits
"""

from correct import SOLVER, Fresnel  # noqa: F401


class Shifted(Fresnel):
    def nodes(self):
        xi, w = super().nodes()
        return xi + self.a / 2, w


def solve(spec, resolution):
    return Shifted().solve(spec, resolution)
