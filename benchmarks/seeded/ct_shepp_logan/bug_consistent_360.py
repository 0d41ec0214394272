"""Acquisition and reconstruction both over 360 degrees with the spec's number of angles.

Kind: ct: 360 instead of 180 degrees
Consistent, so only the angular sampling halves (parallel-beam views repeat after 180
degrees): a weaker data set, which may or may not still meet the spec's bounds.
"""

from correct import SOLVER, Ct  # noqa: F401


class Consistent360(Ct):
    def setup(self, spec, resolution):
        super().setup(spec, resolution)
        self.span = 360.0


def solve(spec, resolution):
    return Consistent360().solve(spec, resolution)
